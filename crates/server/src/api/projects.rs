//! Projects and their designations: list and read (public inside the
//! company), create, assign a designation, close (managers, HR, administrators).

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::NaiveDate;
use climb_people::policy::{Action, Resource};
use climb_people::{Change, Command, Org, PersonId, ProjectId, ProjectStatus};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::api::framework::PageQuery;
use crate::api::{DesignationView, designation_id, today};
use crate::auth::Authenticated;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{ApiJson, ApiPath, ApiQuery};
use crate::pagination::Page;
use crate::state::AppState;

pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_projects, create_project))
        .routes(routes!(get_project))
        .routes(routes!(assign_designation))
        .routes(routes!(close_project))
}

/// A project with its members and active designations.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProjectView {
    /// Id.
    pub id: i64,
    /// Name.
    pub name: String,
    /// `open` or `closed`.
    #[schema(example = "open")]
    pub status: String,
    /// The day it closed.
    pub closed_on: Option<NaiveDate>,
    /// Everyone who is or was a member, by id.
    pub members: Vec<i64>,
    /// Active designations.
    pub designations: Vec<DesignationView>,
}

fn project_view(org: &Org, id: ProjectId) -> Result<ProjectView, ApiError> {
    let project = org
        .project(id)
        .ok_or_else(|| ApiError::not_found("unknown_project", format!("there is no {id}")))?;
    Ok(ProjectView {
        id: project.id.0,
        name: project.name.clone(),
        status: match project.status {
            ProjectStatus::Open => "open",
            ProjectStatus::Closed => "closed",
        }
        .to_owned(),
        closed_on: project.closed_on,
        members: project.members.iter().map(|m| m.0).collect(),
        designations: org.designations_on(id).map(DesignationView::from).collect(),
    })
}

/// Projects, one page.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProjectList {
    /// Projects by id.
    pub projects: Vec<ProjectView>,
    /// Cursor of the next page.
    pub next_cursor: Option<String>,
}

/// Every project, by id.
#[utoipa::path(
    get,
    path = "/api/v1/projects",
    tag = "projects",
    params(PageQuery),
    responses(
        (status = 200, description = "One page of projects", body = ProjectList),
        (status = 400, description = "Malformed query", body = ErrorBody),
        (status = 401, description = "No or bad token", body = ErrorBody),
    )
)]
pub(crate) async fn list_projects(
    State(state): State<AppState>,
    user: Authenticated,
    ApiQuery(query): ApiQuery<PageQuery>,
) -> Result<Json<ProjectList>, ApiError> {
    let page = Page::parse(query.limit, query.cursor.as_deref())?;
    let org = state.org().await?;
    user.view(&org, &Resource::Directory)?;
    let (ids, next_cursor) = page.take(org.projects().map(|p| p.id), |id| id.0);
    let projects = ids
        .into_iter()
        .map(|id| project_view(&org, id))
        .collect::<Result<_, _>>()?;
    Ok(Json(ProjectList {
        projects,
        next_cursor,
    }))
}

/// One project.
#[utoipa::path(
    get,
    path = "/api/v1/projects/{id}",
    tag = "projects",
    params(("id" = i64, Path, description = "Project id")),
    responses(
        (status = 200, description = "The project", body = ProjectView),
        (status = 400, description = "Malformed id", body = ErrorBody),
        (status = 401, description = "No or bad token", body = ErrorBody),
        (status = 404, description = "`unknown_project`", body = ErrorBody),
    )
)]
pub(crate) async fn get_project(
    State(state): State<AppState>,
    user: Authenticated,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<ProjectView>, ApiError> {
    let org = state.org().await?;
    user.view(&org, &Resource::Directory)?;
    project_view(&org, ProjectId(id)).map(Json)
}

/// A new project.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProjectRequest {
    /// Name (not blank).
    pub name: String,
}

/// Starts a project (managers, HR, administrators).
#[utoipa::path(
    post,
    path = "/api/v1/projects",
    tag = "projects",
    request_body = ProjectRequest,
    responses(
        (status = 201, description = "Created", body = ProjectView),
        (status = 400, description = "Malformed body or blank name", body = ErrorBody),
        (status = 401, description = "No or bad token", body = ErrorBody),
        (status = 403, description = "Only managers, HR and administrators manage projects", body = ErrorBody),
        (status = 413, description = "Body over 1 MiB", body = ErrorBody),
    )
)]
pub(crate) async fn create_project(
    State(state): State<AppState>,
    user: Authenticated,
    ApiJson(body): ApiJson<ProjectRequest>,
) -> Result<(StatusCode, Json<ProjectView>), ApiError> {
    {
        let org = state.org().await?;
        user.act(
            &org,
            &state.framework(),
            &Action::ManageProjects,
            "manage projects",
        )?;
    }
    let changes = state
        .execute(
            user.actor(),
            Command::CreateProject {
                id: ProjectId(0),
                name: body.name,
            },
        )
        .await?;
    let id = changes
        .iter()
        .find_map(|c| match c {
            Change::ProjectCreated { project, .. } => Some(*project),
            _ => None,
        })
        .ok_or_else(|| ApiError::internal(std::io::Error::other("no project was recorded")))?;
    let org = state.org().await?;
    Ok((StatusCode::CREATED, Json(project_view(&org, id)?)))
}

/// A designation to assign.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DesignationRequest {
    /// The holder's id.
    pub person: i64,
    /// The designation id.
    #[schema(example = "team-lead")]
    pub designation: String,
    /// First day held (default: today).
    #[serde(default)]
    pub start_date: Option<NaiveDate>,
}

/// Gives a person a designation on the project, ending the previous
/// holder's; flagged (never refused) below the usual seniority.
#[utoipa::path(
    post,
    path = "/api/v1/projects/{id}/designations",
    tag = "projects",
    params(("id" = i64, Path, description = "Project id")),
    request_body = DesignationRequest,
    responses(
        (status = 201, description = "Assigned (with `flags`)", body = DesignationView),
        (status = 400, description = "Malformed body", body = ErrorBody),
        (status = 401, description = "No or bad token", body = ErrorBody),
        (status = 403, description = "Only managers, HR and administrators manage projects", body = ErrorBody),
        (status = 404, description = "Unknown project, person or designation", body = ErrorBody),
        (status = 413, description = "Body over 1 MiB", body = ErrorBody),
        (status = 422, description = "`designation_not_eligible`, `project_closed`, …", body = ErrorBody),
    )
)]
pub(crate) async fn assign_designation(
    State(state): State<AppState>,
    user: Authenticated,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<DesignationRequest>,
) -> Result<(StatusCode, Json<DesignationView>), ApiError> {
    let project = ProjectId(id);
    let person = PersonId(body.person);
    let designation = designation_id(&body.designation)?;
    {
        let org = state.org().await?;
        user.act(
            &org,
            &state.framework(),
            &Action::ManageProjects,
            "manage projects",
        )?;
        org.project(project).ok_or_else(|| {
            ApiError::not_found("unknown_project", format!("there is no {project}"))
        })?;
        user.view(&org, &Resource::Person(person))?;
    }
    let command = Command::AssignDesignation {
        project,
        person,
        designation: designation.clone(),
        start_date: body.start_date.unwrap_or_else(today),
    };
    state.execute(user.actor(), command).await?;
    let org = state.org().await?;
    let held = org
        .designations_on(project)
        .find(|a| a.designation == designation && a.person == person)
        .map(DesignationView::from)
        .ok_or_else(|| {
            ApiError::internal(std::io::Error::other("the designation was not recorded"))
        })?;
    Ok((StatusCode::CREATED, Json(held)))
}

/// Closes the project, ending its designations.
#[utoipa::path(
    post,
    path = "/api/v1/projects/{id}/close",
    tag = "projects",
    params(("id" = i64, Path, description = "Project id")),
    responses(
        (status = 200, description = "The closed project", body = ProjectView),
        (status = 400, description = "Malformed id", body = ErrorBody),
        (status = 401, description = "No or bad token", body = ErrorBody),
        (status = 403, description = "Only managers, HR and administrators manage projects", body = ErrorBody),
        (status = 404, description = "`unknown_project`", body = ErrorBody),
        (status = 422, description = "`project_closed`", body = ErrorBody),
    )
)]
pub(crate) async fn close_project(
    State(state): State<AppState>,
    user: Authenticated,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<ProjectView>, ApiError> {
    let project = ProjectId(id);
    {
        let org = state.org().await?;
        user.act(
            &org,
            &state.framework(),
            &Action::ManageProjects,
            "manage projects",
        )?;
    }
    state
        .execute(
            user.actor(),
            Command::CloseProject {
                project,
                date: today(),
            },
        )
        .await?;
    let org = state.org().await?;
    Ok(Json(project_view(&org, project)?))
}
