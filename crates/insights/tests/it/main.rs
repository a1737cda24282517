//! The insights core against small companies worked out by hand.

mod analytics;
mod estimate;
mod index_oracle;
mod model;
mod oracle;
mod projection;
mod support;
