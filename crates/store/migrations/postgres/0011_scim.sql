-- SCIM 2.0 provisioning: the bearer tokens identity providers use (one per
-- connection, stored as the SHA-256 of their random secret, revocable), and
-- what a provider knows a person by (its userName and externalId), with the
-- times SCIM reports in a user's `meta`.

CREATE TABLE scim_tokens (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name          TEXT    NOT NULL,
    token_hash    TEXT    NOT NULL,
    created_at    TEXT    NOT NULL,
    last_used_at  TEXT,
    revoked_at    TEXT
);
CREATE UNIQUE INDEX scim_tokens_hash_key ON scim_tokens (token_hash);

CREATE TABLE scim_users (
    person_id    BIGINT  PRIMARY KEY REFERENCES people (id),
    user_name    TEXT    NOT NULL,
    external_id  TEXT,
    given_name   TEXT,
    family_name  TEXT,
    created_at   TEXT    NOT NULL,
    updated_at   TEXT    NOT NULL,
    deleted_at   TEXT
);
CREATE UNIQUE INDEX scim_users_user_name_key ON scim_users (user_name);
CREATE INDEX scim_users_external_id ON scim_users (external_id);
