//! How much a text says ([`text_units`]), and what the bytes of the commonest Chinese
//! characters and punctuation tell without decoding them ([`wide_class`]).

use super::{is_cjk, is_word_char, placeholder_len};

/// How much a text says: (CJK characters, Latin words). A Chinese character and an English
/// word are comparable units of speech; `don't` is one word.
///
/// Runs on every turn of a call that has a length or speech-rate rule, so ASCII (most of
/// English text) is read eight bytes at a time where it can be, most Chinese characters and
/// punctuation are told by their bytes, and only other characters are decoded.
pub fn text_units(text: &str) -> (usize, usize) {
    let bytes = text.as_bytes();
    let (mut cjk, mut words, mut in_word) = (0, 0, false);
    let mut at = 0;
    while at < bytes.len() {
        let b = bytes[at];
        if b.is_ascii() {
            // Eight plain ASCII bytes at a time: most English text.
            if let Some(chunk) = bytes.get(at..at + 8)
                && let Some(starts) = ascii_word_starts(chunk, in_word)
            {
                words += starts.count as usize;
                in_word = starts.ends_in_word;
                at += 8;
                continue;
            }
            // A dataset placeholder ([数字x], <PHONE>) is one word, whatever it spells.
            if (b == b'[' || b == b'<')
                && let Some(len) = placeholder_len(&text[at..])
            {
                words += 1;
                in_word = false;
                at += len;
                continue;
            }
            if b.is_ascii_alphanumeric() {
                words += usize::from(!in_word);
                in_word = true;
            } else {
                in_word = b == b'\'' && in_word;
            }
            at += 1;
            continue;
        }
        // Most Chinese characters and punctuation: told by their bytes, without decoding.
        match wide_class(bytes, at) {
            Some(WideClass::Han) => {
                cjk += 1;
                in_word = false;
                at += 3;
                continue;
            }
            Some(WideClass::Punctuation) => {
                in_word = false;
                at += 3;
                continue;
            }
            None => {}
        }
        let c = text[at..].chars().next().unwrap_or_default();
        // Other CJK characters and wide punctuation: decided by their code, without the
        // Unicode tables behind `is_alphanumeric`.
        if is_cjk(c) {
            cjk += 1;
            in_word = false;
        } else if !is_wide_punctuation(c) && is_word_char(c) {
            words += usize::from(!in_word);
            in_word = true;
        } else {
            in_word = false;
        }
        at += c.len_utf8();
    }
    (cjk, words)
}

/// Where words start in eight ASCII bytes, for [`text_units`].
struct AsciiWordStarts {
    /// Letters or digits that follow no letter or digit (nor, for the first, a word going on).
    count: u32,
    /// The last byte is a letter or digit.
    ends_in_word: bool,
}

/// [`AsciiWordStarts`] of `chunk` (eight bytes) following a word when `in_word`; `None` when a
/// byte is not ASCII or is one of `[`, `<` (a placeholder may start) and `'` (a word may go on
/// through it), which the byte-by-byte path reads.
#[inline]
fn ascii_word_starts(chunk: &[u8], in_word: bool) -> Option<AsciiWordStarts> {
    const ONES: u64 = u64::from_le_bytes([0x01; 8]);
    const HIGHS: u64 = ONES * 0x80;
    let x = u64::from_le_bytes(chunk.try_into().ok()?);
    // A byte is zero exactly where the result has its high bit (exact for the word as a whole).
    let has_zero = |v: u64| v.wrapping_sub(ONES) & !v & HIGHS != 0;
    if x & HIGHS != 0
        || has_zero(x ^ (ONES * u64::from(b'[')))
        || has_zero(x ^ (ONES * u64::from(b'<')))
        || has_zero(x ^ (ONES * u64::from(b'\'')))
    {
        return None;
    }
    // Per byte (all below 0x80, so no sum carries into the next byte): the high bit set when the
    // byte lies in `lo..=hi`.
    let in_range = |v: u64, lo: u8, hi: u8| {
        let at_least = v + ONES * u64::from(0x80 - lo);
        let above = v + ONES * u64::from(0x7F - hi);
        at_least & !above & HIGHS
    };
    let alphanumeric = in_range(x | (ONES * 0x20), b'a', b'z') | in_range(x, b'0', b'9');
    // A byte starts a word when it is alphanumeric and the byte before it (for the first, the
    // text before the chunk) is not.
    let before = (alphanumeric << 8) | if in_word { 0x80 } else { 0 };
    Some(AsciiWordStarts {
        count: (alphanumeric & !before).count_ones(),
        ends_in_word: alphanumeric >> 63 != 0,
    })
}

/// What [`wide_class`] tells of a character from its bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum WideClass {
    /// A Han character ([`is_cjk`]).
    Han,
    /// Chinese or full-width punctuation: not [`is_cjk`], not alphanumeric.
    Punctuation,
}

/// The class of the three-byte character at `bytes[at]` when its bytes tell it: U+4000 to
/// U+9FFF but the hexagrams (U+4DC0 to U+4DFF), and the commonest Chinese punctuation
/// (U+3000 to U+3004, U+3008 to U+3020, U+FF01 to U+FF0F, U+FF1A to U+FF20). `None` for every
/// other character, which the caller decodes.
#[inline]
pub(crate) fn wide_class(bytes: &[u8], at: usize) -> Option<WideClass> {
    let lead = bytes[at];
    if !(0xE3..=0xEF).contains(&lead) {
        return None;
    }
    // `bytes` is UTF-8: a three-byte lead byte has its two continuation bytes.
    let (second, third) = (*bytes.get(at + 1)?, *bytes.get(at + 2)?);
    match lead {
        0xE5..=0xE9 => Some(WideClass::Han),
        0xE4 if second != 0xB7 => Some(WideClass::Han),
        0xE3 if second == 0x80 && matches!(third, 0x80..=0x84 | 0x88..=0xA0) => Some(WideClass::Punctuation),
        0xEF if second == 0xBC && matches!(third, 0x81..=0x8F | 0x9A..=0xA0) => Some(WideClass::Punctuation),
        _ => None,
    }
}

/// Punctuation and symbols of Chinese and full-width text (dashes, curly quotes, `…`, `，`,
/// `。`, `、`, `【】`, `！`, `？`, `：`…): none of them is a letter or a digit.
pub(super) fn is_wide_punctuation(c: char) -> bool {
    matches!(c as u32,
        0x2010..=0x2027         // dashes, quotation marks, bullets, ellipsis
        | 0x3000..=0x3004       // ideographic space, 、 。 〃 〄
        | 0x3008..=0x3020       // brackets 〈〉《》「」『』【】〔〕, 〒, 〜, 〝〞〟, 〠
        | 0xFF01..=0xFF0F       // ！ to ／
        | 0xFF1A..=0xFF20       // ： to ＠
        | 0xFF3B..=0xFF40       // ［ to ｀
        | 0xFF5B..=0xFF65       // ｛ to ･
    )
}
