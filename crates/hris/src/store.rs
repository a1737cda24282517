//! The store side of import and export, so that `climb import` and `climb
//! export` are a few lines: snapshot the people already stored, validate the
//! whole file against them, write the accepted rows in one transaction;
//! export everyone as CSV.

use std::fs::File;
use std::io::{BufReader, Read, Write};
use std::path::Path;

use climb_framework::{Framework, RoleId};
use climb_people::{Actor, Email};
use climb_store::{ExportPerson, ImportPerson, ImportSummary, Store};

use crate::error::{HrisError, RowError};
use crate::progress::{Progress, Stage};
use crate::read::read_plan;
use crate::row::{ExistingPerson, PersonRow};
use crate::validate::Existing;
use crate::warning::RowWarning;
use crate::write::CsvWriter;

/// How an import behaves.
#[derive(Debug, Clone, Copy)]
pub struct ImportOptions {
    /// Import the valid rows even when some are rejected (rows depending on
    /// a rejected row are skipped too); otherwise any rejected row means
    /// nothing is written.
    pub skip_invalid: bool,
    /// Refuse the whole file, writing nothing, when a row would be recorded
    /// against the framework (see [`RowWarning`]); otherwise such rows are
    /// imported as corrections and reported.
    pub strict: bool,
    /// Who the audit log records as having made the changes.
    pub actor: Actor,
}

impl Default for ImportOptions {
    /// All or nothing, recorded as done by an administrator.
    fn default() -> Self {
        Self {
            skip_invalid: false,
            strict: false,
            actor: Actor::admin(None),
        }
    }
}

/// What an import did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportReport {
    /// Data rows in the file.
    pub rows_read: u64,
    /// Rows written to the store.
    pub imported: usize,
    /// People created, updated and left unchanged.
    pub summary: ImportSummary,
    /// Rows rejected or skipped (only with `skip_invalid`; otherwise they
    /// come back in [`HrisError::InvalidRows`]).
    pub skipped: Vec<RowError>,
    /// Imported rows whose role change is no transition of the framework,
    /// recorded as corrections.
    pub warnings: Vec<RowWarning>,
}

/// Imports a CSV file by path; see [`import_reader`]. The file's size drives
/// the progress percentage.
pub async fn import_file(
    store: &Store,
    framework: &Framework,
    path: &Path,
    options: ImportOptions,
    progress: &dyn Progress,
) -> Result<ImportReport, HrisError> {
    let file = File::open(path)?;
    let size = file.metadata().ok().map(|m| m.len());
    import_reader(
        store,
        framework,
        BufReader::with_capacity(1 << 16, file),
        size,
        options,
        progress,
    )
    .await
}

/// Reads, validates and imports CSV from any reader. Header problems and
/// I/O errors fail at once; rejected rows fail with
/// [`HrisError::InvalidRows`] (nothing written) unless `skip_invalid`; with
/// `strict`, rows that warn fail with [`HrisError::StrictRefused`] (nothing
/// written); store
/// failures come back as [`HrisError::Store`] (the transaction writes all
/// or nothing). Reading and checking are synchronous CPU work done in place.
pub async fn import_reader<R: Read>(
    store: &Store,
    framework: &Framework,
    reader: R,
    total_bytes: Option<u64>,
    options: ImportOptions,
    progress: &dyn Progress,
) -> Result<ImportReport, HrisError> {
    let existing = existing_people(store).await?;
    let plan = read_plan(framework, &existing, reader, total_bytes, progress)?;
    drop(existing);
    if !plan.errors.is_empty() && !options.skip_invalid {
        return Err(HrisError::InvalidRows(plan.errors));
    }
    if options.strict && !plan.warnings.is_empty() {
        return Err(HrisError::StrictRefused(plan.warnings));
    }
    let imported = plan.rows.len();
    let rows: Vec<ImportPerson> = plan.rows.into_iter().map(ImportPerson::from).collect();
    let summary = if rows.is_empty() {
        ImportSummary::default()
    } else {
        progress.start(Stage::Writing, None);
        let summary = store.import_people(framework, options.actor, rows).await;
        progress.finish();
        summary?
    };
    Ok(ImportReport {
        rows_read: plan.rows_read,
        imported,
        summary,
        skipped: plan.errors,
        warnings: plan.warnings,
    })
}

/// The people the store holds, as validation needs them.
pub async fn existing_people(store: &Store) -> Result<Existing, HrisError> {
    let people = store.export_people().await?;
    let mut existing = Existing::new();
    for person in people {
        let row = person_row(person)?;
        let (Some(role), Some(status), Some(start_date)) = (row.role, row.status, row.start_date)
        else {
            continue;
        };
        existing.insert(
            row.email,
            ExistingPerson {
                role,
                manager_email: row.manager_email,
                status,
                start_date,
                end_date: row.end_date,
            },
        );
    }
    Ok(existing)
}

/// Writes everyone in the store as CSV (by id, header first) and returns
/// the number of rows. Importing the output into an empty store recreates
/// the same people, roles, managers, dates and statuses.
pub async fn export<W: Write>(
    store: &Store,
    writer: W,
    progress: &dyn Progress,
) -> Result<u64, HrisError> {
    let people = store.export_people().await?;
    progress.start(Stage::Exporting, Some(people.len() as u64));
    let mut csv = CsvWriter::new(writer)?;
    for person in people {
        csv.write(&person_row(person)?)?;
        if csv.rows() % 4096 == 0 {
            progress.set(csv.rows());
        }
    }
    let rows = csv.rows();
    let mut inner = csv.finish()?;
    inner.flush()?;
    progress.finish();
    Ok(rows)
}

/// A stored person as a complete row.
fn person_row(person: ExportPerson) -> Result<PersonRow, HrisError> {
    let stored = |what: &str, value: &str| HrisError::StoredData(format!("{what} `{value}`"));
    let email = Email::parse(&person.email).map_err(|_| stored("email", &person.email))?;
    let role = RoleId::parse(person.role.as_str()).map_err(|_| stored("role", &person.role))?;
    let manager_email = person
        .manager_email
        .as_deref()
        .map(|m| Email::parse(m).map_err(|_| stored("manager email", m)))
        .transpose()?;
    Ok(PersonRow {
        email,
        name: Some(person.name),
        role: Some(role),
        manager_email,
        start_date: Some(person.start_date),
        status: Some(person.status),
        end_date: person.end_date,
    })
}

impl From<PersonRow> for ImportPerson {
    fn from(row: PersonRow) -> Self {
        ImportPerson {
            email: row.email,
            name: row.name,
            role: row.role,
            manager_email: row.manager_email,
            start_date: row.start_date,
            status: row.status,
            end_date: row.end_date,
        }
    }
}
