//! climb's HTTP server: the JSON API of SPEC §5 over the store and the
//! in-memory org, with accounts, tokens, sessions and per-object
//! permissions enforced through one path ([`auth::Authenticated`] →
//! [`climb_people::policy`]), its OpenAPI document, health and metrics.
//!
//! The webhook delivery worker ([`webhook_worker`]) posts the outbox's
//! deliveries, signed; the mail worker ([`mail`]) sends the mail outbox's
//! notices and the weekly digest over SMTP.
//!
//! [`app`] builds the router (tests call it without a socket); [`serve`]
//! runs it on a listener until a shutdown future resolves, letting
//! requests in flight finish.

pub mod api;
pub mod auth;
pub mod error;
pub mod extract;
pub mod headers;
pub mod health;
pub mod inbox;
pub mod mail;
mod metrics;
pub mod oidc;
pub mod openapi;
pub mod pagination;
pub mod scim;
mod state;
pub mod webhook_worker;
pub mod worker;

use std::future::Future;
use std::net::SocketAddr;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderName, Request, header};
use axum::middleware;
use axum::response::{IntoResponse, Response};
use climb_people::{ActorKind, Email};
use climb_store::{Account, NewAccount, Store};
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::{DefaultOnResponse, TraceLayer};

pub use error::ApiError;
pub use state::AppState;

use crate::error::{ErrorBody, ErrorDetail, code_for_status};
use crate::extract::BODY_LIMIT;

const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// The whole application: API, health, metrics and the OpenAPI document,
/// with request ids, tracing, the body limit, metrics, and every error
/// (also the router's own 404 and 405, and panics) in the SPEC shape.
pub fn app(state: AppState) -> Router {
    let (router, _) = openapi::router().split_for_parts();
    router
        .merge(scim::router())
        .fallback(|| async { ApiError::not_found("not_found", "there is nothing at this address") })
        .method_not_allowed_fallback(|| async { ApiError::MethodNotAllowed })
        .layer(middleware::from_fn_with_state(
            state.clone(),
            metrics::track,
        ))
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(middleware::map_response(error_shape))
        .layer(CatchPanicLayer::custom(|_| {
            ApiError::internal(std::io::Error::other("a handler panicked")).into_response()
        }))
        .layer(middleware::from_fn(headers::api))
        .layer(middleware::from_fn_with_state(state.clone(), headers::hsts))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(|request: &Request<_>| {
                    let id = request
                        .headers()
                        .get(&REQUEST_ID)
                        .and_then(|v| v.to_str().ok())
                        .unwrap_or("-");
                    tracing::info_span!(
                        "request",
                        method = %request.method(),
                        path = %request.uri().path(),
                        request_id = %id,
                    )
                })
                .on_response(DefaultOnResponse::new().level(tracing::Level::INFO)),
        )
        .layer(PropagateRequestIdLayer::new(REQUEST_ID))
        .layer(SetRequestIdLayer::new(REQUEST_ID, MakeRequestUuid))
        .with_state(state)
}

/// Puts error responses that did not come from an [`ApiError`] (a layer's
/// 413, a rejection) into the SPEC shape.
async fn error_shape(response: Response) -> Response {
    let status = response.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return response;
    }
    let is_json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| {
            v.as_bytes().starts_with(b"application/json")
                || v.as_bytes().starts_with(scim::SCIM_JSON.as_bytes())
        });
    if is_json {
        return response;
    }
    let message = status.canonical_reason().unwrap_or("error").to_lowercase();
    let body = ErrorBody {
        error: ErrorDetail {
            code: code_for_status(status).to_owned(),
            message,
        },
    };
    let mut shaped = (status, axum::Json(body)).into_response();
    for name in [header::RETRY_AFTER, header::ALLOW, REQUEST_ID] {
        if let Some(value) = response.headers().get(&name) {
            shaped.headers_mut().insert(name, value.clone());
        }
    }
    shaped
}

/// Serves the app on `listener` until `shutdown` resolves; requests in
/// flight then finish before it returns. Fails only when accepting fails.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let app = app(state).into_make_service_with_connect_info::<SocketAddr>();
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown)
        .await
}

/// Resolves on Ctrl-C or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down: finishing requests in flight");
}

/// Creates an administrator account (linked to the person with that email,
/// if there is one) and a first API token for it; returns the account and
/// the token's secret, shown once. Fails with 409 when the email already
/// has an account, 400 for an invalid email or a password under 8 characters.
pub async fn create_admin(
    store: &Store,
    email: &str,
    name: &str,
    password: Option<String>,
) -> Result<(Account, String), ApiError> {
    store.migrate_accounts().await?;
    let email = Email::parse(email)?;
    let name = name.trim();
    if name.is_empty() {
        return Err(ApiError::bad_request(
            "invalid_name",
            "a name cannot be blank",
        ));
    }
    if password.as_ref().is_some_and(|p| p.chars().count() < 8) {
        return Err(ApiError::bad_request(
            "weak_password",
            "a password has at least 8 characters",
        ));
    }
    let person = store
        .org()
        .await?
        .person_by_email(&email)
        .filter(|p| p.is_active())
        .map(|p| p.id);
    let password_hash = match password {
        Some(password) => Some(
            tokio::task::spawn_blocking(move || auth::hash_password(&password))
                .await
                .map_err(ApiError::internal)??,
        ),
        None => None,
    };
    let actor = climb_people::Actor::admin(person);
    let account = store
        .create_account(
            actor,
            NewAccount {
                email,
                name: name.to_owned(),
                person,
                kind: ActorKind::Admin,
                password_hash,
            },
        )
        .await?;
    let secret = auth::new_secret(auth::TOKEN_PREFIX)?;
    store
        .create_api_token(
            account.id,
            "created with `climb admin create`",
            &auth::hash_secret(&secret),
        )
        .await?;
    Ok((account, secret))
}
