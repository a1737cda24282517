//! Integration tests of the chart: geometry invariants on generated
//! frameworks, the SVG contract, PNG output and the built-in snapshot.

mod contract;
mod generate;
mod geometry;
mod png;
mod snapshot;
