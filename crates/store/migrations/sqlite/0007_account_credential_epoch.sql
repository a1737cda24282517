-- One counter every instance reads on its way to answering a request: a
-- transaction that takes access away (a logout, a revoked token, a disabled
-- account, a changed account kind or password) adds one to it before it
-- commits, so an instance that remembers validated credentials drops them
-- as soon as it sees the counter move. Applied by the accounts module and
-- recorded in `accounts_migrations`.

CREATE TABLE credential_epoch (
    id     BIGINT NOT NULL PRIMARY KEY CHECK (id = 1),
    epoch  BIGINT NOT NULL
);
INSERT INTO credential_epoch (id, epoch) VALUES (1, 0);
