//! The documented CSV columns and the header that maps a file's column order
//! onto them (case-insensitive names, any order, unknown names refused).

use crate::error::HrisError;

/// A column of the people CSV.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Column {
    /// The person's email; identifies the row (required in every row).
    Email,
    /// Display name.
    Name,
    /// Role id of the framework.
    Role,
    /// The manager's email.
    ManagerEmail,
    /// First day, `YYYY-MM-DD`.
    StartDate,
    /// `active` or `left`.
    Status,
    /// Last day, `YYYY-MM-DD`, for people who left.
    EndDate,
}

impl Column {
    /// Every column, in the order export writes them.
    pub const ALL: [Column; 7] = [
        Column::Email,
        Column::Name,
        Column::Role,
        Column::ManagerEmail,
        Column::StartDate,
        Column::Status,
        Column::EndDate,
    ];

    /// The documented header, comma-separated, for messages.
    pub const ALL_NAMES: &'static str = "email,name,role,manager_email,start_date,status,end_date";

    /// The header name.
    pub fn name(self) -> &'static str {
        match self {
            Column::Email => "email",
            Column::Name => "name",
            Column::Role => "role",
            Column::ManagerEmail => "manager_email",
            Column::StartDate => "start_date",
            Column::Status => "status",
            Column::EndDate => "end_date",
        }
    }

    /// The column a header cell names: trimmed, case-insensitive, a leading
    /// byte-order mark ignored.
    pub fn parse(raw: &str) -> Option<Column> {
        let cleaned = raw.trim_start_matches('\u{feff}').trim();
        Column::ALL
            .into_iter()
            .find(|c| c.name().eq_ignore_ascii_case(cleaned))
    }

    pub(crate) fn index(self) -> usize {
        self as usize
    }
}

/// Where each column sits in a particular file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header {
    /// For each file position, the column it holds.
    positions: Vec<Column>,
}

impl Header {
    /// Maps header cells to columns; fails on an unknown or repeated column
    /// or a missing `email` column. Absent columns other than `email` are
    /// allowed: their cells count as blank ("no change").
    pub fn parse<'a>(cells: impl IntoIterator<Item = &'a str>) -> Result<Header, HrisError> {
        let mut positions = Vec::new();
        let mut seen: [Option<usize>; 7] = [None; 7];
        for (i, cell) in cells.into_iter().enumerate() {
            let position = i + 1;
            let column = Column::parse(cell).ok_or_else(|| HrisError::UnknownColumn {
                name: cell.trim_start_matches('\u{feff}').to_owned(),
                position,
            })?;
            if let Some(first) = seen[column.index()] {
                return Err(HrisError::DuplicateColumn {
                    name: column.name(),
                    first,
                    second: position,
                });
            }
            seen[column.index()] = Some(position);
            positions.push(column);
        }
        if seen[Column::Email.index()].is_none() {
            return Err(HrisError::MissingEmailColumn);
        }
        Ok(Header { positions })
    }

    /// The column at a file position.
    pub fn column_at(&self, position: usize) -> Option<Column> {
        self.positions.get(position).copied()
    }

    /// How many cells every row must have.
    pub fn len(&self) -> usize {
        self.positions.len()
    }

    /// Whether the header has no column (never true for a parsed header).
    pub fn is_empty(&self) -> bool {
        self.positions.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_names_are_case_insensitive_and_in_any_order() {
        let header = Header::parse(["Role", " EMAIL ", "\u{feff}Name"]);
        let header = header.map(|h| h.positions);
        assert_eq!(
            header.ok(),
            Some(vec![Column::Role, Column::Email, Column::Name])
        );
    }

    #[test]
    fn an_unknown_column_is_refused_with_its_position() {
        let err = Header::parse(["email", "salary"]);
        assert!(
            matches!(err, Err(HrisError::UnknownColumn { ref name, position: 2 }) if name == "salary")
        );
    }

    #[test]
    fn a_repeated_column_is_refused() {
        let err = Header::parse(["email", "role", "ROLE"]);
        assert!(matches!(
            err,
            Err(HrisError::DuplicateColumn {
                name: "role",
                first: 2,
                second: 3
            })
        ));
    }

    #[test]
    fn a_header_without_email_is_refused() {
        let err = Header::parse(["name", "role"]);
        assert!(matches!(err, Err(HrisError::MissingEmailColumn)));
    }
}
