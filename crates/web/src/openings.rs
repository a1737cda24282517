//! The openings page: the roles a team is hiring for, open first, with what
//! each viewer may do about them. A manager opens a role on their own team
//! (HR and administrators on any), cancels one of their team's openings,
//! and HR fills one with a hire. Every write goes through the API's
//! openings endpoints inside the process with the visitor's session, so the
//! rules, the audit events and the in-memory org are the API's.

use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, Method, StatusCode};
use axum::response::Response;
use climb_management::opening::OpeningStatus;
use climb_people::policy::{Action, Resource};
use climb_people::{Email, Org, PersonId};
use climb_server::{ApiError, AppState};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::chart::{RoleLink, all_roles};
use crate::error::{IdPath, PageError};
use crate::one_on_ones::see_other;
use crate::page::{Layout, Viewer, render_form};
use crate::tokens::api;

/// An opening in the list.
#[derive(Debug)]
struct Row {
    id: i64,
    role: String,
    role_title: String,
    team: (i64, String),
    status: String,
    opened_on: String,
    closed_on: String,
    hire: Option<(i64, String)>,
    may_cancel: bool,
}

/// The open-a-role form as typed.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct OpenForm {
    #[serde(default)]
    manager: String,
    #[serde(default)]
    role: String,
}

/// The fill form as typed, for the opening it was typed into.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct FillForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    start_date: String,
}

/// `?status=` of the list: `open` (default), `filled`, `cancelled` or `all`.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct ListQuery {
    #[serde(default)]
    status: Option<String>,
}

#[derive(Template)]
#[template(path = "openings.html")]
struct OpeningsPage {
    layout: Layout,
    status: String,
    rows: Vec<Row>,
    roles: Vec<RoleLink>,
    /// Whether the viewer may open roles at all, and on any team.
    may_open: bool,
    any_team: bool,
    /// Whether the viewer may fill openings (HR and administrators).
    may_fill: bool,
    open_form: OpenForm,
    /// The opening whose fill form was refused, with what was typed.
    fill_form: Option<(i64, FillForm)>,
    notice: Option<String>,
    problem: Option<String>,
}

/// What a page shows besides the list.
#[derive(Debug, Default)]
struct Extras {
    open_form: OpenForm,
    fill_form: Option<(i64, FillForm)>,
    notice: Option<String>,
    problem: Option<String>,
}

fn name(org: &Org, person: i64) -> String {
    org.person(PersonId(person))
        .map_or_else(|| format!("person #{person}"), |p| p.name.clone())
}

async fn page(
    state: &AppState,
    viewer: &Viewer,
    status: &str,
    extras: Extras,
) -> Result<Response, PageError> {
    viewer
        .user
        .view(&*state.org().await?, &Resource::Directory)?;
    let wanted = match status {
        "all" => None,
        other => OpeningStatus::parse(other),
    };
    let openings = state
        .store()
        .openings(wanted)
        .await
        .map_err(ApiError::from)?;
    let framework = state.framework();
    let org = state.org().await?;
    let me = viewer.user.actor().person;
    let may = |action: &Action| {
        viewer
            .user
            .act(&org, &framework, action, "openings")
            .is_ok()
    };
    let privileged = viewer.user.actor().is_admin_or_hr();
    let manages = me.is_some_and(|me| {
        framework
            .role(org.person(me).map_or("", |p| p.role.as_str()))
            .is_some_and(|role| role.reports)
    });
    let rows = openings
        .iter()
        .map(|o| {
            let role = o.role.to_string();
            Row {
                id: o.id,
                role_title: framework
                    .role(&role)
                    .map_or_else(|| role.clone(), |r| r.title.clone()),
                role,
                team: (o.manager.0, name(&org, o.manager.0)),
                status: o.status.as_str().to_owned(),
                opened_on: o.opened_at.date_naive().to_string(),
                closed_on: o
                    .closed_at
                    .map_or_else(String::new, |t| t.date_naive().to_string()),
                hire: o.hire.map(|p| (p.0, name(&org, p.0))),
                may_cancel: may(&Action::OpenPosition { manager: o.manager }),
            }
        })
        .collect();
    let page = OpeningsPage {
        layout: viewer.layout.at("openings"),
        status: status.to_owned(),
        rows,
        roles: all_roles(&framework)
            .into_iter()
            .filter(|r| {
                viewer.layout.admin || framework.role(&r.id).is_some_and(|role| !role.hire_only)
            })
            .collect(),
        may_open: privileged || manages,
        any_team: privileged,
        may_fill: may(&Action::Hire),
        open_form: extras.open_form,
        fill_form: extras.fill_form,
        notice: extras.notice,
        problem: extras.problem,
    };
    drop(org);
    render_form(&page, page.problem.is_some())
}

/// The list filter as one of the known values.
fn status_of(query: &ListQuery) -> &str {
    match query.status.as_deref() {
        Some("filled") => "filled",
        Some("cancelled") => "cancelled",
        Some("all") => "all",
        _ => "open",
    }
}

/// `GET /openings`.
pub(crate) async fn list(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(query): Query<ListQuery>,
) -> Result<Response, PageError> {
    page(&state, &viewer, status_of(&query), Extras::default()).await
}

/// The message of an API error answer, as a sentence.
fn message(answer: &Value, fallback: &str) -> String {
    let text = crate::page::sentence(answer["error"]["message"].as_str().unwrap_or(""));
    if text.is_empty() {
        fallback.to_owned()
    } else {
        text
    }
}

/// `POST /openings`: opens a role on a team (the viewer's own unless they
/// are HR or an administrator, who name the team's manager by email).
pub(crate) async fn open(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Form(form): Form<OpenForm>,
) -> Result<Response, PageError> {
    let manager = {
        let org = state.org().await?;
        viewer.user.view(&org, &Resource::Directory)?;
        if form.manager.trim().is_empty() {
            viewer
                .user
                .actor()
                .person
                .ok_or_else(|| "Name the team by its manager's email.".to_owned())
        } else {
            Email::parse(form.manager.trim())
                .map_err(|_| "The team's manager must be given by their email address.".to_owned())
                .and_then(|email| {
                    org.person_by_email(&email)
                        .map(|p| p.id)
                        .ok_or_else(|| format!("No one in the company has the email {email}."))
                })
        }
    };
    let refused = |problem: String, form: OpenForm| Extras {
        open_form: form,
        problem: Some(problem),
        ..Extras::default()
    };
    let manager = match manager {
        Ok(manager) => manager,
        Err(problem) => {
            return page(&state, &viewer, "open", refused(problem, form)).await;
        }
    };
    let (status, answer) = api(
        &state,
        &headers,
        Method::POST,
        "/api/v1/openings",
        Some(json!({"manager": manager.0, "role": form.role.trim()})),
    )
    .await?;
    if status == StatusCode::CREATED {
        return Ok(see_other("/openings"));
    }
    if status == StatusCode::FORBIDDEN || status == StatusCode::UNAUTHORIZED {
        return Err(PageError::Status(
            StatusCode::FORBIDDEN,
            "Only the team's manager, HR and administrators open roles on a team.",
        ));
    }
    let problem = message(&answer, "The role could not be opened.");
    page(&state, &viewer, "open", refused(problem, form)).await
}

/// `POST /openings/{id}/cancel`.
pub(crate) async fn cancel(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    IdPath(id): IdPath<i64>,
) -> Result<Response, PageError> {
    let (status, answer) = api(
        &state,
        &headers,
        Method::POST,
        &format!("/api/v1/openings/{id}/cancel"),
        None,
    )
    .await?;
    match status {
        StatusCode::OK => Ok(see_other("/openings")),
        StatusCode::FORBIDDEN | StatusCode::UNAUTHORIZED => Err(PageError::Status(
            StatusCode::FORBIDDEN,
            "Only the team's manager, HR and administrators cancel its openings.",
        )),
        StatusCode::NOT_FOUND => Err(PageError::Status(
            StatusCode::NOT_FOUND,
            "There is no such opening.",
        )),
        _ => {
            let extras = Extras {
                problem: Some(message(&answer, "The opening could not be cancelled.")),
                ..Extras::default()
            };
            page(&state, &viewer, "open", extras).await
        }
    }
}

/// `POST /openings/{id}/fill`: hires into the opening (HR, administrators).
pub(crate) async fn fill(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    IdPath(id): IdPath<i64>,
    Form(form): Form<FillForm>,
) -> Result<Response, PageError> {
    let mut body = json!({"name": form.name.trim(), "email": form.email.trim()});
    let start = form.start_date.trim();
    if !start.is_empty() {
        if chrono::NaiveDate::parse_from_str(start, "%Y-%m-%d").is_err() {
            let extras = Extras {
                problem: Some("The first day must be a date such as 2027-01-04.".to_owned()),
                fill_form: Some((id, form)),
                ..Extras::default()
            };
            return page(&state, &viewer, "open", extras).await;
        }
        body["start_date"] = json!(start);
    }
    let (status, answer) = api(
        &state,
        &headers,
        Method::POST,
        &format!("/api/v1/openings/{id}/fill"),
        Some(body),
    )
    .await?;
    match status {
        StatusCode::CREATED => {
            let person = answer["person"].as_i64().unwrap_or(0);
            Ok(see_other(&format!("/people/{person}")))
        }
        StatusCode::FORBIDDEN | StatusCode::UNAUTHORIZED => Err(PageError::Status(
            StatusCode::FORBIDDEN,
            "Only HR and administrators hire.",
        )),
        _ => {
            let extras = Extras {
                problem: Some(message(&answer, "The opening could not be filled.")),
                fill_form: Some((id, form)),
                ..Extras::default()
            };
            page(&state, &viewer, "open", extras).await
        }
    }
}
