//! The JSON API under `/api/v1`: one `router()` per area, each handler thin
//! (parse → authorize → store or domain → serialize). The views shared by
//! several areas live here.

pub mod accounts;
pub mod audit;
pub mod framework;
pub mod insights;
pub mod one_on_ones;
pub mod openings;
pub mod org;
pub mod paths;
pub mod people;
pub mod projects;
pub mod promotions;
pub mod reviews;
pub mod roles;
pub mod session;
pub mod tokens;
pub mod updates;
pub mod webhooks;

use chrono::NaiveDate;
use climb_framework::{DesignationId, RoleId};
use climb_people::{Assignment, Org, Person, PersonId, RoleChange};
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;

use crate::error::ApiError;
use crate::state::AppState;

/// Every area's routes, with their OpenAPI operations.
pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(framework::router())
        .merge(roles::router())
        .merge(paths::router())
        .merge(people::router())
        .merge(org::router())
        .merge(insights::router())
        .merge(projects::router())
        .merge(reviews::router())
        .merge(promotions::router())
        .merge(audit::router())
        .merge(tokens::router())
        .merge(session::router())
        .merge(one_on_ones::router())
        .merge(openings::router())
        .merge(updates::router())
        .merge(accounts::router())
        .merge(webhooks::router())
}

/// Today, for requests that leave a date out (the domain reads no clock).
pub(crate) fn today() -> NaiveDate {
    chrono::Utc::now().date_naive()
}

/// A role id from a request: unknown when it is not even a valid id.
pub(crate) fn role_id(raw: &str) -> Result<RoleId, ApiError> {
    RoleId::parse(raw).map_err(|_| {
        ApiError::not_found("unknown_role", format!("the framework has no role `{raw}`"))
    })
}

/// A designation id from a request.
pub(crate) fn designation_id(raw: &str) -> Result<DesignationId, ApiError> {
    DesignationId::parse(raw).map_err(|_| {
        ApiError::not_found(
            "unknown_designation",
            format!("the framework has no designation `{raw}`"),
        )
    })
}

/// A person as the directory shows them (public inside the company).
#[derive(Debug, Serialize, ToSchema)]
pub struct PersonSummary {
    /// Id.
    pub id: i64,
    /// Display name.
    pub name: String,
    /// Email.
    pub email: String,
    /// `active` or `left`.
    #[schema(example = "active")]
    pub status: String,
    /// Role id.
    pub role: String,
    /// The role's stream (absent when the role is not in the framework).
    pub stream: Option<String>,
    /// Manager's id.
    pub manager: Option<i64>,
}

impl PersonSummary {
    pub(crate) fn of(person: &Person, framework: &climb_framework::Framework) -> Self {
        Self {
            id: person.id.0,
            name: person.name.clone(),
            email: person.email.to_string(),
            status: person.status.as_str().to_owned(),
            role: person.role.to_string(),
            stream: framework
                .role(person.role.as_str())
                .map(|r| r.stream.to_string()),
            manager: person.manager.map(|m| m.0),
        }
    }
}

/// An active designation.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DesignationView {
    /// Project id.
    pub project: i64,
    /// Holder's id.
    pub person: i64,
    /// Designation id (e.g. `team-lead`).
    pub designation: String,
    /// First day held.
    pub start_date: NaiveDate,
    /// Flags raised when assigned (e.g. `below_usual_seniority`).
    pub flags: Vec<String>,
}

impl From<&Assignment> for DesignationView {
    fn from(a: &Assignment) -> Self {
        Self {
            project: a.project.0,
            person: a.person.0,
            designation: a.designation.to_string(),
            start_date: a.start_date,
            flags: a
                .flags
                .iter()
                .map(|f| match f {
                    climb_people::DesignationFlag::BelowUsualSeniority => {
                        "below_usual_seniority".to_owned()
                    }
                })
                .collect(),
        }
    }
}

/// One entry of a person's history: a role change, or a designation that ended.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct HistoryEntry {
    /// `role_change` or `designation_ended`.
    #[schema(example = "role_change")]
    pub kind: String,
    /// The day it took effect (the new role's first day, or the designation's last).
    pub date: NaiveDate,
    /// Role before (role changes; absent for the hire).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    /// Role after (role changes).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
    /// `hire`, `promotion`, `lateral`, `correction`; for designations
    /// `replaced`, `project_closed` or `person_left`.
    pub reason: String,
    /// Free text (corrections).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// The project (designations).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub project: Option<i64>,
    /// The designation id (designations).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub designation: Option<String>,
    /// The designation's first day (designations).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start_date: Option<NaiveDate>,
    /// The approved promotion proposal that made this role change
    /// (`/api/v1/promotion-proposals/{id}`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub proposal: Option<i64>,
}

impl From<&RoleChange> for HistoryEntry {
    fn from(c: &RoleChange) -> Self {
        Self {
            kind: "role_change".to_owned(),
            date: c.effective_date,
            from: c.from.as_ref().map(ToString::to_string),
            to: Some(c.to.to_string()),
            reason: c.reason.as_str().to_owned(),
            note: c.note.clone(),
            project: None,
            designation: None,
            start_date: None,
            proposal: c.proposal,
        }
    }
}

/// A person with reports, active designations and (when the caller may see
/// their records) history.
#[derive(Debug, Serialize, ToSchema)]
pub struct PersonDetail {
    /// Id.
    pub id: i64,
    /// Display name.
    pub name: String,
    /// Email.
    pub email: String,
    /// `active` or `left`.
    pub status: String,
    /// Role id.
    pub role: String,
    /// The role's stream.
    pub stream: Option<String>,
    /// Manager's id.
    pub manager: Option<i64>,
    /// First day.
    pub start_date: NaiveDate,
    /// Last day, for someone who left.
    pub end_date: Option<NaiveDate>,
    /// Direct reports' ids.
    pub reports: Vec<i64>,
    /// Active designations.
    pub designations: Vec<DesignationView>,
    /// Role changes and ended designations, oldest first; present only when
    /// the caller may see this person's records.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub history: Option<Vec<HistoryEntry>>,
}

/// Builds a person's detail; `ended` are their ended designations, included
/// with `history` when given.
pub(crate) fn person_detail(
    org: &Org,
    framework: &climb_framework::Framework,
    id: PersonId,
    ended: Option<&[HistoryEntry]>,
) -> Result<PersonDetail, ApiError> {
    let person = org
        .person(id)
        .ok_or_else(|| ApiError::not_found("unknown_person", format!("there is no person {id}")))?;
    let summary = PersonSummary::of(person, framework);
    let history = ended.map(|ended| {
        let mut entries: Vec<HistoryEntry> =
            org.history(id).iter().map(HistoryEntry::from).collect();
        entries.extend(ended.iter().cloned());
        entries.sort_by_key(|e| e.date);
        entries
    });
    Ok(PersonDetail {
        id: summary.id,
        name: summary.name,
        email: summary.email,
        status: summary.status,
        role: summary.role,
        stream: summary.stream,
        manager: summary.manager,
        start_date: person.start_date,
        end_date: person.end_date,
        reports: org.reports(id).into_iter().map(|r| r.0).collect(),
        designations: org.designations_of(id).map(DesignationView::from).collect(),
        history,
    })
}

/// A list of people, one page of it.
#[derive(Debug, Serialize, ToSchema)]
pub struct PeopleList {
    /// The people on this page, by id.
    pub people: Vec<PersonSummary>,
    /// Pass as `cursor` for the next page; `null` on the last page.
    pub next_cursor: Option<String>,
}
