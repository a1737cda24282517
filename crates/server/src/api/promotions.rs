//! Promotion proposals: drafted by a person's direct manager (or HR) toward
//! a role the framework allows, with evidence per competency the target
//! expects; approved or rejected by the proposer's manager or HR. Approval
//! changes the role in the same transaction, and the history entry links
//! the proposal. Readable by whoever sees the person's records and by the
//! proposer.

use std::collections::BTreeMap;

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::NaiveDate;
use climb_framework::CompetencyId;
use climb_management::promotion::{Proposal, ProposalId};
use climb_people::PersonId;
use climb_people::policy::Resource;
use climb_store::Decision;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::api::{role_id, today};
use crate::auth::Authenticated;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{ApiJson, ApiPath};
use crate::state::AppState;

pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(person_proposals, draft_proposal))
        .routes(routes!(get_proposal))
        .routes(routes!(approve_proposal))
        .routes(routes!(reject_proposal))
}

/// A promotion proposal.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProposalView {
    /// Id.
    pub id: i64,
    /// Who would move.
    pub person: i64,
    /// Who drafted it.
    pub proposer: i64,
    /// The person's role when drafted.
    pub from_role: String,
    /// The role proposed.
    pub to_role: String,
    /// Evidence per competency id the target role expects.
    pub evidence: BTreeMap<String, String>,
    /// `pending`, `approved` or `rejected`.
    #[schema(example = "pending")]
    pub status: String,
    /// The day it was drafted.
    pub created_on: NaiveDate,
    /// Who decided it.
    pub decided_by: Option<i64>,
    /// The day it was decided.
    pub decided_on: Option<NaiveDate>,
    /// The decider's comment.
    pub comment: Option<String>,
}

pub(crate) fn proposal_view(p: &Proposal) -> ProposalView {
    ProposalView {
        id: p.id.0,
        person: p.person.0,
        proposer: p.proposer.0,
        from_role: p.from_role.to_string(),
        to_role: p.to_role.to_string(),
        evidence: p
            .evidence
            .iter()
            .map(|(c, t)| (c.to_string(), t.clone()))
            .collect(),
        status: p.status.as_str().to_owned(),
        created_on: p.created_on,
        decided_by: p.decided_by.map(|d| d.0),
        decided_on: p.decided_on,
        comment: p.comment.clone(),
    }
}

/// A person's proposals.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProposalList {
    /// Newest first.
    pub proposals: Vec<ProposalView>,
}

/// The proposals about a person (their records: the person, their
/// management chain, HR, administrators).
#[utoipa::path(
    get,
    path = "/api/v1/people/{id}/promotion-proposals",
    tag = "promotions",
    params(("id" = i64, Path, description = "Person id")),
    responses(
        (status = 200, description = "The proposals", body = ProposalList),
        (status = 400, description = "Malformed id", body = ErrorBody),
        (status = 401, description = "No or bad token", body = ErrorBody),
        (status = 403, description = "Not yours to see", body = ErrorBody),
        (status = 404, description = "No such person", body = ErrorBody),
    )
)]
pub(crate) async fn person_proposals(
    State(state): State<AppState>,
    user: Authenticated,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<ProposalList>, ApiError> {
    let id = PersonId(id);
    {
        let org = state.org().await?;
        user.view(&org, &Resource::Person(id))?;
        user.view(&org, &Resource::Records(id))?;
    }
    let proposals = state.store().person_proposals(id).await?;
    Ok(Json(ProposalList {
        proposals: proposals.iter().map(proposal_view).collect(),
    }))
}

/// A proposal to draft.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProposalRequest {
    /// The role proposed: one transition away from the current role.
    pub to_role: String,
    /// Evidence (not blank) for every competency id the target role expects.
    pub evidence: BTreeMap<String, String>,
}

/// Drafts a promotion proposal for a report (their direct manager, HR or
/// administrators).
#[utoipa::path(
    post,
    path = "/api/v1/people/{id}/promotion-proposals",
    tag = "promotions",
    params(("id" = i64, Path, description = "Person id")),
    request_body = ProposalRequest,
    responses(
        (status = 201, description = "Drafted", body = ProposalView),
        (status = 400, description = "Malformed body", body = ErrorBody),
        (status = 401, description = "No or bad token", body = ErrorBody),
        (status = 403, description = "Only the direct manager, HR or administrators", body = ErrorBody),
        (status = 404, description = "No such person or role", body = ErrorBody),
        (status = 413, description = "Body over 1 MiB", body = ErrorBody),
        (status = 422, description = "`no_such_transition`, `hire_only_role`, `same_role`, `missing_evidence`, `unknown_competency`", body = ErrorBody),
    )
)]
pub(crate) async fn draft_proposal(
    State(state): State<AppState>,
    user: Authenticated,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<ProposalRequest>,
) -> Result<(StatusCode, Json<ProposalView>), ApiError> {
    let id = PersonId(id);
    {
        let org = state.org().await?;
        user.view(&org, &Resource::Person(id))?;
    }
    let to_role = role_id(&body.to_role)?;
    let mut evidence = BTreeMap::new();
    for (raw, text) in body.evidence {
        let competency = CompetencyId::parse(&raw).map_err(|_| ApiError::Rule {
            code: "unknown_competency",
            message: format!("`{raw}` is not expected by the target role"),
        })?;
        evidence.insert(competency, text);
    }
    let proposal = state
        .store()
        .draft_proposal(&state.framework(), user.actor(), id, to_role, evidence)
        .await?;
    Ok((StatusCode::CREATED, Json(proposal_view(&proposal))))
}

async fn readable(state: &AppState, user: &Authenticated, id: i64) -> Result<Proposal, ApiError> {
    let proposal = state
        .store()
        .proposal(ProposalId(id))
        .await?
        .ok_or_else(|| {
            ApiError::not_found("unknown_proposal", format!("there is no proposal #{id}"))
        })?;
    let org = state.org().await?;
    user.view(
        &org,
        &Resource::Assessment {
            subject: proposal.person,
            author: proposal.proposer,
        },
    )
    .map_err(|e| match e {
        ApiError::NotFound { .. } => {
            ApiError::not_found("unknown_proposal", format!("there is no proposal #{id}"))
        }
        other => other,
    })?;
    Ok(proposal)
}

/// One proposal (the person's records, or its proposer).
#[utoipa::path(
    get,
    path = "/api/v1/promotion-proposals/{id}",
    tag = "promotions",
    params(("id" = i64, Path, description = "Proposal id")),
    responses(
        (status = 200, description = "The proposal", body = ProposalView),
        (status = 400, description = "Malformed id", body = ErrorBody),
        (status = 401, description = "No or bad token", body = ErrorBody),
        (status = 403, description = "Not yours to see", body = ErrorBody),
        (status = 404, description = "`unknown_proposal`", body = ErrorBody),
    )
)]
pub(crate) async fn get_proposal(
    State(state): State<AppState>,
    user: Authenticated,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<ProposalView>, ApiError> {
    Ok(Json(proposal_view(&readable(&state, &user, id).await?)))
}

/// An approval.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ApproveRequest {
    /// Optional comment.
    #[serde(default)]
    pub comment: Option<String>,
    /// The new role's first day (default: today).
    #[serde(default)]
    pub effective_date: Option<NaiveDate>,
}

/// Approves a pending proposal (the proposer's manager, HR or
/// administrators): the person's role changes, with the proposal linked in
/// their history.
#[utoipa::path(
    post,
    path = "/api/v1/promotion-proposals/{id}/approve",
    tag = "promotions",
    params(("id" = i64, Path, description = "Proposal id")),
    request_body = ApproveRequest,
    responses(
        (status = 200, description = "Approved", body = ProposalView),
        (status = 400, description = "Malformed body", body = ErrorBody),
        (status = 401, description = "No or bad token", body = ErrorBody),
        (status = 403, description = "Only the proposer's manager, HR or administrators", body = ErrorBody),
        (status = 404, description = "`unknown_proposal`", body = ErrorBody),
        (status = 413, description = "Body over 1 MiB", body = ErrorBody),
        (status = 422, description = "`proposal_decided`, `proposal_outdated`, `no_such_transition`, `date_out_of_order`, …", body = ErrorBody),
    )
)]
pub(crate) async fn approve_proposal(
    State(state): State<AppState>,
    user: Authenticated,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<ApproveRequest>,
) -> Result<Json<ProposalView>, ApiError> {
    readable(&state, &user, id).await?;
    let decision = Decision::Approve {
        comment: body.comment,
        effective_date: body.effective_date.unwrap_or_else(today),
    };
    let proposal = state
        .decide_proposal(user.actor(), ProposalId(id), decision)
        .await?;
    Ok(Json(proposal_view(&proposal)))
}

/// A rejection.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RejectRequest {
    /// Why (not blank).
    pub comment: String,
}

/// Rejects a pending proposal with a comment (the proposer's manager, HR or
/// administrators).
#[utoipa::path(
    post,
    path = "/api/v1/promotion-proposals/{id}/reject",
    tag = "promotions",
    params(("id" = i64, Path, description = "Proposal id")),
    request_body = RejectRequest,
    responses(
        (status = 200, description = "Rejected", body = ProposalView),
        (status = 400, description = "Malformed body", body = ErrorBody),
        (status = 401, description = "No or bad token", body = ErrorBody),
        (status = 403, description = "Only the proposer's manager, HR or administrators", body = ErrorBody),
        (status = 404, description = "`unknown_proposal`", body = ErrorBody),
        (status = 413, description = "Body over 1 MiB", body = ErrorBody),
        (status = 422, description = "`proposal_decided`, `comment_required`", body = ErrorBody),
    )
)]
pub(crate) async fn reject_proposal(
    State(state): State<AppState>,
    user: Authenticated,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<RejectRequest>,
) -> Result<Json<ProposalView>, ApiError> {
    readable(&state, &user, id).await?;
    let proposal = state
        .decide_proposal(
            user.actor(),
            ProposalId(id),
            Decision::Reject {
                comment: body.comment,
            },
        )
        .await?;
    Ok(Json(proposal_view(&proposal)))
}
