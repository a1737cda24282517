//! Warnings: rows that import, but not as the framework would have it. A
//! re-import that changes someone's role records the change as a
//! correction whatever the framework says; when the framework would have
//! refused it (a hire-only role, or no transition from the current role)
//! the row is named here, so the summary counts it and a strict import can
//! refuse the file.

use std::fmt;

/// One accepted row the import records against the framework's rules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowWarning {
    /// 1-based data row (the header is not counted).
    pub row: u64,
    /// 1-based physical line where the row starts.
    pub line: u64,
    /// The person's email, normalised.
    pub email: String,
    /// What is wrong with the row.
    pub kind: RowWarningKind,
}

impl RowWarning {
    /// The stable code, the one the domain refuses the same role change
    /// with (SPEC §4): `hire_only_role` or `no_such_transition`.
    pub fn code(&self) -> &'static str {
        self.kind.code()
    }
}

impl fmt::Display for RowWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "row {} (line {}) [{}]: {} ({})",
            self.row,
            self.line,
            self.email,
            self.kind,
            self.kind.code()
        )
    }
}

/// Why a row is warned about. Every variant has a stable
/// [`RowWarningKind::code`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RowWarningKind {
    /// The row moves someone into a hire-only role, which no role change
    /// may lead into.
    #[error(
        "role `{from}` -> `{to}` moves into a hire-only role; recorded as a correction, not a promotion"
    )]
    HireOnlyRole {
        /// The role held now.
        from: String,
        /// The role the row gives.
        to: String,
    },
    /// The row changes the role along no transition of the framework
    /// (skipping levels, moving down, or across streams without a lateral).
    #[error(
        "role `{from}` -> `{to}` is not a transition of the framework; recorded as a correction"
    )]
    NoSuchTransition {
        /// The role held now.
        from: String,
        /// The role the row gives.
        to: String,
    },
}

impl RowWarningKind {
    /// The stable code.
    pub fn code(&self) -> &'static str {
        match self {
            Self::HireOnlyRole { .. } => "hire_only_role",
            Self::NoSuchTransition { .. } => "no_such_transition",
        }
    }
}
