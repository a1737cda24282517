//! Backup and restore of a whole climb database while it serves.
//!
//! - **SQLite**: `VACUUM INTO` writes a consistent copy of the database as
//!   of one moment, while other connections go on writing; the copy is an
//!   ordinary SQLite file, checked with `PRAGMA integrity_check`.
//! - **PostgreSQL**: `pg_dump --format=custom` inside a repeatable-read
//!   transaction whose snapshot it shares (`--snapshot`), so the counts the
//!   summary gives are those of the dump, to the row.
//!
//! A restore goes into an empty database of the same backend only, and
//! refuses a backup whose schema is newer than this build knows before it
//! writes anything. After it, the store migrates the copy forward as usual.

use std::path::{Path, PathBuf};

use serde::Serialize;
use sqlx::{AnyConnection, Connection, Executor};

use crate::backend::{Backend, redact};
use crate::chain::Checkpoint;
use crate::error::StoreError;
use crate::store::Store;

/// What a backup holds, read as of its moment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BackupSummary {
    /// The backend it came from.
    pub backend: &'static str,
    /// The people-side schema version.
    pub schema: i64,
    /// The accounts schema version (0 when the database has none).
    pub accounts_schema: i64,
    /// People, active or not.
    pub people: i64,
    /// Audit events.
    pub audit_events: i64,
    /// The audit chain's head, a checkpoint `climb audit verify` can check
    /// the restored copy against.
    pub head: Option<Checkpoint>,
}

fn failed(message: impl Into<String>) -> StoreError {
    StoreError::Backup(message.into())
}

/// The file a `sqlite:` URL names; `None` for an in-memory database.
fn sqlite_path(url: &str) -> Option<PathBuf> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next().unwrap_or(rest);
    (!path.is_empty() && !path.contains(":memory:")).then(|| PathBuf::from(path))
}

/// Reads the summary inside the caller's connection (or transaction).
async fn summarize(
    conn: &mut AnyConnection,
    backend: Backend,
) -> Result<BackupSummary, StoreError> {
    let schema: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(version), 0) FROM schema_migrations")
        .fetch_one(&mut *conn)
        .await?;
    let accounts_schema = if table_exists(conn, backend, "accounts_migrations").await? {
        sqlx::query_scalar("SELECT COALESCE(MAX(version), 0) FROM accounts_migrations")
            .fetch_one(&mut *conn)
            .await?
    } else {
        0
    };
    let people: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM people")
        .fetch_one(&mut *conn)
        .await?;
    let audit_events: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM audit_events")
        .fetch_one(&mut *conn)
        .await?;
    let head: Option<(i64, Option<String>)> =
        sqlx::query_as("SELECT seq, digest FROM audit_events ORDER BY seq DESC LIMIT 1")
            .fetch_optional(&mut *conn)
            .await?;
    Ok(BackupSummary {
        backend: backend.as_str(),
        schema,
        accounts_schema,
        people,
        audit_events,
        head: head.and_then(|(seq, digest)| {
            Some(Checkpoint {
                seq,
                digest: digest?,
            })
        }),
    })
}

async fn table_exists(
    conn: &mut AnyConnection,
    backend: Backend,
    table: &str,
) -> Result<bool, StoreError> {
    let sql = match backend {
        Backend::Postgres => {
            "SELECT COUNT(*) FROM information_schema.tables \
             WHERE table_schema = current_schema() AND table_name = $1"
        }
        Backend::Sqlite => "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = $1",
    };
    let found: i64 = sqlx::query_scalar(sql)
        .bind(table)
        .fetch_one(&mut *conn)
        .await?;
    Ok(found > 0)
}

/// How many tables the database at `url` holds (0: empty, safe to restore into).
async fn count_tables(conn: &mut AnyConnection, backend: Backend) -> Result<i64, StoreError> {
    let sql = match backend {
        Backend::Postgres => {
            "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema()"
        }
        Backend::Sqlite => "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'",
    };
    Ok(sqlx::query_scalar(sql).fetch_one(&mut *conn).await?)
}

/// Refuses a schema newer than this build carries.
fn check_known(summary: &BackupSummary, backend: Backend) -> Result<(), StoreError> {
    let known = crate::migrate::known_version(backend);
    let known_accounts = crate::accounts::known_accounts_version();
    if summary.schema > known || summary.accounts_schema > known_accounts {
        return Err(failed(format!(
            "the backup was made by a newer climb (schema {}, accounts {}; this one knows {known}, {known_accounts}): \
             restore it with that version or later",
            summary.schema, summary.accounts_schema
        )));
    }
    Ok(())
}

impl Store {
    /// Writes a consistent copy of the database to `target` while writers
    /// go on, and returns what it holds. `url` is the store's own URL (the
    /// PostgreSQL dump connects with it). `target` must not exist.
    #[tracing::instrument(skip_all, fields(backend = self.backend().as_str()))]
    pub async fn backup(&self, url: &str, target: &Path) -> Result<BackupSummary, StoreError> {
        if target.exists() {
            return Err(failed(format!(
                "`{}` exists; a backup never overwrites a file",
                target.display()
            )));
        }
        match self.backend() {
            Backend::Sqlite => self.backup_sqlite(target).await,
            Backend::Postgres => self.backup_postgres(url, target).await,
        }
    }

    async fn backup_sqlite(&self, target: &Path) -> Result<BackupSummary, StoreError> {
        let Some(target_text) = target.to_str() else {
            return Err(failed("the backup file's name must be UTF-8"));
        };
        let mut conn = self.pool.acquire().await?;
        sqlx::query("VACUUM INTO $1")
            .bind(target_text)
            .execute(&mut *conn)
            .await?;
        drop(conn);
        let mut copy = open_sqlite_file(target).await?;
        check_integrity(&mut copy, target).await?;
        let summary = summarize(&mut copy, Backend::Sqlite).await;
        copy.close().await.ok();
        summary
    }

    async fn backup_postgres(&self, url: &str, target: &Path) -> Result<BackupSummary, StoreError> {
        let mut tx = self.pool.begin().await?;
        tx.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            .await?;
        let snapshot: String = sqlx::query_scalar("SELECT pg_export_snapshot()")
            .fetch_one(&mut *tx)
            .await?;
        let summary = summarize(&mut tx, Backend::Postgres).await?;
        let output = tokio::process::Command::new("pg_dump")
            .arg("--format=custom")
            .arg("--no-owner")
            .arg("--no-privileges")
            .arg(format!("--snapshot={snapshot}"))
            .arg("--file")
            .arg(target)
            .arg("--dbname")
            .arg(url)
            .output()
            .await
            .map_err(|e| {
                failed(format!(
                    "cannot run pg_dump ({e}): install PostgreSQL's client tools"
                ))
            })?;
        tx.rollback().await?;
        if !output.status.success() {
            std::fs::remove_file(target).ok();
            return Err(failed(format!(
                "pg_dump failed on {}: {}",
                redact(url),
                String::from_utf8_lossy(&output.stderr).trim()
            )));
        }
        Ok(summary)
    }
}

async fn open_sqlite_file(path: &Path) -> Result<AnyConnection, StoreError> {
    sqlx::any::install_default_drivers();
    AnyConnection::connect(&format!("sqlite://{}?mode=ro", path.display()))
        .await
        .map_err(|e| {
            failed(format!(
                "cannot open `{}` as a SQLite database: {e}",
                path.display()
            ))
        })
}

async fn check_integrity(conn: &mut AnyConnection, path: &Path) -> Result<(), StoreError> {
    let verdict: Vec<String> = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_all(&mut *conn)
        .await?;
    if verdict != ["ok"] {
        return Err(failed(format!(
            "`{}` fails SQLite's integrity check: {}",
            path.display(),
            verdict.join("; ")
        )));
    }
    Ok(())
}

/// What kind of backup a file is, by its first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum BackupKind {
    Sqlite,
    PgDump,
}

fn backup_kind(file: &Path) -> Result<BackupKind, StoreError> {
    use std::io::Read;
    let mut head = [0u8; 16];
    let read = std::fs::File::open(file)
        .and_then(|mut f| f.read(&mut head))
        .map_err(|e| failed(format!("cannot read `{}`: {e}", file.display())))?;
    match &head[..read] {
        h if h.starts_with(b"SQLite format 3\0") => Ok(BackupKind::Sqlite),
        h if h.starts_with(b"PGDMP") => Ok(BackupKind::PgDump),
        _ => Err(failed(format!(
            "`{}` is not a climb backup (neither a SQLite file nor a PostgreSQL custom dump)",
            file.display()
        ))),
    }
}

/// Restores `file` into the empty database at `url`; returns what it holds.
#[tracing::instrument(skip_all)]
pub async fn restore(file: &Path, url: &str) -> Result<BackupSummary, StoreError> {
    let backend = Backend::from_url(url)?;
    match (backup_kind(file)?, backend) {
        (BackupKind::Sqlite, Backend::Sqlite) => restore_sqlite(file, url).await,
        (BackupKind::PgDump, Backend::Postgres) => restore_postgres(file, url).await,
        (BackupKind::Sqlite, Backend::Postgres) => Err(failed(
            "this is a SQLite backup: restore it into a sqlite:// database",
        )),
        (BackupKind::PgDump, Backend::Sqlite) => Err(failed(
            "this is a PostgreSQL dump: restore it into a postgres:// database",
        )),
    }
}

async fn restore_sqlite(file: &Path, url: &str) -> Result<BackupSummary, StoreError> {
    let Some(target) = sqlite_path(url) else {
        return Err(failed(
            "restore into a SQLite file (sqlite://FILE), not into memory",
        ));
    };
    let nonempty = std::fs::metadata(&target).is_ok_and(|m| m.len() > 0);
    if nonempty {
        return Err(failed(format!(
            "`{}` exists and is not empty; restore into a new file",
            target.display()
        )));
    }
    let mut backup = open_sqlite_file(file).await?;
    check_integrity(&mut backup, file).await?;
    let summary = summarize(&mut backup, Backend::Sqlite).await?;
    backup.close().await.ok();
    check_known(&summary, Backend::Sqlite)?;
    // Copied beside the target and renamed into place, so a half-written
    // copy never looks like a database.
    let partial = target.with_extension("restoring");
    std::fs::copy(file, &partial)
        .and_then(|_| std::fs::File::open(&partial)?.sync_all())
        .and_then(|()| std::fs::rename(&partial, &target))
        .map_err(|e| {
            std::fs::remove_file(&partial).ok();
            failed(format!("cannot write `{}`: {e}", target.display()))
        })?;
    Ok(summary)
}

async fn restore_postgres(file: &Path, url: &str) -> Result<BackupSummary, StoreError> {
    let versions = |table: &'static str| async move {
        let output = tokio::process::Command::new("pg_restore")
            .args(["--data-only", "--table", table, "--file", "-"])
            .arg(file)
            .output()
            .await
            .map_err(|e| {
                failed(format!(
                    "cannot run pg_restore ({e}): install PostgreSQL's client tools"
                ))
            })?;
        if !output.status.success() {
            return Err(failed(format!(
                "`{}` cannot be read by pg_restore: {}",
                file.display(),
                String::from_utf8_lossy(&output.stderr).trim()
            )));
        }
        Ok(max_copied_version(&String::from_utf8_lossy(&output.stdout)))
    };
    let schema = versions("schema_migrations").await?;
    let accounts_schema = versions("accounts_migrations").await?;
    let probe = BackupSummary {
        backend: Backend::Postgres.as_str(),
        schema,
        accounts_schema,
        people: 0,
        audit_events: 0,
        head: None,
    };
    check_known(&probe, Backend::Postgres)?;

    sqlx::any::install_default_drivers();
    let mut conn = AnyConnection::connect(url)
        .await
        .map_err(StoreError::Connect)?;
    if count_tables(&mut conn, Backend::Postgres).await? > 0 {
        return Err(failed(format!(
            "{} is not empty; restore into a new database",
            redact(url)
        )));
    }
    let output = tokio::process::Command::new("pg_restore")
        .args([
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--single-transaction",
        ])
        .arg("--dbname")
        .arg(url)
        .arg(file)
        .output()
        .await
        .map_err(|e| {
            failed(format!(
                "cannot run pg_restore ({e}): install PostgreSQL's client tools"
            ))
        })?;
    if !output.status.success() {
        return Err(failed(format!(
            "pg_restore failed (nothing was restored): {}",
            String::from_utf8_lossy(&output.stderr).trim()
        )));
    }
    let summary = summarize(&mut conn, Backend::Postgres).await;
    conn.close().await.ok();
    summary
}

/// The highest first column of the rows in `pg_restore`'s plain `COPY` output.
fn max_copied_version(sql: &str) -> i64 {
    let mut max = 0;
    let mut in_copy = false;
    for line in sql.lines() {
        if line.starts_with("COPY ") {
            in_copy = true;
        } else if line == "\\." {
            in_copy = false;
        } else if in_copy && let Some(Ok(version)) = line.split('\t').next().map(str::parse::<i64>)
        {
            max = max.max(version);
        }
    }
    max
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_urls_name_their_file() {
        assert_eq!(
            sqlite_path("sqlite://climb.db"),
            Some(PathBuf::from("climb.db"))
        );
        assert_eq!(
            sqlite_path("sqlite:/tmp/x.db?mode=rwc"),
            Some(PathBuf::from("/tmp/x.db"))
        );
        assert_eq!(sqlite_path("sqlite::memory:"), None);
        assert_eq!(sqlite_path("postgres://x"), None);
    }

    #[test]
    fn copied_versions_are_read_from_a_plain_dump() {
        let dump = "SET x = 1;\nCOPY public.schema_migrations (version, name, applied_at) FROM stdin;\n\
                    1\t0001_people.sql\tt\n6\t0006_audit_chain.sql\tt\n4\t0004_reviews.sql\tt\n\\.\n";
        assert_eq!(max_copied_version(dump), 6);
        assert_eq!(max_copied_version(""), 0);
    }
}
