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
use crate::error::{NameProblem, PeopleError};
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
                    proposal: None,
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
                self.role_change(
                    framework,
                    person,
                    to_role,
                    effective_date,
                    note,
                    correction,
                    None,
                )
            }

            Command::ApplyPromotion {
                person,
                to_role,
                effective_date,
                proposal,
                proposer,
            } => {
                self.permit(
                    framework,
                    actor,
                    &Action::DecidePromotion { person, proposer },
                    "approve this promotion",
                )?;
                let note = Some(format!("promotion proposal #{proposal}"));
                self.role_change(
                    framework,
                    person,
                    to_role,
                    effective_date,
                    note,
                    false,
                    Some(proposal),
                )
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

    /// Whether `person` may move to `to_role` along the framework: the
    /// `hire_only_role`, `no_such_transition`, `same_role` and `has_reports`
    /// rules of a role change, without its date checks. Returns whether it
    /// would be a promotion or a lateral move. Promotion proposals are
    /// checked with it when drafted.
    pub fn check_transition(
        &self,
        framework: &Framework,
        person: PersonId,
        to_role: &climb_framework::RoleId,
    ) -> Result<ChangeReason, PeopleError> {
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
        if &subject.role == to_role {
            return Err(PeopleError::SameRole {
                person,
                name: subject.name.clone(),
                role: to_role.to_string(),
            });
        }
        let reason: ChangeReason =
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
            };
        if !target.reports {
            self.check_no_reports(subject)?;
        }
        Ok(reason)
    }

    /// The change of a role change (along the framework, or a correction),
    /// linked to a promotion proposal when one is given.
    #[allow(clippy::too_many_arguments)]
    fn role_change(
        &self,
        framework: &Framework,
        person: PersonId,
        to_role: climb_framework::RoleId,
        effective_date: chrono::NaiveDate,
        note: Option<String>,
        correction: bool,
        proposal: Option<i64>,
    ) -> Result<Vec<Change>, PeopleError> {
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
        if let Some(note) = &note {
            crate::check_text("the note", note, crate::MAX_NOTE_CHARS)
                .map_err(PeopleError::InvalidText)?;
        }
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
                proposal,
            },
        }])
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

/// A person's or project's name, trimmed; refused when blank, longer than
/// [`crate::MAX_NAME_CHARS`] or holding control characters.
fn clean_name(name: &str) -> Result<String, PeopleError> {
    match NameProblem::of(name) {
        Some(problem) => Err(PeopleError::InvalidName(problem)),
        None => Ok(name.trim().to_owned()),
    }
}

/// The anonymous details of an erased person: unique, since ids are.
fn erased_details(person: PersonId) -> Result<PersonDetails, PeopleError> {
    Ok(PersonDetails {
        name: format!("Former employee {}", person.0),
        email: Email::parse(&format!("erased-{}@erased.invalid", person.0))?,
    })
}

#[cfg(test)]
mod tests {
    use rstest::rstest;

    use super::*;
    use crate::testkit::{Company, admin, day, designation, email, fw, role};
    use crate::{ActorKind, ErrorKind};

    fn change_role(person: PersonId, to: &str) -> Command {
        Command::ChangeRole {
            person,
            to_role: role(to),
            effective_date: day("2025-01-01"),
            note: None,
            correction: false,
        }
    }

    fn correction(person: PersonId, to: &str, note: Option<&str>) -> Command {
        Command::ChangeRole {
            person,
            to_role: role(to),
            effective_date: day("2025-01-01"),
            note: note.map(str::to_owned),
            correction: true,
        }
    }

    fn set_manager(person: PersonId, manager: Option<PersonId>) -> Command {
        Command::SetManager { person, manager }
    }

    fn assign(project: ProjectId, person: PersonId, date: &str) -> Command {
        Command::AssignDesignation {
            project,
            person,
            designation: designation("team-lead"),
            start_date: day(date),
        }
    }

    // Hiring.

    #[test]
    fn hiring_records_an_active_person_with_a_hire_entry() {
        let (c, [_, _, em, alice, _]) = Company::small();
        let person = c.org.person(alice).expect("hired");
        assert_eq!(person.status, Status::Active);
        assert_eq!(person.manager, Some(em));
        assert_eq!(person.role, role("senior-software-engineer"));
        let history = c.org.history(alice);
        assert_eq!(history.len(), 1);
        assert_eq!(history[0].reason, ChangeReason::Hire);
        assert_eq!(history[0].from, None);
        assert_eq!(c.org.reports(em), vec![alice, PersonId(5)]);
    }

    #[test]
    fn hiring_into_the_hire_only_cto_role_is_allowed() {
        let mut c = Company::new();
        let cto = c.hire("Cleo", "cto", None);
        assert_eq!(c.org.person(cto).map(|p| p.role.clone()), Some(role("cto")));
    }

    #[test]
    fn an_email_already_used_is_refused_even_when_its_holder_left_and_whatever_its_case() {
        let (mut c, [_, _, _, _, bob]) = Company::small();
        c.run(Command::Leave {
            person: bob,
            date: day("2025-01-01"),
        })
        .expect("bob leaves");
        let id = c.next_id();
        let err = c
            .run(Command::Hire {
                id,
                name: "Another Bob".into(),
                email: email("BOB@Example.com"),
                role: role("software-engineer"),
                manager: None,
                start_date: day("2025-02-01"),
            })
            .expect_err("email taken");
        assert_eq!(err.code(), "email_taken");
        assert_eq!(err.kind(), ErrorKind::Conflict);
        assert!(err.to_string().contains("Bob"), "{err}");
    }

    #[rstest]
    #[case::unknown_role("nope", "Zed", None, "unknown_role")]
    #[case::blank_name("software-engineer", "  ", None, "invalid_name")]
    #[case::nul_in_name("software-engineer", "Ada\0Lovelace", None, "invalid_name")]
    #[case::line_break_in_name("software-engineer", "Ada\nLovelace", None, "invalid_name")]
    #[case::manager_is_an_ic("software-engineer", "Zed", Some(4), "manager_cannot_have_reports")]
    #[case::manager_unknown("software-engineer", "Zed", Some(99), "unknown_person")]
    fn a_hire_breaking_a_rule_is_refused(
        #[case] role_id: &str,
        #[case] name: &str,
        #[case] manager: Option<i64>,
        #[case] code: &str,
    ) {
        let (mut c, _) = Company::small();
        let id = c.next_id();
        let got = c.refuse(Command::Hire {
            id,
            name: name.into(),
            email: email("zed@example.com"),
            role: climb_framework::RoleId::parse(role_id).expect("id"),
            manager: manager.map(PersonId),
            start_date: day("2025-01-01"),
        });
        assert_eq!(got, code);
    }

    #[test]
    fn a_hire_reusing_an_id_in_use_is_refused() {
        let (mut c, [cto, ..]) = Company::small();
        let got = c.refuse(Command::Hire {
            id: cto,
            name: "Dup".into(),
            email: email("dup@example.com"),
            role: role("software-engineer"),
            manager: None,
            start_date: day("2025-01-01"),
        });
        assert_eq!(got, "id_taken");
    }

    #[test]
    fn only_admins_and_hr_may_hire() {
        let (mut c, [_, _, em, ..]) = Company::small();
        let id = c.next_id();
        let hire = Command::Hire {
            id,
            name: "Zed".into(),
            email: email("zed@example.com"),
            role: role("software-engineer"),
            manager: Some(em),
            start_date: day("2025-01-01"),
        };
        let err = c
            .run_as(Actor::employee(em), hire.clone())
            .expect_err("employee");
        assert_eq!(err.code(), "forbidden");
        assert!(c.run_as(Actor::hr(em), hire).is_ok());
    }

    // Role changes.

    #[test]
    fn a_promotion_along_a_transition_is_recorded_as_a_promotion() {
        let (mut c, [.., alice, _]) = Company::small();
        let changes = c
            .run(change_role(alice, "staff-engineer"))
            .expect("promoted");
        assert!(matches!(&changes[..], [Change::RoleChanged { change }]
            if change.reason == ChangeReason::Promotion
            && change.from == Some(role("senior-software-engineer"))));
        assert_eq!(
            c.org.person(alice).map(|p| p.role.clone()),
            Some(role("staff-engineer"))
        );
        assert_eq!(c.org.history(alice).len(), 2);
    }

    #[test]
    fn a_lateral_move_is_recorded_as_lateral() {
        let (mut c, [.., alice, _]) = Company::small();
        let changes = c.run(change_role(alice, "architect")).expect("moved");
        assert!(matches!(&changes[..], [Change::RoleChanged { change }]
            if change.reason == ChangeReason::Lateral));
    }

    #[test]
    fn promotion_into_a_hire_only_role_is_refused() {
        let (mut c, [_, vp, ..]) = Company::small();
        assert_eq!(c.refuse(change_role(vp, "cto")), "hire_only_role");
    }

    #[test]
    fn a_correction_into_a_hire_only_role_is_refused_too() {
        let (mut c, [_, vp, ..]) = Company::small();
        assert_eq!(
            c.refuse(correction(vp, "cto", Some("board decision"))),
            "hire_only_role"
        );
    }

    #[test]
    fn hire_only_is_checked_before_the_missing_transition() {
        // No transition leads from an associate to the CTO either; the
        // hire-only rule is the one reported.
        let mut c = Company::new();
        let junior = c.hire("Jo", "associate-software-engineer", None);
        assert_eq!(c.refuse(change_role(junior, "cto")), "hire_only_role");
    }

    #[test]
    fn a_role_change_without_a_transition_is_refused() {
        let (mut c, [.., bob]) = Company::small();
        let err = c
            .run(change_role(bob, "principal-software-engineer"))
            .expect_err("skips levels");
        assert_eq!(err.code(), "no_such_transition");
        assert_eq!(err.kind(), ErrorKind::Rule);
        let message = err.to_string();
        assert!(
            message.contains("Bob") && message.contains("software-engineer"),
            "{message}"
        );
    }

    #[test]
    fn a_correction_may_go_outside_the_graph_and_is_marked_as_such() {
        let (mut c, [.., bob]) = Company::small();
        let changes = c
            .run(correction(
                bob,
                "principal-software-engineer",
                Some("typo at import"),
            ))
            .expect("corrected");
        assert!(matches!(&changes[..], [Change::RoleChanged { change }]
            if change.reason == ChangeReason::Correction
            && change.note.as_deref() == Some("typo at import")));
    }

    #[test]
    fn a_correction_needs_a_reason() {
        let (mut c, [.., bob]) = Company::small();
        assert_eq!(
            c.refuse(correction(bob, "staff-engineer", Some("   "))),
            "correction_needs_reason"
        );
    }

    #[test]
    fn only_an_administrator_may_record_a_correction() {
        let (mut c, [cto, .., bob]) = Company::small();
        let err = c
            .run_as(
                Actor::hr(cto),
                correction(bob, "staff-engineer", Some("fix")),
            )
            .expect_err("hr");
        assert_eq!(err.code(), "forbidden");
        assert_eq!(err.kind(), ErrorKind::Forbidden);
    }

    #[test]
    fn employees_and_managers_may_not_change_roles() {
        let (mut c, [_, _, em, _, bob]) = Company::small();
        let err = c
            .run_as(
                Actor::employee(em),
                change_role(bob, "senior-software-engineer"),
            )
            .expect_err("manager");
        assert_eq!(err.code(), "forbidden");
    }

    #[test]
    fn a_manager_with_reports_cannot_move_to_a_role_without_reports() {
        let (mut c, [_, _, em, ..]) = Company::small();
        assert_eq!(c.refuse(change_role(em, "staff-engineer")), "has_reports");
    }

    #[test]
    fn a_manager_without_reports_may_move_to_an_ic_role() {
        let mut c = Company::new();
        let em = c.hire("Emma", "engineering-manager", None);
        assert!(c.run(change_role(em, "staff-engineer")).is_ok());
    }

    #[test]
    fn changing_to_the_role_already_held_is_refused() {
        let (mut c, [.., bob]) = Company::small();
        assert_eq!(c.refuse(change_role(bob, "software-engineer")), "same_role");
    }

    #[test]
    fn a_role_change_dated_before_the_start_is_refused() {
        let (mut c, [.., bob]) = Company::small();
        let got = c.refuse(Command::ChangeRole {
            person: bob,
            to_role: role("senior-software-engineer"),
            effective_date: day("2023-06-01"),
            note: None,
            correction: false,
        });
        assert_eq!(got, "date_before_start");
    }

    #[test]
    fn a_role_change_dated_before_the_last_one_is_refused() {
        let (mut c, [.., bob]) = Company::small();
        c.run(change_role(bob, "senior-software-engineer"))
            .expect("promoted");
        let got = c.refuse(Command::ChangeRole {
            person: bob,
            to_role: role("staff-engineer"),
            effective_date: day("2024-06-01"),
            note: None,
            correction: false,
        });
        assert_eq!(got, "date_out_of_order");
    }

    #[rstest]
    #[case::unknown_role("no-such-role", "unknown_role")]
    #[case::hire_only("cto", "hire_only_role")]
    #[case::skipping_levels("staff-engineer", "no_such_transition")]
    #[case::into_management_from_junior("engineering-manager", "no_such_transition")]
    #[case::promotion("senior-software-engineer", "ok")]
    fn the_role_change_matrix_for_a_software_engineer(#[case] to: &str, #[case] expected: &str) {
        let (mut c, [.., bob]) = Company::small();
        let got = match c.run(change_role(bob, to)) {
            Ok(_) => "ok",
            Err(e) => e.code(),
        };
        assert_eq!(got, expected);
    }

    #[test]
    fn changing_the_role_of_someone_who_left_is_refused() {
        let (mut c, [.., bob]) = Company::small();
        c.run(Command::Leave {
            person: bob,
            date: day("2024-12-01"),
        })
        .expect("left");
        assert_eq!(
            c.refuse(change_role(bob, "senior-software-engineer")),
            "person_left"
        );
    }

    // Reporting lines.

    #[rstest]
    #[case::self_manager(3, 3, "self_manager")]
    #[case::ic_as_manager(5, 4, "manager_cannot_have_reports")]
    #[case::own_ic_report_as_manager(3, 4, "manager_cannot_have_reports")]
    #[case::report_manages_boss(2, 3, "reporting_cycle")]
    #[case::deep_cycle(1, 3, "reporting_cycle")]
    #[case::unknown_manager(4, 42, "unknown_person")]
    #[case::unknown_person(42, 3, "unknown_person")]
    #[case::valid_move(4, 2, "ok")]
    fn the_manager_rule_matrix(#[case] person: i64, #[case] manager: i64, #[case] expected: &str) {
        let (mut c, _) = Company::small();
        let got = match c.run(set_manager(PersonId(person), Some(PersonId(manager)))) {
            Ok(_) => "ok",
            Err(e) => e.code(),
        };
        assert_eq!(got, expected);
    }

    #[test]
    fn someone_who_left_cannot_become_a_manager() {
        let (mut c, [cto, vp, em, alice, bob]) = Company::small();
        let other = c.hire("Otto", "engineering-manager", Some(vp));
        c.run(Command::Leave {
            person: other,
            date: day("2025-01-01"),
        })
        .expect("left");
        assert_eq!(c.refuse(set_manager(bob, Some(other))), "person_left");
        let _ = (cto, em, alice);
    }

    #[test]
    fn setting_the_manager_someone_already_has_changes_nothing() {
        let (mut c, [_, _, em, _, bob]) = Company::small();
        assert_eq!(c.run(set_manager(bob, Some(em))), Ok(Vec::new()));
    }

    #[test]
    fn moving_a_manager_moves_their_whole_team_in_the_tree() {
        let (mut c, [cto, vp, em, alice, bob]) = Company::small();
        c.run(set_manager(em, Some(cto))).expect("moved");
        assert!(c.org.index().is_below(alice, cto));
        assert!(!c.org.index().is_below(alice, vp));
        assert_eq!(c.org.index().chain(bob), Some(vec![em, cto]));
    }

    #[test]
    fn clearing_a_manager_makes_a_new_top_of_the_tree() {
        let (mut c, [_, _, em, alice, _]) = Company::small();
        c.run(set_manager(em, None)).expect("cleared");
        assert_eq!(c.org.index().depth(em), Some(0));
        assert_eq!(c.org.index().chain(alice), Some(vec![em]));
    }

    // Leaving.

    #[test]
    fn leaving_with_reports_is_refused_until_they_are_reassigned() {
        let (mut c, [_, vp, em, alice, bob]) = Company::small();
        let leave = Command::Leave {
            person: em,
            date: day("2025-01-01"),
        };
        let err = c.run(leave.clone()).expect_err("has reports");
        assert_eq!(err.code(), "has_reports");
        assert!(err.to_string().contains("2 direct report"), "{err}");
        let new_em = c.hire("Nina", "engineering-manager", Some(vp));
        c.run(set_manager(alice, Some(new_em))).expect("moved");
        c.run(set_manager(bob, Some(new_em))).expect("moved");
        assert!(c.run(leave).is_ok());
    }

    #[test]
    fn leaving_keeps_the_person_and_history_and_ends_their_designations() {
        let (mut c, [.., alice, _]) = Company::small();
        let project = c.project("Apollo");
        c.run(assign(project, alice, "2024-03-01"))
            .expect("assigned");
        c.run(change_role(alice, "staff-engineer"))
            .expect("promoted");
        let changes = c
            .run(Command::Leave {
                person: alice,
                date: day("2025-06-30"),
            })
            .expect("left");
        assert!(matches!(
            &changes[..],
            [
                Change::DesignationEnded {
                    reason: EndReason::PersonLeft,
                    ..
                },
                Change::PersonLeft { .. },
            ]
        ));
        let person = c.org.person(alice).expect("kept");
        assert_eq!(person.status, Status::Left);
        assert_eq!(person.end_date, Some(day("2025-06-30")));
        assert_eq!(c.org.history(alice).len(), 2);
        assert_eq!(c.org.designations_of(alice).count(), 0);
        assert!(!c.org.index().contains(alice));
    }

    #[test]
    fn leaving_twice_is_refused() {
        let (mut c, [.., bob]) = Company::small();
        let leave = Command::Leave {
            person: bob,
            date: day("2025-01-01"),
        };
        c.run(leave.clone()).expect("left");
        assert_eq!(c.refuse(leave), "person_left");
    }

    #[test]
    fn leaving_before_starting_is_refused() {
        let (mut c, [.., bob]) = Company::small();
        assert_eq!(
            c.refuse(Command::Leave {
                person: bob,
                date: day("2023-01-01"),
            }),
            "date_before_start"
        );
    }

    // Projects and designations.

    #[test]
    fn the_holder_of_a_designation_becomes_a_member_of_the_project() {
        let (mut c, [.., alice, _]) = Company::small();
        let project = c.project("Apollo");
        let changes = c
            .run(assign(project, alice, "2024-03-01"))
            .expect("assigned");
        assert!(
            matches!(&changes[..], [Change::MemberAdded { .. }, Change::DesignationStarted { assignment }]
            if assignment.flags.is_empty())
        );
        assert!(
            c.org
                .project(project)
                .is_some_and(|p| p.members.contains(&alice))
        );
    }

    #[test]
    fn assigning_a_new_holder_ends_the_previous_holders_designation() {
        let (mut c, [.., alice, bob]) = Company::small();
        let project = c.project("Apollo");
        c.run(assign(project, alice, "2024-03-01"))
            .expect("assigned");
        let changes = c
            .run(assign(project, bob, "2024-09-01"))
            .expect("reassigned");
        assert!(
            matches!(&changes[0], Change::DesignationEnded { assignment, end_date, reason: EndReason::Replaced }
            if assignment.person == alice && *end_date == day("2024-09-01"))
        );
        let holders: Vec<_> = c.org.designations_on(project).map(|a| a.person).collect();
        assert_eq!(holders, vec![bob]);
    }

    #[test]
    fn a_designation_below_the_usual_seniority_is_flagged_not_refused() {
        let (mut c, [.., bob]) = Company::small();
        let project = c.project("Apollo");
        let changes = c.run(assign(project, bob, "2024-03-01")).expect("assigned");
        assert!(
            changes
                .iter()
                .any(|ch| matches!(ch, Change::DesignationStarted { assignment }
            if assignment.flags == vec![DesignationFlag::BelowUsualSeniority]))
        );
        let json = serde_json::to_value(&changes).expect("json");
        assert!(json.to_string().contains("below_usual_seniority"));
    }

    #[test]
    fn a_designation_outside_its_eligible_streams_is_refused() {
        let (mut c, [_, _, em, ..]) = Company::small();
        let project = c.project("Apollo");
        assert_eq!(
            c.refuse(assign(project, em, "2024-03-01")),
            "designation_not_eligible"
        );
    }

    #[test]
    fn a_designation_on_a_closed_project_is_refused() {
        let (mut c, [.., alice, _]) = Company::small();
        let project = c.project("Apollo");
        c.run(Command::CloseProject {
            project,
            date: day("2024-12-31"),
        })
        .expect("closed");
        assert_eq!(
            c.refuse(assign(project, alice, "2025-01-01")),
            "project_closed"
        );
    }

    #[test]
    fn closing_a_project_ends_its_designations_and_the_holder_keeps_their_role() {
        let (mut c, [.., alice, _]) = Company::small();
        let project = c.project("Apollo");
        c.run(assign(project, alice, "2024-03-01"))
            .expect("assigned");
        let changes = c
            .run(Command::CloseProject {
                project,
                date: day("2024-12-31"),
            })
            .expect("closed");
        assert!(matches!(
            &changes[..],
            [
                Change::DesignationEnded {
                    reason: EndReason::ProjectClosed,
                    ..
                },
                Change::ProjectClosed { .. },
            ]
        ));
        assert_eq!(c.org.designations().count(), 0);
        assert_eq!(
            c.org.person(alice).map(|p| p.role.clone()),
            Some(role("senior-software-engineer"))
        );
        assert_eq!(
            c.refuse(Command::CloseProject {
                project,
                date: day("2025-01-01"),
            }),
            "project_closed"
        );
    }

    #[test]
    fn reassigning_a_designation_to_its_holder_changes_nothing() {
        let (mut c, [.., alice, _]) = Company::small();
        let project = c.project("Apollo");
        c.run(assign(project, alice, "2024-03-01"))
            .expect("assigned");
        assert_eq!(c.run(assign(project, alice, "2024-04-01")), Ok(Vec::new()));
    }

    #[rstest]
    #[case::unknown_project(Some(999), "team-lead", "unknown_project")]
    #[case::unknown_designation(None, "scrum-master", "unknown_designation")]
    fn designations_need_a_known_project_and_designation(
        #[case] project: Option<i64>,
        #[case] designation_id: &str,
        #[case] expected: &str,
    ) {
        let (mut c, [.., alice, _]) = Company::small();
        let created = c.project("Apollo");
        let got = c.refuse(Command::AssignDesignation {
            project: project.map_or(created, ProjectId),
            person: alice,
            designation: designation(designation_id),
            start_date: day("2024-03-01"),
        });
        assert_eq!(got, expected);
    }

    #[test]
    fn managers_may_run_projects_but_engineers_may_not() {
        let (mut c, [_, _, em, _, bob]) = Company::small();
        let create = |id| Command::CreateProject {
            id: ProjectId(id),
            name: "Gemini".into(),
        };
        assert!(c.run_as(Actor::employee(em), create(100)).is_ok());
        let err = c.run_as(Actor::employee(bob), create(101)).expect_err("ic");
        assert_eq!(err.code(), "forbidden");
    }

    // Details and erasure.

    #[test]
    fn updating_an_email_to_one_in_use_is_refused() {
        let (mut c, [.., alice, bob]) = Company::small();
        let got = c.refuse(Command::UpdatePerson {
            person: bob,
            name: None,
            email: Some(email("Alice@example.com")),
        });
        assert_eq!(got, "email_taken");
        let changes = c
            .run(Command::UpdatePerson {
                person: alice,
                name: Some("Alice Smith".into()),
                email: None,
            })
            .expect("renamed");
        assert_eq!(changes[0].audit().before["name"], "Alice");
        assert_eq!(changes[0].audit().after["name"], "Alice Smith");
    }

    #[test]
    fn erasing_anonymises_a_person_who_left_and_keeps_the_aggregates() {
        let (mut c, [.., bob]) = Company::small();
        let hr = Actor {
            person: Some(PersonId(1)),
            kind: ActorKind::Hr,
        };
        assert_eq!(c.refuse(Command::Erase { person: bob }), "still_active");
        c.run(Command::Leave {
            person: bob,
            date: day("2025-01-01"),
        })
        .expect("left");
        let err = c
            .run_as(hr, Command::Erase { person: bob })
            .expect_err("hr");
        assert_eq!(err.code(), "forbidden");
        let changes = c
            .run_as(admin(), Command::Erase { person: bob })
            .expect("erased");
        let person = c.org.person(bob).expect("kept");
        assert!(!person.name.contains("Bob"));
        assert!(c.org.person_by_email(&email("bob@example.com")).is_none());
        assert_eq!(c.org.history(bob).len(), 1);
        assert!(
            !serde_json::to_string(&changes)
                .expect("json")
                .contains("Bob")
        );
    }

    #[test]
    fn decide_with_an_actor_who_left_is_forbidden() {
        let (mut c, [cto, .., bob]) = Company::small();
        let hr_person = c.hire("Hana HR", "software-engineer", None);
        c.run(Command::Leave {
            person: hr_person,
            date: day("2025-01-01"),
        })
        .expect("left");
        let err = c
            .run_as(Actor::hr(hr_person), set_manager(bob, Some(cto)))
            .expect_err("lost access");
        assert_eq!(err.code(), "forbidden");
        let _ = fw();
    }
}
