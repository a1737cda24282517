//! Why the domain refuses a command: one variant per rule, each with the
//! stable code of the API (SPEC §5) and a message naming who and what.

use chrono::NaiveDate;

use crate::id::{PersonId, ProjectId};

/// How the HTTP layer should answer an error (SPEC §5 status codes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    /// 400: the request itself is malformed (e.g. an invalid email).
    Invalid,
    /// 403: the actor may not do this.
    Forbidden,
    /// 404: an id names nothing.
    NotFound,
    /// 409: conflicts with existing data (`email_taken`, `id_taken`).
    Conflict,
    /// 422: a domain rule refused it.
    Rule,
}

/// The longest name of a person or a project, in characters.
pub const MAX_NAME_CHARS: usize = 200;

/// What is wrong with a name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error)]
pub enum NameProblem {
    /// Nothing but spaces.
    #[error("a name cannot be blank")]
    Blank,
    /// Longer than [`MAX_NAME_CHARS`].
    #[error("a name is at most {MAX_NAME_CHARS} characters; this one has {0}")]
    TooLong(usize),
    /// A NUL, a line break, a tab or another control character.
    #[error("a name cannot hold control characters (such as NUL, a tab or a line break)")]
    ControlCharacter,
}

impl NameProblem {
    /// What is wrong with `name` once trimmed, if anything: the one rule for
    /// names, whether they come through the API, a page or a CSV import.
    pub fn of(name: &str) -> Option<Self> {
        let name = name.trim();
        if name.is_empty() {
            Some(Self::Blank)
        } else if name.chars().any(char::is_control) {
            Some(Self::ControlCharacter)
        } else {
            let length = name.chars().count();
            (length > MAX_NAME_CHARS).then_some(Self::TooLong(length))
        }
    }
}

/// A refused command. `code()` is the stable string clients match on;
/// `Display` is a message for people.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PeopleError {
    /// `unknown_person`: no person has this id.
    #[error("there is no person {person}")]
    UnknownPerson {
        /// The id asked for.
        person: PersonId,
    },
    /// `unknown_project`: no project has this id.
    #[error("there is no {project}")]
    UnknownProject {
        /// The id asked for.
        project: ProjectId,
    },
    /// `unknown_role`: the framework has no role with this id (also when a
    /// person's current role is missing from the framework in force).
    #[error("the framework has no role `{role}`")]
    UnknownRole {
        /// The id asked for.
        role: String,
    },
    /// `unknown_designation`: the framework has no designation with this id.
    #[error("the framework has no designation `{designation}`")]
    UnknownDesignation {
        /// The id asked for.
        designation: String,
    },
    /// `invalid_email`: not a usable email address.
    #[error("`{email}` is not a valid email address")]
    InvalidEmail {
        /// The text given.
        email: String,
    },
    /// `invalid_name`: a person's or project's name that is blank, too long
    /// or holds control characters.
    #[error("{0}")]
    InvalidName(NameProblem),
    /// `text_too_long` or `invalid_text`: a note over its limit, or holding NUL.
    #[error(transparent)]
    InvalidText(crate::TextProblem),
    /// `email_taken`: another person (active or not) already uses this email.
    #[error("{email} already belongs to {holder_name} ({holder})")]
    EmailTaken {
        /// The email asked for.
        email: String,
        /// Who has it.
        holder: PersonId,
        /// Their name.
        holder_name: String,
    },
    /// `id_taken`: the id reserved for a new record is already in use (a store bug
    /// or a lost race; retry with a fresh id).
    #[error("id {id} is already in use")]
    IdTaken {
        /// The raw id.
        id: i64,
    },
    /// `person_left`: the person has left, so they cannot be changed this way
    /// (or be someone's manager, or hold a designation).
    #[error("{name} ({person}) has left the company")]
    PersonLeft {
        /// Who.
        person: PersonId,
        /// Their name.
        name: String,
    },
    /// `still_active`: only a person who left can be erased.
    #[error("{name} ({person}) still works here; record their leaving before erasing them")]
    StillActive {
        /// Who.
        person: PersonId,
        /// Their name.
        name: String,
    },
    /// `self_manager`: nobody manages themselves.
    #[error("{name} ({person}) cannot be their own manager")]
    SelfManager {
        /// Who.
        person: PersonId,
        /// Their name.
        name: String,
    },
    /// `manager_cannot_have_reports`: the proposed manager's role has no reports.
    #[error("{manager_name} ({manager}) cannot have reports: their role `{role}` has none")]
    ManagerCannotHaveReports {
        /// The proposed manager.
        manager: PersonId,
        /// Their name.
        manager_name: String,
        /// Their role.
        role: String,
    },
    /// `reporting_cycle`: the proposed manager reports, directly or not, to the person.
    #[error(
        "{manager_name} ({manager}) cannot manage {name} ({person}): they report to {name}, which would make a cycle"
    )]
    ReportingCycle {
        /// Whose manager was to change.
        person: PersonId,
        /// Their name.
        name: String,
        /// The proposed manager.
        manager: PersonId,
        /// Their name.
        manager_name: String,
    },
    /// `has_reports`: the person still manages people; reassign them first
    /// (before leaving, or before moving to a role without reports).
    #[error("{name} ({person}) still has {reports} direct report(s); reassign them first")]
    HasReports {
        /// Who.
        person: PersonId,
        /// Their name.
        name: String,
        /// How many active direct reports.
        reports: usize,
    },
    /// `hire_only_role`: nothing may move into a hire-only role; only a hire.
    #[error("`{role}` is hire-only: nobody can be promoted or moved into it, only hired")]
    HireOnlyRole {
        /// The role.
        role: String,
    },
    /// `no_such_transition`: the framework has no transition between the two roles.
    #[error(
        "{name} ({person}) cannot move from `{from}` to `{to}`: the framework has no such transition"
    )]
    NoSuchTransition {
        /// Who.
        person: PersonId,
        /// Their name.
        name: String,
        /// Their role.
        from: String,
        /// The role asked for.
        to: String,
    },
    /// `same_role`: the person already holds the role.
    #[error("{name} ({person}) already holds `{role}`")]
    SameRole {
        /// Who.
        person: PersonId,
        /// Their name.
        name: String,
        /// The role.
        role: String,
    },
    /// `correction_needs_reason`: a correction must say why.
    #[error("a correction must give a reason")]
    CorrectionNeedsReason,
    /// `date_before_start`: the date is before the person's first day.
    #[error("{date} is before {name} ({person}) started on {start}")]
    DateBeforeStart {
        /// Who.
        person: PersonId,
        /// Their name.
        name: String,
        /// The date given.
        date: NaiveDate,
        /// Their first day.
        start: NaiveDate,
    },
    /// `date_out_of_order`: the date is before the latest recorded one it must
    /// follow (the last role change, or the current holder's designation start),
    /// so history would not stay in date order.
    #[error("{date} is before {latest}, the latest date already recorded for this")]
    DateOutOfOrder {
        /// The date given.
        date: NaiveDate,
        /// The latest recorded date.
        latest: NaiveDate,
    },
    /// `designation_not_eligible`: the person's stream may not hold the designation.
    #[error("{name} ({person}) is in the `{stream}` stream, which may not hold `{designation}`")]
    DesignationNotEligible {
        /// Who.
        person: PersonId,
        /// Their name.
        name: String,
        /// The designation.
        designation: String,
        /// Their stream.
        stream: String,
    },
    /// `project_closed`: the project is closed; nothing may be added or closed again.
    #[error("{project} ({name}) is closed")]
    ProjectClosed {
        /// Which project.
        project: ProjectId,
        /// Its name.
        name: String,
    },
    /// `forbidden`: the actor may not do this.
    #[error("you may not {what}")]
    Forbidden {
        /// What was attempted, in words.
        what: &'static str,
    },
}

impl PeopleError {
    /// The stable code of SPEC §5 (`no_such_transition`, `has_reports`, …).
    pub fn code(&self) -> &'static str {
        match self {
            Self::UnknownPerson { .. } => "unknown_person",
            Self::UnknownProject { .. } => "unknown_project",
            Self::UnknownRole { .. } => "unknown_role",
            Self::UnknownDesignation { .. } => "unknown_designation",
            Self::InvalidEmail { .. } => "invalid_email",
            Self::InvalidName(_) => "invalid_name",
            Self::InvalidText(problem) => problem.code(),
            Self::EmailTaken { .. } => "email_taken",
            Self::IdTaken { .. } => "id_taken",
            Self::PersonLeft { .. } => "person_left",
            Self::StillActive { .. } => "still_active",
            Self::SelfManager { .. } => "self_manager",
            Self::ManagerCannotHaveReports { .. } => "manager_cannot_have_reports",
            Self::ReportingCycle { .. } => "reporting_cycle",
            Self::HasReports { .. } => "has_reports",
            Self::HireOnlyRole { .. } => "hire_only_role",
            Self::NoSuchTransition { .. } => "no_such_transition",
            Self::SameRole { .. } => "same_role",
            Self::CorrectionNeedsReason => "correction_needs_reason",
            Self::DateBeforeStart { .. } => "date_before_start",
            Self::DateOutOfOrder { .. } => "date_out_of_order",
            Self::DesignationNotEligible { .. } => "designation_not_eligible",
            Self::ProjectClosed { .. } => "project_closed",
            Self::Forbidden { .. } => "forbidden",
        }
    }

    /// How the HTTP layer should answer: 400, 403, 404, 409 or 422.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Self::UnknownPerson { .. }
            | Self::UnknownProject { .. }
            | Self::UnknownRole { .. }
            | Self::UnknownDesignation { .. } => ErrorKind::NotFound,
            Self::InvalidEmail { .. } | Self::InvalidName(_) | Self::InvalidText(_) => {
                ErrorKind::Invalid
            }
            Self::EmailTaken { .. } | Self::IdTaken { .. } => ErrorKind::Conflict,
            Self::Forbidden { .. } => ErrorKind::Forbidden,
            _ => ErrorKind::Rule,
        }
    }
}
