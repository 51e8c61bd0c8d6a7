//! Which turns a rule looks at: the speaker filter and the position window.

use std::borrow::Cow;
use std::fmt;
use std::ops::Range;

use crate::normalize::text_units;
use crate::problem::Problem;
use crate::rules::readback::hint::{TextHint, text_hint};
use crate::rules::schema::{SpeakerToml, WindowToml};
use crate::rules::utterance::{accepts_closing, is_filler_folded, utterances};
use crate::transcript::{Millis, Role, Transcript, TranscriptKind};

/// Whose turns a rule looks at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Speakers {
    /// Turns by one role.
    Role(Role),
    /// Every turn.
    Any,
}

impl Speakers {
    /// True when a turn by `role` is looked at.
    pub fn matches(self, role: Role) -> bool {
        match self {
            Speakers::Role(r) => r == role,
            Speakers::Any => true,
        }
    }

    /// The role a one-line example's turn is given.
    pub fn example_role(self) -> Role {
        match self {
            Speakers::Role(r) => r,
            Speakers::Any => Role::Agent,
        }
    }

    /// `agent`, `customer` or `any`.
    pub fn as_str(self) -> &'static str {
        match self {
            Speakers::Role(role) => role.as_str(),
            Speakers::Any => "any",
        }
    }
}

impl From<SpeakerToml> for Speakers {
    fn from(value: SpeakerToml) -> Self {
        match value {
            SpeakerToml::Agent => Speakers::Role(Role::Agent),
            SpeakerToml::Customer => Speakers::Role(Role::Customer),
            SpeakerToml::System => Speakers::Role(Role::System),
            SpeakerToml::Any => Speakers::Any,
        }
    }
}

impl fmt::Display for Speakers {
    /// "the agent", "the customer", "any speaker".
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Speakers::Role(role) => write!(f, "the {role}"),
            Speakers::Any => f.write_str("any speaker"),
        }
    }
}

/// The part of the call a rule looks at.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Window {
    /// The whole call.
    Whole,
    /// The speaker's first N turns.
    FirstTurns(usize),
    /// The speaker's last N turns.
    LastTurns(usize),
    /// The speaker's last N turns, when the speaker has the last word: only the other side's
    /// acknowledgements, thanks or goodbyes follow them.
    FinalTurns(usize),
    /// Turns starting within this time of the start of the call.
    FirstSeconds(Millis),
    /// Turns starting within this time of the end of the call.
    LastSeconds(Millis),
}

/// The turns a rule looks at in one transcript.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Selection<'a> {
    /// Indices of the selected turns, ascending.
    pub turns: Cow<'a, [usize]>,
    /// Where a "missing" finding points: the window's first turn, or the speaker's first turn
    /// when the window holds none of the speaker's turns.
    pub anchor: usize,
}

impl Selection<'_> {
    /// True when turn `index` is selected.
    pub fn contains(&self, index: usize) -> bool {
        self.turns.binary_search(&index).is_ok()
    }
}

/// A turn's length as [`TurnIndex::units`] gives it, kept small.
type Units = (u32, u32);

/// A transcript's turns grouped by role, built once per transcript and shared by every rule,
/// with each turn's length and the utterances worked out once on first use.
#[derive(Clone, Debug, Default)]
pub struct TurnIndex<'f> {
    all: Vec<usize>,
    by_role: [Vec<usize>; 4],
    /// Each turn's length once worked out: most calls have times, and their metrics measure
    /// only one speaker's turns.
    units: std::cell::OnceCell<Vec<std::cell::Cell<Option<Units>>>>,
    hints: std::cell::OnceCell<Vec<TextHint>>,
    utterances: std::cell::OnceCell<Utterances>,
    /// Each turn's text under the default profile, as the matcher folded it.
    folded: Option<&'f [String]>,
    /// The same, folded here on first use when the matcher did not keep them.
    own_folded: std::cell::OnceCell<Vec<String>>,
}

/// One utterance: its turns, and whether it is only a back-channel or filler.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Utterance {
    /// Indices of its turns (consecutive).
    pub turns: Range<usize>,
    /// Only a back-channel or filler ("okay", 嗯): looked at, but not counted by windows.
    pub filler: bool,
}

/// A transcript's utterances, in call order, by role, and for each turn.
#[derive(Clone, Debug, Default)]
struct Utterances {
    all: Vec<Utterance>,
    /// Indices into `all`, per role.
    by_role: [Vec<u32>; 4],
    /// Index into `all` of each turn's utterance.
    of_turn: Vec<u32>,
    /// The turns of each utterance, in call order (as [`utterances`] returns them).
    ranges: Vec<Range<usize>>,
}

impl<'f> TurnIndex<'f> {
    /// Indexes a transcript's turns.
    pub fn new(transcript: &Transcript) -> Self {
        let mut index = TurnIndex {
            all: (0..transcript.turns.len()).collect(),
            ..TurnIndex::default()
        };
        // Counted first, so each role's list is allocated once.
        let mut counts = [0; 4];
        for turn in &transcript.turns {
            counts[turn.speaker.role as usize] += 1;
        }
        for (turns, count) in index.by_role.iter_mut().zip(counts) {
            turns.reserve_exact(count);
        }
        for (i, turn) in transcript.turns.iter().enumerate() {
            index.by_role[turn.speaker.role as usize].push(i);
        }
        index
    }

    /// Indexes a transcript's turns whose texts the matcher has already folded with the
    /// default profile (one string per turn, see [`Scratch::folded_turns`]); without them, or
    /// when their count does not match, turns are folded here on first use.
    ///
    /// [`Scratch::folded_turns`]: crate::matcher::Scratch::folded_turns
    pub fn with_folded(transcript: &Transcript, folded: Option<&'f [String]>) -> Self {
        let mut index = TurnIndex::new(transcript);
        index.folded = folded.filter(|f| f.len() == transcript.turns.len());
        index
    }

    /// A turn's text folded by the default [`Profile`](crate::normalize::Profile), as filler
    /// and quotation checks compare it.
    pub fn folded(&self, transcript: &Transcript, turn: usize) -> &str {
        let folded = match self.folded {
            Some(folded) => folded,
            None => self.own_folded.get_or_init(|| {
                let profile = crate::normalize::Profile::default();
                transcript
                    .turns
                    .iter()
                    .map(|t| crate::normalize::normalize(&profile, &t.text))
                    .collect()
            }),
        };
        folded.get(turn).map_or("", String::as_str)
    }

    /// A turn's length: (CJK characters, Latin words), see [`text_units`]; counted once per
    /// transcript, on first use.
    pub fn units(&self, transcript: &Transcript, turn: usize) -> (usize, usize) {
        let units = self
            .units
            .get_or_init(|| vec![std::cell::Cell::new(None); transcript.turns.len()]);
        let (Some(known), Some(t)) = (units.get(turn), transcript.turns.get(turn)) else {
            return (0, 0);
        };
        let (cjk, words) = known.get().unwrap_or_else(|| {
            let (cjk, words) = text_units(&t.text);
            let counted = (cjk as u32, words as u32);
            known.set(Some(counted));
            counted
        });
        (cjk as usize, words as usize)
    }

    /// A turn's [`TextHint`] (digits and masks it may hold), worked out once per transcript for
    /// every read-back and pii rule.
    pub fn hint(&self, transcript: &Transcript, turn: usize) -> TextHint {
        let hints = self
            .hints
            .get_or_init(|| transcript.turns.iter().map(|t| text_hint(&t.text)).collect());
        hints.get(turn).copied().unwrap_or_default()
    }

    /// The turns' hints, when a rule worked them out ([`TurnIndex::hint`]): `--redact` needs
    /// them again for the values it masks.
    pub(crate) fn take_hints(&mut self) -> Option<Vec<TextHint>> {
        self.hints.take()
    }

    /// The transcript's utterances (see [`utterances`]), worked out once per transcript for
    /// every rule that reads speech across the recogniser's pauses.
    pub fn utterances(&self, transcript: &Transcript) -> &[Range<usize>] {
        &self.utterance_index(transcript).ranges
    }

    /// The turns of a speaker, ascending.
    pub fn of(&self, speakers: Speakers) -> &[usize] {
        match speakers {
            Speakers::Role(role) => &self.by_role[role as usize],
            Speakers::Any => &self.all,
        }
    }

    fn utterance_index(&self, transcript: &Transcript) -> &Utterances {
        self.utterances.get_or_init(|| {
            let mut index = Utterances {
                of_turn: vec![0; transcript.turns.len()],
                ..Utterances::default()
            };
            index.ranges = utterances(transcript);
            for turns in index.ranges.iter().cloned() {
                let id = index.all.len() as u32;
                let role = transcript.turns[turns.start].speaker.role;
                let filler = turns
                    .clone()
                    .all(|i| is_filler_folded(&transcript.turns[i].text, self.folded(transcript, i)));
                for i in turns.clone() {
                    index.of_turn[i] = id;
                }
                index.by_role[role as usize].push(id);
                index.all.push(Utterance { turns, filler });
            }
            index
        })
    }

    /// A speaker's utterances, in call order.
    pub fn utterances_of<'s>(
        &'s self,
        transcript: &Transcript,
        speakers: Speakers,
    ) -> Box<dyn DoubleEndedIterator<Item = &'s Utterance> + 's> {
        let index = self.utterance_index(transcript);
        match speakers {
            Speakers::Role(role) => Box::new(
                index.by_role[role as usize]
                    .iter()
                    .map(|&u| &index.all[u as usize]),
            ),
            Speakers::Any => Box::new(index.all.iter()),
        }
    }

    /// The utterance a turn belongs to.
    pub fn utterance_of(&self, transcript: &Transcript, turn: usize) -> &Utterance {
        let index = self.utterance_index(transcript);
        &index.all[index.of_turn[turn] as usize]
    }

    /// The turns of up to `n` counted utterances of a speaker (fillers are included but not
    /// counted), taken from `utterances` in the order given; returned ascending.
    pub fn take_utterances<'u>(utterances: impl Iterator<Item = &'u Utterance>, n: usize) -> Vec<usize> {
        let mut turns: Vec<usize> = Vec::new();
        let mut counted = 0;
        for utterance in utterances {
            if counted == n {
                break;
            }
            turns.extend(utterance.turns.clone());
            counted += usize::from(!utterance.filler);
        }
        turns.sort_unstable();
        turns
    }
}

impl Window {
    /// Builds a window from its TOML form; `Err` says what is wrong.
    pub fn from_toml(toml: &WindowToml) -> Result<Window, Problem> {
        let set = [
            toml.first_turns.is_some(),
            toml.last_turns.is_some(),
            toml.final_turns.is_some(),
            toml.first_seconds.is_some(),
            toml.last_seconds.is_some(),
        ]
        .iter()
        .filter(|&&b| b)
        .count();
        if set != 1 {
            return Err(if set == 0 {
                "the window is empty".into()
            } else {
                "the window sets more than one key".into()
            });
        }
        let seconds = |s: f64| {
            Millis::from_secs_f64(s)
                .filter(|m| m.0 > 0)
                .ok_or_else(|| Problem::new(format!("{s} is not a positive number of seconds")))
        };
        let turns = |n: u32| {
            if n == 0 {
                Err(Problem::new("0 turns selects nothing"))
            } else {
                Ok(n as usize)
            }
        };
        if let Some(n) = toml.first_turns {
            return turns(n).map(Window::FirstTurns);
        }
        if let Some(n) = toml.last_turns {
            return turns(n).map(Window::LastTurns);
        }
        if let Some(n) = toml.final_turns {
            return turns(n).map(Window::FinalTurns);
        }
        if let Some(s) = toml.first_seconds {
            return seconds(s).map(Window::FirstSeconds);
        }
        seconds(toml.last_seconds.unwrap_or_default()).map(Window::LastSeconds)
    }

    /// True when the window needs turn timestamps.
    pub fn needs_times(self) -> bool {
        matches!(self, Window::FirstSeconds(_) | Window::LastSeconds(_))
    }

    /// The speaker's turns inside the window; `Err` gives the reason the rule does not apply.
    pub fn select(self, transcript: &Transcript, speakers: Speakers) -> Result<Selection<'static>, Problem> {
        let index = TurnIndex::new(transcript);
        self.select_in(&index, transcript, speakers).map(|s| Selection {
            turns: Cow::Owned(s.turns.into_owned()),
            anchor: s.anchor,
        })
    }

    /// Like [`Window::select`], with the transcript's turns already indexed; turn windows
    /// borrow from the index instead of allocating.
    pub fn select_in<'a>(
        self,
        index: &'a TurnIndex<'_>,
        transcript: &Transcript,
        speakers: Speakers,
    ) -> Result<Selection<'a>, Problem> {
        let own = index.of(speakers);
        let Some(&first_own) = own.first() else {
            return Err(format!("the transcript has no turns by {speakers}").into());
        };
        let turns: Cow<'a, [usize]> = match self {
            Window::Whole => Cow::Borrowed(own),
            Window::FirstTurns(n) => Cow::Owned(TurnIndex::take_utterances(
                index.utterances_of(transcript, speakers),
                n,
            )),
            Window::LastTurns(n) | Window::FinalTurns(n) => {
                // Once the other party has hung up, nobody hears the rest: the window ends there.
                let left = transcript
                    .ended_by
                    .filter(|e| !speakers.matches(e.role))
                    .and_then(|e| e.time);
                let heard = |u: &&Utterance| {
                    left.is_none_or(|at| transcript.turns[u.turns.start].start.is_none_or(|s| s <= at))
                };
                if let Window::FinalTurns(_) = self {
                    let last = index.utterances_of(transcript, speakers).rev().find(heard);
                    let after = last.map_or(0, |u| u.turns.end);
                    // What counts is the other party answering more than an acceptance while
                    // still on the line; the speaker's own unheard words and a system voice do not.
                    let spoke_after = |i: usize| {
                        let turn = &transcript.turns[i];
                        let heard = left.is_none_or(|at| turn.start.is_none_or(|s| s <= at));
                        heard
                            && !speakers.matches(turn.speaker.role)
                            && turn.speaker.role != Role::System
                            && !accepts_closing(&turn.text)
                    };
                    if let Some(other) = (after..transcript.turns.len()).find(|&i| spoke_after(i)) {
                        return Err(format!(
                            "{speakers} did not close the conversation: the {} spoke after them (turn {})",
                            transcript.turns[other].speaker.role,
                            other + 1
                        )
                        .into());
                    }
                }
                Cow::Owned(TurnIndex::take_utterances(
                    index.utterances_of(transcript, speakers).rev().filter(heard),
                    n,
                ))
            }
            Window::FirstSeconds(limit) | Window::LastSeconds(limit) => {
                if transcript.kind == TranscriptKind::Template {
                    return Err("the window is in seconds and reply templates have no times".into());
                }
                if !transcript.has_times() {
                    return Err("the window is in seconds and the transcript has no timestamps".into());
                }
                let starts = effective_starts(transcript);
                let end = transcript.end_time().unwrap_or_default();
                Cow::Owned(
                    own.iter()
                        .copied()
                        .filter(|&i| match self {
                            Window::FirstSeconds(_) => starts[i] <= limit,
                            _ => starts[i].0 + limit.0 >= end.0,
                        })
                        .collect(),
                )
            }
        };
        let anchor = turns.first().copied().unwrap_or(first_own);
        Ok(Selection { turns, anchor })
    }
}

/// Each turn's start time, carrying the last known time forward over untimed turns.
pub(crate) fn effective_starts(transcript: &Transcript) -> Vec<Millis> {
    let mut last = Millis(0);
    transcript
        .turns
        .iter()
        .map(|t| {
            if let Some(start) = t.start {
                last = start;
            }
            last
        })
        .collect()
}

impl Window {
    /// Describes the window for messages: "the agent's first turn".
    pub fn describe(self, speakers: Speakers) -> String {
        let whose = match speakers {
            Speakers::Role(role) => format!("the {role}'s"),
            Speakers::Any => "the".to_string(),
        };
        match self {
            Window::Whole => format!("{whose} turns"),
            Window::FirstTurns(1) => format!("{whose} first turn"),
            Window::FirstTurns(n) => format!("{whose} first {n} turns"),
            Window::LastTurns(1) => format!("{whose} last turn"),
            Window::LastTurns(n) => format!("{whose} last {n} turns"),
            Window::FinalTurns(1) => format!("{whose} closing turn"),
            Window::FinalTurns(n) => format!("{whose} closing {n} turns"),
            Window::FirstSeconds(m) => format!("{whose} turns in the first {} s", m.as_secs_f64()),
            Window::LastSeconds(m) => format!("{whose} turns in the last {} s", m.as_secs_f64()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::matcher::{MatcherBuilder, Scratch, Target};
    use crate::normalize::Profile;
    use crate::rules::utterance::is_filler;
    use crate::transcript::{ParseOptions, plain};

    fn transcript(text: &str) -> Transcript {
        plain::parse(text, &ParseOptions::default()).unwrap()
    }

    const CALL: &str = "[00:00:01] Agent: a1\n[00:00:05] Customer: c1\n[00:00:20] Agent: a2\n\
                        [00:00:40] Customer: c2\n[00:00:55] Agent: a3\n[00:01:00] <hangup by=customer>\n";
    const AGENT: Speakers = Speakers::Role(Role::Agent);

    proptest::proptest! {
        // Filler flags read from the matcher's folds are those of folding each turn anew.
        #[test]
        fn fillers_from_the_matcher_folds_are_fillers_folded_anew(
            turns in proptest::collection::vec((0..2usize, proptest::sample::select(vec![
                "okay", "Mm-hmm.", "好的好的", "嗯，", "i see", "so", "I see the problem", "您好",
                "H", "OK, bye", "謝謝", "Got it.", "ＯＫ",
            ])), 1..8)
        ) {
            let text: String = turns
                .iter()
                .map(|(who, said)| format!("{}: {said}\n", ["Agent", "Customer"][*who]))
                .collect();
            let t = transcript(&text);
            let mut builder = MatcherBuilder::new();
            let p = builder.profile(Profile::default());
            builder
                .add_phrase(p, "hello", Target { rule: 0, slot: 0 }, crate::matcher::Origin::Written)
                .unwrap();
            let mut scratch = Scratch::default();
            builder.build().unwrap().scan(&t, &mut scratch);
            proptest::prop_assert!(scratch.folded_turns().is_some());
            let index = TurnIndex::with_folded(&t, scratch.folded_turns());
            let flags: Vec<bool> = index.utterances_of(&t, Speakers::Any).map(|u| u.filler).collect();
            let expected: Vec<bool> = utterances(&t)
                .into_iter()
                .map(|mut turns| turns.all(|i| is_filler(&t.turns[i].text)))
                .collect();
            proptest::prop_assert_eq!(flags, expected);
        }
    }

    #[test]
    fn folds_are_used_only_when_there_is_one_per_turn() {
        let t = transcript("Agent: Hello there\nCustomer: ＯＫ\n");
        let given = ["given".to_string(), "folds".to_string()];
        assert_eq!(TurnIndex::with_folded(&t, Some(&given)).folded(&t, 1), "folds");
        let index = TurnIndex::with_folded(&t, Some(&given[..1]));
        assert_eq!(index.folded(&t, 0), "hello there");
        assert_eq!(index.folded(&t, 1), "ok");
    }

    #[test]
    fn final_turns_need_the_last_word_of_the_conversation_still_on_the_line() {
        // The customer answers more than an acceptance: the agent did not close.
        let t = transcript("Agent: Anything else?\nCustomer: Yes, one more thing about my card.\n");
        let err = Window::FinalTurns(1).select(&t, AGENT).unwrap_err();
        assert!(err.message().contains("did not close the conversation"), "{err}");
        // Words the agent says after the customer hung up, and a system voice, do not undo the
        // closing: the closing is the last utterance the customer heard.
        let t = transcript(
            "[00:00:01] Agent: Anything else I can help with?\n[00:00:06] Customer: No, thanks.\n\
             [00:00:07] <hangup by=customer>\n[00:00:09] Agent: Hello? Are you still there?\n\
             [00:00:12] System: This call has ended.\n",
        );
        assert_eq!(Window::FinalTurns(1).select(&t, AGENT).unwrap().turns[..], [0]);
    }

    #[test]
    fn turn_windows() {
        let t = transcript(CALL);
        assert_eq!(Window::Whole.select(&t, AGENT).unwrap().turns[..], [0, 2, 4]);
        assert_eq!(Window::FirstTurns(1).select(&t, AGENT).unwrap().turns[..], [0]);
        assert_eq!(
            Window::FirstTurns(9).select(&t, AGENT).unwrap().turns[..],
            [0, 2, 4]
        );
        assert_eq!(Window::LastTurns(2).select(&t, AGENT).unwrap().turns[..], [2, 4]);
        assert_eq!(
            Window::Whole.select(&t, Speakers::Any).unwrap().turns[..],
            [0, 1, 2, 3, 4]
        );
    }

    #[test]
    fn second_windows() {
        let t = transcript(CALL);
        let first = Window::FirstSeconds(Millis(20_000)).select(&t, AGENT).unwrap();
        assert_eq!(first.turns[..], [0, 2]);
        // The call ends at the hangup (60 s): the last 10 s start at 50 s.
        let last = Window::LastSeconds(Millis(10_000)).select(&t, AGENT).unwrap();
        assert_eq!(last.turns[..], [4]);
    }

    #[test]
    fn empty_window_anchors_at_the_speakers_first_turn() {
        let t = transcript("[00:00:30] Customer: hello?\n[00:00:40] Agent: hi\n");
        let s = Window::FirstSeconds(Millis(10_000)).select(&t, AGENT).unwrap();
        assert!(s.turns.is_empty());
        assert_eq!(s.anchor, 1);
    }

    #[test]
    fn not_applicable_without_speaker_turns_or_times() {
        let t = transcript("Customer: hello?\n");
        assert!(
            Window::Whole
                .select(&t, AGENT)
                .unwrap_err()
                .message()
                .contains("no turns by the agent")
        );
        let t = transcript("Agent: hi\n");
        assert!(
            Window::FirstSeconds(Millis(5_000))
                .select(&t, AGENT)
                .unwrap_err()
                .message()
                .contains("no timestamps")
        );
        let mut template = transcript("[00:00:01] Agent: hi\n");
        template.kind = TranscriptKind::Template;
        assert!(
            Window::LastSeconds(Millis(5_000))
                .select(&template, AGENT)
                .unwrap_err()
                .message()
                .contains("reply templates have no times")
        );
    }

    #[test]
    fn window_from_toml_is_validated() {
        let ok = WindowToml {
            last_turns: Some(3),
            ..WindowToml::default()
        };
        assert_eq!(Window::from_toml(&ok), Ok(Window::LastTurns(3)));
        let both = WindowToml {
            first_turns: Some(1),
            last_turns: Some(1),
            ..WindowToml::default()
        };
        assert!(
            Window::from_toml(&both)
                .unwrap_err()
                .message()
                .contains("more than one")
        );
        let zero = WindowToml {
            first_turns: Some(0),
            ..WindowToml::default()
        };
        assert!(Window::from_toml(&zero).is_err());
        let negative = WindowToml {
            first_seconds: Some(-3.0),
            ..WindowToml::default()
        };
        assert!(Window::from_toml(&negative).is_err());
        assert!(
            Window::from_toml(&WindowToml::default())
                .unwrap_err()
                .message()
                .contains("empty")
        );
    }

    #[test]
    fn descriptions() {
        assert_eq!(Window::FirstTurns(1).describe(AGENT), "the agent's first turn");
        assert_eq!(Window::LastTurns(3).describe(AGENT), "the agent's last 3 turns");
        assert_eq!(Window::Whole.describe(Speakers::Any), "the turns");
    }
}
