//! `GET /api/v1/org/summary?under=ID`: headcount by role and by stream of
//! everyone below a person (the whole company without `under`), answered
//! from the org index.

use axum::Json;
use axum::extract::State;
use climb_people::PersonId;
use climb_people::policy::Resource;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::Authenticated;
use crate::error::{ApiError, ErrorBody};
use crate::extract::ApiQuery;
use crate::state::AppState;

pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(summary))
}

/// Whose subtree to count.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub(crate) struct SummaryQuery {
    /// Count everyone strictly below this person (default: the whole company).
    under: Option<i64>,
}

/// A headcount for one role or stream.
#[derive(Debug, Serialize, ToSchema)]
pub struct Count {
    /// Role or stream id.
    pub id: String,
    /// Active people.
    pub count: usize,
}

/// Headcount below someone, or in the whole company.
#[derive(Debug, Serialize, ToSchema)]
pub struct OrgSummaryView {
    /// The person counted under (`null`: the whole company).
    pub under: Option<i64>,
    /// Active people counted.
    pub total: usize,
    /// Non-zero counts per role, in framework order.
    pub by_role: Vec<Count>,
    /// Non-zero counts per stream, in framework order.
    pub by_stream: Vec<Count>,
}

/// Headcount by role and by stream below a person, or in the whole company.
#[utoipa::path(
    get,
    path = "/api/v1/org/summary",
    tag = "org",
    params(SummaryQuery),
    responses(
        (status = 200, description = "The summary", body = OrgSummaryView),
        (status = 400, description = "Malformed query", body = ErrorBody),
        (status = 401, description = "No or bad token", body = ErrorBody),
        (status = 404, description = "`unknown_person` (or someone who left)", body = ErrorBody),
    )
)]
pub(crate) async fn summary(
    State(state): State<AppState>,
    user: Authenticated,
    ApiQuery(query): ApiQuery<SummaryQuery>,
) -> Result<Json<OrgSummaryView>, ApiError> {
    let under = query.under.map(PersonId);
    let org = state.org().await?;
    user.view(&org, &Resource::Directory)?;
    if let Some(under) = under {
        user.view(&org, &Resource::Person(under))?;
    }
    let summary = org
        .index()
        .summary(&state.framework(), under)
        .ok_or_else(|| {
            ApiError::not_found(
                "unknown_person",
                format!(
                    "there is no active person {}",
                    query.under.unwrap_or_default()
                ),
            )
        })?;
    Ok(Json(OrgSummaryView {
        under: query.under,
        total: summary.total,
        by_role: summary
            .by_role
            .into_iter()
            .map(|(id, count)| Count {
                id: id.to_string(),
                count,
            })
            .collect(),
        by_stream: summary
            .by_stream
            .into_iter()
            .map(|(id, count)| Count {
                id: id.to_string(),
                count,
            })
            .collect(),
    }))
}
