//! Twilio Voice Intelligence (Conversational Intelligence) transcripts: the Transcript Sentence
//! list (`GET https://intelligence.twilio.com/v2/Transcripts/{TranscriptSid}/Sentences`), as the
//! API returns it.
//!
//! ```json
//! {"sentences": [{"media_channel": 1, "sentence_index": 0, "start_time": "0.8",
//!                 "end_time": "3.4", "transcript": "Thank you for calling.", "sid": "GX…",
//!                 "confidence": "0.96"}],
//!  "meta": {"url": "https://intelligence.twilio.com/v2/Transcripts/GT…/Sentences", "next_page_url": null, …}}
//! ```
//!
//! Each sentence is a piece of a turn: `transcript` from `start_time` to `end_time` (seconds
//! from the start of the recording, as numbers or strings; `null` when the recording has no
//! timing, and then sentences keep `sentence_index` order). The speaker is the sentence's
//! `media_channel`, labelled `channel_1`, `channel_2`: the sentence list does not say who is on
//! which channel, so map the labels (`--speaker-map channel_1=customer,channel_2=agent`), or
//! save the Transcript resource's `channel` object (with its `participants`: `channel_participant`,
//! `role`, `full_name`) beside `sentences` in the file, and the roles come from there. The
//! helper libraries' camelCase names (`mediaChannel`, `startTime`, …) work too.
//!
//! A page whose `meta.next_page_url` is set holds only part of the call: it is an error, because
//! checking half a call reports a missing closing that was said on the next page.
//!
//! Metadata: `call_id` from the transcript's `sid` (the file's, or the one in `meta.url`),
//! `language` from `language_code`.

use std::collections::HashMap;

use super::assemble::{Utterance, assemble};
use super::json::{self, Kind, Node};
use super::{Format, ParseError, ParseOptions, Role, Speaker, Transcript};

/// The Twilio Voice Intelligence format.
pub static FORMAT: Format = Format {
    name: "twilio",
    description: "Twilio Voice Intelligence transcript sentences: `sentences` with `meta` or `channel`",
    extensions: &["json"],
    sniff: Some(|s| {
        s.has_json_keys(&["sentences"]) && ["meta", "channel", "sid"].iter().any(|k| s.has_json_keys(&[k]))
    }),
    parse,
    parse_line: None,
};

fn parse(text: &str, options: &ParseOptions) -> Result<Vec<Transcript>, ParseError> {
    let value = json::parse(text)?;
    let root = Node::root(&value);
    let mut transcript = Transcript::default();
    let meta = root.get("meta")?;
    if let Some(meta) = &meta
        && let Some(next) = meta.get("next_page_url")?
    {
        return Err(next.error(format!(
            "this is one page of the transcript's sentences; the next is {}: fetch every page \
             (PageSize up to 5000) and save their sentences together in one file, without `meta`",
            next.scalar_text()?
        )));
    }
    let sid = match root.get("sid")? {
        Some(sid) => Some(sid.scalar_text()?),
        None => match &meta {
            Some(meta) => meta
                .get("url")?
                .map(|u| u.scalar_text())
                .transpose()?
                .and_then(|url| {
                    url.split('/')
                        .find(|part| part.starts_with("GT") && part.len() == 34)
                        .map(str::to_string)
                }),
            None => None,
        },
    };
    if let Some(sid) = sid {
        transcript.metadata.insert("call_id".into(), sid);
    }
    if let Some(language) = either(&root, "language_code", "languageCode")? {
        transcript
            .metadata
            .insert("language".into(), language.scalar_text()?);
    }
    // Channel number → (label, role) from the Transcript resource's participants.
    let mut channels: HashMap<String, (String, Option<Role>)> = HashMap::new();
    if let Some(channel) = root.get("channel")?
        && let Some(participants) = channel.get("participants")?
    {
        for p in participants.items()? {
            let number = channel_number(
                &either(&p, "channel_participant", "channelParticipant")?
                    .ok_or_else(|| p.error("missing field `channel_participant`"))?,
            )?;
            let role_text = p.get("role")?.map(|r| r.scalar_text()).transpose()?;
            let name = either(&p, "full_name", "fullName")?
                .map(|n| n.scalar_text())
                .transpose()?
                .filter(|n| !n.trim().is_empty());
            let role = role_text.as_deref().and_then(role_of);
            let label = name.or(role_text).unwrap_or_else(|| format!("channel_{number}"));
            channels.insert(number, (label, role));
        }
    }
    let mut sentences = root.field("sentences")?.items()?;
    // Untimed sentences keep the order Twilio numbered them in.
    let mut indexed = Vec::with_capacity(sentences.len());
    for s in sentences.drain(..) {
        let index = either(&s, "sentence_index", "sentenceIndex")?
            .map(|n| n.number())
            .transpose()?;
        indexed.push((index, s));
    }
    indexed.sort_by(|a, b| a.0.partial_cmp(&b.0).unwrap_or(std::cmp::Ordering::Equal));
    let mut utterances = Vec::with_capacity(indexed.len());
    for (_, sentence) in &indexed {
        let Some(text) = sentence.get("transcript")? else {
            continue; // a sentence with no text (null)
        };
        let text = text.str()?;
        let number = channel_number(
            &either(sentence, "media_channel", "mediaChannel")?
                .ok_or_else(|| sentence.error("missing field `media_channel`"))?,
        )?;
        let (label, role) = match channels.get(&number) {
            Some((label, role)) => (label.clone(), *role),
            None => (format!("channel_{number}"), None),
        };
        // The transcript's own participant roles, else the labels the user mapped.
        let speaker = match role {
            Some(role) => Speaker::declared(role, label),
            None => options.labels.speaker(&label),
        };
        let start = either(sentence, "start_time", "startTime")?
            .map(|n| n.seconds())
            .transpose()?;
        let end_node = either(sentence, "end_time", "endTime")?;
        let end = end_node.as_ref().map(Node::seconds).transpose()?;
        if let (Some(s), Some(e), Some(node)) = (start, end, &end_node)
            && e < s
        {
            return Err(node.error(format!("`end_time` ({e}) is before `start_time` ({s})")));
        }
        let mut u = Utterance::new(speaker, start, end);
        u.push("", text.as_str(), text.segments(0));
        utterances.push(u);
    }
    transcript.turns = assemble(utterances);
    Ok(vec![transcript])
}

/// A member under its REST name or its helper-library (camelCase) name.
fn either<'v, 's>(node: &Node<'v, 's>, snake: &str, camel: &str) -> Result<Option<Node<'v, 's>>, ParseError> {
    Ok(match node.get(snake)? {
        Some(n) => Some(n),
        None => node.get(camel)?,
    })
}

/// A channel number, given as a number or a string (`1`, `"1"`).
fn channel_number(node: &Node<'_, '_>) -> Result<String, ParseError> {
    let text = node.scalar_text()?;
    let valid = matches!(node.value.kind, Kind::Number(_) | Kind::String(_))
        && !text.is_empty()
        && text.bytes().all(|b| b.is_ascii_digit());
    if !valid {
        return Err(node.error(format!(
            "expected a channel number such as 1 or 2, found `{text}`"
        )));
    }
    Ok(text.trim_start_matches('0').to_string())
}

/// The role of a Twilio participant role (`Agent`, `Customer`, and the newer `HUMAN_AGENT`,
/// `AI_AGENT`, `CUSTOMER`).
fn role_of(role: &str) -> Option<Role> {
    match role.trim().to_ascii_uppercase().as_str() {
        "AGENT" | "HUMAN_AGENT" => Some(Role::Agent),
        "AI_AGENT" | "VIRTUAL_AGENT" | "BOT" => Some(Role::System),
        "CUSTOMER" => Some(Role::Customer),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transcript::{Millis, Position};

    const PAGE: &str = r#"{
  "sentences": [
    {"media_channel": 2, "sentence_index": 1, "start_time": "3.60", "end_time": "5.90", "transcript": "Hi, you must help me.", "sid": "GXaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa1", "confidence": "0.93"},
    {"media_channel": 1, "sentence_index": 0, "start_time": 0.8, "end_time": 3.4, "transcript": "Thank you for calling.", "sid": "GXaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa0", "confidence": "0.97"}
  ],
  "meta": {"page": 0, "page_size": 50, "first_page_url": "https://intelligence.twilio.com/v2/Transcripts/GTaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/Sentences?PageSize=50&Page=0", "previous_page_url": null, "url": "https://intelligence.twilio.com/v2/Transcripts/GTaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/Sentences?PageSize=50&Page=0", "next_page_url": null, "key": "sentences"}
}"#;

    #[test]
    fn sentences_become_turns_of_their_channels() {
        let mut options = ParseOptions::default();
        options.labels.add("channel_1", Role::Agent);
        let t = parse(PAGE, &options).unwrap().remove(0);
        assert_eq!(t.metadata["call_id"], "GTaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
        let turns: Vec<(Role, &str, &str, Option<Millis>)> = t
            .turns
            .iter()
            .map(|t| (t.speaker.role, t.speaker.label.as_str(), t.text.as_str(), t.start))
            .collect();
        assert_eq!(
            turns,
            [
                (
                    Role::Agent,
                    "channel_1",
                    "Thank you for calling.",
                    Some(Millis(800))
                ),
                (
                    Role::Other,
                    "channel_2",
                    "Hi, you must help me.",
                    Some(Millis(3_600))
                ),
            ]
        );
        let must = t.turns[1].text.find("must").unwrap();
        assert_eq!(t.turns[1].position_at(must), Position { line: 3, column: 112 });
    }

    #[test]
    fn participants_of_the_transcript_give_roles() {
        let text = r#"{"sid": "GTbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb", "language_code": "en-US",
 "channel": {"media_properties": {"source_sid": "REx"}, "participants": [
   {"channel_participant": 1, "role": "Customer", "media_participant_id": "+15550100"},
   {"channel_participant": "2", "role": "Agent", "full_name": "Leo Martin"}]},
 "sentences": [
   {"mediaChannel": "2", "sentenceIndex": 1, "startTime": null, "endTime": null, "transcript": "Leo speaking."},
   {"mediaChannel": 1, "sentenceIndex": 0, "startTime": null, "endTime": null, "transcript": "Hello?"}]}"#;
        let t = parse(text, &ParseOptions::default()).unwrap().remove(0);
        assert_eq!(t.metadata["call_id"], "GTbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb");
        assert_eq!(t.metadata["language"], "en-US");
        let turns: Vec<(Role, &str, &str)> = t
            .turns
            .iter()
            .map(|t| (t.speaker.role, t.speaker.label.as_str(), t.text.as_str()))
            .collect();
        assert_eq!(
            turns,
            [
                (Role::Customer, "Customer", "Hello?"),
                (Role::Agent, "Leo Martin", "Leo speaking."),
            ],
            "untimed sentences keep their index order"
        );
    }

    #[test]
    fn errors_are_located() {
        let err = |text: &str| parse(text, &ParseOptions::default()).unwrap_err().to_string();
        let partial = PAGE.replace(
            "\"next_page_url\": null",
            "\"next_page_url\": \"https://intelligence.twilio.com/v2/Transcripts/GTa/Sentences?Page=1\"",
        );
        assert_eq!(
            err(&partial),
            "line 6: `meta.next_page_url`: this is one page of the transcript's sentences; the next \
             is https://intelligence.twilio.com/v2/Transcripts/GTa/Sentences?Page=1: fetch every \
             page (PageSize up to 5000) and save their sentences together in one file, without `meta`"
        );
        assert_eq!(
            err(&PAGE.replace("\"media_channel\": 2, ", "")),
            "line 3: `sentences[0]`: missing field `media_channel`"
        );
        assert_eq!(
            err(&PAGE.replace("\"media_channel\": 2", "\"media_channel\": \"left\"")),
            "line 3: `sentences[0].media_channel`: expected a channel number such as 1 or 2, found `left`"
        );
        assert_eq!(
            err(&PAGE.replace("\"end_time\": \"5.90\"", "\"end_time\": \"2.0\"")),
            "line 3: `sentences[0].end_time`: `end_time` (00:00:02) is before `start_time` (00:00:03.600)"
        );
    }
}
