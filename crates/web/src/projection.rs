//! The projection page: the workforce projection's options as a GET form
//! (years, runs, seed, step, window, hires, what-if rates), the bands chart
//! drawn by `climb_chart::render_bands_svg` and the tables, redrawn by htmx
//! on change. The options go to the API's `projection_of` as the same query
//! string the API takes, so the policy, the limits and the refusals are the
//! API's; a refusal comes back as its sentence with the form as typed.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use chrono::NaiveDate;
use climb_chart::{BandsChart, BandsPanel, Theme};
use climb_framework::Framework;
use climb_insights::{ProjectionReport, Series};
use climb_people::policy::{Figures, Resource};
use climb_server::AppState;
use climb_server::api::insights::projection_of;
use serde::Deserialize;

use crate::error::PageError;
use crate::page::{Layout, Viewer, render, render_form};

/// Runs the form starts with: enough for steady bands, quick to redraw.
const DEFAULT_RUNS: &str = "500";

/// The form as typed; list options one per line.
#[derive(Debug, Deserialize)]
pub(crate) struct ProjectionForm {
    #[serde(default = "default_years")]
    years: String,
    #[serde(default = "default_runs")]
    runs: String,
    #[serde(default = "default_seed")]
    seed: String,
    #[serde(default = "default_step")]
    step: String,
    #[serde(default = "default_window")]
    window: String,
    #[serde(default)]
    hire: String,
    #[serde(default)]
    set_rate: String,
    #[serde(default)]
    set_leave: String,
}

fn default_years() -> String {
    "3".to_owned()
}
fn default_runs() -> String {
    DEFAULT_RUNS.to_owned()
}
fn default_seed() -> String {
    "2026".to_owned()
}
fn default_step() -> String {
    "month".to_owned()
}
fn default_window() -> String {
    "3y".to_owned()
}

impl ProjectionForm {
    /// The API's query string for these options: each line of a list is
    /// one repeated parameter.
    fn query(&self) -> String {
        let mut pairs: Vec<(&str, &str)> = Vec::new();
        for (name, value) in [
            ("years", &self.years),
            ("runs", &self.runs),
            ("seed", &self.seed),
            ("step", &self.step),
            ("window", &self.window),
        ] {
            let value = value.trim();
            if !value.is_empty() {
                pairs.push((name, value));
            }
        }
        for (name, lines) in [
            ("hire", &self.hire),
            ("set_rate", &self.set_rate),
            ("set_leave", &self.set_leave),
        ] {
            for line in lines.lines().map(str::trim).filter(|l| !l.is_empty()) {
                pairs.push((name, line));
            }
        }
        serde_urlencoded::to_string(&pairs).unwrap_or_default()
    }
}

/// One line of the totals table.
struct TotalRow {
    date: NaiveDate,
    expected: String,
    p10: u64,
    p50: u64,
    p90: u64,
}

/// One role at the start and at the horizon.
struct RoleRow {
    name: String,
    now: String,
    expected: String,
    p10: u64,
    p90: u64,
}

/// What a projection shows.
struct Outcome {
    svg: String,
    horizon: NaiveDate,
    totals: Vec<TotalRow>,
    roles: Vec<RoleRow>,
}

#[derive(Template)]
#[template(path = "projection.html")]
struct ProjectionPage {
    layout: Layout,
    form: ProjectionForm,
    query: String,
    problem: Option<String>,
    outcome: Option<Outcome>,
}

#[derive(Template)]
#[template(path = "projection_result.html")]
struct ProjectionResult {
    query: String,
    problem: Option<String>,
    outcome: Option<Outcome>,
}

/// `GET /insights/projection`.
pub(crate) async fn projection(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(form): Query<ProjectionForm>,
) -> Result<Response, PageError> {
    {
        let org = state.org().await?;
        viewer.user.view(
            &org,
            &Resource::Insights {
                under: None,
                figures: Figures::Careers,
            },
        )?;
    }
    let query = form.query();
    let (outcome, problem) = match projection_of(&state, &viewer.user, Some(query.clone())).await {
        Ok(report) => (Some(outcome(&state.framework(), &report)), None),
        Err(error)
            if matches!(
                error.status(),
                StatusCode::BAD_REQUEST | StatusCode::UNPROCESSABLE_ENTITY
            ) =>
        {
            (None, Some(sentence(&error.to_string())))
        }
        Err(error) => return Err(error.into()),
    };
    if viewer.htmx {
        // htmx swaps only successful answers, so a refusal is shown in the
        // partial with 200; the plain form answers 422.
        return render(&ProjectionResult {
            query,
            problem,
            outcome,
        });
    }
    let refused = problem.is_some();
    render_form(
        &ProjectionPage {
            layout: viewer.layout.at("insights"),
            form,
            query,
            problem,
            outcome,
        },
        refused,
    )
}

/// The API's message as a sentence: capitalised, ending with a full stop.
fn sentence(message: &str) -> String {
    let message = message
        .strip_prefix("invalid query string: ")
        .unwrap_or(message);
    let text = crate::page::sentence(message);
    if text.is_empty() {
        "The projection could not be run.".to_owned()
    } else {
        text
    }
}

fn outcome(framework: &Framework, report: &ProjectionReport) -> Outcome {
    let projection = &report.projection;
    let last = projection.dates.len().saturating_sub(1);
    let per_year = match projection.step {
        climb_insights::Step::Month => 12,
        climb_insights::Step::Year => 1,
    };
    let totals = (0..=last)
        .filter(|i| i % per_year == 0 || *i == last)
        .filter_map(|i| {
            let band = projection.total.simulated.get(i)?;
            Some(TotalRow {
                date: *projection.dates.get(i)?,
                expected: format!("{:.1}", projection.total.expected.get(i)?),
                p10: band.p10,
                p50: band.p50,
                p90: band.p90,
            })
        })
        .collect();
    let roles = projection
        .roles
        .iter()
        .filter(|s| s.expected.iter().any(|&v| v > 0.0))
        .filter_map(|s| {
            let band = s.simulated.get(last)?;
            Some(RoleRow {
                name: s.name.clone(),
                now: format!("{:.0}", s.expected.first()?),
                expected: format!("{:.1}", s.expected.get(last)?),
                p10: band.p10,
                p90: band.p90,
            })
        })
        .collect();
    Outcome {
        svg: climb_chart::render_bands_svg(&chart(framework, report), Theme::Light),
        horizon: projection.dates.get(last).copied().unwrap_or(report.as_of),
        totals,
        roles,
    }
}

/// The company and each stream as panels on one time axis.
fn chart(framework: &Framework, report: &ProjectionReport) -> BandsChart {
    let projection = &report.projection;
    let panel = |series: &Series, colour: usize| BandsPanel {
        id: series.id.clone(),
        title: series.name.clone(),
        colour,
        expected: series.expected.clone(),
        low: series.simulated.iter().map(|b| b.p10 as f64).collect(),
        median: series.simulated.iter().map(|b| b.p50 as f64).collect(),
        high: series.simulated.iter().map(|b| b.p90 as f64).collect(),
    };
    let mut panels = vec![panel(&projection.total, 7)];
    panels.extend(
        projection
            .streams
            .iter()
            .enumerate()
            .map(|(i, s)| panel(s, i)),
    );
    let per_year = match projection.step {
        climb_insights::Step::Month => 12,
        climb_insights::Step::Year => 1,
    };
    // At most about six labelled years, however far ahead.
    let years = projection.dates.len() / per_year;
    let stride = per_year * (years / 6).max(1);
    let x_ticks = projection
        .dates
        .iter()
        .enumerate()
        .filter(|(i, _)| i % stride == 0)
        .map(|(i, date)| (i, date.format("%Y-%m").to_string()))
        .collect();
    BandsChart {
        title: "Workforce projection: headcount per stream".to_owned(),
        subtitle: format!(
            "{} from {}, {} {}s ahead; seed {}",
            framework.meta().name,
            report.as_of,
            projection.dates.len().saturating_sub(1),
            projection.step,
            projection.seed
        ),
        band_label: format!("p10–p90 of {} runs", projection.runs),
        points: projection.dates.len(),
        x_ticks,
        panels,
    }
}
