//! One-on-one pages: the overview (your own one-on-one and, for a manager,
//! every report with last and next meeting and overdue ones flagged), a
//! pair's page (schedule, meetings, calendar link) and a meeting's page
//! (shared agenda, notes, action items, marking it held). Every write asks
//! the policy and goes through the same store calls as the API.

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use climb_management::one_on_one::{self, Cadence, OneOnOneError, Schedule, Text};
use climb_people::PersonId;
use climb_people::policy::{Action, Resource};
use climb_server::{ApiError, AppState};
use serde::Deserialize;

use crate::error::{IdPath, PageError};
use crate::page::{Layout, Viewer, render, render_form};

/// A report's row in the overview.
#[derive(Debug)]
struct Standing {
    id: i64,
    name: String,
    cadence: String,
    last: String,
    next: String,
    overdue: bool,
}

#[derive(Template)]
#[template(path = "one_on_ones.html")]
struct OverviewPage {
    layout: Layout,
    mine: Option<(i64, String)>,
    reports: Vec<Standing>,
}

/// A meeting in a pair's list.
#[derive(Debug)]
struct MeetingRow {
    id: i64,
    when: String,
    held: bool,
}

#[derive(Template)]
#[template(path = "one_on_one_pair.html")]
struct PairPage {
    layout: Layout,
    report: (i64, String),
    manager: Option<(i64, String)>,
    schedule: String,
    may_schedule: bool,
    form: ScheduleForm,
    meetings: Vec<MeetingRow>,
    feed: Option<String>,
    is_me: bool,
    error: Option<String>,
}

#[derive(Debug)]
struct AgendaRow {
    id: i64,
    text: String,
    author: String,
    discussed: bool,
}

#[derive(Debug)]
struct NoteRow {
    text: String,
    author: String,
    private: bool,
}

#[derive(Debug)]
struct ActionRow {
    id: i64,
    text: String,
    owner: String,
    due: String,
    overdue: bool,
}

#[derive(Template)]
#[template(path = "one_on_one_meeting.html")]
struct MeetingPage {
    layout: Layout,
    id: i64,
    report: (i64, String),
    manager: Option<(i64, String)>,
    when: String,
    held: bool,
    may_take_part: bool,
    agenda: Vec<AgendaRow>,
    notes: Vec<NoteRow>,
    actions: Vec<ActionRow>,
    error: Option<String>,
}

pub(crate) fn see_other(to: &str) -> Response {
    let mut response = StatusCode::SEE_OTHER.into_response();
    if let Ok(value) = HeaderValue::from_str(to) {
        response.headers_mut().insert(header::LOCATION, value);
    }
    response
}

/// A meeting's time in the viewer's zone, with the time in the meeting's
/// own zone (its schedule's) when that is another one: the overview, the
/// pair page and the meeting page all say it this way.
fn meeting_time(layout: &Layout, at: DateTime<Utc>, schedule: Option<&Schedule>) -> String {
    let mine = layout.time(at);
    match schedule {
        Some(s) if s.zone() != layout.zone => format!(
            "{mine} ({} {} for the meeting)",
            at.with_timezone(&s.zone()).format("%H:%M"),
            s.zone().name()
        ),
        _ => mine,
    }
}

/// `GET /one-on-ones`.
pub(crate) async fn overview(
    State(state): State<AppState>,
    viewer: Viewer,
) -> Result<Response, PageError> {
    let me = viewer.user.actor().person;
    let (manager, reports) = {
        let org = state.org().await?;
        viewer.user.view(&org, &Resource::Directory)?;
        let manager = me
            .and_then(|me| org.index().manager(me))
            .and_then(|m| org.person(m).map(|p| p.name.clone()));
        let reports: Vec<(PersonId, String)> = me
            .map(|me| org.reports(me))
            .unwrap_or_default()
            .into_iter()
            .filter_map(|r| org.person(r).map(|p| (r, p.name.clone())))
            .collect();
        (manager, reports)
    };
    let mine = match (me, manager) {
        (Some(me), Some(name)) => Some((me.0, name)),
        _ => None,
    };
    let now = Utc::now();
    let mut rows = Vec::new();
    for (report, name) in reports {
        let schedule = state
            .store()
            .schedule(report)
            .await
            .map_err(ApiError::from)?;
        let (last, next) = state
            .store()
            .last_and_next(report)
            .await
            .map_err(ApiError::from)?;
        let s = one_on_one::overview(
            schedule.as_ref(),
            last.and_then(|m| m.held_at),
            next.map(|m| m.starts_at),
            now,
        );
        rows.push(Standing {
            id: report.0,
            name,
            cadence: schedule.as_ref().map_or_else(
                || "no schedule".to_owned(),
                |s| s.cadence().as_str().to_owned(),
            ),
            last: s
                .last_held
                .map_or_else(|| "never".to_owned(), |at| viewer.layout.time(at)),
            next: s.next.map_or_else(
                || "none".to_owned(),
                |at| meeting_time(&viewer.layout, at, schedule.as_ref()),
            ),
            overdue: s.overdue,
        });
    }
    rows.sort_by(|a, b| b.overdue.cmp(&a.overdue).then_with(|| a.name.cmp(&b.name)));
    render(&OverviewPage {
        layout: viewer.layout.at("one-on-ones"),
        mine,
        reports: rows,
    })
}

/// The schedule form's fields (also its defaults).
#[derive(Debug, Deserialize)]
pub(crate) struct ScheduleForm {
    cadence: String,
    first_date: String,
    time: String,
    time_zone: String,
    minutes: String,
}

impl ScheduleForm {
    fn of(schedule: Option<&Schedule>) -> Self {
        match schedule {
            Some(s) => Self {
                cadence: s.cadence().as_str().to_owned(),
                first_date: s.first().to_string(),
                time: s.time().format("%H:%M").to_string(),
                time_zone: s.zone().name().to_owned(),
                minutes: s.minutes().to_string(),
            },
            None => Self {
                cadence: "weekly".to_owned(),
                first_date: Utc::now().date_naive().to_string(),
                time: "10:00".to_owned(),
                time_zone: "UTC".to_owned(),
                minutes: "30".to_owned(),
            },
        }
    }

    fn parse(&self) -> Result<Schedule, String> {
        let date = NaiveDate::parse_from_str(self.first_date.trim(), "%Y-%m-%d")
            .map_err(|_| "The first day must be a date.".to_owned())?;
        let time = NaiveTime::parse_from_str(self.time.trim(), "%H:%M")
            .map_err(|_| "The time must be HH:MM.".to_owned())?;
        let minutes: u16 = self
            .minutes
            .trim()
            .parse()
            .map_err(|_| "The length must be a number of minutes.".to_owned())?;
        let zone = one_on_one::parse_zone(self.time_zone.trim()).map_err(|e| e.to_string())?;
        let cadence = Cadence::parse(&self.cadence).map_err(|e| e.to_string())?;
        Schedule::new(cadence, date, time, zone, minutes).map_err(|e| e.to_string())
    }
}

async fn pair_page(
    state: &AppState,
    viewer: &Viewer,
    report: PersonId,
    form: Option<ScheduleForm>,
    feed: Option<String>,
    error: Option<String>,
) -> Result<Response, PageError> {
    let (name, manager, may_schedule) = {
        let org = state.org().await?;
        viewer.user.view(&org, &Resource::Records(report))?;
        let name = org
            .person(report)
            .map_or_else(String::new, |p| p.name.clone());
        let manager = org
            .index()
            .manager(report)
            .and_then(|m| org.person(m).map(|p| (m.0, p.name.clone())));
        let may = viewer
            .user
            .act(
                &org,
                &state.framework(),
                &Action::ScheduleOneOnOne { report },
                "schedule",
            )
            .is_ok()
            && manager.is_some();
        (name, manager, may)
    };
    let schedule = state
        .store()
        .schedule(report)
        .await
        .map_err(ApiError::from)?;
    let meetings = state
        .store()
        .meetings(report, 20)
        .await
        .map_err(ApiError::from)?
        .into_iter()
        .map(|m| MeetingRow {
            id: m.id,
            when: meeting_time(&viewer.layout, m.starts_at, schedule.as_ref()),
            held: m.held_at.is_some(),
        })
        .collect();
    let described = schedule.as_ref().map_or_else(
        || "No schedule yet.".to_owned(),
        |s| {
            format!(
                "{}, from {}, at {} {} for {} minutes",
                s.cadence().as_str(),
                s.first(),
                s.time().format("%H:%M"),
                s.zone().name(),
                s.minutes()
            )
        },
    );
    let page = PairPage {
        layout: viewer.layout.at("one-on-ones"),
        report: (report.0, name),
        manager,
        schedule: described,
        may_schedule,
        form: form.unwrap_or_else(|| ScheduleForm::of(schedule.as_ref())),
        meetings,
        feed,
        is_me: viewer.user.actor().person == Some(report),
        error,
    };
    render_form(&page, page.error.is_some())
}

/// `GET /one-on-ones/with/{report}`.
pub(crate) async fn pair(
    State(state): State<AppState>,
    viewer: Viewer,
    IdPath(report): IdPath<i64>,
) -> Result<Response, PageError> {
    pair_page(&state, &viewer, PersonId(report), None, None, None).await
}

/// `POST /one-on-ones/with/{report}/schedule`.
pub(crate) async fn set_schedule(
    State(state): State<AppState>,
    viewer: Viewer,
    IdPath(report): IdPath<i64>,
    Form(form): Form<ScheduleForm>,
) -> Result<Response, PageError> {
    let report = PersonId(report);
    {
        let org = state.org().await?;
        viewer.user.view(&org, &Resource::Records(report))?;
        viewer.user.act(
            &org,
            &state.framework(),
            &Action::ScheduleOneOnOne { report },
            "set this one-on-one's schedule",
        )?;
        if org.index().manager(report).is_none() {
            return Err(ApiError::from(OneOnOneError::NoManager(report)).into());
        }
    }
    match form.parse() {
        Ok(schedule) => {
            state
                .store()
                .set_schedule(viewer.user.actor(), report, &schedule, Utc::now())
                .await
                .map_err(ApiError::from)?;
            Ok(see_other(&format!("/one-on-ones/with/{}", report.0)))
        }
        Err(message) => pair_page(&state, &viewer, report, Some(form), None, Some(message)).await,
    }
}

/// `POST /one-on-ones/with/{report}/feed`: a new calendar link for oneself, shown once.
pub(crate) async fn new_feed(
    State(state): State<AppState>,
    viewer: Viewer,
    IdPath(report): IdPath<i64>,
) -> Result<Response, PageError> {
    let person = viewer.user.actor().person.ok_or(PageError::Status(
        StatusCode::FORBIDDEN,
        "Only people of the company have a calendar.",
    ))?;
    {
        let org = state.org().await?;
        viewer.user.act(
            &org,
            &state.framework(),
            &Action::ManageCalendarFeed { person },
            "manage this calendar link",
        )?;
    }
    let token = climb_server::auth::new_secret(climb_server::api::one_on_ones::FEED_PREFIX)?;
    state
        .store()
        .set_feed_token(
            viewer.user.actor(),
            person,
            Some(&climb_server::auth::hash_secret(&token)),
        )
        .await
        .map_err(ApiError::from)?;
    let feed = format!("/api/v1/calendar/{token}");
    pair_page(&state, &viewer, PersonId(report), None, Some(feed), None).await
}

async fn meeting_page(
    state: &AppState,
    viewer: &Viewer,
    id: i64,
    error: Option<String>,
) -> Result<Response, PageError> {
    let meeting = state.store().meeting(id).await.map_err(ApiError::from)?;
    let agenda = state.store().agenda(id).await.map_err(ApiError::from)?;
    let notes = state.store().notes(id).await.map_err(ApiError::from)?;
    let actions = state
        .store()
        .actions(meeting.report)
        .await
        .map_err(ApiError::from)?;
    let schedule = state
        .store()
        .schedule(meeting.report)
        .await
        .map_err(ApiError::from)?;
    let org = state.org().await?;
    viewer.user.view(&org, &Resource::Records(meeting.report))?;
    let name = |p: PersonId| org.person(p).map_or_else(String::new, |p| p.name.clone());
    let manager = org.index().manager(meeting.report).map(|m| (m.0, name(m)));
    let may_take_part = viewer
        .user
        .act(
            &org,
            &state.framework(),
            &Action::TakePartInOneOnOne {
                report: meeting.report,
            },
            "take part",
        )
        .is_ok();
    let today = viewer.layout.today();
    let page = MeetingPage {
        layout: viewer.layout.at("one-on-ones"),
        id,
        report: (meeting.report.0, name(meeting.report)),
        manager,
        when: meeting_time(&viewer.layout, meeting.starts_at, schedule.as_ref()),
        held: meeting.held_at.is_some(),
        may_take_part,
        agenda: agenda
            .into_iter()
            .map(|a| AgendaRow {
                id: a.id,
                author: name(a.author),
                text: a.text,
                discussed: a.discussed,
            })
            .collect(),
        notes: notes
            .into_iter()
            .filter(|n| {
                !n.private
                    || viewer
                        .user
                        .view(&org, &Resource::PrivateNote { author: n.author })
                        .is_ok()
            })
            .map(|n| NoteRow {
                author: name(n.author),
                text: n.text,
                private: n.private,
            })
            .collect(),
        actions: actions
            .into_iter()
            .filter(|a| a.done_on.is_none())
            .map(|a| ActionRow {
                id: a.id,
                owner: name(a.owner),
                overdue: a.due < today,
                due: a.due.to_string(),
                text: a.text,
            })
            .collect(),
        error,
    };
    drop(org);
    render_form(&page, page.error.is_some())
}

/// `GET /one-on-ones/{id}`.
pub(crate) async fn meeting(
    State(state): State<AppState>,
    viewer: Viewer,
    IdPath(id): IdPath<i64>,
) -> Result<Response, PageError> {
    meeting_page(&state, &viewer, id, None).await
}

/// Checks the viewer takes part in meeting `id`; returns the report and the viewer's person.
async fn take_part(
    state: &AppState,
    viewer: &Viewer,
    id: i64,
) -> Result<(PersonId, PersonId), PageError> {
    let meeting = state.store().meeting(id).await.map_err(ApiError::from)?;
    let org = state.org().await?;
    viewer.user.view(&org, &Resource::Records(meeting.report))?;
    viewer.user.act(
        &org,
        &state.framework(),
        &Action::TakePartInOneOnOne {
            report: meeting.report,
        },
        "take part in this one-on-one",
    )?;
    let me = viewer.user.actor().person.ok_or(PageError::Status(
        StatusCode::FORBIDDEN,
        "Only the pair takes part.",
    ))?;
    Ok((meeting.report, me))
}

/// A text field.
#[derive(Debug, Deserialize)]
pub(crate) struct TextForm {
    text: String,
    #[serde(default)]
    private: Option<String>,
}

/// `POST /one-on-ones/{id}/agenda`.
pub(crate) async fn add_agenda(
    State(state): State<AppState>,
    viewer: Viewer,
    IdPath(id): IdPath<i64>,
    Form(form): Form<TextForm>,
) -> Result<Response, PageError> {
    let (_, me) = take_part(&state, &viewer, id).await?;
    let text = match Text::parse(&form.text, "agenda item", Text::ITEM_MAX) {
        Ok(text) => text,
        Err(e) => return meeting_page(&state, &viewer, id, Some(e.to_string())).await,
    };
    state
        .store()
        .add_agenda_item(viewer.user.actor(), id, me, text)
        .await
        .map_err(ApiError::from)?;
    Ok(see_other(&format!("/one-on-ones/{id}")))
}

/// `POST /one-on-ones/agenda/{item}/toggle`.
pub(crate) async fn toggle_agenda(
    State(state): State<AppState>,
    viewer: Viewer,
    IdPath(item): IdPath<i64>,
) -> Result<Response, PageError> {
    let current = state
        .store()
        .agenda_item(item)
        .await
        .map_err(ApiError::from)?;
    take_part(&state, &viewer, current.meeting).await?;
    state
        .store()
        .set_discussed(viewer.user.actor(), item, !current.discussed)
        .await
        .map_err(ApiError::from)?;
    Ok(see_other(&format!("/one-on-ones/{}", current.meeting)))
}

/// `POST /one-on-ones/{id}/notes`.
pub(crate) async fn add_note(
    State(state): State<AppState>,
    viewer: Viewer,
    IdPath(id): IdPath<i64>,
    Form(form): Form<TextForm>,
) -> Result<Response, PageError> {
    let (_, me) = take_part(&state, &viewer, id).await?;
    let text = match Text::parse(&form.text, "note", Text::NOTE_MAX) {
        Ok(text) => text,
        Err(e) => return meeting_page(&state, &viewer, id, Some(e.to_string())).await,
    };
    state
        .store()
        .add_note(viewer.user.actor(), id, me, form.private.is_some(), text)
        .await
        .map_err(ApiError::from)?;
    Ok(see_other(&format!("/one-on-ones/{id}")))
}

/// The action item form.
#[derive(Debug, Deserialize)]
pub(crate) struct ActionForm {
    text: String,
    owner: i64,
    due: String,
}

/// `POST /one-on-ones/{id}/actions`.
pub(crate) async fn add_action(
    State(state): State<AppState>,
    viewer: Viewer,
    IdPath(id): IdPath<i64>,
    Form(form): Form<ActionForm>,
) -> Result<Response, PageError> {
    let (report, _) = take_part(&state, &viewer, id).await?;
    let manager = state.org().await?.index().manager(report);
    let checked = Text::parse(&form.text, "action item", Text::ITEM_MAX)
        .map_err(|e| e.to_string())
        .and_then(|text| {
            let due = NaiveDate::parse_from_str(form.due.trim(), "%Y-%m-%d")
                .map_err(|_| "The due day must be a date.".to_owned())?;
            let manager = manager.ok_or_else(|| OneOnOneError::NoManager(report).to_string())?;
            one_on_one::check_owner(PersonId(form.owner), report, manager)
                .map_err(|e| e.to_string())?;
            Ok((text, due))
        });
    let (text, due) = match checked {
        Ok(ok) => ok,
        Err(message) => return meeting_page(&state, &viewer, id, Some(message)).await,
    };
    state
        .store()
        .add_action(viewer.user.actor(), id, PersonId(form.owner), text, due)
        .await
        .map_err(ApiError::from)?;
    Ok(see_other(&format!("/one-on-ones/{id}")))
}

/// `POST /one-on-ones/actions/{id}/done`.
pub(crate) async fn action_done(
    State(state): State<AppState>,
    viewer: Viewer,
    IdPath(id): IdPath<i64>,
) -> Result<Response, PageError> {
    let item = state.store().action(id).await.map_err(ApiError::from)?;
    take_part(&state, &viewer, item.meeting).await?;
    state
        .store()
        .set_action_done(viewer.user.actor(), id, Some(viewer.layout.today()))
        .await
        .map_err(ApiError::from)?;
    Ok(
        match state
            .store()
            .last_and_next(item.report)
            .await
            .map_err(ApiError::from)?
        {
            (_, Some(next)) => see_other(&format!("/one-on-ones/{}", next.id)),
            _ => see_other(&format!("/one-on-ones/{}", item.meeting)),
        },
    )
}

/// `POST /one-on-ones/{id}/hold`: marks it held and opens the next meeting.
pub(crate) async fn hold(
    State(state): State<AppState>,
    viewer: Viewer,
    IdPath(id): IdPath<i64>,
) -> Result<Response, PageError> {
    let (report, _) = take_part(&state, &viewer, id).await?;
    let manager = state
        .org()
        .await?
        .index()
        .manager(report)
        .ok_or_else(|| ApiError::from(OneOnOneError::NoManager(report)))?;
    let schedule = state
        .store()
        .schedule(report)
        .await
        .map_err(ApiError::from)?
        .ok_or(PageError::Status(
            StatusCode::NOT_FOUND,
            "This one-on-one has no schedule.",
        ))?;
    let next = state
        .store()
        .hold_meeting(viewer.user.actor(), id, manager, &schedule, Utc::now())
        .await
        .map_err(ApiError::from)?;
    Ok(see_other(&format!("/one-on-ones/{}", next.id)))
}
