//! Personal API tokens: create (the secret is shown once), list and revoke
//! one's own. Another account's token is answered 404, as if it did not exist.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use climb_store::TokenId;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::api::framework::PageQuery;
use crate::auth::{Authenticated, TOKEN_PREFIX, hash_secret, new_secret};
use crate::error::{ApiError, ErrorBody};
use crate::extract::{ApiJson, ApiPath, ApiQuery};
use crate::pagination::{Page, encode};
use crate::state::AppState;

pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_tokens, create_token))
        .routes(routes!(revoke_token))
}

/// A new token's name.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TokenRequest {
    /// What the token is for (1 to 100 characters).
    #[schema(example = "laptop script")]
    pub name: String,
}

/// A token as listed.
#[derive(Debug, Serialize, ToSchema)]
pub struct TokenView {
    /// Id.
    pub id: i64,
    /// Name.
    pub name: String,
    /// When it was created.
    pub created_at: DateTime<Utc>,
}

/// A token just created: the only time its secret is shown.
#[derive(Debug, Serialize, ToSchema)]
pub struct CreatedToken {
    /// Id.
    pub id: i64,
    /// Name.
    pub name: String,
    /// When it was created.
    pub created_at: DateTime<Utc>,
    /// The secret, `climb_…`: send it as `Authorization: Bearer …`.
    pub token: String,
}

/// Tokens, one page.
#[derive(Debug, Serialize, ToSchema)]
pub struct TokenList {
    /// The caller's unrevoked tokens, by id.
    pub tokens: Vec<TokenView>,
    /// Cursor of the next page.
    pub next_cursor: Option<String>,
}

/// The caller's tokens.
#[utoipa::path(
    get,
    path = "/api/v1/tokens",
    tag = "accounts",
    params(PageQuery),
    responses(
        (status = 200, description = "One page of tokens", body = TokenList),
        (status = 400, description = "Malformed query", body = ErrorBody),
        (status = 401, description = "No or bad token", body = ErrorBody),
    )
)]
pub(crate) async fn list_tokens(
    State(state): State<AppState>,
    user: Authenticated,
    ApiQuery(query): ApiQuery<PageQuery>,
) -> Result<Json<TokenList>, ApiError> {
    let page = Page::parse(query.limit, query.cursor.as_deref())?;
    let limit = u32::try_from(page.limit + 1).unwrap_or(u32::MAX);
    let mut tokens = state
        .store()
        .api_tokens(user.account.id, page.after.map(TokenId), limit)
        .await?;
    let next_cursor = if tokens.len() > page.limit {
        tokens.truncate(page.limit);
        tokens.last().map(|t| encode(t.id.0))
    } else {
        None
    };
    Ok(Json(TokenList {
        tokens: tokens
            .into_iter()
            .map(|t| TokenView {
                id: t.id.0,
                name: t.name,
                created_at: t.created_at,
            })
            .collect(),
        next_cursor,
    }))
}

/// Creates a personal API token for the caller; its secret is in the answer only.
#[utoipa::path(
    post,
    path = "/api/v1/tokens",
    tag = "accounts",
    request_body = TokenRequest,
    responses(
        (status = 201, description = "Created", body = CreatedToken),
        (status = 400, description = "Malformed body or bad name", body = ErrorBody),
        (status = 401, description = "No or bad token", body = ErrorBody),
        (status = 413, description = "Body over 1 MiB", body = ErrorBody),
    )
)]
pub(crate) async fn create_token(
    State(state): State<AppState>,
    user: Authenticated,
    ApiJson(body): ApiJson<TokenRequest>,
) -> Result<(StatusCode, Json<CreatedToken>), ApiError> {
    let name = body.name.trim();
    if name.is_empty() || name.chars().count() > 100 {
        return Err(ApiError::bad_request(
            "invalid_name",
            "a token name has 1 to 100 characters",
        ));
    }
    let secret = new_secret(TOKEN_PREFIX)?;
    let token = state
        .store()
        .create_api_token(user.account.id, name, &hash_secret(&secret))
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(CreatedToken {
            id: token.id.0,
            name: token.name,
            created_at: token.created_at,
            token: secret,
        }),
    ))
}

/// Revokes one of the caller's tokens, at once.
#[utoipa::path(
    delete,
    path = "/api/v1/tokens/{id}",
    tag = "accounts",
    params(("id" = i64, Path, description = "Token id")),
    responses(
        (status = 204, description = "Revoked"),
        (status = 400, description = "Malformed id", body = ErrorBody),
        (status = 401, description = "No or bad token", body = ErrorBody),
        (status = 404, description = "No such token of yours", body = ErrorBody),
    )
)]
pub(crate) async fn revoke_token(
    State(state): State<AppState>,
    user: Authenticated,
    ApiPath(id): ApiPath<i64>,
) -> Result<StatusCode, ApiError> {
    let token = TokenId(id);
    if !state
        .store()
        .revoke_api_token(user.account.id, token)
        .await?
    {
        return Err(ApiError::not_found(
            "unknown_token",
            format!("you have no token {id}"),
        ));
    }
    state.credentials().forget_token(token);
    Ok(StatusCode::NO_CONTENT)
}
