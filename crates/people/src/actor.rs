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
    /// An identity provider's SCIM connection (by the id of its token):
    /// hires, changes roles and managers, records leavings, and nothing
    /// else. Serialized as `{"scim":{"connection":ID}}`, so audit events
    /// written before it read as they did.
    Scim {
        /// The SCIM token's id, which names the connection.
        connection: i64,
    },
}

impl ActorKind {
    /// The stable spelling (`admin`, `hr`, `employee`, `scim`) used in JSON
    /// answers and the accounts table.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Admin => "admin",
            Self::Hr => "hr",
            Self::Employee => "employee",
            Self::Scim { .. } => "scim",
        }
    }
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

    /// An identity provider's SCIM connection, named by its token's id.
    pub fn scim(connection: i64) -> Self {
        Self {
            person: None,
            kind: ActorKind::Scim { connection },
        }
    }

    /// The SCIM connection acting, if it is one.
    pub fn scim_connection(&self) -> Option<i64> {
        match self.kind {
            ActorKind::Scim { connection } => Some(connection),
            _ => None,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn actors_written_before_the_scim_kind_still_read_and_write_the_same() {
        for text in [
            r#"{"person":null,"kind":"admin"}"#,
            r#"{"person":3,"kind":"hr"}"#,
            r#"{"person":4,"kind":"employee"}"#,
        ] {
            let actor: Actor = serde_json::from_str(text).expect("old actor reads");
            assert_eq!(serde_json::to_string(&actor).expect("writes"), text);
        }
    }

    #[test]
    fn a_scim_connection_is_recorded_with_its_id() {
        let text = serde_json::to_string(&Actor::scim(7)).expect("writes");
        assert_eq!(text, r#"{"person":null,"kind":{"scim":{"connection":7}}}"#);
        let back: Actor = serde_json::from_str(&text).expect("reads");
        assert_eq!(back.scim_connection(), Some(7));
        assert!(!back.is_admin_or_hr());
    }
}
