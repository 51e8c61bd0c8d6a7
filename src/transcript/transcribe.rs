//! Amazon Transcribe output: standard batch output and Call Analytics output.
//!
//! Standard output (`{"jobName": …, "results": {"items": […]}}`) is a list of words
//! (`pronunciation` items with `start_time`/`end_time` in seconds as strings) and punctuation.
//! Speakers come from speaker diarization (`speaker_label`: `spk_0`, `spk_1`, on each item or
//! through `results.speaker_labels.segments`) or channel identification (`channel_label`:
//! `ch_0`, `ch_1`, through `results.channel_labels.channels`). Those labels say nothing about
//! roles: map them with a rulebook's `[speakers]` table or `--speaker-map spk_0=agent`;
//! unmapped labels are speakers with role `other`. Turns are cut at every change of speaker
//! (see `runs`), with word-level start and end times, so a turn never swallows the other
//! speaker's words; turns of different speakers overlap only where their words do.
//!
//! Call Analytics output (`{"JobName": …, "Transcript": […]}`) has turns with `Content`,
//! `BeginOffsetMillis`, `EndOffsetMillis` and a `ParticipantRole` (`AGENT`, `CUSTOMER`).

use std::collections::HashMap;

use super::assemble::{Utterance, assemble};
use super::json::{self, Node};
use super::{Format, Millis, ParseError, ParseOptions, Speaker, Transcript};

/// The Amazon Transcribe format.
pub static FORMAT: Format = Format {
    name: "transcribe",
    description: "Amazon Transcribe: `results` (standard) or `Transcript` (Call Analytics)",
    extensions: &["json"],
    sniff: Some(|s| s.has_json_keys(&["results"]) || s.has_json_keys(&["Transcript"])),
    parse,
    parse_line: None,
};

fn parse(text: &str, options: &ParseOptions) -> Result<Vec<Transcript>, ParseError> {
    let value = json::parse(text)?;
    let root = Node::root(&value);
    let mut transcript = Transcript::default();
    for (key, meta) in [
        ("jobName", "call_id"),
        ("JobName", "call_id"),
        ("LanguageCode", "language"),
    ] {
        if let Some(v) = root.get(key)? {
            transcript.metadata.insert(meta.into(), v.scalar_text()?);
        }
    }
    let utterances = if root.has("results") {
        standard(&root.field("results")?, options)?
    } else {
        call_analytics(&root.field("Transcript")?, options)?
    };
    transcript.turns = assemble(utterances);
    Ok(vec![transcript])
}

fn speaker(label: &str, options: &ParseOptions) -> Speaker {
    options.labels.speaker(label)
}

fn call_analytics(turns: &Node<'_, '_>, options: &ParseOptions) -> Result<Vec<Utterance>, ParseError> {
    let mut utterances = Vec::new();
    for item in turns.items()? {
        let role_node = item.field("ParticipantRole")?;
        let role_text = role_node.str()?.as_str();
        let (role, source) = super::contact_lens::role_of(role_text, &options.labels);
        let content = item.field("Content")?.str()?;
        let begin = item.field("BeginOffsetMillis")?.millis()?;
        let end = item.field("EndOffsetMillis")?.millis()?;
        if end < begin {
            return Err(item.error(format!(
                "`EndOffsetMillis` ({}) is before `BeginOffsetMillis` ({})",
                end.0, begin.0
            )));
        }
        let speaker = Speaker {
            role,
            label: role_text.to_string(),
            source,
        };
        let mut u = Utterance::new(speaker, Some(begin), Some(end));
        u.push("", content.as_str(), content.segments(0));
        utterances.push(u);
    }
    Ok(utterances)
}

/// One item of standard output.
struct Word<'v, 's> {
    label: String,
    start: Option<Millis>,
    end: Option<Millis>,
    content: &'v json::Str<'s>,
    punctuation: bool,
}

fn standard(results: &Node<'_, '_>, options: &ParseOptions) -> Result<Vec<Utterance>, ParseError> {
    // Each stream is one list of items in speaking order: the whole file under speaker
    // diarization, one channel under channel identification.
    let mut streams: Vec<Vec<Word<'_, '_>>> = Vec::new();
    if let Some(channels) = results.get("channel_labels")? {
        for channel in channels.field("channels")?.items()? {
            let label = channel.field("channel_label")?.scalar_text()?;
            let mut previous = label.clone();
            let mut words = Vec::new();
            for item in channel.field("items")?.items()? {
                words.push(word(&item, &mut previous, |_| None)?);
            }
            streams.push(words);
        }
    } else {
        let items = results.field("items")?.items()?;
        let has_labels = items.iter().any(|i| i.has("speaker_label"));
        // Older output names speakers only in `speaker_labels.segments`, keyed by start time.
        let mut by_start: HashMap<String, String> = HashMap::new();
        if let Some(segments) = results.get("speaker_labels")? {
            for segment in segments.field("segments")?.items()? {
                for item in segment.field("items")?.items()? {
                    if let (Some(start), Some(label)) = (item.get("start_time")?, item.get("speaker_label")?)
                    {
                        by_start.insert(start.scalar_text()?, label.scalar_text()?);
                    }
                }
            }
        } else if !has_labels && options.labels.wildcard().is_none() {
            return Err(results.error(
                "no speaker information: neither `speaker_labels` nor `channel_labels`; run the job \
                 with speaker diarization (ShowSpeakerLabels) or channel identification, or read \
                 all its speech as one speaker with --speaker-map '*=ROLE' (such as '*=agent')",
            ));
        }
        // Output without any speaker labels is one unnamed speaker, given a role by the wildcard.
        let mut previous = if has_labels || !by_start.is_empty() {
            String::new()
        } else {
            super::labels::UNNAMED.to_string()
        };
        let mut words = Vec::with_capacity(items.len());
        for item in items {
            let found = word(&item, &mut previous, |start| by_start.get(start).cloned())?;
            if found.label.is_empty() {
                return Err(item.error("no `speaker_label` for this word, and none before it"));
            }
            words.push(found);
        }
        streams.push(words);
    }
    let mut tokens: Vec<Token<'_, '_>> = streams.iter().flat_map(|words| tokens(words)).collect();
    // Channels interleave by time; a stable sort keeps simultaneous words in stream order. An
    // untimed word (never in real output) keeps every stream in file order.
    if tokens.iter().all(|t| t.start.is_some()) {
        tokens.sort_by_key(|t| t.start);
    }
    Ok(runs(&tokens, options))
}

/// Reads one item; the speaker is its `speaker_label`/`channel_label`, else `lookup(start_time)`,
/// else the previous item's (punctuation has no time).
fn word<'v, 's>(
    item: &Node<'v, 's>,
    previous: &mut String,
    lookup: impl Fn(&str) -> Option<String>,
) -> Result<Word<'v, 's>, ParseError> {
    let kind = item.field("type")?.scalar_text()?;
    let alternatives = item.field("alternatives")?.items()?;
    let Some(best) = alternatives.first() else {
        return Err(item.error("`alternatives` is empty"));
    };
    let content = best.field("content")?.str()?;
    let start_node = item.get("start_time")?;
    let start = start_node.as_ref().map(Node::seconds).transpose()?;
    let end_node = item.get("end_time")?;
    let end = end_node.as_ref().map(Node::seconds).transpose()?;
    if let Some(node) = &end_node {
        match (start, end) {
            (Some(start), Some(end)) if end < start => {
                return Err(node.error(format!(
                    "`end_time` ({end}) is before `start_time` ({start}): times must not go backwards"
                )));
            }
            (None, Some(_)) => return Err(node.error("`end_time` without a `start_time`")),
            _ => {}
        }
    }
    let label = match (item.get("speaker_label")?, item.get("channel_label")?) {
        (Some(l), _) | (None, Some(l)) => l.scalar_text()?,
        (None, None) => match start_node {
            Some(s) => lookup(&s.scalar_text()?).unwrap_or_else(|| previous.clone()),
            None => previous.clone(),
        },
    };
    previous.clone_from(&label);
    Ok(Word {
        label,
        start,
        end,
        content,
        punctuation: kind == "punctuation",
    })
}

/// A spoken word with the punctuation written after it: what a turn is cut between.
struct Token<'w, 'v> {
    label: &'w str,
    start: Option<Millis>,
    end: Option<Millis>,
    /// The word and its punctuation, in order.
    parts: Vec<&'w Word<'w, 'v>>,
}

/// Groups one stream's items into tokens: punctuation goes with the word before it (or, at the
/// start of a stream, the word after it).
fn tokens<'w, 'v>(words: &'w [Word<'w, 'v>]) -> Vec<Token<'w, 'v>> {
    let mut tokens: Vec<Token<'w, 'v>> = Vec::with_capacity(words.len());
    let mut leading: Vec<&'w Word<'w, 'v>> = Vec::new();
    for w in words {
        match tokens.last_mut() {
            Some(last) if w.punctuation => last.parts.push(w),
            None if w.punctuation => leading.push(w),
            _ => {
                let mut parts = std::mem::take(&mut leading);
                parts.push(w);
                tokens.push(Token {
                    label: &w.label,
                    start: w.start,
                    end: w.end,
                    parts,
                });
            }
        }
    }
    tokens
}

/// Cuts time-ordered tokens into turns at every change of speaker.
///
/// The speaker who is talking holds the floor. Another speaker's word takes the floor, ending
/// the holder's turn, when it overlaps none of the holder's words: it starts after the holder's
/// last word has ended, and ends before the holder's next word starts. A word that overlaps the
/// holder's speech (crosstalk, a backchannel on another channel) opens or extends that
/// speaker's overlapping turn without ending the holder's; the overlapping turn closes when the
/// holder speaks again after it, or becomes its speaker's turn when the speaker takes the
/// floor. So two consecutive turns of different speakers overlap only where their words
/// overlap in the source. Each turn is one utterance from its first word's start to its last
/// word's end; sentences within it are separated by line breaks.
fn runs(tokens: &[Token<'_, '_>], options: &ParseOptions) -> Vec<Utterance> {
    // The next token of the same speaker after each token, to see whether the holder resumes
    // before another speaker's word ends.
    let mut next_same: Vec<Option<usize>> = vec![None; tokens.len()];
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for (i, token) in tokens.iter().enumerate().rev() {
        next_same[i] = seen.insert(token.label, i);
    }
    let mut done: Vec<Utterance> = Vec::new();
    // The floor holder: its label, its turn and its last token; and the overlapping turns.
    let mut floor: Option<(&str, Utterance, usize)> = None;
    let mut overlapping: Vec<(&str, Utterance)> = Vec::new();
    for (i, token) in tokens.iter().enumerate() {
        if let Some((label, turn, last)) = floor.as_mut()
            && *label == token.label
        {
            // The holder goes on: turns that overlapped it and have ended are complete.
            let (kept, ended): (Vec<_>, Vec<_>) = overlapping
                .drain(..)
                .partition(|(_, u)| matches!((token.start, u.end), (Some(start), Some(end)) if start < end));
            overlapping = kept;
            done.extend(ended.into_iter().map(|(_, u)| u));
            extend(turn, token);
            *last = i;
            continue;
        }
        let crosstalk = floor.as_ref().is_some_and(|(_, turn, last)| {
            let resumes = next_same[*last].and_then(|j| tokens.get(j)).and_then(|t| t.start);
            let before_end = matches!((token.start, turn.end), (Some(start), Some(end)) if start < end);
            let holder_resumes = matches!((resumes, token.end), (Some(next), Some(end)) if next < end);
            before_end || holder_resumes
        });
        let open = overlapping.iter().position(|(label, _)| *label == token.label);
        if crosstalk {
            match open {
                Some(k) => extend(&mut overlapping[k].1, token),
                None => overlapping.push((token.label, started(token, options))),
            }
            continue;
        }
        // The floor changes hands: the holder's turn ends, and the new holder's overlapping
        // turn, if any, goes on as its turn.
        done.extend(floor.take().map(|(_, turn, _)| turn));
        let turn = match open {
            Some(k) => {
                let mut turn = overlapping.remove(k).1;
                extend(&mut turn, token);
                turn
            }
            None => started(token, options),
        };
        floor = Some((token.label, turn, i));
    }
    done.extend(floor.map(|(_, turn, _)| turn));
    done.extend(overlapping.into_iter().map(|(_, u)| u));
    done
}

/// A new turn holding one token.
fn started(token: &Token<'_, '_>, options: &ParseOptions) -> Utterance {
    let mut u = Utterance::new(speaker(token.label, options), token.start, token.end);
    fill(&mut u, token);
    u
}

/// Writes a token's words into an empty turn.
fn fill(u: &mut Utterance, token: &Token<'_, '_>) {
    for (i, w) in token.parts.iter().enumerate() {
        let separator = if i == 0 || w.punctuation { "" } else { " " };
        u.push(separator, w.content.as_str(), w.content.segments(0));
    }
}

/// Appends a token to a turn: after a space, or a line break after a sentence's end; the turn
/// spans the earliest start to the latest end (items out of order never make a turn end before
/// it starts).
fn extend(u: &mut Utterance, token: &Token<'_, '_>) {
    let after_sentence = u.text.trim_end().ends_with(['.', '?', '!', '。', '？', '！']);
    for (i, w) in token.parts.iter().enumerate() {
        let separator = match (i, w.punctuation) {
            (_, true) => "",
            (0, false) if after_sentence => "\n",
            _ => " ",
        };
        u.push(separator, w.content.as_str(), w.content.segments(0));
    }
    u.start = match (u.start, token.start) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    };
    u.end = u.end.max(token.end);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transcript::Position;
    use crate::transcript::Role;

    fn options() -> ParseOptions {
        let mut options = ParseOptions::default();
        options.labels.add("spk_1", Role::Agent);
        options.labels.add("ch_1", Role::Agent);
        options.labels.add("spk_0", Role::Customer);
        options
    }

    fn one(text: &str) -> Transcript {
        parse(text, &options()).unwrap().remove(0)
    }

    fn err(text: &str) -> String {
        parse(text, &options()).unwrap_err().to_string()
    }

    fn item(label_key: &str, label: &str, start: &str, end: &str, content: &str) -> String {
        format!(
            "{{\"{label_key}\": \"{label}\", \"start_time\": \"{start}\", \"end_time\": \"{end}\", \
             \"alternatives\": [{{\"confidence\": \"1.0\", \"content\": \"{content}\"}}], \"type\": \
             \"pronunciation\"}}"
        )
    }

    fn punct(label_key: &str, label: &str, content: &str) -> String {
        format!(
            "{{\"{label_key}\": \"{label}\", \"alternatives\": [{{\"confidence\": \"0.0\", \"content\": \
             \"{content}\"}}], \"type\": \"punctuation\"}}"
        )
    }

    #[test]
    fn speaker_labels_become_turns_mapped_by_labels() {
        let items = [
            item("speaker_label", "spk_0", "4.87", "5.02", "Hold"),
            item("speaker_label", "spk_0", "5.02", "5.30", "on"),
            punct("speaker_label", "spk_0", "."),
            item("speaker_label", "spk_1", "8.49", "8.88", "Sorry"),
            punct("speaker_label", "spk_1", ","),
            item("speaker_label", "spk_1", "8.88", "9.05", "you"),
            item("speaker_label", "spk_1", "9.05", "9.24", "must"),
            item("speaker_label", "spk_2", "9.50", "9.90", "hm"),
        ];
        let text = format!(
            "{{\"jobName\": \"job-1\", \"results\": {{\"items\": [\n{}\n]}}}}",
            items.join(",\n")
        );
        let t = one(&text);
        assert_eq!(t.metadata["call_id"], "job-1");
        let turns: Vec<(Role, &str, &str, Option<Millis>)> = t
            .turns
            .iter()
            .map(|t| (t.speaker.role, t.speaker.label.as_str(), t.text.as_str(), t.start))
            .collect();
        assert_eq!(
            turns,
            [
                (Role::Customer, "spk_0", "Hold on.", Some(Millis(4_870))),
                (Role::Agent, "spk_1", "Sorry, you must", Some(Millis(8_490))),
                (Role::Other, "spk_2", "hm", Some(Millis(9_500))),
            ]
        );
        let must = t.turns[1].text.find("must").unwrap();
        assert_eq!(t.turns[1].position_at(must).line, 8);
    }

    #[test]
    fn channel_labels_interleave_by_time() {
        let ch0 = [
            item("channel_label", "ch_0", "1.0", "1.5", "Hello"),
            punct("channel_label", "ch_0", "."),
            item("channel_label", "ch_0", "6.0", "6.5", "Thanks"),
            punct("channel_label", "ch_0", "."),
        ];
        let ch1 = [
            item("channel_label", "ch_1", "3.0", "3.5", "Welcome"),
            punct("channel_label", "ch_1", "."),
        ];
        let text = format!(
            "{{\"results\": {{\"channel_labels\": {{\"channels\": [\
             {{\"channel_label\": \"ch_0\", \"items\": [{}]}},\
             {{\"channel_label\": \"ch_1\", \"items\": [{}]}}]}}, \"items\": []}}}}",
            ch0.join(","),
            ch1.join(",")
        );
        let t = one(&text);
        let texts: Vec<(&str, &str)> = t
            .turns
            .iter()
            .map(|t| (t.speaker.label.as_str(), t.text.as_str()))
            .collect();
        assert_eq!(
            texts,
            [("ch_0", "Hello."), ("ch_1", "Welcome."), ("ch_0", "Thanks.")]
        );
        assert_eq!(t.turns[1].speaker.role, Role::Agent);
    }

    #[test]
    fn older_output_names_speakers_in_segments() {
        let text = "{\"results\": {\"speaker_labels\": {\"segments\": [{\"items\": [\
                    {\"start_time\": \"1.0\", \"speaker_label\": \"spk_1\"}]}]}, \"items\": [\
                    {\"start_time\": \"1.0\", \"end_time\": \"1.4\", \"alternatives\": [{\"content\": \"Hi\"}], \
                    \"type\": \"pronunciation\"}, {\"alternatives\": [{\"content\": \"!\"}], \"type\": \
                    \"punctuation\"}]}}";
        let t = one(text);
        assert_eq!(t.turns[0].text, "Hi!");
        assert_eq!(t.turns[0].speaker.role, Role::Agent);
    }

    #[test]
    fn call_analytics_turns() {
        let text = r#"{"JobName": "tca", "LanguageCode": "en-US", "Transcript": [
  {"Content": "Thank you, goodbye.", "BeginOffsetMillis": 40040, "EndOffsetMillis": 42460, "ParticipantRole": "CUSTOMER"},
  {"Content": "Hello, [PII] speaking.", "BeginOffsetMillis": 0, "EndOffsetMillis": 2000, "ParticipantRole": "AGENT"}
]}"#;
        let t = one(text);
        assert_eq!(t.metadata["call_id"], "tca");
        assert_eq!(t.turns[0].text, "Hello, [PII] speaking.");
        assert_eq!(t.turns[0].speaker.role, Role::Agent);
        assert_eq!(t.turns[1].speaker.role, Role::Customer);
        assert_eq!(t.turns[1].position(), Position { line: 2, column: 16 });
    }

    #[test]
    fn errors_are_located() {
        assert_eq!(
            err(
                "{\"results\": {\"items\": [\n{\"alternatives\": [{\"content\": \"x\"}], \"type\": \"pronunciation\"}]}}"
            ),
            "line 1: `results`: no speaker information: neither `speaker_labels` nor `channel_labels`; \
             run the job with speaker diarization (ShowSpeakerLabels) or channel identification, or \
             read all its speech as one speaker with --speaker-map '*=ROLE' (such as '*=agent')"
        );
        let bad_time = item("speaker_label", "spk_0", "soon", "5", "x");
        assert_eq!(
            err(&format!("{{\"results\": {{\"items\": [\n{bad_time}]}}}}")),
            "line 2: `results.items[0].start_time`: expected a number of seconds such as \"4.87\", \
             found \"soon\""
        );
        assert_eq!(
            err("{\"Transcript\": [{\"Content\": \"x\", \"BeginOffsetMillis\": 1, \"EndOffsetMillis\": 2}]}"),
            "line 1: `Transcript[0]`: missing field `ParticipantRole`"
        );
    }

    #[test]
    fn an_item_ending_before_it_starts_is_an_error() {
        // Found by fuzzing (parse_transcribe): the turn ended before it started.
        let backwards = item("speaker_label", "spk_1", "8.50", "7.90", "Fine");
        let e = err(&format!(
            "{{\"results\": {{\"items\": [\n{}, \n{backwards}]}}}}",
            item("speaker_label", "spk_0", "1.0", "1.4", "Hello")
        ));
        assert!(
            e.starts_with("line 3: `results.items[1].end_time`: `end_time` (00:00:07.900)"),
            "{e}"
        );
        assert!(e.contains("is before `start_time` (00:00:08.500)"), "{e}");
    }

    /// Issue 13: a turn never swallows a later run of its speaker across the other speaker's
    /// words ("I'm happy" … "skirt." became one turn "I'm happy skirt." from words 5 s apart).
    #[test]
    fn a_change_of_speaker_ends_a_turn() {
        let items = [
            item("speaker_label", "spk_0", "10.0", "10.3", "I'm"),
            item("speaker_label", "spk_0", "10.3", "10.7", "happy"),
            item("speaker_label", "spk_1", "11.0", "11.5", "Sorry"),
            punct("speaker_label", "spk_1", "?"),
            item("speaker_label", "spk_0", "15.0", "15.4", "skirt"),
            punct("speaker_label", "spk_0", "."),
        ];
        let t = one(&format!("{{\"results\": {{\"items\": [{}]}}}}", items.join(",")));
        let turns: Vec<(&str, &str, Option<Millis>, Option<Millis>)> = t
            .turns
            .iter()
            .map(|t| (t.speaker.label.as_str(), t.text.as_str(), t.start, t.end))
            .collect();
        assert_eq!(
            turns,
            [
                ("spk_0", "I'm happy", Some(Millis(10_000)), Some(Millis(10_700))),
                ("spk_1", "Sorry?", Some(Millis(11_000)), Some(Millis(11_500))),
                ("spk_0", "skirt.", Some(Millis(15_000)), Some(Millis(15_400))),
            ]
        );
    }

    /// Output without speaker labels is one unnamed speaker when the wildcard gives it a role.
    #[test]
    fn unlabelled_output_is_read_with_the_wildcard() {
        let items = [
            "{\"start_time\": \"1.0\", \"end_time\": \"1.4\", \"alternatives\": [{\"content\": \"Hello\"}], \"type\": \"pronunciation\"}",
            "{\"alternatives\": [{\"content\": \".\"}], \"type\": \"punctuation\"}",
            "{\"start_time\": \"2.0\", \"end_time\": \"2.4\", \"alternatives\": [{\"content\": \"Bye\"}], \"type\": \"pronunciation\"}",
        ];
        let text = format!("{{\"results\": {{\"items\": [{}]}}}}", items.join(","));
        let mut options = ParseOptions::default();
        options.labels.add("*", Role::Agent);
        let t = parse(&text, &options).unwrap().remove(0);
        assert_eq!(t.turns.len(), 1);
        assert_eq!(t.turns[0].text, "Hello.\nBye");
        assert_eq!(
            (t.turns[0].speaker.label.as_str(), t.turns[0].speaker.role),
            ("(unnamed)", Role::Agent)
        );
    }

    /// Crosstalk on another channel overlaps the turn it happens in without cutting it.
    #[test]
    fn crosstalk_overlaps_a_turn_without_cutting_it() {
        let ch0 = [
            item("channel_label", "ch_0", "1.0", "1.4", "There's"),
            item("channel_label", "ch_0", "1.45", "1.7", "no"),
            item("channel_label", "ch_0", "1.75", "2.0", "fee"),
            item("channel_label", "ch_0", "2.05", "2.3", "today"),
            punct("channel_label", "ch_0", "."),
            item("channel_label", "ch_0", "4.0", "4.3", "Goodbye"),
        ];
        // "oh great" starts during "no" and ends during "today"; "bye" comes after a pause.
        let ch1 = [
            item("channel_label", "ch_1", "1.5", "1.8", "oh"),
            item("channel_label", "ch_1", "1.9", "2.1", "great"),
            item("channel_label", "ch_1", "3.0", "3.2", "bye"),
        ];
        let text = format!(
            "{{\"results\": {{\"channel_labels\": {{\"channels\": [\
             {{\"channel_label\": \"ch_0\", \"items\": [{}]}},\
             {{\"channel_label\": \"ch_1\", \"items\": [{}]}}]}}, \"items\": []}}}}",
            ch0.join(","),
            ch1.join(",")
        );
        let t = one(&text);
        let turns: Vec<(&str, &str)> = t
            .turns
            .iter()
            .map(|t| (t.speaker.label.as_str(), t.text.as_str()))
            .collect();
        assert_eq!(
            turns,
            [
                ("ch_0", "There's no fee today."),
                ("ch_1", "oh great bye"),
                ("ch_0", "Goodbye"),
            ]
        );
    }

    /// The source words of a Transcribe file: (speaker, start, end) of every timed word.
    fn source_words(text: &str) -> Vec<(String, Millis, Millis)> {
        let doc: serde_json::Value = serde_json::from_str(text).unwrap();
        let results = &doc["results"];
        let secs =
            |v: &serde_json::Value| Millis::from_secs_f64(v.as_str().unwrap().parse().unwrap()).unwrap();
        let mut by_start = HashMap::new();
        for segment in results["speaker_labels"]["segments"]
            .as_array()
            .into_iter()
            .flatten()
        {
            for i in segment["items"].as_array().unwrap() {
                by_start.insert(
                    i["start_time"].as_str().unwrap().to_string(),
                    i["speaker_label"].clone(),
                );
            }
        }
        let items: Vec<&serde_json::Value> = match results["channel_labels"]["channels"].as_array() {
            Some(channels) => channels
                .iter()
                .flat_map(|c| c["items"].as_array().unwrap())
                .collect(),
            None => results["items"].as_array().unwrap().iter().collect(),
        };
        items
            .into_iter()
            .filter(|i| i["start_time"].is_string())
            .map(|i| {
                let label = [&i["speaker_label"], &i["channel_label"]]
                    .into_iter()
                    .find(|l| l.is_string())
                    .cloned()
                    .unwrap_or_else(|| by_start[i["start_time"].as_str().unwrap()].clone());
                (
                    label.as_str().unwrap().to_string(),
                    secs(&i["start_time"]),
                    secs(&i["end_time"]),
                )
            })
            .collect()
    }

    /// Issue 13's guarantee, over every Transcribe fixture with speaker or channel labels: two
    /// consecutive turns of different speakers overlap only where words of those two speakers
    /// overlap in the source.
    #[test]
    fn turns_overlap_only_where_the_source_words_overlap() {
        let fixtures = [
            (
                "06-transcribe",
                include_str!("../../tests/fixtures/formats/mixed/06-transcribe.json"),
                4,
                0,
            ),
            (
                "transcribe-speakers",
                include_str!("../../tests/fixtures/formats/exports/transcribe-speakers.json"),
                10,
                0,
            ),
            (
                "transcribe-channels",
                include_str!("../../tests/fixtures/formats/exports/transcribe-channels.json"),
                16,
                2,
            ),
        ];
        for (name, text, turn_count, overlapping) in fixtures {
            let t = one(text);
            let words = source_words(text);
            assert_eq!(t.turns.len(), turn_count, "{name}: turns");
            let mut found = 0;
            for pair in t.turns.windows(2) {
                let (a, b) = (&pair[0], &pair[1]);
                let (Some(a_end), Some(b_start)) = (a.end, b.start) else {
                    continue;
                };
                if a.speaker.label == b.speaker.label || a_end <= b_start {
                    continue;
                }
                found += 1;
                let explained = words.iter().filter(|w| w.0 == a.speaker.label).any(|x| {
                    words
                        .iter()
                        .filter(|w| w.0 == b.speaker.label)
                        .any(|y| x.1 < y.2 && y.1 < x.2 && y.1 < a_end && b_start < x.2)
                });
                assert!(
                    explained,
                    "{name}: {a:?} and {b:?} overlap, but no words of theirs do"
                );
            }
            assert_eq!(found, overlapping, "{name}: overlapping pairs");
        }
        // Speaker diarization has no crosstalk: the speakers alternate turn by turn.
        let t = one(fixtures[1].1);
        assert!(t.turns.windows(2).all(|p| p[0].speaker != p[1].speaker));
    }

    #[test]
    fn a_sentence_spans_its_earliest_start_to_its_latest_end() {
        // Found by fuzzing: words out of order within a sentence made it end before it started.
        let text = format!(
            "{{\"results\": {{\"items\": [{}, {}, {{\"speaker_label\": \"spk_0\", \"alternatives\": [{{\"content\": \".\"}}], \"type\": \"punctuation\"}}]}}}}",
            item("speaker_label", "spk_0", "5.0", "6.0", "late"),
            item("speaker_label", "spk_0", "1.0", "2.0", "early")
        );
        let t = one(&text);
        let turn = &t.turns[0];
        assert_eq!((turn.start, turn.end), (Some(Millis(1_000)), Some(Millis(6_000))));
        let no_start = "{\"speaker_label\": \"spk_0\", \"end_time\": \"2.0\", \"alternatives\": [{\"content\": \"x\"}], \"type\": \"pronunciation\"}";
        let e = err(&format!("{{\"results\": {{\"items\": [{no_start}]}}}}"));
        assert!(e.ends_with("`end_time` without a `start_time`"), "{e}");
    }
}
