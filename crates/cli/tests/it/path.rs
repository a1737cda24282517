//! `climb path FROM TO`.

use predicates::prelude::*;

use crate::climb;

#[test]
fn path_prints_the_shortest_sequence_of_transitions() {
    climb()
        .args(["path", "associate-software-engineer", "staff-engineer"])
        .assert()
        .code(0)
        .stdout(
            predicate::str::contains("3 steps")
                .and(predicate::str::contains("Senior Software Engineer"))
                .and(predicate::str::contains("promotion")),
        );
}

#[test]
fn path_as_json_lists_steps_with_kinds() {
    let output = climb()
        .args(["path", "software-engineer", "engineering-manager", "--json"])
        .assert()
        .code(0)
        .get_output()
        .clone();
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("valid JSON");
    assert_eq!(
        json,
        serde_json::json!({"steps": [
            {"from": "software-engineer", "to": "senior-software-engineer", "kind": "promotion"},
            {"from": "senior-software-engineer", "to": "engineering-manager", "kind": "lateral"},
        ]})
    );
}

#[test]
fn no_path_into_a_hire_only_role_exits_one_and_says_why() {
    climb()
        .args(["path", "vp-engineering", "cto"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("no path").and(predicate::str::contains("hire-only")));
}

#[test]
fn no_path_downwards_exits_one() {
    climb()
        .args(["path", "principal-software-engineer", "software-engineer"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("no sequence"));
}

#[test]
fn path_with_an_unknown_role_names_it() {
    climb()
        .args(["path", "intern", "cto"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("`intern`"));
}

#[test]
fn a_path_between_titles_suggests_the_ids() {
    climb()
        .args(["path", "Software Engineer", "staff-engineer"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "there is no role `Software Engineer` in this framework; \
             did you mean `software-engineer` (Software Engineer)?",
        ));
}
