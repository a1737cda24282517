//! Crash safety of a bulk import: `climb import` of a generated company is
//! killed with SIGKILL at a random moment, into a fresh database and again
//! over the company already imported (renaming some people, adding others),
//! and then:
//! - the database holds exactly what it held before that import or exactly
//!   what the same import run to its end leaves: the same number of people,
//!   role-history entries and audit events, and the same `climb export`,
//!   byte for byte (all or nothing);
//! - it passes its integrity check and `climb audit verify`;
//! - the import run again succeeds and leaves the full company.
//!
//! The moment is drawn from an uninterrupted run of the same import: over
//! all of it on even cycles, over its write on odd ones (a re-import spends
//! most of its time loading and validating, so few kills would land in its
//! write otherwise).
//!
//! CI runs `CLIMB_CRASH_CYCLES` cycles (5 by default) per backend on
//! `CLIMB_CRASH_IMPORT_ROWS` rows (5,000 by default); `bench/crash.sh` runs
//! 50 on 100,000.

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::crash::{check_integrity, cycles, random_millis};
use crate::serve::postgres_db;

/// Rows of the generated company.
pub(crate) fn import_rows() -> usize {
    std::env::var("CLIMB_CRASH_IMPORT_ROWS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(5_000)
}

/// Which database the cycles run on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub(crate) fn label(self) -> &'static str {
        match self {
            Backend::Sqlite => "SQLite",
            Backend::Postgres => "PostgreSQL",
        }
    }

    /// A database nothing has touched yet: a file name in `dir`, or a new
    /// PostgreSQL database (`None` when PostgreSQL is not configured).
    pub(crate) async fn fresh(self, dir: &Path, name: &str) -> Option<String> {
        match self {
            Backend::Sqlite => Some(format!(
                "sqlite://{}",
                dir.join(format!("{name}.db")).display()
            )),
            Backend::Postgres => postgres_db().await,
        }
    }
}

/// Drops a database made by [`Backend::fresh`] (a 100k-row company each
/// cycle adds up).
pub(crate) async fn discard(db: &str) {
    if let Some(file) = db.strip_prefix("sqlite://") {
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{file}{suffix}"));
        }
        return;
    }
    use sqlx::{Connection, Executor};
    let Ok(admin) = std::env::var("CLIMB_TEST_PG_URL") else {
        return;
    };
    let Some((_, name)) = db.rsplit_once('/') else {
        return;
    };
    let mut conn = sqlx::AnyConnection::connect(&admin).await.expect("connect");
    conn.execute(sqlx::AssertSqlSafe(format!(
        "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
    )))
    .await
    .expect("drop database");
    conn.close().await.ok();
}

/// Runs SQL queries on a database from outside climb.
pub(crate) async fn connect(db: &str) -> sqlx::AnyConnection {
    use sqlx::Connection;
    sqlx::any::install_default_drivers();
    sqlx::AnyConnection::connect(db).await.expect("connects")
}

/// Whether `table` exists in the database's current schema.
pub(crate) async fn table_exists(conn: &mut sqlx::AnyConnection, db: &str, table: &str) -> bool {
    let sql = if db.starts_with("sqlite:") {
        "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = $1"
    } else {
        "SELECT COUNT(*) FROM information_schema.tables \
         WHERE table_schema = current_schema() AND table_name = $1"
    };
    let found: i64 = sqlx::query_scalar(sql)
        .bind(table)
        .fetch_one(&mut *conn)
        .await
        .expect("catalog read");
    found == 1
}

/// The rows an import writes, counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Counts {
    pub(crate) people: i64,
    pub(crate) role_history: i64,
    pub(crate) audit_events: i64,
    pub(crate) hired_events: i64,
}

/// Whether the database exists: a SQLite file is made when climb first
/// opens it, which a kill may have come before.
fn exists(db: &str) -> bool {
    db.strip_prefix("sqlite://")
        .is_none_or(|file| Path::new(file).exists())
}

/// Counts the people side's rows; all zero when its tables do not exist
/// yet (the kill came before the first migration committed).
pub(crate) async fn counts(db: &str) -> Counts {
    if !exists(db) {
        return Counts::default();
    }
    let mut conn = connect(db).await;
    if !table_exists(&mut conn, db, "people").await {
        return Counts::default();
    }
    let (people, role_history, audit_events, hired_events): (i64, i64, i64, i64) = sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM people), (SELECT COUNT(*) FROM role_history), \
             (SELECT COUNT(*) FROM audit_events), \
             (SELECT COUNT(*) FROM audit_events WHERE action = 'person.hired')",
    )
    .fetch_one(&mut conn)
    .await
    .expect("counted");
    use sqlx::Connection;
    conn.close().await.ok();
    Counts {
        people,
        role_history,
        audit_events,
        hired_events,
    }
}

/// The integrity check, on a database the kill may have left without
/// tables (PostgreSQL's check needs the indexes to be there).
pub(crate) async fn check_integrity_if_migrated(db: &str) {
    if !exists(db) {
        return;
    }
    let mut conn = connect(db).await;
    let migrated = table_exists(&mut conn, db, "people").await;
    use sqlx::Connection;
    conn.close().await.ok();
    if migrated || db.starts_with("sqlite:") {
        check_integrity(db).await;
    }
}

/// `climb export` of the database, the CSV as text.
pub(crate) fn export(db: &str) -> String {
    let output = crate::climb()
        .args(["--db", db, "export"])
        .output()
        .expect("climb export runs");
    assert!(
        output.status.success(),
        "climb export: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("UTF-8 CSV")
}

pub(crate) fn audit_verifies(db: &str) {
    crate::climb()
        .args(["--db", db, "audit", "verify"])
        .assert()
        .code(0);
}

/// What a database holds, to compare a killed run's database with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Held {
    pub(crate) counts: Counts,
    pub(crate) export: String,
}

impl Held {
    pub(crate) async fn of(db: &str) -> Self {
        // Counted before the export opens (and so migrates) the database.
        let counts = counts(db).await;
        Self {
            counts,
            export: export(db),
        }
    }
}

/// Where in an import the kill landed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Landed {
    /// Killed while the import's write transaction was open: the file was
    /// read whole and a writer held the database's write lock.
    DuringWrite,
    /// Killed at another moment: starting, migrating a fresh database,
    /// reading and validating, or after the commit.
    Elsewhere,
    /// The import had ended (successfully) before the kill was due.
    Finished,
}

/// Spawns `climb --db DB ARGS…` with its output discarded.
fn spawn_climb(db: &str, args: &[&str]) -> Child {
    Command::new(assert_cmd::cargo::cargo_bin("climb"))
        .args(["--db", db])
        .args(args)
        .env_remove("CLIMB_FRAMEWORK")
        .env_remove("CLIMB_DB")
        .env("NO_COLOR", "1")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("climb starts")
}

/// Bytes the process has read so far (files and sockets alike).
fn read_bytes(pid: u32) -> Option<u64> {
    let io = std::fs::read_to_string(format!("/proc/{pid}/io")).ok()?;
    io.lines()
        .find_map(|line| line.strip_prefix("rchar: "))
        .and_then(|n| n.trim().parse().ok())
}

/// Whether a writer holds the database's write lock now: SQLite's (a
/// `BEGIN IMMEDIATE` that may not wait fails), or on PostgreSQL the row of
/// `store_lock` every writer updates first (a migration creating the table
/// is not seen: its transaction has not committed).
async fn writer_holds_lock(db: &str) -> bool {
    if !exists(db) {
        return false;
    }
    let mut conn = connect(db).await;
    let held = if db.starts_with("sqlite:") {
        sqlx::raw_sql("PRAGMA busy_timeout = 0")
            .execute(&mut conn)
            .await
            .expect("pragma");
        match sqlx::raw_sql("BEGIN IMMEDIATE").execute(&mut conn).await {
            Ok(_) => {
                sqlx::raw_sql("ROLLBACK")
                    .execute(&mut conn)
                    .await
                    .expect("rolled back");
                false
            }
            Err(error) => {
                assert!(
                    error.to_string().contains("locked") || error.to_string().contains("busy"),
                    "{error}"
                );
                true
            }
        }
    } else if table_exists(&mut conn, db, "store_lock").await {
        use sqlx::Connection;
        let mut tx = conn.begin().await.expect("transaction");
        let locked = sqlx::query("SELECT id FROM store_lock WHERE id = 1 FOR UPDATE NOWAIT")
            .fetch_optional(&mut *tx)
            .await
            .is_err();
        tx.rollback().await.ok();
        locked
    } else {
        false
    };
    use sqlx::Connection;
    conn.close().await.ok();
    held
}

/// Sends SIGKILL to the import `child` (of a file of `file_bytes`) `after`
/// its start unless it ended before, and reaps it; says where the kill
/// landed. A migration of a fresh database also holds the write lock, but
/// before the file is read.
async fn kill_import_after(
    child: &mut Child,
    db: &str,
    file_bytes: u64,
    started: Instant,
    after: Duration,
) -> Landed {
    let due = started + after;
    loop {
        if let Some(status) = child.try_wait().expect("waited") {
            assert!(status.success(), "the import failed on its own: {status:?}");
            return Landed::Finished;
        }
        let now = Instant::now();
        if now >= due {
            break;
        }
        tokio::time::sleep((due - now).min(Duration::from_millis(5))).await;
    }
    let file_read = read_bytes(child.id()).is_some_and(|read| read >= file_bytes);
    let writing = file_read && writer_holds_lock(db).await;
    child.kill().expect("SIGKILL");
    child.wait().expect("reaped");
    if writing {
        Landed::DuringWrite
    } else {
        Landed::Elsewhere
    }
}

/// A kill moment: uniformly random over an uninterrupted run's duration.
pub(crate) fn random_moment(run: Duration) -> Duration {
    let millis = u64::try_from(run.as_millis()).unwrap_or(u64::MAX).max(2);
    Duration::from_millis(random_millis(0..millis))
}

/// Writes the re-import file: the company of `first` with every tenth
/// person renamed, and a newcomer beside every tenth, hired into the same
/// role under the same manager.
fn write_reimport(first: &Path, second: &Path) {
    let text = std::fs::read_to_string(first).expect("CSV read");
    let mut lines = text.lines();
    let header = lines.next().expect("a header");
    assert!(
        header.starts_with("email,name,"),
        "unexpected header {header}"
    );
    let mut out = format!("{header}\n");
    let mut newcomers = String::new();
    for (n, line) in lines.enumerate() {
        let fields: Vec<&str> = line.split(',').collect();
        assert!(
            fields.len() == 7 && !line.contains('"'),
            "the generator's rows are plain: {line}"
        );
        let mut row = fields.clone();
        let renamed;
        if n % 10 == 0 {
            renamed = format!("{} Renamed", fields[1]);
            row[1] = &renamed;
        }
        out.push_str(&row.join(","));
        out.push('\n');
        if n % 10 == 5 {
            let email = format!("new.{}", fields[0]);
            let name = format!("{} Newcomer", fields[1]);
            let mut newcomer = fields.clone();
            newcomer[0] = &email;
            newcomer[1] = &name;
            newcomers.push_str(&newcomer.join(","));
            newcomers.push('\n');
        }
    }
    out.push_str(&newcomers);
    std::fs::write(second, out).expect("CSV written");
}

/// Runs `climb import FILE` to its end.
fn import_to_end(db: &str, file: &Path) {
    crate::climb()
        .args(["--db", db, "import"])
        .arg(file)
        .assert()
        .code(0);
}

/// An uninterrupted import, timed: how long it took, and when its write
/// was first seen (the file read and a writer holding the lock).
#[derive(Debug, Clone, Copy)]
struct Timing {
    run: Duration,
    write_from: Option<Duration>,
}

impl Timing {
    /// A kill moment: on even cycles uniformly over the whole run, on odd
    /// ones uniformly over its write, which is a small part of a re-import
    /// that mostly loads and validates.
    fn moment(self, cycle: usize) -> Duration {
        match self.write_from {
            Some(from) if cycle % 2 == 1 && from < self.run => {
                from + random_moment(self.run - from)
            }
            _ => random_moment(self.run),
        }
    }
}

/// Runs `climb import FILE` to its end, watching for its write.
async fn timed_import(db: &str, file: &Path) -> Timing {
    let file_bytes = std::fs::metadata(file).expect("CSV file").len();
    let started = Instant::now();
    let mut child = spawn_climb(db, &["import", file.to_str().expect("UTF-8 path")]);
    let mut write_from = None;
    loop {
        if let Some(status) = child.try_wait().expect("waited") {
            assert!(status.success(), "the import failed: {status:?}");
            break;
        }
        if write_from.is_none()
            && read_bytes(child.id()).is_some_and(|read| read >= file_bytes)
            && writer_holds_lock(db).await
        {
            write_from = Some(started.elapsed());
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    Timing {
        run: started.elapsed(),
        write_from,
    }
}

/// What the cycles saw, for the report.
#[derive(Debug, Default)]
struct Tally {
    during_write: usize,
    before_write: usize,
    after_commit: usize,
    finished: usize,
    committed: usize,
    rolled_back: usize,
}

impl Tally {
    fn add(&mut self, landed: Landed, committed: bool) {
        match (landed, committed) {
            (Landed::DuringWrite, _) => self.during_write += 1,
            (Landed::Finished, _) => self.finished += 1,
            (Landed::Elsewhere, true) => self.after_commit += 1,
            (Landed::Elsewhere, false) => self.before_write += 1,
        }
        if committed {
            self.committed += 1;
        } else {
            self.rolled_back += 1;
        }
    }

    fn summary(
        &self,
        what: &str,
        backend: Backend,
        rows: i64,
        timing: Timing,
        cycles: usize,
    ) -> String {
        let Timing { run, write_from } = timing;
        format!(
            "({what}, {}, {rows} rows, {run:.1?} uninterrupted, its write seen from \
             {write_from:.1?}; odd cycles kill during it): {cycles}, \
             killed during the write: {}, before it: {}, after its commit: {}, after the end: {}, \
             committed: {}, rolled back: {}, all-or-nothing violations: 0, integrity errors: 0",
            backend.label(),
            self.during_write,
            self.before_write,
            self.after_commit,
            self.finished,
            self.committed,
            self.rolled_back,
        )
    }
}

/// Kills `climb import FILE` on `db` at a random moment of `run`, then
/// checks that the database holds `before` or `after` and nothing else,
/// passes its integrity check and `climb audit verify`, and that the
/// import run again leaves `after`.
async fn killed_import(
    db: &str,
    file: &Path,
    moment: Duration,
    before: &Held,
    after: &Held,
    tally: &mut Tally,
) {
    let file_arg = file.to_str().expect("UTF-8 path");
    let file_bytes = std::fs::metadata(file).expect("CSV file").len();
    let started = Instant::now();
    let mut child = spawn_climb(db, &["import", file_arg]);
    let landed = kill_import_after(&mut child, db, file_bytes, started, moment).await;
    check_integrity_if_migrated(db).await;
    let held = Held::of(db).await;
    let committed = if held == *after {
        true
    } else if held == *before {
        false
    } else {
        panic!(
            "killed at {moment:?} ({landed:?}): the database holds {:?}, neither all ({:?}) \
             nor nothing ({:?}) of the import",
            held.counts, after.counts, before.counts
        );
    };
    assert!(
        committed || landed != Landed::Finished,
        "the import ended but its write is gone"
    );
    audit_verifies(db);
    tally.add(landed, committed);
    import_to_end(db, file);
    check_integrity(db).await;
    assert_eq!(
        Held::of(db).await,
        *after,
        "the re-run left a different company"
    );
    audit_verifies(db);
}

async fn import_kill_cycles(backend: Backend) {
    let dir = tempfile::tempdir().expect("temporary directory");
    let Some(empty) = backend.fresh(dir.path(), "empty").await else {
        return;
    };
    let rows = import_rows();
    let first = dir.path().join("company.csv");
    crate::climb()
        .args(["demo", "generate", "--people", &rows.to_string(), "-o"])
        .arg(&first)
        .assert()
        .code(0);
    let second = dir.path().join("company-again.csv");
    write_reimport(&first, &second);

    // Uninterrupted runs: how long each import takes, and what it leaves.
    let nothing = Held::of(&empty).await;
    discard(&empty).await;
    let calibration = backend
        .fresh(dir.path(), "calibration")
        .await
        .expect("a database");
    let first_run = timed_import(&calibration, &first).await;
    let imported = Held::of(&calibration).await;
    let second_run = timed_import(&calibration, &second).await;
    let reimported = Held::of(&calibration).await;
    discard(&calibration).await;
    let rows = i64::try_from(rows).expect("rows");
    assert_eq!(imported.counts.people, rows, "{:?}", imported.counts);
    assert_eq!(imported.counts.hired_events, rows);
    assert!(
        reimported.counts.people > imported.counts.people
            && reimported.counts.audit_events > reimported.counts.hired_events,
        "the second file hires and renames: {:?}",
        reimported.counts
    );

    let cycles = cycles();
    let mut first_tally = Tally::default();
    let mut second_tally = Tally::default();
    for cycle in 0..cycles {
        let db = backend
            .fresh(dir.path(), &format!("cycle{cycle}"))
            .await
            .expect("a database");
        killed_import(
            &db,
            &first,
            first_run.moment(cycle),
            &nothing,
            &imported,
            &mut first_tally,
        )
        .await;
        killed_import(
            &db,
            &second,
            second_run.moment(cycle),
            &imported,
            &reimported,
            &mut second_tally,
        )
        .await;
        discard(&db).await;
        // A long bench run can be read, and stopped, at any cycle.
        for (what, run, tally) in [
            ("import", first_run, &first_tally),
            ("re-import", second_run, &second_tally),
        ] {
            eprintln!(
                "crash progress {}",
                tally.summary(what, backend, rows, run, cycle + 1)
            );
        }
    }
    for (what, run, tally) in [
        ("import", first_run, &first_tally),
        ("re-import", second_run, &second_tally),
    ] {
        eprintln!(
            "crash cycles {}",
            tally.summary(what, backend, rows, run, cycles)
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_import_is_all_or_nothing_under_kill_nine() {
    import_kill_cycles(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_import_is_all_or_nothing_under_kill_nine() {
    import_kill_cycles(Backend::Postgres).await;
}
