//! The runs that folding only copies, found without going character by character through
//! the table: ASCII words with single spaces between them, and three-byte characters (most
//! of Chinese text) the fold writes as they are. Each run stops before a character a
//! combining mark may follow, since the mark could change it.

use super::{CharTable, Entry, Kind};

/// End of the run of word bytes from `start` (which is one) that folding only copies: ASCII
/// letters and digits `plain` marks, single spaces between them. The run ends on a word byte,
/// and never on one a non-ASCII character follows, which could be a combining mark that
/// changes it.
#[inline(always)]
pub(super) fn plain_run_end(bytes: &[u8], start: usize, plain: &[bool; 256]) -> usize {
    let word = |b: u8| plain[usize::from(b)];
    let mut end = start;
    while let Some(&b) = bytes.get(end) {
        if word(b) {
            end += 1;
        } else if b == b' ' && bytes.get(end + 1).is_some_and(|&next| word(next)) {
            end += 2;
        } else {
            break;
        }
    }
    if bytes.get(end).is_some_and(|b| !b.is_ascii()) {
        end -= 1;
        if end > start && bytes[end - 1] == b' ' {
            end -= 1;
        }
    }
    end
}

/// End of the run of three-byte characters from `start` (whose character is `code`, with
/// table entry `entry`) that the table writes out as they are, none followed by a combining
/// mark, and the entry of its last character (`None` when the run is empty).
#[inline(always)]
pub(super) fn same_three_run_end(
    table: &CharTable,
    bytes: &[u8],
    start: usize,
    (mut code, mut entry): (u32, Entry),
) -> (usize, Option<Entry>) {
    let mut end = start;
    let mut last = None;
    while entry.kind() == Kind::Emit && entry.0 & 0x1F_FFFF == code {
        let next = end + 3;
        match next_three(table, bytes, next) {
            Next::Three(next_code, next_entry) => {
                (end, last) = (next, Some(entry));
                (code, entry) = (next_code, next_entry);
            }
            Next::NoMark => return (next, Some(entry)),
            Next::MayBeMark => break,
        }
    }
    (end, last)
}

/// What follows a character, for the fast paths that must know no combining mark does.
pub(super) enum Next {
    /// A three-byte character that is no combining mark: its value and entry.
    Three(u32, Entry),
    /// The end of the text, an ASCII character or anything else that is no combining mark.
    NoMark,
    /// A combining mark, or a character of two or four bytes, which may be one.
    MayBeMark,
}

/// What starts at byte `at` of `bytes` (a character boundary).
#[inline(always)]
pub(super) fn next_three(table: &CharTable, bytes: &[u8], at: usize) -> Next {
    match bytes.get(at) {
        Some(&b) if starts_three(b) => match bytes.get(at..at + 3) {
            Some(sequence) => {
                let code = decode_three(sequence);
                let entry = table.entry_bmp(code);
                if entry.kind() == Kind::Combining {
                    Next::MayBeMark
                } else {
                    Next::Three(code, entry)
                }
            }
            None => Next::MayBeMark,
        },
        Some(&b) if !b.is_ascii() => Next::MayBeMark,
        _ => Next::NoMark,
    }
}

/// The value of the three-byte UTF-8 sequence at the start of `bytes` (valid UTF-8).
#[inline(always)]
pub(super) fn decode_three(bytes: &[u8]) -> u32 {
    let [first, second, third, ..] = *bytes else {
        return u32::from(char::REPLACEMENT_CHARACTER);
    };
    (u32::from(first & 0x0F) << 12) | (u32::from(second & 0x3F) << 6) | u32::from(third & 0x3F)
}

/// True when `b` starts a three-byte UTF-8 sequence (the rest of the Basic Multilingual Plane
/// above U+07FF, which holds CJK text).
#[inline(always)]
pub(super) fn starts_three(b: u8) -> bool {
    b & 0xF0 == 0xE0
}
