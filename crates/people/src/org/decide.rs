//! The rules of SPEC §4: every command is checked here and turned into the
//! changes to persist. Nothing is mutated.
//!
//! Choices the SPEC leaves open:
//! - A correction (administrators only, with a reason) may go to any role
//!   except a hire-only one: hire-only stays hire-only, so `hire_only_role` is
//!   checked before anything else about the target role, corrections included.
//! - A role change that would leave someone with reports in a role without
//!   reports is refused as `has_reports`, even when the framework has the
//!   transition: reports are reassigned first, as when leaving.
//! - A role change keeps the person's designations: eligibility is checked
//!   when a designation is assigned.
//! - Assigning a designation to its current holder changes nothing (no
//!   changes); assigning it to someone else ends the previous holder's the day
//!   the new one starts.

use climb_framework::{Framework, Role};

use crate::actor::Actor;
use crate::change::{Change, PersonDetails};
use crate::command::Command;
use crate::email::Email;
use crate::error::PeopleError;
use crate::id::{PersonId, ProjectId};
use crate::org::Org;
use crate::person::{ChangeReason, Person, RoleChange, Status};
use crate::policy::{self, Access, Action};
use crate::project::{Assignment, DesignationFlag, EndReason, Project};

impl Org {
    /// Checks `command`, made by `actor`, against every rule and returns the
    /// changes that carry it out, in the order to persist and apply them
    /// (possibly none, when it changes nothing). Fails with the first rule it
    /// breaks; never mutates.
    pub fn decide(
        &self,
        framework: &Framework,
        actor: Actor,
        command: Command,
    ) -> Result<Vec<Change>, PeopleError> {
        match command {
            Command::Hire {
                id,
                name,
                email,
                role,
                manager,
                start_date,
            } => {
                self.permit(framework, actor, &Action::Hire, "hire people")?;
                let name = clean_name(&name)?;
                if self.people.contains_key(&id) {
                    return Err(PeopleError::IdTaken { id: id.0 });
                }
                if framework.role(role.as_str()).is_none() {
                    return Err(PeopleError::UnknownRole {
                        role: role.to_string(),
                    });
                }
                self.check_email_free(&email, None)?;
                if let Some(manager) = manager {
                    self.check_manager(framework, None, manager)?;
                }
                let person = Person {
                    id,
                    name,
                    email,
                    status: Status::Active,
                    role: role.clone(),
                    manager,
                    start_date,
                    end_date: None,
                };
                let entry = RoleChange {
                    person: id,
                    from: None,
                    to: role,
                    effective_date: start_date,
                    reason: ChangeReason::Hire,
                    note: None,
                };
                Ok(vec![Change::PersonHired {
                    person,
                    role: entry,
                }])
            }

            Command::ChangeRole {
                person,
                to_role,
                effective_date,
                note,
                correction,
            } => {
                let action = if correction {
                    Action::RecordCorrection { person }
                } else {
                    Action::ChangeRole { person }
                };
                let what = if correction {
                    "record role corrections"
                } else {
                    "change roles"
                };
                self.permit(framework, actor, &action, what)?;
                let subject = self.existing(person)?;
                let Some(target) = framework.role(to_role.as_str()) else {
                    return Err(PeopleError::UnknownRole {
                        role: to_role.to_string(),
                    });
                };
                if target.hire_only {
                    return Err(PeopleError::HireOnlyRole {
                        role: to_role.to_string(),
                    });
                }
                let subject = active(subject)?;
                if subject.role == to_role {
                    return Err(PeopleError::SameRole {
                        person,
                        name: subject.name.clone(),
                        role: to_role.to_string(),
                    });
                }
                let note = note.map(|n| n.trim().to_owned()).filter(|n| !n.is_empty());
                let reason = if correction {
                    if note.is_none() {
                        return Err(PeopleError::CorrectionNeedsReason);
                    }
                    ChangeReason::Correction
                } else {
                    match framework.transition(subject.role.as_str(), to_role.as_str()) {
                        Some(transition) => transition.kind.into(),
                        None => {
                            return Err(PeopleError::NoSuchTransition {
                                person,
                                name: subject.name.clone(),
                                from: subject.role.to_string(),
                                to: to_role.to_string(),
                            });
                        }
                    }
                };
                if !target.reports {
                    self.check_no_reports(subject)?;
                }
                self.check_date(subject, effective_date)?;
                if let Some(last) = self.history(person).last()
                    && effective_date < last.effective_date
                {
                    return Err(PeopleError::DateOutOfOrder {
                        date: effective_date,
                        latest: last.effective_date,
                    });
                }
                Ok(vec![Change::RoleChanged {
                    change: RoleChange {
                        person,
                        from: Some(subject.role.clone()),
                        to: to_role,
                        effective_date,
                        reason,
                        note,
                    },
                }])
            }

            Command::SetManager { person, manager } => {
                self.permit(
                    framework,
                    actor,
                    &Action::SetManager { person },
                    "change managers",
                )?;
                let subject = active(self.existing(person)?)?;
                if subject.manager == manager {
                    return Ok(Vec::new());
                }
                if let Some(manager) = manager {
                    self.check_manager(framework, Some(subject), manager)?;
                }
                Ok(vec![Change::ManagerChanged {
                    person,
                    from: subject.manager,
                    to: manager,
                }])
            }

            Command::Leave { person, date } => {
                self.permit(
                    framework,
                    actor,
                    &Action::Leave { person },
                    "record leavings",
                )?;
                let subject = active(self.existing(person)?)?;
                self.check_no_reports(subject)?;
                self.check_date(subject, date)?;
                let mut changes: Vec<Change> = self
                    .designations_of(person)
                    .map(|assignment| Change::DesignationEnded {
                        assignment: assignment.clone(),
                        end_date: date.max(assignment.start_date),
                        reason: EndReason::PersonLeft,
                    })
                    .collect();
                changes.push(Change::PersonLeft { person, date });
                Ok(changes)
            }

            Command::UpdatePerson {
                person,
                name,
                email,
            } => {
                self.permit(
                    framework,
                    actor,
                    &Action::UpdatePerson { person },
                    "change people's details",
                )?;
                let subject = self.existing(person)?;
                let name = name.as_deref().map(clean_name).transpose()?;
                if let Some(email) = &email {
                    self.check_email_free(email, Some(person))?;
                }
                let before = PersonDetails {
                    name: subject.name.clone(),
                    email: subject.email.clone(),
                };
                let after = PersonDetails {
                    name: name.unwrap_or_else(|| before.name.clone()),
                    email: email.unwrap_or_else(|| before.email.clone()),
                };
                if before == after {
                    return Ok(Vec::new());
                }
                Ok(vec![Change::PersonUpdated {
                    person,
                    before,
                    after,
                }])
            }

            Command::Erase { person } => {
                self.permit(framework, actor, &Action::Erase { person }, "erase people")?;
                let subject = self.existing(person)?;
                if subject.is_active() {
                    return Err(PeopleError::StillActive {
                        person,
                        name: subject.name.clone(),
                    });
                }
                Ok(vec![Change::PersonErased {
                    person,
                    after: erased_details(person)?,
                }])
            }

            Command::CreateProject { id, name } => {
                self.permit(framework, actor, &Action::ManageProjects, "manage projects")?;
                let name = clean_name(&name)?;
                if self.projects.contains_key(&id) {
                    return Err(PeopleError::IdTaken { id: id.0 });
                }
                Ok(vec![Change::ProjectCreated { project: id, name }])
            }

            Command::AddProjectMember { project, person } => {
                self.permit(framework, actor, &Action::ManageProjects, "manage projects")?;
                let project = self.open_project(project)?;
                active(self.existing(person)?)?;
                if project.members.contains(&person) {
                    return Ok(Vec::new());
                }
                Ok(vec![Change::MemberAdded {
                    project: project.id,
                    person,
                }])
            }

            Command::AssignDesignation {
                project,
                person,
                designation,
                start_date,
            } => {
                self.permit(framework, actor, &Action::ManageProjects, "manage projects")?;
                let project = self.open_project(project)?;
                let holder = active(self.existing(person)?)?;
                let Some(kind) = framework.designation(designation.as_str()) else {
                    return Err(PeopleError::UnknownDesignation {
                        designation: designation.to_string(),
                    });
                };
                let role = role_of(framework, holder)?;
                if !kind.is_eligible(&role.stream) {
                    return Err(PeopleError::DesignationNotEligible {
                        person,
                        name: holder.name.clone(),
                        designation: designation.to_string(),
                        stream: role.stream.to_string(),
                    });
                }
                self.check_date(holder, start_date)?;
                let current = self
                    .designations
                    .get(&project.id)
                    .and_then(|held| held.get(&designation));
                let mut changes = Vec::new();
                if let Some(current) = current {
                    if current.person == person {
                        return Ok(Vec::new());
                    }
                    if start_date < current.start_date {
                        return Err(PeopleError::DateOutOfOrder {
                            date: start_date,
                            latest: current.start_date,
                        });
                    }
                    changes.push(Change::DesignationEnded {
                        assignment: current.clone(),
                        end_date: start_date,
                        reason: EndReason::Replaced,
                    });
                }
                if !project.members.contains(&person) {
                    changes.push(Change::MemberAdded {
                        project: project.id,
                        person,
                    });
                }
                let flags = if kind.is_below_usual(role.seniority) {
                    vec![DesignationFlag::BelowUsualSeniority]
                } else {
                    Vec::new()
                };
                changes.push(Change::DesignationStarted {
                    assignment: Assignment {
                        project: project.id,
                        person,
                        designation,
                        start_date,
                        flags,
                    },
                });
                Ok(changes)
            }

            Command::CloseProject { project, date } => {
                self.permit(framework, actor, &Action::ManageProjects, "manage projects")?;
                let project = self.open_project(project)?;
                let mut changes: Vec<Change> = self
                    .designations_on(project.id)
                    .map(|assignment| Change::DesignationEnded {
                        assignment: assignment.clone(),
                        end_date: date.max(assignment.start_date),
                        reason: EndReason::ProjectClosed,
                    })
                    .collect();
                changes.push(Change::ProjectClosed {
                    project: project.id,
                    date,
                });
                Ok(changes)
            }
        }
    }

    fn permit(
        &self,
        framework: &Framework,
        actor: Actor,
        action: &Action,
        what: &'static str,
    ) -> Result<(), PeopleError> {
        match policy::may_do(self, framework, actor, action) {
            Access::Allowed => Ok(()),
            Access::Forbidden | Access::Hidden => Err(PeopleError::Forbidden { what }),
        }
    }

    fn existing(&self, person: PersonId) -> Result<&Person, PeopleError> {
        self.people
            .get(&person)
            .ok_or(PeopleError::UnknownPerson { person })
    }

    fn open_project(&self, project: ProjectId) -> Result<&Project, PeopleError> {
        let found = self
            .projects
            .get(&project)
            .ok_or(PeopleError::UnknownProject { project })?;
        if found.is_open() {
            Ok(found)
        } else {
            Err(PeopleError::ProjectClosed {
                project,
                name: found.name.clone(),
            })
        }
    }

    fn check_email_free(&self, email: &Email, except: Option<PersonId>) -> Result<(), PeopleError> {
        match self.person_by_email(email) {
            Some(holder) if Some(holder.id) != except => Err(PeopleError::EmailTaken {
                email: email.to_string(),
                holder: holder.id,
                holder_name: holder.name.clone(),
            }),
            _ => Ok(()),
        }
    }

    /// Whether `manager` may manage `person` (`None`: someone being hired).
    fn check_manager(
        &self,
        framework: &Framework,
        person: Option<&Person>,
        manager: PersonId,
    ) -> Result<(), PeopleError> {
        if let Some(person) = person
            && person.id == manager
        {
            return Err(PeopleError::SelfManager {
                person: manager,
                name: person.name.clone(),
            });
        }
        let boss = active(self.existing(manager)?)?;
        let role = role_of(framework, boss)?;
        if !role.reports {
            return Err(PeopleError::ManagerCannotHaveReports {
                manager,
                manager_name: boss.name.clone(),
                role: boss.role.to_string(),
            });
        }
        if let Some(person) = person
            && self.index.is_below(manager, person.id)
        {
            return Err(PeopleError::ReportingCycle {
                person: person.id,
                name: person.name.clone(),
                manager,
                manager_name: boss.name.clone(),
            });
        }
        Ok(())
    }

    fn check_no_reports(&self, person: &Person) -> Result<(), PeopleError> {
        match self.index.span(person.id) {
            Some(reports) if reports > 0 => Err(PeopleError::HasReports {
                person: person.id,
                name: person.name.clone(),
                reports,
            }),
            _ => Ok(()),
        }
    }

    fn check_date(&self, person: &Person, date: chrono::NaiveDate) -> Result<(), PeopleError> {
        if date < person.start_date {
            return Err(PeopleError::DateBeforeStart {
                person: person.id,
                name: person.name.clone(),
                date,
                start: person.start_date,
            });
        }
        Ok(())
    }
}

/// The person, if they have not left.
fn active(person: &Person) -> Result<&Person, PeopleError> {
    if person.is_active() {
        Ok(person)
    } else {
        Err(PeopleError::PersonLeft {
            person: person.id,
            name: person.name.clone(),
        })
    }
}

/// The framework's definition of the role a person holds.
fn role_of<'f>(framework: &'f Framework, person: &Person) -> Result<&'f Role, PeopleError> {
    framework
        .role(person.role.as_str())
        .ok_or_else(|| PeopleError::UnknownRole {
            role: person.role.to_string(),
        })
}

fn clean_name(name: &str) -> Result<String, PeopleError> {
    let name = name.trim();
    if name.is_empty() {
        Err(PeopleError::InvalidName)
    } else {
        Ok(name.to_owned())
    }
}

/// The anonymous details of an erased person: unique, since ids are.
fn erased_details(person: PersonId) -> Result<PersonDetails, PeopleError> {
    Ok(PersonDetails {
        name: format!("Former employee {}", person.0),
        email: Email::parse(&format!("erased-{}@erased.invalid", person.0))?,
    })
}
