//! `climb framework import`: each format's fixture (under the import
//! crate's `tests/fixtures`) becomes a framework file that `climb check`
//! accepts, with the mapped content asserted and each warning printed at
//! its place; malformed sources give located errors and exit 2 (unreadable)
//! or 1 (cannot be mapped).

use predicates::prelude::*;

use crate::climb;

/// A fixture of the import crate.
fn source(path: &str) -> String {
    format!(
        "{}/../import/tests/fixtures/{path}",
        env!("CARGO_MANIFEST_DIR")
    )
}

/// Imports `path` as `format` into a temporary file, checks it with
/// `climb check --deny-warnings`, and returns the file and the stderr.
fn import_and_check(format: &str, path: &str, extra: &[&str]) -> (String, String) {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("climb.toml");
    let assert = climb()
        .args(["framework", "import", format])
        .arg(source(path))
        .arg("-o")
        .arg(&out)
        .args(extra)
        .assert()
        .code(0)
        .stdout("");
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    climb()
        .args(["check", "--deny-warnings"])
        .arg(&out)
        .assert()
        .code(0);
    climb()
        .arg("--framework")
        .arg(&out)
        .arg("chart")
        .arg("-o")
        .arg(dir.path().join("chart.png"))
        .assert()
        .code(0);
    let toml = std::fs::read_to_string(&out).expect("written");
    (toml, stderr)
}

/// The `[[…]]` table of `kind` whose `key = "value"` line is present.
fn table<'a>(toml: &'a str, kind: &str, line: &str) -> &'a str {
    toml.split(&format!("[[{kind}]]\n"))
        .find(|t| t.lines().any(|l| l == line))
        .unwrap_or_else(|| panic!("no [[{kind}]] with `{line}` in\n{toml}"))
}

#[test]
fn a_snowflake_module_becomes_one_ic_stream_of_titles_and_track_competencies() {
    let (toml, stderr) = import_and_check("snowflake", "snowflake/constants.js", &[]);
    let building = table(&toml, "competencies", "id = \"building\"");
    assert!(building.contains("name = \"Building\""));
    assert!(building.contains("  \"Designs the parts of a system their team owns\",\n"));
    assert!(toml.contains("#   - Writes tests for the code they change\n"));
    assert!(table(&toml, "roles", "id = \"engineer-i\"").contains("entry = true"));
    assert!(table(&toml, "roles", "id = \"senior-engineer\"").contains("seniority = 3"));
    assert!(table(&toml, "roles", "id = \"staff-engineer\"").contains("seniority = 4"));
    assert!(toml.contains(
        "[[transitions]]\nfrom = \"engineer-ii\"\nto = \"senior-engineer\"\nkind = \"promotion\"\n"
    ));
    assert!(toml.contains("# transitions: the source names none"));
    for expected in [
        "constants.js:30:3: warning: `BUILDING`: category, description, 3 signals and 2 examples kept as comments only",
        "constants.js:91:14: warning: `categories`: climb has no categories",
        "constants.js:19:14: warning: `pointsToLevels`: climb has no points or sub-levels",
        "constants.js:97:3: warning: `Engineer I`: climb has no points (0 to 8 points)",
    ] {
        assert!(
            stderr.contains(expected),
            "missing `{expected}` in\n{stderr}"
        );
    }
}

#[test]
fn without_output_the_framework_goes_to_stdout() {
    climb()
        .args(["framework", "import", "snowflake"])
        .arg(source("snowflake/constants.js"))
        .args(["--name", "Acme ladder"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains(
            "[framework]\nname = \"Acme ladder\"\n",
        ))
        .stderr(predicate::str::contains(
            "imported 1 stream(s), 4 role(s) and 2 competencies",
        ));
}

#[test]
fn an_unclosed_bracket_in_a_snowflake_module_is_a_located_error_exiting_2() {
    climb()
        .args(["framework", "import", "snowflake"])
        .arg(source("snowflake/unclosed.js"))
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains(
            "unclosed.js:7:3: error: `}` does not close the bracket opened at 4:19",
        ));
}

#[test]
fn a_snowflake_module_without_titles_cannot_be_mapped_and_exits_1() {
    climb()
        .args(["framework", "import", "snowflake"])
        .arg(source("snowflake/no-titles.js"))
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "no-titles.js:2:14: error: no titles",
        ));
}

#[test]
fn a_matrix_becomes_streams_of_levels_with_expectations() {
    let (toml, stderr) = import_and_check("matrix-csv", "matrix-csv/matrix.csv", &[]);
    let delivery = table(&toml, "competencies", "id = \"delivery\"");
    assert!(delivery.contains("\"Ships small, well-scoped changes with help\""));
    let e2 = table(&toml, "roles", "id = \"e2\"");
    assert!(e2.contains("stream = \"engineering\""));
    assert!(e2.contains("seniority = 2"));
    // E2's delivery text is the third distinct one by seniority (E1, M1, E2).
    assert!(e2.contains("expectations = { delivery = 3, collaboration = 2 }"));
    assert!(table(&toml, "streams", "id = \"management\"").contains("track = \"management\""));
    assert!(toml.contains("[[transitions]]\nfrom = \"m1\"\nto = \"m2\"\n"));
    for expected in [
        "matrix.csv:1:32: warning: column `Owner` has no place in a climb framework",
        "matrix.csv:8:16: warning: `Engineering` / `E3` / `Collaboration` was already described on line 7",
        "matrix.csv:12:22: warning: no description for `People` at `M2` of `Management`",
    ] {
        assert!(
            stderr.contains(expected),
            "missing `{expected}` in\n{stderr}"
        );
    }
}

#[test]
fn matrix_columns_can_be_named_on_the_command_line() {
    let (toml, stderr) = import_and_check(
        "matrix-csv",
        "matrix-csv/matrix.csv",
        &["--track-column", "owner", "--level-column", "Family"],
    );
    // Owner is now the track, so Family is the level and Grade is left over.
    assert!(toml.contains("name = \"Platform guild\""));
    assert!(stderr.contains("matrix.csv:1:8: warning: column `Grade` has no place"));
}

#[test]
fn a_matrix_without_a_level_column_names_what_it_looked_for_and_exits_1() {
    climb()
        .args(["framework", "import", "matrix-csv"])
        .arg(source("matrix-csv/no-level-column.csv"))
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "no-level-column.csv:1:1: error: no level column: looked for `level`, `grade`, `band`",
        ));
}

#[test]
fn an_unclosed_quote_in_a_matrix_is_a_located_error() {
    climb()
        .args(["framework", "import", "matrix-csv"])
        .arg(source("matrix-csv/unclosed-quote.csv"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "unclosed-quote.csv:2:25: error: this quoted cell is never closed",
        ));
}

#[test]
fn a_missing_source_is_an_io_error_exiting_2() {
    climb()
        .args(["framework", "import", "matrix-csv", "no-such-file.csv"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("cannot read `no-such-file.csv`"));
}

#[test]
fn bytes_that_are_not_utf8_are_refused_at_their_place() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("m.csv");
    std::fs::write(&path, b"track,level,competency,description\nE,\xff1,C,d\n").expect("written");
    climb()
        .args(["framework", "import", "matrix-csv"])
        .arg(&path)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "m.csv:2:3: error: the file is not UTF-8 text",
        ));
}

#[test]
fn a_yaml_progression_becomes_streams_of_levels_with_their_expectations() {
    let (toml, stderr) =
        import_and_check("progression-yaml", "progression-yaml/progression.yml", &[]);
    assert!(toml.contains("name = \"Northwind engineering progression\"\nversion = \"2026.2\""));
    let senior = table(&toml, "roles", "id = \"senior-engineer\"");
    assert!(senior.contains("seniority = 4"));
    assert!(senior.contains("\"Mentors other engineers\""));
    assert!(senior.contains("expectations = { technical-skill = 3, communication = 3 }"));
    let technical = table(&toml, "competencies", "id = \"technical-skill\"");
    assert!(
        technical
            .contains("\"Delivers features independently\\nWrites tests that catch regressions\"")
    );
    // The manager expects the same communication as the senior engineer:
    // one level text, shared.
    assert!(table(&toml, "roles", "id = \"engineering-manager\"").contains("communication = 3"));
    assert!(
        table(&toml, "streams", "id = \"engineering-management\"")
            .contains("track = \"management\"")
    );
    assert!(toml.contains(
        "[[transitions]]\nfrom = \"engineering-manager\"\nto = \"head-of-engineering\"\n"
    ));
    for expected in [
        "progression.yml:6:1: warning: the top level: `owner` has no place",
        "progression.yml:34:9: warning: level `Senior Engineer`: `salary_band` has no place",
        "progression.yml:54:11: warning: `Head of Engineering` names `Communication` without an expectation",
        "progression.yml:9:9: warning: `Technical skill`: a climb competency has no description",
    ] {
        assert!(
            stderr.contains(expected),
            "missing `{expected}` in\n{stderr}"
        );
    }
}

#[test]
fn a_yaml_syntax_error_is_located_and_exits_2() {
    climb()
        .args(["framework", "import", "progression-yaml"])
        .arg(source("progression-yaml/unclosed.yml"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "unclosed.yml:6:1: error: not readable as YAML",
        ));
}

#[test]
fn two_levels_at_one_seniority_cannot_be_mapped_and_exit_1() {
    climb()
        .args(["framework", "import", "progression-yaml"])
        .arg(source("progression-yaml/same-seniority.yml"))
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "same-seniority.yml:7:13: error: `Senior Engineer` has the same seniority (2) as `Engineer`",
        ));
}

#[test]
fn a_folder_of_markdown_pages_becomes_one_stream_a_page() {
    let (toml, stderr) = import_and_check(
        "progression-markdown",
        "progression-markdown/good",
        &["--name", "Acme progression"],
    );
    assert!(toml.contains("name = \"Acme progression\""));
    let backend = table(&toml, "streams", "id = \"backend-engineering\"");
    assert!(backend.contains(
        "description = \"Backend engineers build and run the services behind our apps.\""
    ));
    let staff = table(&toml, "roles", "id = \"staff-backend-engineer\"");
    assert!(staff.contains("seniority = 3"));
    assert!(staff.contains("expectations = { technical-skill = 3, impact = 3 }"));
    let first = table(&toml, "roles", "id = \"backend-engineer\"");
    assert!(first.contains("entry = true"));
    assert!(
        first.contains("summary = \"You are learning our stack and delivering well-scoped work.\"")
    );
    let technical = table(&toml, "competencies", "id = \"technical-skill\"");
    assert!(technical.contains("\"Sets technical direction across several teams\""));
    let impact = table(&toml, "competencies", "id = \"impact\"");
    assert!(impact.contains("\"Delivers their own tasks (see the delivery guide)\""));
    // Front-matter levels, in the shape of progression-yaml.
    assert!(
        table(&toml, "roles", "id = \"senior-designer\"").contains("expectations = { craft = 2 }")
    );
    assert!(toml.contains(
        "[[transitions]]\nfrom = \"engineering-management-level-1\"\nto = \"engineering-management-level-2\"\n"
    ));
    for expected in [
        "good/README.txt:1:1: warning: not a Markdown page (.md), so it is not read",
        "good/backend.md:3:1: warning: front matter: `sidebarGroup` has no place",
        "good/backend.md:35:1: warning: a table has no place",
        "good/backend.md:22:37: warning: the link to `https://example.com/delivery` keeps its text",
        "good/engineering-management.md:25:1: warning: a code block has no place",
    ] {
        assert!(
            stderr.contains(expected),
            "missing `{expected}` in\n{stderr}"
        );
    }
}

#[test]
fn broken_front_matter_is_a_located_error_exiting_2() {
    climb()
        .args(["framework", "import", "progression-markdown"])
        .arg(source("progression-markdown/bad-front-matter.md"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "bad-front-matter.md:4:1: error: not readable as YAML",
        ));
}

#[test]
fn a_folder_is_refused_by_a_format_that_reads_one_file() {
    climb()
        .args(["framework", "import", "matrix-csv"])
        .arg(source("progression-markdown/good"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "is a folder; this format reads one file",
        ));
}
