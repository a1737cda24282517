//! Helpers for this crate's unit tests: the built-in framework, ids, dates
//! and a small company built through the people domain.

use chrono::NaiveDate;
use climb_framework::{CompetencyId, Framework, RoleId};
use climb_people::{Actor, Command, Email, Org, PersonId};

pub(crate) fn fw() -> &'static Framework {
    climb_framework::builtin()
}

pub(crate) fn day(raw: &str) -> NaiveDate {
    raw.parse()
        .unwrap_or_else(|e| panic!("bad test date {raw}: {e}"))
}

pub(crate) fn role(raw: &str) -> RoleId {
    RoleId::parse(raw).unwrap_or_else(|e| panic!("bad test role {raw}: {e}"))
}

pub(crate) fn competency(raw: &str) -> CompetencyId {
    CompetencyId::parse(raw).unwrap_or_else(|e| panic!("bad test competency {raw}: {e}"))
}

/// CTO <- VP <- EM <- two engineers; returns the org and
/// (cto, vp, em, alice, bob).
pub(crate) fn company() -> (Org, [PersonId; 5]) {
    let mut org = Org::new();
    let mut hire = |id: i64, name: &str, role_id: &str, manager: Option<i64>| {
        let command = Command::Hire {
            id: PersonId(id),
            name: name.to_owned(),
            email: Email::parse(&format!("{}@example.com", name.to_lowercase()))
                .unwrap_or_else(|e| panic!("bad test email: {e}")),
            role: role(role_id),
            manager: manager.map(PersonId),
            start_date: day("2024-01-01"),
        };
        let changes = org
            .decide(fw(), Actor::admin(None), command)
            .unwrap_or_else(|e| panic!("hiring {name}: {e}"));
        for change in &changes {
            org.apply(change);
        }
    };
    hire(1, "cleo", "cto", None);
    hire(2, "victor", "vp-engineering", Some(1));
    hire(3, "emma", "engineering-manager", Some(2));
    hire(4, "alice", "senior-software-engineer", Some(3));
    hire(5, "bob", "software-engineer", Some(3));
    (org, [1, 2, 3, 4, 5].map(PersonId))
}
