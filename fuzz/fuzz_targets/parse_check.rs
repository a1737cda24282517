//! Fuzz target: `check` and both renderings must return, without panicking,
//! on any bytes; a framework is produced exactly when there is no error, and
//! every diagnostic has a line and column. The checks live in
//! `climb_framework::fuzzing`, which the corpus replay test also runs.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Err(broken) = climb_framework::fuzzing::parse_check(data) {
        panic!("{broken}");
    }
});
