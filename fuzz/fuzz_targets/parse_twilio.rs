//! The Twilio Voice Intelligence parser on arbitrary text.
#![no_main]

use callcheck::transcript::twilio::FORMAT;

libfuzzer_sys::fuzz_target!(|data: &[u8]| callcheck_fuzz::parse(&FORMAT, data));
