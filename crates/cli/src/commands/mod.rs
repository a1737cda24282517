//! One module per subcommand; each exposes `run` (or a few entry points)
//! returning the process exit status.

pub(crate) mod admin;
pub(crate) mod audit;
pub(crate) mod backup;
pub(crate) mod chart;
pub(crate) mod check;
pub(crate) mod demo;
mod demo_one_on_ones;
pub(crate) mod demo_reviews;
mod demo_text;
pub(crate) mod diff;
pub(crate) mod fmt;
pub(crate) mod framework;
pub(crate) mod init;
pub(crate) mod lsp;
pub(crate) mod path;
pub(crate) mod people;
pub(crate) mod project;
pub(crate) mod roles;
pub(crate) mod serve;
