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

use climb_framework::RoleId;
use climb_people::ChangeReason;
use climb_people::history_index::day_number;
use serde::Serialize;

use crate::analytics::scope::{Population, Scope};
use crate::analytics::suppress::{Figure, Privacy};

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

/// Spells tallied for the curve: counts by length in days (up to
/// [`DENSE_DAYS`], the rest kept aside and sorted), so the curve needs no
/// sort of every spell.
#[derive(Default)]
struct Spells {
    /// Spells ending at each length, and of those the promotions.
    ended: Vec<u32>,
    promoted: Vec<u32>,
    /// Spells longer than [`DENSE_DAYS`] (a data error, or centuries).
    long: Vec<(u32, bool)>,
    total: u64,
    promotions: u64,
}

/// Spell lengths counted by day; about 180 years.
const DENSE_DAYS: u32 = 1 << 16;

impl Spells {
    fn add(&mut self, days: u32, promoted: bool) {
        self.total += 1;
        self.promotions += u64::from(promoted);
        if days >= DENSE_DAYS {
            self.long.push((days, promoted));
            return;
        }
        let d = days as usize;
        if self.ended.len() <= d {
            self.ended.resize(d + 1, 0);
            self.promoted.resize(d + 1, 0);
        }
        self.ended[d] += 1;
        self.promoted[d] += u32::from(promoted);
    }

    /// The Kaplan–Meier curve, computed as [`KaplanMeier::new`] does, day
    /// by day in increasing order.
    fn curve(mut self) -> KaplanMeier {
        let mut at_risk = self.total as f64;
        let mut survival = 1.0;
        let mut steps = Vec::new();
        let mut step = |day: u32, events: u32, leaving: u32| {
            if events > 0 {
                survival *= 1.0 - f64::from(events) / at_risk;
                steps.push((day, survival));
            }
            at_risk -= f64::from(leaving);
        };
        for (d, (&ended, &promoted)) in self.ended.iter().zip(&self.promoted).enumerate() {
            if ended > 0 {
                step(d as u32, promoted, ended);
            }
        }
        self.long.sort_unstable_by_key(|&(days, _)| days);
        for group in self.long.chunk_by(|a, b| a.0 == b.0) {
            let events = group.iter().filter(|s| s.1).count() as u32;
            step(group[0].0, events, group.len() as u32);
        }
        KaplanMeier { steps }
    }
}

#[derive(Default)]
struct Tally {
    people: u64,
    /// The last person counted in `people` (population index + 1).
    last: usize,
    spells: Spells,
    left: u64,
    current: Tenures,
}

/// The days so far of the spells still running, counted by length as
/// [`Spells`] are, for their median and maximum without a sort.
#[derive(Default)]
struct Tenures {
    counts: Vec<u32>,
    long: Vec<u32>,
    n: u64,
}

impl Tenures {
    fn add(&mut self, days: u32) {
        self.n += 1;
        if days >= DENSE_DAYS {
            self.long.push(days);
            return;
        }
        let d = days as usize;
        if self.counts.len() <= d {
            self.counts.resize(d + 1, 0);
        }
        self.counts[d] += 1;
    }

    /// The `k`-th smallest (from 0; `k < n`).
    fn kth(&self, k: u64) -> u32 {
        let mut seen = 0_u64;
        for (d, &count) in self.counts.iter().enumerate() {
            seen += u64::from(count);
            if seen > k {
                return d as u32;
            }
        }
        self.long
            .get(usize::try_from(k - seen).unwrap_or(usize::MAX))
            .copied()
            .unwrap_or(u32::MAX)
    }

    /// The median (the mean of the middle two for an even count) and the
    /// largest, as of the sorted values.
    fn median_and_max(mut self) -> (Option<f64>, Option<u32>) {
        let n = self.n;
        if n == 0 {
            return (None, None);
        }
        self.long.sort_unstable();
        let max = self
            .long
            .last()
            .copied()
            .or_else(|| self.counts.iter().rposition(|&c| c > 0).map(|d| d as u32));
        let median = if n % 2 == 1 {
            f64::from(self.kth(n / 2))
        } else {
            (f64::from(self.kth(n / 2 - 1)) + f64::from(self.kth(n / 2))) / 2.0
        };
        (Some(median), max)
    }
}

/// Time in role before promotion, per role, over the history up to the
/// scope's day (changes after it are not seen).
pub fn time_in_role(population: &Population<'_>, privacy: Privacy) -> TimeInRole {
    let index = population.index();
    let day = day_number(population.scope().as_of);
    let roles = population.framework().roles();
    let mut tallies: Vec<Tally> = roles.iter().map(|_| Tally::default()).collect();
    // The framework position of each role slot when in the stream.
    let covered: Vec<Option<usize>> = population
        .positions()
        .iter()
        .map(|&p| {
            let p = p as usize;
            (p < roles.len() && population.covers_position(p)).then_some(p)
        })
        .collect();
    for (n, &row) in population.rows().iter().enumerate() {
        let entries = index.entries(row);
        let seen = entries.seen_by(day);
        let left_by = index.end_day(row).filter(|&end| end <= day);
        for i in 0..seen {
            let Some(position) = covered[entries.to[i] as usize] else {
                continue;
            };
            let start = entries.days[i];
            // A spell that starts after the last day worked never ran.
            if left_by.is_some_and(|end| start > end) {
                continue;
            }
            let days = |end: i32| u32::try_from((end - start).max(0)).unwrap_or(u32::MAX);
            let tally = &mut tallies[position];
            if tally.last != n + 1 {
                tally.last = n + 1;
                tally.people += 1;
            }
            let next = (i + 1 < seen).then(|| entries.days[i + 1]);
            match (next, left_by) {
                (Some(next), end) if end.is_none_or(|end| next <= end) => {
                    let promoted = entries.reasons[i + 1] == ChangeReason::Promotion;
                    tally.spells.add(days(next), promoted);
                }
                (_, Some(end)) => {
                    tally.left += 1;
                    tally.spells.add(days(end), false);
                }
                (_, None) => {
                    let so_far = days(day);
                    tally.current.add(so_far);
                    tally.spells.add(so_far, false);
                }
            }
        }
    }
    let roles = roles
        .iter()
        .zip(tallies)
        .filter(|(role, _)| population.covers(role))
        .map(|(role, tally)| {
            let people = tally.people;
            let spells = tally.spells.total;
            let promotions = tally.spells.promotions;
            let curve = tally.spells.curve();
            let holding = tally.current.n;
            let (median_days, max_days) = tally.current.median_and_max();
            RoleTime {
                role: role.id.clone(),
                people,
                spells,
                promotions,
                censored: spells - promotions,
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
                    holding,
                    CurrentTenure {
                        n: holding,
                        median_days,
                        max_days,
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
#[cfg(test)]
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

    #[test]
    fn the_median_from_counts_is_the_median_of_the_sorted_values() {
        let long = DENSE_DAYS + 3;
        for values in [
            vec![8, 1, 5, 3],
            vec![2],
            vec![],
            vec![9, 9, 1, 4, 7],
            vec![long, 2, long + 1, 0],
            vec![long, 5, 1],
        ] {
            let mut sorted = values.clone();
            sorted.sort_unstable();
            let mut counted = Tenures::default();
            for &days in &values {
                counted.add(days);
            }
            assert_eq!(
                counted.median_and_max(),
                (median(&sorted), sorted.last().copied())
            );
        }
    }

    #[test]
    fn the_curve_from_counts_by_day_is_the_curve_from_the_spells() {
        let spells = [
            (10, true),
            (20, false),
            (30, true),
            (40, false),
            (10, false),
            (DENSE_DAYS + 5, true),
            (DENSE_DAYS + 5, false),
            (u32::MAX, true),
        ];
        let mut counted = Spells::default();
        for &(days, promoted) in &spells {
            counted.add(days, promoted);
        }
        assert_eq!(counted.curve(), KaplanMeier::new(spells));
    }
}
