-- The accounts list reads each account's latest session and may sort by
-- it, or by name whatever its case; without these indexes each of those
-- reads scans every session, and the sort every account.
-- Applied by the accounts module and recorded in `accounts_migrations`.
CREATE INDEX sessions_account_started ON sessions (account_id, created_at);
CREATE INDEX accounts_name_folded ON accounts (LOWER(name), id);
