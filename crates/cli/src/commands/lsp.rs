//! `climb lsp`: the language server for framework files, speaking LSP on
//! stdin and stdout until the editor shuts it down (`climb_lsp`).

use std::process::ExitCode;

use anyhow::Context;

use crate::output::EXIT_OK;

pub(crate) fn run() -> anyhow::Result<ExitCode> {
    climb_lsp::run_stdio().context("the language server stopped")?;
    Ok(ExitCode::from(EXIT_OK))
}
