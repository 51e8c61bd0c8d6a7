//! Reply templates: canned replies and script snippets, checked as agent-only text.
//!
//! Contact centres keep them in a repository as `.txt` or `.md` files (one template per file) or
//! as YAML/JSON files of named templates. Each template becomes a [`Transcript`] of kind
//! [`TranscriptKind::Template`] with one agent turn and no times, so rules that need a
//! conversation (hang-up, windows in seconds) are not applicable.
//!
//! Templates are opt-in: their extensions are shared with plain-text transcripts (`.txt`),
//! documentation (`.md`) and JSON exports, so folders are never read as templates by extension
//! alone. A file is a template when `--input-format templates` is given or its path matches
//! `templates` globs in `callcheck.toml`; [`for_path`] then picks the parser by extension.
//!
//! **Placeholders** (`{{customer_name}}`, `${order_id}`, `{name}`) are not text: each becomes
//! one [`PLACEHOLDER`] character in the turn, which no phrase contains and which the matcher
//! never lets a match span, so nothing matches across or inside a placeholder.
//!
//! Text files: in `.txt`, `#` lines are comments (and `# key: value` lines before the text are
//! metadata, as in plain-text transcripts); in `.md`, `<!-- -->` comments are skipped, a
//! leading `---` front matter block gives metadata and heading markers are not text. YAML and
//! JSON files (JSON is read as YAML, which it is a subset of) hold named templates:
//!
//! ```yaml
//! greeting: "您好，这里是{{company}}，请问有什么可以帮您？"     # name → text
//! refund-denied:                                            # name → table with a text key
//!   language: en
//!   text: |
//!     Sorry {name}, this order cannot be refunded.
//! - name: closing                                           # or a list of tables with names
//!   text: 还有其他可以帮您的吗？
//! ```
//!
//! A table is a template when it has one of [`TEXT_KEYS`]; its other scalar keys become
//! metadata and its name is its `name`/`id` key, else its path of keys (`replies.refund`,
//! `closings[2]`). Any other string value is a template named by its path. Positions of YAML
//! text are found by aligning the parsed value with the source, so columns are exact for plain
//! and block scalars; where escapes make that impossible, findings point at the value's start.

use std::sync::OnceLock;

use indexmap::IndexMap;
use regex::Regex;
use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::Marker;

use crate::line_index::LineIndex;

use super::{
    Format, ParseError, ParseOptions, Position, Role, Segment, Speaker, Transcript, TranscriptKind, Turn,
};

/// The character a placeholder becomes in turn text (U+FFFC OBJECT REPLACEMENT CHARACTER).
pub const PLACEHOLDER: char = crate::normalize::PLACEHOLDER;

/// Extensions read as templates when a file is declared a template.
pub const EXTENSIONS: &[&str] = &["txt", "md", "markdown", "yaml", "yml", "json"];

/// Keys whose value is a template's text, in a table of template fields.
pub const TEXT_KEYS: &[&str] = &["text", "body", "reply", "content", "message", "template"];

/// Keys naming a template inside its table.
const NAME_KEYS: &[&str] = &["name", "id"];

/// The registered format (`--input-format templates`); parses text templates. Never chosen
/// by extension: see the module documentation.
pub static FORMAT: Format = Format {
    name: "templates",
    description: "reply templates: one canned reply per .txt file (opt-in: `templates` globs or --input-format templates)",
    extensions: &[],
    sniff: None,
    parse: parse_text,
    parse_line: None,
};

/// Markdown templates.
pub static MARKDOWN: Format = Format {
    name: "templates",
    description: "reply templates: one canned reply per .md file, comments and headings ignored",
    extensions: &[],
    sniff: None,
    parse: parse_markdown,
    parse_line: None,
};

/// YAML and JSON files of named templates.
pub static NAMED: Format = Format {
    name: "templates",
    description: "reply templates: YAML or JSON files of named templates",
    extensions: &[],
    sniff: None,
    parse: parse_named,
    parse_line: None,
};

/// The template parser for a file extension (lower case, no dot).
pub fn for_extension(extension: &str) -> &'static Format {
    match extension {
        "md" | "markdown" => &MARKDOWN,
        "yaml" | "yml" | "json" => &NAMED,
        _ => &FORMAT,
    }
}

/// The label of a template's single turn.
const LABEL: &str = "template";

fn placeholder_regex() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"\{\{\{?[^{}\n]*\}?\}\}|\$\{[^{}\n]*\}|%\{[^{}\n]*\}|\{[\p{L}\p{N}_.\-]+\}")
            .unwrap_or_else(|_| unreachable!("the placeholder pattern is valid"))
    })
}

/// Builds a template's turn from text whose characters are mapped to source offsets.
struct TurnBuilder<'l, 's> {
    lines: &'l LineIndex<'s>,
    text: String,
    segments: Vec<Segment>,
    /// The source offset right after the last character pushed, when it was verbatim.
    next_source: Option<usize>,
    /// Where text that cannot be aligned with the source is reported when nothing before it
    /// could be (the template's start).
    origin: Position,
}

impl<'l, 's> TurnBuilder<'l, 's> {
    fn new(lines: &'l LineIndex<'s>) -> Self {
        TurnBuilder {
            lines,
            text: String::new(),
            segments: Vec::new(),
            next_source: None,
            origin: Position { line: 1, column: 1 },
        }
    }

    /// Pushes `value`, whose characters are at the given source offsets (`None`: not found in
    /// the source, e.g. produced by an escape), masking placeholders.
    fn push(&mut self, value: &str, offsets: &[Option<usize>]) {
        let mut chars = value.char_indices().zip(offsets.iter().copied()).peekable();
        let placeholders: Vec<(usize, usize)> = placeholder_regex()
            .find_iter(value)
            .map(|m| (m.start(), m.end()))
            .collect();
        let mut next_placeholder = 0;
        while let Some(((at, c), source)) = chars.next() {
            if let Some(&(start, end)) = placeholders.get(next_placeholder)
                && at == start
            {
                next_placeholder += 1;
                self.push_char(PLACEHOLDER, source, false);
                while chars.peek().is_some_and(|((i, _), _)| *i < end) {
                    chars.next();
                }
                // Text after a placeholder starts a segment of its own.
                self.next_source = None;
                continue;
            }
            self.push_char(c, source, true);
        }
    }

    fn push_char(&mut self, c: char, source: Option<usize>, verbatim: bool) {
        let contiguous = source.is_some() && source == self.next_source && c != '\n';
        if !contiguous && c != '\n' {
            let (position, verbatim) = match source {
                Some(offset) => (Position::at(self.lines, offset), verbatim),
                None => (self.segments.last().map_or(self.origin, |s| s.position), false),
            };
            self.segments.push(Segment {
                text_offset: self.text.len(),
                position,
                verbatim,
            });
        }
        self.text.push(c);
        self.next_source = source.map(|s| s + c.len_utf8()).filter(|_| c != '\n');
    }

    fn finish(self, metadata: IndexMap<String, String>) -> Option<Transcript> {
        let text = self.text.trim_end().to_string();
        if text.trim().is_empty() || self.segments.is_empty() {
            return None;
        }
        // Segments of trimmed trailing whitespace would point past the text.
        let mut segments = self.segments;
        segments.retain(|s| s.text_offset <= text.len());
        Some(Transcript {
            kind: TranscriptKind::Template,
            metadata,
            turns: vec![Turn {
                speaker: Speaker::declared(Role::Agent, LABEL),
                text,
                start: None,
                end: None,
                segments,
            }],
            events: Vec::new(),
            ended_by: None,
            roles: None,
        })
    }
}

/// An empty template is still a template (every rule is then not applicable).
fn empty(metadata: IndexMap<String, String>) -> Transcript {
    Transcript {
        kind: TranscriptKind::Template,
        metadata,
        ..Transcript::default()
    }
}

/// Source lines as `(byte offset of the line, line text without its ending)`.
fn source_lines(source: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut offset = 0;
    source.split_inclusive('\n').map(move |raw| {
        let at = offset;
        offset += raw.len();
        let line = raw.strip_suffix('\n').unwrap_or(raw);
        (at, line.strip_suffix('\r').unwrap_or(line))
    })
}

/// Pushes one source line's content (from byte `from` of the line) as a line of the turn.
fn push_line(builder: &mut TurnBuilder<'_, '_>, line_at: usize, line: &str, from: usize) {
    let content = line[from..].trim_end();
    let lead = content.len() - content.trim_start().len();
    let content = content.trim_start();
    if content.is_empty() {
        return;
    }
    if !builder.text.is_empty() {
        builder.push_char('\n', None, true);
    }
    let start = line_at + from + lead;
    let offsets: Vec<Option<usize>> = content.char_indices().map(|(i, _)| Some(start + i)).collect();
    builder.push(content, &offsets);
}

/// `key: value` (ASCII or full-width colon) with a plain key.
fn key_value(text: &str) -> Option<(String, String)> {
    let colon = text.find([':', '：'])?;
    let key = text[..colon].trim();
    let valid = !key.is_empty() && key.chars().all(|c| c.is_alphanumeric() || c == '_' || c == '-');
    let value = text[colon..].chars().skip(1).collect::<String>();
    valid.then(|| (key.to_string(), value.trim().to_string()))
}

/// A `.txt` template: the whole file is one reply; `#` lines are comments, and `# key: value`
/// lines before the text are metadata.
fn parse_text(source: &str, _options: &ParseOptions) -> Result<Vec<Transcript>, ParseError> {
    let source = source.strip_prefix('\u{feff}').unwrap_or(source);
    let lines = LineIndex::new(source);
    let mut builder = TurnBuilder::new(&lines);
    let mut metadata = IndexMap::new();
    for (at, line) in source_lines(source) {
        if let Some(comment) = line.trim_start().strip_prefix('#') {
            if builder.text.is_empty()
                && let Some((key, value)) = key_value(comment)
                && key != "callcheck"
            {
                metadata.insert(key, value);
            }
            continue;
        }
        push_line(&mut builder, at, line, 0);
    }
    Ok(vec![
        builder
            .finish(metadata.clone())
            .unwrap_or_else(|| empty(metadata)),
    ])
}

/// A Markdown template: front matter is metadata, HTML comments and heading markers are not
/// text.
fn parse_markdown(source: &str, _options: &ParseOptions) -> Result<Vec<Transcript>, ParseError> {
    let source = source.strip_prefix('\u{feff}').unwrap_or(source);
    let lines = LineIndex::new(source);
    let mut builder = TurnBuilder::new(&lines);
    let mut metadata = IndexMap::new();
    let mut front_matter = false;
    let mut in_comment = false;
    for (index, (at, line)) in source_lines(source).enumerate() {
        if index == 0 && line.trim_end() == "---" {
            front_matter = true;
            continue;
        }
        if front_matter {
            if line.trim_end() == "---" || line.trim_end() == "..." {
                front_matter = false;
            } else if let Some((key, value)) = key_value(line) {
                metadata.insert(key, value.trim_matches(['"', '\'']).to_string());
            }
            continue;
        }
        // Split the line around HTML comments, which may span lines.
        let mut from = 0;
        let mut pieces: Vec<(usize, usize)> = Vec::new();
        while from < line.len() {
            if in_comment {
                match line[from..].find("-->") {
                    Some(end) => {
                        in_comment = false;
                        from += end + 3;
                    }
                    None => from = line.len(),
                }
            } else {
                match line[from..].find("<!--") {
                    Some(start) => {
                        pieces.push((from, from + start));
                        in_comment = true;
                        from += start + 4;
                    }
                    None => {
                        pieces.push((from, line.len()));
                        from = line.len();
                    }
                }
            }
        }
        for (start, end) in pieces {
            let piece = &line[..end];
            let mut skip = start;
            if start == 0 {
                // Heading markers (`## `) are formatting, not words.
                let trimmed = piece.trim_start();
                let hashes = trimmed.len() - trimmed.trim_start_matches('#').len();
                if hashes > 0 && trimmed[hashes..].starts_with([' ', '\t']) {
                    skip = piece.len() - trimmed.len() + hashes;
                }
            }
            push_line(&mut builder, at, piece, skip);
        }
    }
    Ok(vec![
        builder
            .finish(metadata.clone())
            .unwrap_or_else(|| empty(metadata)),
    ])
}

/// A parsed YAML node; scalars keep the source offset (bytes) where they start.
#[derive(Debug)]
enum Node {
    Map(Vec<(String, Node)>),
    Seq(Vec<Node>),
    Scalar(String, usize),
}

/// Collects parser events into [`Node`]s.
struct TreeBuilder<'s> {
    /// The source, to turn markers into byte offsets.
    source: &'s str,
    /// Where the source's lines start.
    lines: LineIndex<'s>,
    stack: Vec<Node>,
    keys: Vec<Option<String>>,
    root: Option<Node>,
    anchors: bool,
    /// Set when nesting exceeds [`MAX_DEPTH`]; the file is then rejected.
    too_deep: bool,
}

/// Deepest nesting of YAML tables and lists accepted (template files are shallow; this keeps
/// recursion over the tree bounded whatever the input).
const MAX_DEPTH: usize = 64;

impl TreeBuilder<'_> {
    /// The byte offset of a marker, from its line and character column (its `index` mixes
    /// bytes and characters after block scalars, so it is not used).
    fn byte(&self, mark: Marker) -> usize {
        let Some(&start) = self.lines.starts().get(mark.line().saturating_sub(1)) else {
            return self.source.len();
        };
        self.source[start..]
            .char_indices()
            .nth(mark.col())
            .map_or(self.source.len(), |(i, _)| start + i)
    }

    fn add(&mut self, node: Node) {
        match self.stack.last_mut() {
            None => self.root = Some(node),
            Some(Node::Seq(items)) => items.push(node),
            Some(Node::Map(entries)) => {
                // Every open map has its key slot; a missing one would be a parser bug, and the
                // node is then dropped rather than the run stopped.
                let Some(key_slot) = self.keys.last_mut() else {
                    return;
                };
                match key_slot.take() {
                    None => {
                        *key_slot = Some(match node {
                            Node::Scalar(key, _) => key,
                            _ => String::from("?"),
                        });
                    }
                    Some(key) => entries.push((key, node)),
                }
            }
            Some(Node::Scalar(..)) => {}
        }
    }
}

impl MarkedEventReceiver for TreeBuilder<'_> {
    fn on_event(&mut self, event: Event, mark: Marker) {
        match event {
            Event::Scalar(value, _, anchor, _) => {
                if anchor > 0 {
                    self.anchors = true;
                }
                let at = self.byte(mark);
                self.add(Node::Scalar(value, at));
            }
            Event::SequenceStart(..) | Event::MappingStart(..) if self.stack.len() >= MAX_DEPTH => {
                self.too_deep = true;
            }
            Event::SequenceStart(..) => self.stack.push(Node::Seq(Vec::new())),
            Event::MappingStart(..) => {
                self.stack.push(Node::Map(Vec::new()));
                self.keys.push(None);
            }
            Event::SequenceEnd | Event::MappingEnd => {
                if let Some(node) = self.stack.pop() {
                    if matches!(node, Node::Map(..)) {
                        self.keys.pop();
                    }
                    self.add(node);
                }
            }
            Event::Alias(_) => self.anchors = true,
            _ => {}
        }
    }
}

/// Maps each character of `value` to its byte offset in `source`, searching from `from`:
/// characters are matched in order, skipping only what YAML quoting and folding add
/// (whitespace, line breaks, quotes, block indicators). After a character that cannot be found
/// that way (an escape), the rest is unmapped.
fn align(source: &str, from: usize, value: &str) -> Vec<Option<usize>> {
    let mut offsets = Vec::with_capacity(value.len());
    let mut cursor = from.min(source.len());
    let mut lost = false;
    for c in value.chars() {
        if lost {
            offsets.push(None);
            continue;
        }
        let mut found = None;
        for (i, s) in source[cursor..].char_indices() {
            if s == c {
                found = Some(cursor + i);
                break;
            }
            if !(s.is_whitespace() || "\"'|>-+#".contains(s) || s.is_ascii_digit()) {
                break;
            }
        }
        match found {
            // A value's line break may be folded from a space in the source, or vice versa.
            Some(at) => {
                offsets.push(if c == '\n' { None } else { Some(at) });
                cursor = at + c.len_utf8();
            }
            None if c.is_whitespace() => offsets.push(None),
            None => {
                lost = true;
                offsets.push(None);
            }
        }
    }
    offsets
}

/// A YAML or JSON file of named templates.
fn parse_named(source: &str, _options: &ParseOptions) -> Result<Vec<Transcript>, ParseError> {
    let source = source.strip_prefix('\u{feff}').unwrap_or(source);
    let mut tree = TreeBuilder {
        source,
        lines: LineIndex::new(source),
        stack: Vec::new(),
        keys: Vec::new(),
        root: None,
        anchors: false,
        too_deep: false,
    };
    Parser::new_from_str(source).load(&mut tree, false).map_err(|e| {
        let line = u32::try_from(e.marker().line()).unwrap_or(u32::MAX);
        ParseError::at_line(
            line.max(1),
            format!(
                "invalid YAML/JSON at column {}: {}; expected a mapping of template names to \
                 texts (see docs/formats.md)",
                e.marker().col() + 1,
                e.info()
            ),
        )
    })?;
    if tree.too_deep {
        return Err(ParseError::whole_file(format!(
            "tables and lists nest more than {MAX_DEPTH} levels deep; template files hold names \
             and texts"
        )));
    }
    if tree.anchors {
        return Err(ParseError::whole_file(
            "YAML anchors and aliases are not supported in template files: write each template out",
        ));
    }
    let lines = tree.lines;
    let mut out = Vec::new();
    match tree.root {
        None => {}
        Some(Node::Scalar(_, at)) => {
            return Err(ParseError::at_line(
                Position::at(&lines, at).line,
                "expected a mapping of template names to texts, or a list of templates; found a \
                 single value",
            ));
        }
        Some(node) => collect(&node, "", source, &lines, &mut out),
    }
    Ok(out)
}

/// Roles a YAML or JSON file of templates may group its templates under (`closing:` → each
/// template under it has the role `closing`), unless a template names its own `role`.
pub const STRUCTURE_ROLES: &[&str] = &["opening", "body", "closing"];

/// The role the first key of a template's key path names, if it is one of [`STRUCTURE_ROLES`].
fn role_from_path(path: &str) -> Option<&'static str> {
    let first = path.split(['.', '[']).next()?;
    STRUCTURE_ROLES
        .iter()
        .copied()
        .find(|r| r.eq_ignore_ascii_case(first))
}

/// Adds the role the key path gives, unless the template names one.
fn with_structure_role(mut metadata: IndexMap<String, String>, path: &str) -> IndexMap<String, String> {
    if let Some(role) = role_from_path(path)
        && !metadata.keys().any(|k| k.eq_ignore_ascii_case("role"))
    {
        metadata.insert("role".to_string(), role.to_string());
    }
    metadata
}

/// Finds the templates under a node; `path` is its key path.
fn collect(node: &Node, path: &str, source: &str, lines: &LineIndex<'_>, out: &mut Vec<Transcript>) {
    match node {
        Node::Scalar(value, at) => {
            let mut metadata = IndexMap::new();
            metadata.insert("template".to_string(), path.to_string());
            let metadata = with_structure_role(metadata, path);
            out.push(template(value, *at, source, lines, metadata));
        }
        Node::Seq(items) => {
            for (i, item) in items.iter().enumerate() {
                collect(item, &format!("{path}[{i}]"), source, lines, out);
            }
        }
        Node::Map(entries) => {
            let text = entries
                .iter()
                .find(|(k, v)| TEXT_KEYS.contains(&k.as_str()) && matches!(v, Node::Scalar(..)));
            let Some((text_key, Node::Scalar(value, at))) = text else {
                for (key, child) in entries {
                    let child_path = if path.is_empty() {
                        key.clone()
                    } else {
                        format!("{path}.{key}")
                    };
                    collect(child, &child_path, source, lines, out);
                }
                return;
            };
            let name = entries
                .iter()
                .find(|(k, v)| NAME_KEYS.contains(&k.as_str()) && matches!(v, Node::Scalar(..)))
                .and_then(|(_, v)| match v {
                    Node::Scalar(name, _) => Some(name.clone()),
                    _ => None,
                })
                .unwrap_or_else(|| path.to_string());
            let mut metadata = IndexMap::new();
            metadata.insert("template".to_string(), name);
            for (key, value) in entries {
                if let Node::Scalar(v, _) = value
                    && key != text_key
                    && !NAME_KEYS.contains(&key.as_str())
                {
                    metadata.insert(key.clone(), v.clone());
                }
            }
            let metadata = with_structure_role(metadata, path);
            out.push(template(value, *at, source, lines, metadata));
        }
    }
}

/// One template from a YAML scalar that starts (its quote or block indicator included) at `at`.
fn template(
    value: &str,
    at: usize,
    source: &str,
    lines: &LineIndex<'_>,
    metadata: IndexMap<String, String>,
) -> Transcript {
    let offsets = align(source, at, value);
    let mut builder = TurnBuilder::new(lines);
    builder.origin = Position::at(lines, at);
    builder.push(value, &offsets);
    if builder.segments.is_empty() && !value.trim().is_empty() {
        builder.segments.push(Segment {
            text_offset: 0,
            position: Position::at(lines, at),
            verbatim: false,
        });
    }
    builder
        .finish(metadata.clone())
        .unwrap_or_else(|| empty(metadata))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(result: Result<Vec<Transcript>, ParseError>) -> Transcript {
        let mut all = result.unwrap();
        assert_eq!(all.len(), 1, "{all:?}");
        all.remove(0)
    }

    fn at(t: &Transcript, needle: &str) -> Position {
        let turn = &t.turns[0];
        turn.position_at(turn.text.find(needle).unwrap())
    }

    #[test]
    fn text_templates_are_one_agent_turn_with_comments_and_headers() {
        let t = one(parse_text(
            "# language: zh\n# callcheck: disable-next-line x/y\n您好，{{name}}！\n  # a comment\n\n请问有什么可以帮您？\n",
            &ParseOptions::default(),
        ));
        assert_eq!(t.kind, TranscriptKind::Template);
        assert_eq!(t.metadata.get("language").map(String::as_str), Some("zh"));
        assert!(!t.metadata.contains_key("callcheck"));
        assert_eq!(t.turns.len(), 1);
        assert_eq!(t.turns[0].speaker.role, Role::Agent);
        assert_eq!(t.turns[0].text, "您好，\u{fffc}！\n请问有什么可以帮您？");
        assert_eq!(at(&t, "！"), Position { line: 3, column: 12 });
        assert_eq!(at(&t, "请问"), Position { line: 6, column: 1 });
        assert_eq!(at(&t, "\u{fffc}"), Position { line: 3, column: 4 });
        assert!(t.ended_by.is_none() && !t.has_times());
    }

    #[test]
    fn every_placeholder_style_is_masked() {
        let t = one(parse_text(
            "Dear {{ customer_name }}, order ${order_id} for {name} and {{{raw}}} and %{x}.",
            &ParseOptions::default(),
        ));
        assert_eq!(
            t.turns[0].text,
            "Dear \u{fffc}, order \u{fffc} for \u{fffc} and \u{fffc} and \u{fffc}."
        );
        assert_eq!(at(&t, ", order"), Position { line: 1, column: 25 });
        // Braces that hold no name are text.
        let t = one(parse_text("a { b } c", &ParseOptions::default()));
        assert_eq!(t.turns[0].text, "a { b } c");
    }

    #[test]
    fn markdown_front_matter_comments_and_headings() {
        let t = one(parse_markdown(
            "---\ntitle: 退款\nlanguage: zh\n---\n<!-- callcheck: disable x/y -->\n## 退款说明\n您好<!-- note\nstill -->，这里是ACME。\n",
            &ParseOptions::default(),
        ));
        assert_eq!(t.metadata["title"], "退款");
        assert_eq!(t.turns[0].text, "退款说明\n您好\n，这里是ACME。");
        assert_eq!(at(&t, "退款说明"), Position { line: 6, column: 4 });
        assert_eq!(at(&t, "，这里是"), Position { line: 8, column: 10 });
    }

    #[test]
    fn yaml_named_templates_in_every_shape() {
        let source = "\
greeting: \"您好，这里是{{company}}\"
refund:
  language: en
  text: |
    Sorry {name},
    you must wait.
closings:
  - name: thanks
    text: 感谢您的来电
  - 还有其他可以帮您的吗？
";
        let all = parse_named(source, &ParseOptions::default()).unwrap();
        let names: Vec<&str> = all.iter().map(|t| t.metadata["template"].as_str()).collect();
        assert_eq!(names, ["greeting", "refund", "thanks", "closings[1]"]);
        assert_eq!(all[0].turns[0].text, "您好，这里是\u{fffc}");
        assert_eq!(at(&all[0], "这里是"), Position { line: 1, column: 15 });
        assert_eq!(all[1].metadata["language"], "en");
        assert_eq!(all[1].turns[0].text, "Sorry \u{fffc},\nyou must wait.");
        assert_eq!(at(&all[1], "you must"), Position { line: 6, column: 5 });
        assert_eq!(at(&all[2], "感谢"), Position { line: 9, column: 11 });
        assert_eq!(at(&all[3], "其他"), Position { line: 10, column: 7 });
        // Positions stay right after a block scalar of wide characters.
        let all = parse_named(
            "a: |\n  非常抱歉您好\nb: >\n  很抱歉工单系统\n",
            &ParseOptions::default(),
        )
        .unwrap();
        assert_eq!(at(&all[1], "工单"), Position { line: 4, column: 6 });
    }

    #[test]
    fn grouping_keys_give_roles_unless_a_template_names_its_own() {
        let source = "\
opening:
  hello: 您好，这里是安信银行
closing:
  - 还有其他可以帮您的吗？
  - text: 再见
    role: body
refunds:
  denied: 抱歉，不能退款
";
        let all = parse_named(source, &ParseOptions::default()).unwrap();
        let roles: Vec<Option<&str>> = all
            .iter()
            .map(|t| t.metadata.get("role").map(String::as_str))
            .collect();
        assert_eq!(roles, [Some("opening"), Some("closing"), Some("body"), None]);
    }

    #[test]
    fn json_is_read_as_yaml_and_escapes_fall_back_to_the_value_start() {
        let all = parse_named(
            "{\n  \"a\": \"You must log in\",\n  \"b\": \"line\\none you must\"\n}\n",
            &ParseOptions::default(),
        )
        .unwrap();
        assert_eq!(at(&all[0], "must"), Position { line: 2, column: 13 });
        assert_eq!(all[1].turns[0].text, "line\none you must");
        // After the escape the columns are unknown: the finding points at the value.
        assert_eq!(at(&all[1], "must").line, 3);
    }

    #[test]
    fn folded_scalars_keep_positions_per_line() {
        let all = parse_named("a: >\n  first part\n  second part\n", &ParseOptions::default()).unwrap();
        assert_eq!(all[0].turns[0].text, "first part second part");
        assert_eq!(at(&all[0], "second"), Position { line: 3, column: 3 });
    }

    #[test]
    fn broken_files_are_errors_with_lines() {
        let e = parse_named("a: [1, 2\nb: c\n", &ParseOptions::default()).unwrap_err();
        assert!(e.line.is_some() && e.message.contains("invalid YAML/JSON"), "{e}");
        let e = parse_named("just text\n", &ParseOptions::default()).unwrap_err();
        assert!(e.message.contains("found a single value"), "{e}");
        let e = parse_named("a: &x hi\nb: *x\n", &ParseOptions::default()).unwrap_err();
        assert!(e.message.contains("anchors"), "{e}");
        assert!(parse_named("", &ParseOptions::default()).unwrap().is_empty());
    }

    #[test]
    fn segments_stay_inside_the_text_at_1_based_positions() {
        // Found by fuzzing (parse_templates): after a lone carriage return the value could not
        // be aligned with the source, and its position was line 0, column 0.
        // And a block scalar ending in whitespace left a segment past the trimmed text.
        for source in ["\r: $", "\r\r\r: x\r", ": |\n {\n  "] {
            for t in (NAMED.parse)(source, &ParseOptions::default()).unwrap() {
                for turn in &t.turns {
                    for segment in &turn.segments {
                        assert!(
                            segment.position.line >= 1 && segment.position.column >= 1,
                            "{source:?}: {segment:?}"
                        );
                        assert!(segment.text_offset <= turn.text.len(), "{source:?}: {turn:?}");
                    }
                }
            }
        }
    }

    #[test]
    fn deep_nesting_is_rejected() {
        let deep = format!("{}x{}", "[".repeat(200), "]".repeat(200));
        let e = parse_named(&deep, &ParseOptions::default()).unwrap_err();
        assert!(e.message.contains("nest more than"), "{e}");
    }

    proptest::proptest! {
        #[test]
        fn no_input_panics(text in r#"[-a-z:#|>"'{}\\$%\n 您好，<!>\t\[\]\u{3000}]{0,80}"#) {
            let options = ParseOptions::default();
            for parse in [parse_text, parse_markdown, parse_named] {
                if let Ok(transcripts) = parse(&text, &options) {
                    for t in &transcripts {
                        for turn in &t.turns {
                            for (i, _) in turn.text.char_indices() {
                                let _ = turn.position_at(i);
                            }
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn empty_templates_have_no_turns() {
        let t = one(parse_text("# only a comment\n\n", &ParseOptions::default()));
        assert!(t.turns.is_empty());
        assert_eq!(t.kind, TranscriptKind::Template);
    }

    #[test]
    fn extensions_pick_the_parser() {
        assert!(std::ptr::eq(for_extension("md"), &MARKDOWN));
        assert!(std::ptr::eq(for_extension("yml"), &NAMED));
        assert!(std::ptr::eq(for_extension("txt"), &FORMAT));
    }
}
