//! What a cheap look at a text's original characters tells the value readers ([`TextHint`]):
//! most turns hold too few digits, and no mask or bracket, to be worth folding and reading.

use super::digit_strings::is_mask_char;

/// What a cheap look at a turn's original text tells the extractors, so most turns are never
/// folded or searched.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TextHint {
    /// At least as many digits as [`digit_runs`] can read in the text: each digit is a digit
    /// character or comes from a digit word, and no word gives more than two digits
    /// ("fifteen", "double five", "eight hundred" after its "eight").
    ///
    /// [`digit_runs`]: super::digit_strings::digit_runs
    pub digits: u32,
    /// Two mask characters in a row, or a bracket: the text may hold a masked value or a
    /// placeholder (`****1234`, `[订单x]`, `<PHONE>`).
    pub maybe_masked: bool,
}

impl TextHint {
    /// The hint of this text and `other` joined by a space: hints add up, because no digit
    /// word, mask run or bracket spans the joining space.
    pub fn and(self, other: TextHint) -> TextHint {
        TextHint {
            digits: self.digits + other.digits,
            maybe_masked: self.maybe_masked || other.maybe_masked,
        }
    }
}

/// The [`TextHint`] of a text, in one pass over its bytes without allocating.
///
/// Runs once per turn for every read-back and pii rule and for `--redact`, so ASCII is handled
/// byte by byte and only non-ASCII characters are decoded.
pub fn text_hint(source: &str) -> TextHint {
    let bytes = source.as_bytes();
    let mut hint = TextHint::default();
    let mut word_start: Option<usize> = None;
    let mut previous_mask = false;
    let mut at = 0;
    while at < bytes.len() {
        let b = bytes[at];
        let len;
        if b.is_ascii() {
            len = 1;
            let mask = matches!(b, b'*' | b'#' | b'x' | b'X');
            hint.maybe_masked |= (mask && previous_mask) || matches!(b, b'[' | b'<' | b'{');
            previous_mask = mask;
            if b.is_ascii_alphabetic() {
                word_start.get_or_insert(at);
                at += 1;
                continue;
            }
            hint.digits += u32::from(b.is_ascii_digit());
        } else if (0xE4..=0xE9).contains(&b) && bytes.get(at + 2).is_some() {
            // Three bytes, U+4000 to U+9FFF: decoded here, for most of Chinese text.
            len = 3;
            let code = (u32::from(b & 0x0F) << 12)
                | (u32::from(bytes[at + 1] & 0x3F) << 6)
                | u32::from(bytes[at + 2] & 0x3F);
            // An ideograph (or a hexagram) is never a mask, a bracket or any other digit, only
            // perhaps a numeral.
            previous_mask = false;
            let c = char::from_u32(code).unwrap_or_default();
            hint.digits += u32::from(super::numbers::cjk_digit(c).is_some());
        } else {
            let c = source[at..].chars().next().unwrap_or_default();
            len = c.len_utf8();
            let mask = is_mask_char(c) || c == '＊';
            hint.maybe_masked |= (mask && previous_mask) || matches!(c, '【' | '（');
            previous_mask = mask;
            hint.digits += u32::from(super::numbers::cjk_digit(c).is_some() || other_digit(c));
        }
        if let Some(start) = word_start.take()
            && is_digit_word(&bytes[start..at])
        {
            hint.digits += 2;
        }
        at += len;
    }
    if let Some(start) = word_start
        && is_digit_word(&bytes[start..])
    {
        hint.digits += 2;
    }
    hint
}

/// An English word (ASCII letters, any case) that gives digits in a digit string: a unit
/// ("one"), a teen or a ten ("fifteen", "forty"), "hundred", or "oh", "o", "double", "triple".
pub(crate) fn is_digit_word(word: &[u8]) -> bool {
    let mut lower = [0u8; 9];
    let Some(lower) = lower.get_mut(..word.len()) else {
        return false;
    };
    for (to, from) in lower.iter_mut().zip(word) {
        *to = from.to_ascii_lowercase();
    }
    matches!(
        &*lower,
        b"o" | b"oh"
            | b"double"
            | b"triple"
            | b"hundred"
            | b"zero"
            | b"one"
            | b"two"
            | b"three"
            | b"four"
            | b"five"
            | b"six"
            | b"seven"
            | b"eight"
            | b"nine"
            | b"ten"
            | b"eleven"
            | b"twelve"
            | b"thirteen"
            | b"fourteen"
            | b"fifteen"
            | b"sixteen"
            | b"seventeen"
            | b"eighteen"
            | b"nineteen"
            | b"twenty"
            | b"thirty"
            | b"forty"
            | b"fifty"
            | b"sixty"
            | b"seventy"
            | b"eighty"
            | b"ninety"
    )
}

/// A non-ASCII character that may become a digit when normalised: full-width, circled and
/// superscript digits and other numeric characters. Ideographs, kana, hangul and full-width
/// punctuation are skipped without the (slow) numeric lookup, except the enclosed and squared
/// CJK block, whose circled numerals fold to digits.
pub(super) fn other_digit(c: char) -> bool {
    match u32::from(c) {
        0x3220..=0x33FF | 0xFF10..=0xFF19 => c.is_numeric(),
        0x2E80..=0x9FFF | 0xAC00..=0xD7AF | 0xFF00..=0xFFEF => false,
        _ => c.is_numeric(),
    }
}

/// False when `source` certainly holds fewer than `min_digits` digits (see [`TextHint`]).
pub fn may_hold_digits(source: &str, min_digits: usize) -> bool {
    text_hint(source).digits as usize >= min_digits
}
