//! Why a store call failed: the database could not be reached or migrated, a
//! query failed, or the domain refused the command.

use climb_people::{PeopleError, PersonId};

/// A failed store call.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The URL names no supported backend (`sqlite:` or `postgres://`).
    #[error("unsupported database URL `{0}`: use sqlite://FILE, sqlite::memory: or postgres://…")]
    UnsupportedUrl(String),
    /// The database could not be opened or reached.
    #[error("cannot connect to the database: {0}")]
    Connect(#[source] sqlx::Error),
    /// A migration failed; the database is left at the previous version.
    #[error("migration {version} ({name}) failed: {source}")]
    Migration {
        /// The migration's number.
        version: i64,
        /// Its file name.
        name: &'static str,
        /// The database's answer.
        #[source]
        source: sqlx::Error,
    },
    /// The database holds migrations newer than this program knows.
    #[error("the database was migrated by a newer climb (version {found}, this one knows {known})")]
    DatabaseTooNew {
        /// Highest migration applied in the database.
        found: i64,
        /// Highest migration this build carries.
        known: i64,
    },
    /// A query failed.
    #[error("database query failed: {0}")]
    Query(#[from] sqlx::Error),
    /// A stored value could not be read back (corrupt or foreign data).
    #[error("stored data is unreadable: {0}")]
    Corrupt(String),
    /// The domain refused the command (carries the stable code of SPEC §5).
    #[error(transparent)]
    Domain(#[from] PeopleError),
    /// The database refused a second person with the same email.
    #[error("{email} already belongs to someone else")]
    EmailTaken {
        /// The email.
        email: String,
    },
    /// A framework version cannot be loaded: people hold roles it removes
    /// without a `[[renames]]` entry. Lists every one of them.
    #[error("the new framework removes roles people still hold: {}", list_holders(.0))]
    RolesRemoved(Vec<RemovedRoleHolder>),
    /// A one-on-one request was refused (carries the stable code).
    #[error(transparent)]
    OneOnOne(#[from] climb_management::one_on_one::OneOnOneError),
    /// An opening request was refused (carries the stable code).
    #[error(transparent)]
    Opening(#[from] climb_management::opening::OpeningError),
    /// No such one-on-one record, opening or update (`what` names it).
    #[error("there is no {0}")]
    NotFound(&'static str),
    /// A rule of the manager's work refused the request (422), with its
    /// stable code (`review_signed`, `missing_evidence`, …).
    #[error("{message}")]
    Refused {
        /// The stable code.
        code: &'static str,
        /// A message for people.
        message: String,
    },
    /// The caller may see the record but not do this to it (403).
    #[error("{message}")]
    NotYours {
        /// The stable code.
        code: &'static str,
        /// A message for people.
        message: String,
    },
    /// A review, cycle, goal or proposal id that names nothing (404).
    #[error("{message}")]
    Missing {
        /// The stable code (`unknown_review`, …).
        code: &'static str,
        /// A message for people.
        message: String,
    },
    /// A backup or restore cannot be made (the message says why and what
    /// to do); nothing was written to the target.
    #[error("{0}")]
    Backup(String),
    /// The batch of queued commands this one was written in could not
    /// begin or commit, so none of them was written; every command of the
    /// batch gets the same error.
    #[error("the batch of writes this change was in failed: {0}")]
    Batch(std::sync::Arc<StoreError>),
    /// The store's writer task is gone (its runtime is shutting down).
    #[error("the store's writer has stopped")]
    WriterStopped,
    /// An import row names something the store cannot resolve.
    #[error("import row for {email}: {message}")]
    Import {
        /// The row's email.
        email: String,
        /// What is wrong.
        message: String,
    },
}

/// A person who holds a role that a new framework version removes.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RemovedRoleHolder {
    /// Who.
    pub person: PersonId,
    /// Their name.
    pub name: String,
    /// Their email.
    pub email: String,
    /// The role the new version no longer has.
    pub role: String,
}

fn list_holders(holders: &[RemovedRoleHolder]) -> String {
    holders
        .iter()
        .map(|h| format!("{} <{}> in `{}`", h.name, h.email, h.role))
        .collect::<Vec<_>>()
        .join(", ")
}

impl StoreError {
    /// The stable error code clients match on: the domain's code for a refused
    /// command, `email_taken`, `roles_removed`, `invalid_import`, or
    /// `internal` for database failures.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Domain(e) => e.code(),
            Self::OneOnOne(e) => e.code(),
            Self::Opening(e) => e.code(),
            Self::NotFound(_) => "not_found",
            Self::EmailTaken { .. } => "email_taken",
            Self::RolesRemoved(_) => "roles_removed",
            Self::Import { .. } => "invalid_import",
            Self::Refused { code, .. }
            | Self::NotYours { code, .. }
            | Self::Missing { code, .. } => code,
            Self::UnsupportedUrl(_) => "unsupported_url",
            Self::Batch(e) => e.code(),
            _ => "internal",
        }
    }
}

/// Whether a database error is the unique violation of `people.email`.
pub(crate) fn is_email_violation(error: &sqlx::Error) -> bool {
    match error {
        sqlx::Error::Database(db) => {
            db.is_unique_violation()
                && (db.constraint().is_some_and(|c| c.contains("email"))
                    || db.message().contains("email"))
        }
        _ => false,
    }
}
