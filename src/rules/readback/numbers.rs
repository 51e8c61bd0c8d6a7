//! Numbers as people say and write them: digit strings read out digit by digit ("one three
//! eight", "幺三八", "138-0013 8000", "double five") and quantities in words ("one hundred and
//! thirty five", "一百三十五", "一千二").
//!
//! Everything here works on *folded* text (full-width to ASCII, lower case, Simplified script,
//! punctuation kept; see [`super::values`]), and reports byte ranges of that folded text.
//!
//! Chinese writes numerals inside ordinary words (一直 "always", 一下 "a moment", 两个 "two of",
//! 万一 "in case"): [`hide_numeral_words`] blanks those words out before any number is read, so
//! "13812345678，一直收不到" is one phone number and nothing more.

use std::borrow::Cow;
use std::ops::Range;
use std::sync::LazyLock;

use aho_corasick::{AhoCorasick, Anchored, Input, MatchKind, StartKind};

/// One digit of a digit string: `Some(d)` when visible, `None` when masked (`*`, `x`, `#`).
pub type Digit = Option<u8>;

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

/// Characters that stand for a masked digit in redacted text (`****1234`, `138xxxx8000`).
pub fn is_mask_char(c: char) -> bool {
    matches!(c, '*' | 'x' | '#' | '•' | '●' | '×')
}

/// The digit an English digit word stands for ("one" → 1).
pub fn english_digit(word: &str) -> Option<u8> {
    match english_small(word) {
        Some((n, WordKind::Unit)) => Some(n as u8),
        _ => None,
    }
}

/// The value of an English number word below 100: units, teens and tens.
fn english_small(word: &str) -> Option<(u64, WordKind)> {
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

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum WordKind {
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

/// A number read out digit by digit, found in folded text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DigitRun {
    /// The digits, masked ones as `None`.
    pub digits: Vec<Digit>,
    /// Byte range in the folded text.
    pub range: Range<usize>,
}

/// What one lexical item of a digit string contributes.
#[derive(Clone, Debug)]
struct Piece {
    /// Its digits: a range of [`Pieces::digits`].
    digits: Range<usize>,
    range: Range<usize>,
    kind: PieceKind,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum PieceKind {
    /// Arabic digits (and mask characters) written together: "138", "****1234".
    Written,
    /// Chinese digit characters: "一三八".
    Cjk,
    /// An English digit word: "one", "double five", "forty-four".
    Spoken,
    /// "oh" or "o": a zero only between other spoken digits (otherwise an interjection).
    WeakZero,
}

/// Separators that may sit inside a digit string: "138-0013 8000", "(977) 625-2661".
fn is_digit_separator(c: char) -> bool {
    matches!(c, ' ' | '-' | '–' | '—' | '.' | ',' | '(' | ')' | '+' | '/')
}

/// Longest run of separator characters allowed between two pieces of one digit string.
const MAX_SEPARATORS: usize = 3;

/// Written groups of this many digits or more are complete numbers on their own: two of them
/// side by side ("123456, 13800138000") are two numbers, not one.
const WHOLE_GROUP: usize = 6;

/// Finds every digit string in folded text: Arabic, full-width (already folded), Chinese and
/// spoken English digits, with grouping separators and masks. Spoken groups may also be joined
/// by "and" ("four one five and five five five"), and "oh" after a comma is a zero when spoken
/// digits go on after it ("five five five, oh one three two").
pub fn digit_runs(text: &str) -> Vec<DigitRun> {
    digit_runs_in(text, &[])
}

/// [`digit_runs`] in text where `clause_commas` lists the byte offsets of the commas that were
/// written full-width (，). In Chinese text such a comma ends a clause: it never extends a
/// complete number ("13812345678，一" is not 138123456781) and never adds a lone digit; it
/// groups only digit groups read aloud with pauses, each shorter than a whole number
/// ("一三八，零零一三，八零零零").
pub fn digit_runs_in(text: &str, clause_commas: &[usize]) -> Vec<DigitRun> {
    let Pieces { list: pieces, digits } = pieces(text);
    let mut runs: Vec<DigitRun> = Vec::new();
    let mut current: Vec<&Piece> = Vec::new();
    for (k, piece) in pieces.iter().enumerate() {
        let joins = current.last().is_some_and(|prev| {
            let clause = clause_commas
                .iter()
                .any(|c| (prev.range.end..piece.range.start).contains(c));
            let short_groups = prev.digits.len() < WHOLE_GROUP && piece.digits.len() >= 2;
            joins(text, prev, piece, pieces.get(k + 1)) && (!clause || short_groups)
        });
        if !joins {
            runs.extend(finish_run(&current, &digits));
            current.clear();
        }
        current.push(piece);
    }
    runs.extend(finish_run(&current, &digits));
    runs
}

/// True when `piece` continues the digit string that `prev` ends; `next` is the piece after.
fn joins(text: &str, prev: &Piece, piece: &Piece, next: Option<&Piece>) -> bool {
    let gap = &text[prev.range.end..piece.range.start];
    let spoken = |p: &Piece| matches!(p.kind, PieceKind::Spoken | PieceKind::WeakZero);
    let spoken_gap = |gap: &str| gap.chars().all(|c| c == ' ' || c == '-');
    // "four one five and five five five": "and" between spoken groups, commas around it allowed.
    if spoken(prev) && spoken(piece) && gap.trim_matches([' ', ',']) == "and" && gap.len() <= 7 {
        return prev.kind != PieceKind::WeakZero;
    }
    let separators_only = gap.chars().count() <= MAX_SEPARATORS && gap.chars().all(is_digit_separator);
    let both_whole = prev.kind == PieceKind::Written
        && piece.kind == PieceKind::Written
        && prev.digits.len() >= WHOLE_GROUP
        && piece.digits.len() >= WHOLE_GROUP;
    if !separators_only || both_whole {
        return false;
    }
    // "Oh, one three eight": punctuation after "oh" makes it an interjection.
    if prev.kind == PieceKind::WeakZero {
        return spoken_gap(gap);
    }
    // After a comma, "oh" is a zero only between spoken digits: "five five five, oh one".
    if piece.kind == PieceKind::WeakZero && !spoken_gap(gap) {
        return prev.kind == PieceKind::Spoken
            && next.is_some_and(|n| {
                n.kind == PieceKind::Spoken && spoken_gap(&text[piece.range.end..n.range.start])
            });
    }
    true
}

/// Joins a run's pieces. A weak zero ("oh") at either edge counts only when the digits next
/// to it are spoken too ("oh two oh seven"); "Oh, 138…" starts with an interjection.
fn finish_run(pieces: &[&Piece], all: &[Digit]) -> Option<DigitRun> {
    let first = pieces.iter().position(|p| p.kind != PieceKind::WeakZero)?;
    let last = pieces.iter().rposition(|p| p.kind != PieceKind::WeakZero)?;
    let lo = if pieces[first].kind == PieceKind::Spoken {
        0
    } else {
        first
    };
    let hi = if pieces[last].kind == PieceKind::Spoken {
        pieces.len()
    } else {
        last + 1
    };
    let kept = &pieces[lo..hi];
    let digits = || kept.iter().flat_map(|p| all[p.digits.clone()].iter().copied());
    if !digits().any(|d| d.is_some()) {
        return None;
    }
    let digits: Vec<Digit> = digits().collect();
    Some(DigitRun {
        digits,
        range: kept.first()?.range.start..kept.last()?.range.end,
    })
}

/// False when no digit string of folded `text` can hold `min` digits: [`digit_runs`] never
/// reads a longer run (counting masked digits only when `masks`). A run is made of digits, mask
/// characters, Chinese digits, English words and separators; any other character ends it.
/// Within such a stretch every digit and Chinese digit counts one and every digit word two (no
/// word gives more: "fifteen", "double five", "eight hundred"). One pass over the bytes that
/// stops at the first stretch long enough, so the readers can skip text that holds no run
/// long enough before reading it.
pub fn may_hold_run(text: &str, min: usize, masks: bool) -> bool {
    let bytes = text.as_bytes();
    let mut current = 0;
    let mut word_start: Option<usize> = None;
    let mut at = 0;
    while at < bytes.len() {
        if current >= min {
            return true;
        }
        let b = bytes[at];
        if b.is_ascii_alphabetic() {
            word_start.get_or_insert(at);
            // An `x` may be a masked digit ("138xxxx8000").
            current += usize::from(masks && b == b'x');
            at += 1;
            continue;
        }
        if let Some(start) = word_start.take() {
            current += word_digits(&bytes[start..at]);
        }
        let c = if b.is_ascii() {
            char::from(b)
        } else {
            text[at..].chars().next().unwrap_or_default()
        };
        if c.is_ascii_digit() || cjk_digit(c).is_some() {
            current += 1;
        } else if is_mask_char(c) {
            current += usize::from(masks);
        } else if !is_digit_separator(c) {
            if current >= min {
                return true;
            }
            current = 0;
        }
        at += c.len_utf8();
    }
    if let Some(start) = word_start {
        current += word_digits(&bytes[start..]);
    }
    current >= min
}

/// The most digits an ASCII word (any case) gives a digit string: two for a digit word, also
/// after a mask run it starts with ("xxfifteen" is a masked run, then "fifteen").
fn word_digits(word: &[u8]) -> usize {
    let unmasked = word
        .iter()
        .position(|b| !b.eq_ignore_ascii_case(&b'x'))
        .map_or(&[][..], |i| &word[i..]);
    if gives_digits(word) || gives_digits(unmasked) {
        2
    } else {
        0
    }
}

/// True for the words [`pieces`] reads digits from: units, teens and tens (with "fourty"),
/// "oh", "o", "double", "triple", "hundred".
fn gives_digits(word: &[u8]) -> bool {
    super::values::is_digit_word(word) || word.eq_ignore_ascii_case(b"fourty")
}

/// The pieces of a text's digit strings, with their digits kept in one list.
struct Pieces {
    list: Vec<Piece>,
    digits: Vec<Digit>,
}

/// Splits folded text into digit-string pieces; anything else is left out (it breaks runs,
/// because only separators may lie between the pieces of one run).
fn pieces(text: &str) -> Pieces {
    let mut out: Vec<Piece> = Vec::new();
    // Every piece's digits, one after another: a piece's are pushed at the end.
    let mut all: Vec<Digit> = Vec::new();
    // A pending "double"/"triple": how many times, and where the word starts.
    let mut multiplier: Option<(usize, usize)> = None;
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let end_of = |j: usize| chars.get(j).map_or(text.len(), |&(e, _)| e);
    let mut i = 0;
    while let Some(&(at, c)) = chars.get(i) {
        let from = all.len();
        if c.is_ascii_digit() || (is_mask_char(c) && mask_run_at(&chars, i)) {
            let mut j = i;
            while let Some(&(_, d)) = chars.get(j) {
                if d.is_ascii_digit() {
                    all.push(Some(d as u8 - b'0'));
                } else if is_mask_char(d) && mask_run_at(&chars, j) {
                    all.push(None);
                } else {
                    break;
                }
                j += 1;
            }
            // Mask characters glued to letters ("xxl") are letters, not masks.
            let glued_letter = chars.get(j).is_some_and(|&(_, n)| n.is_ascii_alphabetic());
            if all[from..].iter().any(Option::is_some) || !glued_letter {
                let start = take_multiplier(&mut multiplier, &mut all, from, at);
                out.push(Piece {
                    digits: from..all.len(),
                    range: start..end_of(j),
                    kind: PieceKind::Written,
                });
            } else {
                all.truncate(from);
            }
            i = j;
            continue;
        }
        if cjk_digit(c).is_some() {
            let mut j = i;
            while let Some(d) = chars.get(j).and_then(|&(_, c)| cjk_digit(c)) {
                all.push(Some(d));
                j += 1;
            }
            // Next to a unit (十百千万亿) or 点 the characters are a quantity ("一百", "三十").
            let quantity =
                |k: Option<&(usize, char)>| k.is_some_and(|&(_, u)| cjk_unit(u).is_some() || u == '点');
            let before = i.checked_sub(1).and_then(|k| chars.get(k));
            if !quantity(before) && !quantity(chars.get(j)) {
                out.push(Piece {
                    digits: from..all.len(),
                    range: at..end_of(j),
                    kind: PieceKind::Cjk,
                });
            } else {
                all.truncate(from);
            }
            multiplier = None;
            i = j;
            continue;
        }
        if !c.is_ascii_alphabetic() {
            if !is_digit_separator(c) {
                multiplier = None;
            }
            i += 1;
            continue;
        }
        let mut j = i;
        while chars.get(j).is_some_and(|&(_, c)| c.is_ascii_alphabetic()) {
            j += 1;
        }
        let end = end_of(j);
        let word = &text[at..end];
        match word {
            "double" => multiplier = Some((2, at)),
            "triple" => multiplier = Some((3, at)),
            "oh" | "o" => {
                // "double oh" is certainly a digit; a lone "oh" may be an interjection.
                let kind = if multiplier.is_some() {
                    PieceKind::Spoken
                } else {
                    PieceKind::WeakZero
                };
                all.push(Some(0));
                let start = take_multiplier(&mut multiplier, &mut all, from, at);
                out.push(Piece {
                    digits: from..all.len(),
                    range: start..end,
                    kind,
                });
            }
            "hundred" => match out.last_mut() {
                // "eight hundred" in a phone number is 800.
                Some(prev)
                    if prev.kind == PieceKind::Spoken
                        && prev.digits.len() == 1
                        && text[prev.range.end..at].chars().all(is_digit_separator) =>
                {
                    // The last piece's digits are the last of the list.
                    all.extend([Some(0), Some(0)]);
                    prev.digits.end = all.len();
                    prev.range.end = end;
                }
                _ => multiplier = None,
            },
            _ => match english_small(word) {
                Some((n, kind)) => {
                    if n < 10 {
                        all.push(Some(n as u8));
                    } else {
                        all.extend([Some((n / 10) as u8), Some((n % 10) as u8)]);
                    }
                    let mut range_end = end;
                    // "forty-four", "forty four": one two-digit group.
                    if kind == WordKind::Tens
                        && let Some((unit, unit_end, after)) = following_unit(text, &chars, j)
                    {
                        all[from + 1] = Some(unit);
                        range_end = unit_end;
                        j = after;
                    }
                    let start = take_multiplier(&mut multiplier, &mut all, from, at);
                    out.push(Piece {
                        digits: from..all.len(),
                        range: start..range_end,
                        kind: PieceKind::Spoken,
                    });
                }
                None => multiplier = None,
            },
        }
        i = j;
    }
    Pieces {
        list: out,
        digits: all,
    }
}

/// True when position `i` is part of a run of two or more mask characters that does not
/// continue a word ("xxl", "exxon" are words).
fn mask_run_at(chars: &[(usize, char)], i: usize) -> bool {
    let is_mask = |k: usize| chars.get(k).is_some_and(|&(_, c)| is_mask_char(c));
    if !is_mask(i) {
        return false;
    }
    // Walk back to the start of the mask run; a letter right before it makes it a word.
    let mut start = i;
    while start > 0 && is_mask(start - 1) {
        start -= 1;
    }
    let letter_before = start
        .checked_sub(1)
        .and_then(|k| chars.get(k))
        .is_some_and(|&(_, c)| c.is_ascii_alphabetic());
    let mut end = i;
    while is_mask(end + 1) {
        end += 1;
    }
    !letter_before && end > start
}

/// A unit word (one…nine) right after a tens word, joined by one space or hyphen: returns the
/// digit, the byte end of the word and the char index after it.
fn following_unit(text: &str, chars: &[(usize, char)], j: usize) -> Option<(u8, usize, usize)> {
    let &(_, sep) = chars.get(j)?;
    if sep != ' ' && sep != '-' {
        return None;
    }
    let start = j + 1;
    let mut k = start;
    while chars.get(k).is_some_and(|&(_, c)| c.is_ascii_alphabetic()) {
        k += 1;
    }
    let (word_start, _) = *chars.get(start)?;
    let word_end = chars.get(k).map_or(text.len(), |&(e, _)| e);
    match english_small(&text[word_start..word_end]) {
        Some((n, WordKind::Unit)) if n > 0 => Some((n as u8, word_end, k)),
        _ => None,
    }
}

/// Applies a pending "double"/"triple" to the digits of the piece that starts at `from` in
/// `all` (repeating its first digit) and returns where the piece starts: at the multiplier word
/// when there was one.
fn take_multiplier(
    multiplier: &mut Option<(usize, usize)>,
    all: &mut Vec<Digit>,
    from: usize,
    at: usize,
) -> usize {
    match (multiplier.take(), all.get(from).copied()) {
        (Some((count, start)), Some(first)) => {
            all.splice(from..from, std::iter::repeat_n(first, count - 1));
            start
        }
        _ => at,
    }
}
