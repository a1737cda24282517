//! A projection asked for in words, as the command line and the HTTP API
//! both take it: the parsers of each option (`FROM->TO=P`, `ROLE=P`,
//! `ROLE=N/month`, `ROLE=N`, `3y`), the whole run from the org to the
//! report, and the report's CSV. One place, so that `climb project --json`
//! and `GET /api/v1/insights/projection` answer the same numbers.

use std::fmt::Write as _;

use chrono::NaiveDate;
use climb_framework::Framework;
use climb_people::Org;
use serde::Serialize;

use crate::error::InsightsError;
use crate::estimate::{Estimate, Headcount, estimate, headcount};
use crate::hiring::{Hires, HiringPlan, Target};
use crate::model::{LeaveOverride, Model, MoveOverride, WhatIf};
use crate::projection::{Projection, ProjectionSettings, project};
use crate::window::{Step, Window};

/// The longest window of history accepted, in months (a century).
pub const MAX_WINDOW_MONTHS: u32 = 100 * 12;

/// The longest projection accepted, in years.
pub const MAX_YEARS: u32 = 100;

fn malformed(raw: &str, expected: &'static str) -> InsightsError {
    InsightsError::Malformed {
        raw: raw.to_owned(),
        expected,
    }
}

/// A move what-if, `FROM->TO=P`.
pub fn parse_move(raw: &str) -> Result<MoveOverride, InsightsError> {
    let expected = "FROM->TO=P, e.g. software-engineer->senior-software-engineer=0.03";
    let (pair, value) = raw
        .rsplit_once('=')
        .ok_or_else(|| malformed(raw, expected))?;
    let (from, to) = pair
        .split_once("->")
        .ok_or_else(|| malformed(raw, expected))?;
    Ok(MoveOverride {
        from: from.trim().to_owned(),
        to: to.trim().to_owned(),
        probability: parse_probability(raw, value)?,
    })
}

/// A leaving what-if, `ROLE=P`.
pub fn parse_leave(raw: &str) -> Result<LeaveOverride, InsightsError> {
    let (role, value) = raw
        .rsplit_once('=')
        .ok_or_else(|| malformed(raw, "ROLE=P, e.g. software-engineer=0.01"))?;
    Ok(LeaveOverride {
        role: role.trim().to_owned(),
        probability: parse_probability(raw, value)?,
    })
}

fn parse_probability(raw: &str, value: &str) -> Result<f64, InsightsError> {
    value.trim().parse().map_err(|_| InsightsError::NotANumber {
        raw: raw.to_owned(),
        value: value.to_owned(),
    })
}

/// Hires as written, before the framework is known.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HireSpec {
    /// The role hired into; `None` for the framework's entry roles.
    pub role: Option<String>,
    /// People per `per`.
    pub count: f64,
    /// Per month or per year.
    pub per: Step,
}

/// Hires, `ROLE=N/month`, `ROLE=N/year`, or `N/month` for the entry roles.
pub fn parse_hire(raw: &str) -> Result<HireSpec, InsightsError> {
    let expected = "ROLE=N/month or ROLE=N/year (or N/month for the entry roles)";
    let (role, pace) = match raw.rsplit_once('=') {
        Some((role, pace)) => (Some(role.trim().to_owned()), pace),
        None => (None, raw),
    };
    let (count, per) = pace
        .split_once('/')
        .ok_or_else(|| malformed(raw, expected))?;
    let per = match per.trim() {
        "month" => Step::Month,
        "year" => Step::Year,
        _ => return Err(malformed(raw, expected)),
    };
    let count: f64 = count.trim().parse().map_err(|_| malformed(raw, expected))?;
    Ok(HireSpec { role, count, per })
}

/// A headcount target, `ROLE=N`.
pub fn parse_target(raw: &str) -> Result<Target, InsightsError> {
    let expected = "ROLE=N, e.g. engineering-manager=12";
    let (role, count) = raw
        .rsplit_once('=')
        .ok_or_else(|| malformed(raw, expected))?;
    Ok(Target {
        role: role.trim().to_owned(),
        headcount: count.trim().parse().map_err(|_| malformed(raw, expected))?,
    })
}

/// A window of history as a whole number of years or months, `3y` or
/// `18m`, in months: at least one and at most [`MAX_WINDOW_MONTHS`].
pub fn parse_window(raw: &str) -> Result<u32, InsightsError> {
    let text = raw.trim();
    let expected = || InsightsError::NotAWindow(raw.to_owned());
    let (number, months_per) = if let Some(years) = text.strip_suffix('y') {
        (years, 12)
    } else if let Some(months) = text.strip_suffix('m') {
        (months, 1)
    } else {
        return Err(expected());
    };
    let number: u32 = number.parse().map_err(|_| expected())?;
    match number.checked_mul(months_per) {
        Some(0) => Err(InsightsError::EmptyWindow(raw.to_owned())),
        Some(months) if months <= MAX_WINDOW_MONTHS => Ok(months),
        _ => Err(InsightsError::WindowTooLong(raw.to_owned())),
    }
}

/// Everything a projection is asked with, parsed.
#[derive(Debug, Clone, PartialEq)]
pub struct ProjectionRequest {
    /// The day the history ends and the projection starts.
    pub as_of: NaiveDate,
    /// Months of history the rates are counted over.
    pub window_months: u32,
    /// Monthly or annual chain.
    pub step: Step,
    /// Years ahead.
    pub years: u32,
    /// Monte Carlo runs.
    pub runs: u32,
    /// Seed of the Monte Carlo.
    pub seed: u64,
    /// Hires per month or year.
    pub hires: Vec<HireSpec>,
    /// Headcount targets.
    pub targets: Vec<Target>,
    /// Rates set by hand.
    pub what_if: WhatIf,
}

/// A projection and everything it was made from, as `climb project
/// --json` prints it.
#[derive(Debug, Clone, Serialize)]
pub struct ProjectionReport {
    /// The day the history ends and the projection starts.
    pub as_of: NaiveDate,
    /// The rates counted from the history.
    pub estimate: Estimate,
    /// The rates used, what-ifs applied.
    pub model: Model,
    /// The hiring plan.
    pub hiring: HiringPlan,
    /// The headcount on `as_of`.
    pub headcount: Headcount,
    /// The projection.
    pub projection: Projection,
}

/// Estimates the rates from `org`, applies the what-ifs and the hiring
/// plan, and projects.
///
/// Fails on any refusal of the steps: a window too short, an unknown role,
/// rates past 1, a horizon or run count out of range.
pub fn run_projection(
    framework: &Framework,
    org: &Org,
    request: &ProjectionRequest,
) -> Result<ProjectionReport, InsightsError> {
    if request.years > MAX_YEARS {
        return Err(InsightsError::HorizonTooLong(
            request.years.saturating_mul(12) / request.step.months(),
        ));
    }
    let window = Window {
        end: request.as_of,
        months: request.window_months,
        step: request.step,
    };
    let estimate = estimate(framework, org, window)?;
    let start = headcount(framework, org, request.as_of);
    let mut hires = Vec::new();
    for spec in &request.hires {
        match &spec.role {
            Some(role) => hires.push(Hires {
                role: role.clone(),
                count: spec.count,
                per: spec.per,
            }),
            None => hires.extend(HiringPlan::into_entry_roles(
                framework, spec.count, spec.per,
            )?),
        }
    }
    let plan = HiringPlan {
        hires,
        targets: request.targets.clone(),
    };
    let model = Model::new(framework, &estimate, &request.what_if)?;
    let settings = ProjectionSettings {
        steps: request.years.saturating_mul(12) / request.step.months(),
        runs: request.runs,
        seed: request.seed,
    };
    let projection = project(framework, &model, &start, &plan, settings)?;
    Ok(ProjectionReport {
        as_of: request.as_of,
        estimate,
        model,
        hiring: plan,
        headcount: start,
        projection,
    })
}

/// The projection as CSV: a header, then one row per date and series
/// (each role, each stream, the total).
pub fn projection_csv(projection: &Projection) -> String {
    let mut out = String::from("date,step,kind,series,expected,mean,p10,p50,p90\n");
    let groups: Vec<_> = projection
        .roles
        .iter()
        .map(|s| ("role", s))
        .chain(projection.streams.iter().map(|s| ("stream", s)))
        .chain([("total", &projection.total)])
        .collect();
    for (i, date) in projection.dates.iter().enumerate() {
        for (kind, series) in &groups {
            let (Some(expected), Some(band)) = (series.expected.get(i), series.simulated.get(i))
            else {
                continue;
            };
            let _ = writeln!(
                out,
                "{date},{i},{kind},{},{expected:.4},{:.4},{},{},{}",
                series.id, band.mean, band.p10, band.p50, band.p90
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_option_reads_its_spelling() {
        let m = parse_move("a->b=0.25").expect("move");
        assert_eq!(
            (m.from.as_str(), m.to.as_str(), m.probability),
            ("a", "b", 0.25)
        );
        let l = parse_leave("a = 0.1").expect("leave");
        assert_eq!((l.role.as_str(), l.probability), ("a", 0.1));
        let h = parse_hire("2/year").expect("hire");
        assert_eq!((h.role, h.count, h.per), (None, 2.0, Step::Year));
        assert_eq!(parse_target("a=12").map(|t| t.headcount), Ok(12));
        assert_eq!(parse_window("3y"), Ok(36));
        assert_eq!(parse_window("18m"), Ok(18));
    }

    #[test]
    fn malformed_options_say_how_to_write_them() {
        let says = |e: InsightsError| e.to_string();
        assert!(says(parse_move("a=0.1").expect_err("refused")).contains("FROM->TO=P"));
        assert!(says(parse_move("a->b=lots").expect_err("refused")).contains("not a number"));
        assert!(says(parse_hire("a=2").expect_err("refused")).contains("ROLE=N/month"));
        assert!(says(parse_target("a").expect_err("refused")).contains("ROLE=N"));
        assert!(says(parse_window("3w").expect_err("refused")).contains("not a window"));
        assert!(says(parse_window("0m").expect_err("refused")).contains("at least one step"));
        assert!(says(parse_window("101y").expect_err("refused")).contains("longer than a century"));
    }
}
