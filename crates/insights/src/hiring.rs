//! The hiring plan: people added each step, into named roles or spread
//! over the entry roles, and headcount targets that hiring tops up to.

use climb_framework::Framework;
use serde::{Deserialize, Serialize};

use crate::error::InsightsError;
use crate::window::Step;

/// The most hires into one role in one step; past it a plan is refused
/// (no company hires a million people a month, and it keeps counts far
/// from overflow).
pub(crate) const MAX_HIRES_PER_STEP: f64 = 1_000_000.0;

/// The largest headcount target accepted for one role.
pub(crate) const MAX_TARGET: u64 = 100_000_000;

/// Hires into one role at a steady pace.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Hires {
    /// The role hired into (any role; hire-only roles included).
    pub role: String,
    /// How many, on average (fractions allowed: 0.5 a month is one every
    /// two months on average).
    pub count: f64,
    /// Per month or per year, whatever the projection's step.
    pub per: Step,
}

/// A headcount that hiring fills: after each step's moves, leavers and
/// planned hires, a role below its target is hired up to it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Target {
    /// The role.
    pub role: String,
    /// The headcount to keep it at, at least.
    pub headcount: u64,
}

/// Who joins during the projection.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct HiringPlan {
    /// Steady hires per role (the same role may appear more than once; the
    /// paces add up).
    pub hires: Vec<Hires>,
    /// Headcount targets per role.
    pub targets: Vec<Target>,
}

impl HiringPlan {
    /// `count` hires per `per`, shared equally among the framework's entry
    /// roles. Fails when the framework marks no entry role.
    pub fn into_entry_roles(
        framework: &Framework,
        count: f64,
        per: Step,
    ) -> Result<Vec<Hires>, InsightsError> {
        let entry: Vec<_> = framework.roles().iter().filter(|r| r.entry).collect();
        if entry.is_empty() {
            return Err(InsightsError::NoEntryRoles);
        }
        let share = count / entry.len() as f64;
        Ok(entry
            .into_iter()
            .map(|role| Hires {
                role: role.id.to_string(),
                count: share,
                per,
            })
            .collect())
    }

    /// Hires per step and targets, per role in the framework's order.
    pub(crate) fn resolve(
        &self,
        framework: &Framework,
        step: Step,
    ) -> Result<ResolvedPlan, InsightsError> {
        let roles = framework.roles().len();
        let mut per_step = vec![0.0; roles];
        for hires in &self.hires {
            let role = framework
                .role_position(&hires.role)
                .ok_or_else(|| InsightsError::UnknownRole(hires.role.clone()))?;
            let count = hires.count * f64::from(step.months()) / f64::from(hires.per.months());
            per_step[role] += count;
            if !(count.is_finite() && count >= 0.0 && per_step[role] <= MAX_HIRES_PER_STEP) {
                return Err(InsightsError::InvalidHires {
                    role: hires.role.clone(),
                    value: count,
                });
            }
        }
        let mut targets = vec![None; roles];
        for target in &self.targets {
            let role = framework
                .role_position(&target.role)
                .ok_or_else(|| InsightsError::UnknownRole(target.role.clone()))?;
            if target.headcount > MAX_TARGET {
                return Err(InsightsError::InvalidTarget {
                    role: target.role.clone(),
                    headcount: target.headcount,
                });
            }
            targets[role] = Some(target.headcount);
        }
        Ok(ResolvedPlan { per_step, targets })
    }
}

/// A plan checked against a framework: one entry per role, in its order.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ResolvedPlan {
    /// Expected hires per step.
    pub(crate) per_step: Vec<f64>,
    /// The headcount hiring fills up to.
    pub(crate) targets: Vec<Option<u64>>,
}
