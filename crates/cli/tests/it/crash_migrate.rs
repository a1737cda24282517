//! Crash safety of a migration: a database at an older schema, holding an
//! imported company, is opened by `climb serve` of this build, which
//! migrates it, and the server is killed with SIGKILL at a random moment
//! of the migration; then:
//! - each migration sequence is before or after, never in between: the
//!   people side at the old versions, its audit log unsealed, or at every
//!   version this build knows with every event sealed; the accounts tables
//!   absent or at every version (they migrate after the people side);
//! - no row was lost or added, and the database passes its integrity check;
//! - a restart completes the migration, `climb audit verify` passes and
//!   `climb export` gives the company it held before, byte for byte.
//!
//! The old database is made as the migrations of that time made it: the
//! people migrations before the audit chain (never edited once merged) run
//! from their files, then the rows of a company imported by this build are
//! copied in. The audit-chain migration seals every event, one update each,
//! which is what makes it long enough to kill.
//!
//! CI runs `CLIMB_CRASH_CYCLES` cycles (5 by default) per backend on a
//! company of `CLIMB_CRASH_IMPORT_ROWS` people; `bench/crash.sh` runs 50 on
//! 100,000.

use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use sqlx::{Connection, Row};

use crate::crash_import::{
    Backend, Counts, audit_verifies, check_integrity_if_migrated, connect, counts, discard, export,
    import_rows, random_moment, table_exists,
};
use crate::serve::Served;

/// The people migrations of the schema before the audit chain: version
/// and file.
const OLD_MIGRATIONS: [(i64, &str); 3] = [
    (1, "0001_people.sql"),
    (3, "0003_one_on_ones.sql"),
    (4, "0004_reviews.sql"),
];

/// Where a database's schema stands.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Schema {
    /// The people migrations applied.
    people: Vec<i64>,
    /// The accounts migrations applied; `None` without their table.
    accounts: Option<Vec<i64>>,
    /// Audit events carrying a seal; `None` without the seal's columns.
    sealed: Option<i64>,
}

async fn versions(conn: &mut sqlx::AnyConnection, table: &str) -> Vec<i64> {
    sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "SELECT version FROM {table} ORDER BY version"
    )))
    .fetch_all(&mut *conn)
    .await
    .expect("versions read")
}

async fn schema(db: &str) -> Schema {
    let mut conn = connect(db).await;
    let people = versions(&mut conn, "schema_migrations").await;
    let accounts = if table_exists(&mut conn, db, "accounts_migrations").await {
        Some(versions(&mut conn, "accounts_migrations").await)
    } else {
        None
    };
    let sealable: i64 = sqlx::query_scalar(if db.starts_with("sqlite:") {
        "SELECT COUNT(*) FROM pragma_table_info('audit_events') WHERE name = 'digest'"
    } else {
        "SELECT COUNT(*) FROM information_schema.columns WHERE table_schema = current_schema() \
         AND table_name = 'audit_events' AND column_name = 'digest'"
    })
    .fetch_one(&mut conn)
    .await
    .expect("catalog read");
    let sealed = if sealable == 1 {
        Some(
            sqlx::query_scalar("SELECT COUNT(*) FROM audit_events WHERE digest IS NOT NULL")
                .fetch_one(&mut conn)
                .await
                .expect("counted"),
        )
    } else {
        None
    };
    conn.close().await.ok();
    Schema {
        people,
        accounts,
        sealed,
    }
}

/// A column's type, to read and bind it through the Any driver.
#[derive(Clone, Copy)]
enum Kind {
    Int,
    Text,
}

/// Copies `columns` of every row of `table`, in `order`, in batches.
/// Generated ids (role history, audit sequence) are left out and assigned
/// again in the same order.
async fn copy_rows(
    source: &mut sqlx::AnyConnection,
    target: &mut sqlx::AnyConnection,
    sqlite: bool,
    table: &str,
    order: &str,
    columns: &[(&str, Kind)],
) {
    let names = columns
        .iter()
        .map(|(name, _)| *name)
        .collect::<Vec<_>>()
        .join(", ");
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {names} FROM {table} ORDER BY {order}"
    )))
    .fetch_all(&mut *source)
    .await
    .expect("rows read");
    for batch in rows.chunks(500) {
        let mut sql = format!("INSERT INTO {table} ({names}) VALUES ");
        let mut n = 0;
        for (i, _) in batch.iter().enumerate() {
            sql.push_str(if i == 0 { "(" } else { ", (" });
            for c in 0..columns.len() {
                n += 1;
                if c > 0 {
                    sql.push_str(", ");
                }
                // SQLite looks numbered parameters up one by one.
                if sqlite {
                    sql.push('?');
                } else {
                    sql.push_str(&format!("${n}"));
                }
            }
            sql.push(')');
        }
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
        for row in batch {
            for (c, (_, kind)) in columns.iter().enumerate() {
                query = match kind {
                    Kind::Int => query.bind(row.try_get::<Option<i64>, _>(c).expect("int")),
                    Kind::Text => query.bind(row.try_get::<Option<String>, _>(c).expect("text")),
                };
            }
        }
        query.execute(&mut *target).await.expect("rows copied");
    }
}

/// Makes `old` a database of the schema before the audit chain, holding the
/// people, role history and audit log of `source`.
async fn make_old(backend: Backend, old: &str, source: &str) {
    let folder = match backend {
        Backend::Sqlite => "sqlite",
        Backend::Postgres => "postgres",
    };
    let target_url = match backend {
        Backend::Sqlite => format!("{old}?mode=rwc"),
        Backend::Postgres => old.to_owned(),
    };
    let mut target = connect(&target_url).await;
    let mut tx = target.begin().await.expect("transaction");
    sqlx::raw_sql(
        "CREATE TABLE schema_migrations (\
         version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)",
    )
    .execute(&mut *tx)
    .await
    .expect("schema_migrations");
    for (version, name) in OLD_MIGRATIONS {
        let file = format!(
            "{}/../store/migrations/{folder}/{name}",
            env!("CARGO_MANIFEST_DIR")
        );
        let sql = std::fs::read_to_string(&file).expect("migration file");
        sqlx::raw_sql(sqlx::AssertSqlSafe(sql))
            .execute(&mut *tx)
            .await
            .expect("old migration");
        sqlx::query(
            "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)",
        )
        .bind(version)
        .bind(name)
        .bind("2026-01-05T09:00:00.000000Z")
        .execute(&mut *tx)
        .await
        .expect("recorded");
    }
    let mut source = connect(source).await;
    let sqlite = backend == Backend::Sqlite;
    use Kind::{Int, Text};
    copy_rows(
        &mut source,
        &mut tx,
        sqlite,
        "people",
        "id",
        &[
            ("id", Int),
            ("name", Text),
            ("email", Text),
            ("status", Text),
            ("role", Text),
            ("manager_id", Int),
            ("start_date", Text),
            ("end_date", Text),
        ],
    )
    .await;
    copy_rows(
        &mut source,
        &mut tx,
        sqlite,
        "role_history",
        "id",
        &[
            ("person_id", Int),
            ("from_role", Text),
            ("to_role", Text),
            ("effective_date", Text),
            ("reason", Text),
            ("note", Text),
            ("correction", Int),
            ("proposal_id", Int),
        ],
    )
    .await;
    copy_rows(
        &mut source,
        &mut tx,
        sqlite,
        "audit_events",
        "seq",
        &[
            ("at", Text),
            ("actor", Text),
            ("action", Text),
            ("subject_kind", Text),
            ("subject_id", Int),
            ("before", Text),
            ("after", Text),
            ("change", Text),
        ],
    )
    .await;
    tx.commit().await.expect("committed");
    source.close().await.ok();
    target.close().await.ok();
}

/// A copy of the old database for one cycle.
async fn copy_of(backend: Backend, old: &str, dir: &Path, name: &str) -> String {
    match backend {
        Backend::Sqlite => {
            let file = dir.join(format!("{name}.db"));
            let mut conn = connect(old).await;
            sqlx::query(sqlx::AssertSqlSafe(format!(
                "VACUUM INTO '{}'",
                file.display()
            )))
            .execute(&mut conn)
            .await
            .expect("copied");
            conn.close().await.ok();
            format!("sqlite://{}", file.display())
        }
        Backend::Postgres => {
            static COPIES: AtomicU64 = AtomicU64::new(0);
            let admin = std::env::var("CLIMB_TEST_PG_URL").expect("PostgreSQL configured");
            let (base, template) = old.rsplit_once('/').expect("a database name");
            let copy = format!(
                "t_cli_{}_m{}",
                std::process::id(),
                COPIES.fetch_add(1, Ordering::Relaxed)
            );
            let mut conn = connect(&admin).await;
            sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
                "CREATE DATABASE {copy} TEMPLATE {template}"
            )))
            .execute(&mut conn)
            .await
            .expect("copied");
            conn.close().await.ok();
            format!("{base}/{copy}")
        }
    }
}

/// Where in the start of `climb serve` the kill landed, from its log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Landed {
    /// No people migration had begun.
    BeforeMigration,
    /// A people migration had begun and the store had not opened: the
    /// migrations' transaction was open (or just committing).
    DuringMigration,
    /// The store had opened; the accounts migrations or the rest of the
    /// start were under way.
    AfterPeopleMigration,
    /// The server was serving.
    Serving,
}

/// Lines a child writes, collected by a thread until the pipe closes.
fn collect_lines(pipe: impl Read + Send + 'static) -> std::thread::JoinHandle<Vec<String>> {
    std::thread::spawn(move || BufReader::new(pipe).lines().map_while(Result::ok).collect())
}

/// Starts `climb serve` on `db`, kills it `after` its start, and reads from
/// its output where the kill landed.
async fn kill_serve_after(db: &str, after: Duration) -> Landed {
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("climb"))
        .args(["serve", "--addr", "127.0.0.1:0"])
        .env("CLIMB_DB", db)
        .env_remove("CLIMB_FRAMEWORK")
        .env("RUST_LOG", "warn,climb_store=info")
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("climb serve starts");
    let started = Instant::now();
    let stdout = collect_lines(child.stdout.take().expect("stdout"));
    let stderr = collect_lines(child.stderr.take().expect("stderr"));
    let mut exited = None;
    loop {
        if let Some(status) = child.try_wait().expect("waited") {
            exited = Some(status);
            break;
        }
        let now = Instant::now();
        if now >= started + after {
            child.kill().expect("SIGKILL");
            child.wait().expect("reaped");
            break;
        }
        tokio::time::sleep((started + after - now).min(Duration::from_millis(5))).await;
    }
    let stdout = stdout.join().expect("stdout read");
    let stderr = stderr.join().expect("stderr read");
    if let Some(status) = exited {
        panic!(
            "climb serve exited on its own: {status:?}\n{}",
            stderr.join("\n")
        );
    }
    if stdout.iter().any(|l| l.starts_with("climb is serving on")) {
        Landed::Serving
    } else if stderr.iter().any(|l| l.contains("store opened")) {
        Landed::AfterPeopleMigration
    } else if stderr.iter().any(|l| l.contains("migrating version=")) {
        Landed::DuringMigration
    } else {
        Landed::BeforeMigration
    }
}

/// Starts `climb serve` on `db` until it serves; returns how long that took.
fn serve_until_serving(db: &str) -> Duration {
    let started = Instant::now();
    let served = Served::start(db);
    let took = started.elapsed();
    drop(served);
    took
}

async fn migration_kill_cycles(backend: Backend) {
    let dir = tempfile::tempdir().expect("temporary directory");
    let Some(source) = backend.fresh(dir.path(), "source").await else {
        return;
    };
    let rows = import_rows();
    let company = dir.path().join("company.csv");
    crate::climb()
        .args(["demo", "generate", "--people", &rows.to_string(), "-o"])
        .arg(&company)
        .assert()
        .code(0);
    crate::climb()
        .args(["--db", &source, "import"])
        .arg(&company)
        .assert()
        .code(0);
    let company_export = export(&source);

    // What this build makes of an empty database: the versions to reach.
    let fresh = backend
        .fresh(dir.path(), "fresh")
        .await
        .expect("a database");
    serve_until_serving(&fresh);
    let current = schema(&fresh).await;
    discard(&fresh).await;

    let old = backend.fresh(dir.path(), "old").await.expect("a database");
    make_old(backend, &old, &source).await;
    let old_counts = counts(&old).await;
    discard(&source).await;
    let old_schema = schema(&old).await;
    assert_eq!(
        old_schema,
        Schema {
            people: OLD_MIGRATIONS.iter().map(|(v, _)| *v).collect(),
            accounts: None,
            sealed: None,
        }
    );
    assert_eq!(old_counts.hired_events, i64::try_from(rows).expect("rows"));
    let migrated = Schema {
        sealed: Some(old_counts.audit_events),
        ..current.clone()
    };

    // An uninterrupted migration: how long it takes, and that it reaches
    // what a fresh database starts at.
    let calibration = copy_of(backend, &old, dir.path(), "calibration").await;
    let run = serve_until_serving(&calibration);
    assert_eq!(schema(&calibration).await, migrated);
    discard(&calibration).await;

    let cycles = crate::crash::cycles();
    let mut tally = Tally::default();
    for cycle in 0..cycles {
        let db = copy_of(backend, &old, dir.path(), &format!("cycle{cycle}")).await;
        let moment = random_moment(run);
        let landed = kill_serve_after(&db, moment).await;
        check_integrity_if_migrated(&db).await;
        let held: Counts = counts(&db).await;
        assert_eq!(held, old_counts, "killed at {moment:?} ({landed:?})");
        let found = schema(&db).await;
        let outcome = if found == old_schema {
            Outcome::Old
        } else if found == migrated {
            Outcome::Migrated
        } else if found
            == (Schema {
                accounts: None,
                ..migrated.clone()
            })
        {
            Outcome::PeopleMigrated
        } else {
            panic!(
                "killed at {moment:?} ({landed:?}): the schema is in between: {found:?} \
                 (old {old_schema:?}, migrated {migrated:?})"
            );
        };
        tally.add(landed, outcome);
        serve_until_serving(&db);
        assert_eq!(
            schema(&db).await,
            migrated,
            "the restart finished migrating"
        );
        check_integrity_if_migrated(&db).await;
        assert_eq!(counts(&db).await, old_counts);
        audit_verifies(&db);
        assert_eq!(export(&db), company_export, "the company came through");
        discard(&db).await;
        // A long bench run can be read, and stopped, at any cycle.
        eprintln!(
            "crash progress {}",
            tally.summary(backend, old_counts.audit_events, run, cycle + 1)
        );
    }
    discard(&old).await;
    eprintln!(
        "crash cycles {}",
        tally.summary(backend, old_counts.audit_events, run, cycles)
    );
}

/// What a killed migration left.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    /// The old schema, nothing migrated.
    Old,
    /// The people side migrated, the accounts tables not yet made.
    PeopleMigrated,
    /// Everything migrated.
    Migrated,
}

/// What the cycles saw, for the report.
#[derive(Debug, Default)]
struct Tally {
    before: usize,
    during: usize,
    after_store_opened: usize,
    serving: usize,
    /// Killed after a migration began and found at the old schema: the
    /// kill came with the migrations' transaction open.
    rolled_back_mid_migration: usize,
    old: usize,
    people_migrated: usize,
    migrated: usize,
}

impl Tally {
    fn add(&mut self, landed: Landed, outcome: Outcome) {
        match landed {
            Landed::BeforeMigration => self.before += 1,
            Landed::DuringMigration => self.during += 1,
            Landed::AfterPeopleMigration => self.after_store_opened += 1,
            Landed::Serving => self.serving += 1,
        }
        match outcome {
            Outcome::Old => self.old += 1,
            Outcome::PeopleMigrated => self.people_migrated += 1,
            Outcome::Migrated => self.migrated += 1,
        }
        if landed == Landed::DuringMigration && outcome == Outcome::Old {
            self.rolled_back_mid_migration += 1;
        }
    }

    fn summary(&self, backend: Backend, events: i64, run: Duration, cycles: usize) -> String {
        format!(
            "(migration, {}, {events} audit events to seal, {run:.1?} to serve uninterrupted): \
             {cycles}, killed before the migration began: {}, during it: {} (its transaction \
             open: {}), after the store opened: {}, once serving: {}; found at the old schema: \
             {}, people side migrated (accounts not yet): {}, all migrated: {}; in between: 0, \
             rows lost: 0, integrity errors: 0",
            backend.label(),
            self.before,
            self.during,
            self.rolled_back_mid_migration,
            self.after_store_opened,
            self.serving,
            self.old,
            self.people_migrated,
            self.migrated,
        )
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_migration_is_before_or_after_under_kill_nine() {
    migration_kill_cycles(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_migration_is_before_or_after_under_kill_nine() {
    migration_kill_cycles(Backend::Postgres).await;
}
