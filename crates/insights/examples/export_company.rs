//! Writes the analytics bench's generated company (`benches/support`) as
//! CSV, for the same questions asked of DuckDB (`bench/insights-duckdb.sh`):
//!
//! - `people.csv`: id, manager, start_date, end_date, active;
//! - `history.csv`: person, seq (0 for the hire, in history order),
//!   from_role, to_role, effective_date, reason;
//! - `roles.csv`: the built-in framework's roles (position, id, stream,
//!   seniority, hire_only);
//! - `transitions.csv`: its arrows (from_role, to_role, kind).
//!
//! `cargo run --release -p climb-insights --example export_company -- DIR`

#[path = "../benches/support/company.rs"]
mod company;

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

fn create(dir: &Path, name: &str) -> std::io::Result<BufWriter<File>> {
    Ok(BufWriter::with_capacity(
        1 << 20,
        File::create(dir.join(name))?,
    ))
}

fn main() -> std::io::Result<()> {
    let dir = PathBuf::from(std::env::args().nth(1).unwrap_or_else(|| ".".to_owned()));
    std::fs::create_dir_all(&dir)?;
    let framework = climb_framework::builtin();
    let org = company::company();
    let mut people: Vec<_> = org.people().collect();
    people.sort_unstable_by_key(|p| p.id);

    let mut out = create(&dir, "people.csv")?;
    writeln!(out, "id,manager,start_date,end_date,active")?;
    for p in &people {
        let manager = p.manager.map(|m| m.get().to_string()).unwrap_or_default();
        let end = p.end_date.map(|d| d.to_string()).unwrap_or_default();
        writeln!(
            out,
            "{},{manager},{},{end},{}",
            p.id.get(),
            p.start_date,
            p.is_active()
        )?;
    }
    out.flush()?;

    let mut out = create(&dir, "history.csv")?;
    writeln!(out, "person,seq,from_role,to_role,effective_date,reason")?;
    let mut entries = 0_usize;
    for p in &people {
        for (seq, change) in org.history(p.id).iter().enumerate() {
            let from = change.from.as_ref().map(|r| r.as_str()).unwrap_or_default();
            writeln!(
                out,
                "{},{seq},{from},{},{},{}",
                p.id.get(),
                change.to,
                change.effective_date,
                change.reason.as_str()
            )?;
            entries += 1;
        }
    }
    out.flush()?;

    let mut out = create(&dir, "roles.csv")?;
    writeln!(out, "position,id,stream,seniority,hire_only")?;
    for (i, role) in framework.roles().iter().enumerate() {
        writeln!(
            out,
            "{i},{},{},{},{}",
            role.id,
            role.stream,
            role.seniority.get(),
            role.hire_only
        )?;
    }
    out.flush()?;

    let mut out = create(&dir, "transitions.csv")?;
    writeln!(out, "from_role,to_role,kind")?;
    for t in framework.transitions() {
        let kind = match t.kind {
            climb_framework::TransitionKind::Promotion => "promotion",
            climb_framework::TransitionKind::Lateral => "lateral",
        };
        writeln!(out, "{},{},{kind}", t.from, t.to)?;
    }
    out.flush()?;

    println!(
        "{} people, {entries} role-history entries, as of {} -> {}",
        people.len(),
        company::AS_OF,
        dir.display()
    );
    if std::env::var_os("SHOW_ANSWERS").is_some() {
        answers(framework, &org);
    }
    Ok(())
}

/// climb's answers to the questions the DuckDB script asks, to compare.
fn answers(framework: &climb_framework::Framework, org: &climb_people::Org) {
    use climb_insights::analytics::{Period, Population, Privacy, Scope};
    let as_of: chrono::NaiveDate = company::AS_OF.parse().unwrap_or(chrono::NaiveDate::MIN);
    let scope = Scope {
        under: None,
        stream: None,
        as_of,
    };
    let Ok(population) = Population::new(framework, org, scope.clone()) else {
        return;
    };
    println!("\n== time in role (Kaplan–Meier median, days)");
    for role in climb_insights::time_in_role(&population, Privacy::Full).roles {
        let median = role.quantiles.shown().and_then(|q| q.median_days);
        println!("{} {median:?} ({} promotions)", role.role, role.promotions);
    }
    println!("\n== pyramid");
    for stream in climb_insights::pyramid(&population).streams {
        for cell in stream.roles.iter().filter(|c| c.headcount > 0) {
            println!(
                "{} {} {} {}",
                stream.stream, cell.seniority, cell.role, cell.headcount
            );
        }
    }
    let span = climb_insights::span(
        &population,
        climb_insights::DEFAULT_SPAN_THRESHOLD,
        Privacy::Full,
    );
    println!(
        "\n== span: {} people, {} managers, {} layers",
        span.people, span.managers, span.layers
    );
    let Ok(period) = Period::new(as_of - chrono::Days::new(365), as_of) else {
        return;
    };
    let scope = Scope {
        as_of: period.last_day(),
        ..scope
    };
    let Ok(population) = Population::new(framework, org, scope) else {
        return;
    };
    println!("\n== flow");
    for rate in climb_insights::flow(&population, period, Privacy::Full).rates {
        let rate_of = |f: &climb_insights::Figure<climb_insights::analytics::YearRate>| {
            f.shown().map_or(0.0, |r| r.rate)
        };
        println!(
            "{} {} {} {} {} {}",
            rate.year,
            rate.role,
            rate.held,
            rate_of(&rate.promotion),
            rate_of(&rate.lateral),
            rate_of(&rate.leaving)
        );
    }
}
