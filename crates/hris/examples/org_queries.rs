//! Org questions answered by the in-memory org index against the same
//! questions as recursive CTEs in SQLite and PostgreSQL, on the same
//! company, in the same run:
//!
//! 1. headcount by role below a mid-level manager,
//! 2. headcount by role below the CEO,
//! 3. the management chain of the deepest person.
//!
//! Every CTE answer is checked against the index's before it is timed, so the
//! ratios compare equal work. The index's heap memory is measured with a
//! counting allocator around a rebuild of the index.
//!
//! ```sh
//! cargo run --release -p climb-hris --example org_queries -- \
//!     company.csv sqlite://org.db [postgres://…/db]
//! ```
//!
//! A store that is empty gets the CSV imported first (timed); a store that
//! already holds people is used as it is, so runs can be repeated.

use std::alloc::System;
use std::collections::BTreeMap;
use std::error::Error;
use std::hint::black_box;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use cap::Cap;
use climb_hris::{ImportOptions, NoProgress, import_file};
use climb_people::org_index::Node;
use climb_people::{Email, Org, OrgIndex, PersonId};
use climb_store::{Backend, Store};

/// The system allocator, counting the bytes currently allocated.
#[global_allocator]
static ALLOCATOR: Cap<System> = Cap::new(System, usize::MAX);

/// Headcount below someone, role by role.
type Headcount = BTreeMap<String, i64>;

const HEADCOUNT_CTE: &str = "WITH RECURSIVE below (id, role) AS ( \
       SELECT id, role FROM people WHERE manager_id = $1 AND status = 'active' \
       UNION ALL \
       SELECT p.id, p.role FROM people p JOIN below b ON p.manager_id = b.id \
       WHERE p.status = 'active') \
     SELECT role, COUNT(*) FROM below GROUP BY role";

const CHAIN_CTE: &str = "WITH RECURSIVE chain (id, manager_id, depth) AS ( \
       SELECT id, manager_id, 0 FROM people WHERE id = $1 \
       UNION ALL \
       SELECT p.id, p.manager_id, c.depth + 1 FROM people p JOIN chain c ON p.id = c.manager_id) \
     SELECT id FROM chain WHERE depth > 0 ORDER BY depth";

/// The three people the questions are about, by email (ids may differ
/// between stores).
struct Subjects {
    mid: Email,
    ceo: Email,
    leaf: Email,
}

/// Median of a few timed runs of `f`, each run `batch` calls long.
fn median_time(runs: usize, batch: u32, mut f: impl FnMut()) -> Duration {
    f();
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let started = Instant::now();
            for _ in 0..batch {
                f();
            }
            started.elapsed() / batch
        })
        .collect();
    times.sort();
    times[times.len() / 2]
}

/// Picks the CEO (the root with the most people below), a mid-level manager
/// (the largest team at half the tree's depth) and the deepest person.
fn subjects(org: &Org) -> Result<Subjects, Box<dyn Error>> {
    let index = org.index();
    let order: Vec<PersonId> = index.pre_order().collect();
    let depth = |id: PersonId| index.depth(id).unwrap_or(0);
    let below = |id: PersonId| index.headcount_below(id).unwrap_or(0);
    let ceo = order
        .iter()
        .copied()
        .filter(|&id| depth(id) == 0)
        .max_by_key(|&id| below(id))
        .ok_or("the company is empty")?;
    let leaf = order
        .iter()
        .copied()
        .max_by_key(|&id| depth(id))
        .ok_or("the company is empty")?;
    let mid_depth = depth(leaf) / 2;
    let mid = order
        .iter()
        .copied()
        .filter(|&id| depth(id) == mid_depth && below(id) > 0)
        .max_by_key(|&id| below(id))
        .ok_or("nobody manages at half depth")?;
    let email = |id: PersonId| -> Result<Email, Box<dyn Error>> {
        Ok(org.person(id).ok_or("indexed but unknown")?.email.clone())
    };
    println!(
        "CEO: {} people below; mid-level manager: depth {mid_depth}, {} below; deepest: depth {}",
        below(ceo),
        below(mid),
        depth(leaf)
    );
    Ok(Subjects {
        mid: email(mid)?,
        ceo: email(ceo)?,
        leaf: email(leaf)?,
    })
}

fn id_of(org: &Org, email: &Email) -> Result<PersonId, Box<dyn Error>> {
    Ok(org
        .person_by_email(email)
        .ok_or_else(|| format!("{email} is not in the store"))?
        .id)
}

fn index_headcount(index: &OrgIndex, id: PersonId) -> Result<Headcount, Box<dyn Error>> {
    Ok(index
        .headcount_by_role(Some(id))
        .ok_or("not in the index")?
        .into_iter()
        .map(|(role, n)| (role.to_string(), i64::try_from(n).unwrap_or(i64::MAX)))
        .collect())
}

/// Times of one question: the index, then each store's CTE.
struct Row {
    question: &'static str,
    index: Duration,
    ctes: Vec<(Backend, Duration)>,
}

fn millis(d: Duration) -> String {
    let ms = d.as_secs_f64() * 1e3;
    if ms < 0.01 {
        format!("{:.2} µs", ms * 1e3)
    } else {
        format!("{ms:.2} ms")
    }
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn Error>> {
    let mut args = std::env::args().skip(1);
    let csv = PathBuf::from(args.next().ok_or("usage: org_queries FILE.csv URL [URL]")?);
    let urls: Vec<String> = args.collect();
    if urls.is_empty() {
        return Err("give at least one database URL".into());
    }
    let framework = climb_framework::builtin();

    let mut stores = Vec::new();
    for url in &urls {
        let started = Instant::now();
        let store = Store::open(url).await?;
        let people = store.org().await?.people_count();
        println!(
            "{}: opened with {people} people in {:.2} s",
            store.backend().as_str(),
            started.elapsed().as_secs_f64()
        );
        if people == 0 {
            let started = Instant::now();
            let report = import_file(
                &store,
                framework,
                &csv,
                ImportOptions::default(),
                &NoProgress,
            )
            .await?;
            let took = started.elapsed().as_secs_f64();
            println!(
                "{}: imported {} rows in {took:.2} s ({:.0} rows/s)",
                store.backend().as_str(),
                report.imported,
                report.imported as f64 / took
            );
        }
        // Fresh statistics: the CTE gets the planner's best chance.
        sqlx::query("ANALYZE").execute(store.pool()).await?;
        stores.push(store);
    }

    let (subjects, total) = {
        let org = stores[0].org().await?;
        (subjects(&org)?, org.index().len())
    };
    println!("{total} active people");

    let questions: [(&'static str, &Email); 3] = [
        ("headcount by role below a mid-level manager", &subjects.mid),
        ("headcount by role below the CEO", &subjects.ceo),
        ("management chain of the deepest person", &subjects.leaf),
    ];
    let mut rows = Vec::new();
    for (n, (question, email)) in questions.into_iter().enumerate() {
        let is_chain = n == 2;
        let org = stores[0].org_cached().await;
        let index = org.index();
        let id = id_of(&org, email)?;
        let index_time = if is_chain {
            median_time(11, 10_000, || {
                black_box(index.chain(black_box(id)));
            })
        } else {
            median_time(11, 10_000, || {
                black_box(index.headcount_by_role(black_box(Some(id))));
            })
        };
        let expected_headcount = index_headcount(index, id)?;
        let expected_chain: Vec<String> = index
            .chain(id)
            .ok_or("not in the index")?
            .into_iter()
            .map(|m| {
                org.person(m)
                    .map(|p| p.email.to_string())
                    .unwrap_or_default()
            })
            .collect();
        drop(org);

        let mut ctes = Vec::new();
        for store in &stores {
            let org = store.org_cached().await;
            let id = id_of(&org, email)?;
            let email_of = |m: i64| {
                org.person(PersonId(m))
                    .map(|p| p.email.to_string())
                    .unwrap_or_default()
            };
            let mut conn = store.pool().acquire().await?;
            // Checked first: the same answer, or no figure at all.
            if is_chain {
                let ids: Vec<i64> = sqlx::query_scalar(CHAIN_CTE)
                    .bind(id.0)
                    .fetch_all(&mut *conn)
                    .await?;
                let chain: Vec<String> = ids.into_iter().map(email_of).collect();
                assert_eq!(
                    chain, expected_chain,
                    "{question}: the CTE and the index disagree"
                );
            } else {
                let counts: Vec<(String, i64)> = sqlx::query_as(HEADCOUNT_CTE)
                    .bind(id.0)
                    .fetch_all(&mut *conn)
                    .await?;
                let counts: Headcount = counts.into_iter().collect();
                assert_eq!(
                    counts, expected_headcount,
                    "{question}: the CTE and the index disagree"
                );
            }
            let mut times = Vec::new();
            for _ in 0..5 {
                let started = Instant::now();
                if is_chain {
                    let ids: Vec<i64> = sqlx::query_scalar(CHAIN_CTE)
                        .bind(id.0)
                        .fetch_all(&mut *conn)
                        .await?;
                    black_box(ids);
                } else {
                    let counts: Vec<(String, i64)> = sqlx::query_as(HEADCOUNT_CTE)
                        .bind(id.0)
                        .fetch_all(&mut *conn)
                        .await?;
                    black_box(counts);
                }
                times.push(started.elapsed());
            }
            times.sort();
            ctes.push((store.backend(), times[times.len() / 2]));
        }
        rows.push(Row {
            question,
            index: index_time,
            ctes,
        });
    }

    println!();
    println!("| question | people | index | recursive CTE | CTE / index |");
    println!("| --- | --- | --- | --- | --- |");
    for row in &rows {
        for (backend, cte) in &row.ctes {
            println!(
                "| {} | {total} | {} | {}: {} | {:.0}× |",
                row.question,
                millis(row.index),
                backend.as_str(),
                millis(*cte),
                cte.as_secs_f64() / row.index.as_secs_f64()
            );
        }
    }

    // The index's memory: the heap a rebuild keeps, measured by the allocator.
    let org = stores[0].org_cached().await;
    let nodes: Vec<Node<'_>> = org
        .people()
        .filter(|p| p.is_active())
        .map(|p| Node {
            id: p.id,
            manager: p.manager,
            role: &p.role,
        })
        .collect();
    let before = ALLOCATOR.allocated();
    let started = Instant::now();
    let rebuilt = OrgIndex::build(nodes.iter().copied());
    let build_time = started.elapsed();
    let kept = ALLOCATOR.allocated().saturating_sub(before);
    println!();
    println!(
        "org index of {} people: {:.1} MiB held (counted by the allocator), \
         {:.1} MiB by its own accounting, built in {:.0} ms",
        rebuilt.len(),
        kept as f64 / (1 << 20) as f64,
        rebuilt.memory_bytes() as f64 / (1 << 20) as f64,
        build_time.as_secs_f64() * 1e3
    );
    Ok(())
}
