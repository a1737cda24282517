//! One-on-ones: a report's schedule, meetings, shared agenda, shared and
//! private notes, action items; a manager's overview of their reports; and
//! the calendar feed at a secret URL that needs no login. The report and
//! their direct manager take part; their management chain, HR and
//! administrators read; private notes are their author's alone.

use axum::Json;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Duration, NaiveDate, NaiveTime, Utc};
use climb_management::one_on_one::{self, Cadence, FeedEvent, Schedule, Text};
use climb_people::policy::{Action, Resource};
use climb_people::{Org, PersonId};
use climb_store::{ActionItem, AgendaItem, Meeting, Note};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::api::today;
use crate::auth::{self, Authenticated};
use crate::error::{ApiError, ErrorBody};
use crate::extract::{ApiJson, ApiPath};
use crate::state::AppState;

/// The prefix of calendar feed secrets.
pub const FEED_PREFIX: &str = "climbcal_";

pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_one_on_ones))
        .routes(routes!(set_schedule))
        .routes(routes!(overview))
        .routes(routes!(get_meeting))
        .routes(routes!(add_agenda_item))
        .routes(routes!(mark_agenda_item))
        .routes(routes!(add_note))
        .routes(routes!(add_action))
        .routes(routes!(mark_action))
        .routes(routes!(hold_meeting))
        .routes(routes!(create_feed, revoke_feed))
        .routes(routes!(calendar_feed))
}

/// A schedule as answered.
#[derive(Debug, Serialize, ToSchema)]
pub struct ScheduleView {
    /// `weekly`, `fortnightly` or `monthly`.
    #[schema(example = "weekly")]
    pub cadence: String,
    /// The first meeting's day (its weekday, or day of the month, repeats).
    pub first_date: NaiveDate,
    /// Local start time, `HH:MM`.
    #[schema(example = "10:00")]
    pub time: String,
    /// IANA time zone of the local time.
    #[schema(example = "Europe/Berlin")]
    pub time_zone: String,
    /// Length in minutes.
    pub minutes: u16,
}

impl From<&Schedule> for ScheduleView {
    fn from(s: &Schedule) -> Self {
        Self {
            cadence: s.cadence().as_str().to_owned(),
            first_date: s.first(),
            time: s.time().format("%H:%M").to_string(),
            time_zone: s.zone().name().to_owned(),
            minutes: s.minutes(),
        }
    }
}

/// A meeting as listed.
#[derive(Debug, Serialize, ToSchema)]
pub struct MeetingView {
    /// Id.
    pub id: i64,
    /// Whose one-on-one.
    pub report: i64,
    /// When it starts (UTC).
    pub starts_at: DateTime<Utc>,
    /// When it was marked held; absent for the next meeting.
    pub held_at: Option<DateTime<Utc>>,
    /// The manager who held it.
    pub held_with: Option<i64>,
}

impl From<&Meeting> for MeetingView {
    fn from(m: &Meeting) -> Self {
        Self {
            id: m.id,
            report: m.report.0,
            starts_at: m.starts_at,
            held_at: m.held_at,
            held_with: m.held_with.map(|p| p.0),
        }
    }
}

/// An agenda item.
#[derive(Debug, Serialize, ToSchema)]
pub struct AgendaView {
    /// Id.
    pub id: i64,
    /// The meeting it is on.
    pub meeting: i64,
    /// Who added it.
    pub author: i64,
    /// The text.
    pub text: String,
    /// Marked discussed.
    pub discussed: bool,
}

impl From<AgendaItem> for AgendaView {
    fn from(a: AgendaItem) -> Self {
        Self {
            id: a.id,
            meeting: a.meeting,
            author: a.author.0,
            text: a.text,
            discussed: a.discussed,
        }
    }
}

/// A note.
#[derive(Debug, Serialize, ToSchema)]
pub struct NoteView {
    /// Id.
    pub id: i64,
    /// The meeting.
    pub meeting: i64,
    /// Who wrote it.
    pub author: i64,
    /// Only its author sees it.
    pub private: bool,
    /// The text.
    pub text: String,
    /// When.
    pub created_at: DateTime<Utc>,
}

impl From<Note> for NoteView {
    fn from(n: Note) -> Self {
        Self {
            id: n.id,
            meeting: n.meeting,
            author: n.author.0,
            private: n.private,
            text: n.text,
            created_at: n.created_at,
        }
    }
}

/// An action item.
#[derive(Debug, Serialize, ToSchema)]
pub struct ActionView {
    /// Id.
    pub id: i64,
    /// Whose one-on-ones.
    pub report: i64,
    /// Raised in this meeting.
    pub meeting: i64,
    /// Who does it.
    pub owner: i64,
    /// What.
    pub text: String,
    /// By when.
    pub due: NaiveDate,
    /// Done on this day; absent while open.
    pub done_on: Option<NaiveDate>,
    /// Open and past its due day.
    pub overdue: bool,
}

fn action_view(a: ActionItem, today: NaiveDate) -> ActionView {
    ActionView {
        id: a.id,
        report: a.report.0,
        meeting: a.meeting,
        owner: a.owner.0,
        overdue: a.done_on.is_none() && a.due < today,
        text: a.text,
        due: a.due,
        done_on: a.done_on,
    }
}

/// A report's one-on-ones.
#[derive(Debug, Serialize, ToSchema)]
pub struct OneOnOnes {
    /// Whose.
    pub report: i64,
    /// Their current manager, who takes part.
    pub manager: Option<i64>,
    /// The schedule, if set.
    pub schedule: Option<ScheduleView>,
    /// No schedule, or nothing held for longer than the cadence allows.
    pub overdue: bool,
    /// The next meeting.
    pub next: Option<MeetingView>,
    /// The last meeting held.
    pub last_held: Option<MeetingView>,
    /// The most recent meetings, newest first (at most 20).
    pub meetings: Vec<MeetingView>,
    /// Action items: open ones first (they carry over until done).
    pub actions: Vec<ActionView>,
}

/// A report's schedule, meetings and action items.
#[utoipa::path(
    get,
    path = "/api/v1/people/{id}/one-on-ones",
    tag = "one-on-ones",
    params(("id" = i64, Path, description = "The report's id")),
    responses(
        (status = 200, description = "Their one-on-ones", body = OneOnOnes),
        (status = 400, description = "Malformed id", body = ErrorBody),
        (status = 401, description = "No or bad token", body = ErrorBody),
        (status = 403, description = "Not theirs, their managers', HR's or an administrator's", body = ErrorBody),
        (status = 404, description = "`unknown_person`", body = ErrorBody),
    )
)]
pub(crate) async fn get_one_on_ones(
    State(state): State<AppState>,
    user: Authenticated,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<OneOnOnes>, ApiError> {
    let report = PersonId(id);
    let manager = {
        let org = state.org().await?;
        user.view(&org, &Resource::Records(report))?;
        org.index().manager(report)
    };
    let store = state.store();
    let schedule = store.schedule(report).await?;
    let (last, next) = store.last_and_next(report).await?;
    let standing = one_on_one::overview(
        schedule.as_ref(),
        last.as_ref().and_then(|m| m.held_at),
        next.as_ref().map(|m| m.starts_at),
        Utc::now(),
    );
    let today = today();
    Ok(Json(OneOnOnes {
        report: id,
        manager: manager.map(|m| m.0),
        schedule: schedule.as_ref().map(ScheduleView::from),
        overdue: standing.overdue,
        next: next.as_ref().map(MeetingView::from),
        last_held: last.as_ref().map(MeetingView::from),
        meetings: store
            .meetings(report, 20)
            .await?
            .iter()
            .map(MeetingView::from)
            .collect(),
        actions: store
            .actions(report)
            .await?
            .into_iter()
            .map(|a| action_view(a, today))
            .collect(),
    }))
}

/// A schedule to set.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ScheduleRequest {
    /// `weekly`, `fortnightly` or `monthly`.
    #[schema(example = "weekly")]
    pub cadence: String,
    /// The first meeting's day.
    pub first_date: NaiveDate,
    /// Local start time, `HH:MM`.
    #[schema(example = "10:00")]
    pub time: String,
    /// IANA time zone.
    #[schema(example = "Europe/Berlin")]
    pub time_zone: String,
    /// Length in minutes, 5–480 (default 30).
    #[serde(default)]
    pub minutes: Option<u16>,
}

impl ScheduleRequest {
    fn parse(&self) -> Result<Schedule, ApiError> {
        let time = NaiveTime::parse_from_str(&self.time, "%H:%M").map_err(|_| {
            ApiError::bad_request(
                "invalid_time",
                format!("`{}` is not a time of day as HH:MM", self.time),
            )
        })?;
        Ok(Schedule::new(
            Cadence::parse(&self.cadence)?,
            self.first_date,
            time,
            one_on_one::parse_zone(&self.time_zone)?,
            self.minutes.unwrap_or(30),
        )?)
    }
}

/// The schedule with the next meeting it generated.
#[derive(Debug, Serialize, ToSchema)]
pub struct ScheduleSet {
    /// The schedule.
    pub schedule: ScheduleView,
    /// The next meeting.
    pub next: MeetingView,
}

/// Sets a report's schedule (their manager, HR, administrators); the next
/// meeting moves to its first occurrence from now. The schedule belongs to
/// the report: a new manager takes it over.
#[utoipa::path(
    put,
    path = "/api/v1/people/{id}/one-on-ones/schedule",
    tag = "one-on-ones",
    params(("id" = i64, Path, description = "The report's id")),
    request_body = ScheduleRequest,
    responses(
        (status = 200, description = "Set", body = ScheduleSet),
        (status = 400, description = "Malformed body, `invalid_cadence`, `unknown_time_zone`, `invalid_time`, `invalid_duration`", body = ErrorBody),
        (status = 401, description = "No or bad token", body = ErrorBody),
        (status = 403, description = "Not their manager, HR or an administrator", body = ErrorBody),
        (status = 404, description = "`unknown_person`", body = ErrorBody),
        (status = 413, description = "Body over 1 MiB", body = ErrorBody),
        (status = 422, description = "`no_manager`", body = ErrorBody),
    )
)]
pub(crate) async fn set_schedule(
    State(state): State<AppState>,
    user: Authenticated,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<ScheduleRequest>,
) -> Result<Json<ScheduleSet>, ApiError> {
    let report = PersonId(id);
    {
        let org = state.org().await?;
        user.view(&org, &Resource::Records(report))?;
        user.act(
            &org,
            &state.framework(),
            &Action::ScheduleOneOnOne { report },
            "set this person's one-on-one schedule",
        )?;
        if org.index().manager(report).is_none() {
            return Err(one_on_one::OneOnOneError::NoManager(report).into());
        }
    }
    let schedule = body.parse()?;
    let next = state
        .store()
        .set_schedule(user.actor(), report, &schedule, Utc::now())
        .await?;
    Ok(Json(ScheduleSet {
        schedule: ScheduleView::from(&schedule),
        next: MeetingView::from(&next),
    }))
}

/// One report in a manager's overview.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReportStanding {
    /// The report's id.
    pub report: i64,
    /// Their name.
    pub name: String,
    /// Their cadence, if scheduled.
    pub cadence: Option<String>,
    /// The last one-on-one held.
    pub last_held: Option<DateTime<Utc>>,
    /// The next one.
    pub next: Option<DateTime<Utc>>,
    /// No schedule, or nothing held for longer than the cadence allows.
    pub overdue: bool,
}

/// A manager's direct reports with their one-on-one standing.
#[derive(Debug, Serialize, ToSchema)]
pub struct Overview {
    /// The manager.
    pub manager: i64,
    /// Every direct report, by name.
    pub reports: Vec<ReportStanding>,
}

/// Every direct report of a person, with their last and next one-on-one
/// and overdue ones flagged (the person, their managers, HR, administrators).
#[utoipa::path(
    get,
    path = "/api/v1/people/{id}/one-on-ones/reports",
    tag = "one-on-ones",
    params(("id" = i64, Path, description = "The manager's id")),
    responses(
        (status = 200, description = "The overview", body = Overview),
        (status = 400, description = "Malformed id", body = ErrorBody),
        (status = 401, description = "No or bad token", body = ErrorBody),
        (status = 403, description = "Not theirs to see", body = ErrorBody),
        (status = 404, description = "`unknown_person`", body = ErrorBody),
    )
)]
pub(crate) async fn overview(
    State(state): State<AppState>,
    user: Authenticated,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Overview>, ApiError> {
    let manager = PersonId(id);
    let reports: Vec<(PersonId, String)> = {
        let org = state.org().await?;
        user.view(&org, &Resource::Records(manager))?;
        org.reports(manager)
            .into_iter()
            .filter_map(|r| org.person(r).map(|p| (r, p.name.clone())))
            .collect()
    };
    Ok(Json(Overview {
        manager: id,
        reports: standings(&state, reports, Utc::now()).await?,
    }))
}

/// The standing of each of `reports` at `now`, sorted by name.
pub(crate) async fn standings(
    state: &AppState,
    reports: Vec<(PersonId, String)>,
    now: DateTime<Utc>,
) -> Result<Vec<ReportStanding>, ApiError> {
    let mut out = Vec::with_capacity(reports.len());
    for (report, name) in reports {
        let schedule = state.store().schedule(report).await?;
        let (last, next) = state.store().last_and_next(report).await?;
        let s = one_on_one::overview(
            schedule.as_ref(),
            last.and_then(|m| m.held_at),
            next.map(|m| m.starts_at),
            now,
        );
        out.push(ReportStanding {
            report: report.0,
            name,
            cadence: schedule.map(|s| s.cadence().as_str().to_owned()),
            last_held: s.last_held,
            next: s.next,
            overdue: s.overdue,
        });
    }
    out.sort_by(|a, b| a.name.cmp(&b.name).then(a.report.cmp(&b.report)));
    Ok(out)
}

/// One meeting with its agenda, the notes the caller may read and the
/// pair's open action items.
#[derive(Debug, Serialize, ToSchema)]
pub struct MeetingDetail {
    /// The meeting.
    pub meeting: MeetingView,
    /// Its agenda, in the order added.
    pub agenda: Vec<AgendaView>,
    /// Shared notes and the caller's own private ones.
    pub notes: Vec<NoteView>,
    /// The pair's open action items.
    pub open_actions: Vec<ActionView>,
}

/// Reads a meeting and checks the caller may see its report's records.
async fn visible_meeting(
    state: &AppState,
    user: &Authenticated,
    id: i64,
) -> Result<Meeting, ApiError> {
    let meeting = state.store().meeting(id).await?;
    let org = state.org().await?;
    user.view(&org, &Resource::Records(meeting.report))
        .map_err(|e| match e {
            ApiError::NotFound { .. } => {
                ApiError::not_found("not_found", "there is no such one-on-one meeting")
            }
            other => other,
        })?;
    Ok(meeting)
}

/// Checks the caller takes part in the meeting's one-on-ones; returns the
/// person they act as.
fn participant(
    state: &AppState,
    org: &Org,
    user: &Authenticated,
    report: PersonId,
) -> Result<PersonId, ApiError> {
    user.act(
        org,
        &state.framework(),
        &Action::TakePartInOneOnOne { report },
        "take part in this one-on-one",
    )?;
    user.actor()
        .person
        .ok_or_else(|| ApiError::Forbidden("take part as a person of the company".to_owned()))
}

/// A meeting with its agenda and notes.
#[utoipa::path(
    get,
    path = "/api/v1/one-on-ones/{id}",
    tag = "one-on-ones",
    params(("id" = i64, Path, description = "Meeting id")),
    responses(
        (status = 200, description = "The meeting", body = MeetingDetail),
        (status = 400, description = "Malformed id", body = ErrorBody),
        (status = 401, description = "No or bad token", body = ErrorBody),
        (status = 403, description = "Not theirs to see", body = ErrorBody),
        (status = 404, description = "No such meeting", body = ErrorBody),
    )
)]
pub(crate) async fn get_meeting(
    State(state): State<AppState>,
    user: Authenticated,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<MeetingDetail>, ApiError> {
    let meeting = visible_meeting(&state, &user, id).await?;
    let notes = state.store().notes(id).await?;
    let notes = {
        let org = state.org().await?;
        notes
            .into_iter()
            .filter(|n| {
                !n.private
                    || user
                        .view(&org, &Resource::PrivateNote { author: n.author })
                        .is_ok()
            })
            .map(NoteView::from)
            .collect()
    };
    let today = today();
    Ok(Json(MeetingDetail {
        meeting: MeetingView::from(&meeting),
        agenda: state
            .store()
            .agenda(id)
            .await?
            .into_iter()
            .map(AgendaView::from)
            .collect(),
        notes,
        open_actions: state
            .store()
            .actions(meeting.report)
            .await?
            .into_iter()
            .filter(|a| a.done_on.is_none())
            .map(|a| action_view(a, today))
            .collect(),
    }))
}

/// Text for an agenda item.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AgendaRequest {
    /// The item (1–500 characters).
    pub text: String,
}

/// Adds an item to a meeting's shared agenda (the report or their manager),
/// before it is held.
#[utoipa::path(
    post,
    path = "/api/v1/one-on-ones/{id}/agenda",
    tag = "one-on-ones",
    params(("id" = i64, Path, description = "Meeting id")),
    request_body = AgendaRequest,
    responses(
        (status = 201, description = "Added", body = AgendaView),
        (status = 400, description = "Malformed body, `text_blank`, `text_too_long`", body = ErrorBody),
        (status = 401, description = "No or bad token", body = ErrorBody),
        (status = 403, description = "Not one of the pair", body = ErrorBody),
        (status = 404, description = "No such meeting", body = ErrorBody),
        (status = 413, description = "Body over 1 MiB", body = ErrorBody),
        (status = 422, description = "`meeting_held`", body = ErrorBody),
    )
)]
pub(crate) async fn add_agenda_item(
    State(state): State<AppState>,
    user: Authenticated,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<AgendaRequest>,
) -> Result<(StatusCode, Json<AgendaView>), ApiError> {
    let meeting = visible_meeting(&state, &user, id).await?;
    let me = participant(&state, &*state.org().await?, &user, meeting.report)?;
    let text = Text::parse(&body.text, "agenda item", Text::ITEM_MAX)?;
    let item = state
        .store()
        .add_agenda_item(user.actor(), id, me, text)
        .await?;
    Ok((StatusCode::CREATED, Json(item.into())))
}

/// Whether an agenda item was discussed.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DiscussedRequest {
    /// Discussed (it stays behind when the meeting is held) or not (it carries over).
    pub discussed: bool,
}

/// Marks an agenda item discussed or not (the report or their manager).
#[utoipa::path(
    put,
    path = "/api/v1/one-on-ones/agenda/{id}",
    tag = "one-on-ones",
    params(("id" = i64, Path, description = "Agenda item id")),
    request_body = DiscussedRequest,
    responses(
        (status = 200, description = "Marked", body = AgendaView),
        (status = 400, description = "Malformed body", body = ErrorBody),
        (status = 401, description = "No or bad token", body = ErrorBody),
        (status = 403, description = "Not one of the pair", body = ErrorBody),
        (status = 404, description = "No such item", body = ErrorBody),
        (status = 413, description = "Body over 1 MiB", body = ErrorBody),
        (status = 422, description = "`meeting_held`", body = ErrorBody),
    )
)]
pub(crate) async fn mark_agenda_item(
    State(state): State<AppState>,
    user: Authenticated,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<DiscussedRequest>,
) -> Result<Json<AgendaView>, ApiError> {
    let item = state.store().agenda_item(id).await?;
    let meeting = visible_meeting(&state, &user, item.meeting).await?;
    participant(&state, &*state.org().await?, &user, meeting.report)?;
    let item = state
        .store()
        .set_discussed(user.actor(), id, body.discussed)
        .await?;
    Ok(Json(item.into()))
}

/// A note.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NoteRequest {
    /// The note (1–10 000 characters).
    pub text: String,
    /// Only the author will read it (default: shared with the pair).
    #[serde(default)]
    pub private: bool,
}

/// Adds a shared note, or a note private to its author (the report or
/// their manager).
#[utoipa::path(
    post,
    path = "/api/v1/one-on-ones/{id}/notes",
    tag = "one-on-ones",
    params(("id" = i64, Path, description = "Meeting id")),
    request_body = NoteRequest,
    responses(
        (status = 201, description = "Added", body = NoteView),
        (status = 400, description = "Malformed body, `text_blank`, `text_too_long`", body = ErrorBody),
        (status = 401, description = "No or bad token", body = ErrorBody),
        (status = 403, description = "Not one of the pair", body = ErrorBody),
        (status = 404, description = "No such meeting", body = ErrorBody),
        (status = 413, description = "Body over 1 MiB", body = ErrorBody),
    )
)]
pub(crate) async fn add_note(
    State(state): State<AppState>,
    user: Authenticated,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<NoteRequest>,
) -> Result<(StatusCode, Json<NoteView>), ApiError> {
    let meeting = visible_meeting(&state, &user, id).await?;
    let me = participant(&state, &*state.org().await?, &user, meeting.report)?;
    let text = Text::parse(&body.text, "note", Text::NOTE_MAX)?;
    let note = state
        .store()
        .add_note(user.actor(), id, me, body.private, text)
        .await?;
    Ok((StatusCode::CREATED, Json(note.into())))
}

/// An action item.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ActionRequest {
    /// What (1–500 characters).
    pub text: String,
    /// Who does it: the report or their manager.
    pub owner: i64,
    /// By when.
    pub due: NaiveDate,
}

/// Adds an action item; it stays open, and shows at every meeting, until done.
#[utoipa::path(
    post,
    path = "/api/v1/one-on-ones/{id}/actions",
    tag = "one-on-ones",
    params(("id" = i64, Path, description = "Meeting id")),
    request_body = ActionRequest,
    responses(
        (status = 201, description = "Added", body = ActionView),
        (status = 400, description = "Malformed body, `text_blank`, `text_too_long`", body = ErrorBody),
        (status = 401, description = "No or bad token", body = ErrorBody),
        (status = 403, description = "Not one of the pair", body = ErrorBody),
        (status = 404, description = "No such meeting", body = ErrorBody),
        (status = 413, description = "Body over 1 MiB", body = ErrorBody),
        (status = 422, description = "`owner_not_in_pair`, `no_manager`", body = ErrorBody),
    )
)]
pub(crate) async fn add_action(
    State(state): State<AppState>,
    user: Authenticated,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<ActionRequest>,
) -> Result<(StatusCode, Json<ActionView>), ApiError> {
    let meeting = visible_meeting(&state, &user, id).await?;
    let text = {
        let org = state.org().await?;
        participant(&state, &org, &user, meeting.report)?;
        let text = Text::parse(&body.text, "action item", Text::ITEM_MAX)?;
        let manager = org
            .index()
            .manager(meeting.report)
            .ok_or(one_on_one::OneOnOneError::NoManager(meeting.report))?;
        one_on_one::check_owner(PersonId(body.owner), meeting.report, manager)?;
        text
    };
    let item = state
        .store()
        .add_action(user.actor(), id, PersonId(body.owner), text, body.due)
        .await?;
    Ok((StatusCode::CREATED, Json(action_view(item, today()))))
}

/// Whether an action item is done.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DoneRequest {
    /// Done (today, or `date`) or open again.
    pub done: bool,
    /// The day it was done (default: today).
    #[serde(default)]
    pub date: Option<NaiveDate>,
}

/// Marks an action item done or open again (the report or their manager).
#[utoipa::path(
    put,
    path = "/api/v1/one-on-ones/actions/{id}",
    tag = "one-on-ones",
    params(("id" = i64, Path, description = "Action item id")),
    request_body = DoneRequest,
    responses(
        (status = 200, description = "Marked", body = ActionView),
        (status = 400, description = "Malformed body", body = ErrorBody),
        (status = 401, description = "No or bad token", body = ErrorBody),
        (status = 403, description = "Not one of the pair", body = ErrorBody),
        (status = 404, description = "No such action item", body = ErrorBody),
        (status = 413, description = "Body over 1 MiB", body = ErrorBody),
    )
)]
pub(crate) async fn mark_action(
    State(state): State<AppState>,
    user: Authenticated,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<DoneRequest>,
) -> Result<Json<ActionView>, ApiError> {
    let item = state.store().action(id).await?;
    visible_meeting(&state, &user, item.meeting).await?;
    participant(&state, &*state.org().await?, &user, item.report)?;
    let on = body.done.then(|| body.date.unwrap_or_else(today));
    let item = state.store().set_action_done(user.actor(), id, on).await?;
    Ok(Json(action_view(item, today())))
}

/// What holding a meeting produced.
#[derive(Debug, Serialize, ToSchema)]
pub struct Held {
    /// The next meeting, with the undiscussed agenda items carried over.
    pub next: MeetingView,
    /// The agenda items now on the next meeting.
    pub carried_over: Vec<AgendaView>,
}

/// Marks a meeting held (the report or their manager): the next meeting is
/// generated from the schedule and the items not discussed move to it.
#[utoipa::path(
    post,
    path = "/api/v1/one-on-ones/{id}/hold",
    tag = "one-on-ones",
    params(("id" = i64, Path, description = "Meeting id")),
    responses(
        (status = 200, description = "Held", body = Held),
        (status = 400, description = "Malformed id", body = ErrorBody),
        (status = 401, description = "No or bad token", body = ErrorBody),
        (status = 403, description = "Not one of the pair", body = ErrorBody),
        (status = 404, description = "No such meeting", body = ErrorBody),
        (status = 422, description = "`meeting_held`, `no_manager`", body = ErrorBody),
    )
)]
pub(crate) async fn hold_meeting(
    State(state): State<AppState>,
    user: Authenticated,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Held>, ApiError> {
    let meeting = visible_meeting(&state, &user, id).await?;
    let manager = {
        let org = state.org().await?;
        participant(&state, &org, &user, meeting.report)?;
        org.index()
            .manager(meeting.report)
            .ok_or(one_on_one::OneOnOneError::NoManager(meeting.report))?
    };
    let schedule = state
        .store()
        .schedule(meeting.report)
        .await?
        .ok_or(ApiError::not_found(
            "not_found",
            "this one-on-one has no schedule",
        ))?;
    let next = state
        .store()
        .hold_meeting(user.actor(), id, manager, &schedule, Utc::now())
        .await?;
    let carried_over = state
        .store()
        .agenda(next.id)
        .await?
        .into_iter()
        .map(AgendaView::from)
        .collect();
    Ok(Json(Held {
        next: MeetingView::from(&next),
        carried_over,
    }))
}

/// A new calendar feed link, shown once.
#[derive(Debug, Serialize, ToSchema)]
pub struct FeedCreated {
    /// The path to subscribe to (relative to the server); it needs no login.
    #[schema(example = "/api/v1/calendar/climbcal_…")]
    pub path: String,
    /// The secret in the path; a new one revokes the previous.
    pub token: String,
}

/// Creates (or replaces, revoking the old one) the caller's own calendar
/// feed link.
#[utoipa::path(
    post,
    path = "/api/v1/people/{id}/calendar-feed",
    tag = "one-on-ones",
    params(("id" = i64, Path, description = "The caller's own id")),
    responses(
        (status = 201, description = "The new link, shown once", body = FeedCreated),
        (status = 400, description = "Malformed id", body = ErrorBody),
        (status = 401, description = "No or bad token", body = ErrorBody),
        (status = 403, description = "Only for oneself", body = ErrorBody),
        (status = 404, description = "`unknown_person`", body = ErrorBody),
    )
)]
pub(crate) async fn create_feed(
    State(state): State<AppState>,
    user: Authenticated,
    ApiPath(id): ApiPath<i64>,
) -> Result<(StatusCode, Json<FeedCreated>), ApiError> {
    let person = PersonId(id);
    {
        let org = state.org().await?;
        user.act_on_person(
            &org,
            &state.framework(),
            person,
            &Action::ManageCalendarFeed { person },
            "manage someone else's calendar feed",
        )?;
    }
    let token = auth::new_secret(FEED_PREFIX)?;
    state
        .store()
        .set_feed_token(user.actor(), person, Some(&auth::hash_secret(&token)))
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(FeedCreated {
            path: format!("/api/v1/calendar/{token}"),
            token,
        }),
    ))
}

/// Revokes the caller's own calendar feed link.
#[utoipa::path(
    delete,
    path = "/api/v1/people/{id}/calendar-feed",
    tag = "one-on-ones",
    params(("id" = i64, Path, description = "The caller's own id")),
    responses(
        (status = 204, description = "Revoked"),
        (status = 400, description = "Malformed id", body = ErrorBody),
        (status = 401, description = "No or bad token", body = ErrorBody),
        (status = 403, description = "Only for oneself", body = ErrorBody),
        (status = 404, description = "`unknown_person`", body = ErrorBody),
    )
)]
pub(crate) async fn revoke_feed(
    State(state): State<AppState>,
    user: Authenticated,
    ApiPath(id): ApiPath<i64>,
) -> Result<StatusCode, ApiError> {
    let person = PersonId(id);
    {
        let org = state.org().await?;
        user.act_on_person(
            &org,
            &state.framework(),
            person,
            &Action::ManageCalendarFeed { person },
            "manage someone else's calendar feed",
        )?;
    }
    state
        .store()
        .set_feed_token(user.actor(), person, None)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// How many upcoming meetings a feed lists per pair, and how far back held ones.
const FEED_UPCOMING: usize = 12;
const FEED_PAST_DAYS: i64 = 180;

/// The iCalendar feed behind a secret link: the one-on-ones of the owner
/// with their manager and with each direct report. No login: the secret is
/// the credential; an unknown or revoked one answers 404.
#[utoipa::path(
    get,
    path = "/api/v1/calendar/{token}",
    tag = "one-on-ones",
    params(("token" = String, Path, description = "The feed's secret")),
    responses(
        (status = 200, description = "An RFC 5545 calendar", content_type = "text/calendar", body = String),
        (status = 404, description = "Unknown or revoked link", body = ErrorBody),
    )
)]
pub(crate) async fn calendar_feed(
    State(state): State<AppState>,
    ApiPath(token): ApiPath<String>,
) -> Result<Response, ApiError> {
    let unknown = || ApiError::not_found("not_found", "no calendar feed has this link");
    if !token.starts_with(FEED_PREFIX) {
        return Err(unknown());
    }
    let (owner, _) = state
        .store()
        .feed_owner(&auth::hash_secret(&token))
        .await?
        .ok_or_else(unknown)?;
    // The pairs the owner is in: with their manager, and with each report.
    let (name, pairs) = {
        let org = state.org().await?;
        let Some(me) = org.person(owner).filter(|p| p.is_active()) else {
            return Err(unknown());
        };
        let name_of = |id: PersonId| org.person(id).map_or_else(String::new, |p| p.name.clone());
        let mut pairs = Vec::new();
        if let Some(manager) = org.index().manager(owner) {
            pairs.push((owner, name_of(manager), me.name.clone()));
        }
        for report in org.reports(owner) {
            pairs.push((report, me.name.clone(), name_of(report)));
        }
        (me.name.clone(), pairs)
    };
    let now = Utc::now();
    let mut events = Vec::new();
    for (report, manager_name, report_name) in pairs {
        let Some(schedule) = state.store().schedule(report).await? else {
            continue;
        };
        let summary = format!("One-on-one: {manager_name} / {report_name}");
        let mut starts: Vec<DateTime<Utc>> = state
            .store()
            .meetings(report, 50)
            .await?
            .into_iter()
            .filter(|m| m.held_at.is_some() && m.starts_at > now - Duration::days(FEED_PAST_DAYS))
            .map(|m| m.starts_at)
            .collect();
        let (_, next) = state.store().last_and_next(report).await?;
        let agenda = match &next {
            Some(m) => state.store().agenda(m.id).await?,
            None => Vec::new(),
        };
        if let Some(next) = &next {
            starts.push(next.starts_at);
            starts.extend(schedule.upcoming(next.starts_at, FEED_UPCOMING - 1));
        }
        for start in starts {
            let is_next = next.as_ref().is_some_and(|m| m.starts_at == start);
            let description = if is_next && !agenda.is_empty() {
                let items: Vec<String> = agenda.iter().map(|a| format!("- {}", a.text)).collect();
                format!("Agenda:\n{}", items.join("\n"))
            } else {
                String::new()
            };
            events.push(FeedEvent {
                uid: format!("one-on-one-{}-{}@climb", report.0, start.timestamp()),
                start,
                minutes: schedule.minutes(),
                summary: summary.clone(),
                description,
            });
        }
    }
    let body = one_on_one::feed(&format!("One-on-ones of {name}"), &events, now);
    Ok((
        [
            (header::CONTENT_TYPE, "text/calendar; charset=utf-8"),
            (header::CACHE_CONTROL, "private, max-age=300"),
        ],
        body,
    )
        .into_response())
}
