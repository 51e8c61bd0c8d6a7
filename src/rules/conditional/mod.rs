//! `[[conditional]]`: when something happens (wording, or a metadata condition such as
//! `rings > 3`), a response must follow, must not follow, or must have come before.
//!
//! The trigger and the responses are phrases and patterns registered with the matcher under
//! their own slots; this file only reads hits and turn order.

mod compile;
#[cfg(test)]
mod tests;

use std::fmt;

use serde::Deserialize;
use toml::Spanned;

use super::context::{self, Unless, UnlessToml};
use super::window::effective_starts;
use super::{
    CompileCtx, EvalCtx, Kind, KindDoc, Outcome, Speakers, TurnIndex, Window, describe_turns, quote_list,
};
use crate::finding::Finding;
use crate::matcher::{Hit, Slot};
use crate::normalize::text_units;
use crate::rules::schema::{SpeakerToml, WindowToml, rule_toml};
use crate::transcript::{Millis, Role, Transcript};
use compile::{compile_clause, compile_trigger};

rule_toml! {
    /// `[[conditional]]` table.
    pub struct ConditionalToml {
        /// The trigger: wording by a speaker, or a metadata condition.
        pub when: Spanned<WhenToml>,
        /// What must follow the trigger.
        #[serde(default)]
        pub then: Option<Spanned<ResponseToml>>,
        /// What must not follow the trigger.
        #[serde(default)]
        pub then_not: Option<Spanned<ResponseToml>>,
        /// What must come before the trigger.
        #[serde(default)]
        pub before: Option<Spanned<ResponseToml>>,
        /// What must occur around the trigger: in its turn, or the speaker's turns just before
        /// or after it.
        #[serde(default)]
        pub around: Option<Spanned<ResponseToml>>,
    }
}

/// `when = { speaker, phrases | patterns }` or `when = { metadata = "rings", gt = 3 }`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WhenToml {
    /// Whose wording triggers the rule (default customer).
    #[serde(default)]
    pub speaker: Option<Spanned<SpeakerToml>>,
    /// Literal trigger phrases.
    #[serde(default)]
    pub phrases: Vec<Spanned<String>>,
    /// Trigger patterns.
    #[serde(default)]
    pub patterns: Vec<Spanned<String>>,
    /// A turn at least this long (Chinese characters plus English words) triggers the rule.
    #[serde(default)]
    pub min_length: Option<Spanned<u32>>,
    /// A metadata key (a transcript header such as `rings`).
    #[serde(default)]
    pub metadata: Option<Spanned<String>>,
    /// The value must be greater than this.
    #[serde(default)]
    pub gt: Option<Spanned<toml::Value>>,
    /// Greater than or equal.
    #[serde(default)]
    pub ge: Option<Spanned<toml::Value>>,
    /// Less than.
    #[serde(default)]
    pub lt: Option<Spanned<toml::Value>>,
    /// Less than or equal.
    #[serde(default)]
    pub le: Option<Spanned<toml::Value>>,
    /// Equal.
    #[serde(default)]
    pub eq: Option<Spanned<toml::Value>>,
    /// Not equal.
    #[serde(default)]
    pub ne: Option<Spanned<toml::Value>>,
    /// The value is one of the words of a named list (`[lists]`).
    #[serde(default)]
    pub in_list: Option<Spanned<String>>,
    /// Only wording in these turns of the speaker triggers the rule (default: the whole call).
    #[serde(default)]
    pub window: Option<Spanned<WindowToml>>,
    /// Phrases that excuse trigger wording inside them ("以便…及时核实" is not a promise).
    #[serde(default)]
    pub except: Vec<Spanned<String>>,
    /// Only the first turn with the wording triggers the rule: a customer repeating the same
    /// complaint does not need a new apology each time.
    #[serde(default)]
    pub once: bool,
    /// Contexts in which trigger wording does not count.
    #[serde(default)]
    pub unless: Option<Spanned<UnlessToml>>,
}

/// `then`, `then_not` and `before`: wording by a speaker within a number of turns or seconds.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResponseToml {
    /// Whose turns are searched (default agent).
    #[serde(default)]
    pub speaker: Option<SpeakerToml>,
    /// Literal phrases.
    #[serde(default)]
    pub phrases: Vec<Spanned<String>>,
    /// Patterns.
    #[serde(default)]
    pub patterns: Vec<Spanned<String>>,
    /// The speaker's next (or, for `before`, previous) N turns.
    #[serde(default)]
    pub within_turns: Option<Spanned<i64>>,
    /// Turns starting within N seconds of the trigger.
    #[serde(default)]
    pub within_seconds: Option<Spanned<f64>>,
    /// Contexts in which the wording does not count.
    #[serde(default)]
    pub unless: Option<Spanned<UnlessToml>>,
    /// `then`: wording the speaker already said before the trigger counts too (an agent who
    /// has apologised once need not apologise again for the same complaint).
    #[serde(default)]
    pub or_before: bool,
}

/// A compiled `[[conditional]]` rule.
#[derive(Debug)]
pub struct Conditional {
    trigger: Trigger,
    clauses: Vec<Clause>,
}

#[derive(Debug)]
enum Trigger {
    Words {
        speakers: Speakers,
        /// Only wording in these turns of the speaker counts.
        window: Window,
        /// Contexts in which the wording does not count.
        unless: Unless,
        /// Only the first triggering turn counts.
        once: bool,
        /// The wording for messages, built once at load: reasons are written per transcript.
        said: String,
        /// Why the rule does not apply to a transcript where the wording never occurs (most
        /// transcripts, for most rules), also built once.
        never_said: String,
    },
    Metadata {
        key: String,
        tests: Vec<(Op, Operand)>,
    },
    /// A turn of at least this many characters (CJK) plus words (Latin).
    Length {
        speakers: Speakers,
        min: usize,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Op {
    Gt,
    Ge,
    Lt,
    Le,
    Eq,
    Ne,
}

impl Op {
    fn symbol(self) -> &'static str {
        match self {
            Op::Gt => ">",
            Op::Ge => ">=",
            Op::Lt => "<",
            Op::Le => "<=",
            Op::Eq => "=",
            Op::Ne => "!=",
        }
    }

    fn holds(self, ordering: std::cmp::Ordering) -> bool {
        use std::cmp::Ordering::{Equal, Greater, Less};
        match self {
            Op::Gt => ordering == Greater,
            Op::Ge => ordering != Less,
            Op::Lt => ordering == Less,
            Op::Le => ordering != Greater,
            Op::Eq => ordering == Equal,
            Op::Ne => ordering != Equal,
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
enum Operand {
    Number(f64),
    Text(String),
    /// A named list's words (`in_list`): equal when the value is one of them.
    List(String, Vec<String>),
}

impl fmt::Display for Operand {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Operand::Number(n) => write!(f, "{n}"),
            Operand::Text(t) => write!(f, "{t:?}"),
            Operand::List(name, _) => write!(f, "a value of the `{name}` list"),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum ClauseKind {
    Then,
    ThenNot,
    Before,
    Around,
}

impl ClauseKind {
    fn key(self) -> &'static str {
        match self {
            ClauseKind::Then => "then",
            ClauseKind::ThenNot => "then_not",
            ClauseKind::Before => "before",
            ClauseKind::Around => "around",
        }
    }

    fn slot(self) -> Slot {
        match self {
            ClauseKind::Then => THEN,
            ClauseKind::ThenNot => THEN_NOT,
            ClauseKind::Before => BEFORE,
            ClauseKind::Around => AROUND,
        }
    }

    /// The first slot of the clause's `unless` context.
    fn unless_slot(self) -> Slot {
        UNLESS_BASE + context::SLOTS * self.slot()
    }
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Within {
    Turns(usize),
    Seconds(Millis),
    /// `then_not`: the rest of the call; `before`: everything earlier.
    Unbounded,
}

#[derive(Debug)]
struct Clause {
    kind: ClauseKind,
    speakers: Speakers,
    phrases: Vec<String>,
    patterns: Vec<String>,
    within: Within,
    /// Contexts in which the wording does not count.
    unless: Unless,
    /// `then` is also satisfied by the speaker's turns before the trigger.
    or_before: bool,
    /// The wording for messages (`one of "感谢", "谢谢您"`), built once at load.
    said: String,
}

const WHEN: Slot = 0;
const THEN: Slot = 1;
const THEN_NOT: Slot = 2;
const BEFORE: Slot = 3;
const AROUND: Slot = 4;
/// `when.except`.
const WHEN_EXCEPT: Slot = 5;
/// The `unless` contexts take `context::SLOTS` slots each from here: `when`'s first, then
/// `then`, `then_not`, `before` and `around`.
const UNLESS_BASE: Slot = 8;

/// Largest accepted `within_turns`.
const MAX_WITHIN_TURNS: i64 = 50;

/// Where the rule was triggered.
#[derive(Clone, Copy, Debug)]
enum At {
    /// A trigger phrase in a turn.
    Hit(Hit),
    /// A metadata condition: the call as a whole, from its start.
    Start,
}

impl Kind for Conditional {
    type Toml = ConditionalToml;

    const DOC: KindDoc = KindDoc {
        name: "conditional",
        summary: "When something happens, a response must (or must not) follow, or come before.",
        what: "The trigger is wording (`when = { speaker, phrases | patterns }`, default speaker \
               customer), a long turn (`when = { speaker, min_length = N }`: N Chinese \
               characters plus English words or more) or a metadata condition (`when = { metadata = \"rings\", gt = 3 }` with \
               gt/ge/lt/le/eq/ne, numbers or strings). After each triggering turn, `then` must \
               occur in the speaker's next `within_turns` turns (default 1; the triggering turn \
               itself counts when it is the same speaker) or within `within_seconds`; `then_not` \
               must not occur (default: for the rest of the call); `before` must have occurred \
               earlier (default: anywhere before). For a metadata trigger, `then` is looked for \
               from the start of the call. A missing response is reported at the trigger (or, \
               for a metadata trigger, at the speaker's first turn); a forbidden one at its own \
               words. Not applicable when the trigger never occurs, when the metadata key is \
               missing, to reply templates, and for `within_seconds` without timestamps.",
        why: "Much of a script is conditional: apologise after a long wait (G2), take name, \
              number and address for a fault report (G10), thank a customer who complains (G14) \
              and never argue with them (G15), offer to take a message when the person asked \
              for is out (G16), check the line when the customer cannot hear (G17), verify \
              identity before disclosing anything (G34).",
        example: "[[conditional]]\nid = \"thank-complainant\"\nwhen = { speaker = \"customer\", phrases = [\"投诉\", \"complaint\"] }\nthen = { speaker = \"agent\", phrases = [\"感谢\", \"谢谢您\", \"thank you\"], within_turns = 2 }\nexamples.pass = [\"\"\"\n客户：我要投诉。\n客服：感谢您的反馈，我马上记录。\n\"\"\"]\nexamples.fail = [\"\"\"\n客户：我要投诉。\n客服：投诉请打另一个电话。\n\"\"\"]",
    };

    fn compile(toml: &ConditionalToml, ctx: &mut CompileCtx<'_>) -> Option<Self> {
        let trigger = compile_trigger(&toml.when, ctx);
        let mut ok = trigger.is_some();
        let mut clauses = Vec::new();
        for (kind, response) in [
            (ClauseKind::Then, &toml.then),
            (ClauseKind::ThenNot, &toml.then_not),
            (ClauseKind::Before, &toml.before),
            (ClauseKind::Around, &toml.around),
        ] {
            let Some(response) = response else { continue };
            match compile_clause(kind, response, trigger.as_ref(), ctx) {
                Some(c) => clauses.push(c),
                None => ok = false,
            }
        }
        if clauses.is_empty() && ok {
            let d = ctx
                .error(
                    toml.id.span(),
                    "a [[conditional]] rule needs `then`, `then_not`, `before` or `around`",
                )
                .expected("then = { speaker = \"agent\", phrases = [\"…\"], within_turns = N }")
                .hint(
                    "`then`: must follow; `then_not`: must not follow; `before`: must come before; \
                     `around`: must be near",
                );
            ctx.report(d);
            ok = false;
        }
        let trigger = trigger?;
        ok.then_some(Conditional { trigger, clauses })
    }

    fn evaluate(&self, ctx: &EvalCtx<'_>, findings: &mut Vec<Finding>) -> Outcome {
        let transcript = ctx.transcript;
        let triggers: Vec<At> = match &self.trigger {
            Trigger::Metadata { key, tests } => match metadata_holds(transcript, key, tests) {
                Ok(()) => vec![At::Start],
                Err(unmet) => return ctx.not_applicable(|| unmet.to_string()),
            },
            Trigger::Words {
                speakers,
                window,
                unless,
                once,
                never_said,
                ..
            } => {
                let selection = match ctx.select(*window, *speakers) {
                    Ok(s) => s,
                    Err(reason) => return ctx.not_applicable(|| reason.into_message()),
                };
                let excepts: Vec<&Hit> = ctx.hits.iter().filter(|h| h.slot == WHEN_EXCEPT).collect();
                let mut first_per_turn: Vec<At> = Vec::new();
                for hit in ctx.hits.iter().filter(|h| h.slot == WHEN) {
                    if excepts.iter().any(|e| hit.is_within(e)) {
                        continue;
                    }
                    let new_turn = !matches!(first_per_turn.last(), Some(At::Hit(h)) if h.turn == hit.turn);
                    if new_turn && selection.contains(hit.turn as usize) && unless.excuse(hit, ctx).is_none()
                    {
                        first_per_turn.push(At::Hit(*hit));
                    }
                }
                if *once {
                    first_per_turn.truncate(1);
                }
                if first_per_turn.is_empty() {
                    return ctx.not_applicable(|| never_said.clone());
                }
                first_per_turn
            }
            Trigger::Length { speakers, min } => {
                if !transcript.turns.iter().any(|t| speakers.matches(t.speaker.role)) {
                    return ctx.not_applicable(|| format!("the transcript has no turns by {speakers}"));
                }
                // The whole turn is the trigger: responses count after its end.
                let long: Vec<At> = transcript
                    .turns
                    .iter()
                    .enumerate()
                    // Only the speaker's turns are measured.
                    .filter(|&(i, t)| {
                        speakers.matches(t.speaker.role) && {
                            let (cjk, words) = ctx.turns.units(transcript, i);
                            cjk + words >= *min
                        }
                    })
                    .map(|(i, t)| {
                        At::Hit(Hit {
                            rule: 0,
                            turn: i as u32,
                            start: 0,
                            end: t.text.len() as u32,
                            slot: WHEN,
                        })
                    })
                    .collect();
                if long.is_empty() {
                    return ctx.not_applicable(|| {
                        format!(
                            "the trigger never occurs: {speakers} never speaks {min} characters or words in a turn"
                        )
                    });
                }
                long
            }
        };
        let needs_times = self
            .clauses
            .iter()
            .any(|c| matches!(c.within, Within::Seconds(_)));
        if needs_times && !transcript.has_times() {
            return ctx
                .not_applicable(|| "within_seconds needs timestamps and the transcript has none".into());
        }
        let starts = if needs_times {
            effective_starts(transcript)
        } else {
            Vec::new()
        };
        let mut judged = false;
        for clause in &self.clauses {
            judged |= self.judge_clause(ctx, clause, &triggers, &starts, findings);
        }
        if !judged {
            let speakers: Vec<String> = self.clauses.iter().map(|c| c.speakers.to_string()).collect();
            return ctx.not_applicable(|| {
                format!(
                    "{} never spoke where a response was expected",
                    speakers.join(" or ")
                )
            });
        }
        Outcome::Applicable
    }

    fn settings(&self) -> Vec<(&'static str, String)> {
        let mut out = vec![("when", self.describe_trigger())];
        let from_start = matches!(self.trigger, Trigger::Metadata { .. });
        for clause in &self.clauses {
            out.push((clause.kind.key(), clause.describe(from_start)));
        }
        out
    }

    fn example_role(&self) -> Role {
        match &self.trigger {
            Trigger::Words { speakers, .. } | Trigger::Length { speakers, .. } => speakers.example_role(),
            Trigger::Metadata { .. } => Role::Agent,
        }
    }
}

impl Conditional {
    /// A finding at the trigger: at the matched words, or at the turn when the whole (long)
    /// turn is the trigger.
    fn finding_at_trigger(&self, ctx: &EvalCtx<'_>, hit: &Hit, message: impl FnOnce() -> String) -> Finding {
        match self.trigger {
            Trigger::Length { .. } => ctx.finding_at_turn(hit.turn as usize, message),
            _ => ctx.finding_at_hit(hit, message),
        }
    }

    fn trigger_words(&self) -> &str {
        match &self.trigger {
            Trigger::Words { said, .. } => said,
            Trigger::Metadata { .. } | Trigger::Length { .. } => "",
        }
    }

    fn describe_trigger(&self) -> String {
        match &self.trigger {
            Trigger::Words {
                speakers,
                window,
                unless,
                ..
            } => {
                let mut out = format!("{speakers} says {}", self.trigger_words());
                if let Trigger::Words { once: true, .. } = &self.trigger {
                    out.push_str(" (the first time only)");
                }
                if *window != Window::Whole {
                    out.push_str(&format!(" in {}", window.describe(*speakers)));
                }
                if !unless.is_empty() {
                    out.push_str(&format!(", unless {}", unless.describe()));
                }
                out
            }
            Trigger::Length { speakers, min } => {
                format!("{speakers} speaks {min} characters or words or more in one turn")
            }
            Trigger::Metadata { key, tests } => tests
                .iter()
                .map(|(op, v)| format!("metadata {key} {} {v}", op.symbol()))
                .collect::<Vec<_>>()
                .join(" and "),
        }
    }

    /// Describes a trigger for notes: `the customer said "投诉" in turn 5`.
    fn describe_at(&self, ctx: &EvalCtx<'_>, at: At) -> String {
        match at {
            At::Hit(hit) if matches!(self.trigger, Trigger::Length { .. }) => {
                let turn = &ctx.transcript.turns[hit.turn as usize];
                let (cjk, words) = text_units(&turn.text);
                let unit = if cjk >= words { "characters" } else { "words" };
                format!(
                    "the {} spoke at length ({} {unit}) in turn {}",
                    turn.speaker.role,
                    cjk + words,
                    hit.turn + 1
                )
            }
            At::Hit(hit) => {
                let turn = &ctx.transcript.turns[hit.turn as usize];
                let text = turn.text.get(hit.start as usize..hit.end as usize).unwrap_or("");
                format!(
                    "the {} said \"{text}\" in turn {}",
                    turn.speaker.role,
                    hit.turn + 1
                )
            }
            At::Start => match &self.trigger {
                Trigger::Metadata { key, tests } => {
                    let value = metadata_value(ctx.transcript, key).unwrap_or_default();
                    let tests: Vec<String> = tests
                        .iter()
                        .map(|(op, v)| format!("{} {v}", op.symbol()))
                        .collect();
                    format!("{key} is {value} ({})", tests.join(" and "))
                }
                Trigger::Words { .. } | Trigger::Length { .. } => self.describe_trigger(),
            },
        }
    }

    /// Judges one clause for every trigger; false when no trigger could be judged.
    fn judge_clause(
        &self,
        ctx: &EvalCtx<'_>,
        clause: &Clause,
        triggers: &[At],
        starts: &[Millis],
        findings: &mut Vec<Finding>,
    ) -> bool {
        let slot = clause.kind.slot();
        // `turns` is ascending, and the rule's hits are sorted by turn: look only at the hits
        // between the window's first and last turn.
        let hits_in = |turns: &[usize], after: Option<&Hit>, before: Option<&Hit>| -> Vec<Hit> {
            let (Some(&first), Some(&last)) = (turns.first(), turns.last()) else {
                return Vec::new();
            };
            let from = ctx.hits.partition_point(|h| (h.turn as usize) < first);
            let to = ctx.hits.partition_point(|h| (h.turn as usize) <= last);
            ctx.hits[from..to.max(from)]
                .iter()
                .filter(|h| h.slot == slot && turns.binary_search(&(h.turn as usize)).is_ok())
                .filter(|h| clause.unless.excuse(h, ctx).is_none())
                // In the triggering turn itself, only wording on the right side of the trigger.
                .filter(|h| after.is_none_or(|t| h.turn != t.turn || h.start >= t.end))
                .filter(|h| before.is_none_or(|t| h.turn != t.turn || h.end <= t.start))
                .copied()
                .collect()
        };
        let mut judged = false;
        let mut reported_until: Option<usize> = None;
        let mut seen: Vec<Hit> = Vec::new();
        for &at in triggers {
            let turns = clause.window(ctx.transcript, ctx.turns, at, starts);
            if turns.is_empty() && clause.kind != ClauseKind::Before {
                continue;
            }
            judged = true;
            let trigger_turn = match at {
                At::Hit(h) => Some(h.turn as usize),
                At::Start => None,
            };
            match clause.kind {
                ClauseKind::Then | ClauseKind::Around => {
                    if !hits_in(&turns, None, None).is_empty() {
                        continue;
                    }
                    if reported_until.is_some_and(|end| trigger_turn.is_some_and(|t| t <= end)) {
                        continue;
                    }
                    reported_until = turns.last().copied();
                    let expected = format!(
                        "expected {} from {} {}",
                        clause.said,
                        clause.speakers,
                        clause.describe_within(matches!(at, At::Start))
                    );
                    let mut f = match at {
                        At::Hit(h) => self.finding_at_trigger(ctx, &h, || expected.clone()),
                        At::Start => ctx.finding_at_turn(turns[0], || expected.clone()),
                    };
                    f.note = Some(format!(
                        "{}; {expected} ({})",
                        self.describe_at(ctx, at),
                        describe_searched(&turns)
                    ));
                    findings.push(f);
                }
                ClauseKind::ThenNot => {
                    let after = match at {
                        At::Hit(h) => Some(h),
                        At::Start => None,
                    };
                    for hit in hits_in(&turns, after.as_ref(), None) {
                        if seen.contains(&hit) {
                            continue;
                        }
                        seen.push(hit);
                        let mut f = ctx.finding_at_hit(&hit, || {
                            format!("must not follow: {}", self.describe_at(ctx, at))
                        });
                        f.note = Some(format!(
                            "{}; {} must not say {} {}",
                            self.describe_at(ctx, at),
                            clause.speakers,
                            clause.said,
                            clause.describe_within(matches!(at, At::Start))
                        ));
                        findings.push(f);
                    }
                }
                ClauseKind::Before => {
                    let At::Hit(trigger) = at else { continue };
                    if !hits_in(&turns, None, Some(&trigger)).is_empty() {
                        continue;
                    }
                    // Once reported, a later trigger with nothing new before it is the same miss.
                    if let Some(last) = reported_until {
                        let between: Vec<usize> = (last..=trigger.turn as usize)
                            .filter(|&i| clause.speakers.matches(ctx.transcript.turns[i].speaker.role))
                            .collect();
                        if hits_in(&between, None, Some(&trigger)).is_empty() {
                            continue;
                        }
                    }
                    reported_until = trigger_turn;
                    let expected = format!("expected {} from {} before it", clause.said, clause.speakers,);
                    let mut f = self.finding_at_trigger(ctx, &trigger, || expected.clone());
                    let scope = match clause.within {
                        Within::Unbounded => String::new(),
                        _ => format!(" ({})", describe_searched(&turns)),
                    };
                    f.note = Some(format!("{}; {expected}{scope}", self.describe_at(ctx, at)));
                    findings.push(f);
                }
            }
        }
        judged
    }
}

impl Clause {
    /// The turns a clause searches for one trigger, in order. Turns are counted as utterances
    /// (see [`crate::rules::utterance`]): the rest of the triggering utterance when it is the
    /// clause speaker's, then the speaker's next (or previous) utterances.
    fn window(
        &self,
        transcript: &Transcript,
        index: &TurnIndex<'_>,
        at: At,
        starts: &[Millis],
    ) -> Vec<usize> {
        let own = |i: usize| self.speakers.matches(transcript.turns[i].speaker.role);
        // `starts` is only filled when a clause is timed (`within_seconds`).
        let start_of = |i: usize| starts.get(i).copied().unwrap_or_default();
        let (trigger_turn, trigger_time) = match at {
            At::Hit(h) => (Some(h.turn as usize), start_of(h.turn as usize)),
            At::Start => (None, Millis(0)),
        };
        let trigger_utterance = trigger_turn
            .filter(|&t| own(t))
            .map(|t| index.utterance_of(transcript, t).turns.clone());
        let utterances = || index.utterances_of(transcript, self.speakers);
        match self.kind {
            ClauseKind::Then | ClauseKind::ThenNot => {
                let (mut turns, first): (Vec<usize>, usize) = match (&trigger_utterance, trigger_turn) {
                    (Some(u), Some(t)) => ((t..u.end).collect(), u.end),
                    _ => (Vec::new(), trigger_turn.map_or(0, |t| t + 1)),
                };
                let later = utterances().filter(move |u| u.turns.start >= first);
                match self.within {
                    Within::Turns(n) => turns.extend(TurnIndex::take_utterances(later, n)),
                    Within::Seconds(limit) => turns.extend(
                        later
                            .flat_map(|u| u.turns.clone())
                            .filter(|&i| start_of(i).0 <= trigger_time.0.saturating_add(limit.0)),
                    ),
                    Within::Unbounded => turns.extend(later.flat_map(|u| u.turns.clone())),
                }
                // A trigger the speaker never answers is not judged, even when earlier wording
                // would count (`or_before`): the last word of a chat needs no reply.
                if self.or_before
                    && !turns.is_empty()
                    && let Some(t) = trigger_turn
                {
                    let mut earlier: Vec<usize> = (0..t).filter(|&i| own(i)).collect();
                    earlier.append(&mut turns);
                    turns = earlier;
                }
                turns
            }
            ClauseKind::Around => {
                let Some(trigger) = trigger_turn else {
                    return Vec::new();
                };
                // The trigger's own utterance when it is the speaker's, else just the trigger turn
                // as the point the speaker's turns are counted from.
                let middle = trigger_utterance.unwrap_or(trigger..trigger + 1);
                let n = match self.within {
                    Within::Turns(n) => n,
                    Within::Seconds(_) | Within::Unbounded => 0,
                };
                let before = utterances().rev().filter(|o| o.turns.end <= middle.start);
                let mut turns = TurnIndex::take_utterances(before, n);
                turns.extend(middle.clone().filter(|&i| own(i)));
                let after = utterances().filter(|o| o.turns.start >= middle.end);
                turns.extend(TurnIndex::take_utterances(after, n));
                turns
            }
            ClauseKind::Before => {
                let last = trigger_turn.unwrap_or(0);
                let (same, before): (Vec<usize>, usize) = match (&trigger_utterance, trigger_turn) {
                    (Some(u), Some(t)) => ((u.start..=t).collect(), u.start),
                    _ => (Vec::new(), last),
                };
                let earlier = utterances().rev().filter(move |u| u.turns.end <= before);
                let mut turns: Vec<usize> = match self.within {
                    Within::Turns(n) => TurnIndex::take_utterances(earlier, n),
                    Within::Seconds(limit) => earlier
                        .flat_map(|u| u.turns.clone())
                        .filter(|&i| start_of(i).0.saturating_add(limit.0) >= trigger_time.0)
                        .collect(),
                    Within::Unbounded => earlier.flat_map(|u| u.turns.clone()).collect(),
                };
                turns.sort_unstable();
                turns.extend(same);
                turns
            }
        }
    }

    /// "within 2 turns", "in the first turn" (`from_start`: after a metadata trigger).
    fn describe_within(&self, from_start: bool) -> String {
        let direction = match self.kind {
            ClauseKind::Before => "before",
            ClauseKind::Around => "before or after",
            ClauseKind::Then | ClauseKind::ThenNot => "after",
        };
        match self.within {
            Within::Turns(1) if from_start => "in the first turn".to_string(),
            Within::Turns(n) if from_start => format!("in the first {n} turns"),
            Within::Seconds(m) if from_start => format!("in the first {} s", m.as_secs_f64()),
            Within::Unbounded if from_start => "anywhere in the call".to_string(),
            Within::Turns(0) => "in the same turn".to_string(),
            Within::Turns(1) if self.kind == ClauseKind::Around => {
                "in the same turn or the turn just before or after".to_string()
            }
            Within::Turns(n) if self.kind == ClauseKind::Around => {
                format!("in the same turn or the {n} turns before or after")
            }
            Within::Turns(1) if self.kind == ClauseKind::Before => "in the turn before".to_string(),
            Within::Turns(1) => "in the next turn".to_string(),
            Within::Turns(n) if self.kind == ClauseKind::Before => format!("in the {n} turns before"),
            Within::Turns(n) => format!("within {n} turns"),
            Within::Seconds(m) => format!("within {} s {direction}", m.as_secs_f64()),
            Within::Unbounded => format!("anywhere {direction}"),
        }
    }

    /// `within 1 turn`, with "or before" when earlier wording counts too.
    fn describe_reach(&self, from_start: bool) -> String {
        let within = self.describe_within(from_start);
        if self.or_before {
            format!("{within} (or anywhere before it)")
        } else {
            within
        }
    }

    fn describe(&self, from_start: bool) -> String {
        let verb = if self.kind == ClauseKind::ThenNot {
            "must not say"
        } else {
            "says"
        };
        let mut out = format!(
            "{} {verb} {} {}",
            self.speakers,
            words(&self.phrases, &self.patterns, usize::MAX),
            self.describe_reach(from_start)
        );
        if !self.unless.is_empty() {
            out.push_str(&format!(", unless {}", self.unless.describe()));
        }
        out
    }
}

/// `one of "a", "b" or a match for 'c'`.
pub(super) fn words(phrases: &[String], patterns: &[String], max: usize) -> String {
    let mut parts = Vec::new();
    if !phrases.is_empty() {
        parts.push(format!("one of {}", quote_list(phrases, max)));
    }
    if !patterns.is_empty() {
        let quoted: Vec<String> = patterns.iter().take(max).map(|p| format!("'{p}'")).collect();
        parts.push(format!("a match for {}", quoted.join(", ")));
    }
    parts.join(" or ")
}

/// The turns a clause searched, for its finding's note: "searched turns 3 and 5".
fn describe_searched(turns: &[usize]) -> String {
    if turns.is_empty() {
        return "no turn searched".to_string();
    }
    format!("searched {}", describe_turns(turns.iter().copied()))
}

/// A metadata value by key (exact, else ignoring ASCII case), trimmed.
fn metadata_value<'t>(transcript: &'t Transcript, key: &str) -> Option<&'t str> {
    transcript
        .metadata
        .get(key)
        .or_else(|| {
            transcript
                .metadata
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(key))
                .map(|(_, v)| v)
        })
        .map(|v| v.trim())
}

/// Why a metadata condition does not hold: said only when asked ([`fmt::Display`]).
enum Unmet<'a> {
    /// The transcript has no such metadata.
    Missing(&'a str),
    /// The value is not a number.
    NotANumber(&'a str, &'a str),
    /// The value is a number that compares with none (NaN).
    NotComparable(&'a str),
    /// The value fails a test.
    Fails(&'a str, &'a str, Op, &'a Operand),
}

impl fmt::Display for Unmet<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Unmet::Missing(key) => write!(f, "the transcript has no `{key}` metadata"),
            Unmet::NotANumber(key, value) => write!(f, "`{key}` is {value:?}, not a number"),
            Unmet::NotComparable(key) => write!(f, "`{key}` is not a comparable number"),
            Unmet::Fails(key, value, op, operand) => write!(
                f,
                "the trigger never occurs: {key} is {value}, not {} {operand}",
                op.symbol()
            ),
        }
    }
}

/// Checks a metadata condition; `Err` says why the rule does not apply.
fn metadata_holds<'a>(
    transcript: &'a Transcript,
    key: &'a str,
    tests: &'a [(Op, Operand)],
) -> Result<(), Unmet<'a>> {
    let value = metadata_value(transcript, key).ok_or(Unmet::Missing(key))?;
    for (op, operand) in tests {
        let ordering = match operand {
            Operand::Number(n) => {
                let actual: f64 = value.parse().map_err(|_| Unmet::NotANumber(key, value))?;
                actual.partial_cmp(n).ok_or(Unmet::NotComparable(key))?
            }
            Operand::Text(t) => value.to_lowercase().cmp(&t.to_lowercase()),
            Operand::List(_, words) => {
                if words
                    .iter()
                    .any(|w| w.trim().eq_ignore_ascii_case(value) || w.trim() == value)
                {
                    std::cmp::Ordering::Equal
                } else {
                    std::cmp::Ordering::Less
                }
            }
        };
        if !op.holds(ordering) {
            return Err(Unmet::Fails(key, value, *op, operand));
        }
    }
    Ok(())
}
