//! `climb diff OLD NEW`.

use predicates::prelude::*;

use crate::{climb, fixture};

#[test]
fn diff_lists_added_removed_renamed_roles_transitions_and_expectations() {
    climb()
        .args(["diff", &fixture("small.toml"), &fixture("small-v2.toml")])
        .assert()
        .code(0)
        .stdout(
            predicate::str::contains("+ staff-dev")
                .and(predicate::str::contains("- founder"))
                .and(predicate::str::contains("~ manager → team-manager"))
                .and(predicate::str::contains(
                    "+ senior-dev → staff-dev (promotion)",
                ))
                .and(predicate::str::contains("~ senior-dev craft: none → 2")),
        );
}

#[test]
fn diff_as_json() {
    let output = climb()
        .args([
            "diff",
            &fixture("small.toml"),
            &fixture("small-v2.toml"),
            "--json",
        ])
        .assert()
        .code(0)
        .get_output()
        .clone();
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("valid JSON");
    assert_eq!(
        json["diff"]["roles_renamed"],
        serde_json::json!([["manager", "team-manager"]])
    );
    assert_eq!(
        json["diff"]["roles_removed"],
        serde_json::json!(["founder"])
    );
}

#[test]
fn diff_of_identical_files_says_so() {
    climb()
        .args(["diff", &fixture("small.toml"), &fixture("small.toml")])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("no changes"));
}

#[test]
fn diff_with_a_broken_file_shows_its_diagnostics_and_exits_one() {
    climb()
        .args(["diff", &fixture("small.toml"), &fixture("broken.toml")])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("E004"));
}

#[test]
fn diff_with_a_database_lists_the_people_a_rename_moves_and_a_removal_blocks() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = format!("sqlite://{}", dir.path().join("climb.db").display());
    let csv = dir.path().join("people.csv");
    std::fs::write(
        &csv,
        "email,name,role,manager_email,start_date,status,end_date\n\
         ana@example.com,Ana,dev,bo@example.com,2024-01-02,active,\n\
         bo@example.com,Bo,manager,,2023-01-02,active,\n\
         cy@example.com,Cy,founder,,2020-01-02,active,\n",
    )
    .expect("write CSV");
    climb()
        .args(["--db", &db, "--framework", &fixture("small.toml"), "import"])
        .arg(&csv)
        .assert()
        .code(0);
    climb()
        .args([
            "--db",
            &db,
            "diff",
            &fixture("small.toml"),
            &fixture("small-v2.toml"),
        ])
        .assert()
        .code(0)
        .stdout(
            predicate::str::contains("People affected")
                .and(predicate::str::contains(
                    "Bo <bo@example.com>: manager → moves to team-manager",
                ))
                .and(predicate::str::contains(
                    "Cy <cy@example.com>: founder → role removed",
                ))
                .and(predicate::str::contains("Ana").not()),
        );
}
