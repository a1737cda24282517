-- Outgoing webhooks: the subscriptions (a URL, its signing secret and the
-- event types it asked for) and the outbox of deliveries. A delivery row is
-- written for each subscriber in the transaction of the change it reports,
-- so no committed change loses its event; the delivery worker claims due
-- rows with a lease (owner and expiry) and records each attempt's outcome.
-- Times the worker compares are milliseconds since the Unix epoch.

CREATE TABLE webhook_subscriptions (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    url         TEXT    NOT NULL,
    secret      TEXT    NOT NULL,
    created_at  TEXT    NOT NULL
);

CREATE TABLE webhook_subscription_events (
    event_type       TEXT    NOT NULL,
    subscription_id  BIGINT  NOT NULL REFERENCES webhook_subscriptions (id) ON DELETE CASCADE,
    PRIMARY KEY (event_type, subscription_id)
);

CREATE TABLE webhook_deliveries (
    id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    subscription_id  BIGINT  NOT NULL REFERENCES webhook_subscriptions (id) ON DELETE CASCADE,
    event_id         TEXT    NOT NULL,
    event_type       TEXT    NOT NULL,
    person_id        BIGINT,
    payload          TEXT    NOT NULL,
    created_ms       BIGINT  NOT NULL,
    status           TEXT    NOT NULL,
    attempts         BIGINT  NOT NULL DEFAULT 0,
    next_attempt_ms  BIGINT  NOT NULL,
    lease_owner      TEXT,
    lease_until_ms   BIGINT,
    last_attempt_ms  BIGINT,
    last_status      BIGINT,
    last_error       TEXT,
    replay_of        BIGINT
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (status, next_attempt_ms);
CREATE INDEX webhook_deliveries_subscription ON webhook_deliveries (subscription_id, id);
CREATE INDEX webhook_deliveries_person ON webhook_deliveries (person_id);
