//! Promotion proposals: a manager drafts one for a report toward a role the
//! framework allows from the current role, with evidence for every
//! competency the target role expects; the manager's manager or HR approves
//! or rejects it with a comment. Approval is carried out as
//! [`climb_people::Command::ApplyPromotion`], so the people domain decides
//! the role change with its usual rules and records the proposal's id in
//! the person's history.
//!
//! Who may draft and decide is [`climb_people::policy`]'s
//! `ProposePromotion` / `DecidePromotion`; the transition rules
//! (`no_such_transition`, `hire_only_role`, …) are
//! [`climb_people::Org::check_transition`]'s, checked again on approval.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use climb_framework::{CompetencyId, Framework, RoleId};
use climb_people::{Command, Org, PeopleError, PersonId};
use serde::{Deserialize, Serialize};

use crate::review::MAX_TEXT;

/// A proposal's database id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ProposalId(pub i64);

/// Where a proposal stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProposalStatus {
    /// Waiting for a decision.
    Pending,
    /// Approved: the role changed.
    Approved,
    /// Rejected.
    Rejected,
}

impl ProposalStatus {
    /// The stable spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Approved => "approved",
            Self::Rejected => "rejected",
        }
    }

    /// The status of a stable spelling, if it is one.
    pub fn parse(text: &str) -> Option<Self> {
        [Self::Pending, Self::Approved, Self::Rejected]
            .into_iter()
            .find(|status| status.as_str() == text)
    }
}

/// A promotion (or lateral move) proposal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Proposal {
    /// Its id.
    pub id: ProposalId,
    /// Who would move.
    pub person: PersonId,
    /// Who drafted it.
    pub proposer: PersonId,
    /// The person's role when it was drafted.
    pub from_role: RoleId,
    /// The role proposed.
    pub to_role: RoleId,
    /// Evidence per competency the target role expects.
    pub evidence: BTreeMap<CompetencyId, String>,
    /// Pending, approved or rejected.
    pub status: ProposalStatus,
    /// The day it was drafted.
    pub created_on: NaiveDate,
    /// Who decided it (none for an administrator's account without a person).
    pub decided_by: Option<PersonId>,
    /// The day it was decided.
    pub decided_on: Option<NaiveDate>,
    /// The decider's comment.
    pub comment: Option<String>,
}

/// Why a proposal was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PromotionError {
    /// A rule of the people domain (`no_such_transition`, `hire_only_role`,
    /// `same_role`, `has_reports`, `unknown_role`, `person_left`, …).
    #[error(transparent)]
    People(#[from] PeopleError),
    /// `missing_evidence`: a competency the target expects has no evidence.
    #[error("evidence is missing for: {0}")]
    MissingEvidence(String),
    /// `text_too_long` or `invalid_text`: evidence or a comment over
    /// [`MAX_TEXT`] or holding NUL.
    #[error(transparent)]
    Text(climb_people::TextProblem),
    /// `unknown_competency`: evidence for a competency the target does not expect.
    #[error("`{0}` is not expected by the target role")]
    UnknownCompetency(String),
    /// `proposal_decided`: it was approved or rejected already.
    #[error("this proposal was already {0}")]
    AlreadyDecided(&'static str),
    /// `comment_required`: a rejection must say why.
    #[error("a rejection needs a comment")]
    CommentRequired,
    /// `proposal_outdated`: the person's role changed since it was drafted.
    #[error("the person no longer holds `{0}`, the role this proposal starts from")]
    Outdated(String),
}

impl PromotionError {
    /// The stable code clients match on.
    pub fn code(&self) -> &'static str {
        match self {
            Self::People(e) => e.code(),
            Self::MissingEvidence(_) => "missing_evidence",
            Self::Text(problem) => problem.code(),
            Self::UnknownCompetency(_) => "unknown_competency",
            Self::AlreadyDecided(_) => "proposal_decided",
            Self::CommentRequired => "comment_required",
            Self::Outdated(_) => "proposal_outdated",
        }
    }
}

/// Drafts a proposal for `person` toward `to_role`, by `proposer`, with the
/// id the store reserved. The move must be allowed by the framework from the
/// person's current role (checked by the people domain) and the evidence
/// must cover exactly the competencies the target role expects.
#[allow(clippy::too_many_arguments)]
pub fn draft(
    framework: &Framework,
    org: &Org,
    id: ProposalId,
    person: PersonId,
    proposer: PersonId,
    to_role: RoleId,
    evidence: BTreeMap<CompetencyId, String>,
    today: NaiveDate,
) -> Result<Proposal, PromotionError> {
    org.check_transition(framework, person, &to_role)?;
    let from_role = org
        .person(person)
        .map(|p| p.role.clone())
        .ok_or(PeopleError::UnknownPerson { person })?;
    let target = framework
        .role(to_role.as_str())
        .ok_or_else(|| PeopleError::UnknownRole {
            role: to_role.to_string(),
        })?;
    if let Some(extra) = evidence.keys().find(|c| target.expectation(c).is_none()) {
        return Err(PromotionError::UnknownCompetency(extra.to_string()));
    }
    let mut given = BTreeMap::new();
    for (competency, text) in evidence {
        let text = text.trim();
        climb_people::check_text(&format!("the evidence for `{competency}`"), text, MAX_TEXT)
            .map_err(PromotionError::Text)?;
        if !text.is_empty() {
            given.insert(competency, text.to_owned());
        }
    }
    let missing: Vec<&str> = target
        .expectations
        .iter()
        .filter(|e| !given.contains_key(&e.competency))
        .map(|e| e.competency.as_str())
        .collect();
    if !missing.is_empty() {
        return Err(PromotionError::MissingEvidence(missing.join(", ")));
    }
    Ok(Proposal {
        id,
        person,
        proposer,
        from_role,
        to_role,
        evidence: given,
        status: ProposalStatus::Pending,
        created_on: today,
        decided_by: None,
        decided_on: None,
        comment: None,
    })
}

/// Rejects a pending proposal with a comment.
pub fn reject(
    proposal: &Proposal,
    by: Option<PersonId>,
    comment: &str,
    today: NaiveDate,
) -> Result<Proposal, PromotionError> {
    pending(proposal)?;
    let comment = comment.trim();
    if comment.is_empty() {
        return Err(PromotionError::CommentRequired);
    }
    climb_people::check_text("the comment", comment, MAX_TEXT).map_err(PromotionError::Text)?;
    Ok(Proposal {
        status: ProposalStatus::Rejected,
        decided_by: by,
        decided_on: Some(today),
        comment: Some(comment.to_owned()),
        ..proposal.clone()
    })
}

/// Approves a pending proposal: returns the proposal after it and the
/// command that performs the role change from `effective_date`. The caller
/// runs the command through [`Org::decide`] (which checks the approver's
/// right and the transition again) and persists both in one transaction.
pub fn approve(
    org: &Org,
    proposal: &Proposal,
    by: Option<PersonId>,
    comment: Option<&str>,
    effective_date: NaiveDate,
    today: NaiveDate,
) -> Result<(Proposal, Command), PromotionError> {
    pending(proposal)?;
    let person = org
        .person(proposal.person)
        .ok_or(PeopleError::UnknownPerson {
            person: proposal.person,
        })?;
    if person.role != proposal.from_role {
        return Err(PromotionError::Outdated(proposal.from_role.to_string()));
    }
    let comment = comment.map(str::trim).filter(|c| !c.is_empty());
    if let Some(comment) = comment {
        climb_people::check_text("the comment", comment, MAX_TEXT).map_err(PromotionError::Text)?;
    }
    let comment = comment.map(str::to_owned);
    let approved = Proposal {
        status: ProposalStatus::Approved,
        decided_by: by,
        decided_on: Some(today),
        comment,
        ..proposal.clone()
    };
    let command = Command::ApplyPromotion {
        person: proposal.person,
        to_role: proposal.to_role.clone(),
        effective_date,
        proposal: proposal.id.0,
        proposer: proposal.proposer,
    };
    Ok((approved, command))
}

fn pending(proposal: &Proposal) -> Result<(), PromotionError> {
    match proposal.status {
        ProposalStatus::Pending => Ok(()),
        other => Err(PromotionError::AlreadyDecided(other.as_str())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::{company, competency, day, fw, role};
    use climb_people::{Actor, Change};

    fn evidence_for(role_id: &str) -> BTreeMap<CompetencyId, String> {
        fw().role(role_id)
            .expect("role")
            .expectations
            .iter()
            .map(|e| (e.competency.clone(), format!("shows {}", e.competency)))
            .collect()
    }

    fn propose(
        org: &Org,
        person: PersonId,
        em: PersonId,
        to: &str,
    ) -> Result<Proposal, PromotionError> {
        draft(
            fw(),
            org,
            ProposalId(1),
            person,
            em,
            role(to),
            evidence_for(to),
            day("2026-07-01"),
        )
    }

    #[test]
    fn a_proposal_must_follow_a_transition_and_never_lead_into_a_hire_only_role() {
        let (org, [_, vp, em, alice, bob]) = company();
        assert!(propose(&org, bob, em, "senior-software-engineer").is_ok());
        let skip = propose(&org, bob, em, "principal-software-engineer");
        assert_eq!(
            skip.map_err(|e| e.code()).map(|_| ()),
            Err("no_such_transition")
        );
        let cto = propose(&org, vp, em, "cto");
        assert_eq!(cto.map_err(|e| e.code()).map(|_| ()), Err("hire_only_role"));
        let _ = alice;
    }

    #[test]
    fn every_expected_competency_of_the_target_needs_evidence() {
        let (org, [_, _, em, _, bob]) = company();
        let mut evidence = evidence_for("senior-software-engineer");
        evidence.insert(competency("delivery"), "   ".to_owned());
        let err = draft(
            fw(),
            &org,
            ProposalId(1),
            bob,
            em,
            role("senior-software-engineer"),
            evidence,
            day("2026-07-01"),
        );
        assert_eq!(
            err,
            Err(PromotionError::MissingEvidence("delivery".to_owned()))
        );
    }

    #[test]
    fn approval_gives_the_command_the_people_domain_carries_out_with_the_link() {
        let (org, [_, vp, em, _, bob]) = company();
        let proposal = propose(&org, bob, em, "senior-software-engineer").expect("drafted");
        let (approved, command) = approve(
            &org,
            &proposal,
            Some(vp),
            Some(" well earned "),
            day("2026-07-02"),
            day("2026-07-02"),
        )
        .expect("approved");
        assert_eq!(approved.status, ProposalStatus::Approved);
        assert_eq!(approved.comment.as_deref(), Some("well earned"));
        let changes = org
            .decide(fw(), Actor::employee(vp), command.clone())
            .expect("decided");
        let [Change::RoleChanged { change }] = changes.as_slice() else {
            panic!("one role change expected, got {changes:?}");
        };
        assert_eq!(change.proposal, Some(1));
        assert_eq!(change.to.as_str(), "senior-software-engineer");
        // The proposer cannot approve their own proposal through the command.
        let own = org.decide(fw(), Actor::employee(em), command);
        assert_eq!(own.map_err(|e| e.code()).map(|_| ()), Err("forbidden"));
        assert_eq!(
            approve(
                &org,
                &approved,
                Some(vp),
                None,
                day("2026-07-03"),
                day("2026-07-03")
            )
            .map(|_| ())
            .map_err(|e| e.code()),
            Err("proposal_decided")
        );
    }

    #[test]
    fn a_rejection_needs_a_comment() {
        let (org, [_, vp, em, _, bob]) = company();
        let proposal = propose(&org, bob, em, "senior-software-engineer").expect("drafted");
        assert_eq!(
            reject(&proposal, Some(vp), " ", day("2026-07-02")),
            Err(PromotionError::CommentRequired)
        );
        let rejected = reject(&proposal, Some(vp), "not yet", day("2026-07-02")).expect("rejected");
        assert_eq!(rejected.status, ProposalStatus::Rejected);
    }
}
