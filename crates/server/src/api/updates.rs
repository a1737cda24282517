//! Company updates: a manager posts to everyone below them, HR and
//! administrators to the whole company; each reader gets those addressed
//! to them, newest first. Posting needs an account that is a person.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use climb_management::update::{Audience, Post};
use climb_people::policy::{Action, Resource};
use climb_store::CompanyUpdate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::Authenticated;
use crate::error::{ApiError, ErrorBody};
use crate::extract::ApiJson;
use crate::state::AppState;

pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list_updates, post_update))
}

/// How many recent updates are read to find a reader's.
const SCAN: u32 = 500;
/// How many a reader gets.
const SHOWN: usize = 50;

/// An update as answered.
#[derive(Debug, Serialize, ToSchema)]
pub struct UpdateView {
    /// Id.
    pub id: i64,
    /// Who posted it.
    pub author: i64,
    /// The author's name.
    pub author_name: String,
    /// `team` or `company`.
    #[schema(example = "team")]
    pub audience: String,
    /// The team's manager (team updates).
    pub team_of: Option<i64>,
    /// One line.
    pub title: String,
    /// Plain text (never markup).
    pub body: String,
    /// When.
    pub posted_at: DateTime<Utc>,
}

pub(crate) fn update_view(u: CompanyUpdate, author_name: String) -> UpdateView {
    let (audience, team_of) = match u.audience {
        Audience::Company => ("company", None),
        Audience::Team { manager } => ("team", Some(manager.0)),
    };
    UpdateView {
        id: u.id,
        author: u.author.0,
        author_name,
        audience: audience.to_owned(),
        team_of,
        title: u.post.title,
        body: u.post.body,
        posted_at: u.posted_at,
    }
}

/// Updates.
#[derive(Debug, Serialize, ToSchema)]
pub struct UpdateList {
    /// Newest first.
    pub updates: Vec<UpdateView>,
}

/// The updates for `user`, newest first: those addressed to them
/// (everything for an administrator who is not a person).
pub async fn updates_for(
    state: &AppState,
    user: &Authenticated,
) -> Result<Vec<UpdateView>, ApiError> {
    let all = state.store().updates(SCAN).await?;
    let org = state.org().await?;
    user.view(&org, &Resource::Directory)?;
    let me = user.actor().person;
    Ok(all
        .into_iter()
        .filter(|u| me.is_none_or(|me| u.audience.reaches(&org, me)))
        .take(SHOWN)
        .map(|u| {
            let name = org
                .person(u.author)
                .map_or_else(String::new, |p| p.name.clone());
            update_view(u, name)
        })
        .collect())
}

/// The updates addressed to the caller, newest first (at most 50).
#[utoipa::path(
    get,
    path = "/api/v1/updates",
    tag = "updates",
    responses(
        (status = 200, description = "Updates", body = UpdateList),
        (status = 401, description = "No or bad token", body = ErrorBody),
        (status = 403, description = "The account's person left", body = ErrorBody),
    )
)]
pub(crate) async fn list_updates(
    State(state): State<AppState>,
    user: Authenticated,
) -> Result<Json<UpdateList>, ApiError> {
    Ok(Json(UpdateList {
        updates: updates_for(&state, &user).await?,
    }))
}

/// An update to post.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateRequest {
    /// One line, at most 120 characters.
    pub title: String,
    /// Plain text, at most 4000 characters.
    pub body: String,
    /// `team` (everyone below the poster) or `company` (HR, administrators).
    #[schema(example = "team")]
    pub audience: String,
}

/// Posts an update to the poster's team or to the whole company.
#[utoipa::path(
    post,
    path = "/api/v1/updates",
    tag = "updates",
    request_body = UpdateRequest,
    responses(
        (status = 201, description = "Posted", body = UpdateView),
        (status = 400, description = "Malformed body, `invalid_audience`, `title_blank`, `title_too_long`, `title_multiline`, `body_blank`, `body_too_long`, `control_character`", body = ErrorBody),
        (status = 401, description = "No or bad token", body = ErrorBody),
        (status = 403, description = "Only managers post to their team, HR and administrators to the company", body = ErrorBody),
        (status = 413, description = "Body over 1 MiB", body = ErrorBody),
    )
)]
pub(crate) async fn post_update(
    State(state): State<AppState>,
    user: Authenticated,
    ApiJson(body): ApiJson<UpdateRequest>,
) -> Result<(StatusCode, Json<UpdateView>), ApiError> {
    let company = match body.audience.as_str() {
        "company" => true,
        "team" => false,
        other => {
            return Err(ApiError::bad_request(
                "invalid_audience",
                format!("`{other}` is not an audience: use team or company"),
            ));
        }
    };
    let author = {
        let org = state.org().await?;
        user.act(
            &org,
            &state.framework(),
            &Action::PostUpdate { company },
            if company {
                "post to the whole company"
            } else {
                "post to a team"
            },
        )?;
        user.actor().person.ok_or_else(|| {
            ApiError::Forbidden("post updates as a person of the company".to_owned())
        })?
    };
    let post = Post::parse(&body.title, &body.body)?;
    let audience = if company {
        Audience::Company
    } else {
        Audience::Team { manager: author }
    };
    let posted = state
        .store()
        .post_update(user.actor(), author, audience, post)
        .await?;
    let name = state
        .org()
        .await?
        .person(author)
        .map_or_else(String::new, |p| p.name.clone());
    Ok((StatusCode::CREATED, Json(update_view(posted, name))))
}
