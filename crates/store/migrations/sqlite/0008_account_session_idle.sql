-- When a session was last used, for the idle timeout: written at most once
-- per quarter of the idle limit (and at most once a minute) per session, so
-- reading a session stays a read. NULL until its first use after creation.
-- Applied by the accounts module and recorded in `accounts_migrations`.
ALTER TABLE sessions ADD COLUMN last_seen_at TEXT;
