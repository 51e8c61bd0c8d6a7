//! Genesys Cloud speech and text analytics transcripts: the JSON behind the transcript URL
//! (`GET /api/v2/speechandtextanalytics/conversations/{conversationId}/communications/
//! {communicationId}/transcripturl`).
//!
//! ```json
//! {"conversationId": "…", "communicationId": "…", "mediaType": "call",
//!  "conversationStartTime": 1749243600000,
//!  "participants": [{"participantPurpose": "ivr", "startTimeMs": 1749243600000, "endTimeMs": 1749243605000}],
//!  "transcripts": [{"language": "en-US", "phrases": [
//!    {"text": "thanks for calling", "decoratedText": "Thanks for calling.",
//!     "startTimeMs": 1749243605000, "duration": {"milliseconds": 1500},
//!     "participantPurpose": "internal", "phraseIndex": 0}]}]}
//! ```
//!
//! Each phrase is a piece of a turn: `decoratedText` (punctuated, cased) else `text`. Times are
//! epoch milliseconds: a phrase starts at `startTimeMs` less the conversation's start
//! (`conversationStartTime`, else `startTime`, else the earliest phrase), or at
//! `offset.milliseconds` when it has no `startTimeMs`; it ends `duration.milliseconds` later.
//!
//! `participantPurpose` says who spoke: `external` (the customer's side) and `internal` (the
//! organisation's side: agents, and the IVR or queue before them). A phrase is given the purpose
//! of the `participants` entry on its side whose `startTimeMs`–`endTimeMs` holds the phrase's
//! start, so an internal phrase during the IVR is the IVR's. Purposes map to roles: `agent`,
//! `user`, `internal` → agent; `customer`, `external` → customer; `ivr`, `acd`, `bot`,
//! `workflow`, `voicemail`, `fax` → system; any other through the speaker labels.
//!
//! Metadata: `call_id` from `conversationId`, `communication_id`, `channel` from `mediaType`,
//! `language` from the first transcript's `language`.

use super::assemble::{Utterance, assemble};
use super::json::{self, Node};
use super::{Format, Millis, ParseError, ParseOptions, Role, Speaker, Transcript};

/// The Genesys Cloud transcript format.
pub static FORMAT: Format = Format {
    name: "genesys",
    description: "Genesys Cloud speech and text analytics transcript: `transcripts` of a conversation",
    extensions: &["json"],
    sniff: Some(|s| {
        s.has_json_keys(&["transcripts"])
            && [
                "conversationId",
                "communicationId",
                "conversationStartTime",
                "organizationId",
            ]
            .iter()
            .any(|k| s.has_json_keys(&[k]))
    }),
    parse,
    parse_line: None,
};

/// Purposes on the organisation's side of a call.
const INTERNAL: &[&str] = &[
    "internal",
    "agent",
    "user",
    "ivr",
    "acd",
    "bot",
    "workflow",
    "voicemail",
    "fax",
];

/// Purposes on the customer's side.
const EXTERNAL: &[&str] = &["external", "customer"];

/// A participant: purpose and the time span it was in the conversation (epoch ms).
struct Participant {
    purpose: String,
    start: Option<f64>,
    end: Option<f64>,
}

fn parse(text: &str, options: &ParseOptions) -> Result<Vec<Transcript>, ParseError> {
    let value = json::parse(text)?;
    let root = Node::root(&value);
    let mut transcript = Transcript::default();
    for (key, meta) in [
        ("conversationId", "call_id"),
        ("communicationId", "communication_id"),
        ("mediaType", "channel"),
    ] {
        if let Some(v) = root.get(key)? {
            transcript.metadata.insert(meta.into(), v.scalar_text()?);
        }
    }
    let mut participants = Vec::new();
    if let Some(list) = root.get("participants")? {
        for p in list.items()? {
            let Some(purpose) = p.get("participantPurpose")? else {
                continue;
            };
            participants.push(Participant {
                purpose: purpose.scalar_text()?.to_ascii_lowercase(),
                start: p.get("startTimeMs")?.map(|n| n.number()).transpose()?,
                end: p.get("endTimeMs")?.map(|n| n.number()).transpose()?,
            });
        }
    }
    let mut phrases = Vec::new();
    for (i, t) in root.field("transcripts")?.items()?.into_iter().enumerate() {
        if i == 0
            && let Some(language) = t.get("language")?
        {
            transcript
                .metadata
                .insert("language".into(), language.scalar_text()?);
        }
        if let Some(list) = t.get("phrases")? {
            phrases.extend(list.items()?);
        }
    }
    let mut stamps = Vec::with_capacity(phrases.len());
    for phrase in &phrases {
        stamps.push(phrase.get("startTimeMs")?.map(|n| epoch_ms(&n)).transpose()?);
    }
    let base = match root.get("conversationStartTime")?.or(root.get("startTime")?) {
        Some(n) => Some(epoch_ms(&n)?),
        None => stamps.iter().flatten().copied().reduce(f64::min),
    };
    let mut utterances = Vec::with_capacity(phrases.len());
    for (phrase, stamp) in phrases.iter().zip(stamps) {
        let text = match phrase.get("decoratedText")? {
            Some(t) if !t.str()?.as_str().trim().is_empty() => t.str()?,
            _ => phrase.field("text")?.str()?,
        };
        let purpose = phrase
            .field("participantPurpose")?
            .scalar_text()?
            .to_ascii_lowercase();
        let start = match (stamp, base) {
            (Some(at), Some(base)) => Some(Millis((at - base).max(0.0).round() as u64)),
            _ => match phrase.get("offset")? {
                Some(offset) => Some(offset.field("milliseconds")?.millis()?),
                None => None,
            },
        };
        let duration = match phrase.get("duration")? {
            Some(d) => Some(d.field("milliseconds")?.millis()?),
            None => None,
        };
        let end = start.zip(duration).map(|(s, d)| Millis(s.0.saturating_add(d.0)));
        let label = refine(&purpose, stamp, &participants);
        let mut u = Utterance::new(speaker_of(label, options), start, end);
        u.push("", text.as_str(), text.segments(0));
        utterances.push(u);
    }
    transcript.turns = assemble(utterances);
    Ok(vec![transcript])
}

/// Epoch milliseconds, checked to be a plausible time.
fn epoch_ms(node: &Node<'_, '_>) -> Result<f64, ParseError> {
    let n = node.number()?;
    if !(0.0..1e15).contains(&n) {
        return Err(node.error(format!(
            "expected a time in epoch milliseconds (such as 1749243600000), found {n}"
        )));
    }
    Ok(n)
}

/// The purpose of the participant on the phrase's side who was in the conversation when it
/// started (the IVR, then the agent, on the internal side); the phrase's own purpose if none.
fn refine(purpose: &str, at: Option<f64>, participants: &[Participant]) -> String {
    let side: &[&str] = if INTERNAL.contains(&purpose) {
        INTERNAL
    } else if EXTERNAL.contains(&purpose) {
        EXTERNAL
    } else {
        return purpose.to_string();
    };
    let found = at.and_then(|at| {
        participants.iter().find(|p| {
            side.contains(&p.purpose.as_str())
                && p.start.is_some_and(|s| s <= at)
                && p.end.is_none_or(|e| at < e)
        })
    });
    found.map_or_else(|| purpose.to_string(), |p| p.purpose.clone())
}

/// The role of a participant purpose.
fn speaker_of(purpose: String, options: &ParseOptions) -> Speaker {
    let role = match purpose.as_str() {
        "agent" | "user" | "internal" => Role::Agent,
        "customer" | "external" => Role::Customer,
        "ivr" | "acd" | "bot" | "workflow" | "voicemail" | "fax" => Role::System,
        _ => return options.labels.speaker(&purpose),
    };
    Speaker::declared(role, purpose)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transcript::Position;

    const CALL: &str = r#"{
  "conversationId": "c0ffee00-0000-4000-8000-000000000001",
  "communicationId": "c0ffee00-0000-4000-8000-000000000002",
  "mediaType": "call",
  "conversationStartTime": 1749243600000,
  "participants": [
    {"participantPurpose": "ivr", "startTimeMs": 1749243600000, "endTimeMs": 1749243605000},
    {"participantPurpose": "agent", "userId": "u-1", "startTimeMs": 1749243605000, "endTimeMs": 1749243700000},
    {"participantPurpose": "customer", "startTimeMs": 1749243600000, "endTimeMs": 1749243700000}
  ],
  "transcripts": [{"language": "en-US", "phrases": [
    {"text": "you must hold", "decoratedText": "You must hold.", "startTimeMs": 1749243607000, "duration": {"milliseconds": 1200}, "participantPurpose": "internal", "phraseIndex": 2},
    {"text": "press one", "startTimeMs": 1749243600500, "duration": {"milliseconds": 2000}, "participantPurpose": "internal", "phraseIndex": 0},
    {"text": "hi", "decoratedText": "Hi.", "startTimeMs": 1749243605500, "participantPurpose": "external", "phraseIndex": 1}
  ]}]
}"#;

    #[test]
    fn phrases_become_turns_with_the_purpose_of_their_participant() {
        let t = parse(CALL, &ParseOptions::default()).unwrap().remove(0);
        assert_eq!(t.metadata["call_id"], "c0ffee00-0000-4000-8000-000000000001");
        assert_eq!(t.metadata["language"], "en-US");
        assert_eq!(t.metadata["channel"], "call");
        let turns: Vec<(Role, &str, &str)> = t
            .turns
            .iter()
            .map(|t| (t.speaker.role, t.speaker.label.as_str(), t.text.as_str()))
            .collect();
        assert_eq!(
            turns,
            [
                (Role::System, "ivr", "press one"),
                (Role::Customer, "customer", "Hi."),
                (Role::Agent, "agent", "You must hold."),
            ]
        );
        let times: Vec<(Option<Millis>, Option<Millis>)> = t.turns.iter().map(|t| (t.start, t.end)).collect();
        assert_eq!(
            times,
            [
                (Some(Millis(500)), Some(Millis(2_500))),
                (Some(Millis(5_500)), None),
                (Some(Millis(7_000)), Some(Millis(8_200))),
            ]
        );
        let must = t.turns[2].text.find("must").unwrap();
        assert_eq!(t.turns[2].position_at(must), Position { line: 12, column: 53 });
    }

    #[test]
    fn offsets_serve_when_there_are_no_epoch_times() {
        let text = r#"{"conversationId": "c", "transcripts": [{"phrases": [
  {"text": "hello", "offset": {"milliseconds": 1500}, "participantPurpose": "external"}]}]}"#;
        let t = parse(text, &ParseOptions::default()).unwrap().remove(0);
        assert_eq!(t.turns[0].start, Some(Millis(1_500)));
        assert_eq!(t.turns[0].speaker.role, Role::Customer);
    }

    #[test]
    fn errors_are_located() {
        let err = |text: &str| parse(text, &ParseOptions::default()).unwrap_err().to_string();
        assert_eq!(
            err(&CALL.replace(", \"participantPurpose\": \"external\"", "")),
            "line 14: `transcripts[0].phrases[2]`: missing field `participantPurpose`"
        );
        assert_eq!(
            err(&CALL.replace("\"startTimeMs\": 1749243600500", "\"startTimeMs\": \"soon\"")),
            "line 13: `transcripts[0].phrases[1].startTimeMs`: expected a number, found a string"
        );
        assert_eq!(
            err(&CALL.replace("\"text\": \"press one\", ", "")),
            "line 13: `transcripts[0].phrases[1]`: missing field `text`"
        );
    }
}
