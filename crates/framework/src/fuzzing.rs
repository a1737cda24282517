//! The invariants fuzzing holds the checker to, in one function that the
//! cargo-fuzz target `parse_check` and the corpus replay test both call, so
//! the corpus checked in CI is judged exactly as the fuzzer judges it.

use crate::check::{CheckReport, check, diagnose};
use crate::diagnostic::{line_col, render_json, render_text};

/// The file name the renderings are given.
const FILE_NAME: &str = "fuzz.toml";

/// An invariant of [`check`] that an input broke.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Broken {
    /// A framework came back for a file with errors, or none for a file
    /// without.
    #[error("{errors} error(s), yet a framework was {}", if *.produced { "produced" } else { "withheld" })]
    FrameworkMismatch {
        /// Errors in the report.
        errors: usize,
        /// Whether a framework was produced.
        produced: bool,
    },
    /// A diagnostic has no label, so no line and column to show.
    #[error("diagnostic {index} ({code}) has no place in the file")]
    NoPosition {
        /// Its index in the report.
        index: usize,
        /// Its code.
        code: &'static str,
    },
    /// A diagnostic's primary label starts outside the text it points into.
    #[error("diagnostic {index} ({code}) starts at byte {start} of a {len}-byte text")]
    OutsideSource {
        /// Its index in the report.
        index: usize,
        /// Its code.
        code: &'static str,
        /// Where the primary label starts.
        start: usize,
        /// The length of the report's text.
        len: usize,
    },
    /// The JSON rendering misses a diagnostic's line or column, or gives
    /// other ones than its primary label's.
    #[error("the JSON report gives diagnostic {index} no line and column of its own")]
    JsonPosition {
        /// Its index in the report.
        index: usize,
    },
    /// The text rendering does not point at a diagnostic's line and column.
    #[error("the text report does not show `{location}` for diagnostic {index}")]
    TextPosition {
        /// Its index in the report.
        index: usize,
        /// The `file:line:column` expected.
        location: String,
    },
    /// [`diagnose`], which an editor runs, found other diagnostics than
    /// [`check`].
    #[error("the editor's diagnose gives {editor} diagnostic(s) where check gives {check}")]
    EditorDisagrees {
        /// Diagnostics from `check`.
        check: usize,
        /// Diagnostics from `diagnose`.
        editor: usize,
    },
}

/// Checks `data` as a framework file and renders the report as text and
/// JSON, then verifies what must hold for any input: a framework exactly
/// when there is no error, and every diagnostic at a line and column of
/// the file, the same in both renderings, and the same diagnostics from
/// [`diagnose`], which the language server runs. Returns the report when all
/// holds. A panic inside the checker is not caught: the caller (libFuzzer
/// or the test harness) reports it.
pub fn parse_check(data: &[u8]) -> Result<CheckReport, Broken> {
    let report = check(data);
    if report.framework().is_some() == report.has_errors() {
        return Err(Broken::FrameworkMismatch {
            errors: report.error_count(),
            produced: report.framework().is_some(),
        });
    }
    let text = render_text(&report, FILE_NAME, false);
    let json = render_json(&report, FILE_NAME);
    let source = report.source();
    for (index, diagnostic) in report.diagnostics().iter().enumerate() {
        let code = diagnostic.code.as_str();
        let label = diagnostic
            .primary_label()
            .ok_or(Broken::NoPosition { index, code })?;
        let start = label.span.start;
        if start > source.len() {
            return Err(Broken::OutsideSource {
                index,
                code,
                start,
                len: source.len(),
            });
        }
        let (line, column) = line_col(source, start);
        let rendered = &json["diagnostics"][index];
        if rendered["line"].as_u64() != Some(line as u64)
            || rendered["column"].as_u64() != Some(column as u64)
        {
            return Err(Broken::JsonPosition { index });
        }
        let location = format!("{FILE_NAME}:{line}:{column}");
        if !text.contains(&location) {
            return Err(Broken::TextPosition { index, location });
        }
    }
    let editor = diagnose(data);
    if editor.diagnostics != report.diagnostics() {
        return Err(Broken::EditorDisagrees {
            check: report.diagnostics().len(),
            editor: editor.diagnostics.len(),
        });
    }
    Ok(report)
}
