//! Fuzz target: `check` and both renderings must return, without panicking,
//! on any bytes, and a framework is produced exactly when there is no error.

#![no_main]

use climb_framework::check;
use climb_framework::diagnostic::{render_json, render_text};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let report = check(data);
    assert_eq!(report.framework().is_some(), !report.has_errors());
    let _ = render_text(&report, "fuzz.toml", false);
    let _ = render_json(&report, "fuzz.toml");
});
