//! Where in the source something was found: a file, a line and a column
//! (both 1-based), and the warnings and errors that carry one.

use std::fmt;

/// A place in a source file; lines and columns count from 1, columns in
/// characters.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Location {
    /// The file as the user named it (or its path inside the folder).
    pub file: String,
    /// The line, from 1.
    pub line: usize,
    /// The column in characters, from 1.
    pub column: usize,
}

impl Location {
    /// A location in `file`.
    pub fn new(file: impl Into<String>, line: usize, column: usize) -> Self {
        Self {
            file: file.into(),
            line,
            column,
        }
    }

    /// The location of byte `offset` of `text` (clamped to the text and to
    /// a character boundary).
    pub fn at_byte(file: &str, text: &str, offset: usize) -> Self {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let before = &text[..offset];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |at| at + 1);
        let column = before[line_start..].chars().count() + 1;
        Self::new(file, line, column)
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.file, self.line, self.column)
    }
}

/// Something the source says that the climb framework cannot hold, or a
/// default the importer chose where the source said nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    /// Where the source says it.
    pub location: Location,
    /// What was not carried over, in a sentence.
    pub message: String,
}

impl Warning {
    pub(crate) fn new(location: Location, message: impl Into<String>) -> Self {
        Self {
            location,
            message: message.into(),
        }
    }
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: warning: {}", self.location, self.message)
    }
}

/// Why a source could not be imported.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ImportError {
    /// The source cannot be read as the format at all: not UTF-8, a syntax
    /// error, an unterminated string, nesting too deep.
    #[error("{location}: error: {message}")]
    Unreadable {
        /// Where reading stopped.
        location: Location,
        /// What is wrong there.
        message: String,
    },
    /// The source reads, but does not hold what a framework needs (no
    /// tracks, no levels, a seniority out of range, a column not found).
    #[error("{location}: error: {message}")]
    Unmappable {
        /// What could not be mapped.
        location: Location,
        /// Why.
        message: String,
    },
}

impl ImportError {
    pub(crate) fn unreadable(location: Location, message: impl Into<String>) -> Self {
        Self::Unreadable {
            location,
            message: message.into(),
        }
    }

    pub(crate) fn unmappable(location: Location, message: impl Into<String>) -> Self {
        Self::Unmappable {
            location,
            message: message.into(),
        }
    }

    /// Where the problem is.
    pub fn location(&self) -> &Location {
        match self {
            Self::Unreadable { location, .. } | Self::Unmappable { location, .. } => location,
        }
    }
}

/// The bytes of `file` as UTF-8, or an error at the first byte that is not.
pub(crate) fn decode<'a>(file: &str, bytes: &'a [u8]) -> Result<&'a str, ImportError> {
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(text.strip_prefix('\u{feff}').unwrap_or(text)),
        Err(error) => {
            let valid = error.valid_up_to();
            let before = std::str::from_utf8(&bytes[..valid]).unwrap_or_default();
            Err(ImportError::unreadable(
                Location::at_byte(file, before, valid),
                "the file is not UTF-8 text",
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_byte_offset_becomes_a_line_and_a_character_column() {
        let text = "ab\ncé d\n";
        assert_eq!(Location::at_byte("f", text, 0).to_string(), "f:1:1");
        assert_eq!(Location::at_byte("f", text, 3).to_string(), "f:2:1");
        // `é` is two bytes but one column.
        assert_eq!(Location::at_byte("f", text, 7).to_string(), "f:2:4");
        assert_eq!(Location::at_byte("f", text, 999).to_string(), "f:3:1");
    }

    #[test]
    fn bytes_that_are_not_utf8_are_refused_where_they_start() {
        let error = decode("f.csv", b"a,b\nc,\xff\n").expect_err("refused");
        assert_eq!(
            error.to_string(),
            "f.csv:2:3: error: the file is not UTF-8 text"
        );
    }
}

/// Turns byte offsets of one text into locations without rescanning the
/// text for each.
#[derive(Debug)]
pub(crate) struct Lines<'a> {
    file: &'a str,
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> Lines<'a> {
    pub(crate) fn new(file: &'a str, text: &'a str) -> Self {
        let starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(at, _)| at + 1))
            .collect();
        Self { file, text, starts }
    }

    /// The location of byte `offset`.
    pub(crate) fn at(&self, offset: usize) -> Location {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.starts.partition_point(|start| *start <= offset);
        let start = self.starts[line.saturating_sub(1)];
        let column = self.text[start..offset].chars().count() + 1;
        Location::new(self.file, line.max(1), column)
    }
}
