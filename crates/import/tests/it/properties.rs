//! Thousands of mutated fixtures through `climb_import::fuzzing`: no
//! importer panics, every warning and error has a place in the input, and
//! whatever imports passes `climb check`.

use climb_import::Format;
use climb_import::fuzzing::{any_format, import_check};
use proptest::prelude::*;

use crate::fixture;

/// Bytes that make or break the syntax of the formats.
const SYNTAX: &[u8] = b"{}[]()\"'`,:;=\n\r\\/*-#|>.0 aZ\xff";

#[derive(Debug, Clone)]
enum Edit {
    Delete { at: usize, len: usize },
    Duplicate { at: usize, len: usize },
    Insert { at: usize, byte: u8 },
    Truncate { at: usize },
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        (any::<usize>(), 1usize..40).prop_map(|(at, len)| Edit::Delete { at, len }),
        (any::<usize>(), 1usize..200).prop_map(|(at, len)| Edit::Duplicate { at, len }),
        (any::<usize>(), prop::sample::select(SYNTAX))
            .prop_map(|(at, byte)| Edit::Insert { at, byte }),
        any::<usize>().prop_map(|at| Edit::Truncate { at }),
    ]
}

fn mutate(mut bytes: Vec<u8>, edits: &[Edit]) -> Vec<u8> {
    for edit in edits {
        let len = bytes.len().max(1);
        match *edit {
            Edit::Delete { at, len: n } => {
                let at = at % len;
                let end = (at + n).min(bytes.len());
                if at < end {
                    bytes.drain(at..end);
                }
            }
            Edit::Duplicate { at, len: n } => {
                let at = at % len;
                let end = (at + n).min(bytes.len());
                if at < end {
                    let copy = bytes[at..end].to_vec();
                    bytes.splice(end..end, copy);
                }
            }
            Edit::Insert { at, byte } => bytes.insert((at % len).min(bytes.len()), byte),
            Edit::Truncate { at } => bytes.truncate(at % len),
        }
    }
    bytes
}

fn holds(format: Format, fixture_path: &str, edits: &[Edit]) -> Result<(), TestCaseError> {
    let bytes = mutate(fixture(fixture_path), edits);
    import_check(format, &bytes).map_err(|broken| {
        TestCaseError::fail(format!(
            "{broken}\n--- input ---\n{}",
            String::from_utf8_lossy(&bytes)
        ))
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1500, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn mutated_snowflake_modules_never_break_the_importer(edits in prop::collection::vec(edit(), 1..7)) {
        holds(Format::Snowflake, "snowflake/constants.js", &edits)?;
    }

    #[test]
    fn mutated_matrices_never_break_the_importer(edits in prop::collection::vec(edit(), 1..7)) {
        holds(Format::MatrixCsv, "matrix-csv/matrix.csv", &edits)?;
    }

    #[test]
    fn mutated_yaml_progressions_never_break_the_importer(edits in prop::collection::vec(edit(), 1..7)) {
        holds(Format::ProgressionYaml, "progression-yaml/progression.yml", &edits)?;
    }

    #[test]
    fn mutated_markdown_pages_never_break_the_importer(edits in prop::collection::vec(edit(), 1..7)) {
        holds(Format::ProgressionMarkdown, "progression-markdown/good/backend.md", &edits)?;
    }

    #[test]
    fn arbitrary_bytes_never_break_any_importer(data in prop::collection::vec(any::<u8>(), 0..400)) {
        any_format(&data).map_err(|broken| TestCaseError::fail(broken.to_string()))?;
    }
}

#[test]
fn every_good_fixture_imports_and_checks() {
    for (format, path) in [
        (Format::Snowflake, "snowflake/constants.js"),
        (Format::MatrixCsv, "matrix-csv/matrix.csv"),
        (Format::ProgressionYaml, "progression-yaml/progression.yml"),
        (
            Format::ProgressionMarkdown,
            "progression-markdown/good/backend.md",
        ),
    ] {
        import_check(format, &fixture(path)).unwrap_or_else(|broken| panic!("{path}: {broken}"));
    }
}

#[test]
fn deep_nesting_is_an_error_not_a_stack_overflow() {
    let deep = format!(
        "const tracks = {}{}",
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    import_check(Format::Snowflake, deep.as_bytes()).expect("a located error");
    let deep = format!("job_families: {}", "[".repeat(100_000));
    import_check(Format::ProgressionYaml, deep.as_bytes()).expect("a located error");
    let quotes = format!("## Level 1\n### Topic\n{}text\n", "> ".repeat(50_000));
    import_check(Format::ProgressionMarkdown, quotes.as_bytes()).expect("imports");
    let lists: String = (0..5_000)
        .map(|depth| format!("{}- item\n", "  ".repeat(depth)))
        .collect();
    let lists = format!("## Level 1\n{lists}");
    import_check(Format::ProgressionMarkdown, lists.as_bytes()).expect("imports");
}
