//! The checker: runs the parser, then every semantic rule of the framework
//! file format, and builds the [`Framework`] only when no error was found.
//! The result is a [`CheckReport`] holding every diagnostic of the file.

mod build;
mod rules;

use std::fmt;

use crate::diagnostic::{Diagnostic, Severity};
use crate::model::Framework;
use crate::outline::Outline;
use crate::parse::{self, RawFramework};

/// Everything a check found in one file: the diagnostics (errors and
/// warnings, sorted by position), the text they point into, and the
/// framework when there were no errors.
#[derive(Clone)]
pub struct CheckReport {
    source: String,
    diagnostics: Vec<Diagnostic>,
    framework: Option<Framework>,
}

impl CheckReport {
    /// Every diagnostic, sorted by the position of its primary label.
    pub fn diagnostics(&self) -> &[Diagnostic] {
        &self.diagnostics
    }

    /// The checked framework; `Some` exactly when there are no errors.
    pub fn framework(&self) -> Option<&Framework> {
        self.framework.as_ref()
    }

    /// The framework, or the report itself when the file has errors.
    pub fn into_framework(mut self) -> Result<Framework, Box<CheckReport>> {
        match self.framework.take() {
            Some(framework) => Ok(framework),
            None => Err(Box::new(self)),
        }
    }

    /// Whether any diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        self.error_count() > 0
    }

    /// Whether any diagnostic is a warning.
    pub fn has_warnings(&self) -> bool {
        self.warning_count() > 0
    }

    /// How many errors were found.
    pub fn error_count(&self) -> usize {
        self.count(Severity::Error)
    }

    /// How many warnings were found.
    pub fn warning_count(&self) -> usize {
        self.count(Severity::Warning)
    }

    /// The text the diagnostics' spans index: the file itself, or its lossy
    /// UTF-8 decoding when it was not valid UTF-8.
    pub fn source(&self) -> &str {
        &self.source
    }

    fn count(&self, severity: Severity) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == severity)
            .count()
    }
}

impl fmt::Debug for CheckReport {
    // The source can be megabytes long; show its size rather than its text.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CheckReport")
            .field("source_len", &self.source.len())
            .field("diagnostics", &self.diagnostics)
            .field("framework", &self.framework.is_some())
            .finish()
    }
}

/// Parses and checks a framework file. Never panics and always returns,
/// whatever the bytes: invalid UTF-8, invalid TOML and files over 64 MiB
/// are E001 diagnostics.
pub fn check(source: &[u8]) -> CheckReport {
    let Examined {
        source,
        mut diagnostics,
        raw,
    } = examine(source);
    let mut framework = None;
    if let Some(raw) = raw
        && !diagnostics.iter().any(|d| d.severity == Severity::Error)
    {
        framework = build::build(raw);
        if framework.is_none() {
            // Every missing piece was reported by the parser, so this
            // only keeps "a framework exactly when no errors" true.
            diagnostics.push(
                Diagnostic::new(crate::diagnostic::Code::E002, "the file is incomplete")
                    .with_primary(0..0, "a required value is missing"),
            );
        }
    }
    diagnostics.sort_by_key(Diagnostic::position);
    CheckReport {
        source,
        diagnostics,
        framework,
    }
}

/// What an editor needs from a check: the same diagnostics as [`check`],
/// and the [`Outline`] of the file (where each item and id was written)
/// whenever it is UTF-8 TOML, errors or not.
#[derive(Debug, Clone)]
pub struct Diagnosis {
    /// The text the spans index, as in [`CheckReport::source`].
    pub source: String,
    /// Every diagnostic, sorted by the position of its primary label.
    pub diagnostics: Vec<Diagnostic>,
    /// The outline, when the file is TOML.
    pub outline: Option<Outline>,
}

/// The diagnostics of [`check`] and the file's outline, without building
/// the [`Framework`] that an editor has no use for: a language server runs
/// this on every keystroke, and building is a third of a check.
pub fn diagnose(source: &[u8]) -> Diagnosis {
    let Examined {
        source,
        diagnostics,
        raw,
    } = examine(source);
    let parsed = Parsed { raw };
    Diagnosis {
        source,
        diagnostics: sorted(diagnostics),
        outline: parsed.into_outline(),
    }
}

/// [`diagnose`] of text already held as a `str`, in two steps: the
/// diagnostics first, then, from the returned [`Parsed`], the outline. A
/// language server publishes the diagnostics in between, and the text is
/// neither copied nor decoded again.
pub fn diagnose_text(text: &str) -> (Vec<Diagnostic>, Parsed) {
    if text.len() > parse::MAX_FILE_BYTES {
        let (_, diagnostic) = parse::too_large(text.as_bytes());
        return (vec![diagnostic], Parsed { raw: None });
    }
    let (diagnostics, raw) = examine_text(text);
    (sorted(diagnostics), Parsed { raw })
}

/// A file as the parser read it, kept by [`diagnose_text`] until the
/// caller wants its outline.
#[derive(Debug)]
pub struct Parsed {
    raw: Option<RawFramework>,
}

impl Parsed {
    /// The outline of the file, when it is TOML; built by moving the
    /// parser's items rather than copying them.
    pub fn into_outline(self) -> Option<Outline> {
        self.raw.map(Outline::from)
    }
}

fn sorted(mut diagnostics: Vec<Diagnostic>) -> Vec<Diagnostic> {
    diagnostics.sort_by_key(Diagnostic::position);
    diagnostics
}

/// A file parsed and put through every rule, not yet built.
struct Examined {
    source: String,
    diagnostics: Vec<Diagnostic>,
    /// The parsed file, when it is UTF-8 TOML.
    raw: Option<RawFramework>,
}

fn examine(source: &[u8]) -> Examined {
    if source.len() > parse::MAX_FILE_BYTES {
        let (text, diagnostic) = parse::too_large(source);
        return Examined {
            source: text,
            diagnostics: vec![diagnostic],
            raw: None,
        };
    }
    let (text, encoding_error) = parse::decode(source);
    if let Some(diagnostic) = encoding_error {
        return Examined {
            source: text,
            diagnostics: vec![diagnostic],
            raw: None,
        };
    }
    let (diagnostics, raw) = examine_text(&text);
    Examined {
        source: text,
        diagnostics,
        raw,
    }
}

/// Parses UTF-8 text and runs every rule on it, when it is TOML.
fn examine_text(text: &str) -> (Vec<Diagnostic>, Option<RawFramework>) {
    let mut diagnostics = Vec::new();
    let raw = parse::parse(text, &mut diagnostics);
    if let Some(parsed) = &raw {
        rules::check_all(parsed, &mut diagnostics);
    }
    (diagnostics, raw)
}
