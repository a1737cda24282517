//! Who is acting: the person behind a request and the kind of account they use.

use serde::{Deserialize, Serialize};

use crate::id::PersonId;

/// The kind of account acting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ActorKind {
    /// Administrator: everything, including corrections and erasure.
    Admin,
    /// Human resources: sees everything, changes roles, managers, hires and leaves.
    Hr,
    /// Everyone else: sees the directory, their own records and those below them.
    Employee,
}

/// The account acting on a request or a command.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Actor {
    /// The person behind the account; `None` for an administrator account
    /// that is not a person of the company.
    pub person: Option<PersonId>,
    /// Admin, HR or employee.
    pub kind: ActorKind,
}

impl Actor {
    /// An administrator account, optionally a person of the company.
    pub fn admin(person: Option<PersonId>) -> Self {
        Self {
            person,
            kind: ActorKind::Admin,
        }
    }

    /// An HR account belonging to a person.
    pub fn hr(person: PersonId) -> Self {
        Self {
            person: Some(person),
            kind: ActorKind::Hr,
        }
    }

    /// An employee account belonging to a person.
    pub fn employee(person: PersonId) -> Self {
        Self {
            person: Some(person),
            kind: ActorKind::Employee,
        }
    }

    /// Whether the account is an administrator's.
    pub fn is_admin(&self) -> bool {
        self.kind == ActorKind::Admin
    }

    /// Whether the account is an administrator's or HR's.
    pub fn is_admin_or_hr(&self) -> bool {
        matches!(self.kind, ActorKind::Admin | ActorKind::Hr)
    }
}
