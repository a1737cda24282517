//! Files that must load: the built-in framework and small hand-written ones.

use climb_framework::{BUILTIN_SOURCE, check, load};

#[test]
fn the_built_in_framework_checks_without_errors_or_warnings() {
    let report = check(BUILTIN_SOURCE.as_bytes());
    assert!(
        report.diagnostics().is_empty(),
        "{:#?}",
        report.diagnostics()
    );
    assert!(report.framework().is_some());
}

#[test]
fn load_returns_the_framework_of_a_valid_file() {
    let framework = load(BUILTIN_SOURCE).expect("the built-in file loads");
    assert!(!framework.roles().is_empty());
}
