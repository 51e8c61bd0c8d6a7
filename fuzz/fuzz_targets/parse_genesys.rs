//! The Genesys Cloud transcript parser on arbitrary text.
#![no_main]

use callcheck::transcript::genesys::FORMAT;

libfuzzer_sys::fuzz_target!(|data: &[u8]| callcheck_fuzz::parse(&FORMAT, data));
