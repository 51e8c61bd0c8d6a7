//! Amounts of money in folded text: "$135", "135 dollars", "one hundred and thirty five
//! dollars", "135元", "一百三十五元", "一百三十五块五", "3万元", "壹佰圆整". The currency is not
//! compared (a customer's "135元" read back as "135 yuan" or "一百三十五块" is the same amount),
//! so an amount is its value in hundredths.
//!
//! 块, 毛 and 角 also count things (六块蛋糕, 一块送 "together", 毛病 "fault", 三角 "triangle"),
//! so a number with one of them is money only when the talk is about money: a money word in the
//! text (元, 钱, 费, 价, 付, 退, 款, 账, 余额, 充值, a currency sign or name…), a money verb just
//! before the number (转, 汇, 交, 花, 扣, 充, 赔, 借), or the caller saying so (`money`: a price
//! question in the turn before, or an amount the other party gave).

use std::ops::Range;
use std::sync::LazyLock;

use aho_corasick::AhoCorasick;
use regex::Regex;

use super::numbers::{cjk_digit, parse_chinese_integer, parse_english_number};

/// An amount found in folded text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AmountMatch {
    /// The value in hundredths (cents, fen).
    pub cents: u64,
    /// Byte range in the folded text.
    pub range: Range<usize>,
}

/// Arabic numbers, with thousands separators and decimals.
static ARABIC: LazyLock<Regex> = LazyLock::new(|| compile(r"\d+(?:,\d{3})*(?:\.\d+)?"));

/// Chinese numerals as used for quantities, possibly with Arabic digits ("1万5千"), and the
/// financial numerals ("壹佰贰拾").
static CHINESE: LazyLock<Regex> =
    LazyLock::new(|| compile(r"[0-9零〇一二三四五六七八九十百千万亿两点壹贰叁肆伍陆柒捌玖拾佰仟]+"));

/// English number words, for numbers said without a currency word.
static ENGLISH_BARE: LazyLock<Regex> = LazyLock::new(|| {
    compile(&format!(
        r"(?-u:\b)(?:(?:{ENGLISH_WORD}|a|an|and)[\s-]+)*{ENGLISH_WORD}(?-u:\b)"
    ))
});

/// An English number word.
const ENGLISH_WORD: &str = "(?:zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|\
                            thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|\
                            thirty|forty|fourty|fifty|sixty|seventy|eighty|ninety|hundred|thousand|\
                            million|billion)";

/// English number words followed by a currency word, with optional cents.
static ENGLISH: LazyLock<Regex> = LazyLock::new(|| {
    let word = ENGLISH_WORD;
    compile(&format!(
        r"(?-u:\b)((?:(?:{word}|a|an|and)[\s-]+)*{word})[\s-]+(?:dollars?|bucks|pounds?|euros?|yuan|quid)(?-u:\b)(?:(?:\s+and)?\s+((?:{word}[\s-]+)*{word}|\d{{1,2}})\s+cents?(?-u:\b))?"
    ))
});

fn compile(pattern: &str) -> Regex {
    // The patterns are constants covered by the unit tests; a failure is a programming error.
    Regex::new(pattern).unwrap_or_else(|e| unreachable!("built-in amount pattern: {e}"))
}

/// Currency words and signs written before a number.
const PREFIXES: &[&str] = &[
    "$", "¥", "£", "€", "rmb", "usd", "cny", "hkd", "eur", "gbp", "us$", "hk$",
];

/// Scale words after a number: "3万元", "5k dollars", "2 thousand dollars".
const SCALES: &[(&str, u64)] = &[
    ("thousand", 1_000),
    ("million", 1_000_000),
    ("k", 1_000),
    ("百万", 1_000_000),
    ("万", 10_000),
    ("千", 1_000),
    ("亿", 100_000_000),
];

/// Currency words after a number, longest first so that "块钱" wins over "块".
const SUFFIXES: &[&str] = &[
    "dollars",
    "dollar",
    "bucks",
    "pounds",
    "pound",
    "euros",
    "euro",
    "yuan",
    "quid",
    "usd",
    "rmb",
    "元钱",
    "块钱",
    "美元",
    "美金",
    "英镑",
    "欧元",
    "人民币",
    "元",
    "块",
    "圆",
    "毛钱",
    "毛",
    "角",
];

/// Suffixes worth a tenth of the main unit: "五毛钱" is 0.5.
const TENTHS: &[&str] = &["毛钱", "毛", "角"];

/// Suffixes that also count things: money only when the talk is about money.
const WEAK: &[&str] = &["块", "毛", "角"];

/// Words that make the talk about money (see the module documentation), in folded text.
static MONEY_TALK: LazyLock<AhoCorasick> = LazyLock::new(|| {
    let words = [
        "元",
        "圆",
        "钱",
        "费",
        "价",
        "付",
        "退",
        "款",
        "账",
        "余额",
        "充值",
        "金额",
        "工资",
        "报销",
        "人民币",
        "美元",
        "美金",
        "港币",
        "欧元",
        "英镑",
        "$",
        "¥",
        "£",
        "€",
        "rmb",
        "usd",
        "cny",
        "hkd",
        "dollar",
        "yuan",
        "buck",
    ];
    AhoCorasick::new(words).unwrap_or_else(|e| unreachable!("built-in money words: {e}"))
});

/// Verbs that make the number right after them money: "转一百三十五块", "花了五块".
const MONEY_VERBS: &[&str] = &["转", "汇", "交", "花", "扣", "充", "赔", "借"];

/// True when folded `text` talks about money: a currency sign or word, a price, a payment.
pub fn money_talk(text: &str) -> bool {
    MONEY_TALK.is_match(text)
}

/// The currency words one of which every match of [`ENGLISH`] holds (all of them markers).
const CURRENCY_WORDS: [&str; 6] = ["dollar", "buck", "pound", "euro", "yuan", "quid"];

/// Signs and words without which there is no amount: a cheap test before the patterns run.
const MARKER_WORDS: [&str; 22] = [
    "$", "¥", "£", "€", "元", "块", "圆", "毛", "角", "dollar", "buck", "pound", "euro", "yuan", "quid",
    "rmb", "usd", "cny", "hkd", "eur", "gbp", "美金",
];

/// [`MARKER_WORDS`], to look for.
static MARKERS: LazyLock<AhoCorasick> = LazyLock::new(|| {
    AhoCorasick::new(MARKER_WORDS).unwrap_or_else(|e| unreachable!("built-in amount markers: {e}"))
});

/// Every amount in folded text, in order, without overlaps. `money` says the talk around the
/// text is about money (see the module documentation); the text itself may say so too.
pub fn amounts(text: &str, money: bool) -> Vec<AmountMatch> {
    let Some(currency_word) = markers_in(text) else {
        return Vec::new();
    };
    // Looked at only when a number comes with 块, 毛 or 角 (rarely).
    let talk = std::cell::OnceCell::new();
    let money = || money || *talk.get_or_init(|| money_talk(text));
    let mut found: Vec<AmountMatch> = Vec::new();
    let english = currency_word.then(|| ENGLISH.captures_iter(text));
    for m in english.into_iter().flatten() {
        let (Some(whole), Some(words)) = (m.get(0), m.get(1)) else {
            continue;
        };
        let Some((value, skipped)) = english_value(words.as_str()) else {
            continue;
        };
        let mut cents = value.saturating_mul(100);
        if let Some(c) = m.get(2) {
            let c = c.as_str();
            let extra = c
                .parse::<u64>()
                .ok()
                .or_else(|| english_value(c).map(|(v, _)| v))
                .filter(|&v| v < 100);
            cents = cents.saturating_add(extra.unwrap_or(0));
        }
        found.push(AmountMatch {
            cents,
            range: words.start() + skipped..whole.end(),
        });
    }
    for m in ARABIC.find_iter(text) {
        if !may_have_currency(text, m.range()) {
            continue;
        }
        let Some(value) = arabic_cents(m.as_str()) else {
            continue;
        };
        if let Some(amount) = with_currency(text, m.range(), value, &money) {
            found.push(amount);
        }
    }
    for m in CHINESE.find_iter(text) {
        // Most runs are a numeral in a word (一下, 十分): nothing to parse when no currency can
        // be next to them. A currency sign or word before the run can only come before all of
        // it, as no numeral ends one.
        if !may_have_currency(text, m.range()) {
            continue;
        }
        // A match may start with a word that is not part of the number ("一共三百元"): try the
        // longest suffix of the run that parses.
        let run = m.as_str();
        for (offset, _) in run.char_indices() {
            let part = &run[offset..];
            let Some(value) = chinese_cents(part) else {
                continue;
            };
            let range = m.start() + offset..m.end();
            if let Some(amount) = with_currency(text, range, value, &money) {
                found.push(amount);
            }
            break;
        }
    }
    found.sort_by_key(|a| (a.range.start, std::cmp::Reverse(a.range.end)));
    let mut out: Vec<AmountMatch> = Vec::new();
    for a in found {
        if out.last().is_none_or(|last| a.range.start >= last.range.end) {
            out.push(a);
        }
    }
    out
}

/// The value of English number words, dropping leading joining words that do not belong to
/// the number ("and one hundred"); also returns how many bytes were dropped.
fn english_value(words: &str) -> Option<(u64, usize)> {
    let spans: Vec<(usize, &str)> = words
        .split([' ', '-', '\t', '\n'])
        .scan(0usize, |at, w| {
            let start = *at;
            *at += w.len() + 1;
            Some((start, w))
        })
        .filter(|(_, w)| !w.is_empty())
        .collect();
    // Only joining words may be dropped: "one three five dollars" is not 5 dollars.
    let droppable = spans
        .iter()
        .take_while(|(_, w)| matches!(*w, "and" | "a" | "an"))
        .count();
    (0..=droppable.min(spans.len().saturating_sub(1))).find_map(|k| {
        let list: Vec<&str> = spans[k..].iter().map(|&(_, w)| w).collect();
        parse_english_number(&list).map(|v| (v, spans[k].0))
    })
}

/// `1,234.5` → 123450 hundredths.
fn arabic_cents(number: &str) -> Option<u64> {
    let plain: String = number.chars().filter(|&c| c != ',').collect();
    let (int, frac) = plain.split_once('.').unwrap_or((&plain, ""));
    let int: u64 = int.parse().ok()?;
    let mut cents = int.checked_mul(100)?;
    let mut digits = frac.bytes().map(|b| u64::from(b - b'0'));
    cents += digits.next().unwrap_or(0) * 10 + digits.next().unwrap_or(0);
    Some(cents)
}

/// `一百三十五` → 13500, `一点五` → 150 hundredths; `None` without a whole part ("有点毛病" is
/// no number).
fn chinese_cents(number: &str) -> Option<u64> {
    let (int, frac) = number.split_once('点').unwrap_or((number, ""));
    let int = parse_chinese_integer(int)?;
    let mut cents = int.checked_mul(100)?;
    let mut digits = frac.chars().map(cjk_digit);
    if let Some(d) = digits.next() {
        cents += u64::from(d?) * 10;
    }
    if let Some(d) = digits.next() {
        cents += u64::from(d?);
    }
    Some(cents)
}

/// Whether any of the [`MARKER_WORDS`] occurs in `text` (`None` when none does: the text holds
/// no amount), and then whether one of them is one of the [`CURRENCY_WORDS`]: one pass for both.
fn markers_in(text: &str) -> Option<bool> {
    let mut any = false;
    // Overlapping, so "euro" is seen where "eur" ends first.
    for m in MARKERS.find_overlapping_iter(text) {
        if CURRENCY_WORDS.contains(&MARKER_WORDS[m.pattern().as_usize()]) {
            return Some(true);
        }
        any = true;
    }
    any.then_some(false)
}

/// The last characters of the [`PREFIXES`].
const PREFIX_ENDS: [char; 9] = ['$', '¥', '£', '€', 'b', 'd', 'y', 'r', 'p'];

/// The first characters of the [`SCALES`] and [`SUFFIXES`] words.
const WORD_AFTER_STARTS: [char; 24] = [
    't', 'm', 'k', 'd', 'b', 'p', 'e', 'y', 'q', 'u', 'r', '百', '万', '千', '亿', '元', '块', '美', '英',
    '欧', '人', '圆', '毛', '角',
];

/// False when [`with_currency`] certainly finds no currency next to the number at `range`: no
/// [`PREFIXES`] entry can end just before it (spaces aside) and no [`SCALES`] or [`SUFFIXES`]
/// word can start just after it. A look at one character each side, before the number is
/// parsed.
fn may_have_currency(text: &str, range: Range<usize>) -> bool {
    let before = text[..range.start].trim_end_matches(' ').chars().next_back();
    let after = text[range.end..].trim_start_matches(' ').chars().next();
    before.is_some_and(|c| PREFIX_ENDS.contains(&c)) || after.is_some_and(|c| WORD_AFTER_STARTS.contains(&c))
}

/// Turns a number at `range` into an amount when a currency sign or word is next to it, with
/// any scale word ("万") and Chinese small units ("五毛", "三角二分") after it; 块, 毛 and 角
/// only when the talk is about money (`money()`) or a money verb comes just before the number.
fn with_currency(
    text: &str,
    range: Range<usize>,
    cents: u64,
    money: &dyn Fn() -> bool,
) -> Option<AmountMatch> {
    let before = text[..range.start].trim_end_matches(' ');
    let prefix = PREFIXES.iter().find(|p| {
        before.ends_with(*p)
            && before[..before.len() - p.len()]
                .chars()
                .next_back()
                .is_none_or(|c| !c.is_ascii_alphabetic() || !p.starts_with(|f: char| f.is_ascii_alphabetic()))
    });
    let mut start = range.start;
    if let Some(p) = prefix {
        start = before.len() - p.len();
    }
    let mut end = range.end;
    let mut cents = cents;
    let rest = |end: usize| text[end..].trim_start_matches(' ');
    let skip = |end: usize| end + (text[end..].len() - rest(end).len());
    if let Some(&(word, scale)) = SCALES.iter().find(|(w, _)| word_at(rest(end), w)) {
        cents = cents.checked_mul(scale)?;
        end = skip(end) + word.len();
    }
    let suffix = SUFFIXES.iter().find(|w| word_at(rest(end), w));
    match (prefix, suffix) {
        (None, None) => return None,
        (None, Some(word)) if WEAK.contains(word) && !money_verb_before(text, range.start) && !money() => {
            return None;
        }
        (_, Some(word)) => end = skip(end) + word.len(),
        _ => {}
    }
    if suffix.is_some_and(|w| TENTHS.contains(w)) {
        if prefix.is_some() {
            return None;
        }
        cents /= 10;
    }
    // "一百三十五块五", "五元三角二分": tenths and hundredths after the main unit.
    if suffix.is_some_and(|w| matches!(*w, "元" | "块" | "圆" | "块钱" | "元钱")) {
        let (extra, used) = small_units(&text[end..]);
        cents = cents.checked_add(extra)?;
        end += used;
    }
    // "叁仟元整": the whole sum, nothing after the point.
    if suffix.is_some_and(|w| matches!(*w, "元" | "圆")) && text[end..].starts_with('整') {
        end += '整'.len_utf8();
    }
    Some(AmountMatch {
        cents,
        range: start..end,
    })
}

/// True when a money verb (optionally with 了) comes just before byte `start`.
fn money_verb_before(text: &str, start: usize) -> bool {
    let before = text[..start].trim_end_matches(' ');
    let before = before.strip_suffix('了').unwrap_or(before);
    MONEY_VERBS.iter().any(|v| before.ends_with(v))
}

/// Numbers said without a currency word, in folded text: English number words ("seventy
/// nine"), Arabic numbers ("79", "1,280.50") and Chinese numerals ("七十九"), as hundredths.
/// Read-back compares them with an amount the other party gave ("seventy nine dollars" read
/// back as "seventy nine"); they are never amounts on their own.
pub fn bare_numbers(text: &str) -> Vec<AmountMatch> {
    let mut found: Vec<AmountMatch> = Vec::new();
    // The whole match is the words (its edges are word boundaries): no captures needed.
    for words in ENGLISH_BARE.find_iter(text) {
        if let Some((value, skipped)) = english_value(words.as_str()) {
            found.push(AmountMatch {
                cents: value.saturating_mul(100),
                range: words.start() + skipped..words.end(),
            });
        }
    }
    for m in ARABIC.find_iter(text) {
        if let Some(cents) = arabic_cents(m.as_str()) {
            found.push(AmountMatch {
                cents,
                range: m.range(),
            });
        }
    }
    // Arabic digits alone were read above.
    for m in CHINESE.find_iter(text).filter(|m| !m.as_str().is_ascii()) {
        if let Some(cents) = chinese_cents(m.as_str()) {
            found.push(AmountMatch {
                cents,
                range: m.range(),
            });
        }
    }
    found.sort_by_key(|a| a.range.start);
    found
}

/// Measure words: a digit followed by one counts things, not tenths of money.
const MEASURE_WORDS: &str = "个件只张本台次天周月年号位人份条瓶盒包斤两米分秒点套双箱单笔";

/// True when `text` starts with `word` and, for a Latin word, no letter follows it.
fn word_at(text: &str, word: &str) -> bool {
    text.starts_with(word)
        && (!word.starts_with(|c: char| c.is_ascii_alphabetic())
            || !text[word.len()..].starts_with(|c: char| c.is_ascii_alphabetic()))
}

/// Reads "五", "五毛", "五角", "五角二分", "5毛" after 元/块: returns hundredths and bytes used.
fn small_units(text: &str) -> (u64, usize) {
    let digit = |c: char| {
        c.to_digit(10)
            .map(u64::from)
            .or_else(|| cjk_digit(c).map(u64::from))
    };
    let mut chars = text.char_indices().peekable();
    let Some(&(_, first)) = chars.peek() else {
        return (0, 0);
    };
    let Some(tenths) = digit(first) else {
        return (0, 0);
    };
    chars.next();
    match chars.peek() {
        Some(&(at, unit @ ('角' | '毛'))) => {
            let mut used = at + unit.len_utf8();
            chars.next();
            let mut cents = tenths * 10;
            if let Some(&(_, c)) = chars.peek()
                && let Some(d) = digit(c)
                && text[used + c.len_utf8()..].starts_with('分')
            {
                cents += d;
                used += c.len_utf8() + '分'.len_utf8();
            }
            (cents, used)
        }
        // A bare digit after 块 is tenths ("一百三十五块五"), unless more digits or a measure word
        // follow ("135元5个" is not 135.5).
        Some(&(_, next)) if digit(next).is_some() || MEASURE_WORDS.contains(next) => (0, 0),
        _ => (tenths * 10, first.len_utf8()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_look_before_parsing_lets_every_currency_next_to_a_number_through() {
        for prefix in PREFIXES {
            for text in [format!("{prefix}135"), format!("{prefix} 135")] {
                let at = text.len() - 3;
                assert!(may_have_currency(&text, at..text.len()), "{text}");
            }
        }
        for word in SUFFIXES.iter().chain(SCALES.iter().map(|(w, _)| w)) {
            for text in [format!("135{word}"), format!("135 {word}")] {
                assert!(may_have_currency(&text, 0..3), "{text}");
            }
        }
        assert!(!may_have_currency("一下子", 0..3));
        assert!(!may_have_currency("call 135 now", 5..8));
    }

    #[test]
    fn one_pass_tells_markers_and_currency_words_apart() {
        assert_eq!(
            markers_in("fifty euros"),
            Some(true),
            "euro, though eur ends first"
        );
        assert_eq!(markers_in("a bucket and 5 pounds"), Some(true));
        assert_eq!(markers_in("一百三十五元"), Some(false));
        assert_eq!(markers_in("$135"), Some(false));
        assert_eq!(markers_in("no money here"), None);
        assert_eq!(amounts("fifty euros", false).len(), 1);
    }
}
