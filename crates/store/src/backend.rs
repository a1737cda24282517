//! Picks the backend from the database URL and opens a connection pool with
//! the settings each backend needs (SQLite: WAL, full sync, foreign keys, a
//! busy timeout, a 64 MiB page cache; a single connection for an in-memory
//! database).

use std::time::Duration;

use sqlx::any::{AnyPoolOptions, install_default_drivers};
use sqlx::{AnyPool, Executor};

use crate::error::StoreError;

/// The database behind a store.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Backend {
    /// SQLite, embedded: a file (`sqlite://climb.db`) or memory (`sqlite::memory:`).
    Sqlite,
    /// PostgreSQL (`postgres://…`), for several instances sharing one database.
    Postgres,
}

impl Backend {
    /// The backend a URL selects, or [`StoreError::UnsupportedUrl`].
    pub fn from_url(url: &str) -> Result<Self, StoreError> {
        if url.starts_with("sqlite:") {
            Ok(Self::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(Self::Postgres)
        } else {
            Err(StoreError::UnsupportedUrl(redact(url)))
        }
    }

    /// `count` bind placeholders separated by commas, for an `IN (…)` list:
    /// `?, ?, ?` on SQLite, `$1, $2, $3` on PostgreSQL.
    pub(crate) fn placeholders(self, count: usize) -> String {
        let mut list = String::new();
        for n in 0..count {
            if n > 0 {
                list.push_str(", ");
            }
            match self {
                Self::Sqlite => list.push('?'),
                Self::Postgres => list.push_str(&format!("${}", n + 1)),
            }
        }
        list
    }

    /// `sqlite` or `postgres`: names the migration folder.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Sqlite => "sqlite",
            Self::Postgres => "postgres",
        }
    }
}

/// The URL without a password, for messages and logs.
pub(crate) fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let userinfo = &url[scheme + 3..at];
            match userinfo.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..scheme + 3], &url[at..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

fn is_memory(url: &str) -> bool {
    url.contains(":memory:") || url.contains("mode=memory")
}

/// A file URL gets `mode=rwc` so the database is created on first use.
fn sqlite_url(url: &str) -> String {
    if is_memory(url) || url.contains("mode=") {
        url.to_owned()
    } else if url.contains('?') {
        format!("{url}&mode=rwc")
    } else {
        format!("{url}?mode=rwc")
    }
}

/// Opens a pool for `url`.
pub(crate) async fn connect(url: &str) -> Result<(Backend, AnyPool), StoreError> {
    install_default_drivers();
    let backend = Backend::from_url(url)?;
    let pool = match backend {
        Backend::Sqlite => {
            let memory = is_memory(url);
            // An in-memory database lives as long as its one connection.
            let options = if memory {
                AnyPoolOptions::new()
                    .max_connections(1)
                    .min_connections(1)
                    .idle_timeout(None)
                    .max_lifetime(None)
            } else {
                AnyPoolOptions::new().max_connections(4)
            };
            options
                .after_connect(|conn, _meta| {
                    Box::pin(async move {
                        conn.execute(
                            "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; \
                             PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 10000; \
                             PRAGMA cache_size = -65536; PRAGMA temp_store = MEMORY;",
                        )
                        .await?;
                        Ok(())
                    })
                })
                .connect(&sqlite_url(url))
                .await
        }
        Backend::Postgres => {
            AnyPoolOptions::new()
                .max_connections(8)
                .acquire_timeout(Duration::from_secs(30))
                .connect(url)
                .await
        }
    }
    .map_err(StoreError::Connect)?;
    Ok((backend, pool))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_url_scheme_picks_the_backend() {
        assert_eq!(
            Backend::from_url("sqlite://climb.db").ok(),
            Some(Backend::Sqlite)
        );
        assert_eq!(
            Backend::from_url("sqlite::memory:").ok(),
            Some(Backend::Sqlite)
        );
        assert_eq!(
            Backend::from_url("postgres://u@h/db").ok(),
            Some(Backend::Postgres)
        );
        assert!(Backend::from_url("mysql://h/db").is_err());
    }

    #[test]
    fn a_sqlite_file_is_created_on_first_use() {
        assert_eq!(
            sqlite_url("sqlite://climb.db"),
            "sqlite://climb.db?mode=rwc"
        );
        assert_eq!(sqlite_url("sqlite::memory:"), "sqlite::memory:");
        assert_eq!(sqlite_url("sqlite://x.db?mode=ro"), "sqlite://x.db?mode=ro");
    }

    #[test]
    fn passwords_are_not_shown() {
        assert_eq!(redact("postgres://u:secret@h/db"), "postgres://u:***@h/db");
        assert_eq!(redact("postgres://u@h/db"), "postgres://u@h/db");
    }
}
