//! Times opening a review cycle for a whole generated company in the store
//! (one transaction: every review row and the audit event), reading the
//! cycle back, and computing every growth plan from the stored reviews.
//! `cargo run --release -p climb-hris --example review_timing -- 100000 DIR [postgres://…]`
//! (without a PostgreSQL URL: a fresh SQLite file in DIR).

use std::time::Instant;

use chrono::NaiveDate;
use climb_hris::demo::{generate, write_demo_csv};
use climb_hris::{ImportOptions, NoProgress, import_file};
use climb_management::growth::{growth_plan, latest_assessment};
use climb_management::review::{NewCycle, Scope};
use climb_people::Actor;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let people: usize = args.next().map_or(Ok(100_000), |a| a.parse())?;
    let dir = std::path::PathBuf::from(args.next().unwrap_or_else(|| ".".to_owned()));
    let url = match args.next() {
        Some(url) => url,
        None => {
            let db = dir.join(format!("reviews-{people}.db"));
            for suffix in ["", "-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{}{suffix}", db.display()));
            }
            format!("sqlite://{}", db.display())
        }
    };
    let framework = climb_framework::builtin();

    let csv_path = dir.join(format!("reviews-company-{people}.csv"));
    write_demo_csv(
        &generate(framework, people, 1),
        std::io::BufWriter::new(std::fs::File::create(&csv_path)?),
    )?;
    let store = climb_store::Store::open(&url).await?;
    import_file(
        &store,
        framework,
        &csv_path,
        ImportOptions::default(),
        &NoProgress,
    )
    .await?;
    let active = store
        .org()
        .await?
        .people()
        .filter(|p| p.is_active())
        .count();
    println!(
        "backend       {:?}, {active} active people",
        store.backend()
    );

    let date = |raw: &str| raw.parse::<NaiveDate>();
    let t = Instant::now();
    let (cycle, reviews) = store
        .open_review_cycle(
            framework,
            Actor::admin(None),
            NewCycle {
                name: "timing".to_owned(),
                period_start: date("2026-01-01")?,
                period_end: date("2026-06-30")?,
                scope: Scope::Everyone,
                hold_until_released: false,
            },
        )
        .await?;
    println!(
        "open cycle    {:>8.2} s ({reviews} reviews, one transaction)",
        t.elapsed().as_secs_f64()
    );

    let t = Instant::now();
    let stored = store.cycle_reviews(cycle.id).await?;
    println!(
        "read reviews  {:>8.2} s ({} rows)",
        t.elapsed().as_secs_f64(),
        stored.len()
    );

    let t = Instant::now();
    let org = store.org().await?;
    let mut steps = 0;
    for review in &stored {
        let Some(person) = org.person(review.person) else {
            continue;
        };
        let latest = latest_assessment([(review, cycle.period_end)]);
        steps += growth_plan(framework, review.person, &person.role, latest.as_ref())
            .steps
            .len();
    }
    println!(
        "growth plans  {:>8.2} s ({steps} next steps)",
        t.elapsed().as_secs_f64()
    );
    Ok(())
}
