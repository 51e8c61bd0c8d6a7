//! The whole check of one file on arbitrary bytes: encoding detection, format detection, every
//! parser, the built-in rules, suppressions, redaction and every report format.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| callcheck_fuzz::check_bytes(data));
