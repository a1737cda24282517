-- Run by the audit-chain migration once the existing events are sealed.
CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
WHEN NOT (
    EXISTS (SELECT 1 FROM audit_scrub WHERE person_id = OLD.subject_id)
    AND OLD.subject_kind = 'person'
    AND NEW.seq = OLD.seq AND NEW.at = OLD.at AND NEW.actor = OLD.actor
    AND NEW.action = OLD.action AND NEW.subject_kind = OLD.subject_kind
    AND NEW.subject_id = OLD.subject_id
    AND NEW.prev_digest IS OLD.prev_digest AND NEW.body_digest IS OLD.body_digest
    AND NEW.digest IS OLD.digest
)
BEGIN
    SELECT RAISE(ABORT, 'audit_events is append-only');
END;
