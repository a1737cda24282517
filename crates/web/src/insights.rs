//! The Insights page: the headcount pyramid, time in role before
//! promotion, the flow of moves over the framework's arrows, the span of
//! control and the managers' habits, for a subtree, a stream and a day. It reads through the API's
//! own functions (`climb_server::api::insights`), so the policy, the
//! suppression of small groups and the figures are those of
//! `/api/v1/insights/…`; this module only turns them into rows and charts.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use chrono::NaiveDate;
use climb_framework::Framework;
use climb_insights::analytics::Figure;
use climb_insights::{Flow, Habits, Pyramid, Span, TimeInRole};
use climb_people::policy::{Figures, Resource};
use climb_people::{Email, Org, PersonId};
use climb_server::AppState;
use climb_server::api::insights::{
    FlowQuery, HabitsQuery, ScopeQuery, SpanQuery, flow_chart_svg, flow_of, habits_of, pyramid_of,
    span_of, time_in_role_of,
};
use serde::Deserialize;

use crate::error::{PageError, encode};
use crate::page::{Layout, Viewer, render_form};

/// What a suppressed figure reads.
const SUPPRESSED: &str = climb_insights::analytics::SUPPRESSED_TEXT;
/// The most managers the subtree field suggests.
const MANAGER_SUGGESTIONS: usize = 500;
/// Days in an average month, to show durations in months.
const DAYS_PER_MONTH: f64 = 30.44;

/// The filter form as typed.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct InsightsForm {
    #[serde(default)]
    as_of: String,
    #[serde(default)]
    stream: String,
    #[serde(default)]
    manager: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
}

/// The scope the form asks for, read and checked.
struct Asked {
    under: Option<PersonId>,
    stream: Option<String>,
    as_of: Option<NaiveDate>,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
}

impl InsightsForm {
    /// The scope the form asks for, or a sentence saying why it cannot be
    /// read. An empty subtree is the viewer's default.
    fn read(
        &self,
        org: &Org,
        framework: &Framework,
        default: Option<PersonId>,
    ) -> Result<Asked, String> {
        let day = |field: &str, what: &str| -> Result<Option<NaiveDate>, String> {
            let field = field.trim();
            if field.is_empty() {
                return Ok(None);
            }
            NaiveDate::parse_from_str(field, "%Y-%m-%d")
                .map(Some)
                .map_err(|_| format!("The {what} must be a date such as 2026-12-07."))
        };
        let manager = self.manager.trim();
        let under = if manager.is_empty() {
            default
        } else {
            let email = Email::parse(manager)
                .map_err(|_| "Give the subtree's manager by their email address.".to_owned())?;
            let person = org
                .person_by_email(&email)
                .ok_or_else(|| format!("No one in the company has the email {email}."))?;
            Some(person.id)
        };
        let stream = self.stream.trim();
        if !stream.is_empty() && !framework.streams().iter().any(|s| s.id.as_str() == stream) {
            return Err("Choose a stream from the list.".to_owned());
        }
        let asked = Asked {
            under,
            stream: (!stream.is_empty()).then(|| stream.to_owned()),
            as_of: day(&self.as_of, "\"as of\" day")?,
            from: day(&self.from, "first day of the flow")?,
            to: day(&self.to, "day after the flow's last")?,
        };
        if let (Some(from), Some(to)) = (asked.from, asked.to)
            && from >= to
        {
            return Err("The flow's first day must come before the day after its last.".to_owned());
        }
        Ok(asked)
    }
}

/// The query string of the API's scope, for the CSV links.
fn scope_query(under: Option<PersonId>, stream: Option<&str>, as_of: Option<NaiveDate>) -> String {
    let mut parts = Vec::new();
    if let Some(under) = under {
        parts.push(format!("under={}", under.0));
    }
    if let Some(stream) = stream {
        parts.push(format!("stream={}", encode(stream)));
    }
    if let Some(day) = as_of {
        parts.push(format!("as_of={day}"));
    }
    parts.join("&")
}

/// A stream of the select.
struct StreamChoice {
    id: String,
    name: String,
}

/// A row of the pyramid's table.
struct PyramidRow {
    stream: String,
    role: String,
    seniority: u8,
    hire_only: bool,
    headcount: u64,
    holders: u64,
}

/// A row of the time-in-role table.
struct TimeRow {
    role: String,
    people: u64,
    promotions: u64,
    censored: u64,
    p25: String,
    median: String,
    p75: String,
}

/// A move along an arrow, or off the framework.
struct MoveRow {
    from: String,
    to: String,
    kind: String,
    moves: u64,
    corrections: u64,
}

/// A role's rates in one year.
struct RateRow {
    role: String,
    year: i32,
    held: u64,
    promotion: String,
    lateral: String,
    leaving: String,
}

/// A manager named with their reports.
struct ManagerRow {
    name: String,
    href: String,
    reports: u32,
}

/// The span of control, as shown.
struct SpanView {
    people: u64,
    managers: u64,
    ics: u64,
    ratio: String,
    layers: u32,
    threshold: u32,
    distribution: Option<Vec<(u32, u64)>>,
    one_report: Vec<ManagerRow>,
    over_threshold: Vec<ManagerRow>,
}

/// One manager's habits, as shown.
struct HabitRow {
    name: String,
    href: String,
    reports: u32,
    kept: String,
    without_schedule: u32,
    reviews: String,
    decision_days: String,
    pending: String,
}

/// The managers' habits, as shown: the overall row last.
struct HabitsView {
    days: i64,
    last_day: NaiveDate,
    cycle: Option<String>,
    rows: Vec<HabitRow>,
    query: String,
}

/// The figures the viewer may see beyond the pyramid.
struct Careers {
    time: Vec<TimeRow>,
    time_svg: String,
    flow_svg: String,
    period: String,
    used: Vec<MoveRow>,
    unused: Vec<MoveRow>,
    off_graph: Vec<MoveRow>,
    rates: Vec<RateRow>,
    span: SpanView,
    habits: HabitsView,
    flow_query: String,
    span_query: String,
}

#[derive(Template)]
#[template(path = "insights.html")]
struct InsightsPage {
    layout: Layout,
    form: InsightsForm,
    streams: Vec<StreamChoice>,
    managers: Vec<String>,
    privileged: bool,
    problem: Option<String>,
    whose: String,
    query: String,
    pyramid_svg: String,
    pyramid: Vec<PyramidRow>,
    headcount: u64,
    outside_framework: u64,
    careers: Option<Careers>,
}

/// `GET /insights`.
pub(crate) async fn insights(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(form): Query<InsightsForm>,
) -> Result<Response, PageError> {
    let framework = state.framework();
    let privileged = viewer.layout.admin || viewer.layout.hr;
    let streams = framework
        .streams()
        .iter()
        .map(|s| StreamChoice {
            id: s.id.as_str().to_owned(),
            name: s.name.clone(),
        })
        .collect();
    let (asked, managers, careers_allowed) = {
        let org = state.org().await?;
        let me = viewer.user.account.person;
        // A manager starts on their own subtree; HR, administrators and
        // people without reports on the whole company.
        let default =
            me.filter(|&me| !privileged && org.index().span(me).is_some_and(|reports| reports > 0));
        let managers = if privileged {
            manager_emails(&org)
        } else {
            Vec::new()
        };
        match form.read(&org, &framework, default) {
            Ok(asked) => {
                let careers = viewer
                    .user
                    .view(
                        &org,
                        &Resource::Insights {
                            under: asked.under,
                            figures: Figures::Careers,
                        },
                    )
                    .is_ok();
                (Ok(asked), managers, careers)
            }
            Err(problem) => (Err(problem), managers, false),
        }
    };
    let page = |problem: Option<String>| InsightsPage {
        layout: viewer.layout.at("insights"),
        form: InsightsForm::default(),
        streams: Vec::new(),
        managers: Vec::new(),
        privileged,
        problem,
        whose: String::new(),
        query: String::new(),
        pyramid_svg: String::new(),
        pyramid: Vec::new(),
        headcount: 0,
        outside_framework: 0,
        careers: None,
    };
    let asked = match asked {
        Ok(asked) => asked,
        Err(problem) => {
            let page = InsightsPage {
                form,
                streams,
                managers,
                ..page(Some(problem))
            };
            return render_form(&page, true);
        }
    };
    let pyramid = pyramid_of(
        &state,
        &viewer.user,
        ScopeQuery {
            under: asked.under.map(|p| p.0),
            stream: asked.stream.clone(),
            as_of: asked.as_of,
        },
    )
    .await?;
    let careers = if careers_allowed {
        Some(careers(&state, &viewer, &framework, &asked).await?)
    } else {
        None
    };
    let whose = {
        let org = state.org().await?;
        match asked.under {
            Some(root) if Some(root) == viewer.user.account.person => "your team".to_owned(),
            Some(root) => org
                .person(root)
                .map_or_else(|| "a team".to_owned(), |p| format!("{}'s team", p.name)),
            None => "the whole company".to_owned(),
        }
    };
    let page = InsightsPage {
        form,
        streams,
        managers,
        whose,
        query: scope_query(asked.under, asked.stream.as_deref(), asked.as_of),
        pyramid_svg: pyramid_chart(&framework, &pyramid),
        pyramid: pyramid_rows(&framework, &pyramid),
        headcount: pyramid.headcount,
        outside_framework: pyramid.outside_framework,
        careers,
        ..page(None)
    };
    render_form(&page, false)
}

/// The first emails, in order, of everyone active with reports, for the
/// subtree field. The managers are read off the active people's managers in
/// one pass (asking the org tree of each person cost tens of milliseconds
/// at a million), and only the emails suggested are put in order.
fn manager_emails(org: &Org) -> Vec<String> {
    let managers: foldhash::HashSet<PersonId> = org
        .people()
        .filter(|p| p.is_active())
        .filter_map(|p| p.manager)
        .collect();
    let mut emails: Vec<&str> = managers
        .iter()
        .filter_map(|&m| org.person(m))
        .filter(|m| m.is_active())
        .map(|m| m.email.as_str())
        .collect();
    if emails.len() > MANAGER_SUGGESTIONS {
        emails.select_nth_unstable(MANAGER_SUGGESTIONS);
        emails.truncate(MANAGER_SUGGESTIONS);
    }
    emails.sort_unstable();
    emails.into_iter().map(str::to_owned).collect()
}

/// Time in role, flow and span of control, asked of the API's functions.
async fn careers(
    state: &AppState,
    viewer: &Viewer,
    framework: &Framework,
    asked: &Asked,
) -> Result<Careers, PageError> {
    let under = asked.under.map(|p| p.0);
    let time = time_in_role_of(
        state,
        &viewer.user,
        ScopeQuery {
            under,
            stream: asked.stream.clone(),
            as_of: asked.as_of,
        },
    )
    .await?;
    let flow = flow_of(
        state,
        &viewer.user,
        FlowQuery {
            under,
            stream: asked.stream.clone(),
            from: asked.from,
            to: asked.to,
        },
    )
    .await?;
    let span = span_of(
        state,
        &viewer.user,
        SpanQuery {
            under,
            as_of: asked.as_of,
            threshold: None,
        },
    )
    .await?;
    let habits = habits_of(
        state,
        &viewer.user,
        HabitsQuery {
            under,
            as_of: asked.as_of,
            days: None,
            cycle: None,
        },
    )
    .await?;
    let org = state.org().await?;
    let mut flow_query = scope_query(asked.under, asked.stream.as_deref(), None);
    for (name, day) in [("from", asked.from), ("to", asked.to)] {
        if let Some(day) = day {
            if !flow_query.is_empty() {
                flow_query.push('&');
            }
            flow_query.push_str(&format!("{name}={day}"));
        }
    }
    let (used, unused, off_graph) = move_rows(framework, &flow);
    Ok(Careers {
        time: time_rows(framework, &time),
        time_svg: time_chart(framework, &time),
        flow_svg: flow_chart_svg(framework, &flow),
        period: format!("from {} to {}", flow.period.from, flow.period.last_day()),
        used,
        unused,
        off_graph,
        rates: rate_rows(framework, &flow),
        span: span_view(&org, &span),
        habits: habits_view(&org, &habits, scope_query(asked.under, None, asked.as_of)),
        flow_query,
        span_query: scope_query(asked.under, None, asked.as_of),
    })
}

fn role_title(framework: &Framework, id: &str) -> String {
    framework
        .role(id)
        .map_or_else(|| id.to_owned(), |r| r.title.clone())
}

fn stream_name(framework: &Framework, id: &str) -> String {
    framework
        .streams()
        .iter()
        .find(|s| s.id.as_str() == id)
        .map_or_else(|| id.to_owned(), |s| s.name.clone())
}

/// The pyramid drawn by the chart crate, most senior role on top.
fn pyramid_chart(framework: &Framework, pyramid: &Pyramid) -> String {
    let groups = pyramid
        .streams
        .iter()
        .map(|s| climb_chart::PyramidGroup {
            id: s.stream.as_str().to_owned(),
            title: format!(
                "{} · {}",
                stream_name(framework, s.stream.as_str()),
                s.headcount
            ),
            colour: framework
                .streams()
                .iter()
                .position(|f| f.id == s.stream)
                .unwrap_or(0),
            bars: s
                .roles
                .iter()
                .rev()
                .map(|r| climb_chart::PyramidBar {
                    id: r.role.as_str().to_owned(),
                    label: role_title(framework, r.role.as_str()),
                    headcount: r.headcount,
                    designation_holders: r.designation_holders,
                    hire_only: r.hire_only,
                })
                .collect(),
        })
        .collect();
    climb_chart::render_pyramid_svg(&climb_chart::PyramidChart {
        title: "Headcount per role, by stream".to_owned(),
        groups,
    })
}

fn pyramid_rows(framework: &Framework, pyramid: &Pyramid) -> Vec<PyramidRow> {
    pyramid
        .streams
        .iter()
        .flat_map(|s| {
            s.roles.iter().rev().map(move |r| PyramidRow {
                stream: stream_name(framework, s.stream.as_str()),
                role: role_title(framework, r.role.as_str()),
                seniority: r.seniority,
                hire_only: r.hire_only,
                headcount: r.headcount,
                holders: r.designation_holders,
            })
        })
        .collect()
}

/// Days as months with one decimal, or a dash when there is no figure.
fn months(days: Option<u32>) -> String {
    days.map_or_else(
        || "—".to_owned(),
        |d| format!("{:.1}", f64::from(d) / DAYS_PER_MONTH),
    )
}

/// The quartile ranges per role, in months, drawn by the chart crate.
fn time_chart(framework: &Framework, time: &TimeInRole) -> String {
    let in_months = |days: Option<u32>| days.map(|d| f64::from(d) / DAYS_PER_MONTH);
    let rows = time
        .roles
        .iter()
        .map(|r| {
            let quantiles = r.quantiles.shown();
            climb_chart::RangeRow {
                id: r.role.as_str().to_owned(),
                label: role_title(framework, r.role.as_str()),
                low: quantiles.and_then(|q| in_months(q.p25_days)),
                median: quantiles.and_then(|q| in_months(q.median_days)),
                high: quantiles.and_then(|q| in_months(q.p75_days)),
                note: if r.quantiles.is_suppressed() {
                    SUPPRESSED.to_owned()
                } else {
                    "no promotion yet".to_owned()
                },
            }
        })
        .collect();
    climb_chart::render_ranges_svg(&climb_chart::RangesChart {
        title: "Months in each role before promotion".to_owned(),
        unit: "months".to_owned(),
        rows,
    })
}

fn time_rows(framework: &Framework, time: &TimeInRole) -> Vec<TimeRow> {
    time.roles
        .iter()
        .map(|r| {
            let (p25, median, p75) = match &r.quantiles {
                Figure::Shown(q) => (
                    months(q.p25_days),
                    months(q.median_days),
                    months(q.p75_days),
                ),
                Figure::Suppressed => (
                    SUPPRESSED.to_owned(),
                    SUPPRESSED.to_owned(),
                    SUPPRESSED.to_owned(),
                ),
            };
            TimeRow {
                role: role_title(framework, r.role.as_str()),
                people: r.people,
                promotions: r.promotions,
                censored: r.censored,
                p25,
                median,
                p75,
            }
        })
        .collect()
}

fn move_rows(framework: &Framework, flow: &Flow) -> (Vec<MoveRow>, Vec<MoveRow>, Vec<MoveRow>) {
    let arrow = |a: &climb_insights::analytics::ArrowFlow| MoveRow {
        from: role_title(framework, a.from.as_str()),
        to: role_title(framework, a.to.as_str()),
        kind: a.kind.as_str().to_owned(),
        moves: a.moves,
        corrections: 0,
    };
    let used = flow
        .arrows
        .iter()
        .filter(|a| a.moves > 0)
        .map(arrow)
        .collect();
    let unused = flow
        .arrows
        .iter()
        .filter(|a| a.moves == 0)
        .map(arrow)
        .collect();
    let off_graph = flow
        .off_graph
        .iter()
        .map(|m| MoveRow {
            from: role_title(framework, m.from.as_str()),
            to: role_title(framework, m.to.as_str()),
            kind: "off the framework".to_owned(),
            moves: m.moves,
            corrections: m.corrections,
        })
        .collect();
    (used, unused, off_graph)
}

/// A yearly rate as a percentage with its count, or "fewer than 5".
fn rate(figure: &Figure<climb_insights::analytics::YearRate>) -> String {
    match figure {
        Figure::Shown(r) => format!("{:.0}% ({})", r.rate * 100.0, r.events),
        Figure::Suppressed => SUPPRESSED.to_owned(),
    }
}

fn rate_rows(framework: &Framework, flow: &Flow) -> Vec<RateRow> {
    flow.rates
        .iter()
        .map(|r| RateRow {
            role: role_title(framework, r.role.as_str()),
            year: r.year,
            held: r.held,
            promotion: rate(&r.promotion),
            lateral: rate(&r.lateral),
            leaving: rate(&r.leaving),
        })
        .collect()
}

fn span_view(org: &Org, span: &Span) -> SpanView {
    let named = |list: &[climb_insights::analytics::ManagerSpan]| {
        list.iter()
            .map(|m| ManagerRow {
                name: org
                    .person(m.person)
                    .map_or_else(|| format!("person #{}", m.person.0), |p| p.name.clone()),
                href: format!("/people/{}", m.person.0),
                reports: m.reports,
            })
            .collect()
    };
    SpanView {
        people: span.people,
        managers: span.managers,
        ics: span.ics,
        ratio: match &span.ics_per_manager {
            Figure::Shown(Some(ratio)) => format!("{ratio:.1}"),
            Figure::Shown(None) => "—".to_owned(),
            Figure::Suppressed => SUPPRESSED.to_owned(),
        },
        layers: span.layers,
        threshold: span.threshold,
        distribution: span
            .distribution
            .shown()
            .map(|d| d.iter().map(|b| (b.reports, b.managers)).collect()),
        one_report: named(&span.one_report),
        over_threshold: named(&span.over_threshold),
    }
}

/// A share as a whole percentage, a dash without one, or "fewer than 5".
fn percent(figure: &Figure<Option<f64>>) -> String {
    match figure {
        Figure::Shown(Some(share)) => format!("{:.0}%", share * 100.0),
        Figure::Shown(None) => "—".to_owned(),
        Figure::Suppressed => SUPPRESSED.to_owned(),
    }
}

fn habits_view(org: &Org, habits: &Habits, query: String) -> HabitsView {
    let reviews = |r: Option<&climb_insights::analytics::ReviewCompletion>| {
        r.map_or_else(String::new, |r| {
            format!("{} of {} ({})", r.signed, r.reviews, percent(&r.completion))
        })
    };
    let decisions = |d: &climb_insights::analytics::Decisions| match &d.median_days {
        Figure::Shown(Some(days)) => format!("{days:.0} ({} decided)", d.decided),
        Figure::Shown(None) => "—".to_owned(),
        Figure::Suppressed => SUPPRESSED.to_owned(),
    };
    let pending = |d: &climb_insights::analytics::Decisions| match d.oldest_pending_days {
        Some(oldest) if d.pending > 0 => format!("{} (oldest {oldest} days)", d.pending),
        _ => d.pending.to_string(),
    };
    let mut rows: Vec<HabitRow> = habits
        .managers
        .iter()
        .map(|m| HabitRow {
            name: org
                .person(m.person)
                .map_or_else(|| format!("person #{}", m.person.0), |p| p.name.clone()),
            href: format!("/people/{}", m.person.0),
            reports: m.reports,
            kept: percent(&m.one_on_ones.kept),
            without_schedule: m.one_on_ones.without_schedule,
            reviews: reviews(m.reviews.as_ref()),
            decision_days: decisions(&m.decisions),
            pending: pending(&m.decisions),
        })
        .collect();
    rows.sort_by(|a, b| a.name.cmp(&b.name));
    if habits.overall.managers > 1 {
        let all = &habits.overall;
        rows.push(HabitRow {
            name: format!("All {} managers", all.managers),
            href: String::new(),
            reports: all.reports,
            kept: percent(&all.one_on_ones.kept),
            without_schedule: all.one_on_ones.without_schedule,
            reviews: reviews(all.reviews.as_ref()),
            decision_days: decisions(&all.decisions),
            pending: pending(&all.decisions),
        });
    }
    HabitsView {
        days: (habits.period.to - habits.period.from).num_days(),
        last_day: habits.period.last_day(),
        cycle: habits.cycle.as_ref().map(|c| c.name.clone()),
        rows,
        query,
    }
}
