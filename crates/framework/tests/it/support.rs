//! Shared fixtures: a small valid framework that tests extend with one
//! mistake each, and helpers to check and render.

use climb_framework::diagnostic::render_text;
use climb_framework::{CheckReport, Code, check};

/// A small framework with no errors and no warnings: two streams, three
/// roles, a promotion and a lateral move.
pub(crate) const BASE: &str = r#"[framework]
name = "Test Company"
version = "1"

[[streams]]
id = "engineering"
name = "Engineering"
track = "ic"

[[streams]]
id = "management"
name = "Management"
track = "management"

[[roles]]
id = "engineer"
title = "Engineer"
stream = "engineering"
seniority = 1
entry = true

[[roles]]
id = "senior-engineer"
title = "Senior Engineer"
stream = "engineering"
seniority = 2

[[roles]]
id = "manager"
title = "Manager"
stream = "management"
seniority = 2

[[transitions]]
from = "engineer"
to = "senior-engineer"
kind = "promotion"

[[transitions]]
from = "senior-engineer"
to = "manager"
kind = "lateral"
"#;

/// `BASE` with `extra` appended.
pub(crate) fn base_with(extra: &str) -> String {
    format!("{BASE}\n{extra}")
}

/// The rendered text of a check, without colour, as `framework.toml`.
pub(crate) fn rendered(source: &str) -> String {
    render_text(&check(source.as_bytes()), "framework.toml", false)
}

/// The codes of a report, in order.
pub(crate) fn codes(report: &CheckReport) -> Vec<Code> {
    report.diagnostics().iter().map(|d| d.code).collect()
}

/// The codes found in a source.
pub(crate) fn codes_of(source: &str) -> Vec<Code> {
    codes(&check(source.as_bytes()))
}
