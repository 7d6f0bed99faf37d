-- The console's accounts and their sessions. A password is kept only as its argon2id
-- hash; a session only as the SHA-256 of its cookie's token, so that a copy of the
-- database opens no session. Sessions live here, not in memory, so that several
-- instances share them.
CREATE TABLE accounts (
    id             TEXT PRIMARY KEY,
    email          TEXT NOT NULL UNIQUE,
    password_hash  TEXT NOT NULL,
    role           TEXT NOT NULL CHECK (role IN ('owner', 'viewer')),
    created_at     TEXT NOT NULL
);

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    account_id TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    csrf       TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE INDEX sessions_expiry ON sessions (expires_at);

-- Leads are searched by company and email (case-insensitively) and paged by time.
CREATE INDEX leads_created_id ON leads (created_at, id);
