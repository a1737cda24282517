//! `climb project`: the workforce projection. Reads the org from the store
//! and the framework in force, estimates the rates over a window of
//! history, applies the what-ifs and the hiring plan, and prints the rates
//! and the projected headcount as tables, JSON or CSV, with an optional
//! bands plot (SVG or PNG).

use std::io::Write as _;
use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, bail};
use chrono::NaiveDate;
use climb_chart::{BandsChart, BandsPanel, Theme};
use climb_framework::Framework;
use climb_insights::{
    Estimate, Headcount, HiringPlan, Interval, Model, ObservedRate, Projection, ProjectionReport,
    ProjectionRequest, RateSource, Series, Step, WhatIf,
};
use climb_store::Store;

use crate::args::{GlobalArgs, PlotBy, ProjectArgs, StepArg, ThemeArg};
use crate::commands::serve::{self, db_url, runtime};
use crate::output::{self, EXIT_OK, HEADING};

pub(crate) fn run(global: &GlobalArgs, args: &ProjectArgs) -> anyhow::Result<ExitCode> {
    // Everything the options say is checked before the database is opened.
    let step = match args.step {
        StepArg::Month => Step::Month,
        StepArg::Year => Step::Year,
    };
    let what_if = WhatIf {
        moves: parse_all("--set-rate", &args.set_rates, climb_insights::parse_move)?,
        leaving: parse_all("--set-leave", &args.set_leaves, climb_insights::parse_leave)?,
    };
    let hires = parse_all("--hire", &args.hires, climb_insights::parse_hire)?;
    let targets = parse_all("--target", &args.targets, climb_insights::parse_target)?;
    let plot = match &args.output {
        Some(path) => Some((path, plot_format(path)?)),
        None => None,
    };
    if !(args.scale > 0.0 && args.scale <= 16.0) {
        bail!(
            "--scale must be greater than 0 and at most 16, got {}",
            args.scale
        );
    }
    let as_of = args
        .as_of
        .unwrap_or_else(|| chrono::Utc::now().date_naive());
    let request = ProjectionRequest {
        as_of,
        window_months: args.window,
        step,
        years: args.years,
        runs: args.runs,
        seed: args.seed,
        hires,
        targets,
        what_if,
    };

    let url = db_url(global);
    let (framework, report) = runtime()?.block_on(async {
        let store = Store::open(&url)
            .await
            .context("cannot open the database")?;
        let framework = serve::framework(global, &store).await?;
        let report = {
            let org = store.org().await.context("cannot read the people")?;
            climb_insights::run_projection(&framework, &org, &request)
        };
        store.close_before_exit().await;
        anyhow::Ok((framework, report.context("cannot project")?))
    })?;
    let ProjectionReport {
        estimate,
        model,
        hiring: plan,
        headcount: start,
        projection,
        ..
    } = &report;

    if let Some((path, format)) = plot {
        let chart = bands_chart(&framework, projection, start, args);
        let theme = match args.theme {
            ThemeArg::Light => Theme::Light,
            ThemeArg::Dark => Theme::Dark,
        };
        let bytes = match format {
            PlotFormat::Svg => climb_chart::render_bands_svg(&chart, theme).into_bytes(),
            PlotFormat::Png => climb_chart::render_bands_png(&chart, theme, args.scale)
                .context("cannot render the plot as PNG")?,
        };
        std::fs::write(path, bytes)
            .with_context(|| format!("cannot write `{}`", path.display()))?;
    }

    if args.json {
        output::print_json(&report)?;
    } else if args.csv {
        std::io::stdout()
            .lock()
            .write_all(climb_insights::projection_csv(projection).as_bytes())?;
    } else {
        print_text(&framework, estimate, model, plan, start, projection);
    }
    Ok(ExitCode::from(EXIT_OK))
}

/// Each value of a repeatable option, parsed, or the first refusal named
/// by the option's flag.
fn parse_all<T>(
    flag: &str,
    raws: &[String],
    parse: fn(&str) -> Result<T, climb_insights::InsightsError>,
) -> anyhow::Result<Vec<T>> {
    raws.iter()
        .map(|raw| parse(raw).with_context(|| flag.to_owned()))
        .collect()
}

enum PlotFormat {
    Svg,
    Png,
}

fn plot_format(path: &Path) -> anyhow::Result<PlotFormat> {
    match path.extension().and_then(|e| e.to_str()) {
        Some(ext) if ext.eq_ignore_ascii_case("svg") => Ok(PlotFormat::Svg),
        Some(ext) if ext.eq_ignore_ascii_case("png") => Ok(PlotFormat::Png),
        _ => bail!(
            "cannot tell the format of `{}`: name the plot file `.svg` or `.png`",
            path.display()
        ),
    }
}

/// The indexes of the values shown as columns and plot ticks: the start,
/// then every year, thinned so that there are at most `most` of them.
fn yearly_points(projection: &Projection, most: usize) -> Vec<usize> {
    let per_year = (12 / projection.step.months()) as usize;
    let years = (projection.dates.len() - 1) / per_year;
    let every = years.div_ceil(most.saturating_sub(1).max(1)).max(1);
    let mut points: Vec<usize> = (0..=years)
        .step_by(every)
        .map(|year| year * per_year)
        .collect();
    let last = projection.dates.len() - 1;
    if points.last() != Some(&last) {
        points.push(last);
    }
    points
}

fn print_text(
    framework: &Framework,
    estimate: &Estimate,
    model: &Model,
    plan: &HiringPlan,
    start: &Headcount,
    projection: &Projection,
) {
    let step = model.step;
    let mut stdout = anstream::stdout();
    let _ = writeln!(
        stdout,
        "{HEADING}Workforce projection{HEADING:#}: {} {step}(s) ahead from {}, {} runs (seed {})",
        projection.dates.len() - 1,
        start.date,
        projection.runs,
        projection.seed
    );
    let _ = writeln!(
        stdout,
        "Rates per {step} counted from {} to {} ({} months of history); 90% Wilson intervals.\n",
        estimate.start,
        estimate.window.end,
        estimate.window.steps() * step.months()
    );

    let _ = writeln!(stdout, "{HEADING}Moves per {step}{HEADING:#}");
    let mut moves = output::table([
        "FROM",
        "TO",
        "KIND",
        "SOURCE",
        "MOVES",
        "TRIALS",
        "PROBABILITY",
        "90% INTERVAL",
    ]);
    for row in &model.roles {
        for m in &row.moves {
            let kind = match (m.off_graph, m.kind) {
                (true, _) | (false, None) => "off-graph",
                (false, Some(kind)) => kind.as_str(),
            };
            let (source, observed) = source(&m.rate.source);
            moves.add_row(rate_row(
                [
                    row.role.to_string(),
                    m.to.to_string(),
                    kind.to_owned(),
                    source.to_owned(),
                ],
                observed,
                m.rate.probability,
            ));
        }
    }
    output::print_table(&moves);

    let _ = writeln!(stdout, "\n{HEADING}Leaving per {step}{HEADING:#}");
    let mut leaving = output::table([
        "ROLE",
        "SOURCE",
        "LEAVERS",
        "TRIALS",
        "PROBABILITY",
        "90% INTERVAL",
        "STAY",
    ]);
    for row in &model.roles {
        let (source, observed) = source(&row.leaving.source);
        let mut cells = rate_row(
            [row.role.to_string(), source.to_owned()],
            observed,
            row.leaving.probability,
        );
        cells.push(format!("{:.4}", row.stay));
        leaving.add_row(cells);
    }
    output::print_table(&leaving);

    if !estimate.off_graph.is_empty() {
        let _ = writeln!(
            stdout,
            "\n{HEADING}Moves outside the framework seen in the history{HEADING:#} \
             (corrections; not projected unless set with --set-rate FROM->TO=P)"
        );
        let mut off = output::table(["FROM", "TO", "MOVES", "TRIALS", "PROBABILITY"]);
        for m in &estimate.off_graph {
            off.add_row([
                m.from.to_string(),
                m.to.to_string(),
                m.rate.events.to_string(),
                m.rate.exposure.to_string(),
                format!("{:.4}", m.rate.probability),
            ]);
        }
        output::print_table(&off);
    }

    let _ = writeln!(stdout, "\n{HEADING}Hiring{HEADING:#}");
    if plan.hires.is_empty() && plan.targets.is_empty() {
        let _ = writeln!(stdout, "none (add --hire ROLE=N/month or --target ROLE=N)");
    }
    for hires in &plan.hires {
        let _ = writeln!(
            stdout,
            "{}: {} per {}",
            hires.role,
            trim_number(hires.count),
            hires.per
        );
    }
    for target in &plan.targets {
        let _ = writeln!(
            stdout,
            "{}: hired up to {} people",
            target.role, target.headcount
        );
    }
    if start.outside_framework > 0 {
        let _ = writeln!(
            stdout,
            "\n{} people hold roles this framework does not have; they are left out.",
            start.outside_framework
        );
    }

    let points = yearly_points(projection, 8);
    let _ = writeln!(
        stdout,
        "\n{HEADING}Headcount{HEADING:#}: expected (p10–p90 of {} runs)",
        projection.runs
    );
    let mut header = vec!["ROLE".to_owned()];
    header.extend(points.iter().map(|&i| projection.dates[i].to_string()));
    let mut table = output::table::<0>([]);
    table.set_header(header);
    let stream_rows = projection
        .streams
        .iter()
        .map(|s| (format!("stream {}", s.id), s));
    let rows = framework
        .roles()
        .iter()
        .zip(&projection.roles)
        .map(|(role, s)| (role.id.to_string(), s))
        .chain(stream_rows)
        .chain([("total".to_owned(), &projection.total)]);
    for (label, series) in rows {
        let mut cells = vec![label];
        for &i in &points {
            cells.push(cell(series, i));
        }
        table.add_row(cells);
    }
    output::print_table(&table);
}

fn source(source: &RateSource) -> (&'static str, Option<ObservedRate>) {
    match source {
        RateSource::Estimated { observed } => ("history", Some(*observed)),
        RateSource::WhatIf { .. } => ("what-if", None),
    }
}

fn rate_row<const N: usize>(
    leading: [String; N],
    observed: Option<ObservedRate>,
    probability: f64,
) -> Vec<String> {
    let mut cells: Vec<String> = leading.into();
    match observed {
        Some(rate) => {
            cells.push(rate.events.to_string());
            cells.push(rate.exposure.to_string());
            cells.push(format!("{probability:.4}"));
            cells.push(rate.interval.map_or("no trials".to_owned(), interval));
        }
        None => {
            cells.extend(["-".to_owned(), "-".to_owned()]);
            cells.push(format!("{probability:.4}"));
            cells.push("-".to_owned());
        }
    }
    cells
}

fn interval(interval: Interval) -> String {
    format!("{:.4}–{:.4}", interval.low, interval.high)
}

fn cell(series: &Series, i: usize) -> String {
    let expected = series.expected.get(i).copied().unwrap_or(0.0);
    match series.simulated.get(i) {
        Some(band) if band.p10 == band.p90 => format!("{expected:.1} ({})", band.p10),
        Some(band) => format!("{expected:.1} ({}–{})", band.p10, band.p90),
        None => format!("{expected:.1}"),
    }
}

/// `2`, `0.5`: a count without trailing zeros.
fn trim_number(value: f64) -> String {
    let text = format!("{value:.3}");
    text.trim_end_matches('0').trim_end_matches('.').to_owned()
}

fn bands_chart(
    framework: &Framework,
    projection: &Projection,
    start: &Headcount,
    args: &ProjectArgs,
) -> BandsChart {
    let stream_of_role = |id: &str| {
        framework
            .role(id)
            .and_then(|role| framework.stream_position(role.stream.as_str()))
            .unwrap_or(0)
    };
    let panel = |series: &Series, colour: usize| BandsPanel {
        id: series.id.clone(),
        title: series.name.clone(),
        colour,
        expected: series.expected.clone(),
        low: series.simulated.iter().map(|b| b.p10 as f64).collect(),
        median: series.simulated.iter().map(|b| b.p50 as f64).collect(),
        high: series.simulated.iter().map(|b| b.p90 as f64).collect(),
    };
    let (what, panels): (&str, Vec<BandsPanel>) = match args.plot_by {
        PlotBy::Role => (
            "role",
            projection
                .roles
                .iter()
                .filter(|s| {
                    s.expected.iter().any(|&v| v > 0.0) || s.simulated.iter().any(|b| b.p90 > 0)
                })
                .map(|s| panel(s, stream_of_role(&s.id)))
                .collect(),
        ),
        PlotBy::Stream => (
            "stream",
            projection
                .streams
                .iter()
                .enumerate()
                .map(|(i, s)| panel(s, i))
                .collect(),
        ),
    };
    let x_ticks = yearly_points(projection, 6)
        .into_iter()
        .map(|i| (i, year_label(projection.dates[i])))
        .collect();
    BandsChart {
        title: format!("Workforce projection: headcount per {what}"),
        subtitle: format!(
            "{} from {}, {} {}s ahead; rates from {} months of history; seed {}",
            framework.meta().name,
            start.date,
            projection.dates.len() - 1,
            projection.step,
            args.window,
            projection.seed
        ),
        band_label: format!("p10–p90 of {} runs", projection.runs),
        points: projection.dates.len(),
        x_ticks,
        panels,
    }
}

fn year_label(date: NaiveDate) -> String {
    date.format("%Y-%m").to_string()
}
