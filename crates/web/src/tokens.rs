//! The visitor's own account page: the time zone their pages show times
//! in, which mail they receive (immediate notices and the weekly digest,
//! each switched on or off; the footer of every mail links here), and
//! their personal API tokens (the list, creating one, whose secret
//! is shown once, and revoking one). The token forms call the API's own
//! token endpoints inside the process with the visitor's session, so
//! revoking also clears the API's credential cache at once.

use askama::Template;
use axum::Form;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, Method, Request, StatusCode, header};
use axum::response::{IntoResponse, Response};
use climb_server::AppState;
use climb_store::MailSettings;
use serde::Deserialize;
use serde_json::Value;
use tower::ServiceExt;

use crate::error::PageError;
use crate::page::{Layout, Viewer, render_form};

/// A token in the list.
#[derive(Debug)]
struct Token {
    id: i64,
    name: String,
    created: String,
}

#[derive(Template)]
#[template(path = "tokens.html")]
struct TokensPage {
    layout: Layout,
    tokens: Vec<Token>,
    created: Option<(String, String)>,
    problem: Option<String>,
    /// Every IANA zone, for the time-zone field's suggestions.
    zones: Vec<&'static str>,
    /// The time-zone field as typed (or as saved).
    zone_typed: String,
    /// Why the typed zone was refused.
    zone_problem: Option<String>,
    /// Which mail the visitor receives.
    mail: MailSettings,
    /// Whether this server sends mail at all (an SMTP server is configured).
    mail_on: bool,
}

/// Calls the API as the visitor; answers its status and JSON body.
pub(crate) async fn api(
    state: &AppState,
    headers: &HeaderMap,
    method: Method,
    path: &str,
    body: Option<Value>,
) -> Result<(StatusCode, Value), PageError> {
    let mut request = Request::builder().method(method).uri(path);
    for name in [header::COOKIE, header::HOST] {
        if let Some(value) = headers.get(&name) {
            request = request.header(name, value);
        }
    }
    let request = match body {
        Some(body) => request
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(body.to_string())),
        None => request.body(Body::empty()),
    }
    .map_err(|_| PageError::Status(StatusCode::BAD_REQUEST, "The request could not be built."))?;
    let Ok(answer) = climb_server::app(state.clone()).oneshot(request).await;
    let status = answer.status();
    let bytes = axum::body::to_bytes(answer.into_body(), 4 * 1024 * 1024)
        .await
        .map_err(|_| PageError::Status(StatusCode::BAD_GATEWAY, "The answer could not be read."))?;
    Ok((
        status,
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    ))
}

/// What the time-zone form shows: as typed and why it was refused, or
/// nothing typed.
#[derive(Debug, Default)]
struct ZoneForm {
    typed: Option<String>,
    problem: Option<String>,
}

async fn page(
    state: &AppState,
    viewer: Viewer,
    headers: &HeaderMap,
    created: Option<(String, String)>,
    problem: Option<String>,
) -> Result<Response, PageError> {
    page_with_zone(
        state,
        viewer,
        headers,
        created,
        problem,
        ZoneForm::default(),
    )
    .await
}

async fn page_with_zone(
    state: &AppState,
    viewer: Viewer,
    headers: &HeaderMap,
    created: Option<(String, String)>,
    problem: Option<String>,
    zone: ZoneForm,
) -> Result<Response, PageError> {
    let (status, body) = api(
        state,
        headers,
        Method::GET,
        "/api/v1/tokens?limit=100",
        None,
    )
    .await?;
    if !status.is_success() {
        return Err(PageError::Status(
            status,
            "Your tokens could not be listed.",
        ));
    }
    let tokens = body["tokens"]
        .as_array()
        .map(|tokens| {
            tokens
                .iter()
                .map(|t| Token {
                    id: t["id"].as_i64().unwrap_or(0),
                    name: t["name"].as_str().unwrap_or("").to_owned(),
                    created: t["created_at"]
                        .as_str()
                        .unwrap_or("")
                        .chars()
                        .take(10)
                        .collect(),
                })
                .collect()
        })
        .unwrap_or_default();
    let refused = zone.problem.is_some();
    let mail = state
        .store()
        .mail_settings(viewer.user.account.id)
        .await
        .map_err(climb_server::ApiError::from)?;
    let zone_typed = zone.typed.unwrap_or_else(|| {
        if viewer.layout.zone_chosen {
            viewer.layout.zone.name().to_owned()
        } else {
            String::new()
        }
    });
    render_form(
        &TokensPage {
            layout: viewer.layout.at("tokens"),
            tokens,
            created,
            problem,
            zones: chrono_tz::TZ_VARIANTS.iter().map(|z| z.name()).collect(),
            zone_typed,
            zone_problem: zone.problem,
            mail,
            mail_on: state.store().mail_enabled(),
        },
        refused,
    )
}

/// The time-zone form.
#[derive(Debug, Deserialize)]
pub(crate) struct ZoneChoice {
    #[serde(default)]
    time_zone: String,
}

/// `POST /tokens/time-zone`: saves the zone the visitor's pages show times
/// in; empty follows the browser. An unknown zone comes back as typed.
pub(crate) async fn set_time_zone(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Form(form): Form<ZoneChoice>,
) -> Result<Response, PageError> {
    let typed = form.time_zone.trim();
    let zone = if typed.is_empty() {
        None
    } else {
        match climb_management::one_on_one::parse_zone(typed) {
            Ok(zone) => Some(zone),
            Err(_) => {
                let problem = format!(
                    "“{typed}” is not a time zone climb knows: choose one from the list, such as Europe/Berlin or America/New_York, or leave the field empty to follow your browser."
                );
                let form = ZoneForm {
                    typed: Some(typed.to_owned()),
                    problem: Some(problem),
                };
                return page_with_zone(&state, viewer, &headers, None, None, form).await;
            }
        }
    };
    state
        .store()
        .set_account_time_zone(viewer.user.account.id, zone.map(|z| z.name()))
        .await
        .map_err(climb_server::ApiError::from)?;
    Ok(crate::one_on_ones::see_other("/tokens"))
}

/// The mail form: a checkbox sends its field only when it is ticked.
#[derive(Debug, Deserialize)]
pub(crate) struct MailChoice {
    #[serde(default)]
    notices: Option<String>,
    #[serde(default)]
    digest: Option<String>,
}

/// `POST /tokens/mail`: saves which mail the visitor receives.
pub(crate) async fn set_mail(
    State(state): State<AppState>,
    viewer: Viewer,
    Form(form): Form<MailChoice>,
) -> Result<Response, PageError> {
    let settings = MailSettings {
        notices: form.notices.is_some(),
        digest: form.digest.is_some(),
    };
    state
        .store()
        .set_mail_settings(viewer.user.account.id, settings)
        .await
        .map_err(climb_server::ApiError::from)?;
    Ok(crate::one_on_ones::see_other("/tokens#mail"))
}

/// `GET /tokens`: the visitor's tokens.
pub(crate) async fn list(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
) -> Result<Response, PageError> {
    page(&state, viewer, &headers, None, None).await
}

/// The new-token form.
#[derive(Debug, Deserialize)]
pub(crate) struct NewToken {
    name: String,
}

/// `POST /tokens`: creates a token and shows its secret once.
pub(crate) async fn create(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Form(form): Form<NewToken>,
) -> Result<Response, PageError> {
    let body = serde_json::json!({ "name": form.name.trim() });
    let (status, answer) =
        api(&state, &headers, Method::POST, "/api/v1/tokens", Some(body)).await?;
    let (created, problem) = if status.is_success() {
        let name = answer["name"].as_str().unwrap_or("").to_owned();
        let secret = answer["token"].as_str().unwrap_or("").to_owned();
        (Some((name, secret)), None)
    } else {
        let message = answer["error"]["message"]
            .as_str()
            .unwrap_or("The token could not be created.")
            .to_owned();
        (None, Some(message))
    };
    let mut response = page(&state, viewer, &headers, created, problem).await?;
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}

/// `POST /tokens/{id}/revoke`: revokes one of the visitor's tokens.
pub(crate) async fn revoke(
    State(state): State<AppState>,
    _viewer: Viewer,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let id: i64 = id
        .parse()
        .map_err(|_| PageError::Status(StatusCode::NOT_FOUND, "There is no such token."))?;
    let (status, _) = api(
        &state,
        &headers,
        Method::DELETE,
        &format!("/api/v1/tokens/{id}"),
        None,
    )
    .await?;
    if !status.is_success() {
        return Err(PageError::Status(
            status,
            "That token could not be revoked.",
        ));
    }
    let mut response = StatusCode::SEE_OTHER.into_response();
    response
        .headers_mut()
        .insert(header::LOCATION, HeaderValue::from_static("/tokens"));
    Ok(response)
}
