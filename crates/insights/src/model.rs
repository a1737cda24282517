//! The rates a projection runs on: the estimate's probabilities with the
//! what-ifs applied, checked so that every role's outflows leave a stay
//! probability from 0 to 1.

use std::collections::HashSet;

use climb_framework::{Framework, RoleId, TransitionKind};
use serde::{Deserialize, Serialize};

use crate::error::InsightsError;
use crate::estimate::{Estimate, ObservedRate};
use crate::window::Step;

/// A what-if probability for a move between two roles, per step.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MoveOverride {
    /// Role moved from.
    pub from: String,
    /// Role moved to; need not be connected by the framework.
    pub to: String,
    /// Probability per step, `0..=1`.
    pub probability: f64,
}

/// A what-if leaving probability for a role, per step.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LeaveOverride {
    /// The role.
    pub role: String,
    /// Probability per step, `0..=1`.
    pub probability: f64,
}

/// Rates to use instead of the estimated ones.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct WhatIf {
    /// Move probabilities, on framework transitions or between any two roles.
    pub moves: Vec<MoveOverride>,
    /// Leaving probabilities.
    pub leaving: Vec<LeaveOverride>,
}

/// Where a probability of the model comes from.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(tag = "source", rename_all = "snake_case")]
pub enum RateSource {
    /// Counted from the history.
    Estimated {
        /// Events and trials behind it, with the 90% interval.
        #[serde(flatten)]
        observed: ObservedRate,
    },
    /// Set by a what-if.
    WhatIf {
        /// What the history said, when the framework has the transition
        /// (or for leaving); `None` for a pair the framework does not connect.
        estimated: Option<ObservedRate>,
    },
}

/// A probability per step and where it comes from.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Rate {
    /// Probability per step.
    pub probability: f64,
    /// Estimated or set.
    #[serde(flatten)]
    pub source: RateSource,
}

/// One outflow of a role to another role.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MoveRate {
    /// The role moved to.
    pub to: RoleId,
    /// The framework's kind of move; `None` when off-graph.
    pub kind: Option<TransitionKind>,
    /// The framework does not connect the two roles (a what-if set it).
    pub off_graph: bool,
    /// The probability and its source.
    #[serde(flatten)]
    pub rate: Rate,
}

/// What happens each step to a holder of one role.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RoleRates {
    /// The role.
    pub role: RoleId,
    /// Moves to other roles: the framework's transitions in file order, then
    /// off-graph what-ifs in the order given.
    pub moves: Vec<MoveRate>,
    /// Leaving the company.
    pub leaving: Rate,
    /// Staying in the role: what remains.
    pub stay: f64,
}

/// The transition model of a projection: one row per framework role, in
/// file order, each a probability distribution over stay, moves and leaving.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Model {
    /// The step the probabilities are per.
    pub step: Step,
    /// One row per role of the framework, in file order.
    pub roles: Vec<RoleRates>,
}

/// Probabilities within one role's row may add up past 1 by rounding; past
/// this they are refused.
const SUM_TOLERANCE: f64 = 1e-9;

impl Model {
    /// The estimate's rates with the what-ifs applied.
    ///
    /// Fails on an unknown role, a probability outside `0..=1`, a rate from a
    /// role to itself or into a hire-only role, a rate set twice, or when a
    /// role's move and leaving probabilities add up past 1.
    pub fn new(
        framework: &Framework,
        estimate: &Estimate,
        what_if: &WhatIf,
    ) -> Result<Self, InsightsError> {
        let mut roles: Vec<RoleRates> = framework
            .roles()
            .iter()
            .zip(&estimate.leaving)
            .map(|(role, leaving)| RoleRates {
                role: role.id.clone(),
                moves: Vec::new(),
                leaving: Rate {
                    probability: leaving.rate.probability,
                    source: RateSource::Estimated {
                        observed: leaving.rate,
                    },
                },
                stay: 1.0,
            })
            .collect();
        for transition in &estimate.transitions {
            if let Some(from) = framework.role_position(transition.from.as_str()) {
                roles[from].moves.push(MoveRate {
                    to: transition.to.clone(),
                    kind: Some(transition.kind),
                    off_graph: false,
                    rate: Rate {
                        probability: transition.rate.probability,
                        source: RateSource::Estimated {
                            observed: transition.rate,
                        },
                    },
                });
            }
        }

        let mut seen = HashSet::new();
        for set in &what_if.moves {
            let what = format!("{} -> {}", set.from, set.to);
            let from = position(framework, &set.from)?;
            let to = position(framework, &set.to)?;
            check_probability(&what, set.probability)?;
            if from == to {
                return Err(InsightsError::RateToItself(set.from.clone()));
            }
            let target = &framework.roles()[to];
            if target.hire_only {
                return Err(InsightsError::IntoHireOnly {
                    from: set.from.clone(),
                    to: set.to.clone(),
                });
            }
            if !seen.insert(what.clone()) {
                return Err(InsightsError::DuplicateOverride(what));
            }
            let row = &mut roles[from];
            match row.moves.iter_mut().find(|m| m.to == target.id) {
                Some(existing) => {
                    let estimated = match existing.rate.source {
                        RateSource::Estimated { observed } => Some(observed),
                        RateSource::WhatIf { estimated } => estimated,
                    };
                    existing.rate = Rate {
                        probability: set.probability,
                        source: RateSource::WhatIf { estimated },
                    };
                }
                None => row.moves.push(MoveRate {
                    to: target.id.clone(),
                    kind: None,
                    off_graph: true,
                    rate: Rate {
                        probability: set.probability,
                        source: RateSource::WhatIf { estimated: None },
                    },
                }),
            }
        }
        for set in &what_if.leaving {
            let what = format!("leaving {}", set.role);
            let role = position(framework, &set.role)?;
            check_probability(&what, set.probability)?;
            if !seen.insert(what.clone()) {
                return Err(InsightsError::DuplicateOverride(what));
            }
            let row = &mut roles[role];
            let estimated = match row.leaving.source {
                RateSource::Estimated { observed } => Some(observed),
                RateSource::WhatIf { estimated } => estimated,
            };
            row.leaving = Rate {
                probability: set.probability,
                source: RateSource::WhatIf { estimated },
            };
        }

        for row in &mut roles {
            let total =
                row.leaving.probability + row.moves.iter().map(|m| m.rate.probability).sum::<f64>();
            if total > 1.0 + SUM_TOLERANCE {
                return Err(InsightsError::RatesExceedOne {
                    role: row.role.to_string(),
                    total,
                });
            }
            row.stay = (1.0 - total).max(0.0);
        }
        Ok(Self {
            step: estimate.window.step,
            roles,
        })
    }

    /// The probability of moving from one role to another in one step (0
    /// when the model has no such move); `None` for an unknown role.
    pub fn probability(&self, from: &str, to: &str) -> Option<f64> {
        let row = self.roles.iter().find(|r| r.role.as_str() == from)?;
        if from == to {
            return Some(row.stay);
        }
        self.roles.iter().find(|r| r.role.as_str() == to)?;
        Some(
            row.moves
                .iter()
                .find(|m| m.to.as_str() == to)
                .map_or(0.0, |m| m.rate.probability),
        )
    }
}

fn position(framework: &Framework, role: &str) -> Result<usize, InsightsError> {
    framework
        .role_position(role)
        .ok_or_else(|| InsightsError::UnknownRole(role.to_owned()))
}

fn check_probability(what: &str, value: f64) -> Result<(), InsightsError> {
    if value.is_finite() && (0.0..=1.0).contains(&value) {
        Ok(())
    } else {
        Err(InsightsError::RateOutOfRange {
            what: what.to_owned(),
            value,
        })
    }
}
