//! The errors of this crate: [`HrisError`] for what stops a whole import or
//! export, and [`RowError`] for one bad row of an otherwise readable file.

use std::fmt;

use crate::columns::Column;
use crate::warning::RowWarning;

/// What stops an import or export as a whole (as opposed to a bad row).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum HrisError {
    /// The file could not be read or written. The I/O error is shown in
    /// this error's message, not kept as its source, so a report that prints
    /// the whole chain says it once.
    #[error("{0}")]
    Io(std::io::Error),
    /// The CSV layer failed outside any one row (e.g. a read error mid-file).
    #[error("CSV error: {0}")]
    Csv(csv::Error),
    /// The file is empty: not even a header line.
    #[error(
        "the file has no header line; expected the columns {}",
        Column::ALL_NAMES
    )]
    MissingHeader,
    /// A header names a column this format does not have.
    #[error(
        "unknown column `{name}` (column {position}); expected some of {}",
        Column::ALL_NAMES
    )]
    UnknownColumn {
        /// The header cell as written.
        name: String,
        /// 1-based column position.
        position: usize,
    },
    /// The same column appears twice in the header.
    #[error("column `{name}` appears twice in the header (columns {first} and {second})")]
    DuplicateColumn {
        /// The column name.
        name: &'static str,
        /// 1-based position of the first occurrence.
        first: usize,
        /// 1-based position of the second occurrence.
        second: usize,
    },
    /// The header has no `email` column, which identifies every row.
    #[error("the header has no `email` column; every row is identified by its email")]
    MissingEmailColumn,
    /// The file has rows that failed validation and `skip_invalid` was not
    /// set, so nothing was written.
    #[error("{} invalid row(s); nothing was imported", .0.len())]
    InvalidRows(Vec<RowError>),
    /// A strict import found rows that would be recorded against the
    /// framework's rules, so nothing was written.
    #[error(
        "{} role change(s) outside the framework; a strict import refuses them, nothing was imported",
        .0.len()
    )]
    StrictRefused(Vec<RowWarning>),
    /// The store refused or failed a read or the write (the write is one
    /// transaction: nothing was written).
    #[error(transparent)]
    Store(#[from] climb_store::StoreError),
    /// The store handed back a value that is not valid for its column.
    #[error("the store holds an invalid {0}")]
    StoredData(String),
}

impl From<std::io::Error> for HrisError {
    fn from(error: std::io::Error) -> Self {
        Self::Io(error)
    }
}

impl From<csv::Error> for HrisError {
    fn from(error: csv::Error) -> Self {
        Self::Csv(error)
    }
}

/// One rejected row: where it is and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    /// 1-based data row (the header is not counted).
    pub row: u64,
    /// 1-based physical line where the row starts (the header is line 1;
    /// a quoted cell with newlines makes lines and rows drift apart).
    pub line: u64,
    /// The row's email as written, when it had one.
    pub email: Option<String>,
    /// Why it was rejected.
    pub kind: RowErrorKind,
}

impl RowError {
    /// The stable error code, e.g. `unknown_role`.
    pub fn code(&self) -> &'static str {
        self.kind.code()
    }
}

impl fmt::Display for RowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "row {} (line {})", self.row, self.line)?;
        if let Some(email) = &self.email {
            write!(f, " [{email}]")?;
        }
        write!(f, ": {} ({})", self.kind, self.kind.code())
    }
}

impl std::error::Error for RowError {}

/// Why a row was rejected. Every variant has a stable [`RowErrorKind::code`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RowErrorKind {
    /// The row has a different number of cells than the header.
    #[error("expected {expected} cells as in the header, found {found}")]
    WrongFieldCount {
        /// Cells in the header.
        expected: usize,
        /// Cells in this row.
        found: usize,
    },
    /// A cell is not valid UTF-8.
    #[error("the row is not valid UTF-8")]
    NotUtf8,
    /// A required cell is blank: `email` always, `name` and `role` for a new person.
    #[error("`{column}` is required{}", if *.for_new_person { " for a new person" } else { "" })]
    MissingField {
        /// The blank column.
        column: &'static str,
        /// Whether it is required only because the person is new.
        for_new_person: bool,
    },
    /// The name is too long or holds a control character (a line break in a
    /// quoted cell, a tab, NUL): the rule the API applies to names.
    #[error("{problem}")]
    InvalidName {
        /// What is wrong with it.
        problem: climb_people::NameProblem,
    },
    /// The email (or the manager's email) is not a valid address.
    #[error("`{value}` in `{column}` is not a valid email address")]
    InvalidEmail {
        /// `email` or `manager_email`.
        column: &'static str,
        /// The cell as written.
        value: String,
    },
    /// Another row of the file has the same email.
    #[error("the email is already used on row {first_row}")]
    DuplicateEmail {
        /// The first row that has it.
        first_row: u64,
    },
    /// The role is not a role of the framework.
    #[error("unknown role `{role}`")]
    UnknownRole {
        /// The cell as written.
        role: String,
    },
    /// A date is not `YYYY-MM-DD`.
    #[error("`{value}` in `{column}` is not a date (YYYY-MM-DD)")]
    InvalidDate {
        /// `start_date` or `end_date`.
        column: &'static str,
        /// The cell as written.
        value: String,
    },
    /// The status is neither `active` nor `left`.
    #[error("unknown status `{value}`; expected `active` or `left`")]
    InvalidStatus {
        /// The cell as written.
        value: String,
    },
    /// The end date is before the start date.
    #[error("end_date {end} is before start_date {start}")]
    EndBeforeStart {
        /// The (effective) start date.
        start: chrono::NaiveDate,
        /// The (effective) end date.
        end: chrono::NaiveDate,
    },
    /// A person marked `left` has no end date.
    #[error("a person who left needs an end_date")]
    MissingEndDate,
    /// The row marks as active someone the store records as having left.
    #[error("this person has left; import cannot make them active again (hire them anew instead)")]
    CannotReactivate,
    /// An active person has an end date.
    #[error("end_date is set but the status is `active`; set status to `left` to record leaving")]
    EndDateWhileActive,
    /// The manager is neither in the file nor among the existing people.
    #[error("manager `{manager}` is neither in the file nor an existing person")]
    UnknownManager {
        /// The manager's email.
        manager: String,
    },
    /// The manager's role does not allow reports (an individual contributor).
    #[error("manager `{manager}` holds role `{role}`, which has no reports")]
    ManagerCannotHaveReports {
        /// The manager's email.
        manager: String,
        /// The manager's (new) role.
        role: String,
    },
    /// This row gives the person a role without reports while people still
    /// report to them.
    #[error("role `{role}` has no reports, but {reports} people report to this person")]
    RoleCannotHaveReports {
        /// The new role.
        role: String,
        /// How many active people report to them.
        reports: usize,
    },
    /// The manager has left (or leaves in this file).
    #[error("manager `{manager}` has left")]
    ManagerLeft {
        /// The manager's email.
        manager: String,
    },
    /// This row marks the person as left while active people report to them.
    #[error("{reports} active people still report to this person; reassign them first")]
    HasReports {
        /// How many active people report to them.
        reports: usize,
    },
    /// Following managers from this row leads back to it.
    #[error("reporting cycle: {}", .cycle.join(" -> "))]
    ReportingCycle {
        /// The emails on the cycle, starting and ending with this row's.
        cycle: Vec<String>,
    },
    /// Skipped because the row of its manager was rejected.
    #[error("skipped: the row of manager `{manager}` (row {manager_row}) was rejected")]
    ManagerRowRejected {
        /// The manager's email.
        manager: String,
        /// The manager's row.
        manager_row: u64,
    },
}

impl RowErrorKind {
    /// The stable error code. Codes shared with the rest of climb (SPEC §4)
    /// keep their names: `invalid_email`, `manager_cannot_have_reports`,
    /// `reporting_cycle`, `has_reports`.
    pub fn code(&self) -> &'static str {
        match self {
            Self::WrongFieldCount { .. } => "wrong_field_count",
            Self::NotUtf8 => "not_utf8",
            Self::MissingField { .. } => "missing_field",
            Self::InvalidName { .. } => "invalid_name",
            Self::InvalidEmail { .. } => "invalid_email",
            Self::DuplicateEmail { .. } => "duplicate_email",
            Self::UnknownRole { .. } => "unknown_role",
            Self::InvalidDate { .. } => "invalid_date",
            Self::InvalidStatus { .. } => "invalid_status",
            Self::EndBeforeStart { .. } => "end_before_start",
            Self::MissingEndDate => "missing_end_date",
            Self::EndDateWhileActive => "end_date_while_active",
            Self::CannotReactivate => "cannot_reactivate",
            Self::UnknownManager { .. } => "unknown_manager",
            Self::ManagerCannotHaveReports { .. } | Self::RoleCannotHaveReports { .. } => {
                "manager_cannot_have_reports"
            }
            Self::ManagerLeft { .. } => "manager_left",
            Self::HasReports { .. } => "has_reports",
            Self::ReportingCycle { .. } => "reporting_cycle",
            Self::ManagerRowRejected { .. } => "manager_row_rejected",
        }
    }
}
