-- Run by the audit-chain migration once the existing events are sealed.
CREATE OR REPLACE FUNCTION audit_events_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE'
        AND OLD.subject_kind = 'person'
        AND EXISTS (SELECT 1 FROM audit_scrub WHERE person_id = OLD.subject_id)
        AND NEW.seq = OLD.seq AND NEW.at = OLD.at AND NEW.actor = OLD.actor
        AND NEW.action = OLD.action AND NEW.subject_kind = OLD.subject_kind
        AND NEW.subject_id = OLD.subject_id
        AND NEW.prev_digest IS NOT DISTINCT FROM OLD.prev_digest
        AND NEW.body_digest IS NOT DISTINCT FROM OLD.body_digest
        AND NEW.digest IS NOT DISTINCT FROM OLD.digest
    THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'audit_events is append-only';
END;
$$;
CREATE TRIGGER audit_events_no_update_delete
    BEFORE UPDATE OR DELETE ON audit_events
    FOR EACH ROW EXECUTE FUNCTION audit_events_append_only();
