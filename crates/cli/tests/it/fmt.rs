//! `climb fmt`: files are rewritten in place in the canonical layout with
//! their comments; `--check` writes nothing, prints a diff and exits 1; a
//! file that is not TOML is refused with the checker's located error and
//! left as it was.

use predicates::prelude::*;

use crate::climb;

const MESSY: &str = "[[streams]]\nname = \"Engineering\"   # the only row\nid=\"engineering\"\ntrack = \"ic\"\n\n[framework]\nversion = \"1\"\nname = \"Acme\"\n";

const TIDY: &str = "[framework]\nname = \"Acme\"\nversion = \"1\"\n\n[[streams]]\nid = \"engineering\"\nname = \"Engineering\" # the only row\ntrack = \"ic\"\n";

#[test]
fn check_prints_a_diff_exits_1_and_writes_nothing() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("climb.toml");
    std::fs::write(&path, MESSY).expect("written");
    climb()
        .args(["fmt", "--check"])
        .arg(&path)
        .assert()
        .code(1)
        .stdout(predicate::str::contains("+[framework]"))
        .stdout(predicate::str::contains("-id=\"engineering\""))
        .stdout(predicate::str::contains("+id = \"engineering\""));
    assert_eq!(std::fs::read_to_string(&path).expect("read"), MESSY);
}

#[test]
fn a_file_is_rewritten_in_place_and_then_passes_check() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("climb.toml");
    std::fs::write(&path, MESSY).expect("written");
    climb().arg("fmt").arg(&path).assert().code(0);
    assert_eq!(std::fs::read_to_string(&path).expect("read"), TIDY);
    climb()
        .args(["fmt", "--check"])
        .arg(&path)
        .assert()
        .code(0)
        .stdout("");
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .expect("listed")
        .filter_map(Result::ok)
        .map(|entry| entry.file_name())
        .collect();
    assert_eq!(
        leftovers.len(),
        1,
        "a temporary file was left: {leftovers:?}"
    );
}

#[test]
fn the_starter_frameworks_are_formatted() {
    let frameworks = concat!(env!("CARGO_MANIFEST_DIR"), "/../../frameworks");
    let mut command = climb();
    command.args(["fmt", "--check"]);
    for name in [
        "default.toml",
        "startup.toml",
        "scale-up.toml",
        "large.toml",
    ] {
        command.arg(format!("{frameworks}/{name}"));
    }
    command.assert().code(0).stdout("");
}

#[test]
fn a_file_that_is_not_toml_gets_a_located_error_and_is_left_alone() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("broken.toml");
    let broken = "[framework]\nname = \"Acme\"\nversion = \n";
    std::fs::write(&path, broken).expect("written");
    climb()
        .arg("fmt")
        .arg(&path)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("E001"))
        .stderr(predicate::str::contains("broken.toml:3:"))
        .stderr(predicate::str::contains(
            "not formatted, fix the errors above first",
        ));
    assert_eq!(std::fs::read_to_string(&path).expect("read"), broken);
}

#[test]
fn a_missing_file_is_a_usage_error() {
    climb()
        .args(["fmt", "no-such-file.toml"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("cannot read `no-such-file.toml`"));
}
