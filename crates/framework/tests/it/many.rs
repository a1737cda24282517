//! A file with many different mistakes reports all of them in one run.

use climb_framework::{Code, check};

use crate::support::{codes, rendered};

const BROKEN: &str = r#"[framework]
name = "Broken Company"

[[streams]]
id = "engineering"
name = "Engineering"
track = "ic"
colour = "blue"

[[streams]]
id = "engineering"
name = "Engineering again"
track = "ic"

[[roles]]
id = "engineer"
title = "Engineer"
stream = "engineering"
seniority = 2
entry = true
expectations = { delivery = 4 }

[[roles]]
id = "junior"
title = "Junior"
stream = "engneering"
seniority = 1
entry = true

[[roles]]
id = "cto"
title = "CTO"
stream = "engineering"
seniority = 10
hire_only = true

[[transitions]]
from = "engineer"
to = "junior"
kind = "promotion"

[[transitions]]
from = "engineer"
to = "cto"
kind = "lateral"

[[transitions]]
from = "engineer"
to = "cto"
kind = "promotion"

[[competencies]]
id = "delivery"
name = "Delivery"
levels = ["one", "two"]

[[renames]]
from = "old"
to = "ghost"
"#;

#[test]
fn every_mistake_in_a_file_is_reported_in_one_run() {
    let report = check(BROKEN.as_bytes());
    let found = codes(&report);
    for expected in [
        Code::E002,
        Code::E003,
        Code::E004,
        Code::E005,
        Code::E006,
        Code::E007,
        Code::E008,
        Code::E009,
        Code::E010,
    ] {
        assert!(
            found.contains(&expected),
            "{expected:?} missing from {found:?}\n{}",
            rendered(BROKEN)
        );
    }
    assert!(report.framework().is_none());
    assert!(report.error_count() >= 10, "{found:?}");
}

#[test]
fn diagnostics_come_sorted_by_position() {
    let report = check(BROKEN.as_bytes());
    let starts: Vec<usize> = report
        .diagnostics()
        .iter()
        .filter_map(|d| d.primary_label())
        .map(|l| l.span.start)
        .collect();
    let mut sorted = starts.clone();
    sorted.sort_unstable();
    assert_eq!(starts, sorted);
}
