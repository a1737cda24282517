//! Manager habits over a period, per manager of a subtree: how well their
//! one-on-ones kept their cadence, how far the reviews of their reports got
//! in a cycle, and how long their promotion decisions take.
//!
//! **One-on-ones.** A report is *on cadence* on a day when the rule behind
//! the overdue mark of the one-on-one pages holds that day: they have a
//! schedule, and the last one-on-one held by then (or, before any, the
//! schedule's first day) is at most the cadence's interval back. The share
//! of a manager's report-days on cadence over the period is their cadence
//! kept; days before a report started are not counted, and a report with no
//! schedule counts every day as off cadence (the pages call them overdue).
//! The store keeps only the current schedule, so the period is read with
//! it.
//!
//! **Reviews.** For one cycle, the reviews of a manager's direct reports:
//! how many there are, how many each side signed, and the share signed by
//! both.
//!
//! **Promotion decisions.** A proposal is decided by the proposer's
//! manager (or HR), so it counts for whoever decided it: the median days
//! from drafting to the decision, over the proposals decided in the
//! period; and the proposals drafted by a manager's reports that still
//! wait, with the oldest one's age on the period's last day.
//!
//! The reporting line is today's, as for every analytic (see
//! [`crate::analytics`]): a manager's reports are those who report to them
//! now and were at work on the period's last day. Each rate is drawn from
//! the manager's reports (or decided proposals) and is suppressed below
//! [`MIN_GROUP`](crate::analytics::MIN_GROUP) for everyone but HR.

use std::collections::HashMap as StdHashMap;

use chrono::NaiveDate;
use climb_management::one_on_one::Cadence;
use climb_management::promotion::{Proposal, ProposalStatus};
use climb_management::review::{Cycle, Signatures};
use climb_people::PersonId;
use climb_people::history_index::{date_of, day_number};
use serde::Serialize;

use crate::analytics::flow::Period;
use crate::analytics::scope::{Population, Scope};
use crate::analytics::suppress::{Figure, Privacy};

/// The most days a habits period may cover: each day of it is looked at for
/// every report.
pub const MAX_HABIT_DAYS: i64 = 3 * 366;

/// No tally (a row that is no one's report, or manages no one).
const NO_TALLY: u32 = u32::MAX;

/// What the store holds about one-on-ones, reviews and proposals, as the
/// habits read it.
#[derive(Debug, Clone, Copy)]
pub struct HabitRecords<'a> {
    /// Each report's one-on-one schedule: its cadence and first day.
    pub schedules: &'a StdHashMap<PersonId, (Cadence, NaiveDate)>,
    /// The days each report's one-on-ones were held, in any order; those
    /// from a cadence before the period on are enough.
    pub held: &'a StdHashMap<PersonId, Vec<NaiveDate>>,
    /// The cycle whose reviews are counted, and who signed each of them.
    pub cycle: Option<(&'a Cycle, &'a [Signatures])>,
    /// Promotion proposals: the pending ones and those decided in the
    /// period are counted, others are ignored.
    pub proposals: &'a [Proposal],
}

/// A manager's one-on-ones over the period.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Cadences {
    /// Reports with no one-on-one schedule.
    pub without_schedule: u32,
    /// The share of report-days on cadence, 0 to 1 (`None` with no day to
    /// count).
    pub kept: Figure<Option<f64>>,
}

/// How far the reviews of a manager's reports got in the cycle.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReviewCompletion {
    /// Reviews in the cycle of the manager's reports.
    pub reviews: u32,
    /// Of those, signed by the person reviewed.
    pub self_signed: u32,
    /// Of those, signed by the manager's side.
    pub manager_signed: u32,
    /// Of those, signed by both.
    pub signed: u32,
    /// `signed / reviews` (`None` without reviews).
    pub completion: Figure<Option<f64>>,
}

/// How quickly a manager decides promotion proposals.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Decisions {
    /// Proposals this manager decided in the period.
    pub decided: u32,
    /// Median days from drafting to the decision over those (`None`
    /// without any).
    pub median_days: Figure<Option<f64>>,
    /// Proposals drafted by the manager's reports still waiting.
    pub pending: u32,
    /// Days the oldest of those has waited, on the period's last day.
    pub oldest_pending_days: Option<i64>,
}

/// One manager's habits.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ManagerHabits {
    /// The manager.
    pub person: PersonId,
    /// Direct reports at work on the period's last day.
    pub reports: u32,
    /// Their one-on-ones.
    pub one_on_ones: Cadences,
    /// Their reports' reviews in the cycle (`None` without a cycle).
    pub reviews: Option<ReviewCompletion>,
    /// Their promotion decisions.
    pub decisions: Decisions,
}

/// The cycle the review figures are from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CycleRef {
    /// Its id.
    pub id: i64,
    /// Its name.
    pub name: String,
}

/// The habits of every manager of a subtree.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Habits {
    /// The subtree, on the period's last day (its stream is ignored).
    pub scope: Scope,
    /// The period looked at.
    pub period: Period,
    /// The cycle the review figures are from.
    pub cycle: Option<CycleRef>,
    /// Every manager of the subtree, by id.
    pub managers: Vec<ManagerHabits>,
    /// The same figures over all of them together.
    pub overall: ManagerTotals,
}

/// The figures of [`ManagerHabits`] over all the managers together.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ManagerTotals {
    /// Managers counted.
    pub managers: u32,
    /// Their direct reports.
    pub reports: u32,
    /// One-on-ones over all their reports.
    pub one_on_ones: Cadences,
    /// Reviews over all their reports.
    pub reviews: Option<ReviewCompletion>,
    /// Decisions by all of them.
    pub decisions: Decisions,
}

/// Running sums of one manager's (or all managers') figures.
#[derive(Debug, Default, Clone)]
struct Tally {
    reports: u32,
    without_schedule: u32,
    days: u64,
    on_cadence: u64,
    reviews: u32,
    self_signed: u32,
    manager_signed: u32,
    signed: u32,
    decision_days: Vec<i64>,
    pending: u32,
    oldest_pending: Option<i64>,
}

impl Tally {
    fn add(&mut self, other: &Tally) {
        self.reports += other.reports;
        self.without_schedule += other.without_schedule;
        self.days += other.days;
        self.on_cadence += other.on_cadence;
        self.reviews += other.reviews;
        self.self_signed += other.self_signed;
        self.manager_signed += other.manager_signed;
        self.signed += other.signed;
        self.decision_days.extend_from_slice(&other.decision_days);
        self.pending += other.pending;
        self.oldest_pending = self.oldest_pending.max(other.oldest_pending);
    }

    fn one_on_ones(&self, privacy: Privacy) -> Cadences {
        Cadences {
            without_schedule: self.without_schedule,
            kept: rate(
                privacy,
                u64::from(self.reports),
                (self.days > 0).then(|| self.on_cadence as f64 / self.days as f64),
            ),
        }
    }

    fn reviews(&self, privacy: Privacy) -> ReviewCompletion {
        ReviewCompletion {
            reviews: self.reviews,
            self_signed: self.self_signed,
            manager_signed: self.manager_signed,
            signed: self.signed,
            completion: rate(
                privacy,
                u64::from(self.reviews),
                (self.reviews > 0).then(|| f64::from(self.signed) / f64::from(self.reviews)),
            ),
        }
    }

    fn decisions(&self, privacy: Privacy) -> Decisions {
        Decisions {
            decided: self.decision_days.len() as u32,
            median_days: rate(
                privacy,
                self.decision_days.len() as u64,
                median(&self.decision_days),
            ),
            pending: self.pending,
            oldest_pending_days: self.oldest_pending,
        }
    }
}

/// The habits of the managers of `population` over `period`. The
/// population's day should be the period's last.
pub fn habits(
    population: &Population<'_>,
    period: Period,
    records: HabitRecords<'_>,
    privacy: Privacy,
) -> Habits {
    let index = population.index();
    let day = population.scope().as_of;
    let root = population.scope().under;
    let on_day = day_number(day);
    // Dense by the history index's rows: a company's worth of people is
    // read here on every ask, and hashing each of them several times cost
    // more than the rest of the figures together.
    let mut at_work = vec![false; index.len()];
    for &row in population.rows() {
        if index.role_on(row, on_day).is_some() {
            at_work[row as usize] = true;
        }
    }
    // Each report's tally (its manager's) and each manager's, by row.
    let mut tally_of_report = vec![NO_TALLY; index.len()];
    let mut tally_of_manager = vec![NO_TALLY; index.len()];
    let mut tallies: Vec<(PersonId, Tally)> = Vec::new();
    for &row in population.rows() {
        if !at_work[row as usize] || Some(index.id(row)) == root {
            continue;
        }
        let Some(manager) = index.manager_row(row).filter(|&m| at_work[m as usize]) else {
            continue;
        };
        let slot = match tally_of_manager[manager as usize] {
            NO_TALLY => {
                let slot = tallies.len() as u32;
                tallies.push((index.id(manager), Tally::default()));
                tally_of_manager[manager as usize] = slot;
                slot
            }
            slot => slot,
        };
        tally_of_report[row as usize] = slot;
        let tally = &mut tallies[slot as usize].1;
        tally.reports += 1;
        let start = date_of(index.start_day(row)).unwrap_or(NaiveDate::MIN);
        let from = period.from.max(start);
        let days = (period.to - from).num_days().max(0) as u64;
        tally.days += days;
        match records.schedules.get(&index.id(row)) {
            None => tally.without_schedule += 1,
            Some(&(cadence, first)) => {
                let held = records
                    .held
                    .get(&index.id(row))
                    .map_or(&[][..], Vec::as_slice);
                tally.on_cadence += days_on_cadence(cadence, first, held, from, period.to);
            }
        }
    }
    let tally_in = |by_row: &[u32], person: PersonId| {
        index
            .row(person)
            .map(|row| by_row[row as usize])
            .filter(|&slot| slot != NO_TALLY)
            .map(|slot| slot as usize)
    };

    if let Some((_, reviews)) = records.cycle {
        for review in reviews {
            let Some(slot) = tally_in(&tally_of_report, review.person) else {
                continue;
            };
            let tally = &mut tallies[slot].1;
            tally.reviews += 1;
            tally.self_signed += u32::from(review.own);
            tally.manager_signed += u32::from(review.manager);
            tally.signed += u32::from(review.own && review.manager);
        }
    }

    for proposal in records.proposals {
        match proposal.status {
            ProposalStatus::Pending => {
                let Some(slot) = tally_in(&tally_of_report, proposal.proposer) else {
                    continue;
                };
                let tally = &mut tallies[slot].1;
                tally.pending += 1;
                let waited = (day - proposal.created_on).num_days().max(0);
                tally.oldest_pending = tally.oldest_pending.max(Some(waited));
            }
            ProposalStatus::Approved | ProposalStatus::Rejected => {
                let (Some(decider), Some(decided_on)) = (proposal.decided_by, proposal.decided_on)
                else {
                    continue;
                };
                if decided_on < period.from || decided_on >= period.to {
                    continue;
                }
                if let Some(slot) = tally_in(&tally_of_manager, decider) {
                    tallies[slot]
                        .1
                        .decision_days
                        .push((decided_on - proposal.created_on).num_days().max(0));
                }
            }
        }
    }

    let mut total = Tally::default();
    let mut managers: Vec<ManagerHabits> = tallies
        .iter()
        .map(|(person, tally)| {
            total.add(tally);
            ManagerHabits {
                person: *person,
                reports: tally.reports,
                one_on_ones: tally.one_on_ones(privacy),
                reviews: records.cycle.map(|_| tally.reviews(privacy)),
                decisions: tally.decisions(privacy),
            }
        })
        .collect();
    managers.sort_unstable_by_key(|m| m.person);
    Habits {
        scope: population.scope().clone(),
        period,
        cycle: records.cycle.map(|(cycle, _)| CycleRef {
            id: cycle.id.0,
            name: cycle.name.clone(),
        }),
        overall: ManagerTotals {
            managers: managers.len() as u32,
            reports: total.reports,
            one_on_ones: total.one_on_ones(privacy),
            reviews: records.cycle.map(|_| total.reviews(privacy)),
            decisions: total.decisions(privacy),
        },
        managers,
    }
}

/// The days of `[from, to)` on which a pair with this schedule and these
/// held days was on cadence: the last meeting held by the day, or before
/// any the schedule's first day, at most the cadence's interval back.
fn days_on_cadence(
    cadence: Cadence,
    first: NaiveDate,
    held: &[NaiveDate],
    from: NaiveDate,
    to: NaiveDate,
) -> u64 {
    let interval = cadence.interval().num_days();
    let mut held: Vec<NaiveDate> = held.iter().copied().filter(|d| *d < to).collect();
    held.sort_unstable();
    // The last meeting held before `from`, then each held within the period.
    let split = held.partition_point(|d| *d < from);
    let mut since = if split > 0 { held[split - 1] } else { first };
    let mut next = held[split..].iter().peekable();
    let mut on = 0;
    let mut day = from;
    while day < to {
        while let Some(&&held_on) = next.peek() {
            if held_on > day {
                break;
            }
            since = held_on;
            next.next();
        }
        if (day - since).num_days() <= interval {
            on += 1;
        }
        match day.succ_opt() {
            Some(following) => day = following,
            None => break,
        }
    }
    on
}

/// A rate drawn from `people`, suppressed as `privacy` says; no rate at
/// all (nobody to draw it from) is shown as none rather than hidden.
fn rate(privacy: Privacy, people: u64, value: Option<f64>) -> Figure<Option<f64>> {
    match value {
        Some(value) => privacy.figure(people, Some(value)),
        None => Figure::Shown(None),
    }
}

fn median(values: &[i64]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    let mut sorted = values.to_vec();
    sorted.sort_unstable();
    let mid = sorted.len() / 2;
    Some(if sorted.len().is_multiple_of(2) {
        (sorted[mid - 1] + sorted[mid]) as f64 / 2.0
    } else {
        sorted[mid] as f64
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, d).unwrap_or_default()
    }

    #[test]
    fn weekly_meetings_keep_every_day_on_cadence_until_a_gap_opens() {
        // Met on Mar 2 and Mar 9, then not again: on cadence through Mar 16
        // (7 days after the 9th), off from Mar 17.
        let held = [day(3, 2), day(3, 9)];
        let on = days_on_cadence(Cadence::Weekly, day(3, 2), &held, day(3, 2), day(3, 22));
        assert_eq!(on, 15);
    }

    #[test]
    fn before_the_first_meeting_the_schedule_start_counts_and_before_it_nothing_is_late() {
        let on = days_on_cadence(Cadence::Weekly, day(3, 10), &[], day(3, 1), day(3, 21));
        // Mar 1..=17 are within 7 days of (or before) Mar 10: 17 days.
        assert_eq!(on, 17);
    }

    #[test]
    fn a_meeting_before_the_period_carries_into_it() {
        let on = days_on_cadence(
            Cadence::Fortnightly,
            day(1, 1),
            &[day(2, 25)],
            day(3, 1),
            day(3, 15),
        );
        // Within 14 days of Feb 25: Mar 1..=11.
        assert_eq!(on, 11);
    }

    #[test]
    fn the_median_of_an_even_count_is_the_mean_of_the_middle_two() {
        assert_eq!(median(&[9, 1, 4, 6]), Some(5.0));
        assert_eq!(median(&[3]), Some(3.0));
        assert_eq!(median(&[]), None);
    }
}
