//! callcheck's JSON and JSON Lines parsers (and the position-keeping JSON reader under every
//! JSON format) on arbitrary text; the first byte picks one.
#![no_main]

use callcheck::transcript::callcheck_json::{JSON, JSONL};

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Some((&selector, rest)) = data.split_first() {
        callcheck_fuzz::parse(if selector % 2 == 0 { &JSON } else { &JSONL }, rest);
    }
});
