//! The contact_lens transcript parser on arbitrary text.
#![no_main]

use callcheck::transcript::contact_lens::FORMAT;

libfuzzer_sys::fuzz_target!(|data: &[u8]| callcheck_fuzz::parse(&FORMAT, data));
