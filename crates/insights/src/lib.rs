//! climb's insights: figures drawn from the org, its role history and the
//! framework. Pure: no I/O, no async, no database; callers hand in the
//! `Org` and the `Framework` and get plain values back.
//!
//! The workforce projection flows in four steps:
//! [`estimate`] counts, over a window of the history, the monthly (or
//! yearly) moves along each transition and the leavers of each role;
//! [`Model::new`] turns those counts into probabilities and applies the
//! what-ifs; a [`HiringPlan`] adds people; [`project`] runs the expected
//! stock recursion and a seeded Monte Carlo side by side.
//!
//! The [`analytics`] answer the org's shape over a [`Scope`]: the pyramid,
//! time in role before promotion, the flow against the framework and the
//! span of control, with small groups protected.

pub mod analytics;
mod error;
mod estimate;
mod hiring;
mod interval;
mod model;
mod projection;
mod request;
mod window;

pub use analytics::{
    DEFAULT_SPAN_THRESHOLD, Figure, Flow, Habits, MIN_GROUP, Period, Population, Privacy, Pyramid,
    Scope, Span, TimeInRole, flow, habits, pyramid, span, time_in_role,
};
pub use error::InsightsError;
pub use estimate::{
    Estimate, Headcount, LeaveEstimate, MoveEstimate, ObservedRate, TransitionEstimate, estimate,
    headcount,
};
pub use hiring::{Hires, HiringPlan, Target};
pub use interval::{CONFIDENCE, Interval, wilson};
pub use model::{
    LeaveOverride, Model, MoveOverride, MoveRate, Rate, RateSource, RoleRates, WhatIf,
};
pub use projection::{
    Band, MAX_RUNS, MAX_STEPS, Projection, ProjectionSettings, Series, expected_stock, project,
};
pub use request::{
    HireSpec, MAX_WINDOW_MONTHS, MAX_YEARS, ProjectionReport, ProjectionRequest, parse_hire,
    parse_leave, parse_move, parse_target, parse_window, projection_csv, run_projection,
};
pub use window::{Step, Window};
