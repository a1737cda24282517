-- The accounts list reads each account's latest session and may sort by
-- it; without this index each of those reads scans every session.
-- Applied by the accounts module and recorded in `accounts_migrations`.
CREATE INDEX sessions_account_started ON sessions (account_id, created_at);
