//! The flow against the framework over a period: the real moves per
//! (from, to) beside the framework's arrows (each arrow with its count,
//! arrows nobody took, moves no arrow allows), and per role and calendar
//! year the rates of promotion, lateral move and leaving.

use foldhash::{HashMap, HashMapExt};

use chrono::{Datelike, NaiveDate};
use climb_framework::{RoleId, TransitionKind};
use climb_people::ChangeReason;
use climb_people::history_index::{NO_ROLE, day_number};
use serde::Serialize;

use crate::analytics::scope::{Population, Scope};
use crate::analytics::suppress::{Figure, Privacy};
use crate::error::InsightsError;

/// The days `[from, to)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Period {
    /// The first day.
    pub from: NaiveDate,
    /// The day after the last.
    pub to: NaiveDate,
}

impl Period {
    /// The period `[from, to)`; fails unless `from` is before `to`.
    pub fn new(from: NaiveDate, to: NaiveDate) -> Result<Self, InsightsError> {
        if from < to {
            Ok(Self { from, to })
        } else {
            Err(InsightsError::EmptyPeriod { from, to })
        }
    }

    /// The last day of the period: the day to build the [`Population`] of
    /// a flow on, so that everyone who started within it is covered.
    pub fn last_day(&self) -> NaiveDate {
        self.to.pred_opt().unwrap_or(self.from)
    }
}

/// One arrow of the framework and the moves along it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ArrowFlow {
    /// Role moved from.
    pub from: RoleId,
    /// Role moved to.
    pub to: RoleId,
    /// Promotion or lateral.
    pub kind: TransitionKind,
    /// Moves along it in the period (whatever reason was recorded).
    pub moves: u64,
}

/// Moves between two roles that no arrow of the framework connects.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MoveCount {
    /// Role moved from.
    pub from: RoleId,
    /// Role moved to.
    pub to: RoleId,
    /// Moves in the period.
    pub moves: u64,
    /// Of those, recorded as corrections.
    pub corrections: u64,
}

/// Events out of a role in a year over the people who held it.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct YearRate {
    /// Events seen.
    pub events: u64,
    /// `events / held`.
    pub rate: f64,
}

/// The rates of one role in one calendar year (clipped to the period).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RoleYearRates {
    /// The role.
    pub role: RoleId,
    /// The calendar year.
    pub year: i32,
    /// The first day of the year counted (the period's start in its first year).
    pub from: NaiveDate,
    /// The day after the last counted.
    pub to: NaiveDate,
    /// People who held the role at some time in those days (the `n`).
    pub held: u64,
    /// Promotions out of the role.
    pub promotion: Figure<YearRate>,
    /// Lateral moves out of the role.
    pub lateral: Figure<YearRate>,
    /// People who left from the role.
    pub leaving: Figure<YearRate>,
}

/// The flow over a period.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Flow {
    /// The subtree and stream (its day is the period's last).
    pub scope: Scope,
    /// The period.
    pub period: Period,
    /// Every arrow of the framework touching the scope's stream, in file
    /// order, with its count (0 when unused).
    pub arrows: Vec<ArrowFlow>,
    /// The arrows nobody took, as `(from, to)` (those with 0 moves).
    pub unused: Vec<(RoleId, RoleId)>,
    /// Moves no arrow allows (corrections), by (from, to).
    pub off_graph: Vec<MoveCount>,
    /// Per role and year, the people who held it (`held > 0` only).
    pub rates: Vec<RoleYearRates>,
}

#[derive(Default, Clone)]
struct Counts {
    held: u64,
    promotions: u64,
    laterals: u64,
    leavers: u64,
    /// The last person counted in `held` (population index + 1).
    last: usize,
}

/// Cells of counts by (year, role position): a flat table when the period
/// and the framework are of the usual size, a hash map otherwise.
enum Cells {
    Dense { cells: Vec<Counts>, roles: usize },
    Sparse(HashMap<(usize, usize), Counts>),
}

/// The most cells kept in a flat table (a few MiB).
const DENSE_CELLS: usize = 1 << 16;

impl Cells {
    fn new(years: usize, roles: usize) -> Self {
        match years.checked_mul(roles) {
            Some(n) if n <= DENSE_CELLS => Self::Dense {
                cells: vec![Counts::default(); n],
                roles,
            },
            _ => Self::Sparse(HashMap::new()),
        }
    }

    fn at(&mut self, year: usize, role: usize) -> &mut Counts {
        match self {
            Self::Dense { cells, roles } => &mut cells[year * *roles + role],
            Self::Sparse(map) => map.entry((year, role)).or_default(),
        }
    }

    fn get(&self, year: usize, role: usize) -> Option<&Counts> {
        match self {
            Self::Dense { cells, roles } => cells.get(year * *roles + role),
            Self::Sparse(map) => map.get(&(year, role)),
        }
    }
}

/// The flow of `population` over `period`. Build the population on
/// [`Period::last_day`]: people who started later are not in it.
pub fn flow(population: &Population<'_>, period: Period, privacy: Privacy) -> Flow {
    let framework = population.framework();
    let index = population.index();
    let (period_from, period_to) = (day_number(period.from), day_number(period.to));
    let in_period = |day: i32| period_from <= day && day < period_to;
    let years = year_windows(period);
    let year_days: Vec<(i32, i32)> = years
        .iter()
        .map(|&(from, to)| (day_number(from), day_number(to)))
        .collect();
    // The year window of a day of the period (its calendar year's).
    let year_of = |day: i32| {
        year_days
            .iter()
            .position(|&(from, to)| from <= day && day < to)
            .unwrap_or(0)
    };
    let last_day = day_number(NaiveDate::MAX);
    let positions = population.positions();
    let role_count = framework.roles().len();
    let position = |slot: u32| {
        positions
            .get(slot as usize)
            .map(|&p| p as usize)
            .filter(|&p| p < role_count)
    };

    let mut pairs: HashMap<(usize, usize), (u64, u64)> = HashMap::new();
    let mut counts = Cells::new(years.len(), role_count);
    for (n, &row) in population.rows().iter().enumerate() {
        let entries = index.entries(row);
        let person_start = index.start_day(row);
        let person_end = index.end_day(row);
        // The day after the last worked.
        let after_last = person_end.map(|last| if last < last_day { last + 1 } else { last });
        for i in 0..entries.len() {
            let Some(role) = position(entries.to[i]) else {
                continue;
            };
            let day = entries.days[i];
            // The spell: from its effective day to the next change, or
            // through the last day worked.
            let start = day.max(person_start);
            let end = match (entries.days.get(i + 1), after_last) {
                (Some(&next), Some(after)) => next.min(after),
                (Some(&next), None) => next,
                (None, Some(after)) => after,
                (None, None) => last_day,
            };
            if population.covers_position(role) {
                for (y, &(from, to)) in year_days.iter().enumerate() {
                    if start < to && from < end {
                        let cell = counts.at(y, role);
                        if cell.last != n + 1 {
                            cell.last = n + 1;
                            cell.held += 1;
                        }
                    }
                }
            }
            let before = entries.from[i];
            if before == NO_ROLE || !in_period(day) {
                continue;
            }
            let Some(from) = position(before) else {
                continue;
            };
            let reason = entries.reasons[i];
            let covered = population.covers_position(from) || population.covers_position(role);
            if covered {
                let pair = pairs.entry((from, role)).or_default();
                pair.0 += 1;
                if reason == ChangeReason::Correction {
                    pair.1 += 1;
                }
            }
            if population.covers_position(from) {
                let cell = counts.at(year_of(day), from);
                match reason {
                    ChangeReason::Promotion => cell.promotions += 1,
                    ChangeReason::Lateral => cell.laterals += 1,
                    ChangeReason::Hire | ChangeReason::Correction => {}
                }
            }
        }
        if let Some(last) = person_end.filter(|&d| in_period(d))
            && let Some(role) = index.role_on(row, last).and_then(position)
            && population.covers_position(role)
        {
            counts.at(year_of(last), role).leavers += 1;
        }
    }

    let mut arrows = Vec::new();
    for t in framework.transitions() {
        let (Some(from), Some(to)) = (
            framework.role_position(t.from.as_str()),
            framework.role_position(t.to.as_str()),
        ) else {
            continue;
        };
        if !(population.covers_role(&t.from) || population.covers_role(&t.to)) {
            continue;
        }
        let moves = pairs.remove(&(from, to)).map_or(0, |(moves, _)| moves);
        arrows.push(ArrowFlow {
            from: t.from.clone(),
            to: t.to.clone(),
            kind: t.kind,
            moves,
        });
    }
    let unused = arrows
        .iter()
        .filter(|a| a.moves == 0)
        .map(|a| (a.from.clone(), a.to.clone()))
        .collect();
    let role_id = |i: usize| framework.roles()[i].id.clone();
    let mut pairs: Vec<((usize, usize), (u64, u64))> = pairs.into_iter().collect();
    pairs.sort_unstable_by_key(|&(pair, _)| pair);
    let off_graph = pairs
        .into_iter()
        .map(|((from, to), (moves, corrections))| MoveCount {
            from: role_id(from),
            to: role_id(to),
            moves,
            corrections,
        })
        .collect();

    let mut rates = Vec::new();
    for (y, &(from, to)) in years.iter().enumerate() {
        for (r, role) in framework.roles().iter().enumerate() {
            let Some(cell) = counts.get(y, r) else {
                continue;
            };
            if cell.held == 0 {
                continue;
            }
            let rate = |events: u64| {
                privacy.figure(
                    cell.held,
                    YearRate {
                        events,
                        rate: events as f64 / cell.held as f64,
                    },
                )
            };
            rates.push(RoleYearRates {
                role: role.id.clone(),
                year: from.year(),
                from,
                to,
                held: cell.held,
                promotion: rate(cell.promotions),
                lateral: rate(cell.laterals),
                leaving: rate(cell.leavers),
            });
        }
    }

    Flow {
        scope: population.scope().clone(),
        period,
        arrows,
        unused,
        off_graph,
        rates,
    }
}

/// The calendar years the period touches, each clipped to it.
fn year_windows(period: Period) -> Vec<(NaiveDate, NaiveDate)> {
    let mut windows = Vec::new();
    let mut start = period.from;
    while start < period.to {
        let next_year = NaiveDate::from_ymd_opt(start.year() + 1, 1, 1).unwrap_or(NaiveDate::MAX);
        let end = next_year.min(period.to);
        windows.push((start, end));
        if end == NaiveDate::MAX {
            break;
        }
        start = end;
    }
    windows
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(raw: &str) -> NaiveDate {
        raw.parse().unwrap_or(NaiveDate::MIN)
    }

    #[test]
    fn a_period_is_cut_into_calendar_years_clipped_to_it() {
        let period = Period::new(day("2024-07-01"), day("2026-03-01")).expect("period");
        assert_eq!(
            year_windows(period),
            vec![
                (day("2024-07-01"), day("2025-01-01")),
                (day("2025-01-01"), day("2026-01-01")),
                (day("2026-01-01"), day("2026-03-01")),
            ]
        );
    }

    #[test]
    fn a_period_that_ends_before_it_starts_is_refused() {
        assert_eq!(
            Period::new(day("2025-01-01"), day("2025-01-01")),
            Err(InsightsError::EmptyPeriod {
                from: day("2025-01-01"),
                to: day("2025-01-01")
            })
        );
    }
}
