//! Timed utterances → turns, the way real exports need it.
//!
//! Speech-to-text and contact-centre exports cut speech into utterances that overlap, arrive out
//! of order and split one speaker's turn into several pieces. [`assemble`] drops noise markers
//! (`[noise]`, `<unk>`), sorts by start time (stable, so simultaneous utterances keep source
//! order; untimed transcripts keep source order), and merges consecutive utterances of one
//! speaker into one turn, joined by a line break. Every piece keeps its source segments, so a
//! finding anywhere in a merged turn still points at its own line and column. Nothing assumes the
//! speakers alternate.

use super::{Millis, Position, Segment, Speaker, Turn, map_offset};

/// One speaker's piece of speech as a format reads it, before sorting and merging.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Utterance {
    /// Who spoke.
    pub speaker: Speaker,
    /// What was said.
    pub text: String,
    /// Source positions of the text, in text order.
    pub segments: Vec<Segment>,
    /// Start time from the start of the call.
    pub start: Option<Millis>,
    /// End time from the start of the call.
    pub end: Option<Millis>,
}

impl Utterance {
    /// An empty utterance.
    pub fn new(speaker: Speaker, start: Option<Millis>, end: Option<Millis>) -> Self {
        Utterance {
            speaker,
            text: String::new(),
            segments: Vec::new(),
            start,
            end,
        }
    }

    /// Appends a piece of text whose segments count offsets from the piece's start; `separator`
    /// goes between it and earlier text.
    pub fn push(&mut self, separator: &str, text: &str, segments: Vec<Segment>) {
        if !self.text.is_empty() && !text.is_empty() {
            self.text.push_str(separator);
        }
        let base = self.text.len();
        self.segments.extend(segments.into_iter().map(|s| Segment {
            text_offset: s.text_offset + base,
            ..s
        }));
        self.text.push_str(text);
    }
}

/// Sorts, cleans and merges utterances into turns (see the module documentation).
pub fn assemble(mut utterances: Vec<Utterance>) -> Vec<Turn> {
    for u in &mut utterances {
        strip_noise(u);
    }
    utterances.retain(|u| !u.text.trim().is_empty());
    if utterances.iter().all(|u| u.start.is_some()) {
        utterances.sort_by_key(|u| u.start);
    }
    let mut turns: Vec<Turn> = Vec::with_capacity(utterances.len());
    for u in utterances {
        let segments = if u.segments.is_empty() {
            // Formats always give text a position; line 1 keeps reports 1-based if one did not.
            vec![Segment {
                text_offset: 0,
                position: Position { line: 1, column: 1 },
                verbatim: false,
            }]
        } else {
            u.segments
        };
        if let Some(last) = turns.last_mut()
            && last.speaker == u.speaker
        {
            last.text.push('\n');
            let base = last.text.len();
            last.segments.extend(segments.into_iter().map(|s| Segment {
                text_offset: s.text_offset + base,
                ..s
            }));
            last.text.push_str(&u.text);
            // Pieces out of time order (an export whose untimed pieces keep their own order)
            // still give the turn its earliest start and latest end.
            last.start = match (last.start, u.start) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            };
            last.end = match (last.end, u.end) {
                (Some(a), Some(b)) => Some(a.max(b)),
                (a, b) => a.or(b),
            };
            // A start known only from a later piece may fall after an end known only from an
            // earlier one: the turn's end is then unknown, never before its start.
            if let (Some(start), Some(end)) = (last.start, last.end)
                && end < start
            {
                last.end = None;
            }
            continue;
        }
        turns.push(Turn {
            speaker: u.speaker,
            text: u.text,
            start: u.start,
            end: u.end,
            segments,
        });
    }
    turns
}

/// What speech recognisers and transcribers write for a sound rather than a word.
const NOISE_WORDS: &[&str] = &[
    "noise",
    "laughter",
    "laugh",
    "unk",
    "silence",
    "music",
    "inaudible",
    "unintelligible",
    "crosstalk",
    "cough",
    "breath",
    "sil",
    "spn",
    "hesitation",
];

/// Longest noise marker content, in characters.
const MAX_MARKER_CHARS: usize = 24;

/// Byte ranges of noise markers: `[word]` or `<word>` holding letters, digits, `_`, `-` or
/// spaces (at least one letter), with the whitespace after them.
fn noise_markers(text: &str) -> Vec<(usize, usize)> {
    let mut ranges = Vec::new();
    let mut from = 0;
    while let Some(found) = text[from..].find(['[', '<']) {
        let open = from + found;
        let close_char = if text.as_bytes()[open] == b'[' { ']' } else { '>' };
        let inner_start = open + 1;
        let Some(close) = text[inner_start..].find(close_char).map(|i| inner_start + i) else {
            from = inner_start;
            continue;
        };
        let inner = &text[inner_start..close];
        let is_marker = (1..=MAX_MARKER_CHARS).contains(&inner.chars().count())
            && inner.chars().any(char::is_alphabetic)
            && inner
                .chars()
                .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | ' '));
        // A dataset placeholder (`<PHONE>`, `[ORDERID_1]`, `[数字x]`) stands for a value the
        // speaker said: keep it, unless it names a sound.
        let placeholder = crate::normalize::placeholder_len(&text[open..]).is_some()
            && !NOISE_WORDS.iter().any(|w| inner.eq_ignore_ascii_case(w));
        if is_marker && !placeholder {
            let after = &text[close + 1..];
            let end = close + 1 + (after.len() - after.trim_start().len());
            ranges.push((open, end));
            from = end;
        } else {
            from = inner_start;
        }
    }
    ranges
}

/// Removes noise markers, keeping every remaining character's source position.
fn strip_noise(u: &mut Utterance) {
    let markers = noise_markers(&u.text);
    let trimmed_start = u.text.len() - u.text.trim_start().len();
    if markers.is_empty() && trimmed_start == 0 && u.text.trim_end().len() == u.text.len() {
        return;
    }
    // The ranges to keep: the complement of the markers, minus leading whitespace.
    let mut keep = Vec::new();
    let mut at = trimmed_start;
    for (start, end) in markers {
        if start > at {
            keep.push((at, start));
        }
        at = at.max(end);
    }
    if at < u.text.len() {
        keep.push((at, u.text.len()));
    }
    let (mut text, mut segments) = keep_ranges(&u.text, &u.segments, &keep);
    let len = text.trim_end().len();
    text.truncate(len);
    segments.retain(|s| s.text_offset < len || s.text_offset == 0);
    u.text = text;
    u.segments = segments;
}

/// The text from byte `start` on, with segments that keep every character's source position.
pub fn keep_from(text: &str, segments: &[Segment], start: usize) -> (String, Vec<Segment>) {
    keep_ranges(text, segments, &[(start.min(text.len()), text.len())])
}

/// The bytes `start..end` of the text (char boundaries), with segments that keep every
/// character's source position.
pub fn keep_range(text: &str, segments: &[Segment], start: usize, end: usize) -> (String, Vec<Segment>) {
    let end = end.min(text.len());
    keep_ranges(text, segments, &[(start.min(end), end)])
}

/// The concatenation of byte ranges of `text` (in order, not overlapping), with segments
/// split at the original boundaries so each character keeps its source position.
fn keep_ranges(text: &str, segments: &[Segment], keep: &[(usize, usize)]) -> (String, Vec<Segment>) {
    let mut out = String::with_capacity(text.len());
    let mut out_segments = Vec::new();
    for &(start, end) in keep {
        let mut cuts: Vec<usize> = segments
            .iter()
            .map(|s| s.text_offset)
            .filter(|&o| o > start && o < end)
            .collect();
        cuts.push(end);
        let mut piece_start = start;
        for cut in cuts {
            let verbatim = segment_at(segments, piece_start).is_none_or(|s| s.verbatim);
            out_segments.push(Segment {
                text_offset: out.len(),
                position: map_offset(text, segments, piece_start),
                verbatim,
            });
            out.push_str(text.get(piece_start..cut).unwrap_or(""));
            piece_start = cut;
        }
    }
    (out, out_segments)
}

fn segment_at(segments: &[Segment], offset: usize) -> Option<&Segment> {
    let index = segments
        .partition_point(|s| s.text_offset <= offset)
        .saturating_sub(1);
    segments.get(index)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transcript::Role;

    fn speaker(role: Role, label: &str) -> Speaker {
        Speaker::declared(role, label)
    }

    /// An utterance whose text sits verbatim on `line` from column 1.
    fn said(role: Role, start: Option<u64>, text: &str, line: u32) -> Utterance {
        let mut u = Utterance::new(
            speaker(role, role.as_str()),
            start.map(Millis),
            start.map(|s| Millis(s + 1000)),
        );
        u.push(
            " ",
            text,
            vec![Segment {
                text_offset: 0,
                position: Position { line, column: 1 },
                verbatim: true,
            }],
        );
        u
    }

    #[test]
    fn merged_pieces_out_of_time_order_never_end_before_they_start() {
        // Untimed pieces keep their order: a piece starting at 8.5 s comes first, then one of
        // 0.48–3.02 s (found by fuzzing the Twilio parser).
        let mut late = said(Role::Customer, Some(8_500), "later", 1);
        late.end = None;
        let mut early = said(Role::Customer, Some(480), "earlier", 2);
        early.end = Some(Millis(3_020));
        let untimed = said(Role::Agent, None, "no time", 3);
        let turns = assemble(vec![late, early, untimed]);
        assert_eq!(
            (turns[0].start, turns[0].end),
            (Some(Millis(480)), Some(Millis(3_020)))
        );
        // A start from a later piece after an earlier piece's end: the end becomes unknown.
        let mut first = said(Role::Agent, None, "a", 1);
        first.end = Some(Millis(3_000));
        let second = {
            let mut u = said(Role::Agent, Some(8_000), "b", 2);
            u.end = None;
            u
        };
        let turns = assemble(vec![first, second, said(Role::Customer, None, "c", 3)]);
        assert_eq!((turns[0].start, turns[0].end), (Some(Millis(8_000)), None));
    }

    #[test]
    fn sorts_by_start_and_merges_one_speakers_pieces() {
        let turns = assemble(vec![
            said(Role::Customer, Some(5_000), "my parcel", 1),
            said(Role::Agent, Some(0), "hello", 2),
            said(Role::Agent, Some(2_000), "this is ACME", 3),
            said(Role::Customer, Some(4_000), "hi", 4),
        ]);
        let summary: Vec<(Role, &str, Option<Millis>, Option<Millis>)> = turns
            .iter()
            .map(|t| (t.speaker.role, t.text.as_str(), t.start, t.end))
            .collect();
        assert_eq!(
            summary,
            [
                (
                    Role::Agent,
                    "hello\nthis is ACME",
                    Some(Millis(0)),
                    Some(Millis(3_000))
                ),
                (
                    Role::Customer,
                    "hi\nmy parcel",
                    Some(Millis(4_000)),
                    Some(Millis(6_000))
                ),
            ]
        );
        let acme = turns[0].text.find("ACME").unwrap();
        assert_eq!(turns[0].position_at(acme), Position { line: 3, column: 9 });
        let parcel = turns[1].text.find("parcel").unwrap();
        assert_eq!(turns[1].position_at(parcel), Position { line: 1, column: 4 });
    }

    #[test]
    fn overlapping_turns_are_ordered_by_start_never_by_alternation() {
        let turns = assemble(vec![
            said(Role::Agent, Some(1_000), "a1", 1),
            said(Role::Agent, Some(1_500), "a2", 2),
            said(Role::Customer, Some(1_200), "c1", 3),
        ]);
        let texts: Vec<&str> = turns.iter().map(|t| t.text.as_str()).collect();
        assert_eq!(texts, ["a1", "c1", "a2"]);
    }

    #[test]
    fn untimed_utterances_keep_source_order() {
        let turns = assemble(vec![
            said(Role::Customer, None, "first", 1),
            said(Role::Agent, Some(0), "second", 2),
        ]);
        assert_eq!(turns[0].text, "first");
    }

    #[test]
    fn same_role_different_labels_are_different_speakers() {
        let mut other = said(Role::Agent, Some(1_000), "b", 2);
        other.speaker.label = "Supervisor".into();
        let turns = assemble(vec![said(Role::Agent, Some(0), "a", 1), other]);
        assert_eq!(turns.len(), 2);
    }

    #[test]
    fn noise_markers_are_not_words_and_positions_survive() {
        let turns = assemble(vec![said(
            Role::Agent,
            Some(0),
            "[noise] hello <unk> you must [laughter]",
            7,
        )]);
        assert_eq!(turns[0].text, "hello you must");
        let must = turns[0].text.find("must").unwrap();
        assert_eq!(turns[0].position_at(must), Position { line: 7, column: 25 });
        assert_eq!(turns[0].position(), Position { line: 7, column: 9 });
    }

    #[test]
    fn dataset_placeholders_are_kept_but_sounds_in_capitals_are_not() {
        let turns = assemble(vec![said(
            Role::Agent,
            Some(0),
            "[NOISE] your number is <PHONE> and order [ORDERID_1] [数字x] [LAUGHTER]",
            1,
        )]);
        assert_eq!(
            turns[0].text,
            "your number is <PHONE> and order [ORDERID_1] [数字x]"
        );
    }

    #[test]
    fn utterances_that_are_only_noise_disappear() {
        let turns = assemble(vec![
            said(Role::Agent, Some(0), "hello", 1),
            said(Role::Customer, Some(1_000), "[noise]", 2),
            said(Role::Agent, Some(2_000), "again", 3),
        ]);
        assert_eq!(turns.len(), 1);
        assert_eq!(turns[0].text, "hello\nagain");
    }

    #[test]
    fn brackets_that_are_not_markers_stay() {
        let turns = assemble(vec![said(Role::Agent, Some(0), "a [1, 2] b <3 c [x] d", 1)]);
        assert_eq!(turns[0].text, "a [1, 2] b <3 c d");
    }
}
