-- The audit log's hash chain (see the store's `chain` module): each event's
-- seal. The append-only trigger is recreated after the existing events are
-- sealed, and from then on keeps the seal fixed as well, erasure included.

ALTER TABLE audit_events ADD COLUMN prev_digest TEXT;
ALTER TABLE audit_events ADD COLUMN body_digest TEXT;
ALTER TABLE audit_events ADD COLUMN digest TEXT;
DROP TRIGGER audit_events_no_update;
