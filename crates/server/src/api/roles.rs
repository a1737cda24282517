//! Roles of the framework in force: the list, one role with its next
//! transitions and headcount, and the people who hold it.

use std::collections::BTreeMap;

use axum::Json;
use axum::extract::State;
use climb_framework::{Framework, Role, graph};
use climb_people::PersonId;
use climb_people::policy::Resource;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::api::framework::PageQuery;
use crate::api::{PeopleList, PersonSummary};
use crate::auth::Authenticated;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{ApiPath, ApiQuery};
use crate::pagination::Page;
use crate::state::AppState;

pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_roles))
        .routes(routes!(get_role))
        .routes(routes!(role_people))
}

/// A transition: a promotion or a lateral move.
#[derive(Debug, Serialize, ToSchema)]
pub struct StepView {
    /// Role id it leaves.
    pub from: String,
    /// Role id it leads to.
    pub to: String,
    /// `promotion` or `lateral`.
    #[schema(example = "promotion")]
    pub kind: String,
}

impl From<&climb_framework::Transition> for StepView {
    fn from(t: &climb_framework::Transition) -> Self {
        Self {
            from: t.from.to_string(),
            to: t.to.to_string(),
            kind: t.kind.as_str().to_owned(),
        }
    }
}

/// A role in a list.
#[derive(Debug, Serialize, ToSchema)]
pub struct RoleSummary {
    /// Id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Stream id.
    pub stream: String,
    /// Seniority (the chart's x position).
    pub seniority: u8,
    /// People are normally hired into it.
    pub entry: bool,
    /// Nothing may transition into it; only a hire.
    pub hire_only: bool,
    /// Holders may have reports.
    pub reports: bool,
}

impl From<&Role> for RoleSummary {
    fn from(r: &Role) -> Self {
        Self {
            id: r.id.to_string(),
            title: r.title.clone(),
            stream: r.stream.to_string(),
            seniority: r.seniority.get(),
            entry: r.entry,
            hire_only: r.hire_only,
            reports: r.reports,
        }
    }
}

/// Roles, one page.
#[derive(Debug, Serialize, ToSchema)]
pub struct RoleList {
    /// Roles in file order.
    pub roles: Vec<RoleSummary>,
    /// Cursor of the next page.
    pub next_cursor: Option<String>,
}

/// One role with its next transitions and headcount.
#[derive(Debug, Serialize, ToSchema)]
pub struct RoleView {
    /// Id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Stream id.
    pub stream: String,
    /// Seniority.
    pub seniority: u8,
    /// People are normally hired into it.
    pub entry: bool,
    /// Only a hire leads into it.
    pub hire_only: bool,
    /// Holders may have reports.
    pub reports: bool,
    /// Summary.
    pub summary: Option<String>,
    /// Responsibilities.
    pub responsibilities: Vec<String>,
    /// Expected level per competency id.
    pub expectations: BTreeMap<String, u32>,
    /// The transitions leaving it, promotions first.
    pub next: Vec<StepView>,
    /// Active people holding it.
    pub headcount: usize,
}

fn role<'a>(framework: &'a Framework, id: &str) -> Result<&'a Role, ApiError> {
    framework.role(id).ok_or_else(|| {
        ApiError::not_found("unknown_role", format!("the framework has no role `{id}`"))
    })
}

/// The framework's roles, in file order.
#[utoipa::path(
    get,
    path = "/api/v1/roles",
    tag = "framework",
    params(PageQuery),
    responses(
        (status = 200, description = "One page of roles", body = RoleList),
        (status = 400, description = "Malformed query", body = ErrorBody),
        (status = 401, description = "No or bad token", body = ErrorBody),
    )
)]
pub(crate) async fn list_roles(
    State(state): State<AppState>,
    user: Authenticated,
    ApiQuery(query): ApiQuery<PageQuery>,
) -> Result<Json<RoleList>, ApiError> {
    let page = Page::parse(query.limit, query.cursor.as_deref())?;
    {
        let org = state.org().await?;
        user.view(&org, &Resource::Framework)?;
    }
    let framework = state.framework();
    let (items, next_cursor) = page.take(framework.roles().iter().enumerate(), |(i, _)| *i as i64);
    Ok(Json(RoleList {
        roles: items
            .into_iter()
            .map(|(_, r)| RoleSummary::from(r))
            .collect(),
        next_cursor,
    }))
}

/// One role: description, expectations, next transitions and headcount.
#[utoipa::path(
    get,
    path = "/api/v1/roles/{id}",
    tag = "framework",
    params(("id" = String, Path, description = "Role id")),
    responses(
        (status = 200, description = "The role", body = RoleView),
        (status = 401, description = "No or bad token", body = ErrorBody),
        (status = 404, description = "`unknown_role`", body = ErrorBody),
    )
)]
pub(crate) async fn get_role(
    State(state): State<AppState>,
    user: Authenticated,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<RoleView>, ApiError> {
    let framework = &*state.framework();
    let headcount = {
        let org = state.org().await?;
        user.view(&org, &Resource::Framework)?;
        org.index()
            .headcount_by_role(None)
            .unwrap_or_default()
            .into_iter()
            .find(|(r, _)| r.as_str() == id)
            .map_or(0, |(_, n)| n)
    };
    let r = role(framework, &id)?;
    Ok(Json(RoleView {
        id: r.id.to_string(),
        title: r.title.clone(),
        stream: r.stream.to_string(),
        seniority: r.seniority.get(),
        entry: r.entry,
        hire_only: r.hire_only,
        reports: r.reports,
        summary: r.summary.clone(),
        responsibilities: r.responsibilities.clone(),
        expectations: r
            .expectations
            .iter()
            .map(|e| (e.competency.to_string(), e.level))
            .collect(),
        next: graph::next_steps(framework, r.id.as_str())
            .into_iter()
            .map(StepView::from)
            .collect(),
        headcount,
    }))
}

/// The active people holding a role, by id.
#[utoipa::path(
    get,
    path = "/api/v1/roles/{id}/people",
    tag = "framework",
    params(("id" = String, Path, description = "Role id"), PageQuery),
    responses(
        (status = 200, description = "One page of holders", body = PeopleList),
        (status = 400, description = "Malformed query", body = ErrorBody),
        (status = 401, description = "No or bad token", body = ErrorBody),
        (status = 404, description = "`unknown_role`", body = ErrorBody),
    )
)]
pub(crate) async fn role_people(
    State(state): State<AppState>,
    user: Authenticated,
    ApiPath(id): ApiPath<String>,
    ApiQuery(query): ApiQuery<PageQuery>,
) -> Result<Json<PeopleList>, ApiError> {
    let page = Page::parse(query.limit, query.cursor.as_deref())?;
    let framework = &*state.framework();
    let org = state.org().await?;
    user.view(&org, &Resource::Directory)?;
    role(framework, &id)?;
    let sorted = state.sorted_people(&org);
    let holders = sorted.iter().copied().filter(|p: &PersonId| {
        org.person(*p)
            .is_some_and(|p| p.is_active() && p.role.as_str() == id)
    });
    let (ids, next_cursor) = page.take(holders, |p| p.0);
    Ok(Json(PeopleList {
        people: ids
            .iter()
            .filter_map(|p| org.person(*p))
            .map(|p| PersonSummary::of(p, framework))
            .collect(),
        next_cursor,
    }))
}
