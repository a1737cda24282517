//! `climb check`: diagnostics, formats and exit statuses.

use predicates::prelude::*;

use crate::{climb, fixture};

#[test]
fn the_built_in_framework_checks_clean_even_with_warnings_denied() {
    climb()
        .args(["check", "--deny-warnings"])
        .assert()
        .code(0)
        .stderr(predicate::str::contains("0 errors, 0 warnings"));
}

#[test]
fn a_valid_file_exits_zero() {
    climb()
        .args(["check", &fixture("small.toml")])
        .assert()
        .code(0);
}

#[test]
fn a_broken_file_reports_every_error_with_its_location_and_exits_one() {
    let output = climb()
        .args(["check", &fixture("broken.toml")])
        .assert()
        .code(1)
        .get_output()
        .clone();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("error[E004]"), "{stderr}");
    assert!(stderr.contains("error[E005]"), "{stderr}");
    assert!(
        stderr.contains("broken.toml:20:"),
        "points at the bad stream: {stderr}"
    );
    assert!(
        stderr.contains('^'),
        "shows a caret under the source: {stderr}"
    );
    assert!(stderr.contains("2 errors"), "{stderr}");
}

#[test]
fn warnings_pass_unless_denied() {
    climb()
        .args(["check", &fixture("warning.toml")])
        .assert()
        .code(0)
        .stderr(predicate::str::contains("warning[W002]"));
    climb()
        .args(["check", "--deny-warnings", &fixture("warning.toml")])
        .assert()
        .code(1);
}

#[test]
fn json_format_lists_the_same_diagnostics() {
    let output = climb()
        .args(["check", "--format", "json", &fixture("broken.toml")])
        .assert()
        .code(1)
        .get_output()
        .clone();
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("valid JSON");
    assert_eq!(json["errors"], 2);
    assert_eq!(json["ok"], false);
    let diagnostics = json["files"][0]["diagnostics"]
        .as_array()
        .expect("a diagnostics array");
    let codes: Vec<_> = diagnostics.iter().map(|d| d["code"].as_str()).collect();
    assert!(
        codes.contains(&Some("E004")) && codes.contains(&Some("E005")),
        "{json}"
    );
    assert!(
        diagnostics.iter().all(|d| d["line"].as_u64().is_some()),
        "{json}"
    );
}

#[test]
fn several_files_are_checked_in_one_run() {
    climb()
        .args(["check", &fixture("small.toml"), &fixture("broken.toml")])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("checked 2 files"));
}

#[test]
fn a_missing_file_is_a_usage_error_with_a_clear_message() {
    climb()
        .args(["check", "does-not-exist.toml"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "cannot read `does-not-exist.toml`",
        ));
}

#[test]
fn binary_garbage_is_reported_as_e001_not_a_crash() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("garbage.toml");
    std::fs::write(&file, [0xff, 0xfe, 0x00, 0x9f, 0x92, 0x96]).expect("write");
    climb()
        .args(["check"])
        .arg(&file)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("E001"));
}
