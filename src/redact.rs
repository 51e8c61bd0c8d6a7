//! `--redact`: mask personal data in everything callcheck writes.
//!
//! Two levels ([`Redaction`]):
//!
//! - **personal** (the default of `callcheck report`, `--redact=personal`): numbers long enough to
//!   identify someone — phone, card, ID, account and order numbers, written with digits
//!   (`138-0013-8000`, `4111 1111 1111 1111`, `SD20261119886`, `11010519491231002X`), in Chinese
//!   numerals (`一三八零零一三八零零零`) or spoken in English ("one three eight …") — keep only their
//!   last four digits; e-mail addresses keep the first character and the domain; and the values
//!   that read-back rules for digits, phones, e-mail addresses and patterns and pii rules read are
//!   masked wherever they appear. Amounts and dates stay: trainers need to see "read back
//!   3,680元, customer said 3,580元".
//! - **all** (`check --redact`, `--redact=all`): everything personal masks, and the amounts and
//!   dates read-back rules read, so no value a rule handled is ever shown.
//!
//! Beyond the patterns, every digit string read the way read-back and pii rules read them
//! (Chinese numerals in groups, "double one", mixed forms) and every spoken e-mail address is
//! masked; in callcheck's own words about a call (a finding's message, note and suggestion:
//! [`Words::Ours`]) only in what they quote of it, so a list of turns ("turns 11, 13, 15 and
//! 17") is not taken for a number. And [`mask_known_values`] masks, in the findings about a
//! transcript, every value the loaded rules read in it, as written and as the rules restate it.
//!
//! Redaction happens on each result before any reporter or the baseline sees it (in the
//! pipeline, [`redact_findings`] while the transcript is at hand, which does what
//! [`mask_known_values`] and [`redact_result`] do in one pass over the texts; [`redact_result`]
//! for what could not be checked), so every output format, excerpt and error message is covered
//! by the same code. Call metadata (call id, agent,
//! team, date) is left as it is: reports group by it.

use std::borrow::Cow;
use std::cell::RefCell;
use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;
use serde::Serialize;

use crate::finding::{FileResult, Finding};
use crate::rulebook::RuleSet;
use crate::rules::readback::hint::is_digit_word;
use crate::rules::readback::reads;
use crate::rules::readback::reads::RuleReads;
use crate::rules::readback::values::{Entity, Extractor, Reading, SharedText};
use crate::text_hash::TextMap;
use crate::transcript::Transcript;

mod known;

pub use known::{KnownValues, mask_known_values};

/// How much is masked in what callcheck writes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Redaction {
    /// Nothing (`check` without `--redact`, `report --no-redact`).
    #[default]
    None,
    /// Personal data: phone, card, ID, account and order numbers, e-mail addresses, and what
    /// read-back rules for digits, phones, e-mail addresses and patterns and pii rules read.
    /// Amounts and dates stay (`report`'s default).
    Personal,
    /// Personal data, and the amounts and dates read-back rules read (`check --redact`).
    All,
}

impl Redaction {
    /// True when anything is masked.
    pub fn is_on(self) -> bool {
        self != Redaction::None
    }

    /// True when values of this read-back entity are masked: amounts and dates only in
    /// [`Redaction::All`].
    fn masks(self, entity: Entity) -> bool {
        match entity {
            Entity::Amount | Entity::Date => self == Redaction::All,
            _ => self.is_on(),
        }
    }
}

/// Fewest digits in a number that is masked: shorter ones (times, prices, counts) are not
/// personal data.
const MIN_DIGITS: usize = 6;

/// Digits kept at the end of a masked number, so people can still tell numbers apart.
const KEEP: usize = 4;

/// The mask character.
const MASK: char = '*';

/// A written number: digits, optionally led by letters (`SD2026…`) and ending in `X` (Chinese
/// ID numbers), with single separators (space, `-`, `.`, `/`) between digit groups.
static WRITTEN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:[0-9０-９](?:[ \-./]?[0-9０-９])+[Xx]?)").unwrap_or_else(|e| unreachable!("{e}"))
});

/// Chinese numerals read digit by digit.
static CHINESE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"[零〇一二三四五六七八九幺两]{6,}").unwrap_or_else(|e| unreachable!("{e}")));

/// English digit words, optionally "double"/"triple", separated by spaces, commas or hyphens.
static SPOKEN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\b(?:(?:double|triple)[ -]+)?(?:zero|oh|one|two|three|four|five|six|seven|eight|nine)(?:[ ,\-]+(?:(?:double|triple)[ -]+)?(?:zero|oh|one|two|three|four|five|six|seven|eight|nine))+\b",
    )
    .unwrap_or_else(|e| unreachable!("{e}"))
});

/// False when `text` certainly holds no match of [`SPOKEN`]: every match has two words that are
/// whole runs of ASCII letters and English digit words, unless the text has a long s (`ſ`),
/// which case-insensitive matching takes for an `s`.
fn may_be_spoken(text: &str) -> bool {
    // Byte by byte: a non-ASCII character's bytes are no ASCII letters, so they split words
    // as the character would; the empty pieces between other characters are no words.
    text.contains('ſ')
        || text
            .as_bytes()
            .split(|b| !b.is_ascii_alphabetic())
            .filter(|word| !word.is_empty() && is_digit_word(word))
            .nth(1)
            .is_some()
}

/// The most digits (ASCII or fullwidth) in one [`WRITTEN`] number of `text`, worked out
/// without the regex: a number is a run of digits with single separators between them, and
/// masking it needs [`MIN_DIGITS`] digits.
fn longest_written(text: &str) -> usize {
    let bytes = text.as_bytes();
    let (mut longest, mut run, mut after_separator) = (0, 0, false);
    let mut at = 0;
    while at < bytes.len() {
        let b = bytes[at];
        // A fullwidth digit is EF BC 90–99 in UTF-8.
        let digit = if b.is_ascii_digit() {
            1
        } else if b == 0xEF
            && bytes.get(at + 1) == Some(&0xBC)
            && bytes.get(at + 2).is_some_and(|c| (0x90..=0x99).contains(c))
        {
            3
        } else {
            0
        };
        if digit > 0 {
            run += 1;
            longest = longest.max(run);
            after_separator = false;
            at += digit;
            continue;
        }
        if run > 0 && !after_separator && matches!(b, b' ' | b'-' | b'.' | b'/') {
            after_separator = true;
        } else {
            run = 0;
            after_separator = false;
        }
        at += 1;
    }
    longest
}

/// E-mail addresses.
static EMAIL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+")
        .unwrap_or_else(|e| unreachable!("{e}"))
});

/// Whose words a text is, which decides where the value readers look for personal data.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Words {
    /// The transcript's: excerpts, matched text, the turns around a finding, and error messages,
    /// which quote the file.
    Transcript,
    /// callcheck's own about a transcript: a finding's message, note and suggestion. Their
    /// numbers are the tool's (a list of turns, "turns 11, 13, 15 and 17", reads like a digit
    /// string said in groups), and what they quote of the transcript is in double quotes.
    Ours,
}

/// Masks personal data in a transcript's text as `mode` says; borrows when there is nothing
/// to mask. In [`Redaction::Personal`], numbers that are part of an amount or a date
/// (`¥1280.50`, `2026年11月22日`) stay.
pub fn redact(text: &str, mode: Redaction) -> Cow<'_, str> {
    redact_words(text, mode, Words::Transcript)
}

/// [`redact`] for callcheck's own words about a transcript ([`Words::Ours`]): the number and
/// e-mail patterns mask everywhere, the value readers only inside double quotes.
pub fn redact_ours(text: &str, mode: Redaction) -> Cow<'_, str> {
    redact_words(text, mode, Words::Ours)
}

/// [`redact`] of a text of `words`.
fn redact_words(text: &str, mode: Redaction, words: Words) -> Cow<'_, str> {
    let mut out = Cow::Borrowed(text);
    if !mode.is_on() {
        return out;
    }
    // The text as the value extractors below read it, shared by them all; made again only
    // after a mask has changed the text.
    let mut values: Option<SharedText<'static>> = None;
    for (pattern, mask) in [
        (&*EMAIL, mask_email as fn(&str) -> Option<String>),
        (&*WRITTEN, mask_written),
        (&*CHINESE, mask_units),
        (&*SPOKEN, mask_spoken),
    ] {
        // SPOKEN's Unicode word boundaries send the regex to its slowest engine on any
        // non-ASCII text: rule it out first when the text cannot hold a spoken number.
        // The others are ruled out at a glance: an e-mail address needs an `@`, a written
        // number enough digits in a row to be masked, and Chinese numerals a text that is not
        // ASCII.
        let ruled_out = if std::ptr::eq(pattern, &*SPOKEN) {
            !may_be_spoken(&out)
        } else if std::ptr::eq(pattern, &*EMAIL) {
            !out.contains('@')
        } else if std::ptr::eq(pattern, &*WRITTEN) {
            longest_written(&out) < MIN_DIGITS
        } else {
            out.is_ascii()
        };
        if ruled_out || !pattern.is_match(&out) {
            continue;
        }
        // The amounts and dates `Personal` keeps, looked for only once a match would be masked
        // (most matches are too short to be: times, prices, counts).
        let mut kept: Option<Vec<Range<usize>>> = None;
        // `find_iter` rather than `replace_all` with a closure, which asks for capture
        // positions and so runs the slow capturing engines on every match.
        let mut replaced: Option<String> = None;
        let mut copied = 0;
        // Most matches are too short to mask (the times in a transcript line): the text is
        // copied only once one is masked.
        for m in pattern.find_iter(&out) {
            let masked = mask(m.as_str()).filter(|_| {
                mode != Redaction::Personal
                    || !kept
                        .get_or_insert_with(|| amounts_and_dates(shared(&mut values, &out)))
                        .iter()
                        .any(|k| k.start < m.end() && m.start() < k.end)
            });
            let Some(masked) = masked else { continue };
            let s = replaced.get_or_insert_with(|| String::with_capacity(out.len()));
            s.push_str(&out[copied..m.start()]);
            s.push_str(&masked);
            copied = m.end();
        }
        if let Some(mut s) = replaced {
            s.push_str(&out[copied..]);
            out = Cow::Owned(s);
            values = None;
        }
    }
    // What the patterns above miss but read-back rules read: digits in spaced Chinese groups,
    // mixed forms, "double one"; and spoken e-mail addresses. Neither reads amounts or dates.
    for (extractor, min_digits) in [(&*DIGITS, MIN_DIGITS), (&*SPOKEN_EMAIL, 0)] {
        // In callcheck's own words, only what they quote (worked out again after each mask,
        // which may shorten the text).
        let within = match words {
            Words::Transcript => None,
            Words::Ours => match quoted(&out) {
                Some(quoted) => Some(quoted),
                None => break,
            },
        };
        // What a note quotes is short next to the note: a look at it alone rules most out.
        if let Some(quoted) = &within
            && !extractor.may_read_unmasked(&out[quoted.clone()], min_digits)
        {
            continue;
        }
        let text = shared(&mut values, &out);
        if let Some(masked) = mask_values(text, extractor, min_digits, within) {
            out = Cow::Owned(masked);
            values = None;
        }
    }
    out
}

/// The byte range of `text` from its first double quote to its last, or to its end after a
/// lone one: what callcheck's words quote of a call, taken whole because a quote may itself
/// hold quotes (`the customer said "it's "138 0013 8000"" in turn 3`). `None` without quotes.
fn quoted(text: &str) -> Option<Range<usize>> {
    let first = text.find('"')?;
    let last = text.rfind('"').filter(|&last| last > first).unwrap_or(text.len());
    Some(first + 1..last)
}

/// The shared text in `slot`, made from `text` if there is none.
fn shared<'s>(slot: &'s mut Option<SharedText<'static>>, text: &str) -> &'s mut SharedText<'static> {
    slot.get_or_insert_with(|| SharedText::new(text.to_string()))
}

static AMOUNTS: LazyLock<Extractor> = LazyLock::new(|| Extractor::new(Entity::Amount, None));
static DATES: LazyLock<Extractor> = LazyLock::new(|| Extractor::new(Entity::Date, None));

/// Byte ranges of the amounts (块 read as money) and dates in `text`.
fn amounts_and_dates(text: &mut SharedText<'_>) -> Vec<Range<usize>> {
    let mut out: Vec<Range<usize>> = AMOUNTS
        .values_shared(text, 1, true, Reading::Values)
        .into_iter()
        .map(|f| f.range)
        .collect();
    out.extend(
        DATES
            .values_shared(text, 1, false, Reading::Values)
            .into_iter()
            .map(|f| f.range),
    );
    out
}

static DIGITS: LazyLock<Extractor> = LazyLock::new(|| Extractor::new(Entity::Digits, None));
static SPOKEN_EMAIL: LazyLock<Extractor> = LazyLock::new(|| Extractor::new(Entity::Email, None));

/// Masks every value `extractor` finds in `text` (digit strings need `min_digits` digits),
/// only inside the byte range `within` when given; `None` when there is none.
fn mask_values(
    text: &mut SharedText<'_>,
    extractor: &Extractor,
    min_digits: usize,
    within: Option<Range<usize>>,
) -> Option<String> {
    let ranges: Vec<Range<usize>> = extractor
        .values_shared(text, min_digits, false, Reading::Unmasked)
        .into_iter()
        .map(|v| v.range)
        .filter(|v| {
            within
                .as_ref()
                .is_none_or(|w| w.start <= v.start && v.end <= w.end)
        })
        .collect();
    mask_ranges(text.as_str(), &ranges)
}

/// `text` with the letters and digits inside `ranges` (byte ranges, in order) replaced by the
/// mask; `None` when nothing changes.
fn mask_ranges(text: &str, ranges: &[Range<usize>]) -> Option<String> {
    if ranges.is_empty() {
        return None;
    }
    let mut changed = false;
    let masked = text
        .char_indices()
        .map(|(at, c)| {
            if c.is_alphanumeric() && ranges.iter().any(|r| r.contains(&at)) {
                changed = true;
                MASK
            } else {
                c
            }
        })
        .collect();
    changed.then_some(masked)
}

/// Every text of a finding that can quote a transcript, and whose words it is: message, note,
/// matched text, suggestion and excerpt.
pub(super) fn texts_of(finding: &mut Finding) -> impl Iterator<Item = (&mut String, Words)> {
    [
        (Some(&mut finding.message), Words::Ours),
        (finding.note.as_mut(), Words::Ours),
        (finding.matched.as_mut(), Words::Transcript),
        (finding.suggestion.as_mut(), Words::Ours),
        (finding.excerpt.as_mut(), Words::Transcript),
    ]
    .into_iter()
    .filter_map(|(text, words)| Some((text?, words)))
}

/// `jane.doe@example.com` → `j*******@example.com`.
fn mask_email(email: &str) -> Option<String> {
    let (local, domain) = email.split_once('@')?;
    let mut chars = local.chars();
    let first = chars.next()?;
    Some(format!(
        "{first}{}@{domain}",
        MASK.to_string().repeat(chars.count())
    ))
}

/// Dates (`2026-11-22`, `2026/11/22`, `2026.11.22`) are not personal numbers.
static DATE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\d{4}[-/.]\d{1,2}[-/.]\d{1,2}$").unwrap_or_else(|e| unreachable!("{e}")));

/// Masks all but the last [`KEEP`] digits of a written number, keeping separators.
fn mask_written(number: &str) -> Option<String> {
    let digits = number.chars().filter(|c| c.is_numeric()).count();
    if digits < MIN_DIGITS || DATE.is_match(number) {
        return None;
    }
    let mut to_mask = digits - KEEP;
    Some(
        number
            .chars()
            .map(|c| {
                if c.is_numeric() && to_mask > 0 {
                    to_mask -= 1;
                    MASK
                } else {
                    c
                }
            })
            .collect(),
    )
}

/// Masks all but the last [`KEEP`] characters of a run where each character is a digit.
fn mask_units(run: &str) -> Option<String> {
    let count = run.chars().count();
    Some(
        run.chars()
            .enumerate()
            .map(|(i, c)| if i + KEEP < count { MASK } else { c })
            .collect(),
    )
}

/// Masks all but the last [`KEEP`] digit words of a spoken number ("double" and "triple" count
/// for two and three digits).
fn mask_spoken(spoken: &str) -> Option<String> {
    let words: Vec<&str> = spoken.split([' ', ',', '-']).filter(|w| !w.is_empty()).collect();
    let digits: usize = words
        .iter()
        .map(|w| match w.to_ascii_lowercase().as_str() {
            "double" => 1,
            "triple" => 2,
            _ => 1,
        })
        .sum();
    if digits < MIN_DIGITS {
        return None;
    }
    // Keep the last KEEP words as they are; mask the rest word by word.
    let keep_from = words.len().saturating_sub(KEEP);
    let mut masked: Vec<String> = words[..keep_from]
        .iter()
        .map(|w| MASK.to_string().repeat(w.chars().count()))
        .collect();
    masked.extend(words[keep_from..].iter().map(|w| (*w).to_string()));
    Some(masked.join(" "))
}

/// From now on, the rules judging calls on this thread keep what they read for
/// [`mask_known_values`]: the utterances the read-back rules read, and their reads.
pub fn keep_reads() {
    reads::want();
}

/// Most texts each worker keeps redacted, per mode and [`Words`].
const MAX_REDACTED: usize = 4096;

thread_local! {
    /// Texts each worker has redacted, in [`Redaction::Personal`] and [`Redaction::All`], as
    /// the transcript's words and as callcheck's, and what they became (`None`: nothing to
    /// mask). Findings on one line share their excerpt, and a rule's findings their message,
    /// file after file: each such text is redacted once.
    static REDACTED: RefCell<[TextMap<Option<String>>; 4]> = RefCell::new(Default::default());
}

/// [`redact`] of a text of `words` in a mode that is not [`Redaction::None`], as an owned text
/// when anything was masked, remembered for the texts that come again.
fn redact_remembered(text: &str, mode: Redaction, words: Words) -> Option<String> {
    let slot = 2 * usize::from(mode == Redaction::All) + usize::from(words == Words::Ours);
    if let Some(masked) = REDACTED.with_borrow(|done| done[slot].get(text).cloned()) {
        return masked;
    }
    let masked = match redact_words(text, mode, words) {
        Cow::Owned(s) => Some(s),
        Cow::Borrowed(_) => None,
    };
    REDACTED.with_borrow_mut(|done| {
        let done = &mut done[slot];
        if done.len() >= MAX_REDACTED {
            done.clear();
        }
        done.insert(text.to_string(), masked.clone());
    });
    masked
}

/// Masks every text of the findings about one transcript as `mode` says, going through them
/// once: the values the rules read in it ([`mask_known_values`]), then what [`redact_result`]
/// masks. `reads` is as for [`mask_known_values`].
pub fn redact_findings(
    rules: &RuleSet,
    transcript: &Transcript,
    reads: Option<&RuleReads>,
    findings: &mut [Finding],
    mode: Redaction,
) {
    known::mask_each_text(rules, transcript, reads, findings, mode, |text, words| {
        redact_text(text, mode, words);
    });
}

/// Masks `text`, of `words`, as `mode` (not [`Redaction::None`]) says.
fn redact_text(text: &mut String, mode: Redaction, words: Words) {
    if let Some(masked) = redact_remembered(text, mode, words) {
        *text = masked;
    }
}

/// Masks every text of one result as `mode` says: messages, notes, matched text, suggestions,
/// excerpts and error messages.
pub fn redact_result(result: &mut FileResult, mode: Redaction) {
    if !mode.is_on() {
        return;
    }
    let apply = |text: &mut String, words: Words| redact_text(text, mode, words);
    match result {
        FileResult::Checked(report) => {
            for finding in &mut report.findings {
                texts_of(finding).for_each(|(text, words)| apply(text, words));
            }
        }
        // Both quote what was read: labels, lines of the file.
        FileResult::NotChecked(unjudged) => apply(&mut unjudged.reason, Words::Transcript),
        FileResult::Failed(failure) => apply(&mut failure.error, Words::Transcript),
    }
}

#[cfg(test)]
mod tests {
    use super::known::*;
    use super::*;
    use crate::rulebook::RuleSet;
    use crate::rules::RuleKind;
    use crate::rules::readback::hint::text_hint;

    #[test]
    fn only_the_long_s_and_the_kelvin_sign_fold_to_ascii_letters() {
        // `may_be_spoken` looks for ASCII letters; case-insensitive matching also takes these
        // two characters for letters, and no spoken digit word has a k.
        let letter = Regex::new("(?i)^[a-z]$").unwrap();
        let folding: Vec<char> = (0x80..=0x10FFFF)
            .filter_map(char::from_u32)
            .filter(|c| letter.is_match(c.encode_utf8(&mut [0; 4])))
            .collect();
        assert_eq!(folding, ['ſ', '\u{212A}']);
        assert!(!SPOKEN.as_str().contains('k'));
    }

    proptest::proptest! {
        /// Whatever SPOKEN matches, `may_be_spoken` lets through.
        #[test]
        fn may_be_spoken_never_rules_out_a_spoken_number(
            pieces in proptest::collection::vec(
                proptest::sample::select(vec![
                    "one", "Two", "THREE", "oh", "double", "triple", "zero", "nine", "ſix", "seven",
                    "x", "é", "号", "7", " ", ", ", "-", "_", "and", "twenty",
                ]),
                0..12,
            )
        ) {
            let text = pieces.concat();
            if SPOKEN.is_match(&text) {
                proptest::prop_assert!(may_be_spoken(&text), "{:?}", text);
            }
            // Splitting bytes finds the words splitting characters found.
            let by_chars = text.contains('ſ')
                || text
                    .split(|c: char| !c.is_ascii_alphabetic())
                    .filter(|word| is_digit_word(word.as_bytes()))
                    .nth(1)
                    .is_some();
            proptest::prop_assert_eq!(may_be_spoken(&text), by_chars, "{:?}", text);
        }
    }

    proptest::proptest! {
        /// Looking for a value's first byte first never leaves a known value unmasked, nor
        /// masks one that does not occur.
        #[test]
        fn the_first_byte_look_finds_every_value_that_occurs(
            pieces in proptest::collection::vec(
                proptest::sample::select(vec![
                    "138", "0013", "8000", "VIP", "-AB12", "ab", "1980", "-05-", "03", "May", "3 ", "。",
                    "客服：", "一三八", "零零", "元", " ", "*", "jane", "@", "example.com", "É", "é",
                ]),
                0..16,
            ),
            picks in proptest::collection::vec((0usize..16, 1usize..6, proptest::bool::ANY), 0..6),
        ) {
            let text = pieces.concat();
            // Values cut from the text (so they occur) and from its pieces joined otherwise.
            let values: Vec<Known> = picks
                .iter()
                .filter_map(|&(at, len, digits)| {
                    let at = at.min(pieces.len());
                    let joined = pieces[at..(at + len).min(pieces.len())].concat().to_lowercase();
                    (joined.chars().count() >= MIN_KNOWN_CHARS).then_some((joined, digits))
                })
                .collect();
            proptest::prop_assert_eq!(
                mask_literals(&text, &values),
                mask_literals_where(&text, &values, |_| true),
                "{:?} {:?}", text, values
            );
            for (value, _) in &values {
                let contained = text.to_ascii_lowercase().contains(value.as_str());
                proptest::prop_assert_eq!(occurs(text.as_bytes(), value.as_bytes()), contained, "{:?} {:?}", text, value);
            }
        }
    }

    proptest::proptest! {
        /// A text whose digits, counted as [`longest_written`] counts them, are too few holds no
        /// written number [`mask_written`] masks; and the count is never below the digits of a
        /// number the pattern finds.
        #[test]
        fn the_written_digit_count_never_rules_out_a_number_that_is_masked(
            pieces in proptest::collection::vec(
                proptest::sample::select(vec![
                    "1", "38", "0013", "8000", " ", "-", ".", "/", "  ", "--", "X", "x", "SD", "１", "３８",
                    "，", "。", "a", "é", "客服：", ",", ":", "\u{FF10}", "\u{FF19}", "\u{FF1A}",
                ]),
                0..24,
            ),
        ) {
            let text = pieces.concat();
            let longest = longest_written(&text);
            for m in WRITTEN.find_iter(&text) {
                let digits = m.as_str().chars().filter(|c| c.is_numeric()).count();
                proptest::prop_assert!(digits <= longest, "{:?}: {:?} has {} digits, counted {}", text, m.as_str(), digits, longest);
            }
            if longest < MIN_DIGITS {
                proptest::prop_assert!(WRITTEN.find_iter(&text).all(|m| mask_written(m.as_str()).is_none()), "{:?}", text);
            }
        }
    }

    proptest::proptest! {
        /// A number wholly inside what a note quotes is never ruled out by the look at the
        /// quote alone.
        #[test]
        fn what_a_note_quotes_is_read_whenever_it_holds_a_number(
            parts in proptest::collection::vec(
                proptest::collection::vec(
                    proptest::sample::select(vec![
                        "138", "0013", "8000", "7", " ", ",", "-", "*", "one", "two", "oh", "double", "five",
                        "fifteen", "hundred", "一三八", "零零", "幺", "四", "１２", "turn ", "in ", "号码",
                    ]),
                    0..10,
                ),
                3,
            ),
        ) {
            let text = format!("{}\"{}\"{}", parts[0].concat(), parts[1].concat(), parts[2].concat());
            let inside = quoted(&text).expect("two quotes");
            let values = DIGITS.values_shared(&mut SharedText::new(text.clone()), MIN_DIGITS, false, Reading::Unmasked);
            if values.iter().any(|v| inside.start <= v.range.start && v.range.end <= inside.end) {
                proptest::prop_assert!(DIGITS.may_read_unmasked(&text[inside], MIN_DIGITS), "{:?}", text);
            }
        }
    }

    #[test]
    fn the_written_digit_count_follows_single_separators() {
        assert_eq!(
            longest_written("111 characters in 38 s of talk time over 6 turns"),
            3
        );
        assert_eq!(longest_written("call 138-0013-8000 now"), 11);
        assert_eq!(longest_written("1 2 3  4 5 6"), 3);
        assert_eq!(longest_written("全角１３８００１３８０００"), 11);
        assert_eq!(longest_written("12.5/3"), 4);
    }

    #[test]
    fn known_values_occur_ignoring_ascii_case_only() {
        let text = "客服：您的手机号是19386310956。".as_bytes();
        assert!(occurs(text, b"19386310956"));
        assert!(occurs(text, "手机号".as_bytes()));
        assert!(!occurs(text, b"13800138000"));
        assert!(!occurs(text, b"956000"), "a value cut off by the end of the text");
        assert!(occurs(b"Call VIP-AB12", b"vip-ab12"));
        assert!(!occurs(b"Call VIP-AB12", b"vip-ab123"));
    }

    /// `--redact` (all).
    fn redact_all(text: &str) -> Cow<'_, str> {
        redact(text, Redaction::All)
    }

    #[test]
    fn written_numbers_keep_their_last_four_digits() {
        assert_eq!(
            redact_all("我的手机号是13800138000。"),
            "我的手机号是*******8000。"
        );
        assert_eq!(redact_all("call 138-0013-8000 now"), "call ***-****-8000 now");
        assert_eq!(redact_all("card 4111 1111 1111 1111"), "card **** **** **** 1111");
        assert_eq!(redact_all("order SD20261119886"), "order SD*******9886");
        assert_eq!(redact_all("ID 11010519491231002X"), "ID *************1002X");
        assert_eq!(redact_all("全角１３８００１３８０００"), "全角*******８０００");
    }

    #[test]
    fn short_numbers_are_not_personal_data() {
        for text in ["at 10:30", "$135.50", "2026-11-22", "room 12345", "3 days"] {
            assert_eq!(redact_all(text), text);
        }
    }

    #[test]
    fn chinese_and_spoken_digits() {
        assert_eq!(redact_all("一三八零零一三八零零零"), "*******八零零零");
        assert_eq!(
            redact_all("it's one three eight double oh one three eight"),
            "it's *** ***** ***** ****** oh one three eight"
        );
        assert_eq!(redact_all("one two three"), "one two three");
    }

    #[test]
    fn digits_and_addresses_as_read_back_rules_read_them() {
        // Chinese numerals in groups of four, mixed forms, "double": what the patterns miss.
        assert_eq!(
            redact_all("卡号四幺幺幺 幺幺幺幺 幺幺幺幺 幺幺幺幺，对吗"),
            "卡号**** **** **** ****，对吗"
        );
        assert_eq!(
            redact_all("call me on double one two 3 4 5 6"),
            "call me on ****** *** *** * * * *"
        );
        assert_eq!(
            redact_all("mail jane dot doe at example dot com please"),
            "mail **** *** *** ** ******* *** *** please"
        );
    }

    #[test]
    fn values_the_rules_read_are_masked_as_written_and_as_restated() {
        let (rules, _) = RuleSet::from_text(
            "r.toml",
            "[rulebook]\nid = \"r\"\n[[readback]]\nid = \"dob\"\nentity = \"date\"\n\
             [[readback]]\nid = \"code\"\nentity = \"regex\"\npattern = '(vip-[a-z]{2}\\d{2})'\n",
        )
        .unwrap();
        let transcript = crate::transcript::plain::parse(
            "Customer: born 3 May 1980, code VIP-AB12\nAgent: 4 May 1980?\n",
            &crate::transcript::ParseOptions::default(),
        )
        .unwrap();
        let mut findings = vec![Finding {
            rule: "r/dob".into(),
            kind: "readback",
            severity: crate::finding::Severity::Warning,
            message: "read back 1980-05-04, customer said 1980-05-03; code vipab12".into(),
            note: None,
            start: crate::transcript::Position::default(),
            end: crate::transcript::Position::default(),
            turn: None,
            speaker: None,
            time: None,
            matched: Some("4 May 1980".into()),
            suggestion: None,
            replacement: None,
            excerpt: Some("Customer: born 3 May 1980, code VIP-AB12".into()),
        }];
        mask_known_values(&rules, &transcript, None, &mut findings, Redaction::All);
        let f = &findings[0];
        assert_eq!(
            f.message,
            "read back ****-**-**, customer said ****-**-**; code *******"
        );
        assert_eq!(f.matched.as_deref(), Some("* *** ****"));
        assert_eq!(
            f.excerpt.as_deref(),
            Some("Customer: born * *** ****, code ***-****")
        );
    }

    /// One read-back rule for digit strings of six digits or more.
    fn phone_readback() -> RuleSet {
        let text =
            "[rulebook]\nid = \"r\"\n[[readback]]\nid = \"phone\"\nentity = \"digits\"\nmin_digits = 6\n";
        RuleSet::from_text("r.toml", text).unwrap().0
    }

    #[test]
    fn digit_strings_are_read_from_the_turns_the_rules_read() {
        // The agent's utterance has two turns, the first without a digit: the read-back rule
        // reads only the second, and `--redact` takes that read rather than reading the
        // utterance whole again.
        let rules = phone_readback();
        let transcript = crate::transcript::plain::parse(
            "[00:00:01-00:00:04] Customer: my number is 138 0013 8000\n\
             [00:00:05-00:00:06] Agent: let me see\n\
             [00:00:07-00:00:09] Agent: 138 0013 8001, right?\n",
            &crate::transcript::ParseOptions::default(),
        )
        .unwrap();
        let engine = crate::engine::Engine::new(rules);
        let verdict = engine.check(&transcript, &mut crate::matcher::Scratch::default());
        assert_eq!(verdict.findings.len(), 1, "{:?}", verdict.findings);
        let kept = reads::kept();
        let known = KnownValues::of(engine.rules(), &transcript, Redaction::All);
        assert_eq!(reads::kept(), kept, "a text was read again");
        for value in ["138 0013 8000", "138 0013 8001", "13800138001"] {
            assert!(
                known.0.iter().any(|(v, _)| v == value),
                "{value} in {:?}",
                known.0
            );
        }
    }

    #[test]
    fn pii_detections_are_taken_from_the_rule_for_its_own_transcript_only() {
        // `--redact` takes what the pii rule found in the agent's turns of the call it just
        // judged, reads the customer's turns itself, and never takes one call's for another.
        let (rules, _) =
            RuleSet::from_text("r.toml", "[rulebook]\nid = \"r\"\n[[pii]]\nid = \"card\"\n").unwrap();
        let parse = |text: &str| {
            crate::transcript::plain::parse(text, &crate::transcript::ParseOptions::default()).unwrap()
        };
        let judged = parse(
            "[00:00:01] Customer: my card is 5500 0000 0000 0004\n\
             [00:00:05] Agent: I have 4111 1111 1111 1111 on file\n",
        );
        let engine = crate::engine::Engine::new(rules);
        reads::want();
        let verdict = engine.check(&judged, &mut crate::matcher::Scratch::default());
        assert_eq!(verdict.findings.len(), 1, "{:?}", verdict.findings);
        let RuleKind::Pii(pii) = &engine.rules().rules[0].kind else {
            panic!("not a pii rule")
        };
        let kept = verdict.reads.as_ref().expect("kept for --redact");
        assert_eq!(
            kept.hints.as_deref(),
            Some(
                &judged
                    .turns
                    .iter()
                    .map(|t| text_hint(&t.text))
                    .collect::<Vec<_>>()[..]
            ),
            "the judged call's hints are kept"
        );
        let detections = kept.detections(pii.reader_key(), 2);
        let agent_text = &judged.turns[1].text;
        let ranges = detections[1].as_ref().expect("the agent's turn was read");
        assert_eq!(
            ranges.iter().map(|r| &agent_text[r.clone()]).collect::<Vec<_>>(),
            ["4111 1111 1111 1111"]
        );
        assert_eq!(detections[0], None, "the rule does not read the customer");
        let known = known_values(engine.rules(), &judged, Some(kept), Redaction::All);
        for card in ["5500 0000 0000 0004", "4111 1111 1111 1111"] {
            assert!(known.iter().any(|(v, _)| v == card), "{card} in {known:?}");
        }
        // Another call judged next: its record holds its own detections only.
        let other = parse("[00:00:01] Agent: that is 4000 0566 5566 5556\n");
        let verdict = engine.check(&other, &mut crate::matcher::Scratch::default());
        let kept = verdict.reads.as_ref().expect("kept for --redact");
        let found = kept.detections(pii.reader_key(), 1);
        assert_eq!(found[0].as_ref().map(Vec::len), Some(1), "{found:?}");
        let known = known_values(engine.rules(), &other, Some(kept), Redaction::All);
        let values: Vec<&str> = known.iter().map(|(v, _)| v.as_str()).collect();
        assert_eq!(values, ["4000 0566 5566 5556"]);
    }

    #[test]
    fn known_values_taken_from_the_rules_are_those_read_again() {
        // What `--redact` takes from the rules' record equals what it reads itself without one
        // (as `report` does): with the built-in rulebooks and a digit-string rule of its own, on
        // a number said across a pause, one restated with fewer digits, 块 said with and
        // without money talk before it (the rule reads with `money` off where `--redact` reads
        // with it on), a placeholder, and text with no value at all.
        let (builtins, _) = RuleSet::builtins().unwrap();
        let calls = [
            "[00:00:01] Customer: my number is 415 555\n[00:00:02] Customer: 0132\n\
             [00:00:04] Agent: 415-555-0132, thank you.\n[00:00:06] Customer: I paid 135 dollars\n\
             [00:00:08] Agent: 135 dollars, noted. Anything else?\n",
            "客户：我买了一百三十五块\n客服：一百三十五块对吧\n客户：对\n",
            "客服：您要转多少钱？\n客户：一百三十五块。\n客服：好的，一百三十五块。\n",
            "客户：订单号是 2026 1122 3344，另外退款五十块钱\n客服：好的，尾号3344，五十块\n",
            "Customer: it's <PHONE>, and the order is SD87049303085\nAgent: SD 8704 9303 085?\n\
             Customer: yes, card 4111 1111 1111 1111\nAgent: ending 1111, thanks\n",
            "Customer: hello\nAgent: hi, how can I help?\n",
        ];
        for rules in [builtins, phone_readback()] {
            let engine = crate::engine::Engine::new(rules);
            keep_reads();
            for call in calls {
                let transcript =
                    crate::transcript::plain::parse(call, &crate::transcript::ParseOptions::default())
                        .unwrap();
                let verdict = engine.check(&transcript, &mut crate::matcher::Scratch::default());
                let record = verdict.reads.as_ref().expect("kept for --redact");
                for mode in [Redaction::Personal, Redaction::All] {
                    let taken = known_values(engine.rules(), &transcript, Some(record), mode);
                    let read = known_values(engine.rules(), &transcript, None, mode);
                    assert_eq!(taken, read, "{mode:?} {call}");
                }
            }
        }
    }

    #[test]
    fn known_values_are_read_where_the_rules_read() {
        // The read-back rule reads every customer utterance and the agent's in the windows after
        // a value the customer gave (and the four before it): a price the agent states with no
        // value given near it is read by no rule, so it is no known value.
        let (rules, _) = RuleSet::from_text(
            "r.toml",
            "[rulebook]\nid = \"r\"\n[[readback]]\nid = \"amount\"\nentity = \"amount\"\nwithin_turns = 1\n",
        )
        .unwrap();
        let known = |text: &str| {
            let transcript =
                crate::transcript::plain::parse(text, &crate::transcript::ParseOptions::default()).unwrap();
            let values = KnownValues::of(&rules, &transcript, Redaction::All).0;
            values.into_iter().map(|(v, _)| v).collect::<Vec<_>>()
        };
        let unread = known(
            "Agent: your plan is 128 dollars a month\nCustomer: ok\nAgent: anything else?\n\
             Customer: I was charged 135 dollars\nAgent: 135 dollars, noted\nCustomer: thanks\n\
             Agent: the fee is 27 dollars\n",
        );
        assert!(unread.contains(&"135 dollars".to_string()), "{unread:?}");
        // Two agent utterances before the value (outside `within_turns = 1`), one after it.
        assert!(!unread.iter().any(|v| v.contains("128")), "{unread:?}");
        assert!(!unread.iter().any(|v| v.contains("27 dollars")), "{unread:?}");
        // The same price said right before the customer's value is in the rule's window.
        let read = known(
            "Agent: your plan is 128 dollars a month\nCustomer: I was charged 135 dollars\nAgent: noted\n",
        );
        assert!(read.contains(&"128 dollars".to_string()), "{read:?}");
        // Without a value from the customer the rule reads no agent utterance at all.
        let none = known("Agent: your plan is 128 dollars a month\nCustomer: ok\n");
        assert!(none.is_empty(), "{none:?}");
    }

    #[test]
    fn a_judged_call_s_known_values_are_those_of_the_utterances_its_rules_read() {
        // The agent restates the number at once, so the rule never reads the agent's next
        // utterance, inside its window: the verdict says so, and its number is no known value
        // (the patterns still mask it, having six digits or more).
        let rules = phone_readback();
        let transcript = crate::transcript::plain::parse(
            "Customer: my number is 138 0013 8000\nAgent: 138 0013 8000, right?\n\
             Customer: yes\nAgent: your ticket is 5566 7788\n",
            &crate::transcript::ParseOptions::default(),
        )
        .unwrap();
        let engine = crate::engine::Engine::new(rules);
        keep_reads();
        let verdict = engine.check(&transcript, &mut crate::matcher::Scratch::default());
        assert!(verdict.findings.is_empty(), "{:?}", verdict.findings);
        let read = verdict.reads.expect("kept for --redact");
        let read_utterances: Vec<usize> = read.utterances.iter().map(|r| r.utterance).collect();
        assert_eq!(
            read_utterances,
            [0, 1],
            "the customer's number, then the agent's restatement: the customer's \"yes\" holds \
             no value, and the agent's last utterance is never read"
        );
        let known = known_values(engine.rules(), &transcript, Some(&read), Redaction::All);
        let values: Vec<&str> = known.iter().map(|(v, _)| v.as_str()).collect();
        assert!(
            values.contains(&"138 0013 8000") && values.contains(&"13800138000"),
            "{values:?}"
        );
        assert!(!values.iter().any(|v| v.contains("5566")), "{values:?}");
        // Without the verdict, the whole window is read.
        let known = KnownValues::of(engine.rules(), &transcript, Redaction::All);
        assert!(known.0.iter().any(|(v, _)| v == "5566 7788"), "{:?}", known.0);
    }

    #[test]
    fn personal_redaction_keeps_amounts_and_dates() {
        // Issue 13: "read back 3,680元, customer said 3,580元" became "*,****" in reports.
        let (rules, _) = RuleSet::from_text(
            "r.toml",
            "[rulebook]\nid = \"r\"\n[[readback]]\nid = \"amount\"\nentity = \"amount\"\n\
             [[readback]]\nid = \"date\"\nentity = \"date\"\n\
             [[readback]]\nid = \"phone\"\nentity = \"phone\"\n",
        )
        .unwrap();
        let transcript = crate::transcript::plain::parse(
            "客户：我转了3,580元，11月22日到账，电话13912345678。\n客服：好的，3,680元，11月23日，13912345679。\n",
            &crate::transcript::ParseOptions::default(),
        )
        .unwrap();
        let finding = |message: &str, excerpt: &str| Finding {
            rule: "r/amount".into(),
            kind: "readback",
            severity: crate::finding::Severity::Warning,
            message: message.into(),
            note: None,
            start: crate::transcript::Position::default(),
            end: crate::transcript::Position::default(),
            turn: None,
            speaker: None,
            time: None,
            matched: None,
            suggestion: None,
            replacement: None,
            excerpt: Some(excerpt.into()),
        };
        let excerpt = "客服：好的，3,680元，11月23日，13912345679。";
        let mut findings = vec![
            finding("read back 3680, customer said 3580", excerpt),
            finding("read back 11-23, customer said 11-22", excerpt),
        ];
        mask_known_values(&rules, &transcript, None, &mut findings, Redaction::Personal);
        let mut result = FileResult::Checked(crate::finding::FileReport {
            findings,
            ..crate::finding::FileReport::default()
        });
        redact_result(&mut result, Redaction::Personal);
        let FileResult::Checked(report) = &result else {
            unreachable!()
        };
        let [amount, date] = &report.findings[..] else {
            unreachable!()
        };
        assert_eq!(amount.message, "read back 3680, customer said 3580");
        assert_eq!(date.message, "read back 11-23, customer said 11-22");
        assert_eq!(
            amount.excerpt.as_deref(),
            Some("客服：好的，3,680元，11月23日，*******5679。")
        );
        // --redact=all masks them, as `check --redact` always did.
        let mut findings = vec![finding("read back 3680, customer said 3580", excerpt)];
        mask_known_values(&rules, &transcript, None, &mut findings, Redaction::All);
        assert_eq!(findings[0].message, "read back ****, customer said ****");
        assert_eq!(
            findings[0].excerpt.as_deref(),
            Some("客服：好的，*,****，******，*******5679。")
        );
        // Nothing at all without redaction.
        let mut findings = vec![finding("read back 3680, customer said 3580", excerpt)];
        mask_known_values(&rules, &transcript, None, &mut findings, Redaction::None);
        assert_eq!(findings[0].excerpt.as_deref(), Some(excerpt));
        // The pipeline's one pass over the texts masks what the two steps mask.
        for mode in [Redaction::Personal, Redaction::All] {
            let fresh = || {
                vec![
                    finding("read back 3680, customer said 3580, 13912345678", excerpt),
                    finding("read back 11-23, customer said 11-22", "客户：电话139 1234 5678"),
                ]
            };
            let mut once = fresh();
            redact_findings(&rules, &transcript, None, &mut once, mode);
            let mut findings = fresh();
            mask_known_values(&rules, &transcript, None, &mut findings, mode);
            let mut result = FileResult::Checked(crate::finding::FileReport {
                findings,
                ..crate::finding::FileReport::default()
            });
            redact_result(&mut result, mode);
            let FileResult::Checked(report) = result else {
                unreachable!()
            };
            assert_eq!(once, report.findings, "{mode:?}");
            assert_ne!(once, fresh(), "{mode:?}: something was masked");
        }
    }

    #[test]
    fn personal_patterns_leave_numbers_inside_amounts_and_dates() {
        for text in [
            "¥1280.50",
            "共计135000.00元",
            "RMB 250000",
            "2026.11.22",
            "2026年11月22日",
        ] {
            assert_eq!(redact(text, Redaction::Personal), text);
        }
        assert_eq!(redact_all("¥1280.50"), "¥**80.50");
        assert_eq!(
            redact("付了¥1280.50，卡号4111 1111 1111 1111", Redaction::Personal),
            "付了¥1280.50，卡号**** **** **** 1111"
        );
        assert!(matches!(redact("13800138000", Redaction::None), Cow::Borrowed(_)));
    }

    #[test]
    fn email_addresses() {
        assert_eq!(
            redact_all("write to jane.doe@example.com today"),
            "write to j*******@example.com today"
        );
    }

    #[test]
    fn nothing_to_mask_borrows() {
        assert!(matches!(redact_all("您好，这里是顺达快递"), Cow::Borrowed(_)));
    }

    #[test]
    fn results_are_masked_everywhere() {
        use crate::finding::{FileError, FileReport, Severity};
        use crate::transcript::Position;
        let finding = Finding {
            rule: "r/x".into(),
            kind: "readback",
            severity: Severity::Warning,
            message: "read back 13800138001".into(),
            note: Some("customer said 13800138000".into()),
            start: Position::default(),
            end: Position::default(),
            turn: None,
            speaker: None,
            time: None,
            matched: Some("13800138001".into()),
            suggestion: None,
            replacement: None,
            excerpt: Some("客服：13800138001，对吗？".into()),
        };
        let mut result = FileResult::Checked(FileReport {
            findings: vec![finding],
            ..FileReport::default()
        });
        redact_result(&mut result, Redaction::All);
        let FileResult::Checked(report) = &result else {
            unreachable!()
        };
        let f = &report.findings[0];
        let all = format!("{} {:?} {:?} {:?}", f.message, f.note, f.matched, f.excerpt);
        assert!(!all.contains("138001380"), "{all}");
        let mut failed = FileResult::Failed(FileError {
            path: "a.txt".into(),
            error: "line 2: expected a label, found `13800138000`".into(),
        });
        redact_result(&mut failed, Redaction::All);
        assert_eq!(failed.path(), "a.txt");
        let FileResult::Failed(e) = failed else {
            unreachable!()
        };
        assert!(e.error.ends_with("`*******8000`"), "{}", e.error);
    }

    #[test]
    fn callcheck_s_own_turn_numbers_are_not_masked_but_what_it_quotes_is() {
        // "turns 11, 13, 15 and 17" reads like a number said in groups; in a note it is a list
        // of turns, and `report` showed "turns **, **, ** and 17".
        let list = "the agent did not restate it in turns 11, 13, 15 and 17";
        for mode in [Redaction::Personal, Redaction::All] {
            assert_eq!(redact_ours(list, mode), list);
            assert_eq!(
                redact(list, mode),
                "the agent did not restate it in turns **, **, ** and 17"
            );
        }
        // What the note quotes of the transcript is read as the transcript is.
        let quoted = "the customer said \"一三八 零零一三 八零零零\" in turns 11, 13, 15 and 17";
        assert_eq!(
            redact_ours(quoted, Redaction::Personal),
            "the customer said \"*** **** ****\" in turns 11, 13, 15 and 17"
        );
        // The patterns mask callcheck's words everywhere: a restated number, an e-mail address.
        assert_eq!(
            redact_ours("read back 13800138001 to jane@example.com", Redaction::Personal),
            "read back *******8001 to j***@example.com"
        );
        // A finding's message, note and suggestion are callcheck's; its matched text and
        // excerpt the transcript's.
        let finding = Finding {
            rule: "r/x".into(),
            kind: "readback",
            severity: crate::finding::Severity::Warning,
            message: list.into(),
            note: Some(list.into()),
            start: crate::transcript::Position::default(),
            end: crate::transcript::Position::default(),
            turn: None,
            speaker: None,
            time: None,
            matched: Some("11, 13, 15".into()),
            suggestion: Some(list.into()),
            replacement: None,
            excerpt: Some("Agent: 11, 13, 15".into()),
        };
        let mut result = FileResult::Checked(crate::finding::FileReport {
            findings: vec![finding],
            ..crate::finding::FileReport::default()
        });
        redact_result(&mut result, Redaction::Personal);
        let FileResult::Checked(report) = &result else {
            unreachable!()
        };
        let f = &report.findings[0];
        assert_eq!(
            [
                &f.message,
                f.note.as_ref().unwrap(),
                f.suggestion.as_ref().unwrap()
            ],
            [list; 3]
        );
        assert_eq!(f.matched.as_deref(), Some("**, **, **"));
        assert_eq!(f.excerpt.as_deref(), Some("Agent: **, **, **"));
    }

    #[test]
    fn what_lies_between_the_first_and_the_last_quote_is_quoted() {
        assert_eq!(quoted("no quotes"), None);
        assert_eq!(quoted(r#"a "bc" d "e" f"#), Some(3..11));
        assert_eq!(quoted(r#"a "bc"#), Some(3..5));
        // A quote within the quote does not end it: the number is read.
        let note = r#"the customer said "it's "一三八 零零一三 八零零零"" in turns 11, 13, 15 and 17"#;
        assert_eq!(
            redact_ours(note, Redaction::Personal),
            r#"the customer said "it's "*** **** ****"" in turns 11, 13, 15 and 17"#
        );
    }
}
