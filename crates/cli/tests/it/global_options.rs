//! `--framework` and `--db` are global: accepted before or after any
//! subcommand, and read from the environment.

use predicates::prelude::*;

use crate::{climb, fixture};

#[test]
fn framework_is_accepted_before_the_subcommand() {
    climb()
        .args(["--framework", &fixture("small.toml"), "roles"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("senior-dev"));
}

#[test]
fn framework_is_accepted_after_the_subcommand() {
    climb()
        .args([
            "path",
            "dev",
            "manager",
            "--framework",
            &fixture("small.toml"),
        ])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("2 steps"));
}

#[test]
fn framework_comes_from_the_environment() {
    climb()
        .env("CLIMB_FRAMEWORK", fixture("small.toml"))
        .arg("roles")
        .assert()
        .code(0)
        .stdout(predicate::str::contains("senior-dev"));
}

#[test]
fn a_broken_framework_file_stops_a_query_with_its_diagnostics() {
    climb()
        .args(["roles", "--framework", &fixture("broken.toml")])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("error[E004]"));
}

#[test]
fn db_is_accepted_before_and_after_the_subcommand() {
    climb()
        .args(["--db", "sqlite::memory:", "roles"])
        .assert()
        .code(0);
    climb()
        .args(["roles", "--db", "sqlite::memory:"])
        .assert()
        .code(0);
}

#[test]
fn an_unknown_subcommand_is_a_usage_error() {
    climb().arg("climb-higher").assert().code(2);
}
