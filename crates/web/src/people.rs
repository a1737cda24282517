//! The people directory (search as you type, filters by stream, role and
//! manager) and the person page (role, manager, reports, designations,
//! next steps and, for those allowed to see it, the history timeline, the
//! growth plan with goals and the promotion proposals).

use std::sync::Arc;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use chrono::{Datelike, NaiveDate};
use climb_framework::Framework;
use climb_people::policy::Resource;
use climb_people::{DirectoryOrder, Org, Person, PersonId};
use climb_server::{ApiError, AppState};
use serde::Deserialize;

use crate::chart::{RoleLink, Step, all_roles, next_steps};
use crate::error::{PageError, encode};
use crate::growth::{GoalForm, GrowthSection};
use crate::page::{Layout, Viewer, render, render_form};
use crate::promotions::{ProposalRow, proposal_row};

/// How many matches the directory lists.
const SHOWN: usize = 50;

/// A person in a list.
#[derive(Debug)]
struct PersonRow {
    id: i64,
    name: String,
    email: String,
    role: RoleLink,
    manager: Option<(i64, String)>,
}

fn row(framework: &Framework, org: &Org, person: &Person) -> Option<PersonRow> {
    let role = framework.role(person.role.as_str())?;
    Some(PersonRow {
        id: person.id.0,
        name: person.name.clone(),
        email: person.email.to_string(),
        role: RoleLink::of(framework, role),
        manager: person
            .manager
            .and_then(|m| org.person(m))
            .map(|m| (m.id.0, m.name.clone())),
    })
}

/// The directory's filters, as typed.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct DirectoryQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    stream: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    manager: String,
    /// `name` (default), `role` (most senior first) or `manager`.
    #[serde(default)]
    sort: String,
    /// 1-based page of [`SHOWN`] people.
    #[serde(default)]
    page: String,
}

impl DirectoryQuery {
    /// The sort asked for, as one of the known orders.
    fn order(&self) -> DirectoryOrder {
        DirectoryOrder::parse(&self.sort)
    }

    /// The filters (and `extra`) as a query string, for links that keep them.
    fn link(&self, extra: &[(&str, String)]) -> String {
        let mut parts: Vec<String> = [
            ("q", &self.q),
            ("stream", &self.stream),
            ("role", &self.role),
            ("manager", &self.manager),
        ]
        .iter()
        .filter(|(_, value)| !value.trim().is_empty())
        .map(|(name, value)| format!("{name}={}", encode(value.trim())))
        .collect();
        parts.extend(
            extra
                .iter()
                .filter(|(_, value)| !value.is_empty())
                .map(|(name, value)| format!("{name}={}", encode(value))),
        );
        parts.join("&")
    }
}

/// The matches of a search, one page of them.
#[derive(Debug)]
struct Results {
    people: Vec<PersonRow>,
    total: usize,
    /// 1-based page shown, and how many there are.
    page: usize,
    pages: usize,
    /// The position of the first person shown, 1-based.
    first: usize,
    order: &'static str,
    /// Links keeping the filters: to the previous and next page, and to
    /// each order (`(order, label, link)`); the CSV of every match.
    previous: Option<String>,
    next: Option<String>,
    sorts: Vec<(&'static str, &'static str, String)>,
    csv: String,
}

#[derive(Template)]
#[template(path = "people.html")]
struct DirectoryPage {
    layout: Layout,
    query: DirectoryQuery,
    streams: Vec<(String, String)>,
    roles: Vec<RoleLink>,
    manager_name: String,
    results: Results,
}

#[derive(Template)]
#[template(path = "people_results.html")]
struct ResultsPartial {
    results: Results,
}

/// Whether `text` contains `needle` (already lower case), ignoring case.
/// ASCII names, most of a company, are compared without allocating; the
/// search runs over every person on each keystroke.
fn contains_folded(text: &str, needle: &str) -> bool {
    if text.is_ascii() && needle.is_ascii() {
        let needle = needle.as_bytes();
        return needle.is_empty()
            || needle.len() <= text.len()
                && text
                    .as_bytes()
                    .windows(needle.len())
                    .any(|window| window.eq_ignore_ascii_case(needle));
    }
    text.to_lowercase().contains(needle)
}

/// The most matches of a filter sorted on the spot; more are picked out of
/// the kept order of everyone, in time linear in the company however many
/// match (sorting by name compares whole names, slow when many begin
/// alike).
const SORTED_ON_THE_SPOT: usize = 2_000;

/// The active people matching the directory's filters, in order.
enum Matches<'o> {
    /// Everyone active (no filter): the whole company's order as kept per
    /// revision of the org (see [`AppState::directory_order`]); people are
    /// looked up only for what is shown.
    Everyone(&'o Org, Arc<[PersonId]>),
    /// Those a filter selected.
    Selected(Vec<&'o Person>),
}

impl<'o> Matches<'o> {
    fn len(&self) -> usize {
        match self {
            Self::Everyone(_, ids) => ids.len(),
            Self::Selected(people) => people.len(),
        }
    }

    /// The matches from `start` to `end`, in order.
    fn range(&self, start: usize, end: usize) -> Vec<&'o Person> {
        match self {
            Self::Everyone(org, ids) => ids
                .get(start..end)
                .unwrap_or_default()
                .iter()
                .filter_map(|id| org.person(*id))
                .collect(),
            Self::Selected(people) => people.get(start..end).unwrap_or_default().to_vec(),
        }
    }
}

/// The active people matching the filters, in `order`. Without a filter,
/// the kept order of everyone; with one that selects a few, they are
/// sorted on the spot; with one that selects many, they are picked out of
/// the kept order.
fn matches<'o>(
    state: &AppState,
    framework: &'o Arc<Framework>,
    org: &'o Org,
    query: &DirectoryQuery,
    order: DirectoryOrder,
) -> Matches<'o> {
    let needle = query.q.trim().to_lowercase();
    let manager = query.manager.trim().parse::<i64>().ok().map(PersonId);
    let stream = query.stream.trim();
    let role = query.role.trim();
    let admits = |person: &&Person| {
        person.is_active()
            && (role.is_empty() || person.role.as_str() == role)
            && (stream.is_empty()
                || framework
                    .role(person.role.as_str())
                    .is_some_and(|r| r.stream.as_str() == stream))
            && (needle.is_empty()
                || contains_folded(&person.name, &needle)
                || person.email.as_str().contains(&needle))
    };
    let sort =
        |found: Vec<&'o Person>| climb_people::directory::sorted(framework, org, order, found);
    if let Some(manager) = manager {
        let reports = org.reports(manager);
        let found = reports
            .iter()
            .filter_map(|id| org.person(*id))
            .filter(admits)
            .collect();
        return Matches::Selected(sort(found));
    }
    if needle.is_empty() && stream.is_empty() && role.is_empty() {
        return Matches::Everyone(org, state.directory_order(org, framework, order));
    }
    let found: Vec<&Person> = org.people().filter(admits).collect();
    if found.len() <= SORTED_ON_THE_SPOT {
        return Matches::Selected(sort(found));
    }
    Matches::Selected(
        state
            .directory_order(org, framework, order)
            .iter()
            .filter_map(|id| org.person(*id))
            .filter(admits)
            .collect(),
    )
}

/// `GET /people`: the directory, or (htmx) just its results, a page of
/// [`SHOWN`] at a time in the order asked for.
pub(crate) async fn directory(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(query): Query<DirectoryQuery>,
) -> Result<Response, PageError> {
    let framework_in_force = state.framework();
    let framework = &*framework_in_force;
    let org = state.org().await?;
    viewer.user.view(&org, &Resource::Directory)?;
    let order = query.order();
    let found = matches(&state, &framework_in_force, &org, &query, order);
    let total = found.len();
    let pages = total.div_ceil(SHOWN).max(1);
    let page = query
        .page
        .trim()
        .parse::<usize>()
        .unwrap_or(1)
        .clamp(1, pages);
    let start = (page - 1) * SHOWN;
    let end = (start + SHOWN).min(total);
    let people = found
        .range(start, end)
        .into_iter()
        .filter_map(|person| row(framework, &org, person))
        .collect();
    let sort = order.as_str().to_owned();
    let at = |page: usize| {
        format!(
            "/people?{}",
            query.link(&[("sort", sort.clone()), ("page", page.to_string())])
        )
    };
    let results = Results {
        people,
        total,
        page,
        pages,
        first: start + 1,
        order: order.as_str(),
        previous: (page > 1).then(|| at(page - 1)),
        next: (page < pages).then(|| at(page + 1)),
        sorts: [
            (DirectoryOrder::Name, "Name"),
            (DirectoryOrder::Role, "Role"),
            (DirectoryOrder::Manager, "Manager"),
        ]
        .into_iter()
        .map(|(o, label)| {
            (
                o.as_str(),
                label,
                format!("/people?{}", query.link(&[("sort", o.as_str().to_owned())])),
            )
        })
        .collect(),
        csv: format!("/people.csv?{}", query.link(&[("sort", sort.clone())])),
    };
    if viewer.htmx {
        return render(&ResultsPartial { results });
    }
    let manager_name = query
        .manager
        .trim()
        .parse::<i64>()
        .ok()
        .and_then(|m| org.person(PersonId(m)))
        .map(|p| p.name.clone())
        .unwrap_or_default();
    drop(org);
    render(&DirectoryPage {
        layout: viewer.layout.at("people"),
        streams: framework
            .streams()
            .iter()
            .map(|s| (s.id.to_string(), s.name.clone()))
            .collect(),
        roles: all_roles(framework),
        manager_name,
        query,
        results,
    })
}

/// `GET /people.csv`: every match of the directory's filters, in its order:
/// what the directory shows to everyone in the company, as a spreadsheet.
pub(crate) async fn directory_csv(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(query): Query<DirectoryQuery>,
) -> Result<Response, PageError> {
    let framework_in_force = state.framework();
    let framework = &*framework_in_force;
    let org = state.org().await?;
    viewer.user.view(&org, &Resource::Directory)?;
    let order = query.order();
    let found = matches(&state, &framework_in_force, &org, &query, order);
    let mut writer = csv::Writer::from_writer(Vec::new());
    let failed = |e: csv::Error| PageError::Api(ApiError::internal(e));
    writer
        .write_record([
            "name",
            "email",
            "role",
            "stream",
            "manager",
            "manager_email",
        ])
        .map_err(failed)?;
    for person in found.range(0, found.len()) {
        let role = framework.role(person.role.as_str());
        let manager = person.manager.and_then(|m| org.person(m));
        writer
            .write_record([
                person.name.as_str(),
                person.email.as_str(),
                role.map_or(person.role.as_str(), |r| r.title.as_str()),
                role.map_or("", |r| framework.stream_of(r).name.as_str()),
                manager.map_or("", |m| m.name.as_str()),
                manager.map_or("", |m| m.email.as_str()),
            ])
            .map_err(failed)?;
    }
    drop(org);
    let body = writer
        .into_inner()
        .map_err(|e| PageError::Api(ApiError::internal(e.into_error())))?;
    Ok(crate::page::csv_download(body, "climb-people.csv"))
}

/// One line of the history timeline.
#[derive(Debug)]
struct Event {
    date: String,
    what: String,
    note: String,
    /// The approved promotion proposal behind this role change.
    proposal: Option<i64>,
}

/// A designation the person holds now.
#[derive(Debug)]
struct Held {
    title: String,
    project: String,
    since: String,
    flagged: bool,
}

#[derive(Template)]
#[template(path = "person.html")]
struct PersonPage {
    layout: Layout,
    person: PersonRow,
    active: bool,
    start_date: String,
    /// The viewer's own page ("Me"): their growth comes first.
    is_me: bool,
    /// How long they have held their role, in words (`1 year 3 months`).
    in_role: String,
    reports: Vec<PersonRow>,
    headcount_below: usize,
    designations: Vec<Held>,
    next: Vec<Step>,
    history: Option<Vec<Event>>,
    /// The person's reviews the viewer may read; `None` hides the section.
    reviews: Option<Vec<crate::reviews::PersonReview>>,
    growth: Option<GrowthSection>,
    promotions: Option<PromotionCard>,
}

/// The person's promotion proposals, and whether the viewer may draft one.
#[derive(Debug)]
struct PromotionCard {
    proposals: Vec<ProposalRow>,
    may_propose: bool,
}

/// What a person page carries besides the person: a refused goal form
/// with its message.
#[derive(Debug, Default)]
pub(crate) struct PersonExtras {
    pub(crate) goal_form: Option<(GoalForm, String)>,
}

/// The day `person` took up the role they hold now (their start date when
/// the history does not say).
pub(crate) fn role_since(org: &Org, person: &Person) -> NaiveDate {
    org.history(person.id)
        .iter()
        .rev()
        .find(|change| change.to == person.role)
        .map_or(person.start_date, |change| change.effective_date)
}

/// The whole months and years from `since` to `today`, in words.
pub(crate) fn duration_words(since: NaiveDate, today: NaiveDate) -> String {
    let months = (today.year() - since.year()) * 12 + today.month() as i32
        - since.month() as i32
        - i32::from(today.day() < since.day());
    let (years, months) = (months.max(0) / 12, months.max(0) % 12);
    let unit = |n: i32, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    match (years, months) {
        (0, 0) => "less than a month".to_owned(),
        (0, m) => unit(m, "month", "months"),
        (y, 0) => unit(y, "year", "years"),
        (y, m) => format!(
            "{} {}",
            unit(y, "year", "years"),
            unit(m, "month", "months")
        ),
    }
}

/// `GET /people/{id}`: one person.
pub(crate) async fn person_page(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let unknown = || ApiError::not_found("unknown_person", "there is no such person");
    let id = PersonId(id.parse::<i64>().map_err(|_| unknown())?);
    person_view(&state, &viewer, id, PersonExtras::default()).await
}

/// The person page of `id` for `viewer` (422 when it carries a refused form).
pub(crate) async fn person_view(
    state: &AppState,
    viewer: &Viewer,
    id: PersonId,
    extras: PersonExtras,
) -> Result<Response, PageError> {
    let unknown = || ApiError::not_found("unknown_person", "there is no such person");
    let reviews = crate::reviews::of_person(state, viewer, id).await?;
    let framework = &*state.framework();
    let org = state.org().await?;
    viewer.user.view(&org, &Resource::Person(id))?;
    let person = org.person(id).ok_or_else(unknown)?;
    let summary = row(framework, &org, person).ok_or_else(unknown)?;
    let mut reports: Vec<PersonRow> = org
        .reports(id)
        .into_iter()
        .filter_map(|r| org.person(r))
        .filter(|p| p.is_active())
        .filter_map(|p| row(framework, &org, p))
        .collect();
    reports.sort_by(|a, b| a.name.cmp(&b.name));
    let designations = org
        .designations_of(id)
        .map(|a| Held {
            title: framework
                .designation(a.designation.as_str())
                .map_or_else(|| a.designation.to_string(), |d| d.title.clone()),
            project: org
                .project(a.project)
                .map_or_else(|| a.project.to_string(), |p| p.name.clone()),
            since: a.start_date.to_string(),
            flagged: !a.flags.is_empty(),
        })
        .collect();
    let history = viewer
        .user
        .view(&org, &Resource::Records(id))
        .is_ok()
        .then(|| {
            let title = |r: &str| {
                framework
                    .role(r)
                    .map_or_else(|| r.to_owned(), |r| r.title.clone())
            };
            let mut events: Vec<Event> = org
                .history(id)
                .iter()
                .map(|c| Event {
                    date: c.effective_date.to_string(),
                    what: match &c.from {
                        None => format!("Joined as {}", title(c.to.as_str())),
                        Some(from) => format!(
                            "{}: {} → {}",
                            crate::page::capitalised(c.reason.as_str()),
                            title(from.as_str()),
                            title(c.to.as_str())
                        ),
                    },
                    note: c.note.clone().unwrap_or_default(),
                    proposal: c.proposal,
                })
                .collect();
            events.reverse();
            events
        });
    let records = history.is_some();
    let may_propose = viewer
        .user
        .act(
            &org,
            framework,
            &climb_people::policy::Action::ProposePromotion { person: id },
            "propose",
        )
        .is_ok()
        && person.is_active();
    let is_me = viewer.user.actor().person == Some(id);
    let role_since = role_since(&org, person);
    let mut page = PersonPage {
        layout: viewer.layout.at(if is_me { "me" } else { "people" }),
        active: person.is_active(),
        start_date: person.start_date.to_string(),
        is_me,
        in_role: duration_words(role_since, chrono::Utc::now().date_naive()),
        headcount_below: org.index().headcount_below(id).unwrap_or(0),
        next: next_steps(framework, person.role.as_str()),
        person: summary,
        reports,
        designations,
        history,
        reviews,
        growth: None,
        promotions: None,
    };
    drop(org);
    let refused = extras.goal_form.is_some();
    page.growth = crate::growth::section(state, viewer, id, extras.goal_form).await?;
    if records || may_propose {
        let proposals = state
            .store()
            .person_proposals(id)
            .await
            .map_err(ApiError::from)?;
        let org = state.org().await?;
        page.promotions = Some(PromotionCard {
            proposals: if records {
                proposals
                    .iter()
                    .map(|p| proposal_row(framework, &org, p))
                    .collect()
            } else {
                Vec::new()
            },
            may_propose,
        });
    }
    render_form(&page, refused)
}

#[cfg(test)]
mod tests {
    use super::contains_folded;

    #[test]
    fn a_search_ignores_case_in_ascii_and_other_names() {
        assert!(contains_folded("Ada Lovelace", "lovel"));
        assert!(contains_folded("ADA", "ada"));
        assert!(!contains_folded("Ada", "adam"));
        assert!(contains_folded("Zoë Ölund", "ölu"));
        assert!(contains_folded("anything", ""));
    }
}
