//! `climb diff OLD NEW`: what changed between two framework versions.

use std::io::Write;
use std::process::ExitCode;

use anyhow::Context;
use climb_framework::diff::{self, FrameworkDiff};
use climb_store::{Affected, AffectedOutcome, Store};

use crate::args::{DiffArgs, GlobalArgs};
use crate::commands::serve::runtime;
use crate::framework_source;
use crate::output::{self, DIM, EXIT_OK, HEADING};

pub(crate) fn run(global: &GlobalArgs, args: &DiffArgs) -> anyhow::Result<ExitCode> {
    let old = framework_source::load_file(&args.old)?;
    let new = framework_source::load_file(&args.new)?;
    let changes = diff::diff(&old, &new);
    // People are looked up only when a database is named: a diff of two
    // files must not create a database as a side effect.
    let affected = match &global.db {
        Some(url) => Some(runtime()?.block_on(async {
            let store = Store::open(url).await.context("cannot open the database")?;
            anyhow::Ok(store.affected_by(&new).await?)
        })?),
        None => None,
    };
    if args.json {
        output::print_json(&serde_json::json!({
            "old": old.meta(),
            "new": new.meta(),
            "diff": changes,
            "affected": affected,
        }))?;
        return Ok(ExitCode::from(EXIT_OK));
    }
    let mut out = anstream::stdout();
    writeln!(
        out,
        "{HEADING}{} {}{HEADING:#} → {HEADING}{} {}{HEADING:#}",
        old.meta().name,
        old.meta().version,
        new.meta().name,
        new.meta().version
    )?;
    if changes.is_empty() {
        writeln!(out, "no changes to roles, transitions or expectations")?;
    } else {
        print_text(&mut out, &changes)?;
    }
    if let Some(affected) = affected {
        print_affected(&mut out, &affected)?;
    }
    Ok(ExitCode::from(EXIT_OK))
}

fn print_affected(out: &mut impl Write, affected: &[Affected]) -> std::io::Result<()> {
    writeln!(
        out,
        "\n{HEADING}People affected{HEADING:#} {DIM}({}){DIM:#}",
        affected.len()
    )?;
    if affected.is_empty() {
        writeln!(out, "  nobody holds a renamed or removed role")?;
    }
    let blocked = affected
        .iter()
        .filter(|a| matches!(a.outcome, AffectedOutcome::Removed))
        .count();
    for person in affected {
        let outcome = match &person.outcome {
            AffectedOutcome::Renamed { to } => format!("moves to {to}"),
            AffectedOutcome::Removed => "role removed: blocks the load".to_owned(),
        };
        writeln!(
            out,
            "  {} <{}>: {} → {outcome}",
            person.name, person.email, person.role
        )?;
    }
    if blocked > 0 {
        writeln!(
            out,
            "{blocked} person(s) hold a role the new version removes: move them, or add a \
             [[renames]] entry, before loading it"
        )?;
    }
    Ok(())
}

fn print_text(out: &mut impl Write, changes: &FrameworkDiff) -> std::io::Result<()> {
    let section = |out: &mut dyn Write, title: &str, lines: Vec<String>| -> std::io::Result<()> {
        if lines.is_empty() {
            return Ok(());
        }
        writeln!(
            out,
            "\n{HEADING}{title}{HEADING:#} {DIM}({}){DIM:#}",
            lines.len()
        )?;
        for line in lines {
            writeln!(out, "  {line}")?;
        }
        Ok(())
    };
    section(
        out,
        "Roles added",
        changes
            .roles_added
            .iter()
            .map(|r| format!("+ {r}"))
            .collect(),
    )?;
    section(
        out,
        "Roles removed",
        changes
            .roles_removed
            .iter()
            .map(|r| format!("- {r}"))
            .collect(),
    )?;
    section(
        out,
        "Roles renamed",
        changes
            .roles_renamed
            .iter()
            .map(|(from, to)| format!("~ {from} → {to}"))
            .collect(),
    )?;
    section(
        out,
        "Roles changed",
        changes
            .roles_changed
            .iter()
            .map(|c| format!("~ {} {}: {} → {}", c.role, c.field, c.before, c.after))
            .collect(),
    )?;
    section(
        out,
        "Transitions added",
        changes
            .transitions_added
            .iter()
            .map(|t| format!("+ {} → {} ({})", t.from, t.to, t.kind.as_str()))
            .collect(),
    )?;
    section(
        out,
        "Transitions removed",
        changes
            .transitions_removed
            .iter()
            .map(|t| format!("- {} → {} ({})", t.from, t.to, t.kind.as_str()))
            .collect(),
    )?;
    let level = |l: Option<u32>| l.map_or_else(|| "none".to_owned(), |l| l.to_string());
    section(
        out,
        "Expectations changed",
        changes
            .expectations_changed
            .iter()
            .map(|e| {
                format!(
                    "~ {} {}: {} → {}",
                    e.role,
                    e.competency,
                    level(e.before),
                    level(e.after)
                )
            })
            .collect(),
    )
}
