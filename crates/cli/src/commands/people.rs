//! `climb import FILE` and `climb export`: HRIS-style CSV in and out of the
//! store. An import is validated whole before anything is written.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::process::ExitCode;

use anyhow::Context;
use climb_hris::{HrisError, ImportOptions};
use climb_store::Store;

use crate::args::{ExportArgs, GlobalArgs, ImportArgs};
use crate::commands::serve::{db_url, runtime};
use crate::framework_source;
use crate::output::{ERROR, EXIT_FAILURE, EXIT_OK, HEADING, Reported};

pub(crate) fn import(global: &GlobalArgs, args: &ImportArgs) -> anyhow::Result<ExitCode> {
    let framework = framework_source::selected(global)?;
    let url = db_url(global);
    runtime()?.block_on(async {
        let store = Store::open(&url).await.context("cannot open the database")?;
        let progress = climb_hris::terminal_progress();
        let options = ImportOptions {
            skip_invalid: args.skip_invalid,
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
                writeln!(
                    stderr,
                    "{HEADING}imported {} of {} rows{HEADING:#}: {} created, {} updated, {} unchanged{}",
                    report.imported,
                    report.rows_read,
                    report.summary.created,
                    report.summary.updated,
                    report.summary.unchanged,
                    if report.skipped.is_empty() {
                        String::new()
                    } else {
                        format!(", {} skipped", report.skipped.len())
                    }
                )?;
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
                Err(Reported(EXIT_FAILURE).into())
            }
            Err(error) => Err(anyhow::Error::new(error)
                .context(format!("cannot import `{}`", args.file.display()))),
        }
    })
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
