//! Importers that turn a career framework kept in another shape (Medium's
//! Snowflake module, a YAML progression, a folder of Markdown progression
//! pages, a competency-matrix spreadsheet as CSV) into a climb
//! framework file. Pure: the caller reads the bytes; what comes back is a
//! [`Document`] and the [`Warning`]s for what climb cannot hold, each at a
//! line and column of the source. Nothing here runs the source.

mod document;
mod draft;
pub mod fuzzing;
mod js;
mod location;
mod markdown;
mod matrix_csv;
mod progression_yaml;
mod slug;
mod snowflake;
mod yaml;

pub use document::{Competency, Document, Role, Stream, Track, Transition};
pub use location::{ImportError, Location, Warning};
pub use matrix_csv::Columns;

/// The shapes a framework can be imported from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// The JavaScript module of Medium's Snowflake tool: tracks with five
    /// milestones each, and a points-to-title table.
    Snowflake,
    /// A competency matrix exported as CSV: one row per track, level and
    /// competency, with a description.
    MatrixCsv,
    /// One YAML file listing job families, their levels and the
    /// competencies each level expects.
    ProgressionYaml,
    /// A folder of Markdown pages with YAML front matter, one discipline a
    /// page, levels as `## ` headings and topics as `### ` headings.
    ProgressionMarkdown,
}

/// What an importer reads.
#[derive(Debug, Clone, Copy)]
pub enum Input<'a> {
    /// One file: its name (for locations) and bytes.
    File {
        /// The name warnings and errors give.
        name: &'a str,
        /// Its content.
        bytes: &'a [u8],
    },
    /// A folder's files: paths relative to the folder, and their bytes.
    Folder {
        /// The files, in the order they are read (the CLI sorts them).
        files: &'a [(String, Vec<u8>)],
    },
}

/// Settings of an import beyond the source itself.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The framework's name; without it, the source's own name or the
    /// file's.
    pub name: Option<String>,
    /// Which CSV columns hold what (matrix-csv only).
    pub columns: Columns,
}

/// A framework made from a source, and what did not carry over.
#[derive(Debug, Clone)]
pub struct Imported {
    /// The framework.
    pub document: Document,
    /// What the source says that climb cannot, and defaults that replaced
    /// what it does not say, in source order.
    pub warnings: Vec<Warning>,
}

/// Imports `input` as `format`. The folder format given one file reads
/// it as a folder of that one page; a file format given a folder is
/// refused.
pub fn import(
    format: Format,
    input: Input<'_>,
    options: &Options,
) -> Result<Imported, ImportError> {
    let mut warnings = Vec::new();
    let one_file = |input: Input<'_>| match input {
        Input::File { name, bytes } => Ok((name.to_owned(), bytes.to_vec())),
        Input::Folder { .. } => Err(ImportError::unreadable(
            Location::new(".", 1, 1),
            "this format reads one file, not a folder",
        )),
    };
    let mut draft = match format {
        Format::Snowflake => {
            let (name, bytes) = one_file(input)?;
            snowflake::read(&name, &bytes, &mut warnings)?
        }
        Format::ProgressionYaml => {
            let (name, bytes) = one_file(input)?;
            progression_yaml::read(&name, &bytes, &mut warnings)?
        }
        Format::ProgressionMarkdown => match input {
            Input::Folder { files } => markdown::read(files, &mut warnings)?,
            Input::File { name, bytes } => {
                markdown::read(&[(name.to_owned(), bytes.to_vec())], &mut warnings)?
            }
        },
        Format::MatrixCsv => {
            let (name, bytes) = one_file(input)?;
            matrix_csv::read(&name, &bytes, &options.columns, &mut warnings)?
        }
    };
    if let Some(name) = &options.name {
        draft.name.clone_from(name);
    }
    let document = draft.build(&mut warnings)?;
    warnings.sort_by(|a, b| a.location.cmp(&b.location));
    Ok(Imported { document, warnings })
}

/// A framework name made from a file name: its stem, or `Imported
/// framework` when there is none.
pub(crate) fn name_from_file(file: &str) -> String {
    let base = file.rsplit(['/', '\\']).next().unwrap_or(file);
    let stem = base.split('.').next().unwrap_or(base).trim();
    if stem.is_empty() {
        "Imported framework".to_owned()
    } else {
        stem.to_owned()
    }
}

/// The comment that opens every imported file.
pub(crate) fn header(format: &str, source: &str) -> Vec<String> {
    vec![
        format!("Imported from {source} ({format}) by `climb framework import`."),
        "Texts are the source's own words; comments say where each part came from,".to_owned(),
        "and which of climb's defaults stand where the source says nothing.".to_owned(),
    ]
}
