-- A login an administrator turned off: no password login, no token and no
-- session of it is accepted while `disabled_at` is set. Applied by the
-- accounts module and recorded in `accounts_migrations`.

ALTER TABLE accounts ADD COLUMN disabled_at TEXT;
