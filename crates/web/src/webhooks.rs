//! Administration of outgoing webhooks: the subscriptions, each with its
//! most recent deliveries (status, attempts, last answer or error) and a
//! replay button; a form to subscribe a URL to event types, whose answer
//! shows the signing secret this once; deleting a subscription. The page
//! goes through the API's webhook endpoints inside the process with the
//! visitor's session, so the policy and the checks are the API's.

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::Response;
use climb_people::policy::Action;
use climb_server::AppState;
use climb_webhooks::EventType;
use serde_json::{Value, json};

use crate::error::PageError;
use crate::page::{Layout, Viewer, render};
use crate::tokens::api;

/// How many deliveries the page shows per subscription.
const RECENT: usize = 10;

/// A delivery as listed.
#[derive(Debug)]
struct DeliveryRow {
    id: i64,
    event_id: String,
    event_type: String,
    status: String,
    attempts: i64,
    created_at: String,
    last: String,
}

/// A time of the API as `YYYY-MM-DD HH:MM:SS`.
fn when(value: &Value) -> String {
    value
        .as_str()
        .map(|t| t.chars().take(19).collect::<String>().replace('T', " "))
        .unwrap_or_default()
}

impl DeliveryRow {
    fn of(d: &Value) -> Self {
        let last = match (d["last_status"].as_i64(), d["last_error"].as_str()) {
            (_, Some(error)) => error.to_owned(),
            (Some(status), None) => format!("answered {status}"),
            (None, None) => String::new(),
        };
        Self {
            id: d["id"].as_i64().unwrap_or(0),
            event_id: d["event_id"].as_str().unwrap_or("").to_owned(),
            event_type: d["event_type"].as_str().unwrap_or("").to_owned(),
            status: d["status"].as_str().unwrap_or("").to_owned(),
            attempts: d["attempts"].as_i64().unwrap_or(0),
            created_at: when(&d["created_at"]),
            last,
        }
    }
}

/// A subscription with its recent deliveries.
#[derive(Debug)]
struct SubscriptionRow {
    id: i64,
    url: String,
    events: Vec<String>,
    created_at: String,
    deliveries: Vec<DeliveryRow>,
}

#[derive(Template)]
#[template(path = "admin_webhooks.html")]
struct WebhooksPage {
    layout: Layout,
    subscriptions: Vec<SubscriptionRow>,
    event_types: Vec<&'static str>,
    notice: Option<String>,
    /// The secret of the subscription just made, shown once.
    secret: Option<String>,
    problem: Option<String>,
    /// The URL typed into a refused form.
    typed_url: String,
}

/// What the page shows besides the lists.
#[derive(Debug, Default)]
struct Outcome {
    notice: Option<String>,
    secret: Option<String>,
    problem: Option<String>,
    typed_url: String,
}

/// Refuses (403) anyone but an administrator before a form is looked at.
async fn administrator(state: &AppState, viewer: &Viewer) -> Result<(), PageError> {
    let org = state.org().await?;
    viewer.user.act(
        &org,
        &state.framework(),
        &Action::Administer,
        "administer webhooks",
    )?;
    Ok(())
}

/// The message of an API error answer.
fn message(answer: &Value, fallback: &str) -> String {
    answer["error"]["message"]
        .as_str()
        .unwrap_or(fallback)
        .to_owned()
}

async fn page(
    state: &AppState,
    viewer: Viewer,
    headers: &HeaderMap,
    outcome: Outcome,
) -> Result<Response, PageError> {
    let (status, body) = api(state, headers, Method::GET, "/api/v1/webhooks", None).await?;
    if !status.is_success() {
        return Err(PageError::Status(
            status,
            "Only administrators manage webhooks.",
        ));
    }
    let mut subscriptions = Vec::new();
    for s in body["webhooks"].as_array().into_iter().flatten() {
        let id = s["id"].as_i64().unwrap_or(0);
        let path = format!("/api/v1/webhooks/{id}/deliveries?limit={RECENT}");
        let (status, found) = api(state, headers, Method::GET, &path, None).await?;
        let deliveries = if status.is_success() {
            found["deliveries"]
                .as_array()
                .map(|d| d.iter().map(DeliveryRow::of).collect())
                .unwrap_or_default()
        } else {
            Vec::new()
        };
        subscriptions.push(SubscriptionRow {
            id,
            url: s["url"].as_str().unwrap_or("").to_owned(),
            events: s["events"]
                .as_array()
                .map(|e| {
                    e.iter()
                        .filter_map(|e| e.as_str().map(str::to_owned))
                        .collect()
                })
                .unwrap_or_default(),
            created_at: when(&s["created_at"]),
            deliveries,
        });
    }
    let refused = outcome.problem.is_some();
    let mut response = render(&WebhooksPage {
        layout: viewer.layout.at("admin"),
        subscriptions,
        event_types: EventType::ALL.iter().map(|t| t.as_str()).collect(),
        notice: outcome.notice,
        secret: outcome.secret,
        problem: outcome.problem,
        typed_url: outcome.typed_url,
    })?;
    if refused {
        *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    // The page can hold a secret: never keep it in a cache.
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}

/// `GET /admin/webhooks`: the subscriptions and their recent deliveries.
pub(crate) async fn list(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
) -> Result<Response, PageError> {
    page(&state, viewer, &headers, Outcome::default()).await
}

/// `POST /admin/webhooks`: subscribes `url` to every `events` field checked.
pub(crate) async fn create(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    administrator(&state, &viewer).await?;
    let url = fields
        .iter()
        .find(|(k, _)| k == "url")
        .map(|(_, v)| v.trim().to_owned())
        .unwrap_or_default();
    let events: Vec<&str> = fields
        .iter()
        .filter(|(k, _)| k == "events")
        .map(|(_, v)| v.as_str())
        .collect();
    let (status, answer) = api(
        &state,
        &headers,
        Method::POST,
        "/api/v1/webhooks",
        Some(json!({ "url": url, "events": events })),
    )
    .await?;
    let outcome = if status.is_success() {
        Outcome {
            notice: Some(format!(
                "{} is subscribed. Copy its signing secret now: it is not shown again.",
                answer["url"].as_str().unwrap_or("The URL")
            )),
            secret: answer["secret"].as_str().map(str::to_owned),
            ..Outcome::default()
        }
    } else {
        Outcome {
            problem: Some(message(&answer, "The subscription could not be made.")),
            typed_url: url,
            ..Outcome::default()
        }
    };
    page(&state, viewer, &headers, outcome).await
}

/// A path id, or the page's 404.
fn id_of(raw: &str, what: &'static str) -> Result<i64, PageError> {
    raw.parse()
        .map_err(|_| PageError::Status(StatusCode::NOT_FOUND, what))
}

/// `POST /admin/webhooks/{id}/delete`: deletes a subscription.
pub(crate) async fn delete(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    administrator(&state, &viewer).await?;
    let id = id_of(&id, "There is no such webhook.")?;
    let path = format!("/api/v1/webhooks/{id}");
    let (status, answer) = api(&state, &headers, Method::DELETE, &path, None).await?;
    if status == StatusCode::NOT_FOUND {
        return Err(PageError::Status(status, "There is no such webhook."));
    }
    let outcome = if status.is_success() {
        Outcome {
            notice: Some("The subscription and its deliveries are deleted.".to_owned()),
            ..Outcome::default()
        }
    } else {
        Outcome {
            problem: Some(message(&answer, "The subscription could not be deleted.")),
            ..Outcome::default()
        }
    };
    page(&state, viewer, &headers, outcome).await
}

/// `POST /admin/webhooks/{id}/deliveries/{delivery}/replay`: sends the
/// delivery's event again, under the same id.
pub(crate) async fn replay(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Path((id, delivery)): Path<(String, String)>,
) -> Result<Response, PageError> {
    administrator(&state, &viewer).await?;
    let id = id_of(&id, "There is no such webhook.")?;
    let delivery = id_of(&delivery, "There is no such delivery.")?;
    let path = format!("/api/v1/webhooks/{id}/deliveries/{delivery}/replay");
    let (status, answer) = api(&state, &headers, Method::POST, &path, None).await?;
    if status == StatusCode::NOT_FOUND {
        return Err(PageError::Status(status, "There is no such delivery."));
    }
    let outcome = if status.is_success() {
        Outcome {
            notice: Some(format!(
                "Event {} will be sent again shortly.",
                answer["event_id"].as_str().unwrap_or("")
            )),
            ..Outcome::default()
        }
    } else {
        Outcome {
            problem: Some(message(&answer, "The delivery could not be replayed.")),
            ..Outcome::default()
        }
    };
    page(&state, viewer, &headers, outcome).await
}
