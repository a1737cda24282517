//! Openings on a manager's team (listed for everyone inside the company):
//! a manager opens one for their own team, HR and administrators for any;
//! hire-only roles only administrators. HR or an administrator fills it by
//! a hire, which links the opening and closes it; or it is cancelled.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::{DateTime, NaiveDate, Utc};
use climb_management::opening::{self, OpeningStatus};
use climb_people::policy::{Action, Resource};
use climb_people::{Email, PeopleError, PersonId};
use climb_store::Opening;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::api::today;
use crate::auth::Authenticated;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{ApiJson, ApiPath, ApiQuery};
use crate::state::AppState;

pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_openings, create_opening))
        .routes(routes!(cancel_opening))
        .routes(routes!(fill_opening))
}

/// An opening as answered.
#[derive(Debug, Serialize, ToSchema)]
pub struct OpeningView {
    /// Id.
    pub id: i64,
    /// Whose team.
    pub manager: i64,
    /// The role.
    pub role: String,
    /// `open`, `filled` or `cancelled`.
    #[schema(example = "open")]
    pub status: String,
    /// When it was opened.
    pub opened_at: DateTime<Utc>,
    /// When it was filled or cancelled.
    pub closed_at: Option<DateTime<Utc>>,
    /// The person hired into it.
    pub hire: Option<i64>,
}

impl From<Opening> for OpeningView {
    fn from(o: Opening) -> Self {
        Self {
            id: o.id,
            manager: o.manager.0,
            role: o.role.to_string(),
            status: o.status.as_str().to_owned(),
            opened_at: o.opened_at,
            closed_at: o.closed_at,
            hire: o.hire.map(|p| p.0),
        }
    }
}

/// Openings.
#[derive(Debug, Serialize, ToSchema)]
pub struct OpeningList {
    /// Newest first.
    pub openings: Vec<OpeningView>,
}

/// Which openings to list.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct OpeningQuery {
    /// `open`, `filled` or `cancelled` (default: all).
    #[serde(default)]
    pub status: Option<String>,
}

/// Every opening, newest first (public inside the company).
#[utoipa::path(
    get,
    path = "/api/v1/openings",
    tag = "openings",
    params(OpeningQuery),
    responses(
        (status = 200, description = "Openings", body = OpeningList),
        (status = 400, description = "Unknown status", body = ErrorBody),
        (status = 401, description = "No or bad token", body = ErrorBody),
    )
)]
pub(crate) async fn list_openings(
    State(state): State<AppState>,
    user: Authenticated,
    ApiQuery(query): ApiQuery<OpeningQuery>,
) -> Result<Json<OpeningList>, ApiError> {
    user.view(&*state.org().await?, &Resource::Directory)?;
    let status = query
        .status
        .as_deref()
        .map(|s| {
            OpeningStatus::parse(s).ok_or_else(|| {
                ApiError::bad_request(
                    "invalid_status",
                    format!("`{s}` is not open, filled or cancelled"),
                )
            })
        })
        .transpose()?;
    let openings = state.store().openings(status).await?;
    Ok(Json(OpeningList {
        openings: openings.into_iter().map(OpeningView::from).collect(),
    }))
}

/// An opening to create.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OpeningRequest {
    /// Whose team (a person whose role has reports).
    pub manager: i64,
    /// The role to fill.
    #[schema(example = "software-engineer")]
    pub role: String,
}

/// Opens a role on a manager's team.
#[utoipa::path(
    post,
    path = "/api/v1/openings",
    tag = "openings",
    request_body = OpeningRequest,
    responses(
        (status = 201, description = "Opened", body = OpeningView),
        (status = 400, description = "Malformed body", body = ErrorBody),
        (status = 401, description = "No or bad token", body = ErrorBody),
        (status = 403, description = "Not the team's manager, HR or an administrator", body = ErrorBody),
        (status = 404, description = "`unknown_role`, `unknown_person`", body = ErrorBody),
        (status = 413, description = "Body over 1 MiB", body = ErrorBody),
        (status = 422, description = "`hire_only_role`, `manager_cannot_have_reports`", body = ErrorBody),
    )
)]
pub(crate) async fn create_opening(
    State(state): State<AppState>,
    user: Authenticated,
    ApiJson(body): ApiJson<OpeningRequest>,
) -> Result<(StatusCode, Json<OpeningView>), ApiError> {
    let manager = PersonId(body.manager);
    let role = {
        let org = state.org().await?;
        user.act_on_person(
            &org,
            &state.framework(),
            manager,
            &Action::OpenPosition { manager },
            "open positions on this team",
        )?;
        opening::check_opening(&state.framework(), &org, user.actor(), manager, &body.role)?
    };
    let opened = state
        .store()
        .open_position(user.actor(), manager, &role)
        .await?;
    Ok((StatusCode::CREATED, Json(opened.into())))
}

/// Cancels an open opening (the team's manager, HR, administrators).
#[utoipa::path(
    post,
    path = "/api/v1/openings/{id}/cancel",
    tag = "openings",
    params(("id" = i64, Path, description = "Opening id")),
    responses(
        (status = 200, description = "Cancelled", body = OpeningView),
        (status = 400, description = "Malformed id", body = ErrorBody),
        (status = 401, description = "No or bad token", body = ErrorBody),
        (status = 403, description = "Not the team's manager, HR or an administrator", body = ErrorBody),
        (status = 404, description = "No such opening", body = ErrorBody),
        (status = 409, description = "`opening_closed`", body = ErrorBody),
    )
)]
pub(crate) async fn cancel_opening(
    State(state): State<AppState>,
    user: Authenticated,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<OpeningView>, ApiError> {
    let current = state.store().opening(id).await?;
    {
        let org = state.org().await?;
        user.act(
            &org,
            &state.framework(),
            &Action::OpenPosition {
                manager: current.manager,
            },
            "cancel openings on this team",
        )?;
    }
    Ok(Json(
        state.store().cancel_opening(user.actor(), id).await?.into(),
    ))
}

/// The person hired into an opening.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FillRequest {
    /// Full name.
    pub name: String,
    /// Email (unique).
    pub email: String,
    /// First day (default: today).
    #[serde(default)]
    pub start_date: Option<NaiveDate>,
}

/// The filled opening and the new hire.
#[derive(Debug, Serialize, ToSchema)]
pub struct Filled {
    /// The opening, now filled.
    pub opening: OpeningView,
    /// The new person's id.
    pub person: i64,
}

/// Fills an opening by a hire into its role on its team (HR, administrators).
#[utoipa::path(
    post,
    path = "/api/v1/openings/{id}/fill",
    tag = "openings",
    params(("id" = i64, Path, description = "Opening id")),
    request_body = FillRequest,
    responses(
        (status = 201, description = "Hired", body = Filled),
        (status = 400, description = "Malformed body, `invalid_email`, `invalid_name`", body = ErrorBody),
        (status = 401, description = "No or bad token", body = ErrorBody),
        (status = 403, description = "Only HR and administrators hire", body = ErrorBody),
        (status = 404, description = "No such opening", body = ErrorBody),
        (status = 409, description = "`opening_closed`, `email_taken`", body = ErrorBody),
        (status = 413, description = "Body over 1 MiB", body = ErrorBody),
        (status = 422, description = "A hiring rule refused it", body = ErrorBody),
    )
)]
pub(crate) async fn fill_opening(
    State(state): State<AppState>,
    user: Authenticated,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<FillRequest>,
) -> Result<(StatusCode, Json<Filled>), ApiError> {
    {
        let org = state.org().await?;
        user.act(&org, &state.framework(), &Action::Hire, "hire")?;
    }
    let email = Email::parse(&body.email).map_err(|_| PeopleError::InvalidEmail {
        email: body.email.clone(),
    })?;
    let result = state
        .store()
        .fill_opening(
            state.framework(),
            user.actor(),
            id,
            body.name,
            email,
            body.start_date.unwrap_or_else(today),
        )
        .await;
    state.changed();
    let (opening, person) = result?;
    Ok((
        StatusCode::CREATED,
        Json(Filled {
            opening: opening.into(),
            person: person.0,
        }),
    ))
}
