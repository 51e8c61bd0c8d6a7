//! Subtitle cue text (WebVTT, SRT): tags removed, entities decoded, voices and speaker prefixes
//! found, every character kept at its source line and column.
//!
//! A cue's payload may hold `<v Name>` voice spans (WebVTT; the closing `</v>` is optional),
//! styling tags (`<b>`, `<i>`, `<c.loud>`, `<font color=…>`, `<00:00:01.000>`), and entities
//! (`&amp;`, `&#20320;`). [`clean_line`] turns one payload line into pieces of plain text, one per
//! voice; [`speaker_prefix`] finds a `Name:` or `[SPEAKER_00]` prefix when there is no voice.

use super::assemble::{Utterance, keep_from};
use super::json::{self, Node};
use super::time::parse_clock;
use super::{Millis, ParseError, ParseOptions, Position, Role, Segment, Speaker};

/// One subtitle cue: its timing and its payload lines (line number, text).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cue<'s> {
    /// Line of the timing line.
    pub line: u32,
    /// Start time.
    pub start: Millis,
    /// End time.
    pub end: Millis,
    /// Payload lines with their line numbers.
    pub payload: Vec<(u32, &'s str)>,
}

/// Parses a timing line `start --> end [settings]`; times may be `hh:mm:ss.mmm`, `mm:ss.mmm`,
/// unpadded (`0:0:5.320`, as Teams writes them) or with a comma (SRT); fractions beyond
/// milliseconds are cut.
pub fn timing(line: &str, line_no: u32) -> Result<(Millis, Millis), ParseError> {
    let Some((start_text, rest)) = line.split_once("-->") else {
        return Err(ParseError::at_line(
            line_no,
            format!("expected a cue timing such as `00:00:01.000 --> 00:00:04.000`, found `{line}`"),
        ));
    };
    let end_text = rest.split_whitespace().next().unwrap_or("");
    let bad = |e: String| ParseError::at_line(line_no, format!("invalid cue timing: {e}"));
    let start = cue_time(start_text).map_err(bad)?;
    let end = cue_time(end_text).map_err(bad)?;
    if end < start {
        return Err(ParseError::at_line(
            line_no,
            format!(
                "invalid cue timing `{}`: the end is before the start",
                line.trim()
            ),
        ));
    }
    Ok((start, end))
}

fn cue_time(text: &str) -> Result<Millis, String> {
    let text = text.trim();
    if text.is_empty() {
        return Err("a time is missing".into());
    }
    // Cut fractions longer than milliseconds (`0:0:5.3200000`).
    let cut = match text.find(['.', ',']) {
        Some(i) if text.len() > i + 4 && text[i + 1..].bytes().all(|b| b.is_ascii_digit()) => &text[..i + 4],
        _ => text,
    };
    parse_clock(cut)
}

/// Turns cues into utterances. A piece's speaker is its `<v>` voice, else a `Name:` or
/// `[SPEAKER_00]` prefix, else the previous cue's speaker (long speech is split across cues);
/// a first cue without any is an error. With `json_payloads`, a payload that is a JSON object
/// with `speakerName` and `spokenText` (Teams' metadata transcript) is read as such.
pub fn utterances(
    cues: &[Cue<'_>],
    options: &ParseOptions,
    json_payloads: bool,
) -> Result<Vec<Utterance>, ParseError> {
    let mut out = Vec::new();
    let mut last_speaker: Option<Speaker> = None;
    let speaker_for = |label: &str| Speaker {
        role: options.labels.role_of(label).unwrap_or(Role::Other),
        label: label.to_string(),
    };
    for cue in cues {
        if json_payloads
            && let Some(&(line_no, first)) = cue.payload.first()
            && first.trim_start().starts_with('{')
        {
            let value = json::parse_line(first, line_no)?;
            let root = Node::root(&value);
            let name = root.field("speakerName")?.str()?.as_str();
            let text = root.field("spokenText")?.str()?;
            let speaker = speaker_for(name);
            let mut u = Utterance::new(speaker.clone(), Some(cue.start), Some(cue.end));
            u.push("", text.as_str(), text.segments(0));
            out.push(u);
            last_speaker = Some(speaker);
            continue;
        }
        let mut pieces = Vec::new();
        let mut voice = None;
        for &(line_no, line) in &cue.payload {
            clean_line(line, line_no, &mut voice, &mut pieces);
        }
        for piece in pieces {
            let (speaker, text, segments) = match piece.voice {
                Some(name) => (speaker_for(&name), piece.text, piece.segments),
                None => match speaker_prefix(&piece.text, &piece.segments) {
                    Some((label, text, segments)) => (speaker_for(&label), text, segments),
                    None => match &last_speaker {
                        Some(previous) => (previous.clone(), piece.text, piece.segments),
                        None => {
                            return Err(ParseError::at_line(
                                cue.payload.first().map_or(cue.line, |p| p.0),
                                "the first cue names no speaker: expected `<v Name>`, `Name:` or \
                                 `[SPEAKER_00]` before its text",
                            ));
                        }
                    },
                },
            };
            let mut u = Utterance::new(speaker.clone(), Some(cue.start), Some(cue.end));
            u.push("", &text, segments);
            out.push(u);
            last_speaker = Some(speaker);
        }
    }
    Ok(out)
}

/// Text of one voice within a cue, with source segments.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Piece {
    /// The `<v Name>` voice, if any.
    pub voice: Option<String>,
    /// The text without tags and entities.
    pub text: String,
    /// Source positions of the text.
    pub segments: Vec<Segment>,
}

impl Piece {
    fn push_char(&mut self, c: char, position: Position, verbatim: bool, in_run: &mut bool) {
        if !verbatim || !*in_run {
            self.segments.push(Segment {
                text_offset: self.text.len(),
                position,
                verbatim,
            });
        }
        *in_run = verbatim;
        self.text.push(c);
    }
}

/// Longest tag or entity looked at, in bytes.
const MAX_TAG: usize = 200;

/// Adds the text of one payload line (`line`, on source line `line_no`) to `pieces`: the text
/// continues the last piece when the voice is unchanged (after a line break), else starts a
/// piece. `voice` carries the open `<v>` from line to line within a cue.
pub fn clean_line(line: &str, line_no: u32, voice: &mut Option<String>, pieces: &mut Vec<Piece>) {
    let mut column = 1u32;
    let mut in_run = false;
    let mut started_line = false;
    let mut rest = line;
    while let Some(c) = rest.chars().next() {
        if c == '<'
            && let Some(close) = find_within(rest, b'>', MAX_TAG)
        {
            let tag = rest[1..close].trim();
            if let Some(name) = voice_tag(tag) {
                *voice = Some(name.to_string());
                new_piece(pieces, voice);
                started_line = true;
            } else if tag == "/v" {
                *voice = None;
                started_line = false;
            }
            column += rest[..=close].chars().count() as u32;
            rest = &rest[close + 1..];
            in_run = false;
            continue;
        }
        let position = Position {
            line: line_no,
            column,
        };
        if !started_line {
            let continues = pieces.last().is_some_and(|p| p.voice == *voice);
            if continues {
                if let Some(piece) = pieces.last_mut()
                    && !piece.text.is_empty()
                {
                    piece.text.push('\n');
                }
            } else {
                new_piece(pieces, voice);
            }
            started_line = true;
        }
        let Some(piece) = pieces.last_mut() else {
            break;
        };
        if c == '&'
            && let Some((decoded, len)) = entity(rest)
        {
            piece.push_char(decoded, position, false, &mut in_run);
            column += rest[..len].chars().count() as u32;
            rest = &rest[len..];
            continue;
        }
        piece.push_char(c, position, true, &mut in_run);
        column += 1;
        rest = &rest[c.len_utf8()..];
    }
}

fn new_piece(pieces: &mut Vec<Piece>, voice: &Option<String>) {
    pieces.push(Piece {
        voice: voice.clone(),
        ..Piece::default()
    });
}

/// The offset of ASCII `byte` within the first `limit` bytes of `text` (searching bytes, so a
/// limit inside a multi-byte character is harmless).
fn find_within(text: &str, byte: u8, limit: usize) -> Option<usize> {
    text.as_bytes().iter().take(limit).position(|&b| b == byte)
}

/// The name in `v Name` / `v.class Name`, if the tag is a voice tag.
fn voice_tag(tag: &str) -> Option<&str> {
    let rest = tag.strip_prefix('v')?;
    if !rest.starts_with([' ', '\t', '.']) {
        return None;
    }
    let name = match rest.find([' ', '\t']) {
        Some(i) => rest[i..].trim(),
        None => "",
    };
    (!name.is_empty()).then_some(name)
}

/// Decodes an entity at the start of `text`: the character and the entity's length in bytes.
fn entity(text: &str) -> Option<(char, usize)> {
    let end = find_within(text, b';', 12)?;
    let name = &text[1..end];
    let c = match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => '\u{a0}',
        "lrm" => '\u{200e}',
        "rlm" => '\u{200f}',
        _ => {
            let number = name.strip_prefix('#')?;
            let code = match number.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => number.parse::<u32>().ok()?,
            };
            char::from_u32(code)?
        }
    };
    Some((c, end + 1))
}

/// A speaker prefix at the start of cue text: `Name:` / `Name：` (Zoom, many SRT files) or
/// `[SPEAKER_00]` with an optional colon (WhisperX and diarising tools). Returns the speaker and
/// the text after the prefix, with its segments.
pub fn speaker_prefix(text: &str, segments: &[Segment]) -> Option<(String, String, Vec<Segment>)> {
    let (label, text_at) = if let Some(inner) = text.strip_prefix('[') {
        let close = inner.find(']')?;
        let label = inner[..close].trim();
        if label.is_empty() || label.chars().count() > 32 || label.contains([',', '.', ' ']) {
            return None;
        }
        let after = &inner[close + 1..];
        let after_colon = after
            .trim_start()
            .strip_prefix([':', '：'])
            .unwrap_or(after.trim_start());
        let skipped = text.len() - after_colon.trim_start().len();
        (label, skipped)
    } else {
        super::plain::speaker_label(text)?
    };
    let (rest, rest_segments) = keep_from(text, segments, text_at);
    Some((label.to_string(), rest, rest_segments))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transcript::map_offset;

    fn clean(lines: &[&str]) -> Vec<Piece> {
        let mut pieces = Vec::new();
        let mut voice = None;
        for (i, line) in lines.iter().enumerate() {
            clean_line(line, i as u32 + 1, &mut voice, &mut pieces);
        }
        pieces
    }

    #[test]
    fn voices_with_and_without_closing_tags() {
        let pieces = clean(&["<v Jane Doe>Hello, this is ACME.</v>"]);
        assert_eq!(pieces.len(), 1);
        assert_eq!(pieces[0].voice.as_deref(), Some("Jane Doe"));
        assert_eq!(pieces[0].text, "Hello, this is ACME.");
        let at = pieces[0].text.find("ACME").unwrap();
        assert_eq!(
            map_offset(&pieces[0].text, &pieces[0].segments, at),
            Position { line: 1, column: 28 }
        );
        let pieces = clean(&["<v.loud Bob>first line", "second line"]);
        assert_eq!(pieces.len(), 1);
        assert_eq!(pieces[0].text, "first line\nsecond line");
        let at = pieces[0].text.find("second").unwrap();
        assert_eq!(
            map_offset(&pieces[0].text, &pieces[0].segments, at),
            Position { line: 2, column: 1 }
        );
    }

    #[test]
    fn two_voices_in_one_cue() {
        let pieces = clean(&["<v Bob>hi</v><v Alice>hello"]);
        let voices: Vec<(Option<&str>, &str)> = pieces
            .iter()
            .map(|p| (p.voice.as_deref(), p.text.as_str()))
            .collect();
        assert_eq!(voices, [(Some("Bob"), "hi"), (Some("Alice"), "hello")]);
    }

    #[test]
    fn tags_and_entities_are_not_text() {
        let pieces = clean(&["<i>you</i> &amp; <c.x>me</c> &#20320;&lt;3 <00:00:01.000>ok"]);
        assert_eq!(pieces[0].text, "you & me 你<3 ok");
        let at = pieces[0].text.find("me").unwrap();
        assert_eq!(
            map_offset(&pieces[0].text, &pieces[0].segments, at),
            Position { line: 1, column: 23 }
        );
        let at = pieces[0].text.find("ok").unwrap();
        assert_eq!(
            map_offset(&pieces[0].text, &pieces[0].segments, at),
            Position { line: 1, column: 58 }
        );
        assert_eq!(clean(&["a < b & c"])[0].text, "a < b & c");
    }

    #[test]
    fn speaker_prefixes() {
        let segments = vec![Segment {
            text_offset: 0,
            position: Position { line: 3, column: 1 },
            verbatim: true,
        }];
        let (label, text, segs) = speaker_prefix("Agent: you must", &segments).unwrap();
        assert_eq!((label.as_str(), text.as_str()), ("Agent", "you must"));
        assert_eq!(segs[0].position, Position { line: 3, column: 8 });
        let (label, text, segs) = speaker_prefix("[SPEAKER_00]: hello", &segments).unwrap();
        assert_eq!((label.as_str(), text.as_str()), ("SPEAKER_00", "hello"));
        assert_eq!(segs[0].position, Position { line: 3, column: 15 });
        let (label, text, _) = speaker_prefix("[SPEAKER_01] 您好", &segments).unwrap();
        assert_eq!((label.as_str(), text.as_str()), ("SPEAKER_01", "您好"));
        assert!(speaker_prefix("no prefix here", &segments).is_none());
        assert!(speaker_prefix("[1, 2] numbers", &segments).is_none());
    }
}
