//! `climb fmt [--check] FILE…`: rewrites framework files in the canonical
//! order and layout (`climb_framework::format`), keeping their comments.
//! With `--check` nothing is written: each file that would change is shown
//! as a unified diff and the exit status is 1, for a company's own CI.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;
use climb_framework::diagnostic;
use climb_framework::format::{FormatError, format};
use similar::TextDiff;

use crate::args::FmtArgs;
use crate::output::{self, EXIT_FAILURE, EXIT_OK};

/// What became of one file.
enum Outcome {
    Unchanged,
    Changed(String),
    Refused,
}

pub(crate) fn run(args: &FmtArgs) -> anyhow::Result<ExitCode> {
    let mut failed = false;
    for path in &args.files {
        let bytes =
            std::fs::read(path).with_context(|| format!("cannot read `{}`", path.display()))?;
        match outcome(path, &bytes)? {
            Outcome::Unchanged => {}
            Outcome::Refused => failed = true,
            Outcome::Changed(formatted) if args.check => {
                failed = true;
                print_diff(path, &String::from_utf8_lossy(&bytes), &formatted)?;
            }
            Outcome::Changed(formatted) => write_atomically(path, &formatted)?,
        }
    }
    Ok(ExitCode::from(if failed { EXIT_FAILURE } else { EXIT_OK }))
}

fn outcome(path: &Path, bytes: &[u8]) -> anyhow::Result<Outcome> {
    match format(bytes) {
        Ok(formatted) if formatted.as_bytes() == bytes => Ok(Outcome::Unchanged),
        Ok(formatted) => Ok(Outcome::Changed(formatted)),
        Err(FormatError::NotToml(_)) => {
            // The checker names each syntax error with its line and a snippet.
            let report = climb_framework::check(bytes);
            let mut stderr = anstream::stderr();
            let name = path.display().to_string();
            write!(
                stderr,
                "{}",
                diagnostic::render_text(&report, &name, output::stderr_color())
            )?;
            writeln!(stderr, "{name}: not formatted, fix the errors above first")?;
            Ok(Outcome::Refused)
        }
        Err(refused @ FormatError::Unsupported { .. }) => {
            eprintln!("{}: not formatted: {refused}", path.display());
            Ok(Outcome::Refused)
        }
    }
}

fn print_diff(path: &Path, before: &str, after: &str) -> anyhow::Result<()> {
    let name = path.display().to_string();
    let diff = TextDiff::from_lines(before, after);
    let mut stdout = std::io::stdout().lock();
    write!(
        stdout,
        "{}",
        diff.unified_diff()
            .context_radius(3)
            .header(&format!("a/{name}"), &format!("b/{name}"))
    )?;
    Ok(())
}

/// Replaces the file through a sibling temporary file and a rename, so an
/// interrupted run leaves either the old file or the new one.
fn write_atomically(path: &Path, text: &str) -> anyhow::Result<()> {
    let file_name = path
        .file_name()
        .with_context(|| format!("`{}` is not a file", path.display()))?;
    let mut temporary_name = std::ffi::OsString::from(".");
    temporary_name.push(file_name);
    temporary_name.push(".climb-fmt");
    let temporary = path.with_file_name(temporary_name);
    let result = std::fs::File::create(&temporary)
        .and_then(|mut file| {
            file.write_all(text.as_bytes())?;
            file.sync_all()
        })
        .and_then(|()| {
            let permissions = std::fs::metadata(path)?.permissions();
            std::fs::set_permissions(&temporary, permissions)
        })
        .and_then(|()| std::fs::rename(&temporary, path));
    if let Err(e) = result {
        let _ = std::fs::remove_file(&temporary);
        return Err(e).with_context(|| format!("cannot write `{}`", path.display()));
    }
    Ok(())
}
