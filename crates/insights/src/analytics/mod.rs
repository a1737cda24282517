//! The analytics a head of engineering asks for, each over a [`Scope`]: a
//! subtree (or the whole company), one stream (or all) and a day in the
//! past. The pyramid ([`pyramid()`]), time in role before promotion
//! ([`time_in_role()`]), the flow against the framework ([`flow()`]), the
//! span of control ([`span()`]) and the managers' habits ([`habits()`]); figures drawn from fewer than
//! [`MIN_GROUP`] people come back [`Figure::Suppressed`] unless the caller
//! asks with [`Privacy::Full`].
//!
//! **The org as it was.** Roles, start and end dates are history: a past
//! day sees who worked here and which role each held. The reporting line is
//! not: the org keeps each person's current manager (for someone who left,
//! the last one they had), not when it changed. A subtree on a past day is
//! therefore *today's reporting tree* (with leavers under their last
//! manager), restricted to the people who worked here that day and with the
//! roles they held then. Designations are those active today that had
//! started by the day (ended ones are not kept in the org).

mod csv;
mod flow;
mod habits;
mod pyramid;
mod scope;
mod span;
mod suppress;
mod time_in_role;

pub use flow::{ArrowFlow, Flow, MoveCount, Period, RoleYearRates, YearRate, flow};
pub use habits::{
    Cadences, CycleRef, Decisions, HabitRecords, Habits, MAX_HABIT_DAYS, ManagerHabits,
    ManagerTotals, ReviewCompletion, habits,
};
pub use pyramid::{Pyramid, PyramidCell, PyramidStream, pyramid};
pub use scope::{Population, Scope};
pub use span::{DEFAULT_SPAN_THRESHOLD, ManagerSpan, Span, SpanBucket, span};
pub use suppress::{Figure, MIN_GROUP, Privacy, SUPPRESSED_TEXT};
pub use time_in_role::{CurrentTenure, KaplanMeier, Quantiles, RoleTime, TimeInRole, time_in_role};
