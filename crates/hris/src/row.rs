//! The row types: [`RawRow`], a data row as read (plain strings), and
//! [`PersonRow`], a validated row in domain types where every field but the
//! email may be `None`, meaning "no change" on re-import.

use chrono::NaiveDate;
use climb_framework::RoleId;
use climb_people::{Email, Status};

use crate::columns::Column;

/// One data row as read from a file, before validation: trimmed cells, with
/// blank cells and absent columns as `None`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RawRow {
    /// 1-based data row (the header is not counted).
    pub row: u64,
    /// 1-based physical line where the row starts.
    pub line: u64,
    cells: [Option<String>; 7],
}

impl RawRow {
    /// An empty row at a position.
    pub fn new(row: u64, line: u64) -> Self {
        Self {
            row,
            line,
            cells: Default::default(),
        }
    }

    /// Sets a cell (builder style); a blank value counts as absent.
    #[must_use]
    pub fn with(mut self, column: Column, value: &str) -> Self {
        self.set(column, value);
        self
    }

    /// Sets a cell; a blank value counts as absent.
    pub fn set(&mut self, column: Column, value: &str) {
        let value = value.trim();
        self.cells[column.index()] = (!value.is_empty()).then(|| value.to_owned());
    }

    /// A cell, `None` when blank or absent.
    pub fn get(&self, column: Column) -> Option<&str> {
        self.cells[column.index()].as_deref()
    }

    pub(crate) fn cells(&self) -> [Option<&str>; 7] {
        std::array::from_fn(|i| self.cells[i].as_deref())
    }
}

/// A validated row. `email` identifies the person; every other field is
/// `None` when its cell was blank, which on re-import means "leave as is"
/// (for a new person `name` and `role` are always present).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonRow {
    /// Normalised email (lowercase).
    pub email: Email,
    /// Display name.
    pub name: Option<String>,
    /// A role of the framework.
    pub role: Option<RoleId>,
    /// The manager, in the file or among existing people.
    pub manager_email: Option<Email>,
    /// First day.
    pub start_date: Option<NaiveDate>,
    /// Active or left.
    pub status: Option<Status>,
    /// Last day (only for people who left).
    pub end_date: Option<NaiveDate>,
}

impl PersonRow {
    /// A row with only the email set ("change nothing").
    pub fn new(email: Email) -> Self {
        Self {
            email,
            name: None,
            role: None,
            manager_email: None,
            start_date: None,
            status: None,
            end_date: None,
        }
    }

    /// The cell text for a column, as export writes it (blank for `None`).
    pub fn cell(&self, column: Column) -> String {
        match column {
            Column::Email => self.email.to_string(),
            Column::Name => self.name.clone().unwrap_or_default(),
            Column::Role => self
                .role
                .as_ref()
                .map(ToString::to_string)
                .unwrap_or_default(),
            Column::ManagerEmail => self
                .manager_email
                .as_ref()
                .map(ToString::to_string)
                .unwrap_or_default(),
            Column::StartDate => self.start_date.map(format_date).unwrap_or_default(),
            Column::Status => self
                .status
                .map(|s| s.as_str().to_owned())
                .unwrap_or_default(),
            Column::EndDate => self.end_date.map(format_date).unwrap_or_default(),
        }
    }
}

/// What the store already holds about a person, as validation needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExistingPerson {
    /// The role held now.
    pub role: RoleId,
    /// Their manager, if any.
    pub manager_email: Option<Email>,
    /// Active or left.
    pub status: Status,
    /// First day.
    pub start_date: NaiveDate,
    /// Last day, once they left.
    pub end_date: Option<NaiveDate>,
}

/// Formats a date as the CSV writes it, `YYYY-MM-DD`.
pub fn format_date(date: NaiveDate) -> String {
    date.format("%Y-%m-%d").to_string()
}

/// Parses a strict `YYYY-MM-DD` date (four-digit year, two-digit month and day).
pub fn parse_date(raw: &str) -> Option<NaiveDate> {
    let bytes = raw.as_bytes();
    let shape_ok = bytes.len() == 10
        && bytes.iter().enumerate().all(|(i, b)| match i {
            4 | 7 => *b == b'-',
            _ => b.is_ascii_digit(),
        });
    if !shape_ok {
        return None;
    }
    // Digits only from here; parsing them directly is several times faster
    // than a format string, which matters at a million rows.
    let number = |range: std::ops::Range<usize>| {
        bytes[range]
            .iter()
            .fold(0u32, |n, b| n * 10 + u32::from(b - b'0'))
    };
    let year = i32::try_from(number(0..4)).ok()?;
    NaiveDate::from_ymd_opt(year, number(5..7), number(8..10))
}

/// Parses a status cell, case-insensitively: `active` or `left`.
pub fn parse_status(raw: &str) -> Option<Status> {
    if raw.eq_ignore_ascii_case("active") {
        Some(Status::Active)
    } else if raw.eq_ignore_ascii_case("left") {
        Some(Status::Left)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_strict_iso_dates_parse() {
        assert_eq!(
            parse_date("2024-02-29"),
            NaiveDate::from_ymd_opt(2024, 2, 29)
        );
        for bad in [
            "2023-02-29",
            "2024-2-3",
            "24-02-03",
            "2024/02/03",
            "2024-02-03T00:00",
            "",
            "２０２４-02-03",
        ] {
            assert_eq!(parse_date(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn statuses_parse_case_insensitively() {
        assert_eq!(parse_status("Active"), Some(Status::Active));
        assert_eq!(parse_status("LEFT"), Some(Status::Left));
        assert_eq!(parse_status("gone"), None);
    }

    #[test]
    fn blank_cells_are_absent() {
        let row = RawRow::new(1, 2)
            .with(Column::Name, "   ")
            .with(Column::Role, " cto ");
        assert_eq!(row.get(Column::Name), None);
        assert_eq!(row.get(Column::Role), Some("cto"));
    }
}
