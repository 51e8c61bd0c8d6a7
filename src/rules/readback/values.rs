//! Key details in turn text: finding them, normalising them, and comparing two of them.
//!
//! Text is first folded with [`VALUE_PROFILE`] (full-width to ASCII, lower case, Traditional to
//! Simplified, punctuation *kept*, because `-`, `/`, `$`, `@` and `.` carry meaning here), then
//! searched for values of one [`Entity`]. Every value remembers where it is in the original
//! text. All patterns are compiled once per process (built-in ones) or once per rule at load
//! time (`entity = "regex"`); nothing is compiled per transcript.

use std::borrow::Cow;
use std::ops::Range;
use std::sync::LazyLock;

use aho_corasick::AhoCorasick;
use regex::Regex;

use super::amounts::{amounts, bare_numbers};
use super::dates::dates;
use super::digit_strings::{digit_runs_in, is_mask_char, may_hold_run};
use super::hint::{TextHint, text_hint};
use super::numbers::hide_numeral_words;
use super::shared_text::NumberReads;
pub use super::shared_text::SharedText;
pub use super::value::Value;
use crate::normalize::{NormText, Profile, is_cjk, normalize_into};

/// The folds applied before values are searched: width, case and script, but not punctuation.
pub const VALUE_PROFILE: Profile = Profile {
    fold_width: true,
    fold_case: true,
    fold_script: true,
    ignore_punctuation: false,
};

/// What kind of detail a read-back rule is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Entity {
    /// A number read digit by digit (order, account, tracking number).
    Digits,
    /// A phone number: digits, with country-code prefixes tolerated.
    Phone,
    /// A sum of money, in figures or words.
    Amount,
    /// A calendar date.
    Date,
    /// An email address, written or spoken ("name at example dot com").
    Email,
    /// Whatever group 1 of the rule's pattern captures.
    Regex,
}

impl Entity {
    /// The entity's name in rulebooks.
    pub fn as_str(self) -> &'static str {
        match self {
            Entity::Digits => "digits",
            Entity::Phone => "phone",
            Entity::Amount => "amount",
            Entity::Date => "date",
            Entity::Email => "email",
            Entity::Regex => "regex",
        }
    }

    /// The entity in words, for messages: "number", "phone number".
    pub fn noun(self) -> &'static str {
        match self {
            Entity::Digits => "number",
            Entity::Phone => "phone number",
            Entity::Amount => "amount",
            Entity::Date => "date",
            Entity::Email => "email address",
            Entity::Regex => "value",
        }
    }

    /// True for the entities that are digit strings (`min_digits`, `accept_partial` apply).
    pub fn is_digit_string(self) -> bool {
        matches!(self, Entity::Digits | Entity::Phone)
    }

    /// Placeholder words that stand for a value of this entity in redacted text.
    fn placeholder_words(self) -> &'static [&'static str] {
        const DIGITS: &[&str] = &[
            "number",
            "num",
            "no",
            "order",
            "id",
            "account",
            "acct",
            "card",
            "digits",
            "code",
            "ref",
            "reference",
            "tracking",
            "phone",
            "tel",
            "mobile",
            "cell",
            "号",
            "单",
            "卡",
            "账",
            "码",
            "电话",
            "手机",
        ];
        match self {
            Entity::Digits | Entity::Regex => DIGITS,
            Entity::Phone => &["phone", "tel", "mobile", "cell", "number", "电话", "手机", "号码"],
            Entity::Amount => &[
                "amount", "money", "price", "sum", "total", "balance", "金额", "钱", "价", "款",
            ],
            Entity::Date => &["date", "dob", "birthday", "day", "日期", "生日", "时间"],
            Entity::Email => &["email", "mail", "邮箱", "邮件"],
        }
    }
}

/// Placeholder words that stand for any redacted value.
const GENERIC_PLACEHOLDERS: &[&str] = &[
    "pii", "redact", "redacted", "mask", "masked", "private", "脱敏", "隐私",
];

/// A value and where it is in a turn's original text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Found {
    /// The value.
    pub value: Value,
    /// Byte range in the turn's original text.
    pub range: Range<usize>,
}

/// What one turn holds: values, and placeholders standing for redacted values.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Extracted {
    /// Values in text order.
    pub values: Vec<Found>,
    /// Placeholders (`<PHONE>`, `[订单x]`, `****`) in the original text.
    pub placeholders: Vec<Range<usize>>,
}

/// What a read-back rule read in a text ([`Extractor::extract_remembered`]).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RuleRead {
    /// The values and placeholders.
    pub extracted: Extracted,
    /// The `norm` given now holds the text's fold (it does not when the read was kept from
    /// before).
    pub folded: bool,
    /// The `money` given changed what could be read: an amount reader, and 块, 毛 or 角 in the
    /// text.
    pub money_mattered: bool,
}

/// What a reader needs from a text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reading {
    /// Values, masked ones included, and placeholders (read-back rules).
    All,
    /// Values, masked ones included: what `--redact` masks wherever it occurs.
    Values,
    /// Values without a masked digit: the numbers `--redact` masks in one text.
    Unmasked,
}

/// Finds values of one entity in turn text; built once per rule at load time.
#[derive(Clone, Debug)]
pub struct Extractor {
    entity: Entity,
    max_digits: usize,
    pattern: Option<Regex>,
}

/// Longest digit string taken as one value; longer runs are data dumps, not details.
const MAX_DIGITS: usize = 40;

/// Longest phone number (E.164 allows 15 digits).
const MAX_PHONE_DIGITS: usize = 15;

static EMAIL: LazyLock<Regex> =
    LazyLock::new(|| compile(r"[a-z0-9._%+-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}"));

/// "at" (or 艾特) and a domain read out with "dot" (or 点); the local part before "at" is
/// read separately, because it may be spelled out ("c m i n h seven three zero").
static SPOKEN_EMAIL: LazyLock<Regex> = LazyLock::new(|| {
    compile(r"(?:(?-u:\b)at(?-u:\b)|艾特)\s*([a-z0-9-]+(?:\s*(?:(?-u:\b)dot(?-u:\b)|点)\s*[a-z0-9-]+)+)")
});

static DOT: LazyLock<Regex> = LazyLock::new(|| compile(r"\s*(?:(?-u:\b)dot(?-u:\b)|点)\s*"));

static PLACEHOLDER: LazyLock<Regex> =
    LazyLock::new(|| compile(r"[\[<{【(（]\s*([^\[\]<>{}【】()（）\n]{1,24}?)\s*[\]>}】)）]"));

static MASK_RUN: LazyLock<Regex> = LazyLock::new(|| compile(r"[*#•●×]{3,}|(?-u:\b)x{3,}(?-u:\b)"));

/// Currency signs and words in unfolded text (full-width forms included).
pub(super) const AMOUNT_MARKER_WORDS: [&str; 27] = [
    "$", "＄", "¥", "￥", "£", "￡", "€", "元", "块", "塊", "圆", "圓", "毛", "角", "dollar", "buck",
    "pound", "euro", "yuan", "quid", "rmb", "usd", "cny", "hkd", "eur", "gbp", "美金",
];

/// [`AMOUNT_MARKER_WORDS`] in unfolded text, in any ASCII case.
pub(super) static AMOUNT_MARKERS: LazyLock<AhoCorasick> = LazyLock::new(|| {
    AhoCorasick::builder()
        .ascii_case_insensitive(true)
        .build(AMOUNT_MARKER_WORDS)
        .unwrap_or_else(|e| unreachable!("built-in amount markers: {e}"))
});

/// English month names and abbreviations in unfolded text.
static MONTH_NAMES: LazyLock<AhoCorasick> = LazyLock::new(|| {
    let months = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    AhoCorasick::builder()
        .ascii_case_insensitive(true)
        .build(months)
        .unwrap_or_else(|e| unreachable!("built-in month names: {e}"))
});

static AT_WORD: LazyLock<Regex> = LazyLock::new(|| compile(r"(?i-u:\bat\b)"));

static THOUSANDS: LazyLock<Regex> = LazyLock::new(|| compile(r"^\d{1,3}(?:,\d{3})+(?:\.\d+)?$"));

fn compile(pattern: &str) -> Regex {
    // The patterns are constants covered by the unit tests; a failure is a programming error.
    Regex::new(pattern).unwrap_or_else(|e| unreachable!("built-in value pattern: {e}"))
}

impl Extractor {
    /// An extractor for `entity`; `pattern` (with a capture group 1) is for [`Entity::Regex`].
    pub fn new(entity: Entity, pattern: Option<Regex>) -> Self {
        let max_digits = if entity == Entity::Phone {
            MAX_PHONE_DIGITS
        } else {
            MAX_DIGITS
        };
        Extractor {
            entity,
            max_digits,
            pattern,
        }
    }

    /// The entity.
    pub fn entity(&self) -> Entity {
        self.entity
    }

    /// Every value in `source` (digit strings need at least `min_digits` digits), plus
    /// placeholders. `norm` is a reusable buffer.
    pub fn extract(&self, source: &str, min_digits: usize, norm: &mut NormText) -> Extracted {
        self.extract_hinted(source, min_digits, norm, text_hint(source), false)
    }

    /// [`Extractor::extract`] with the text's [`TextHint`] already known (rules keep one per
    /// turn, so several extractors over one turn look at its characters once). `money` says
    /// the talk around the text is about money, so 块, 毛 and 角 after a number are money
    /// even when the text itself does not say so (see [`super::amounts`]).
    pub fn extract_hinted(
        &self,
        source: &str,
        min_digits: usize,
        norm: &mut NormText,
        hint: TextHint,
        money: bool,
    ) -> Extracted {
        self.fold_and_extract(source, min_digits, norm, hint, money)
            .unwrap_or_default()
    }

    /// [`Extractor::extract_hinted`] for read-back rules, `None` when the text cannot hold a
    /// value. The reads are kept ([`super::reads`]): a text read before is not read again, and
    /// `--redact` takes what the rules read.
    pub fn extract_remembered(
        &self,
        source: &str,
        min_digits: usize,
        norm: &mut NormText,
        hint: TextHint,
        money: bool,
    ) -> Option<RuleRead> {
        if !self.might_hold(source, min_digits, hint) {
            return None;
        }
        if let Some((extracted, money_mattered)) =
            super::reads::recall_extracted(self, source, min_digits, money)
        {
            return Some(RuleRead {
                extracted,
                folded: false,
                money_mattered,
            });
        }
        let extracted = self.fold_and_read(source, min_digits, norm, money);
        super::reads::remember(
            self,
            source,
            min_digits,
            money,
            norm.as_str(),
            &extracted.values,
            Some(&extracted.placeholders),
        );
        Some(RuleRead {
            extracted,
            folded: true,
            money_mattered: super::reads::money_matters(self.entity, norm.as_str()),
        })
    }

    /// Folds `source` into `norm` and reads it, or `None` (nothing folded) when its hint shows
    /// it cannot hold a value.
    fn fold_and_extract(
        &self,
        source: &str,
        min_digits: usize,
        norm: &mut NormText,
        hint: TextHint,
        money: bool,
    ) -> Option<Extracted> {
        if !self.might_hold(source, min_digits, hint) {
            return None;
        }
        Some(self.fold_and_read(source, min_digits, norm, money))
    }

    /// Folds `source` into `norm` and reads its values and placeholders.
    fn fold_and_read(&self, source: &str, min_digits: usize, norm: &mut NormText, money: bool) -> Extracted {
        normalize_into(&VALUE_PROFILE, source, norm);
        self.extract_folded(
            source,
            min_digits,
            norm,
            &NumberReads::default(),
            money,
            Reading::All,
        )
    }

    /// What decides which values this extractor reads: its entity, the longest digit string it
    /// takes and its pattern.
    pub(super) fn identity(&self) -> (Entity, usize, Option<&str>) {
        (
            self.entity,
            self.max_digits,
            self.pattern.as_ref().map(Regex::as_str),
        )
    }

    /// The values (no placeholders) in a text that several extractors read in turn, as
    /// `reading` asks: its hint is worked out once, and its fold once, by the first extractor
    /// that needs it. Values a read-back rule has just read in the same text, or that were read
    /// here before ([`Reading::Values`]), are taken as read.
    pub fn values_shared(
        &self,
        text: &mut SharedText<'_>,
        min_digits: usize,
        money: bool,
        reading: Reading,
    ) -> Vec<Found> {
        // The hint rules out most texts at the cost of a comparison: checked first. The rest of
        // the test looks through the text, and a read kept of the same text passed it (see
        // [`super::reads::recall`]); for digit strings the hint is the whole test.
        let digit_strings = self.entity.is_digit_string();
        // A digit string without a masked digit needs that many digits the hint counts, masks
        // or not (`--redact` reads texts it has masked already).
        let too_few_unmasked =
            reading == Reading::Unmasked && digit_strings && (text.hint.digits as usize) < min_digits;
        if too_few_unmasked || self.ruled_out_by(min_digits, text.hint) {
            return Vec::new();
        }
        if reading == Reading::Values
            && let Some(values) = super::reads::recall(self, &text.source, min_digits, money)
        {
            return values;
        }
        if !digit_strings && !self.might_hold(&text.source, min_digits, text.hint) {
            return Vec::new();
        }
        if !text.folded {
            normalize_into(&VALUE_PROFILE, &text.source, &mut text.norm);
            text.folded = true;
        }
        let values = self
            .extract_folded(
                &text.source,
                min_digits,
                &text.norm,
                &text.numbers,
                money,
                reading,
            )
            .values;
        if reading == Reading::Values {
            // The same text comes back, in this call and the next: read it once.
            super::reads::remember(
                self,
                &text.source,
                min_digits,
                money,
                text.norm.as_str(),
                &values,
                None,
            );
        }
        values
    }

    /// The values in `source`, whose fold by [`VALUE_PROFILE`] is `norm`, and the
    /// placeholders when `reading` asks for them; `numbers` keeps what other readers of the same
    /// fold may read again.
    fn extract_folded(
        &self,
        source: &str,
        min_digits: usize,
        norm: &NormText,
        numbers: &NumberReads,
        money: bool,
        reading: Reading,
    ) -> Extracted {
        let folded = norm.as_str();
        let digit_strings = self.entity.is_digit_string();
        // Most texts `--redact` reads hold no stretch of digits long enough for a value: they need
        // none of the work below. (Read-back rules read the texts where a value was given, where
        // looking first costs more than it saves.)
        let no_runs = digit_strings
            && reading != Reading::All
            && !may_hold_run(folded, min_digits.max(1), reading == Reading::Values);
        let wants_placeholders = reading == Reading::All && may_hold_placeholder(folded);
        if no_runs && !wants_placeholders {
            return Extracted::default();
        }
        let numeric = digit_strings || self.entity == Entity::Amount;
        let text: &str = if numeric { numbers.text(norm) } else { folded };
        let mut values: Vec<(Range<usize>, Value)> = Vec::new();
        match self.entity {
            Entity::Digits | Entity::Phone if no_runs => {}
            Entity::Digits | Entity::Phone => {
                let runs: Vec<_> = digit_runs_in(text, &clause_commas(norm, source))
                    .into_iter()
                    .filter(|r| (min_digits.max(1)..=self.max_digits).contains(&r.digits.len()))
                    .filter(|r| reading != Reading::Unmasked || r.digits.iter().all(Option::is_some))
                    .collect();
                // Amounts and dates are only looked for when there is a digit string to excuse.
                let taken: Vec<Range<usize>> = if runs.is_empty() {
                    Vec::new()
                } else {
                    // Any number with 块 is a quantity, money or not: never a digit string.
                    numbers
                        .money_amounts(text)
                        .iter()
                        .map(|a| a.range.clone())
                        .chain(dates(text).into_iter().map(|d| d.range))
                        .collect()
                };
                for run in runs {
                    let overlaps = taken
                        .iter()
                        .any(|t| t.start < run.range.end && run.range.start < t.end);
                    if !overlaps && !THOUSANDS.is_match(&text[run.range.clone()]) {
                        values.push((run.range, Value::Digits(run.digits)));
                    }
                }
            }
            Entity::Amount if money => {
                values.extend(
                    numbers
                        .money_amounts(text)
                        .iter()
                        .map(|a| (a.range.clone(), Value::Amount(a.cents))),
                );
            }
            Entity::Amount => {
                values.extend(
                    amounts(text, false)
                        .into_iter()
                        .map(|a| (a.range, Value::Amount(a.cents))),
                );
            }
            Entity::Date => {
                values.extend(dates(text).into_iter().map(|d| (d.range, Value::Date(d.date))));
            }
            Entity::Email => {
                for m in EMAIL.find_iter(text) {
                    values.push((m.range(), Value::Text(m.as_str().to_string())));
                }
                for c in SPOKEN_EMAIL.captures_iter(text) {
                    let (Some(at), Some(domain)) = (c.get(0), c.get(1)) else {
                        continue;
                    };
                    let Some((local, start)) = spoken_local_part(&text[..at.start()]) else {
                        continue;
                    };
                    let domain = DOT.replace_all(domain.as_str(), ".");
                    let tld_ok = domain
                        .rsplit('.')
                        .next()
                        .is_some_and(|t| t.len() >= 2 && t.bytes().all(|b| b.is_ascii_alphabetic()));
                    let end = at.end();
                    if tld_ok && !values.iter().any(|(r, _)| r.start < end && start < r.end) {
                        values.push((start..end, Value::Text(format!("{local}@{domain}"))));
                    }
                }
            }
            Entity::Regex => {
                if let Some(pattern) = &self.pattern {
                    for c in pattern.captures_iter(text) {
                        let Some(group) = c.get(1) else { continue };
                        let canonical: String = group
                            .as_str()
                            .chars()
                            .filter(|&c| c.is_alphanumeric() || is_cjk(c))
                            .collect();
                        if !canonical.is_empty() {
                            values.push((group.range(), Value::Text(canonical)));
                        }
                    }
                }
            }
        }
        values.sort_by_key(|(r, _)| r.start);
        let placeholders = if wants_placeholders {
            self.placeholders(text)
        } else {
            Vec::new()
        };
        Extracted {
            values: values
                .into_iter()
                .map(|(range, value)| Found {
                    value,
                    range: norm.source_range(range, source),
                })
                .collect(),
            placeholders: placeholders
                .into_iter()
                .map(|r| norm.source_range(r, source))
                .collect(),
        }
    }

    /// Numbers said without a currency word in `source` ([`bare_numbers`]), as amounts: a
    /// read-back may leave out the currency the other party named ("seventy nine dollars" read
    /// back as "seventy nine"). Empty unless the entity is [`Entity::Amount`]. `folded` says
    /// `norm` already holds the fold of `source`.
    pub fn bare_amounts(
        &self,
        source: &str,
        norm: &mut NormText,
        hint: TextHint,
        folded: bool,
    ) -> Vec<Found> {
        if self.entity != Entity::Amount || hint.digits == 0 {
            return Vec::new();
        }
        if !folded {
            normalize_into(&VALUE_PROFILE, source, norm);
        }
        let text = for_numbers(norm);
        bare_numbers(&text)
            .into_iter()
            .map(|a| Found {
                value: Value::Amount(a.cents),
                range: norm.source_range(a.range, source),
            })
            .collect()
    }

    /// True when the text's hint alone shows it holds no value or placeholder (then
    /// [`Extractor::might_hold`] is false too): no look at the text, not even to recall a read.
    fn ruled_out_by(&self, min_digits: usize, hint: TextHint) -> bool {
        !hint.maybe_masked
            && match self.entity {
                Entity::Digits | Entity::Phone => (hint.digits as usize) < min_digits,
                Entity::Amount => !hint.maybe_money,
                _ => false,
            }
    }

    /// False when no digit string of `min_digits` digits or more without a masked digit lies
    /// wholly inside `source`, whether it is read alone or as part of a longer text (each of
    /// its digits is a digit or digit word there, which the hint counts): `--redact` reads only
    /// what callcheck's notes quote. Always true for other entities.
    pub fn may_read_unmasked(&self, source: &str, min_digits: usize) -> bool {
        !self.entity.is_digit_string() || text_hint(source).digits as usize >= min_digits
    }

    /// A cheap test on the original text: false when the turn cannot hold a value or a
    /// placeholder, so most turns are never folded or searched.
    pub(super) fn might_hold(&self, source: &str, min_digits: usize, hint: TextHint) -> bool {
        if self.ruled_out_by(min_digits, hint) {
            return false;
        }
        if hint.maybe_masked {
            return true;
        }
        match self.entity {
            Entity::Digits | Entity::Phone => true,
            Entity::Amount => AMOUNT_MARKERS.is_match(source),
            Entity::Date => {
                source.contains('月')
                    || source
                        .chars()
                        .any(|c| c.is_ascii_digit() || ('０'..='９').contains(&c))
                    || MONTH_NAMES.is_match(source)
            }
            Entity::Email => {
                source.contains(['@', '＠']) || source.contains("艾特") || AT_WORD.is_match(source)
            }
            Entity::Regex => true,
        }
    }

    /// Placeholders for redacted values of this entity, in folded text that
    /// [`may_hold_placeholder`].
    fn placeholders(&self, text: &str) -> Vec<Range<usize>> {
        let words = self.entity.placeholder_words();
        let mut out: Vec<Range<usize>> = Vec::new();
        for c in PLACEHOLDER.captures_iter(text) {
            let (Some(whole), Some(inner)) = (c.get(0), c.get(1)) else {
                continue;
            };
            let inner = inner.as_str();
            let masks_only = inner.chars().all(|c| is_mask_char(c) || c == ' ');
            let named = inner
                .split(|c: char| !c.is_alphanumeric() || c == '_')
                .filter(|t| !t.is_empty())
                .any(|token| {
                    words.iter().chain(GENERIC_PLACEHOLDERS).any(|w| {
                        if w.is_ascii() {
                            token == *w || (w.len() >= 4 && token.starts_with(w))
                        } else {
                            token.contains(w)
                        }
                    })
                });
            if masks_only || named {
                out.push(whole.range());
            }
        }
        for m in MASK_RUN.find_iter(text) {
            // A mask run inside a digit string is part of a partly masked value, not a placeholder.
            let next_to_digit = text[..m.start()]
                .chars()
                .next_back()
                .is_some_and(|c| c.is_ascii_digit())
                || text[m.end()..].chars().next().is_some_and(|c| c.is_ascii_digit());
            if !next_to_digit && !out.iter().any(|r| r.start <= m.start() && m.end() <= r.end) {
                out.push(m.range());
            }
        }
        out.sort_by_key(|r| r.start);
        out
    }
}

/// False when folded `text` certainly holds no placeholder: most turns hold neither brackets nor
/// mask characters. Blanking out numeral words ([`for_numbers`]) adds or removes neither.
fn may_hold_placeholder(text: &str) -> bool {
    text.contains(['[', '<', '{', '【', '(', '（', '*', '#', '•', '●', '×']) || text.contains("xxx")
}

/// The folded text as the number readers see it: common words with numeral characters blanked
/// out ([`hide_numeral_words`]: 一直, 一下, 两个 are no digits). Byte offsets are those of the
/// folded text.
pub(super) fn for_numbers(norm: &NormText) -> Cow<'_, str> {
    hide_numeral_words(norm.as_str())
}

/// Byte offsets in the folded text of the commas written full-width (，) in `source`: in Chinese
/// text they end a clause, so they group only short digit groups read aloud (see
/// [`digit_runs_in`]). Allocates only when the text has one.
///
/// [`digit_runs_in`]: super::digit_strings::digit_runs_in
fn clause_commas(norm: &NormText, source: &str) -> Vec<usize> {
    if !source.contains('，') {
        return Vec::new();
    }
    norm.as_str()
        .match_indices(',')
        .map(|(at, _)| at)
        .filter(|&at| source[norm.source_offset(at)..].starts_with('，'))
        .collect()
}

/// Words that end an email address read backwards ("my email is …", "email her at …"): an
/// address spoken as one of them is not read.
pub(super) const LOCAL_PART_STOP: &[&str] = &[
    "is", "its", "my", "the", "it", "was", "me", "to", "and", "email", "mail", "address", "at", "of", "your",
    "his", "her", "that", "thats",
];

/// The local part of a spoken email address, read backwards from just before "at": a word
/// ("cminh730"), words joined by spoken separators ("john dot smith"), a spelling of letters
/// and digit words ("c m i n h seven three zero"), or a word followed by spelled digits
/// ("cminh seven three zero"). Returns it and the byte offset where it starts.
fn spoken_local_part(before: &str) -> Option<(String, usize)> {
    const STOP: &[&str] = LOCAL_PART_STOP;
    #[derive(Clone, Copy, PartialEq)]
    enum Kind {
        Separator,
        Spelled,
        Word,
    }
    let allowed = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-');
    // Pieces from right to left: text, start offset, kind.
    let mut pieces: Vec<(String, usize, Kind)> = Vec::new();
    let mut end = before.trim_end_matches(' ').len();
    while end > 0 {
        let token_start = before[..end].rfind(' ').map_or(0, |i| i + 1);
        let raw = &before[token_start..end];
        // Only the trailing run of address characters counts ("邮箱是cminh730" gives "cminh730").
        let run_start = raw
            .char_indices()
            .rev()
            .find(|&(_, c)| !allowed(c))
            .map_or(0, |(i, c)| i + c.len_utf8());
        let token = &raw[run_start..];
        // "that's" is a word, not an "s"; "邮箱是cminh730" is Chinese text, then an address.
        let glued_to_latin = raw[..run_start].chars().next_back().is_some_and(|c| c.is_ascii());
        if token.is_empty() || glued_to_latin || STOP.contains(&token) {
            break;
        }
        let last = pieces.last().map(|p| p.2);
        let spelled = match token {
            "zero" | "oh" => Some('0'),
            _ => super::numbers::english_digit(token)
                .map(|d| char::from(b'0' + d))
                .or_else(|| token.chars().next().filter(|_| token.len() == 1)),
        };
        let separator = match token {
            "dot" => Some('.'),
            "underscore" => Some('_'),
            "dash" | "hyphen" => Some('-'),
            _ => None,
        };
        let leftmost_is_digit = pieces
            .last()
            .is_some_and(|p| p.2 == Kind::Spelled && p.0.starts_with(|c: char| c.is_ascii_digit()));
        let piece = match (separator, spelled) {
            (Some(sep), _) if matches!(last, Some(Kind::Spelled | Kind::Word)) => {
                (sep.to_string(), Kind::Separator)
            }
            (None, Some(c)) if last != Some(Kind::Word) => (c.to_string(), Kind::Spelled),
            (None, None)
                if matches!(last, None | Some(Kind::Separator))
                    || (leftmost_is_digit && token.ends_with(|c: char| c.is_ascii_alphabetic())) =>
            {
                (token.to_string(), Kind::Word)
            }
            _ => break,
        };
        pieces.push((piece.0, token_start + run_start, piece.1));
        if run_start > 0 {
            break;
        }
        end = before[..token_start].trim_end_matches(' ').len();
    }
    while pieces.last().is_some_and(|p| p.2 == Kind::Separator) {
        pieces.pop();
    }
    let start = pieces.last()?.1;
    let local: String = pieces.iter().rev().map(|p| p.0.as_str()).collect();
    Some((local, start))
}
