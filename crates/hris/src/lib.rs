//! HRIS-style CSV in and out for climb: streaming import with whole-file
//! validation (every bad row reported with its row and line), export that
//! round-trips, and the deterministic demo-company generator. Re-import rows
//! that change a role along no transition of the framework are imported as
//! corrections and reported as [`RowWarning`]s; a strict import refuses them.
//!
//! The library does no terminal handling of its own beyond
//! [`terminal_progress`]; the binary decides where files come from. The CLI
//! calls [`import_file`], [`export`] and [`demo::generate`] with
//! [`demo::write_demo_csv`].

mod columns;
pub mod demo;
mod error;
pub mod fuzzing;
mod progress;
mod read;
mod row;
mod store;
mod validate;
mod warning;
mod write;

pub use columns::{Column, Header};
pub use error::{HrisError, RowError, RowErrorKind};
pub use progress::{NoProgress, Progress, Stage, TerminalProgress, terminal_progress};
pub use read::{read_plan, read_raw};
pub use row::{ExistingPerson, PersonRow, RawRow, format_date, parse_date, parse_status};
pub use store::{ImportOptions, ImportReport, existing_people, export, import_file, import_reader};
pub use validate::{Existing, ImportPlan, Validator, plan};
pub use warning::{RowWarning, RowWarningKind};
pub use write::{CsvWriter, write_rows};
