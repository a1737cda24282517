//! `climb demo generate`, `climb import` and `climb export` as processes, on
//! a SQLite file: round trips, all-or-nothing imports and clear row errors.

use predicates::prelude::*;

use crate::climb;

pub(crate) const HEADER: &str = "email,name,role,manager_email,start_date,status,end_date";

pub(crate) fn sqlite_url(dir: &tempfile::TempDir) -> String {
    format!("sqlite://{}", dir.path().join("climb.db").display())
}

pub(crate) fn exported(db: &str) -> String {
    let output = climb()
        .args(["--db", db, "export"])
        .assert()
        .code(0)
        .get_output()
        .clone();
    String::from_utf8(output.stdout).expect("utf-8 CSV")
}

#[test]
fn demo_generate_is_deterministic_and_seeded() {
    let first = climb()
        .args(["demo", "generate", "--people", "40"])
        .assert()
        .code(0)
        .get_output()
        .clone();
    let second = climb()
        .args(["demo", "generate", "--people", "40"])
        .assert()
        .code(0)
        .get_output()
        .clone();
    let other = climb()
        .args(["demo", "generate", "--people", "40", "--seed", "9"])
        .assert()
        .code(0)
        .get_output()
        .clone();
    assert_eq!(first.stdout, second.stdout);
    assert_ne!(first.stdout, other.stdout);
    let csv = String::from_utf8_lossy(&first.stdout);
    assert!(csv.starts_with(HEADER), "{csv}");
    assert_eq!(csv.lines().count(), 41);
}

#[test]
fn an_exported_import_reproduces_the_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("people.csv");
    climb()
        .args(["demo", "generate", "--people", "60", "-o"])
        .arg(&file)
        .assert()
        .code(0);
    let db = sqlite_url(&dir);
    climb()
        .args(["--db", &db, "import"])
        .arg(&file)
        .assert()
        .code(0)
        .stderr(predicate::str::contains("imported 60 of 60 rows"));
    let original = std::fs::read_to_string(&file).expect("generated file");
    assert_eq!(exported(&db), original);
}

#[test]
fn a_file_with_a_bad_row_imports_nothing_and_names_the_row() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("people.csv");
    std::fs::write(
        &file,
        format!(
            "{HEADER}\n\
             ana@example.com,Ana,software-engineer,,2024-01-02,active,\n\
             bo@example.com,Bo,wizard,,2024-01-02,active,\n"
        ),
    )
    .expect("write CSV");
    let db = sqlite_url(&dir);
    climb()
        .args(["--db", &db, "import"])
        .arg(&file)
        .assert()
        .code(1)
        .stderr(
            predicate::str::contains("row 2 (line 3)")
                .and(predicate::str::contains("wizard"))
                .and(predicate::str::contains("nothing was imported")),
        );
    assert_eq!(
        exported(&db).lines().count(),
        1,
        "only the header: nothing was written"
    );

    climb()
        .args(["--db", &db, "import", "--skip-invalid"])
        .arg(&file)
        .assert()
        .code(0)
        .stderr(
            predicate::str::contains("imported 1 of 2 rows")
                .and(predicate::str::contains("1 skipped")),
        );
    assert!(exported(&db).contains("ana@example.com"));
}

#[test]
fn an_individual_contributor_as_manager_is_refused() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("people.csv");
    std::fs::write(
        &file,
        format!(
            "{HEADER}\n\
             ana@example.com,Ana,software-engineer,,2024-01-02,active,\n\
             bo@example.com,Bo,software-engineer,ana@example.com,2024-01-02,active,\n"
        ),
    )
    .expect("write CSV");
    climb()
        .args(["--db", &sqlite_url(&dir), "import"])
        .arg(&file)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("manager_cannot_have_reports"));
}

#[test]
fn importing_a_missing_file_is_a_usage_error() {
    let dir = tempfile::tempdir().expect("temp dir");
    climb()
        .args(["--db", &sqlite_url(&dir), "import", "nowhere.csv"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("nowhere.csv"));
}

/// `--skip-invalid` on a file whose every row is bad imports nothing, and
/// that is a failure a script must see; the summary counts rows, not the
/// problems found in them.
#[test]
fn skipping_every_row_exits_1_and_counts_rows() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("people.csv");
    std::fs::write(&file, format!("{HEADER}\nbad,,nope,,,active,\n")).expect("write CSV");
    let db = sqlite_url(&dir);
    climb()
        .args(["--db", &db, "import", "--skip-invalid"])
        .arg(&file)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("imported 0 of 1 rows"))
        .stderr(predicate::str::contains("1 skipped"))
        .stderr(predicate::str::contains("every row of"));
}

/// A file that does not exist is named once, with the reason once.
#[test]
fn a_missing_file_is_named_once() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = sqlite_url(&dir);
    let output = climb()
        .args(["--db", &db, "import", "no-such-people.csv"])
        .assert()
        .code(2)
        .get_output()
        .clone();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(stderr.matches("no-such-people.csv").count(), 1, "{stderr}");
    assert_eq!(stderr.matches("No such file").count(), 1, "{stderr}");
}
