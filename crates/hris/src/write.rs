//! CSV writing: the documented columns in their documented order, RFC 4180
//! quoting (only where needed) and CRLF line ends, so that an export imports
//! back losing nothing.

use std::io::Write;

use crate::columns::Column;
use crate::error::HrisError;
use crate::row::PersonRow;

/// Writes people rows as CSV, header first. Streams: nothing is buffered
/// beyond the writer's own buffer.
#[derive(Debug)]
pub struct CsvWriter<W: Write> {
    csv: csv::Writer<W>,
    rows: u64,
}

impl<W: Write> CsvWriter<W> {
    /// Writes the header; fails when the writer does.
    pub fn new(writer: W) -> Result<Self, HrisError> {
        let mut csv = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .quote_style(csv::QuoteStyle::Necessary)
            .from_writer(writer);
        csv.write_record(Column::ALL.map(Column::name))?;
        Ok(Self { csv, rows: 0 })
    }

    /// Writes one row.
    pub fn write(&mut self, row: &PersonRow) -> Result<(), HrisError> {
        self.csv.write_record(Column::ALL.map(|c| row.cell(c)))?;
        self.rows += 1;
        Ok(())
    }

    /// Rows written so far (the header not counted).
    pub fn rows(&self) -> u64 {
        self.rows
    }

    /// Flushes and hands back the writer.
    pub fn finish(self) -> Result<W, HrisError> {
        self.csv
            .into_inner()
            .map_err(|e| HrisError::Io(e.into_error()))
    }
}

/// Writes all rows to `writer`, header first; returns how many rows.
pub fn write_rows<'r, W: Write>(
    writer: W,
    rows: impl IntoIterator<Item = &'r PersonRow>,
) -> Result<u64, HrisError> {
    let mut csv = CsvWriter::new(writer)?;
    for row in rows {
        csv.write(row)?;
    }
    let count = csv.rows();
    let mut inner = csv.finish()?;
    inner.flush()?;
    Ok(count)
}
