-- The outbox also carries new-lead emails to the consultancy: one row per channel, built
-- from the lead's row when sent (no copy of personal data), erased with the lead.
ALTER TABLE outbox ADD COLUMN channel TEXT NOT NULL DEFAULT 'webhook';
