//! The rulebook loader (TOML, every rule kind's compile step, the matcher) on arbitrary text,
//! then the embedded examples of whatever loads.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| callcheck_fuzz::rulebook(data));
