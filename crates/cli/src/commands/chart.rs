//! `climb chart`: draw the framework as SVG (stdout or a file) or PNG.

use std::io::Write;
use std::process::ExitCode;

use anyhow::{Context, bail};
use climb_chart::{ChartOptions, Theme};
use climb_framework::{RoleId, graph};

use crate::args::{ChartArgs, GlobalArgs, ThemeArg};
use crate::framework_source;
use crate::output::EXIT_OK;

pub(crate) fn run(global: &GlobalArgs, args: &ChartArgs) -> anyhow::Result<ExitCode> {
    let framework = framework_source::selected(global)?;
    let mut options = ChartOptions {
        theme: match args.theme {
            ThemeArg::Light => Theme::Light,
            ThemeArg::Dark => Theme::Dark,
        },
        ..ChartOptions::default()
    };
    if let Some(id) = &args.highlight {
        let Some(role) = framework.role(id) else {
            bail!("cannot highlight `{id}`: there is no such role in this framework");
        };
        options.highlight = Some(role.id.clone());
    }
    if let Some([from, to]) = args.path.as_deref() {
        let steps = graph::shortest_path(&framework, from, to)
            .with_context(|| format!("cannot draw the path from `{from}` to `{to}`"))?;
        let mut roles: Vec<RoleId> = Vec::with_capacity(steps.len() + 1);
        if let Some(role) = framework.role(from) {
            roles.push(role.id.clone());
        }
        roles.extend(steps.iter().map(|t| t.to.clone()));
        options.path = Some(roles);
    }

    let format = match &args.output {
        None => OutputFormat::Svg,
        Some(path) => match path.extension().and_then(|e| e.to_str()) {
            Some(ext) if ext.eq_ignore_ascii_case("svg") => OutputFormat::Svg,
            Some(ext) if ext.eq_ignore_ascii_case("png") => OutputFormat::Png,
            _ => bail!(
                "cannot tell the format of `{}`: name the output file `.svg` or `.png`",
                path.display()
            ),
        },
    };
    if !(args.scale > 0.0 && args.scale <= 16.0) {
        bail!(
            "--scale must be greater than 0 and at most 16, got {}",
            args.scale
        );
    }
    let bytes = match format {
        OutputFormat::Svg => climb_chart::render_svg(&framework, &options).into_bytes(),
        OutputFormat::Png => climb_chart::render_png(&framework, &options, args.scale)
            .context("cannot render the chart as PNG")?,
    };
    match &args.output {
        Some(path) => std::fs::write(path, bytes)
            .with_context(|| format!("cannot write `{}`", path.display()))?,
        None => std::io::stdout().lock().write_all(&bytes)?,
    }
    Ok(ExitCode::from(EXIT_OK))
}

enum OutputFormat {
    Svg,
    Png,
}
