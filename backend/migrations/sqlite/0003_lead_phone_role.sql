-- A lead may leave a phone number and a role (both optional; empty when not given, NULL
-- once erased, like the name, email and company).
ALTER TABLE leads ADD COLUMN phone TEXT;
ALTER TABLE leads ADD COLUMN role TEXT;
