//! Diagnostics of a framework check: stable codes, severities, labelled byte
//! spans into the source, and their rendering as rustc-style text or JSON.

use std::ops::Range;

use codespan_reporting::diagnostic as codespan;
use codespan_reporting::files::SimpleFile;
use codespan_reporting::term;
use serde::Serialize;

use crate::check::CheckReport;

/// The stable code of a check. Codes never change meaning once released.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum Code {
    /// Not valid TOML, or not UTF-8.
    E001,
    /// Missing required key, unknown key, or a value of the wrong type or range.
    E002,
    /// Duplicate id.
    E003,
    /// Reference to an unknown stream, role, competency or designation stream.
    E004,
    /// Transition into a hire-only role.
    E005,
    /// Promotion whose seniority does not strictly increase.
    E006,
    /// Lateral transition within one stream.
    E007,
    /// Duplicate transition.
    E008,
    /// Expectation level outside the competency's levels.
    E009,
    /// Rename whose target is not a role of this version.
    E010,
    /// Role unreachable: not entry, not hire-only, and no transition leads in.
    W001,
    /// Stream with no roles.
    W002,
    /// `reports = true` in an ic stream, or `false` in a management one.
    W003,
}

impl Code {
    /// Errors block loading; warnings do not (unless denied).
    pub fn severity(self) -> Severity {
        match self {
            Self::W001 | Self::W002 | Self::W003 => Severity::Warning,
            _ => Severity::Error,
        }
    }

    /// The code as printed, e.g. `E003`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::E001 => "E001",
            Self::E002 => "E002",
            Self::E003 => "E003",
            Self::E004 => "E004",
            Self::E005 => "E005",
            Self::E006 => "E006",
            Self::E007 => "E007",
            Self::E008 => "E008",
            Self::E009 => "E009",
            Self::E010 => "E010",
            Self::W001 => "W001",
            Self::W002 => "W002",
            Self::W003 => "W003",
        }
    }
}

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// The file cannot be loaded.
    Error,
    /// The file loads, but something is probably wrong.
    Warning,
}

/// A byte range of the source with a message; the primary label is the
/// place the diagnostic is about, secondary ones give context.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Label {
    /// Byte range into the source.
    pub span: Range<usize>,
    /// Short text shown under the caret.
    pub message: String,
    /// Whether this is the main place.
    pub primary: bool,
}

/// One finding of the checker.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// Stable code.
    pub code: Code,
    /// Error or warning.
    pub severity: Severity,
    /// One-line message.
    pub message: String,
    /// Source places; the first primary one gives line and column.
    pub labels: Vec<Label>,
    /// Extra help lines.
    pub notes: Vec<String>,
}

impl Diagnostic {
    /// A diagnostic with no labels yet; its severity follows from the code.
    pub(crate) fn new(code: Code, message: impl Into<String>) -> Self {
        Self {
            code,
            severity: code.severity(),
            message: message.into(),
            labels: Vec::new(),
            notes: Vec::new(),
        }
    }

    /// Adds the main place the diagnostic is about.
    pub(crate) fn with_primary(mut self, span: Range<usize>, message: impl Into<String>) -> Self {
        self.labels.push(Label {
            span,
            message: message.into(),
            primary: true,
        });
        self
    }

    /// Adds a place that gives context.
    pub(crate) fn with_secondary(mut self, span: Range<usize>, message: impl Into<String>) -> Self {
        self.labels.push(Label {
            span,
            message: message.into(),
            primary: false,
        });
        self
    }

    /// Adds a help or note line (written with its `help: ` or `note: ` prefix).
    pub(crate) fn with_note(mut self, note: impl Into<String>) -> Self {
        self.notes.push(note.into());
        self
    }

    /// The primary label, or the first label when none is marked primary.
    pub fn primary_label(&self) -> Option<&Label> {
        self.labels
            .iter()
            .find(|l| l.primary)
            .or_else(|| self.labels.first())
    }

    /// Where the diagnostic sorts: the start of its primary label.
    pub(crate) fn position(&self) -> usize {
        self.primary_label().map_or(0, |l| l.span.start)
    }
}

/// The 1-based line and column (in characters) of a byte offset; offsets past
/// the end or inside a character are moved back to the nearest boundary.
pub fn line_col(source: &str, byte: usize) -> (usize, usize) {
    let mut byte = byte.min(source.len());
    while !source.is_char_boundary(byte) {
        byte -= 1;
    }
    let before = &source[..byte];
    let line = before.bytes().filter(|&b| b == b'\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = source[line_start..byte].chars().count() + 1;
    (line, column)
}

/// The start of every line of a text, so that many offsets can be turned
/// into lines and columns without rescanning the text from its start each
/// time (which made JSON output quadratic in the number of diagnostics).
struct LineIndex<'s> {
    source: &'s str,
    starts: Vec<usize>,
}

impl<'s> LineIndex<'s> {
    fn new(source: &'s str) -> Self {
        let starts = std::iter::once(0)
            .chain(source.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        Self { source, starts }
    }

    /// The same as [`line_col`], in logarithmic time plus the line's length.
    fn line_col(&self, byte: usize) -> (usize, usize) {
        let source = self.source;
        let mut byte = byte.min(source.len());
        while !source.is_char_boundary(byte) {
            byte -= 1;
        }
        // Lines whose start is at or before `byte`; the first always is.
        let line = self.starts.partition_point(|&start| start <= byte);
        let line_start = self.starts[line - 1];
        let column = source[line_start..byte].chars().count() + 1;
        (line, column)
    }
}

/// Converts a label to codespan's form, with its span kept inside the text.
fn to_codespan_label(source: &str, label: &Label) -> codespan::Label<()> {
    let span = crate::parse::clamp_span(source, label.span.clone());
    let style = if label.primary {
        codespan::LabelStyle::Primary
    } else {
        codespan::LabelStyle::Secondary
    };
    codespan::Label::new(style, (), span).with_message(label.message.clone())
}

fn to_codespan(source: &str, diagnostic: &Diagnostic) -> codespan::Diagnostic<()> {
    let severity = match diagnostic.severity {
        Severity::Error => codespan::Severity::Error,
        Severity::Warning => codespan::Severity::Warning,
    };
    codespan::Diagnostic::new(severity)
        .with_code(diagnostic.code.as_str())
        .with_message(diagnostic.message.clone())
        .with_labels(
            diagnostic
                .labels
                .iter()
                .map(|l| to_codespan_label(source, l))
                .collect(),
        )
        .with_notes(diagnostic.notes.clone())
}

/// Renders every diagnostic of a report as rustc-style text (`error[E003]:
/// …`, ` --> file:line:col`, the source line with a caret, `= help:` notes),
/// followed by a one-line summary. ANSI colours when `color` is true.
pub fn render_text(report: &CheckReport, file_name: &str, color: bool) -> String {
    let source = report.source();
    let file = SimpleFile::new(file_name, source);
    let config = term::Config {
        chars: term::Chars::ascii(),
        ..term::Config::default()
    };
    let mut out = String::new();
    let mut colored = term::termcolor::Ansi::new(Vec::new());
    for diagnostic in report.diagnostics() {
        let rendered = to_codespan(source, diagnostic);
        // Rendering can only fail on a span outside the file, which
        // `to_codespan_label` rules out; fall back to the bare message.
        let result = if color {
            term::emit_to_write_style(&mut colored, &config, &file, &rendered)
        } else {
            term::emit_to_string(&mut out, &config, &file, &rendered)
        };
        if result.is_err() {
            out.push_str(&format!(
                "{}[{}]: {}\n\n",
                severity_word(diagnostic.severity),
                diagnostic.code.as_str(),
                diagnostic.message
            ));
        }
    }
    if color {
        out.insert_str(0, &String::from_utf8_lossy(&colored.into_inner()));
    }
    out.push_str(&summary_line(report, file_name));
    out
}

fn severity_word(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

/// `file: 2 errors, 1 warning` or `file: ok`.
fn summary_line(report: &CheckReport, file_name: &str) -> String {
    let plural = |n: usize, word: &str| {
        if n == 1 {
            format!("{n} {word}")
        } else {
            format!("{n} {word}s")
        }
    };
    match (report.error_count(), report.warning_count()) {
        (0, 0) => format!("{file_name}: ok\n"),
        (errors, warnings) => format!(
            "{file_name}: {}, {}\n",
            plural(errors, "error"),
            plural(warnings, "warning")
        ),
    }
}

/// The report as JSON: `{"file", "diagnostics": [{"code", "severity",
/// "message", "file", "line", "column", "end_line", "end_column", "labels":
/// [{"message", "primary", "line", "column", "end_line", "end_column",
/// "start", "end"}], "notes"}], "summary": {"errors", "warnings"}}`. Lines
/// and columns are 1-based; the diagnostic's own are its primary label's.
pub fn render_json(report: &CheckReport, file_name: &str) -> serde_json::Value {
    let source = report.source();
    let lines = LineIndex::new(source);
    let diagnostics: Vec<serde_json::Value> = report
        .diagnostics()
        .iter()
        .map(|diagnostic| {
            let labels: Vec<serde_json::Value> = diagnostic
                .labels
                .iter()
                .map(|label| {
                    let span = crate::parse::clamp_span(source, label.span.clone());
                    let (line, column) = lines.line_col(span.start);
                    let (end_line, end_column) = lines.line_col(span.end);
                    serde_json::json!({
                        "message": label.message,
                        "primary": label.primary,
                        "line": line,
                        "column": column,
                        "end_line": end_line,
                        "end_column": end_column,
                        "start": span.start,
                        "end": span.end,
                    })
                })
                .collect();
            let primary = diagnostic
                .primary_label()
                .map(|l| crate::parse::clamp_span(source, l.span.clone()))
                .unwrap_or(0..0);
            let (line, column) = lines.line_col(primary.start);
            let (end_line, end_column) = lines.line_col(primary.end);
            serde_json::json!({
                "code": diagnostic.code.as_str(),
                "severity": diagnostic.severity,
                "message": diagnostic.message,
                "file": file_name,
                "line": line,
                "column": column,
                "end_line": end_line,
                "end_column": end_column,
                "labels": labels,
                "notes": diagnostic.notes,
            })
        })
        .collect();
    serde_json::json!({
        "file": file_name,
        "diagnostics": diagnostics,
        "summary": {
            "errors": report.error_count(),
            "warnings": report.warning_count(),
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_column_are_one_based_and_count_characters() {
        let text = "ab\ncé\nx";
        assert_eq!(line_col(text, 0), (1, 1));
        assert_eq!(line_col(text, 3), (2, 1));
        assert_eq!(line_col(text, 6), (2, 3));
        assert_eq!(line_col(text, 7), (3, 1));
        assert_eq!(line_col(text, 99), (3, 2));
    }

    #[test]
    fn the_line_index_agrees_with_line_col_at_every_offset() {
        let text = "ab\ncé\n\nx\n";
        let lines = LineIndex::new(text);
        for byte in 0..=text.len() + 2 {
            assert_eq!(lines.line_col(byte), line_col(text, byte), "at {byte}");
        }
    }

    #[test]
    fn codes_map_to_their_severity() {
        assert_eq!(Code::E001.severity(), Severity::Error);
        assert_eq!(Code::W003.severity(), Severity::Warning);
    }
}
