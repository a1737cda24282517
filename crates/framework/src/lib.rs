//! climb's career framework: the model of streams, roles, transitions,
//! designations and competencies; the parser and checker for framework files
//! (diagnostics with stable codes, in the style of rustc); and the graph
//! queries that answer "where can I go from here". Pure: no I/O.

mod check;
pub mod diagnostic;
pub mod diff;
pub mod format;
pub mod fuzzing;
pub mod graph;
mod id;
mod model;
pub mod outline;
mod parse;
mod suggest;

pub use check::{CheckReport, Diagnosis, Parsed, check, diagnose, diagnose_text};
pub use diagnostic::{Code, Diagnostic, Label, Severity};
pub use id::{CompetencyId, DesignationId, IdError, RoleId, StreamId, validate_id};
pub use model::{
    Competency, Designation, DesignationScope, Expectation, Framework, FrameworkMeta, Rename, Role,
    Seniority, Stream, Track, Transition, TransitionKind,
};

/// The built-in framework's source (`frameworks/default.toml`).
pub const BUILTIN_SOURCE: &str = include_str!("../../../frameworks/default.toml");

/// The name the built-in framework is reported under in diagnostics.
pub const BUILTIN_NAME: &str = "<built-in>/default.toml";

/// Parses and checks a framework file; the framework when it has no errors
/// (warnings allowed), otherwise the report with every diagnostic.
pub fn load(source: &str) -> Result<Framework, Box<CheckReport>> {
    let report = check(source.as_bytes());
    report.into_framework()
}

/// The built-in default framework, parsed once. Its file passes `climb check
/// --deny-warnings`, which a test in this crate asserts.
pub fn builtin() -> &'static Framework {
    static BUILTIN: std::sync::LazyLock<Framework> = std::sync::LazyLock::new(|| {
        match load(BUILTIN_SOURCE) {
            Ok(framework) => framework,
            // The built-in file is checked by this crate's tests, so this arm
            // cannot be reached by a released binary.
            Err(report) => panic!("the built-in framework does not check: {report:?}"),
        }
    });
    &BUILTIN
}
