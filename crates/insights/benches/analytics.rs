//! The analytics on a generated company of 1,000,000 people (everyone ever
//! hired, 3% of them gone) with ten years of role history: each question
//! over the whole company and below a mid-level manager, the scope resolved
//! inside the timing as a request would. Prints the org's memory once.

use std::hint::black_box;

use chrono::{Days, NaiveDate};
use climb_framework::{Framework, RoleId};
use climb_insights::analytics::{Period, Population, Privacy, Scope};
use climb_insights::{DEFAULT_SPAN_THRESHOLD, flow, pyramid, span, time_in_role};
use climb_people::{Change, ChangeReason, Email, Org, Person, PersonId, RoleChange, Status};
use criterion::{Criterion, criterion_group, criterion_main};

/// A small deterministic generator (xorshift64*), so runs are comparable.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d) % n
    }
}

const PEOPLE: i64 = 1_000_000;
/// Each manager's reports: a complete tree of this span (about eight layers).
const SPAN: i64 = 7;
const AS_OF: &str = "2026-12-01";
const YEARS: u64 = 10;

fn role(id: &str) -> RoleId {
    RoleId::parse(id).unwrap_or_else(|e| panic!("{e}"))
}

/// Person 1 is the CTO; person `i` reports to `(i - 2) / SPAN + 1`, so the
/// first seventh are managers (engineering managers, directors above
/// them), the rest engineers hired over ten years, promoted along the
/// engineering ladder every one to three years; 3% of the engineers left.
fn company() -> Org {
    let as_of: NaiveDate = AS_OF.parse().unwrap_or(NaiveDate::MIN);
    let founded = as_of - Days::new(YEARS * 365);
    let ladder = [
        "associate-software-engineer",
        "software-engineer",
        "senior-software-engineer",
        "staff-engineer",
        "principal-software-engineer",
    ]
    .map(role);
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut changes = Vec::with_capacity(PEOPLE as usize * 3);
    for i in 1..=PEOPLE {
        let id = PersonId(i);
        let manager = (i > 1).then(|| PersonId((i - 2) / SPAN + 1));
        let is_manager = i <= PEOPLE / SPAN;
        let first = if i == 1 {
            role("cto")
        } else if i <= 1 + SPAN + SPAN * SPAN {
            role("director-of-engineering")
        } else if is_manager {
            role("engineering-manager")
        } else {
            ladder[rng.below(2) as usize].clone()
        };
        let start = founded + Days::new(rng.below(YEARS * 365 - 30));
        let email = Email::parse(&format!("p{i}@example.com")).unwrap_or_else(|e| panic!("{e}"));
        let hire = RoleChange {
            person: id,
            from: None,
            to: first.clone(),
            effective_date: start,
            reason: ChangeReason::Hire,
            note: None,
            proposal: None,
        };
        changes.push(Change::PersonHired {
            person: Person {
                id,
                name: format!("Person {i}"),
                email,
                status: Status::Active,
                role: first.clone(),
                manager,
                start_date: start,
                end_date: None,
            },
            role: hire,
        });
        let mut day = start;
        let mut last_change = start;
        let mut current = first;
        if !is_manager {
            let mut step = ladder.iter().position(|r| *r == current).unwrap_or(0);
            loop {
                day = day + Days::new(365 + rng.below(730));
                if day >= as_of || step + 1 >= ladder.len() {
                    break;
                }
                step += 1;
                changes.push(Change::RoleChanged {
                    change: RoleChange {
                        person: id,
                        from: Some(current.clone()),
                        to: ladder[step].clone(),
                        effective_date: day,
                        reason: ChangeReason::Promotion,
                        note: None,
                        proposal: None,
                    },
                });
                current = ladder[step].clone();
                last_change = day;
            }
            if rng.below(100) < 3 {
                let last = day.min(as_of) - Days::new(1 + rng.below(200));
                changes.push(Change::PersonLeft {
                    person: id,
                    date: last.max(last_change),
                });
            }
        }
    }
    Org::from_changes(&changes)
}

fn bench(c: &mut Criterion) {
    let framework: &Framework = climb_framework::builtin();
    let org = company();
    let memory = org.memory_breakdown();
    let history = memory.history_table + memory.history_entries + memory.history_strings;
    let changes: usize = org.people().map(|p| org.history(p.id).len()).sum();
    eprintln!(
        "{} people, {changes} role-history entries; org {:.0} MiB, of which the role history {:.0} MiB",
        org.people_count(),
        memory.total() as f64 / (1 << 20) as f64,
        history as f64 / (1 << 20) as f64,
    );
    let as_of: NaiveDate = AS_OF.parse().unwrap_or(NaiveDate::MIN);
    // A manager two layers below the CTO: about a seventh of a seventh.
    let mid = PersonId(1 + SPAN + 1);
    let period = Period::new(as_of - Days::new(365), as_of).unwrap_or_else(|e| panic!("{e}"));
    for (name, under) in [("company", None), ("below-a-director", Some(mid))] {
        let scope = Scope {
            under,
            stream: None,
            as_of,
        };
        let population =
            || Population::new(framework, &org, scope.clone()).unwrap_or_else(|e| panic!("{e}"));
        let mut group = c.benchmark_group(format!("insights/{name}"));
        group.sample_size(10);
        group.bench_function("scope", |b| {
            b.iter(|| black_box(population().people().len()))
        });
        group.bench_function("pyramid", |b| b.iter(|| black_box(pyramid(&population()))));
        group.bench_function("time_in_role", |b| {
            b.iter(|| black_box(time_in_role(&population(), Privacy::Full)))
        });
        let flow_scope = Scope {
            as_of: period.last_day(),
            ..scope.clone()
        };
        group.bench_function("flow", |b| {
            b.iter(|| {
                let population = Population::new(framework, &org, flow_scope.clone())
                    .unwrap_or_else(|e| panic!("{e}"));
                black_box(flow(&population, period, Privacy::Full))
            })
        });
        group.bench_function("span", |b| {
            b.iter(|| black_box(span(&population(), DEFAULT_SPAN_THRESHOLD, Privacy::Full)))
        });
        group.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
