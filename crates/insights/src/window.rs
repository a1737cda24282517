//! The time grid of an estimate and a projection: steps of a month or a
//! year, and a window of history cut into whole steps that end on a date.

use std::fmt;

use chrono::{Months, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::error::InsightsError;

/// The length of one step of the Markov chain.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Step {
    /// Monthly probabilities and a monthly projection.
    #[default]
    Month,
    /// Annual probabilities, the way textbook manpower tables are set out.
    Year,
}

impl Step {
    /// Calendar months in one step.
    pub fn months(self) -> u32 {
        match self {
            Self::Month => 1,
            Self::Year => 12,
        }
    }

    /// The spelling used on the command line and in JSON (`month`, `year`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Month => "month",
            Self::Year => "year",
        }
    }
}

impl fmt::Display for Step {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A stretch of history that ends on `end` and reaches `months` back, cut
/// into whole steps counted back from `end` (a remainder at the start is
/// left out).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Window {
    /// The last day observed (usually today, or an "as of" date).
    pub end: NaiveDate,
    /// How far back the window reaches.
    pub months: u32,
    /// The step the history is cut into.
    pub step: Step,
}

impl Window {
    /// Whole steps in the window.
    pub fn steps(&self) -> u32 {
        self.months / self.step.months()
    }

    /// The dates at which the org is observed, oldest first: `steps() + 1`
    /// dates a step apart, the last one `end`. Each is counted back from
    /// `end` directly, so that a short month never shifts the later ones.
    ///
    /// Fails when the window holds no whole step or reaches before the
    /// calendar's start.
    pub fn observation_dates(&self) -> Result<Vec<NaiveDate>, InsightsError> {
        let steps = self.steps();
        if steps == 0 {
            return Err(InsightsError::WindowTooShort {
                months: self.months,
                step: self.step,
            });
        }
        (0..=steps)
            .rev()
            .map(|back| {
                self.end
                    .checked_sub_months(Months::new(back * self.step.months()))
                    .ok_or(InsightsError::DateOutOfRange)
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(raw: &str) -> NaiveDate {
        raw.parse()
            .unwrap_or_else(|e| panic!("bad test date {raw}: {e}"))
    }

    #[test]
    fn observation_dates_count_back_from_the_end_and_keep_the_day_of_month() {
        let window = Window {
            end: day("2026-03-31"),
            months: 3,
            step: Step::Month,
        };
        assert_eq!(
            window.observation_dates(),
            Ok(vec![
                day("2025-12-31"),
                day("2026-01-31"),
                day("2026-02-28"),
                day("2026-03-31")
            ])
        );
    }

    #[test]
    fn a_yearly_window_drops_the_months_that_make_no_whole_year() {
        let window = Window {
            end: day("2026-06-01"),
            months: 30,
            step: Step::Year,
        };
        assert_eq!(window.steps(), 2);
        assert_eq!(
            window.observation_dates(),
            Ok(vec![
                day("2024-06-01"),
                day("2025-06-01"),
                day("2026-06-01")
            ])
        );
    }

    #[test]
    fn a_window_shorter_than_a_step_is_refused() {
        let window = Window {
            end: day("2026-06-01"),
            months: 11,
            step: Step::Year,
        };
        assert_eq!(
            window.observation_dates(),
            Err(InsightsError::WindowTooShort {
                months: 11,
                step: Step::Year
            })
        );
        let empty = Window {
            months: 0,
            step: Step::Month,
            ..window
        };
        assert!(empty.observation_dates().is_err());
    }

    #[test]
    fn a_window_reaching_before_the_calendar_is_refused_not_a_panic() {
        let window = Window {
            end: NaiveDate::MIN,
            months: 12,
            step: Step::Month,
        };
        assert_eq!(
            window.observation_dates(),
            Err(InsightsError::DateOutOfRange)
        );
    }
}
