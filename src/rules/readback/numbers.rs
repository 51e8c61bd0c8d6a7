//! Numbers as people say and write them: digits and numerals in Chinese and English, and
//! quantities in words ("one hundred and thirty five", "一百三十五", "一千二"). Digit strings read
//! out digit by digit are in [`super::digit_strings`].
//!
//! Everything here works on *folded* text (full-width to ASCII, lower case, Simplified script,
//! punctuation kept; see [`super::values`]), and reports byte ranges of that folded text.
//!
//! Chinese writes numerals inside ordinary words (一直 "always", 一下 "a moment", 两个 "two of",
//! 万一 "in case"): [`hide_numeral_words`] blanks those words out before any number is read, so
//! "13812345678，一直收不到" is one phone number and nothing more.

use std::borrow::Cow;
use std::sync::LazyLock;

use aho_corasick::{AhoCorasick, Anchored, Input, MatchKind, StartKind};

/// A Chinese digit character, including 幺 (1) and 两 (2) as used when reading numbers aloud, and
/// the financial numerals written on cheques and receipts (壹贰叁肆伍陆柒捌玖).
pub fn cjk_digit(c: char) -> Option<u8> {
    Some(match c {
        '零' | '〇' => 0,
        '一' | '幺' | '壹' => 1,
        '二' | '两' | '贰' => 2,
        '三' | '叁' => 3,
        '四' | '肆' => 4,
        '五' | '伍' => 5,
        '六' | '陆' => 6,
        '七' | '柒' => 7,
        '八' | '捌' => 8,
        '九' | '玖' => 9,
        _ => return None,
    })
}

/// Chinese numeral units, financial forms (拾佰仟) included; next to a digit they make a
/// quantity, not a digit string.
pub fn cjk_unit(c: char) -> Option<u64> {
    Some(match c {
        '十' | '拾' => 10,
        '百' | '佰' => 100,
        '千' | '仟' => 1_000,
        '万' => 10_000,
        '亿' => 100_000_000,
        _ => return None,
    })
}

/// A Chinese digit or unit character.
fn is_cjk_numeral(c: char) -> bool {
    cjk_digit(c).is_some() || cjk_unit(c).is_some()
}

/// Common words that contain numeral characters, in byte order, each with the characters after
/// which it is *not* that word: 一点 is "a bit" but 一点五 is 1.5 and 一点钟 one o'clock; 一块 is
/// "together" but 一块钱 and 一块五 are money; 十分 is "very" but 十分钟 ten minutes. Words that
/// are numbers too (千万, 一一) are left out, except 万一 ("in case"), which reads as a number
/// only after another numeral (三万一).
pub static NUMERAL_WORDS: &[(&str, &str)] = &[
    ("一下", ""),
    ("一下儿", ""),
    ("一下子", ""),
    ("一个", ""),
    ("一些", ""),
    ("一件", ""),
    ("一会", ""),
    ("一会儿", ""),
    ("一共", ""),
    ("一再", ""),
    ("一切", ""),
    ("一半", ""),
    ("一同", ""),
    ("一向", ""),
    ("一味", ""),
    ("一块", "0123456789零〇一二三四五六七八九两半钱毛角多"),
    ("一块儿", ""),
    ("一堆", ""),
    ("一声", ""),
    ("一定", ""),
    ("一并", ""),
    ("一度", ""),
    ("一律", ""),
    ("一心", ""),
    ("一手", ""),
    ("一旦", ""),
    ("一早", ""),
    ("一时", ""),
    ("一样", ""),
    ("一概", ""),
    ("一模一样", ""),
    ("一次", ""),
    ("一毛不拔", ""),
    ("一流", ""),
    ("一点", "0123456789零〇一二三四五六七八九两半钟多整"),
    ("一点儿", ""),
    ("一生", ""),
    ("一番", ""),
    ("一直", ""),
    ("一眼", ""),
    ("一种", ""),
    ("一致", ""),
    ("一般", ""),
    ("一贯", ""),
    ("一起", ""),
    ("一路", ""),
    ("一身", ""),
    ("一辈子", ""),
    ("一边", ""),
    ("一连", ""),
    ("一遍", ""),
    ("一道", ""),
    ("一阵", ""),
    ("一面", ""),
    ("一顿", ""),
    ("七上八下", ""),
    ("七嘴八舌", ""),
    ("万一", ""),
    ("万事", ""),
    ("万分", ""),
    ("万能", ""),
    ("三个", ""),
    ("三天", ""),
    ("三心二意", ""),
    ("三思", ""),
    ("三番五次", ""),
    ("专一", ""),
    ("两个", ""),
    ("两人", ""),
    ("两口子", ""),
    ("两天", ""),
    ("两头", ""),
    ("两次", ""),
    ("两者", ""),
    ("两边", ""),
    ("之一", ""),
    ("九牛一毛", ""),
    ("乱七八糟", ""),
    ("五花八门", ""),
    ("入伍", ""),
    ("十全十美", ""),
    ("十分", "钟"),
    ("十足", ""),
    ("千方百计", ""),
    ("单一", ""),
    ("同一", ""),
    ("唯一", ""),
    ("四面八方", ""),
    ("大陆", ""),
    ("拾到", ""),
    ("收拾", ""),
    ("放肆", ""),
    ("独一无二", ""),
    ("百分之", ""),
    ("第一", ""),
    ("统一", ""),
    ("肆意", ""),
    ("落伍", ""),
    ("说一不二", ""),
    ("逐一", ""),
    ("队伍", ""),
    ("陆续", ""),
    ("零件", ""),
    ("零售", ""),
    ("零钱", ""),
    ("零食", ""),
];

/// [`NUMERAL_WORDS`] as an automaton for anchored longest-match lookups, built once.
static WORDS: LazyLock<AhoCorasick> = LazyLock::new(|| {
    AhoCorasick::builder()
        .match_kind(MatchKind::LeftmostLongest)
        .start_kind(StartKind::Anchored)
        .build(NUMERAL_WORDS.iter().map(|(word, _)| word))
        .unwrap_or_else(|e| unreachable!("built-in numeral words: {e}"))
});

/// What stands in for each character of a hidden word: a CJK character (so Chinese-text rules
/// still see Chinese) that is neither a numeral nor a unit, and as long in UTF-8 as every
/// character of [`NUMERAL_WORDS`], so byte offsets do not move.
const HIDDEN: char = '々';

/// The end of the longest known word starting at byte `at`, unless what follows it says it is
/// not that word.
fn word_at(text: &str, at: usize) -> Option<usize> {
    let found = WORDS.find(Input::new(text).range(at..).anchored(Anchored::Yes))?;
    let (_, not_before) = NUMERAL_WORDS.get(found.pattern().as_usize())?;
    let next = text[found.end()..].chars().next();
    (!next.is_some_and(|c| not_before.contains(c))).then_some(found.end())
}

/// The numerals just before byte `at`: how many, whether a unit (十百千万…) is among them, and
/// whether all are Arabic digits.
fn numerals_before(text: &str, at: usize) -> (usize, bool, bool) {
    let (mut count, mut unit, mut arabic) = (0, false, true);
    for c in text[..at].chars().rev() {
        if !c.is_ascii_digit() && !is_cjk_numeral(c) {
            break;
        }
        arabic &= c.is_ascii_digit();
        unit |= cjk_unit(c).is_some();
        count += 1;
    }
    (count, unit, arabic)
}

/// True when the numerals just before byte `at` make a quantity that the word at `at` belongs
/// to. A word led by a unit (万一, 十分) continues one numeral (三万一千, 五十分), numerals with
/// a unit (二十五万一千) or up to four Arabic digits (35万一千); a word led by a digit (一块,
/// 一个) continues numerals with a unit (二百零一块 is 201 yuan, 二十一个 is 21 of them). After a
/// digit string ("13800138000一直") a word is a word: digit strings take no unit.
fn continues_quantity(text: &str, at: usize, unit_led: bool) -> bool {
    let (count, unit, arabic) = numerals_before(text, at);
    if unit_led {
        count == 1 || (count > 0 && (unit || (arabic && count <= 4)))
    } else {
        unit
    }
}

/// True when the word at `start..end` overlaps a later word that runs past it, after numerals
/// only: those numerals are then digits and the later word is the word ("…零一同一" is …01 and
/// 同一, not 一同 and 一), so no word eats the last digit of a number said just before it.
fn yields(text: &str, start: usize, end: usize) -> bool {
    for (offset, c) in text[start..end].char_indices().skip(1) {
        if word_at(text, start + offset).is_some_and(|later| later > end) {
            return true;
        }
        if !is_cjk_numeral(c) {
            return false;
        }
    }
    false
}

/// `text` with every known word that contains numeral characters ([`NUMERAL_WORDS`]) blanked
/// out, byte for byte, so no number reader takes its numerals for digits. At each numeral the
/// longest word starting there wins ("一会儿" over "一会"); a word whose numeral is its second
/// character (统一, 乱七八糟) is found from the character before. A word that starts with a unit
/// (万一, 十分), or that follows a number with a unit (二百零一块), is a word only where it cannot
/// belong to that number ([`continues_quantity`]). Borrows when there is nothing to hide, which
/// is almost always.
pub fn hide_numeral_words(text: &str) -> Cow<'_, str> {
    // English speech has no Chinese numerals: one fast pass decides.
    if text.is_ascii() {
        return Cow::Borrowed(text);
    }
    let mut hidden: Option<String> = None;
    let mut previous: Option<(usize, char)> = None;
    let mut resume = 0;
    for (at, c) in text.char_indices() {
        let before = previous.replace((at, c));
        if at < resume || c.is_ascii() || !is_cjk_numeral(c) {
            continue;
        }
        let starting_here = word_at(text, at)
            .filter(|&end| !continues_quantity(text, at, cjk_unit(c).is_some()) && !yields(text, at, end))
            .map(|end| (at, end));
        let around = || {
            let (start, _) = before.filter(|&(_, p)| !p.is_ascii() && !is_cjk_numeral(p))?;
            word_at(text, start)
                .filter(|&end| end > at)
                .map(|end| (start, end))
        };
        let Some((start, end)) = starting_here.or_else(around) else {
            continue;
        };
        let out = hidden.get_or_insert_with(|| text.to_string());
        let filler: String = text[start..end]
            .chars()
            .map(|c| {
                if c.len_utf8() == HIDDEN.len_utf8() {
                    HIDDEN
                } else {
                    c
                }
            })
            .collect();
        out.replace_range(start..end, &filler);
        resume = end;
    }
    match hidden {
        Some(text) => Cow::Owned(text),
        None => Cow::Borrowed(text),
    }
}

/// The digit an English digit word stands for ("one" → 1).
pub fn english_digit(word: &str) -> Option<u8> {
    match english_small(word) {
        Some((n, WordKind::Unit)) => Some(n as u8),
        _ => None,
    }
}

/// The value of an English number word below 100: units, teens and tens.
pub(super) fn english_small(word: &str) -> Option<(u64, WordKind)> {
    let unit = |n| Some((n, WordKind::Unit));
    match word {
        "zero" => unit(0),
        "one" => unit(1),
        "two" => unit(2),
        "three" => unit(3),
        "four" => unit(4),
        "five" => unit(5),
        "six" => unit(6),
        "seven" => unit(7),
        "eight" => unit(8),
        "nine" => unit(9),
        "ten" => Some((10, WordKind::Teen)),
        "eleven" => Some((11, WordKind::Teen)),
        "twelve" => Some((12, WordKind::Teen)),
        "thirteen" => Some((13, WordKind::Teen)),
        "fourteen" => Some((14, WordKind::Teen)),
        "fifteen" => Some((15, WordKind::Teen)),
        "sixteen" => Some((16, WordKind::Teen)),
        "seventeen" => Some((17, WordKind::Teen)),
        "eighteen" => Some((18, WordKind::Teen)),
        "nineteen" => Some((19, WordKind::Teen)),
        "twenty" => Some((20, WordKind::Tens)),
        "thirty" => Some((30, WordKind::Tens)),
        "forty" | "fourty" => Some((40, WordKind::Tens)),
        "fifty" => Some((50, WordKind::Tens)),
        "sixty" => Some((60, WordKind::Tens)),
        "seventy" => Some((70, WordKind::Tens)),
        "eighty" => Some((80, WordKind::Tens)),
        "ninety" => Some((90, WordKind::Tens)),
        _ => None,
    }
}

/// What an English number word is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum WordKind {
    Unit,
    Teen,
    Tens,
    Hundred,
    Scale,
}

/// Parses English number words ("one hundred and thirty five", "twenty-two", "a thousand",
/// "one thirty five" = 135, "two fifty" = 250) into an integer; `None` for anything else,
/// including digit-by-digit readings ("one three five"), which are not quantities.
pub fn parse_english_number(words: &[&str]) -> Option<u64> {
    let mut total: u64 = 0;
    let mut current: u64 = 0;
    let mut last: Option<WordKind> = None;
    let mut pending_a = false;
    let mut seen = false;
    for &word in words {
        match word {
            "and" => {
                // "and" joins parts of a number; it cannot start one.
                last?;
                continue;
            }
            "a" | "an" => {
                if last.is_some() && last != Some(WordKind::Scale) {
                    return None;
                }
                pending_a = true;
                continue;
            }
            "hundred" => {
                if matches!(last, Some(WordKind::Hundred)) || current >= 100 {
                    return None;
                }
                current = if current == 0 || pending_a {
                    100
                } else {
                    current * 100
                };
                last = Some(WordKind::Hundred);
            }
            "thousand" | "million" | "billion" => {
                let scale = match word {
                    "thousand" => 1_000,
                    "million" => 1_000_000,
                    _ => 1_000_000_000,
                };
                if matches!(last, Some(WordKind::Scale)) {
                    return None;
                }
                let base = if current == 0 { 1 } else { current };
                total = total.checked_add(base.checked_mul(scale)?)?;
                current = 0;
                last = Some(WordKind::Scale);
            }
            _ => {
                let (n, kind) = english_small(word)?;
                if pending_a {
                    return None;
                }
                current = match (last, kind) {
                    // "one five": a digit string, not a quantity.
                    (Some(WordKind::Unit), WordKind::Unit) => return None,
                    (Some(WordKind::Teen), WordKind::Unit | WordKind::Teen) => return None,
                    (Some(WordKind::Tens), WordKind::Unit) if n > 0 => current + n,
                    (Some(WordKind::Tens), _) => return None,
                    // "one thirty five" (135), "nineteen ninety" (1990): hundreds left out.
                    (Some(WordKind::Unit | WordKind::Teen), WordKind::Tens | WordKind::Teen)
                        if current < 100 =>
                    {
                        current * 100 + n
                    }
                    (Some(WordKind::Unit | WordKind::Teen), _) => return None,
                    (Some(WordKind::Hundred), _) => {
                        if current % 100 != 0 {
                            return None;
                        }
                        current + n
                    }
                    (None | Some(WordKind::Scale), _) => n,
                };
                last = Some(kind);
            }
        }
        pending_a = false;
        seen = true;
    }
    if !seen || pending_a {
        return None;
    }
    total.checked_add(current)
}

/// Parses a Chinese numeral ("一百三十五", "两千零五", "一千二" = 1200, "三万五" = 35000, "十一")
/// into an integer; Arabic digits may stand for Chinese ones ("1万5千" = 15000, "3万"). Digits
/// without units ("一三五", "二〇二六") are read digit by digit.
pub fn parse_chinese_integer(s: &str) -> Option<u64> {
    // Tokens: a number (a Chinese digit or a run of Arabic digits), a zero, or a unit.
    let mut tokens: Vec<(u64, bool)> = Vec::new(); // (value, is_unit)
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if let Some(d) = c.to_digit(10) {
            let mut n = u64::from(d);
            while let Some(d) = chars.peek().and_then(|c| c.to_digit(10)) {
                n = n.checked_mul(10)?.checked_add(u64::from(d))?;
                chars.next();
            }
            tokens.push((n, false));
        } else if let Some(d) = cjk_digit(c) {
            tokens.push((u64::from(d), false));
        } else {
            tokens.push((cjk_unit(c)?, true));
        }
    }
    if tokens.is_empty() {
        return None;
    }
    if tokens.iter().all(|&(_, unit)| !unit) {
        let mut n: u64 = 0;
        for c in s.chars() {
            let d = c.to_digit(10).or_else(|| cjk_digit(c).map(u32::from))?;
            n = n.checked_mul(10)?.checked_add(u64::from(d))?;
        }
        return Some(n);
    }
    let mut total: u64 = 0; // completed 亿 sections
    let mut section: u64 = 0; // completed 万 part below the current 亿
    let mut small: u64 = 0; // below 万
    let mut digit: Option<u64> = None;
    let mut last_unit: u64 = 1;
    let mut zero_seen = false;
    for (value, is_unit) in tokens {
        if !is_unit {
            if value == 0 {
                zero_seen = true;
                continue;
            }
            if digit.is_some() {
                return None;
            }
            digit = Some(value);
            continue;
        }
        match value {
            10 | 100 | 1_000 => {
                // "十五": a leading 十 means one ten.
                let d = digit
                    .take()
                    .unwrap_or(if small == 0 && value == 10 { 1 } else { 0 });
                if d == 0 || d > 9 && value != 10 {
                    return None;
                }
                small = small.checked_add(d.checked_mul(value)?)?;
            }
            10_000 => {
                let part = small.checked_add(digit.take().unwrap_or(0))?;
                section = section.checked_add(part.checked_mul(10_000)?)?;
                small = 0;
            }
            _ => {
                let part = section
                    .checked_add(small)?
                    .checked_add(digit.take().unwrap_or(0))?;
                total = total.checked_add(part.checked_mul(100_000_000)?)?;
                section = 0;
                small = 0;
            }
        }
        last_unit = value;
        zero_seen = false;
    }
    let tail = match digit {
        // "一千二" = 1200, "三万五" = 35000: a bare digit after a unit of 100 or more is the
        // next lower place, unless a 零 says it is units ("一千零二" = 1002).
        Some(d) if d < 10 && last_unit >= 100 && !zero_seen => d.checked_mul(last_unit / 10)?,
        Some(d) => d,
        None => 0,
    };
    total.checked_add(section)?.checked_add(small)?.checked_add(tail)
}
