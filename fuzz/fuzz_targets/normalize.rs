//! The normaliser and its offset map on arbitrary text, with its invariants asserted.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| callcheck_fuzz::normalize(data));
