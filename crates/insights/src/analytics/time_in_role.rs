//! Time in a role before promotion, per role, read off a Kaplan–Meier
//! curve.
//!
//! A spell in a role starts on the day it took effect and ends with the
//! next role change. Only a promotion out of the role is the event; every
//! other way a spell ends is *right-censoring*: the person left, moved
//! laterally or was corrected (they stopped being at risk of promotion
//! from this role without being promoted), or is still in the role on the
//! day asked (their promotion, if any, is still ahead). A plain median of
//! the completed spells leaves those people out and so is biased short:
//! the slow are exactly the ones still waiting. Kaplan–Meier counts each
//! censored spell as at risk for as long as it was observed, and the
//! quantiles are read where the survival curve (the share not yet
//! promoted) first falls to 75%, 50% and 25%; a curve that never falls
//! that far gives `None`. Durations are in days.

use foldhash::{HashMap, HashMapExt, HashSet};

use climb_framework::RoleId;
use climb_people::{ChangeReason, PersonId};
use serde::Serialize;

use crate::analytics::scope::{Population, Scope};
use crate::analytics::suppress::{Figure, Privacy};

/// One spell: how long it was observed and whether it ended in a promotion.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Spell {
    days: u32,
    promoted: bool,
}

/// A Kaplan–Meier survival curve of time to promotion.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KaplanMeier {
    /// `(days, share not yet promoted)` just after each day with a promotion,
    /// in increasing days.
    pub steps: Vec<(u32, f64)>,
}

impl KaplanMeier {
    /// The curve of spells given as `(days observed, ended in a promotion)`.
    /// Censored spells count as at risk on their last day (the usual
    /// convention: a promotion and a censoring on the same day, the
    /// censored one was still at risk).
    pub fn new(spells: impl IntoIterator<Item = (u32, bool)>) -> Self {
        let mut spells: Vec<(u32, bool)> = spells.into_iter().collect();
        spells.sort_unstable_by_key(|&(days, _)| days);
        let mut at_risk = spells.len() as f64;
        let mut survival = 1.0;
        let mut steps = Vec::new();
        let mut i = 0;
        while i < spells.len() {
            let day = spells[i].0;
            let mut events = 0_u32;
            let mut leaving_risk = 0_u32;
            while i < spells.len() && spells[i].0 == day {
                if spells[i].1 {
                    events += 1;
                }
                leaving_risk += 1;
                i += 1;
            }
            if events > 0 {
                survival *= 1.0 - f64::from(events) / at_risk;
                steps.push((day, survival));
            }
            at_risk -= f64::from(leaving_risk);
        }
        Self { steps }
    }

    /// The first day by which a share `q` (0 to 1) of the spells had ended
    /// in a promotion: where the curve first falls to `1 - q` or below.
    /// `None` when it never does.
    pub fn quantile(&self, q: f64) -> Option<u32> {
        let level = 1.0 - q;
        self.steps
            .iter()
            .find(|&&(_, survival)| survival <= level + 1e-12)
            .map(|&(days, _)| days)
    }
}

/// How long the people still in a role have been in it.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct CurrentTenure {
    /// People still in the role on the day.
    pub n: u64,
    /// The median of their days in it so far (`None` without anyone).
    pub median_days: Option<f64>,
    /// The longest of them.
    pub max_days: Option<u32>,
}

/// The quantiles of time to promotion.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Quantiles {
    /// Days by which a quarter had been promoted.
    pub p25_days: Option<u32>,
    /// Days by which half had been promoted (the median).
    pub median_days: Option<u32>,
    /// Days by which three quarters had been promoted.
    pub p75_days: Option<u32>,
}

/// Time in one role before promotion.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RoleTime {
    /// The role.
    pub role: RoleId,
    /// People with a spell in the role.
    pub people: u64,
    /// Spells in the role (a person may hold a role twice).
    pub spells: u64,
    /// Spells that ended in a promotion (the events).
    pub promotions: u64,
    /// Spells censored: by leaving, by a move other than a promotion, or by
    /// being still in the role.
    pub censored: u64,
    /// Of the censored, spells that ended with the person leaving.
    pub censored_by_leaving: u64,
    /// Read off the Kaplan–Meier curve.
    pub quantiles: Figure<Quantiles>,
    /// Those still in the role on the day.
    pub current: Figure<CurrentTenure>,
}

/// Time in role before promotion for each role in scope.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TimeInRole {
    /// The question answered.
    pub scope: Scope,
    /// Every role of the framework in scope, in file order.
    pub roles: Vec<RoleTime>,
}

#[derive(Default)]
struct Tally {
    people: HashSet<PersonId>,
    spells: Vec<Spell>,
    left: u64,
    current: Vec<u32>,
}

/// Time in role before promotion, per role, over the history up to the
/// scope's day (changes after it are not seen).
pub fn time_in_role(population: &Population<'_>, privacy: Privacy) -> TimeInRole {
    let day = population.scope().as_of;
    let org = population.org();
    let mut tallies: HashMap<&RoleId, Tally> = HashMap::new();
    for person in population.people() {
        let history = org.history(person.id);
        let seen = history.partition_point(|c| c.effective_date <= day);
        let history = &history[..seen];
        let left_by = person.end_date.filter(|&end| end <= day);
        for (i, change) in history.iter().enumerate() {
            if !population.covers_role(&change.to) {
                continue;
            }
            // A spell that starts after the last day worked never ran.
            if left_by.is_some_and(|end| change.effective_date > end) {
                continue;
            }
            let days = |end: chrono::NaiveDate| {
                u32::try_from((end - change.effective_date).num_days().max(0)).unwrap_or(u32::MAX)
            };
            let tally = tallies.entry(&change.to).or_default();
            tally.people.insert(person.id);
            match (history.get(i + 1), left_by) {
                (Some(next), end) if end.is_none_or(|end| next.effective_date <= end) => {
                    tally.spells.push(Spell {
                        days: days(next.effective_date),
                        promoted: next.reason == ChangeReason::Promotion,
                    });
                }
                (_, Some(end)) => {
                    tally.left += 1;
                    tally.spells.push(Spell {
                        days: days(end),
                        promoted: false,
                    });
                }
                (_, None) => {
                    let so_far = days(day);
                    tally.current.push(so_far);
                    tally.spells.push(Spell {
                        days: so_far,
                        promoted: false,
                    });
                }
            }
        }
    }
    let roles = population
        .roles()
        .map(|role| {
            let tally = tallies.remove(&role.id).unwrap_or_default();
            let people = tally.people.len() as u64;
            let promotions = tally.spells.iter().filter(|s| s.promoted).count() as u64;
            let curve = KaplanMeier::new(tally.spells.iter().map(|s| (s.days, s.promoted)));
            let mut current = tally.current;
            current.sort_unstable();
            RoleTime {
                role: role.id.clone(),
                people,
                spells: tally.spells.len() as u64,
                promotions,
                censored: tally.spells.len() as u64 - promotions,
                censored_by_leaving: tally.left,
                quantiles: privacy.figure(
                    people,
                    Quantiles {
                        p25_days: curve.quantile(0.25),
                        median_days: curve.quantile(0.5),
                        p75_days: curve.quantile(0.75),
                    },
                ),
                current: privacy.figure(
                    current.len() as u64,
                    CurrentTenure {
                        n: current.len() as u64,
                        median_days: median(&current),
                        max_days: current.last().copied(),
                    },
                ),
            }
        })
        .collect();
    TimeInRole {
        scope: population.scope().clone(),
        roles,
    }
}

/// The median of sorted values, the mean of the middle two for an even count.
fn median(sorted: &[u32]) -> Option<f64> {
    let n = sorted.len();
    if n == 0 {
        return None;
    }
    Some(if n % 2 == 1 {
        f64::from(sorted[n / 2])
    } else {
        (f64::from(sorted[n / 2 - 1]) + f64::from(sorted[n / 2])) / 2.0
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn without_censoring_the_median_is_the_plain_median() {
        let curve = KaplanMeier::new([(10, true), (20, true), (30, true), (40, true)]);
        assert_eq!(curve.quantile(0.25), Some(10));
        assert_eq!(curve.quantile(0.5), Some(20));
        assert_eq!(curve.quantile(0.75), Some(30));
    }

    #[test]
    fn censored_spells_keep_people_at_risk_and_lengthen_the_median() {
        // Promoted at 10 and 30; censored at 20 and 40. S(10) = 3/4,
        // S(30) = 3/4 * (1 - 1/2) = 3/8. The completed spells alone
        // would give a median of 20.
        let curve = KaplanMeier::new([(10, true), (20, false), (30, true), (40, false)]);
        assert_eq!(curve.steps, vec![(10, 0.75), (30, 0.375)]);
        assert_eq!(curve.quantile(0.25), Some(10));
        assert_eq!(curve.quantile(0.5), Some(30));
        assert_eq!(curve.quantile(0.75), None);
    }

    #[test]
    fn a_censoring_on_the_day_of_a_promotion_was_still_at_risk() {
        let curve = KaplanMeier::new([(10, true), (10, false)]);
        assert_eq!(curve.steps, vec![(10, 0.5)]);
    }

    #[test]
    fn nobody_promoted_gives_no_quantile() {
        let curve = KaplanMeier::new([(5, false)]);
        assert_eq!(curve.quantile(0.25), None);
        assert_eq!(KaplanMeier::new([]).quantile(0.5), None);
    }

    #[test]
    fn the_median_of_an_even_count_is_the_mean_of_the_middle_two() {
        assert_eq!(median(&[1, 3, 5, 8]), Some(4.0));
        assert_eq!(median(&[2]), Some(2.0));
        assert_eq!(median(&[]), None);
    }
}
