//! Growth plans: for each next role a person can move to (the framework's
//! `next_steps`), the competencies where their latest assessment falls short
//! of the target role's expectation, with the gap; and the goals the person
//! and their manager set, each done or not.
//!
//! "Latest assessment" is the manager side of the person's latest review
//! signed by both (latest cycle period end, then highest review id): a
//! signed review is the only assessment both agreed to. With none, every
//! expectation of the target is an unknown gap; a competency the assessment
//! did not cover (the old role did not expect it) is an unknown gap too.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use climb_framework::{CompetencyId, Framework, RoleId, TransitionKind, graph};
use climb_people::PersonId;
use serde::{Deserialize, Serialize};

use crate::review::{Review, ReviewId};

/// How far one competency is from the target role's expectation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Gap {
    /// The competency.
    pub competency: CompetencyId,
    /// The level the target role expects.
    pub expected: u32,
    /// The level last assessed, if it was.
    pub assessed: Option<u32>,
    /// `expected - assessed`, or `None` when unknown.
    pub gap: Option<u32>,
}

/// The gaps toward one next role.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Step {
    /// The role one transition away.
    pub to: RoleId,
    /// Promotion or lateral move.
    pub kind: TransitionKind,
    /// Whether the last assessment meets every expectation of the target.
    pub competencies_met: bool,
    /// The competencies below (or not known to meet) the target's level, in
    /// the target's expectation order.
    pub gaps: Vec<Gap>,
}

/// A person's growth plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GrowthPlan {
    /// Whose plan.
    pub person: PersonId,
    /// Their current role.
    pub role: RoleId,
    /// The review whose manager assessment the gaps are measured against.
    pub based_on: Option<ReviewId>,
    /// One entry per next role, promotions first.
    pub steps: Vec<Step>,
}

/// The levels a person was last assessed at: the manager side of their
/// latest review signed by both. `reviews` are that person's reviews with
/// their cycle's period end; returns the review id and its levels.
pub fn latest_assessment<'a>(
    reviews: impl IntoIterator<Item = (&'a Review, NaiveDate)>,
) -> Option<(ReviewId, BTreeMap<CompetencyId, u32>)> {
    reviews
        .into_iter()
        .filter(|(r, _)| r.is_signed())
        .max_by_key(|(r, end)| (*end, r.id))
        .map(|(r, _)| {
            let levels = r
                .manager
                .competencies
                .iter()
                .map(|(c, rated)| (c.clone(), rated.level))
                .collect();
            (r.id, levels)
        })
}

/// The growth plan of `person` holding `role`, measured against `latest`
/// (see [`latest_assessment`]). Next steps into hire-only roles are skipped:
/// no move leads there.
pub fn growth_plan(
    framework: &Framework,
    person: PersonId,
    role: &RoleId,
    latest: Option<&(ReviewId, BTreeMap<CompetencyId, u32>)>,
) -> GrowthPlan {
    let steps = graph::next_steps(framework, role.as_str())
        .into_iter()
        .filter_map(|t| framework.role(t.to.as_str()).map(|target| (t, target)))
        .filter(|(_, target)| !target.hire_only)
        .map(|(t, target)| {
            let gaps: Vec<Gap> = target
                .expectations
                .iter()
                .filter_map(|e| {
                    let assessed =
                        latest.and_then(|(_, levels)| levels.get(&e.competency).copied());
                    match assessed {
                        Some(level) if level >= e.level => None,
                        Some(level) => Some(Gap {
                            competency: e.competency.clone(),
                            expected: e.level,
                            assessed: Some(level),
                            gap: Some(e.level - level),
                        }),
                        None => Some(Gap {
                            competency: e.competency.clone(),
                            expected: e.level,
                            assessed: None,
                            gap: None,
                        }),
                    }
                })
                .collect();
            Step {
                to: t.to.clone(),
                kind: t.kind,
                competencies_met: gaps.is_empty(),
                gaps,
            }
        })
        .collect();
    GrowthPlan {
        person,
        role: role.clone(),
        based_on: latest.map(|(id, _)| *id),
        steps,
    }
}

/// A goal's database id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct GoalId(pub i64);

/// A goal on a person's growth plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Goal {
    /// Its id.
    pub id: GoalId,
    /// Whose plan.
    pub person: PersonId,
    /// Who added it (the person or their manager).
    pub author: PersonId,
    /// What to do.
    pub text: String,
    /// The competency it works on, if any.
    pub competency: Option<CompetencyId>,
    /// When it should be done by.
    pub target_date: Option<NaiveDate>,
    /// The day it was added.
    pub created_on: NaiveDate,
    /// The day it was marked done.
    pub done_on: Option<NaiveDate>,
}

/// Why a goal was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GoalError {
    /// `invalid_goal`: blank or overlong text.
    #[error("a goal needs a text of 1 to 1000 characters, without NUL")]
    InvalidText,
    /// `unknown_competency`: the framework has no such competency.
    #[error("the framework has no competency `{0}`")]
    UnknownCompetency(String),
    /// `goal_done`: the goal is already done.
    #[error("this goal is already done")]
    AlreadyDone,
}

impl GoalError {
    /// The stable code clients match on.
    pub fn code(&self) -> &'static str {
        match self {
            Self::InvalidText => "invalid_goal",
            Self::UnknownCompetency(_) => "unknown_competency",
            Self::AlreadyDone => "goal_done",
        }
    }
}

/// What is asked for when adding a goal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewGoal {
    /// What to do.
    pub text: String,
    /// The competency it works on.
    pub competency: Option<CompetencyId>,
    /// When it should be done by.
    pub target_date: Option<NaiveDate>,
}

/// A new goal for `person` by `author` with the id the store reserved;
/// fails on blank text or an unknown competency.
pub fn add_goal(
    framework: &Framework,
    id: GoalId,
    person: PersonId,
    author: PersonId,
    request: NewGoal,
    today: NaiveDate,
) -> Result<Goal, GoalError> {
    let text = request.text.trim().to_owned();
    if text.is_empty() || text.contains('\0') || text.chars().count() > 1000 {
        return Err(GoalError::InvalidText);
    }
    if let Some(c) = &request.competency
        && framework.competency(c.as_str()).is_none()
    {
        return Err(GoalError::UnknownCompetency(c.to_string()));
    }
    Ok(Goal {
        id,
        person,
        author,
        text,
        competency: request.competency,
        target_date: request.target_date,
        created_on: today,
        done_on: None,
    })
}

/// The goal marked done on `today`; fails when it already is.
pub fn complete_goal(goal: &Goal, today: NaiveDate) -> Result<Goal, GoalError> {
    if goal.done_on.is_some() {
        return Err(GoalError::AlreadyDone);
    }
    Ok(Goal {
        done_on: Some(today),
        ..goal.clone()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::review::{Assessment, CycleId, Rated};
    use crate::testkit::{competency, day, fw, role};

    fn signed(id: i64, levels: &[(&str, u32)]) -> Review {
        let competencies = levels
            .iter()
            .map(|(c, l)| {
                (
                    competency(c),
                    Rated {
                        level: *l,
                        evidence: "seen".to_owned(),
                    },
                )
            })
            .collect();
        Review {
            id: ReviewId(id),
            cycle: CycleId(1),
            person: PersonId(5),
            role: role("software-engineer"),
            expected: BTreeMap::new(),
            own: Assessment {
                signed_on: Some(day("2026-07-01")),
                ..Assessment::default()
            },
            manager: Assessment {
                author: Some(PersonId(3)),
                competencies,
                signed_on: Some(day("2026-07-02")),
            },
            rating: None,
        }
    }

    #[test]
    fn without_an_assessment_every_expectation_of_the_next_role_is_an_unknown_gap() {
        let plan = growth_plan(fw(), PersonId(5), &role("software-engineer"), None);
        assert_eq!(plan.based_on, None);
        let senior = &plan.steps[0];
        assert_eq!(senior.to.as_str(), "senior-software-engineer");
        assert_eq!(senior.gaps.len(), 6);
        assert!(
            senior
                .gaps
                .iter()
                .all(|g| g.assessed.is_none() && g.gap.is_none())
        );
    }

    #[test]
    fn gaps_are_the_competencies_assessed_below_the_target_level() {
        let review = signed(
            7,
            &[
                ("technical-skill", 3),
                ("delivery", 2),
                ("impact", 2),
                ("mentorship", 1),
                ("communication", 3),
                ("leadership", 2),
            ],
        );
        let latest = latest_assessment([(&review, day("2026-06-30"))]);
        let plan = growth_plan(
            fw(),
            PersonId(5),
            &role("software-engineer"),
            latest.as_ref(),
        );
        assert_eq!(plan.based_on, Some(ReviewId(7)));
        let senior = &plan.steps[0];
        // Senior expects technical 3, delivery 3, impact 2, mentorship 2, communication 3, leadership 2.
        let gaps: Vec<_> = senior
            .gaps
            .iter()
            .map(|g| (g.competency.as_str(), g.gap))
            .collect();
        assert_eq!(gaps, vec![("delivery", Some(1)), ("mentorship", Some(1))]);
        assert!(!senior.competencies_met);
    }

    #[test]
    fn the_latest_signed_review_wins_and_unsigned_ones_are_ignored() {
        let old = signed(1, &[("delivery", 1)]);
        let new = signed(2, &[("delivery", 3)]);
        let mut draft = signed(3, &[("delivery", 5)]);
        draft.own.signed_on = None;
        let latest = latest_assessment([
            (&new, day("2026-06-30")),
            (&old, day("2025-12-31")),
            (&draft, day("2026-12-31")),
        ]);
        assert_eq!(latest.map(|(id, _)| id), Some(ReviewId(2)));
    }

    #[test]
    fn hire_only_next_roles_are_left_out() {
        let plan = growth_plan(fw(), PersonId(1), &role("vp-engineering"), None);
        assert!(plan.steps.iter().all(|s| s.to.as_str() != "cto"));
    }

    #[test]
    fn a_goal_needs_text_and_a_known_competency_and_is_done_once() {
        let new = |text: &str, c: Option<&str>| NewGoal {
            text: text.to_owned(),
            competency: c.map(competency),
            target_date: None,
        };
        let today = day("2026-07-01");
        let add = |g| add_goal(fw(), GoalId(1), PersonId(5), PersonId(3), g, today);
        assert_eq!(add(new("  ", None)), Err(GoalError::InvalidText));
        let goal = add(new(" Lead a design review ", Some("leadership"))).expect("added");
        assert_eq!(goal.text, "Lead a design review");
        let done = complete_goal(&goal, today).expect("done");
        assert_eq!(done.done_on, Some(today));
        assert_eq!(complete_goal(&done, today), Err(GoalError::AlreadyDone));
    }
}
