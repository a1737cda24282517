//! The manager's work on top of the framework and the reporting tree:
//! one-on-ones, performance reviews, promotion proposals, growth plans,
//! openings and company updates. Pure like `climb-people`: each area takes
//! the current state and a request, decides, and returns what changed or a
//! typed error; the store persists it and the server renders it.

pub mod calibration;
pub mod growth;
pub mod inbox;
pub mod one_on_one;
pub mod opening;
pub mod promotion;
pub mod review;
#[cfg(test)]
mod testkit;
pub mod update;
