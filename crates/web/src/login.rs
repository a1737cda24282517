//! Logging in and out from the browser. The form is handed to the API's
//! own `POST /api/v1/login` and `POST /api/v1/logout` inside the process,
//! so the pages get the very same sessions, cookie flags (HttpOnly,
//! SameSite=Lax, Secure behind TLS) and failed-login limits as API clients.

use std::net::SocketAddr;

use askama::Template;
use axum::Form;
use axum::body::Body;
use axum::extract::{ConnectInfo, FromRequestParts, Query, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Method, Request, StatusCode, header};
use axum::response::{IntoResponse, Response};
use climb_server::AppState;
use climb_server::auth::new_secret;
use serde::Deserialize;
use tower::ServiceExt;

use crate::csrf::{LOGIN_COOKIE, cookie};
use crate::error::PageError;

/// The login page.
#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    csrf: String,
    next: String,
    email: String,
    error: Option<&'static str>,
    /// The identity provider's name, when single sign-on is on.
    sso: Option<String>,
    /// `/login/oidc` with `next` in its query.
    sso_start: String,
    /// Whether to show the password form.
    password_form: bool,
    /// Whether the form is the administrators' break-glass login.
    break_glass: bool,
}

impl LoginPage {
    fn new(state: &AppState, csrf: String, next: String, local: bool) -> Self {
        let sso_start = format!(
            "{}?{}",
            climb_server::oidc::START_PATH,
            serde_urlencoded::to_string([("next", next.as_str())]).unwrap_or_default()
        );
        let break_glass = !state.password_login();
        Self {
            csrf,
            next,
            email: String::new(),
            error: None,
            sso: state.oidc().map(|o| o.settings().provider_name.clone()),
            sso_start,
            password_form: state.password_login() || local,
            break_glass,
        }
    }
}

/// Where to go after logging in, and whether to show the password form
/// when password login is off (`local=1`, the break-glass login).
#[derive(Debug, Deserialize)]
pub(crate) struct NextQuery {
    next: Option<String>,
    #[serde(default)]
    local: Option<String>,
}

impl NextQuery {
    /// The `next` parameter as sent.
    pub(crate) fn next(&self) -> Option<&str> {
        self.next.as_deref()
    }
}

/// The login form.
#[derive(Deserialize)]
pub(crate) struct LoginForm {
    email: String,
    password: String,
    #[serde(default)]
    next: String,
}

impl std::fmt::Debug for LoginForm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LoginForm")
            .field("email", &self.email)
            .finish_non_exhaustive()
    }
}

/// The address the request came from, when served over a socket.
#[derive(Debug)]
pub(crate) struct Peer(Option<SocketAddr>);

impl<S: Send + Sync> FromRequestParts<S> for Peer {
    type Rejection = PageError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, PageError> {
        Ok(Self(
            parts
                .extensions
                .get::<ConnectInfo<SocketAddr>>()
                .map(|c| c.0),
        ))
    }
}

/// A local path to return to, never another site.
pub(crate) fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n) if n.starts_with('/') && !n.starts_with("//") && !n.contains('\\') => n.to_owned(),
        _ => "/".to_owned(),
    }
}

pub(crate) fn behind_tls(headers: &HeaderMap) -> bool {
    headers
        .get("x-forwarded-proto")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|p| p.eq_ignore_ascii_case("https"))
}

/// `GET /login`: the form, with a fresh pre-session CSRF cookie when the
/// browser has none.
pub(crate) async fn login_page(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(query): Query<NextQuery>,
) -> Result<Response, PageError> {
    let (token, fresh) = match cookie(&headers, LOGIN_COOKIE) {
        Some(token) => (token, false),
        None => (new_secret("")?, true),
    };
    let local = query.local.as_deref() == Some("1");
    let page = LoginPage::new(
        &state,
        token.clone(),
        safe_next(query.next.as_deref()),
        local,
    );
    let mut response = crate::page::render(&page)?;
    if fresh {
        let secure = if behind_tls(&headers) { "; Secure" } else { "" };
        if let Ok(value) = HeaderValue::from_str(&format!(
            "{LOGIN_COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict{secure}"
        )) {
            response.headers_mut().insert(header::SET_COOKIE, value);
        }
    }
    Ok(response)
}

/// `POST /login`: starts a session and goes on to `next`; shows the form
/// again with the reason when the API refuses.
pub(crate) async fn login(
    State(state): State<AppState>,
    Peer(peer): Peer,
    headers: HeaderMap,
    Form(form): Form<LoginForm>,
) -> Result<Response, PageError> {
    let next = safe_next(Some(&form.next));
    let body = serde_json::json!({ "email": form.email.trim(), "password": form.password });
    let mut request = Request::builder()
        .method(Method::POST)
        .uri("/api/v1/login")
        .header(header::CONTENT_TYPE, "application/json");
    for name in [
        header::COOKIE,
        header::HeaderName::from_static("x-forwarded-proto"),
    ] {
        if let Some(value) = headers.get(&name) {
            request = request.header(name, value);
        }
    }
    let mut request = request
        .body(Body::from(body.to_string()))
        .map_err(|_| PageError::Status(StatusCode::BAD_REQUEST, "The form could not be read."))?;
    if let Some(peer) = peer {
        request.extensions_mut().insert(ConnectInfo(peer));
    }
    let Ok(answer) = climb_server::app(state.clone()).oneshot(request).await;
    let error = match answer.status() {
        StatusCode::OK => {
            let mut response = StatusCode::SEE_OTHER.into_response();
            let out = response.headers_mut();
            if let Some(session) = answer.headers().get(header::SET_COOKIE) {
                out.append(header::SET_COOKIE, session.clone());
            }
            out.append(
                header::SET_COOKIE,
                HeaderValue::from_static(
                    "climb_csrf=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0",
                ),
            );
            if let Ok(location) = HeaderValue::from_str(&next) {
                out.insert(header::LOCATION, location);
            }
            return Ok(response);
        }
        StatusCode::BAD_REQUEST => "That does not look like an email address.",
        StatusCode::TOO_MANY_REQUESTS => {
            "Too many failed attempts. Wait a few minutes and try again."
        }
        StatusCode::UNAUTHORIZED => "Wrong email or password, or this login is no longer active.",
        StatusCode::FORBIDDEN => {
            "Password login is switched off for everyone but administrators. Sign in with single sign-on."
        }
        _ => "Logging in failed on our side. Try again in a moment.",
    };
    let mut page = LoginPage::new(
        &state,
        cookie(&headers, LOGIN_COOKIE).unwrap_or_default(),
        next,
        true,
    );
    page.email = form.email;
    page.error = Some(error);
    let mut response = crate::page::render(&page)?;
    *response.status_mut() = answer.status();
    Ok(response)
}

/// `POST /logout`: ends the session and goes to the login page.
pub(crate) async fn logout(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Response, PageError> {
    let mut request = Request::builder()
        .method(Method::POST)
        .uri("/api/v1/logout");
    for name in [header::COOKIE, header::HOST] {
        if let Some(value) = headers.get(&name) {
            request = request.header(name, value);
        }
    }
    let request = request
        .body(Body::empty())
        .map_err(|_| PageError::Status(StatusCode::BAD_REQUEST, "The form could not be read."))?;
    let Ok(answer) = climb_server::app(state).oneshot(request).await;
    let mut response = StatusCode::SEE_OTHER.into_response();
    let out = response.headers_mut();
    if let Some(clear) = answer.headers().get(header::SET_COOKIE) {
        out.insert(header::SET_COOKIE, clear.clone());
    }
    out.insert(header::LOCATION, HeaderValue::from_static("/login"));
    Ok(response)
}
