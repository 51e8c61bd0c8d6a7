//! Google Contact Center AI Insights conversation JSON (the upload format).
//!
//! ```json
//! {"entries": [{"start_timestamp_usec": 1000000, "text": "Hello", "role": "AGENT", "user_id": 2}]}
//! ```
//!
//! `role` is `AGENT`/`HUMAN_AGENT` (agent), `AUTOMATED_AGENT` (a virtual agent: system),
//! `CUSTOMER`/`END_USER` (customer); any other value goes through the speaker labels.
//! `start_timestamp_usec` is microseconds; when the values are wall-clock times (from 10¹²
//! µs, about 11 days, on) they are counted from the earliest entry, otherwise taken as offsets
//! from the start of the call. Entries are sorted and merged (see [`assemble`](super::assemble)).

use super::assemble::{Utterance, assemble};
use super::json::{self, Node};
use super::{Format, Millis, ParseError, ParseOptions, Role, Speaker, Transcript};

/// The CCAI Insights format.
pub static FORMAT: Format = Format {
    name: "ccai",
    description: "Google CCAI Insights conversation: `entries`",
    extensions: &["json"],
    sniff: Some(|s| s.has_json_keys(&["entries"])),
    parse,
    parse_line: None,
};

/// Timestamps at or above this many microseconds are wall-clock times.
const WALL_CLOCK_USEC: f64 = 1e12;

fn parse(text: &str, options: &ParseOptions) -> Result<Vec<Transcript>, ParseError> {
    let value = json::parse(text)?;
    let root = Node::root(&value);
    let entries = root.field("entries")?.items()?;
    let mut stamps = Vec::with_capacity(entries.len());
    for entry in &entries {
        let usec = match entry.get("start_timestamp_usec")? {
            Some(n) => {
                let v = n.number()?;
                if !(0.0..1e18).contains(&v) {
                    return Err(n.error(format!(
                        "expected a non-negative number of microseconds, found {v}"
                    )));
                }
                Some(v)
            }
            None => None,
        };
        stamps.push(usec);
    }
    let earliest = stamps.iter().flatten().copied().fold(f64::INFINITY, f64::min);
    let base = if earliest.is_finite() && earliest >= WALL_CLOCK_USEC {
        earliest
    } else {
        0.0
    };
    let mut utterances = Vec::with_capacity(entries.len());
    for (entry, usec) in entries.iter().zip(stamps) {
        let role_text = entry.field("role")?.str()?.as_str();
        let label = match entry.get("user_id")? {
            Some(id) => format!("{role_text} {}", id.scalar_text()?),
            None => role_text.to_string(),
        };
        let role = match role_text.to_ascii_uppercase().as_str() {
            "AGENT" | "HUMAN_AGENT" => Some(Role::Agent),
            "AUTOMATED_AGENT" => Some(Role::System),
            "CUSTOMER" | "END_USER" => Some(Role::Customer),
            _ => None,
        };
        let speaker = match role {
            Some(role) => Speaker::declared(role, label),
            // `ROLE_UNSPECIFIED` and the like: the labels (or the roles stage) decide.
            None => {
                let mut speaker = options.labels.speaker(role_text);
                speaker.label = label;
                speaker
            }
        };
        let text = entry.field("text")?.str()?;
        let start = usec.map(|u| Millis(((u - base) / 1000.0).round() as u64));
        let mut u = Utterance::new(speaker, start, None);
        u.push("", text.as_str(), text.segments(0));
        utterances.push(u);
    }
    let transcript = Transcript {
        turns: assemble(utterances),
        ..Transcript::default()
    };
    Ok(vec![transcript])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transcript::Position;

    #[test]
    fn entries_become_turns() {
        let text = r#"{"conversation_info": {}, "entries": [
  {"start_timestamp_usec": 5000000, "text": "Yes, I can answer your question.", "role": "AGENT", "user_id": 2},
  {"start_timestamp_usec": 1000000, "text": "Hello, I'm calling about my bill.", "role": "CUSTOMER", "user_id": 1}
]}"#;
        let t = parse(text, &ParseOptions::default()).unwrap().remove(0);
        let turns: Vec<(Role, &str, Option<Millis>)> = t
            .turns
            .iter()
            .map(|t| (t.speaker.role, t.speaker.label.as_str(), t.start))
            .collect();
        assert_eq!(
            turns,
            [
                (Role::Customer, "CUSTOMER 1", Some(Millis(1_000))),
                (Role::Agent, "AGENT 2", Some(Millis(5_000)))
            ]
        );
        assert_eq!(t.turns[1].position(), Position { line: 2, column: 46 });
    }

    #[test]
    fn wall_clock_microseconds_count_from_the_first_entry() {
        let text = r#"{"entries": [
  {"start_timestamp_usec": 1700000000000000, "text": "Hi", "role": "AGENT"},
  {"start_timestamp_usec": 1700000002500000, "text": "Hello", "role": "END_USER"}
]}"#;
        let t = parse(text, &ParseOptions::default()).unwrap().remove(0);
        assert_eq!(t.turns[1].start, Some(Millis(2_500)));
        assert_eq!(t.turns[1].speaker.role, Role::Customer);
    }

    #[test]
    fn errors_are_located() {
        let err = |text: &str| parse(text, &ParseOptions::default()).unwrap_err().to_string();
        assert_eq!(
            err("{\"entries\": [\n{\"text\": \"hi\"}]}"),
            "line 2: `entries[0]`: missing field `role`"
        );
        assert_eq!(
            err("{\"entries\": [{\"text\": \"hi\", \"role\": \"AGENT\", \"start_timestamp_usec\": \"1\"}]}"),
            "line 1: `entries[0].start_timestamp_usec`: expected a number, found a string"
        );
        assert_eq!(
            err("{\"entries\": {}}"),
            "line 1: `entries`: expected an array, found an object"
        );
    }
}
