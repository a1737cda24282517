//! `/api/v1/insights/…`: the analytics (pyramid, time in role, flow, span
//! of control, manager habits) over a subtree, a stream and a day, and the workforce
//! projection, as JSON or, under a `.csv` path, as CSV. Each asks
//! `climb_people::policy` for `Resource::Insights` first, and small groups
//! are suppressed for everyone but HR and administrators.

use axum::Json;
use axum::extract::{RawQuery, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use climb_framework::StreamId;
use climb_insights::analytics::{Period, Population, Privacy, Scope};
use climb_insights::{
    DEFAULT_SPAN_THRESHOLD, InsightsError, ProjectionReport, ProjectionRequest, Step, WhatIf,
};
use climb_people::PersonId;
use climb_people::policy::{self, Figures, Resource};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::api::today;
use crate::auth::Authenticated;
use crate::error::{ApiError, ErrorBody};
use crate::extract::ApiQuery;
use crate::state::AppState;

/// The most Monte Carlo runs one request may ask for (the command line
/// allows more; a request holds a server thread while it runs).
pub const MAX_API_RUNS: u32 = 10_000;

/// The most run-steps (runs × steps ahead) one request may ask for: ten
/// years month by month at 10,000 runs, or a century at 1,000.
pub const MAX_API_RUN_STEPS: u64 = 1_200_000;

/// The longest window of history one request may count over (20 years):
/// every step of the window reads every person's history.
pub const MAX_API_WINDOW_MONTHS: u32 = 240;

/// The largest span-of-control threshold accepted.
pub const MAX_SPAN_THRESHOLD: u32 = 10_000;

pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(pyramid))
        .routes(routes!(pyramid_csv))
        .routes(routes!(time_in_role))
        .routes(routes!(time_in_role_csv))
        .routes(routes!(flow))
        .routes(routes!(flow_csv))
        .routes(routes!(flow_svg))
        .routes(routes!(span))
        .routes(routes!(span_csv))
        .routes(routes!(habits))
        .routes(routes!(habits_csv))
        .routes(routes!(projection))
        .routes(routes!(projection_csv))
}

/// Whose subtree, which stream, which day.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ScopeQuery {
    /// The root of the subtree, themself included (default: the whole company).
    pub under: Option<i64>,
    /// One stream's roles only (a stream id of the framework; default: all).
    #[param(pattern = "^[a-z0-9-]+$")]
    pub stream: Option<String>,
    /// The day the org is seen as it was, `YYYY-MM-DD` (default: today).
    pub as_of: Option<NaiveDate>,
}

/// Whose subtree, which stream, which period.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct FlowQuery {
    /// The root of the subtree, themself included (default: the whole company).
    pub under: Option<i64>,
    /// Moves touching one stream's roles only (default: all).
    #[param(pattern = "^[a-z0-9-]+$")]
    pub stream: Option<String>,
    /// The first day of the period, `YYYY-MM-DD` (default: three years before `to`).
    pub from: Option<NaiveDate>,
    /// The day after the period's last, `YYYY-MM-DD` (default: tomorrow).
    pub to: Option<NaiveDate>,
}

/// Whose subtree, which day, how many reports are too many.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct SpanQuery {
    /// The root of the subtree, themself included (default: the whole company).
    pub under: Option<i64>,
    /// The day the org is seen as it was, `YYYY-MM-DD` (default: today).
    pub as_of: Option<NaiveDate>,
    /// Managers with more direct reports than this are listed, 0 to 10000 (default 8).
    #[param(minimum = 0, maximum = 10000)]
    pub threshold: Option<u32>,
}

/// Whose managers, which days, which review cycle.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct HabitsQuery {
    /// The root of the subtree, themself included (default: the whole company).
    pub under: Option<i64>,
    /// The period's last day, `YYYY-MM-DD` (default: today).
    pub as_of: Option<NaiveDate>,
    /// How many days the period covers, ending on `as_of`, 1 to 1098 (default 90).
    #[param(minimum = 1, maximum = 1098)]
    pub days: Option<u32>,
    /// The review cycle whose completion is counted (default: the newest that reviewed anyone in the subtree).
    pub cycle: Option<i64>,
}

/// The step of the projection's chain.
#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum StepParam {
    /// Monthly rates and steps.
    Month,
    /// Annual rates and steps.
    Year,
}

/// A projection as `climb project` takes it; the list options repeat
/// (`hire=a=1/month&hire=b=2/year`).
#[derive(Debug, Default, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct ProjectionQuery {
    /// Years ahead, 1 to 100 (default 3).
    #[param(minimum = 1, maximum = 100)]
    years: Option<u32>,
    /// Monte Carlo runs, 1 to 10000 (default 1000); runs × steps ahead at most 1,200,000.
    #[param(minimum = 1, maximum = 10000)]
    runs: Option<u32>,
    /// Seed: the same seed and inputs give the same numbers (default 2026).
    #[param(minimum = 0, maximum = 9223372036854775807_i64)]
    seed: Option<u64>,
    /// The chain's step (default `month`).
    #[param(inline)]
    step: Option<StepParam>,
    /// History the rates are counted over: a whole number and `y` or `m`, at most 20 years (default `3y`).
    #[param(pattern = "^[0-9]+[ym]$")]
    window: Option<String>,
    /// The day the history ends and the projection starts, `YYYY-MM-DD` (default: today).
    as_of: Option<NaiveDate>,
    /// Hires, `ROLE=N/month`, `ROLE=N/year`, or `N/month` for the entry roles. Repeatable.
    #[param(style = Form, explode)]
    hire: Option<Vec<String>>,
    /// Keep a role at least this full by hiring, `ROLE=N`. Repeatable.
    #[param(style = Form, explode)]
    target: Option<Vec<String>>,
    /// A move's probability per step, `FROM->TO=P`. Repeatable.
    #[param(style = Form, explode)]
    set_rate: Option<Vec<String>>,
    /// A role's leaving probability per step, `ROLE=P`. Repeatable.
    #[param(style = Form, explode)]
    set_leave: Option<Vec<String>>,
}

/// An insights refusal as the API answers it: an unknown person is 404,
/// every other refusal of the request's values 422 with the stable code.
fn refused(error: InsightsError) -> ApiError {
    match error {
        InsightsError::UnknownPerson(id) => {
            ApiError::not_found("unknown_person", format!("there is no person {id}"))
        }
        other => ApiError::Rule {
            code: other.code(),
            message: other.to_string(),
        },
    }
}

fn stream_id(raw: Option<&str>) -> Result<Option<StreamId>, ApiError> {
    raw.map(|raw| {
        StreamId::parse(raw).map_err(|_| ApiError::Rule {
            code: "unknown_stream",
            message: format!("there is no stream `{raw}` in this framework"),
        })
    })
    .transpose()
}

/// Asks the policy, then the privacy the caller gets.
fn authorize(
    user: &Authenticated,
    org: &climb_people::Org,
    under: Option<PersonId>,
    figures: Figures,
) -> Result<Privacy, ApiError> {
    user.view(org, &Resource::Insights { under, figures })?;
    Ok(if policy::protects_small_groups(user.actor()) {
        Privacy::Protected
    } else {
        Privacy::Full
    })
}

fn csv(body: String) -> Response {
    ([(header::CONTENT_TYPE, "text/csv; charset=utf-8")], body).into_response()
}

/// The pyramid of `query` as `user` may see it: refused (403, 404) as the API refuses it.
pub async fn pyramid_of(
    state: &AppState,
    user: &Authenticated,
    query: ScopeQuery,
) -> Result<climb_insights::Pyramid, ApiError> {
    let under = query.under.map(PersonId);
    let framework = state.framework();
    let org = state.org().await?;
    let figures = Figures::Headcount;
    authorize(user, &org, under, figures)?;
    let scope = Scope {
        under,
        stream: stream_id(query.stream.as_deref())?,
        as_of: query.as_of.unwrap_or_else(today),
    };
    let population = Population::new(&framework, &org, scope).map_err(refused)?;
    Ok(climb_insights::pyramid(&population))
}

/// Headcount per stream and role (by seniority) on a day, hire-only roles
/// marked, designation holders counted per cell: `{"scope", "streams":
/// [{"stream", "headcount", "roles": [{"role", "seniority", "hire_only",
/// "headcount", "designation_holders"}]}], "headcount",
/// "outside_framework"}`. The whole company's is for everyone signed in;
/// a subtree's for its root, their managers up, HR and administrators.
#[utoipa::path(
    get,
    path = "/api/v1/insights/pyramid",
    tag = "insights",
    params(ScopeQuery),
    responses(
        (status = 200, description = "The pyramid", body = Object),
        (status = 400, description = "Malformed query (a bad date, an unknown parameter)", body = ErrorBody),
        (status = 401, description = "No or bad token", body = ErrorBody),
        (status = 403, description = "Not in the subtree root's management chain", body = ErrorBody),
        (status = 404, description = "`unknown_person`", body = ErrorBody),
        (status = 422, description = "`unknown_stream`", body = ErrorBody),
    )
)]
pub(crate) async fn pyramid(
    State(state): State<AppState>,
    user: Authenticated,
    ApiQuery(query): ApiQuery<ScopeQuery>,
) -> Result<Json<climb_insights::Pyramid>, ApiError> {
    pyramid_of(&state, &user, query).await.map(Json)
}

/// The pyramid as CSV: `stream,role,seniority,hire_only,headcount,designation_holders`.
#[utoipa::path(
    get,
    path = "/api/v1/insights/pyramid.csv",
    tag = "insights",
    params(ScopeQuery),
    responses(
        (status = 200, description = "The pyramid", content_type = "text/csv", body = String),
        (status = 400, description = "Malformed query", body = ErrorBody),
        (status = 401, description = "No or bad token", body = ErrorBody),
        (status = 403, description = "Not in the subtree root's management chain", body = ErrorBody),
        (status = 404, description = "`unknown_person`", body = ErrorBody),
        (status = 422, description = "`unknown_stream`", body = ErrorBody),
    )
)]
pub(crate) async fn pyramid_csv(
    State(state): State<AppState>,
    user: Authenticated,
    ApiQuery(query): ApiQuery<ScopeQuery>,
) -> Result<Response, ApiError> {
    let pyramid = pyramid_of(&state, &user, query).await?;
    Ok(csv(pyramid.to_csv()))
}

/// Time in role of `query`, suppressed as `user` must see it; refused as the API refuses it.
pub async fn time_in_role_of(
    state: &AppState,
    user: &Authenticated,
    query: ScopeQuery,
) -> Result<climb_insights::TimeInRole, ApiError> {
    let under = query.under.map(PersonId);
    let framework = state.framework();
    let org = state.org().await?;
    let privacy = authorize(user, &org, under, Figures::Careers)?;
    let scope = Scope {
        under,
        stream: stream_id(query.stream.as_deref())?,
        as_of: query.as_of.unwrap_or_else(today),
    };
    let population = Population::new(&framework, &org, scope).map_err(refused)?;
    Ok(climb_insights::time_in_role(&population, privacy))
}

/// Time in each role before promotion, read off a Kaplan–Meier curve
/// (leaving, other moves and still being in the role censor): `{"scope",
/// "roles": [{"role", "people", "spells", "promotions", "censored",
/// "censored_by_leaving", "quantiles": {"p25_days", "median_days",
/// "p75_days"}, "current": {"n", "median_days", "max_days"}}]}`. A figure
/// drawn from fewer than 5 people is `{"suppressed": "fewer than 5"}`
/// except for HR and administrators. A subtree's root, their managers up,
/// HR and administrators; the whole company, HR and administrators.
#[utoipa::path(
    get,
    path = "/api/v1/insights/time-in-role",
    tag = "insights",
    params(ScopeQuery),
    responses(
        (status = 200, description = "Time in role per role", body = Object),
        (status = 400, description = "Malformed query (a bad date, an unknown parameter)", body = ErrorBody),
        (status = 401, description = "No or bad token", body = ErrorBody),
        (status = 403, description = "Not in the subtree root's management chain, or the whole company without HR", body = ErrorBody),
        (status = 404, description = "`unknown_person`", body = ErrorBody),
        (status = 422, description = "`unknown_stream`", body = ErrorBody),
    )
)]
pub(crate) async fn time_in_role(
    State(state): State<AppState>,
    user: Authenticated,
    ApiQuery(query): ApiQuery<ScopeQuery>,
) -> Result<Json<climb_insights::TimeInRole>, ApiError> {
    time_in_role_of(&state, &user, query).await.map(Json)
}

/// Time in role as CSV, one row per role (`fewer than 5` where suppressed).
#[utoipa::path(
    get,
    path = "/api/v1/insights/time-in-role.csv",
    tag = "insights",
    params(ScopeQuery),
    responses(
        (status = 200, description = "Time in role per role", content_type = "text/csv", body = String),
        (status = 400, description = "Malformed query", body = ErrorBody),
        (status = 401, description = "No or bad token", body = ErrorBody),
        (status = 403, description = "Not in the subtree root's management chain", body = ErrorBody),
        (status = 404, description = "`unknown_person`", body = ErrorBody),
        (status = 422, description = "`unknown_stream`", body = ErrorBody),
    )
)]
pub(crate) async fn time_in_role_csv(
    State(state): State<AppState>,
    user: Authenticated,
    ApiQuery(query): ApiQuery<ScopeQuery>,
) -> Result<Response, ApiError> {
    let figures = time_in_role_of(&state, &user, query).await?;
    Ok(csv(figures.to_csv()))
}

/// The flow of `query` (the last three years by default), suppressed as `user` must see it.
pub async fn flow_of(
    state: &AppState,
    user: &Authenticated,
    query: FlowQuery,
) -> Result<climb_insights::Flow, ApiError> {
    let under = query.under.map(PersonId);
    let framework = state.framework();
    let org = state.org().await?;
    let privacy = authorize(user, &org, under, Figures::Careers)?;
    let to = query
        .to
        .unwrap_or_else(|| today().succ_opt().unwrap_or_else(today));
    let from = query
        .from
        // Three years: a single year of a team's moves is mostly zeros.
        .unwrap_or_else(|| to.checked_sub_months(chrono::Months::new(36)).unwrap_or(to));
    let period = Period::new(from, to).map_err(refused)?;
    let scope = Scope {
        under,
        stream: stream_id(query.stream.as_deref())?,
        as_of: period.last_day(),
    };
    let population = Population::new(&framework, &org, scope).map_err(refused)?;
    Ok(climb_insights::flow(&population, period, privacy))
}

/// The real moves over `[from, to)` beside the framework's arrows: `{"scope",
/// "period": {"from", "to"}, "arrows": [{"from", "to", "kind", "moves"}],
/// "unused": [[from, to]], "off_graph": [{"from", "to", "moves",
/// "corrections"}], "rates": [{"role", "year", "from", "to", "held",
/// "promotion", "lateral", "leaving"}]}`, each rate `{"events", "rate"}`
/// over the people who held the role that year, or `{"suppressed": "fewer
/// than 5"}` except for HR and administrators.
#[utoipa::path(
    get,
    path = "/api/v1/insights/flow",
    tag = "insights",
    params(FlowQuery),
    responses(
        (status = 200, description = "The flow", body = Object),
        (status = 400, description = "Malformed query (a bad date, an unknown parameter)", body = ErrorBody),
        (status = 401, description = "No or bad token", body = ErrorBody),
        (status = 403, description = "Not in the subtree root's management chain, or the whole company without HR", body = ErrorBody),
        (status = 404, description = "`unknown_person`", body = ErrorBody),
        (status = 422, description = "`unknown_stream`, `invalid_period` (`from` not before `to`)", body = ErrorBody),
    )
)]
pub(crate) async fn flow(
    State(state): State<AppState>,
    user: Authenticated,
    ApiQuery(query): ApiQuery<FlowQuery>,
) -> Result<Json<climb_insights::Flow>, ApiError> {
    flow_of(&state, &user, query).await.map(Json)
}

/// The moves as CSV, `from,to,kind,moves,corrections`: the arrows (unused
/// ones with 0), then the moves no arrow allows as `off_graph`.
#[utoipa::path(
    get,
    path = "/api/v1/insights/flow.csv",
    tag = "insights",
    params(FlowQuery),
    responses(
        (status = 200, description = "The moves", content_type = "text/csv", body = String),
        (status = 400, description = "Malformed query", body = ErrorBody),
        (status = 401, description = "No or bad token", body = ErrorBody),
        (status = 403, description = "Not in the subtree root's management chain", body = ErrorBody),
        (status = 404, description = "`unknown_person`", body = ErrorBody),
        (status = 422, description = "`unknown_stream`, `invalid_period`", body = ErrorBody),
    )
)]
pub(crate) async fn flow_csv(
    State(state): State<AppState>,
    user: Authenticated,
    ApiQuery(query): ApiQuery<FlowQuery>,
) -> Result<Response, ApiError> {
    let flow = flow_of(&state, &user, query).await?;
    Ok(csv(flow.moves_csv()))
}

/// The framework chart with the flow drawn on it: each arrow carries
/// `data-moves`, is as wide as its share of the busiest arrow, and an
/// arrow nobody took is dotted and marked `data-unused="true"`.
#[utoipa::path(
    get,
    path = "/api/v1/insights/flow.svg",
    tag = "insights",
    params(FlowQuery),
    responses(
        (status = 200, description = "The chart with the flow", content_type = "image/svg+xml", body = String),
        (status = 400, description = "Malformed query", body = ErrorBody),
        (status = 401, description = "No or bad token", body = ErrorBody),
        (status = 403, description = "Not in the subtree root's management chain", body = ErrorBody),
        (status = 404, description = "`unknown_person`", body = ErrorBody),
        (status = 422, description = "`unknown_stream`, `invalid_period`", body = ErrorBody),
    )
)]
pub(crate) async fn flow_svg(
    State(state): State<AppState>,
    user: Authenticated,
    ApiQuery(query): ApiQuery<FlowQuery>,
) -> Result<Response, ApiError> {
    let flow = flow_of(&state, &user, query).await?;
    let svg = flow_chart_svg(&state.framework(), &flow);
    Ok(([(header::CONTENT_TYPE, "image/svg+xml")], svg).into_response())
}

/// The framework chart with `flow`'s moves drawn on its arrows, the one
/// drawing `flow.svg` answers and the Insights page shows.
pub fn flow_chart_svg(
    framework: &climb_framework::Framework,
    flow: &climb_insights::Flow,
) -> String {
    let overlay = climb_chart::FlowOverlay {
        moves: flow
            .arrows
            .iter()
            .map(|a| ((a.from.clone(), a.to.clone()), a.moves))
            .collect(),
    };
    let options = climb_chart::ChartOptions {
        flow: Some(overlay),
        ..climb_chart::ChartOptions::default()
    };
    climb_chart::render_svg(framework, &options)
}

/// The span of control of `query`, suppressed as `user` must see it.
pub async fn span_of(
    state: &AppState,
    user: &Authenticated,
    query: SpanQuery,
) -> Result<climb_insights::Span, ApiError> {
    let under = query.under.map(PersonId);
    let framework = state.framework();
    let org = state.org().await?;
    let privacy = authorize(user, &org, under, Figures::Careers)?;
    if query.threshold.is_some_and(|t| t > MAX_SPAN_THRESHOLD) {
        return Err(ApiError::bad_request(
            "invalid_query",
            format!(
                "invalid query string: `threshold` is a whole number from 0 to {MAX_SPAN_THRESHOLD}"
            ),
        ));
    }
    let scope = Scope {
        under,
        stream: None,
        as_of: query.as_of.unwrap_or_else(today),
    };
    let population = Population::new(&framework, &org, scope).map_err(refused)?;
    let threshold = query.threshold.unwrap_or(DEFAULT_SPAN_THRESHOLD);
    Ok(climb_insights::span(&population, threshold, privacy))
}

/// Span of control on a day: `{"scope", "threshold", "people", "managers",
/// "ics", "ics_per_manager", "layers", "distribution": [{"reports",
/// "managers"}], "one_report": [{"person", "reports"}], "over_threshold":
/// [{"person", "reports"}]}`; the ratio and the distribution are
/// suppressed below 5 people (managers, for the distribution) except for
/// HR and administrators.
#[utoipa::path(
    get,
    path = "/api/v1/insights/span",
    tag = "insights",
    params(SpanQuery),
    responses(
        (status = 200, description = "The span of control", body = Object),
        (status = 400, description = "Malformed query (a bad date, an unknown parameter)", body = ErrorBody),
        (status = 401, description = "No or bad token", body = ErrorBody),
        (status = 403, description = "Not in the subtree root's management chain, or the whole company without HR", body = ErrorBody),
        (status = 404, description = "`unknown_person`", body = ErrorBody),
    )
)]
pub(crate) async fn span(
    State(state): State<AppState>,
    user: Authenticated,
    ApiQuery(query): ApiQuery<SpanQuery>,
) -> Result<Json<climb_insights::Span>, ApiError> {
    span_of(&state, &user, query).await.map(Json)
}

/// The distribution of direct reports as CSV, `reports,managers`.
#[utoipa::path(
    get,
    path = "/api/v1/insights/span.csv",
    tag = "insights",
    params(SpanQuery),
    responses(
        (status = 200, description = "The distribution", content_type = "text/csv", body = String),
        (status = 400, description = "Malformed query", body = ErrorBody),
        (status = 401, description = "No or bad token", body = ErrorBody),
        (status = 403, description = "Not in the subtree root's management chain", body = ErrorBody),
        (status = 404, description = "`unknown_person`", body = ErrorBody),
    )
)]
pub(crate) async fn span_csv(
    State(state): State<AppState>,
    user: Authenticated,
    ApiQuery(query): ApiQuery<SpanQuery>,
) -> Result<Response, ApiError> {
    let span = span_of(&state, &user, query).await?;
    Ok(csv(span.to_csv()))
}

/// The days a habits period covers when none is asked for.
pub const DEFAULT_HABIT_DAYS: u32 = 90;

/// How many of the newest review cycles the habits look through for one
/// that reviewed the subtree, when no cycle is asked for.
const HABIT_CYCLES_LOOKED_AT: usize = 8;

/// The managers' habits of `query`, suppressed as `user` must see them.
pub async fn habits_of(
    state: &AppState,
    user: &Authenticated,
    query: HabitsQuery,
) -> Result<climb_insights::Habits, ApiError> {
    let under = query.under.map(PersonId);
    let days = query.days.unwrap_or(DEFAULT_HABIT_DAYS);
    if days == 0 || i64::from(days) > climb_insights::analytics::MAX_HABIT_DAYS {
        return Err(ApiError::bad_request(
            "invalid_query",
            format!(
                "invalid query string: `days` is a whole number from 1 to {}",
                climb_insights::analytics::MAX_HABIT_DAYS
            ),
        ));
    }
    let last = query.as_of.unwrap_or_else(today);
    let period = last
        .succ_opt()
        .zip(last.checked_sub_days(chrono::Days::new(u64::from(days) - 1)))
        .and_then(|(to, from)| Period::new(from, to).ok())
        .ok_or_else(|| {
            ApiError::bad_request(
                "invalid_query",
                "invalid query string: `as_of` is out of range",
            )
        })?;
    // The caller's right to the subtree is asked before the store is read;
    // who is in it picks the default cycle.
    let covered: Option<std::collections::HashSet<PersonId>> = {
        let framework = state.framework();
        let org = state.org().await?;
        authorize(user, &org, under, Figures::Careers)?;
        let scope = Scope {
            under,
            stream: None,
            as_of: last,
        };
        let population = Population::new(&framework, &org, scope).map_err(refused)?;
        under.map(|_| population.ids().collect())
    };

    let store = state.store();
    let (cycle, reviews) = match query.cycle {
        Some(id) => {
            let cycle = store
                .review_cycle(climb_management::review::CycleId(id))
                .await?
                .ok_or_else(|| {
                    ApiError::not_found("unknown_cycle", format!("there is no review cycle {id}"))
                })?;
            let reviews = store.cycle_signatures(cycle.id).await?;
            (Some(cycle), reviews)
        }
        // The newest cycle that reviewed anyone in the subtree: a cycle held
        // for another team says nothing about this one's managers.
        None => {
            let mut found = (None, std::sync::Arc::default());
            for cycle in store
                .review_cycles()
                .await?
                .into_iter()
                .take(HABIT_CYCLES_LOOKED_AT)
            {
                let reviews = store.cycle_signatures(cycle.id).await?;
                let reviews_here = reviews
                    .iter()
                    .any(|r| covered.as_ref().is_none_or(|c| c.contains(&r.person)));
                if reviews_here {
                    found = (Some(cycle), reviews);
                    break;
                }
            }
            found
        }
    };
    // A meeting a monthly cadence before the period still counts in it.
    let held_since = period
        .from
        .checked_sub_days(chrono::Days::new(31))
        .unwrap_or(period.from);
    let mut held: std::collections::HashMap<PersonId, Vec<NaiveDate>> = Default::default();
    for (report, day) in store.one_on_ones_held_since(held_since).await? {
        held.entry(report).or_default().push(day);
    }
    let schedules = store
        .one_on_one_cadences()
        .await?
        .into_iter()
        .map(|(report, cadence, first)| (report, (cadence, first)))
        .collect();
    let proposals = store
        .proposals_pending_or_decided_since(period.from)
        .await?;

    let framework = state.framework();
    let org = state.org().await?;
    let privacy = authorize(user, &org, under, Figures::Careers)?;
    let scope = Scope {
        under,
        stream: None,
        as_of: last,
    };
    let population = Population::new(&framework, &org, scope).map_err(refused)?;
    let records = climb_insights::analytics::HabitRecords {
        schedules: &schedules,
        held: &held,
        cycle: cycle.as_ref().map(|c| (c, reviews.as_slice())),
        proposals: &proposals,
    };
    Ok(climb_insights::habits(
        &population,
        period,
        records,
        privacy,
    ))
}

/// The managers' habits over a period ending on `as_of`: for each manager
/// of the subtree, `{"person", "reports", "one_on_ones": {"without_schedule",
/// "kept"}, "reviews": {"reviews", "self_signed", "manager_signed",
/// "signed", "completion"}, "decisions": {"decided", "median_days",
/// "pending", "oldest_pending_days"}}`, and the same `overall`. `kept` is
/// the share of report-days on cadence (the overdue rule of the one-on-one
/// pages, day by day); the rates are suppressed below 5 people except for
/// HR and administrators.
#[utoipa::path(
    get,
    path = "/api/v1/insights/habits",
    tag = "insights",
    params(HabitsQuery),
    responses(
        (status = 200, description = "The managers' habits", body = Object),
        (status = 400, description = "Malformed query (a bad date, `days` out of range, an unknown parameter)", body = ErrorBody),
        (status = 401, description = "No or bad token", body = ErrorBody),
        (status = 403, description = "Not in the subtree root's management chain, or the whole company without HR", body = ErrorBody),
        (status = 404, description = "`unknown_person`, `unknown_cycle`", body = ErrorBody),
    )
)]
pub(crate) async fn habits(
    State(state): State<AppState>,
    user: Authenticated,
    ApiQuery(query): ApiQuery<HabitsQuery>,
) -> Result<Json<climb_insights::Habits>, ApiError> {
    habits_of(&state, &user, query).await.map(Json)
}

/// The managers' habits as CSV, one row per manager.
#[utoipa::path(
    get,
    path = "/api/v1/insights/habits.csv",
    tag = "insights",
    params(HabitsQuery),
    responses(
        (status = 200, description = "One row per manager", content_type = "text/csv", body = String),
        (status = 400, description = "Malformed query", body = ErrorBody),
        (status = 401, description = "No or bad token", body = ErrorBody),
        (status = 403, description = "Not in the subtree root's management chain", body = ErrorBody),
        (status = 404, description = "`unknown_person`, `unknown_cycle`", body = ErrorBody),
    )
)]
pub(crate) async fn habits_csv(
    State(state): State<AppState>,
    user: Authenticated,
    ApiQuery(query): ApiQuery<HabitsQuery>,
) -> Result<Response, ApiError> {
    let habits = habits_of(&state, &user, query).await?;
    Ok(csv(habits.to_csv()))
}

/// Fills a parameter given once, refusing it given twice.
fn set<T>(slot: &mut Option<T>, value: T, key: &str) -> Result<(), ApiError> {
    match slot {
        Some(_) => Err(ApiError::bad_request(
            "invalid_query",
            format!("invalid query string: `{key}` is given twice"),
        )),
        None => {
            *slot = Some(value);
            Ok(())
        }
    }
}

/// Reads the projection's query, the list options repeated.
fn projection_request(raw: Option<&str>) -> Result<ProjectionRequest, ApiError> {
    let pairs: Vec<(String, String)> =
        serde_urlencoded::from_str(raw.unwrap_or("")).map_err(|e| {
            ApiError::bad_request("invalid_query", format!("invalid query string: {e}"))
        })?;
    let mut query = ProjectionQuery::default();
    let number = |key: &str, value: &str| {
        ApiError::bad_request(
            "invalid_query",
            format!(
                "invalid query string: `{key}` must be a whole number in its range, not `{value}`"
            ),
        )
    };
    for (key, value) in pairs {
        match key.as_str() {
            "years" => set(
                &mut query.years,
                value.parse().map_err(|_| number(&key, &value))?,
                &key,
            )?,
            "runs" => set(
                &mut query.runs,
                value.parse().map_err(|_| number(&key, &value))?,
                &key,
            )?,
            "seed" => {
                // Up to the largest signed 64-bit integer, as documented.
                let seed = value
                    .parse::<u64>()
                    .ok()
                    .filter(|&seed| i64::try_from(seed).is_ok())
                    .ok_or_else(|| number(&key, &value))?;
                set(&mut query.seed, seed, &key)?;
            }
            "step" => {
                let step = match value.as_str() {
                    "month" => StepParam::Month,
                    "year" => StepParam::Year,
                    _ => {
                        return Err(ApiError::bad_request(
                            "invalid_query",
                            format!(
                                "invalid query string: `step` is `month` or `year`, not `{value}`"
                            ),
                        ));
                    }
                };
                set(&mut query.step, step, &key)?;
            }
            "window" => set(&mut query.window, value, &key)?,
            "as_of" => {
                let day = value.parse().map_err(|_| {
                    ApiError::bad_request(
                        "invalid_query",
                        format!(
                            "invalid query string: `as_of` must be a date YYYY-MM-DD, not `{value}`"
                        ),
                    )
                })?;
                set(&mut query.as_of, day, &key)?;
            }
            "hire" => query.hire.get_or_insert_with(Vec::new).push(value),
            "target" => query.target.get_or_insert_with(Vec::new).push(value),
            "set_rate" => query.set_rate.get_or_insert_with(Vec::new).push(value),
            "set_leave" => query.set_leave.get_or_insert_with(Vec::new).push(value),
            _ => {
                return Err(ApiError::bad_request(
                    "invalid_query",
                    format!("invalid query string: unknown parameter `{key}`"),
                ));
            }
        }
    }
    let rule = |e: InsightsError| refused(e);
    let runs = query.runs.unwrap_or(1000);
    if runs == 0 || runs > MAX_API_RUNS {
        return Err(ApiError::Rule {
            code: "invalid_runs",
            message: format!("{runs} runs: ask for 1 to {MAX_API_RUNS}"),
        });
    }
    let years = query.years.unwrap_or(3);
    if years == 0 || years > climb_insights::MAX_YEARS {
        return Err(ApiError::Rule {
            code: "invalid_years",
            message: format!("{years} years: ask for 1 to {}", climb_insights::MAX_YEARS),
        });
    }
    let step = match query.step {
        Some(StepParam::Year) => Step::Year,
        Some(StepParam::Month) | None => Step::Month,
    };
    let run_steps = u64::from(runs) * u64::from(years * 12 / step.months());
    if run_steps > MAX_API_RUN_STEPS {
        return Err(ApiError::Rule {
            code: "projection_too_large",
            message: format!(
                "{runs} runs over {years} years by {step} is {run_steps} run-steps, past the {MAX_API_RUN_STEPS} one request may ask for: ask for fewer runs or years, or yearly steps"
            ),
        });
    }
    let window = query.window.as_deref().unwrap_or("3y");
    let window_months = climb_insights::parse_window(window).map_err(rule)?;
    if window_months > MAX_API_WINDOW_MONTHS {
        return Err(ApiError::Rule {
            code: "invalid_window",
            message: format!(
                "a window of `{window}` is longer than the 20 years one request may count over"
            ),
        });
    }
    let all = |raws: Option<Vec<String>>| raws.unwrap_or_default();
    Ok(ProjectionRequest {
        as_of: query.as_of.unwrap_or_else(today),
        window_months,
        step,
        years,
        runs,
        seed: query.seed.unwrap_or(2026),
        hires: all(query.hire)
            .iter()
            .map(|raw| climb_insights::parse_hire(raw))
            .collect::<Result<_, _>>()
            .map_err(rule)?,
        targets: all(query.target)
            .iter()
            .map(|raw| climb_insights::parse_target(raw))
            .collect::<Result<_, _>>()
            .map_err(rule)?,
        what_if: WhatIf {
            moves: all(query.set_rate)
                .iter()
                .map(|raw| climb_insights::parse_move(raw))
                .collect::<Result<_, _>>()
                .map_err(rule)?,
            leaving: all(query.set_leave)
                .iter()
                .map(|raw| climb_insights::parse_leave(raw))
                .collect::<Result<_, _>>()
                .map_err(rule)?,
        },
    })
}

/// The projection a raw query string asks for, after the policy allows `user`.
pub async fn projection_of(
    state: &AppState,
    user: &Authenticated,
    raw: Option<String>,
) -> Result<ProjectionReport, ApiError> {
    let framework = state.framework();
    let org = state.org().await?;
    authorize(user, &org, None, Figures::Careers)?;
    let request = projection_request(raw.as_deref())?;
    climb_insights::run_projection(&framework, &org, &request).map_err(refused)
}

/// The workforce projection, the same numbers as `climb project --json`:
/// `{"as_of", "estimate", "model", "hiring", "headcount", "projection"}`.
/// Company-wide career figures: HR and administrators.
#[utoipa::path(
    get,
    path = "/api/v1/insights/projection",
    tag = "insights",
    params(ProjectionQuery),
    responses(
        (status = 200, description = "The projection", body = Object),
        (status = 400, description = "Malformed query (a bad number or date, an unknown parameter)", body = ErrorBody),
        (status = 401, description = "No or bad token", body = ErrorBody),
        (status = 403, description = "Not HR or an administrator", body = ErrorBody),
        (status = 422, description = "`invalid_runs`, `invalid_years`, `projection_too_large`, `invalid_window`, `window_too_short`, `invalid_option`, `invalid_rate`, `unknown_role`, `rate_out_of_range`, `rates_exceed_one`, `hire_only_role`, …", body = ErrorBody),
    )
)]
pub(crate) async fn projection(
    State(state): State<AppState>,
    user: Authenticated,
    RawQuery(raw): RawQuery,
) -> Result<Json<ProjectionReport>, ApiError> {
    projection_of(&state, &user, raw).await.map(Json)
}

/// The projected headcount as CSV, the same as `climb project --csv`:
/// `date,step,kind,series,expected,mean,p10,p50,p90`.
#[utoipa::path(
    get,
    path = "/api/v1/insights/projection.csv",
    tag = "insights",
    params(ProjectionQuery),
    responses(
        (status = 200, description = "The projection", content_type = "text/csv", body = String),
        (status = 400, description = "Malformed query", body = ErrorBody),
        (status = 401, description = "No or bad token", body = ErrorBody),
        (status = 403, description = "Not HR or an administrator", body = ErrorBody),
        (status = 422, description = "A refused option, as for the JSON", body = ErrorBody),
    )
)]
pub(crate) async fn projection_csv(
    State(state): State<AppState>,
    user: Authenticated,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let report = projection_of(&state, &user, raw).await?;
    Ok(csv(climb_insights::projection_csv(&report.projection)))
}
