-- Erasure (SPEC §4) reaches the erased person's login: while their person id
-- is listed in `audit_scrub`, inside the erasing transaction, the details in
-- their account's events (the email and name of `account.created`) may be
-- rewritten; every other column stays, and every other update, delete or
-- truncation is still refused. Applied by the accounts module.

CREATE OR REPLACE FUNCTION account_events_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE'
        AND EXISTS (
            SELECT 1 FROM accounts a JOIN audit_scrub s ON s.person_id = a.person_id
            WHERE a.id = OLD.account_id
        )
        AND NEW.seq = OLD.seq AND NEW.at = OLD.at AND NEW.actor = OLD.actor
        AND NEW.action = OLD.action AND NEW.account_id = OLD.account_id
    THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'account_events is append-only';
END;
$$;
