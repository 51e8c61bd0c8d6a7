//! Amazon Transcribe output: standard batch output and Call Analytics output.
//!
//! Standard output (`{"jobName": …, "results": {"items": […]}}`) is a list of words
//! (`pronunciation` items with `start_time`/`end_time` in seconds as strings) and punctuation.
//! Speakers come from speaker diarization (`speaker_label`: `spk_0`, `spk_1`, on each item or
//! through `results.speaker_labels.segments`) or channel identification (`channel_label`:
//! `ch_0`, `ch_1`, through `results.channel_labels.channels`). Those labels say nothing about
//! roles: map them with a rulebook's `[speakers]` table or `--speaker-map spk_0=agent`;
//! unmapped labels are speakers with role `other`. Each speaker's words are cut into sentences
//! at sentence-final punctuation, then sorted and merged (see [`assemble`](super::assemble)).
//!
//! Call Analytics output (`{"JobName": …, "Transcript": […]}`) has turns with `Content`,
//! `BeginOffsetMillis`, `EndOffsetMillis` and a `ParticipantRole` (`AGENT`, `CUSTOMER`).

use std::collections::HashMap;

use super::assemble::{Utterance, assemble};
use super::json::{self, Node};
use super::{Format, Millis, ParseError, ParseOptions, Role, Speaker, Transcript};

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
    Speaker {
        role: options.labels.role_of(label).unwrap_or(Role::Other),
        label: label.to_string(),
    }
}

fn call_analytics(turns: &Node<'_, '_>, options: &ParseOptions) -> Result<Vec<Utterance>, ParseError> {
    let mut utterances = Vec::new();
    for item in turns.items()? {
        let role_node = item.field("ParticipantRole")?;
        let role_text = role_node.str()?.as_str();
        let role = super::contact_lens::role_of(role_text, &options.labels);
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
    let mut words = Vec::new();
    if let Some(channels) = results.get("channel_labels")? {
        for channel in channels.field("channels")?.items()? {
            let label = channel.field("channel_label")?.scalar_text()?;
            let mut previous = label.clone();
            for item in channel.field("items")?.items()? {
                words.push(word(&item, &mut previous, |_| None)?);
            }
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
        } else if !has_labels {
            return Err(results.error(
                "no speaker information: neither `speaker_labels` nor `channel_labels`; run the job \
                 with speaker diarization (ShowSpeakerLabels) or channel identification",
            ));
        }
        let mut previous = String::new();
        for item in items {
            let found = word(&item, &mut previous, |start| by_start.get(start).cloned())?;
            if found.label.is_empty() {
                return Err(item.error("no `speaker_label` for this word, and none before it"));
            }
            words.push(found);
        }
    }
    Ok(sentences(&words, options))
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

/// Each speaker's words, cut into sentences at sentence-final punctuation.
fn sentences(words: &[Word<'_, '_>], options: &ParseOptions) -> Vec<Utterance> {
    let mut open: HashMap<&str, Utterance> = HashMap::new();
    let mut done = Vec::new();
    for w in words {
        let u = open
            .entry(w.label.as_str())
            .or_insert_with(|| Utterance::new(speaker(&w.label, options), w.start, w.end));
        // The earliest start and the latest end: items out of order never make a sentence end
        // before it starts.
        u.start = match (u.start, w.start) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        let separator = if w.punctuation { "" } else { " " };
        u.push(separator, w.content.as_str(), w.content.segments(0));
        u.end = u.end.max(w.end);
        let text = w.content.as_str();
        if w.punctuation && text.ends_with(['.', '?', '!', '。', '？', '！']) {
            if let Some(finished) = open.remove(w.label.as_str()) {
                done.push(finished);
            }
        }
    }
    let mut rest: Vec<Utterance> = open.into_values().collect();
    rest.sort_by_key(|u| u.start);
    done.extend(rest);
    done
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transcript::Position;

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
        assert_eq!(t.turns[0].text, "Hello, speaking.");
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
             run the job with speaker diarization (ShowSpeakerLabels) or channel identification"
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
