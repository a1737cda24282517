//! The webhook outbox: subscriptions, and one delivery row per subscriber
//! written by [`enqueue`] inside the transaction of the change it reports,
//! so a committed change never loses its event and a refused one has none.
//! The delivery worker (in the server) claims due rows with a lease
//! ([`Store::claim_webhook_deliveries`]: `FOR UPDATE SKIP LOCKED` on
//! PostgreSQL, so several instances share the work and each row goes to
//! one of them; an expired lease is taken again), and records each
//! attempt's outcome ([`Store::finish_webhook_deliveries`]). A replay is a
//! new row of the same event: the same id, body and subscription.

use chrono::{DateTime, Utc};
use climb_people::{PersonDetails, PersonId};
use climb_webhooks::{Event, EventType};
use serde_json::Value;
use sqlx::AnyConnection;

use crate::codec::{now_text, parse_time};
use crate::error::StoreError;
use crate::lease::{self, Outbox};
use crate::store::Store;

/// A subscription as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subscription {
    /// Id.
    pub id: i64,
    /// Where deliveries are posted (http or https).
    pub url: String,
    /// The event types it receives, in [`EventType::ALL`] order.
    pub events: Vec<EventType>,
    /// When it was created.
    pub created_at: DateTime<Utc>,
}

/// Where a delivery stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeliveryStatus {
    /// Waiting for its first or next attempt.
    Pending,
    /// A 2xx answer came back.
    Delivered,
    /// Given up after the last failed attempt.
    Failed,
}

impl DeliveryStatus {
    /// `pending`, `delivered` or `failed`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Delivered => "delivered",
            Self::Failed => "failed",
        }
    }

    fn parse(text: &str) -> Result<Self, StoreError> {
        match text {
            "pending" => Ok(Self::Pending),
            "delivered" => Ok(Self::Delivered),
            "failed" => Ok(Self::Failed),
            other => Err(StoreError::Corrupt(format!("delivery status `{other}`"))),
        }
    }
}

/// One delivery of one event to one subscription.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delivery {
    /// Id.
    pub id: i64,
    /// The subscription.
    pub subscription: i64,
    /// The event's id (`webhook-id`), the same for every attempt and replay.
    pub event_id: String,
    /// The event type's name.
    pub event_type: String,
    /// The body posted.
    pub payload: String,
    /// Where it stands.
    pub status: DeliveryStatus,
    /// Attempts made.
    pub attempts: i64,
    /// When it was written (milliseconds since the epoch).
    pub created_ms: i64,
    /// When the next attempt is due (pending deliveries).
    pub next_attempt_ms: i64,
    /// When the last attempt was made.
    pub last_attempt_ms: Option<i64>,
    /// The HTTP status of the last attempt, when one came back.
    pub last_status: Option<i64>,
    /// Why the last attempt failed.
    pub last_error: Option<String>,
    /// The delivery this one replays.
    pub replay_of: Option<i64>,
}

/// A delivery claimed for an attempt, with what sending it needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claimed {
    /// The delivery's id.
    pub id: i64,
    /// The event's id.
    pub event_id: String,
    /// The body.
    pub payload: String,
    /// The subscription's URL.
    pub url: String,
    /// The subscription's secret (`whsec_…`).
    pub secret: String,
    /// Attempts made before this one.
    pub attempts: i64,
    /// When the event was written (milliseconds since the epoch).
    pub created_ms: i64,
}

/// How an attempt ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Attempt {
    /// Delivered, with the 2xx status.
    Delivered {
        /// The status.
        status: u16,
    },
    /// Failed; try again at `next_ms`.
    Retry {
        /// When.
        next_ms: i64,
        /// The status, when an answer came.
        status: Option<u16>,
        /// Why.
        error: String,
    },
    /// Failed for the last time.
    Failed {
        /// The status, when an answer came.
        status: Option<u16>,
        /// Why.
        error: String,
    },
}

/// The `webhook-id` of the event whose audit record has `digest`: unique
/// per event (the digest chains every event before it) and stable.
pub(crate) fn event_id(digest: &str) -> String {
    format!("msg_{}", digest.get(..32).unwrap_or(digest))
}

/// The person an event is about, kept beside its deliveries for erasure.
pub(crate) fn person_of(event: &Event) -> Option<i64> {
    event.data.get("person").and_then(Value::as_i64)
}

/// Writes a delivery of `event` for every subscription to its type, in the
/// caller's transaction; `at` is the change's time.
pub(crate) async fn enqueue(
    conn: &mut AnyConnection,
    event: &Event,
    event_id: &str,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    let person = person_of(event);
    let ms = at.timestamp_millis();
    sqlx::query(
        "INSERT INTO webhook_deliveries \
         (subscription_id, event_id, event_type, person_id, payload, created_ms, status, attempts, next_attempt_ms) \
         SELECT subscription_id, CAST($1 AS TEXT), CAST($2 AS TEXT), CAST($3 AS BIGINT), CAST($4 AS TEXT), \
         CAST($5 AS BIGINT), 'pending', 0, CAST($5 AS BIGINT) \
         FROM webhook_subscription_events WHERE event_type = $2",
    )
    .bind(event_id)
    .bind(event.kind.as_str())
    .bind(person)
    .bind(event.body(at))
    .bind(ms)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The subscriptions to `kind`, in the caller's transaction (for the bulk
/// import, which writes their deliveries itself).
pub(crate) async fn subscribers(
    conn: &mut AnyConnection,
    kind: EventType,
) -> Result<Vec<i64>, StoreError> {
    Ok(sqlx::query_scalar(
        "SELECT subscription_id FROM webhook_subscription_events WHERE event_type = $1 \
         ORDER BY subscription_id",
    )
    .bind(kind.as_str())
    .fetch_all(&mut *conn)
    .await?)
}

/// Erasure: the name and email in the person's `person.hired` bodies become
/// the anonymous ones, in the erasing transaction.
pub(crate) async fn scrub(
    conn: &mut AnyConnection,
    person: PersonId,
    after: &PersonDetails,
) -> Result<(), StoreError> {
    let rows: Vec<(i64, String)> = sqlx::query_as(
        "SELECT id, payload FROM webhook_deliveries WHERE person_id = $1 AND event_type = $2",
    )
    .bind(person.0)
    .bind(EventType::PersonHired.as_str())
    .fetch_all(&mut *conn)
    .await?;
    for (id, payload) in rows {
        let mut body: Value = serde_json::from_str(&payload)
            .map_err(|e| StoreError::Corrupt(format!("webhook payload {id}: {e}")))?;
        if let Some(data) = body.get_mut("data").and_then(Value::as_object_mut) {
            data.insert("name".into(), Value::from(after.name.as_str()));
            data.insert("email".into(), Value::from(after.email.as_str()));
        }
        sqlx::query("UPDATE webhook_deliveries SET payload = $1 WHERE id = $2")
            .bind(body.to_string())
            .bind(id)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

type DeliveryRow = (
    i64,
    i64,
    String,
    String,
    String,
    String,
    i64,
    i64,
    i64,
    Option<i64>,
    Option<i64>,
    Option<String>,
    Option<i64>,
);

const DELIVERY_COLUMNS: &str = "id, subscription_id, event_id, event_type, payload, status, attempts, \
     created_ms, next_attempt_ms, last_attempt_ms, last_status, last_error, replay_of";

fn delivery(row: DeliveryRow) -> Result<Delivery, StoreError> {
    Ok(Delivery {
        id: row.0,
        subscription: row.1,
        event_id: row.2,
        event_type: row.3,
        payload: row.4,
        status: DeliveryStatus::parse(&row.5)?,
        attempts: row.6,
        created_ms: row.7,
        next_attempt_ms: row.8,
        last_attempt_ms: row.9,
        last_status: row.10,
        last_error: row.11,
        replay_of: row.12,
    })
}

/// The event types of subscription `id`.
async fn events_of(conn: &mut AnyConnection, id: i64) -> Result<Vec<EventType>, StoreError> {
    let names: Vec<String> = sqlx::query_scalar(
        "SELECT event_type FROM webhook_subscription_events WHERE subscription_id = $1",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    let mut events: Vec<EventType> = names.iter().filter_map(|n| EventType::parse(n)).collect();
    events.sort_unstable();
    Ok(events)
}

/// An error's text cut to what a delivery row keeps.
fn clip(error: &str) -> String {
    error.chars().take(500).collect()
}

impl Store {
    /// Subscribes `url` to `events` with `secret` (`whsec_…`, made by the
    /// caller). The caller checks the URL.
    pub async fn create_webhook(
        &self,
        url: &str,
        secret: &str,
        events: &[EventType],
    ) -> Result<Subscription, StoreError> {
        let mut tx = self.pool.begin().await?;
        let created = now_text();
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO webhook_subscriptions (url, secret, created_at) VALUES ($1, $2, $3) RETURNING id",
        )
        .bind(url)
        .bind(secret)
        .bind(&created)
        .fetch_one(&mut *tx)
        .await?;
        let mut events = events.to_vec();
        events.sort_unstable();
        events.dedup();
        for kind in &events {
            sqlx::query(
                "INSERT INTO webhook_subscription_events (event_type, subscription_id) VALUES ($1, $2)",
            )
            .bind(kind.as_str())
            .bind(id)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(Subscription {
            id,
            url: url.to_owned(),
            events,
            created_at: parse_time(&created)?,
        })
    }

    /// Every subscription, by id.
    pub async fn webhooks(&self) -> Result<Vec<Subscription>, StoreError> {
        let mut conn = self.pool.acquire().await?;
        let rows: Vec<(i64, String, String)> =
            sqlx::query_as("SELECT id, url, created_at FROM webhook_subscriptions ORDER BY id")
                .fetch_all(&mut *conn)
                .await?;
        let mut found = Vec::with_capacity(rows.len());
        for (id, url, created) in rows {
            found.push(Subscription {
                id,
                url,
                events: events_of(&mut conn, id).await?,
                created_at: parse_time(&created)?,
            });
        }
        Ok(found)
    }

    /// Deletes subscription `id` with its deliveries; `false` when there is
    /// no such subscription.
    pub async fn delete_webhook(&self, id: i64) -> Result<bool, StoreError> {
        let mut tx = self.pool.begin().await?;
        for sql in [
            "DELETE FROM webhook_deliveries WHERE subscription_id = $1",
            "DELETE FROM webhook_subscription_events WHERE subscription_id = $1",
        ] {
            sqlx::query(sql).bind(id).execute(&mut *tx).await?;
        }
        let deleted = sqlx::query("DELETE FROM webhook_subscriptions WHERE id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        tx.commit().await?;
        Ok(deleted > 0)
    }

    /// Deliveries of subscription `id`, newest first, those before the
    /// delivery `before` when given; `None` when there is no such
    /// subscription.
    pub async fn webhook_deliveries(
        &self,
        id: i64,
        before: Option<i64>,
        limit: u32,
    ) -> Result<Option<Vec<Delivery>>, StoreError> {
        let mut conn = self.pool.acquire().await?;
        let known: Option<i64> =
            sqlx::query_scalar("SELECT id FROM webhook_subscriptions WHERE id = $1")
                .bind(id)
                .fetch_optional(&mut *conn)
                .await?;
        if known.is_none() {
            return Ok(None);
        }
        let rows: Vec<DeliveryRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {DELIVERY_COLUMNS} FROM webhook_deliveries \
             WHERE subscription_id = $1 AND id < $2 ORDER BY id DESC LIMIT $3"
        )))
        .bind(id)
        .bind(before.unwrap_or(i64::MAX))
        .bind(i64::from(limit))
        .fetch_all(&mut *conn)
        .await?;
        rows.into_iter()
            .map(delivery)
            .collect::<Result<_, _>>()
            .map(Some)
    }

    /// Delivery `delivery` of subscription `subscription`, if there is one.
    pub async fn webhook_delivery(
        &self,
        subscription: i64,
        delivery_id: i64,
    ) -> Result<Option<Delivery>, StoreError> {
        let row: Option<DeliveryRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {DELIVERY_COLUMNS} FROM webhook_deliveries WHERE id = $1 AND subscription_id = $2"
        )))
        .bind(delivery_id)
        .bind(subscription)
        .fetch_optional(&self.pool)
        .await?;
        row.map(delivery).transpose()
    }

    /// Replays delivery `delivery` of `subscription`: a new pending
    /// delivery of the same event (same id and body), due now. `None` when
    /// there is no such delivery.
    pub async fn replay_webhook_delivery(
        &self,
        subscription: i64,
        delivery_id: i64,
    ) -> Result<Option<Delivery>, StoreError> {
        let now = Utc::now().timestamp_millis();
        let id: Option<i64> = sqlx::query_scalar(
            "INSERT INTO webhook_deliveries \
             (subscription_id, event_id, event_type, person_id, payload, created_ms, status, attempts, next_attempt_ms, replay_of) \
             SELECT subscription_id, event_id, event_type, person_id, payload, CAST($1 AS BIGINT), 'pending', 0, \
             CAST($1 AS BIGINT), id FROM webhook_deliveries WHERE id = $2 AND subscription_id = $3 \
             RETURNING id",
        )
        .bind(now)
        .bind(delivery_id)
        .bind(subscription)
        .fetch_optional(&self.pool)
        .await?;
        match id {
            Some(id) => self.webhook_delivery(subscription, id).await,
            None => Ok(None),
        }
    }

    /// Claims up to `limit` deliveries due at `now_ms` for `owner` until
    /// `now_ms + lease_ms`: pending, due, and not claimed by a lease still
    /// running. On PostgreSQL rows another instance is claiming are skipped.
    pub async fn claim_webhook_deliveries(
        &self,
        owner: &str,
        now_ms: i64,
        lease_ms: i64,
        limit: u32,
    ) -> Result<Vec<Claimed>, StoreError> {
        let mut tx = self.pool.begin().await?;
        let rows = lease::claim(
            &mut tx,
            self.backend(),
            Outbox::WebhookDeliveries,
            "subscription_id, event_id, payload",
            owner,
            (now_ms, lease_ms, limit),
        )
        .await?;
        let targets: Vec<(i64, String, String)> = if rows.is_empty() {
            Vec::new()
        } else {
            sqlx::query_as("SELECT id, url, secret FROM webhook_subscriptions")
                .fetch_all(&mut *tx)
                .await?
        };
        tx.commit().await?;
        let mut claimed: Vec<Claimed> = rows
            .into_iter()
            .filter_map(
                |(id, subscription, event_id, payload, attempts, created_ms)| {
                    let (_, url, secret) = targets.iter().find(|t| t.0 == subscription)?;
                    Some(Claimed {
                        id,
                        event_id,
                        payload,
                        url: url.clone(),
                        secret: secret.clone(),
                        attempts,
                        created_ms,
                    })
                },
            )
            .collect();
        claimed.sort_by_key(|c| c.id);
        Ok(claimed)
    }

    /// Records the outcome of attempts made at `at_ms` by `owner`, in one
    /// transaction; an outcome for a delivery whose lease `owner` lost (it
    /// expired and another instance took it) is dropped. Returns how many
    /// deliveries were recorded as delivered.
    pub async fn finish_webhook_deliveries(
        &self,
        owner: &str,
        at_ms: i64,
        outcomes: &[(i64, Attempt)],
    ) -> Result<u64, StoreError> {
        if outcomes.is_empty() {
            return Ok(0);
        }
        let mut delivered = 0;
        let mut tx = self.pool.begin().await?;
        for (id, attempt) in outcomes {
            let (status, next_ms, code, error) = match attempt {
                Attempt::Delivered { status } => {
                    (DeliveryStatus::Delivered, None, Some(*status), None)
                }
                Attempt::Retry {
                    next_ms,
                    status,
                    error,
                } => (
                    DeliveryStatus::Pending,
                    Some(*next_ms),
                    *status,
                    Some(clip(error)),
                ),
                Attempt::Failed { status, error } => {
                    (DeliveryStatus::Failed, None, *status, Some(clip(error)))
                }
            };
            let recorded = sqlx::query(
                "UPDATE webhook_deliveries SET status = $1, attempts = attempts + 1, \
                 next_attempt_ms = COALESCE($2, next_attempt_ms), last_attempt_ms = $3, \
                 last_status = $4, last_error = $5, lease_owner = NULL, lease_until_ms = NULL \
                 WHERE id = $6 AND lease_owner = $7",
            )
            .bind(status.as_str())
            .bind(next_ms)
            .bind(at_ms)
            .bind(code.map(i64::from))
            .bind(error)
            .bind(*id)
            .bind(owner)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if status == DeliveryStatus::Delivered {
                delivered += recorded;
            }
        }
        tx.commit().await?;
        Ok(delivered)
    }

    /// Drops every lease: for a SQLite database at start, where the one
    /// process that delivers is this one, so a lease left by a crash is not
    /// waited out.
    pub async fn release_webhook_leases(&self) -> Result<u64, StoreError> {
        let mut conn = self.pool.acquire().await?;
        lease::release_all(&mut conn, Outbox::WebhookDeliveries).await
    }

    /// How many deliveries are in each state, for metrics and tests:
    /// `(pending, delivered, failed)`.
    pub async fn webhook_delivery_counts(&self) -> Result<(i64, i64, i64), StoreError> {
        let rows: Vec<(String, i64)> =
            sqlx::query_as("SELECT status, COUNT(*) FROM webhook_deliveries GROUP BY status")
                .fetch_all(&self.pool)
                .await?;
        let count = |s: DeliveryStatus| {
            rows.iter()
                .find(|(status, _)| status == s.as_str())
                .map_or(0, |(_, n)| *n)
        };
        Ok((
            count(DeliveryStatus::Pending),
            count(DeliveryStatus::Delivered),
            count(DeliveryStatus::Failed),
        ))
    }
}
