//! Times each phase of a demo-company import into a fresh SQLite file:
//! generate, write CSV, read and validate, store write, export.
//! `cargo run --release -p climb-hris --example import_timing -- 1000000 DIR`

use std::time::Instant;

use climb_hris::demo::{generate, write_demo_csv};
use climb_hris::{Existing, ImportOptions, NoProgress, export, import_file, read_plan};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let people: usize = args.next().map_or(Ok(100_000), |a| a.parse())?;
    let dir = std::path::PathBuf::from(args.next().unwrap_or_else(|| ".".to_owned()));
    let framework = climb_framework::builtin();

    let t = Instant::now();
    let company = generate(framework, people, 1);
    println!("generate      {:>8.2} s", t.elapsed().as_secs_f64());
    let csv_path = dir.join(format!("company-{people}.csv"));
    let t = Instant::now();
    write_demo_csv(
        &company,
        std::io::BufWriter::new(std::fs::File::create(&csv_path)?),
    )?;
    println!("write csv     {:>8.2} s", t.elapsed().as_secs_f64());
    drop(company);

    let t = Instant::now();
    let file = std::io::BufReader::new(std::fs::File::open(&csv_path)?);
    let plan = read_plan(framework, &Existing::new(), file, None, &NoProgress)?;
    println!(
        "validate      {:>8.2} s ({} rows, {} errors)",
        t.elapsed().as_secs_f64(),
        plan.rows.len(),
        plan.errors.len()
    );
    drop(plan);

    let db = dir.join(format!("timing-{people}.db"));
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", db.display()));
    }
    let store = climb_store::Store::open(&format!("sqlite://{}", db.display())).await?;
    let t = Instant::now();
    let report = import_file(
        &store,
        framework,
        &csv_path,
        ImportOptions::default(),
        &NoProgress,
    )
    .await?;
    println!(
        "import        {:>8.2} s ({:?})",
        t.elapsed().as_secs_f64(),
        report.summary
    );
    let t = Instant::now();
    let report = import_file(
        &store,
        framework,
        &csv_path,
        ImportOptions::default(),
        &NoProgress,
    )
    .await?;
    println!(
        "re-import     {:>8.2} s ({:?})",
        t.elapsed().as_secs_f64(),
        report.summary
    );
    let t = Instant::now();
    let rows = export(
        &store,
        std::io::BufWriter::new(std::fs::File::create(dir.join("export.csv"))?),
        &NoProgress,
    )
    .await?;
    println!(
        "export        {:>8.2} s ({rows} rows)",
        t.elapsed().as_secs_f64()
    );
    Ok(())
}
