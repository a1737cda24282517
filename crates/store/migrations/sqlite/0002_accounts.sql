-- Accounts: logins (email + argon2id password hash), personal API tokens and
-- web sessions, both stored only as SHA-256 hashes of their random secret,
-- and the append-only log of account changes (never holding secrets).
-- Applied by the accounts module and recorded in `accounts_migrations`.

CREATE TABLE accounts (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    email          TEXT    NOT NULL,
    name           TEXT    NOT NULL,
    person_id      INTEGER REFERENCES people (id),
    kind           TEXT    NOT NULL,
    password_hash  TEXT,
    created_at     TEXT    NOT NULL
);
CREATE UNIQUE INDEX accounts_email_key ON accounts (email);
CREATE UNIQUE INDEX accounts_person_key ON accounts (person_id);

CREATE TABLE api_tokens (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id    INTEGER NOT NULL REFERENCES accounts (id),
    name          TEXT    NOT NULL,
    token_hash    TEXT    NOT NULL,
    created_at    TEXT    NOT NULL,
    revoked_at    TEXT
);
CREATE UNIQUE INDEX api_tokens_hash_key ON api_tokens (token_hash);
CREATE INDEX api_tokens_account ON api_tokens (account_id, id);

CREATE TABLE sessions (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id    INTEGER NOT NULL REFERENCES accounts (id),
    session_hash  TEXT    NOT NULL,
    created_at    TEXT    NOT NULL,
    expires_at    TEXT    NOT NULL,
    ended_at      TEXT
);
CREATE UNIQUE INDEX sessions_hash_key ON sessions (session_hash);

CREATE TABLE account_events (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    at          TEXT    NOT NULL,
    actor       TEXT    NOT NULL,
    action      TEXT    NOT NULL,
    account_id  INTEGER NOT NULL,
    detail      TEXT    NOT NULL
);
CREATE INDEX account_events_account ON account_events (account_id, seq);

CREATE TRIGGER account_events_no_update BEFORE UPDATE ON account_events
BEGIN
    SELECT RAISE(ABORT, 'account_events is append-only');
END;
CREATE TRIGGER account_events_no_delete BEFORE DELETE ON account_events
BEGIN
    SELECT RAISE(ABORT, 'account_events is append-only');
END;
