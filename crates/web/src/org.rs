//! The org chart: a collapsible tree of the reporting lines with the
//! headcount of every subtree. Only one level is sent at a time, and a
//! level is fetched when its node opens, so the page stays fast at any
//! company size; without JavaScript each name links to its own subtree.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use climb_framework::Framework;
use climb_people::policy::Resource;
use climb_people::{Org, PersonId};
use climb_server::{ApiError, AppState};
use serde::Deserialize;

use crate::chart::RoleLink;
use crate::error::PageError;
use crate::page::{Layout, Viewer, render};

/// One person in the tree.
#[derive(Debug)]
struct Node {
    id: i64,
    name: String,
    role: Option<RoleLink>,
    /// Direct reports.
    reports: usize,
    /// Everyone below, at any depth.
    below: usize,
}

fn node(framework: &Framework, org: &Org, id: PersonId) -> Option<Node> {
    let person = org.person(id)?;
    let index = org.index();
    Some(Node {
        id: id.0,
        name: person.name.clone(),
        role: framework
            .role(person.role.as_str())
            .map(|r| RoleLink::of(framework, r)),
        reports: index.span(id).unwrap_or(0),
        below: index.headcount_below(id).unwrap_or(0),
    })
}

/// The nodes for `ids`, largest organisations first, then by name.
fn nodes(framework: &Framework, org: &Org, ids: impl IntoIterator<Item = PersonId>) -> Vec<Node> {
    let mut nodes: Vec<Node> = ids
        .into_iter()
        .filter(|id| org.person(*id).is_some_and(|p| p.is_active()))
        .filter_map(|id| node(framework, org, id))
        .collect();
    nodes.sort_by(|a, b| b.below.cmp(&a.below).then_with(|| a.name.cmp(&b.name)));
    nodes
}

#[derive(Template)]
#[template(path = "org.html")]
struct OrgPage {
    layout: Layout,
    /// The person the page is rooted at, when not the whole company.
    top: Option<Node>,
    /// Their manager, to go back up.
    up: Option<(i64, String)>,
    nodes: Vec<Node>,
    total: usize,
}

#[derive(Template)]
#[template(path = "org_nodes.html")]
struct OrgNodes {
    nodes: Vec<Node>,
}

/// Where the org chart starts.
#[derive(Debug, Deserialize)]
pub(crate) struct OrgQuery {
    under: Option<String>,
}

/// `GET /org[?under=ID]`: the top of the company, or one person's
/// organisation, one level open.
pub(crate) async fn org_page(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(query): Query<OrgQuery>,
) -> Result<Response, PageError> {
    let framework = &*state.framework();
    let org = state.org().await?;
    viewer.user.view(&org, &Resource::Directory)?;
    let unknown = || ApiError::not_found("unknown_person", "there is no such person");
    let page = match query.under.as_deref().filter(|u| !u.is_empty()) {
        Some(under) => {
            let id = PersonId(under.parse::<i64>().map_err(|_| unknown())?);
            viewer.user.view(&org, &Resource::Person(id))?;
            let top = node(framework, &org, id).ok_or_else(unknown)?;
            let up = org
                .person(id)
                .and_then(|p| p.manager)
                .and_then(|m| org.person(m))
                .map(|m| (m.id.0, m.name.clone()));
            OrgPage {
                layout: viewer.layout.at("org"),
                nodes: nodes(framework, &org, org.reports(id)),
                total: top.below,
                top: Some(top),
                up,
            }
        }
        None => {
            let roots = org
                .people()
                .filter(|p| p.is_active() && p.manager.is_none())
                .map(|p| p.id);
            let nodes = nodes(framework, &org, roots);
            OrgPage {
                layout: viewer.layout.at("org"),
                total: nodes.iter().map(|n| n.below + 1).sum(),
                nodes,
                top: None,
                up: None,
            }
        }
    };
    drop(org);
    render(&page)
}

/// `GET /org/{id}/reports`: one level of the tree (htmx fragment).
pub(crate) async fn reports(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let framework = &*state.framework();
    let unknown = || ApiError::not_found("unknown_person", "there is no such person");
    let id = PersonId(id.parse::<i64>().map_err(|_| unknown())?);
    let org = state.org().await?;
    viewer.user.view(&org, &Resource::Directory)?;
    viewer.user.view(&org, &Resource::Person(id))?;
    if org.person(id).is_none() {
        return Err(unknown().into());
    }
    if !viewer.htmx {
        // The list is a fragment the org chart loads into itself; opened on
        // its own (a new tab, a copied link) it is that chart under `id`.
        return Ok(crate::one_on_ones::see_other(&format!(
            "/org?under={}",
            id.0
        )));
    }
    let nodes = nodes(framework, &org, org.reports(id));
    drop(org);
    render(&OrgNodes { nodes })
}
