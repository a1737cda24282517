//! Projects, their members and the designations (such as team lead) held on them.

use std::collections::BTreeSet;

use chrono::NaiveDate;
use climb_framework::DesignationId;
use serde::{Deserialize, Serialize};

use crate::id::{PersonId, ProjectId};

/// Whether a project still runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProjectStatus {
    /// Running: members and designations may be added.
    Open,
    /// Completed: its designations have ended, nothing may be added.
    Closed,
}

/// A project with its members.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Project {
    /// Database id.
    pub id: ProjectId,
    /// Display name.
    pub name: String,
    /// Open or closed.
    pub status: ProjectStatus,
    /// The day it closed.
    pub closed_on: Option<NaiveDate>,
    /// Everyone who is or was a member.
    pub members: BTreeSet<PersonId>,
}

impl Project {
    /// Whether designations and members may still be added.
    pub fn is_open(&self) -> bool {
        self.status == ProjectStatus::Open
    }
}

/// Something about a designation assignment worth showing, never a refusal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DesignationFlag {
    /// The holder's role is below the designation's `usual_min_seniority`.
    BelowUsualSeniority,
}

/// A designation held by one person on one project from a start date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Assignment {
    /// The project it is held for.
    pub project: ProjectId,
    /// The holder.
    pub person: PersonId,
    /// Which designation (e.g. `team-lead`).
    pub designation: DesignationId,
    /// First day held.
    pub start_date: NaiveDate,
    /// Flags raised when it was assigned (e.g. below usual seniority).
    pub flags: Vec<DesignationFlag>,
}

/// Why a designation ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EndReason {
    /// Another person was assigned the same designation on the project.
    Replaced,
    /// The project closed.
    ProjectClosed,
    /// The holder left the company.
    PersonLeft,
}
