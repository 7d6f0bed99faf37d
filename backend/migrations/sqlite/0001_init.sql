-- Assessments: the answers as sent (without contact details) and the summary of the
-- result the engine computed from them. Scores are never taken from the client. The full
-- evaluation is recomputed from input_json with the bank of bank_version when read: the
-- engine is deterministic, so it is the same, byte for byte.
CREATE TABLE assessments (
    id              TEXT PRIMARY KEY,
    created_at      TEXT NOT NULL,
    mode            TEXT NOT NULL,
    bank_version    TEXT NOT NULL,
    overall         REAL NOT NULL,
    band            TEXT NOT NULL,
    blockers        INTEGER NOT NULL,
    input_json      TEXT NOT NULL,
    idempotency_key TEXT UNIQUE,
    request_hash    TEXT NOT NULL
);
CREATE INDEX assessments_created ON assessments (created_at);

-- Leads: personal data. Erasure blanks the personal fields and keeps the row (and the
-- anonymous assessment) so that counts and the audit trail stay consistent.
CREATE TABLE leads (
    id            TEXT PRIMARY KEY,
    assessment_id TEXT NOT NULL REFERENCES assessments (id),
    created_at    TEXT NOT NULL,
    name          TEXT,
    email         TEXT,
    company       TEXT,
    consent       INTEGER NOT NULL,
    erased_at     TEXT
);
CREATE INDEX leads_created ON leads (created_at);

-- Webhook deliveries waiting to be sent, retried with backoff until delivered.
CREATE TABLE outbox (
    id              TEXT PRIMARY KEY,
    lead_id         TEXT NOT NULL REFERENCES leads (id),
    payload         TEXT NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    delivered_at    TEXT,
    last_error      TEXT
);
CREATE INDEX outbox_due ON outbox (delivered_at, next_attempt_at);
