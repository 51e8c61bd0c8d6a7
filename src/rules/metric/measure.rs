//! Measuring one transcript for a `[[metric]]` rule: each metric is one method of [`Measure`].

use super::{
    MATCH, MIN_CALL_SPEECH, MIN_CALL_UNITS, MIN_TURN_SPEECH, MIN_TURN_UNITS, Metric, OVERLAP_TOLERANCE,
    number,
};
use crate::finding::Finding;
use crate::matcher::Hit;
use crate::rules::utterance::{MAX_PAUSE, is_acknowledgement};
use crate::rules::{EvalCtx, quote_list};
use crate::transcript::{Millis, Role, Transcript, Turn};

/// Two turns starting this close together started at once: neither interrupted the other.
const SIMULTANEOUS: Millis = Millis(500);

/// `42 s`, `1.5 s`.
fn seconds(m: Millis) -> String {
    let s = m.as_secs_f64();
    if (s - s.round()).abs() < 0.05 {
        format!("{s:.0} s")
    } else {
        format!("{s:.1} s")
    }
}

/// "characters" when CJK characters dominate, "words" otherwise.
fn unit_name(cjk: usize, words: usize) -> &'static str {
    if cjk >= words { "characters" } else { "words" }
}

/// A turn's spoken duration, when it has a start and a later end.
fn duration(turn: &Turn) -> Option<Millis> {
    match (turn.start, turn.end) {
        (Some(s), Some(e)) if e > s => Some(Millis(e.0 - s.0)),
        _ => None,
    }
}

/// One metric rule measuring one transcript.
pub(super) struct Measure<'a> {
    /// The rule.
    pub(super) rule: &'a Metric,
    /// The transcript and the rule's hits.
    pub(super) ctx: &'a EvalCtx<'a>,
    /// Indices of the speaker's turns.
    pub(super) own: &'a [usize],
}

impl Measure<'_> {
    fn transcript(&self) -> &Transcript {
        self.ctx.transcript
    }

    /// A turn's length, counted once per transcript for all metric rules.
    fn units(&self, turn: usize) -> (usize, usize) {
        self.ctx.turns.units(self.ctx.transcript, turn)
    }

    /// A finding at a turn whose message ends with the measurement.
    fn at_turn(&self, turn: usize, default: &str, measured: String) -> Finding {
        let mut f = self.ctx.finding_at_turn(turn, || default.to_string());
        f.message = format!("{} ({measured})", f.message);
        f
    }

    /// `measured 185 characters/min; maximum 150` when out of bounds. The unit is written only
    /// then: most turns measured are within bounds.
    fn out_of_bounds(&self, value: f64, unit: impl std::fmt::Display) -> Option<String> {
        if let Some(max) = self.rule.max
            && value > max
        {
            return Some(format!(
                "measured {}{unit}; maximum {}{unit}",
                number(value),
                number(max)
            ));
        }
        if let Some(min) = self.rule.min
            && value < min
        {
            return Some(format!(
                "measured {}{unit}; minimum {}{unit}",
                number(value),
                number(min)
            ));
        }
        None
    }

    pub(super) fn speech_rate(&self, findings: &mut Vec<Finding>) -> Result<(), String> {
        let turns = &self.transcript().turns;
        let timed: Vec<(usize, Millis)> = self
            .own
            .iter()
            .filter_map(|&i| duration(&turns[i]).map(|d| (i, d)))
            .collect();
        let Some(&(first, _)) = timed.first() else {
            return Err("speech rate needs turn end times: [start-end] timestamps".into());
        };
        let total = self.floor_time(&timed);
        if total < MIN_CALL_SPEECH {
            return Err(format!(
                "{} has only {} of talk time",
                self.rule.speakers,
                seconds(total)
            ));
        }
        let (cjk, words) = timed
            .iter()
            .map(|&(i, _)| self.units(i))
            .fold((0, 0), |(a, b), (c, w)| (a + c, b + w));
        let name = unit_name(cjk, words);
        if cjk + words < MIN_CALL_UNITS {
            return Err(format!(
                "{} says too little to measure a pace ({} {name})",
                self.rule.speakers,
                cjk + words
            ));
        }
        let rate = (cjk + words) as f64 * 60_000.0 / total.0 as f64;
        if let Some(measured) = self.out_of_bounds(rate.round(), format_args!(" {name}/min")) {
            let mut f = self.at_turn(first, "speech rate out of bounds", measured);
            f.note = Some(format!(
                "{} {name} in {} of talk time over {} turns",
                cjk + words,
                seconds(total),
                timed.len()
            ));
            findings.push(f);
        }
        Ok(())
    }

    /// The speaker's talk time: consecutive timed turns with no other party's turn between
    /// them count from the first one's start to the last one's end, because speech recognisers
    /// split a speaker's turn at every pause and the pauses are part of the pace.
    fn floor_time(&self, timed: &[(usize, Millis)]) -> Millis {
        let turns = &self.transcript().turns;
        let other = |j: usize| {
            turns[j].speaker.role != Role::System && !self.rule.speakers.matches(turns[j].speaker.role)
        };
        let mut total = 0u64;
        let mut span: Option<(usize, Millis, Millis)> = None; // (last turn, start, end)
        for &(i, d) in timed {
            let (Some(start), Some(end)) = (turns[i].start, turns[i].end) else {
                total += d.0;
                continue;
            };
            match span {
                // A longer silence (a hold, looking something up) is not speech.
                Some((last, s, e))
                    if !(last + 1..i).any(other) && start >= e && start.0 - e.0 < MAX_PAUSE.0 =>
                {
                    span = Some((i, s, end.max(e)));
                }
                _ => {
                    if let Some((_, s, e)) = span {
                        total += e.0 - s.0;
                    }
                    span = Some((i, start, end));
                }
            }
        }
        if let Some((_, s, e)) = span {
            total += e.0 - s.0;
        }
        Millis(total)
    }

    pub(super) fn speech_rate_per_turn(&self, findings: &mut Vec<Finding>) -> Result<(), String> {
        let turns = &self.transcript().turns;
        let mut measured_any = false;
        for &i in self.own {
            let Some(d) = duration(&turns[i]) else { continue };
            let (cjk, words) = self.units(i);
            if d < MIN_TURN_SPEECH || cjk + words < MIN_TURN_UNITS {
                continue;
            }
            measured_any = true;
            let name = unit_name(cjk, words);
            let rate = (cjk + words) as f64 * 60_000.0 / d.0 as f64;
            if let Some(measured) = self.out_of_bounds(rate.round(), format_args!(" {name}/min")) {
                let mut f = self.at_turn(i, "speech rate out of bounds", measured);
                f.note = Some(format!("{} {name} in {}", cjk + words, seconds(d)));
                findings.push(f);
            }
        }
        if measured_any {
            Ok(())
        } else {
            Err("speech rate needs turns with end times, at least 3 s and 5 characters long".into())
        }
    }

    pub(super) fn interruptions(&self, findings: &mut Vec<Finding>) -> Result<(), String> {
        let turns = &self.transcript().turns;
        let other = |t: &Turn| t.speaker.role != Role::System && !self.rule.speakers.matches(t.speaker.role);
        if !turns.iter().any(|t| other(t) && t.end.is_some()) {
            return Err("interruptions need end times for the other party's turns".into());
        }
        let mut found: Vec<(usize, usize, Millis, Millis)> = Vec::new();
        for &i in self.own {
            let Some(start) = turns[i].start else { continue };
            // The other party's latest turn before this one.
            let Some(j) = (0..i).rev().find(|&j| other(&turns[j])) else {
                continue;
            };
            // Both starting at once is not cutting in: the other party must have been talking.
            // (Timing is checked first: it is cheap, and most turns do not overlap at all.)
            let Some(end) = turns[j].end else { continue };
            if end.0 <= start.0 + OVERLAP_TOLERANCE.0
                || turns[j].start.is_some_and(|s| s.0 + SIMULTANEOUS.0 > start.0)
            {
                continue;
            }
            // "oh", "mm-hmm", "thank you" said over the other party is listening, not
            // interrupting; talking over the other party's own back-channel ("okay") takes
            // nothing from them.
            if is_acknowledgement(&turns[i].text) || is_acknowledgement(&turns[j].text) {
                continue;
            }
            found.push((i, j, start, end));
        }
        let max = self.rule.max.unwrap_or(0.0) as usize;
        let count = found.len();
        for &(i, j, start, end) in found.iter().skip(max) {
            let plural = if count == 1 { "" } else { "s" };
            let measured = format!("measured {count} interruption{plural}; maximum {max}");
            let mut f = self.at_turn(i, "interrupted the other party", measured);
            f.note = Some(format!(
                "turn {} started at {start}, {} before the {}'s turn {} ended at {end}",
                i + 1,
                seconds(Millis(end.0 - start.0)),
                turns[j].speaker.role,
                j + 1
            ));
            findings.push(f);
        }
        Ok(())
    }

    pub(super) fn talk_share(&self, findings: &mut Vec<Finding>) -> Result<(), String> {
        let turns = &self.transcript().turns;
        let talking: Vec<usize> = (0..turns.len())
            .filter(|&i| turns[i].speaker.role != Role::System)
            .collect();
        let timed = talking.iter().all(|&i| duration(&turns[i]).is_some());
        let size = |i: usize| -> f64 {
            if timed {
                duration(&turns[i]).map_or(0.0, |d| d.0 as f64)
            } else {
                let (c, w) = self.units(i);
                (c + w) as f64
            }
        };
        let total: f64 = talking.iter().map(|&i| size(i)).sum();
        if total <= 0.0 {
            return Err("the transcript has no speech to share".into());
        }
        // An excerpt where only one side speaks says nothing about sharing the conversation.
        if talking.iter().all(|i| self.own.contains(i)) {
            return Err(format!("only {} speaks in the transcript", self.rule.speakers));
        }
        let own: f64 = self.own.iter().map(|&i| size(i)).sum();
        let share = (100.0 * own / total).round();
        let basis = if timed {
            "talk time"
        } else {
            "characters and words"
        };
        if let Some(measured) = self.out_of_bounds(share, "%") {
            let mut f = self.at_turn(
                self.own[0],
                "talk share out of bounds",
                format!("{measured} of {basis}"),
            );
            f.note = Some(format!(
                "{} spoke {share}% of the {basis} ({} of {} turns)",
                self.rule.speakers,
                self.own.len(),
                talking.len()
            ));
            findings.push(f);
        }
        Ok(())
    }

    pub(super) fn silence(&self, findings: &mut Vec<Finding>) -> Result<(), String> {
        let turns = &self.transcript().turns;
        let mut measured = false;
        for i in 1..turns.len() {
            let (Some(end), Some(start)) = (turns[i - 1].end, turns[i].start) else {
                continue;
            };
            measured = true;
            let gap = Millis(start.0.saturating_sub(end.0));
            if let Some(text) = self.out_of_bounds(gap.as_secs_f64(), " s") {
                let mut f = self.at_turn(i, "long silence", text);
                f.note = Some(format!("no one spoke from {end} to {start}"));
                findings.push(f);
            }
        }
        if measured {
            Ok(())
        } else {
            Err("silence needs turn end times: [start-end] timestamps".into())
        }
    }

    pub(super) fn response_time(&self, findings: &mut Vec<Finding>) -> Result<(), String> {
        let turns = &self.transcript().turns;
        let mut measured = false;
        for &i in self.own {
            let Some(prev) = i.checked_sub(1).map(|j| &turns[j]) else {
                continue;
            };
            if self.rule.speakers.matches(prev.speaker.role) || prev.speaker.role == Role::System {
                continue;
            }
            let (Some(start), Some(since)) = (turns[i].start, prev.end.or(prev.start)) else {
                continue;
            };
            measured = true;
            let delay = Millis(start.0.saturating_sub(since.0));
            if let Some(text) = self.out_of_bounds(delay.as_secs_f64(), " s") {
                let mut f = self.at_turn(i, "slow response", text);
                let what = if prev.end.is_some() { "ended" } else { "was sent" };
                f.note = Some(format!(
                    "the {}'s turn {} {what} at {since}; turn {} came at {start}",
                    prev.speaker.role,
                    i,
                    i + 1
                ));
                findings.push(f);
            }
        }
        if measured {
            Ok(())
        } else {
            Err("response time needs timestamps".into())
        }
    }

    pub(super) fn turn_length(&self, findings: &mut Vec<Finding>) -> Result<(), String> {
        for &i in self.own {
            let (cjk, words) = self.units(i);
            let name = unit_name(cjk, words);
            if let Some(text) = self.out_of_bounds((cjk + words) as f64, format_args!(" {name}")) {
                findings.push(self.at_turn(i, "turn too long", text));
            }
        }
        Ok(())
    }

    pub(super) fn occurrences(&self, findings: &mut Vec<Finding>) -> Result<(), String> {
        let mut merged: Vec<Hit> = Vec::new();
        for hit in self.ctx.hits.iter().filter(|h| h.slot == MATCH) {
            let role = self.transcript().turns[hit.turn as usize].speaker.role;
            if !self.rule.speakers.matches(role) || self.rule.unless.excuse(hit, self.ctx).is_some() {
                continue;
            }
            match merged.last_mut() {
                Some(last) if last.turn == hit.turn && hit.start < last.end => {
                    last.end = last.end.max(hit.end)
                }
                _ => merged.push(*hit),
            }
        }
        let count = merged.len();
        let times = if count == 1 { "time" } else { "times" };
        if let Some(max) = self.rule.max
            && count as f64 > max
        {
            let measured = format!("said {count} {times}; maximum {}", number(max));
            for hit in merged.iter().skip(max as usize) {
                let mut f = self.ctx.finding_at_hit(hit, || "said too often".to_string());
                f.message = format!("{} ({measured})", f.message);
                findings.push(f);
            }
        }
        if let Some(min) = self.rule.min
            && (count as f64) < min
        {
            let measured = format!("said {count} {times}; minimum {}", number(min));
            let mut f = self.at_turn(self.own[0], "said too rarely", measured);
            let wording: Vec<String> = self
                .rule
                .phrases
                .iter()
                .chain(&self.rule.patterns)
                .cloned()
                .collect();
            f.note = Some(format!(
                "expected {} in {}'s turns",
                quote_list(&wording, 5),
                self.rule.speakers
            ));
            findings.push(f);
        }
        Ok(())
    }

    pub(super) fn metadata(&self, findings: &mut Vec<Finding>) -> Result<(), String> {
        let key = self.rule.key.as_deref().unwrap_or_default();
        let transcript = self.transcript();
        let value = transcript
            .metadata
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, v)| v.trim())
            .ok_or_else(|| format!("the call does not record `{key}`"))?;
        let number: f64 = value
            .parse()
            .map_err(|_| format!("`{key}` is {value:?}, not a number"))?;
        if let Some(measured) = self.out_of_bounds(number, "") {
            let anchor = self.own.first().copied().unwrap_or(0);
            let mut f = self.at_turn(
                anchor,
                &format!("{key} out of bounds"),
                format!("{key}: {measured}"),
            );
            f.note = Some(format!("the call's metadata records {key} = {value}"));
            findings.push(f);
        }
        Ok(())
    }
}
