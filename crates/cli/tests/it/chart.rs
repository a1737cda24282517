//! `climb chart`: SVG on stdout, SVG and PNG files.

use predicates::prelude::*;

use crate::climb;

#[test]
fn chart_writes_svg_to_stdout_with_the_role_contract() {
    let output = climb().arg("chart").assert().code(0).get_output().clone();
    let svg = String::from_utf8_lossy(&output.stdout);
    assert!(
        svg.starts_with("<svg") || svg.starts_with("<?xml"),
        "{}",
        &svg[..svg.len().min(200)]
    );
    assert!(svg.contains(r#"data-role="staff-engineer""#));
    assert!(svg.contains(r#"class="transition promotion""#));
    assert!(svg.contains(r#"class="transition lateral""#));
}

#[test]
fn chart_writes_png_and_svg_files_by_extension() {
    let dir = tempfile::tempdir().expect("temp dir");
    let png = dir.path().join("chart.png");
    climb().args(["chart", "-o"]).arg(&png).assert().code(0);
    let bytes = std::fs::read(&png).expect("png written");
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n");

    let svg = dir.path().join("chart.svg");
    climb()
        .args(["chart", "--theme", "dark", "-o"])
        .arg(&svg)
        .assert()
        .code(0);
    assert!(
        std::fs::read_to_string(&svg)
            .expect("svg written")
            .contains("data-role")
    );
}

#[test]
fn chart_refuses_an_unknown_extension() {
    climb()
        .args(["chart", "-o", "chart.gif"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(".svg` or `.png`"));
}

#[test]
fn chart_highlight_of_an_unknown_role_is_an_error() {
    climb()
        .args(["chart", "--highlight", "wizard"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("`wizard`"));
}

#[test]
fn chart_path_into_a_hire_only_role_is_an_error() {
    climb()
        .args(["chart", "--path", "software-engineer", "cto"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("hire-only"));
}
