//! A person, the role they hold and the history of their role changes.

use chrono::NaiveDate;
use climb_framework::{RoleId, TransitionKind};
use serde::{Deserialize, Serialize};

use crate::email::Email;
use crate::id::PersonId;

/// Whether a person still works at the company.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Works here: holds a role, may manage and be managed.
    Active,
    /// Has left: records are kept (until erased), login is gone.
    Left,
}

impl Status {
    /// The stable spelling (`active`, `left`) used in JSON and the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Active => "active",
            Self::Left => "left",
        }
    }
}

/// A person as the domain knows them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Person {
    /// Database id.
    pub id: PersonId,
    /// Display name.
    pub name: String,
    /// Unique, normalised email.
    pub email: Email,
    /// Active or left.
    pub status: Status,
    /// The one role held now (for a person who left: the last one held).
    pub role: RoleId,
    /// Their manager; for a person who left, the last one they had.
    pub manager: Option<PersonId>,
    /// First day.
    pub start_date: NaiveDate,
    /// Last day, once they left.
    pub end_date: Option<NaiveDate>,
}

impl Person {
    /// Whether the person still works here.
    pub fn is_active(&self) -> bool {
        self.status == Status::Active
    }
}

/// Why a role change happened; kept in the history.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeReason {
    /// The first role, given at hire.
    Hire,
    /// Along a promotion transition of the framework.
    Promotion,
    /// Along a lateral transition of the framework.
    Lateral,
    /// Recorded by an administrator outside the framework's transitions.
    Correction,
}

impl ChangeReason {
    /// The stable spelling used in JSON and the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Hire => "hire",
            Self::Promotion => "promotion",
            Self::Lateral => "lateral",
            Self::Correction => "correction",
        }
    }
}

impl From<TransitionKind> for ChangeReason {
    fn from(kind: TransitionKind) -> Self {
        match kind {
            TransitionKind::Promotion => Self::Promotion,
            TransitionKind::Lateral => Self::Lateral,
        }
    }
}

/// One entry of a person's role history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleChange {
    /// Whose role changed.
    pub person: PersonId,
    /// The role held before (`None` for the hire).
    pub from: Option<RoleId>,
    /// The role held from `effective_date` on.
    pub to: RoleId,
    /// The day the new role starts.
    pub effective_date: NaiveDate,
    /// Hire, promotion, lateral move or correction.
    pub reason: ChangeReason,
    /// Free text; required for corrections.
    pub note: Option<String>,
    /// The approved promotion proposal that made this change, if one did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proposal: Option<i64>,
}
