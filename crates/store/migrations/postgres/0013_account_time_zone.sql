-- The IANA time zone a person chose to see times in. NULL: their browser's
-- zone (the pages read it from a cookie the page script sets), or UTC.
-- Applied by the accounts module and recorded in `accounts_migrations`.
ALTER TABLE accounts ADD COLUMN time_zone TEXT;
