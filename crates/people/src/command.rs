//! What a caller asks the domain to do. A command holds domain types only: the
//! request or CSV row was converted at the edge.
//!
//! Ids of new records: the store reserves the id (a sequence value, or the
//! next free rowid inside the write transaction) and puts it in
//! [`Command::Hire`] / [`Command::CreateProject`]; the domain refuses an id
//! already in use. Dates are given by the caller (the domain reads no clock):
//! the server fills "today" when a request leaves a date out.

use chrono::NaiveDate;
use climb_framework::{DesignationId, RoleId};
use serde::{Deserialize, Serialize};

use crate::email::Email;
use crate::id::{PersonId, ProjectId};

/// A request to change the org, checked by [`crate::Org::decide`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "command", rename_all = "snake_case")]
pub enum Command {
    /// Hire a new person into any role (hire-only roles included).
    Hire {
        /// The id the store reserved for the new person.
        id: PersonId,
        /// Display name (not blank).
        name: String,
        /// Unique email.
        email: Email,
        /// First role.
        role: RoleId,
        /// Their manager, if any (must be active and hold a role with reports).
        manager: Option<PersonId>,
        /// First day.
        start_date: NaiveDate,
    },
    /// Move a person to another role, along a framework transition, or as an
    /// administrator's correction outside the graph.
    ChangeRole {
        /// Whose role changes.
        person: PersonId,
        /// The new role.
        to_role: RoleId,
        /// The day the new role starts.
        effective_date: NaiveDate,
        /// Free text; required for a correction.
        note: Option<String>,
        /// An administrator's correction outside the transitions.
        correction: bool,
    },
    /// Carry out an approved promotion proposal: the same transition rules
    /// as [`Command::ChangeRole`], allowed to the proposal's approvers
    /// (the proposer's manager, HR) rather than to HR alone, and recorded
    /// with the proposal's id in the history.
    ApplyPromotion {
        /// Whose role changes.
        person: PersonId,
        /// The proposal's target role.
        to_role: RoleId,
        /// The day the new role starts.
        effective_date: NaiveDate,
        /// The approved proposal's id.
        proposal: i64,
        /// Who drafted the proposal (the approver may not be them).
        proposer: PersonId,
    },
    /// Set or clear a person's manager.
    SetManager {
        /// Whose manager changes.
        person: PersonId,
        /// The new manager, or none.
        manager: Option<PersonId>,
    },
    /// Record that a person leaves.
    Leave {
        /// Who leaves.
        person: PersonId,
        /// Their last day.
        date: NaiveDate,
    },
    /// Change a person's name and/or email (`None`: unchanged).
    UpdatePerson {
        /// Whose details change.
        person: PersonId,
        /// New display name.
        name: Option<String>,
        /// New email.
        email: Option<Email>,
    },
    /// Anonymise a person who left, keeping the aggregates (administrators only).
    Erase {
        /// Who is erased.
        person: PersonId,
    },
    /// Start a project.
    CreateProject {
        /// The id the store reserved for the project.
        id: ProjectId,
        /// Display name (not blank).
        name: String,
    },
    /// Add a member to an open project.
    AddProjectMember {
        /// Which project.
        project: ProjectId,
        /// Who joins.
        person: PersonId,
    },
    /// Give a person a designation on a project, ending the previous holder's.
    AssignDesignation {
        /// Which project.
        project: ProjectId,
        /// The new holder.
        person: PersonId,
        /// Which designation.
        designation: DesignationId,
        /// First day held.
        start_date: NaiveDate,
    },
    /// Close a project, ending its designations.
    CloseProject {
        /// Which project.
        project: ProjectId,
        /// The day it closes.
        date: NaiveDate,
    },
}
