//! `[[readback]]`: the agent restates a key detail the customer gave (G9).
//!
//! Unlike the other kinds, a read-back rule does not look for wording: it looks for *values*
//! (numbers, phone numbers, amounts, dates, email addresses, or a pattern's capture) and compares
//! them normalised, so "138-0013 8000", "幺三八零零幺三八零零零" and "one three eight double oh one
//! three eight triple oh" are the same number. Value extraction lives in [`values`] (with
//! [`digit_strings`], [`numbers`], [`amounts`] and [`dates`]), after a cheap look at the text
//! ([`hint`]); [`compare`] tells a wrong read-back from another value, and [`reads`] keeps
//! what was read for `--redact`. This file decides which values needed restating and whether
//! they were.

mod amounts;
mod compare;
mod dates;
pub(crate) mod digit_strings;
pub mod hint;
pub(crate) mod numbers;
pub(crate) mod reads;
mod shared_text;
mod value;
pub mod values;

#[cfg(test)]
mod rule_tests;
#[cfg(test)]
mod tests;

use std::ops::Range;

use regex::RegexBuilder;
use serde::Deserialize;
use toml::Spanned;

use super::utterance::UtteranceText;
use super::{CompileCtx, EvalCtx, Kind, KindDoc, Outcome, describe_turns};
use crate::finding::Finding;
use crate::matcher::Hit;
use crate::normalize::{NormText, normalize_into};
use crate::rules::schema::{PartyToml, rule_toml};
use crate::transcript::{Role, TranscriptKind};
use amounts::money_talk;
use compare::{Comparison, compare};
use hint::{TextHint, digit_turns};
use values::{Entity, Extractor, VALUE_PROFILE, Value};

rule_toml! {
    /// `[[readback]]` table.
    pub struct ReadbackToml {
        /// What kind of value: digits, phone, amount, date, email or regex.
        pub entity: Spanned<EntityToml>,
        /// Fewest digits that make a digit string a value (digits: 6, phone: 7).
        #[serde(default)]
        pub min_digits: Option<Spanned<i64>>,
        /// For `entity = "regex"`: the value is what capture group 1 matches.
        #[serde(default)]
        pub pattern: Option<Spanned<String>>,
        /// Who gives the value (default customer).
        #[serde(default)]
        pub from: Option<Spanned<PartyToml>>,
        /// Who must restate it (default agent).
        #[serde(default)]
        pub by: Option<Spanned<PartyToml>>,
        /// The value must be restated within this many turns of `by` (default 4).
        #[serde(default)]
        pub within_turns: Option<Spanned<i64>>,
        /// `{ last = N }`: restating the last N digits counts.
        #[serde(default)]
        pub accept_partial: Option<Spanned<PartialToml>>,
    }
}

/// `entity = "digits" | "phone" | "amount" | "date" | "email" | "regex"`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EntityToml {
    /// A number read digit by digit.
    Digits,
    /// A phone number.
    Phone,
    /// A sum of money.
    Amount,
    /// A calendar date.
    Date,
    /// An email address.
    Email,
    /// A pattern's capture group 1.
    Regex,
}

/// `accept_partial = { last = N }`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PartialToml {
    /// How many final digits may stand for the whole value.
    pub last: Spanned<i64>,
}

/// A compiled `[[readback]]` rule.
#[derive(Debug)]
pub struct Readback {
    extractor: Extractor,
    min_digits: usize,
    pattern: Option<String>,
    from: Role,
    by: Role,
    within_turns: usize,
    partial: Option<usize>,
}

/// Default `within_turns`: the agent usually confirms within a few exchanges.
const DEFAULT_WITHIN_TURNS: usize = 4;

/// Largest accepted `within_turns`.
const MAX_WITHIN_TURNS: i64 = 50;

impl Kind for Readback {
    type Toml = ReadbackToml;

    const DOC: KindDoc = KindDoc {
        name: "readback",
        summary: "The agent restates a key detail the customer gave.",
        what: "Finds every value of the `entity` in the utterances of `from` (default customer) \
               and looks for the same value in the next `within_turns` utterances of `by` (default \
               agent). An utterance is one speaker's consecutive turns with pauses under 3 s: \
               speech recognisers split a sentence at pauses, so \"seventy nine\" / \"dollars\" \
               is one amount. Values are compared normalised: Arabic, full-width, Chinese and \
               financial digits (幺 = 1, 两 = 2, 壹 = 1), spoken English digits (\"one three \
               eight\", \"double five\", \"oh\"), grouping (\"138-0013 8000\", \"four one five, \
               five five five\"), amounts in figures or words in English and Chinese (\"$135\" == \
               \"one hundred and thirty five dollars\" == \"一百三十五元\"; a bare \"135\" restates \
               an amount), dates (\"11月22日\" == \"November 22\" == \"2026-11-22\"), written and \
               spoken email addresses. Numerals inside ordinary Chinese words (一直, 一下, 两个, 万一) \
               are not digits, and 块/毛/角 are money only when the talk is about money. A value \
               given again (after \"could you repeat that?\") counts once, and a value the agent \
               said first and the customer confirmed is read back. Reports a value nobody restated \
               where the customer started saying it, and a wrong read-back (\"read back \
               13800138001, customer said 13800138000\") at the agent's words. Masked values \
               (`****1234`, `<PHONE>`, `[订单x]`) are compared by their visible digits or skipped, \
               never reported as missing. Not applicable to reply templates, when either party has \
               no turns, or when the customer gave no such value.",
        why: "\"Repeat and confirm important content\" (G9) is the habit that prevents wrong \
              deliveries, refunds to the wrong account and appointments on the wrong day. A wrong \
              read-back the customer did not catch is the error trainers most need to see.",
        example: "[[readback]]\nid = \"order-number\"\nentity = \"digits\"\nmin_digits = 6\nwithin_turns = 4\naccept_partial = { last = 4 }\nexamples.pass = [\"\"\"\n客户：我的订单号是 2026 1122 0387。\n客服：好的，订单号20261122 0387，我帮您查一下。\n\"\"\"]\nexamples.fail = [\"\"\"\n客户：我的订单号是 2026 1122 0387。\n客服：好的，我帮您查一下。\n\"\"\"]",
    };

    fn compile(toml: &ReadbackToml, ctx: &mut CompileCtx<'_>) -> Option<Self> {
        let entity = match toml.entity.get_ref() {
            EntityToml::Digits => Entity::Digits,
            EntityToml::Phone => Entity::Phone,
            EntityToml::Amount => Entity::Amount,
            EntityToml::Date => Entity::Date,
            EntityToml::Email => Entity::Email,
            EntityToml::Regex => Entity::Regex,
        };
        let mut ok = true;
        let pattern = match (&toml.pattern, entity) {
            (None, Entity::Regex) => {
                let d = ctx
                    .error(toml.entity.span(), "entity = \"regex\" needs a `pattern`")
                    .expected("pattern = '…' with a capture group: the value is what group 1 matches")
                    .hint("for example pattern = '订单号?\\s*([a-z]{2}\\d{8,})'");
                ctx.report(d);
                ok = false;
                None
            }
            (Some(p), Entity::Regex) => match compile_pattern(p.get_ref()) {
                Ok(regex) => Some(regex),
                Err((message, hint)) => {
                    let d = ctx
                        .error(p.span(), message)
                        .expected("a Rust regex with a capture group 1 (https://docs.rs/regex/#syntax)")
                        .hint(hint);
                    ctx.report(d);
                    ok = false;
                    None
                }
            },
            (Some(p), _) => {
                let d = ctx
                    .error(p.span(), "`pattern` is only used with entity = \"regex\"")
                    .expected(format!("no `pattern` for entity = \"{}\"", entity.as_str()))
                    .hint("remove `pattern`, or set entity = \"regex\" to read back what it captures");
                ctx.report(d);
                ok = false;
                None
            }
            (None, _) => None,
        };
        let default_min = if entity == Entity::Phone { 7 } else { 6 };
        let min_digits = match &toml.min_digits {
            Some(m) if !entity.is_digit_string() => {
                digit_string_only(ctx, m.span(), "min_digits", entity);
                ok = false;
                default_min
            }
            Some(m) => positive(ctx, m, "min_digits", 40).unwrap_or_else(|| {
                ok = false;
                default_min
            }),
            None => default_min,
        };
        let within_turns = match &toml.within_turns {
            Some(w) => positive(ctx, w, "within_turns", MAX_WITHIN_TURNS).unwrap_or_else(|| {
                ok = false;
                DEFAULT_WITHIN_TURNS
            }),
            None => DEFAULT_WITHIN_TURNS,
        };
        let partial = match &toml.accept_partial {
            Some(p) if !entity.is_digit_string() => {
                digit_string_only(ctx, p.span(), "accept_partial", entity);
                ok = false;
                None
            }
            Some(p) => {
                let last = positive(ctx, &p.get_ref().last, "last", min_digits as i64);
                ok &= last.is_some();
                last
            }
            None => None,
        };
        let role = |party: Option<&Spanned<PartyToml>>, default: Role| match party.map(|p| *p.get_ref()) {
            Some(PartyToml::Agent) => Role::Agent,
            Some(PartyToml::Customer) => Role::Customer,
            Some(PartyToml::System) => Role::System,
            None => default,
        };
        let from = role(toml.from.as_ref(), Role::Customer);
        let by = role(toml.by.as_ref(), Role::Agent);
        if from == by {
            let span = toml
                .by
                .as_ref()
                .or(toml.from.as_ref())
                .map_or(toml.id.span(), |s| s.span());
            let d = ctx
                .error(span, format!("`from` and `by` are both the {from}"))
                .expected("two different parties, e.g. from = \"customer\", by = \"agent\"")
                .hint("a read-back is one party restating what the other said");
            ctx.report(d);
            ok = false;
        }
        ok.then(|| Readback {
            extractor: Extractor::new(entity, pattern),
            min_digits,
            pattern: toml.pattern.as_ref().map(|p| p.get_ref().clone()),
            from,
            by,
            within_turns,
            partial,
        })
    }

    fn evaluate(&self, ctx: &EvalCtx<'_>, findings: &mut Vec<Finding>) -> Outcome {
        let transcript = ctx.transcript;
        if transcript.kind == TranscriptKind::Template {
            return ctx.not_applicable(|| "reply templates have no conversation to read back".into());
        }
        // Values are read from utterances, not turns: a number said across the recogniser's
        // pauses is one number, and `within_turns` counts the `by` party's utterances.
        let utterances = ctx.turns.utterances(transcript);
        let utterances_of = |role: Role| -> Vec<usize> {
            (0..utterances.len())
                .filter(|&u| transcript.turns[utterances[u].start].speaker.role == role)
                .collect()
        };
        let (from_utterances, by_utterances) = (utterances_of(self.from), utterances_of(self.by));
        for (role, list) in [(self.from, &from_utterances), (self.by, &by_utterances)] {
            if list.is_empty() {
                return ctx.not_applicable(|| format!("the transcript has no turns by the {role}"));
            }
        }
        let entity = self.extractor.entity();
        let mut reader = Reader {
            rule: self,
            ctx,
            utterances,
            norm: NormText::new(),
        };
        let mut given: Vec<(usize, Located)> = Vec::new();
        let mut masked_given = false;
        for &u in &from_utterances {
            // A price question just before ("要转多少钱？") makes "一百三十五块" money.
            let money = |reader: &mut Reader<'_>| {
                entity == Entity::Amount && u > 0 && reader.counts_in_kuai(u) && reader.talks_money(u - 1)
            };
            let said = reader.read(u, self.min_digits, money, false);
            masked_given |= said.masked;
            given.extend(said.values.into_iter().map(|v| (u, v)));
        }
        let noun = entity.noun();
        if given.is_empty() {
            return ctx.not_applicable(|| {
                if masked_given {
                    format!("the {}'s {noun}s are masked", self.from)
                } else {
                    format!("the {} gave no {noun}", self.from)
                }
            });
        }
        let said_min = self
            .partial
            .unwrap_or(usize::MAX)
            .min(self.min_digits.saturating_sub(2))
            .max(1);
        let groups = self.group(given);
        // The `from` party gave a value of this kind, so an amount is money talk: "六块" in the
        // agent's words is six yuan, and a bare "seventy nine" may restate "seventy nine dollars".
        let mut said = Restated {
            reader,
            by_utterances: &by_utterances,
            min_digits: said_min,
            said: (0..by_utterances.len()).map(|_| None).collect(),
        };
        let mut judged = 0;
        let mut skipped = Vec::new();
        for group in &groups {
            match self.judge(ctx, utterances, group, &groups, &mut said) {
                Judgement::ReadBack => judged += 1,
                Judgement::Finding(f) => {
                    judged += 1;
                    findings.push(*f);
                }
                Judgement::Skipped(reason) => skipped.push(reason),
            }
        }
        if judged == 0 {
            let reason = skipped.first().copied().unwrap_or("nothing to judge");
            return ctx.not_applicable(|| format!("every {noun} the {} gave {reason}", self.from));
        }
        Outcome::Applicable
    }

    fn settings(&self) -> Vec<(&'static str, String)> {
        let entity = self.extractor.entity();
        let mut out = vec![("entity", entity.as_str().to_string())];
        if entity.is_digit_string() {
            out.push(("min_digits", self.min_digits.to_string()));
        }
        if let Some(p) = &self.pattern {
            out.push(("pattern", format!("'{p}'")));
        }
        out.push(("from", self.from.to_string()));
        out.push(("by", self.by.to_string()));
        out.push((
            "within_turns",
            format!("{} (the {}'s turns)", self.within_turns, self.by),
        ));
        if let Some(n) = self.partial {
            out.push(("accept_partial", format!("the last {n} digits count")));
        }
        out
    }

    fn example_role(&self) -> Role {
        self.from
    }
}

/// A value and where it was said: the turn and byte offset where it starts, and where it ends
/// (in a later turn when it was said across a pause).
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Located {
    pub(crate) value: Value,
    pub(crate) start: (usize, usize),
    pub(crate) end: (usize, usize),
}

/// What one utterance holds.
#[derive(Debug)]
struct Said {
    /// The values, in order.
    values: Vec<Located>,
    /// A placeholder stands for a value (`<PHONE>`, `[订单x]`).
    masked: bool,
    /// Numbers said without a currency word (amount rules, `by` side only).
    bare: Vec<Value>,
}

/// Reads values from a transcript's utterances, with one normalisation buffer.
struct Reader<'r> {
    rule: &'r Readback,
    ctx: &'r EvalCtx<'r>,
    utterances: &'r [Range<usize>],
    norm: NormText,
}

impl Reader<'_> {
    /// The values of utterance `u` (digit strings need `min_digits` digits); `money` says
    /// whether the talk is about money, asked only of an utterance that may hold a value;
    /// `bare` also collects numbers said without a currency word.
    fn read(
        &mut self,
        u: usize,
        min_digits: usize,
        money: impl FnOnce(&mut Self) -> bool,
        bare: bool,
    ) -> Said {
        let (transcript, turns) = (self.ctx.transcript, self.ctx.turns);
        let mut range = self.utterances[u].clone();
        if self.rule.extractor.entity().is_digit_string() {
            range = digit_turns(range, |t| turns.hint(transcript, t));
        }
        let hint = range
            .clone()
            .map(|t| turns.hint(transcript, t))
            .fold(TextHint::default(), TextHint::and);
        let text = UtteranceText::new(transcript, range);
        let extractor = &self.rule.extractor;
        // Whether the talk is about money is asked only of a text that may hold a value.
        let read = if extractor.might_hold(text.as_str(), min_digits, hint) {
            let money = money(self);
            extractor
                .extract_remembered(text.as_str(), min_digits, &mut self.norm, hint, money)
                .map(|read| (read, money))
        } else {
            None
        };
        let (read, money) = read.unwrap_or_default();
        let money = read.money_mattered.then_some(money);
        // `--redact` reads with `money` on: a read without values and with it on, or where it
        // did not matter, tells it nothing. It masks each value as written, too.
        let written: Option<Vec<String>> =
            (reads::wanted() && (!read.extracted.values.is_empty() || money == Some(false))).then(|| {
                let found = read.extracted.values.iter();
                found
                    .map(|f| text.as_str()[f.range.clone()].to_string())
                    .collect()
            });
        let values: Vec<Located> = read
            .extracted
            .values
            .into_iter()
            .map(|f| Located {
                value: f.value,
                start: text.locate(f.range.start),
                end: text.locate(f.range.end),
            })
            .collect();
        if let Some(written) = written {
            reads::note_read(
                u,
                min_digits,
                money,
                values.iter().cloned().zip(written).collect(),
            );
        }
        let bare = if bare {
            extractor
                .bare_amounts(text.as_str(), &mut self.norm, hint, read.folded)
                .into_iter()
                .map(|f| f.value)
                .collect()
        } else {
            Vec::new()
        };
        Said {
            values,
            masked: !read.extracted.placeholders.is_empty(),
            bare,
        }
    }

    /// True when utterance `u` has a word that counts money or things (块, 毛, 角): only then
    /// does the talk before it matter.
    fn counts_in_kuai(&self, u: usize) -> bool {
        let turns = &self.ctx.transcript.turns[self.utterances[u].clone()];
        // One memchr pass per character beats a per-character test on long turns.
        turns
            .iter()
            .any(|t| ['块', '塊', '毛', '角'].iter().any(|&c| t.text.contains(c)))
    }

    /// True when utterance `u` talks about money (a price question, a fee, a currency).
    fn talks_money(&mut self, u: usize) -> bool {
        let text = UtteranceText::new(self.ctx.transcript, self.utterances[u].clone());
        normalize_into(&VALUE_PROFILE, text.as_str(), &mut self.norm);
        money_talk(self.norm.as_str())
    }
}

/// The values the `by` party said, read per utterance on first use: a value is usually
/// restated in the first utterance of its window, and then the rest of the window, and the
/// utterances before the value was given, are never read.
struct Restated<'r> {
    reader: Reader<'r>,
    /// The `by` party's utterances; `said` is indexed alike.
    by_utterances: &'r [usize],
    /// Fewest digits of a digit string restated.
    min_digits: usize,
    said: Vec<Option<Said>>,
}

impl Restated<'_> {
    /// What the `k`-th utterance of the `by` party holds.
    fn get(&mut self, k: usize) -> &Said {
        let Restated {
            reader,
            by_utterances,
            min_digits,
            said,
        } = self;
        said[k].get_or_insert_with(|| reader.read(by_utterances[k], *min_digits, |_| true, true))
    }
}

/// The same value given once or more (a customer asked to repeat it gives it twice).
struct Group {
    /// Where it was first given: utterance index and the value.
    first: (usize, Located),
    /// Every utterance that gave it, in order, with the turn where the value starts.
    given: Vec<(usize, usize)>,
}

enum Judgement {
    ReadBack,
    Finding(Box<Finding>),
    Skipped(&'static str),
}

impl Readback {
    /// What finds this rule's values, and the fewest digits a digit string needs: `--redact`
    /// masks exactly what read-back rules read.
    pub fn extractor(&self) -> (&Extractor, usize) {
        (&self.extractor, self.min_digits)
    }

    /// Who gives the value and who must restate it.
    pub fn parties(&self) -> (Role, Role) {
        (self.from, self.by)
    }

    /// True when this rule reads the same utterances as `other` in every call: the same
    /// parties and windows (the rulebooks for several languages carry the same rule).
    pub fn reads_like(&self, other: &Readback) -> bool {
        (self.from, self.by, self.within_turns) == (other.from, other.by, other.within_turns)
    }

    /// The `by` party's utterances (indices into `utterances`, spoken by `role_of` each) that
    /// this rule searches for a read-back when the `from` party gave `given` (utterance index
    /// and value, in order): the windows of every value, as [`Readback::windows`] draws them.
    /// With the `from` party's utterances, these are what the rule reads in a call, and
    /// `--redact` masks the values read in them and in no others.
    pub fn searched_utterances(
        &self,
        utterances: &[Range<usize>],
        role_of: impl Fn(usize) -> Role,
        given: Vec<(usize, Value)>,
    ) -> Vec<usize> {
        let by_utterances: Vec<usize> = (0..utterances.len()).filter(|&u| role_of(u) == self.by).collect();
        let given = given
            .into_iter()
            .map(|(u, value)| {
                // Only the utterance counts for the windows; the turn is for messages.
                let at = (utterances[u].start, 0);
                (
                    u,
                    Located {
                        value,
                        start: at,
                        end: at,
                    },
                )
            })
            .collect();
        let mut searched: Vec<usize> = Vec::new();
        for group in &self.group(given) {
            if let Some((window, earlier)) = self.windows(group, &by_utterances) {
                searched.extend(window.into_iter().chain(earlier).map(|k| by_utterances[k]));
            }
        }
        searched
    }

    /// Groups values that are the same, in order of first appearance.
    fn group(&self, given: Vec<(usize, Located)>) -> Vec<Group> {
        let entity = self.extractor.entity();
        let mut groups: Vec<Group> = Vec::new();
        for (u, found) in given {
            let existing = groups.iter_mut().find(|g| {
                !found.value.is_masked()
                    && compare(entity, &g.first.1.value, &found.value, None) == Comparison::Same
            });
            match existing {
                Some(g) => {
                    if g.given.last().map(|&(v, _)| v) != Some(u) {
                        g.given.push((u, found.start.0));
                    }
                }
                None => groups.push(Group {
                    given: vec![(u, found.start.0)],
                    first: (u, found),
                }),
            }
        }
        groups
    }

    /// The `by` utterances (as indices into `by_utterances`) searched for one value: its
    /// window — the utterances after the value was first given, up to the `within_turns`-th
    /// after it was last given — and the `within_turns` before it (the agent may have said the
    /// value first and the customer confirmed it). `None` when no `by` utterance follows.
    fn windows(&self, group: &Group, by_utterances: &[usize]) -> Option<(Vec<usize>, Vec<usize>)> {
        let first = group.first.0;
        let last = group.given.last().map_or(first, |&(u, _)| u);
        let window_end = *by_utterances
            .iter()
            .filter(|&&b| b > last)
            .take(self.within_turns)
            .last()?;
        let window: Vec<usize> = (0..by_utterances.len())
            .filter(|&k| by_utterances[k] > first && by_utterances[k] <= window_end)
            .collect();
        let earlier: Vec<usize> = (0..by_utterances.len())
            .filter(|&k| by_utterances[k] < first)
            .rev()
            .take(self.within_turns)
            .collect();
        Some((window, earlier))
    }

    /// Decides whether one value was read back.
    fn judge(
        &self,
        ctx: &EvalCtx<'_>,
        utterances: &[Range<usize>],
        group: &Group,
        groups: &[Group],
        said: &mut Restated<'_>,
    ) -> Judgement {
        let entity = self.extractor.entity();
        let (given_at, value) = (&group.first.1, &group.first.1.value);
        let first_turn = given_at.start.0;
        let by_utterances = said.by_utterances;
        let Some((window, earlier)) = self.windows(group, by_utterances) else {
            return Judgement::Skipped("came after the last turn that could restate it");
        };
        let same = |s: &Value| compare(entity, value, s, self.partial) == Comparison::Same;
        // A bare number ("seventy nine") restates an amount ("seventy nine dollars") only when it
        // is the same value; it is never taken for a wrong read-back.
        let restated = window.iter().chain(&earlier).any(|&k| {
            let s = said.get(k);
            s.values.iter().any(|s| same(&s.value)) || s.bare.iter().any(same)
        });
        if restated {
            return Judgement::ReadBack;
        }
        let wrong = window.iter().find_map(|&k| {
            said.get(k)
                .values
                .iter()
                .find(|s| {
                    compare(entity, value, &s.value, self.partial) == Comparison::Near
                        // Not a wrong read-back when it is another value the customer gave.
                        && !groups.iter().any(|g| {
                            compare(entity, &g.first.1.value, &s.value, self.partial) == Comparison::Same
                        })
                })
                .cloned()
        });
        let searched = describe_turns(window.iter().flat_map(|&k| utterances[by_utterances[k]].clone()));
        let repeated = if group.given.len() > 1 {
            let again: Vec<String> = group.given[1..]
                .iter()
                .map(|(_, t)| (t + 1).to_string())
                .collect();
            format!(" (and again in turn {})", again.join(", "))
        } else {
            String::new()
        };
        if let Some(wrong) = wrong {
            let turn = wrong.start.0;
            let message = format!("read back {}, {} said {value}", wrong.value, self.from);
            let mut f = finding_at(ctx, &wrong, || message.clone());
            f.note = Some(format!(
                "the {} read back {} in turn {}; the {} said {value} in turn {}{repeated}",
                self.by,
                wrong.value,
                turn + 1,
                self.from,
                first_turn + 1,
            ));
            return Judgement::Finding(Box::new(f));
        }
        if value.is_masked() {
            return Judgement::Skipped("is masked");
        }
        if window.iter().any(|&k| said.get(k).masked) {
            return Judgement::Skipped("was answered with a masked value");
        }
        let noun = entity.noun();
        let mut f = finding_at(ctx, given_at, || {
            format!("the {}'s {noun} {value} was not read back", self.from)
        });
        f.note = Some(format!(
            "the {} gave {value} in turn {}{repeated}; the {} did not restate it in {searched}",
            self.from,
            first_turn + 1,
            self.by,
        ));
        Judgement::Finding(Box::new(f))
    }
}

/// A finding at a value, with its text as `matched`. A value said across a pause starts in one
/// turn and ends in a later one: the finding starts where the value starts, and `matched`
/// holds its pieces joined by a space.
fn finding_at(ctx: &EvalCtx<'_>, at: &Located, default_message: impl FnOnce() -> String) -> Finding {
    let turns = &ctx.transcript.turns;
    let ((turn, start), (end_turn, end)) = (at.start, at.end);
    let first_end = if end_turn == turn {
        end
    } else {
        turns.get(turn).map_or(start, |t| t.text.len())
    };
    let hit = Hit {
        rule: 0,
        turn: turn as u32,
        start: start as u32,
        end: first_end as u32,
        slot: 0,
    };
    let mut finding = ctx.finding_at_hit(&hit, default_message);
    if end_turn != turn
        && let Some(last) = turns.get(end_turn)
    {
        let mut matched = finding.matched.take().unwrap_or_default();
        for between in turns.get(turn + 1..end_turn).unwrap_or_default() {
            matched.push(' ');
            matched.push_str(&between.text);
        }
        matched.push(' ');
        matched.push_str(last.text.get(..end).unwrap_or_default());
        finding.matched = Some(matched);
        finding.end = last.position_at(end);
    }
    finding
}

/// Compiles an `entity = "regex"` pattern; `Err` holds the message and a hint.
fn compile_pattern(pattern: &str) -> Result<regex::Regex, (String, String)> {
    let regex = RegexBuilder::new(pattern)
        .case_insensitive(true)
        .size_limit(crate::matcher::REGEX_SIZE_LIMIT)
        .build()
        .map_err(|e| match crate::matcher::regex_error(&e) {
            (message, hint) if matches!(e, regex::Error::CompiledTooBig(_)) => (message, hint),
            (message, hint) => (message, format!("{hint}; the value is what group 1 captures")),
        })?;
    if regex.captures_len() < 2 {
        return Err((
            "the pattern has no capture group".to_string(),
            "wrap the value in parentheses: '订单号\\s*(\\d{8,})'; group 1 is the value".to_string(),
        ));
    }
    if regex.is_match("") {
        return Err((
            "the pattern matches empty text".to_string(),
            "make the value required, e.g. (\\d+) rather than (\\d*)".to_string(),
        ));
    }
    Ok(regex)
}

/// Reports a key that only digit strings take.
fn digit_string_only(ctx: &mut CompileCtx<'_>, span: std::ops::Range<usize>, key: &str, entity: Entity) {
    let d = ctx
        .error(
            span,
            format!("`{key}` only applies to entity = \"digits\" or \"phone\""),
        )
        .expected(format!("no `{key}` for entity = \"{}\"", entity.as_str()))
        .hint(format!("remove `{key}`"));
    ctx.report(d);
}

/// Validates a positive integer key no larger than `max`; reports and returns `None` otherwise.
pub(crate) fn positive(ctx: &mut CompileCtx<'_>, value: &Spanned<i64>, key: &str, max: i64) -> Option<usize> {
    let n = *value.get_ref();
    if (1..=max).contains(&n) {
        return Some(n as usize);
    }
    let d = ctx
        .error(value.span(), format!("`{key}` = {n} is out of range"))
        .expected(format!("a whole number from 1 to {max}"));
    ctx.report(d);
    None
}
