//! `climb audit verify` and `climb audit checkpoint` as processes, on a
//! SQLite file tampered with by raw SQL as someone with file access could.

use predicates::prelude::*;

use crate::climb;

/// A database holding an imported demo company of `people`.
pub(crate) fn imported_db(dir: &tempfile::TempDir, people: usize) -> String {
    let file = dir.path().join("people.csv");
    climb()
        .args(["demo", "generate", "--people", &people.to_string(), "-o"])
        .arg(&file)
        .assert()
        .code(0);
    let db = format!("sqlite://{}", dir.path().join("climb.db").display());
    climb()
        .args(["--db", &db, "import"])
        .arg(&file)
        .assert()
        .code(0);
    db
}

/// Runs raw SQL on the SQLite database at `db`.
fn tamper(db: &str, sql: &str) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async {
        use sqlx::ConnectOptions;
        let options: sqlx::sqlite::SqliteConnectOptions = db.parse().expect("sqlite url");
        let mut conn = options.connect().await.expect("connects");
        sqlx::raw_sql(sqlx::AssertSqlSafe(sql.to_owned()))
            .execute(&mut conn)
            .await
            .expect("tampered");
    });
}

#[test]
fn verify_names_the_edited_event_and_a_checkpoint_file_is_checked() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = imported_db(&dir, 30);
    climb()
        .args(["--db", &db, "audit", "verify"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains(
            "audit log intact: 30 events, 0 erased",
        ));

    let checkpoint = climb()
        .args(["--db", &db, "audit", "checkpoint"])
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    let checkpoint = String::from_utf8(checkpoint).expect("utf-8");
    assert!(
        checkpoint.starts_with("climb-audit-checkpoint v1 seq=30 digest="),
        "{checkpoint}"
    );
    let file = dir.path().join("checkpoints.txt");
    std::fs::write(
        &file,
        format!("# kept off the database server\n{checkpoint}"),
    )
    .expect("written");
    climb()
        .args(["--db", &db, "audit", "verify", "--checkpoints"])
        .arg(&file)
        .assert()
        .code(0)
        .stdout(predicate::str::contains("1 checkpoint(s) matched"));

    tamper(
        &db,
        "DROP TRIGGER audit_events_no_update; \
         UPDATE audit_events SET actor = '\"system\"' WHERE seq = 7",
    );
    climb()
        .args(["--db", &db, "audit", "verify"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "audit log tampered: event 7 was edited: its time, actor, action or subject no longer match its seal",
        ));
    let json = climb()
        .args(["--db", &db, "audit", "verify", "--json"])
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let json: serde_json::Value = serde_json::from_slice(&json).expect("JSON");
    assert_eq!(json["findings"][0]["seq"], 7);
    assert_eq!(json["findings"][0]["kind"], "edited");
    climb()
        .args(["--db", &db, "audit", "checkpoint"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("already tampered"));
}

#[test]
fn a_malformed_checkpoint_file_is_refused_with_its_line() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = imported_db(&dir, 3);
    let file = dir.path().join("checkpoints.txt");
    std::fs::write(&file, "\nclimb-audit-checkpoint v1 seq=3 digest=nothex\n").expect("written");
    climb()
        .args(["--db", &db, "audit", "verify", "--checkpoints"])
        .arg(&file)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "checkpoints.txt:2: not a checkpoint",
        ));
}
