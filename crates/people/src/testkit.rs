//! Helpers for this crate's unit tests: the built-in framework, dates, ids
//! and a small company driven through `decide` and `apply`.

use chrono::NaiveDate;
use climb_framework::{DesignationId, Framework, RoleId};

use crate::{Actor, Change, Command, Email, Org, PeopleError, PersonId, ProjectId};

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

pub(crate) fn designation(raw: &str) -> DesignationId {
    DesignationId::parse(raw).unwrap_or_else(|e| panic!("bad test designation {raw}: {e}"))
}

pub(crate) fn email(raw: &str) -> Email {
    Email::parse(raw).unwrap_or_else(|e| panic!("bad test email {raw}: {e}"))
}

pub(crate) fn admin() -> Actor {
    Actor::admin(None)
}

/// A company that carries out commands as an administrator.
#[derive(Debug, Default)]
pub(crate) struct Company {
    pub(crate) org: Org,
    next: i64,
}

impl Company {
    pub(crate) fn new() -> Self {
        Self::default()
    }

    /// Decides as `actor` and applies what was decided.
    pub(crate) fn run_as(
        &mut self,
        actor: Actor,
        command: Command,
    ) -> Result<Vec<Change>, PeopleError> {
        let changes = self.org.decide(fw(), actor, command)?;
        for change in &changes {
            self.org.apply(change);
        }
        Ok(changes)
    }

    pub(crate) fn run(&mut self, command: Command) -> Result<Vec<Change>, PeopleError> {
        self.run_as(admin(), command)
    }

    /// The error a command fails with, as its code.
    pub(crate) fn refuse(&mut self, command: Command) -> &'static str {
        match self.run(command) {
            Ok(changes) => panic!("expected a refusal, got {changes:?}"),
            Err(e) => e.code(),
        }
    }

    pub(crate) fn next_id(&mut self) -> PersonId {
        self.next += 1;
        PersonId(self.next)
    }

    /// Hires `name` (email derived from it) on 2024-01-01.
    pub(crate) fn hire(
        &mut self,
        name: &str,
        role_id: &str,
        manager: Option<PersonId>,
    ) -> PersonId {
        let id = self.next_id();
        let command = Command::Hire {
            id,
            name: name.to_owned(),
            email: email(&format!(
                "{}@example.com",
                name.to_lowercase().replace(' ', ".")
            )),
            role: role(role_id),
            manager,
            start_date: day("2024-01-01"),
        };
        if let Err(e) = self.run(command) {
            panic!("hiring {name} failed: {e}");
        }
        id
    }

    pub(crate) fn project(&mut self, name: &str) -> ProjectId {
        self.next += 1;
        let id = ProjectId(self.next);
        if let Err(e) = self.run(Command::CreateProject {
            id,
            name: name.to_owned(),
        }) {
            panic!("creating {name} failed: {e}");
        }
        id
    }

    /// CTO <- VP <- EM <- two engineers; returns (cto, vp, em, alice, bob).
    pub(crate) fn small() -> (Self, [PersonId; 5]) {
        let mut c = Self::new();
        let cto = c.hire("Cleo CTO", "cto", None);
        let vp = c.hire("Victor VP", "vp-engineering", Some(cto));
        let em = c.hire("Emma Manager", "engineering-manager", Some(vp));
        let alice = c.hire("Alice", "senior-software-engineer", Some(em));
        let bob = c.hire("Bob", "software-engineer", Some(em));
        (c, [cto, vp, em, alice, bob])
    }
}
