//! AWS Post-Call Analytics (PCA) parsed output: the JSON the `amazon-transcribe-post-call-analytics`
//! solution writes for each call, from Amazon Transcribe (standard or Call Analytics) output.
//!
//! ```json
//! {"ConversationAnalytics": {"GUID": "…", "Agent": "…", "LanguageCode": "en-US",
//!   "SpeakerLabels": [{"Speaker": "spk_0", "DisplayText": "Agent"},
//!                     {"Speaker": "spk_1", "DisplayText": "Customer"}]},
//!  "SpeechSegments": [{"SegmentStartTime": 0.64, "SegmentEndTime": 3.7, "SegmentSpeaker": "spk_1",
//!                      "DisplayText": "Thank you for calling.", "OriginalText": "…"}]}
//! ```
//!
//! Each speech segment is a piece of a turn: `DisplayText` (what the PCA user interface shows,
//! corrected by hand when `TextEdited`), else `OriginalText`, from `SegmentStartTime` to
//! `SegmentEndTime` (seconds). Its speaker is `SegmentSpeaker`, labelled with that speaker's
//! `SpeakerLabels` display text; the role is a `--speaker-map` (or `[speakers]`) entry for the
//! `spk_N` label when there is one, else `system` for an `IVRSegment`, else the role of the
//! display text (`Agent`, `Customer`: the platform's own names). Segments overlap and are sorted
//! and merged (see [`assemble`](super::assemble)).
//!
//! Metadata: `call_id` from `GUID` (or the Transcribe job name in `SourceInformation` when the
//! GUID is `"None"`), `language` from `LanguageCode`, `agent` and `customer` from `Agent` and
//! `Cust`, `date` from `ConversationTime`.

use std::collections::HashMap;

use super::assemble::{Utterance, assemble};
use super::json::{self, Kind, Node};
use super::{Format, ParseError, ParseOptions, Role, RoleSource, Speaker, Transcript};

/// The AWS Post-Call Analytics format.
pub static FORMAT: Format = Format {
    name: "pca",
    description: "AWS Post-Call Analytics parsed output: `ConversationAnalytics` and `SpeechSegments`",
    extensions: &["json"],
    sniff: Some(|s| s.has_json_keys(&["ConversationAnalytics", "SpeechSegments"])),
    parse,
    parse_line: None,
};

fn parse(text: &str, options: &ParseOptions) -> Result<Vec<Transcript>, ParseError> {
    let value = json::parse(text)?;
    let root = Node::root(&value);
    let analytics = root.field("ConversationAnalytics")?;
    let mut transcript = Transcript::default();
    if let Some(id) = known(analytics.get("GUID")?)? {
        transcript.metadata.insert("call_id".into(), id);
    } else if let Some(job) = job_name(&analytics)? {
        transcript.metadata.insert("call_id".into(), job);
    }
    for (key, meta) in [
        ("LanguageCode", "language"),
        ("Agent", "agent"),
        ("Cust", "customer"),
        ("ConversationTime", "date"),
    ] {
        if let Some(v) = known(analytics.get(key)?)? {
            transcript.metadata.insert(meta.into(), v);
        }
    }
    // spk_N → display text (`Agent`, `Customer`, or a name the user gave).
    let mut display: HashMap<String, String> = HashMap::new();
    if let Some(labels) = analytics.get("SpeakerLabels")? {
        for label in labels.items()? {
            let speaker = label.field("Speaker")?.scalar_text()?;
            if let Some(text) = known(label.get("DisplayText")?)? {
                display.insert(speaker, text);
            }
        }
    }
    let segments = root.field("SpeechSegments")?.items()?;
    let mut utterances = Vec::with_capacity(segments.len());
    for segment in &segments {
        let id = segment.field("SegmentSpeaker")?.scalar_text()?;
        let text = match segment.get("DisplayText")? {
            Some(t) => t.str()?,
            None => segment.field("OriginalText")?.str()?,
        };
        let start_node = segment.field("SegmentStartTime")?;
        let start = start_node.seconds()?;
        let end = segment.field("SegmentEndTime")?.seconds()?;
        if end < start {
            return Err(start_node.error(format!(
                "`SegmentEndTime` ({end}) is before `SegmentStartTime` ({start})"
            )));
        }
        let label = display.get(&id).cloned().unwrap_or_else(|| id.clone());
        let ivr = segment.get("IVRSegment")?.is_some_and(|n| truthy(&n));
        // A mapping the user gave for spk_N wins; then the platform's IVR flag and names.
        let speaker = match options.labels.named_role_of(&id) {
            Some(role) => Speaker {
                role,
                label,
                source: RoleSource::Map,
            },
            None if ivr => Speaker::declared(Role::System, label),
            None => options.labels.speaker(&label),
        };
        let mut u = Utterance::new(speaker, Some(start), Some(end));
        u.push("", text.as_str(), text.segments(0));
        utterances.push(u);
    }
    transcript.turns = assemble(utterances);
    Ok(vec![transcript])
}

/// A scalar value as text, unless it is empty or PCA's `"None"` (its placeholder for unknown).
fn known(node: Option<Node<'_, '_>>) -> Result<Option<String>, ParseError> {
    let Some(node) = node else {
        return Ok(None);
    };
    let text = node.scalar_text()?;
    let text = text.trim();
    Ok((!text.is_empty() && text != "None").then(|| text.to_string()))
}

/// The Transcribe job name in `SourceInformation[].TranscribeJobInfo.TranscriptionJobName`.
fn job_name(analytics: &Node<'_, '_>) -> Result<Option<String>, ParseError> {
    let Some(sources) = analytics.get("SourceInformation")? else {
        return Ok(None);
    };
    for source in sources.items()? {
        if let Some(info) = source.get("TranscribeJobInfo")?
            && let Some(name) = known(info.get("TranscriptionJobName")?)?
        {
            return Ok(Some(name));
        }
    }
    Ok(None)
}

/// True for `true` and for a non-zero number (PCA writes some flags as 0 and 1).
fn truthy(node: &Node<'_, '_>) -> bool {
    match &node.value.kind {
        Kind::Bool(b) => *b,
        Kind::Number(n) => n.parse::<f64>().is_ok_and(|v| v != 0.0),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transcript::{Millis, Position};

    const CALL: &str = r#"{
  "ConversationAnalytics": {
    "GUID": "None",
    "Agent": "jdoe",
    "LanguageCode": "en-US",
    "ConversationTime": "2021-11-25 13:35:14.215558",
    "SpeakerLabels": [{"Speaker": "spk_0", "DisplayText": "Agent"}, {"Speaker": "spk_1", "DisplayText": "Customer"}],
    "SourceInformation": [{"TranscribeJobInfo": {"TranscriptionJobName": "call-0001.wav"}}]
  },
  "SpeechSegments": [
    {"SegmentStartTime": 3.71, "SegmentEndTime": 6.16, "SegmentSpeaker": "spk_1", "OriginalText": "Hi.", "DisplayText": "Hi, you must help me."},
    {"SegmentStartTime": 0.0, "SegmentEndTime": 1.5, "SegmentSpeaker": "spk_2", "IVRSegment": true, "DisplayText": "Please hold."},
    {"SegmentStartTime": 0.64, "SegmentEndTime": 3.7, "SegmentSpeaker": "spk_0", "OriginalText": "Thank you for calling."}
  ]
}"#;

    #[test]
    fn segments_become_turns_with_the_platforms_roles() {
        let t = parse(CALL, &ParseOptions::default()).unwrap().remove(0);
        assert_eq!(t.metadata["call_id"], "call-0001.wav", "the GUID is \"None\"");
        assert_eq!(t.metadata["agent"], "jdoe");
        assert_eq!(t.metadata["language"], "en-US");
        assert_eq!(t.metadata["date"], "2021-11-25 13:35:14.215558");
        let turns: Vec<(Role, &str, &str, Option<Millis>)> = t
            .turns
            .iter()
            .map(|t| (t.speaker.role, t.speaker.label.as_str(), t.text.as_str(), t.start))
            .collect();
        assert_eq!(
            turns,
            [
                (Role::System, "spk_2", "Please hold.", Some(Millis(0))),
                (Role::Agent, "Agent", "Thank you for calling.", Some(Millis(640))),
                (
                    Role::Customer,
                    "Customer",
                    "Hi, you must help me.",
                    Some(Millis(3_710))
                ),
            ]
        );
        let must = t.turns[2].text.find("must").unwrap();
        assert_eq!(
            t.turns[2].position_at(must),
            Position {
                line: 11,
                column: 130
            }
        );
    }

    #[test]
    fn a_mapping_of_the_speaker_wins_over_the_display_text() {
        let mut options = ParseOptions::default();
        options.labels.add("spk_1", Role::Agent);
        options.labels.add("spk_0", Role::Customer);
        let t = parse(CALL, &options).unwrap().remove(0);
        let roles: Vec<Role> = t.turns.iter().map(|t| t.speaker.role).collect();
        assert_eq!(roles, [Role::System, Role::Customer, Role::Agent]);
    }

    #[test]
    fn errors_are_located() {
        let err = |text: &str| parse(text, &ParseOptions::default()).unwrap_err().to_string();
        assert_eq!(
            err(&CALL.replace("\"SegmentSpeaker\": \"spk_0\", ", "")),
            "line 13: `SpeechSegments[2]`: missing field `SegmentSpeaker`"
        );
        assert_eq!(
            err(&CALL.replace("\"SegmentEndTime\": 1.5", "\"SegmentEndTime\": \"soon\"")),
            "line 12: `SpeechSegments[1].SegmentEndTime`: expected a number of seconds such as \
             \"4.87\", found \"soon\""
        );
        assert_eq!(
            err(&CALL.replace("\"SegmentEndTime\": 6.16", "\"SegmentEndTime\": 1.0")),
            "line 11: `SpeechSegments[0].SegmentStartTime`: `SegmentEndTime` (00:00:01) is before \
             `SegmentStartTime` (00:00:03.710)"
        );
        assert_eq!(
            err("{\"ConversationAnalytics\": {}, \"SpeechSegments\": {}}"),
            "line 1: `SpeechSegments`: expected an array, found an object"
        );
    }
}
