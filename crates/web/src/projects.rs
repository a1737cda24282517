//! Projects: the list, creating one, adding members, assigning a
//! designation such as team lead (one below the usual seniority is
//! recorded with a note, never refused) and closing it. Every write asks
//! the policy through `Authenticated::act` and goes through the store's
//! `execute`, like the API.

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use climb_people::policy::{Action, Resource};
use climb_people::{Change, Command, Email, Org, PersonId, ProjectId, ProjectStatus};
use climb_server::{ApiError, AppState};
use serde::Deserialize;

use crate::error::PageError;
use crate::page::{Layout, Viewer, render};

/// A project in the list.
#[derive(Debug)]
struct ProjectRow {
    id: i64,
    name: String,
    open: bool,
    members: usize,
    leads: Vec<String>,
}

#[derive(Template)]
#[template(path = "projects.html")]
struct ProjectsPage {
    layout: Layout,
    may_manage: bool,
    projects: Vec<ProjectRow>,
}

/// A designation held on the project.
#[derive(Debug)]
struct Held {
    title: String,
    person: (i64, String),
    role: String,
    since: String,
    below_usual: bool,
}

#[derive(Template)]
#[template(path = "project.html")]
struct ProjectPage {
    layout: Layout,
    id: i64,
    name: String,
    open: bool,
    closed_on: String,
    may_manage: bool,
    members: Vec<(i64, String, String)>,
    held: Vec<Held>,
    designations: Vec<(String, String)>,
}

fn unknown() -> ApiError {
    ApiError::not_found("unknown_project", "there is no such project")
}

fn may_manage(viewer: &Viewer, state: &AppState, org: &Org) -> bool {
    viewer
        .user
        .act(
            org,
            &state.framework(),
            &Action::ManageProjects,
            "manage projects",
        )
        .is_ok()
}

fn see_other(to: &str) -> Response {
    let mut response = StatusCode::SEE_OTHER.into_response();
    if let Ok(value) = HeaderValue::from_str(to) {
        response.headers_mut().insert(header::LOCATION, value);
    }
    response
}

fn today() -> chrono::NaiveDate {
    chrono::Utc::now().date_naive()
}

/// `GET /projects`: open projects first, then closed ones.
pub(crate) async fn list(
    State(state): State<AppState>,
    viewer: Viewer,
) -> Result<Response, PageError> {
    let org = state.org().await?;
    viewer.user.view(&org, &Resource::Directory)?;
    let framework = &*state.framework();
    let mut projects: Vec<ProjectRow> = org
        .projects()
        .map(|p| ProjectRow {
            id: p.id.0,
            name: p.name.clone(),
            open: p.status == ProjectStatus::Open,
            members: p.members.len(),
            leads: org
                .designations_on(p.id)
                .filter_map(|a| {
                    let title = framework
                        .designation(a.designation.as_str())
                        .map_or_else(|| a.designation.to_string(), |d| d.title.clone());
                    org.person(a.person).map(|h| format!("{title}: {}", h.name))
                })
                .collect(),
        })
        .collect();
    projects.sort_by(|a, b| b.open.cmp(&a.open).then_with(|| b.id.cmp(&a.id)));
    let page = ProjectsPage {
        layout: viewer.layout.at("projects"),
        may_manage: may_manage(&viewer, &state, &org),
        projects,
    };
    drop(org);
    render(&page)
}

/// The new-project form.
#[derive(Debug, Deserialize)]
pub(crate) struct NewProject {
    name: String,
}

/// `POST /projects`: creates a project and opens its page.
pub(crate) async fn create(
    State(state): State<AppState>,
    viewer: Viewer,
    Form(form): Form<NewProject>,
) -> Result<Response, PageError> {
    {
        let org = state.org().await?;
        viewer.user.act(
            &org,
            &state.framework(),
            &Action::ManageProjects,
            "manage projects",
        )?;
    }
    let changes = state
        .execute(
            viewer.user.actor(),
            Command::CreateProject {
                id: ProjectId(0),
                name: form.name.trim().to_owned(),
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
    Ok(see_other(&format!("/projects/{}", id.0)))
}

fn project_id(raw: &str) -> Result<ProjectId, ApiError> {
    raw.parse::<i64>().map(ProjectId).map_err(|_| unknown())
}

/// `GET /projects/{id}`: members, designations and the forms to change them.
pub(crate) async fn show(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let id = project_id(&id)?;
    let framework = &*state.framework();
    let org = state.org().await?;
    viewer.user.view(&org, &Resource::Directory)?;
    let project = org.project(id).ok_or_else(unknown)?;
    let role_title = |person: PersonId| {
        org.person(person)
            .and_then(|p| framework.role(p.role.as_str()))
            .map(|r| r.title.clone())
            .unwrap_or_default()
    };
    let mut members: Vec<(i64, String, String)> = project
        .members
        .iter()
        .filter_map(|m| org.person(*m))
        .map(|p| (p.id.0, p.name.clone(), role_title(p.id)))
        .collect();
    members.sort_by(|a, b| a.1.cmp(&b.1));
    let held = org
        .designations_on(id)
        .filter_map(|a| {
            let person = org.person(a.person)?;
            Some(Held {
                title: framework
                    .designation(a.designation.as_str())
                    .map_or_else(|| a.designation.to_string(), |d| d.title.clone()),
                person: (person.id.0, person.name.clone()),
                role: role_title(person.id),
                since: a.start_date.to_string(),
                below_usual: !a.flags.is_empty(),
            })
        })
        .collect();
    let page = ProjectPage {
        layout: viewer.layout.at("projects"),
        id: id.0,
        name: project.name.clone(),
        open: project.status == ProjectStatus::Open,
        closed_on: project.closed_on.map(|d| d.to_string()).unwrap_or_default(),
        may_manage: may_manage(&viewer, &state, &org),
        members,
        held,
        designations: framework
            .designations()
            .iter()
            .map(|d| (d.id.to_string(), d.title.clone()))
            .collect(),
    };
    drop(org);
    render(&page)
}

/// The add-member form.
#[derive(Debug, Deserialize)]
pub(crate) struct NewMember {
    email: String,
}

/// `POST /projects/{id}/members`: adds the person with that email.
pub(crate) async fn add_member(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Form(form): Form<NewMember>,
) -> Result<Response, PageError> {
    let project = project_id(&id)?;
    let email = Email::parse(form.email.trim()).map_err(ApiError::from)?;
    let person = {
        let org = state.org().await?;
        viewer.user.act(
            &org,
            &state.framework(),
            &Action::ManageProjects,
            "manage projects",
        )?;
        org.project(project).ok_or_else(unknown)?;
        let person = org
            .person_by_email(&email)
            .filter(|p| p.is_active())
            .map(|p| p.id)
            .ok_or_else(|| {
                ApiError::not_found(
                    "unknown_person",
                    format!("no one here has the email {email}"),
                )
            })?;
        viewer.user.view(&org, &Resource::Person(person))?;
        person
    };
    state
        .execute(
            viewer.user.actor(),
            Command::AddProjectMember { project, person },
        )
        .await?;
    Ok(see_other(&format!("/projects/{}", project.0)))
}

/// The assign-designation form.
#[derive(Debug, Deserialize)]
pub(crate) struct NewDesignation {
    person: String,
    designation: String,
}

/// `POST /projects/{id}/designations`: gives a member a designation from
/// today; the previous holder's ends.
pub(crate) async fn assign(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Form(form): Form<NewDesignation>,
) -> Result<Response, PageError> {
    let project = project_id(&id)?;
    let person =
        PersonId(form.person.parse::<i64>().map_err(|_| {
            ApiError::bad_request("invalid_person", "choose a member of the project")
        })?);
    let designation = state
        .framework()
        .designation(&form.designation)
        .map(|d| d.id.clone())
        .ok_or_else(|| {
            ApiError::bad_request(
                "unknown_designation",
                "choose a designation of the framework",
            )
        })?;
    {
        let org = state.org().await?;
        viewer.user.act(
            &org,
            &state.framework(),
            &Action::ManageProjects,
            "manage projects",
        )?;
        org.project(project).ok_or_else(unknown)?;
        viewer.user.view(&org, &Resource::Person(person))?;
    }
    state
        .execute(
            viewer.user.actor(),
            Command::AssignDesignation {
                project,
                person,
                designation,
                start_date: today(),
            },
        )
        .await?;
    Ok(see_other(&format!("/projects/{}", project.0)))
}

/// `POST /projects/{id}/close`: closes the project, ending its designations.
pub(crate) async fn close(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let project = project_id(&id)?;
    {
        let org = state.org().await?;
        viewer.user.act(
            &org,
            &state.framework(),
            &Action::ManageProjects,
            "manage projects",
        )?;
        org.project(project).ok_or_else(unknown)?;
    }
    state
        .execute(
            viewer.user.actor(),
            Command::CloseProject {
                project,
                date: today(),
            },
        )
        .await?;
    Ok(see_other(&format!("/projects/{}", project.0)))
}
