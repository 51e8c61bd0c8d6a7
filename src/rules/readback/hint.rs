//! What a cheap look at a text's original characters tells the value readers ([`TextHint`]):
//! most turns hold too few digits, and no mask or bracket, to be worth folding and reading.

use std::ops::Range;

use super::digit_strings::is_mask_char;
use crate::normalize::{WideClass, wide_class};

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
    /// A currency sign, a Chinese word for money (元, 块, 毛, 角, 美金 …) or an ASCII letter: the
    /// text may hold a currency marker, and so an amount.
    pub maybe_money: bool,
}

impl TextHint {
    /// The hint of this text and `other` joined by a space: hints add up, because no digit
    /// word, mask run or bracket spans the joining space.
    pub fn and(self, other: TextHint) -> TextHint {
        TextHint {
            digits: self.digits + other.digits,
            maybe_masked: self.maybe_masked || other.maybe_masked,
            maybe_money: self.maybe_money || other.maybe_money,
        }
    }
}

/// The turns of an utterance (`turns`, whose hints `hint` gives) that a digit string can reach:
/// a turn at either end that holds no digit and no mask is left out (one turn always stays), so
/// it is neither folded nor searched. Read-back rules and `--redact` read the same turns.
pub(crate) fn digit_turns(mut turns: Range<usize>, hint: impl Fn(usize) -> TextHint) -> Range<usize> {
    let idle = |t: usize| {
        let h = hint(t);
        h.digits == 0 && !h.maybe_masked
    };
    while turns.len() > 1 && idle(turns.start) {
        turns.start += 1;
    }
    while turns.len() > 1 && idle(turns.end - 1) {
        turns.end -= 1;
    }
    turns
}

/// The [`TextHint`] of a text, in one pass over its bytes without allocating.
///
/// Runs once per turn of every call that has a read-back or pii rule, and for `--redact`, so
/// ASCII is classed byte by byte from a table (a word's letters are gathered as they come, not
/// read again at its end), Chinese characters are decoded in place and looked up in a bitmap,
/// and only other characters are decoded in full.
pub fn text_hint(source: &str) -> TextHint {
    let bytes = source.as_bytes();
    let (mut digits, mut maybe_masked, mut previous_mask) = (0u32, false, false);
    let mut maybe_money = false;
    let mut at = 0;
    while at < bytes.len() {
        let b = bytes[at];
        let class = ASCII_CLASS[usize::from(b)];
        if class & LETTER != 0 {
            // A word: its letters, gathered in lower case as they come (of them only `x` is
            // a mask character).
            let start = at;
            let mut packed = 0u64;
            maybe_money = true;
            while let Some(&letter) = bytes.get(at)
                && ASCII_CLASS[usize::from(letter)] & LETTER != 0
            {
                let lower = letter | 0x20;
                let mask = lower == b'x';
                maybe_masked |= mask & previous_mask;
                previous_mask = mask;
                packed = (packed << 8) | u64::from(lower);
                at += 1;
            }
            digits += 2 * u32::from(gathered_digit_word(at - start, packed, &bytes[start..at]));
            continue;
        }
        if b.is_ascii() {
            let mask = class & MASK != 0;
            maybe_masked |= (mask & previous_mask) | (class & OPEN != 0);
            previous_mask = mask;
            digits += u32::from(class & DIGIT != 0);
            maybe_money |= b == b'$';
            at += 1;
        } else if (0xE4..=0xE9).contains(&b) && bytes.get(at + 2).is_some() {
            // Three bytes, U+4000 to U+9FFF: decoded here, for most of Chinese text.
            let code = (usize::from(b & 0x0F) << 12)
                | (usize::from(bytes[at + 1] & 0x3F) << 6)
                | usize::from(bytes[at + 2] & 0x3F);
            // An ideograph (or a hexagram) is never a mask, a bracket or any other digit, only
            // perhaps a numeral.
            previous_mask = false;
            let bit = code.wrapping_sub(0x4000);
            let is_set = |bits: &[u64]| bits.get(bit / 64).is_some_and(|w| w >> (bit % 64) & 1 != 0);
            digits += u32::from(is_set(&CJK_DIGITS));
            maybe_money |= is_set(&CJK_MONEY);
            at += 3;
        } else if wide_class(bytes, at) == Some(WideClass::Punctuation)
            && !matches!(
                (bytes[at + 1], bytes[at + 2]),
                (0xBC, 0x84 | 0x88 | 0x8A) | (0x80, 0x90)
            )
        {
            // Chinese punctuation (，。？) other than ＄, （, ＊ and 【 marks nothing.
            previous_mask = false;
            at += 3;
        } else {
            let c = source[at..].chars().next().unwrap_or_default();
            let mask = is_mask_char(c) || c == '＊';
            maybe_masked |= (mask && previous_mask) || matches!(c, '【' | '（');
            previous_mask = mask;
            digits += u32::from(super::numbers::cjk_digit(c).is_some() || other_digit(c));
            maybe_money |= MONEY_SIGNS.contains(&c);
            at += c.len_utf8();
        }
    }
    TextHint {
        digits,
        maybe_masked,
        maybe_money,
    }
}

/// The currency signs other than `$` that amount markers hold (full-width forms included).
pub(crate) const MONEY_SIGNS: [char; 6] = ['¥', '£', '€', '＄', '￥', '￡'];

/// The Chinese characters that amount markers hold: 元, 块, 塊, 圆, 圓, 毛, 角 and the 美 of 美金.
pub(crate) const MONEY_CHARS: [char; 8] = ['元', '块', '塊', '圆', '圓', '毛', '角', '美'];

/// [`CJK_DIGITS`] for [`MONEY_CHARS`].
static CJK_MONEY: CjkBits = cjk_bits(&MONEY_CHARS);

/// One bit per code point from U+4000 to U+9FFF.
type CjkBits = [u64; 0x6000 / 64];

/// The bits of `chars` (all from U+4000 to U+9FFF) set.
const fn cjk_bits(chars: &[char]) -> CjkBits {
    let mut bits = [0u64; 0x6000 / 64];
    let mut i = 0;
    while i < chars.len() {
        let bit = chars[i] as usize - 0x4000;
        bits[bit / 64] |= 1 << (bit % 64);
        i += 1;
    }
    bits
}

/// [`ASCII_CLASS`] bits: a letter, a digit, a mask character, an opening bracket.
const LETTER: u8 = 1;
const DIGIT: u8 = 2;
const MASK: u8 = 4;
const OPEN: u8 = 8;

/// What [`text_hint`] needs to know of each ASCII byte (other bytes have no class).
static ASCII_CLASS: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        if c.is_ascii_alphabetic() {
            table[b] |= LETTER;
        }
        if c.is_ascii_digit() {
            table[b] |= DIGIT;
        }
        if matches!(c, b'*' | b'#' | b'x' | b'X') {
            table[b] |= MASK;
        }
        if matches!(c, b'[' | b'<' | b'{') {
            table[b] |= OPEN;
        }
        b += 1;
    }
    table
};

/// One bit per code point from U+4000 to U+9FFF: set for the Chinese digits
/// ([`cjk_digit`](super::numbers::cjk_digit)) there.
// Kept in step with `cjk_digit` by a unit test.
static CJK_DIGITS: CjkBits = cjk_bits(&[
    '零', '一', '幺', '壹', '二', '两', '贰', '三', '叁', '四', '肆', '五', '伍', '六', '陆', '七', '柒',
    '八', '捌', '九', '玖',
]);

/// An English word (ASCII letters, any case) that gives digits in a digit string: a unit
/// ("one"), a teen or a ten ("fifteen", "forty", and "fourty" as the readers read it), "hundred",
/// or "oh", "o", "double", "triple".
pub(crate) fn is_digit_word(word: &[u8]) -> bool {
    let packed = word
        .iter()
        .fold(0u64, |packed, &b| (packed << 8) | u64::from(b | 0x20));
    word.iter().all(u8::is_ascii_alphabetic) && gathered_digit_word(word.len(), packed, word)
}

/// [`is_digit_word`] of a run of `len` ASCII letters, given also as its last 8 letters in lower
/// case packed one per byte (`(packed << 8) | lower` letter after letter).
fn gathered_digit_word(len: usize, packed: u64, word: &[u8]) -> bool {
    /// Packs a lower-case word as [`gathered_digit_word`] takes it.
    const fn pack(word: &[u8]) -> u64 {
        let (mut packed, mut i) = (0u64, 0);
        while i < word.len() {
            packed = (packed << 8) | word[i] as u64;
            i += 1;
        }
        packed
    }
    // Every digit word of at most 8 letters, packed: matched as a tree of comparisons.
    const O: u64 = pack(b"o");
    const OH: u64 = pack(b"oh");
    const DOUBLE: u64 = pack(b"double");
    const TRIPLE: u64 = pack(b"triple");
    const HUNDRED: u64 = pack(b"hundred");
    const ZERO: u64 = pack(b"zero");
    const ONE: u64 = pack(b"one");
    const TWO: u64 = pack(b"two");
    const THREE: u64 = pack(b"three");
    const FOUR: u64 = pack(b"four");
    const FIVE: u64 = pack(b"five");
    const SIX: u64 = pack(b"six");
    const SEVEN: u64 = pack(b"seven");
    const EIGHT: u64 = pack(b"eight");
    const NINE: u64 = pack(b"nine");
    const TEN: u64 = pack(b"ten");
    const ELEVEN: u64 = pack(b"eleven");
    const TWELVE: u64 = pack(b"twelve");
    const THIRTEEN: u64 = pack(b"thirteen");
    const FOURTEEN: u64 = pack(b"fourteen");
    const FIFTEEN: u64 = pack(b"fifteen");
    const SIXTEEN: u64 = pack(b"sixteen");
    const EIGHTEEN: u64 = pack(b"eighteen");
    const NINETEEN: u64 = pack(b"nineteen");
    const TWENTY: u64 = pack(b"twenty");
    const THIRTY: u64 = pack(b"thirty");
    const FORTY: u64 = pack(b"forty");
    // A common misspelling, which the readers read as "forty".
    const FOURTY: u64 = pack(b"fourty");
    const FIFTY: u64 = pack(b"fifty");
    const SIXTY: u64 = pack(b"sixty");
    const SEVENTY: u64 = pack(b"seventy");
    const EIGHTY: u64 = pack(b"eighty");
    const NINETY: u64 = pack(b"ninety");
    match len {
        1..=8 => matches!(
            packed,
            O | OH
                | DOUBLE
                | TRIPLE
                | HUNDRED
                | ZERO
                | ONE
                | TWO
                | THREE
                | FOUR
                | FIVE
                | SIX
                | SEVEN
                | EIGHT
                | NINE
                | TEN
                | ELEVEN
                | TWELVE
                | THIRTEEN
                | FOURTEEN
                | FIFTEEN
                | SIXTEEN
                | EIGHTEEN
                | NINETEEN
                | TWENTY
                | THIRTY
                | FORTY
                | FOURTY
                | FIFTY
                | SIXTY
                | SEVENTY
                | EIGHTY
                | NINETY
        ),
        // The one digit word of 9 letters.
        9 => word.eq_ignore_ascii_case(b"seventeen"),
        _ => false,
    }
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

/// Every word [`is_digit_word`] tells, in lower case: what the tests check it against.
#[cfg(test)]
pub(super) const DIGIT_WORDS: &[&str] = &[
    "o",
    "oh",
    "double",
    "triple",
    "hundred",
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
    "twenty",
    "thirty",
    "forty",
    "fifty",
    "sixty",
    "seventy",
    "eighty",
    "ninety",
    "fourty",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bitmap_holds_exactly_the_chinese_digits() {
        for code in 0x4000..=0x9FFFu32 {
            let Some(c) = char::from_u32(code) else { continue };
            let bit = code as usize - 0x4000;
            let set = CJK_DIGITS[bit / 64] >> (bit % 64) & 1 != 0;
            assert_eq!(set, super::super::numbers::cjk_digit(c).is_some(), "{c}");
        }
    }

    #[test]
    fn digit_words_are_told_in_any_case_and_nothing_else() {
        let words = DIGIT_WORDS;
        for word in words {
            for variant in [
                word.to_string(),
                word.to_uppercase(),
                format!("{}{}", &word[..1].to_uppercase(), &word[1..]),
            ] {
                assert!(is_digit_word(variant.as_bytes()), "{variant}");
                assert_eq!(text_hint(&variant).digits, 2, "{variant}");
            }
            for near in [
                format!("{word}s"),
                format!("a{word}"),
                word[1..].to_string(),
                format!("{word}1"),
            ] {
                let listed = words.contains(&near.as_str());
                assert_eq!(is_digit_word(near.as_bytes()), listed, "{near}");
            }
        }
        for other in ["", "seventeens", "abcdefghijklmnopq", "O@", "on", "[one", "óne"] {
            assert!(!is_digit_word(other.as_bytes()), "{other}");
        }
    }
}
