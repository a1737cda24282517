//! The insights core against small companies worked out by hand.

mod analytics;
mod estimate;
mod model;
mod projection;
mod support;
