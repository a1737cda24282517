//! `climb init`: each starter framework is written, passes `climb check`
//! without a warning, and draws; an existing file is never overwritten
//! without `--force`.

use predicates::prelude::*;

use crate::climb;

const TEMPLATES: [&str; 4] = ["default", "startup", "scale-up", "large"];

#[test]
fn every_template_is_written_and_checks_without_a_warning_and_draws() {
    let dir = tempfile::tempdir().expect("temp dir");
    for template in TEMPLATES {
        let path = dir.path().join(format!("{template}.toml"));
        let path = path.to_str().expect("utf-8 path");
        climb()
            .args(["init", "--template", template, "-o", path])
            .assert()
            .code(0)
            .stderr(predicate::str::contains(format!("wrote {path}")));
        climb()
            .args(["check", "--deny-warnings", path])
            .assert()
            .code(0)
            .stderr(predicate::str::contains("0 errors, 0 warnings"));
        let png = dir.path().join(format!("{template}.png"));
        climb()
            .args([
                "chart",
                "--framework",
                path,
                "-o",
                png.to_str().expect("utf-8 path"),
            ])
            .assert()
            .code(0);
        let bytes = std::fs::read(&png).expect("the chart was written");
        assert!(bytes.starts_with(b"\x89PNG"), "{template}: not a PNG");
    }
}

#[test]
fn the_default_template_is_the_built_in_framework_and_dash_is_stdout() {
    let written = climb()
        .args(["init", "-o", "-"])
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    assert_eq!(
        String::from_utf8(written).expect("utf-8"),
        climb_framework::BUILTIN_SOURCE
    );
}

#[test]
fn an_existing_file_is_kept_unless_forced() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("climb.toml");
    std::fs::write(&path, "# my own framework\n").expect("write");
    let path_text = path.to_str().expect("utf-8 path");
    climb()
        .args(["init", "-o", path_text])
        .assert()
        .code(1)
        .stderr(
            predicate::str::contains("already exists").and(predicate::str::contains("--force")),
        );
    assert_eq!(
        std::fs::read_to_string(&path).expect("read"),
        "# my own framework\n"
    );
    climb()
        .args(["init", "--template", "startup", "--force", "-o", path_text])
        .assert()
        .code(0);
    assert!(
        std::fs::read_to_string(&path)
            .expect("read")
            .contains("name = \"Start-up\"")
    );
}

#[test]
fn an_unknown_template_is_a_usage_error_naming_the_choices() {
    climb()
        .args(["init", "--template", "unicorn", "-o", "-"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("unicorn").and(predicate::str::contains("startup")));
}
