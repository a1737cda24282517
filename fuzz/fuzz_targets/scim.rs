//! Fuzz target: the SCIM filter parser, the PATCH path parser and PATCH
//! bodies answer any input without panicking, say why they refuse one, and
//! what parses evaluates on a user or applies to one. The first byte picks
//! which (0 a filter, 1 a path, 2 a PATCH body). The checks live in
//! `climb_server::scim::fuzzing`, which the crate's tests also run.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Err(broken) = climb_server::scim::fuzzing::filter_and_patch(data) {
        panic!("{broken}");
    }
});
