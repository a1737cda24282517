//! Fuzz target: reading and validating any bytes as a people CSV, as a
//! first import and as a re-import, must return without panicking, name
//! every problem by row and line, and write back the accepted rows
//! unchanged. The checks live in `climb_hris::fuzzing`, which the corpus
//! replay test also runs.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Err(broken) = climb_hris::fuzzing::csv_import(data) {
        panic!("{broken}");
    }
});
