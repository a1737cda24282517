-- Single sign-on (OpenID Connect): the logins under way, each kept between
-- the redirect to the identity provider and its callback, so that any
-- instance can finish a login another one started; and the append-only log
-- of refused logins (why, never the claims or the token).

CREATE TABLE oidc_logins (
    state_hash     TEXT PRIMARY KEY,
    nonce          TEXT NOT NULL,
    pkce_verifier  TEXT NOT NULL,
    return_to      TEXT NOT NULL,
    expires_at     TEXT NOT NULL
);
CREATE INDEX oidc_logins_expiry ON oidc_logins (expires_at);

CREATE TABLE login_refusals (
    seq         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at          TEXT   NOT NULL,
    method      TEXT   NOT NULL,
    reason      TEXT   NOT NULL,
    account_id  BIGINT
);

CREATE FUNCTION login_refusals_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'login_refusals is append-only';
END;
$$;
CREATE TRIGGER login_refusals_no_update_delete
    BEFORE UPDATE OR DELETE ON login_refusals
    FOR EACH ROW EXECUTE FUNCTION login_refusals_append_only();
CREATE TRIGGER login_refusals_no_truncate
    BEFORE TRUNCATE ON login_refusals
    FOR EACH STATEMENT EXECUTE FUNCTION login_refusals_append_only();
