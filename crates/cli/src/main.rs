//! The `climb` binary: parses the command line and hands each subcommand to
//! its module under `commands/`. Errors are reported here, once.

mod args;
mod commands;
mod framework_source;
mod output;

use std::process::ExitCode;

use clap::Parser;

use crate::args::{Cli, Command};

// A bulk import allocates and frees millions of small strings (names,
// emails, SQL arguments); the system allocator spent over a third of the
// import's main thread on that (see bench/README.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match &cli.command {
        Command::Check(args) => commands::check::run(&cli.global, args),
        Command::Chart(args) => commands::chart::run(&cli.global, args),
        Command::Roles(args) => commands::roles::list(&cli.global, args),
        Command::Role(args) => commands::roles::show(&cli.global, args),
        Command::Path(args) => commands::path::run(&cli.global, args),
        Command::Diff(args) => commands::diff::run(&cli.global, args),
        Command::Init(args) => commands::init::run(args),
        Command::Fmt(args) => commands::fmt::run(args),
        Command::Framework(args) => commands::framework::run(args),
        Command::Lsp => commands::lsp::run(),
        Command::Serve(args) => commands::serve::run(&cli.global, args),
        Command::Admin(args) => commands::admin::run(&cli.global, args),
        Command::Import(args) => commands::people::import(&cli.global, args),
        Command::Export(args) => commands::people::export(&cli.global, args),
        Command::Demo(args) => commands::demo::run(&cli.global, args),
        Command::Audit(args) => commands::audit::run(&cli.global, args),
        Command::Backup(args) => commands::backup::backup(&cli.global, args),
        Command::Restore(args) => commands::backup::restore(&cli.global, args),
        Command::Project(args) => commands::project::run(&cli.global, args),
    };
    match result {
        Ok(code) => code,
        Err(error) => {
            output::report_error(&error);
            ExitCode::from(output::exit_status(&error))
        }
    }
}
