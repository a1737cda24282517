//! Helpers for this crate's unit tests: a small company built through the
//! people domain.

use chrono::NaiveDate;
use climb_framework::RoleId;
use climb_people::{Actor, Command, Email, Org, PersonId};

pub(crate) fn role(id: &str) -> RoleId {
    RoleId::parse(id).unwrap_or_else(|e| panic!("bad test role {id}: {e}"))
}

fn day(raw: &str) -> NaiveDate {
    raw.parse()
        .unwrap_or_else(|e| panic!("bad test date {raw}: {e}"))
}

fn run(org: &mut Org, command: Command) {
    let changes = org
        .decide(climb_framework::builtin(), Actor::admin(None), command)
        .unwrap_or_else(|e| panic!("test company: {e}"));
    for change in &changes {
        org.apply(change);
    }
}

/// VP <- EM <- Bob, Alice, Carol; Carol has left. Returns the org and
/// (vp, em, bob, alice, carol).
pub(crate) fn org() -> (Org, [PersonId; 5]) {
    let mut org = Org::new();
    for (id, name, role_id, manager) in [
        (1, "Victor Vance", "vp-engineering", None),
        (2, "Emma Stone", "engineering-manager", Some(1)),
        (3, "Bob Marsh", "software-engineer", Some(2)),
        (4, "Alice Wong", "senior-software-engineer", Some(2)),
        (5, "Carol King", "software-engineer", Some(2)),
    ] {
        let first = name.split(' ').next().unwrap_or(name).to_lowercase();
        run(
            &mut org,
            Command::Hire {
                id: PersonId(id),
                name: name.to_owned(),
                email: Email::parse(&format!("{first}@example.com"))
                    .unwrap_or_else(|e| panic!("bad test email: {e}")),
                role: role(role_id),
                manager: manager.map(PersonId),
                start_date: day("2024-01-01"),
            },
        );
    }
    run(
        &mut org,
        Command::Leave {
            person: PersonId(5),
            date: day("2025-06-30"),
        },
    );
    (org, [1, 2, 3, 4, 5].map(PersonId))
}
