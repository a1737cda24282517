//! The framework in force: as JSON, as the chart, its designations, and the
//! versions loaded into the database. Public inside the company.

use axum::Json;
use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use chrono::{DateTime, Utc};
use climb_people::policy::Resource;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::Authenticated;
use crate::error::{ApiError, ErrorBody};
use crate::extract::ApiQuery;
use crate::pagination::Page;
use crate::state::AppState;

pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_framework))
        .routes(routes!(chart))
        .routes(routes!(versions))
        .routes(routes!(designations))
}

/// Paging only.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub(crate) struct PageQuery {
    /// Page size, 1 to 500 (default 50).
    #[param(minimum = 1, maximum = 500)]
    pub(crate) limit: Option<u32>,
    /// The `next_cursor` of the previous page.
    pub(crate) cursor: Option<String>,
}

/// The framework file's content as JSON: `framework` (name, version,
/// description), `streams`, `roles`, `transitions`, `designations`,
/// `competencies`, `renames`.
#[utoipa::path(
    get,
    path = "/api/v1/framework",
    tag = "framework",
    responses(
        (status = 200, description = "The framework", body = Object),
        (status = 401, description = "No or bad token", body = ErrorBody),
    )
)]
pub(crate) async fn get_framework(
    State(state): State<AppState>,
    user: Authenticated,
) -> Result<Json<serde_json::Value>, ApiError> {
    {
        let org = state.org().await?;
        user.view(&org, &Resource::Framework)?;
    }
    let value = serde_json::to_value(&*state.framework()).map_err(ApiError::internal)?;
    Ok(Json(value))
}

/// The framework drawn as an SVG chart.
#[utoipa::path(
    get,
    path = "/api/v1/framework/chart.svg",
    tag = "framework",
    responses(
        (status = 200, description = "The chart", content_type = "image/svg+xml", body = String),
        (status = 401, description = "No or bad token", body = ErrorBody),
    )
)]
pub(crate) async fn chart(
    State(state): State<AppState>,
    user: Authenticated,
) -> Result<impl IntoResponse, ApiError> {
    {
        let org = state.org().await?;
        user.view(&org, &Resource::Framework)?;
    }
    Ok((
        [(header::CONTENT_TYPE, "image/svg+xml")],
        state.chart_svg().to_string(),
    ))
}

/// A framework version loaded into the database.
#[derive(Debug, Serialize, ToSchema)]
pub struct VersionView {
    /// Id, increasing with every load.
    pub id: i64,
    /// The framework's name.
    pub name: String,
    /// Its version label.
    pub version: String,
    /// When it was loaded.
    pub loaded_at: DateTime<Utc>,
    /// Who loaded it: the person's id, if any.
    pub loaded_by: Option<i64>,
}

/// Framework versions, one page.
#[derive(Debug, Serialize, ToSchema)]
pub struct VersionList {
    /// Versions by id.
    pub versions: Vec<VersionView>,
    /// Cursor of the next page.
    pub next_cursor: Option<String>,
}

/// The framework versions loaded into the database, by id (empty while the
/// built-in framework or a file given at start is in force).
#[utoipa::path(
    get,
    path = "/api/v1/framework/versions",
    tag = "framework",
    params(PageQuery),
    responses(
        (status = 200, description = "One page of versions", body = VersionList),
        (status = 400, description = "Malformed query", body = ErrorBody),
        (status = 401, description = "No or bad token", body = ErrorBody),
    )
)]
pub(crate) async fn versions(
    State(state): State<AppState>,
    user: Authenticated,
    ApiQuery(query): ApiQuery<PageQuery>,
) -> Result<Json<VersionList>, ApiError> {
    let page = Page::parse(query.limit, query.cursor.as_deref())?;
    {
        let org = state.org().await?;
        user.view(&org, &Resource::Framework)?;
    }
    let mut all = state.store().framework_versions().await?;
    all.sort_by_key(|v| v.id);
    let (items, next_cursor) = page.take(all.into_iter(), |v| v.id);
    Ok(Json(VersionList {
        versions: items
            .into_iter()
            .map(|v| VersionView {
                id: v.id,
                name: v.name,
                version: v.version,
                loaded_at: v.loaded_at,
                loaded_by: v.loaded_by.person.map(|p| p.0),
            })
            .collect(),
        next_cursor,
    }))
}

/// A designation of the framework (such as team lead).
#[derive(Debug, Serialize, ToSchema)]
pub struct DesignationTypeView {
    /// Id.
    pub id: String,
    /// Title.
    pub title: String,
    /// What ends it: `project`.
    pub scope: String,
    /// Summary.
    pub summary: Option<String>,
    /// Responsibilities.
    pub responsibilities: Vec<String>,
    /// Streams that may hold it (`null`: every stream).
    pub eligible_streams: Option<Vec<String>>,
    /// Below this seniority an assignment is flagged.
    pub usual_min_seniority: Option<u8>,
}

/// Designations, one page.
#[derive(Debug, Serialize, ToSchema)]
pub struct DesignationList {
    /// Designations in file order.
    pub designations: Vec<DesignationTypeView>,
    /// Cursor of the next page.
    pub next_cursor: Option<String>,
}

/// The framework's designations, in file order.
#[utoipa::path(
    get,
    path = "/api/v1/designations",
    tag = "framework",
    params(PageQuery),
    responses(
        (status = 200, description = "One page of designations", body = DesignationList),
        (status = 400, description = "Malformed query", body = ErrorBody),
        (status = 401, description = "No or bad token", body = ErrorBody),
    )
)]
pub(crate) async fn designations(
    State(state): State<AppState>,
    user: Authenticated,
    ApiQuery(query): ApiQuery<PageQuery>,
) -> Result<Json<DesignationList>, ApiError> {
    let page = Page::parse(query.limit, query.cursor.as_deref())?;
    {
        let org = state.org().await?;
        user.view(&org, &Resource::Framework)?;
    }
    let framework = state.framework();
    let all = framework.designations().iter().enumerate();
    let (items, next_cursor) = page.take(all, |(i, _)| *i as i64);
    Ok(Json(DesignationList {
        designations: items
            .into_iter()
            .map(|(_, d)| DesignationTypeView {
                id: d.id.to_string(),
                title: d.title.clone(),
                scope: "project".to_owned(),
                summary: d.summary.clone(),
                responsibilities: d.responsibilities.clone(),
                eligible_streams: d
                    .eligible_streams
                    .as_ref()
                    .map(|s| s.iter().map(ToString::to_string).collect()),
                usual_min_seniority: d.usual_min_seniority.map(|s| s.get()),
            })
            .collect(),
        next_cursor,
    }))
}
