//! A JSON reader that keeps source positions, for the JSON-based transcript formats.
//!
//! `serde_json` says where a syntax error is but forgets where each value came from; reports
//! must point at the line and column of a phrase inside a JSON string, so this reader records
//! the position of every value and can map each character of a string back to the file (escape
//! sequences included). [`Node`] adds typed access with errors that name the line and the JSON
//! path (`line 12: \`Transcript[3].Content\`: expected a string, found a number`). [`outline`]
//! is a cheap scan of the top-level keys, used to detect which format a `.json` file is.
//!
//! Strict JSON (RFC 8259): comments, trailing commas, single quotes and raw control characters
//! are errors with a hint, because a file that breaks them did not come from the exporter.

mod node;
mod outline;

use std::borrow::Cow;

use super::{ParseError, Position, Segment};
pub use node::Node;
pub use outline::{Outline, Shape, outline};

/// Deepest nesting accepted; deeper input is an error rather than a stack overflow.
const MAX_DEPTH: usize = 128;

/// A JSON value and where it starts.
#[derive(Clone, Debug, PartialEq)]
pub struct Value<'s> {
    /// Position of the value's first character.
    pub pos: Position,
    /// The value.
    pub kind: Kind<'s>,
}

/// The kinds of JSON value.
#[derive(Clone, Debug, PartialEq)]
pub enum Kind<'s> {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number, as written (validated against the JSON grammar).
    Number(&'s str),
    /// A string.
    String(Str<'s>),
    /// An array.
    Array(Vec<Value<'s>>),
    /// An object's members in source order.
    Object(Vec<(Str<'s>, Value<'s>)>),
}

/// A decoded JSON string that remembers its source text and position.
#[derive(Clone, Debug, PartialEq)]
pub struct Str<'s> {
    raw: &'s str,
    pos: Position,
    value: Cow<'s, str>,
}

impl Str<'_> {
    /// The decoded string.
    pub fn as_str(&self) -> &str {
        &self.value
    }

    /// Where the string's first character (after the opening quote) is.
    pub fn position(&self) -> Position {
        self.pos
    }

    /// Source segments for the decoded text, with text offsets starting at `base`: one verbatim
    /// segment per run of unescaped characters, one non-verbatim segment per escape sequence,
    /// so every character maps to its exact column.
    pub fn segments(&self, base: usize) -> Vec<Segment> {
        let mut segments = Vec::new();
        let mut column = self.pos.column;
        let mut text_offset = base;
        let mut in_run = false;
        let mut chars = self.raw.chars();
        while let Some(c) = chars.next() {
            let position = Position {
                line: self.pos.line,
                column,
            };
            if c == '\\' {
                let (decoded, consumed) = decode_escape_for_segments(&mut chars);
                segments.push(Segment {
                    text_offset,
                    position,
                    verbatim: false,
                });
                text_offset += decoded;
                column += 1 + consumed;
                in_run = false;
            } else {
                if !in_run {
                    segments.push(Segment {
                        text_offset,
                        position,
                        verbatim: true,
                    });
                    in_run = true;
                }
                text_offset += c.len_utf8();
                column += 1;
            }
        }
        if segments.is_empty() {
            segments.push(Segment {
                text_offset: base,
                position: self.pos,
                verbatim: true,
            });
        }
        segments
    }
}

/// Re-reads one escape after its backslash: (bytes it decodes to, source characters consumed).
/// The string was validated when parsed, so this cannot fail.
fn decode_escape_for_segments(chars: &mut std::str::Chars<'_>) -> (usize, u32) {
    match chars.next() {
        Some('u') => {
            let hex: String = chars.by_ref().take(4).collect();
            let unit = u32::from_str_radix(&hex, 16).unwrap_or(0xFFFD);
            if (0xD800..0xDC00).contains(&unit) {
                // A surrogate pair: `\uD83D\uDE00` is one character of four UTF-8 bytes.
                let _backslash_u: String = chars.by_ref().take(6).collect();
                (4, 11)
            } else {
                (char::from_u32(unit).map_or(3, char::len_utf8), 5)
            }
        }
        Some(_) => (1, 1),
        None => (0, 0),
    }
}

/// Parses a whole text as one JSON value (a UTF-8 byte-order mark is skipped).
pub fn parse(text: &str) -> Result<Value<'_>, ParseError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    parse_line(text, 1)
}

/// Parses a text that starts on line `first_line` of the file (one line of JSON Lines).
pub fn parse_line(text: &str, first_line: u32) -> Result<Value<'_>, ParseError> {
    let mut parser = Parser {
        text,
        bytes: text.as_bytes(),
        at: 0,
        line: first_line,
        column: 1,
        open: Vec::new(),
    };
    parser.skip_whitespace()?;
    if parser.at >= parser.bytes.len() {
        return Err(ParseError::at_line(parser.line, "empty JSON: expected a value"));
    }
    let value = parser.value()?;
    parser.skip_whitespace()?;
    if parser.at < parser.bytes.len() {
        let hint = if parser.peek() == Some(b'{') || parser.peek() == Some(b'[') {
            "; several JSON values one after another are JSON Lines: name the file .jsonl"
        } else {
            ""
        };
        return Err(parser.error(format!(
            "unexpected {} after the end of the JSON value{hint}",
            parser.found()
        )));
    }
    Ok(value)
}

struct Parser<'s> {
    text: &'s str,
    bytes: &'s [u8],
    at: usize,
    line: u32,
    column: u32,
    /// Open arrays and objects: (`[` or `{`, the line it opened on), for truncation errors.
    open: Vec<(u8, u32)>,
}

impl<'s> Parser<'s> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    fn position(&self) -> Position {
        Position {
            line: self.line,
            column: self.column,
        }
    }

    /// Advances one byte, keeping line and character column.
    fn bump(&mut self) {
        if let Some(&b) = self.bytes.get(self.at) {
            if b == b'\n' {
                self.line += 1;
                self.column = 1;
            } else if b & 0xC0 != 0x80 {
                self.column += 1;
            }
            self.at += 1;
        }
    }

    /// What is at the cursor, for messages: `` `x` at column 5`` or "the end of the file".
    fn found(&self) -> String {
        match self.text.get(self.at..).and_then(|rest| rest.chars().next()) {
            Some(c) if c.is_control() => format!("`{}` at column {}", c.escape_debug(), self.column),
            Some(c) => format!("`{c}` at column {}", self.column),
            None => "the end of the file".to_string(),
        }
    }

    fn error(&self, message: impl Into<String>) -> ParseError {
        ParseError::at_line(self.line, message)
    }

    /// The error for input that stops inside an array, object or string.
    fn truncated(&self, inside: Option<(&str, u32)>) -> ParseError {
        let what = match inside.or_else(|| {
            self.open.last().map(|&(kind, line)| {
                let name = if kind == b'{' { "an object" } else { "an array" };
                (name, line)
            })
        }) {
            Some((name, line)) => format!("{name} that starts on line {line} is not closed"),
            None => "a value is missing".to_string(),
        };
        self.error(format!(
            "unexpected end of the file: {what} (is the file truncated?)"
        ))
    }

    fn skip_whitespace(&mut self) -> Result<(), ParseError> {
        while let Some(b) = self.peek() {
            match b {
                b' ' | b'\t' | b'\n' | b'\r' => self.bump(),
                b'/' if matches!(self.bytes.get(self.at + 1), Some(b'/' | b'*')) => {
                    return Err(self.error(format!(
                        "comments are not allowed in JSON (found `/{}` at column {})",
                        self.bytes[self.at + 1] as char,
                        self.column
                    )));
                }
                _ => break,
            }
        }
        Ok(())
    }

    fn value(&mut self) -> Result<Value<'s>, ParseError> {
        let pos = self.position();
        let kind = match self.peek() {
            None => return Err(self.truncated(None)),
            Some(b'{') => self.object()?,
            Some(b'[') => self.array()?,
            Some(b'"') => Kind::String(self.string()?),
            Some(b'-' | b'0'..=b'9') => Kind::Number(self.number()?),
            Some(b't') => self.literal("true", Kind::Bool(true))?,
            Some(b'f') => self.literal("false", Kind::Bool(false))?,
            Some(b'n') => self.literal("null", Kind::Null)?,
            Some(b'\'') => {
                return Err(self.error(format!(
                    "expected a value, found {}: JSON strings use double quotes",
                    self.found()
                )));
            }
            Some(b'.') if self.text[self.at..].starts_with("...") => {
                return Err(self.error(format!(
                    "expected a value, found {}: the file has elisions (`...`), as documentation \
                     examples do; it is not complete JSON",
                    self.found()
                )));
            }
            Some(_) => return Err(self.error(format!("expected a value, found {}", self.found()))),
        };
        Ok(Value { pos, kind })
    }

    fn literal(&mut self, word: &str, kind: Kind<'s>) -> Result<Kind<'s>, ParseError> {
        if self.text[self.at..].starts_with(word) {
            for _ in 0..word.len() {
                self.bump();
            }
            Ok(kind)
        } else {
            Err(self.error(format!("expected a value, found {}", self.found())))
        }
    }

    fn enter(&mut self, kind: u8) -> Result<(), ParseError> {
        if self.open.len() >= MAX_DEPTH {
            return Err(self.error(format!("JSON nested deeper than {MAX_DEPTH} levels")));
        }
        self.open.push((kind, self.line));
        self.bump();
        Ok(())
    }

    fn object(&mut self) -> Result<Kind<'s>, ParseError> {
        self.enter(b'{')?;
        let mut members = Vec::new();
        self.skip_whitespace()?;
        if self.peek() == Some(b'}') {
            self.bump();
            self.open.pop();
            return Ok(Kind::Object(members));
        }
        loop {
            self.skip_whitespace()?;
            match self.peek() {
                Some(b'"') => {}
                None => return Err(self.truncated(None)),
                Some(b'}') if !members.is_empty() => {
                    return Err(self.error(format!(
                        "expected a key, found {}: trailing commas are not allowed in JSON",
                        self.found()
                    )));
                }
                Some(b'.') if self.text[self.at..].starts_with("...") => {
                    return Err(self.error(format!(
                        "expected a key, found {}: the file has elisions (`...`), as documentation \
                         examples do; it is not complete JSON",
                        self.found()
                    )));
                }
                Some(_) => {
                    return Err(
                        self.error(format!("expected a key in double quotes, found {}", self.found()))
                    );
                }
            }
            let key = self.string()?;
            self.skip_whitespace()?;
            match self.peek() {
                Some(b':') => self.bump(),
                None => return Err(self.truncated(None)),
                Some(_) => {
                    return Err(self.error(format!(
                        "expected `:` after the key \"{}\", found {}",
                        key.as_str(),
                        self.found()
                    )));
                }
            }
            self.skip_whitespace()?;
            let value = self.value()?;
            members.push((key, value));
            self.skip_whitespace()?;
            match self.peek() {
                Some(b',') => self.bump(),
                Some(b'}') => {
                    self.bump();
                    self.open.pop();
                    return Ok(Kind::Object(members));
                }
                None => return Err(self.truncated(None)),
                Some(_) => {
                    let hint = if self.peek() == Some(b'"') {
                        " (a comma is missing)"
                    } else {
                        ""
                    };
                    return Err(self.error(format!(
                        "expected `,` or `}}` after the value of \"{}\", found {}{hint}",
                        members.last().map_or("", |(k, _)| k.as_str()),
                        self.found()
                    )));
                }
            }
        }
    }

    fn array(&mut self) -> Result<Kind<'s>, ParseError> {
        self.enter(b'[')?;
        let mut items = Vec::new();
        self.skip_whitespace()?;
        if self.peek() == Some(b']') {
            self.bump();
            self.open.pop();
            return Ok(Kind::Array(items));
        }
        loop {
            self.skip_whitespace()?;
            if self.peek() == Some(b']') {
                return Err(self.error(format!(
                    "expected a value, found {}: trailing commas are not allowed in JSON",
                    self.found()
                )));
            }
            items.push(self.value()?);
            self.skip_whitespace()?;
            match self.peek() {
                Some(b',') => self.bump(),
                Some(b']') => {
                    self.bump();
                    self.open.pop();
                    return Ok(Kind::Array(items));
                }
                None => return Err(self.truncated(None)),
                Some(_) => {
                    return Err(self.error(format!(
                        "expected `,` or `]` after an array element, found {}",
                        self.found()
                    )));
                }
            }
        }
    }

    fn string(&mut self) -> Result<Str<'s>, ParseError> {
        let open_line = self.line;
        self.bump(); // the opening quote
        let pos = self.position();
        let start = self.at;
        let mut owned: Option<String> = None;
        let mut run_start = start;
        loop {
            let Some(b) = self.peek() else {
                return Err(self.truncated(Some(("a string", open_line))));
            };
            match b {
                b'"' => {
                    let raw = &self.text[start..self.at];
                    let value = match owned {
                        Some(mut s) => {
                            s.push_str(&self.text[run_start..self.at]);
                            Cow::Owned(s)
                        }
                        None => Cow::Borrowed(raw),
                    };
                    self.bump();
                    return Ok(Str { raw, pos, value });
                }
                b'\\' => {
                    let s = owned.get_or_insert_with(String::new);
                    s.push_str(&self.text[run_start..self.at]);
                    self.escape(s)?;
                    run_start = self.at;
                }
                b'\n' if self.text[self.at..].trim().is_empty() => {
                    // The file ends inside the string: cut off, not a stray line break.
                    return Err(self.truncated(Some(("a string", open_line))));
                }
                0x00..=0x1F => {
                    let what = match b {
                        b'\n' => "a line break (is a closing quote missing?)".to_string(),
                        b'\t' => "a tab; write it as \\t".to_string(),
                        other => format!("control character {other:#04x}"),
                    };
                    return Err(self.error(format!(
                        "invalid string starting on line {open_line}: {what} at column {}",
                        self.column
                    )));
                }
                _ => self.bump(),
            }
        }
    }

    /// Decodes one escape sequence (cursor on the backslash) into `out`.
    fn escape(&mut self, out: &mut String) -> Result<(), ParseError> {
        let column = self.column;
        self.bump();
        let Some(b) = self.peek() else {
            return Err(self.truncated(Some(("a string", self.line))));
        };
        self.bump();
        let c = match b {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => {
                let unit = self.hex4(column)?;
                if (0xD800..0xDC00).contains(&unit) {
                    if self.text[self.at..].starts_with("\\u") {
                        self.bump();
                        self.bump();
                        let low = self.hex4(column)?;
                        if !(0xDC00..0xE000).contains(&low) {
                            return Err(self.bad_escape(column, "a high surrogate without its low half"));
                        }
                        let c = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00);
                        char::from_u32(c).ok_or_else(|| self.bad_escape(column, "not a character"))?
                    } else {
                        return Err(self.bad_escape(column, "a high surrogate without its low half"));
                    }
                } else {
                    char::from_u32(unit).ok_or_else(|| self.bad_escape(column, "a lone low surrogate"))?
                }
            }
            _ => return Err(self.bad_escape(column, "unknown escape")),
        };
        out.push(c);
        Ok(())
    }

    fn hex4(&mut self, column: u32) -> Result<u32, ParseError> {
        let digits = self.text.get(self.at..self.at + 4).unwrap_or("");
        if digits.len() != 4 || !digits.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(self.bad_escape(column, "`\\u` needs four hex digits"));
        }
        for _ in 0..4 {
            self.bump();
        }
        u32::from_str_radix(digits, 16).map_err(|_| self.bad_escape(column, "`\\u` needs four hex digits"))
    }

    fn bad_escape(&self, column: u32, why: &str) -> ParseError {
        self.error(format!("invalid escape sequence at column {column}: {why}"))
    }

    fn number(&mut self) -> Result<&'s str, ParseError> {
        let start = self.at;
        let column = self.column;
        let bad = |p: &Self| {
            p.error(format!(
                "invalid number `{}` at column {column}",
                &p.text[start..p.at.max(start + 1).min(p.text.len())]
            ))
        };
        if self.peek() == Some(b'-') {
            self.bump();
        }
        match self.peek() {
            Some(b'0') => self.bump(),
            Some(b'1'..=b'9') => {
                while matches!(self.peek(), Some(b'0'..=b'9')) {
                    self.bump();
                }
            }
            _ => return Err(bad(self)),
        }
        if self.peek() == Some(b'.') {
            self.bump();
            if !matches!(self.peek(), Some(b'0'..=b'9')) {
                return Err(bad(self));
            }
            while matches!(self.peek(), Some(b'0'..=b'9')) {
                self.bump();
            }
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.bump();
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.bump();
            }
            if !matches!(self.peek(), Some(b'0'..=b'9')) {
                return Err(bad(self));
            }
            while matches!(self.peek(), Some(b'0'..=b'9')) {
                self.bump();
            }
        }
        if matches!(
            self.peek(),
            Some(b'0'..=b'9' | b'a'..=b'z' | b'A'..=b'Z' | b'_' | b'.')
        ) {
            self.bump();
            return Err(bad(self));
        }
        Ok(&self.text[start..self.at])
    }
}

/// The name of a value's kind, for "expected …, found …" messages.
pub fn kind_name(kind: &Kind<'_>) -> &'static str {
    match kind {
        Kind::Null => "null",
        Kind::Bool(_) => "a boolean",
        Kind::Number(_) => "a number",
        Kind::String(_) => "a string",
        Kind::Array(_) => "an array",
        Kind::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transcript::Millis;

    fn err(text: &str) -> String {
        parse(text).unwrap_err().to_string()
    }

    #[test]
    fn values_know_their_positions() {
        let text = "{\n  \"a\": [1, -2.5e3, true, null],\n  \"b\": \"x\"\n}";
        let v = parse(text).unwrap();
        let Kind::Object(members) = &v.kind else { panic!() };
        assert_eq!(members[0].0.as_str(), "a");
        assert_eq!(members[0].1.pos, Position { line: 2, column: 8 });
        let Kind::Array(items) = &members[0].1.kind else {
            panic!()
        };
        assert_eq!(items[1].kind, Kind::Number("-2.5e3"));
        assert_eq!(items[2].kind, Kind::Bool(true));
        let Kind::String(b) = &members[1].1.kind else {
            panic!()
        };
        assert_eq!(b.position(), Position { line: 3, column: 9 });
    }

    #[test]
    fn string_segments_map_every_character_to_its_column() {
        let text = r#"{"t": "您好\n\"ACME\" \u4f60必须"}"#;
        let v = parse(text).unwrap();
        let root = Node::root(&v);
        let s = root.field("t").unwrap().str().unwrap();
        assert_eq!(s.as_str(), "您好\n\"ACME\" 你必须");
        let turn = crate::transcript::Turn {
            speaker: crate::transcript::Speaker::declared(crate::transcript::Role::Agent, "a"),
            text: s.as_str().to_string(),
            start: None,
            end: None,
            segments: s.segments(0),
        };
        // `{"t": "` is 7 characters: 您 is column 8.
        assert_eq!(turn.position_at(0), Position { line: 1, column: 8 });
        let acme = turn.text.find("ACME").unwrap();
        assert_eq!(turn.position_at(acme), Position { line: 1, column: 14 });
        let ni = turn.text.find('你').unwrap();
        assert_eq!(
            turn.position_at(ni),
            Position { line: 1, column: 21 },
            "the \\u escape"
        );
        let bi = turn.text.find('必').unwrap();
        assert_eq!(turn.position_at(bi), Position { line: 1, column: 27 });
    }

    #[test]
    fn surrogate_pairs_decode_and_keep_columns() {
        let v = parse(r#"["\ud83d\ude00x"]"#).unwrap();
        let Kind::Array(items) = &v.kind else { panic!() };
        let Kind::String(s) = &items[0].kind else { panic!() };
        assert_eq!(s.as_str(), "😀x");
        let segments = s.segments(0);
        assert_eq!(segments[1].text_offset, 4);
        assert_eq!(segments[1].position.column, 15);
    }

    #[test]
    fn syntax_errors_name_the_line_and_what_was_expected() {
        assert_eq!(
            err("{\n  \"a\": 1,\n  \"b\": [1, 2\n"),
            "line 4: unexpected end of the file: an array that starts on line 3 is not closed (is \
             the file truncated?)"
        );
        assert_eq!(
            err("{\"a\": \"unfinished"),
            "line 1: unexpected end of the file: a string that starts on line 1 is not closed (is \
             the file truncated?)"
        );
        assert_eq!(
            err("{\n\"a\": 1\n\"b\": 2}"),
            "line 3: expected `,` or `}` after the value of \"a\", found `\"` at column 1 (a comma \
             is missing)"
        );
        assert_eq!(
            err("{\"a\": 1,}"),
            "line 1: expected a key, found `}` at column 9: trailing commas are not allowed in JSON"
        );
        assert_eq!(
            err("{\n  // note\n}"),
            "line 2: comments are not allowed in JSON (found `//` at column 3)"
        );
        assert_eq!(err("{\"a\": 01}"), "line 1: invalid number `01` at column 7");
        assert_eq!(
            err("{\"a\": \"x\\q\"}"),
            "line 1: invalid escape sequence at column 9: unknown escape"
        );
        assert_eq!(
            err("{\"a\": \"two\nlines\"}"),
            "line 1: invalid string starting on line 1: a line break (is a closing quote missing?) \
             at column 11"
        );
        assert_eq!(
            err("{}\n{}"),
            "line 2: unexpected `{` at column 1 after the end of the JSON value; several JSON values \
             one after another are JSON Lines: name the file .jsonl"
        );
        assert_eq!(
            err("{\"a\": [\n  ...\n]}"),
            "line 2: expected a value, found `.` at column 3: the file has elisions (`...`), as \
             documentation examples do; it is not complete JSON"
        );
        assert_eq!(
            err("{\"a\": 1,\n  ...\n}"),
            "line 2: expected a key, found `.` at column 3: the file has elisions (`...`), as \
             documentation examples do; it is not complete JSON"
        );
        assert_eq!(err(""), "line 1: empty JSON: expected a value");
        assert!(err(&"[".repeat(500)).contains("nested deeper than 128"));
    }

    #[test]
    fn a_file_cut_inside_a_string_is_truncated() {
        assert_eq!(
            err("{\n  \"turns\": [\n    {\"text\": \"Hi\n"),
            "line 3: unexpected end of the file: a string that starts on line 3 is not closed (is \
             the file truncated?)"
        );
    }

    #[test]
    fn nodes_give_typed_access_with_paths() {
        let text = "{\"Transcript\": [\n {\"Content\": 5, \"Begin\": -3, \"T\": \"4.5\"}\n]}";
        let v = parse(text).unwrap();
        let root = Node::root(&v);
        let items = root.field("Transcript").unwrap().items().unwrap();
        assert_eq!(
            items[0].field("Content").unwrap().str().unwrap_err().to_string(),
            "line 2: `Transcript[0].Content`: expected a string, found a number"
        );
        assert_eq!(
            items[0].field("Missing").unwrap_err().to_string(),
            "line 2: `Transcript[0]`: missing field `Missing`"
        );
        assert_eq!(
            items[0].field("Begin").unwrap().millis().unwrap_err().to_string(),
            "line 2: `Transcript[0].Begin`: expected a time in milliseconds from the start of the \
             call, found -3"
        );
        assert_eq!(items[0].field("T").unwrap().seconds().unwrap(), Millis(4_500));
        assert_eq!(
            root.field("Transcript")
                .unwrap()
                .members()
                .unwrap_err()
                .to_string(),
            "line 1: `Transcript`: expected an object, found an array"
        );
        assert_eq!(
            Node::root(&parse("[]").unwrap())
                .field("x")
                .unwrap_err()
                .to_string(),
            "line 1: the top level: expected an object, found an array"
        );
    }

    #[test]
    fn outlines_for_detection() {
        let o = outline("  {\"a\": {\"nested\": 1}, \"b\": \"}\", \"c\": [1]}").unwrap();
        assert_eq!(
            (o.shape, o.keys),
            (Shape::Object, vec!["a".into(), "b".into(), "c".into()])
        );
        let o = outline("[{\"turns\": []}, {\"x\": 1}]").unwrap();
        assert_eq!((o.shape, o.keys), (Shape::Array, vec!["turns".to_string()]));
        let o = outline("{\"turns\": []}\n{\"turns\": []}\n").unwrap();
        assert_eq!(o.shape, Shape::Lines);
        let o = outline("{\"a\": 1, \"b\": [1, 2").unwrap();
        assert_eq!(o.keys, ["a", "b"], "a truncated file still shows its keys");
        assert!(outline("Agent: hi").is_none());
        assert!(outline("").is_none());
    }
}
