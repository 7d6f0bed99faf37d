-- Webhook deliveries no longer carry a copy of the lead: the body is built from the lead's
-- row when it is sent, so erasing the lead erases everything. Dropping the column removes
-- the copies that deliveries made before this version still held.
ALTER TABLE outbox DROP COLUMN payload;
