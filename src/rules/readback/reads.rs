//! The values readers read, kept per worker thread so a text read once is not read again.
//!
//! The same utterance comes back within a call (a customer gives the order number twice, the
//! agent says the same sentence with the number again) and from call to call (a tariff, a
//! closing line with a number). Read-back rules take their reads from here, and so does
//! `--redact` (which masks, in a transcript's findings, every value the rules' readers read)
//! where it reads again.
//!
//! Reads are keyed by what decides them — the reader, the text, the fewest digits and whether
//! the talk is about money — so a read found here is the read made again, whatever transcript
//! asks. They are emptied when they grow past [`MAX_READS`], which is far more than one
//! transcript's reads. Once `--redact` first asks ([`want`]), the rules also record, per
//! transcript, the values the read-back rules found and where, the turns' hints, and what the
//! pii readers found ([`RuleReads`]): `--redact` takes them from there rather than reading
//! again.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::ops::Range;

use super::Located;
use super::hint::TextHint;
use super::values::{Entity, Extracted, Extractor, Found, Value};
use crate::text_hash::hash_text;

/// Most reads kept per thread.
const MAX_READS: usize = 2048;

/// One read: who read what, and the values found.
struct Read {
    entity: Entity,
    max_digits: usize,
    pattern: Option<String>,
    text: String,
    min_digits: usize,
    /// The `money` it was read with, or `None` when the folded text has no 块, 毛 or 角 and
    /// so `money` changed nothing.
    money: Option<bool>,
    values: Vec<Found>,
    /// The placeholders, when the read looked for them (read-back rules' reads do).
    placeholders: Option<Vec<Range<usize>>>,
}

/// What the read-back and pii rules read in one transcript, kept for `--redact` when it asks
/// ([`want`]) so that it masks the values they read without reading again
/// ([`crate::engine::Verdict::reads`]).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RuleReads {
    /// The utterances each read-back rule read and found values in, or read with `money` off
    /// where that mattered, in the order read: the values `--redact` masks, or where it reads
    /// again ([`UtteranceRead::values_as`]).
    pub(crate) utterances: Vec<UtteranceRead>,
    /// Each turn's hint, when a rule worked them out.
    pub(crate) hints: Option<Vec<TextHint>>,
    /// What the pii readers found in the turns they read.
    pub(crate) detections: Vec<Detections>,
}

impl RuleReads {
    /// Adds the utterances read-back rule `rule` just read ([`note_read`]): only for
    /// `--redact`, so out of the way of the rules' loop.
    #[cold]
    #[inline(never)]
    pub(crate) fn add_utterances(&mut self, rule: usize) {
        READ_UTTERANCES.with_borrow_mut(|read| {
            self.utterances
                .extend(read.drain(..).map(|read| UtteranceRead { rule, ..read }));
        });
    }

    /// Ends the record of a transcript the rules judged: its turns' hints, when they were worked
    /// out, and what the pii readers found ([`keep_detections`]).
    pub(crate) fn finish(&mut self, hints: Option<Vec<TextHint>>) {
        self.hints = hints;
        self.detections = DETECTIONS.with_borrow_mut(std::mem::take);
    }

    /// Per turn (`turns` of them), what the pii reader `key` found there, `None` in the turns no
    /// rule with that reader read.
    pub(crate) fn detections(&self, key: &str, turns: usize) -> Vec<Option<Vec<Range<usize>>>> {
        let mut out = vec![None; turns];
        for found in self.detections.iter().filter(|d| d.key == key) {
            if let Some(slot) = out.get_mut(found.turn) {
                *slot = Some(found.ranges.clone());
            }
        }
        out
    }
}

/// One utterance a read-back rule read, and the values it found there.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct UtteranceRead {
    /// The rule's index.
    pub(crate) rule: usize,
    /// The utterance's index.
    pub(crate) utterance: usize,
    /// The fewest digits it read digit strings with.
    min_digits: usize,
    /// The `money` it read with, when that changed what could be read
    /// ([`super::values::RuleRead::money_mattered`]).
    money: Option<bool>,
    /// The values found, each with the text it was read from as written.
    values: Vec<(Located, String)>,
}

impl UtteranceRead {
    /// The values this read found that reading the same text again with digit strings of at
    /// least `min_digits` digits and `money` as given would find, when this read answers that:
    /// it read with as few digits or fewer, and with the same `money` where that mattered (the
    /// same rule as [`recall`]'s).
    pub(crate) fn values_as(
        &self,
        min_digits: usize,
        money: bool,
    ) -> Option<impl Iterator<Item = &(Located, String)>> {
        (self.min_digits <= min_digits && self.money.is_none_or(|m| m == money)).then(|| {
            self.values
                .iter()
                .filter(move |(l, _)| !matches!(&l.value, Value::Digits(d) if d.len() < min_digits))
        })
    }
}

/// What one pii reader (by its key) found in one turn.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Detections {
    key: &'static str,
    turn: usize,
    ranges: Vec<Range<usize>>,
}

/// A hasher for keys that are already hashes ([`hash_text`]).
#[derive(Default)]
struct Hashed(u64);

impl Hasher for Hashed {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        // Only `write_u64` is used; fold anything else in all the same.
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(b);
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

/// Reads by the [`hash_text`] of their text, and how many there are.
#[derive(Default)]
struct Reads {
    by_text: HashMap<u64, Vec<Read>, BuildHasherDefault<Hashed>>,
    count: usize,
}

thread_local! {
    static READS: RefCell<Reads> = RefCell::new(Reads::default());
    /// Set once this thread has been asked to keep what the rules read.
    static WANTED: Cell<bool> = const { Cell::new(false) };
    /// The utterances the read-back rule being judged has read, once wanted.
    static READ_UTTERANCES: RefCell<Vec<UtteranceRead>> = const { RefCell::new(Vec::new()) };
    /// What the pii rules found in the transcript being judged, once wanted.
    static DETECTIONS: RefCell<Vec<Detections>> = const { RefCell::new(Vec::new()) };
}

/// From now on, this thread keeps what the rules read in the transcripts it judges
/// ([`RuleReads`]).
pub(crate) fn want() {
    WANTED.set(true);
}

/// True once this thread keeps what the rules read for `--redact` ([`want`]).
pub(crate) fn wanted() -> bool {
    WANTED.get()
}

/// Notes, once wanted ([`want`]), that the read-back rule being judged read utterance
/// `utterance` of its call, with digit strings of at least `min_digits` digits and `money`
/// where that mattered, and found `values` (each with the text it was read from as written):
/// `--redact` masks the values of the utterances the rules read.
pub(crate) fn note_read(
    utterance: usize,
    min_digits: usize,
    money: Option<bool>,
    values: Vec<(Located, String)>,
) {
    READ_UTTERANCES.with_borrow_mut(|read| {
        read.push(UtteranceRead {
            rule: 0,
            utterance,
            min_digits,
            money,
            values,
        });
    });
}

/// Keeps the byte ranges that the pii reader `key` found in turn `turn` of the transcript being
/// judged, once wanted ([`RuleReads::finish`] takes them).
pub(crate) fn keep_detections(key: &'static str, turn: usize, ranges: impl Iterator<Item = Range<usize>>) {
    DETECTIONS.with_borrow_mut(|kept| {
        kept.push(Detections {
            key,
            turn,
            ranges: ranges.collect(),
        });
    });
}

/// How many reads this thread keeps (tests tell a read taken from here from a new one).
#[cfg(test)]
pub(crate) fn kept() -> usize {
    READS.with_borrow(|reads| reads.count)
}

/// Keeps the values `extractor` read in `text` (its fold is `folded`), with digit strings of at
/// least `min_digits` digits and `money` as given, and the placeholders when it looked for them.
pub(super) fn remember(
    extractor: &Extractor,
    text: &str,
    min_digits: usize,
    money: bool,
    folded: &str,
    values: &[Found],
    placeholders: Option<&[Range<usize>]>,
) {
    let (entity, max_digits, pattern) = extractor.identity();
    let money = money_matters(entity, folded).then_some(money);
    READS.with_borrow_mut(|reads| {
        if reads.count >= MAX_READS {
            reads.by_text.clear();
            reads.count = 0;
        }
        reads.count += 1;
        reads.by_text.entry(hash_text(text)).or_default().push(Read {
            entity,
            max_digits,
            pattern: pattern.map(str::to_string),
            text: text.to_string(),
            min_digits,
            money,
            values: values.to_vec(),
            placeholders: placeholders.map(<[_]>::to_vec),
        });
    });
}

/// True when the `money` an `entity` reader reads a text with (its fold is `folded`) can change
/// what it reads: only amounts read 块, 毛 and 角 as money or not.
pub(super) fn money_matters(entity: Entity, folded: &str) -> bool {
    entity == Entity::Amount && folded.contains(['块', '毛', '角'])
}

/// The values `extractor` finds in `text` with digit strings of at least `min_digits` digits
/// and `money` as given, when a read kept here answers that: the same reader on the same text,
/// with as few digits or fewer (digit strings too short are left out) and the same `money`
/// where it mattered. A read is kept only of a text that may hold a value
/// (`Extractor::might_hold`), which for entities other than digit strings depends on the text
/// alone: for those, a read found here means the text may hold one. For digit strings the
/// caller checks first, with its own fewest digits.
pub(super) fn recall(
    extractor: &Extractor,
    text: &str,
    min_digits: usize,
    money: bool,
) -> Option<Vec<Found>> {
    with_read(extractor, text, min_digits, money, false, |read| {
        values_with(&read.values, min_digits)
    })
}

/// [`recall`] with the placeholders: what a read-back rule reads in `text`, when a read kept
/// here looked for them too, and whether `money` mattered ([`money_matters`]). The caller has
/// checked that the text may hold a value.
pub(super) fn recall_extracted(
    extractor: &Extractor,
    text: &str,
    min_digits: usize,
    money: bool,
) -> Option<(Extracted, bool)> {
    with_read(extractor, text, min_digits, money, true, |read| {
        let extracted = Extracted {
            values: values_with(&read.values, min_digits),
            placeholders: read.placeholders.clone().unwrap_or_default(),
        };
        (extracted, read.money.is_some())
    })
}

/// `answer` of the read kept here that answers what [`recall`] asks, when there is one; with
/// `placeholders`, only a read that looked for them answers.
fn with_read<T>(
    extractor: &Extractor,
    text: &str,
    min_digits: usize,
    money: bool,
    placeholders: bool,
    answer: impl FnOnce(&Read) -> T,
) -> Option<T> {
    let (entity, max_digits, pattern) = extractor.identity();
    let h = hash_text(text);
    READS.with_borrow(|reads| {
        let read = reads.by_text.get(&h)?.iter().find(|r| {
            r.entity == entity
                && r.max_digits == max_digits
                && r.pattern.as_deref() == pattern
                && r.text == text
                && r.money.is_none_or(|m| m == money)
                && (!entity.is_digit_string() || r.min_digits <= min_digits)
                && (!placeholders || r.placeholders.is_some())
        })?;
        Some(answer(read))
    })
}

/// The values of a read with digit strings of at least `min_digits` digits.
fn values_with(values: &[Found], min_digits: usize) -> Vec<Found> {
    values
        .iter()
        .filter(|f| !matches!(&f.value, Value::Digits(d) if d.len() < min_digits))
        .cloned()
        .collect()
}
