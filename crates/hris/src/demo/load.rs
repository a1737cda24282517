//! Loads a generated [`DemoCompany`] into a store as the real commands it
//! stands for (hires, promotions, lateral moves and corrections, managers, leavers,
//! projects and team leads), so the demo goes through every domain rule and
//! leaves a full history and audit log behind.

use std::collections::{HashMap, HashSet};

use climb_framework::Framework;
use climb_people::{Actor, Change, ChangeReason, Command, Email, PersonId, ProjectId, Status};
use climb_store::Store;

use super::DemoCompany;
use crate::error::HrisError;

/// What a demo load created: the person id behind every demo email.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LoadedDemo {
    /// Person id by email.
    pub people: HashMap<Email, PersonId>,
    /// How many projects were created.
    pub projects: usize,
}

impl LoadedDemo {
    /// The person id of a demo email.
    pub fn person(&self, email: &Email) -> Option<PersonId> {
        self.people.get(email).copied()
    }
}

/// Replays `company` into `store` as an administrator: every person hired
/// into their first role on their first day (under their manager when the
/// manager held roles with reports all along), their promotions, lateral
/// moves and corrections (with their reason) in date order, managers set, leavers leaving, then the projects with
/// members and designations. Fails on the first command the store refuses.
pub async fn load(
    store: &Store,
    framework: &Framework,
    company: &DemoCompany,
) -> Result<LoadedDemo, HrisError> {
    let actor = Actor::admin(None);
    let mut loaded = LoadedDemo::default();

    // People hired straight under their manager (one command instead of
    // two): possible when the manager, listed earlier, held roles with
    // reports all along.
    let mut hired_under_manager: HashSet<&Email> = HashSet::new();
    let mut hired_into_reports_role: HashSet<&Email> = HashSet::new();
    for person in &company.people {
        let row = &person.row;
        let Some(hire) = person.history.first() else {
            continue;
        };
        let always_with_reports = person
            .history
            .iter()
            .all(|c| framework.role(c.to.as_str()).is_some_and(|r| r.reports));
        if always_with_reports {
            hired_into_reports_role.insert(&row.email);
        }
        let manager = row
            .manager_email
            .as_ref()
            .filter(|m| hired_into_reports_role.contains(m))
            .and_then(|m| loaded.person(m));
        if manager.is_some() {
            hired_under_manager.insert(&row.email);
        }
        let start_date = row.start_date.unwrap_or(hire.effective_date);
        let command = Command::Hire {
            id: PersonId(0),
            name: row.name.clone().unwrap_or_else(|| row.email.to_string()),
            email: row.email.clone(),
            role: hire.to.clone(),
            manager,
            start_date,
        };
        let changes = store.execute(framework, actor, command).await?;
        for change in changes {
            if let Change::PersonHired { person: hired, .. } = change {
                loaded.people.insert(hired.email.clone(), hired.id);
            }
        }
    }

    let mut moves: Vec<_> = company
        .people
        .iter()
        .flat_map(|p| p.history.iter().skip(1).map(move |c| (&p.row.email, c)))
        .filter(|(_, c)| c.reason != ChangeReason::Hire)
        .collect();
    moves.sort_by_key(|(_, c)| c.effective_date);
    for (email, change) in moves {
        let person = known(&loaded, email)?;
        let command = Command::ChangeRole {
            person,
            to_role: change.to.clone(),
            effective_date: change.effective_date,
            note: change.note.clone(),
            correction: change.reason == ChangeReason::Correction,
        };
        store.execute(framework, actor, command).await?;
    }

    for person in &company.people {
        if hired_under_manager.contains(&person.row.email) {
            continue;
        }
        if let Some(manager) = &person.row.manager_email {
            let command = Command::SetManager {
                person: known(&loaded, &person.row.email)?,
                manager: Some(known(&loaded, manager)?),
            };
            store.execute(framework, actor, command).await?;
        }
    }

    // Leavers last, latest reports first so nobody leaves with reports.
    for person in company.people.iter().rev() {
        if person.row.status == Some(Status::Left) {
            let date = person.row.end_date.unwrap_or(company.as_of);
            let command = Command::Leave {
                person: known(&loaded, &person.row.email)?,
                date,
            };
            store.execute(framework, actor, command).await?;
        }
    }

    for project in &company.projects {
        let changes = store
            .execute(
                framework,
                actor,
                Command::CreateProject {
                    id: ProjectId(0),
                    name: project.name.clone(),
                },
            )
            .await?;
        let Some(id) = changes.iter().find_map(|c| match c {
            Change::ProjectCreated { project, .. } => Some(*project),
            _ => None,
        }) else {
            return Err(HrisError::StoredData("project without an id".to_owned()));
        };
        loaded.projects += 1;
        for member in &project.members {
            let command = Command::AddProjectMember {
                project: id,
                person: known(&loaded, member)?,
            };
            store.execute(framework, actor, command).await?;
        }
        for designation in &project.designations {
            let command = Command::AssignDesignation {
                project: id,
                person: known(&loaded, &designation.holder)?,
                designation: designation.designation.clone(),
                start_date: designation.start_date,
            };
            store.execute(framework, actor, command).await?;
        }
        if let Some(date) = project.closed_on {
            let command = Command::CloseProject { project: id, date };
            store.execute(framework, actor, command).await?;
        }
    }
    Ok(loaded)
}

fn known(loaded: &LoadedDemo, email: &Email) -> Result<PersonId, HrisError> {
    loaded
        .person(email)
        .ok_or_else(|| HrisError::StoredData(format!("demo person {email} was not hired")))
}
