//! The reply template parsers (text, Markdown, YAML/JSON of named replies) and the metadata
//! tables and sidecars on arbitrary text; the first byte picks one.
#![no_main]

use callcheck::transcript::templates::{FORMAT, MARKDOWN, NAMED};

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Some((&selector, rest)) = data.split_first() {
        match selector % 4 {
            0 => callcheck_fuzz::parse(&FORMAT, rest),
            1 => callcheck_fuzz::parse(&MARKDOWN, rest),
            2 => callcheck_fuzz::parse(&NAMED, rest),
            _ => callcheck_fuzz::metadata(rest),
        }
    }
});
