//! Writes the built-in framework's chart as the README picture:
//! `cargo run -p climb-chart --example readme_chart -- docs/chart.png`.

use std::process::ExitCode;

use climb_chart::{ChartOptions, render_png};

fn main() -> ExitCode {
    let out = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "docs/chart.png".to_owned());
    match render_png(climb_framework::builtin(), &ChartOptions::default(), 2.0) {
        Ok(png) => match std::fs::write(&out, png) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("cannot write {out}: {e}");
                ExitCode::FAILURE
            }
        },
        Err(e) => {
            eprintln!("cannot draw the chart: {e}");
            ExitCode::FAILURE
        }
    }
}
