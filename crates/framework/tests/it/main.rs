//! Integration tests of the framework checker: one module per concern.

mod codes;
mod corpus;
mod format;
mod json;
mod many;
mod properties;
mod robustness;
mod support;
mod valid;
