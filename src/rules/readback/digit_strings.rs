//! Digit strings read out digit by digit, as people say and write them: "one three eight",
//! "幺三八", "138-0013 8000", "double five", "****1234", in folded text (see [`super::values`]),
//! with byte ranges of that folded text.

use std::ops::Range;

use super::numbers::{WordKind, cjk_digit, cjk_unit, english_small};

/// One digit of a digit string: `Some(d)` when visible, `None` when masked (`*`, `x`, `#`).
pub type Digit = Option<u8>;

/// Characters that stand for a masked digit in redacted text (`****1234`, `138xxxx8000`).
pub fn is_mask_char(c: char) -> bool {
    matches!(c, '*' | 'x' | '#' | '•' | '●' | '×')
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
    // The pieces of the run being gathered: `pieces[start..k]`.
    let mut start = 0;
    for (k, piece) in pieces.iter().enumerate() {
        let joins = k > start && {
            let prev = &pieces[k - 1];
            let clause = clause_commas
                .iter()
                .any(|c| (prev.range.end..piece.range.start).contains(c));
            let short_groups = prev.digits.len() < WHOLE_GROUP && piece.digits.len() >= 2;
            joins(text, prev, piece, pieces.get(k + 1)) && (!clause || short_groups)
        };
        if !joins {
            runs.extend(finish_run(&pieces[start..k], &digits));
            start = k;
        }
    }
    runs.extend(finish_run(&pieces[start..], &digits));
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
fn finish_run(pieces: &[Piece], all: &[Digit]) -> Option<DigitRun> {
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
/// "oh", "o", "double", "triple", "hundred" — the words the hint counts.
fn gives_digits(word: &[u8]) -> bool {
    super::hint::is_digit_word(word)
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
    let bytes = text.as_bytes();
    // Byte offsets throughout: the text is read in place, not as a list of characters.
    let mut at = 0;
    while let Some(c) = char_at(text, at) {
        let from = all.len();
        if c.is_ascii_digit() || (is_mask_char(c) && mask_run_at(text, at)) {
            let mut j = at;
            while let Some(d) = char_at(text, j) {
                if d.is_ascii_digit() {
                    all.push(Some(d as u8 - b'0'));
                } else if is_mask_char(d) && mask_run_at(text, j) {
                    all.push(None);
                } else {
                    break;
                }
                j += d.len_utf8();
            }
            // Mask characters glued to letters ("xxl") are letters, not masks.
            let glued_letter = bytes.get(j).is_some_and(u8::is_ascii_alphabetic);
            if all[from..].iter().any(Option::is_some) || !glued_letter {
                let start = take_multiplier(&mut multiplier, &mut all, from, at);
                out.push(Piece {
                    digits: from..all.len(),
                    range: start..j,
                    kind: PieceKind::Written,
                });
            } else {
                all.truncate(from);
            }
            at = j;
            continue;
        }
        if cjk_digit(c).is_some() {
            let mut j = at;
            while let Some((d, len)) = char_at(text, j).and_then(|c| Some((cjk_digit(c)?, c.len_utf8()))) {
                all.push(Some(d));
                j += len;
            }
            // Next to a unit (十百千万亿) or 点 the characters are a quantity ("一百", "三十").
            let quantity = |k: Option<char>| k.is_some_and(|u| cjk_unit(u).is_some() || u == '点');
            if !quantity(text[..at].chars().next_back()) && !quantity(char_at(text, j)) {
                out.push(Piece {
                    digits: from..all.len(),
                    range: at..j,
                    kind: PieceKind::Cjk,
                });
            } else {
                all.truncate(from);
            }
            multiplier = None;
            at = j;
            continue;
        }
        if !c.is_ascii_alphabetic() {
            if !is_digit_separator(c) {
                multiplier = None;
            }
            at += c.len_utf8();
            continue;
        }
        let mut j = at;
        while bytes.get(j).is_some_and(u8::is_ascii_alphabetic) {
            j += 1;
        }
        let end = j;
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
                        && let Some((unit, unit_end)) = following_unit(text, j)
                    {
                        all[from + 1] = Some(unit);
                        range_end = unit_end;
                        j = unit_end;
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
        at = j;
    }
    Pieces {
        list: out,
        digits: all,
    }
}

/// The character that starts at byte `at` of `text`, if any.
fn char_at(text: &str, at: usize) -> Option<char> {
    text.get(at..)?.chars().next()
}

/// True when the character at byte `at` is part of a run of two or more mask characters that
/// does not continue a word ("xxl", "exxon" are words).
fn mask_run_at(text: &str, at: usize) -> bool {
    if !char_at(text, at).is_some_and(is_mask_char) {
        return false;
    }
    // Back to the start of the mask run; a letter right before it makes it a word.
    let before = text[..at].chars().rev();
    let mut masks_before = 0;
    let mut letter_before = false;
    for c in before {
        if is_mask_char(c) {
            masks_before += 1;
        } else {
            letter_before = c.is_ascii_alphabetic();
            break;
        }
    }
    let masks_after = text[at..]
        .chars()
        .skip(1)
        .take_while(|&c| is_mask_char(c))
        .count();
    !letter_before && masks_before + masks_after > 0
}

/// A unit word (one…nine) right after a tens word that ends at byte `j`, joined by one space or
/// hyphen: returns the digit and the byte end of the word.
fn following_unit(text: &str, j: usize) -> Option<(u8, usize)> {
    let bytes = text.as_bytes();
    if !matches!(bytes.get(j), Some(b' ' | b'-')) {
        return None;
    }
    let start = j + 1;
    let mut end = start;
    while bytes.get(end).is_some_and(u8::is_ascii_alphabetic) {
        end += 1;
    }
    match english_small(text.get(start..end)?) {
        Some((n, WordKind::Unit)) if n > 0 => Some((n as u8, end)),
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

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    /// The reader as it was when it listed the text's characters first: the reference the
    /// in-place reading must agree with.
    mod reference {
        use super::super::*;

        pub(super) fn digit_runs_in(text: &str, clause_commas: &[usize]) -> Vec<DigitRun> {
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
                    let quantity = |k: Option<&(usize, char)>| {
                        k.is_some_and(|&(_, u)| cjk_unit(u).is_some() || u == '点')
                    };
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
    }

    /// Pieces of text that digit strings are made of or broken by.
    const TOKENS: &[&str] = &[
        "0", "1", "3", "8", "138", "0013", "8000", "-", " ", " ", ",", ".", "(", ")", "+", "/", "*", "x",
        "xx", "#", "•", "●", "×", "一", "三", "八", "零", "〇", "幺", "两", "十", "百", "点", "号", "，",
        "one", "two", "four", "five", "forty", "fifteen", "double", "triple", "oh", "o", "hundred", "and",
        "xxl", "exxon", "my", "is",
    ];

    proptest! {
        #[test]
        fn reading_in_place_matches_the_reference(
            tokens in proptest::collection::vec(proptest::sample::select(TOKENS), 0..40),
            comma_mask in any::<u64>(),
        ) {
            let text = tokens.concat();
            // Some of the commas stand for full-width ones (clause ends).
            let commas: Vec<usize> = text
                .match_indices(',')
                .enumerate()
                .filter(|(k, _)| comma_mask >> (k % 64) & 1 == 1)
                .map(|(_, (at, _))| at)
                .collect();
            prop_assert_eq!(digit_runs_in(&text, &commas), reference::digit_runs_in(&text, &commas));
        }
    }
}
