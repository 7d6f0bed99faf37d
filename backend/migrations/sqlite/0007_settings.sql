-- What owners change in the console: one row of settings (branding and call to action,
-- new-lead recipients, the webhook, the active question bank) whose revision every
-- instance watches, and the question banks uploaded. Banks are kept for good: a stored
-- assessment is always read with the bank version it was made with.
CREATE TABLE settings (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    revision   INTEGER NOT NULL,
    body       TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL
);

CREATE TABLE banks (
    version     TEXT PRIMARY KEY,
    body        TEXT NOT NULL,
    uploaded_at TEXT NOT NULL,
    uploaded_by TEXT NOT NULL
);
