//! The org index against a naive reference: a random company, then a random
//! sequence of hires, leavings, manager changes and role changes applied to
//! both, with every query compared after every step. Tiny blocks make each
//! update split, move and merge blocks; the default size checks the usual
//! path.

use std::collections::BTreeMap;

use climb_framework::RoleId;
use climb_people::org_index::Node;
use climb_people::{OrgIndex, PersonId};
use proptest::prelude::*;

/// The tree kept the obvious way: reports in the order they joined their
/// manager (by id at the start), tops likewise.
#[derive(Debug, Default)]
struct Naive {
    manager: BTreeMap<PersonId, Option<PersonId>>,
    role: BTreeMap<PersonId, RoleId>,
    reports: BTreeMap<PersonId, Vec<PersonId>>,
    tops: Vec<PersonId>,
}

impl Naive {
    fn join(&mut self, person: PersonId, manager: Option<PersonId>) {
        self.manager.insert(person, manager);
        match manager {
            Some(m) => self.reports.entry(m).or_default().push(person),
            None => self.tops.push(person),
        }
    }

    fn detach(&mut self, person: PersonId) {
        let list = match self.manager.get(&person).copied().flatten() {
            Some(m) => self.reports.entry(m).or_default(),
            None => &mut self.tops,
        };
        list.retain(|p| *p != person);
    }

    fn reports_of(&self, person: PersonId) -> Vec<PersonId> {
        self.reports.get(&person).cloned().unwrap_or_default()
    }

    fn pre_order_from(&self, people: &[PersonId], out: &mut Vec<PersonId>) {
        for &p in people {
            out.push(p);
            self.pre_order_from(&self.reports_of(p), out);
        }
    }

    fn pre_order(&self) -> Vec<PersonId> {
        let mut out = Vec::new();
        self.pre_order_from(&self.tops, &mut out);
        out
    }

    fn below(&self, person: PersonId) -> Vec<PersonId> {
        let mut out = Vec::new();
        self.pre_order_from(&self.reports_of(person), &mut out);
        out
    }

    fn chain(&self, person: PersonId) -> Vec<PersonId> {
        let mut chain = Vec::new();
        let mut at = self.manager.get(&person).copied().flatten();
        while let Some(m) = at {
            chain.push(m);
            at = self.manager.get(&m).copied().flatten();
        }
        chain
    }
}

#[derive(Debug, Clone)]
enum Op {
    Hire {
        role: usize,
        manager: Option<usize>,
    },
    Leave {
        person: usize,
    },
    Move {
        person: usize,
        manager: Option<usize>,
    },
    SetRole {
        person: usize,
        role: usize,
    },
}

fn op() -> impl Strategy<Value = Op> {
    let pick = any::<usize>();
    prop_oneof![
        4 => (any::<usize>(), prop::option::weighted(0.9, pick))
            .prop_map(|(role, manager)| Op::Hire { role, manager }),
        3 => pick.prop_map(|person| Op::Leave { person }),
        4 => (pick, prop::option::weighted(0.85, pick))
            .prop_map(|(person, manager)| Op::Move { person, manager }),
        2 => (pick, any::<usize>()).prop_map(|(person, role)| Op::SetRole { person, role }),
    ]
}

fn roles() -> Vec<RoleId> {
    [
        "cto",
        "engineering-manager",
        "software-engineer",
        "architect",
    ]
    .into_iter()
    .filter_map(|r| RoleId::parse(r).ok())
    .collect()
}

/// Every query of `index` agrees with `naive`; `ever` is everyone who was
/// ever in the tree.
fn check(index: &OrgIndex, naive: &Naive, ever: &[PersonId]) -> Result<(), TestCaseError> {
    let order = naive.pre_order();
    prop_assert_eq!(index.len(), order.len());
    prop_assert_eq!(index.is_empty(), order.is_empty());
    prop_assert_eq!(index.pre_order().collect::<Vec<_>>(), order.clone());
    let count = |people: &[PersonId]| {
        let mut counts: BTreeMap<RoleId, usize> = BTreeMap::new();
        for p in people {
            *counts.entry(naive.role[p].clone()).or_default() += 1;
        }
        counts
    };
    let by_role = |under: Option<PersonId>| {
        index.headcount_by_role(under).map(|counts| {
            counts
                .into_iter()
                .map(|(role, n)| (role.clone(), n))
                .collect::<BTreeMap<_, _>>()
        })
    };
    prop_assert_eq!(by_role(None), Some(count(&order)));
    for &p in ever {
        let active = naive.manager.contains_key(&p);
        prop_assert_eq!(index.contains(p), active, "contains {}", p);
        if !active {
            prop_assert_eq!(index.below(p), None);
            prop_assert_eq!(index.headcount_below(p), None);
            prop_assert_eq!(index.chain(p), None);
            prop_assert_eq!(by_role(Some(p)), None);
            continue;
        }
        let below = naive.below(p);
        prop_assert_eq!(
            index.headcount_below(p),
            Some(below.len()),
            "headcount {}",
            p
        );
        prop_assert_eq!(by_role(Some(p)), Some(count(&below)), "by role below {}", p);
        prop_assert_eq!(index.below(p), Some(below), "below {}", p);
        let chain = naive.chain(p);
        prop_assert_eq!(index.depth(p), Some(chain.len()), "depth {}", p);
        prop_assert_eq!(index.chain(p), Some(chain), "chain {}", p);
        prop_assert_eq!(index.manager(p), naive.manager[&p], "manager {}", p);
        let reports = naive.reports_of(p);
        prop_assert_eq!(index.span(p), Some(reports.len()), "span {}", p);
        prop_assert_eq!(index.direct_reports(p), Some(reports), "reports {}", p);
        for &boss in &order {
            let below_boss = naive.chain(p).contains(&boss);
            prop_assert_eq!(index.is_below(p, boss), below_boss, "{} below {}", p, boss);
        }
    }
    Ok(())
}

fn pick(people: &[PersonId], n: usize) -> Option<PersonId> {
    (!people.is_empty()).then(|| people[n % people.len()])
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    #[test]
    fn every_structural_change_agrees_with_a_naive_tree(
        block_max in prop::sample::select(vec![4usize, 5, 8, 16, 1024]),
        start in prop::collection::vec((any::<usize>(), prop::option::weighted(0.8, any::<usize>())), 0..40),
        spread in prop::sample::select(vec![1i64, 3, 1 << 33]),
        ops in prop::collection::vec(op(), 1..100),
    ) {
        let roles = roles();
        let id = |n: usize| PersonId(n as i64 * spread - 7);
        // A forest: each person's manager is someone listed before them.
        let mut naive = Naive::default();
        let mut ever: Vec<PersonId> = Vec::new();
        let mut nodes = Vec::new();
        for (i, (role, manager)) in start.iter().enumerate() {
            let person = id(i);
            let manager = manager.filter(|_| i > 0).map(|m| id(m % i));
            naive.role.insert(person, roles[role % roles.len()].clone());
            nodes.push((person, manager));
            ever.push(person);
        }
        for &(person, manager) in &nodes {
            naive.join(person, manager);
        }
        let mut index = OrgIndex::build_with_block_size(
            nodes.iter().rev().map(|&(person, manager)| Node {
                id: person,
                manager,
                role: &naive.role[&person],
            }),
            block_max,
        );
        check(&index, &naive, &ever)?;
        for op in &ops {
            let active: Vec<PersonId> = naive.manager.keys().copied().collect();
            match *op {
                Op::Hire { role, manager } => {
                    let person = id(ever.len());
                    let manager = manager.and_then(|m| pick(&active, m));
                    let role = roles[role % roles.len()].clone();
                    index.insert_leaf(person, manager, &role);
                    naive.role.insert(person, role);
                    naive.join(person, manager);
                    ever.push(person);
                }
                Op::Leave { person } => {
                    let Some(person) = pick(&active, person) else { continue };
                    let leaf = naive.reports_of(person).is_empty();
                    prop_assert_eq!(index.remove_leaf(person), leaf);
                    if leaf {
                        naive.detach(person);
                        naive.manager.remove(&person);
                    }
                }
                Op::Move { person, manager } => {
                    let Some(person) = pick(&active, person) else { continue };
                    let manager = manager.and_then(|m| pick(&active, m));
                    let cycle = manager.is_some_and(|m| m == person || naive.chain(m).contains(&person));
                    prop_assert_eq!(index.move_subtree(person, manager), !cycle);
                    if !cycle {
                        naive.detach(person);
                        naive.join(person, manager);
                    }
                }
                Op::SetRole { person, role } => {
                    let Some(person) = pick(&active, person) else { continue };
                    let role = roles[role % roles.len()].clone();
                    index.set_role(person, &role);
                    naive.role.insert(person, role);
                }
            }
            check(&index, &naive, &ever)?;
        }
    }
}
