//! A three-role framework and a company driven through the real domain
//! commands, with the dates each test needs.

use chrono::NaiveDate;
use climb_framework::{Framework, RoleId};
use climb_insights::{Estimate, Step, Window, estimate};
use climb_people::{Actor, Command, Email, Org, PersonId};

/// Engineer (entry) -> Senior (promotion) -> Manager (lateral, another stream).
pub(crate) const THREE_ROLES: &str = r#"
[framework]
name = "Three roles"
version = "1"

[[streams]]
id = "engineering"
name = "Engineering"
track = "ic"

[[streams]]
id = "management"
name = "Management"
track = "management"

[[roles]]
id = "engineer"
title = "Engineer"
stream = "engineering"
seniority = 1
entry = true

[[roles]]
id = "senior"
title = "Senior Engineer"
stream = "engineering"
seniority = 2

[[roles]]
id = "manager"
title = "Manager"
stream = "management"
seniority = 3

[[transitions]]
from = "engineer"
to = "senior"
kind = "promotion"

[[transitions]]
from = "senior"
to = "manager"
kind = "lateral"
"#;

pub(crate) fn three_roles() -> Framework {
    climb_framework::load(THREE_ROLES).unwrap_or_else(|report| panic!("{report:?}"))
}

pub(crate) fn day(raw: &str) -> NaiveDate {
    raw.parse()
        .unwrap_or_else(|e| panic!("bad test date {raw}: {e}"))
}

pub(crate) fn role(raw: &str) -> RoleId {
    RoleId::parse(raw).unwrap_or_else(|e| panic!("bad test role {raw}: {e}"))
}

/// An estimate from nobody: every rate 0, ready for what-ifs.
pub(crate) fn unobserved(framework: &Framework, step: Step) -> Estimate {
    let window = Window {
        end: day("2026-01-01"),
        months: 12,
        step,
    };
    estimate(framework, &Org::new(), window).unwrap_or_else(|e| panic!("{e}"))
}

/// A company that carries out commands as an administrator.
pub(crate) struct Company<'f> {
    pub(crate) org: Org,
    framework: &'f Framework,
    next: i64,
}

impl<'f> Company<'f> {
    pub(crate) fn new(framework: &'f Framework) -> Self {
        Self {
            org: Org::new(),
            framework,
            next: 0,
        }
    }

    fn run(&mut self, command: Command) {
        let changes = self
            .org
            .decide(self.framework, Actor::admin(None), command.clone())
            .unwrap_or_else(|e| panic!("{command:?} refused: {e}"));
        for change in &changes {
            self.org.apply(change);
        }
    }

    pub(crate) fn hire(&mut self, name: &str, role_id: &str, start: &str) -> PersonId {
        self.next += 1;
        let id = PersonId(self.next);
        let email = Email::parse(&format!("{}@example.com", name.to_lowercase()))
            .unwrap_or_else(|e| panic!("{e}"));
        self.run(Command::Hire {
            id,
            name: name.to_owned(),
            email,
            role: role(role_id),
            manager: None,
            start_date: day(start),
        });
        id
    }

    pub(crate) fn change_role(&mut self, person: PersonId, to: &str, date: &str) {
        self.run(Command::ChangeRole {
            person,
            to_role: role(to),
            effective_date: day(date),
            note: None,
            correction: false,
        });
    }

    pub(crate) fn correct_role(&mut self, person: PersonId, to: &str, date: &str) {
        self.run(Command::ChangeRole {
            person,
            to_role: role(to),
            effective_date: day(date),
            note: Some("back to the role they hold in practice".to_owned()),
            correction: true,
        });
    }

    pub(crate) fn leave(&mut self, person: PersonId, date: &str) {
        self.run(Command::Leave {
            person,
            date: day(date),
        });
    }

    pub(crate) fn set_manager(&mut self, person: PersonId, manager: PersonId) {
        self.run(Command::SetManager {
            person,
            manager: Some(manager),
        });
    }
}
