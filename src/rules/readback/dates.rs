//! Calendar dates in folded text: "2026-11-22", "2026年11月22日", "11月22号", "十一月二十二日",
//! "November 22", "Nov 22nd, 2026", "the twenty-second of November". A date without a year
//! equals any date with the same month and day.

use std::fmt;
use std::ops::Range;
use std::sync::LazyLock;

use aho_corasick::AhoCorasick;
use regex::Regex;

use super::numbers::{parse_chinese_integer, parse_english_number};

/// A calendar date; the year is optional because people rarely say it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Date {
    /// The year, when given.
    pub year: Option<u16>,
    /// 1–12.
    pub month: u8,
    /// 1–31.
    pub day: u8,
}

impl fmt::Display for Date {
    /// `2026-11-22`, or `11-22` without a year.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.year {
            Some(y) => write!(f, "{y:04}-{:02}-{:02}", self.month, self.day),
            None => write!(f, "{:02}-{:02}", self.month, self.day),
        }
    }
}

/// A date found in folded text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DateMatch {
    /// The date.
    pub date: Date,
    /// Byte range in the folded text.
    pub range: Range<usize>,
}

const MONTHS: &str = "january|february|march|april|may|june|july|august|september|october|november|\
                      december|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec";
const ORDINALS: &str = "(?:twenty|thirty)[\\s-](?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth)|\
                        first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|\
                        thirteenth|fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|\
                        twentieth|thirtieth";
const CARDINALS: &str = "(?:twenty|thirty)[\\s-](?:one|two|three|four|five|six|seven|eight|nine)|one|two|\
                         three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|\
                         sixteen|seventeen|eighteen|nineteen|twenty|thirty";

static YMD: LazyLock<Regex> =
    LazyLock::new(|| compile(r"(?-u:\b)(\d{4})\s?[-/.年]\s?(\d{1,2})\s?[-/.月]\s?(\d{1,2})(?:\s?[日号])?"));

static CHINESE: LazyLock<Regex> = LazyLock::new(|| {
    compile(
        r"(?:([0-9〇零一二三四五六七八九]{4})\s?年\s?)?([0-9]{1,2}|[一二三四五六七八九十]{1,3})\s?月份?\s?([0-9]{1,2}|[一二三四五六七八九十]{1,3})\s?[日号]",
    )
});

static MONTH_DAY: LazyLock<Regex> = LazyLock::new(|| {
    compile(&format!(
        r"(?-u:\b)({MONTHS})\.?\s+(?:the\s+)?(\d{{1,2}}(?:st|nd|rd|th)?|{ORDINALS}|{CARDINALS})(?-u:\b)(?:,?\s+(\d{{4}})(?-u:\b))?"
    ))
});

static DAY_MONTH: LazyLock<Regex> = LazyLock::new(|| {
    compile(&format!(
        r"(?-u:\b)(?:the\s+)?(\d{{1,2}}(?:st|nd|rd|th)?|{ORDINALS})\s+(?:of\s+)?({MONTHS})(?-u:\b)(?:,?\s+(\d{{4}})(?-u:\b))?"
    ))
});

fn compile(pattern: &str) -> Regex {
    // The patterns are constants covered by the unit tests; a failure is a programming error.
    Regex::new(pattern).unwrap_or_else(|e| unreachable!("built-in date pattern: {e}"))
}

/// The three-letter starts of the English month names: every match of [`MONTH_DAY`] and
/// [`DAY_MONTH`] holds one.
static MONTH_STARTS: LazyLock<AhoCorasick> = LazyLock::new(|| {
    AhoCorasick::new([
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ])
    .unwrap_or_else(|e| unreachable!("built-in month names: {e}"))
});

/// False when `text` certainly holds no match of [`YMD`]: every match has four numeric
/// characters in a row, then perhaps one space, then a separator (`-`, `/`, `.`, `年`). Most texts
/// with a phone number have no such separator after it.
fn may_hold_ymd(text: &str) -> bool {
    // Numeric characters in a row just before, and whether a space follows four or more.
    let (mut run, mut spaced) = (0, false);
    for c in text.chars() {
        if is_numeric(c) {
            run += 1;
            spaced = false;
            continue;
        }
        if matches!(c, '-' | '/' | '.' | '年') && (run >= 4 || spaced) {
            return true;
        }
        spaced = run >= 4 && c.is_whitespace();
        run = 0;
    }
    false
}

/// `char::is_numeric`, without its table look-up for ASCII and the common Chinese characters
/// (U+4E00 to U+9FFF are all letters).
fn is_numeric(c: char) -> bool {
    match c {
        '\0'..='\x7f' => c.is_ascii_digit(),
        '\u{4E00}'..='\u{9FFF}' => false,
        _ => c.is_numeric(),
    }
}

/// Every date in folded text, in order, without overlaps.
pub fn dates(text: &str) -> Vec<DateMatch> {
    // A date needs 月, a digit or a month name: a cheap test before the patterns run, and each
    // pattern runs only where what it needs is there.
    // Month names are ASCII: most Chinese text has no ASCII letter to search from.
    let months = text.bytes().any(|b| b.is_ascii_alphabetic()) && MONTH_STARTS.is_match(text);
    let chinese = text.contains('月');
    let might = chinese
        || text.bytes().any(|b| b.is_ascii_digit())
        || (months && (MONTH_DAY.is_match(text) || DAY_MONTH.is_match(text)));
    if !might {
        return Vec::new();
    }
    let mut found: Vec<DateMatch> = Vec::new();
    let mut push = |range: Range<usize>, year: Option<u16>, month: Option<u64>, day: Option<u64>| {
        if let Some(date) = valid(year, month, day) {
            found.push(DateMatch { date, range });
        }
    };
    let ymd = may_hold_ymd(text).then(|| YMD.captures_iter(text));
    for c in ymd.into_iter().flatten() {
        let Some(whole) = c.get(0) else { continue };
        // "2026-11-223" is not a date.
        if text[whole.end()..].starts_with(|ch: char| ch.is_ascii_digit()) {
            continue;
        }
        let num = |i| c.get(i).and_then(|m| m.as_str().parse::<u64>().ok());
        push(whole.range(), num(1).and_then(year), num(2), num(3));
    }
    for c in chinese.then(|| CHINESE.captures_iter(text)).into_iter().flatten() {
        let Some(whole) = c.get(0) else { continue };
        let num = |i| c.get(i).and_then(|m| chinese_or_arabic(m.as_str()));
        let y = match c.get(1) {
            Some(_) => match num(1).and_then(year) {
                Some(y) => Some(y),
                None => continue,
            },
            None => None,
        };
        push(whole.range(), y, num(2), num(3));
    }
    for c in months
        .then(|| MONTH_DAY.captures_iter(text))
        .into_iter()
        .flatten()
    {
        let (Some(whole), Some(m), Some(d)) = (c.get(0), c.get(1), c.get(2)) else {
            continue;
        };
        // "you may one day…", "march three times": verbs, not months, before a bare number word.
        if matches!(m.as_str(), "may" | "march" | "mar") && english_cardinal(d.as_str()).is_some() {
            continue;
        }
        let y = c.get(3).and_then(|y| y.as_str().parse().ok()).and_then(year);
        push(whole.range(), y, month(m.as_str()), day(d.as_str()));
    }
    for c in months
        .then(|| DAY_MONTH.captures_iter(text))
        .into_iter()
        .flatten()
    {
        let (Some(whole), Some(d), Some(m)) = (c.get(0), c.get(1), c.get(2)) else {
            continue;
        };
        let y = c.get(3).and_then(|y| y.as_str().parse().ok()).and_then(year);
        push(whole.range(), y, month(m.as_str()), day(d.as_str()));
    }
    found.sort_by_key(|d| (d.range.start, std::cmp::Reverse(d.range.end)));
    let mut out: Vec<DateMatch> = Vec::new();
    for d in found {
        if out.last().is_none_or(|last| d.range.start >= last.range.end) {
            out.push(d);
        }
    }
    out
}

fn valid(year: Option<u16>, month: Option<u64>, day: Option<u64>) -> Option<Date> {
    let (month, day) = (month?, day?);
    let longest = match month {
        2 => 29,
        4 | 6 | 9 | 11 => 30,
        1..=12 => 31,
        _ => return None,
    };
    ((1..=longest).contains(&day)).then_some(Date {
        year,
        month: month as u8,
        day: day as u8,
    })
}

fn year(y: u64) -> Option<u16> {
    (1900..=2199).contains(&y).then_some(y as u16)
}

fn chinese_or_arabic(s: &str) -> Option<u64> {
    s.parse().ok().or_else(|| parse_chinese_integer(s))
}

/// The month number of an English month name or abbreviation.
fn month(name: &str) -> Option<u64> {
    let months = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    months
        .iter()
        .position(|m| name.starts_with(m))
        .map(|i| i as u64 + 1)
}

/// A day written as "22", "22nd", "twenty-second" or "twenty two".
fn day(text: &str) -> Option<u64> {
    if text.starts_with(|c: char| c.is_ascii_digit()) {
        return text
            .trim_end_matches(|c: char| c.is_ascii_alphabetic())
            .parse()
            .ok();
    }
    english_ordinal(text).or_else(|| english_cardinal(text))
}

fn english_cardinal(text: &str) -> Option<u64> {
    let words: Vec<&str> = text.split([' ', '-']).filter(|w| !w.is_empty()).collect();
    parse_english_number(&words)
}

fn english_ordinal(text: &str) -> Option<u64> {
    let ordinal = |w: &str| -> Option<u64> {
        Some(match w {
            "first" => 1,
            "second" => 2,
            "third" => 3,
            "fourth" => 4,
            "fifth" => 5,
            "sixth" => 6,
            "seventh" => 7,
            "eighth" => 8,
            "ninth" => 9,
            "tenth" => 10,
            "eleventh" => 11,
            "twelfth" => 12,
            "thirteenth" => 13,
            "fourteenth" => 14,
            "fifteenth" => 15,
            "sixteenth" => 16,
            "seventeenth" => 17,
            "eighteenth" => 18,
            "nineteenth" => 19,
            "twentieth" => 20,
            "thirtieth" => 30,
            _ => return None,
        })
    };
    let mut words = text.split([' ', '-']).filter(|w| !w.is_empty());
    let first = words.next()?;
    match (first, words.next()) {
        ("twenty", Some(w)) => ordinal(w).filter(|&n| n < 10).map(|n| 20 + n),
        ("thirty", Some(w)) => ordinal(w).filter(|&n| n < 10).map(|n| 30 + n),
        (w, None) => ordinal(w),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// The look before [`YMD`] runs never rules out a text it matches.
        #[test]
        fn may_hold_ymd_never_rules_out_a_match(
            text in "([0-9]{4}|[0-9]{1,2}|١٢٣٤|[-/.年月日号 ]|\\s|[a-z]{1,3}|，){0,8}\
                     ([0-9]{3,5}\\s?[-/.年]\\s?[0-9]{1,2}\\s?[-/.月]\\s?[0-9]{1,2}[日号]?)?\
                     ([0-9]{1,2}|[-/.年 ]|[a-z]{1,3}|，){0,4}"
        ) {
            if YMD.is_match(&text) {
                proptest::prop_assert!(may_hold_ymd(&text), "{:?}", text);
            }
        }
    }

    #[test]
    fn may_hold_ymd_rules_out_numbers_without_a_separator() {
        for text in [
            "您的手机号是17745712019，我们会回电",
            "order 123456",
            "12.5",
            "2026  -",
        ] {
            assert!(!may_hold_ymd(text), "{text}");
        }
        assert!(may_hold_ymd("2026 年"));
        assert!(may_hold_ymd("on 2026-11-22"));
        assert!(may_hold_ymd("on 2026 -11-22"));
        assert!(may_hold_ymd("2026年11月22日"));
    }

    #[test]
    fn the_fast_numeric_test_is_char_is_numeric() {
        for c in ('\0'..='\u{FFFF}').chain('\u{20000}'..='\u{2FFFF}') {
            assert_eq!(is_numeric(c), c.is_numeric(), "{c:?}");
        }
    }

    #[test]
    fn dates_are_found_in_text_with_and_without_letters() {
        let found = |text: &str| dates(text).iter().map(|d| d.date.to_string()).collect::<Vec<_>>();
        assert_eq!(found("订单2026年11月22日发货，〇五"), ["2026-11-22"]);
        assert_eq!(
            found("on nov 22nd, 2026 or 2026-11-23"),
            ["2026-11-22", "2026-11-23"]
        );
        assert_eq!(found("的 ①2026-11-24"), ["2026-11-24"]);
        assert!(found("订单号13812345678，谢谢").is_empty());
    }
}
