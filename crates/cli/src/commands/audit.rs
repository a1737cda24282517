//! `climb audit verify` and `climb audit checkpoint`: the audit log's hash
//! chain checked from the command line, on a running server's database.

use std::io::Write;
use std::process::ExitCode;

use anyhow::{Context, bail};
use climb_store::{AuditVerification, Checkpoint, Store};

use crate::args::{AuditArgs, AuditCommand, AuditVerifyArgs, GlobalArgs};
use crate::commands::serve::{db_url, runtime};
use crate::output::{ERROR, EXIT_FAILURE, EXIT_OK, HEADING, print_json};

pub(crate) fn run(global: &GlobalArgs, args: &AuditArgs) -> anyhow::Result<ExitCode> {
    let checkpoints = match &args.command {
        AuditCommand::Verify(verify) => read_checkpoints(verify)?,
        AuditCommand::Checkpoint => Vec::new(),
    };
    let url = db_url(global);
    let verification = runtime()?.block_on(async {
        let store = Store::open(&url)
            .await
            .context("cannot open the database")?;
        let verification = store.verify_audit(&checkpoints).await;
        store.close_before_exit().await;
        verification.context("cannot read the audit log")
    })?;
    match &args.command {
        AuditCommand::Verify(verify) => report(&verification, verify.json),
        AuditCommand::Checkpoint => checkpoint(&verification),
    }
}

/// Reads a checkpoint file; every non-empty line must be a checkpoint.
fn read_checkpoints(args: &AuditVerifyArgs) -> anyhow::Result<Vec<Checkpoint>> {
    let Some(path) = &args.checkpoints else {
        return Ok(Vec::new());
    };
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read `{}`", path.display()))?;
    text.lines()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty() && !line.trim_start().starts_with('#'))
        .map(|(n, line)| {
            Checkpoint::parse(line).with_context(|| {
                format!(
                    "{}:{}: not a checkpoint (expected a line printed by `climb audit checkpoint`)",
                    path.display(),
                    n + 1
                )
            })
        })
        .collect()
}

fn report(verification: &AuditVerification, json: bool) -> anyhow::Result<ExitCode> {
    let status = if verification.is_intact() {
        EXIT_OK
    } else {
        EXIT_FAILURE
    };
    if json {
        print_json(verification)?;
        return Ok(ExitCode::from(status));
    }
    let mut stdout = anstream::stdout();
    match verification.findings.split_first() {
        None => {
            writeln!(
                stdout,
                "{HEADING}audit log intact{HEADING:#}: {} events, {} erased, {} checkpoint(s) matched",
                verification.events, verification.erased, verification.checkpoints
            )?;
            if let Some(head) = &verification.head {
                writeln!(stdout, "{head}")?;
            }
        }
        Some((first, rest)) => {
            writeln!(stdout, "{ERROR}audit log tampered{ERROR:#}: {first}")?;
            for finding in rest.iter().take(20) {
                writeln!(stdout, "  then: {finding}")?;
            }
            if rest.len() > 20 {
                writeln!(stdout, "  and {} more", rest.len() - 20)?;
            }
            writeln!(
                stdout,
                "{} of {} events affected; restore from a backup taken before event {}",
                verification.findings.len(),
                verification.events,
                first.seq
            )?;
        }
    }
    Ok(ExitCode::from(status))
}

fn checkpoint(verification: &AuditVerification) -> anyhow::Result<ExitCode> {
    if let Some(first) = verification.findings.first() {
        bail!("no checkpoint taken: the audit log is already tampered ({first})");
    }
    let Some(head) = &verification.head else {
        bail!("no checkpoint taken: the audit log is empty");
    };
    println!("{head}");
    Ok(ExitCode::from(EXIT_OK))
}
