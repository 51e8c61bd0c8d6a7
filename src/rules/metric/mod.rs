//! `[[metric]]`: a measured property of the conversation must stay within bounds — speech rate,
//! interruptions, talk share, silence, response time, turn length, or how often wording occurs.
//!
//! Measures that need timing are not applicable when the transcript lacks it (start times for
//! response time; end times for speech rate, interruptions and silence). Every finding's
//! message ends with the measured value and the bound it broke.

mod measure;
#[cfg(test)]
mod tests;

use serde::Deserialize;
use toml::Spanned;

use super::context::{Unless, UnlessToml};
use super::{CompileCtx, EvalCtx, Kind, KindDoc, Outcome, Speakers, quote_list};
use crate::finding::Finding;
use crate::matcher::Slot;
use crate::rules::schema::{SpeakerToml, rule_toml};
use crate::transcript::{Millis, Role, TranscriptKind};
use measure::Measure;

rule_toml! {
    /// `[[metric]]` table.
    pub struct MetricToml {
        /// What is measured.
        pub metric: Spanned<MetricName>,
        /// Whose turns are measured (default agent).
        #[serde(default)]
        pub speaker: Option<Spanned<SpeakerToml>>,
        /// Lower bound.
        #[serde(default)]
        pub min: Option<Spanned<f64>>,
        /// Upper bound.
        #[serde(default)]
        pub max: Option<Spanned<f64>>,
        /// speech_rate: measure each turn, or the speaker's whole talk time (default).
        #[serde(default)]
        pub per: Option<Spanned<PerToml>>,
        /// occurrences: the phrases counted.
        #[serde(default)]
        pub phrases: Vec<Spanned<String>>,
        /// occurrences: the patterns counted.
        #[serde(default)]
        pub patterns: Vec<Spanned<String>>,
        /// occurrences: contexts in which wording is not counted.
        #[serde(default)]
        pub unless: Option<Spanned<UnlessToml>>,
        /// metadata: the numeric metadata key measured (`rings`, `hold_seconds`).
        #[serde(default)]
        pub key: Option<Spanned<String>>,
    }
}

/// `metric = "…"`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MetricName {
    /// CJK characters or English words per minute.
    SpeechRate,
    /// Turns that start before the other party's turn ends.
    Interruptions,
    /// The speaker's share of talk time (or of characters), in percent.
    TalkShare,
    /// Gaps between turns, in seconds.
    Silence,
    /// Delay after the other party's turn, in seconds.
    ResponseTime,
    /// Characters or words in one turn.
    TurnLength,
    /// How often phrases or patterns occur.
    Occurrences,
    /// A number from the call's metadata (`rings`, `hold_seconds`, `queue_seconds`).
    Metadata,
}

impl Metric {
    /// True for the metrics that count words (`turn_length`, `occurrences`), which a reply
    /// template can be judged on.
    pub fn is_about_wording(&self) -> bool {
        matches!(self.metric, MetricName::TurnLength | MetricName::Occurrences)
    }
}

/// `per = "turn" | "call"`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PerToml {
    /// Each turn separately.
    Turn,
    /// All the speaker's timed turns together.
    Call,
}

impl MetricName {
    fn as_str(self) -> &'static str {
        match self {
            MetricName::SpeechRate => "speech_rate",
            MetricName::Interruptions => "interruptions",
            MetricName::TalkShare => "talk_share",
            MetricName::Silence => "silence",
            MetricName::ResponseTime => "response_time",
            MetricName::TurnLength => "turn_length",
            MetricName::Occurrences => "occurrences",
            MetricName::Metadata => "metadata",
        }
    }

    /// Whether the metric takes `min` (all take `max`).
    fn takes_min(self) -> bool {
        matches!(
            self,
            MetricName::SpeechRate | MetricName::TalkShare | MetricName::Occurrences | MetricName::Metadata
        )
    }

    /// The unit of the bounds, for messages.
    fn unit(self) -> &'static str {
        match self {
            MetricName::SpeechRate => "characters or words per minute",
            MetricName::Interruptions => "interruptions",
            MetricName::TalkShare => "%",
            MetricName::Silence | MetricName::ResponseTime => "s",
            MetricName::TurnLength => "characters or words",
            MetricName::Occurrences => "times",
            MetricName::Metadata => "",
        }
    }
}

/// A compiled `[[metric]]` rule.
#[derive(Debug)]
pub struct Metric {
    metric: MetricName,
    speakers: Speakers,
    min: Option<f64>,
    max: Option<f64>,
    per_turn: bool,
    phrases: Vec<String>,
    patterns: Vec<String>,
    unless: Unless,
    /// The metadata key of a `metadata` metric.
    key: Option<String>,
}

const MATCH: Slot = 0;
/// First of the slots of the `unless` context.
const UNLESS: Slot = 1;

/// Turns shorter than this are not measured for a per-turn speech rate: "好的" in 0.4 s says
/// nothing about pace.
const MIN_TURN_SPEECH: Millis = Millis(3_000);

/// Fewest characters or words in a turn for a per-turn speech rate.
const MIN_TURN_UNITS: usize = 5;

/// Least total talk time for a whole-call speech rate.
const MIN_CALL_SPEECH: Millis = Millis(10_000);

/// Fewest characters or words for a whole-call speech rate: "Mhm. Okay? Bye." over a minute of
/// pauses is not a pace.
const MIN_CALL_UNITS: usize = 30;

/// Overlap that still counts as turn-taking rather than an interruption: speech recognisers'
/// timestamps are this imprecise, and people start answering as the other party trails off.
const OVERLAP_TOLERANCE: Millis = Millis(1_000);

impl Kind for Metric {
    type Toml = MetricToml;

    const DOC: KindDoc = KindDoc {
        name: "metric",
        summary: "A measured property of the conversation stays within bounds.",
        what: "`metric` is one of: `speech_rate` — CJK characters (or English words) per minute \
               of the speaker's timed turns, over their talk time (`per = \"call\"`, default; \
               consecutive turns of the speaker count with the pauses of under 3 s between them; at least 30 \
               characters or words and 10 s) or turn by turn (`per = \"turn\"`, turns of 3 s and 5 \
               characters or more), `min`/`max`; `interruptions` — the speaker's turns that start \
               more than a second before the other party's turn ends, `max` count (a \
               back-channel or short thanks said over the other party, talking over their \
               back-channel, or both starting within half a second, is not an interruption); `talk_share` — the speaker's share of talk time in percent (of \
               characters when turns lack end times), `min`/`max`; `silence` — each gap between \
               one turn's end and the next turn's start, `max` seconds; `response_time` — the \
               speaker's delay after the other party's turn (its end, or its time for chat \
               messages), `max` seconds; `turn_length` — characters (CJK) plus words (Latin) in \
               one turn, `max`; `occurrences` — how often `phrases`/`patterns` occur in the \
               speaker's turns (not counting wording its `unless` context excuses), \
               `min`/`max`; `metadata` — a number from the call's metadata named by `key` \
               (`rings`, `hold_seconds`), `min`/`max`, not applicable when the call does not \
               record it. Each finding's message ends with the measured \
               value and the bound. Not applicable when the speaker has no turns, when the \
               timing a measure needs is missing (end times for speech rate, interruptions and \
               silence; start times for response time), or, except for turn length and \
               occurrences, for reply templates.",
        why: "Pace and turn-taking are half of phone etiquette: don't interrupt (G5), don't \
              monopolise the call (G6), speak at about 120 characters a minute (G7), back-channel \
              while listening (G8), don't pester for reviews (G28), keep replies concise (G29) \
              and reply promptly in chat (G30).",
        example: "[[metric]]\nid = \"speech-rate\"\nmetric = \"speech_rate\"\nspeaker = \"agent\"\nmin = 100\nmax = 150\nexamples.pass = [\"[00:00:00-00:00:10] 客服：您好，这里是顺达快递客服中心，请问有什么可以帮您？\"]\nexamples.fail = [\"[00:00:00-00:00:04] 客服：您好，这里是顺达快递客服中心，请问有什么可以帮您？\"]",
    };

    fn compile(toml: &MetricToml, ctx: &mut CompileCtx<'_>) -> Option<Self> {
        let metric = *toml.metric.get_ref();
        let name = metric.as_str();
        let mut ok = true;
        let mut not_for = |ctx: &mut CompileCtx<'_>, span: std::ops::Range<usize>, key: &str, hint: &str| {
            let d = ctx
                .error(span, format!("`{key}` does not apply to metric = \"{name}\""))
                .expected(format!("the keys of metric = \"{name}\": {}", keys_of(metric)))
                .hint(hint.to_string());
            ctx.report(d);
            ok = false;
        };
        if let Some(min) = &toml.min
            && !metric.takes_min()
        {
            not_for(
                ctx,
                min.span(),
                "min",
                "this metric only has an upper bound: use `max`",
            );
        }
        if let Some(per) = &toml.per
            && metric != MetricName::SpeechRate
        {
            not_for(
                ctx,
                per.span(),
                "per",
                "`per` chooses how speech_rate is measured; remove it",
            );
        }
        if let Some(speaker) = &toml.speaker
            && metric == MetricName::Silence
        {
            not_for(
                ctx,
                speaker.span(),
                "speaker",
                "silence measures the gaps between all turns; remove `speaker`",
            );
        }
        let mut missing_key = false;
        match (&toml.key, metric) {
            (Some(key), m) if m != MetricName::Metadata => {
                not_for(
                    ctx,
                    key.span(),
                    "key",
                    "only `metadata` reads a metadata key; remove it",
                );
            }
            (None, MetricName::Metadata) => {
                let d = ctx
                    .error(toml.metric.span(), "a metadata metric needs `key`")
                    .expected("key = \"rings\": the metadata value to measure")
                    .hint("the key of a transcript header, sidecar or metadata table column");
                ctx.report(d);
                missing_key = true;
            }
            _ => {}
        }
        if let Some(unless) = &toml.unless
            && metric != MetricName::Occurrences
        {
            not_for(
                ctx,
                unless.span(),
                "unless",
                "only `occurrences` counts wording; remove it",
            );
        }
        let has_words = !toml.phrases.is_empty() || !toml.patterns.is_empty();
        if metric != MetricName::Occurrences {
            if let Some(first) = toml.phrases.first().or(toml.patterns.first()) {
                not_for(
                    ctx,
                    first.span(),
                    "phrases",
                    "only `occurrences` counts wording; remove it",
                );
            }
        } else if !has_words {
            let d = ctx
                .error(
                    toml.metric.span(),
                    "an occurrences metric needs `phrases` or `patterns`",
                )
                .expected("phrases = [\"…\"] or patterns = ['…']: the wording to count")
                .hint("add the wording whose occurrences are counted");
            ctx.report(d);
            ok = false;
        }
        ok &= !missing_key;
        let min = bound(ctx, toml.min.as_ref(), metric, &mut ok);
        let max = bound(ctx, toml.max.as_ref(), metric, &mut ok);
        if min.is_none() && max.is_none() && ok {
            let bounds = if metric.takes_min() {
                "`min` or `max`"
            } else {
                "`max`"
            };
            let d = ctx
                .error(toml.metric.span(), format!("a {name} metric needs {bounds}"))
                .expected(format!("the keys of metric = \"{name}\": {}", keys_of(metric)))
                .hint(format!("bounds are in {}", metric.unit()));
            ctx.report(d);
            ok = false;
        }
        if let (Some(lo), Some(hi), Some(span)) = (min, max, toml.max.as_ref().map(Spanned::span))
            && lo > hi
        {
            let d = ctx
                .error(span, format!("`max` = {hi} is below `min` = {lo}"))
                .expected("min <= max")
                .hint("swap the two bounds");
            ctx.report(d);
            ok = false;
        }
        let phrases = ctx.phrases(&toml.phrases, MATCH);
        let patterns = ctx.patterns(&toml.patterns, MATCH);
        let unless = Unless::compile(toml.unless.as_ref(), UNLESS, ctx);
        ok &= unless.is_some();
        ok.then(|| Metric {
            metric,
            speakers: toml
                .speaker
                .as_ref()
                .map_or(SpeakerToml::Agent, |s| *s.get_ref())
                .into(),
            min,
            max,
            per_turn: toml.per.as_ref().is_some_and(|p| *p.get_ref() == PerToml::Turn),
            phrases,
            patterns,
            unless: unless.unwrap_or_default(),
            key: toml.key.as_ref().map(|k| k.get_ref().clone()),
        })
    }

    fn evaluate(&self, ctx: &EvalCtx<'_>, findings: &mut Vec<Finding>) -> Outcome {
        let transcript = ctx.transcript;
        let textual = matches!(
            self.metric,
            MetricName::TurnLength | MetricName::Occurrences | MetricName::Metadata
        );
        if transcript.kind == TranscriptKind::Template && !textual {
            return ctx.not_applicable(|| {
                format!(
                    "reply templates have no timing to measure {}",
                    self.metric.as_str()
                )
            });
        }
        let own = ctx.turns.of(self.speakers);
        if own.is_empty() && self.metric != MetricName::Silence {
            return ctx.not_applicable(|| format!("the transcript has no turns by {}", self.speakers));
        }
        let m = Measure { rule: self, ctx, own };
        let result = match self.metric {
            MetricName::SpeechRate if self.per_turn => m.speech_rate_per_turn(findings),
            MetricName::SpeechRate => m.speech_rate(findings),
            MetricName::Interruptions => m.interruptions(findings),
            MetricName::TalkShare => m.talk_share(findings),
            MetricName::Silence => m.silence(findings),
            MetricName::ResponseTime => m.response_time(findings),
            MetricName::TurnLength => m.turn_length(findings),
            MetricName::Occurrences => m.occurrences(findings),
            MetricName::Metadata => m.metadata(findings),
        };
        match result {
            Ok(()) => Outcome::Applicable,
            Err(reason) => ctx.not_applicable(|| reason),
        }
    }

    fn settings(&self) -> Vec<(&'static str, String)> {
        let mut out = vec![("metric", self.metric.as_str().to_string())];
        if self.metric != MetricName::Silence {
            out.push(("speaker", self.speakers.as_str().to_string()));
        }
        if self.metric == MetricName::SpeechRate {
            out.push(("per", if self.per_turn { "turn" } else { "call" }.to_string()));
        }
        let unit = self.metric.unit();
        if let Some(min) = self.min {
            out.push(("min", format!("{} {unit}", number(min))));
        }
        if let Some(max) = self.max {
            out.push(("max", format!("{} {unit}", number(max))));
        }
        if !self.phrases.is_empty() {
            out.push(("phrases", quote_list(&self.phrases, usize::MAX)));
        }
        if !self.patterns.is_empty() {
            out.push(("patterns", quote_list(&self.patterns, usize::MAX)));
        }
        if !self.unless.is_empty() {
            out.push(("unless", self.unless.describe()));
        }
        if let Some(key) = &self.key {
            out.push(("key", key.clone()));
        }
        out
    }

    fn example_role(&self) -> Role {
        self.speakers.example_role()
    }
}

/// The keys a metric takes, for error messages.
fn keys_of(metric: MetricName) -> &'static str {
    match metric {
        MetricName::SpeechRate => "speaker, min, max, per",
        MetricName::TalkShare => "speaker, min, max",
        MetricName::Occurrences => "speaker, phrases, patterns, min, max",
        MetricName::Silence => "max",
        MetricName::Metadata => "key, min, max",
        MetricName::Interruptions | MetricName::ResponseTime | MetricName::TurnLength => "speaker, max",
    }
}

/// Validates one bound: not negative, a percentage for talk share, whole for counts.
fn bound(
    ctx: &mut CompileCtx<'_>,
    value: Option<&Spanned<f64>>,
    metric: MetricName,
    ok: &mut bool,
) -> Option<f64> {
    let value = value?;
    let v = *value.get_ref();
    let problem = if !v.is_finite() || v < 0.0 {
        Some(("a number of 0 or more", "bounds cannot be negative"))
    } else if metric == MetricName::TalkShare && v > 100.0 {
        Some((
            "a percentage from 0 to 100",
            "talk share is in percent: max = 70 means 70%",
        ))
    } else if matches!(
        metric,
        MetricName::Interruptions | MetricName::Occurrences | MetricName::TurnLength
    ) && v.fract() != 0.0
    {
        Some(("a whole number", "this metric counts things"))
    } else {
        None
    };
    match problem {
        Some((expected, hint)) => {
            let d = ctx
                .error(value.span(), format!("invalid bound {v} for {}", metric.as_str()))
                .expected(expected)
                .hint(hint);
            ctx.report(d);
            *ok = false;
            None
        }
        None => Some(v),
    }
}

/// `150`, `2.5`.
fn number(v: f64) -> String {
    if v.fract() == 0.0 {
        format!("{v:.0}")
    } else {
        format!("{v:.1}")
    }
}
