//! Performance review pages: the overview (one's own reviews, the open
//! reviews of everyone below a manager with what each waits for, and for HR
//! the cycles with their progress, opening and closing them), a review's
//! page (self and manager assessment side by side, the writer's form, the
//! rating and sign-off, read-only once signed by both) and a cycle's
//! calibration. Every read asks the same questions as the API
//! (`climb_server::api::reviews::may_read`, the calibration policy) and
//! every write goes through the same store calls.

use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet, HashMap};

use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{Datelike, NaiveDate, Utc};
use climb_framework::{CompetencyId, Framework, StreamId};
use climb_management::calibration::{self, Distribution};
use climb_management::review::{
    Assessment, Cycle, CycleId, Edit, NewCycle, Rated, Rating, Review, ReviewId, Scope, Side,
};
use climb_people::policy::{self, Resource};
use climb_people::{Email, Org, PersonId};
use climb_server::api::reviews::may_read;
use climb_server::{ApiError, AppState};
use serde::Deserialize;

use crate::chart::RoleLink;
use crate::error::{IdPath, PageError};
use crate::listing::{Column, ListQuery, Listing, Table};
use crate::page::{Layout, Viewer, render, render_form};

/// The open reviews of a manager's team: 50 a page, by person unless
/// asked.
const TEAM_TABLE: Table = Table {
    columns: TEAM_COLUMNS,
    default: "person",
    per_page: 50,
};

/// The columns the team's open reviews sort by.
const TEAM_COLUMNS: &[Column] = &[
    Column {
        key: "person",
        label: "Person",
        descending_first: false,
    },
    Column {
        key: "role",
        label: "Role",
        descending_first: false,
    },
    Column {
        key: "cycle",
        label: "Cycle",
        descending_first: false,
    },
    Column {
        key: "waiting",
        label: "Waiting for",
        descending_first: false,
    },
];

fn see_other(to: &str) -> Response {
    let mut response = StatusCode::SEE_OTHER.into_response();
    if let Ok(value) = HeaderValue::from_str(to) {
        response.headers_mut().insert(header::LOCATION, value);
    }
    response
}

fn name_of(org: &Org, person: PersonId) -> String {
    org.person(person)
        .map_or_else(|| format!("person {}", person.0), |p| p.name.clone())
}

fn role_title(framework: &Framework, role: &str) -> String {
    framework
        .role(role)
        .map_or_else(|| role.to_owned(), |r| r.title.clone())
}

fn period(cycle: &Cycle) -> String {
    format!("{} to {}", cycle.period_start, cycle.period_end)
}

/// Whether a side has assessed every competency the review expects.
fn complete(review: &Review, side: &Assessment) -> bool {
    review
        .expected
        .keys()
        .all(|c| side.competencies.contains_key(c))
}

/// What a review still needs, in words, said to `viewer`: their own part
/// as "your …" (`org` tells whether the person has a manager to write the
/// manager side at all, and who that manager is).
fn waiting_for(org: &Org, review: &Review, cycle: &Cycle, viewer: Option<PersonId>) -> String {
    if review.is_signed() {
        return "Signed by both".to_owned();
    }
    if !cycle.is_open() {
        return "Closed before both signed".to_owned();
    }
    let is_person = viewer == Some(review.person);
    let manager = org.index().manager(review.person);
    let is_manager = viewer.is_some() && viewer == manager;
    let mut needs: Vec<String> = Vec::new();
    if review.own.signed_on.is_none() {
        let complete = complete(review, &review.own);
        needs.push(match (is_person, complete) {
            (true, true) => "your signature".to_owned(),
            (true, false) => "your self assessment".to_owned(),
            (false, true) => format!("{}’s signature", name_of(org, review.person)),
            (false, false) => format!("{}’s self assessment", name_of(org, review.person)),
        });
    }
    if review.manager.signed_on.is_none() {
        let complete = complete(review, &review.manager) && review.rating.is_some();
        needs.push(match (manager, is_manager, complete) {
            (None, _, _) => "a manager to be assigned".to_owned(),
            (Some(_), true, true) => "your signature as their manager".to_owned(),
            (Some(_), true, false) => "your manager assessment".to_owned(),
            (Some(m), false, true) => format!("{}’s signature as manager", name_of(org, m)),
            (Some(m), false, false) => format!("{}’s manager assessment", name_of(org, m)),
        });
    }
    format!("Waiting for {}", needs.join(" and "))
}

/// A review in a list.
#[derive(Debug, Clone)]
struct ReviewRow {
    id: i64,
    person: (i64, String),
    role: String,
    cycle: String,
    period: String,
    waiting: String,
    signed: bool,
    open: bool,
    rating: String,
}

impl ReviewRow {
    fn of(
        framework: &Framework,
        org: &Org,
        review: &Review,
        cycle: &Cycle,
        viewer: Option<PersonId>,
    ) -> Self {
        Self {
            id: review.id.0,
            person: (review.person.0, name_of(org, review.person)),
            role: role_title(framework, review.role.as_str()),
            cycle: cycle.name.clone(),
            period: period(cycle),
            waiting: waiting_for(org, review, cycle, viewer),
            signed: review.is_signed(),
            open: cycle.is_open() && !review.is_signed(),
            rating: review
                .rating
                .map_or_else(String::new, |r| r.label().to_owned()),
        }
    }
}

/// A cycle in HR's list.
#[derive(Debug)]
struct CycleRow {
    id: i64,
    name: String,
    period: String,
    scope: String,
    open: bool,
    opened_on: String,
    closed_on: String,
    /// Held for calibration and not released yet.
    held: bool,
    /// The day a held cycle was released (blank otherwise).
    released_on: String,
    reviews: i64,
    signed: i64,
    /// Signed share, 0 to 100, for the progress bar.
    percent: i64,
}

fn scope_text(framework: &Framework, org: &Org, scope: &Scope) -> String {
    match scope {
        Scope::Everyone => "Everyone".to_owned(),
        Scope::Stream { stream } => format!(
            "The {} stream",
            framework
                .stream(stream.as_str())
                .map_or_else(|| stream.to_string(), |s| s.name.clone())
        ),
        Scope::Below { manager } => format!("Everyone below {}", name_of(org, *manager)),
    }
}

/// The form that opens a cycle, as typed (also its defaults).
#[derive(Debug, Deserialize)]
pub(crate) struct CycleForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    period_start: String,
    #[serde(default)]
    period_end: String,
    #[serde(default)]
    scope: String,
    #[serde(default)]
    stream: String,
    #[serde(default)]
    manager: String,
    /// The checkbox: present when checked.
    #[serde(default)]
    hold: Option<String>,
}

impl CycleForm {
    /// The current half year.
    fn fresh() -> Self {
        let today = Utc::now().date_naive();
        let (half, start, end) = if today.month() <= 6 {
            ("H1", (1, 1), (6, 30))
        } else {
            ("H2", (7, 1), (12, 31))
        };
        let day = |(m, d): (u32, u32)| {
            NaiveDate::from_ymd_opt(today.year(), m, d).map_or_else(String::new, |d| d.to_string())
        };
        Self {
            name: format!("{} {half}", today.year()),
            period_start: day(start),
            period_end: day(end),
            scope: "everyone".to_owned(),
            stream: String::new(),
            manager: String::new(),
            hold: None,
        }
    }

    /// The cycle asked for, or what is wrong with the form.
    fn parse(&self, org: &Org) -> Result<NewCycle, String> {
        let date = |raw: &str, what: &str| {
            NaiveDate::parse_from_str(raw.trim(), "%Y-%m-%d")
                .map_err(|_| format!("The {what} of the period must be a date."))
        };
        let period_start = date(&self.period_start, "first day")?;
        let period_end = date(&self.period_end, "last day")?;
        let scope = match self.scope.as_str() {
            "everyone" => Scope::Everyone,
            "stream" => Scope::Stream {
                stream: StreamId::parse(self.stream.trim())
                    .map_err(|_| "Choose a stream.".to_owned())?,
            },
            "below" => {
                let raw = self.manager.trim();
                let person = Email::parse(raw)
                    .ok()
                    .and_then(|email| org.person_by_email(&email))
                    .filter(|p| p.is_active())
                    .ok_or_else(|| format!("No one in the company has the email “{raw}”."))?;
                Scope::Below { manager: person.id }
            }
            _ => return Err("Choose whom the cycle reviews.".to_owned()),
        };
        Ok(NewCycle {
            name: self.name.clone(),
            period_start,
            period_end,
            scope,
            hold_until_released: self.hold.is_some(),
        })
    }
}

#[derive(Template)]
#[template(path = "reviews.html")]
struct OverviewPage {
    layout: Layout,
    is_person: bool,
    mine: Vec<ReviewRow>,
    team: Vec<ReviewRow>,
    team_listing: Listing,
    manages: bool,
    hr: bool,
    senior: bool,
    cycles: Vec<CycleRow>,
    form: CycleForm,
    streams: Vec<(String, String)>,
    error: Option<String>,
}

async fn overview_page(
    state: &AppState,
    viewer: &Viewer,
    list: &ListQuery,
    form: Option<CycleForm>,
    error: Option<String>,
) -> Result<Response, PageError> {
    let framework = state.framework();
    let me = viewer.user.actor().person;
    let hr = viewer.user.actor().is_admin_or_hr();
    let (below, senior) = {
        let org = state.org().await?;
        viewer.user.view(&org, &Resource::Directory)?;
        let below: Vec<PersonId> = me.and_then(|me| org.index().below(me)).unwrap_or_default();
        (
            below,
            me.is_some_and(|me| policy::is_senior_manager(&org, me)),
        )
    };
    let own = match me {
        Some(me) => state
            .store()
            .person_reviews(me)
            .await
            .map_err(ApiError::from)?,
        None => Vec::new(),
    };
    let team = state
        .store()
        .open_reviews_of(&below)
        .await
        .map_err(ApiError::from)?;
    let (cycles, progress) = if hr || senior {
        let cycles = state
            .store()
            .review_cycles()
            .await
            .map_err(ApiError::from)?;
        let progress: HashMap<CycleId, (i64, i64)> = if hr {
            state
                .store()
                .cycle_progress()
                .await
                .map_err(ApiError::from)?
                .into_iter()
                .map(|(c, n, s)| (c, (n, s)))
                .collect()
        } else {
            HashMap::new()
        };
        (cycles, progress)
    } else {
        (Vec::new(), HashMap::new())
    };
    let org = state.org().await?;
    let mine = own
        .iter()
        .map(|(r, c)| ReviewRow::of(&framework, &org, &r.as_seen_by(c, me), c, me))
        .collect();
    let mut team: Vec<ReviewRow> = team
        .iter()
        .filter(|(r, _)| !r.is_signed())
        .map(|(r, c)| ReviewRow::of(&framework, &org, r, c, me))
        .collect();
    let team_listing = Listing::read(
        list,
        &TEAM_TABLE,
        team.len(),
        "/reviews",
        &[],
        "#team-reviews",
    );
    team.sort_by(|a, b| {
        let by = match team_listing.sort {
            "role" => a.role.cmp(&b.role),
            "cycle" => a.cycle.cmp(&b.cycle),
            "waiting" => a.waiting.cmp(&b.waiting),
            _ => Ordering::Equal,
        };
        team_listing
            .order(by.then_with(|| a.person.1.cmp(&b.person.1)))
            .then(a.id.cmp(&b.id))
    });
    let team = team_listing.page_of(&team).to_vec();
    let cycles = cycles
        .iter()
        .map(|c| {
            let (reviews, signed) = progress.get(&c.id).copied().unwrap_or((0, 0));
            CycleRow {
                id: c.id.0,
                name: c.name.clone(),
                period: period(c),
                scope: scope_text(&framework, &org, &c.scope),
                open: c.is_open(),
                opened_on: c.opened_on.to_string(),
                closed_on: c.closed_on.map_or_else(String::new, |d| d.to_string()),
                held: !c.manager_side_released(),
                released_on: c.released_on.map_or_else(String::new, |d| d.to_string()),
                reviews,
                signed,
                percent: if reviews > 0 {
                    signed * 100 / reviews
                } else {
                    0
                },
            }
        })
        .collect();
    drop(org);
    let page = OverviewPage {
        layout: viewer.layout.at("reviews"),
        is_person: me.is_some(),
        mine,
        manages: !below.is_empty(),
        team,
        team_listing,
        hr,
        senior,
        cycles,
        form: form.unwrap_or_else(CycleForm::fresh),
        streams: framework
            .streams()
            .iter()
            .map(|s| (s.id.to_string(), s.name.clone()))
            .collect(),
        error,
    };
    render_form(&page, page.error.is_some())
}

/// `GET /reviews`.
pub(crate) async fn overview(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(list): Query<ListQuery>,
) -> Result<Response, PageError> {
    overview_page(&state, &viewer, &list, None, None).await
}

/// `POST /reviews/cycles`: opens a cycle (HR and administrators).
pub(crate) async fn open_cycle(
    State(state): State<AppState>,
    viewer: Viewer,
    Form(form): Form<CycleForm>,
) -> Result<Response, PageError> {
    let parsed = {
        let org = state.org().await?;
        viewer.user.act(
            &org,
            &state.framework(),
            &policy::Action::ManageReviewCycles,
            "open review cycles",
        )?;
        form.parse(&org)
    };
    let request = match parsed {
        Ok(request) => request,
        Err(message) => {
            return overview_page(
                &state,
                &viewer,
                &ListQuery::default(),
                Some(form),
                Some(message),
            )
            .await;
        }
    };
    match state
        .store()
        .open_review_cycle(&state.framework(), viewer.user.actor(), request)
        .await
        .map_err(ApiError::from)
    {
        Ok(_) => Ok(see_other("/reviews")),
        Err(error) if error.status() == StatusCode::UNPROCESSABLE_ENTITY => {
            overview_page(
                &state,
                &viewer,
                &ListQuery::default(),
                Some(form),
                Some(sentence(&error)),
            )
            .await
        }
        Err(error) => Err(error.into()),
    }
}

/// `POST /reviews/cycles/{id}/close` (HR and administrators).
pub(crate) async fn close_cycle(
    State(state): State<AppState>,
    viewer: Viewer,
    IdPath(id): IdPath<i64>,
) -> Result<Response, PageError> {
    state
        .store()
        .close_review_cycle(&state.framework(), viewer.user.actor(), CycleId(id))
        .await
        .map_err(ApiError::from)?;
    Ok(see_other("/reviews"))
}

/// `POST /reviews/cycles/{id}/release`: shows the managers' sides of a held
/// cycle to the people reviewed.
pub(crate) async fn release_cycle(
    State(state): State<AppState>,
    viewer: Viewer,
    IdPath(id): IdPath<i64>,
) -> Result<Response, PageError> {
    state
        .store()
        .release_review_cycle(&state.framework(), viewer.user.actor(), CycleId(id))
        .await
        .map_err(ApiError::from)?;
    Ok(see_other("/reviews"))
}

/// An error message as a sentence: capital first letter, full stop.
fn sentence(error: &ApiError) -> String {
    crate::page::sentence(&error.to_string())
}

/// One level of a competency's scale, as a form option.
#[derive(Debug)]
struct LevelOption {
    value: u32,
    name: String,
    selected: bool,
}

/// What one side gave for a competency.
#[derive(Debug)]
struct Given {
    level: u32,
    name: String,
    evidence: String,
    /// Below, at or above the role's expectation.
    against: &'static str,
}

/// A competency of the review, both sides and the writer's form fields.
#[derive(Debug)]
struct CompetencyRow {
    id: String,
    name: String,
    expected: u32,
    expected_name: String,
    own: Option<Given>,
    manager: Option<Given>,
    options: Vec<LevelOption>,
    evidence: String,
}

/// What the writer sent, kept when the form is refused.
#[derive(Debug, Default)]
struct Sent {
    levels: BTreeMap<String, String>,
    evidence: BTreeMap<String, String>,
    rating: String,
}

impl Sent {
    fn of(fields: Vec<(String, String)>) -> Self {
        let mut sent = Self::default();
        for (key, value) in fields {
            if let Some(id) = key.strip_prefix("level.") {
                sent.levels.insert(id.to_owned(), value);
            } else if let Some(id) = key.strip_prefix("evidence.") {
                sent.evidence.insert(id.to_owned(), value);
            } else if key == "rating" {
                sent.rating = value;
            }
        }
        sent
    }

    /// The edits asked for, or what is wrong with the form.
    fn edits(&self, framework: &Framework) -> Result<Vec<Edit>, String> {
        let mut levels = BTreeMap::new();
        let ids: BTreeSet<&String> = self.levels.keys().chain(self.evidence.keys()).collect();
        for id in ids {
            let level = self.levels.get(id).map_or("", |l| l.trim());
            let evidence = self.evidence.get(id).map_or("", String::as_str);
            if level.is_empty() && evidence.trim().is_empty() {
                continue;
            }
            let competency = CompetencyId::parse(id)
                .map_err(|_| format!("This review does not assess “{id}”."))?;
            let name = framework
                .competency(competency.as_str())
                .map_or_else(|| id.clone(), |c| c.name.clone());
            if level.is_empty() {
                return Err(format!("Choose a level for {name}."));
            }
            let level: u32 = level
                .parse()
                .map_err(|_| format!("The level for {name} must be one of its scale."))?;
            if evidence.trim().is_empty() {
                return Err(format!("The level for {name} needs evidence."));
            }
            levels.insert(
                competency,
                Rated {
                    level,
                    evidence: evidence.to_owned(),
                },
            );
        }
        let mut edits = Vec::new();
        if !levels.is_empty() {
            edits.push(Edit::Assess(levels));
        }
        let rating = self.rating.trim();
        if !rating.is_empty() {
            let rating = Rating::parse(rating).ok_or_else(|| "Choose a rating.".to_owned())?;
            edits.push(Edit::Rate(rating));
        }
        if edits.is_empty() {
            return Err(
                "Nothing to save: give a level and evidence for a competency first.".into(),
            );
        }
        Ok(edits)
    }
}

#[derive(Template)]
#[template(path = "review.html")]
struct ReviewPage {
    layout: Layout,
    id: i64,
    person: (i64, String),
    role: RoleLink,
    role_title: String,
    manager: Option<(i64, String)>,
    cycle: String,
    period: String,
    cycle_open: bool,
    signed: bool,
    own_signed: String,
    manager_signed: String,
    /// Who signs each side: the person, and the manager who wrote theirs.
    own_signer: String,
    manager_signer: String,
    /// The viewer is the person reviewed and the cycle holds the manager's
    /// side back until HR releases it.
    held: bool,
    rating: String,
    waiting: String,
    rows: Vec<CompetencyRow>,
    /// Whether the viewer writes a side that can still change.
    writing: bool,
    /// Whether that side is the self assessment (else the manager's).
    own_side: bool,
    ratings: Vec<(&'static str, &'static str, bool)>,
    error: Option<String>,
}

fn given(
    framework: &Framework,
    id: &CompetencyId,
    expected: u32,
    side: &Assessment,
) -> Option<Given> {
    side.competencies.get(id).map(|rated| Given {
        level: rated.level,
        name: level_name(framework, id, rated.level),
        evidence: rated.evidence.clone(),
        against: match rated.level.cmp(&expected) {
            std::cmp::Ordering::Less => "below",
            std::cmp::Ordering::Equal => "at",
            std::cmp::Ordering::Greater => "above",
        },
    })
}

fn level_name(framework: &Framework, id: &CompetencyId, level: u32) -> String {
    framework
        .competency(id.as_str())
        .and_then(|c| c.levels.get((level as usize).wrapping_sub(1)))
        .cloned()
        .unwrap_or_default()
}

async fn find(state: &AppState, id: i64) -> Result<(Review, Cycle), PageError> {
    state
        .store()
        .review(ReviewId(id))
        .await
        .map_err(ApiError::from)?
        .ok_or_else(|| {
            ApiError::not_found("unknown_review", format!("there is no review #{id}")).into()
        })
}

async fn review_page(
    state: &AppState,
    viewer: &Viewer,
    id: i64,
    sent: Option<Sent>,
    error: Option<String>,
) -> Result<Response, PageError> {
    let (review, cycle) = find(state, id).await?;
    let review = review.as_seen_by(&cycle, viewer.user.actor().person);
    let framework = state.framework();
    let org = state.org().await?;
    may_read(&org, &viewer.user, &review)?;
    let side = viewer
        .user
        .actor()
        .person
        .filter(|_| cycle.is_open() && !review.is_signed())
        .and_then(|me| climb_management::review::side_of(&org, &review, me).ok())
        .filter(|side| review.side(*side).signed_on.is_none());
    let mine = side.map(|s| review.side(s));
    // The framework's order of competencies, then any it no longer has.
    let mut expected: Vec<(&CompetencyId, &u32)> = review.expected.iter().collect();
    expected.sort_by_key(|(c, _)| {
        framework
            .competencies()
            .iter()
            .position(|k| k.id == **c)
            .unwrap_or(usize::MAX)
    });
    let rows = expected
        .into_iter()
        .map(|(c, expected)| {
            let competency = framework.competency(c.as_str());
            let stored = mine.and_then(|a| a.competencies.get(c));
            let chosen = match &sent {
                Some(sent) => sent.levels.get(c.as_str()).cloned().unwrap_or_default(),
                None => stored.map_or_else(String::new, |r| r.level.to_string()),
            };
            CompetencyRow {
                id: c.to_string(),
                name: competency.map_or_else(|| c.to_string(), |c| c.name.clone()),
                expected: *expected,
                expected_name: level_name(&framework, c, *expected),
                own: given(&framework, c, *expected, &review.own),
                manager: given(&framework, c, *expected, &review.manager),
                options: competency
                    .map(|comp| {
                        comp.levels
                            .iter()
                            .enumerate()
                            .map(|(n, name)| {
                                let value = n as u32 + 1;
                                LevelOption {
                                    value,
                                    name: name.clone(),
                                    selected: chosen == value.to_string(),
                                }
                            })
                            .collect::<Vec<_>>()
                    })
                    .unwrap_or_default(),
                evidence: match &sent {
                    Some(sent) => sent.evidence.get(c.as_str()).cloned().unwrap_or_default(),
                    None => stored.map_or_else(String::new, |r| r.evidence.clone()),
                },
            }
        })
        .collect();
    let chosen_rating = match &sent {
        Some(sent) => sent.rating.clone(),
        None => review
            .rating
            .map_or_else(String::new, |r| r.as_str().to_owned()),
    };
    let role = framework.role(review.role.as_str());
    let page = ReviewPage {
        layout: viewer.layout.at("reviews"),
        id,
        person: (review.person.0, name_of(&org, review.person)),
        role: role.map_or_else(
            || RoleLink {
                id: review.role.to_string(),
                title: review.role.to_string(),
                stream: String::new(),
                colour: 0,
            },
            |r| RoleLink::of(&framework, r),
        ),
        role_title: role_title(&framework, review.role.as_str()),
        manager: org
            .index()
            .manager(review.person)
            .map(|m| (m.0, name_of(&org, m))),
        cycle: cycle.name.clone(),
        period: period(&cycle),
        cycle_open: cycle.is_open(),
        signed: review.is_signed(),
        own_signed: review
            .own
            .signed_on
            .map_or_else(String::new, |d| d.to_string()),
        manager_signed: review
            .manager
            .signed_on
            .map_or_else(String::new, |d| d.to_string()),
        held: viewer.user.actor().person == Some(review.person) && !cycle.manager_side_released(),
        rating: review
            .rating
            .map_or_else(String::new, |r| r.label().to_owned()),
        waiting: waiting_for(&org, &review, &cycle, viewer.user.actor().person),
        own_signer: name_of(&org, review.person),
        manager_signer: review
            .manager
            .author
            .or_else(|| org.index().manager(review.person))
            .map_or_else(|| "the manager".to_owned(), |m| name_of(&org, m)),
        rows,
        writing: side.is_some(),
        own_side: side == Some(Side::Own),
        ratings: Rating::ALL
            .iter()
            .map(|r| (r.as_str(), r.label(), chosen_rating == r.as_str()))
            .collect(),
        error,
    };
    drop(org);
    render_form(&page, page.error.is_some())
}

/// `GET /reviews/{id}`.
pub(crate) async fn show(
    State(state): State<AppState>,
    viewer: Viewer,
    IdPath(id): IdPath<i64>,
) -> Result<Response, PageError> {
    review_page(&state, &viewer, id, None, None).await
}

/// Checks the viewer may write on review `id` the way the API does: the
/// person must be visible to them; the store then decides the side.
async fn writable(state: &AppState, viewer: &Viewer, id: i64) -> Result<(), PageError> {
    let (review, _) = find(state, id).await?;
    let org = state.org().await?;
    viewer.user.view(&org, &Resource::Person(review.person))?;
    // Readers who write neither side are refused before their form is read.
    let writes = viewer
        .user
        .actor()
        .person
        .is_some_and(|by| climb_management::review::side_of(&org, &review, by).is_ok());
    if !writes {
        return Err(PageError::Status(
            StatusCode::FORBIDDEN,
            "Only the person reviewed and their manager write a review.",
        ));
    }
    Ok(())
}

/// `POST /reviews/{id}/assessment`: the writer's levels, evidence and (for
/// the manager) the overall rating, all or nothing.
pub(crate) async fn assess(
    State(state): State<AppState>,
    viewer: Viewer,
    IdPath(id): IdPath<i64>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    writable(&state, &viewer, id).await?;
    let sent = Sent::of(fields);
    let edits = match sent.edits(&state.framework()) {
        Ok(edits) => edits,
        Err(message) => return review_page(&state, &viewer, id, Some(sent), Some(message)).await,
    };
    match state
        .store()
        .edit_review_all(&state.framework(), viewer.user.actor(), ReviewId(id), edits)
        .await
        .map_err(ApiError::from)
    {
        Ok(_) => Ok(see_other(&format!("/reviews/{id}"))),
        Err(error) if error.status() == StatusCode::UNPROCESSABLE_ENTITY => {
            let message = named(&state.framework(), &sentence(&error));
            review_page(&state, &viewer, id, Some(sent), Some(message)).await
        }
        Err(error) => Err(error.into()),
    }
}

/// `POST /reviews/{id}/sign`: signs the writer's side.
pub(crate) async fn sign(
    State(state): State<AppState>,
    viewer: Viewer,
    IdPath(id): IdPath<i64>,
) -> Result<Response, PageError> {
    writable(&state, &viewer, id).await?;
    match state
        .store()
        .edit_review(
            &state.framework(),
            viewer.user.actor(),
            ReviewId(id),
            Edit::Sign,
        )
        .await
        .map_err(ApiError::from)
    {
        Ok(_) => Ok(see_other(&format!("/reviews/{id}"))),
        Err(error) if error.status() == StatusCode::UNPROCESSABLE_ENTITY => {
            let message = named(&state.framework(), &sentence(&error));
            review_page(&state, &viewer, id, None, Some(message)).await
        }
        Err(error) => Err(error.into()),
    }
}

/// A domain message with competency ids (`delivery`) given their names.
fn named(framework: &Framework, message: &str) -> String {
    let mut out = message.to_owned();
    for competency in framework.competencies() {
        out = out.replace(&format!("`{}`", competency.id), &competency.name);
        out = out.replace(
            &format!(" {},", competency.id),
            &format!(" {},", competency.name),
        );
        out = out.replace(
            &format!(" {}.", competency.id),
            &format!(" {}.", competency.name),
        );
    }
    out
}

/// A distribution as the page draws it.
#[derive(Debug)]
struct Bars {
    reviews: usize,
    rated: usize,
    signed: usize,
    counts: Vec<usize>,
    mean: String,
    /// Each rating's segment of a 100-wide stacked bar: (rating value, x, width).
    segments: Vec<(u8, f64, f64)>,
}

impl Bars {
    fn of(d: &Distribution) -> Self {
        let mut x = 0.0;
        let mut segments = Vec::new();
        for (n, count) in d.counts.iter().enumerate() {
            if *count > 0 && d.rated > 0 {
                let width = *count as f64 * 100.0 / d.rated as f64;
                segments.push((n as u8 + 1, x, width));
                x += width;
            }
        }
        Self {
            reviews: d.reviews,
            rated: d.rated,
            signed: d.signed,
            counts: d.counts.to_vec(),
            mean: d.mean.map_or_else(|| "–".to_owned(), |m| format!("{m:.2}")),
            segments,
        }
    }
}

/// One rating of the overall distribution.
#[derive(Debug)]
struct LevelBar {
    value: u8,
    label: &'static str,
    count: usize,
    /// Width out of 100, against the largest count.
    width: f64,
}

#[derive(Template)]
#[template(path = "review_calibration.html")]
struct CalibrationPage {
    layout: Layout,
    cycle: (i64, String),
    period: String,
    open: bool,
    under: Option<(i64, String)>,
    scale: Vec<(u8, &'static str)>,
    roles: Vec<(RoleLink, u8, Bars)>,
    levels: Vec<(u8, String, Bars)>,
    total: Bars,
    distribution: Vec<LevelBar>,
}

/// `?under=` of the calibration page.
#[derive(Debug, Deserialize)]
pub(crate) struct CalibrationQuery {
    #[serde(default)]
    under: Option<String>,
}

/// `GET /reviews/cycles/{id}/results.csv` (HR and administrators): every
/// review of the cycle with its rating and both signatures, for the
/// spreadsheet HR keeps after calibration.
pub(crate) async fn results_csv(
    State(state): State<AppState>,
    viewer: Viewer,
    IdPath(id): IdPath<i64>,
) -> Result<Response, PageError> {
    if !viewer.user.actor().is_admin_or_hr() {
        return Err(PageError::Status(
            StatusCode::FORBIDDEN,
            "Only HR and administrators download a cycle's results.",
        ));
    }
    let cycle = state
        .store()
        .review_cycle(CycleId(id))
        .await
        .map_err(ApiError::from)?
        .ok_or_else(|| {
            ApiError::not_found("unknown_cycle", format!("there is no review cycle #{id}"))
        })?;
    let reviews = state
        .store()
        .cycle_reviews(cycle.id)
        .await
        .map_err(ApiError::from)?;
    let framework = state.framework();
    let org = state.org().await?;
    let mut writer = csv::Writer::from_writer(Vec::new());
    let failed = |e: csv::Error| PageError::Api(ApiError::internal(e));
    writer
        .write_record([
            "cycle",
            "name",
            "email",
            "role",
            "manager",
            "self_signed_on",
            "manager_signed_on",
            "rating",
        ])
        .map_err(failed)?;
    for review in &reviews {
        let person = org.person(review.person);
        let manager = org.index().manager(review.person);
        let day = |d: Option<chrono::NaiveDate>| d.map_or_else(String::new, |d| d.to_string());
        writer
            .write_record([
                cycle.name.clone(),
                name_of(&org, review.person),
                person.map_or_else(String::new, |p| p.email.to_string()),
                role_title(&framework, review.role.as_str()),
                manager.map_or_else(String::new, |m| name_of(&org, m)),
                day(review.own.signed_on),
                day(review.manager.signed_on),
                review
                    .rating
                    .map_or_else(String::new, |r| r.label().to_owned()),
            ])
            .map_err(failed)?;
    }
    drop(org);
    let body = writer
        .into_inner()
        .map_err(|e| PageError::Api(ApiError::internal(e.into_error())))?;
    Ok(crate::page::csv_download(body, "climb-review-results.csv"))
}

/// `GET /reviews/cycles/{id}/calibration`: HR and administrators for the
/// whole cycle (or `?under=`), a senior manager for everyone below them.
pub(crate) async fn calibration(
    State(state): State<AppState>,
    viewer: Viewer,
    IdPath(id): IdPath<i64>,
    Query(query): Query<CalibrationQuery>,
) -> Result<Response, PageError> {
    let privileged = viewer.user.actor().is_admin_or_hr();
    let under = match query
        .under
        .as_deref()
        .map(str::trim)
        .filter(|u| !u.is_empty())
    {
        Some(raw) => Some(PersonId(raw.parse::<i64>().map_err(|_| {
            ApiError::not_found("unknown_person", "there is no such person")
        })?)),
        None if privileged => None,
        None => viewer.user.actor().person,
    };
    let framework = state.framework();
    let (below, under_name) = {
        let org = state.org().await?;
        viewer.user.view(&org, &Resource::Calibration { under })?;
        let below: Option<Vec<PersonId>> =
            under.map(|boss| org.index().below(boss).unwrap_or_default());
        (below, under.map(|u| (u.0, name_of(&org, u))))
    };
    let cycle = state
        .store()
        .review_cycle(CycleId(id))
        .await
        .map_err(ApiError::from)?
        .ok_or_else(|| {
            ApiError::not_found("unknown_cycle", format!("there is no review cycle #{id}"))
        })?;
    let counted = state
        .store()
        .calibration_counts(cycle.id, below.as_deref())
        .await
        .map_err(ApiError::from)?;
    let view = calibration::calibrate_counts(&framework, &counted);
    let largest = view.total.counts.iter().copied().max().unwrap_or(0).max(1);
    let page = CalibrationPage {
        layout: viewer.layout.at("reviews"),
        cycle: (cycle.id.0, cycle.name.clone()),
        period: period(&cycle),
        open: cycle.is_open(),
        under: under_name,
        scale: Rating::ALL.iter().map(|r| (r.value(), r.label())).collect(),
        roles: view
            .roles
            .iter()
            .filter_map(|row| {
                let role = framework.role(row.role.as_str())?;
                Some((
                    RoleLink::of(&framework, role),
                    row.seniority,
                    Bars::of(&row.ratings),
                ))
            })
            .collect(),
        levels: view
            .levels
            .iter()
            .map(|row| {
                let titles: Vec<String> = framework
                    .roles()
                    .iter()
                    .filter(|r| r.seniority.get() == row.seniority)
                    .map(|r| r.title.clone())
                    .collect();
                (row.seniority, titles.join(", "), Bars::of(&row.ratings))
            })
            .collect(),
        distribution: Rating::ALL
            .iter()
            .map(|r| {
                let count = view.total.counts[usize::from(r.value()) - 1];
                LevelBar {
                    value: r.value(),
                    label: r.label(),
                    count,
                    width: count as f64 * 100.0 / largest as f64,
                }
            })
            .collect(),
        total: Bars::of(&view.total),
    };
    render(&page)
}

/// A review linked from a person's page.
#[derive(Debug)]
pub(crate) struct PersonReview {
    pub(crate) id: i64,
    pub(crate) cycle: String,
    pub(crate) period: String,
    pub(crate) waiting: String,
    pub(crate) rating: String,
}

/// The reviews of `person` the viewer may read (the API's rule, review by
/// review), newest cycle first; `None` when they may read none and may not
/// see the person's records either.
pub(crate) async fn of_person(
    state: &AppState,
    viewer: &Viewer,
    person: PersonId,
) -> Result<Option<Vec<PersonReview>>, PageError> {
    let reviews = state
        .store()
        .person_reviews(person)
        .await
        .map_err(ApiError::from)?;
    let org = state.org().await?;
    let records = viewer.user.view(&org, &Resource::Records(person)).is_ok();
    let shown: Vec<PersonReview> = reviews
        .iter()
        .filter(|(r, _)| records || may_read(&org, &viewer.user, r).is_ok())
        .map(|(r, c)| PersonReview {
            id: r.id.0,
            cycle: c.name.clone(),
            period: period(c),
            waiting: waiting_for(&org, r, c, viewer.user.actor().person),
            rating: r
                .as_seen_by(c, viewer.user.actor().person)
                .rating
                .map_or_else(String::new, |r| r.label().to_owned()),
        })
        .collect();
    Ok((records || !shown.is_empty()).then_some(shown))
}
