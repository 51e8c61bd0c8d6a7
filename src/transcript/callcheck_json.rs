//! callcheck's own JSON and JSON Lines formats (`docs/formats.md`).
//!
//! ```json
//! {"call_id": "0001", "metadata": {"agent": "王芳", "rings": 4}, "ended_by": "customer",
//!  "turns": [{"speaker": "客服", "text": "您好", "start": 2.0, "end": "00:00:05.5"}]}
//! ```
//!
//! `json` holds one such object or an array of them; `jsonl` holds one object per line, for
//! streams and pipelines (standard input included). Turns are taken as written: this is the
//! format other tools convert to, so it is not re-sorted or merged. Unknown keys are errors
//! (with "did you mean"), as in rulebooks, so a misspelt `ended_by` is never silently ignored.

use super::json::{self, Node, Shape};
use super::time::parse_clock;
use super::{EndedBy, Format, Millis, ParseError, ParseOptions, Role, Speaker, Transcript, Turn};

/// callcheck JSON: one transcript object, or an array of them.
pub static JSON: Format = Format {
    name: "json",
    description: "callcheck JSON: an object with `turns`, or an array of them",
    extensions: &["json"],
    sniff: Some(|s| {
        s.json()
            .is_some_and(|o| o.shape != Shape::Lines && o.keys.iter().any(|k| k == "turns"))
    }),
    parse: parse_json,
    parse_line: None,
};

/// callcheck JSON Lines: one transcript object per line.
pub static JSONL: Format = Format {
    name: "jsonl",
    description: "callcheck JSON Lines: one object with `turns` per line",
    extensions: &["jsonl", "ndjson"],
    sniff: Some(|s| {
        s.json()
            .is_some_and(|o| o.shape == Shape::Lines && o.keys.iter().any(|k| k == "turns"))
    }),
    parse: parse_jsonl,
    parse_line: Some(parse_jsonl_line),
};

const TOP_KEYS: &[&str] = &["call_id", "metadata", "ended_by", "roles", "turns"];

/// A transcript in this format, as one JSON object (what `callcheck convert` prints); reading it
/// back gives the same turns, roles, times, metadata and who ended the call. A speaker whose
/// role nothing decided is written without `role`, so reading it back decides again (rather than
/// taking `other` as stated); `roles` says how the roles were decided and is ignored on reading.
pub fn to_json(transcript: &Transcript) -> serde_json::Value {
    use serde_json::{Map, Value};
    let mut object = Map::new();
    if let Some(id) = transcript.metadata.get("call_id") {
        object.insert("call_id".into(), Value::from(id.as_str()));
    }
    let metadata: Map<String, Value> = transcript
        .metadata
        .iter()
        .filter(|(k, _)| *k != "call_id" && *k != "ended_by")
        .map(|(k, v)| (k.clone(), Value::from(v.as_str())))
        .collect();
    if !metadata.is_empty() {
        object.insert("metadata".into(), Value::Object(metadata));
    }
    if let Some(ended) = transcript.ended_by {
        object.insert("ended_by".into(), Value::from(ended.role.as_str()));
    }
    if let Some(roles) = &transcript.roles {
        object.insert("roles".into(), roles_json(roles));
    }
    let seconds = |m: Millis| Value::from(m.as_secs_f64());
    let turns = transcript
        .turns
        .iter()
        .map(|turn| {
            let mut t = Map::new();
            t.insert("speaker".into(), Value::from(turn.speaker.label.as_str()));
            if turn.speaker.source != super::RoleSource::Unknown {
                t.insert("role".into(), Value::from(turn.speaker.role.as_str()));
            }
            t.insert("text".into(), Value::from(turn.text.as_str()));
            if let Some(start) = turn.start {
                t.insert("start".into(), seconds(start));
            }
            if let Some(end) = turn.end {
                t.insert("end".into(), seconds(end));
            }
            Value::Object(t)
        })
        .collect();
    object.insert("turns".into(), Value::Array(turns));
    Value::Object(object)
}
const TURN_KEYS: &[&str] = &["speaker", "role", "text", "start", "end"];

/// `roles` as `convert` writes it: the report's `source`, `confidence` and `map`, plus what
/// inference saw in each speaker it looked at (`evidence`) and why the call would not be
/// checked (`not_checked`, or `null`).
fn roles_json(roles: &super::Assignment) -> serde_json::Value {
    use serde_json::{Map, Value, json};
    let mut map = Map::new();
    let mut evidence = Map::new();
    for speaker in &roles.speakers {
        map.insert(speaker.label.clone(), Value::from(speaker.role.as_str()));
        if let Some(e) = &speaker.evidence {
            let features: Map<String, Value> = e
                .features
                .iter()
                .map(|(name, turns)| (name.clone(), Value::from(*turns)))
                .collect();
            evidence.insert(
                speaker.label.clone(),
                json!({"score": (e.score * 100.0).round() / 100.0, "features": features}),
            );
        }
    }
    json!({
        "source": roles.source.as_str(),
        "confidence": roles.confidence.map(super::assignment::floor2),
        "map": map,
        "evidence": evidence,
        "not_checked": roles.not_checked(),
    })
}

fn parse_json(text: &str, options: &ParseOptions) -> Result<Vec<Transcript>, ParseError> {
    let value = json::parse(text)?;
    let root = Node::root(&value);
    match &value.kind {
        json::Kind::Array(_) => root.items()?.iter().map(|n| transcript(n, options)).collect(),
        _ => Ok(vec![transcript(&root, options)?]),
    }
}

fn parse_jsonl(text: &str, options: &ParseOptions) -> Result<Vec<Transcript>, ParseError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut transcripts = Vec::new();
    for (index, line) in text.split('\n').enumerate() {
        let line_no = u32::try_from(index + 1).unwrap_or(u32::MAX);
        transcripts.extend(parse_jsonl_line(line, line_no, options)?);
    }
    Ok(transcripts)
}

/// One line of JSON Lines: a transcript, or `None` for a blank line.
fn parse_jsonl_line(
    line: &str,
    line_no: u32,
    options: &ParseOptions,
) -> Result<Option<Transcript>, ParseError> {
    // A line read from a stream keeps its end; one split from a text does not.
    let line = line.strip_suffix('\n').unwrap_or(line);
    let line = line.strip_suffix('\r').unwrap_or(line);
    let line = if line_no == 1 {
        line.strip_prefix('\u{feff}').unwrap_or(line)
    } else {
        line
    };
    if line.trim().is_empty() {
        return Ok(None);
    }
    let value = json::parse_line(line, line_no)?;
    transcript(&Node::root(&value), options).map(Some)
}

/// One transcript object.
fn transcript(node: &Node<'_, '_>, options: &ParseOptions) -> Result<Transcript, ParseError> {
    check_keys(node, TOP_KEYS)?;
    let mut transcript = Transcript::default();
    if let Some(id) = node.get("call_id")? {
        transcript.metadata.insert("call_id".into(), id.scalar_text()?);
    }
    if let Some(metadata) = node.get("metadata")? {
        for (key, value) in metadata.members()? {
            let value_node = Node {
                value,
                path: format!("{}.{}", metadata.path, key.as_str()),
            };
            if value.kind == json::Kind::Null {
                continue;
            }
            transcript
                .metadata
                .insert(key.as_str().to_string(), value_node.scalar_text()?);
        }
    }
    if let Some(ended) = node.get("ended_by")? {
        let value = ended.str()?.as_str();
        transcript.metadata.insert("ended_by".into(), value.to_string());
        if !value.eq_ignore_ascii_case("unknown") {
            let role = options.labels.resolve_named(value).ok_or_else(|| {
                ended.error(format!(
                    "expected agent, customer, system, unknown or a speaker label, found \"{value}\""
                ))
            })?;
            transcript.ended_by = Some(EndedBy {
                role,
                position: ended.value.pos,
                time: None,
            });
        }
    }
    for turn in node.field("turns")?.items()? {
        transcript.turns.push(parse_turn(&turn, options)?);
    }
    Ok(transcript)
}

fn parse_turn(node: &Node<'_, '_>, options: &ParseOptions) -> Result<Turn, ParseError> {
    check_keys(node, TURN_KEYS)?;
    let label = node.field("speaker")?.str()?.as_str().to_string();
    let speaker = match node.get("role")? {
        Some(role) => {
            let name = role.str()?.as_str();
            let role = match name.to_ascii_lowercase().as_str() {
                "agent" => Role::Agent,
                "customer" => Role::Customer,
                "system" => Role::System,
                "other" => Role::Other,
                _ => {
                    return Err(role.error(format!(
                        "expected agent, customer, system or other, found \"{name}\""
                    )));
                }
            };
            Speaker::declared(role, label)
        }
        None => options.labels.resolve_speaker(&label),
    };
    let text_node = node.field("text")?;
    let text = text_node.str()?;
    let start = node.get("start")?.map(|n| time(&n)).transpose()?;
    let end = node.get("end")?.map(|n| time(&n)).transpose()?;
    if let (Some(start), Some(end)) = (start, end)
        && end < start
    {
        return Err(node.error(format!("`end` ({end}) is before `start` ({start})")));
    }
    Ok(Turn {
        speaker,
        text: text.as_str().to_string(),
        start,
        end,
        segments: text.segments(0),
    })
}

/// A time: seconds as a number, or `hh:mm:ss(.mmm)` / `mm:ss(.mmm)` as a string.
fn time(node: &Node<'_, '_>) -> Result<Millis, ParseError> {
    match &node.value.kind {
        json::Kind::String(s) => parse_clock(s.as_str())
            .map_err(|e| node.error(format!("invalid time: {e}, or a number of seconds"))),
        json::Kind::Number(_) => node.seconds(),
        other => Err(node.error(format!(
            "expected a time (seconds, or \"hh:mm:ss.mmm\"), found {}",
            json::kind_name(other)
        ))),
    }
}

/// Rejects keys this format does not define, suggesting the closest known one.
fn check_keys(node: &Node<'_, '_>, known: &[&str]) -> Result<(), ParseError> {
    for (key, _) in node.members()? {
        let key = key.as_str();
        if known.contains(&key) {
            continue;
        }
        let closest = known
            .iter()
            .map(|k| (strsim::jaro_winkler(k, key), *k))
            .filter(|(score, _)| *score > 0.8)
            .max_by(|a, b| a.0.total_cmp(&b.0));
        let hint = match closest {
            Some((_, k)) => format!("; did you mean `{k}`?"),
            None => format!("; expected one of {}", known.join(", ")),
        };
        return Err(node.error(format!("unknown key `{key}`{hint}")));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transcript::Position;

    fn one(text: &str) -> Transcript {
        let mut all = parse_json(text, &ParseOptions::default()).unwrap();
        assert_eq!(all.len(), 1);
        all.remove(0)
    }

    fn err(text: &str) -> String {
        parse_json(text, &ParseOptions::default())
            .unwrap_err()
            .to_string()
    }

    const CALL: &str = r#"{
  "call_id": "0001",
  "metadata": {"agent": "王芳", "rings": 4, "vip": true, "note": null},
  "ended_by": "customer",
  "turns": [
    {"speaker": "客服", "text": "您好，这里是ACME", "start": 2, "end": "00:00:05.5"},
    {"speaker": "Jane", "role": "customer", "text": "你必须\"马上\"处理", "start": "00:07"}
  ]
}"#;

    #[test]
    fn reads_metadata_turns_and_ended_by() {
        let t = one(CALL);
        assert_eq!(t.metadata["call_id"], "0001");
        assert_eq!(t.metadata["agent"], "王芳");
        assert_eq!(t.metadata["rings"], "4");
        assert_eq!(t.metadata["vip"], "true");
        assert!(!t.metadata.contains_key("note"));
        let ended = t.ended_by.unwrap();
        assert_eq!(
            (ended.role, ended.position),
            (Role::Customer, Position { line: 4, column: 15 })
        );
        assert_eq!(t.turns.len(), 2);
        assert_eq!(t.turns[0].speaker.role, Role::Agent);
        assert_eq!(
            (t.turns[0].start, t.turns[0].end),
            (Some(Millis(2_000)), Some(Millis(5_500)))
        );
        assert_eq!(
            t.turns[1].speaker.role,
            Role::Customer,
            "role overrides the label"
        );
        assert_eq!(t.turns[1].start, Some(Millis(7_000)));
        let at = t.turns[1].text.find("处理").unwrap();
        assert_eq!(t.turns[1].position_at(at), Position { line: 7, column: 63 });
    }

    #[test]
    fn arrays_and_lines_hold_many_calls() {
        let all = parse_json(
            r#"[{"call_id": 1, "turns": []}, {"call_id": 2, "turns": []}]"#,
            &ParseOptions::default(),
        )
        .unwrap();
        assert_eq!(all.len(), 2);
        assert_eq!(all[1].metadata["call_id"], "2");
        let lines = "{\"call_id\": \"a\", \"turns\": [{\"speaker\": \"Agent\", \"text\": \"hi\"}]}\n\n\
                     {\"call_id\": \"b\", \"turns\": [{\"speaker\": \"Customer\", \"text\": \"yo\"}]}\n";
        let all = parse_jsonl(lines, &ParseOptions::default()).unwrap();
        assert_eq!(all.len(), 2);
        assert_eq!(all[1].turns[0].position(), Position { line: 3, column: 61 });
    }

    #[test]
    fn converted_json_reads_back_the_same() {
        let original = one(CALL);
        let line = to_json(&original).to_string();
        let back = parse_jsonl(&line, &ParseOptions::default()).unwrap().remove(0);
        assert_eq!(back.metadata, original.metadata);
        assert_eq!(back.ended_by.map(|e| e.role), original.ended_by.map(|e| e.role));
        // Everything but source positions, which differ by construction.
        let summary = |t: &Transcript| -> Vec<Turn> {
            t.turns
                .iter()
                .map(|t| Turn {
                    segments: Vec::new(),
                    ..t.clone()
                })
                .collect()
        };
        assert_eq!(summary(&back), summary(&original));
    }

    #[test]
    fn errors_name_the_line_and_the_path() {
        assert_eq!(
            err(r#"{"turns": [{"speaker": "Agent"}]}"#),
            "line 1: `turns[0]`: missing field `text`"
        );
        assert_eq!(
            err("{\"turns\": [\n {\"speaker\": \"Agent\", \"text\": 42}]}"),
            "line 2: `turns[0].text`: expected a string, found a number"
        );
        assert_eq!(
            err(r#"{"turns": [{"speaker": "A", "text": "x", "start": "00:61"}]}"#),
            "line 1: `turns[0].start`: invalid time: `00:61` is not a valid time: minutes and \
             seconds must be below 60, or a number of seconds"
        );
        assert_eq!(
            err(r#"{"turns": [{"speaker": "A", "text": "x", "start": 5, "end": 2}]}"#),
            "line 1: `turns[0]`: `end` (00:00:02) is before `start` (00:00:05)"
        );
        assert_eq!(
            err(r#"{"turns": [], "endedby": "agent"}"#),
            "line 1: the top level: unknown key `endedby`; did you mean `ended_by`?"
        );
        assert_eq!(
            err(r#"{"turns": [], "ended_by": "martian"}"#),
            "line 1: `ended_by`: expected agent, customer, system, unknown or a speaker label, \
             found \"martian\""
        );
        assert_eq!(
            err(r#"{"turns": [{"speaker": "A", "text": "x", "role": "boss"}]}"#),
            "line 1: `turns[0].role`: expected agent, customer, system or other, found \"boss\""
        );
        assert_eq!(
            err(r#"{"call_id": "x"}"#),
            "line 1: the top level: missing field `turns`"
        );
        assert_eq!(
            err("{\"turns\": [\n"),
            "line 2: unexpected end of the file: an array that starts on line 1 is not closed (is \
             the file truncated?)"
        );
        let e = parse_jsonl("{\"turns\": []}\n{\"turns\": 3}\n", &ParseOptions::default()).unwrap_err();
        assert_eq!(
            e.to_string(),
            "line 2: `turns`: expected an array, found a number"
        );
    }
}
