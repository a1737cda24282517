//! Runs the embedded migrations of the backend in order, each in its own
//! transaction, recording them in `schema_migrations`. Merged migrations are
//! never edited: a schema change is a new file.

use sqlx::{AnyPool, Executor};

use crate::backend::Backend;
use crate::error::StoreError;

/// One migration: its number, file name and SQL, and what runs after it
/// in the same transaction.
struct Migration {
    version: i64,
    name: &'static str,
    sql: &'static str,
    then: Then,
}

/// A step of a migration that SQL alone cannot do.
#[derive(Clone, Copy)]
enum Then {
    Nothing,
    /// Seal the events already in the log (SHA-256 is computed here, not in
    /// SQL), then run the SQL that closes the columns to updates.
    SealAuditLog {
        sql: &'static str,
    },
}

const SQLITE: &[Migration] = &[
    Migration {
        version: 1,
        name: "0001_people.sql",
        sql: include_str!("../migrations/sqlite/0001_people.sql"),
        then: Then::Nothing,
    },
    Migration {
        version: 3,
        name: "0003_one_on_ones.sql",
        sql: include_str!("../migrations/sqlite/0003_one_on_ones.sql"),
        then: Then::Nothing,
    },
    Migration {
        version: 4,
        name: "0004_reviews.sql",
        sql: include_str!("../migrations/sqlite/0004_reviews.sql"),
        then: Then::Nothing,
    },
    Migration {
        version: 6,
        name: "0006_audit_chain.sql",
        sql: include_str!("../migrations/sqlite/0006_audit_chain.sql"),
        then: Then::SealAuditLog {
            sql: include_str!("../migrations/sqlite/0006_audit_chain.then.sql"),
        },
    },
    Migration {
        version: 9,
        name: "0009_review_columns.sql",
        sql: include_str!("../migrations/sqlite/0009_review_columns.sql"),
        then: Then::Nothing,
    },
    Migration {
        version: 10,
        name: "0010_oidc.sql",
        sql: include_str!("../migrations/sqlite/0010_oidc.sql"),
        then: Then::Nothing,
    },
    Migration {
        version: 11,
        name: "0011_scim.sql",
        sql: include_str!("../migrations/sqlite/0011_scim.sql"),
        then: Then::Nothing,
    },
    Migration {
        version: 12,
        name: "0012_webhooks.sql",
        sql: include_str!("../migrations/sqlite/0012_webhooks.sql"),
        then: Then::Nothing,
    },
    Migration {
        version: 16,
        name: "0016_audit_at.sql",
        sql: include_str!("../migrations/sqlite/0016_audit_at.sql"),
        then: Then::Nothing,
    },
];

const POSTGRES: &[Migration] = &[
    Migration {
        version: 1,
        name: "0001_people.sql",
        sql: include_str!("../migrations/postgres/0001_people.sql"),
        then: Then::Nothing,
    },
    Migration {
        version: 3,
        name: "0003_one_on_ones.sql",
        sql: include_str!("../migrations/postgres/0003_one_on_ones.sql"),
        then: Then::Nothing,
    },
    Migration {
        version: 4,
        name: "0004_reviews.sql",
        sql: include_str!("../migrations/postgres/0004_reviews.sql"),
        then: Then::Nothing,
    },
    Migration {
        version: 6,
        name: "0006_audit_chain.sql",
        sql: include_str!("../migrations/postgres/0006_audit_chain.sql"),
        then: Then::SealAuditLog {
            sql: include_str!("../migrations/postgres/0006_audit_chain.then.sql"),
        },
    },
    Migration {
        version: 9,
        name: "0009_review_columns.sql",
        sql: include_str!("../migrations/postgres/0009_review_columns.sql"),
        then: Then::Nothing,
    },
    Migration {
        version: 10,
        name: "0010_oidc.sql",
        sql: include_str!("../migrations/postgres/0010_oidc.sql"),
        then: Then::Nothing,
    },
    Migration {
        version: 11,
        name: "0011_scim.sql",
        sql: include_str!("../migrations/postgres/0011_scim.sql"),
        then: Then::Nothing,
    },
    Migration {
        version: 12,
        name: "0012_webhooks.sql",
        sql: include_str!("../migrations/postgres/0012_webhooks.sql"),
        then: Then::Nothing,
    },
    Migration {
        version: 16,
        name: "0016_audit_at.sql",
        sql: include_str!("../migrations/postgres/0016_audit_at.sql"),
        then: Then::Nothing,
    },
];

/// The highest people-side migration this build carries.
pub(crate) fn known_version(backend: Backend) -> i64 {
    let migrations = match backend {
        Backend::Sqlite => SQLITE,
        Backend::Postgres => POSTGRES,
    };
    migrations.iter().map(|m| m.version).max().unwrap_or(0)
}

/// Applies the migrations the database lacks. On PostgreSQL an advisory lock
/// keeps two instances starting at once from migrating together.
#[tracing::instrument(skip_all, fields(backend = backend.as_str()))]
pub(crate) async fn run(pool: &AnyPool, backend: Backend) -> Result<(), StoreError> {
    let migrations = match backend {
        Backend::Sqlite => SQLITE,
        Backend::Postgres => POSTGRES,
    };
    let known = known_version(backend);
    let mut tx = pool.begin().await?;
    if backend == Backend::Postgres {
        // Held until this transaction ends; the sub-select hides the `void`
        // result type, which the Any driver cannot decode.
        tx.execute("SELECT 1 FROM (SELECT pg_advisory_xact_lock(7312650113)) AS l")
            .await?;
    }
    tx.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations (\
         version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)",
    )
    .await?;
    let applied: Vec<i64> = sqlx::query_scalar("SELECT version FROM schema_migrations")
        .fetch_all(&mut *tx)
        .await?;
    if let Some(&found) = applied.iter().max()
        && found > known
    {
        return Err(StoreError::DatabaseTooNew { found, known });
    }
    for migration in migrations {
        if applied.contains(&migration.version) {
            continue;
        }
        tracing::info!(
            version = migration.version,
            name = migration.name,
            "migrating"
        );
        let failed = |source| StoreError::Migration {
            version: migration.version,
            name: migration.name,
            source,
        };
        sqlx::raw_sql(migration.sql)
            .execute(&mut *tx)
            .await
            .map_err(failed)?;
        if let Then::SealAuditLog { sql } = migration.then {
            let sealed = crate::chain::seal_existing(&mut tx).await?;
            tracing::info!(sealed, "audit log sealed");
            sqlx::raw_sql(sql).execute(&mut *tx).await.map_err(failed)?;
        }
        sqlx::query(
            "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)",
        )
        .bind(migration.version)
        .bind(migration.name)
        .bind(crate::codec::now_text())
        .execute(&mut *tx)
        .await
        .map_err(failed)?;
    }
    tx.commit().await?;
    Ok(())
}
