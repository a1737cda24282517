//! The invariants fuzzing holds the importers to, in one function that the
//! cargo-fuzz target `framework_import` and this crate's property tests
//! both call, so an input is judged the same way by each.

use crate::{Format, Input, Options, import};

/// The name every fuzzed input is given.
const FILE_NAME: &str = "fuzz.input";

/// The formats, in the order the first byte of a fuzz input picks them.
pub const FORMATS: [Format; 4] = [
    Format::Snowflake,
    Format::MatrixCsv,
    Format::ProgressionYaml,
    Format::ProgressionMarkdown,
];

/// An invariant of an importer that an input broke.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Broken {
    /// An import succeeded, but `climb check` finds errors in its file.
    #[error("the imported file does not check: {0}")]
    DoesNotCheck(String),
    /// A warning or error points outside the input.
    #[error("`{0}` is not a place in the input")]
    BadPlace(String),
}

/// Imports `data` as `format`; then, on success, checks the written file
/// with climb's checker (no error allowed), and in every case that each
/// warning and error names a line and column of the input. A panic is not
/// caught: the caller (libFuzzer or the test harness) reports it.
pub fn import_check(format: Format, data: &[u8]) -> Result<(), Broken> {
    let lines = 1 + data.iter().filter(|&&b| b == b'\n').count();
    let in_range = |location: &crate::Location| {
        location.file == FILE_NAME && (1..=lines).contains(&location.line) && location.column >= 1
    };
    let input = Input::File {
        name: FILE_NAME,
        bytes: data,
    };
    match import(format, input, &Options::default()) {
        Ok(imported) => {
            if let Some(bad) = imported.warnings.iter().find(|w| !in_range(&w.location)) {
                return Err(Broken::BadPlace(bad.to_string()));
            }
            let toml = imported.document.to_toml();
            let report = climb_framework::check(toml.as_bytes());
            if report.has_errors() {
                let first = report
                    .diagnostics()
                    .iter()
                    .map(|d| format!("{}: {}", d.code.as_str(), d.message))
                    .next()
                    .unwrap_or_default();
                return Err(Broken::DoesNotCheck(first));
            }
            Ok(())
        }
        Err(error) => {
            if in_range(error.location()) {
                Ok(())
            } else {
                Err(Broken::BadPlace(error.to_string()))
            }
        }
    }
}

/// The fuzz target's entry: the first byte picks the format, the rest is
/// the input.
pub fn any_format(data: &[u8]) -> Result<(), Broken> {
    let Some((&first, rest)) = data.split_first() else {
        return Ok(());
    };
    import_check(FORMATS[usize::from(first) % FORMATS.len()], rest)
}
