//! The transcript model every input format produces, and the format registry.
//!
//! A [`Transcript`] is a list of [`Turn`]s (who spoke, what they said, when) plus call metadata
//! and who ended the call. Each turn remembers where its text came from in the source file
//! ([`Segment`]s), so a match anywhere in the text maps back to a line and column.
//!
//! Parsers know nothing about rules; rules know nothing about file formats. A new input format
//! is one file in this folder plus one entry in [`FORMATS`]: its extensions, an optional
//! [`Format::sniff`] that recognises its content, and its parser. [`detect`] picks the format of
//! a file: by extension when only one format claims it, by content among the formats that share
//! the extension (`.json`), and by content alone for standard input and unknown extensions.
//! Helpers shared by the parsers: [`json`] (a JSON reader that keeps source positions),
//! [`assemble`] (sorting and merging timed utterances into turns) and [`cue`] (subtitle cue
//! text).

pub mod assemble;
pub mod assignment;
pub mod callcheck_json;
pub mod ccai;
pub mod contact_lens;
pub mod csv;
pub mod cue;
pub mod genesys;
pub mod json;
pub mod labels;
pub mod pca;
pub mod plain;
pub mod srt;
pub mod templates;
pub mod time;
pub mod transcribe;
pub mod twilio;
pub mod webvtt;

use std::cell::OnceCell;
use std::fmt;

use crate::problem::Problem;
use indexmap::IndexMap;
use serde::Serialize;

pub use assignment::{Assignment, Evidence, SpeakerRole, Undecided};
pub use labels::SpeakerLabels;
pub use time::Millis;

/// The part a speaker plays in the call.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// The contact-centre representative.
    Agent,
    /// The caller or chat user.
    Customer,
    /// IVR prompts and system messages.
    System,
    /// Any other named speaker (a supervisor, a third party).
    Other,
}

impl Role {
    /// The role's name as used in rulebooks and reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Agent => "agent",
            Role::Customer => "customer",
            Role::System => "system",
            Role::Other => "other",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A 1-based line and character column in the source file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Default, Serialize)]
pub struct Position {
    /// 1-based line number.
    pub line: u32,
    /// 1-based column, counted in characters.
    pub column: u32,
}

impl Position {
    /// The position of byte `offset` of the text `lines` indexes (its end, if past it).
    pub fn at(lines: &crate::line_index::LineIndex<'_>, offset: usize) -> Position {
        let (line, column) = lines.line_column(offset);
        Position { line, column }
    }
}

/// Where a speaker's role comes from (the JSON report's `roles.source`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum RoleSource {
    /// The transcript says: a role word as the label (`Agent`, `客服`) or the format's own role
    /// field (`ParticipantRole`, a CCAI `role`, a `role` column or key).
    #[default]
    Labels,
    /// An explicit mapping: `--speaker-map`, a `[speakers]` table, or the call's `agent` /
    /// `customer` metadata naming the speaker.
    Map,
    /// A platform's recording convention (Amazon Connect stereo: the agent on the right channel).
    Channel,
    /// Inferred from what the speakers say ([`crate::roles`]).
    Inferred,
    /// Nothing says: the label is not a role word and is not mapped, and nothing was inferred
    /// (the role is `other`).
    #[serde(rename = "none")]
    Unknown,
}

impl RoleSource {
    /// The source's name as reports show it.
    pub fn as_str(self) -> &'static str {
        match self {
            RoleSource::Labels => "labels",
            RoleSource::Map => "map",
            RoleSource::Channel => "channel",
            RoleSource::Inferred => "inferred",
            RoleSource::Unknown => "none",
        }
    }
}

/// Who spoke a turn.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Speaker {
    /// The role the label maps to.
    pub role: Role,
    /// The label as written in the source (`客服`, `Agent`, `spk_0`).
    pub label: String,
    /// Where the role comes from.
    pub source: RoleSource,
}

impl Speaker {
    /// A speaker whose role the transcript itself states (a role word, a format's role field).
    pub fn declared(role: Role, label: impl Into<String>) -> Speaker {
        Speaker {
            role,
            label: label.into(),
            source: RoleSource::Labels,
        }
    }
}

/// A piece of a turn's text and where it starts in the source file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Segment {
    /// Byte offset in [`Turn::text`] where this segment starts.
    pub text_offset: usize,
    /// Where the segment's first character is in the source file.
    pub position: Position,
    /// True when the segment's text is copied character for character from one source line,
    /// so columns inside it are exact; false for escaped or reflowed text (JSON strings), where
    /// every offset maps to the segment's start.
    pub verbatim: bool,
}

/// One speaker's uninterrupted contribution.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Turn {
    /// Who spoke.
    pub speaker: Speaker,
    /// What was said; continuation lines are joined with `\n`.
    pub text: String,
    /// Offset of the turn's start from the start of the call, when known.
    pub start: Option<Millis>,
    /// Offset of the turn's end, when known.
    pub end: Option<Millis>,
    /// Source positions of the text, in text order; never empty.
    pub segments: Vec<Segment>,
}

impl Turn {
    /// Where the turn's text starts in the source.
    pub fn position(&self) -> Position {
        self.segments.first().map(|s| s.position).unwrap_or_default()
    }

    /// Maps a byte offset in [`Turn::text`] to its position in the source file.
    pub fn position_at(&self, offset: usize) -> Position {
        map_offset(&self.text, &self.segments, offset)
    }
}

/// Maps a byte offset in `text` to its source position through `segments` (see [`Segment`]).
pub fn map_offset(text: &str, segments: &[Segment], offset: usize) -> Position {
    let index = segments
        .partition_point(|s| s.text_offset <= offset)
        .saturating_sub(1);
    let Some(segment) = segments.get(index) else {
        return Position::default();
    };
    if !segment.verbatim {
        return segment.position;
    }
    let start = floor_char_boundary(text, segment.text_offset.min(text.len()));
    let offset = floor_char_boundary(text, offset.clamp(start, text.len()));
    let chars = text[start..offset].chars().count() as u32;
    Position {
        line: segment.position.line,
        column: segment.position.column + chars,
    }
}

/// The largest char boundary at or before `at` (offsets from matches are boundaries already;
/// this keeps a stray offset from panicking).
fn floor_char_boundary(text: &str, mut at: usize) -> usize {
    while at > 0 && !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// A non-speech line such as `<hangup by=customer>` or `<hold>`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Event {
    /// The event name (`hangup`, `hold`, `transfer`).
    pub name: String,
    /// `key=value` attributes in source order.
    pub attributes: Vec<(String, String)>,
    /// When it happened, if the line had a timestamp.
    pub time: Option<Millis>,
    /// Where the event is in the source.
    pub position: Position,
}

/// Who ended the call, and where the transcript says so.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EndedBy {
    /// The role that hung up.
    pub role: Role,
    /// The header or event that says so.
    pub position: Position,
    /// When the call ended, if known.
    pub time: Option<Millis>,
}

/// The main language of a transcript; decides which language-specific rulebooks apply.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    /// Chinese (Simplified or Traditional).
    Zh,
    /// English (and other alphabetic scripts).
    En,
}

impl Language {
    /// Parses `zh`/`en` (and common spellings such as `zh-CN`, `en_US`, `chinese`).
    pub fn parse(value: &str) -> Option<Language> {
        let lower = value.trim().to_ascii_lowercase();
        let base = lower.split(['-', '_']).next().unwrap_or("");
        match base {
            "zh" | "cmn" | "yue" | "chinese" | "中文" => Some(Language::Zh),
            "en" | "english" => Some(Language::En),
            _ => None,
        }
    }

    /// The language's code.
    pub fn as_str(self) -> &'static str {
        match self {
            Language::Zh => "zh",
            Language::En => "en",
        }
    }
}

/// What a transcript records: a real conversation, or a scripted reply checked on its own.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum TranscriptKind {
    /// A call or chat between parties (the default).
    #[default]
    Conversation,
    /// A reply template or script snippet: agent-only text, no timing, no hang-up. Rules that
    /// need a conversation (hang-up, read-back, metrics, windows in seconds) do not apply.
    Template,
}

/// How the conversation took place: some rules only make sense for one of them (speech rate
/// on calls, response time in chats).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Channel {
    /// A telephone or other spoken call.
    Voice,
    /// A chat or messaging conversation.
    Chat,
}

impl Channel {
    /// Parses a `channel` metadata value (`VOICE`, `chat`, `phone`, `messaging`, …).
    pub fn parse(value: &str) -> Option<Channel> {
        match value.trim().to_ascii_lowercase().as_str() {
            "voice" | "phone" | "call" | "telephone" | "telephony" | "audio" => Some(Channel::Voice),
            "chat" | "webchat" | "messaging" | "message" | "sms" | "text" | "im" => Some(Channel::Chat),
            _ => None,
        }
    }

    /// `voice` or `chat`.
    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Voice => "voice",
            Channel::Chat => "chat",
        }
    }
}

/// A parsed call: metadata, turns and events.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Transcript {
    /// A conversation or a reply template.
    pub kind: TranscriptKind,
    /// Header fields (`call_id`, `agent`, `rings`…) in source order.
    pub metadata: IndexMap<String, String>,
    /// The turns in call order.
    pub turns: Vec<Turn>,
    /// Non-speech events in source order.
    pub events: Vec<Event>,
    /// Who ended the call, when the transcript says.
    pub ended_by: Option<EndedBy>,
    /// How the speakers' roles were decided: set by the roles stage ([`crate::roles`]), `None`
    /// before it ran.
    pub roles: Option<Assignment>,
}

impl Transcript {
    /// True when at least one turn carries a start time.
    pub fn has_times(&self) -> bool {
        self.turns.iter().any(|t| t.start.is_some())
    }

    /// The transcript's language: the `language` header if present, otherwise Chinese when Han
    /// characters outnumber Latin words (in about the first thousand bytes of speech: enough to
    /// decide, and cheap on long calls).
    pub fn language(&self) -> Option<Language> {
        if let Some(declared) = self.metadata.get("language").and_then(|v| Language::parse(v)) {
            return Some(declared);
        }
        const SAMPLE_BYTES: usize = 1000;
        let (mut han, mut words) = (0usize, 0usize);
        let mut seen = 0;
        for turn in &self.turns {
            if seen >= SAMPLE_BYTES {
                break;
            }
            seen += turn.text.len();
            let (turn_han, turn_words) = han_and_words(&turn.text);
            han += turn_han;
            words += turn_words;
        }
        match (han, words) {
            (0, 0) => None,
            (h, w) if h >= w => Some(Language::Zh),
            _ => Some(Language::En),
        }
    }

    /// The channel, from the `channel` metadata (a header, a sidecar or the export's own
    /// field); `None` when the transcript does not say.
    pub fn channel(&self) -> Option<Channel> {
        self.metadata
            .iter()
            .filter(|(k, _)| k.eq_ignore_ascii_case("channel"))
            .find_map(|(_, v)| Channel::parse(v))
    }

    /// The `channel` metadata value as given (the key in any case: `Channel`, `CHANNEL`).
    pub fn channel_value(&self) -> Option<&str> {
        self.metadata
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case("channel"))
            .map(|(_, v)| v.as_str())
    }

    /// The end of the call: the hang-up time if known, otherwise the latest turn time.
    pub fn end_time(&self) -> Option<Millis> {
        let turns = self.turns.iter().filter_map(|t| t.end.or(t.start)).max();
        let hangup = self.ended_by.and_then(|e| e.time);
        turns.max(hangup)
    }
}

/// Why a file could not be parsed; `line` is set when the problem is on one line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseError {
    /// 1-based line of the problem, if there is one.
    pub line: Option<u32>,
    /// What is wrong and, where possible, what was expected.
    pub message: String,
}

impl ParseError {
    /// An error on a given line.
    pub fn at_line(line: u32, message: impl Into<String>) -> Self {
        ParseError {
            line: Some(line),
            message: message.into(),
        }
    }

    /// An error about the file as a whole.
    pub fn whole_file(message: impl Into<String>) -> Self {
        ParseError {
            line: None,
            message: message.into(),
        }
    }
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "line {line}: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for ParseError {}

/// What parsers may need from the run's settings.
#[derive(Clone, Debug, Default)]
pub struct ParseOptions {
    /// Speaker labels and the roles they map to (defaults, rulebook `[speakers]`,
    /// `--speaker-map`): also maps `spk_0`, `ch_1` or a display name to a role.
    pub labels: SpeakerLabels,
    /// Column names for CSV/TSV transcripts.
    pub columns: csv::Columns,
}

/// An input format: how to recognise it and how to parse it.
pub struct Format {
    /// Name used by `--input-format` and in reports.
    pub name: &'static str,
    /// What the format is and how it is recognised, for help and detection errors.
    pub description: &'static str,
    /// File extensions (lower case, no dot) that select this format when walking folders.
    pub extensions: &'static [&'static str],
    /// Recognises the format from the content; `None` for formats known by extension only.
    pub sniff: Option<fn(&Sniff<'_>) -> bool>,
    /// Parses decoded text into transcripts (most formats hold one call per file; JSON Lines
    /// and CSV hold many).
    pub parse: fn(&str, &ParseOptions) -> Result<Vec<Transcript>, ParseError>,
    /// For formats with one call per line (JSON Lines): parses one line (1-based `line`);
    /// `None` for a blank line. Large files of such formats are read and checked line by line,
    /// so they never sit in memory whole.
    pub parse_line: Option<LineParser>,
}

/// Parses one line of a line-per-call format; see [`Format::parse_line`].
pub type LineParser = fn(&str, u32, &ParseOptions) -> Result<Option<Transcript>, ParseError>;

impl fmt::Debug for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Format({})", self.name)
    }
}

/// Formats are statics: two are the same format when they are the same static (the reply
/// template parsers share one name).
impl PartialEq for Format {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self, other)
    }
}

impl Eq for Format {}

/// Every input format callcheck reads, in detection order.
pub static FORMATS: &[&Format] = &[
    &callcheck_json::JSON,
    &callcheck_json::JSONL,
    &contact_lens::FORMAT,
    &transcribe::FORMAT,
    &ccai::FORMAT,
    &pca::FORMAT,
    &genesys::FORMAT,
    &twilio::FORMAT,
    &webvtt::FORMAT,
    &srt::FORMAT,
    &csv::CSV,
    &csv::TSV,
    &plain::FORMAT,
    // Opt-in only: no extension and no sniffer, so detection never picks it.
    &templates::FORMAT,
];

/// The file's content, as format sniffers see it; the JSON outline is computed once, on demand.
pub struct Sniff<'a> {
    text: &'a str,
    outline: OnceCell<Option<json::Outline>>,
}

impl<'a> Sniff<'a> {
    /// Wraps decoded text.
    pub fn new(text: &'a str) -> Self {
        Sniff {
            text: text.strip_prefix('\u{feff}').unwrap_or(text),
            outline: OnceCell::new(),
        }
    }

    /// The text, without a byte-order mark.
    pub fn text(&self) -> &'a str {
        self.text
    }

    /// The shape and top-level keys of the JSON in the text, if it starts like JSON.
    pub fn json(&self) -> Option<&json::Outline> {
        self.outline.get_or_init(|| json::outline(self.text)).as_ref()
    }

    /// True when the text is JSON whose top-level object (or first array element, or first
    /// line) has every one of `keys`.
    pub fn has_json_keys(&self, keys: &[&str]) -> bool {
        self.json()
            .is_some_and(|o| keys.iter().all(|k| o.keys.iter().any(|have| have == k)))
    }
}

/// The format for a file extension, if any (the first of those that share it).
pub fn format_for_extension(extension: &str) -> Option<&'static Format> {
    let extension = extension.to_ascii_lowercase();
    FORMATS
        .iter()
        .copied()
        .find(|f| f.extensions.contains(&extension.as_str()))
}

/// The format with this name, if any.
pub fn format_by_name(name: &str) -> Option<&'static Format> {
    FORMATS.iter().copied().find(|f| f.name == name)
}

/// Chooses the format of a file from its extension (if any) and its decoded text.
///
/// One format claims the extension: that one. Several do (`.json`): the first whose sniffer
/// recognises the content, or an error naming what each expects. None does (standard input,
/// a file named on the command line with another extension): the first format whose sniffer
/// recognises the content, else plain text.
pub fn detect(extension: Option<&str>, text: &str) -> Result<&'static Format, Problem> {
    let sniff = Sniff::new(text);
    let extension = extension.map(str::to_ascii_lowercase);
    let claimed: Vec<&'static Format> = match &extension {
        Some(ext) => FORMATS
            .iter()
            .copied()
            .filter(|f| f.extensions.contains(&ext.as_str()))
            .collect(),
        None => Vec::new(),
    };
    match claimed.as_slice() {
        [only] => Ok(only),
        [] => Ok(FORMATS
            .iter()
            .copied()
            .find(|f| f.sniff.is_some_and(|sniff_fn| sniff_fn(&sniff)))
            .unwrap_or(&plain::FORMAT)),
        several => {
            if let Some(found) = several
                .iter()
                .copied()
                .find(|f| f.sniff.is_some_and(|sniff_fn| sniff_fn(&sniff)))
            {
                return Ok(found);
            }
            let ext = extension.as_deref().unwrap_or("");
            let seen = match sniff.json() {
                Some(outline) if !outline.keys.is_empty() => {
                    let keys: Vec<String> = outline.keys.iter().take(8).map(|k| format!("`{k}`")).collect();
                    format!("its top-level keys are {}", keys.join(", "))
                }
                Some(_) => "it has no top-level keys".to_string(),
                None => "it does not start like JSON".to_string(),
            };
            let expected: Vec<String> = several
                .iter()
                .map(|f| format!("{} ({})", f.name, f.description))
                .collect();
            Err(format!(
                "cannot tell which .{ext} format this is: {seen}; expected one of: {}; pass \
                 --input-format NAME to choose, or --exclude it if it is not a transcript",
                expected.join("; ")
            )
            .into())
        }
    }
}

/// Han characters and Latin words (runs of letters) in `text`, for [`Transcript::language`].
/// Read byte by byte: ASCII needs no decoding, and lead bytes 0xE5 to 0xE9 start U+5000 to
/// U+9FFF, all unified ideographs.
fn han_and_words(text: &str) -> (usize, usize) {
    let bytes = text.as_bytes();
    let (mut han, mut words, mut in_word) = (0, 0, false);
    let mut at = 0;
    while at < bytes.len() {
        let b = bytes[at];
        let letter = if b.is_ascii() {
            at += 1;
            b.is_ascii_alphabetic()
        } else if let Some(class) = crate::normalize::wide_class(bytes, at) {
            at += 3;
            han += usize::from(class == crate::normalize::WideClass::Han);
            in_word = false;
            continue;
        } else {
            let c = text[at..].chars().next().unwrap_or_default();
            at += c.len_utf8();
            if crate::normalize::is_cjk(c) {
                han += 1;
                in_word = false;
                continue;
            }
            c.is_alphabetic()
        };
        words += usize::from(letter && !in_word);
        in_word = letter;
    }
    (han, words)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn turn(text: &str, segments: Vec<Segment>) -> Turn {
        Turn {
            speaker: Speaker::declared(Role::Agent, "Agent"),
            text: text.into(),
            start: None,
            end: None,
            segments,
        }
    }

    #[test]
    fn position_at_counts_characters_across_segments() {
        let t = turn(
            "您好\nmore",
            vec![
                Segment {
                    text_offset: 0,
                    position: Position { line: 3, column: 8 },
                    verbatim: true,
                },
                Segment {
                    text_offset: "您好\n".len(),
                    position: Position { line: 4, column: 5 },
                    verbatim: true,
                },
            ],
        );
        assert_eq!(t.position_at(0), Position { line: 3, column: 8 });
        assert_eq!(t.position_at(3), Position { line: 3, column: 9 });
        assert_eq!(t.position_at("您好\nmo".len()), Position { line: 4, column: 7 });
    }

    #[test]
    fn non_verbatim_segments_map_to_their_start() {
        let t = turn(
            "a\"b",
            vec![Segment {
                text_offset: 0,
                position: Position { line: 1, column: 10 },
                verbatim: false,
            }],
        );
        assert_eq!(t.position_at(2), Position { line: 1, column: 10 });
    }

    #[test]
    fn language_detection() {
        let mut t = Transcript::default();
        t.turns.push(turn("您好，这里是 ACME 公司", vec![]));
        assert_eq!(t.language(), Some(Language::Zh));
        t.turns[0].text = "Hello, this is ACME, how can I help?".into();
        assert_eq!(t.language(), Some(Language::En));
        t.metadata.insert("language".into(), "zh-TW".into());
        assert_eq!(t.language(), Some(Language::Zh));
        assert_eq!(Transcript::default().language(), None);
    }

    /// [`han_and_words`] character by character.
    fn han_and_words_by_char(text: &str) -> (usize, usize) {
        let (mut han, mut words, mut in_word) = (0, 0, false);
        for c in text.chars() {
            if crate::normalize::is_cjk(c) {
                han += 1;
                in_word = false;
                continue;
            }
            let letter = c.is_alphabetic();
            words += usize::from(letter && !in_word);
            in_word = letter;
        }
        (han, words)
    }

    proptest::proptest! {
        #[test]
        fn han_and_words_bytewise_matches_the_char_path(text in "([a-zA-Zé這裡是您好，。 1-9ア한]|\\PC){0,40}") {
            proptest::prop_assert_eq!(han_and_words(&text), han_and_words_by_char(&text));
        }
    }

    proptest::proptest! {
        /// No input makes any format panic: every parser returns transcripts or an error.
        #[test]
        fn no_format_panics_on_any_text(text in "\\PC{0,300}") {
            let options = ParseOptions::default();
            for format in FORMATS {
                let _ = (format.parse)(&text, &options);
            }
            let _ = detect(Some("json"), &text);
            let _ = detect(None, &text);
        }

        /// Nor on damaged versions of valid files: every cut and every inserted character.
        #[test]
        fn no_format_panics_on_damaged_files(cut in 0usize..2000, insert in "[\\[\\]{}<>\"\\\\:,&;\\n 您]") {
            let options = ParseOptions::default();
            for sample in SAMPLES {
                let mut damaged: String = sample.chars().take(cut).collect();
                damaged.push_str(&insert);
                damaged.extend(sample.chars().skip(cut));
                let truncated: String = sample.chars().take(cut).collect();
                for text in [&damaged, &truncated] {
                    for format in FORMATS {
                        let _ = (format.parse)(text, &options);
                    }
                }
            }
        }
    }

    /// One small valid file per format, for damage tests.
    const SAMPLES: &[&str] = &[
        "{\"call_id\": \"1\", \"metadata\": {\"a\": 1}, \"ended_by\": \"agent\", \"turns\": [{\"speaker\": \"客服\", \"text\": \"您好\\n\\u4f60\", \"start\": \"00:01\", \"end\": 2}]}",
        "WEBVTT\n\nid\n0:0:1.0 --> 0:0:2.0\n<v 客服>您好 &amp; <b>hi</b></v>\n\n00:03.000 --> 00:04.000\nCustomer: [noise] yes\n",
        "1\n00:00:01,000 --> 00:00:02,000\n[SPEAKER_00]: 您好\n\n2\n00:00:03,000 --> 00:00:04,000\nAgent: hi\n",
        "{\"Channel\": \"CHAT\", \"Participants\": [{\"ParticipantId\": \"a\", \"ParticipantRole\": \"AGENT\"}], \"Transcript\": [{\"AbsoluteTime\": \"2022-10-27T03:32:03.462Z\", \"Content\": \"Hi\", \"ParticipantId\": \"a\", \"Type\": \"MESSAGE\"}, {\"AbsoluteTime\": \"2022-10-27T03:33:03Z\", \"ContentType\": \"application/vnd.amazonaws.connect.event.participant.left\", \"ParticipantRole\": \"AGENT\", \"Type\": \"EVENT\"}]}",
        "{\"results\": {\"items\": [{\"start_time\": \"1.0\", \"end_time\": \"1.5\", \"speaker_label\": \"spk_0\", \"alternatives\": [{\"content\": \"您好\"}], \"type\": \"pronunciation\"}, {\"alternatives\": [{\"content\": \"。\"}], \"type\": \"punctuation\"}]}}",
        "{\"entries\": [{\"start_timestamp_usec\": 1000000, \"text\": \"您好\", \"role\": \"AGENT\", \"user_id\": 1}]}",
        "{\"ConversationAnalytics\": {\"SpeakerLabels\": [{\"Speaker\": \"spk_0\", \"DisplayText\": \"Agent\"}]}, \"SpeechSegments\": [{\"SegmentStartTime\": 0.5, \"SegmentEndTime\": 1.5, \"SegmentSpeaker\": \"spk_0\", \"IVRSegment\": false, \"DisplayText\": \"您好\\n\"}]}",
        "{\"conversationId\": \"c\", \"conversationStartTime\": 1000, \"participants\": [{\"participantPurpose\": \"ivr\", \"startTimeMs\": 1000, \"endTimeMs\": 2000}], \"transcripts\": [{\"language\": \"zh\", \"phrases\": [{\"text\": \"您好\", \"decoratedText\": \"您好。\", \"startTimeMs\": 1500, \"duration\": {\"milliseconds\": 300}, \"participantPurpose\": \"internal\"}]}]}",
        "{\"sentences\": [{\"media_channel\": 1, \"sentence_index\": 0, \"start_time\": \"0.5\", \"end_time\": 1.0, \"transcript\": \"您好\"}], \"channel\": {\"participants\": [{\"channel_participant\": 1, \"role\": \"Agent\"}]}, \"meta\": {\"next_page_url\": null}}",
        "call_id,speaker,text,start,end\nA,客服,\"您好,\"\"ACME\"\"\n继续\",0:00:01,2\nA,Customer,hi,3,4\n",
        "# call_id: 1\n[00:00:01] 客服：您好\n    继续\n<hangup by=customer>\n",
    ];

    #[test]
    fn damage_samples_are_valid_files_of_every_format() {
        let mut seen = Vec::new();
        for sample in SAMPLES {
            let format = detect(None, sample).unwrap();
            let parsed = (format.parse)(sample, &ParseOptions::default());
            assert!(
                parsed.is_ok_and(|t| !t[0].turns.is_empty()),
                "{}: {sample}",
                format.name
            );
            seen.push(format.name);
        }
        assert_eq!(
            seen,
            [
                "json",
                "webvtt",
                "srt",
                "contact-lens",
                "transcribe",
                "ccai",
                "pca",
                "genesys",
                "twilio",
                "csv",
                "plain"
            ]
        );
    }

    #[test]
    fn formats_are_found_by_extension_and_name() {
        assert_eq!(format_for_extension("TXT").map(|f| f.name), Some("plain"));
        assert!(format_for_extension("exe").is_none());
        assert_eq!(format_by_name("plain").map(|f| f.name), Some("plain"));
        for format in FORMATS {
            assert_eq!(format_by_name(format.name).map(|f| f.name), Some(format.name));
        }
    }

    fn detected(extension: Option<&str>, text: &str) -> &'static str {
        detect(extension, text)
            .map(|f| f.name)
            .unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn json_files_are_told_apart_by_their_keys() {
        assert_eq!(detected(Some("json"), r#"{"turns": []}"#), "json");
        assert_eq!(
            detected(Some("json"), r#"[{"call_id": "1", "turns": []}]"#),
            "json"
        );
        assert_eq!(
            detected(
                Some("json"),
                r#"{"Participants": [], "Transcript": [], "Channel": "VOICE"}"#
            ),
            "contact-lens"
        );
        assert_eq!(
            detected(Some("JSON"), r#"{"jobName": "x", "results": {}}"#),
            "transcribe"
        );
        assert_eq!(
            detected(Some("json"), r#"{"JobStatus": "COMPLETED", "Transcript": []}"#),
            "transcribe"
        );
        assert_eq!(detected(Some("json"), r#"{"entries": []}"#), "ccai");
        assert_eq!(
            detected(
                Some("json"),
                r#"{"ConversationAnalytics": {}, "SpeechSegments": []}"#
            ),
            "pca"
        );
        assert_eq!(
            detected(
                Some("json"),
                r#"{"organizationId": "o", "conversationId": "c", "transcripts": []}"#
            ),
            "genesys"
        );
        assert_eq!(
            detected(Some("json"), r#"{"sentences": [], "meta": {"key": "sentences"}}"#),
            "twilio"
        );
        assert!(
            detect(Some("json"), r#"{"sentences": ["a", "b"]}"#).is_err(),
            "a list of sentences alone is not a Twilio transcript"
        );
    }

    #[test]
    fn unrecognised_json_names_its_keys_and_the_candidates() {
        let e = detect(Some("json"), r#"{"sid": "0002", "agent": {}}"#).unwrap_err();
        assert!(
            e.message()
                .starts_with("cannot tell which .json format this is: its top-level keys are `sid`, `agent`"),
            "{e}"
        );
        assert!(
            e.message().contains(
                "contact-lens (Amazon Connect Contact Lens, voice or chat: `Participants` and `Transcript`)"
            ),
            "{e}"
        );
        assert!(
            e.message()
                .ends_with("pass --input-format NAME to choose, or --exclude it if it is not a transcript"),
            "{e}"
        );
        let e = detect(Some("json"), "not json at all").unwrap_err();
        assert!(e.message().contains("it does not start like JSON"), "{e}");
    }

    #[test]
    fn content_alone_decides_for_stdin_and_unknown_extensions() {
        assert_eq!(detected(None, "客服：您好\n"), "plain");
        assert_eq!(
            detected(None, "WEBVTT\n\n00:01.000 --> 00:02.000\n<v Agent>hi\n"),
            "webvtt"
        );
        assert_eq!(
            detected(None, "1\n00:00:01,000 --> 00:00:02,000\nAgent: hi\n"),
            "srt"
        );
        assert_eq!(
            detected(None, "{\"turns\": []}\n{\"turns\": []}\n"),
            "jsonl",
            "several objects, one per line"
        );
        assert_eq!(detected(None, "{\"turns\": []}\n"), "json");
        assert_eq!(detected(None, "call_id,speaker,text\n1,Agent,hi\n"), "csv");
        assert_eq!(detected(None, "speaker\ttext\nAgent\thi\n"), "tsv");
        assert_eq!(detected(Some("md"), "Agent: hi, how are you\n"), "plain");
        assert_eq!(
            detected(Some("vtt"), "anything"),
            "webvtt",
            "one format claims .vtt"
        );
    }
}
