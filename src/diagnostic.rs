//! Errors in user-written TOML (rulebooks, configuration) that people can act on.
//!
//! Every [`Diagnostic`] names `file:line:column`, the key, what was expected and a hint, and
//! shows the offending line with a caret, like a compiler error:
//!
//! ```text
//! error: rules/acme.toml:12:1: [[forbidden]] "you-must": unknown key `phrasez`
//!    |
//! 12 | phrasez = ["你必须"]
//!    | ^^^^^^^
//!    = expected: one of `id`, `title`, `phrases`, …
//!    = hint: did you mean `phrases`?
//! ```

use std::fmt;
use std::ops::Range;

use unicode_width::UnicodeWidthStr;

/// Whether a diagnostic stops the run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Level {
    /// Invalid input: nothing is checked.
    Error,
    /// Suspicious but usable input.
    Warning,
}

/// One problem in a TOML file, with its location and advice.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// Error or warning.
    pub level: Level,
    /// The file as the user named it (or `builtin:NAME`).
    pub path: String,
    /// 1-based line and column, when the problem has a location.
    pub line: usize,
    /// 1-based column in characters.
    pub column: usize,
    /// The offending source line, for the excerpt.
    pub source_line: Option<String>,
    /// Display width of the underline.
    pub underline: usize,
    /// Where in the file: `[[forbidden]] "you-must"` and the key.
    pub context: Option<String>,
    /// What is wrong.
    pub message: String,
    /// What was expected.
    pub expected: Option<String>,
    /// How to fix it.
    pub hint: Option<String>,
}

impl Diagnostic {
    /// A diagnostic at a byte span of `source`, with the table and key found from the span.
    pub fn at(path: &str, source: &str, span: Range<usize>, message: impl Into<String>) -> Self {
        // Spans come from parsers, sometimes of a copy of the text with parts blanked out
        // (rulebook problems): never cut a character.
        let boundary = |mut i: usize| {
            i = i.min(source.len());
            while !source.is_char_boundary(i) {
                i -= 1;
            }
            i
        };
        let start = boundary(span.start);
        let end = boundary(span.end).max(start);
        let line_start = source[..start].rfind('\n').map_or(0, |i| i + 1);
        let line_end = source[start..].find('\n').map_or(source.len(), |i| start + i);
        let line_text = source[line_start..line_end].trim_end_matches('\r');
        let line = line_number(source, start);
        let column = source[line_start..start].chars().count() + 1;
        let underlined = &source[start..end.min(line_start + line_text.len()).max(start)];
        Diagnostic {
            level: Level::Error,
            path: path.to_string(),
            line,
            column,
            source_line: Some(line_text.to_string()),
            underline: underlined.width().max(1),
            context: context_at(source, start),
            message: message.into(),
            expected: None,
            hint: None,
        }
    }

    /// A diagnostic about a whole file (it cannot be read, it is empty).
    pub fn whole_file(path: &str, message: impl Into<String>) -> Self {
        Diagnostic {
            level: Level::Error,
            path: path.to_string(),
            line: 0,
            column: 0,
            source_line: None,
            underline: 0,
            context: None,
            message: message.into(),
            expected: None,
            hint: None,
        }
    }

    /// Sets what was expected.
    pub fn expected(mut self, expected: impl Into<String>) -> Self {
        self.expected = Some(expected.into());
        self
    }

    /// Sets the hint.
    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Makes this a warning.
    pub fn warning(mut self) -> Self {
        self.level = Level::Warning;
        self
    }

    /// `path:line:column`, or just the path for whole-file problems.
    pub fn location(&self) -> String {
        if self.line == 0 {
            self.path.clone()
        } else {
            format!("{}:{}:{}", self.path, self.line, self.column)
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let level = match self.level {
            Level::Error => "error",
            Level::Warning => "warning",
        };
        write!(f, "{level}: {}: ", self.location())?;
        if let Some(context) = &self.context {
            write!(f, "{context}: ")?;
        }
        writeln!(f, "{}", self.message)?;
        let gutter = self.line.to_string().len();
        if let Some(source_line) = &self.source_line {
            let prefix: String = source_line.chars().take(self.column.saturating_sub(1)).collect();
            let pad = " ".repeat(prefix.width());
            writeln!(f, "{:gutter$} |", "")?;
            writeln!(f, "{} | {}", self.line, source_line.replace('\t', " "))?;
            writeln!(f, "{:gutter$} | {pad}{}", "", "^".repeat(self.underline))?;
        }
        if let Some(expected) = &self.expected {
            writeln!(f, "{:gutter$} = expected: {expected}", "")?;
        }
        if let Some(hint) = &self.hint {
            writeln!(f, "{:gutter$} = hint: {hint}", "")?;
        }
        Ok(())
    }
}

/// Every problem found in a set of files; an error when any is at level `Error`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    /// True when at least one diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        self.0.iter().any(|d| d.level == Level::Error)
    }

    /// Adds one diagnostic.
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.0.push(diagnostic);
    }
}

/// Most diagnostics shown at once: past that, a rulebook has one mistake repeated (a generated
/// file, a bad copy), and thousands of messages would bury it.
const MAX_SHOWN: usize = 50;

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in self.0.iter().take(MAX_SHOWN).enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{d}")?;
        }
        if let Some(more) = self.0.len().checked_sub(MAX_SHOWN).filter(|&n| n > 0) {
            writeln!(f)?;
            writeln!(
                f,
                "error: … and {more} more problems not shown; fix the ones above first"
            )?;
        }
        Ok(())
    }
}

/// The 1-based line of byte `offset` in `source`. A rulebook with thousands of problems gets a
/// diagnostic each: counting bytes (which the compiler vectorises) keeps that fast.
fn line_number(source: &str, offset: usize) -> usize {
    source.as_bytes()[..offset]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

impl std::error::Error for Diagnostics {}

/// Describes where a byte offset sits: the enclosing table (with the rule's id for arrays of
/// tables) and the key, e.g. `[[forbidden]] "you-must" › severity`.
fn context_at(source: &str, offset: usize) -> Option<String> {
    let before = &source[..offset];
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let mut table: Option<(String, usize)> = None;
    let mut key: Option<String> = None;
    let mut search_key = true;
    // Walk lines backwards from the offset's line to the nearest table header.
    let head = &source[..line_start];
    let current = &source[line_start..source[offset..].find('\n').map_or(source.len(), |i| offset + i)];
    let column = offset - line_start;
    if let Some(eq) = top_level_eq(current) {
        // Left of the `=` the span is the key itself; right of it, the value of that key.
        if eq < column {
            key = Some(current[..eq].trim().to_string());
        }
        search_key = false;
    }
    for line in head.lines().rev() {
        let trimmed = line.trim();
        if let Some(header) = table_header(trimmed) {
            table = Some((
                header.to_string(),
                line.as_ptr() as usize - source.as_ptr() as usize,
            ));
            break;
        }
        if search_key && let Some(eq) = top_level_eq(line) {
            key = Some(line[..eq].trim().to_string());
            search_key = false;
        }
    }
    let table_text = table.map(|(name, at)| {
        let is_array = source[at..].trim_start().starts_with("[[");
        if !is_array {
            return format!("[{name}]");
        }
        match table_id(&source[at..]) {
            Some(id) => format!("[[{name}]] \"{id}\""),
            None => format!("[[{name}]]"),
        }
    });
    match (table_text, key) {
        (Some(t), Some(k)) => Some(format!("{t} › {k}")),
        (Some(t), None) => Some(t),
        (None, Some(k)) => Some(k),
        (None, None) => None,
    }
}

/// The name of a `[table]` or `[[array]]` header line.
fn table_header(line: &str) -> Option<&str> {
    let inner = line.strip_prefix("[[").and_then(|l| l.split("]]").next());
    let inner = inner.or_else(|| line.strip_prefix('[').and_then(|l| l.split(']').next()))?;
    let inner = inner.trim();
    (!inner.is_empty() && !inner.contains(['"', '\'', '=']))
        .then_some(inner)
        .filter(|_| !line.contains('='))
}

/// The `id = "…"` value of the table starting at the beginning of `from`.
fn table_id(from: &str) -> Option<String> {
    for line in from.lines().skip(1) {
        let trimmed = line.trim();
        if table_header(trimmed).is_some() {
            return None;
        }
        if let Some(rest) = trimmed.strip_prefix("id")
            && let Some(value) = rest.trim_start().strip_prefix('=')
        {
            let value = value.trim();
            let quote = value.chars().next()?;
            if quote == '"' || quote == '\'' {
                return value[1..].split(quote).next().map(str::to_string);
            }
        }
    }
    None
}

/// Byte offset of the first `=` outside quotes, if the line is a `key = value` line.
fn top_level_eq(line: &str) -> Option<usize> {
    let mut quote: Option<char> = None;
    for (i, c) in line.char_indices() {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, '=') => return Some(i),
            (None, '[' | '{' | '#') if line[..i].trim().is_empty() => return None,
            _ => {}
        }
    }
    None
}

/// Per-key advice for rulebook and configuration keys: what a valid value looks like.
pub fn key_advice(key: &str) -> Option<(&'static str, &'static str)> {
    let leaf = key.rsplit(['.', ' ']).next().unwrap_or(key);
    Some(match leaf {
        "id" => (
            "a kebab-case name such as \"greeting\"",
            "reports show rule ids as rulebook-id/rule-id, so keep them short and unique",
        ),
        "weight" => (
            "a number of 0 or more, such as 1, 2 or 0.5",
            "the rule's share of the call's score (docs/report.md)",
        ),
        "auto_fail" => (
            "true or false",
            "a finding of an auto-fail rule makes the call's score 0",
        ),
        "pass_mark" => (
            "a score from 0 to 100, such as 80",
            "a call passes when its score is at least the pass mark",
        ),
        "phrases_from" | "in_list" => (
            "the name of a list, such as \"jargon\"",
            "lists are defined under [lists] in the rulebook or in callcheck.toml (which replaces \
             a rulebook's list of the same name)",
        ),
        "lists" => (
            "a table of named word lists, e.g. [lists] jargon = [\"SLA\", \"AHT\"]",
            "rules name a list with `phrases_from` (forbidden) or `in_list` (conditional when)",
        ),
        "severity" => (
            "one of \"error\", \"warning\", \"info\"",
            "--fail-on decides which severities fail the run (default: error)",
        ),
        "speaker" => (
            "one of \"agent\", \"customer\", \"any\"",
            "the speaker whose turns the rule looks at",
        ),
        "by" | "from" => (
            "one of \"agent\", \"customer\", \"system\"",
            "[[hangup]]: who must end the call; [[readback]]: who gives (`from`) and who restates \
             (`by`) the value",
        ),
        "entity" => (
            "one of \"digits\", \"phone\", \"amount\", \"date\", \"email\", \"regex\"",
            "the kind of detail that must be read back; \"regex\" needs a `pattern` with a capture group",
        ),
        "min_digits" | "within_turns" | "last" => (
            "a whole number, e.g. 4",
            "see docs/rulebook.md for each rule kind's keys",
        ),
        "accept_partial" => (
            "an inline table: accept_partial = { last = 4 }",
            "restating the last N digits counts as reading the value back",
        ),
        "pattern" => (
            "a regular expression with a capture group, e.g. '订单号\\s*(\\d{8,})'",
            "the value read back is what group 1 captures",
        ),
        "when" => (
            "an inline table: { speaker = \"customer\", phrases = [\"…\"] } or { metadata = \"rings\", gt = 3 }",
            "the trigger of a [[conditional]] rule",
        ),
        "then" | "then_not" | "before" => (
            "an inline table: { speaker = \"agent\", phrases = [\"…\"], within_turns = N }",
            "`then` must follow the trigger, `then_not` must not, `before` must come before it",
        ),
        "within_seconds" => (
            "a positive number of seconds",
            "needs timestamps in the transcript",
        ),
        "metadata" => (
            "a header name such as \"rings\"",
            "compare it with gt, ge, lt, le, eq or ne",
        ),
        "gt" | "ge" | "lt" | "le" | "eq" | "ne" => (
            "a number or a string",
            "numbers compare numerically, strings ignoring case",
        ),
        "metric" => (
            "one of \"speech_rate\", \"interruptions\", \"talk_share\", \"silence\", \"response_time\", \
             \"turn_length\", \"occurrences\"",
            "see docs/rulebook.md for each metric's bounds",
        ),
        "min" | "max" => (
            "a number of 0 or more",
            "bounds are in the metric's unit: per minute, count, percent or seconds",
        ),
        "per" => (
            "one of \"call\", \"turn\"",
            "speech_rate over all the speaker's timed turns, or turn by turn",
        ),
        "window" => (
            "an inline table with one key: { first_turns = N }, { last_turns = N }, \
             { final_turns = N }, { first_seconds = N } or { last_seconds = N }",
            "leave `window` out to look at the whole call",
        ),
        "phrases" | "except" | "preceded_by" | "followed_by" => (
            "a list of strings, e.g. [\"您好\", \"hello\"]",
            "phrases are words matched after normalisation (case, width, script, punctuation), \
             with (a|b) alternatives, (a)? optional parts and … gaps",
        ),
        "unless" => (
            "an inline table such as { negated = true, question = true, quoted = true, \
             preceded_by = [\"…\"], followed_by = [\"…\"], within = 3 }",
            "a match does not count in these contexts; see docs/rulebook.md",
        ),
        "negated" | "question" | "quoted" => ("true or false", "see `unless` in docs/rulebook.md"),
        "within" => (
            "a whole number from 1 to 50",
            "characters (Chinese) or words (English)",
        ),
        "patterns" => (
            "a list of regular expressions, e.g. ['这里是\\S+公司'] (single quotes keep \
             backslashes literal)",
            "patterns use Rust regex syntax and run on normalised text; use `phrases` for \
             literal text",
        ),
        "steps" => (
            "a list of phrase lists, e.g. [[\"您好\", \"你好\"], [\"这里是\"]]",
            "each step is satisfied by any one of its phrases; steps must occur in order",
        ),
        "examples" | "pass" | "fail" => (
            "examples.pass = [\"…\"] and examples.fail = [\"…\"], each a small transcript",
            "a one-line example without a speaker label is one turn by the rule's speaker",
        ),
        "channel" => (
            "one of \"voice\", \"chat\"",
            "the rule only checks transcripts of that channel (known from their `channel` metadata); \
             leave it out for both",
        ),
        "suggest" => ("a string", "the wording the speaker should use instead"),
        "title" | "message" | "guideline" => ("a string", "see docs/rulebook.md"),
        "tags" => ("a list of strings", "tags group rules for --select"),
        "language" | "applies_to" => (
            "one of \"zh\", \"en\", \"any\"",
            "applies_to limits the rulebook to transcripts in that language",
        ),
        "fold_width" | "fold_case" | "fold_script" | "ignore_punctuation" => {
            ("true or false", "all normalisation switches default to true")
        }
        "first_turns" | "last_turns" | "final_turns" | "first_seconds" | "last_seconds" => {
            ("a positive number", "a window uses exactly one of these keys")
        }
        _ => return None,
    })
}

/// The closest candidate to `word`, if any is close enough to be a likely typo.
pub fn did_you_mean<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(word, c), c))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

/// Turns a `toml` deserialisation error into a diagnostic with expectations and hints.
pub fn from_toml_error(path: &str, source: &str, error: &toml::de::Error) -> Diagnostic {
    let span = error.span().unwrap_or(0..0);
    let message = error.message().trim().to_string();
    let ticked = backticked(&message);
    if let Some(rest) = message.strip_prefix("unknown field ") {
        let field = ticked.first().cloned().unwrap_or_default();
        let valid: Vec<&str> = ticked.iter().skip(1).map(String::as_str).collect();
        let mut d = Diagnostic::at(path, source, span, format!("unknown key `{field}`"));
        d.expected = Some(if valid.is_empty() || rest.contains("no fields") {
            "no keys here".to_string()
        } else {
            format!("one of {}", list(&valid))
        });
        d.hint = Some(match did_you_mean(&field, valid.iter().copied()) {
            Some(best) => format!("did you mean `{best}`?"),
            None => "remove the key, or see docs/rulebook.md for the keys each table takes".into(),
        });
        return d;
    }
    if message.starts_with("unknown variant ") {
        let value = ticked.first().cloned().unwrap_or_default();
        let valid: Vec<&str> = ticked.iter().skip(1).map(String::as_str).collect();
        let mut d = Diagnostic::at(path, source, span, format!("invalid value `{value}`"));
        d.expected = Some(format!("one of {}", list(&valid)));
        if let Some(best) = did_you_mean(&value, valid.iter().copied()) {
            d.hint = Some(format!("did you mean `{best}`?"));
        }
        return d;
    }
    if message.starts_with("missing field ") {
        let field = ticked.first().cloned().unwrap_or_default();
        let mut d = Diagnostic::at(path, source, span, format!("missing key `{field}`"));
        let (expected, hint) = key_advice(&field).unwrap_or(("a value", "see docs/rulebook.md"));
        d.expected = Some(format!("`{field}` = {expected}"));
        d.hint = Some(hint.to_string());
        return d;
    }
    if let Some(rest) = message
        .strip_prefix("invalid type: ")
        .or_else(|| message.strip_prefix("invalid value: "))
    {
        let (found, expected) = rest.split_once(", expected ").unwrap_or((rest, "another value"));
        let mut d = Diagnostic::at(path, source, span, format!("invalid value: found {found}"));
        let advice = d
            .context
            .as_deref()
            .and_then(|c| c.rsplit(" › ").next())
            .and_then(key_advice);
        d.expected = Some(advice.map_or_else(|| expected.to_string(), |(e, _)| e.to_string()));
        d.hint = advice.map(|(_, h)| h.to_string());
        return d;
    }
    Diagnostic::at(path, source, span, format!("invalid TOML: {message}"))
        .hint("check quotes, brackets and commas on this line; strings need quotes")
}

/// The `backticked` words of a message, in order.
fn backticked(message: &str) -> Vec<String> {
    message
        .split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_string)
        .collect()
}

/// `a`, `b` and `c` as a readable list.
pub fn list(items: &[&str]) -> String {
    items
        .iter()
        .map(|i| format!("`{i}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_inside_a_character_are_moved_to_its_start() {
        let d = Diagnostic::at("r.toml", "a = \"退款\"\n", 6..8, "x");
        assert_eq!((d.line, d.column), (1, 6));
    }

    #[test]
    fn context_names_array_table_rule_and_key() {
        let src = "[rulebook]\nid = \"x\"\n\n[[forbidden]]\nid = \"you-must\"\nseverity = \"fatal\"\n";
        let at = src.find("\"fatal\"").unwrap();
        assert_eq!(
            context_at(src, at).as_deref(),
            Some("[[forbidden]] \"you-must\" › severity")
        );
        let at = src.find("severity").unwrap();
        assert_eq!(context_at(src, at).as_deref(), Some("[[forbidden]] \"you-must\""));
    }

    #[test]
    fn context_for_multi_line_arrays_and_inline_tables() {
        let src = "[[required]]\nid = 'g'\nphrases = [\n  'a',\n  3,\n]\nwindow = { first_turn = 1 }\n";
        let at = src.find("3,").unwrap();
        assert_eq!(
            context_at(src, at).as_deref(),
            Some("[[required]] \"g\" › phrases")
        );
        let at = src.find("first_turn").unwrap();
        assert_eq!(
            context_at(src, at).as_deref(),
            Some("[[required]] \"g\" › window")
        );
    }

    #[test]
    fn display_has_location_excerpt_and_advice() {
        let src = "[rulebook]\nid = \"x\"\n[[forbidden]]\nid = \"a\"\nphrasez = [\"b\"]\n";
        let at = src.find("phrasez").unwrap();
        let d = Diagnostic::at("r.toml", src, at..at + 7, "unknown key `phrasez`")
            .expected("one of `phrases`")
            .hint("did you mean `phrases`?");
        let text = d.to_string();
        assert_eq!(
            text,
            "error: r.toml:5:1: [[forbidden]] \"a\": unknown key `phrasez`\n  |\n5 | phrasez = [\"b\"]\n  | ^^^^^^^\n  = expected: one of `phrases`\n  = hint: did you mean `phrases`?\n"
        );
    }

    #[test]
    fn underline_accounts_for_wide_characters() {
        let src = "phrases = [\"你必须\", 1]\n";
        let at = src.find('1').unwrap();
        let d = Diagnostic::at("r.toml", src, at..at + 1, "x");
        let text = d.to_string();
        let lines: Vec<&str> = text.lines().collect();
        // `phrases = ["你必须", ` is 21 display columns wide.
        assert_eq!(lines[3], format!("  | {}^", " ".repeat(21)));
    }

    #[test]
    fn suggestions_for_typos() {
        assert_eq!(
            did_you_mean("phrasez", ["id", "phrases", "patterns"]),
            Some("phrases")
        );
        assert_eq!(did_you_mean("zzz", ["id", "phrases"]), None);
    }
}
