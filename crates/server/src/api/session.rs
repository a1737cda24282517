//! Logging in and out, the current account, and creating accounts for
//! people. A login answers with a session id both in the body (for API
//! clients: `Authorization: Bearer climbs_…`) and as the `climb_session`
//! cookie (HttpOnly, SameSite=Lax, Secure behind TLS) that the web pages use.

use std::net::IpAddr;
use std::sync::OnceLock;

use axum::Json;
use axum::extract::{FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use climb_people::policy::{Action, Resource};
use climb_people::{ActorKind, Email, PersonId};
use climb_store::{Account, NewAccount};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::{
    Authenticated, SESSION_COOKIE, SESSION_PREFIX, Via, client_ip, hash_password, hash_secret,
    new_secret, verify_password,
};
use crate::error::{ApiError, ErrorBody};
use crate::extract::ApiJson;
use crate::state::AppState;

pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(login))
        .routes(routes!(logout))
        .routes(routes!(me))
        .routes(routes!(create_account))
}

/// The address a request came from.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ClientIp(IpAddr);

impl<S: Send + Sync> FromRequestParts<S> for ClientIp {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, ApiError> {
        Ok(Self(client_ip(&parts.extensions)))
    }
}

/// An account as shown to its owner and administrators.
#[derive(Debug, Serialize, ToSchema)]
pub struct AccountView {
    /// Id.
    pub id: i64,
    /// Login email.
    pub email: String,
    /// Display name.
    pub name: String,
    /// The person behind it, if any.
    pub person: Option<i64>,
    /// `admin`, `hr` or `employee`.
    #[schema(example = "employee")]
    pub kind: String,
}

fn kind_text(kind: ActorKind) -> &'static str {
    kind.as_str()
}

impl From<&Account> for AccountView {
    fn from(a: &Account) -> Self {
        Self {
            id: a.id.0,
            email: a.email.to_string(),
            name: a.name.clone(),
            person: a.person.map(|p| p.0),
            kind: kind_text(a.kind).to_owned(),
        }
    }
}

/// Credentials.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    /// Login email.
    pub email: String,
    /// Password.
    pub password: String,
}

impl std::fmt::Debug for LoginRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LoginRequest")
            .field("email", &self.email)
            .finish_non_exhaustive()
    }
}

/// A session just started.
#[derive(Debug, Serialize, ToSchema)]
pub struct LoginResponse {
    /// The session id, `climbs_…` (also set as the `climb_session` cookie);
    /// usable as `Authorization: Bearer …` until it expires or logs out.
    pub token: String,
    /// When the session ends.
    pub expires_at: DateTime<Utc>,
    /// Who logged in.
    pub account: AccountView,
}

/// A hash to verify against when the email has no password, so that an
/// unknown email takes as long as a wrong password.
fn dummy_hash() -> &'static str {
    static HASH: OnceLock<String> = OnceLock::new();
    HASH.get_or_init(|| hash_password("climb: no such account").unwrap_or_default())
}

fn cookie(value: &str, max_age: u64, secure: bool) -> Result<HeaderValue, ApiError> {
    let secure = if secure { "; Secure" } else { "" };
    HeaderValue::from_str(&format!(
        "{SESSION_COOKIE}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age}{secure}"
    ))
    .map_err(ApiError::internal)
}

/// Logs in with email and password and starts a session. Ten failures for
/// one email from one address within 15 minutes lock it out for the rest
/// of the window.
#[utoipa::path(
    post,
    path = "/api/v1/login",
    tag = "accounts",
    security(()),
    request_body = LoginRequest,
    responses(
        (status = 200, description = "Logged in; also sets the `climb_session` cookie", body = LoginResponse),
        (status = 400, description = "Malformed body or email", body = ErrorBody),
        (status = 401, description = "Wrong email or password, or the person left", body = ErrorBody),
        (status = 403, description = "Password login is switched off and the account is not an administrator's", body = ErrorBody),
        (status = 413, description = "Body over 1 MiB", body = ErrorBody),
        (status = 429, description = "`too_many_attempts`", body = ErrorBody),
    )
)]
pub(crate) async fn login(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    ApiJson(body): ApiJson<LoginRequest>,
) -> Result<Response, ApiError> {
    let email = Email::parse(&body.email)?;
    let limiter = state.limiter();
    limiter.check(email.as_str(), ip)?;
    let found = state.store().login_account(&email).await?;
    let hash = found
        .as_ref()
        .and_then(|(_, hash)| hash.clone())
        .unwrap_or_else(|| dummy_hash().to_owned());
    let password = body.password;
    let verified = tokio::task::spawn_blocking(move || verify_password(&password, &hash))
        .await
        .map_err(ApiError::internal)?;
    let account = match found {
        Some((account, Some(_))) if verified => account,
        _ => {
            limiter.failed(email.as_str(), ip);
            return Err(ApiError::Unauthorized("wrong email or password".to_owned()));
        }
    };
    if let Some(person) = account.person {
        let org = state.org().await?;
        if !org.person(person).is_some_and(|p| p.is_active()) {
            return Err(ApiError::Unauthorized(
                "this account's person no longer works here".to_owned(),
            ));
        }
    }
    if !state.password_login() && account.kind != ActorKind::Admin {
        limiter.failed(email.as_str(), ip);
        state
            .store()
            .record_login_refusal("password", "password_login_off", Some(account.id))
            .await?;
        return Err(ApiError::Forbidden(
            "password login is switched off: sign in with single sign-on".to_owned(),
        ));
    }
    limiter.succeeded(email.as_str());
    let (session, expires_at, set_cookie) = start_session(&state, &account, &headers).await?;
    let body = LoginResponse {
        token: session,
        expires_at,
        account: AccountView::from(&account),
    };
    let mut response = Json(body).into_response();
    response
        .headers_mut()
        .insert(header::SET_COOKIE, set_cookie);
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}

/// Starts a web session for `account`, which has just proved who it is:
/// ends the session the browser came with, if any, and answers the new
/// session id, when it ends, and the `climb_session` cookie to set. The
/// password login and single sign-on both start sessions here.
pub async fn start_session(
    state: &AppState,
    account: &Account,
    headers: &HeaderMap,
) -> Result<(String, DateTime<Utc>, HeaderValue), ApiError> {
    // A new session id at every login: the one the browser came with, if
    // any, ends, so an id planted or seen before login is worth nothing.
    if let Some(previous) = crate::auth::session_cookie(headers).filter(|s| !s.is_empty()) {
        let previous = hash_secret(&previous);
        state.store().end_session(&previous).await?;
        state.credentials().forget(&previous);
    }
    let session = new_secret(SESSION_PREFIX)?;
    let absolute = state.session_limits().absolute;
    let ttl = chrono::Duration::from_std(absolute).map_err(ApiError::internal)?;
    let expires_at = Utc::now() + ttl;
    state
        .store()
        .create_session(account.id, &hash_secret(&session), expires_at)
        .await?;
    let set_cookie = cookie(
        &session,
        absolute.as_secs(),
        crate::headers::behind_tls(state, headers),
    )?;
    Ok((session, expires_at, set_cookie))
}

/// Ends the caller's session (and clears the cookie). With an API token
/// it only clears the cookie: revoke tokens with `DELETE /api/v1/tokens/{id}`.
#[utoipa::path(
    post,
    path = "/api/v1/logout",
    tag = "accounts",
    responses(
        (status = 204, description = "Logged out"),
        (status = 401, description = "No or bad token", body = ErrorBody),
    )
)]
pub(crate) async fn logout(
    State(state): State<AppState>,
    headers: HeaderMap,
    user: Authenticated,
) -> Result<Response, ApiError> {
    if let Via::Session { hash, .. } = &user.via {
        state.store().end_session(hash).await?;
        state.credentials().forget(hash);
    }
    let mut response = StatusCode::NO_CONTENT.into_response();
    response.headers_mut().insert(
        header::SET_COOKIE,
        cookie("", 0, crate::headers::behind_tls(&state, &headers))?,
    );
    Ok(response)
}

/// The caller's account.
#[utoipa::path(
    get,
    path = "/api/v1/me",
    tag = "accounts",
    responses(
        (status = 200, description = "The account", body = AccountView),
        (status = 401, description = "No or bad token", body = ErrorBody),
    )
)]
pub(crate) async fn me(user: Authenticated) -> Json<AccountView> {
    Json(AccountView::from(&user.account))
}

/// A login for a person.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AccountRequest {
    /// The person (active); their email becomes the login.
    pub person: i64,
    /// `admin`, `hr` or `employee`.
    pub kind: KindRequest,
    /// Password, at least 8 characters; without one the account can only
    /// use API tokens an administrator creates for it.
    #[serde(default)]
    pub password: Option<String>,
}

impl std::fmt::Debug for AccountRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AccountRequest")
            .field("person", &self.person)
            .field("kind", &self.kind)
            .finish_non_exhaustive()
    }
}

/// The kind of account to create.
#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum KindRequest {
    /// Administrator.
    Admin,
    /// Human resources.
    Hr,
    /// Everyone else.
    Employee,
}

/// Gives a person a login (administrators).
#[utoipa::path(
    post,
    path = "/api/v1/accounts",
    tag = "accounts",
    request_body = AccountRequest,
    responses(
        (status = 201, description = "Created", body = AccountView),
        (status = 400, description = "Malformed body or weak password", body = ErrorBody),
        (status = 401, description = "No or bad token", body = ErrorBody),
        (status = 403, description = "Only administrators create accounts", body = ErrorBody),
        (status = 404, description = "`unknown_person`", body = ErrorBody),
        (status = 409, description = "`account_exists` or `email_taken`", body = ErrorBody),
        (status = 413, description = "Body over 1 MiB", body = ErrorBody),
        (status = 422, description = "`person_left`", body = ErrorBody),
    )
)]
pub(crate) async fn create_account(
    State(state): State<AppState>,
    user: Authenticated,
    ApiJson(body): ApiJson<AccountRequest>,
) -> Result<(StatusCode, Json<AccountView>), ApiError> {
    let person = PersonId(body.person);
    if let Some(password) = &body.password
        && password.chars().count() < 8
    {
        return Err(ApiError::bad_request(
            "weak_password",
            "a password has at least 8 characters",
        ));
    }
    let (email, name) = {
        let org = state.org().await?;
        user.act(
            &org,
            &state.framework(),
            &Action::Administer,
            "create accounts",
        )?;
        user.view(&org, &Resource::Person(person))?;
        let p = org.person(person).ok_or_else(|| {
            ApiError::not_found("unknown_person", format!("there is no person {person}"))
        })?;
        if !p.is_active() {
            return Err(ApiError::Rule {
                code: "person_left",
                message: format!("{} ({person}) has left the company", p.name),
            });
        }
        (p.email.clone(), p.name.clone())
    };
    if state.store().account_of(person).await?.is_some() {
        return Err(ApiError::Conflict {
            code: "account_exists",
            message: format!("{name} ({person}) already has an account"),
        });
    }
    let password_hash = match body.password {
        Some(password) => Some(
            tokio::task::spawn_blocking(move || hash_password(&password))
                .await
                .map_err(ApiError::internal)??,
        ),
        None => None,
    };
    let kind = match body.kind {
        KindRequest::Admin => ActorKind::Admin,
        KindRequest::Hr => ActorKind::Hr,
        KindRequest::Employee => ActorKind::Employee,
    };
    let account = state
        .store()
        .create_account(
            user.actor(),
            NewAccount {
                email,
                name,
                person: Some(person),
                kind,
                password_hash,
            },
        )
        .await?;
    Ok((StatusCode::CREATED, Json(AccountView::from(&account))))
}
