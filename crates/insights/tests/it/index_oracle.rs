//! The analytics over the history index against the old path (the
//! oracle: each person's history read from the org's map, roles by name)
//! on random orgs: random hires, role changes in and out of date order,
//! leavings, manager changes, roles the framework lacks, hires of people
//! already gone, and random scopes, streams, days and periods. Managers
//! always have a lower id than their reports: the rules never let a cycle
//! form, and on a cycle the old path's layers depended on the order of a
//! hash map.

use chrono::{Days, NaiveDate};
use climb_framework::{RoleId, StreamId};
use climb_insights::analytics::{Period, Population, Privacy, Scope};
use climb_insights::{flow, pyramid, span, time_in_role};
use climb_people::{Change, ChangeReason, Email, Org, Person, PersonId, RoleChange, Status};
use proptest::prelude::*;

use crate::oracle;
use crate::support::{day, role, three_roles};

const ROLES: [&str; 4] = ["engineer", "senior", "manager", "ghost"];

/// One generated event, in raw numbers; [`changes`] makes them changes.
#[derive(Debug, Clone)]
enum Event {
    Hire {
        id: i64,
        role: usize,
        manager: Option<i64>,
        start: u64,
        left: Option<u64>,
    },
    Role {
        id: i64,
        role: usize,
        on: u64,
        reason: usize,
    },
    Leave {
        id: i64,
        on: u64,
    },
    Manager {
        id: i64,
        to: Option<i64>,
    },
}

const PEOPLE: i64 = 24;
/// Days over which everything happens: about four years.
const DAYS: u64 = 1500;

fn event() -> impl Strategy<Value = Event> {
    let id = 1..=PEOPLE;
    prop_oneof![
        3 => (id.clone(), 0..ROLES.len(), proptest::option::of(1..=PEOPLE), 0..DAYS, proptest::option::weighted(0.1, 0..DAYS))
            .prop_map(|(id, role, manager, start, left)| Event::Hire { id, role, manager, start, left }),
        4 => (id.clone(), 0..ROLES.len(), 0..DAYS, 0..4_usize)
            .prop_map(|(id, role, on, reason)| Event::Role { id, role, on, reason }),
        1 => (id.clone(), 0..DAYS).prop_map(|(id, on)| Event::Leave { id, on }),
        1 => (id, proptest::option::of(1..=PEOPLE)).prop_map(|(id, to)| Event::Manager { id, to }),
    ]
}

fn origin() -> NaiveDate {
    day("2020-01-01")
}

fn on(days: u64) -> NaiveDate {
    origin() + Days::new(days)
}

fn changes(events: &[Event]) -> Vec<Change> {
    let mut roles: std::collections::HashMap<i64, RoleId> = std::collections::HashMap::new();
    let reasons = [
        ChangeReason::Promotion,
        ChangeReason::Lateral,
        ChangeReason::Correction,
        ChangeReason::Hire,
    ];
    events
        .iter()
        .map(|event| match *event {
            Event::Hire {
                id,
                role: r,
                manager,
                start,
                left,
            } => {
                roles.insert(id, role(ROLES[r]));
                let manager = manager.filter(|&m| m < id);
                let left = left.map(|l| on(start.max(l)));
                Change::PersonHired {
                    person: Person {
                        id: PersonId(id),
                        name: format!("P{id}"),
                        email: Email::parse(&format!("p{id}@example.com"))
                            .unwrap_or_else(|e| panic!("{e}")),
                        status: if left.is_some() {
                            Status::Left
                        } else {
                            Status::Active
                        },
                        role: role(ROLES[r]),
                        manager: manager.map(PersonId),
                        start_date: on(start),
                        end_date: left,
                    },
                    role: RoleChange {
                        person: PersonId(id),
                        from: None,
                        to: role(ROLES[r]),
                        effective_date: on(start),
                        reason: ChangeReason::Hire,
                        note: None,
                        proposal: None,
                    },
                }
            }
            Event::Role {
                id,
                role: r,
                on: day,
                reason,
            } => {
                let from = roles.insert(id, role(ROLES[r]));
                Change::RoleChanged {
                    change: RoleChange {
                        person: PersonId(id),
                        from,
                        to: role(ROLES[r]),
                        effective_date: on(day),
                        reason: reasons[reason],
                        note: None,
                        proposal: None,
                    },
                }
            }
            Event::Leave { id, on: day } => Change::PersonLeft {
                person: PersonId(id),
                date: on(day),
            },
            Event::Manager { id, to } => Change::ManagerChanged {
                person: PersonId(id),
                from: None,
                to: to.filter(|&m| m < id).map(PersonId),
            },
        })
        .collect()
}

/// Every figure over the index equals the oracle's, for one scope.
fn same_figures(
    org: &Org,
    under: Option<i64>,
    stream: Option<&str>,
    as_of: u64,
    period: (u64, u64),
) {
    let framework = three_roles();
    let scope = Scope {
        under: under.map(PersonId),
        stream: stream.map(|s| StreamId::parse(s).unwrap_or_else(|e| panic!("{e}"))),
        as_of: on(as_of),
    };
    let (Ok(population), Some(old)) = (
        Population::new(&framework, org, scope.clone()),
        oracle::Population::new(&framework, org, scope.clone()),
    ) else {
        // Both refuse a root nobody knows.
        assert_eq!(
            Population::new(&framework, org, scope.clone()).is_ok(),
            oracle::Population::new(&framework, org, scope).is_some()
        );
        return;
    };
    let mut ids: Vec<PersonId> = population.ids().collect();
    ids.sort_unstable();
    assert_eq!(ids, old.ids(), "the people covered");
    assert_eq!(pyramid(&population), oracle::pyramid(&old));
    for privacy in [Privacy::Full, Privacy::Protected] {
        assert_eq!(
            time_in_role(&population, privacy),
            oracle::time_in_role(&old, privacy)
        );
        assert_eq!(
            span(&population, 3, privacy),
            oracle::span(&old, 3, privacy)
        );
    }
    let (from, to) = (period.0.min(period.1), period.0.max(period.1) + 1);
    let period = Period::new(on(from), on(to)).unwrap_or_else(|e| panic!("{e}"));
    let scope = Scope {
        as_of: period.last_day(),
        ..population.scope().clone()
    };
    let population =
        Population::new(&framework, org, scope.clone()).unwrap_or_else(|e| panic!("{e}"));
    let old = oracle::Population::new(&framework, org, scope).unwrap_or_else(|| panic!("scope"));
    for privacy in [Privacy::Full, Privacy::Protected] {
        assert_eq!(
            flow(&population, period, privacy),
            oracle::flow(&old, period, privacy)
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn the_figures_over_the_index_are_the_oracles(
        events in proptest::collection::vec(event(), 0..120),
        under in proptest::option::of(1..=PEOPLE + 1),
        stream in proptest::option::of(prop_oneof![Just("engineering"), Just("management")]),
        as_of in 0..DAYS + 100,
        period in (0..DAYS + 100, 0..DAYS + 100),
    ) {
        let changes = changes(&events);
        // Change by change (the index kept up to date), and as a bulk load.
        let applied = Org::from_changes(&changes);
        let mut bulk = Org::new();
        bulk.apply_all_and_rebuild(&changes);
        for org in [&applied, &bulk] {
            same_figures(org, under, stream, as_of, period);
        }
    }
}
