//! The chart page (the framework's SVG, clickable, with a side panel per
//! role and a path between two roles), role pages and the path page. Each
//! answers htmx with the fragment and a plain request with the whole page.

use std::sync::Arc;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use climb_framework::{Framework, Role, graph};
use climb_people::policy::Resource;
use climb_server::AppState;
use serde::Deserialize;

use crate::error::PageError;
use crate::page::{Layout, Viewer, render};

/// How many holders of a role the panel lists by name.
const HOLDERS_SHOWN: usize = 12;

/// A role, its stream and place, for lists and links.
#[derive(Debug, Clone)]
pub(crate) struct RoleLink {
    pub(crate) id: String,
    pub(crate) title: String,
    pub(crate) stream: String,
    /// Position of the stream in the file, for its colour class.
    pub(crate) colour: usize,
}

impl RoleLink {
    pub(crate) fn of(framework: &Framework, role: &Role) -> Self {
        Self {
            id: role.id.to_string(),
            title: role.title.clone(),
            stream: framework.stream_of(role).name.clone(),
            colour: framework.stream_position(role.stream.as_str()).unwrap_or(0) % 8,
        }
    }
}

/// One transition out of a role.
#[derive(Debug, Clone)]
pub(crate) struct Step {
    pub(crate) from: RoleLink,
    pub(crate) to: RoleLink,
    pub(crate) kind: &'static str,
}

/// The next steps from `role`, promotions first.
pub(crate) fn next_steps(framework: &Framework, role: &str) -> Vec<Step> {
    graph::next_steps(framework, role)
        .into_iter()
        .filter_map(|t| step(framework, t))
        .collect()
}

fn step(framework: &Framework, t: &climb_framework::Transition) -> Option<Step> {
    Some(Step {
        from: RoleLink::of(framework, framework.role(t.from.as_str())?),
        to: RoleLink::of(framework, framework.role(t.to.as_str())?),
        kind: t.kind.as_str(),
    })
}

/// A competency a role expects, at its level.
#[derive(Debug)]
struct Expectation {
    competency: String,
    level: u32,
    of: usize,
    text: String,
}

/// Everything the role panel shows.
#[derive(Debug)]
struct RoleDetail {
    link: RoleLink,
    seniority: u8,
    entry: bool,
    hire_only: bool,
    reports: bool,
    summary: String,
    responsibilities: Vec<String>,
    expectations: Vec<Expectation>,
    next: Vec<Step>,
    equivalents: Vec<RoleLink>,
    headcount: usize,
    holders: Vec<(i64, String)>,
    designations: Vec<String>,
}

/// Every role of a stream, for the no-JavaScript list under the chart.
#[derive(Debug)]
struct StreamRoles {
    name: String,
    colour: usize,
    roles: Vec<RoleLink>,
}

#[derive(Template)]
#[template(path = "chart.html")]
struct ChartPage {
    layout: Layout,
    framework: String,
    version: String,
    svg: Arc<str>,
    streams: Vec<StreamRoles>,
    roles: Vec<RoleLink>,
}

#[derive(Template)]
#[template(path = "role.html")]
struct RolePage {
    layout: Layout,
    role: RoleDetail,
    roles: Vec<RoleLink>,
}

#[derive(Template)]
#[template(path = "role_panel.html")]
struct RolePanel {
    role: RoleDetail,
    roles: Vec<RoleLink>,
}

#[derive(Template)]
#[template(path = "path.html")]
struct PathPage {
    layout: Layout,
    result: PathResult,
    roles: Vec<RoleLink>,
}

#[derive(Template)]
#[template(path = "path_result.html")]
struct PathPartial {
    result: PathResult,
}

/// The answer to "how do I get from A to B".
#[derive(Debug, Default)]
struct PathResult {
    from: String,
    to: String,
    from_title: String,
    to_title: String,
    steps: Vec<Step>,
    /// Why there is no path, when there is none.
    problem: Option<String>,
}

/// Every role, in file order.
pub(crate) fn all_roles(framework: &Framework) -> Vec<RoleLink> {
    framework
        .roles()
        .iter()
        .map(|r| RoleLink::of(framework, r))
        .collect()
}

/// `GET /chart`: the chart with its side panel and path finder.
pub(crate) async fn chart_page(
    State(state): State<AppState>,
    viewer: Viewer,
) -> Result<Response, PageError> {
    {
        let org = state.org().await?;
        viewer.user.view(&org, &Resource::Framework)?;
    }
    let (framework, svg) = state.framework_and_chart();
    let framework = &*framework;
    let streams = framework
        .streams()
        .iter()
        .enumerate()
        .map(|(i, s)| StreamRoles {
            name: s.name.clone(),
            colour: i % 8,
            roles: framework
                .roles_in(&s.id)
                .map(|r| RoleLink::of(framework, r))
                .collect(),
        })
        .collect();
    render(&ChartPage {
        layout: viewer.layout.at("chart"),
        framework: framework.meta().name.clone(),
        version: framework.meta().version.clone(),
        svg,
        streams,
        roles: all_roles(framework),
    })
}

/// `GET /roles/{id}`: the role panel (htmx) or the role page.
pub(crate) async fn role_page(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let framework = &*state.framework();
    let (headcount, holders) = {
        let org = state.org().await?;
        viewer.user.view(&org, &Resource::Framework)?;
        let headcount = org
            .index()
            .headcount_by_role(None)
            .unwrap_or_default()
            .into_iter()
            .find(|(r, _)| r.as_str() == id)
            .map_or(0, |(_, n)| n);
        let holders = if viewer.user.view(&org, &Resource::Directory).is_ok() {
            org.people()
                .filter(|p| p.is_active() && p.role.as_str() == id)
                .take(HOLDERS_SHOWN)
                .map(|p| (p.id.0, p.name.clone()))
                .collect()
        } else {
            Vec::new()
        };
        (headcount, holders)
    };
    let role = framework.role(&id).ok_or_else(|| {
        climb_server::ApiError::not_found("unknown_role", "there is no such role")
    })?;
    let detail = RoleDetail {
        link: RoleLink::of(framework, role),
        seniority: role.seniority.get(),
        entry: role.entry,
        hire_only: role.hire_only,
        reports: role.reports,
        summary: role.summary.clone().unwrap_or_default(),
        responsibilities: role.responsibilities.clone(),
        expectations: role
            .expectations
            .iter()
            .filter_map(|e| {
                let competency = framework.competency(e.competency.as_str())?;
                let index = usize::try_from(e.level).ok()?.checked_sub(1)?;
                Some(Expectation {
                    competency: competency.name.clone(),
                    level: e.level,
                    of: competency.levels.len(),
                    text: competency.levels.get(index).cloned().unwrap_or_default(),
                })
            })
            .collect(),
        next: next_steps(framework, &id),
        equivalents: graph::equivalents(framework, &id)
            .into_iter()
            .map(|r| RoleLink::of(framework, r))
            .collect(),
        headcount,
        holders,
        designations: framework
            .designations()
            .iter()
            .filter(|d| d.is_eligible(&role.stream))
            .map(|d| d.title.clone())
            .collect(),
    };
    let roles = all_roles(framework);
    if viewer.htmx {
        render(&RolePanel {
            role: detail,
            roles,
        })
    } else {
        render(&RolePage {
            layout: viewer.layout.at("chart"),
            role: detail,
            roles,
        })
    }
}

/// The two roles of a path question.
#[derive(Debug, Deserialize)]
pub(crate) struct PathQuery {
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
}

/// `GET /path?from=A&to=B`: the steps (htmx: the list, which the chart
/// script highlights; otherwise a page).
pub(crate) async fn path_page(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(query): Query<PathQuery>,
) -> Result<Response, PageError> {
    {
        let org = state.org().await?;
        viewer.user.view(&org, &Resource::Framework)?;
    }
    let framework = &*state.framework();
    let title = |id: &str| framework.role(id).map(|r| r.title.clone());
    let mut result = PathResult {
        from: query.from.clone(),
        to: query.to.clone(),
        from_title: title(&query.from).unwrap_or_default(),
        to_title: title(&query.to).unwrap_or_default(),
        ..PathResult::default()
    };
    if title(&query.from).is_none() || title(&query.to).is_none() {
        result.problem = Some("Choose two roles of the chart.".to_owned());
    } else if query.from == query.to {
        result.problem = Some("Those are the same role: you are already there.".to_owned());
    } else {
        match graph::shortest_path(framework, &query.from, &query.to) {
            Ok(steps) => {
                result.steps = steps
                    .into_iter()
                    .filter_map(|t| step(framework, t))
                    .collect();
            }
            Err(graph::NoPath::HireOnly(_)) => {
                result.problem = Some(format!(
                    "No path leads to {}: it is hire-only, so no promotion or lateral move \
                     leads into it and the only way in is a hire.",
                    result.to_title
                ));
            }
            Err(_) => {
                result.problem = Some(format!(
                    "No sequence of promotions and lateral moves leads from {} to {}: \
                     the framework has no arrows that way (promotions only go up in seniority).",
                    result.from_title, result.to_title
                ));
            }
        }
    }
    if viewer.htmx {
        render(&PathPartial { result })
    } else {
        render(&PathPage {
            layout: viewer.layout.at("chart"),
            result,
            roles: all_roles(framework),
        })
    }
}
