//! The insights core against small companies worked out by hand.

mod estimate;
mod model;
mod projection;
mod support;
