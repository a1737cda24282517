//! Benchmarks of the org index (placeholder until the generator lands).

fn main() {}
