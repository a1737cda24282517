//! Loads the framework a command works on: the `--framework` file, or the
//! built-in one. A file with errors is reported with its diagnostics.

use std::borrow::Cow;
use std::path::Path;

use anyhow::Context;
use climb_framework::{Framework, diagnostic};

use crate::args::GlobalArgs;
use crate::output::{EXIT_FAILURE, Reported, stderr_color};

/// The framework selected by the global options.
pub(crate) fn selected(global: &GlobalArgs) -> anyhow::Result<Cow<'static, Framework>> {
    match &global.framework {
        Some(path) => load_file(path).map(Cow::Owned),
        None => Ok(Cow::Borrowed(climb_framework::builtin())),
    }
}

/// Reads and checks a framework file; errors are printed as diagnostics.
pub(crate) fn load_file(path: &Path) -> anyhow::Result<Framework> {
    let bytes = std::fs::read(path)
        .with_context(|| format!("cannot read framework file `{}`", path.display()))?;
    let report = climb_framework::check(&bytes);
    if report.has_errors() {
        let name = path.display().to_string();
        eprint!(
            "{}",
            diagnostic::render_text(&report, &name, stderr_color())
        );
        eprintln!(
            "error: `{name}` has {} error(s); run `climb check {name}` for details",
            report.error_count()
        );
        return Err(Reported(EXIT_FAILURE).into());
    }
    report
        .into_framework()
        .map_err(|_| Reported(EXIT_FAILURE).into())
}
