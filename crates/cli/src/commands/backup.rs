//! `climb backup -o FILE` and `climb restore FILE`: a consistent copy of
//! the database taken while it serves, and its return into an empty one,
//! with the restored audit chain verified against the backup's head.

use std::io::Write;
use std::process::ExitCode;

use anyhow::Context;
use climb_store::{BackupSummary, Store};

use crate::args::{BackupArgs, GlobalArgs, RestoreArgs};
use crate::commands::serve::{db_url, runtime};
use crate::output::{ERROR, EXIT_FAILURE, EXIT_OK, HEADING, Reported, print_json};

pub(crate) fn backup(global: &GlobalArgs, args: &BackupArgs) -> anyhow::Result<ExitCode> {
    let url = db_url(global);
    let summary = runtime()?.block_on(async {
        let store = Store::open(&url)
            .await
            .context("cannot open the database")?;
        let summary = store.backup(&url, &args.output).await;
        store.close_before_exit().await;
        summary.with_context(|| format!("cannot back up to `{}`", args.output.display()))
    })?;
    if args.json {
        print_json(&summary)?;
    } else {
        let mut stderr = anstream::stderr();
        writeln!(
            stderr,
            "{HEADING}backed up to `{}`{HEADING:#}: {}",
            args.output.display(),
            describe(&summary)
        )?;
        if let Some(head) = &summary.head {
            // On stdout alone, so it can go straight into a checkpoint file.
            println!("{head}");
        }
    }
    Ok(ExitCode::from(EXIT_OK))
}

pub(crate) fn restore(global: &GlobalArgs, args: &RestoreArgs) -> anyhow::Result<ExitCode> {
    let url = db_url(global);
    runtime()?.block_on(async {
        let summary = climb_store::restore(&args.file, &url)
            .await
            .with_context(|| format!("cannot restore `{}`", args.file.display()))?;
        // Opening migrates a copy from an older climb forward.
        let store = Store::open(&url)
            .await
            .context("the backup was restored but the database cannot be opened")?;
        let checkpoints: Vec<_> = summary.head.iter().cloned().collect();
        let verification = store.verify_audit(&checkpoints).await;
        store.close_before_exit().await;
        let verification = verification.context("cannot read the restored audit log")?;
        if args.json {
            print_json(&serde_json::json!({ "backup": summary, "verification": verification }))?;
        }
        let mut stderr = anstream::stderr();
        if let Some(first) = verification.findings.first() {
            writeln!(
                stderr,
                "{ERROR}restored, but the audit log does not verify{ERROR:#}: {first}"
            )?;
            return Err(Reported(EXIT_FAILURE).into());
        }
        if !args.json {
            writeln!(
                stderr,
                "{HEADING}restored `{}`{HEADING:#}: {}; audit log intact",
                args.file.display(),
                describe(&summary)
            )?;
        }
        Ok(ExitCode::from(EXIT_OK))
    })
}

fn describe(summary: &BackupSummary) -> String {
    format!(
        "{} people, {} audit events, schema {} ({})",
        summary.people, summary.audit_events, summary.schema, summary.backend
    )
}
