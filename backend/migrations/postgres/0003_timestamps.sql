-- Times as TIMESTAMPTZ instead of RFC 3339 text: compared and ordered as times by the
-- database itself. (SQLite has no time type: there they stay text of one width.)
ALTER TABLE assessments
    ALTER COLUMN created_at TYPE TIMESTAMPTZ USING created_at::timestamptz;
ALTER TABLE leads
    ALTER COLUMN created_at TYPE TIMESTAMPTZ USING created_at::timestamptz,
    ALTER COLUMN erased_at TYPE TIMESTAMPTZ USING erased_at::timestamptz;
ALTER TABLE outbox
    ALTER COLUMN next_attempt_at TYPE TIMESTAMPTZ USING next_attempt_at::timestamptz,
    ALTER COLUMN delivered_at TYPE TIMESTAMPTZ USING delivered_at::timestamptz;
