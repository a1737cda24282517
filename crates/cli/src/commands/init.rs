//! `climb init [--template NAME] [-o FILE] [--force]`: writes one of the
//! starter frameworks kept under `frameworks/` (embedded in the binary), for
//! a company to adapt rather than write from nothing. Every template passes
//! `climb check` without a warning; the tests hold that.

use std::fs::OpenOptions;
use std::io::{ErrorKind, Write};
use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;

use crate::args::{InitArgs, Template};
use crate::output::{EXIT_FAILURE, EXIT_OK};

/// The source of a template.
pub(crate) fn source(template: Template) -> &'static str {
    match template {
        Template::Default => climb_framework::BUILTIN_SOURCE,
        Template::Startup => include_str!("../../../../frameworks/startup.toml"),
        Template::ScaleUp => include_str!("../../../../frameworks/scale-up.toml"),
        Template::Large => include_str!("../../../../frameworks/large.toml"),
    }
}

pub(crate) fn run(args: &InitArgs) -> anyhow::Result<ExitCode> {
    let text = source(args.template);
    if args.output == Path::new("-") {
        std::io::stdout()
            .write_all(text.as_bytes())
            .context("cannot write to standard output")?;
        return Ok(ExitCode::from(EXIT_OK));
    }
    let path = &args.output;
    let mut options = OpenOptions::new();
    options.write(true);
    if args.force {
        options.create(true).truncate(true);
    } else {
        // Refused atomically when the file exists: never overwrite work.
        options.create_new(true);
    }
    let mut file = match options.open(path) {
        Ok(file) => file,
        Err(e) if e.kind() == ErrorKind::AlreadyExists => {
            eprintln!(
                "error: {} already exists; pass --force to replace it, or -o to write elsewhere",
                path.display()
            );
            return Ok(ExitCode::from(EXIT_FAILURE));
        }
        Err(e) => return Err(e).with_context(|| format!("cannot create {}", path.display())),
    };
    file.write_all(text.as_bytes())
        .and_then(|()| file.sync_all())
        .with_context(|| format!("cannot write {}", path.display()))?;
    eprintln!(
        "wrote {}: adapt it, then `climb check {0}` and `climb chart --framework {0} -o chart.png`",
        path.display()
    );
    Ok(ExitCode::from(EXIT_OK))
}
