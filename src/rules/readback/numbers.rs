//! Numbers as people say and write them: digit strings read out digit by digit ("one three
//! eight", "幺三八", "138-0013 8000", "double five") and quantities in words ("one hundred and
//! thirty five", "一百三十五", "一千二").
//!
//! Everything here works on *folded* text (full-width to ASCII, lower case, Simplified script,
//! punctuation kept; see [`super::values`]), and reports byte ranges of that folded text.

use std::ops::Range;

/// One digit of a digit string: `Some(d)` when visible, `None` when masked (`*`, `x`, `#`).
pub type Digit = Option<u8>;

/// A Chinese digit character, including 幺 (1) and 两 (2) as used when reading numbers aloud.
pub fn cjk_digit(c: char) -> Option<u8> {
    Some(match c {
        '零' | '〇' => 0,
        '一' | '幺' => 1,
        '二' | '两' => 2,
        '三' => 3,
        '四' => 4,
        '五' => 5,
        '六' => 6,
        '七' => 7,
        '八' => 8,
        '九' => 9,
        _ => return None,
    })
}

/// Chinese numeral units; next to a digit they make a quantity, not a digit string.
pub fn cjk_unit(c: char) -> Option<u64> {
    Some(match c {
        '十' => 10,
        '百' => 100,
        '千' => 1_000,
        '万' => 10_000,
        '亿' => 100_000_000,
        _ => return None,
    })
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
    digits: Vec<Digit>,
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
/// spoken English digits, with grouping separators and masks.
pub fn digit_runs(text: &str) -> Vec<DigitRun> {
    let pieces = pieces(text);
    let mut runs: Vec<DigitRun> = Vec::new();
    let mut current: Vec<&Piece> = Vec::new();
    for piece in &pieces {
        let joins = current.last().is_some_and(|prev| {
            let gap = &text[prev.range.end..piece.range.start];
            let separators_only =
                gap.chars().count() <= MAX_SEPARATORS && gap.chars().all(is_digit_separator);
            let both_whole = prev.kind == PieceKind::Written
                && piece.kind == PieceKind::Written
                && prev.digits.len() >= WHOLE_GROUP
                && piece.digits.len() >= WHOLE_GROUP;
            // "Oh, one three eight": punctuation after "oh" makes it an interjection.
            let weak = prev.kind == PieceKind::WeakZero || piece.kind == PieceKind::WeakZero;
            let spoken_gap = gap.chars().all(|c| c == ' ' || c == '-');
            separators_only && !both_whole && (!weak || spoken_gap)
        });
        if !joins {
            runs.extend(finish_run(&current));
            current.clear();
        }
        current.push(piece);
    }
    runs.extend(finish_run(&current));
    runs
}

/// Joins a run's pieces. A weak zero ("oh") at either edge counts only when the digits next
/// to it are spoken too ("oh two oh seven"); "Oh, 138…" starts with an interjection.
fn finish_run(pieces: &[&Piece]) -> Option<DigitRun> {
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
    let digits: Vec<Digit> = kept.iter().flat_map(|p| p.digits.iter().copied()).collect();
    if !digits.iter().any(Option::is_some) {
        return None;
    }
    Some(DigitRun {
        digits,
        range: kept.first()?.range.start..kept.last()?.range.end,
    })
}

/// Splits folded text into digit-string pieces; anything else is left out (it breaks runs,
/// because only separators may lie between the pieces of one run).
fn pieces(text: &str) -> Vec<Piece> {
    let mut out: Vec<Piece> = Vec::new();
    // A pending "double"/"triple": how many times, and where the word starts.
    let mut multiplier: Option<(usize, usize)> = None;
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let end_of = |j: usize| chars.get(j).map_or(text.len(), |&(e, _)| e);
    let mut i = 0;
    while let Some(&(at, c)) = chars.get(i) {
        if c.is_ascii_digit() || (is_mask_char(c) && mask_run_at(&chars, i)) {
            let mut j = i;
            let mut digits = Vec::new();
            while let Some(&(_, d)) = chars.get(j) {
                if d.is_ascii_digit() {
                    digits.push(Some(d as u8 - b'0'));
                } else if is_mask_char(d) && mask_run_at(&chars, j) {
                    digits.push(None);
                } else {
                    break;
                }
                j += 1;
            }
            // Mask characters glued to letters ("xxl") are letters, not masks.
            let glued_letter = chars.get(j).is_some_and(|&(_, n)| n.is_ascii_alphabetic());
            if digits.iter().any(Option::is_some) || !glued_letter {
                let start = take_multiplier(&mut multiplier, &mut digits, at);
                out.push(Piece {
                    digits,
                    range: start..end_of(j),
                    kind: PieceKind::Written,
                });
            }
            i = j;
            continue;
        }
        if cjk_digit(c).is_some() {
            let mut j = i;
            let mut digits = Vec::new();
            while let Some(d) = chars.get(j).and_then(|&(_, c)| cjk_digit(c)) {
                digits.push(Some(d));
                j += 1;
            }
            // Next to a unit (十百千万亿) or 点 the characters are a quantity ("一百", "三十").
            let quantity =
                |k: Option<&(usize, char)>| k.is_some_and(|&(_, u)| cjk_unit(u).is_some() || u == '点');
            let before = i.checked_sub(1).and_then(|k| chars.get(k));
            if !quantity(before) && !quantity(chars.get(j)) {
                out.push(Piece {
                    digits,
                    range: at..end_of(j),
                    kind: PieceKind::Cjk,
                });
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
                let mut digits = vec![Some(0)];
                let start = take_multiplier(&mut multiplier, &mut digits, at);
                out.push(Piece {
                    digits,
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
                    prev.digits.extend([Some(0), Some(0)]);
                    prev.range.end = end;
                }
                _ => multiplier = None,
            },
            _ => match english_small(word) {
                Some((n, kind)) => {
                    let mut digits: Vec<Digit> = if n < 10 {
                        vec![Some(n as u8)]
                    } else {
                        vec![Some((n / 10) as u8), Some((n % 10) as u8)]
                    };
                    let mut range_end = end;
                    // "forty-four", "forty four": one two-digit group.
                    if kind == WordKind::Tens
                        && let Some((unit, unit_end, after)) = following_unit(text, &chars, j)
                    {
                        digits[1] = Some(unit);
                        range_end = unit_end;
                        j = after;
                    }
                    let start = take_multiplier(&mut multiplier, &mut digits, at);
                    out.push(Piece {
                        digits,
                        range: start..range_end,
                        kind: PieceKind::Spoken,
                    });
                }
                None => multiplier = None,
            },
        }
        i = j;
    }
    out
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

/// Applies a pending "double"/"triple" to a piece's digits (repeating its first digit) and
/// returns where the piece starts: at the multiplier word when there was one.
fn take_multiplier(multiplier: &mut Option<(usize, usize)>, digits: &mut Vec<Digit>, at: usize) -> usize {
    match (multiplier.take(), digits.first().copied()) {
        (Some((count, start)), Some(first)) => {
            digits.splice(0..0, std::iter::repeat_n(first, count - 1));
            start
        }
        _ => at,
    }
}
