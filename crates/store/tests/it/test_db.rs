//! A fresh, empty database per test: a SQLite file in a temporary directory,
//! or a new `t_…` database on the PostgreSQL server of `CLIMB_TEST_PG_URL`
//! (required with `CLIMB_REQUIRE_PG=1`). Shared by the store and server test
//! suites, which include this file. [`TestDb::hold_writers_lock`] makes the
//! store's writes queue up behind another connection, to fill a batch.
//!
//! Either is gone when the `TestDb` is dropped: a whole run creates hundreds
//! of PostgreSQL databases, and kept they would fill the disk.

use std::sync::atomic::{AtomicU64, Ordering};

use sqlx::{Connection, Executor};

/// A fresh, empty database for one test.
pub(crate) struct TestDb {
    /// Its URL.
    pub(crate) url: String,
    _dir: Option<tempfile::TempDir>,
    /// The PostgreSQL server's admin URL and the database's name, to drop it.
    postgres: Option<(String, String)>,
}

impl TestDb {
    /// A new SQLite file in a temporary directory.
    pub(crate) fn sqlite() -> Self {
        let dir = tempfile::tempdir().expect("temporary directory");
        let url = format!("sqlite://{}", dir.path().join("climb.db").display());
        Self {
            url,
            _dir: Some(dir),
            postgres: None,
        }
    }

    /// A new database on the PostgreSQL server of `CLIMB_TEST_PG_URL`; `None`
    /// (skip) when it is unset, unless `CLIMB_REQUIRE_PG=1`.
    pub(crate) async fn postgres() -> Option<Self> {
        let Ok(admin) = std::env::var("CLIMB_TEST_PG_URL") else {
            assert!(
                std::env::var("CLIMB_REQUIRE_PG").as_deref() != Ok("1"),
                "CLIMB_REQUIRE_PG=1 but CLIMB_TEST_PG_URL is not set (run scripts/pg-cluster.sh start)"
            );
            eprintln!("skipped: CLIMB_TEST_PG_URL is not set");
            return None;
        };
        static COUNTER: AtomicU64 = AtomicU64::new(0);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or(0);
        let name = format!(
            "t_{}_{}_{}",
            std::process::id(),
            nanos,
            COUNTER.fetch_add(1, Ordering::Relaxed)
        );
        sqlx::any::install_default_drivers();
        let mut conn = sqlx::AnyConnection::connect(&admin)
            .await
            .expect("connect to CLIMB_TEST_PG_URL");
        conn.execute(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
            .await
            .expect("create test database");
        let _ = conn.close().await;
        let base = admin
            .rsplit_once('/')
            .map_or(admin.as_str(), |(base, _)| base);
        Some(Self {
            url: format!("{base}/{name}"),
            _dir: None,
            postgres: Some((admin, name)),
        })
    }
}

impl Drop for TestDb {
    /// Drops the PostgreSQL database, ending any connection still open on it.
    /// On a thread and runtime of its own: `Drop` cannot await, and the
    /// test's runtime may be shutting down.
    fn drop(&mut self) {
        let Some((admin, name)) = self.postgres.take() else {
            return;
        };
        let dropped = std::thread::spawn(move || {
            let Ok(runtime) = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
            else {
                return;
            };
            runtime.block_on(async {
                if let Ok(mut conn) = sqlx::AnyConnection::connect(&admin).await {
                    let _ = conn
                        .execute(sqlx::AssertSqlSafe(format!(
                            "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
                        )))
                        .await;
                    let _ = conn.close().await;
                }
            });
        });
        let _ = dropped.join();
    }
}

/// Another connection's transaction holding the database's writers' lock
/// (the row every writer updates first): the store's writes wait behind it,
/// and queued ones pile up, until it is released.
pub(crate) struct WritersLock(sqlx::AnyConnection);

impl TestDb {
    /// Takes the writers' lock on a connection of its own.
    pub(crate) async fn hold_writers_lock(&self) -> WritersLock {
        sqlx::any::install_default_drivers();
        let mut conn = sqlx::AnyConnection::connect(&self.url)
            .await
            .expect("connect");
        if self.url.starts_with("sqlite:") {
            conn.execute("PRAGMA busy_timeout = 10000")
                .await
                .expect("busy timeout");
        }
        conn.execute("BEGIN").await.expect("begin");
        conn.execute("UPDATE store_lock SET n = n + 1 WHERE id = 1")
            .await
            .expect("writers' lock taken");
        WritersLock(conn)
    }
}

impl WritersLock {
    /// Ends the transaction, committing its write to the lock row, so a
    /// transaction that read before it holds a stale snapshot.
    #[allow(dead_code)]
    pub(crate) async fn commit(mut self) {
        self.0.execute("COMMIT").await.expect("lock committed");
        let _ = self.0.close().await;
    }

    /// Ends the transaction, writing nothing.
    pub(crate) async fn release(mut self) {
        self.0.execute("ROLLBACK").await.expect("lock released");
        let _ = self.0.close().await;
    }
}
