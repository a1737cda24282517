//! `climb import` on re-import, as a process on SQLite and PostgreSQL: role
//! changes outside the framework are recorded as corrections with a warning
//! counted in the summary, and `--strict` refuses the whole file.

use predicates::prelude::*;

use crate::climb;
use crate::people::{HEADER, exported, sqlite_url};
use crate::serve::postgres_db;

/// The role of each person in an export, `email:role`, sorted.
fn roles(db: &str) -> Vec<String> {
    let mut roles: Vec<String> = exported(db)
        .lines()
        .skip(1)
        .filter_map(|line| {
            let cells: Vec<&str> = line.split(',').collect();
            Some(format!("{}:{}", cells.first()?, cells.get(2)?))
        })
        .collect();
    roles.sort();
    roles
}

fn json_of(output: &std::process::Output) -> serde_json::Value {
    serde_json::from_slice(&output.stdout).expect("JSON on stdout")
}

/// Imports a company, then re-imports it with one move into the hire-only
/// CTO role, one that skips a level and one promotion along the framework.
fn reimport_outside_the_framework_warns_and_strict_refuses(db: &str) {
    let dir = tempfile::tempdir().expect("temp dir");
    let first = dir.path().join("first.csv");
    std::fs::write(
        &first,
        format!(
            "{HEADER}\n\
             em@example.com,Em,engineering-manager,,2020-01-06,active,\n\
             ada@example.com,Ada,software-engineer,em@example.com,2021-02-01,active,\n\
             bo@example.com,Bo,software-engineer,em@example.com,2022-03-01,active,\n"
        ),
    )
    .expect("write CSV");
    climb()
        .args(["--db", db, "import"])
        .arg(&first)
        .assert()
        .code(0)
        .stderr(predicate::str::contains("warning").not());
    let before = roles(db);

    let again = dir.path().join("again.csv");
    std::fs::write(
        &again,
        format!(
            "{HEADER}\n\
             em@example.com,,cto,,,,\n\
             ada@example.com,,staff-engineer,,,,\n\
             bo@example.com,,senior-software-engineer,,,,\n"
        ),
    )
    .expect("write CSV");

    let refused = climb()
        .args(["--db", db, "import", "--strict", "--json"])
        .arg(&again)
        .assert()
        .code(1)
        .stderr(
            predicate::str::contains("row 1 (line 2) [em@example.com]")
                .and(predicate::str::contains("hire_only_role"))
                .and(predicate::str::contains("row 2 (line 3) [ada@example.com]"))
                .and(predicate::str::contains("no_such_transition"))
                .and(predicate::str::contains("bo@example.com").not())
                .and(predicate::str::contains(
                    "2 role changes outside the framework",
                ))
                .and(predicate::str::contains("nothing was imported")),
        )
        .get_output()
        .clone();
    let json = json_of(&refused);
    assert_eq!(json["imported"], false, "{json}");
    assert_eq!(json["refused"], "strict", "{json}");
    let codes: Vec<&str> = json["warnings"]
        .as_array()
        .expect("warnings")
        .iter()
        .filter_map(|w| w["code"].as_str())
        .collect();
    assert_eq!(codes, ["hire_only_role", "no_such_transition"], "{json}");
    assert_eq!(roles(db), before, "a strict refusal writes nothing");

    let done = climb()
        .args(["--db", db, "import", "--json"])
        .arg(&again)
        .assert()
        .code(0)
        .stderr(
            predicate::str::contains("warning: row 1 (line 2) [em@example.com]")
                .and(predicate::str::contains("`engineering-manager` -> `cto`"))
                .and(predicate::str::contains(
                    "warning: row 2 (line 3) [ada@example.com]",
                ))
                .and(predicate::str::contains(
                    "imported 3 of 3 rows: 0 created, 3 updated, 0 unchanged, 2 warnings",
                )),
        )
        .get_output()
        .clone();
    let json = json_of(&done);
    assert_eq!(json["imported"], true, "{json}");
    assert_eq!(json["summary"]["updated"], 3, "{json}");
    let warned: Vec<(u64, &str, &str)> = json["warnings"]
        .as_array()
        .expect("warnings")
        .iter()
        .map(|w| {
            (
                w["row"].as_u64().unwrap_or_default(),
                w["email"].as_str().unwrap_or_default(),
                w["code"].as_str().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(
        warned,
        [
            (1, "em@example.com", "hire_only_role"),
            (2, "ada@example.com", "no_such_transition")
        ]
    );
    assert_eq!(
        roles(db),
        [
            "ada@example.com:staff-engineer",
            "bo@example.com:senior-software-engineer",
            "em@example.com:cto",
        ],
        "without --strict the changes are recorded"
    );

    climb()
        .args(["--db", db, "import", "--strict"])
        .arg(&again)
        .assert()
        .code(0)
        .stderr(
            predicate::str::contains("3 unchanged").and(predicate::str::contains("warning").not()),
        );
}

#[test]
fn sqlite_reimport_outside_the_framework_warns_and_strict_refuses() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = sqlite_url(&dir);
    reimport_outside_the_framework_warns_and_strict_refuses(&db);
}

#[tokio::test]
async fn postgres_reimport_outside_the_framework_warns_and_strict_refuses() {
    let Some(db) = postgres_db().await else {
        return;
    };
    tokio::task::spawn_blocking(move || {
        reimport_outside_the_framework_warns_and_strict_refuses(&db)
    })
    .await
    .expect("the test ran");
}

/// A quoted cell may hold a line break, even after a blank: the reader takes
/// it as one cell (the rows after it keep their numbers), and a name holding
/// one is refused as the API refuses it, with the row and line named.
#[test]
fn a_quoted_line_break_after_a_blank_is_one_cell_and_a_name_cannot_hold_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("people.csv");
    std::fs::write(
        &file,
        format!(
            "{HEADER}\n\
             ana@example.com, \"Ana\nMaria, Jr.\", software-engineer,,2024-01-02,active,\n\
             bo@example.com, \"Bo, Jr.\", software-engineer,,2024-01-02,active,\n"
        ),
    )
    .expect("write CSV");
    let db = sqlite_url(&dir);
    climb()
        .args(["--db", &db, "import", "--skip-invalid"])
        .arg(&file)
        .assert()
        .code(0)
        .stderr(predicate::str::contains(
            "row 1 (line 2) [ana@example.com]: a name cannot hold control characters",
        ))
        .stderr(predicate::str::contains("invalid_name"))
        .stderr(predicate::str::contains("wrong_field_count").not())
        .stderr(predicate::str::contains("imported 1 of 2 rows"));
    let export = exported(&db);
    assert!(
        export.contains("bo@example.com,\"Bo, Jr.\",software-engineer"),
        "{export}"
    );
    assert!(!export.contains("ana@example.com"), "{export}");
}

/// A file saved with a lone carriage return at each line's end (as old Mac
/// spreadsheets save CSV) names each refused row's own line, not line 1.
#[test]
fn a_file_with_carriage_returns_alone_names_each_rows_line() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("people.csv");
    std::fs::write(
        &file,
        format!(
            "{HEADER}\r\
             ana@example.com,Ana,software-engineer,,2024-01-02,active,\r\
             bo@example.com,Bo,no-such-role,,2024-01-02,active,\r"
        ),
    )
    .expect("write CSV");
    let db = sqlite_url(&dir);
    climb()
        .args(["--db", &db, "import", "--skip-invalid"])
        .arg(&file)
        .assert()
        .code(0)
        .stderr(predicate::str::contains("row 2 (line 3) [bo@example.com]"))
        .stderr(predicate::str::contains("imported 1 of 2 rows"));
}
