//! Streaming CSV reading: a header, then data rows fed one by one into the
//! [`Validator`]. Memory stays bounded by one record plus the validated rows;
//! the raw file is never held. Tolerates a UTF-8 byte-order mark, CRLF line
//! endings and RFC 4180 quoting (commas and newlines inside quotes), also
//! when blanks stand between a comma and the opening quote.

use std::collections::VecDeque;
use std::io::Read;

use climb_framework::Framework;

use crate::columns::{Column, Header};
use crate::error::{HrisError, RowError, RowErrorKind};
use crate::progress::{Progress, Stage};
use crate::row::RawRow;
use crate::validate::{Existing, ImportPlan, Validator};

/// Report progress every this many rows (cheap enough, smooth enough).
const PROGRESS_EVERY: u64 = 4096;

/// Reads and validates a whole CSV file: header problems and I/O failures
/// are errors; bad rows are collected in the plan. `total_bytes`, when known,
/// lets the progress show a percentage.
pub fn read_plan<R: Read>(
    framework: &Framework,
    existing: &Existing,
    reader: R,
    total_bytes: Option<u64>,
    progress: &dyn Progress,
) -> Result<ImportPlan, HrisError> {
    let mut validator = Validator::new(framework, existing);
    progress.start(Stage::Reading, total_bytes);
    read_records(
        reader,
        |record| {
            match record {
                Record::Cells { row, line, cells } => validator.push(row, line, cells),
                Record::Unreadable {
                    row,
                    line,
                    email,
                    kind,
                } => validator.push_unreadable(row, line, email, kind),
            }
            Ok(())
        },
        |bytes| progress.set(bytes),
    )?;
    progress.finish();
    progress.start(Stage::Validating, None);
    let plan = validator.finish();
    progress.finish();
    Ok(plan)
}

/// Reads a CSV file into plain rows without validating them; rows that
/// cannot be read come back as errors. Meant for tests and tools; imports
/// use [`read_plan`], which does not keep the raw rows.
pub fn read_raw<R: Read>(reader: R) -> Result<Vec<Result<RawRow, RowError>>, HrisError> {
    let mut rows = Vec::new();
    read_records(
        reader,
        |record| {
            rows.push(match record {
                Record::Cells { row, line, cells } => {
                    let mut raw = RawRow::new(row, line);
                    for (column, cell) in Column::ALL.into_iter().zip(cells) {
                        if let Some(value) = cell {
                            raw.set(column, value);
                        }
                    }
                    Ok(raw)
                }
                Record::Unreadable {
                    row,
                    line,
                    email,
                    kind,
                } => Err(RowError {
                    row,
                    line,
                    email: email.map(str::to_owned),
                    kind,
                }),
            });
            Ok(())
        },
        |_| {},
    )?;
    Ok(rows)
}

/// One data record, borrowed from the reader's buffer.
pub(crate) enum Record<'r> {
    /// A readable row; cells indexed like [`Column::ALL`].
    Cells {
        row: u64,
        line: u64,
        cells: [Option<&'r str>; 7],
    },
    /// A row with the wrong number of cells or invalid UTF-8.
    Unreadable {
        row: u64,
        line: u64,
        email: Option<&'r str>,
        kind: RowErrorKind,
    },
}

/// Drives the CSV reader, calling `each` per data record and `at_byte` now
/// and then with the byte offset reached.
pub(crate) fn read_records<R: Read>(
    reader: R,
    mut each: impl FnMut(Record<'_>) -> Result<(), HrisError>,
    mut at_byte: impl FnMut(u64),
) -> Result<(), HrisError> {
    let mut csv = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(LineTracker::new(BlanksBeforeFields::new(reader)));
    let mut record = csv::ByteRecord::new();
    if !csv.read_byte_record(&mut record)? {
        return Err(HrisError::MissingHeader);
    }
    let header_cells: Vec<String> = record
        .iter()
        .map(|cell| String::from_utf8_lossy(cell).into_owned())
        .collect();
    let header = Header::parse(header_cells.iter().map(String::as_str))?;
    let email_position = (0..header.len()).find(|&p| header.column_at(p) == Some(Column::Email));
    let mut row = 0u64;
    while csv.read_byte_record(&mut record)? {
        row += 1;
        // The CSV reader's own line count lags behind after a CRLF, so lines
        // are counted from the bytes themselves.
        let start = record.position().map_or(0, csv::Position::byte);
        let line = csv.get_mut().line_at(start);
        if row.is_multiple_of(PROGRESS_EVERY) {
            at_byte(start);
        }
        let email = email_position
            .and_then(|p| record.get(p))
            .and_then(|cell| std::str::from_utf8(cell).ok());
        if record.len() != header.len() {
            each(Record::Unreadable {
                row,
                line,
                email,
                kind: RowErrorKind::WrongFieldCount {
                    expected: header.len(),
                    found: record.len(),
                },
            })?;
            continue;
        }
        let mut cells: [Option<&str>; 7] = [None; 7];
        let mut utf8 = true;
        for (position, cell) in record.iter().enumerate() {
            match (header.column_at(position), std::str::from_utf8(cell)) {
                (Some(column), Ok(text)) => cells[column.index()] = Some(text),
                (_, Err(_)) => utf8 = false,
                (None, Ok(_)) => {}
            }
        }
        if utf8 {
            each(Record::Cells { row, line, cells })?;
        } else {
            each(Record::Unreadable {
                row,
                line,
                email,
                kind: RowErrorKind::NotUtf8,
            })?;
        }
    }
    Ok(())
}

/// Drops the spaces and tabs at the start of every cell, before the CSV
/// reader sees them. The reader trims cells anyway, so this changes nothing
/// for a plain cell; but it recognises a quote only as a cell's very first
/// byte, and took `a, "b\nc"` for a cell holding a literal quote that the
/// newline ended, refusing the row as `wrong_field_count`. Without the
/// blanks the quote opens the cell as its author meant. Only blanks are
/// dropped, never a line break, so lines are counted as in the file.
#[derive(Debug)]
struct BlanksBeforeFields<R> {
    inner: R,
    state: CellState,
}

/// Where the bytes seen so far leave the CSV grammar (RFC 4180, with the
/// CSV reader's leniency after a closing quote).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CellState {
    /// At the start of a cell: after a comma or a line break, or at the
    /// start of the input.
    Start,
    /// Inside a cell that did not open with a quote.
    Plain,
    /// Inside a quoted cell.
    Quoted,
    /// Just after a quote inside a quoted cell: the cell's end, or the
    /// first half of a doubled quote.
    QuoteInQuoted,
}

impl<R> BlanksBeforeFields<R> {
    fn new(inner: R) -> Self {
        Self {
            inner,
            state: CellState::Start,
        }
    }

    /// Moves past one byte; `false` when the byte is to be dropped.
    fn keep(&mut self, byte: u8) -> bool {
        let ends_cell = matches!(byte, b',' | b'\r' | b'\n');
        self.state = match (self.state, byte) {
            (CellState::Start, b' ' | b'\t') => return false,
            (CellState::Start, b'"') | (CellState::QuoteInQuoted, b'"') => CellState::Quoted,
            (CellState::Quoted, b'"') => CellState::QuoteInQuoted,
            (CellState::Quoted, _) => CellState::Quoted,
            (_, _) if ends_cell => CellState::Start,
            (_, _) => CellState::Plain,
        };
        true
    }
}

impl<R: Read> Read for BlanksBeforeFields<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        loop {
            let n = self.inner.read(buf)?;
            if n == 0 {
                return Ok(0);
            }
            let mut kept = 0;
            for i in 0..n {
                let byte = buf[i];
                if self.keep(byte) {
                    buf[kept] = byte;
                    kept += 1;
                }
            }
            // Returning 0 would mean the end of the input: when a whole
            // read was blanks, read on.
            if kept > 0 {
                return Ok(kept);
            }
        }
    }
}

/// Wraps the input to find the physical line where each record starts: it
/// remembers where the line breaks are in the window the CSV reader has
/// buffered but not yet passed, and how many newlines lie before it.
#[derive(Debug)]
struct LineTracker<R> {
    inner: R,
    /// Bytes read so far.
    offset: u64,
    /// Offsets of `\r` and `\n` bytes not yet passed, each `true` when it
    /// ends a line: a `\r`, or a `\n` not right after a `\r` (so `\r\n`,
    /// `\n` and a lone `\r`, as old Mac files end lines, count once each).
    breaks: VecDeque<(u64, bool)>,
    /// Whether the last byte read was a `\r`.
    after_cr: bool,
    /// Line ends passed.
    newlines_before: u64,
}

impl<R> LineTracker<R> {
    fn new(inner: R) -> Self {
        Self {
            inner,
            offset: 0,
            breaks: VecDeque::new(),
            after_cr: false,
            newlines_before: 0,
        }
    }

    /// The 1-based line of the first byte at or after `start` that is not a
    /// line break (a record position may point at the end of the previous
    /// record's CRLF or at blank lines the reader skips). Positions must
    /// not decrease between calls.
    fn line_at(&mut self, start: u64) -> u64 {
        while let Some(&(at, newline)) = self.breaks.front() {
            if at >= start {
                break;
            }
            self.newlines_before += u64::from(newline);
            self.breaks.pop_front();
        }
        let gap_newlines: u64 = (start..)
            .zip(&self.breaks)
            .take_while(|(expected, (at, _))| at == expected)
            .map(|(_, (_, newline))| u64::from(*newline))
            .sum();
        1 + self.newlines_before + gap_newlines
    }
}

impl<R: Read> Read for LineTracker<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        for (i, &byte) in buf[..n].iter().enumerate() {
            match byte {
                b'\r' => self.breaks.push_back((self.offset + i as u64, true)),
                b'\n' => self
                    .breaks
                    .push_back((self.offset + i as u64, !self.after_cr)),
                _ => {}
            }
            self.after_cr = byte == b'\r';
        }
        self.offset += n as u64;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(text: &str) -> Vec<(u64, u64)> {
        read_raw(text.as_bytes())
            .map(|rows| {
                rows.into_iter()
                    .map(|r| r.map_or_else(|e| (e.row, e.line), |r| (r.row, r.line)))
                    .collect()
            })
            .unwrap_or_default()
    }

    fn names(text: &str) -> Vec<Option<String>> {
        read_raw(text.as_bytes())
            .map(|rows| {
                rows.into_iter()
                    .map(|r| r.ok().and_then(|r| r.get(Column::Name).map(str::to_owned)))
                    .collect()
            })
            .unwrap_or_default()
    }

    #[test]
    fn blanks_before_an_opening_quote_do_not_hide_it() {
        assert_eq!(
            names("email,name\na@x.io, \t\"A\nB, \"\"C\"\"\" ,\n"),
            [None],
            "a row of three cells under a header of two"
        );
        assert_eq!(
            names("email,name\na@x.io, \t\"A\nB, \"\"C\"\"\" \nb@x.io,  D  E\n"),
            [Some("A\nB, \"C\"".to_owned()), Some("D  E".to_owned())]
        );
    }

    #[test]
    fn blanks_inside_quotes_and_cells_are_kept() {
        assert_eq!(
            names("email,name\na@x.io,\" A\n  B \"\n"),
            [Some("A\n  B".to_owned())],
            "the reader trims the cell's ends, not its inside"
        );
        assert_eq!(
            names("email,name\na@x.io,\"x\"\" ,\"\"y\"\n"),
            [Some("x\" ,\"y".to_owned())]
        );
    }

    #[test]
    fn lines_are_counted_alike_for_lf_crlf_blank_lines_and_quoted_newlines() {
        assert_eq!(lines("email\na@x.io\nb@x.io\n"), [(1, 2), (2, 3)]);
        assert_eq!(lines("email\r\na@x.io\r\nb@x.io\r\n"), [(1, 2), (2, 3)]);
        assert_eq!(lines("email\r\n\r\n\r\na@x.io\r\nb@x.io"), [(1, 4), (2, 5)]);
        assert_eq!(
            lines("email,name\r\na@x.io,\"A\r\nB\nC\"\r\nb@x.io,B\r\n"),
            [(1, 2), (2, 5)]
        );
        assert_eq!(
            lines("email,name\r\na@x.io,  \"A\r\nB\nC\"\r\n  b@x.io,B\r\n"),
            [(1, 2), (2, 5)]
        );
    }

    #[test]
    fn a_file_whose_lines_end_in_a_lone_cr_counts_each() {
        assert_eq!(
            lines("email\ra@x.io\rb@x.io\r"),
            [(1, 2), (2, 3)],
            "each row on its own line, not all on line 1"
        );
        assert_eq!(
            lines("email,name\ra@x.io,\"A\rB\"\rb@x.io,B\r"),
            [(1, 2), (2, 4)]
        );
    }
}
