//! The CSV and TSV transcript parsers on arbitrary text (the first byte picks one).
#![no_main]

use callcheck::transcript::csv::{CSV, TSV};

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Some((&selector, rest)) = data.split_first() {
        callcheck_fuzz::parse(if selector % 2 == 0 { &CSV } else { &TSV }, rest);
    }
});
