//! SCIM 2.0 provisioning (RFC 7643/7644) under `/scim/v2`, for identity
//! providers such as Okta and Microsoft Entra ID: discovery documents and
//! `Users` (core schema and the enterprise extension; no Groups). Every
//! change goes through the same domain commands as the API (a POST is a
//! hire, `active=false` a leaving, a new manager or role attribute a manager
//! or role change), acting as the connection's [`climb_people::Actor::scim`].
//!
//! Callers are identity providers holding a SCIM token (prefix
//! [`SCIM_TOKEN_PREFIX`]), which reaches nothing else; API tokens and
//! sessions do not reach `/scim/v2`.

mod filter;
pub mod fuzzing;
mod patch;
mod schema;
mod users;

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use chrono::Utc;
use climb_store::{ScimToken, Store};
use serde_json::{Value, json};

use crate::auth::{hash_secret, new_secret};
use crate::error::ApiError;
use crate::state::AppState;

/// Prefix of SCIM tokens: neither an API token's nor a session's, so the
/// API refuses them, and `/scim/v2` refuses everything else.
pub const SCIM_TOKEN_PREFIX: &str = "climbscim_";
/// The content type of every SCIM answer.
pub const SCIM_JSON: &str = "application/scim+json";
const ERROR_SCHEMA: &str = "urn:ietf:params:scim:api:messages:2.0:Error";
/// A token's last use is written at most this often.
const TOUCH_EVERY: Duration = Duration::from_secs(60);

/// Which SCIM attribute a person's role comes from (`climb serve
/// --scim-role-attribute`). Its value is matched against role ids, then
/// role titles, without case.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum RoleAttribute {
    /// The core `title` (Okta's and Entra's job title). The default.
    #[default]
    Title,
    /// The core `userType`.
    UserType,
    /// The enterprise extension's `division`.
    Division,
    /// The enterprise extension's `organization`.
    Organization,
    /// The enterprise extension's `costCenter`.
    CostCenter,
}

impl RoleAttribute {
    /// Every choice, by the name `--scim-role-attribute` takes.
    pub const ALL: [(&'static str, Self); 5] = [
        ("title", Self::Title),
        ("userType", Self::UserType),
        ("division", Self::Division),
        ("organization", Self::Organization),
        ("costCenter", Self::CostCenter),
    ];

    /// The choice named `name` (case-insensitive).
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, a)| *a)
    }

    /// The attribute's name in its schema.
    pub fn name(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(_, a)| *a == self)
            .map_or("title", |(n, _)| n)
    }

    /// Whether it lives in the enterprise extension.
    pub(crate) fn is_enterprise(self) -> bool {
        matches!(self, Self::Division | Self::Organization | Self::CostCenter)
    }
}

/// SCIM's settings and its memory of recent token uses.
#[derive(Debug, Default)]
pub(crate) struct ScimShared {
    pub(crate) role_attribute: RoleAttribute,
    touched: Mutex<HashMap<i64, Instant>>,
}

impl ScimShared {
    pub(crate) fn new(role_attribute: RoleAttribute) -> Self {
        Self {
            role_attribute,
            touched: Mutex::default(),
        }
    }
}

/// The SCIM routes, as `(method, path)`: for the route walker and the docs.
pub fn routes() -> Vec<(Method, &'static str)> {
    vec![
        (Method::GET, "/scim/v2/ServiceProviderConfig"),
        (Method::GET, "/scim/v2/ResourceTypes"),
        (Method::GET, "/scim/v2/ResourceTypes/{id}"),
        (Method::GET, "/scim/v2/Schemas"),
        (Method::GET, "/scim/v2/Schemas/{id}"),
        (Method::GET, "/scim/v2/Users"),
        (Method::POST, "/scim/v2/Users"),
        (Method::POST, "/scim/v2/Users/.search"),
        (Method::POST, "/scim/v2/.search"),
        (Method::GET, "/scim/v2/Users/{id}"),
        (Method::PUT, "/scim/v2/Users/{id}"),
        (Method::PATCH, "/scim/v2/Users/{id}"),
        (Method::DELETE, "/scim/v2/Users/{id}"),
    ]
}

/// The router of `/scim/v2`, with SCIM errors for unknown paths and methods.
pub(crate) fn router() -> Router<AppState> {
    let inner = Router::new()
        .route(
            "/ServiceProviderConfig",
            get(users::service_provider_config),
        )
        .route("/ResourceTypes", get(users::resource_types))
        .route("/ResourceTypes/{id}", get(users::resource_type))
        .route("/Schemas", get(users::schemas))
        .route("/Schemas/{id}", get(users::schema))
        .route("/Users", get(users::list).post(users::create))
        .route("/Users/.search", axum::routing::post(users::search))
        .route("/.search", axum::routing::post(users::search_everything))
        .route(
            "/Users/{id}",
            get(users::get_user)
                .put(users::replace)
                .patch(users::patch)
                .delete(users::delete),
        )
        .fallback(|| async {
            ScimError::new(
                StatusCode::NOT_FOUND,
                None,
                "there is nothing at this address",
            )
        })
        .method_not_allowed_fallback(|| async {
            ScimError::new(
                StatusCode::METHOD_NOT_ALLOWED,
                None,
                "this method is not allowed here",
            )
        });
    Router::new().nest("/scim/v2", inner)
}

/// Issues a SCIM token for the connection `name`; returns it and its
/// secret, shown once.
pub async fn create_token(store: &Store, name: &str) -> Result<(ScimToken, String), ApiError> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 200 || name.chars().any(char::is_control) {
        return Err(ApiError::bad_request(
            "invalid_name",
            "a SCIM connection's name is 1 to 200 characters, with no control characters",
        ));
    }
    let secret = new_secret(SCIM_TOKEN_PREFIX)?;
    let token = store.create_scim_token(name, &hash_secret(&secret)).await?;
    Ok((token, secret))
}

/// A SCIM error (RFC 7644 §3.12), answered as `application/scim+json`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ScimError {
    pub(crate) status: StatusCode,
    pub(crate) scim_type: Option<&'static str>,
    pub(crate) detail: String,
}

impl ScimError {
    pub(crate) fn new(
        status: StatusCode,
        scim_type: Option<&'static str>,
        detail: impl Into<String>,
    ) -> Self {
        Self {
            status,
            scim_type,
            detail: detail.into(),
        }
    }

    /// A 400 with a `scimType`.
    pub(crate) fn bad(scim_type: &'static str, detail: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, Some(scim_type), detail)
    }

    pub(crate) fn not_found(id: &str) -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            None,
            format!("there is no user `{id}`"),
        )
    }
}

impl From<ApiError> for ScimError {
    /// The API's errors in SCIM's terms: the API's stable code stays in the detail.
    fn from(error: ApiError) -> Self {
        let detail = format!("{} ({})", error, error.code());
        match error {
            ApiError::Conflict {
                code: "email_taken" | "uniqueness",
                ..
            } => Self::new(StatusCode::CONFLICT, Some("uniqueness"), detail),
            ApiError::Conflict { .. } => Self::new(StatusCode::CONFLICT, None, detail),
            ApiError::BadRequest { .. } | ApiError::Rule { .. } => {
                Self::bad("invalidValue", detail)
            }
            ApiError::NotFound { .. } => Self::new(StatusCode::NOT_FOUND, None, detail),
            ApiError::Internal(cause) => {
                tracing::error!(error = %cause, "SCIM request failed");
                Self::new(StatusCode::INTERNAL_SERVER_ERROR, None, "internal error")
            }
            other => Self::new(other.status(), None, detail),
        }
    }
}

impl From<climb_store::StoreError> for ScimError {
    fn from(error: climb_store::StoreError) -> Self {
        match error {
            climb_store::StoreError::Refused {
                code: "uniqueness",
                message,
            } => Self::new(StatusCode::CONFLICT, Some("uniqueness"), message),
            other => ApiError::from(other).into(),
        }
    }
}

impl IntoResponse for ScimError {
    fn into_response(self) -> Response {
        let mut body = json!({
            "schemas": [ERROR_SCHEMA],
            "status": self.status.as_str(),
            "detail": self.detail,
        });
        if let Some(scim_type) = self.scim_type {
            body["scimType"] = json!(scim_type);
        }
        scim_json(self.status, &body)
    }
}

/// `value` as an `application/scim+json` answer.
pub(crate) fn scim_json(status: StatusCode, value: &Value) -> Response {
    let mut response = (status, value.to_string()).into_response();
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(SCIM_JSON));
    response
}

/// An identity provider's connection, proven by its SCIM token.
#[derive(Debug, Clone)]
pub(crate) struct ScimCaller {
    pub(crate) token: ScimToken,
}

impl FromRequestParts<AppState> for ScimCaller {
    type Rejection = ScimError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ScimError> {
        let unauthorized = |detail: &str| ScimError::new(StatusCode::UNAUTHORIZED, None, detail);
        let Some(value) = parts.headers.get(header::AUTHORIZATION) else {
            return Err(unauthorized(
                "send `Authorization: Bearer` with a SCIM token",
            ));
        };
        let text = value.to_str().unwrap_or("");
        let secret = match text.split_once(' ') {
            Some((scheme, secret)) if scheme.eq_ignore_ascii_case("bearer") => secret.trim(),
            _ => {
                return Err(unauthorized(
                    "the Authorization header must be `Bearer TOKEN`",
                ));
            }
        };
        if !secret.starts_with(SCIM_TOKEN_PREFIX) || secret.len() > 128 {
            return Err(unauthorized(
                "this address takes a SCIM token (issued with `climb admin scim-token`), not an API token or a session",
            ));
        }
        let token = state
            .store()
            .scim_token_by_hash(&hash_secret(secret))
            .await
            .map_err(ScimError::from)?
            .ok_or_else(|| unauthorized("the SCIM token is not valid, or was revoked"))?;
        let due = state.scim().touched.lock().is_ok_and(|mut touched| {
            let due = touched
                .get(&token.id.0)
                .is_none_or(|at| at.elapsed() >= TOUCH_EVERY);
            if due {
                touched.insert(token.id.0, Instant::now());
            }
            due
        });
        if due {
            state
                .store()
                .touch_scim_token(token.id, Utc::now())
                .await
                .map_err(ScimError::from)?;
        }
        Ok(Self { token })
    }
}
