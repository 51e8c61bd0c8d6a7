//! Amazon Connect Contact Lens analysis files, voice and chat.
//!
//! Voice (`"Channel": "VOICE"`): `Participants` maps each `ParticipantId` to a
//! `ParticipantRole`; `Transcript` items carry `Content`, `BeginOffsetMillis`,
//! `EndOffsetMillis` and `ParticipantId`. Turns overlap and one speaker's speech is split into
//! several items, so they are sorted and merged (see [`assemble`](super::assemble)).
//!
//! Chat (`"Channel": "CHAT"`): items carry an ISO 8601 `AbsoluteTime`, a `ParticipantRole`, a
//! `DisplayName` and a `Type`: `MESSAGE` items are turns (timed from the first item), `EVENT`
//! items (`…participant.joined`, `…participant.left`, `…chat.ended`) become events, and the
//! first agent or customer to leave is who ended the chat.
//!
//! Metadata: `call_id` from `CustomerMetadata.ContactId`, `language` from `LanguageCode`,
//! `channel` from `Channel`.

use std::collections::HashMap;

use super::assemble::{Utterance, assemble};
use super::json::{self, Node};
use super::time::parse_timestamp;
use super::{
    EndedBy, Event, Format, Millis, ParseError, ParseOptions, Role, RoleSource, Speaker, SpeakerLabels,
    Transcript,
};

/// The Contact Lens format.
pub static FORMAT: Format = Format {
    name: "contact-lens",
    description: "Amazon Connect Contact Lens, voice or chat: `Participants` and `Transcript`",
    extensions: &["json"],
    sniff: Some(|s| s.has_json_keys(&["Participants", "Transcript"])),
    parse,
    parse_line: None,
};

/// The prefix of chat event content types.
const EVENT_PREFIX: &str = "application/vnd.amazonaws.connect.event.";

/// The role of a Contact Lens `ParticipantRole`, and where it comes from: the platform's role
/// names are the transcript's own word; other values go through the speaker labels.
pub fn role_of(participant_role: &str, labels: &SpeakerLabels) -> (Role, RoleSource) {
    match participant_role.to_ascii_uppercase().as_str() {
        "AGENT" => (Role::Agent, RoleSource::Labels),
        "CUSTOMER" => (Role::Customer, RoleSource::Labels),
        "SYSTEM" | "CUSTOM_BOT" | "BOT" => (Role::System, RoleSource::Labels),
        "SUPERVISOR" => (Role::Other, RoleSource::Labels),
        _ => labels
            .lookup(participant_role)
            .unwrap_or((Role::Other, RoleSource::Unknown)),
    }
}

/// Who a participant is: role, where the role comes from, display name.
type Participant = (Role, RoleSource, Option<String>);

fn parse(text: &str, options: &ParseOptions) -> Result<Vec<Transcript>, ParseError> {
    let value = json::parse(text)?;
    let root = Node::root(&value);
    let mut transcript = Transcript::default();
    if let Some(id) = root
        .get("CustomerMetadata")?
        .map(|m| m.get("ContactId"))
        .transpose()?
        .flatten()
    {
        transcript.metadata.insert("call_id".into(), id.scalar_text()?);
    }
    if let Some(language) = root.get("LanguageCode")? {
        transcript
            .metadata
            .insert("language".into(), language.scalar_text()?);
    }
    let channel = root.get("Channel")?.map(|c| c.scalar_text()).transpose()?;
    if let Some(channel) = &channel {
        transcript.metadata.insert("channel".into(), channel.clone());
    }
    // ParticipantId → (role, display name).
    let mut participants: HashMap<String, Participant> = HashMap::new();
    if let Some(list) = root.get("Participants")? {
        for p in list.items()? {
            let id = p.field("ParticipantId")?.scalar_text()?;
            let name = p.get("DisplayName")?.map(|n| n.scalar_text()).transpose()?;
            // Redacted chat files leave the role out here (each item still has it).
            let role = match p.get("ParticipantRole")? {
                Some(role) => role_of(role.str()?.as_str(), &options.labels),
                None => name
                    .as_deref()
                    .and_then(|n| options.labels.lookup(n))
                    .unwrap_or((Role::Other, RoleSource::Unknown)),
            };
            participants.insert(id, (role.0, role.1, name));
        }
    }
    let items = root.field("Transcript")?.items()?;
    let is_chat = match channel.as_deref() {
        Some(c) => c.eq_ignore_ascii_case("CHAT"),
        None => items.first().is_some_and(|i| i.has("AbsoluteTime")),
    };
    let utterances = if is_chat {
        chat(&items, &participants, options, &mut transcript)?
    } else {
        voice(&items, &participants, options)?
    };
    transcript.turns = assemble(utterances);
    Ok(vec![transcript])
}

/// The speaker of an item: its own `ParticipantRole`, or its `ParticipantId` looked up in
/// `Participants`.
fn speaker(
    item: &Node<'_, '_>,
    participants: &HashMap<String, Participant>,
    options: &ParseOptions,
) -> Result<Speaker, ParseError> {
    let id = item.get("ParticipantId")?.map(|n| n.scalar_text()).transpose()?;
    let display = item.get("DisplayName")?.map(|n| n.scalar_text()).transpose()?;
    if let Some(role) = item.get("ParticipantRole")? {
        let role_text = role.str()?.as_str();
        let (role, source) = role_of(role_text, &options.labels);
        return Ok(Speaker {
            role,
            label: display.or(id).unwrap_or_else(|| role_text.to_string()),
            source,
        });
    }
    let id_node = item.field("ParticipantId")?;
    let id = id.unwrap_or_default();
    match participants.get(&id) {
        Some((role, source, name)) => Ok(Speaker {
            role: *role,
            label: display.or_else(|| name.clone()).unwrap_or(id),
            source: *source,
        }),
        None => {
            let mut known: Vec<&str> = participants.keys().map(String::as_str).collect();
            known.sort_unstable();
            Err(id_node.error(format!(
                "\"{id}\" is not one of the `Participants` ({})",
                known.join(", ")
            )))
        }
    }
}

fn voice(
    items: &[Node<'_, '_>],
    participants: &HashMap<String, Participant>,
    options: &ParseOptions,
) -> Result<Vec<Utterance>, ParseError> {
    let mut utterances = Vec::with_capacity(items.len());
    for item in items {
        let speaker = speaker(item, participants, options)?;
        let content = item.field("Content")?.str()?;
        let begin = item.field("BeginOffsetMillis")?.millis()?;
        let end = item.field("EndOffsetMillis")?.millis()?;
        if end < begin {
            return Err(item.error(format!(
                "`EndOffsetMillis` ({}) is before `BeginOffsetMillis` ({})",
                end.0, begin.0
            )));
        }
        let mut u = Utterance::new(speaker, Some(begin), Some(end));
        u.push("", content.as_str(), content.segments(0));
        utterances.push(u);
    }
    Ok(utterances)
}

fn chat(
    items: &[Node<'_, '_>],
    participants: &HashMap<String, Participant>,
    options: &ParseOptions,
    transcript: &mut Transcript,
) -> Result<Vec<Utterance>, ParseError> {
    let mut times = Vec::with_capacity(items.len());
    for item in items {
        let node = item.field("AbsoluteTime")?;
        let at = parse_timestamp(node.str()?.as_str()).map_err(|e| node.error(e))?;
        times.push(at);
    }
    let first = times.iter().copied().min().unwrap_or(0);
    let offset = |at: i64| Millis(u64::try_from(at - first).unwrap_or(0));
    let mut utterances = Vec::new();
    for (item, &at) in items.iter().zip(&times) {
        let kind = item.get("Type")?.map(|t| t.scalar_text()).transpose()?;
        if kind.as_deref() == Some("EVENT") {
            let content_type_node = item.field("ContentType")?;
            let content_type = content_type_node.scalar_text()?;
            // Point at the event's content type: the line that says what happened.
            let position = content_type_node.str().map_or(item.value.pos, |s| s.position());
            let name = content_type
                .strip_prefix(EVENT_PREFIX)
                .unwrap_or(&content_type)
                .to_string();
            let who = if item.has("ParticipantRole") || item.has("ParticipantId") {
                Some(speaker(item, participants, options)?)
            } else {
                None
            };
            let mut attributes = Vec::new();
            if let Some(who) = &who {
                attributes.push(("role".to_string(), who.role.as_str().to_string()));
                attributes.push(("name".to_string(), who.label.clone()));
            }
            if name == "participant.left"
                && transcript.ended_by.is_none()
                && let Some(who) = &who
                && matches!(who.role, Role::Agent | Role::Customer)
            {
                transcript.ended_by = Some(EndedBy {
                    role: who.role,
                    position,
                    time: Some(offset(at)),
                });
            }
            transcript.events.push(Event {
                name,
                attributes,
                time: Some(offset(at)),
                position,
            });
            continue;
        }
        let Some(content) = item.get("Content")? else {
            continue; // attachments and other content without text
        };
        let content = content.str()?;
        let speaker = speaker(item, participants, options)?;
        let mut u = Utterance::new(speaker, Some(offset(at)), Some(offset(at)));
        u.push("", content.as_str(), content.segments(0));
        utterances.push(u);
    }
    Ok(utterances)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transcript::Position;

    fn one(text: &str) -> Transcript {
        parse(text, &ParseOptions::default()).unwrap().remove(0)
    }

    fn err(text: &str) -> String {
        parse(text, &ParseOptions::default()).unwrap_err().to_string()
    }

    const VOICE: &str = r#"{
  "Channel": "VOICE",
  "LanguageCode": "en-US",
  "CustomerMetadata": {"ContactId": "c-1"},
  "Participants": [
    {"ParticipantId": "AGENT", "ParticipantRole": "AGENT"},
    {"ParticipantId": "CUSTOMER", "ParticipantRole": "CUSTOMER"}
  ],
  "Transcript": [
    {"ParticipantId": "AGENT", "Content": "Hello, this is ACME.", "BeginOffsetMillis": 0, "EndOffsetMillis": 2000},
    {"ParticipantId": "CUSTOMER", "Content": "Hi [PII] here.", "BeginOffsetMillis": 1800, "EndOffsetMillis": 3000},
    {"ParticipantId": "AGENT", "Content": "How can I help?", "BeginOffsetMillis": 1900, "EndOffsetMillis": 2500},
    {"ParticipantId": "AGENT", "Content": "You must log in.", "BeginOffsetMillis": 3100, "EndOffsetMillis": 4000}
  ]
}"#;

    #[test]
    fn voice_turns_are_sorted_merged_and_located() {
        let t = one(VOICE);
        assert_eq!(t.metadata["call_id"], "c-1");
        assert_eq!(t.metadata["language"], "en-US");
        let turns: Vec<(Role, &str)> = t
            .turns
            .iter()
            .map(|t| (t.speaker.role, t.text.as_str()))
            .collect();
        assert_eq!(
            turns,
            [
                (Role::Agent, "Hello, this is ACME."),
                (Role::Customer, "Hi [PII] here."),
                (Role::Agent, "How can I help?\nYou must log in."),
            ]
        );
        assert_eq!(t.turns[2].start, Some(Millis(1_900)));
        assert_eq!(t.turns[2].end, Some(Millis(4_000)));
        let must = t.turns[2].text.find("must").unwrap();
        assert_eq!(t.turns[2].position_at(must), Position { line: 13, column: 48 });
        assert_eq!(t.ended_by, None, "voice analysis does not say who hung up");
    }

    const CHAT: &str = r#"{
  "Channel": "CHAT",
  "Participants": [
    {"DisplayName": "John", "ParticipantId": "c", "ParticipantRole": "CUSTOMER"},
    {"DisplayName": "Jane", "ParticipantId": "a", "ParticipantRole": "AGENT"}
  ],
  "Transcript": [
    {"AbsoluteTime": "2022-10-27T03:31:50.735Z", "ContentType": "application/vnd.amazonaws.connect.event.participant.joined", "ParticipantId": "c", "ParticipantRole": "CUSTOMER", "DisplayName": "John", "Type": "EVENT"},
    {"AbsoluteTime": "2022-10-27T03:32:03.462Z", "Content": "Hello, this is Jane.", "ContentType": "text/plain", "ParticipantId": "a", "ParticipantRole": "AGENT", "DisplayName": "Jane", "Type": "MESSAGE"},
    {"AbsoluteTime": "2022-10-27T03:32:08.102Z", "Content": "Refund please.", "ParticipantId": "c", "Type": "MESSAGE"},
    {"AbsoluteTime": "2022-10-27T03:34:42.799Z", "ContentType": "application/vnd.amazonaws.connect.event.participant.left", "ParticipantId": "c", "ParticipantRole": "CUSTOMER", "Type": "EVENT"},
    {"AbsoluteTime": "2022-10-27T03:34:43.192Z", "ContentType": "application/vnd.amazonaws.connect.event.participant.left", "ParticipantId": "a", "ParticipantRole": "AGENT", "Type": "EVENT"},
    {"AbsoluteTime": "2022-10-27T03:34:43.500Z", "ContentType": "application/vnd.amazonaws.connect.event.chat.ended", "Type": "EVENT"}
  ]
}"#;

    #[test]
    fn chat_messages_events_and_who_left_first() {
        let t = one(CHAT);
        assert_eq!(t.turns.len(), 2);
        assert_eq!(t.turns[0].speaker.label, "Jane");
        assert_eq!(t.turns[0].start, Some(Millis(12_727)));
        assert_eq!(t.turns[1].speaker.role, Role::Customer, "role from Participants");
        let ended = t.ended_by.unwrap();
        assert_eq!(ended.role, Role::Customer);
        assert_eq!(ended.position, Position { line: 11, column: 66 });
        assert_eq!(ended.time, Some(Millis(172_064)));
        let names: Vec<&str> = t.events.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "participant.joined",
                "participant.left",
                "participant.left",
                "chat.ended"
            ]
        );
    }

    #[test]
    fn errors_name_the_item() {
        let broken = VOICE.replace("\"BeginOffsetMillis\": 1800", "\"BeginOffsetMillis\": \"soon\"");
        assert_eq!(
            err(&broken),
            "line 11: `Transcript[1].BeginOffsetMillis`: expected a number, found a string"
        );
        let broken = VOICE.replace(
            "\"ParticipantId\": \"CUSTOMER\", \"Content\"",
            "\"ParticipantId\": \"BOT\", \"Content\"",
        );
        assert_eq!(
            err(&broken),
            "line 11: `Transcript[1].ParticipantId`: \"BOT\" is not one of the `Participants` (AGENT, CUSTOMER)"
        );
        let broken = VOICE.replace("\"Content\": \"How can I help?\", ", "");
        assert_eq!(err(&broken), "line 12: `Transcript[2]`: missing field `Content`");
        let broken = CHAT.replace("2022-10-27T03:32:08.102Z", "yesterday");
        assert_eq!(
            err(&broken),
            "line 10: `Transcript[2].AbsoluteTime`: `yesterday` is not a timestamp: expected \
             yyyy-mm-ddThh:mm:ss(.fff)(Z|±hh:mm)"
        );
        let broken = VOICE.replace("\"EndOffsetMillis\": 4000", "\"EndOffsetMillis\": 3000");
        assert_eq!(
            err(&broken),
            "line 13: `Transcript[3]`: `EndOffsetMillis` (3000) is before `BeginOffsetMillis` (3100)"
        );
        let truncated = &VOICE[..VOICE.len() - 40];
        assert!(
            err(truncated).starts_with("line 13: unexpected end of the file: "),
            "{}",
            err(truncated)
        );
    }
}
