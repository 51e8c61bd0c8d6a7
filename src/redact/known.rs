//! The values the read-back and pii rules read in a transcript, masked wherever the findings
//! about it quote them: as written and as the rules restate them.

use std::borrow::Cow;
use std::cell::OnceCell;
use std::ops::Range;

use super::{KEEP, MASK, Redaction, Words, texts_of};
use crate::finding::Finding;
use crate::normalize::NormText;
use crate::rulebook::RuleSet;
use crate::rules::RuleKind;
use crate::rules::readback::Readback;
use crate::rules::readback::hint::{TextHint, digit_turns, text_hint};
use crate::rules::readback::reads::{self, RuleReads};
use crate::rules::readback::values::{Found, Reading, SharedText, Value};
use crate::rules::utterance::{UtteranceText, utterances};
use crate::transcript::Transcript;

/// Masks, in the findings about one transcript, every value the loaded read-back and pii rules
/// read in it — amounts and dates only in [`Redaction::All`]: as written in the transcript
/// (`VIP-AB12C`, `3 May 1980`, spoken digits) and as the rules restate it in messages and notes
/// (`vipab12c`, `1980-05-03`, `13800138000`). Digit strings keep their last four digits, as
/// everywhere else; values shorter than three characters identify nobody and are left alone.
///
/// `reads` is what the rules read when they judged the transcript
/// ([`crate::engine::Verdict::reads`]); without it, the values are read in the utterances the
/// rules would read ([`KnownValues::of`]).
pub fn mask_known_values(
    rules: &RuleSet,
    transcript: &Transcript,
    reads: Option<&RuleReads>,
    findings: &mut [Finding],
    mode: Redaction,
) {
    mask_each_text(rules, transcript, reads, findings, mode, |_, _| {});
}

/// [`mask_known_values`], then `then` on each text, with whose words it is: the findings' texts
/// are gone through once.
pub(super) fn mask_each_text(
    rules: &RuleSet,
    transcript: &Transcript,
    reads: Option<&RuleReads>,
    findings: &mut [Finding],
    mode: Redaction,
    mut then: impl FnMut(&mut String, Words),
) {
    if findings.is_empty() || !mode.is_on() {
        return;
    }
    let known = known_values(rules, transcript, reads, mode);
    for finding in findings {
        for (text, words) in texts_of(finding) {
            if !known.is_empty()
                && let Some(masked) = mask_literals(text, &known)
            {
                *text = masked;
            }
            then(text, words);
        }
    }
}

/// The values the loaded read-back and pii rules read in one transcript, to mask wherever else
/// the transcript's text is shown (the turns around a finding in `callcheck report`).
#[derive(Default)]
pub struct KnownValues(pub(super) Vec<Known>);

impl KnownValues {
    /// The values the enabled read-back and pii rules read in `transcript` that `mode` masks,
    /// read in the utterances the read-back rules read when they judge it: every utterance of
    /// the party that gives the value, and the other party's in the windows where they look
    /// for its read-back.
    pub fn of(rules: &RuleSet, transcript: &Transcript, mode: Redaction) -> Self {
        KnownValues(known_values(rules, transcript, None, mode))
    }

    /// `text` with every known value masked as [`mask_known_values`] masks it; the number of
    /// characters stays the same.
    pub fn mask<'t>(&self, text: &'t str) -> Cow<'t, str> {
        match mask_literals(text, &self.0) {
            Some(masked) => Cow::Owned(masked),
            None => Cow::Borrowed(text),
        }
    }
}

/// Shortest value masked by [`mask_known_values`], in characters.
pub(super) const MIN_KNOWN_CHARS: usize = 3;

/// A value to mask wherever it occurs: its text in lower case, and whether it is a digit string
/// (whose last four digits stay visible).
pub(super) type Known = (String, bool);

/// The values the enabled read-back and pii rules read in a transcript that `mode` masks,
/// longest first (so a value is masked whole before any shorter one inside it). Read-back
/// values are read as the rules read them, from utterances, so a number said across a pause is
/// known whole and by each of its pieces, and where the rules read them: in the utterances
/// `reads` lists (as the rules judged the transcript) or, without it, in every utterance of the party that gives the value and the other party's in
/// the windows where the rules look for its read-back. A price the agent quotes with no value
/// given near it is read by no rule.
pub(super) fn known_values(
    rules: &RuleSet,
    transcript: &Transcript,
    reads: Option<&RuleReads>,
    mode: Redaction,
) -> Vec<Known> {
    // From the next transcript on, the rules keep what they read for this.
    reads::want();
    let mut values: Vec<Known> = Vec::new();
    let mut norm = NormText::new();
    // Rulebooks for several languages carry the same read-back and pii rules: read each
    // distinct reader once, in the utterances any read-back rule with that reader reads.
    let mut readers: Vec<(usize, &RuleKind, Vec<&Readback>, Vec<usize>)> = Vec::new();
    for (index, group, rule) in rules.enabled_readers() {
        let wanted = match &rule.kind {
            RuleKind::Readback(r) => mode.masks(r.extractor().0.entity()),
            RuleKind::Pii(_) => mode.is_on(),
            _ => false,
        };
        if !wanted {
            continue;
        }
        let member = match &rule.kind {
            RuleKind::Readback(r) => Some(r),
            _ => None,
        };
        match readers.iter_mut().find(|(g, ..)| *g == group) {
            Some((_, _, members, indices)) => {
                indices.push(index);
                if let Some(member) = member.filter(|m| !members.iter().any(|o| o.reads_like(m))) {
                    members.push(member);
                }
            }
            None => readers.push((group, &rule.kind, member.into_iter().collect(), vec![index])),
        }
    }
    // Every reader starts from the turns' hints, so most utterances are never folded: work
    // them out once per turn rather than once per reader and utterance, when the rules that
    // judged this transcript have not.
    let hints: Cow<'_, [TextHint]> = match reads.and_then(|r| r.hints.as_deref()) {
        _ if readers.is_empty() => Cow::Borrowed(&[]),
        Some(hints) => Cow::Borrowed(hints),
        None => Cow::Owned(transcript.turns.iter().map(|t| text_hint(&t.text)).collect()),
    };
    // Digit strings are read, as read-back rules read them, from the utterance's turns that
    // can hold one: most often the whole utterance, and then its text is shared.
    let digit_readers = readers.iter().any(
        |(_, kind, ..)| matches!(kind, RuleKind::Readback(r) if r.extractor().0.entity().is_digit_string()),
    );
    // The utterances and their texts, made when first read: the values the rules found are
    // taken as they found them, and only what they did not say is read here.
    let spans: OnceCell<Vec<Range<usize>>> = OnceCell::new();
    let spans_of = || spans.get_or_init(|| utterances(transcript));
    let texts: OnceCell<Vec<OnceCell<UtteranceTexts<'_>>>> = OnceCell::new();
    let text_of = |u: usize| {
        let spans = spans_of();
        texts.get_or_init(|| spans.iter().map(|_| OnceCell::new()).collect())[u].get_or_init(|| {
            let span = &spans[u];
            let digit_span = digit_turns(span.clone(), |t| hints[t]);
            let fewer =
                (digit_readers && digit_span != *span).then(|| UtteranceText::new(transcript, digit_span));
            (UtteranceText::new(transcript, span.clone()), fewer)
        })
    };
    // Each text is folded once, by the first reader that needs its fold.
    let mut shared: Vec<[Option<SharedText<'_>>; 2]> = Vec::new();
    let role_of = |u: usize| transcript.turns[spans_of()[u].start].speaker.role;
    for (_, kind, members, indices) in readers {
        match kind {
            RuleKind::Readback(r) => {
                let (extractor, min_digits) = r.extractor();
                let digits = extractor.entity().is_digit_string();
                // Reads utterance `u` (one of `spans_of()`), adding its values.
                let mut read = |u: usize, values: &mut Vec<Known>| {
                    let (whole, fewer) = text_of(u);
                    let (slot, text) = match fewer {
                        Some(fewer) if digits => (1, fewer),
                        _ => (0, whole),
                    };
                    let source = text.as_str();
                    if shared.is_empty() {
                        shared = spans_of().iter().map(|_| [None, None]).collect();
                    }
                    let shared = shared[u][slot].get_or_insert_with(|| {
                        let hint = hints[text.turns()]
                            .iter()
                            .copied()
                            .fold(TextHint::default(), TextHint::and);
                        SharedText::with_hint(hint, source)
                    });
                    // Masking more is the safe side: 块 after a number is read as money.
                    let found = extractor.values_shared(shared, min_digits, true, Reading::Values);
                    for f in &found {
                        let at = (text.locate(f.range.start), text.locate(f.range.end));
                        add_value(values, transcript, &source[f.range.clone()], &f.value, at, digits);
                    }
                    found
                };
                match reads {
                    // What the rules with this reader read, as they said when they judged the
                    // transcript: the values they found, or, where they read with the other
                    // `money`, the same utterance read again.
                    Some(reads) => {
                        let mut done: Vec<usize> = Vec::new();
                        for record in reads.utterances.iter().filter(|r| indices.contains(&r.rule)) {
                            let u = record.utterance;
                            if done.contains(&u) {
                                continue;
                            }
                            done.push(u);
                            match record.values_as(min_digits, true) {
                                Some(found) => {
                                    for (at, written) in found {
                                        add_value(
                                            &mut values,
                                            transcript,
                                            written,
                                            &at.value,
                                            (at.start, at.end),
                                            digits,
                                        );
                                    }
                                }
                                None if u < spans_of().len() => {
                                    read(u, &mut values);
                                }
                                None => {}
                            }
                        }
                    }
                    // What they read when they judge it: every utterance of the party that gives
                    // the value, then the other party's in the windows where they look for the
                    // read-back of the values found.
                    None => {
                        let count = spans_of().len();
                        let mut found: Vec<Option<Vec<Found>>> = vec![None; count];
                        let mut read_once = |u: usize, found: &mut [Option<Vec<Found>>]| {
                            if found[u].is_none() {
                                found[u] = Some(read(u, &mut values));
                            }
                        };
                        for member in &members {
                            let (from, _) = member.parties();
                            for u in (0..count).filter(|&u| role_of(u) == from) {
                                read_once(u, &mut found);
                            }
                        }
                        for member in &members {
                            let (from, _) = member.parties();
                            let given = (0..count)
                                .filter(|&u| role_of(u) == from)
                                .flat_map(|u| found[u].iter().flatten().map(move |f| (u, f.value.clone())))
                                .collect();
                            for u in member.searched_utterances(spans_of(), role_of, given) {
                                read_once(u, &mut found);
                            }
                        }
                    }
                }
            }
            RuleKind::Pii(p) => {
                // The turns a pii rule with this reader just read (the agent's, most often) are
                // taken as it found them.
                let mut detected =
                    reads.map_or_else(Vec::new, |r| r.detections(p.reader_key(), transcript.turns.len()));
                for (index, (turn, hint)) in transcript.turns.iter().zip(hints.iter()).enumerate() {
                    let ranges = match detected.get_mut(index).and_then(Option::take) {
                        Some(ranges) => ranges,
                        None => p.ranges(&turn.text, hint.digits, &mut norm),
                    };
                    for range in ranges {
                        add_known(&mut values, &turn.text[range], true);
                    }
                }
            }
            _ => {}
        }
    }
    values.sort_by_key(|(v, _)| std::cmp::Reverse(v.len()));
    values
}

/// An utterance's text, and, when digit strings are read from fewer of its turns, the text of
/// those.
pub(super) type UtteranceTexts<'t> = (UtteranceText<'t>, Option<UtteranceText<'t>>);

/// Adds a value read in `transcript` to `values`: as written (`written`), as restated
/// (`value`), and, when it was said across a pause (`at`: the turn and byte offset where it
/// starts, and where it ends), each turn's piece, which is quoted on its own line.
pub(super) fn add_value(
    values: &mut Vec<Known>,
    transcript: &Transcript,
    written: &str,
    value: &Value,
    at: ((usize, usize), (usize, usize)),
    digits: bool,
) {
    add_known(values, written, digits);
    add_known(values, &value.restated(), digits);
    let ((first, start), (last, end)) = at;
    if first != last {
        let turns = &transcript.turns;
        add_known(values, turns[first].text.get(start..).unwrap_or_default(), digits);
        add_known(values, turns[last].text.get(..end).unwrap_or_default(), digits);
    }
}

/// Adds `text` to `values` unless it is too short to identify anyone or there already
/// (ignoring case).
pub(super) fn add_known(values: &mut Vec<Known>, text: &str, digits: bool) {
    let text = text.trim();
    // Most values come back (as written, as restated, read by each reader): an ASCII one is
    // compared in place, and copied only when it is new.
    if text.is_ascii() {
        if text.len() >= MIN_KNOWN_CHARS && !values.iter().any(|(v, _)| v.eq_ignore_ascii_case(text)) {
            values.push((text.to_ascii_lowercase(), digits));
        }
        return;
    }
    let text = text.to_lowercase();
    if text.chars().count() >= MIN_KNOWN_CHARS && !values.iter().any(|(v, _)| *v == text) {
        values.push((text, digits));
    }
}

/// `text` with every occurrence of the known values (matched ignoring ASCII case) masked; `None`
/// when none occurs.
pub(super) fn mask_literals(text: &str, values: &[Known]) -> Option<String> {
    mask_literals_where(text, values, |value| occurs(text.as_bytes(), value.as_bytes()))
}

/// True when `value` (in lower case) occurs in `text`, ignoring ASCII case. Finding texts are
/// short, and a call has few known values: each is looked for by its first byte (in either
/// case), which rules most texts out in one pass, with no searcher to set up and no copy of
/// the text in lower case.
pub(super) fn occurs(text: &[u8], value: &[u8]) -> bool {
    let Some((&first, rest)) = value.split_first() else {
        return true;
    };
    let rest_at = |at: usize| {
        text.get(at + 1..at + 1 + rest.len())
            .is_some_and(|after| after.eq_ignore_ascii_case(rest))
    };
    if first.is_ascii_alphabetic() {
        memchr::memchr2_iter(first.to_ascii_lowercase(), first.to_ascii_uppercase(), text).any(rest_at)
    } else {
        memchr::memchr_iter(first, text).any(rest_at)
    }
}

/// [`mask_literals`], searching only for the values `may_occur` does not rule out.
pub(super) fn mask_literals_where(
    text: &str,
    values: &[Known],
    may_occur: impl Fn(&str) -> bool,
) -> Option<String> {
    let mut lower: Option<String> = None;
    // The characters with their offsets, listed once a value occurs (most texts hold none).
    let mut chars: Vec<(usize, char)> = Vec::new();
    let mut changed = false;
    for (value, digits) in values {
        if !may_occur(value) {
            continue;
        }
        let lower = lower.get_or_insert_with(|| text.to_ascii_lowercase());
        for (at, m) in lower.match_indices(value.as_str()) {
            if chars.is_empty() {
                chars = text.char_indices().collect();
            }
            let inside =
                chars.partition_point(|&(o, _)| o < at)..chars.partition_point(|&(o, _)| o < at + m.len());
            // A digit string keeps its last KEEP digits, like every masked number.
            let mut keep = if *digits { KEEP } else { 0 };
            for (_, c) in chars[inside].iter_mut().rev() {
                if keep > 0 && c.is_numeric() {
                    keep -= 1;
                } else if c.is_alphanumeric() {
                    *c = MASK;
                    changed = true;
                }
            }
        }
    }
    changed.then(|| chars.into_iter().map(|(_, c)| c).collect())
}
