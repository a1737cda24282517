//! Fuzz target: every importer of `climb framework import` must return,
//! without panicking, on any bytes; every warning and error has a line and
//! column of the input, and a successful import passes `climb check`. The
//! first byte picks the format. The checks live in
//! `climb_import::fuzzing`, which the crate's property tests also run.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Err(broken) = climb_import::fuzzing::any_format(data) {
        panic!("{broken}");
    }
});
