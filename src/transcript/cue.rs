//! Subtitle cue text (WebVTT, SRT): tags removed, entities decoded, voices and speaker prefixes
//! found, every character kept at its source line and column.
//!
//! A cue's payload may hold `<v Name>` voice spans (WebVTT; the closing `</v>` is optional),
//! styling tags (`<b>`, `<i>`, `<c.loud>`, `<font color=…>`, `<00:00:01.000>`), and entities
//! (`&amp;`, `&#20320;`). [`clean_line`] turns one payload line into pieces of plain text, one per
//! voice; [`Names`] decides which `Name:` or `[SPEAKER_00]` prefixes name a speaker when there
//! is no voice.

use std::collections::HashMap;

use super::assemble::{Utterance, keep_range};
use super::json::{self, Node};
use super::time::parse_clock;
use super::{Millis, ParseError, ParseOptions, Position, Segment, Speaker, SpeakerLabels};
use crate::problem::Problem;

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
    let bad = |e: Problem| ParseError::at_line(line_no, format!("invalid cue timing: {e}"));
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

fn cue_time(text: &str) -> Result<Millis, Problem> {
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
/// `[SPEAKER_00]` prefix (see [`Names`]), else the previous cue's speaker (long speech is split
/// across cues). A line inside a cue that starts with a name starts that speaker's utterance, so
/// named speech is never merged into someone else's. Speech before any name is the wildcard
/// role's (`--speaker-map '*=ROLE'`), or an error that says so. With `json_payloads`, a payload
/// that is a JSON object with `speakerName` and `spokenText` (Teams' metadata transcript) is
/// read as such.
pub fn utterances(
    cues: &[Cue<'_>],
    options: &ParseOptions,
    json_payloads: bool,
) -> Result<Vec<Utterance>, ParseError> {
    let speaker_for = |label: &str| options.labels.speaker(label);
    // First the text of every cue, so that names can be counted across the whole file.
    let mut items: Vec<(&Cue<'_>, Item)> = Vec::with_capacity(cues.len());
    for cue in cues {
        if json_payloads
            && let Some(&(line_no, first)) = cue.payload.first()
            && first.trim_start().starts_with('{')
        {
            let value = json::parse_line(first, line_no)?;
            let root = Node::root(&value);
            let name = root.field("speakerName")?.str()?.as_str();
            let text = root.field("spokenText")?.str()?;
            let mut u = Utterance::new(speaker_for(name), Some(cue.start), Some(cue.end));
            u.push("", text.as_str(), text.segments(0));
            items.push((cue, Item::Spoken(u)));
            continue;
        }
        let mut pieces = Vec::new();
        let mut voice = None;
        for &(line_no, line) in &cue.payload {
            clean_line(line, line_no, &mut voice, &mut pieces);
        }
        items.extend(pieces.into_iter().map(|p| (cue, Item::Piece(p))));
    }
    let names = Names::new(
        &options.labels,
        items.iter().filter_map(|(_, item)| match item {
            Item::Piece(p) if p.voice.is_none() => Some(p.text.as_str()),
            _ => None,
        }),
    );
    let mut out = Vec::new();
    let mut last_speaker: Option<Speaker> = None;
    for (cue, item) in items {
        let piece = match item {
            Item::Spoken(u) => {
                last_speaker = Some(u.speaker.clone());
                out.push(u);
                continue;
            }
            Item::Piece(piece) => piece,
        };
        let timed = |speaker: Speaker| Utterance::new(speaker, Some(cue.start), Some(cue.end));
        if let Some(name) = &piece.voice {
            let speaker = speaker_for(name);
            let mut u = timed(speaker.clone());
            u.push("", &piece.text, piece.segments);
            out.push(u);
            last_speaker = Some(speaker);
            continue;
        }
        for (label, start, end) in names.split(&piece.text) {
            let speaker = match label {
                Some(label) => speaker_for(label),
                None => match (&last_speaker, options.labels.wildcard()) {
                    (Some(previous), _) => previous.clone(),
                    (None, Some(role)) => Speaker {
                        role,
                        label: super::labels::UNNAMED.to_string(),
                        source: super::RoleSource::Map,
                    },
                    (None, None) => {
                        let line = piece.segments.first().map_or(cue.line, |s| s.position.line);
                        return Err(unnamed_error(line, names.any_named));
                    }
                },
            };
            let (text, segments) = keep_range(&piece.text, &piece.segments, start, end);
            let mut u = timed(speaker.clone());
            u.push("", &text, segments);
            out.push(u);
            last_speaker = Some(speaker);
        }
    }
    Ok(out)
}

/// A cue's content before speakers are decided.
enum Item {
    /// A Teams metadata cue: speaker and text given.
    Spoken(Utterance),
    /// Cue text, with or without a voice.
    Piece(Piece),
}

/// The error for speech before any speaker name, with the way to read it anyway.
fn unnamed_error(line: u32, any_named: bool) -> ParseError {
    let message = if any_named {
        "the first cue names no speaker: expected `<v Name>`, `Name:` or `[SPEAKER_00]` before its \
         text; to give speech without a name a role, pass --speaker-map '*=ROLE' (such as \
         '*=agent')"
    } else {
        "no cue names a speaker (no `<v Name>`, `Name:` or `[SPEAKER_00]`): captions from a \
         recogniser without speaker labels; to read them as one speaker, pass --speaker-map \
         '*=ROLE' (such as '*=agent')"
    };
    ParseError::at_line(line, message)
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

/// Longest display name taken from a `Name:` prefix, in characters.
const MAX_NAME_CHARS: usize = 40;

/// Most words in a display name, not counting a trailing `(…)` part.
const MAX_NAME_WORDS: usize = 5;

/// Longest name in a script without letter case (Chinese) taken on its shape alone.
const MAX_UNCASED_NAME_CHARS: usize = 8;

/// Words that start prose followed by a colon ("Note: the office closes at five"), never a
/// display name unless the label is mapped explicitly. Compared in lower case, without a
/// trailing `.`; whitespace-separated, as are the lists below.
const NOT_NAMES: &str = "\
    note notes nb ps p.s warning caution important attention reminder tip hint example e.g eg \
    i.e ie update summary question answer reason result results step part chapter section item \
    option total subtotal price cost fee date time address phone email e-mail website url \
    subject re fwd fyi disclaimer source quote translation title problem solution issue fact \
    rule so but and or well now then also here there today yes no ok okay oh um uh hmm hey hi \
    hello thanks please remember listen look first second third finally next last plus meaning \
    definition conclusion bottom good bad fun spoiler edit correction dear the this that these \
    those my our your his her their its it we you they he she what why how when where who which \
    one two three";

/// The same for scripts without letter case: the whole label.
const NOT_NAMES_UNCASED: &str = "\
    注意 注 备注 備註 提示 温馨提示 溫馨提示 原因 例如 比如 问题 問題 \
    答案 说明 說明 总结 總結 总之 總之 重要 地址 电话 電話 时间 時間 \
    日期 价格 價格 结果 結果 首先 其次 最后 最後 另外 然后 然後 所以 \
    但是";

/// Words that name a role or a diarised speaker, in any case: `speaker 2:`, `host:`.
const ROLE_WORDS: &str = "\
    speaker spk person participant guest host co-host voice caller agent customer client \
    interviewer interviewee respondent moderator panelist panellist presenter narrator operator \
    unknown rep representative user system";

/// Lower-case words inside a name: `Vincent van Gogh`, `María de la Cruz`.
const PARTICLES: &str = "\
    van von de da del della di du der den la le ter bin al el y";

/// A `Name:` or `[SPEAKER_00]` prefix found at the start of a line of cue text.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Prefix<'t> {
    /// The speaker label: the display name, with any `(…)` part.
    label: &'t str,
    /// The words of the name, without the `(…)` part.
    words: Vec<&'t str>,
    /// Byte offset of the text after the prefix.
    text_at: usize,
    /// `[SPEAKER_00]`: a diarisation label, always a speaker.
    bracketed: bool,
}

/// Decides which `Name:` prefixes are speakers.
///
/// A prefix has the shape of a display name when the part before the colon is at most
/// `MAX_NAME_CHARS` characters of at most `MAX_NAME_WORDS` words made of letters, digits and
/// `.`, `'`, `-`, `_`, optionally followed by a parenthesised part (`Ann (Host):`,
/// `Dr. Smith:`, `Mary O'Brien:`, `Ashlee Kupor (SL):`), and the colon is not followed by a
/// digit or `/` (`10:30`, `https://`). Such a prefix is a speaker when:
///
/// - the label is known (a default label, a rulebook's `[speakers]`, `--speaker-map`); or,
///   unless its first word starts prose (`NOT_NAMES`: `Note:`, `The reason is:`),
/// - its first word names a role (`ROLE_WORDS`: `speaker 1:`, `host:`), or
/// - it is Title-Case: every word starts with a capital (particles such as `van` and `de`
///   inside a name, and diarisation tokens such as `spk_0`, allowed), or, in a script without
///   letter case, it is at most `MAX_UNCASED_NAME_CHARS` characters and not a clause; or
/// - the same label starts at least two lines of the file.
pub struct Names<'l> {
    labels: &'l SpeakerLabels,
    /// How many lines each (lower-cased) prefix label starts.
    counts: HashMap<String, usize>,
    /// True when at least one line of the file starts with a speaker.
    pub any_named: bool,
}

impl<'l> Names<'l> {
    /// Counts the prefixes of every line of the given cue texts (those without a voice).
    pub fn new<'t>(labels: &'l SpeakerLabels, texts: impl Iterator<Item = &'t str>) -> Self {
        let mut names = Names {
            labels,
            counts: HashMap::new(),
            any_named: false,
        };
        let mut found = Vec::new();
        for text in texts {
            for line in text.split('\n') {
                if let Some(prefix) = prefix(line) {
                    *names.counts.entry(prefix.label.to_lowercase()).or_default() += 1;
                    found.push(prefix);
                }
            }
        }
        names.any_named = found.iter().any(|p| names.is_speaker(p));
        names
    }

    fn is_speaker(&self, prefix: &Prefix<'_>) -> bool {
        if prefix.bracketed || self.labels.named_role_of(prefix.label).is_some() {
            return true;
        }
        let Some(first) = prefix.words.first() else {
            return false;
        };
        let first = first.trim_end_matches('.').to_lowercase();
        let cased = prefix
            .words
            .iter()
            .any(|w| w.chars().any(|c| c.is_lowercase() || c.is_uppercase()));
        if cased && listed(NOT_NAMES, &first) {
            return false;
        }
        if !cased {
            let name = prefix.words.concat();
            if listed(NOT_NAMES_UNCASED, &name) || is_uncased_clause(&name) {
                return false;
            }
            if name.chars().count() <= MAX_UNCASED_NAME_CHARS {
                return true;
            }
        }
        listed(ROLE_WORDS, &first)
            || (cased && title_case(&prefix.words))
            || self
                .counts
                .get(&prefix.label.to_lowercase())
                .copied()
                .unwrap_or(0)
                >= 2
    }

    /// Splits one cue text (without a voice) into runs of lines: `(speaker label, start, end)`
    /// byte ranges, the label `None` for lines before the first name (they continue the
    /// previous speaker). A run starts after its speaker's prefix and ends before the line
    /// break that ends it.
    pub fn split<'t>(&self, text: &'t str) -> Vec<(Option<&'t str>, usize, usize)> {
        let mut runs: Vec<(Option<&'t str>, usize, usize)> = Vec::new();
        let mut at = 0;
        for line in text.split('\n') {
            let end = at + line.len();
            match prefix(line).filter(|p| self.is_speaker(p)) {
                Some(p) => runs.push((Some(p.label), at + p.text_at, end)),
                None => match runs.last_mut() {
                    Some(run) => run.2 = end,
                    None => runs.push((None, at, end)),
                },
            }
            at = end + 1;
        }
        runs
    }
}

/// True when `word` is one of the whitespace-separated words of `list`.
fn listed(list: &str, word: &str) -> bool {
    list.split_whitespace().any(|w| w == word)
}

/// True for a label in a script without case that reads as a clause (`原因是`, `他说`).
fn is_uncased_clause(name: &str) -> bool {
    name.ends_with(['是', '为', '為', '说', '說', '道']) || name.ends_with("如下")
}

/// True when every word of a name starts with a capital letter, allowing particles inside
/// the name, diarisation tokens (`spk_0`, `S1`) and a number after a role word (`Speaker 2`).
fn title_case(words: &[&str]) -> bool {
    words.iter().enumerate().all(|(i, word)| {
        let lower = word.to_lowercase();
        let first_letter = word.chars().find(|c| c.is_alphabetic());
        let diarisation = first_letter.is_some() && word.chars().any(|c| c.is_ascii_digit() || c == '_');
        let number_after_role = first_letter.is_none()
            && i > 0
            && words
                .get(i - 1)
                .is_some_and(|w| listed(ROLE_WORDS, &w.to_lowercase()));
        first_letter.is_some_and(char::is_uppercase)
            || (i > 0 && i + 1 < words.len() && listed(PARTICLES, &lower))
            || diarisation
            || number_after_role
    })
}

/// A prefix with the shape of a speaker label at the start of a line (see [`Names`]).
fn prefix(line: &str) -> Option<Prefix<'_>> {
    if let Some(inner) = line.strip_prefix('[') {
        let close = inner.find(']')?;
        let label = inner[..close].trim();
        if label.is_empty() || label.chars().count() > 32 || label.contains([',', '.', ' ']) {
            return None;
        }
        let after = inner[close + 1..].trim_start();
        let after_colon = after.strip_prefix([':', '：']).unwrap_or(after);
        return Some(Prefix {
            label,
            words: vec![label],
            text_at: line.len() - after_colon.trim_start().len(),
            bracketed: true,
        });
    }
    let (colon, colon_char) = line
        .char_indices()
        .take(MAX_NAME_CHARS + 2)
        .find(|&(_, c)| c == ':' || c == '：')?;
    let after = &line[colon + colon_char.len_utf8()..];
    if colon_char == ':' && after.starts_with(|c: char| c.is_ascii_digit() || c == '/') {
        return None;
    }
    let label = line[..colon].trim();
    if label.is_empty() || label.chars().count() > MAX_NAME_CHARS {
        return None;
    }
    let name = match label.strip_suffix(')') {
        Some(inner) => {
            let open = inner.rfind('(')?;
            let part = &inner[open + 1..];
            let valid = !part.trim().is_empty()
                && part
                    .chars()
                    .all(|c| c.is_alphanumeric() || " .'’-/&,".contains(c));
            if !valid {
                return None;
            }
            inner[..open].trim_end()
        }
        None => label,
    };
    let words: Vec<&str> = name.split_whitespace().collect();
    let word_ok = |w: &&str| {
        w.chars().any(char::is_alphanumeric) && w.chars().all(|c| c.is_alphanumeric() || ".'’-_".contains(c))
    };
    if words.is_empty()
        || words.len() > MAX_NAME_WORDS
        || !words.iter().all(word_ok)
        || !name.chars().any(char::is_alphabetic)
    {
        return None;
    }
    Some(Prefix {
        label,
        words,
        text_at: line.len() - after.trim_start().len(),
        bracketed: false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transcript::{Role, map_offset};

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
    fn prefixes_with_the_shape_of_a_name() {
        fn label(line: &str) -> Option<(&str, &str)> {
            prefix(line).map(|p| (p.label, &line[p.text_at..]))
        }
        assert_eq!(label("Agent: you must"), Some(("Agent", "you must")));
        assert_eq!(label("[SPEAKER_00]: hello"), Some(("SPEAKER_00", "hello")));
        assert_eq!(label("[SPEAKER_01] 您好"), Some(("SPEAKER_01", "您好")));
        assert_eq!(label("Ann (Host): hi"), Some(("Ann (Host)", "hi")));
        assert_eq!(label("Dr. Smith:  hello"), Some(("Dr. Smith", "hello")));
        assert_eq!(label("Mary O'Brien: yes"), Some(("Mary O'Brien", "yes")));
        assert_eq!(label("Ashlee Kupor (SL): ok"), Some(("Ashlee Kupor (SL)", "ok")));
        assert_eq!(label("王芳：您好"), Some(("王芳", "您好")));
        for not_a_prefix in [
            "no prefix here",
            "[1, 2] numbers",
            "At 10:30 we open",
            "See https://example.com",
            "Well, as I said: no",
            "One two three four five six: too many words",
            "A very long name that goes on and on and on: x",
            "Ann (Host!): hi",
            "12: 34",
        ] {
            assert_eq!(label(not_a_prefix), None, "{not_a_prefix}");
        }
    }

    fn speakers(labels: &SpeakerLabels, lines: &[&str]) -> Vec<Option<String>> {
        let names = Names::new(labels, lines.iter().copied());
        lines
            .iter()
            .map(|line| names.split(line)[0].0.map(str::to_string))
            .collect()
    }

    #[test]
    fn names_are_told_from_sentences_with_a_colon() {
        let labels = SpeakerLabels::default();
        let found = speakers(
            &labels,
            &[
                "Ann (Host): Welcome.",
                "Dr. Smith: Thanks.",
                "Mary O'Brien: Hi.",
                "Ashlee Kupor (SL): Hello.",
                "Vincent van Gogh: Bonjour.",
                "speaker 2: yes",
                "Speaker 3: no",
                "spk_0: hm",
                "Customer: my bill",
                "王芳：您好",
                "Note: the office closes at five",
                "The reason is: the storm",
                "NOTE: again",
                "Important: bring your ID",
                "the plan: simple",
                "原因是：下雨",
                "注意：营业时间",
                "jane doe: once, in lower case",
            ],
        );
        let expected: Vec<Option<String>> = [
            Some("Ann (Host)"),
            Some("Dr. Smith"),
            Some("Mary O'Brien"),
            Some("Ashlee Kupor (SL)"),
            Some("Vincent van Gogh"),
            Some("speaker 2"),
            Some("Speaker 3"),
            Some("spk_0"),
            Some("Customer"),
            Some("王芳"),
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
        ]
        .into_iter()
        .map(|l| l.map(str::to_string))
        .collect();
        assert_eq!(found, expected);
        // A label that starts several lines is a name even in lower case; prose words never are.
        let found = speakers(&labels, &["jane doe: hi", "jane doe: bye", "note: a", "note: b"]);
        assert_eq!(
            found,
            [
                Some("jane doe".to_string()),
                Some("jane doe".to_string()),
                None,
                None
            ]
        );
        // A mapped label is a speaker whatever it looks like.
        let mut mapped = SpeakerLabels::default();
        mapped.add("Note", Role::Other);
        assert_eq!(speakers(&mapped, &["Note: hi"]), [Some("Note".to_string())]);
    }

    #[test]
    fn a_name_inside_a_cue_starts_its_own_run() {
        let labels = SpeakerLabels::default();
        let text = "more from before\nAnn (Host): Welcome\nback.\nDr. Smith: Thanks.";
        let names = Names::new(&labels, [text].into_iter());
        let runs: Vec<(Option<&str>, &str)> = names
            .split(text)
            .into_iter()
            .map(|(label, start, end)| (label, &text[start..end]))
            .collect();
        assert_eq!(
            runs,
            [
                (None, "more from before"),
                (Some("Ann (Host)"), "Welcome\nback."),
                (Some("Dr. Smith"), "Thanks."),
            ]
        );
    }
}
