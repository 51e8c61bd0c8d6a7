//! A cheap necessary condition for patterns that cannot match without digits.
//!
//! Patterns with no literal to gate them (`\d{15,19}`, `[0-9]{3}-[0-9]{4}-[0-9]{4}`) would run on
//! every turn; most turns hold few digits, so a pattern that needs eleven of them is skipped
//! where the turn has fewer. Both sides count the same characters ([`counts_as_digit`]), so the
//! condition never skips a turn the pattern could match.

use regex_syntax::hir::{Class, Hir, HirKind};

/// True for the characters [`digits_in`] counts: ASCII digits and non-ASCII numeric characters
/// outside the CJK ideograph block (which holds none, and is skipped without decoding).
pub(super) fn counts_as_digit(c: char) -> bool {
    c.is_ascii_digit() || (!c.is_ascii() && !matches!(c as u32, 0x4000..=0x9FFF) && c.is_numeric())
}

/// How many characters of `text` [`counts_as_digit`], or `enough` if there are more.
/// CJK ideographs, most of a Chinese turn, are stepped over without decoding.
pub(super) fn digits_in(text: &str, enough: u32) -> u32 {
    let bytes = text.as_bytes();
    let mut count = 0;
    let mut at = 0;
    while at < bytes.len() && count < enough {
        let b = bytes[at];
        if b < 0x80 {
            count += u32::from(b.is_ascii_digit());
            at += 1;
        } else if (0xE4..=0xE9).contains(&b) {
            // U+4000..U+9FFF: CJK ideographs, three bytes each.
            at += 3;
        } else {
            let c = text[at..].chars().next().unwrap_or_default();
            count += u32::from(counts_as_digit(c));
            at += c.len_utf8().max(1);
        }
    }
    count
}

/// The fewest characters that [`counts_as_digit`] every match of `pattern` holds (0 when the
/// pattern does not parse, which the regex crate reports elsewhere).
pub(super) fn min_digits(pattern: &str, case_insensitive: bool) -> u32 {
    regex_syntax::ParserBuilder::new()
        .case_insensitive(case_insensitive)
        .build()
        .parse(pattern)
        .map_or(0, |hir| min_digits_of(&hir))
}

fn min_digits_of(hir: &Hir) -> u32 {
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => 0,
        HirKind::Literal(literal) => std::str::from_utf8(&literal.0).map_or(0, |text| {
            text.chars().filter(|&c| counts_as_digit(c)).count() as u32
        }),
        HirKind::Class(class) => u32::from(class_is_digits(class)),
        HirKind::Repetition(repetition) => repetition.min.saturating_mul(min_digits_of(&repetition.sub)),
        HirKind::Capture(capture) => min_digits_of(&capture.sub),
        HirKind::Concat(parts) => parts.iter().map(min_digits_of).fold(0, u32::saturating_add),
        HirKind::Alternation(branches) => branches.iter().map(min_digits_of).min().unwrap_or(0),
    }
}

/// True when every character of `class` counts as a digit. Ranges are checked character by
/// character up to a bound; a larger range (a letter class) is not all digits anyway.
fn class_is_digits(class: &Class) -> bool {
    const MAX_CHECKED: u32 = 4096;
    match class {
        Class::Unicode(class) => {
            let size: u32 = class
                .ranges()
                .iter()
                .map(|r| r.end() as u32 - r.start() as u32 + 1)
                .sum();
            size <= MAX_CHECKED
                && class
                    .ranges()
                    .iter()
                    .all(|r| (r.start()..=r.end()).all(counts_as_digit))
        }
        Class::Bytes(class) => class
            .ranges()
            .iter()
            .all(|r| (r.start()..=r.end()).all(|b| b.is_ascii_digit())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn patterns_count_their_required_digits() {
        assert_eq!(min_digits(r"\d{15,19}", false), 15);
        assert_eq!(min_digits(r"[0-9]{3}-[0-9]{4}-[0-9]{4}", true), 11);
        assert_eq!(min_digits(r"[A-Z]{2}\d{11}", true), 11);
        assert_eq!(min_digits(r"order (?:\d{6}|[a-z]{8})", true), 0);
        assert_eq!(min_digits(r"(?:\d{4}|\d{6})x", false), 4);
        assert_eq!(min_digits(r"13\d{9}", false), 11);
        assert_eq!(min_digits(r"[\d ]{11}", false), 0);
        assert_eq!(min_digits(r"百分之[一二三四五六七八九十百]+", false), 0);
        assert_eq!(min_digits(r"\w{3}", false), 0);
        assert_eq!(min_digits(r"(", false), 0);
    }

    #[test]
    fn counting_skips_ideographs_and_counts_other_scripts_digits() {
        assert_eq!(digits_in("您的手机号是13812345678吗", u32::MAX), 11);
        assert_eq!(digits_in("٣٤٥ and ४५", u32::MAX), 5);
        assert_eq!(digits_in("一二三", u32::MAX), 0);
        assert_eq!(digits_in("12345", 3), 3);
    }

    /// Texts mixing ASCII, Chinese, Arabic-Indic and full-width characters.
    fn mixed_text() -> impl Strategy<Value = String> {
        prop::collection::vec(
            prop_oneof![
                Just('1'),
                Just('9'),
                Just('a'),
                Just(' '),
                Just('-'),
                Just('号'),
                Just('一'),
                Just('٣'),
                Just('１'),
                Just('②'),
                Just('〇'),
                Just('，'),
                any::<char>(),
            ],
            0..40,
        )
        .prop_map(|chars| chars.into_iter().collect())
    }

    proptest! {
        /// The shortcut pass and the decoding pass count what a plain count counts.
        #[test]
        fn counts_match_a_plain_count(text in mixed_text(), enough in 0u32..30) {
            let plain = text.chars().filter(|&c| counts_as_digit(c)).count() as u32;
            prop_assert_eq!(digits_in(&text, enough), plain.min(enough));
        }

        /// The condition is necessary: whenever a pattern matches, the text holds at least
        /// the digits the pattern was said to need.
        #[test]
        fn a_match_always_holds_the_required_digits(text in mixed_text()) {
            for pattern in [r"\d{3}", r"\d+-\d", r"[0-9]{2}", r"[٠-٩]{2}", r"\d\D\d", r"(?:1|٣)\d"] {
                let needed = min_digits(pattern, false);
                prop_assert!(needed > 0, "{pattern}");
                if regex::Regex::new(pattern).unwrap().is_match(&text) {
                    prop_assert!(digits_in(&text, u32::MAX) >= needed, "{pattern} in {text:?}");
                }
            }
        }
    }
}
