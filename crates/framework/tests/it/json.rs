//! The JSON form of a report: the same diagnostics with 1-based positions.

use climb_framework::check;
use climb_framework::diagnostic::render_json;

use crate::support::base_with;

#[test]
fn json_output_gives_code_position_labels_notes_and_counts() {
    let source = base_with(
        "[[roles]]\nid = \"senior-engineer\"\ntitle = \"Senior Engineer II\"\nstream = \"enginering\"\nseniority = 3\nentry = true\n",
    );
    let json = render_json(&check(source.as_bytes()), "framework.toml");
    insta::assert_json_snapshot!("json_report", json);
}

#[test]
fn json_line_and_column_point_at_the_primary_label() {
    let source = "[framework]\nname = \"x\"\nversion = \"1\"\ncolour = \"red\"\n";
    let json = render_json(&check(source.as_bytes()), "f.toml");
    let first = &json["diagnostics"][0];
    assert_eq!(first["code"], "E002");
    assert_eq!(first["severity"], "error");
    assert_eq!(first["line"], 4);
    assert_eq!(first["column"], 1);
    assert_eq!(first["end_column"], 7);
    assert_eq!(json["summary"]["errors"], 1);
    assert_eq!(json["summary"]["warnings"], 0);
}
