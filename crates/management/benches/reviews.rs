//! The performance target of the manager's work: opening a review cycle for
//! 100k people and computing every growth plan, on the built-in framework,
//! in the pure domain (no database). The company is generated
//! deterministically: a tree of managers with ten reports each, everyone
//! else in a rotating individual-contributor role.

use std::collections::BTreeMap;
use std::hint::black_box;

use chrono::NaiveDate;
use climb_framework::{Framework, RoleId};
use climb_management::growth::{growth_plan, latest_assessment};
use climb_management::review::{CycleId, NewCycle, Rated, Review, ReviewId, Scope, open_cycle};
use climb_people::{Actor, Command, Email, Org, PersonId};
use criterion::{Criterion, criterion_group, criterion_main};

const PEOPLE: usize = 100_000;
const SPAN: usize = 10;

fn fw() -> &'static Framework {
    climb_framework::builtin()
}

fn day(raw: &str) -> NaiveDate {
    raw.parse().unwrap_or_else(|e| panic!("{raw}: {e}"))
}

fn role(id: &str) -> RoleId {
    RoleId::parse(id).unwrap_or_else(|e| panic!("{e}"))
}

/// `n` people hired through the people domain: person 1 is the CTO, person
/// `i` reports to person `(i - 2) / SPAN + 1`; whoever has reports is an
/// engineering manager, the others rotate through the engineering and
/// architecture roles.
fn company(n: usize) -> Org {
    let ics = [
        "associate-software-engineer",
        "software-engineer",
        "senior-software-engineer",
        "staff-engineer",
        "principal-software-engineer",
        "architect",
        "senior-architect",
    ]
    .map(role);
    let manager_of = |i: usize| (i > 1).then(|| (i - 2) / SPAN + 1);
    let mut org = Org::new();
    for i in 1..=n {
        let has_reports = (i - 1) * SPAN + 2 <= n;
        let role = if i == 1 {
            role("cto")
        } else if has_reports {
            role("engineering-manager")
        } else {
            ics[i % ics.len()].clone()
        };
        let command = Command::Hire {
            id: PersonId(i as i64),
            name: format!("Person {i}"),
            email: Email::parse(&format!("p{i}@example.com")).unwrap_or_else(|e| panic!("{e}")),
            role,
            manager: manager_of(i).map(|m| PersonId(m as i64)),
            start_date: day("2024-01-01"),
        };
        let changes = org
            .decide(fw(), Actor::admin(None), command)
            .unwrap_or_else(|e| panic!("hire {i}: {e}"));
        for change in &changes {
            org.apply(change);
        }
    }
    org
}

fn open(org: &Org) -> Vec<Review> {
    let (_, reviews) = open_cycle(
        fw(),
        org,
        CycleId(1),
        ReviewId(1),
        NewCycle {
            name: "2026 H1".to_owned(),
            period_start: day("2026-01-01"),
            period_end: day("2026-06-30"),
            scope: Scope::Everyone,
            hold_until_released: false,
        },
        day("2026-07-01"),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    reviews
}

/// Every review signed by both sides, the manager assessing one level below
/// expectation on every other competency, so growth plans have real gaps.
fn signed(mut reviews: Vec<Review>) -> Vec<Review> {
    for review in &mut reviews {
        let levels: BTreeMap<_, _> = review
            .expected
            .iter()
            .enumerate()
            .map(|(k, (c, l))| {
                let level = if k % 2 == 0 {
                    *l
                } else {
                    l.saturating_sub(1).max(1)
                };
                (
                    c.clone(),
                    Rated {
                        level,
                        evidence: "seen".to_owned(),
                    },
                )
            })
            .collect();
        review.own.signed_on = Some(day("2026-07-10"));
        review.manager.competencies = levels;
        review.manager.signed_on = Some(day("2026-07-11"));
    }
    reviews
}

fn growth_plans(org: &Org, reviews: &[Review]) -> usize {
    let end = day("2026-06-30");
    let mut gaps = 0;
    for review in reviews {
        let latest = latest_assessment([(review, end)]);
        let Some(person) = org.person(review.person) else {
            continue;
        };
        let plan = growth_plan(fw(), review.person, &person.role, latest.as_ref());
        gaps += plan.steps.iter().map(|s| s.gaps.len()).sum::<usize>();
    }
    gaps
}

fn bench(c: &mut Criterion) {
    let org = company(PEOPLE);
    let reviews = signed(open(&org));
    let mut group = c.benchmark_group("reviews_100k");
    group.sample_size(10);
    group.bench_function("open_cycle", |b| b.iter(|| black_box(open(&org)).len()));
    group.bench_function("growth_plans", |b| {
        b.iter(|| black_box(growth_plans(&org, &reviews)))
    });
    group.bench_function("open_cycle_then_growth_plans", |b| {
        b.iter(|| {
            let opened = open(&org);
            black_box(growth_plans(&org, &opened))
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
