-- Accounts: logins (email + argon2id password hash), personal API tokens and
-- web sessions, both stored only as SHA-256 hashes of their random secret,
-- and the append-only log of account changes (never holding secrets).
-- Applied by the accounts module and recorded in `accounts_migrations`.

CREATE TABLE accounts (
    id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email          TEXT   NOT NULL,
    name           TEXT   NOT NULL,
    person_id      BIGINT REFERENCES people (id),
    kind           TEXT   NOT NULL,
    password_hash  TEXT,
    created_at     TEXT   NOT NULL
);
CREATE UNIQUE INDEX accounts_email_key ON accounts (email);
CREATE UNIQUE INDEX accounts_person_key ON accounts (person_id);

CREATE TABLE api_tokens (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    account_id    BIGINT NOT NULL REFERENCES accounts (id),
    name          TEXT   NOT NULL,
    token_hash    TEXT   NOT NULL,
    created_at    TEXT   NOT NULL,
    revoked_at    TEXT
);
CREATE UNIQUE INDEX api_tokens_hash_key ON api_tokens (token_hash);
CREATE INDEX api_tokens_account ON api_tokens (account_id, id);

CREATE TABLE sessions (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    account_id    BIGINT NOT NULL REFERENCES accounts (id),
    session_hash  TEXT   NOT NULL,
    created_at    TEXT   NOT NULL,
    expires_at    TEXT   NOT NULL,
    ended_at      TEXT
);
CREATE UNIQUE INDEX sessions_hash_key ON sessions (session_hash);

CREATE TABLE account_events (
    seq         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at          TEXT   NOT NULL,
    actor       TEXT   NOT NULL,
    action      TEXT   NOT NULL,
    account_id  BIGINT NOT NULL,
    detail      TEXT   NOT NULL
);
CREATE INDEX account_events_account ON account_events (account_id, seq);

CREATE FUNCTION account_events_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'account_events is append-only';
END;
$$;
CREATE TRIGGER account_events_no_update_delete
    BEFORE UPDATE OR DELETE ON account_events
    FOR EACH ROW EXECUTE FUNCTION account_events_append_only();
CREATE TRIGGER account_events_no_truncate
    BEFORE TRUNCATE ON account_events
    FOR EACH STATEMENT EXECUTE FUNCTION account_events_append_only();
