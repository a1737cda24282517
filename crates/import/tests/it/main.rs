//! climb-import through its public surface: each format's fixtures, and
//! mutated fixtures thrown at every importer.

mod corpus;
mod properties;

/// The bytes of a fixture under `tests/fixtures`.
pub(crate) fn fixture(path: &str) -> Vec<u8> {
    let full = format!("{}/tests/fixtures/{path}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&full).unwrap_or_else(|e| panic!("cannot read {full}: {e}"))
}
