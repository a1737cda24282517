//! `climb framework import FORMAT FILE_OR_FOLDER [-o FILE]`: reads a
//! framework kept in another shape (the Markdown pages of a folder and its
//! subfolders, sorted by path, for progression-markdown), writes the climb framework file that `climb_import`
//! makes of it (stdout without `-o`), and prints each warning as
//! `file:line:column: warning: …` on stderr. Unreadable input (I/O, not
//! UTF-8, a syntax error) exits 2; a source that reads but cannot be mapped
//! to a framework exits 1.

use std::io::Write;
use std::path::Path;
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
        ImportFormat::ProgressionMarkdown => Format::ProgressionMarkdown,
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
    let mut skipped = Vec::new();
    let imported = if args.source.is_dir() {
        if format != Format::ProgressionMarkdown {
            bail!("`{shown}` is a folder; this format reads one file");
        }
        // Paths are given under the folder as the user named it, so each
        // warning's place opens in an editor.
        let files: Vec<(String, Vec<u8>)> = read_folder(&args.source, &mut skipped)?
            .into_iter()
            .map(|(path, bytes)| (format!("{}/{path}", shown.trim_end_matches('/')), bytes))
            .collect();
        if files.is_empty() {
            bail!("`{shown}` holds no Markdown page (.md)");
        }
        climb_import::import(format, Input::Folder { files: &files }, &options)
    } else {
        let bytes =
            std::fs::read(&args.source).with_context(|| format!("cannot read `{shown}`"))?;
        climb_import::import(
            format,
            Input::File {
                name: &shown,
                bytes: &bytes,
            },
            &options,
        )
    };
    let mut stderr = anstream::stderr();
    for path in skipped {
        writeln!(
            stderr,
            "{}/{path}:1:1: warning: not a Markdown page (.md), so it is not read",
            shown.trim_end_matches('/')
        )?;
    }
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

/// The Markdown pages of `folder` and its subfolders as (path relative to
/// the folder, bytes), sorted by path; other files (not hidden ones) go to
/// `skipped`.
fn read_folder(folder: &Path, skipped: &mut Vec<String>) -> anyhow::Result<Vec<(String, Vec<u8>)>> {
    let mut files = Vec::new();
    let mut pending = vec![folder.to_path_buf()];
    while let Some(dir) = pending.pop() {
        let entries =
            std::fs::read_dir(&dir).with_context(|| format!("cannot list `{}`", dir.display()))?;
        for entry in entries {
            let entry = entry.with_context(|| format!("cannot list `{}`", dir.display()))?;
            if entry.file_name().to_string_lossy().starts_with('.') {
                continue;
            }
            let path = entry.path();
            let relative = path
                .strip_prefix(folder)
                .unwrap_or(&path)
                .to_string_lossy()
                .replace('\\', "/");
            if entry.file_type()?.is_dir() {
                pending.push(path);
                continue;
            }
            let markdown = path.extension().and_then(|e| e.to_str()).is_some_and(|e| {
                e.eq_ignore_ascii_case("md") || e.eq_ignore_ascii_case("markdown")
            });
            if markdown {
                let bytes = std::fs::read(&path)
                    .with_context(|| format!("cannot read `{}`", path.display()))?;
                files.push((relative, bytes));
            } else {
                skipped.push(relative);
            }
        }
    }
    files.sort_by(|a, b| a.0.cmp(&b.0));
    skipped.sort();
    Ok(files)
}
