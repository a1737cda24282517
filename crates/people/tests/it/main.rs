//! Integration tests of the people domain: one binary, a module per feature.

mod invariants;
mod org_index;
