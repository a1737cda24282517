//! `GET /api/v1/paths?from=A&to=B`: the shortest sequence of transitions
//! between two roles, or 404 `no_path`.

use axum::Json;
use axum::extract::State;
use climb_framework::graph;
use climb_people::policy::Resource;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::api::roles::StepView;
use crate::auth::Authenticated;
use crate::error::{ApiError, ErrorBody};
use crate::extract::ApiQuery;
use crate::state::AppState;

pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(path))
}

/// The two ends of a path.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub(crate) struct PathQuery {
    /// Role to start from.
    from: String,
    /// Role to reach.
    to: String,
}

/// A path through the framework.
#[derive(Debug, Serialize, ToSchema)]
pub struct PathView {
    /// The transitions in order (empty from a role to itself).
    pub steps: Vec<StepView>,
}

/// The shortest sequence of promotions and lateral moves from one role to another.
#[utoipa::path(
    get,
    path = "/api/v1/paths",
    tag = "framework",
    params(PathQuery),
    responses(
        (status = 200, description = "The path", body = PathView),
        (status = 400, description = "Missing or malformed query", body = ErrorBody),
        (status = 401, description = "No or bad token", body = ErrorBody),
        (status = 404, description = "`no_path` or `unknown_role`", body = ErrorBody),
    )
)]
pub(crate) async fn path(
    State(state): State<AppState>,
    user: Authenticated,
    ApiQuery(query): ApiQuery<PathQuery>,
) -> Result<Json<PathView>, ApiError> {
    {
        let org = state.org().await?;
        user.view(&org, &Resource::Framework)?;
    }
    match graph::shortest_path(&state.framework(), &query.from, &query.to) {
        Ok(steps) => Ok(Json(PathView {
            steps: steps.into_iter().map(StepView::from).collect(),
        })),
        Err(no_path) => Err(ApiError::not_found(no_path.code(), no_path.to_string())),
    }
}
