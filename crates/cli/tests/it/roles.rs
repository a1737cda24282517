//! `climb roles` and `climb role ID`.

use predicates::prelude::*;

use crate::{climb, fixture};

#[test]
fn roles_lists_every_built_in_role_grouped_by_stream() {
    let output = climb().arg("roles").assert().code(0).get_output().clone();
    let stdout = String::from_utf8_lossy(&output.stdout);
    for id in [
        "software-engineer",
        "architect",
        "engineering-manager",
        "cto",
    ] {
        assert!(stdout.contains(id), "{id} missing from:\n{stdout}");
    }
    let engineer = stdout.find("software-engineer").unwrap_or(usize::MAX);
    let manager = stdout.find("engineering-manager").unwrap_or(0);
    assert!(
        engineer < manager,
        "engineering rows come before management:\n{stdout}"
    );
    assert!(stdout.contains("hire only"), "{stdout}");
}

#[test]
fn roles_as_json_is_parseable() {
    let output = climb()
        .args(["roles", "--json"])
        .assert()
        .code(0)
        .get_output()
        .clone();
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("valid JSON");
    assert_eq!(json["roles"].as_array().map(Vec::len), Some(11));
}

#[test]
fn role_shows_responsibilities_expectations_next_steps_and_equivalents() {
    climb()
        .args(["role", "senior-software-engineer"])
        .assert()
        .code(0)
        .stdout(
            predicate::str::contains("Senior Software Engineer")
                .and(predicate::str::contains("Responsibilities"))
                .and(predicate::str::contains("Expectations"))
                .and(predicate::str::contains("Staff Engineer"))
                .and(predicate::str::contains("promotion"))
                .and(predicate::str::contains("Team Lead")),
        );
    climb()
        .args(["role", "staff-engineer"])
        .assert()
        .code(0)
        .stdout(
            predicate::str::contains("Equivalent rank").and(predicate::str::contains("Architect")),
        );
}

#[test]
fn role_json_names_next_steps() {
    let output = climb()
        .args(["role", "software-engineer", "--json"])
        .assert()
        .code(0)
        .get_output()
        .clone();
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("valid JSON");
    assert_eq!(json["next_steps"][0]["to"], "senior-software-engineer");
    assert_eq!(json["next_steps"][0]["kind"], "promotion");
}

#[test]
fn an_unknown_role_is_an_error_that_lists_the_known_ones() {
    climb().args(["role", "wizard"]).assert().code(2).stderr(
        predicate::str::contains("no role `wizard`").and(predicate::str::contains("architect")),
    );
}

#[test]
fn roles_of_a_framework_file() {
    climb()
        .args(["roles", "--framework", &fixture("small.toml")])
        .assert()
        .code(0)
        .stdout(
            predicate::str::contains("senior-dev").and(predicate::str::contains("architect").not()),
        );
}

/// People type the title they read on the chart: it is not an id, and the
/// message names the id it belongs to instead of listing every role.
#[test]
fn a_role_given_by_its_title_suggests_its_id() {
    climb()
        .args(["role", "senior software engineer"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "did you mean `senior-software-engineer` (Senior Software Engineer)?",
        ))
        .stderr(predicate::str::contains("known roles").not());
    climb()
        .args(["role", "staf-engineer"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("did you mean `staff-engineer`"));
}
