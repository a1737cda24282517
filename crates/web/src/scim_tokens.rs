//! `/admin/scim`: the SCIM tokens identity providers provision people with,
//! one per connection: the list (created, last used, revoked), issuing one
//! (its secret shown once) and revoking one. Administrators only.

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use climb_people::policy::Action;
use climb_server::AppState;
use climb_store::ScimTokenId;
use serde::Deserialize;

use crate::error::PageError;
use crate::page::{Layout, Viewer, render};

/// A token in the list.
#[derive(Debug)]
struct Row {
    id: i64,
    name: String,
    created: String,
    last_used: String,
    revoked: Option<String>,
}

#[derive(Template)]
#[template(path = "admin_scim.html")]
struct ScimPage {
    layout: Layout,
    rows: Vec<Row>,
    issued: Option<(String, String)>,
    problem: Option<String>,
}

async fn allowed(viewer: &Viewer, state: &AppState) -> Result<(), PageError> {
    let org = state.org().await?;
    viewer.user.act(
        &org,
        &state.framework(),
        &Action::Administer,
        "manage SCIM tokens",
    )?;
    Ok(())
}

fn minute(at: chrono::DateTime<chrono::Utc>) -> String {
    at.format("%Y-%m-%d %H:%M").to_string()
}

async fn page(
    state: &AppState,
    viewer: &Viewer,
    issued: Option<(String, String)>,
    problem: Option<String>,
) -> Result<Response, PageError> {
    let rows = state
        .store()
        .scim_tokens()
        .await
        .map_err(climb_server::ApiError::from)?
        .into_iter()
        .rev()
        .map(|t| Row {
            id: t.id.0,
            name: t.name,
            created: minute(t.created_at),
            last_used: t.last_used_at.map_or_else(|| "never".to_owned(), minute),
            revoked: t.revoked_at.map(minute),
        })
        .collect();
    let mut response = render(&ScimPage {
        layout: viewer.layout.at("admin"),
        rows,
        issued,
        problem,
    })?;
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}

/// `GET /admin/scim`: the SCIM tokens.
pub(crate) async fn list(
    State(state): State<AppState>,
    viewer: Viewer,
) -> Result<Response, PageError> {
    allowed(&viewer, &state).await?;
    page(&state, &viewer, None, None).await
}

/// The issue form.
#[derive(Debug, Deserialize)]
pub(crate) struct NewToken {
    name: String,
}

/// `POST /admin/scim`: issues a token and shows its secret once.
pub(crate) async fn issue(
    State(state): State<AppState>,
    viewer: Viewer,
    Form(form): Form<NewToken>,
) -> Result<Response, PageError> {
    allowed(&viewer, &state).await?;
    match climb_server::scim::create_token(state.store(), &form.name).await {
        Ok((token, secret)) => page(&state, &viewer, Some((token.name, secret)), None).await,
        Err(error) => page(&state, &viewer, None, Some(error.to_string())).await,
    }
}

/// `POST /admin/scim/{id}/revoke`: revokes a token; requests with it are
/// refused from then on. 404 for an id no token ever had.
pub(crate) async fn revoke(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    allowed(&viewer, &state).await?;
    let missing = || PageError::Status(StatusCode::NOT_FOUND, "There is no such SCIM token.");
    let id: i64 = id.parse().map_err(|_| missing())?;
    let revoked = state
        .store()
        .revoke_scim_token(ScimTokenId(id))
        .await
        .map_err(climb_server::ApiError::from)?;
    // Revoking a revoked token again changes nothing and is no error.
    let known = revoked
        || state
            .store()
            .scim_tokens()
            .await
            .map_err(climb_server::ApiError::from)?
            .iter()
            .any(|t| t.id.0 == id);
    if !known {
        return Err(missing());
    }
    let mut response = StatusCode::SEE_OTHER.into_response();
    response
        .headers_mut()
        .insert(header::LOCATION, HeaderValue::from_static("/admin/scim"));
    Ok(response)
}
