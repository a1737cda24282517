-- Mail notifications. Each account can switch immediate notices and the
-- weekly digest off (both on by default). The mail outbox holds one row
-- per mail to send, written in the transaction of the change it tells
-- about (a notice) or of the claim of a week's digest; the mail worker
-- claims due rows with a lease and records each attempt, as the webhook
-- outbox does. `body` is JSON: the notice (ids, no free text), or the
-- digest's lines; it is emptied once the mail is sent. `mail_digests`
-- records each person's digest per ISO week: its primary key lets one
-- instance claim a week, so a digest is never sent twice.
-- Applied by the accounts module and recorded in `accounts_migrations`.
ALTER TABLE accounts ADD COLUMN mail_notices INTEGER NOT NULL DEFAULT 1;
ALTER TABLE accounts ADD COLUMN mail_digest INTEGER NOT NULL DEFAULT 1;

CREATE TABLE mail_outbox (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    person_id        INTEGER NOT NULL,
    kind             TEXT    NOT NULL,
    body             TEXT    NOT NULL,
    created_ms       INTEGER NOT NULL,
    status           TEXT    NOT NULL,
    attempts         INTEGER NOT NULL DEFAULT 0,
    next_attempt_ms  INTEGER NOT NULL,
    lease_owner      TEXT,
    lease_until_ms   INTEGER,
    last_attempt_ms  INTEGER,
    last_error       TEXT
);
CREATE INDEX mail_outbox_due ON mail_outbox (status, next_attempt_ms);
CREATE INDEX mail_outbox_person ON mail_outbox (person_id);

CREATE TABLE mail_digests (
    person_id   INTEGER NOT NULL,
    week        TEXT    NOT NULL,
    claimed_ms  INTEGER NOT NULL,
    PRIMARY KEY (person_id, week)
);
