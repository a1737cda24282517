//! `climb framework import FORMAT FILE [-o FILE]`: reads a framework kept
//! in another shape, writes the climb framework file that `climb_import`
//! makes of it (stdout without `-o`), and prints each warning as
//! `file:line:column: warning: …` on stderr. Unreadable input (I/O, not
//! UTF-8, a syntax error) exits 2; a source that reads but cannot be mapped
//! to a framework exits 1.

use std::io::Write;
use std::process::ExitCode;

use anyhow::{Context, bail};
use climb_framework::diagnostic;
use climb_import::{Columns, Format, ImportError, Input, Options};

use crate::args::{FrameworkArgs, FrameworkCommand, FrameworkImportArgs, ImportFormat};
use crate::output::{self, EXIT_FAILURE, EXIT_OK, EXIT_USAGE, Reported};

pub(crate) fn run(args: &FrameworkArgs) -> anyhow::Result<ExitCode> {
    match &args.command {
        FrameworkCommand::Import(args) => import(args),
    }
}

fn import(args: &FrameworkImportArgs) -> anyhow::Result<ExitCode> {
    let format = match args.format {
        ImportFormat::Snowflake => Format::Snowflake,
        ImportFormat::MatrixCsv => Format::MatrixCsv,
        ImportFormat::ProgressionYaml => Format::ProgressionYaml,
    };
    let options = Options {
        name: args.name.clone(),
        columns: Columns {
            track: args.track_column.clone(),
            level: args.level_column.clone(),
            competency: args.competency_column.clone(),
            description: args.description_column.clone(),
        },
    };
    let shown = args.source.display().to_string();
    if args.source.is_dir() {
        bail!("`{shown}` is a folder; this format reads one file");
    }
    let bytes = std::fs::read(&args.source).with_context(|| format!("cannot read `{shown}`"))?;
    let imported = climb_import::import(
        format,
        Input::File {
            name: &shown,
            bytes: &bytes,
        },
        &options,
    );
    let mut stderr = anstream::stderr();
    let imported = match imported {
        Ok(imported) => imported,
        Err(error) => {
            writeln!(stderr, "{error}")?;
            let status = match error {
                ImportError::Unmappable { .. } => EXIT_FAILURE,
                _ => EXIT_USAGE,
            };
            return Err(Reported(status).into());
        }
    };
    for warning in &imported.warnings {
        writeln!(stderr, "{warning}")?;
    }
    let toml = imported.document.to_toml();
    // The importers are held to writing files the checker accepts (the
    // crate's fuzzing asserts it); should one not, say so rather than hand
    // over a file that `climb check` refuses.
    let report = climb_framework::check(toml.as_bytes());
    if report.has_errors() {
        let name = args
            .output
            .as_ref()
            .map_or_else(|| "<import>".to_owned(), |p| p.display().to_string());
        write!(
            stderr,
            "{}",
            diagnostic::render_text(&report, &name, output::stderr_color())
        )?;
        writeln!(
            stderr,
            "error: the imported framework does not pass `climb check`; this is a bug in the importer"
        )?;
        return Err(Reported(EXIT_FAILURE).into());
    }
    match &args.output {
        Some(path) => std::fs::write(path, &toml)
            .with_context(|| format!("cannot write `{}`", path.display()))?,
        None => std::io::stdout().lock().write_all(toml.as_bytes())?,
    }
    let document = &imported.document;
    writeln!(
        stderr,
        "imported {} stream(s), {} role(s) and {} competenc{}, with {} warning(s)",
        document.streams.len(),
        document.roles.len(),
        document.competencies.len(),
        if document.competencies.len() == 1 {
            "y"
        } else {
            "ies"
        },
        imported.warnings.len()
    )?;
    Ok(ExitCode::from(EXIT_OK))
}
