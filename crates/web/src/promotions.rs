//! Promotion pages: the list (proposals awaiting my decision, the ones I
//! drafted; HR and administrators see every open one), drafting a proposal
//! for a report toward one of the framework's next roles with evidence per
//! expected competency, and a proposal's page where the proposer's manager
//! or HR approves or rejects it with a comment. Every write goes through the
//! same store calls (and so the same policy and domain rules) as the API.

use std::collections::BTreeMap;

use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::response::Response;
use chrono::{NaiveDate, Utc};
use climb_framework::{CompetencyId, Framework, RoleId};
use climb_management::promotion::{Proposal, ProposalId, ProposalStatus};
use climb_people::policy::{Action, Resource};
use climb_people::{Org, PersonId};
use climb_server::auth::Authenticated;
use climb_server::{ApiError, AppState};
use climb_store::{Decision, ProposalHead};
use serde::Deserialize;

use crate::chart::{RoleLink, next_steps};
use crate::error::{IdPath, PageError};
use crate::growth::{Level, refusal};
use crate::listing::{Column, ListQuery, Listing, Table};
use crate::one_on_ones::see_other;
use crate::page::{Layout, Viewer, render, render_form};

/// How many proposals a list shows.
const SHOWN: usize = 100;
/// How many of the viewer's own drafts the list shows.
const DRAFTED_SHOWN: u32 = 50;

/// A role by id and title; the title falls back to the id for a role the
/// framework in force no longer has.
#[derive(Debug, Clone)]
pub(crate) struct RoleName {
    pub(crate) id: String,
    pub(crate) title: String,
}

fn role_name(framework: &Framework, role: &RoleId) -> RoleName {
    RoleName {
        id: role.to_string(),
        title: framework
            .role(role.as_str())
            .map_or_else(|| role.to_string(), |r| r.title.clone()),
    }
}

fn person_name(org: &Org, person: PersonId) -> (i64, String) {
    (
        person.0,
        org.person(person)
            .map_or_else(|| format!("#{}", person.0), |p| p.name.clone()),
    )
}

/// A proposal in a list.
#[derive(Debug)]
pub(crate) struct ProposalRow {
    pub(crate) id: i64,
    pub(crate) person: (i64, String),
    pub(crate) proposer: (i64, String),
    pub(crate) from: RoleName,
    pub(crate) to: RoleName,
    pub(crate) status: &'static str,
    pub(crate) created_on: String,
}

pub(crate) fn proposal_row(framework: &Framework, org: &Org, p: &Proposal) -> ProposalRow {
    ProposalRow {
        id: p.id.0,
        person: person_name(org, p.person),
        proposer: person_name(org, p.proposer),
        from: role_name(framework, &p.from_role),
        to: role_name(framework, &p.to_role),
        status: p.status.as_str(),
        created_on: p.created_on.to_string(),
    }
}

#[derive(Template)]
#[template(path = "promotions.html")]
struct ListPage {
    layout: Layout,
    /// Whether the viewer decides proposals (HR, administrators, and
    /// managers whose reports' proposals may come to them).
    decides: bool,
    /// Whether the viewer drafts proposals (managers) or has drafted some.
    drafts: bool,
    /// The viewer's person, for the link to their own proposals.
    me: Option<i64>,
    /// HR or administrator: the first list is every open proposal.
    privileged: bool,
    awaiting: Vec<ProposalRow>,
    awaiting_total: usize,
    drafted: Vec<ProposalRow>,
    /// One page of every proposal the viewer may read, of the status
    /// asked for (`status`, empty for all).
    all: Vec<ProposalRow>,
    all_listing: Listing,
    status: String,
    /// Links to the same list with each status (label, link, chosen).
    statuses: Vec<(&'static str, String, bool)>,
}

/// Every proposal the viewer may read: 25 a page, newest first unless
/// asked.
const ALL_TABLE: Table = Table {
    columns: &[
        Column {
            key: "person",
            label: "Person",
            descending_first: false,
        },
        Column {
            key: "",
            label: "Move",
            descending_first: false,
        },
        Column {
            key: "drafted",
            label: "Drafted",
            descending_first: true,
        },
        Column {
            key: "status",
            label: "Status",
            descending_first: false,
        },
    ],
    default: "drafted",
    per_page: 25,
};

/// The list's filter and order, as typed.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct ListFilter {
    /// `pending`, `approved` or `rejected`; anything else is all.
    #[serde(default)]
    status: String,
    #[serde(flatten)]
    list: ListQuery,
}

/// The pending proposals the viewer may decide, oldest first. Who may
/// decide is asked of each pending proposal's parties (`reports` are the
/// viewer's direct reports, whose proposals a manager sees); only the ones
/// shown are read whole afterwards.
pub(crate) async fn awaiting_decision(
    state: &AppState,
    user: &Authenticated,
    reports: &[PersonId],
) -> Result<Vec<ProposalId>, PageError> {
    Ok(climb_server::inbox::awaiting_decision(state, user.actor(), reports).await?)
}

/// One page of every proposal `user` may read (the API's rule for one
/// proposal), of `status` or all, sorted as `list` asks.
async fn readable_page(
    state: &AppState,
    user: &Authenticated,
    status: Option<ProposalStatus>,
    list: &ListQuery,
) -> Result<(Vec<ProposalRow>, Listing), PageError> {
    let heads = state
        .store()
        .proposal_heads(status)
        .await
        .map_err(ApiError::from)?;
    let (ids, listing) = {
        let org = state.org().await?;
        let mut readable: Vec<(ProposalHead, String)> = heads
            .into_iter()
            .filter(|head| {
                user.view(
                    &org,
                    &Resource::Assessment {
                        subject: head.person,
                        author: head.proposer,
                    },
                )
                .is_ok()
            })
            .map(|head| (head, person_name(&org, head.person).1))
            .collect();
        let kept: Vec<String> = status
            .map(|s| format!("status={}", s.as_str()))
            .into_iter()
            .collect();
        let listing = Listing::read(
            list,
            &ALL_TABLE,
            readable.len(),
            "/promotions",
            &kept,
            "#all-proposals",
        );
        readable.sort_by(|(a, a_name), (b, b_name)| {
            let by = match listing.sort {
                "person" => a_name.cmp(b_name),
                "status" => a.status.as_str().cmp(b.status.as_str()),
                _ => std::cmp::Ordering::Equal,
            };
            // Ids grow with the day a proposal is drafted.
            listing.order(by.then(a.id.0.cmp(&b.id.0)))
        });
        let ids: Vec<ProposalId> = listing
            .page_of(&readable)
            .iter()
            .map(|(head, _)| head.id)
            .collect();
        (ids, listing)
    };
    let read = state
        .store()
        .proposals(&ids)
        .await
        .map_err(ApiError::from)?;
    let framework = state.framework();
    let org = state.org().await?;
    let rows = read
        .iter()
        .map(|p| proposal_row(&framework, &org, p))
        .collect();
    Ok((rows, listing))
}

/// `GET /promotions`.
pub(crate) async fn list(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(filter): Query<ListFilter>,
) -> Result<Response, PageError> {
    let actor = viewer.user.actor();
    let privileged = actor.is_admin_or_hr();
    let reports = {
        let org = state.org().await?;
        viewer.user.view(&org, &Resource::Directory)?;
        actor.person.map(|me| org.reports(me)).unwrap_or_default()
    };
    let awaiting = awaiting_decision(&state, &viewer.user, &reports).await?;
    let drafted = match actor.person {
        Some(me) => state
            .store()
            .drafted_proposals(me, DRAFTED_SHOWN)
            .await
            .map_err(ApiError::from)?,
        None => Vec::new(),
    };
    let status = ProposalStatus::parse(filter.status.trim());
    let (all, all_listing) = readable_page(&state, &viewer.user, status, &filter.list).await?;
    let framework = state.framework();
    let shown = state
        .store()
        .proposals(&awaiting[..awaiting.len().min(SHOWN)])
        .await
        .map_err(ApiError::from)?;
    let org = state.org().await?;
    let page = ListPage {
        layout: viewer.layout.at("promotions"),
        decides: privileged || !reports.is_empty() || !awaiting.is_empty(),
        drafts: !reports.is_empty() || !drafted.is_empty(),
        me: actor.person.map(|p| p.0),
        privileged,
        awaiting_total: awaiting.len(),
        awaiting: shown
            .iter()
            .map(|p| proposal_row(&framework, &org, p))
            .collect(),
        drafted: drafted
            .iter()
            .map(|p| proposal_row(&framework, &org, p))
            .collect(),
        all,
        all_listing,
        status: status.map_or("", ProposalStatus::as_str).to_owned(),
        statuses: [
            ("All", None),
            ("Pending", Some(ProposalStatus::Pending)),
            ("Approved", Some(ProposalStatus::Approved)),
            ("Rejected", Some(ProposalStatus::Rejected)),
        ]
        .into_iter()
        .map(|(label, s)| {
            let link = match s {
                Some(s) => format!("/promotions?status={}#all-proposals", s.as_str()),
                None => "/promotions#all-proposals".to_owned(),
            };
            (label, link, s == status)
        })
        .collect(),
    };
    drop(org);
    render(&page)
}

/// One evidence field of the draft form.
#[derive(Debug)]
struct EvidenceField {
    competency: String,
    name: String,
    expected: Level,
    text: String,
    /// Left blank when the form was refused.
    missing: bool,
}

#[derive(Template)]
#[template(path = "promotion_draft.html")]
struct DraftPage {
    layout: Layout,
    person: (i64, String),
    current: RoleLink,
    /// The roles one transition away, with the kind of move.
    targets: Vec<(RoleLink, &'static str)>,
    /// The chosen target, if any.
    to: String,
    to_title: String,
    fields: Vec<EvidenceField>,
    error: Option<String>,
}

/// The target role in the draft page's address.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct DraftQuery {
    #[serde(default)]
    to: String,
}

/// Checks the viewer may draft a proposal for `person` (404 for a hidden
/// person, 403 for anyone but their manager, HR and administrators).
fn may_propose(
    state: &AppState,
    viewer: &Viewer,
    org: &Org,
    person: PersonId,
) -> Result<(), PageError> {
    viewer.user.view(org, &Resource::Person(person))?;
    viewer.user.act(
        org,
        &state.framework(),
        &Action::ProposePromotion { person },
        "draft a promotion proposal for this person",
    )?;
    Ok(())
}

async fn draft_page(
    state: &AppState,
    viewer: &Viewer,
    person: PersonId,
    to: &str,
    texts: &BTreeMap<String, String>,
    error: Option<String>,
) -> Result<Response, PageError> {
    let framework = state.framework();
    let org = state.org().await?;
    may_propose(state, viewer, &org, person)?;
    let unknown = || ApiError::not_found("unknown_person", "there is no such person");
    let holder = org.person(person).ok_or_else(unknown)?;
    let current = framework
        .role(holder.role.as_str())
        .map(|r| RoleLink::of(&framework, r))
        .ok_or_else(unknown)?;
    let targets = next_steps(&framework, holder.role.as_str())
        .into_iter()
        .map(|s| (s.to, s.kind))
        .collect();
    let target = framework.role(to.trim());
    let fields = target.map_or_else(Vec::new, |role| {
        role.expectations
            .iter()
            .map(|e| {
                let id = e.competency.to_string();
                EvidenceField {
                    name: framework
                        .competency(e.competency.as_str())
                        .map_or_else(|| id.clone(), |c| c.name.clone()),
                    expected: Level {
                        number: e.level,
                        name: framework
                            .competency(e.competency.as_str())
                            .and_then(|c| c.levels.get(e.level.saturating_sub(1) as usize))
                            .cloned()
                            .unwrap_or_default(),
                    },
                    text: texts.get(&id).cloned().unwrap_or_default(),
                    missing: error.is_some() && texts.get(&id).is_none_or(|t| t.trim().is_empty()),
                    competency: id,
                }
            })
            .collect()
    });
    let page = DraftPage {
        layout: viewer.layout.at("promotions"),
        person: (person.0, holder.name.clone()),
        current,
        targets,
        to: to.trim().to_owned(),
        to_title: target.map_or_else(String::new, |r| r.title.clone()),
        fields,
        error,
    };
    drop(org);
    render_form(&page, page.error.is_some())
}

/// `GET /people/{id}/promotions/new?to=ROLE`: the draft form (choose the
/// target first; its expectations become the evidence fields).
pub(crate) async fn new_draft(
    State(state): State<AppState>,
    viewer: Viewer,
    IdPath(id): IdPath<i64>,
    Query(query): Query<DraftQuery>,
) -> Result<Response, PageError> {
    draft_page(
        &state,
        &viewer,
        PersonId(id),
        &query.to,
        &BTreeMap::new(),
        None,
    )
    .await
}

/// The prefix of an evidence field's name; the rest is the competency id.
const EVIDENCE: &str = "evidence-";

/// `POST /people/{id}/promotions`: drafts the proposal; a refusal shows the
/// form again with the domain's message and everything typed (422).
pub(crate) async fn draft(
    State(state): State<AppState>,
    viewer: Viewer,
    IdPath(id): IdPath<i64>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let person = PersonId(id);
    {
        let org = state.org().await?;
        may_propose(&state, &viewer, &org, person)?;
    }
    let mut to = String::new();
    let mut texts = BTreeMap::new();
    for (name, value) in fields {
        if name == "to_role" {
            to = value;
        } else if let Some(competency) = name.strip_prefix(EVIDENCE) {
            texts.insert(competency.to_owned(), value);
        }
    }
    let drafted = match RoleId::parse(to.trim()) {
        Err(_) => Err(ApiError::Rule {
            code: "unknown_role",
            message: "choose the role to propose".to_owned(),
        }),
        Ok(to_role) => {
            // Evidence only for the target's competencies: fields of another
            // role (a changed choice) are dropped rather than refused.
            let framework = state.framework();
            let expected = framework.role(to_role.as_str()).map(|r| {
                r.expectations
                    .iter()
                    .map(|e| e.competency.clone())
                    .collect::<Vec<_>>()
            });
            let evidence: BTreeMap<CompetencyId, String> = texts
                .iter()
                .filter_map(|(c, text)| Some((CompetencyId::parse(c).ok()?, text.clone())))
                .filter(|(c, _)| expected.as_ref().is_none_or(|e| e.contains(c)))
                .collect();
            state
                .store()
                .draft_proposal(&framework, viewer.user.actor(), person, to_role, evidence)
                .await
                .map_err(ApiError::from)
        }
    };
    match drafted {
        Ok(proposal) => Ok(see_other(&format!("/promotions/{}", proposal.id.0))),
        Err(error) if error.status().as_u16() == 422 => {
            let message = match &error {
                ApiError::Rule {
                    code: "missing_evidence",
                    ..
                } => missing_evidence(&state.framework(), &to, &texts),
                _ => None,
            }
            .unwrap_or_else(|| refusal(&error));
            draft_page(&state, &viewer, person, &to, &texts, Some(message)).await
        }
        Err(error) => Err(error.into()),
    }
}

/// The domain's `missing_evidence` refusal in the framework's competency
/// names rather than ids.
fn missing_evidence(
    framework: &Framework,
    to: &str,
    texts: &BTreeMap<String, String>,
) -> Option<String> {
    let role = framework.role(to.trim())?;
    let names: Vec<String> = role
        .expectations
        .iter()
        .filter(|e| {
            texts
                .get(e.competency.as_str())
                .is_none_or(|t| t.trim().is_empty())
        })
        .map(|e| {
            framework
                .competency(e.competency.as_str())
                .map_or_else(|| e.competency.to_string(), |c| c.name.clone())
        })
        .collect();
    (!names.is_empty()).then(|| format!("Evidence is missing for: {}.", names.join(", ")))
}

/// Evidence for one competency against the target's expectation.
#[derive(Debug)]
struct EvidenceRow {
    name: String,
    expected: Option<Level>,
    text: String,
}

/// The decision form's fields, as typed (kept when refused).
#[derive(Debug, Deserialize)]
pub(crate) struct DecisionForm {
    #[serde(default)]
    decision: String,
    #[serde(default)]
    comment: String,
    #[serde(default)]
    effective_date: String,
}

#[derive(Template)]
#[template(path = "promotion.html")]
struct ProposalPage {
    layout: Layout,
    id: i64,
    person: (i64, String),
    proposer: (i64, String),
    from: RoleName,
    to: RoleName,
    status: &'static str,
    created_on: String,
    evidence: Vec<EvidenceRow>,
    decided_by: Option<String>,
    decided_on: Option<String>,
    comment: Option<String>,
    may_decide: bool,
    form: DecisionForm,
    error: Option<String>,
    /// What a decider weighs besides the evidence, for those who may read
    /// the person's reviews; `None` hides it.
    context: Option<Context>,
}

/// The person's standing toward the proposed role.
#[derive(Debug)]
struct Context {
    /// How long they have held their role, in words, and since when.
    in_role: String,
    since: String,
    /// Their latest review, `(id, cycle, rating)`, as the viewer may read it.
    latest_review: Option<(i64, String, String)>,
    /// The target's expectations against their last assessed levels.
    gaps: Vec<GapRow>,
    /// Whether the gaps are measured against a signed review at all.
    assessed: bool,
}

/// One competency of the target role against the last assessment.
#[derive(Debug)]
struct GapRow {
    name: String,
    expected: u32,
    assessed: Option<u32>,
    short: bool,
}

/// The decider's context for `proposal`, when the viewer may read the
/// person's reviews (the same rule as the person page's reviews).
async fn context(
    state: &AppState,
    viewer: &Viewer,
    proposal: &Proposal,
) -> Result<Option<Context>, PageError> {
    let Some(reviews) = crate::reviews::of_person(state, viewer, proposal.person).await? else {
        return Ok(None);
    };
    let framework = state.framework();
    let plan = state
        .store()
        .growth_plan(&framework, proposal.person)
        .await
        .map_err(ApiError::from)?;
    let org = state.org().await?;
    let Some(person) = org.person(proposal.person) else {
        return Ok(None);
    };
    let since = crate::people::role_since(&org, person);
    let target = framework.role(proposal.to_role.as_str());
    let step = plan
        .as_ref()
        .and_then(|plan| plan.steps.iter().find(|s| s.to == proposal.to_role));
    let assessed_levels: BTreeMap<&CompetencyId, Option<u32>> = step
        .map(|s| s.gaps.iter().map(|g| (&g.competency, g.assessed)).collect())
        .unwrap_or_default();
    let gaps = target
        .map(|t| {
            t.expectations
                .iter()
                .map(|e| {
                    // A competency missing from the gaps meets the target.
                    let assessed = assessed_levels
                        .get(&e.competency)
                        .copied()
                        .unwrap_or(Some(e.level));
                    GapRow {
                        name: framework
                            .competency(e.competency.as_str())
                            .map_or_else(|| e.competency.to_string(), |c| c.name.clone()),
                        expected: e.level,
                        assessed,
                        short: assessed.is_none_or(|a| a < e.level),
                    }
                })
                .collect()
        })
        .unwrap_or_default();
    Ok(Some(Context {
        in_role: crate::people::duration_words(since, Utc::now().date_naive()),
        since: since.to_string(),
        latest_review: reviews
            .first()
            .map(|r| (r.id, r.cycle.clone(), r.rating.clone())),
        gaps,
        assessed: plan.is_some_and(|p| p.based_on.is_some()),
    }))
}

/// The proposal `id` if the viewer may read it (the person's records, or
/// its proposer); 404 otherwise, as for an unknown one.
async fn readable(state: &AppState, viewer: &Viewer, id: i64) -> Result<Proposal, PageError> {
    let unknown = || ApiError::not_found("unknown_proposal", format!("there is no proposal #{id}"));
    let proposal = state
        .store()
        .proposal(ProposalId(id))
        .await
        .map_err(ApiError::from)?
        .ok_or_else(unknown)?;
    let org = state.org().await?;
    viewer
        .user
        .view(
            &org,
            &Resource::Assessment {
                subject: proposal.person,
                author: proposal.proposer,
            },
        )
        .map_err(|e| match e {
            ApiError::NotFound { .. } => unknown(),
            other => other,
        })?;
    Ok(proposal)
}

async fn proposal_page(
    state: &AppState,
    viewer: &Viewer,
    id: i64,
    form: Option<DecisionForm>,
    error: Option<String>,
) -> Result<Response, PageError> {
    let proposal = readable(state, viewer, id).await?;
    let context = context(state, viewer, &proposal).await?;
    let framework = state.framework();
    let org = state.org().await?;
    let may_decide = proposal.status == ProposalStatus::Pending
        && viewer
            .user
            .act(
                &org,
                &framework,
                &Action::DecidePromotion {
                    person: proposal.person,
                    proposer: proposal.proposer,
                },
                "decide",
            )
            .is_ok();
    let target = framework.role(proposal.to_role.as_str());
    let rank = |c: &CompetencyId| {
        target
            .and_then(|t| t.expectations.iter().position(|e| &e.competency == c))
            .unwrap_or(usize::MAX)
    };
    let mut ordered: Vec<_> = proposal.evidence.iter().collect();
    ordered.sort_by_key(|(c, _)| rank(c));
    let evidence = ordered
        .into_iter()
        .map(|(c, text)| {
            let competency = framework.competency(c.as_str());
            EvidenceRow {
                name: competency.map_or_else(|| c.to_string(), |c| c.name.clone()),
                expected: target.and_then(|t| t.expectation(c)).map(|n| Level {
                    number: n,
                    name: competency
                        .and_then(|c| c.levels.get(n.saturating_sub(1) as usize))
                        .cloned()
                        .unwrap_or_default(),
                }),
                text: text.clone(),
            }
        })
        .collect();
    let page = ProposalPage {
        layout: viewer.layout.at("promotions"),
        id,
        person: person_name(&org, proposal.person),
        proposer: person_name(&org, proposal.proposer),
        from: role_name(&framework, &proposal.from_role),
        to: role_name(&framework, &proposal.to_role),
        status: proposal.status.as_str(),
        created_on: proposal.created_on.to_string(),
        evidence,
        decided_by: proposal.decided_on.map(|_| {
            proposal
                .decided_by
                .map_or_else(|| "an administrator".to_owned(), |p| person_name(&org, p).1)
        }),
        decided_on: proposal.decided_on.map(|d| d.to_string()),
        comment: proposal.comment.clone(),
        may_decide,
        form: form.unwrap_or_else(|| DecisionForm {
            decision: String::new(),
            comment: String::new(),
            effective_date: Utc::now().date_naive().to_string(),
        }),
        error,
        context,
    };
    drop(org);
    render_form(&page, page.error.is_some())
}

/// `GET /promotions/{id}`.
pub(crate) async fn show(
    State(state): State<AppState>,
    viewer: Viewer,
    IdPath(id): IdPath<i64>,
) -> Result<Response, PageError> {
    proposal_page(&state, &viewer, id, None, None).await
}

impl DecisionForm {
    fn parse(&self) -> Result<Decision, String> {
        match self.decision.as_str() {
            "approve" => {
                let effective_date = match self.effective_date.trim() {
                    "" => Utc::now().date_naive(),
                    raw => NaiveDate::parse_from_str(raw, "%Y-%m-%d").map_err(|_| {
                        "The new role's first day must be a date (YYYY-MM-DD).".to_owned()
                    })?,
                };
                Ok(Decision::Approve {
                    comment: Some(self.comment.clone()),
                    effective_date,
                })
            }
            "reject" => Ok(Decision::Reject {
                comment: self.comment.clone(),
            }),
            _ => Err("Choose to approve or to reject.".to_owned()),
        }
    }
}

/// `POST /promotions/{id}/decision`: approves (the role changes) or rejects;
/// a refusal shows the page again with the message and the comment kept (422).
pub(crate) async fn decide(
    State(state): State<AppState>,
    viewer: Viewer,
    IdPath(id): IdPath<i64>,
    Form(form): Form<DecisionForm>,
) -> Result<Response, PageError> {
    readable(&state, &viewer, id).await?;
    let decided = match form.parse() {
        Ok(decision) => state
            .decide_proposal(viewer.user.actor(), ProposalId(id), decision)
            .await
            .map(|_| ()),
        Err(message) => Err(ApiError::Rule {
            code: "invalid_decision",
            message,
        }),
    };
    match decided {
        Ok(()) => Ok(see_other(&format!("/promotions/{id}"))),
        Err(error) if error.status().as_u16() == 422 => {
            let message = refusal(&error);
            proposal_page(&state, &viewer, id, Some(form), Some(message)).await
        }
        Err(error) => Err(error.into()),
    }
}
