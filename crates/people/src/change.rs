//! The facts the domain decides and the store persists: each [`Change`] is
//! written with an audit event in one transaction and replayed with
//! [`crate::Org::apply`] at start or when catching up with another instance.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::actor::Actor;
use crate::email::Email;
use crate::id::{PersonId, ProjectId};
use crate::person::{Person, RoleChange};
use crate::project::{Assignment, EndReason};

/// A person's editable details, as recorded before and after an update.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonDetails {
    /// Display name.
    pub name: String,
    /// Email.
    pub email: Email,
}

/// One persisted fact. Serialised as JSON with a `type` tag
/// (`{"type":"person_hired",…}`); carries what its audit event needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Change {
    /// A person joined, with their first role (reason `hire`).
    PersonHired {
        /// The new person, active.
        person: Person,
        /// Their first history entry.
        role: RoleChange,
    },
    /// A person's role changed (promotion, lateral move or correction).
    RoleChanged {
        /// The history entry.
        change: RoleChange,
    },
    /// A person's manager changed.
    ManagerChanged {
        /// Whose manager changed.
        person: PersonId,
        /// The manager before.
        from: Option<PersonId>,
        /// The manager after.
        to: Option<PersonId>,
    },
    /// A person left.
    PersonLeft {
        /// Who left.
        person: PersonId,
        /// Their last day.
        date: NaiveDate,
    },
    /// A person's name or email changed.
    PersonUpdated {
        /// Whose details changed.
        person: PersonId,
        /// Details before.
        before: PersonDetails,
        /// Details after.
        after: PersonDetails,
    },
    /// A person who left was anonymised. The old details are deliberately not
    /// carried: the store also scrubs them from earlier audit events.
    PersonErased {
        /// Who was erased.
        person: PersonId,
        /// The anonymous details that replace theirs.
        after: PersonDetails,
    },
    /// A project started.
    ProjectCreated {
        /// Its id.
        project: ProjectId,
        /// Its name.
        name: String,
    },
    /// A person became a member of a project.
    MemberAdded {
        /// Which project.
        project: ProjectId,
        /// Who joined.
        person: PersonId,
    },
    /// A designation started.
    DesignationStarted {
        /// The assignment, with its flags.
        assignment: Assignment,
    },
    /// A designation ended.
    DesignationEnded {
        /// The assignment that ended.
        assignment: Assignment,
        /// Its last day.
        end_date: NaiveDate,
        /// Replaced, project closed or holder left.
        reason: EndReason,
    },
    /// A project closed.
    ProjectClosed {
        /// Which project.
        project: ProjectId,
        /// The day it closed.
        date: NaiveDate,
    },
}

/// What an audit event is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Subject {
    /// A person.
    Person(PersonId),
    /// A project.
    Project(ProjectId),
    /// A performance review cycle (its id), for events about the cycle as a
    /// whole; events about one person's review name the person.
    ReviewCycle(i64),
}

impl Subject {
    /// `person` or `project`, for a database column.
    pub fn kind(self) -> &'static str {
        match self {
            Self::Person(_) => "person",
            Self::Project(_) => "project",
            Self::ReviewCycle(_) => "review_cycle",
        }
    }

    /// The subject's database id.
    pub fn id(self) -> i64 {
        match self {
            Self::Person(id) => id.0,
            Self::Project(id) => id.0,
            Self::ReviewCycle(id) => id,
        }
    }
}

/// The part of an audit event a change determines; the store adds the
/// sequence number, the actor and the time.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AuditRecord {
    /// Stable action name, e.g. `person.role_changed`.
    pub action: &'static str,
    /// What it is about.
    pub subject: Subject,
    /// State before (`null` when there was none).
    pub before: Value,
    /// State after.
    pub after: Value,
}

/// An entry of the append-only audit log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditEvent {
    /// Position in the log (assigned by the store, increasing).
    pub seq: i64,
    /// Who made the change.
    pub actor: Actor,
    /// When it was recorded.
    pub at: DateTime<Utc>,
    /// Stable action name, e.g. `person.role_changed`.
    pub action: String,
    /// What it is about.
    pub subject: Subject,
    /// State before.
    pub before: Value,
    /// State after.
    pub after: Value,
}

impl AuditEvent {
    /// Completes a change's audit record with what the store knows.
    pub fn new(seq: i64, actor: Actor, at: DateTime<Utc>, record: AuditRecord) -> Self {
        Self {
            seq,
            actor,
            at,
            action: record.action.to_owned(),
            subject: record.subject,
            before: record.before,
            after: record.after,
        }
    }
}

fn to_value<T: Serialize>(value: &T) -> Value {
    // Every type here serialises to JSON without failing (plain structs,
    // string keys); `Null` only guards the impossible case.
    serde_json::to_value(value).unwrap_or(Value::Null)
}

impl Change {
    /// The stable action name of its audit event.
    pub fn action(&self) -> &'static str {
        match self {
            Self::PersonHired { .. } => "person.hired",
            Self::RoleChanged { .. } => "person.role_changed",
            Self::ManagerChanged { .. } => "person.manager_changed",
            Self::PersonLeft { .. } => "person.left",
            Self::PersonUpdated { .. } => "person.updated",
            Self::PersonErased { .. } => "person.erased",
            Self::ProjectCreated { .. } => "project.created",
            Self::MemberAdded { .. } => "project.member_added",
            Self::DesignationStarted { .. } => "project.designation_started",
            Self::DesignationEnded { .. } => "project.designation_ended",
            Self::ProjectClosed { .. } => "project.closed",
        }
    }

    /// What the change is about: the person for person changes and
    /// designation changes, the project for project changes.
    pub fn subject(&self) -> Subject {
        match self {
            Self::PersonHired { person, .. } => Subject::Person(person.id),
            Self::RoleChanged { change } => Subject::Person(change.person),
            Self::ManagerChanged { person, .. }
            | Self::PersonLeft { person, .. }
            | Self::PersonUpdated { person, .. }
            | Self::PersonErased { person, .. } => Subject::Person(*person),
            Self::DesignationStarted { assignment } | Self::DesignationEnded { assignment, .. } => {
                Subject::Person(assignment.person)
            }
            Self::ProjectCreated { project, .. }
            | Self::MemberAdded { project, .. }
            | Self::ProjectClosed { project, .. } => Subject::Project(*project),
        }
    }

    /// The audit record: action, subject, and the state before and after.
    pub fn audit(&self) -> AuditRecord {
        let (before, after) = match self {
            Self::PersonHired { person, role } => (
                Value::Null,
                json!({ "person": to_value(person), "role": to_value(role) }),
            ),
            Self::RoleChanged { change } => (
                json!({ "role": change.from }),
                json!({
                    "role": change.to,
                    "effective_date": change.effective_date,
                    "reason": change.reason,
                    "note": change.note,
                }),
            ),
            Self::ManagerChanged { from, to, .. } => {
                (json!({ "manager": from }), json!({ "manager": to }))
            }
            Self::PersonLeft { date, .. } => (
                json!({ "status": "active" }),
                json!({ "status": "left", "end_date": date }),
            ),
            Self::PersonUpdated { before, after, .. } => (to_value(before), to_value(after)),
            Self::PersonErased { after, .. } => (Value::Null, to_value(after)),
            Self::ProjectCreated { name, .. } => (Value::Null, json!({ "name": name })),
            Self::MemberAdded { person, .. } => (Value::Null, json!({ "member": person })),
            Self::DesignationStarted { assignment } => (Value::Null, to_value(assignment)),
            Self::DesignationEnded {
                assignment,
                end_date,
                reason,
            } => (
                to_value(assignment),
                json!({ "end_date": end_date, "reason": reason }),
            ),
            Self::ProjectClosed { date, .. } => (
                json!({ "status": "open" }),
                json!({ "status": "closed", "closed_on": date }),
            ),
        };
        AuditRecord {
            action: self.action(),
            subject: self.subject(),
            before,
            after,
        }
    }
}
