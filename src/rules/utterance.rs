//! Utterances: one speaker's consecutive turns read as one stretch of speech.
//!
//! Speech recognisers cut a speaker's speech into turns at every pause, so "seventy nine" /
//! "dollars", or "my number is 415 555" / "0132", arrive as two turns of one sentence. Rules that
//! read what was *said* rather than count turns (read-back so far) look at utterances instead:
//! runs of turns by the same speaker with no other speaker's turn between them and, when the
//! turns have times, no pause of [`MAX_PAUSE`] or more. [`UtteranceText`] joins an utterance's
//! turns and maps offsets in the joined text back to each turn, so findings still point at the
//! line and column where a value starts.

use std::borrow::Cow;
use std::ops::Range;

use crate::transcript::{Millis, Transcript, Turn};

/// The longest pause inside one utterance: 3 s. A recogniser splits turns at pauses of a few
/// hundred milliseconds; a speaker who stays silent for 3 s or more has usually finished.
pub const MAX_PAUSE: Millis = Millis(3_000);

/// The transcript's utterances, in order, as ranges of turn indices that cover every turn once.
///
/// Consecutive turns belong to one utterance when they have the same speaker (role and label)
/// and the pause between them — from the end of the earlier turn (its start when it has no
/// end) to the start of the later — is under [`MAX_PAUSE`]. Turns without times are joined
/// whenever the speaker is the same: nothing says they were apart.
pub fn utterances(transcript: &Transcript) -> Vec<Range<usize>> {
    let turns = &transcript.turns;
    let mut out: Vec<Range<usize>> = Vec::new();
    for (i, turn) in turns.iter().enumerate() {
        match out.last_mut() {
            Some(last) if continues(&turns[last.end - 1], turn) => last.end = i + 1,
            _ => out.push(i..i + 1),
        }
    }
    out
}

/// True when `next` continues `previous`'s utterance (see [`utterances`]).
fn continues(previous: &Turn, next: &Turn) -> bool {
    if previous.speaker != next.speaker {
        return false;
    }
    match (previous.end.or(previous.start), next.start) {
        (Some(before), Some(after)) => after.0.saturating_sub(before.0) < MAX_PAUSE.0,
        _ => true,
    }
}

/// An utterance's text: its turns' texts joined by a space (so digit groups and a number and its
/// currency word said across a pause read as one), with offsets mapped back to each turn.
#[derive(Clone, Debug)]
pub struct UtteranceText<'a> {
    text: Cow<'a, str>,
    /// Index of the utterance's first turn.
    first: usize,
    /// Byte offset in `text` where each turn's text starts; empty for one turn (most
    /// utterances), which needs no map and no allocation.
    starts: Vec<usize>,
}

impl<'a> UtteranceText<'a> {
    /// The text of the turns `range` of `transcript`; a one-turn utterance borrows its text.
    pub fn new(transcript: &'a Transcript, range: Range<usize>) -> Self {
        let turns = &transcript.turns[range.clone()];
        if let [only] = turns {
            return UtteranceText {
                text: Cow::Borrowed(&only.text),
                first: range.start,
                starts: Vec::new(),
            };
        }
        let mut text = String::with_capacity(turns.iter().map(|t| t.text.len() + 1).sum());
        let mut starts = Vec::with_capacity(turns.len());
        for turn in turns {
            if !text.is_empty() {
                text.push(' ');
            }
            starts.push(text.len());
            text.push_str(&turn.text);
        }
        UtteranceText {
            text: Cow::Owned(text),
            first: range.start,
            starts,
        }
    }

    /// The joined text.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The turn (index in the transcript) and the byte offset in that turn's text of byte `at`
    /// of the joined text. An offset on a joining space maps to the end of the turn before it.
    pub fn locate(&self, at: usize) -> (usize, usize) {
        if self.starts.is_empty() {
            return (self.first, at.min(self.text.len()));
        }
        let k = self.starts.partition_point(|&s| s <= at).saturating_sub(1);
        let start = self.starts.get(k).copied().unwrap_or(0);
        let end = self.starts.get(k + 1).map_or(self.text.len(), |&next| next - 1);
        (self.first + k, at.min(end) - start)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transcript::{ParseOptions, plain};

    fn transcript(text: &str) -> Transcript {
        plain::parse(text, &ParseOptions::default()).unwrap()
    }

    #[test]
    fn a_speakers_turns_split_at_short_pauses_are_one_utterance() {
        let t = transcript(
            "[00:00:01] Customer: seventy nine\n[00:00:02] Customer: dollars\n\
             [00:00:04] Agent: seventy nine\n[00:00:05] Agent: dollars\n\
             [00:00:09] Agent: anything else?\n[00:00:10] Customer: no\n",
        );
        // 1 s apart: one utterance; 4 s after the agent's previous turn started: a new one.
        assert_eq!(utterances(&t), [0..2, 2..4, 4..5, 5..6]);
    }

    #[test]
    fn the_pause_runs_from_the_end_of_the_earlier_turn() {
        let t = transcript(
            "[00:00:01-00:00:09] Agent: a long turn\n[00:00:11] Agent: after 2 s\n\
             [00:00:14.500] Agent: after 3.5 s\n",
        );
        assert_eq!(utterances(&t), [0..2, 2..3]);
        // Exactly the limit is a new utterance.
        let t = transcript("[00:00:01] Agent: a\n[00:00:04] Agent: b\n");
        assert_eq!(utterances(&t), [0..1, 1..2]);
    }

    #[test]
    fn untimed_turns_join_by_speaker_and_other_speakers_separate() {
        let t = transcript("Agent: a\nAgent: b\nCustomer: c\nAgent: d\nSupervisor: e\nBoss: f\n");
        assert_eq!(utterances(&t), [0..2, 2..3, 3..4, 4..5, 5..6]);
        assert!(utterances(&transcript("")).is_empty());
    }

    #[test]
    fn joined_text_maps_back_to_each_turn() {
        let t = transcript("Customer: my number is 415 555\nCustomer: 0132 thanks\nAgent: ok\n");
        let u = UtteranceText::new(&t, 0..2);
        assert_eq!(u.as_str(), "my number is 415 555 0132 thanks");
        let at = u.as_str().find("0132").unwrap();
        assert_eq!(u.locate(at), (1, 0));
        assert_eq!(u.locate(u.as_str().find("415").unwrap()), (0, 13));
        // The joining space belongs to the end of the first turn.
        assert_eq!(u.locate(at - 1), (0, t.turns[0].text.len()));
        assert_eq!(u.locate(u.as_str().len()), (1, t.turns[1].text.len()));
        let one = UtteranceText::new(&t, 2..3);
        assert!(matches!(one.text, Cow::Borrowed("ok")));
        assert_eq!(one.locate(1), (2, 1));
    }
}
