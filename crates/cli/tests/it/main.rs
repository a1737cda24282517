//! The `climb` binary run as a process: every command, its output and its
//! exit status, as a user meets them.

mod audit;
mod chart;
mod check;
mod crash;
mod crash_import;
mod crash_migrate;
mod demo;
mod diff;
mod fmt;
mod framework_import;
mod global_options;
mod import;
mod init;
mod lsp;
mod path;
mod people;
mod project;
mod roles;
mod serve;

use assert_cmd::Command;

/// The `climb` binary with a clean environment for the variables it reads.
pub(crate) fn climb() -> Command {
    let mut command = Command::cargo_bin("climb").expect("the climb binary is built");
    command
        .env_remove("CLIMB_FRAMEWORK")
        .env_remove("CLIMB_DB")
        .env("NO_COLOR", "1");
    command
}

/// Path of a fixture file under `tests/fixtures`.
pub(crate) fn fixture(name: &str) -> String {
    format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"))
}
