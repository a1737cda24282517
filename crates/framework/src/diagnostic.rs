//! Diagnostics of a framework check: stable codes, severities, labelled byte
//! spans into the source, and their rendering as rustc-style text or JSON.

use std::ops::Range;

use serde::Serialize;

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
