//! The AWS Post-Call Analytics parser on arbitrary text.
#![no_main]

use callcheck::transcript::pca::FORMAT;

libfuzzer_sys::fuzz_target!(|data: &[u8]| callcheck_fuzz::parse(&FORMAT, data));
