//! The home page, "what needs me": the reviews, sign-offs, one-on-ones,
//! action items and promotion decisions waiting on the viewer, most urgent
//! first, each linking to the page where it is done; then the company
//! updates addressed to them, with the form to post one. The tasks are
//! read by `climb_server::inbox::tasks_of` and worded by
//! `climb_management::inbox::describe`, as the weekly digest mail's are.

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use chrono::NaiveDate;
use climb_framework::Framework;
use climb_management::inbox::{self, Task, Urgency};
use climb_management::update::{Audience, Post};
use climb_people::policy::{Action, Resource};
use climb_people::{Org, PersonId};
use climb_server::api::updates::UpdateView;
use climb_server::{ApiError, AppState};
use serde::Deserialize;

use crate::error::PageError;
use crate::one_on_ones::see_other;
use crate::page::{Layout, Viewer, render_form};

/// A task as the page shows it.
#[derive(Debug)]
struct TaskRow {
    /// What to do, as a sentence.
    text: String,
    /// Where it is done.
    href: String,
    /// `overdue`, `today`, `this-week` or `open`.
    urgency: &'static str,
    /// The due day or how long it has waited, in words.
    when: String,
}

/// The update form as typed, shown again when it is refused.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct UpdateForm {
    #[serde(default)]
    title: String,
    #[serde(default)]
    body: String,
    #[serde(default)]
    audience: String,
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    layout: Layout,
    first_name: String,
    tasks: Vec<TaskRow>,
    overdue: usize,
    updates: Vec<UpdateView>,
    post_team: bool,
    post_company: bool,
    draft: UpdateForm,
    problem: Option<String>,
}

/// `GET /`.
pub(crate) async fn home(
    State(state): State<AppState>,
    viewer: Viewer,
) -> Result<Response, PageError> {
    page(&state, &viewer, UpdateForm::default(), None).await
}

/// `POST /updates`: posts an update and goes back home; a refused one comes
/// back on the home page as it was typed, with the reason.
pub(crate) async fn post_update(
    State(state): State<AppState>,
    viewer: Viewer,
    Form(form): Form<UpdateForm>,
) -> Result<Response, PageError> {
    let company = form.audience == "company";
    let author = {
        let org = state.org().await?;
        viewer.user.act(
            &org,
            &state.framework(),
            &Action::PostUpdate { company },
            "post this update",
        )?;
        viewer.user.actor().person.ok_or(PageError::Status(
            StatusCode::FORBIDDEN,
            "Post updates as a person of the company.",
        ))?
    };
    let post = match Post::parse(&form.title, &form.body) {
        Ok(post) => post,
        Err(error) => {
            let problem = crate::page::sentence(&error.to_string());
            return page(&state, &viewer, form, Some(problem)).await;
        }
    };
    let audience = if company {
        Audience::Company
    } else {
        Audience::Team { manager: author }
    };
    state
        .store()
        .post_update(viewer.user.actor(), author, audience, post)
        .await
        .map_err(ApiError::from)?;
    Ok(see_other("/"))
}

async fn page(
    state: &AppState,
    viewer: &Viewer,
    draft: UpdateForm,
    problem: Option<String>,
) -> Result<Response, PageError> {
    let me = viewer.user.actor().person;
    let (post_team, post_company, first_name) = {
        let org = state.org().await?;
        viewer.user.view(&org, &Resource::Directory)?;
        let may = |company| {
            me.is_some()
                && viewer
                    .user
                    .act(
                        &org,
                        &state.framework(),
                        &Action::PostUpdate { company },
                        "post updates",
                    )
                    .is_ok()
        };
        let name = viewer.layout.name.clone();
        let first = name.split_whitespace().next().unwrap_or(&name).to_owned();
        (may(false), may(true), first)
    };
    let today = viewer.layout.today();
    // The layout read them for the navigation's counts.
    let tasks = match &viewer.tasks {
        Some(tasks) => tasks.clone(),
        None => {
            climb_server::inbox::tasks_of(state, viewer.user.actor(), today, viewer.layout.zone)
                .await?
        }
    };
    let updates = climb_server::api::updates::updates_for(state, &viewer.user).await?;
    let framework = state.framework();
    let org = state.org().await?;
    let rows: Vec<TaskRow> = tasks
        .iter()
        .map(|task| row(&framework, &org, me, task, today))
        .collect();
    drop(org);
    let refused = problem.is_some();
    render_form(
        &HomePage {
            layout: viewer.layout.at("home"),
            first_name,
            overdue: tasks
                .iter()
                .filter(|t| t.urgency == Urgency::Overdue)
                .count(),
            tasks: rows,
            updates: updates.into_iter().take(5).collect(),
            post_team,
            post_company,
            draft,
            problem,
        },
        refused,
    )
}

/// A task in words, with its link.
fn row(
    framework: &Framework,
    org: &Org,
    me: Option<PersonId>,
    task: &Task,
    today: NaiveDate,
) -> TaskRow {
    let described = inbox::describe(framework, org, me, task, today);
    TaskRow {
        text: described.text,
        href: described.href,
        urgency: task.urgency.as_str(),
        when: described.when,
    }
}
