//! The invariants fuzzing holds the CSV reader and the import validation
//! to, in one function that the cargo-fuzz target `csv_import` and the
//! corpus replay test both call, so the corpus checked in CI is judged
//! exactly as the fuzzer judges it.

use std::collections::BTreeSet;

use chrono::NaiveDate;
use climb_framework::{Framework, RoleId};
use climb_people::{Email, Status};

use crate::error::HrisError;
use crate::progress::NoProgress;
use crate::read::{read_plan, read_raw};
use crate::row::ExistingPerson;
use crate::validate::{Existing, ImportPlan};
use crate::write::write_rows;

/// An invariant of reading and validating a CSV file that an input broke.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Broken {
    /// Reading failed for another reason than the header, although the
    /// input is in memory and every row problem is a row error.
    #[error("reading failed outside the header: {0}")]
    Unexpected(HrisError),
    /// The validated reading and the raw one disagree on the file.
    #[error("read_plan says {plan}, read_raw says {raw}")]
    Disagree {
        /// What the validated reading found.
        plan: String,
        /// What the raw reading found.
        raw: String,
    },
    /// An error or warning names a row or line the file does not have, or
    /// comes out of order.
    #[error("{what} is not a place in a file of {rows} row(s) and {lines} line(s)")]
    BadPlace {
        /// The error or warning.
        what: String,
        /// Data rows read.
        rows: u64,
        /// Physical lines in the input.
        lines: u64,
    },
    /// Accepted and rejected rows do not add up to the rows read.
    #[error("{accepted} accepted and {rejected} rejected of {read} rows read")]
    Count {
        /// Rows accepted.
        accepted: usize,
        /// Distinct rows with an error.
        rejected: usize,
        /// Rows read.
        read: u64,
    },
    /// A warning names a row that was not accepted, or someone not already
    /// stored.
    #[error("warning on a row that is not an accepted re-import row: {0}")]
    StrayWarning(String),
    /// Writing the accepted rows and reading them back changed them.
    #[error("the accepted rows do not survive a write and a read: {0}")]
    RoundTrip(String),
}

/// Reads `data` as a people CSV twice, as a first import and as a
/// re-import over a few stored people, against the built-in framework;
/// then checks that every problem has a row and a line of the file, that
/// rows add up, that warnings only concern accepted re-import rows, and
/// that the accepted rows of the first import write and read back
/// unchanged. A panic is not caught: the caller (libFuzzer or the test
/// harness) reports it.
pub fn csv_import(data: &[u8]) -> Result<(), Broken> {
    let framework = climb_framework::builtin();
    // A line ends at `\r\n`, `\n` or a lone `\r`, as the reader counts them.
    let line_ends = data
        .iter()
        .enumerate()
        .filter(|&(i, &b)| b == b'\r' || (b == b'\n' && (i == 0 || data[i - 1] != b'\r')))
        .count();
    let lines = 1 + line_ends as u64;
    let raw = read_raw(data);
    let first = plan(framework, &Existing::new(), data)?;
    match (&first, &raw) {
        (None, Err(_)) => return Ok(()),
        (Some(plan), Ok(rows)) if plan.rows_read == rows.len() as u64 => {}
        (plan, raw) => {
            return Err(Broken::Disagree {
                plan: plan
                    .as_ref()
                    .map_or("unreadable".to_owned(), |p| format!("{} rows", p.rows_read)),
                raw: raw
                    .as_ref()
                    .map_or_else(ToString::to_string, |r| format!("{} rows", r.len())),
            });
        }
    }
    let Some(first) = first else {
        return Ok(());
    };
    holds_together(&first, lines)?;
    if !first.warnings.is_empty() {
        return Err(Broken::StrayWarning(first.warnings[0].to_string()));
    }
    round_trip(framework, &first)?;

    let stored = stored_people();
    if let Some(again) = plan(framework, &stored, data)? {
        holds_together(&again, lines)?;
        let accepted: BTreeSet<&str> = again.rows.iter().map(|r| r.email.as_str()).collect();
        for warning in &again.warnings {
            let known = Email::parse(&warning.email)
                .ok()
                .is_some_and(|e| stored.get(&e).is_some());
            if !known || !accepted.contains(warning.email.as_str()) {
                return Err(Broken::StrayWarning(warning.to_string()));
            }
        }
    }
    Ok(())
}

/// The plan, `None` for a file refused as a whole (its header).
fn plan(
    framework: &Framework,
    existing: &Existing,
    data: &[u8],
) -> Result<Option<ImportPlan>, Broken> {
    match read_plan(
        framework,
        existing,
        data,
        Some(data.len() as u64),
        &NoProgress,
    ) {
        Ok(plan) => Ok(Some(plan)),
        Err(
            HrisError::MissingHeader
            | HrisError::UnknownColumn { .. }
            | HrisError::DuplicateColumn { .. }
            | HrisError::MissingEmailColumn,
        ) => Ok(None),
        Err(other) => Err(Broken::Unexpected(other)),
    }
}

/// Rows and lines in range and in order; accepted plus rejected rows make
/// the rows read.
fn holds_together(plan: &ImportPlan, lines: u64) -> Result<(), Broken> {
    let places = plan
        .errors
        .iter()
        .map(|e| (e.row, e.line, e.to_string()))
        .chain(plan.warnings.iter().map(|w| (w.row, w.line, w.to_string())));
    let mut previous = (0, 0);
    let mut previous_warning = (0, 0);
    for (index, (row, line, what)) in places.enumerate() {
        let last = if index < plan.errors.len() {
            &mut previous
        } else {
            &mut previous_warning
        };
        if row == 0 || row > plan.rows_read || line == 0 || line > lines || (row, line) < *last {
            return Err(Broken::BadPlace {
                what,
                rows: plan.rows_read,
                lines,
            });
        }
        *last = (row, line);
    }
    let rejected: BTreeSet<u64> = plan.errors.iter().map(|e| e.row).collect();
    if plan.rows.len() as u64 + rejected.len() as u64 != plan.rows_read {
        return Err(Broken::Count {
            accepted: plan.rows.len(),
            rejected: rejected.len(),
            read: plan.rows_read,
        });
    }
    Ok(())
}

/// Writes the accepted rows as export does and validates them again.
fn round_trip(framework: &Framework, plan: &ImportPlan) -> Result<(), Broken> {
    let mut written = Vec::new();
    write_rows(&mut written, &plan.rows).map_err(|e| Broken::RoundTrip(e.to_string()))?;
    let again = read_plan(
        framework,
        &Existing::new(),
        written.as_slice(),
        None,
        &NoProgress,
    )
    .map_err(|e| Broken::RoundTrip(e.to_string()))?;
    if let Some(error) = again.errors.first() {
        return Err(Broken::RoundTrip(error.to_string()));
    }
    if again.rows != plan.rows {
        return Err(Broken::RoundTrip(format!(
            "{} rows written, {} read back differently",
            plan.rows.len(),
            again
                .rows
                .iter()
                .zip(&plan.rows)
                .filter(|(a, b)| a != b)
                .count()
                + again.rows.len().abs_diff(plan.rows.len())
        )));
    }
    Ok(())
}

/// The people a re-import in the fuzz corpus meets: an engineering manager
/// with a report, an individual contributor, and someone who left.
fn stored_people() -> Existing {
    let date = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default();
    let person = |email: &str, role: &str, manager: Option<&str>, status: Status| {
        Some((
            Email::parse(email).ok()?,
            ExistingPerson {
                role: RoleId::parse(role).ok()?,
                manager_email: manager.and_then(|m| Email::parse(m).ok()),
                status,
                start_date: date(2020, 1, 6),
                end_date: (status == Status::Left).then(|| date(2023, 6, 30)),
            },
        ))
    };
    [
        person(
            "em@example.com",
            "engineering-manager",
            None,
            Status::Active,
        ),
        person(
            "ada@example.com",
            "software-engineer",
            Some("em@example.com"),
            Status::Active,
        ),
        person(
            "old@example.com",
            "senior-software-engineer",
            None,
            Status::Left,
        ),
    ]
    .into_iter()
    .flatten()
    .collect()
}
