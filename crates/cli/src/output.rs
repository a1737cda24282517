//! Terminal output shared by the commands: exit codes, error reporting,
//! styles (colour only on a terminal, via anstream), tables and JSON.

use std::fmt;
use std::io::{IsTerminal, Write};

use anstyle::{AnsiColor, Style};
use comfy_table::{Table, presets};
use serde::Serialize;

/// Success, or no errors found.
pub(crate) const EXIT_OK: u8 = 0;
/// The command ran and found a problem (check errors, no path).
pub(crate) const EXIT_FAILURE: u8 = 1;
/// Usage or I/O error.
pub(crate) const EXIT_USAGE: u8 = 2;

/// An error already reported to the user; the binary exits with this status
/// without printing anything more.
#[derive(Debug)]
pub(crate) struct Reported(pub(crate) u8);

impl fmt::Display for Reported {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "exit status {}", self.0)
    }
}

impl std::error::Error for Reported {}

pub(crate) const ERROR: Style = AnsiColor::Red.on_default().bold();
pub(crate) const WARNING: Style = AnsiColor::Yellow.on_default().bold();
pub(crate) const HEADING: Style = Style::new().bold();
pub(crate) const DIM: Style = Style::new().dimmed();
pub(crate) const ACCENT: Style = AnsiColor::Cyan.on_default();

/// Prints an error with its chain of causes, unless it was already reported.
pub(crate) fn report_error(error: &anyhow::Error) {
    if error.downcast_ref::<Reported>().is_some() {
        return;
    }
    let mut stderr = anstream::stderr();
    let _ = write!(stderr, "{ERROR}error{ERROR:#}: {error}");
    for cause in error.chain().skip(1) {
        let _ = write!(stderr, ": {cause}");
    }
    let _ = writeln!(stderr);
}

/// The exit status an error maps to.
pub(crate) fn exit_status(error: &anyhow::Error) -> u8 {
    error
        .downcast_ref::<Reported>()
        .map_or(EXIT_USAGE, |reported| reported.0)
}

/// Whether diagnostics written to stderr should be coloured.
pub(crate) fn stderr_color() -> bool {
    anstream::AutoStream::choice(&std::io::stderr()) != anstream::ColorChoice::Never
        && std::io::stderr().is_terminal()
}

/// Prints a value as pretty JSON on stdout.
pub(crate) fn print_json(value: &impl Serialize) -> anyhow::Result<()> {
    let mut stdout = std::io::stdout().lock();
    serde_json::to_writer_pretty(&mut stdout, value)?;
    writeln!(stdout)?;
    Ok(())
}

/// A borderless table with aligned columns and a bold header row.
pub(crate) fn table<const N: usize>(header: [&str; N]) -> Table {
    let mut table = Table::new();
    table.load_preset(presets::NOTHING);
    if N > 0 {
        table.set_header(header);
    }
    table
}

/// Prints a table built with [`table`] without its leading indentation, its
/// header row (if it has one) in bold. The style goes on after the layout:
/// inside a cell its escape codes would count towards the column's width.
pub(crate) fn print_table(table: &Table) {
    let mut stdout = anstream::stdout();
    let mut header = table.header().is_some();
    for line in table.lines() {
        let line = line.trim_end();
        let _ = if std::mem::take(&mut header) {
            writeln!(stdout, "{HEADING}{line}{HEADING:#}")
        } else {
            writeln!(stdout, "{line}")
        };
    }
}
