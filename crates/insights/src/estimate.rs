//! Transition and leaving probabilities counted from the role history over
//! a window, and the headcount per role on a date.
//!
//! The estimator is the maximum-likelihood one of a discrete-time Markov
//! chain, the model the projection runs: the org is observed at the start of
//! every step of the window; each person holding a role at one observation
//! is one trial for that role, and where they are at the next observation
//! (same role, another role, gone) is its outcome. A probability is the
//! outcomes of that kind over the trials. Two moves within one step show as
//! one; someone hired and gone within a step is never seen; both are what a
//! chain of that step length can represent.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use climb_framework::{Framework, RoleId, TransitionKind};
use climb_people::{Org, Person, RoleChange};
use serde::Serialize;

use crate::error::InsightsError;
use crate::interval::{Interval, wilson};
use crate::window::Window;

/// Events over trials, the probability they give and its 90% interval.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ObservedRate {
    /// Outcomes of this kind (moves, or leavers).
    pub events: u64,
    /// Trials: person-steps spent in the role the rate leaves.
    pub exposure: u64,
    /// `events / exposure`, 0 without exposure.
    pub probability: f64,
    /// The Wilson 90% interval; `None` without exposure.
    pub interval: Option<Interval>,
}

impl ObservedRate {
    fn new(events: u64, exposure: u64) -> Self {
        Self {
            events,
            exposure,
            probability: if exposure == 0 {
                0.0
            } else {
                events as f64 / exposure as f64
            },
            interval: wilson(events, exposure),
        }
    }
}

/// The observed rate of one transition of the framework.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TransitionEstimate {
    /// Role moved from.
    pub from: RoleId,
    /// Role moved to.
    pub to: RoleId,
    /// Promotion or lateral move.
    pub kind: TransitionKind,
    /// Moves seen and the probability per step.
    #[serde(flatten)]
    pub rate: ObservedRate,
}

/// Moves seen between two roles that no transition connects (corrections).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MoveEstimate {
    /// Role moved from.
    pub from: RoleId,
    /// Role moved to.
    pub to: RoleId,
    /// Moves seen and the probability per step they would give.
    #[serde(flatten)]
    pub rate: ObservedRate,
}

/// The observed leaving rate of one role.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LeaveEstimate {
    /// The role left from.
    pub role: RoleId,
    /// Leavers seen and the probability per step.
    #[serde(flatten)]
    pub rate: ObservedRate,
}

/// What the history says over a window.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Estimate {
    /// The window observed.
    pub window: Window,
    /// The first observation date (the window's start, in whole steps).
    pub start: NaiveDate,
    /// Every transition of the framework, in file order, observed or not (a
    /// transition nobody took has 0 events and probability 0).
    pub transitions: Vec<TransitionEstimate>,
    /// Every role of the framework, in file order.
    pub leaving: Vec<LeaveEstimate>,
    /// Moves between roles no transition connects (corrections), by role
    /// pair. They are reported, not projected: a what-if may set them.
    pub off_graph: Vec<MoveEstimate>,
    /// Person-steps spent in roles this framework does not have (from an
    /// older version), left out of every rate.
    pub outside_framework: u64,
}

/// Counts the history of `org` over `window` against `framework`.
///
/// Fails when the window holds no whole step or reaches outside the
/// calendar.
pub fn estimate(
    framework: &Framework,
    org: &Org,
    window: Window,
) -> Result<Estimate, InsightsError> {
    let dates = window.observation_dates()?;
    let roles = framework.roles().len();
    let mut exposure = vec![0_u64; roles];
    let mut leavers = vec![0_u64; roles];
    let mut moves: BTreeMap<(usize, usize), u64> = BTreeMap::new();
    let mut outside_framework = 0_u64;

    for person in org.people() {
        let history = org.history(person.id);
        let mut before = role_on(person, history, dates[0]);
        for &date in &dates[1..] {
            let after = role_on(person, history, date);
            if let Some(role) = before {
                match framework.role_position(role.as_str()) {
                    None => outside_framework += 1,
                    Some(from) => {
                        exposure[from] += 1;
                        match after {
                            None => leavers[from] += 1,
                            Some(next) => {
                                // A move into a role this framework lacks
                                // stays a trial without an outcome.
                                if let Some(to) = framework.role_position(next.as_str())
                                    && to != from
                                {
                                    *moves.entry((from, to)).or_default() += 1;
                                }
                            }
                        }
                    }
                }
            }
            before = after;
        }
    }

    let mut transitions = Vec::with_capacity(framework.transitions().len());
    for transition in framework.transitions() {
        let (Some(from), Some(to)) = (
            framework.role_position(transition.from.as_str()),
            framework.role_position(transition.to.as_str()),
        ) else {
            continue;
        };
        let events = moves.remove(&(from, to)).unwrap_or(0);
        transitions.push(TransitionEstimate {
            from: transition.from.clone(),
            to: transition.to.clone(),
            kind: transition.kind,
            rate: ObservedRate::new(events, exposure[from]),
        });
    }
    let role_id = |i: usize| framework.roles()[i].id.clone();
    let off_graph = moves
        .into_iter()
        .map(|((from, to), events)| MoveEstimate {
            from: role_id(from),
            to: role_id(to),
            rate: ObservedRate::new(events, exposure[from]),
        })
        .collect();
    let leaving = framework
        .roles()
        .iter()
        .enumerate()
        .map(|(i, role)| LeaveEstimate {
            role: role.id.clone(),
            rate: ObservedRate::new(leavers[i], exposure[i]),
        })
        .collect();
    Ok(Estimate {
        window,
        start: dates[0],
        transitions,
        leaving,
        off_graph,
        outside_framework,
    })
}

/// Active people per role on a date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Headcount {
    /// The day counted.
    pub date: NaiveDate,
    /// People per role, in the framework's role order.
    pub per_role: Vec<u64>,
    /// People holding a role this framework does not have.
    pub outside_framework: u64,
}

/// Who held which role on `date` (people who had started and not yet
/// left), read from the role history.
pub fn headcount(framework: &Framework, org: &Org, date: NaiveDate) -> Headcount {
    let mut per_role = vec![0_u64; framework.roles().len()];
    let mut outside_framework = 0;
    for person in org.people() {
        if let Some(role) = role_on(person, org.history(person.id), date) {
            match framework.role_position(role.as_str()) {
                Some(i) => per_role[i] += 1,
                None => outside_framework += 1,
            }
        }
    }
    Headcount {
        date,
        per_role,
        outside_framework,
    }
}

/// The role `person` held on `date`, or `None` when they had not started
/// or had left (the end date is their last day, so they still count on it).
pub(crate) fn role_on<'a>(
    person: &'a Person,
    history: &'a [RoleChange],
    date: NaiveDate,
) -> Option<&'a RoleId> {
    if date < person.start_date || person.end_date.is_some_and(|end| date > end) {
        return None;
    }
    let held = history.partition_point(|change| change.effective_date <= date);
    match held.checked_sub(1) {
        Some(last) => history.get(last).map(|change| &change.to),
        // No entry on or before the date (a history that starts after the
        // start date): the first role recorded, else the current one.
        None => Some(history.first().map_or(&person.role, |change| &change.to)),
    }
}
