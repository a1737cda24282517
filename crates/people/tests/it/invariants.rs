//! Random sequences of commands on the built-in framework never break an
//! invariant, and the org index always agrees with a naive recomputation.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use chrono::{Days, NaiveDate};
use climb_framework::{DesignationId, Framework, RoleId};
use climb_people::{Actor, Change, Command, Email, Org, PersonId, ProjectId, Status};
use proptest::prelude::*;

fn fw() -> &'static Framework {
    climb_framework::builtin()
}

#[derive(Debug, Clone)]
enum Op {
    Hire {
        role: usize,
        manager: usize,
    },
    ChangeRole {
        person: usize,
        role: usize,
        correction: bool,
    },
    SetManager {
        person: usize,
        manager: Option<usize>,
    },
    Leave {
        person: usize,
    },
    CreateProject,
    Assign {
        project: usize,
        person: usize,
    },
    Close {
        project: usize,
    },
    Rename {
        person: usize,
        other: usize,
    },
    Erase {
        person: usize,
    },
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        6 => (any::<usize>(), any::<usize>()).prop_map(|(role, manager)| Op::Hire { role, manager }),
        3 => (any::<usize>(), any::<usize>(), prop::bool::weighted(0.2))
            .prop_map(|(person, role, correction)| Op::ChangeRole { person, role, correction }),
        3 => (any::<usize>(), prop::option::weighted(0.9, any::<usize>()))
            .prop_map(|(person, manager)| Op::SetManager { person, manager }),
        1 => any::<usize>().prop_map(|person| Op::Leave { person }),
        1 => Just(Op::CreateProject),
        2 => (any::<usize>(), any::<usize>()).prop_map(|(project, person)| Op::Assign { project, person }),
        1 => any::<usize>().prop_map(|project| Op::Close { project }),
        1 => (any::<usize>(), any::<usize>()).prop_map(|(person, other)| Op::Rename { person, other }),
        1 => any::<usize>().prop_map(|person| Op::Erase { person }),
    ]
}

/// Drives an org with commands and keeps every change it applied.
struct World {
    org: Org,
    log: Vec<Change>,
    people: Vec<PersonId>,
    projects: Vec<ProjectId>,
    next: i64,
    day: NaiveDate,
}

impl World {
    fn new() -> Self {
        Self {
            org: Org::new(),
            log: Vec::new(),
            people: Vec::new(),
            projects: Vec::new(),
            next: 0,
            day: NaiveDate::from_ymd_opt(2020, 1, 1).unwrap_or_default(),
        }
    }

    fn pick<T: Copy>(items: &[T], n: usize) -> Option<T> {
        (!items.is_empty()).then(|| items[n % items.len()])
    }

    /// Mostly an active person whose role has reports (so that the tree
    /// grows deep), sometimes anyone (so that refusals are exercised).
    fn manager(&self, n: usize) -> Option<PersonId> {
        if n.is_multiple_of(10) {
            return Self::pick(&self.people, n / 10);
        }
        let managers: Vec<PersonId> = self
            .people
            .iter()
            .copied()
            .filter(|id| {
                self.org
                    .person(*id)
                    .is_some_and(|p| p.status == Status::Active && role_has_reports(&p.role))
            })
            .collect();
        Self::pick(&managers, n / 10)
    }

    fn command(&mut self, op: &Op) -> Option<Command> {
        let roles = fw().roles();
        self.day = self.day.checked_add_days(Days::new(7)).unwrap_or(self.day);
        Some(match *op {
            Op::Hire { role, manager } => {
                self.next += 1;
                Command::Hire {
                    id: PersonId(self.next),
                    name: format!("Person {}", self.next),
                    email: Email::parse(&format!("p{}@example.com", self.next)).ok()?,
                    role: roles[role % roles.len()].id.clone(),
                    manager: self.manager(manager),
                    start_date: self.day,
                }
            }
            Op::ChangeRole {
                person,
                role,
                correction,
            } => {
                let person = Self::pick(&self.people, person)?;
                let to_role = match (correction, self.org.person(person)) {
                    (false, Some(p)) => {
                        let next: Vec<_> = fw().transitions_from(p.role.as_str()).collect();
                        if next.is_empty() {
                            roles[role % roles.len()].id.clone()
                        } else {
                            next[role % next.len()].to.clone()
                        }
                    }
                    _ => roles[role % roles.len()].id.clone(),
                };
                Command::ChangeRole {
                    person,
                    to_role,
                    effective_date: self.day,
                    note: correction.then(|| "fixing the record".to_owned()),
                    correction,
                }
            }
            Op::SetManager { person, manager } => Command::SetManager {
                person: Self::pick(&self.people, person)?,
                manager: manager.and_then(|m| self.manager(m)),
            },
            Op::Leave { person } => Command::Leave {
                person: Self::pick(&self.people, person)?,
                date: self.day,
            },
            Op::CreateProject => {
                self.next += 1;
                Command::CreateProject {
                    id: ProjectId(self.next),
                    name: format!("Project {}", self.next),
                }
            }
            Op::Assign { project, person } => Command::AssignDesignation {
                project: Self::pick(&self.projects, project)?,
                person: Self::pick(&self.people, person)?,
                designation: DesignationId::parse("team-lead").ok()?,
                start_date: self.day,
            },
            Op::Close { project } => Command::CloseProject {
                project: Self::pick(&self.projects, project)?,
                date: self.day,
            },
            Op::Erase { person } => Command::Erase {
                person: Self::pick(&self.people, person)?,
            },
            Op::Rename { person, other } => {
                let other = Self::pick(&self.people, other)?;
                Command::UpdatePerson {
                    person: Self::pick(&self.people, person)?,
                    name: Some(format!("Renamed {}", other.0)),
                    email: self.org.person(other).map(|p| p.email.clone()),
                }
            }
        })
    }

    fn step(&mut self, op: &Op) {
        let Some(command) = self.command(op) else {
            return;
        };
        if let Ok(changes) = self.org.decide(fw(), Actor::admin(None), command) {
            for change in changes {
                match &change {
                    Change::PersonHired { person, .. } => self.people.push(person.id),
                    Change::ProjectCreated { project, .. } => self.projects.push(*project),
                    _ => {}
                }
                self.org.apply(&change);
                self.log.push(change);
            }
        }
    }
}

fn role_has_reports(role: &RoleId) -> bool {
    fw().role(role.as_str()).is_some_and(|r| r.reports)
}

/// Every invariant of the people side, checked from first principles.
fn check(org: &Org) -> Result<(), TestCaseError> {
    let active: BTreeMap<PersonId, _> = org
        .people()
        .filter(|p| p.status == Status::Active)
        .map(|p| (p.id, p))
        .collect();
    let mut children: HashMap<PersonId, Vec<PersonId>> = HashMap::new();
    let mut emails = HashSet::new();
    for person in org.people() {
        prop_assert!(emails.insert(person.email.clone()), "email used twice");
        let history = org.history(person.id);
        prop_assert!(!history.is_empty(), "no history for {}", person.id);
        prop_assert!(history[0].from.is_none());
        prop_assert_eq!(
            history.last().map(|c| &c.to),
            Some(&person.role),
            "one role at a time"
        );
        prop_assert!(
            history
                .windows(2)
                .all(|w| w[0].effective_date <= w[1].effective_date)
        );
        prop_assert!(
            history
                .windows(2)
                .all(|w| w[1].from.as_ref() == Some(&w[0].to))
        );
        if person.status == Status::Left {
            prop_assert!(person.end_date.is_some());
            continue;
        }
        if let Some(manager) = person.manager {
            let boss = active.get(&manager);
            prop_assert!(boss.is_some(), "{} reports to someone inactive", person.id);
            prop_assert!(
                boss.is_some_and(|b| role_has_reports(&b.role)),
                "IC with reports"
            );
            children.entry(manager).or_default().push(person.id);
        }
    }
    // No cycles, and the naive chain of each person.
    let mut chains = HashMap::new();
    for &id in active.keys() {
        let mut chain = Vec::new();
        let mut at = active[&id].manager;
        while let Some(m) = at {
            prop_assert!(
                chain.len() <= active.len(),
                "reporting cycle through {}",
                id
            );
            chain.push(m);
            at = active.get(&m).and_then(|p| p.manager);
        }
        chains.insert(id, chain);
    }
    // The index agrees with the naive tree.
    let index = org.index();
    prop_assert_eq!(index.len(), active.len());
    for (&id, person) in &active {
        let mut below = BTreeSet::new();
        let mut stack = vec![id];
        while let Some(p) = stack.pop() {
            for &c in children.get(&p).map_or(&[][..], Vec::as_slice) {
                below.insert(c);
                stack.push(c);
            }
        }
        let indexed: BTreeSet<PersonId> = index
            .below(id)
            .unwrap_or_default()
            .iter()
            .copied()
            .collect();
        prop_assert_eq!(&indexed, &below, "below {}", id);
        prop_assert_eq!(index.chain(id), chains.get(&id).cloned(), "chain {}", id);
        prop_assert_eq!(index.depth(id), chains.get(&id).map(Vec::len));
        prop_assert_eq!(index.span(id), Some(children.get(&id).map_or(0, Vec::len)));
        prop_assert_eq!(index.manager(id), person.manager);
        let mut by_role: BTreeMap<RoleId, usize> = BTreeMap::new();
        for p in &below {
            *by_role.entry(active[p].role.clone()).or_default() += 1;
        }
        let summary = index.summary(fw(), Some(id));
        prop_assert!(summary.is_some());
        let summary = summary.unwrap_or_else(|| unreachable!());
        prop_assert_eq!(summary.total, below.len());
        let got: BTreeMap<RoleId, usize> = summary.by_role.into_iter().collect();
        prop_assert_eq!(got, by_role);
    }
    // Designations: held by active members of open projects.
    for assignment in org.designations() {
        prop_assert!(active.contains_key(&assignment.person));
        let project = org.project(assignment.project);
        prop_assert!(
            project.is_some_and(|p| p.is_open() && p.members.contains(&assignment.person))
        );
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn random_commands_never_break_an_invariant(ops in prop::collection::vec(op(), 1..80)) {
        let mut world = World::new();
        for op in &ops {
            world.step(op);
            check(&world.org)?;
        }
    }

    #[test]
    fn replaying_the_changes_rebuilds_the_same_org(ops in prop::collection::vec(op(), 1..80)) {
        let mut world = World::new();
        for op in &ops {
            world.step(op);
        }
        let replayed = Org::from_changes(&world.log);
        check(&replayed)?;
        let mut live: Vec<_> = world.org.people().cloned().collect();
        let mut again: Vec<_> = replayed.people().cloned().collect();
        live.sort_by_key(|p| p.id);
        again.sort_by_key(|p| p.id);
        prop_assert_eq!(live, again);
        for id in &world.people {
            prop_assert_eq!(world.org.history(*id), replayed.history(*id));
            prop_assert_eq!(world.org.index().chain(*id), replayed.index().chain(*id));
            prop_assert_eq!(world.org.index().headcount_below(*id), replayed.index().headcount_below(*id));
        }
        let designations: Vec<_> = world.org.designations().cloned().collect();
        let replayed_designations: Vec<_> = replayed.designations().cloned().collect();
        prop_assert_eq!(designations, replayed_designations);
    }

    #[test]
    fn every_change_round_trips_through_json(ops in prop::collection::vec(op(), 1..40)) {
        let mut world = World::new();
        for op in &ops {
            world.step(op);
        }
        for change in &world.log {
            let json = serde_json::to_string(change).map_err(|e| TestCaseError::fail(e.to_string()))?;
            let back: Change = serde_json::from_str(&json).map_err(|e| TestCaseError::fail(e.to_string()))?;
            prop_assert_eq!(&back, change);
            let audit = change.audit();
            prop_assert!(audit.after.is_object(), "{} has no after", audit.action);
        }
    }
}

/// Guards the generator itself: a few runs reach every kind of change, so
/// the invariants above are not checked on trivial histories only.
#[test]
fn the_generated_histories_cover_every_kind_of_change() {
    use proptest::strategy::ValueTree;
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let mut seen: BTreeSet<&'static str> = BTreeSet::new();
    for _ in 0..50 {
        let Ok(tree) = prop::collection::vec(op(), 1..80).new_tree(&mut runner) else {
            continue;
        };
        let mut world = World::new();
        for op in &tree.current() {
            world.step(op);
        }
        seen.extend(world.log.iter().map(Change::action));
    }
    assert_eq!(seen.len(), 11, "only {seen:?}");
}
