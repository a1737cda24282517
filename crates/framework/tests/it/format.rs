//! `climb_framework::format`: the canonical layout, and what it must never
//! change — the TOML the file means, its comments, and a second run.

use climb_framework::format::{FormatError, format};
use proptest::prelude::*;

const FRAMEWORKS: &[(&str, &str)] = &[
    (
        "default.toml",
        include_str!("../../../../frameworks/default.toml"),
    ),
    (
        "startup.toml",
        include_str!("../../../../frameworks/startup.toml"),
    ),
    (
        "scale-up.toml",
        include_str!("../../../../frameworks/scale-up.toml"),
    ),
    (
        "large.toml",
        include_str!("../../../../frameworks/large.toml"),
    ),
];

fn formatted(source: &str) -> String {
    match format(source.as_bytes()) {
        Ok(text) => text,
        Err(e) => panic!("format refused a valid file: {e}\n{source}"),
    }
}

fn meaning(source: &str) -> toml::Table {
    match source.parse::<toml::Table>() {
        Ok(table) => table,
        Err(e) => panic!("not TOML: {e}\n{source}"),
    }
}

/// The comment lines of a file, sorted: formatting may move them with what
/// they belong to, but never drop, add or change one.
fn comments(source: &str) -> Vec<String> {
    let mut lines: Vec<String> = source
        .lines()
        .filter_map(|line| line.find('#').map(|at| (line, at)))
        .filter(|(line, at)| !in_string(line, *at))
        .map(|(line, at)| line[at..].trim_end().to_owned())
        .collect();
    lines.sort();
    lines
}

/// Whether the `#` at `at` is inside a quoted string (enough for the files
/// these tests write and the repository's frameworks, whose strings hold no
/// escaped quotes before a `#`).
fn in_string(line: &str, at: usize) -> bool {
    let before = &line[..at];
    before.matches('"').count() % 2 == 1 || before.matches('\'').count() % 2 == 1
}

fn assert_canonical(name: &str, source: &str) {
    let once = formatted(source);
    assert_eq!(
        formatted(&once),
        once,
        "{name}: a second run changed the file"
    );
    assert_eq!(
        meaning(&once),
        meaning(source),
        "{name}: formatting changed what the file means"
    );
    assert_eq!(
        comments(&once),
        comments(source),
        "{name}: formatting lost or changed a comment"
    );
    let before = climb_framework::check(source.as_bytes());
    let after = climb_framework::check(once.as_bytes());
    assert_eq!(
        (before.error_count(), before.warning_count()),
        (after.error_count(), after.warning_count()),
        "{name}: the checker's verdict changed"
    );
}

#[test]
fn the_repository_frameworks_are_already_formatted() {
    for (name, source) in FRAMEWORKS {
        assert_canonical(name, source);
        assert_eq!(
            &formatted(source),
            source,
            "{name} is not in canonical form: run `climb fmt frameworks/*.toml`"
        );
    }
}

#[test]
fn sections_and_keys_move_into_canonical_order_with_their_comments() {
    let messy = r#"# Acme's framework.
# Kept by the platform team.

[[roles]]
stream = "engineering"   # the IC ladder
id="engineer"
seniority=1
title = "Engineer"
entry = true

# The senior rung.
[[roles]]
title = "Senior Engineer"
id = "senior"
expectations={delivery=2}
stream = "engineering"
seniority = 2

[[transitions]]
kind = "promotion"
to = "senior"
from = "engineer"

[framework]
version = "1"
name = "Acme"

[[streams]]
track = "ic"
name = "Engineering"
id = "engineering"

[[competencies]]
levels = ["ships small changes with help", "ships features alone", "leads the delivery of projects across several teams"]
name = "Delivery"
id = "delivery"
"#;
    let expected = r#"# Acme's framework.
# Kept by the platform team.

[framework]
name = "Acme"
version = "1"

[[streams]]
id = "engineering"
name = "Engineering"
track = "ic"

[[roles]]
id = "engineer"
title = "Engineer"
stream = "engineering" # the IC ladder
seniority = 1
entry = true

# The senior rung.
[[roles]]
id = "senior"
title = "Senior Engineer"
stream = "engineering"
seniority = 2
expectations = { delivery = 2 }

[[transitions]]
from = "engineer"
to = "senior"
kind = "promotion"

[[competencies]]
id = "delivery"
name = "Delivery"
levels = [
  "ships small changes with help",
  "ships features alone",
  "leads the delivery of projects across several teams",
]
"#;
    assert_eq!(formatted(messy), expected);
    assert_canonical("messy", messy);
}

#[test]
fn sub_tables_and_inline_arrays_of_tables_take_the_reference_forms() {
    let source = r#"framework = { name = "Acme", version = "1" }
streams = [{ id = "engineering", name = "Engineering", track = "ic" }]

[[roles]]
id = "engineer"
title = "Engineer"
stream = "engineering"
seniority = 1
entry = true
expectations.delivery = 1

[[roles]]
id = "senior"
title = "Senior Engineer"
stream = "engineering"
seniority = 2

[roles.expectations]
delivery = 2
"#;
    let once = formatted(source);
    assert!(
        once.contains("[framework]\nname = \"Acme\"\nversion = \"1\"\n"),
        "{once}"
    );
    assert!(once.contains("[[streams]]\nid = \"engineering\""), "{once}");
    assert!(
        once.contains("seniority = 1\nentry = true\nexpectations = { delivery = 1 }\n"),
        "{once}"
    );
    assert!(
        once.contains("seniority = 2\nexpectations = { delivery = 2 }\n"),
        "{once}"
    );
    assert_eq!(formatted(&once), once);
    assert_eq!(meaning(&once), meaning(source));
}

#[test]
fn comments_inside_arrays_keep_their_elements() {
    let source = r#"[framework]
name = "Acme"
version = "1"

[[competencies]]
id = "delivery"
name = "Delivery"
levels = [
    # Newcomers.
    "ships small changes",   # with help
    "ships features",
    # more to come
]
"#;
    let once = formatted(source);
    assert!(
        once.contains("levels = [\n  # Newcomers.\n  \"ships small changes\", # with help\n  \"ships features\",\n  # more to come\n]\n"),
        "{once}"
    );
    assert_canonical("array comments", source);
}

#[test]
fn unknown_keys_stay_after_the_known_ones() {
    let source = "[[streams]]\ncolour = \"teal\"\nid = \"engineering\"\ntrack = \"ic\"\nname = \"Engineering\"\n";
    assert_eq!(
        formatted(source),
        "[[streams]]\nid = \"engineering\"\nname = \"Engineering\"\ntrack = \"ic\"\ncolour = \"teal\"\n"
    );
}

#[test]
fn files_that_are_not_toml_are_refused_not_guessed_at() {
    for bad in [
        &b"[framework\nname = 1"[..],
        b"name = ",
        b"\xff\xfe",
        b"a = 1\na = 2",
    ] {
        match format(bad) {
            Err(FormatError::NotToml(_)) => {}
            other => panic!("{:?}: {other:?}", String::from_utf8_lossy(bad)),
        }
    }
}

/// A role table written with its keys in a random order, random spacing
/// around `=`, and optional comments, as people do.
fn scrambled_role(index: usize) -> impl Strategy<Value = String> {
    let keys = vec![
        format!("id = \"role-{index}\""),
        format!("title = \"Role {index}\""),
        "stream = \"engineering\"".to_owned(),
        format!("seniority = {}", index + 1),
        "responsibilities = [\"one thing\", \"another thing\"]".to_owned(),
        "expectations = {delivery = 1}".to_owned(),
    ];
    (
        Just(keys).prop_shuffle(),
        prop::collection::vec((0..3usize, any::<bool>()), 6),
        any::<bool>(),
    )
        .prop_map(move |(keys, styles, commented)| {
            let mut table = String::new();
            if commented {
                table.push_str(&format!("# role {index}\n"));
            }
            table.push_str("[[roles]]\n");
            for (key, (spacing, note)) in keys.iter().zip(styles) {
                let line = match spacing {
                    0 => key.replacen(" = ", "=", 1),
                    1 => key.replacen(" = ", "   =  ", 1),
                    _ => key.clone(),
                };
                table.push_str(&line);
                if note {
                    table.push_str("  # note");
                }
                table.push('\n');
            }
            table
        })
}

fn scrambled_framework() -> impl Strategy<Value = String> {
    (1..6usize)
        .prop_flat_map(|roles| {
            let tables: Vec<_> = (0..roles).map(scrambled_role).collect();
            (tables, any::<bool>())
        })
        .prop_map(|(roles, framework_last)| {
            let framework = "[framework]\nversion=\"1\"\nname = \"Generated\"\n";
            let streams = "[[streams]]\ntrack = \"ic\"\nid = \"engineering\"\nname = \"Engineering\"\n";
            let competencies = "[[competencies]]\nlevels = [\"a\", \"b\"]\nid = \"delivery\"\nname = \"Delivery\"\n";
            let mut parts = vec![streams.to_owned()];
            parts.extend(roles);
            parts.push(competencies.to_owned());
            if framework_last {
                parts.push(framework.to_owned());
            } else {
                parts.insert(0, framework.to_owned());
            }
            parts.join("\n")
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn formatting_is_idempotent_and_keeps_meaning_and_comments(source in scrambled_framework()) {
        let once = formatted(&source);
        prop_assert_eq!(formatted(&once), once.clone());
        prop_assert_eq!(meaning(&once), meaning(&source));
        prop_assert_eq!(comments(&once), comments(&source));
        prop_assert!(once.starts_with("[framework]\nname = \"Generated\"\nversion = \"1\"\n"), "{}", once);
        prop_assert_eq!(climb_framework::check(once.as_bytes()).error_count(), 0);
    }

    #[test]
    fn formatting_never_panics(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        let _ = format(&bytes);
    }
}
