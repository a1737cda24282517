//! Single sign-on pages: `GET /login/oidc` sends the browser to the
//! identity provider, `GET /login/oidc/callback` takes it back, checks the
//! answer through `climb_server::oidc` and starts the same session as the
//! password login. A refused login gets a page saying why, a row in the
//! log of refused logins, and no session.
//!
//! The state, nonce and PKCE verifier are kept in the database (any
//! instance can finish the login) and taken once; the state is also set in
//! a short-lived cookie, so that only the browser that started a login can
//! finish it.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use climb_people::Email;
use climb_server::AppState;
use climb_server::auth::hash_secret;
use climb_server::oidc::{Oidc, Refusal};
use climb_store::{AccountId, PendingLogin};
use serde::Deserialize;

use crate::csrf::cookie;
use crate::error::PageError;
use crate::login::{NextQuery, behind_tls, safe_next};

/// The cookie holding the state of the login under way.
const STATE_COOKIE: &str = "climb_oidc";
/// How long a login may stay at the identity provider.
const LOGIN_TTL_SECS: i64 = 600;

/// The page of a refused single sign-on login.
#[derive(Template)]
#[template(path = "login_refused.html")]
struct RefusedPage {
    reason: &'static str,
}

/// What the identity provider sends back.
#[derive(Debug, Deserialize)]
pub(crate) struct Callback {
    code: Option<String>,
    state: Option<String>,
    error: Option<String>,
}

fn configured(state: &AppState) -> Result<&Oidc, PageError> {
    state.oidc().map(AsRef::as_ref).ok_or(PageError::Status(
        StatusCode::NOT_FOUND,
        "Single sign-on is not set up on this site.",
    ))
}

fn state_cookie(value: &str, max_age: i64, secure: bool) -> Option<HeaderValue> {
    let secure = if secure { "; Secure" } else { "" };
    // Lax: the provider brings the browser back with a top-level GET.
    HeaderValue::from_str(&format!(
        "{STATE_COOKIE}={value}; Path=/login/oidc; HttpOnly; SameSite=Lax; Max-Age={max_age}{secure}"
    ))
    .ok()
}

/// `GET /login/oidc`: starts a login at the identity provider.
pub(crate) async fn start(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(query): Query<NextQuery>,
) -> Result<Response, PageError> {
    let oidc = configured(&state)?;
    let begun = oidc.begin();
    let pending = PendingLogin {
        nonce: begun.nonce,
        pkce_verifier: begun.pkce_verifier,
        return_to: safe_next(query.next()),
        expires_at: Utc::now() + chrono::Duration::seconds(LOGIN_TTL_SECS),
    };
    state
        .store()
        .save_oidc_login(&hash_secret(&begun.state), &pending)
        .await
        .map_err(climb_server::ApiError::from)?;
    let mut response = StatusCode::SEE_OTHER.into_response();
    let out = response.headers_mut();
    let location = HeaderValue::from_str(&begun.url).map_err(|_| {
        PageError::Status(
            StatusCode::BAD_GATEWAY,
            "The identity provider's address cannot be used.",
        )
    })?;
    out.insert(header::LOCATION, location);
    if let Some(value) = state_cookie(&begun.state, LOGIN_TTL_SECS, behind_tls(&headers)) {
        out.insert(header::SET_COOKIE, value);
    }
    out.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}

/// `GET /login/oidc/callback`: finishes the login, or refuses it.
pub(crate) async fn callback(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(query): Query<Callback>,
) -> Result<Response, PageError> {
    let oidc = configured(&state)?;
    let secure = behind_tls(&headers);
    let outcome = finish(&state, oidc, &headers, query).await?;
    let mut response = match outcome {
        Ok((account, return_to)) => {
            let (_, _, session) =
                climb_server::api::session::start_session(&state, &account, &headers).await?;
            let mut response = StatusCode::SEE_OTHER.into_response();
            let out = response.headers_mut();
            out.append(header::SET_COOKIE, session);
            if let Ok(location) = HeaderValue::from_str(&return_to) {
                out.insert(header::LOCATION, location);
            }
            response
        }
        Err((refusal, account)) => {
            state
                .store()
                .record_login_refusal("oidc", refusal.code(), account)
                .await
                .map_err(climb_server::ApiError::from)?;
            tracing::info!(
                reason = refusal.code(),
                "a single sign-on login was refused"
            );
            let mut response = crate::page::render(&RefusedPage {
                reason: refusal.sentence(),
            })?;
            *response.status_mut() = match refusal {
                Refusal::StateMismatch | Refusal::UnknownState | Refusal::ProviderError => {
                    StatusCode::BAD_REQUEST
                }
                _ => StatusCode::FORBIDDEN,
            };
            response
        }
    };
    let out = response.headers_mut();
    if let Some(clear) = state_cookie("", 0, secure) {
        out.append(header::SET_COOKIE, clear);
    }
    out.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}

/// The account the callback logs into and where to go then, or why not
/// (with the account, when one was found).
type Outcome = Result<(climb_store::Account, String), (Refusal, Option<AccountId>)>;

async fn finish(
    state: &AppState,
    oidc: &Oidc,
    headers: &HeaderMap,
    query: Callback,
) -> Result<Outcome, PageError> {
    let Callback {
        code,
        state: returned,
        error,
    } = query;
    let expected = cookie(headers, STATE_COOKIE).filter(|s| !s.is_empty());
    let Some(returned) = returned.filter(|s| Some(s) == expected.as_ref()) else {
        return Ok(Err((Refusal::StateMismatch, None)));
    };
    // Taken whatever happens next: a state is good for one callback only.
    let pending = state
        .store()
        .take_oidc_login(&hash_secret(&returned), Utc::now())
        .await
        .map_err(climb_server::ApiError::from)?;
    let Some(pending) = pending else {
        return Ok(Err((Refusal::UnknownState, None)));
    };
    let (Some(code), None) = (code, error) else {
        return Ok(Err((Refusal::ProviderError, None)));
    };
    let login = match oidc
        .finish(&code, &pending.nonce, &pending.pkce_verifier)
        .await
    {
        Ok(login) => login,
        Err(refusal) => return Ok(Err((refusal, None))),
    };
    let Ok(email) = Email::parse(&login.email) else {
        return Ok(Err((Refusal::UnknownEmail, None)));
    };
    let found = state
        .store()
        .login_account(&email)
        .await
        .map_err(climb_server::ApiError::from)?;
    let Some((account, _)) = found else {
        return Ok(Err((Refusal::UnknownEmail, None)));
    };
    if let Some(person) = account.person {
        let org = state.org().await?;
        if !org.person(person).is_some_and(|p| p.is_active()) {
            return Ok(Err((Refusal::PersonLeft, Some(account.id))));
        }
    }
    Ok(Ok((account, pending.return_to)))
}
