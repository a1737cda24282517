//! Outgoing webhooks (administrators only): subscribe an http(s) URL to
//! event types (the signing secret is made here and shown once, in the
//! answer to the creation), list and delete subscriptions, list a
//! subscription's deliveries newest first, and replay one (a new attempt of
//! the same event, with the same `webhook-id`).

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::{DateTime, TimeZone, Utc};
use climb_people::policy::Action;
use climb_store::{Delivery, Subscription};
use climb_webhooks::{EventType, Secret, check_target};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::api::framework::PageQuery;
use crate::auth::Authenticated;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{ApiJson, ApiPath, ApiQuery};
use crate::pagination::{Page, encode};
use crate::state::AppState;

pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_webhooks, create_webhook))
        .routes(routes!(delete_webhook))
        .routes(routes!(list_deliveries))
        .routes(routes!(replay_delivery))
}

/// A new subscription.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WebhookRequest {
    /// Where deliveries are posted: an absolute http or https URL.
    #[schema(example = "https://hooks.example.com/climb")]
    pub url: String,
    /// The event types to receive (at least one): `person.hired`,
    /// `person.role_changed`, `person.manager_changed`, `person.left`,
    /// `designation.started`, `designation.ended`, `promotion.decided`,
    /// `review.signed`.
    #[schema(example = json!(["person.hired", "person.left"]))]
    pub events: Vec<String>,
}

/// A subscription.
#[derive(Debug, Serialize, ToSchema)]
pub struct WebhookView {
    /// Id.
    pub id: i64,
    /// Where deliveries are posted.
    pub url: String,
    /// The event types it receives.
    pub events: Vec<String>,
    /// When it was created.
    pub created_at: DateTime<Utc>,
}

impl From<Subscription> for WebhookView {
    fn from(s: Subscription) -> Self {
        Self {
            id: s.id,
            url: s.url,
            events: s.events.iter().map(|e| e.as_str().to_owned()).collect(),
            created_at: s.created_at,
        }
    }
}

/// A subscription just created: the only time its secret is shown.
#[derive(Debug, Serialize, ToSchema)]
pub struct CreatedWebhook {
    /// The subscription.
    #[serde(flatten)]
    pub webhook: WebhookView,
    /// The signing secret, `whsec_` and base64 (Standard Webhooks).
    pub secret: String,
}

/// Every subscription.
#[derive(Debug, Serialize, ToSchema)]
pub struct WebhookList {
    /// By id.
    pub webhooks: Vec<WebhookView>,
}

/// One delivery of one event to one subscription.
#[derive(Debug, Serialize, ToSchema)]
pub struct DeliveryView {
    /// Id.
    pub id: i64,
    /// The event's id, sent as `webhook-id`; the same on every attempt and replay.
    pub event_id: String,
    /// The event type.
    pub event_type: String,
    /// `pending`, `delivered` or `failed` (given up).
    #[schema(example = "delivered")]
    pub status: String,
    /// Attempts made.
    pub attempts: i64,
    /// When it was written.
    pub created_at: DateTime<Utc>,
    /// When the next attempt is due (pending deliveries).
    pub next_attempt_at: Option<DateTime<Utc>>,
    /// When the last attempt was made.
    pub last_attempt_at: Option<DateTime<Utc>>,
    /// The HTTP status of the last attempt's answer.
    pub last_status: Option<i64>,
    /// Why the last attempt failed.
    pub last_error: Option<String>,
    /// The delivery this one replays.
    pub replay_of: Option<i64>,
}

fn time(ms: i64) -> DateTime<Utc> {
    Utc.timestamp_millis_opt(ms).single().unwrap_or_default()
}

impl From<Delivery> for DeliveryView {
    fn from(d: Delivery) -> Self {
        let pending = d.status == climb_store::DeliveryStatus::Pending;
        Self {
            id: d.id,
            event_id: d.event_id,
            event_type: d.event_type,
            status: d.status.as_str().to_owned(),
            attempts: d.attempts,
            created_at: time(d.created_ms),
            next_attempt_at: pending.then(|| time(d.next_attempt_ms)),
            last_attempt_at: d.last_attempt_ms.map(time),
            last_status: d.last_status,
            last_error: d.last_error,
            replay_of: d.replay_of,
        }
    }
}

/// A subscription's deliveries, one page.
#[derive(Debug, Serialize, ToSchema)]
pub struct DeliveryList {
    /// Newest first.
    pub deliveries: Vec<DeliveryView>,
    /// Cursor of the next (older) page.
    pub next_cursor: Option<String>,
}

/// Refuses anyone but an administrator, before anything else is looked at.
pub(crate) async fn administrator(state: &AppState, user: &Authenticated) -> Result<(), ApiError> {
    let org = state.org().await?;
    user.act(
        &org,
        &state.framework(),
        &Action::Administer,
        "manage webhooks",
    )
}

/// A fresh signing secret: 32 random bytes.
pub(crate) fn new_webhook_secret() -> Result<Secret, ApiError> {
    let mut key = [0u8; 32];
    getrandom::fill(&mut key)
        .map_err(|e| ApiError::internal(std::io::Error::other(e.to_string())))?;
    Secret::from_key(&key).map_err(ApiError::internal)
}

/// The event types of a request, each known, at least one.
pub(crate) fn event_types<S: AsRef<str>>(names: &[S]) -> Result<Vec<EventType>, ApiError> {
    if names.is_empty() {
        return Err(ApiError::bad_request(
            "no_events",
            "a subscription names at least one event type",
        ));
    }
    names
        .iter()
        .map(|name| {
            EventType::parse(name.as_ref()).ok_or_else(|| {
                ApiError::bad_request(
                    "unknown_event_type",
                    format!("`{}` is not an event type", name.as_ref()),
                )
            })
        })
        .collect()
}

/// Checks the URL and event types and creates the subscription; the answer
/// carries the secret.
pub(crate) async fn subscribe<S: AsRef<str>>(
    state: &AppState,
    url: &str,
    events: &[S],
) -> Result<CreatedWebhook, ApiError> {
    let target =
        check_target(url).map_err(|e| ApiError::bad_request("invalid_url", e.to_string()))?;
    let events = event_types(events)?;
    let secret = new_webhook_secret()?.to_text();
    let created = state
        .store()
        .create_webhook(target.as_str(), &secret, &events)
        .await?;
    Ok(CreatedWebhook {
        webhook: created.into(),
        secret,
    })
}

/// Every webhook subscription.
#[utoipa::path(
    get,
    path = "/api/v1/webhooks",
    tag = "webhooks",
    responses(
        (status = 200, description = "The subscriptions", body = WebhookList),
        (status = 401, description = "No or bad token", body = ErrorBody),
        (status = 403, description = "Only administrators manage webhooks", body = ErrorBody),
    )
)]
pub(crate) async fn list_webhooks(
    State(state): State<AppState>,
    user: Authenticated,
) -> Result<Json<WebhookList>, ApiError> {
    administrator(&state, &user).await?;
    let webhooks = state.store().webhooks().await?;
    Ok(Json(WebhookList {
        webhooks: webhooks.into_iter().map(WebhookView::from).collect(),
    }))
}

/// Subscribes a URL to event types; the signing secret is in the answer only.
#[utoipa::path(
    post,
    path = "/api/v1/webhooks",
    tag = "webhooks",
    request_body = WebhookRequest,
    responses(
        (status = 201, description = "Subscribed", body = CreatedWebhook),
        (status = 400, description = "Malformed body, a URL that is not http(s), or an unknown event type", body = ErrorBody),
        (status = 401, description = "No or bad token", body = ErrorBody),
        (status = 403, description = "Only administrators manage webhooks", body = ErrorBody),
        (status = 413, description = "Body over 1 MiB", body = ErrorBody),
    )
)]
pub(crate) async fn create_webhook(
    State(state): State<AppState>,
    user: Authenticated,
    ApiJson(body): ApiJson<WebhookRequest>,
) -> Result<(StatusCode, Json<CreatedWebhook>), ApiError> {
    administrator(&state, &user).await?;
    let created = subscribe(&state, &body.url, &body.events).await?;
    Ok((StatusCode::CREATED, Json(created)))
}

/// Deletes a subscription and its deliveries; nothing more is sent to it.
#[utoipa::path(
    delete,
    path = "/api/v1/webhooks/{id}",
    tag = "webhooks",
    params(("id" = i64, Path, description = "Subscription id")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 400, description = "Malformed id", body = ErrorBody),
        (status = 401, description = "No or bad token", body = ErrorBody),
        (status = 403, description = "Only administrators manage webhooks", body = ErrorBody),
        (status = 404, description = "No such subscription", body = ErrorBody),
    )
)]
pub(crate) async fn delete_webhook(
    State(state): State<AppState>,
    user: Authenticated,
    ApiPath(id): ApiPath<i64>,
) -> Result<StatusCode, ApiError> {
    administrator(&state, &user).await?;
    if state.store().delete_webhook(id).await? {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(unknown_webhook(id))
    }
}

fn unknown_webhook(id: i64) -> ApiError {
    ApiError::not_found("unknown_webhook", format!("there is no webhook {id}"))
}

/// A subscription's deliveries, newest first.
#[utoipa::path(
    get,
    path = "/api/v1/webhooks/{id}/deliveries",
    tag = "webhooks",
    params(("id" = i64, Path, description = "Subscription id"), PageQuery),
    responses(
        (status = 200, description = "One page of deliveries", body = DeliveryList),
        (status = 400, description = "Malformed id or query", body = ErrorBody),
        (status = 401, description = "No or bad token", body = ErrorBody),
        (status = 403, description = "Only administrators manage webhooks", body = ErrorBody),
        (status = 404, description = "No such subscription", body = ErrorBody),
    )
)]
pub(crate) async fn list_deliveries(
    State(state): State<AppState>,
    user: Authenticated,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(query): ApiQuery<PageQuery>,
) -> Result<Json<DeliveryList>, ApiError> {
    administrator(&state, &user).await?;
    let page = Page::parse(query.limit, query.cursor.as_deref())?;
    let limit = u32::try_from(page.limit + 1).unwrap_or(u32::MAX);
    let mut found = state
        .store()
        .webhook_deliveries(id, page.after, limit)
        .await?
        .ok_or_else(|| unknown_webhook(id))?;
    let next_cursor = if found.len() > page.limit {
        found.truncate(page.limit);
        found.last().map(|d| encode(d.id))
    } else {
        None
    };
    Ok(Json(DeliveryList {
        deliveries: found.into_iter().map(DeliveryView::from).collect(),
        next_cursor,
    }))
}

/// Replays a delivery: a new delivery of the same event (same `webhook-id`
/// and body), due at once.
#[utoipa::path(
    post,
    path = "/api/v1/webhooks/{id}/deliveries/{delivery}/replay",
    tag = "webhooks",
    params(
        ("id" = i64, Path, description = "Subscription id"),
        ("delivery" = i64, Path, description = "Delivery id"),
    ),
    responses(
        (status = 201, description = "The new delivery", body = DeliveryView),
        (status = 400, description = "Malformed id", body = ErrorBody),
        (status = 401, description = "No or bad token", body = ErrorBody),
        (status = 403, description = "Only administrators manage webhooks", body = ErrorBody),
        (status = 404, description = "No such delivery of this subscription", body = ErrorBody),
    )
)]
pub(crate) async fn replay_delivery(
    State(state): State<AppState>,
    user: Authenticated,
    ApiPath((id, delivery)): ApiPath<(i64, i64)>,
) -> Result<(StatusCode, Json<DeliveryView>), ApiError> {
    administrator(&state, &user).await?;
    let replayed = state
        .store()
        .replay_webhook_delivery(id, delivery)
        .await?
        .ok_or_else(|| {
            ApiError::not_found(
                "unknown_delivery",
                format!("webhook {id} has no delivery {delivery}"),
            )
        })?;
    Ok((StatusCode::CREATED, Json(replayed.into())))
}
