//! `climb import FILE` and `climb export`: HRIS-style CSV in and out of the
//! store. An import is validated whole before anything is written.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::process::ExitCode;

use anyhow::Context;
use climb_hris::{HrisError, ImportOptions, ImportReport, RowError, RowWarning};
use climb_store::{ImportSummary, Store};
use serde::Serialize;

use crate::args::{ExportArgs, GlobalArgs, ImportArgs};
use crate::commands::serve::{db_url, runtime};
use crate::framework_source;
use crate::output::{ERROR, EXIT_FAILURE, EXIT_OK, HEADING, Reported, WARNING, print_json};

pub(crate) fn import(global: &GlobalArgs, args: &ImportArgs) -> anyhow::Result<ExitCode> {
    let framework = framework_source::selected(global)?;
    let url = db_url(global);
    runtime()?.block_on(async {
        let store = Store::open(&url).await.context("cannot open the database")?;
        let progress = climb_hris::terminal_progress();
        let options = ImportOptions {
            skip_invalid: args.skip_invalid,
            strict: args.strict,
            ..ImportOptions::default()
        };
        let mut stderr = anstream::stderr();
        let result =
            climb_hris::import_file(&store, &framework, &args.file, options, progress.as_ref())
                .await;
        store.close_before_exit().await;
        match result {
            Ok(report) => {
                for skipped in &report.skipped {
                    writeln!(stderr, "skipped {skipped}")?;
                }
                for warning in &report.warnings {
                    writeln!(stderr, "{WARNING}warning{WARNING:#}: {warning}")?;
                }
                let mut counts = Vec::new();
                let skipped_rows = report
                    .skipped
                    .iter()
                    .map(|error| error.row)
                    .collect::<std::collections::BTreeSet<_>>()
                    .len();
                if skipped_rows > 0 {
                    counts.push(format!("{skipped_rows} skipped"));
                }
                if !report.warnings.is_empty() {
                    counts.push(plural(report.warnings.len(), "warning"));
                }
                writeln!(
                    stderr,
                    "{HEADING}imported {} of {} rows{HEADING:#}: {} created, {} updated, {} unchanged{}",
                    report.imported,
                    report.rows_read,
                    report.summary.created,
                    report.summary.updated,
                    report.summary.unchanged,
                    counts.iter().map(|c| format!(", {c}")).collect::<String>()
                )?;
                if args.json {
                    print_json(&ImportJson::done(&report))?;
                }
                if report.imported == 0 && skipped_rows > 0 {
                    writeln!(
                        stderr,
                        "{ERROR}every row of `{}` was skipped; nothing was imported{ERROR:#}",
                        args.file.display()
                    )?;
                    return Err(Reported(EXIT_FAILURE).into());
                }
                Ok(ExitCode::from(EXIT_OK))
            }
            Err(HrisError::InvalidRows(errors)) => {
                for error in &errors {
                    writeln!(stderr, "{ERROR}error{ERROR:#}: {error}")?;
                }
                writeln!(
                    stderr,
                    "{ERROR}{} invalid row(s) in `{}`; nothing was imported{ERROR:#} \
                     (fix them, or pass --skip-invalid to import the valid rows)",
                    errors.len(),
                    args.file.display()
                )?;
                if args.json {
                    print_json(&ImportJson::refused("invalid_rows", &errors, &[]))?;
                }
                Err(Reported(EXIT_FAILURE).into())
            }
            Err(HrisError::StrictRefused(warnings)) => {
                for warning in &warnings {
                    writeln!(stderr, "{ERROR}error{ERROR:#}: {warning}")?;
                }
                writeln!(
                    stderr,
                    "{ERROR}{} outside the framework in `{}`; --strict refuses the file, \
                     nothing was imported{ERROR:#} (import without --strict to record them \
                     as corrections)",
                    plural(warnings.len(), "role change"),
                    args.file.display()
                )?;
                if args.json {
                    print_json(&ImportJson::refused("strict", &[], &warnings))?;
                }
                Err(Reported(EXIT_FAILURE).into())
            }
            Err(error) => Err(anyhow::Error::new(error)
                .context(format!("cannot import `{}`", args.file.display()))),
        }
    })
}

/// `1 warning`, `2 warnings`.
fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("{n} {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// What `climb import --json` prints: the counts when the file was
/// imported, or why nothing was (`refused`), with every row named.
#[derive(Debug, Serialize)]
struct ImportJson {
    imported: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    refused: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    rows_read: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    rows_imported: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    summary: Option<ImportSummary>,
    skipped: Vec<RowJson>,
    errors: Vec<RowJson>,
    warnings: Vec<RowJson>,
}

/// One row named in the JSON output.
#[derive(Debug, Serialize)]
struct RowJson {
    row: u64,
    line: u64,
    email: Option<String>,
    code: &'static str,
    message: String,
}

impl RowJson {
    fn error(error: &RowError) -> Self {
        Self {
            row: error.row,
            line: error.line,
            email: error.email.clone(),
            code: error.code(),
            message: error.kind.to_string(),
        }
    }

    fn warning(warning: &RowWarning) -> Self {
        Self {
            row: warning.row,
            line: warning.line,
            email: Some(warning.email.clone()),
            code: warning.code(),
            message: warning.kind.to_string(),
        }
    }
}

impl ImportJson {
    fn done(report: &ImportReport) -> Self {
        Self {
            imported: true,
            refused: None,
            rows_read: Some(report.rows_read),
            rows_imported: Some(report.imported),
            summary: Some(report.summary),
            skipped: report.skipped.iter().map(RowJson::error).collect(),
            errors: Vec::new(),
            warnings: report.warnings.iter().map(RowJson::warning).collect(),
        }
    }

    fn refused(why: &'static str, errors: &[RowError], warnings: &[RowWarning]) -> Self {
        Self {
            imported: false,
            refused: Some(why),
            rows_read: None,
            rows_imported: None,
            summary: None,
            skipped: Vec::new(),
            errors: errors.iter().map(RowJson::error).collect(),
            warnings: warnings.iter().map(RowJson::warning).collect(),
        }
    }
}

pub(crate) fn export(global: &GlobalArgs, args: &ExportArgs) -> anyhow::Result<ExitCode> {
    let url = db_url(global);
    runtime()?.block_on(async {
        let store = Store::open(&url)
            .await
            .context("cannot open the database")?;
        let progress = climb_hris::terminal_progress();
        let rows = match &args.output {
            Some(path) => {
                let file = File::create(path)
                    .with_context(|| format!("cannot create `{}`", path.display()))?;
                let mut writer = BufWriter::new(file);
                let rows = climb_hris::export(&store, &mut writer, progress.as_ref()).await?;
                writer.flush()?;
                rows
            }
            None => {
                let stdout = std::io::stdout().lock();
                let mut writer = BufWriter::new(stdout);
                let rows = climb_hris::export(&store, &mut writer, progress.as_ref()).await?;
                writer.flush()?;
                rows
            }
        };
        if args.output.is_some() {
            eprintln!("exported {rows} people");
        }
        Ok(ExitCode::from(EXIT_OK))
    })
}
