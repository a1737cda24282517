//! Benchmarks of the org index on generated companies of 100k and 1M people
//! (spans of control 3–12): headcount by role below a mid-level manager and
//! below the top, headcount below a person, the management chain, building,
//! and each structural change on its own: a hire, a leaving and a manager
//! change of a team of teams (each timed alone; the step that undoes it is
//! not timed).

use std::hint::black_box;
use std::time::{Duration, Instant};

use climb_framework::{Framework, RoleId};
use climb_people::{OrgIndex, PersonId, org_index::Node};
use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};

/// A small deterministic generator (xorshift64*), so runs are comparable.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// A company of `n` people, filled level by level: a CTO, VPs, directors,
/// then engineering managers; each manager has 3 to 12 reports. Above the
/// last management level nine reports in ten are managers (the rest staff
/// and principal engineers, architects); at the last level all are
/// engineers, so the tree is as deep as spans of that size make it.
struct Company {
    people: Vec<(PersonId, Option<PersonId>, usize)>,
    roles: Vec<RoleId>,
    /// An engineering manager halfway down, with a team of teams.
    mid: PersonId,
    /// Another manager at the same level, to move teams between.
    other_mid: PersonId,
    /// The deepest person generated.
    deepest: PersonId,
}

fn role(id: &str) -> RoleId {
    RoleId::parse(id).unwrap_or_else(|e| panic!("{e}"))
}

fn company(n: usize) -> Company {
    let roles: Vec<RoleId> = [
        "cto",
        "vp-engineering",
        "director-of-engineering",
        "engineering-manager",
        "associate-software-engineer",
        "software-engineer",
        "senior-software-engineer",
        "staff-engineer",
        "principal-software-engineer",
        "architect",
        "senior-architect",
    ]
    .into_iter()
    .map(role)
    .collect();
    // Levels of management such that 6.75^levels (mean span 7.5, nine in
    // ten managers) reaches n.
    let levels = ((n as f64).ln() / 6.75f64.ln()).ceil() as usize;
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut people = vec![(PersonId(1), None, 0usize)];
    let mut depth = vec![0usize];
    let mut queue = std::collections::VecDeque::from([0usize]);
    while people.len() < n {
        let Some(manager) = queue.pop_front() else {
            break;
        };
        let span = 3 + rng.below(10) as usize;
        let d = depth[manager] + 1;
        for _ in 0..span {
            if people.len() >= n {
                break;
            }
            let is_manager = d < levels && rng.below(10) != 0;
            let role = match (is_manager, d) {
                (true, 1) => 1,
                (true, 2) => 2,
                (true, _) => 3,
                (false, _) if d < levels => 7 + rng.below(4) as usize,
                (false, _) => 4 + rng.below(7) as usize,
            };
            let id = PersonId(people.len() as i64 + 1);
            people.push((id, Some(people[manager].0), role));
            depth.push(d);
            if is_manager {
                queue.push_back(people.len() - 1);
            }
        }
    }
    let mid_level = (levels / 2).max(1);
    let mids: Vec<PersonId> = (0..people.len())
        .filter(|&i| depth[i] == mid_level && people[i].2 <= 3)
        .map(|i| people[i].0)
        .collect();
    let mid = mids.first().copied().unwrap_or(PersonId(1));
    let other_mid = mids.last().copied().unwrap_or(PersonId(1));
    let deepest = depth
        .iter()
        .enumerate()
        .max_by_key(|(_, d)| **d)
        .map_or(PersonId(1), |(i, _)| people[i].0);
    Company {
        people,
        roles,
        mid,
        other_mid,
        deepest,
    }
}

fn build(company: &Company) -> OrgIndex {
    OrgIndex::build(company.people.iter().map(|&(id, manager, role)| Node {
        id,
        manager,
        role: &company.roles[role],
    }))
}

fn org_index(c: &mut Criterion) {
    let framework: &Framework = climb_framework::builtin();
    for n in [100_000usize, 1_000_000] {
        let company = company(n);
        let mut index = build(&company);
        eprintln!(
            "{n} people: index {:.1} MiB ({} bytes/person); mid-level manager {} has {} below at depth {}; deepest at depth {}",
            index.memory_bytes() as f64 / (1024.0 * 1024.0),
            index.memory_bytes() / n,
            company.mid,
            index.headcount_below(company.mid).unwrap_or(0),
            index.depth(company.mid).unwrap_or(0),
            index.depth(company.deepest).unwrap_or(0),
        );
        let mut group = c.benchmark_group(format!("org_index/{n}"));
        group.sample_size(20);
        group.bench_function(BenchmarkId::new("summary_below", "top"), |b| {
            b.iter(|| black_box(index.summary(framework, None)));
        });
        group.bench_function(BenchmarkId::new("summary_below", "mid_manager"), |b| {
            b.iter(|| black_box(index.summary(framework, Some(company.mid))));
        });
        group.bench_function(BenchmarkId::new("headcount_by_role", "top"), |b| {
            b.iter(|| black_box(index.headcount_by_role(None)));
        });
        group.bench_function(BenchmarkId::new("headcount_by_role", "mid_manager"), |b| {
            b.iter(|| black_box(index.headcount_by_role(Some(company.mid))));
        });
        group.bench_function("chain_of_deepest", |b| {
            b.iter(|| black_box(index.chain(company.deepest)));
        });
        group.bench_function("is_below", |b| {
            b.iter(|| black_box(index.is_below(company.deepest, company.mid)));
        });
        group.bench_function("headcount_below_mid_manager", |b| {
            b.iter(|| black_box(index.headcount_below(black_box(company.mid))));
        });
        let newcomer = PersonId(n as i64 + 1);
        let engineer = role("software-engineer");
        group.bench_function("hire_under_mid_manager", |b| {
            b.iter_custom(|iters| {
                let mut spent = Duration::ZERO;
                for _ in 0..iters {
                    let started = Instant::now();
                    index.insert_leaf(newcomer, Some(company.mid), &engineer);
                    spent += started.elapsed();
                    black_box(index.remove_leaf(newcomer));
                }
                spent
            });
        });
        group.bench_function("leave_under_mid_manager", |b| {
            b.iter_custom(|iters| {
                let mut spent = Duration::ZERO;
                for _ in 0..iters {
                    index.insert_leaf(newcomer, Some(company.mid), &engineer);
                    let started = Instant::now();
                    black_box(index.remove_leaf(newcomer));
                    spent += started.elapsed();
                }
                spent
            });
        });
        // A manager change of someone with reports: a team of teams moves to
        // another manager (timed), then back (not timed).
        let team = index
            .direct_reports(company.mid)
            .and_then(|r| r.into_iter().max_by_key(|p| index.headcount_below(*p)))
            .unwrap_or(company.mid);
        let home = index.manager(team);
        eprintln!(
            "moving {} with {} below between {} and {}",
            team,
            index.headcount_below(team).unwrap_or(0),
            company.mid,
            company.other_mid
        );
        group.bench_function("move_team", |b| {
            b.iter_custom(|iters| {
                let mut spent = Duration::ZERO;
                for _ in 0..iters {
                    let started = Instant::now();
                    black_box(index.move_subtree(team, Some(company.other_mid)));
                    spent += started.elapsed();
                    index.move_subtree(team, home);
                }
                spent
            });
        });
        group.sample_size(10);
        group.bench_function("build", |b| b.iter(|| black_box(build(&company))));
        group.finish();
    }
}

criterion_group!(benches, org_index);
criterion_main!(benches);
