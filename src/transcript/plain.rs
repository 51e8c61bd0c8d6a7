//! The plain-text transcript format (contract section 3).
//!
//! ```text
//! # call_id: 20261122-0001            header lines before the first turn
//! [00:00:02] 客服: 您好，这里是XX公司     optional [time] or [start-end], label, colon, text
//!     indented lines continue the previous turn
//! [00:03:10] <hangup by=customer>     event lines
//! ```
//!
//! `#` lines after the first turn are comments. A line without a label after the first turn
//! continues the previous turn (exports often wrap long lines); before the first turn it is an
//! error, because the file is probably not a transcript.

use super::time::parse_clock;
use super::{
    EndedBy, Event, Format, Millis, ParseError, ParseOptions, Position, Role, RoleSource, Segment, Speaker,
    Transcript, Turn,
};
use crate::problem::Problem;

/// The plain-text format: `.txt` files with speaker labels.
pub static FORMAT: Format = Format {
    name: "plain",
    description: "plain text with `Label:` speaker labels (the fallback)",
    extensions: &["txt", "transcript"],
    sniff: None,
    parse: parse_all,
    parse_line: None,
};

fn parse_all(text: &str, options: &ParseOptions) -> Result<Vec<Transcript>, ParseError> {
    parse(text, options).map(|t| vec![t])
}

/// Longest speaker label accepted, in characters.
const MAX_LABEL_CHARS: usize = 32;

/// Parses one plain-text transcript.
pub fn parse(text: &str, options: &ParseOptions) -> Result<Transcript, ParseError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut transcript = Transcript::default();
    let mut hangup_header: Option<Position> = None;
    // A call uses two or three labels thousands of times: resolve each once. A map, because a
    // broken file may hold a million different "labels".
    let mut roles = RoleCache::default();
    // The latest time so far and its line: times are offsets into one call and never go back.
    let mut latest: Option<(Millis, u32)> = None;
    for (index, raw) in lines(text).enumerate() {
        let line_no = u32::try_from(index + 1).unwrap_or(u32::MAX);
        let line = raw.strip_suffix('\r').unwrap_or(raw);
        if leading_space(line) == line.len() {
            continue;
        }
        if let Some(comment) = line.strip_prefix('#') {
            if transcript.turns.is_empty() && transcript.events.is_empty() {
                // `# callcheck: disable …` is a suppression comment, not call metadata.
                if let Some((key, value, value_at)) = header(comment).filter(|(k, _, _)| *k != "callcheck") {
                    let position = Position {
                        line: line_no,
                        column: column_of(line, 1 + value_at),
                    };
                    if key == "ended_by" {
                        transcript.ended_by = ended_by_header(value, position, options)?;
                        hangup_header = Some(position);
                    }
                    transcript.metadata.insert(key.to_string(), value.to_string());
                }
            }
            continue;
        }
        if line.starts_with([' ', '\t', '\u{3000}']) {
            let Some(turn) = transcript.turns.last_mut() else {
                return Err(ParseError::at_line(
                    line_no,
                    "indented line before the first turn; indentation continues a turn, and \
                     no turn has started yet",
                ));
            };
            continue_turn(turn, line, line_no);
            continue;
        }
        let (time, rest_at) = match leading_time_fast(line) {
            Some((time, rest_at)) => (Some(time), rest_at),
            None => leading_time(line, line_no)?,
        };
        if let Some((start, _)) = time {
            if let Some((previous, previous_line)) = latest
                && start < previous
            {
                return Err(ParseError::at_line(
                    line_no,
                    format!(
                        "the time goes backwards: [{start}] is before [{previous}] on line \
                         {previous_line}; times are offsets from the start of one call (are two \
                         calls run together?)"
                    ),
                ));
            }
            latest = Some((start, line_no));
        }
        let rest = &line[rest_at..];
        if rest.starts_with('<') {
            let event = event(rest, rest_at, line, line_no, time)?;
            if event.name.eq_ignore_ascii_case("hangup") {
                record_hangup(&mut transcript, &event, hangup_header, options, line_no)?;
            }
            transcript.events.push(event);
            continue;
        }
        if let Some((label, text_at)) = speaker_label(rest) {
            let (role, source) = roles.get(label, options);
            let text_at = rest_at + text_at;
            transcript.turns.push(Turn {
                speaker: Speaker {
                    role,
                    label: label.to_string(),
                    source,
                },
                text: line[text_at..].trim_end().to_string(),
                start: time.map(|(start, _)| start),
                end: time.and_then(|(_, end)| end),
                segments: vec![Segment {
                    text_offset: 0,
                    position: Position {
                        line: line_no,
                        column: column_of(line, text_at),
                    },
                    verbatim: true,
                }],
            });
            continue;
        }
        if time.is_some() {
            return Err(ParseError::at_line(
                line_no,
                format!(
                    "expected a speaker label after the timestamp (such as `Agent:` or `客服：`), \
                     found `{}`",
                    excerpt(rest)
                ),
            ));
        }
        match transcript.turns.last_mut() {
            Some(turn) => continue_turn(turn, line, line_no),
            None => {
                // Exports saved with the wrong extension are common; say what it looks like.
                let hint = if line.trim_start().starts_with(['{', '[']) {
                    "; the file looks like JSON: give it a .json extension or pass --input-format"
                } else if line.trim_start().starts_with("WEBVTT") {
                    "; the file looks like WebVTT: give it a .vtt extension or pass --input-format"
                } else {
                    ""
                };
                return Err(ParseError::at_line(
                    line_no,
                    format!(
                        "expected a speaker label (such as `Agent:` or `客服：`) or a \
                         `# key: value` header, found `{}`{hint}",
                        excerpt(line)
                    ),
                ));
            }
        }
    }
    Ok(transcript)
}

/// The lines of `text` as `text.split('\n')` yields them, found with `memchr`, which is several
/// times faster than `str::split` on lines a hundred bytes long.
fn lines(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = Some(text);
    std::iter::from_fn(move || {
        let text = rest?;
        match memchr::memchr(b'\n', text.as_bytes()) {
            Some(i) => {
                rest = Some(&text[i + 1..]);
                Some(&text[..i])
            }
            None => {
                rest = None;
                Some(text)
            }
        }
    })
}

/// Each label's role and where it came from, resolved once per label: a call uses two or three
/// labels thousands of times.
#[derive(Default)]
struct RoleCache<'t> {
    /// The first few labels, searched in order: cheaper than hashing for the usual two or three.
    few: Vec<(&'t str, (Role, RoleSource))>,
    /// Every later label: a broken file may hold a million different "labels".
    many: std::collections::HashMap<&'t str, (Role, RoleSource)>,
}

impl<'t> RoleCache<'t> {
    const FEW: usize = 8;

    fn get(&mut self, label: &'t str, options: &ParseOptions) -> (Role, RoleSource) {
        if let Some((_, found)) = self.few.iter().find(|(known, _)| *known == label) {
            return *found;
        }
        let resolve = || {
            let speaker = options.labels.speaker(label);
            (speaker.role, speaker.source)
        };
        if self.few.len() < Self::FEW {
            let found = resolve();
            self.few.push((label, found));
            return found;
        }
        *self.many.entry(label).or_insert_with(resolve)
    }
}

/// 1-based character column of byte offset `at` in `line`.
fn column_of(line: &str, at: usize) -> u32 {
    u32::try_from(line[..at].chars().count() + 1).unwrap_or(u32::MAX)
}

/// The first 40 characters of a line, for error messages.
fn excerpt(text: &str) -> String {
    let mut out: String = text.chars().take(40).collect();
    if text.chars().nth(40).is_some() {
        out.push('…');
    }
    out
}

/// Parses `key: value` after a `#`; returns the key, the value and the value's byte offset.
fn header(comment: &str) -> Option<(&str, &str, usize)> {
    let colon = comment.find([':', '：'])?;
    let key = comment[..colon].trim();
    let valid_key = !key.is_empty()
        && key.chars().count() <= MAX_LABEL_CHARS
        && key
            .chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '-' || c == '.');
    if !valid_key {
        return None;
    }
    let colon_len = comment[colon..].chars().next().map_or(1, char::len_utf8);
    let after = &comment[colon + colon_len..];
    let value = after.trim();
    let value_at = colon + colon_len + (after.len() - after.trim_start().len());
    Some((key, value, value_at))
}

fn ended_by_header(
    value: &str,
    position: Position,
    options: &ParseOptions,
) -> Result<Option<EndedBy>, ParseError> {
    if value.eq_ignore_ascii_case("unknown") || value.is_empty() {
        return Ok(None);
    }
    match options.labels.resolve_named(value) {
        Some(role) => Ok(Some(EndedBy {
            role,
            position,
            time: None,
        })),
        None => Err(ParseError::at_line(
            position.line,
            format!(
                "header `ended_by: {value}`: expected agent, customer, system, unknown or a \
                 speaker label"
            ),
        )),
    }
}

/// Appends a continuation line to a turn.
fn continue_turn(turn: &mut Turn, line: &str, line_no: u32) {
    let content = line.trim();
    let at = line.len() - line.trim_start().len();
    if !turn.text.is_empty() {
        turn.text.push('\n');
    }
    turn.segments.push(Segment {
        text_offset: turn.text.len(),
        position: Position {
            line: line_no,
            column: column_of(line, at),
        },
        verbatim: true,
    });
    turn.text.push_str(content);
}

type TimeRange = (Millis, Option<Millis>);

/// [`leading_time`] for the usual `[00:00:02]` and `[00:00:02-00:00:09]`, in one pass over the
/// brackets: `None` when they hold anything else (spaces, other separators, a bad time), which
/// [`leading_time`] then parses or reports.
fn leading_time_fast(line: &str) -> Option<(TimeRange, usize)> {
    let bytes = line.as_bytes();
    if bytes.first() != Some(&b'[') || !bytes.get(1).is_some_and(u8::is_ascii_digit) {
        return None;
    }
    // Only digits, `:`, `.`, `,` and `-`: no space, `-->`, `–` or `~`, so the first `-` is where
    // `split_range` splits, and the time cannot be negative.
    let (mut dash, mut close) = (None, None);
    for (i, &b) in bytes.iter().enumerate().skip(2) {
        match b {
            b'0'..=b'9' | b':' | b'.' | b',' => {}
            b'-' => {
                dash = dash.or(Some(i));
            }
            b']' => {
                close = Some(i);
                break;
            }
            _ => return None,
        }
    }
    let close = close?;
    let (start, end) = match dash {
        Some(dash) => (
            parse_clock(&line[1..dash]).ok()?,
            Some(parse_clock(&line[dash + 1..close]).ok()?),
        ),
        None => (parse_clock(&line[1..close]).ok()?, None),
    };
    if end.is_some_and(|end| end < start) {
        return None;
    }
    let rest = &line[close + 1..];
    Some(((start, end), close + 1 + leading_space(rest)))
}

/// Parses a leading `[start]` or `[start-end]`; returns it and the offset of what follows.
fn leading_time(line: &str, line_no: u32) -> Result<(Option<TimeRange>, usize), ParseError> {
    let Some(inner_and_rest) = line.strip_prefix('[') else {
        return Ok((None, 0));
    };
    let Some(close) = inner_and_rest.bytes().position(|b| b == b']') else {
        return Err(ParseError::at_line(
            line_no,
            "unclosed `[`: expected a timestamp such as `[00:01:23]`",
        ));
    };
    let inner = &inner_and_rest[..close];
    if inner
        .trim_start()
        .strip_prefix(['-', '−'])
        .is_some_and(|after| after.starts_with(|c: char| c.is_ascii_digit()))
    {
        return Err(ParseError::at_line(
            line_no,
            format!(
                "invalid timestamp `[{}]`: times are offsets from the start of the call and \
                 cannot be negative",
                excerpt(inner)
            ),
        ));
    }
    // A bracketed thing that is not a time at all (`[noise]`) is not a timestamp.
    if !inner.trim_start().starts_with(|c: char| c.is_ascii_digit()) {
        return Ok((None, 0));
    }
    let (start_text, end_text) = split_range(inner);
    let bad = |e: Problem| ParseError::at_line(line_no, format!("invalid timestamp: {e}"));
    let start = parse_clock(start_text).map_err(bad)?;
    let end = match end_text {
        Some(end_text) => {
            let end = parse_clock(end_text).map_err(bad)?;
            if end < start {
                return Err(ParseError::at_line(
                    line_no,
                    format!("invalid timestamp `[{inner}]`: the end is before the start"),
                ));
            }
            Some(end)
        }
        None => None,
    };
    let after = 1 + close + 1;
    let rest = &line[after..];
    Ok((Some((start, end)), after + (rest.len() - rest.trim_start().len())))
}

/// Splits `start-end`, `start - end`, `start --> end`, `start–end` or `start~end`.
fn split_range(inner: &str) -> (&str, Option<&str>) {
    // Usually `-` is the only separator: without `>` there is no `-->`, without the lead byte
    // 0xE2 no `–`, so the first `-` is the one the searches below would find, in one pass.
    if !inner.bytes().any(|b| matches!(b, b'>' | 0xE2 | b'~')) {
        return match inner.bytes().position(|b| b == b'-') {
            Some(i) => (&inner[..i], Some(&inner[i + 1..])),
            None => (inner, None),
        };
    }
    split_range_general(inner)
}

/// [`split_range`] for any separator: the first `-->`, else `–`, `~` or `-`.
fn split_range_general(inner: &str) -> (&str, Option<&str>) {
    for separator in ["-->", "–", "~", "-"] {
        if let Some(i) = inner.find(separator) {
            return (&inner[..i], Some(&inner[i + separator.len()..]));
        }
    }
    (inner, None)
}

/// Recognises `Label:` or `Label：`; returns the label and the offset of the turn text.
pub(super) fn speaker_label(rest: &str) -> Option<(&str, usize)> {
    let (colon, colon_len) = label_colon(rest)?;
    let label = trim(&rest[..colon]);
    if !valid_label(label) {
        return None;
    }
    let after = &rest[colon + colon_len..];
    Some((label, colon + colon_len + leading_space(after)))
}

/// Whether `b` starts a character that is not whitespace: ASCII other than spaces and
/// controls, or a lead byte that no Unicode whitespace has (theirs are 0xC2, 0xE1, 0xE2, 0xE3).
fn starts_non_space(b: u8) -> bool {
    b.is_ascii_graphic() || matches!(b, 0xC3..=0xE0 | 0xE4..=0xF4)
}

/// `s.len() - s.trim_start().len()`, without decoding when `s` starts with a letter, a digit or
/// a Chinese character, or with spaces and tabs before one.
fn leading_space(s: &str) -> usize {
    let spaces = s.bytes().take_while(|&b| b == b' ' || b == b'\t').count();
    match s.as_bytes().get(spaces) {
        Some(&b) if starts_non_space(b) => spaces,
        None => spaces,
        Some(_) => s.len() - s.trim_start().len(),
    }
}

/// `s.trim()`, without the general search when neither end is whitespace.
fn trim(s: &str) -> &str {
    let clean_start = s.as_bytes().first().is_some_and(|&b| starts_non_space(b));
    if clean_start && s.chars().next_back().is_some_and(|c| !c.is_whitespace()) {
        s
    } else {
        s.trim()
    }
}

/// The byte offset and length of the first `:` or `：` in `rest`.
fn label_colon(rest: &str) -> Option<(usize, usize)> {
    // `：` is EF BC 9A in UTF-8; a byte search finds the same first colon as a char search,
    // because no character's encoding contains another's.
    let bytes = rest.as_bytes();
    let mut from = 0;
    while let Some(i) = memchr::memchr2(b':', 0xEF, &bytes[from..]) {
        let at = from + i;
        if bytes[at] == b':' {
            return Some((at, 1));
        }
        if bytes[at..].starts_with("：".as_bytes()) {
            return Some((at, "：".len()));
        }
        from = at + 1;
    }
    None
}

/// Whether a trimmed label is 1 to [`MAX_LABEL_CHARS`] characters in at most four words, with a
/// letter and without brackets or sentence punctuation (which mark text, not a speaker).
fn valid_label(label: &str) -> bool {
    let (mut chars, mut words, mut letter) = (0, 0, false);
    let mut in_word = false;
    for c in label.chars() {
        chars += 1;
        if chars > MAX_LABEL_CHARS {
            return false;
        }
        let space = c.is_whitespace();
        words += usize::from(!space && !in_word);
        in_word = !space;
        letter = letter || c.is_alphabetic();
        if matches!(
            c,
            '[' | ']'
                | '<'
                | '>'
                | '{'
                | '}'
                | '('
                | ')'
                | '"'
                | '\''
                | '`'
                | '/'
                | '\\'
                | '|'
                | '='
                | ','
                | '.'
                | ';'
                | '!'
                | '?'
                | '，'
                | '。'
                | '！'
                | '？'
        ) {
            return false;
        }
    }
    chars > 0 && words <= 4 && letter
}

/// Parses `<name key=value key="value">` starting at byte `at` of `line`.
fn event(
    rest: &str,
    at: usize,
    line: &str,
    line_no: u32,
    time: Option<TimeRange>,
) -> Result<Event, ParseError> {
    let Some(close) = rest.find('>') else {
        return Err(ParseError::at_line(
            line_no,
            format!("unclosed event `{}`: expected `>`", excerpt(rest)),
        ));
    };
    if !rest[close + 1..].trim().is_empty() {
        return Err(ParseError::at_line(
            line_no,
            format!(
                "unexpected text after the event: `{}`",
                excerpt(rest[close + 1..].trim())
            ),
        ));
    }
    let body = rest[1..close].trim().trim_end_matches('/').trim();
    let (name, mut attrs) = match body.find(char::is_whitespace) {
        Some(i) => (&body[..i], body[i..].trim_start()),
        None => (body, ""),
    };
    let valid_name = !name.is_empty() && name.chars().all(|c| c.is_alphanumeric() || c == '_' || c == '-');
    if !valid_name {
        return Err(ParseError::at_line(
            line_no,
            format!("invalid event `{}`: expected `<name key=value …>`", excerpt(rest)),
        ));
    }
    let mut attributes = Vec::new();
    while !attrs.is_empty() {
        let Some(eq) = attrs.find('=') else {
            return Err(ParseError::at_line(
                line_no,
                format!("invalid event attribute `{attrs}`: expected key=value"),
            ));
        };
        let key = attrs[..eq].trim();
        let after = attrs[eq + 1..].trim_start();
        let (value, remaining) = match after.chars().next() {
            Some(quote @ ('"' | '\'')) => {
                let inner = &after[1..];
                let Some(end) = inner.find(quote) else {
                    return Err(ParseError::at_line(
                        line_no,
                        format!("unclosed quote in event attribute `{key}`"),
                    ));
                };
                (&inner[..end], &inner[end + 1..])
            }
            _ => {
                let end = after.find(char::is_whitespace).unwrap_or(after.len());
                (&after[..end], &after[end..])
            }
        };
        attributes.push((key.to_string(), value.to_string()));
        attrs = remaining.trim_start();
    }
    Ok(Event {
        name: name.to_string(),
        attributes,
        time: time.map(|(start, _)| start),
        position: Position {
            line: line_no,
            column: column_of(line, at),
        },
    })
}

fn record_hangup(
    transcript: &mut Transcript,
    event: &Event,
    header: Option<Position>,
    options: &ParseOptions,
    line_no: u32,
) -> Result<(), ParseError> {
    let Some((_, by)) = event.attributes.iter().find(|(k, _)| k == "by") else {
        return Err(ParseError::at_line(
            line_no,
            "`<hangup>` needs `by=`: expected `<hangup by=customer>` (agent, customer, system)",
        ));
    };
    if by.eq_ignore_ascii_case("unknown") {
        return Ok(());
    }
    let Some(role) = options.labels.resolve_named(by) else {
        return Err(ParseError::at_line(
            line_no,
            format!(
                "`<hangup by={by}>`: unknown speaker `{by}`; expected agent, customer, system or \
                 a speaker label"
            ),
        ));
    };
    if let Some(previous) = transcript.ended_by
        && previous.role != role
    {
        let what = if header == Some(previous.position) {
            "the `ended_by` header"
        } else {
            "an earlier hangup event"
        };
        return Err(ParseError::at_line(
            line_no,
            format!(
                "`<hangup by={by}>` contradicts {what} on line {} ({})",
                previous.position.line, previous.role
            ),
        ));
    }
    transcript.ended_by = Some(EndedBy {
        role,
        position: event.position,
        time: event.time,
    });
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_ok(text: &str) -> Transcript {
        parse(text, &ParseOptions::default()).unwrap()
    }

    fn parse_err(text: &str) -> ParseError {
        parse(text, &ParseOptions::default()).unwrap_err()
    }

    #[test]
    fn headers_become_metadata() {
        let t = parse_ok("# call_id: 20261122-0001\n# agent：王芳\n# rings: 4\n客服: 您好\n");
        assert_eq!(t.metadata["call_id"], "20261122-0001");
        assert_eq!(t.metadata["agent"], "王芳");
        assert_eq!(t.metadata["rings"], "4");
        assert_eq!(t.turns.len(), 1);
    }

    #[test]
    fn suppression_comments_are_not_headers() {
        let t = parse_ok("# callcheck: disable-next-line a/b\n# agent: x\nAgent: hi\n");
        assert_eq!(t.metadata.keys().collect::<Vec<_>>(), ["agent"]);
    }

    #[test]
    fn hash_lines_after_turns_are_comments() {
        let t = parse_ok("Agent: hi\n# callcheck: note\nCustomer: hello\n");
        assert!(t.metadata.is_empty());
        assert_eq!(t.turns.len(), 2);
        assert_eq!(t.turns[0].text, "hi");
    }

    #[test]
    fn labels_with_ascii_and_full_width_colons() {
        let t = parse_ok("客服：您好\n客户: 你好\nAGENT:hello\n");
        let roles: Vec<Role> = t.turns.iter().map(|t| t.speaker.role).collect();
        assert_eq!(roles, [Role::Agent, Role::Customer, Role::Agent]);
        assert_eq!(t.turns[0].text, "您好");
        assert_eq!(t.turns[2].text, "hello");
        assert_eq!(t.turns[0].speaker.label, "客服");
    }

    #[test]
    fn traditional_labels_and_unknown_labels() {
        let t = parse_ok("話務員：您好\n來電人：你好\nSupervisor: joining\n");
        assert_eq!(t.turns[0].speaker.role, Role::Agent);
        assert_eq!(t.turns[1].speaker.role, Role::Customer);
        assert_eq!(t.turns[2].speaker.role, Role::Other);
        assert_eq!(t.turns[2].speaker.label, "Supervisor");
    }

    #[test]
    fn extra_labels_from_options() {
        let mut options = ParseOptions::default();
        options.labels.add("Member", Role::Customer);
        let t = parse("Member: hi\n", &options).unwrap();
        assert_eq!(t.turns[0].speaker.role, Role::Customer);
    }

    #[test]
    fn every_timestamp_form() {
        let t = parse_ok(
            "[00:00:02] Agent: a\n[00:05] Customer: b\n[00:00:06.500] Agent: c\n\
             [00:07.25-00:09] Customer: d\n[00:00:10 - 00:00:12.5] Agent: e\nAgent: f\n",
        );
        let times: Vec<(Option<u64>, Option<u64>)> = t
            .turns
            .iter()
            .map(|t| (t.start.map(|m| m.0), t.end.map(|m| m.0)))
            .collect();
        assert_eq!(
            times,
            [
                (Some(2_000), None),
                (Some(5_000), None),
                (Some(6_500), None),
                (Some(7_250), Some(9_000)),
                (Some(10_000), Some(12_500)),
                (None, None),
            ]
        );
    }

    #[test]
    fn bad_timestamps_name_the_line() {
        let e = parse_err("Agent: hi\n[00:61] Customer: b\n");
        assert_eq!(e.line, Some(2));
        assert!(e.message.contains("below 60"), "{e}");
        let e = parse_err("[00:09-00:05] Agent: hi\n");
        assert!(e.message.contains("end is before the start"), "{e}");
        let e = parse_err("[00:01 Agent: hi\n");
        assert!(e.message.contains("unclosed `[`"), "{e}");
        let e = parse_err("Agent: hi\n[-00:00:05] Customer: b\n");
        assert_eq!(e.line, Some(2));
        assert!(e.message.contains("`[-00:00:05]`: times are offsets"), "{e}");
        assert!(e.message.contains("cannot be negative"), "{e}");
        let e = parse_err("[99999999:00:00] Agent: hi\n");
        assert!(e.message.contains("`99999999` is out of range"), "{e}");
    }

    #[test]
    fn times_going_backwards_are_an_error_at_the_line() {
        let e = parse_err("[00:00:10] Agent: hi\n[00:00:12] Customer: b\n\n[00:00:05] Agent: c\n");
        assert_eq!(e.line, Some(4));
        assert!(
            e.message
                .starts_with("the time goes backwards: [00:00:05] is before [00:00:12] on line 2"),
            "{e}"
        );
        // Overlapping turns ([start-end] ranges) are not backwards; equal starts are fine too.
        assert!(
            parse(
                "[00:01-00:09] Agent: a\n[00:05] Customer: b\n[00:05] Agent: c\n",
                &ParseOptions::default()
            )
            .is_ok()
        );
    }

    #[test]
    fn a_million_different_labels_parse_in_linear_time() {
        // Each unknown label used to be looked up in a list of all earlier ones.
        let text: String = (0..200_000).map(|i| format!("L{i}: hi\n")).collect();
        let started = std::time::Instant::now();
        let t = parse(&text, &ParseOptions::default()).unwrap();
        assert_eq!(t.turns.len(), 200_000);
        assert!(started.elapsed().as_secs() < 20, "{:?}", started.elapsed());
    }

    #[test]
    fn continuation_lines_join_the_previous_turn() {
        let t = parse_ok("Agent: first line\n    second line\n\tthird\nCustomer: ok\n");
        assert_eq!(t.turns[0].text, "first line\nsecond line\nthird");
        assert_eq!(t.turns[0].segments.len(), 3);
        let at = t.turns[0].text.find("second").unwrap();
        assert_eq!(t.turns[0].position_at(at), Position { line: 2, column: 5 });
        let at = t.turns[0].text.find("third").unwrap();
        assert_eq!(t.turns[0].position_at(at), Position { line: 3, column: 2 });
    }

    #[test]
    fn unlabelled_line_after_a_turn_continues_it() {
        let t = parse_ok("Agent: wrapped\ntext here\n");
        assert_eq!(t.turns[0].text, "wrapped\ntext here");
    }

    #[test]
    fn unlabelled_line_before_any_turn_is_an_error() {
        let e = parse_err("# title: x\nthis is not a transcript\n");
        assert_eq!(e.line, Some(2));
        assert!(e.message.contains("expected a speaker label"), "{e}");
        let e = parse_err("{\"Transcript\": []}\n");
        assert!(
            e.message
                .ends_with("the file looks like JSON: give it a .json extension or pass --input-format"),
            "{e}"
        );
        let e = parse_err("  indented\n");
        assert!(e.message.contains("indented line before the first turn"), "{e}");
    }

    #[test]
    fn columns_are_characters_of_the_original_line() {
        let t = parse_ok("[00:00:02] 客服：您好\n");
        assert_eq!(t.turns[0].position(), Position { line: 1, column: 15 });
        let t = parse_ok("Agent:   hello\n");
        assert_eq!(t.turns[0].position(), Position { line: 1, column: 10 });
    }

    #[test]
    fn hangup_event_and_header() {
        let t = parse_ok("Agent: bye\n[00:03:10] <hangup by=customer>\n");
        let ended = t.ended_by.unwrap();
        assert_eq!(ended.role, Role::Customer);
        assert_eq!(ended.position, Position { line: 2, column: 12 });
        assert_eq!(ended.time, Some(Millis(190_000)));
        assert_eq!(t.events[0].name, "hangup");

        let t = parse_ok("# ended_by: agent\nAgent: bye\n");
        assert_eq!(t.ended_by.unwrap().role, Role::Agent);
        let t = parse_ok("# ended_by: unknown\nAgent: bye\n");
        assert_eq!(t.ended_by, None);
        let t = parse_ok("Agent: bye\n<hangup by=\"客户\" />\n");
        assert_eq!(t.ended_by.unwrap().role, Role::Customer);
    }

    #[test]
    fn hangup_conflicts_and_errors() {
        let e = parse_err("# ended_by: customer\nAgent: bye\n<hangup by=agent>\n");
        assert!(
            e.message.contains("contradicts the `ended_by` header on line 1"),
            "{e}"
        );
        let e = parse_err("Agent: bye\n<hangup>\n");
        assert!(e.message.contains("needs `by=`"), "{e}");
        let e = parse_err("Agent: bye\n<hangup by=martian>\n");
        assert!(e.message.contains("unknown speaker `martian`"), "{e}");
        let e = parse_err("# ended_by: nobody\nAgent: hi\n");
        assert!(e.message.contains("ended_by: nobody"), "{e}");
        let e = parse_err("Agent: bye\n<hangup by=agent\n");
        assert!(e.message.contains("unclosed event"), "{e}");
    }

    #[test]
    fn other_events_are_kept() {
        let t = parse_ok("Agent: one moment\n[00:01:00] <hold reason=\"lookup\">\nAgent: back\n");
        assert_eq!(t.events[0].name, "hold");
        assert_eq!(t.events[0].attributes, [("reason".into(), "lookup".into())]);
        assert_eq!(t.ended_by, None);
    }

    #[test]
    fn crlf_and_bom() {
        let t = parse_ok("\u{feff}# agent: 王芳\r\n客服：您好\r\n    继续\r\n");
        assert_eq!(t.metadata["agent"], "王芳");
        assert_eq!(t.turns[0].text, "您好\n继续");
        assert_eq!(t.turns[0].position(), Position { line: 2, column: 4 });
    }

    #[test]
    fn bracketed_noise_is_not_a_timestamp() {
        let t = parse_ok("Agent: hi\n[noise] more\n");
        assert_eq!(t.turns[0].text, "hi\n[noise] more");
    }

    /// `speaker_label` as it was before the byte-level search and the one-pass check.
    fn speaker_label_reference(rest: &str) -> Option<(&str, usize)> {
        let colon = rest.find([':', '：'])?;
        let label = rest[..colon].trim();
        let chars = label.chars().count();
        let words = label.split_whitespace().count();
        let valid = (1..=MAX_LABEL_CHARS).contains(&chars)
            && words <= 4
            && label.chars().any(char::is_alphabetic)
            && !label
                .chars()
                .any(|c| "[]<>{}()\"'`/\\|=,.;!?，。！？".contains(c));
        if !valid {
            return None;
        }
        let colon_len = rest[colon..].chars().next().map_or(1, char::len_utf8);
        let after = &rest[colon + colon_len..];
        Some((
            label,
            colon + colon_len + (after.len() - after.trim_start().len()),
        ))
    }

    proptest::proptest! {
        #[test]
        fn speaker_labels_are_found_as_before(
            rest in "[a-zA-Z客服 \u{3000}\t:：，。.()<>1_]{0,40}|\\PC{0,40}",
        ) {
            proptest::prop_assert_eq!(speaker_label(&rest), speaker_label_reference(&rest));
        }

        #[test]
        fn lines_split_as_split_does(text in "[a\n\r客]{0,20}") {
            proptest::prop_assert_eq!(
                lines(&text).collect::<Vec<_>>(),
                text.split('\n').collect::<Vec<_>>()
            );
        }

        #[test]
        fn the_fast_time_path_agrees_with_the_general_one(
            line in "\\[[0-9:.,\\- ~>a]{0,20}\\]? ?[a:]{0,3}|\\[[0-9]{1,2}:[0-9]{2}(:[0-9]{2})?(-[0-9]{1,2}:[0-9]{2})?\\] x",
        ) {
            if let Some(fast) = leading_time_fast(&line) {
                let general = leading_time(&line, 1).map_err(|e| e.to_string());
                proptest::prop_assert_eq!(general, Ok((Some(fast.0), fast.1)));
            }
        }

        #[test]
        fn whitespace_helpers_agree_with_str(s in "[ \t\u{3000}\u{a0}\u{2003}\u{85}a客é\r\x0b]{0,8}|\\PC{0,8}") {
            proptest::prop_assert_eq!(leading_space(&s), s.len() - s.trim_start().len());
            proptest::prop_assert_eq!(trim(&s), s.trim());
        }

        #[test]
        fn ranges_split_as_the_general_search_does(inner in "[0-9:.\\- ~>–—]{0,16}") {
            proptest::prop_assert_eq!(split_range(&inner), split_range_general(&inner));
        }
    }

    #[test]
    fn labels_and_colons() {
        assert_eq!(speaker_label("客服：您好"), Some(("客服", 9)));
        assert_eq!(speaker_label("Agent :  hi"), Some(("Agent", 9)));
        assert_eq!(speaker_label("Mr Big Tall Agent Man: hi"), None);
        assert_eq!(speaker_label("好的，我看一下：嗯"), None);
        assert_eq!(speaker_label("note (aside): hi"), None);
        assert_eq!(speaker_label("12: 34"), None);
        assert_eq!(speaker_label(&format!("{}: hi", "a".repeat(33))), None);
        assert_eq!(label_colon("a：b:c"), Some((1, 3)));
        assert_eq!(leading_space("  \t客服"), 3);
        assert_eq!(leading_space(" \u{3000}x"), 4);
        assert_eq!(leading_space(" \u{a0}"), 3);
        assert_eq!(trim(" 客服\u{3000}"), "客服");
        assert_eq!(trim("Agent"), "Agent");
        assert_eq!(label_colon("，。：:"), Some((6, 3)));
        assert_eq!(label_colon("no colon，"), None);
        assert_eq!(split_range("00:01-00:02"), ("00:01", Some("00:02")));
        assert_eq!(split_range("1-2-->3"), ("1-2", Some("3")));
        assert_eq!(split_range("1 – 2"), ("1 ", Some(" 2")));
        let at = |s| leading_time_fast(s).map(|((start, end), at)| (start.0, end.map(|e| e.0), at));
        assert_eq!(at("[00:00:02-00:00:09]  客服："), Some((2_000, Some(9_000), 21)));
        assert_eq!(at("[01:02.5] A: b"), Some((62_500, None, 10)));
        assert_eq!(at("[00:09-00:05] A: b"), None);
        assert_eq!(at("[00:05 - 00:09] A: b"), None);
        assert_eq!(at("[00:05-00:09 A: b"), None);
        assert_eq!(at("[-00:05] A: b"), None);
    }

    #[test]
    fn many_labels_resolve_as_few_do() {
        let text: String = (0..20).map(|i| format!("客服：a\nL{i}: b\n客户：c\n")).collect();
        let t = parse_ok(&text);
        let roles: Vec<Role> = t.turns.iter().map(|t| t.speaker.role).take(6).collect();
        assert_eq!(
            roles,
            [
                Role::Agent,
                Role::Other,
                Role::Customer,
                Role::Agent,
                Role::Other,
                Role::Customer
            ]
        );
        assert!(
            t.turns[57..]
                .iter()
                .map(|t| t.speaker.role)
                .eq([Role::Agent, Role::Other, Role::Customer])
        );
    }

    #[test]
    fn empty_file_has_no_turns() {
        let t = parse_ok("");
        assert!(t.turns.is_empty());
    }
}
