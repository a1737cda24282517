//! The home page, "what needs me": the reviews, sign-offs, one-on-ones,
//! action items and promotion decisions waiting on the viewer, most urgent
//! first, each linking to the page where it is done; then the company
//! updates addressed to them, with the form to post one. Which facts are
//! tasks and in what order is decided by `climb_management::inbox`; this
//! module reads the facts and words them.

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use chrono::{NaiveDate, Utc};
use climb_framework::Framework;
use climb_management::inbox::{self, Task, Urgency, Work};
use climb_management::update::{Audience, Post};
use climb_people::policy::{Action, Resource};
use climb_people::{Org, PersonId};
use climb_server::api::updates::UpdateView;
use climb_server::auth::Authenticated;
use climb_server::{ApiError, AppState};
use serde::Deserialize;

use crate::error::PageError;
use crate::one_on_ones::see_other;
use crate::page::{Layout, Viewer, render_form};
use crate::promotions::awaiting_decision;

/// At most this many proposals are read to list decisions.
const DECISIONS_SHOWN: usize = 20;

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
    let (reports, post_team, post_company, first_name) = {
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
        let reports = me.map(|me| org.reports(me)).unwrap_or_default();
        let name = viewer.layout.name.clone();
        let first = name.split_whitespace().next().unwrap_or(&name).to_owned();
        (reports, may(false), may(true), first)
    };
    let today = viewer.layout.today();
    // The layout read them for the navigation's counts.
    let tasks = match &viewer.tasks {
        Some(tasks) => tasks.clone(),
        None => tasks(state, &viewer.user, &reports, today, viewer.layout.zone).await?,
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

/// Everything waiting on `user`, most urgent first: their reviews and
/// one-on-ones and their reports' (`reports`), the proposals awaiting their
/// decision and, for HR and administrators, the openings to fill.
pub(crate) async fn tasks(
    state: &AppState,
    user: &Authenticated,
    reports: &[PersonId],
    today: NaiveDate,
    zone: chrono_tz::Tz,
) -> Result<Vec<Task>, PageError> {
    let mut tasks = match user.actor().person {
        Some(me) => person_tasks(state, me, reports, today, zone).await?,
        None => Vec::new(),
    };
    let decisions = awaiting_decision(state, user, reports).await?;
    let read = state
        .store()
        .proposals(&decisions[..decisions.len().min(DECISIONS_SHOWN)])
        .await
        .map_err(ApiError::from)?;
    tasks.extend(
        read.iter()
            .map(|p| inbox::decision_task(p.id, p.person, p.created_on)),
    );
    if user.actor().is_admin_or_hr() {
        let open = state
            .store()
            .openings(Some(climb_management::opening::OpeningStatus::Open))
            .await
            .map_err(ApiError::from)?;
        tasks.extend(
            open.into_iter()
                .map(|o| inbox::opening_task(o.id, o.role, o.manager, o.opened_at.date_naive())),
        );
    }
    inbox::sort(&mut tasks);
    Ok(tasks)
}

/// The tasks of a person of the company: their reviews and their reports',
/// their one-on-ones, and the action items they own.
async fn person_tasks(
    state: &AppState,
    me: PersonId,
    reports: &[PersonId],
    today: NaiveDate,
    zone: chrono_tz::Tz,
) -> Result<Vec<Task>, PageError> {
    let store = state.store();
    let mut reviews = store.person_reviews(me).await.map_err(ApiError::from)?;
    reviews.extend(
        store
            .open_reviews_of(reports)
            .await
            .map_err(ApiError::from)?,
    );
    let mut tasks = inbox::review_tasks(me, reports, &reviews);
    let now = Utc::now();
    // Their own one-on-one with their manager, then one per report; only a
    // manager keeps the cadence, so only theirs can be overdue.
    for (report, keeps_cadence) in
        std::iter::once((me, false)).chain(reports.iter().map(|r| (*r, true)))
    {
        let schedule = store.schedule(report).await.map_err(ApiError::from)?;
        let (last, next) = store.last_and_next(report).await.map_err(ApiError::from)?;
        let standing = climb_management::one_on_one::overview(
            schedule.as_ref(),
            last.and_then(|m| m.held_at),
            next.as_ref().map(|m| m.starts_at),
            now,
        );
        let meeting = next.map(|m| {
            // The viewer's day, as `today` is.
            let day = m.starts_at.with_timezone(&zone).date_naive();
            (m.id, day)
        });
        let overdue = keeps_cadence && schedule.is_some() && standing.overdue;
        if report == me && schedule.is_none() {
            continue;
        }
        tasks.extend(inbox::one_on_one_task(report, meeting, overdue, today));
        for action in store.actions(report).await.map_err(ApiError::from)? {
            if action.owner != me {
                continue;
            }
            tasks.extend(inbox::action_task(
                action.id,
                report,
                action.meeting,
                &action.text,
                action.due,
                action.done_on.is_some(),
                today,
            ));
        }
    }
    Ok(tasks)
}

fn name(org: &Org, person: PersonId) -> String {
    org.person(person)
        .map_or_else(|| "someone".to_owned(), |p| p.name.clone())
}

/// A task in words, with its link.
fn row(
    framework: &Framework,
    org: &Org,
    me: Option<PersonId>,
    task: &Task,
    today: NaiveDate,
) -> TaskRow {
    let (text, href) = match &task.work {
        Work::SelfReview { review } => (
            "Write your self-review".to_owned(),
            format!("/reviews/{}", review.0),
        ),
        Work::ManagerReview { review, person } => (
            format!("Write {}’s review", name(org, *person)),
            format!("/reviews/{}", review.0),
        ),
        Work::SignReview { review, person } if Some(*person) == me => (
            "Sign your review".to_owned(),
            format!("/reviews/{}", review.0),
        ),
        Work::SignReview { review, person } => (
            format!("Sign {}’s review", name(org, *person)),
            format!("/reviews/{}", review.0),
        ),
        Work::OneOnOne { report, meeting } => {
            let with = if Some(*report) == me {
                org.index()
                    .manager(*report)
                    .map_or_else(|| "your manager".to_owned(), |m| name(org, m))
            } else {
                name(org, *report)
            };
            let text = if task.urgency == Urgency::Overdue {
                format!("One-on-one with {with} is overdue")
            } else if task.urgency == Urgency::Today {
                format!("One-on-one with {with} today")
            } else {
                format!("One-on-one with {with}")
            };
            let href = match meeting {
                Some(id) => format!("/one-on-ones/{id}"),
                None => format!("/one-on-ones/with/{}", report.0),
            };
            (text, href)
        }
        Work::Action { text, meeting, .. } => {
            (format!("Action: {text}"), format!("/one-on-ones/{meeting}"))
        }
        Work::Decision { proposal, person } => (
            format!("Decide on {}’s promotion", name(org, *person)),
            format!("/promotions/{}", proposal.0),
        ),
        Work::Opening { id, role, manager } => (
            format!(
                "Fill the {} opening on {}’s team",
                framework
                    .role(role.as_str())
                    .map_or(role.as_str(), |r| r.title.as_str()),
                name(org, *manager)
            ),
            format!("/openings#opening-{id}"),
        ),
    };
    TaskRow {
        text,
        href,
        urgency: task.urgency.as_str(),
        when: when(task, today),
    }
}

/// The due day, or how long the task has waited, in words.
fn when(task: &Task, today: NaiveDate) -> String {
    match (task.due, task.since) {
        (Some(due), _) if due == today && !matches!(task.work, Work::OneOnOne { .. }) => {
            "due today".to_owned()
        }
        (Some(due), _) if due == today => String::new(),
        (Some(due), _) if due < today => {
            let days = (today - due).num_days();
            if days == 1 {
                "due yesterday".to_owned()
            } else {
                format!("due {days} days ago")
            }
        }
        (Some(due), _) => format!("{}", due.format("%a %-d %b")),
        (None, Some(since)) => {
            let days = (today - since).num_days();
            match days {
                i64::MIN..=0 => "new today".to_owned(),
                1 => "waiting since yesterday".to_owned(),
                _ => format!("waiting {days} days"),
            }
        }
        (None, None) => String::new(),
    }
}
