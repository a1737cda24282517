//! Integration tests of the framework checker: one module per concern.

mod valid;
