//! `climb check`: validate framework files and print rustc-style
//! diagnostics, or JSON with `--format json`.

use std::io::Write;
use std::process::ExitCode;

use anyhow::Context;
use climb_framework::{BUILTIN_NAME, BUILTIN_SOURCE, CheckReport, diagnostic};

use crate::args::{CheckArgs, Format, GlobalArgs};
use crate::output::{self, EXIT_FAILURE, EXIT_OK};

pub(crate) fn run(_global: &GlobalArgs, args: &CheckArgs) -> anyhow::Result<ExitCode> {
    let mut checked: Vec<(String, CheckReport)> = Vec::new();
    if args.files.is_empty() {
        checked.push((
            BUILTIN_NAME.to_owned(),
            climb_framework::check(BUILTIN_SOURCE.as_bytes()),
        ));
    }
    for path in &args.files {
        let bytes =
            std::fs::read(path).with_context(|| format!("cannot read `{}`", path.display()))?;
        checked.push((path.display().to_string(), climb_framework::check(&bytes)));
    }

    let errors: usize = checked.iter().map(|(_, r)| r.error_count()).sum();
    let warnings: usize = checked.iter().map(|(_, r)| r.warning_count()).sum();
    let failed = errors > 0 || (args.deny_warnings && warnings > 0);

    match args.format {
        Format::Json => {
            let files: Vec<_> = checked
                .iter()
                .map(|(name, report)| diagnostic::render_json(report, name))
                .collect();
            output::print_json(&serde_json::json!({
                "files": files,
                "errors": errors,
                "warnings": warnings,
                "ok": !failed,
            }))?;
        }
        Format::Text => {
            let color = output::stderr_color();
            let mut stderr = anstream::stderr();
            for (name, report) in &checked {
                write!(stderr, "{}", diagnostic::render_text(report, name, color))?;
            }
            let summary = summary_line(checked.len(), errors, warnings);
            let style = if failed {
                output::ERROR
            } else {
                output::HEADING
            };
            writeln!(stderr, "{style}{summary}{style:#}")?;
        }
    }
    Ok(ExitCode::from(if failed { EXIT_FAILURE } else { EXIT_OK }))
}

fn summary_line(files: usize, errors: usize, warnings: usize) -> String {
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    format!(
        "checked {}: {}, {}",
        plural(files, "file"),
        plural(errors, "error"),
        plural(warnings, "warning")
    )
}
