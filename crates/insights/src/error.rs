//! Why an estimate, a what-if or a projection was refused.

use crate::window::Step;

/// A refusal, each with a stable [`code`](InsightsError::code).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum InsightsError {
    /// A role id that the framework does not have.
    #[error("there is no role `{0}` in this framework")]
    UnknownRole(String),
    /// The estimation window is shorter than one step.
    #[error(
        "a window of {months} month(s) holds no whole {step}: make it at least one {step} long"
    )]
    WindowTooShort {
        /// The window's length.
        months: u32,
        /// The step it was to be cut into.
        step: Step,
    },
    /// A date computed from the window or the horizon is outside the calendar.
    #[error("the dates reach outside the calendar")]
    DateOutOfRange,
    /// A what-if probability that is not a number from 0 to 1.
    #[error("the rate for {what} is {value}: a probability is a number from 0 to 1")]
    RateOutOfRange {
        /// The move (`a -> b`) or the leaving (`leaving a`) it was set on.
        what: String,
        /// The value given.
        value: f64,
    },
    /// A what-if rate from a role to itself (staying is what remains).
    #[error(
        "a rate from `{0}` to itself is the stay probability, which is what remains: set the moves away instead"
    )]
    RateToItself(String),
    /// A what-if rate into a hire-only role.
    #[error("`{to}` is hire-only: no move may lead into it (from `{from}`), only a hire")]
    IntoHireOnly {
        /// The role moved from.
        from: String,
        /// The hire-only role.
        to: String,
    },
    /// The same move or leaving rate set twice.
    #[error("the rate for {0} is set twice")]
    DuplicateOverride(String),
    /// The probabilities of leaving a role (moves and leaving) add up past 1.
    #[error(
        "the rates out of `{role}` add up to {total}, past 1: moves and leaving together cannot exceed certainty"
    )]
    RatesExceedOne {
        /// The role.
        role: String,
        /// The sum of its move and leaving probabilities.
        total: f64,
    },
    /// A hiring count that is negative, not a number, or absurdly large.
    #[error("hiring {value} into `{role}` per step is not a count from 0 to {max}", max = crate::hiring::MAX_HIRES_PER_STEP)]
    InvalidHires {
        /// The role hired into.
        role: String,
        /// The count per step given.
        value: f64,
    },
    /// A headcount target past the largest accepted.
    #[error("a target of {headcount} people in `{role}` is past the {max} accepted", max = crate::hiring::MAX_TARGET)]
    InvalidTarget {
        /// The role.
        role: String,
        /// The target given.
        headcount: u64,
    },
    /// Hires asked for "the entry roles", but the framework marks none.
    #[error("the framework marks no role as an entry role: name the role to hire into")]
    NoEntryRoles,
    /// A projection of zero steps.
    #[error("a projection needs at least one step ahead")]
    EmptyHorizon,
    /// A projection longer than [`crate::MAX_STEPS`] steps.
    #[error("a projection of {0} steps is longer than the {max} allowed", max = crate::MAX_STEPS)]
    HorizonTooLong(u32),
    /// A Monte Carlo run count outside `1..=MAX_RUNS`.
    #[error("{0} runs: ask for 1 to {max}", max = crate::MAX_RUNS)]
    Runs(u32),
    /// A starting headcount that does not have one count per role of the model.
    #[error("the starting headcount has {got} roles where the model has {expected}")]
    StockMismatch {
        /// Roles in the model.
        expected: usize,
        /// Counts given.
        got: usize,
    },
    /// An option written in a form it cannot be read in.
    #[error("`{raw}`: write {expected}")]
    Malformed {
        /// What was given.
        raw: String,
        /// How to write it.
        expected: &'static str,
    },
    /// A probability that is not a number.
    #[error("`{raw}`: `{value}` is not a number (write a probability such as 0.02)")]
    NotANumber {
        /// The option given.
        raw: String,
        /// The part that is not a number.
        value: String,
    },
    /// A window not written as a number of years or months.
    #[error("`{0}` is not a window: write a whole number and y or m, e.g. 3y or 18m")]
    NotAWindow(String),
    /// A window of zero length.
    #[error("`{0}` is empty: the window needs at least one step")]
    EmptyWindow(String),
    /// A window longer than a century.
    #[error("`{0}` is longer than a century")]
    WindowTooLong(String),
    /// A person id the org does not know (the root of a subtree).
    #[error("there is no person {0}")]
    UnknownPerson(i64),
    /// A stream id that the framework does not have.
    #[error("there is no stream `{0}` in this framework")]
    UnknownStream(String),
    /// A period whose start is not before its end.
    #[error("the period from {from} to {to} is empty: `from` must be before `to`")]
    EmptyPeriod {
        /// First day of the period.
        from: chrono::NaiveDate,
        /// The day after its last.
        to: chrono::NaiveDate,
    },
    /// The binomial sampler refused its parameters (a bug in this crate).
    #[error("the sampler refused its parameters: {0}")]
    Sampling(String),
}

impl InsightsError {
    /// The stable code of the refusal, for JSON errors.
    pub fn code(&self) -> &'static str {
        match self {
            Self::UnknownRole(_) => "unknown_role",
            Self::WindowTooShort { .. } => "window_too_short",
            Self::DateOutOfRange => "date_out_of_range",
            Self::RateOutOfRange { .. } => "rate_out_of_range",
            Self::RateToItself(_) => "rate_to_itself",
            Self::IntoHireOnly { .. } => "hire_only_role",
            Self::DuplicateOverride(_) => "duplicate_rate",
            Self::RatesExceedOne { .. } => "rates_exceed_one",
            Self::InvalidHires { .. } => "invalid_hires",
            Self::InvalidTarget { .. } => "invalid_target",
            Self::NoEntryRoles => "no_entry_roles",
            Self::EmptyHorizon => "empty_horizon",
            Self::HorizonTooLong(_) => "horizon_too_long",
            Self::Runs(_) => "invalid_runs",
            Self::StockMismatch { .. } => "stock_mismatch",
            Self::Sampling(_) => "sampling_failed",
            Self::UnknownPerson(_) => "unknown_person",
            Self::Malformed { .. } => "invalid_option",
            Self::NotANumber { .. } => "invalid_rate",
            Self::NotAWindow(_) | Self::EmptyWindow(_) | Self::WindowTooLong(_) => "invalid_window",
            Self::UnknownStream(_) => "unknown_stream",
            Self::EmptyPeriod { .. } => "invalid_period",
        }
    }
}
