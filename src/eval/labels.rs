//! The labels file: what people decided about each call, one row per call and check.
//!
//! CSV, TSV (a header row names the columns; `#` lines are comments) or JSON Lines (one object
//! per line), chosen by extension. Columns: `call`, `check`, `expected` (required), `line`,
//! `note` (optional); other columns are ignored, so a QA spreadsheet can be exported as it is.
//! Every problem is reported with `file:line` and a hint, all of them at once.

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};

use crate::paths::{display, real_path};
use crate::problem::Problem;

/// What a person decided about a call and a check.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Expected {
    /// The call violates the check.
    Yes,
    /// The call does not violate it.
    No,
    /// The check cannot apply to the call.
    Na,
}

impl Expected {
    /// Parses `yes`, `no` or `na`, in any case.
    pub fn parse(value: &str) -> Option<Expected> {
        match value.trim().to_ascii_lowercase().as_str() {
            "yes" => Some(Expected::Yes),
            "no" => Some(Expected::No),
            "na" => Some(Expected::Na),
            _ => None,
        }
    }

    /// `yes`, `no` or `na`.
    pub fn as_str(self) -> &'static str {
        match self {
            Expected::Yes => "yes",
            Expected::No => "no",
            Expected::Na => "na",
        }
    }
}

/// The call a label is about.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Target {
    /// A transcript file: `path` as shown (the labels file's folder joined with the value) and
    /// `real`, the path compared with checked files.
    File {
        /// The path as shown in reports.
        path: PathBuf,
        /// Absolute, with links resolved.
        real: PathBuf,
    },
    /// A call id, matched against the `call_id` metadata of checked calls.
    CallId(String),
}

/// What a label checks: a rule, a guideline or a tag.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Check {
    /// A full rule id (`zh-chat/greeting`).
    Rule(String),
    /// A guideline id (`G35`): every rule naming it.
    Guideline(String),
    /// `tag:NAME`: every rule carrying the tag.
    Tag(String),
}

impl Check {
    /// Reads a `check` value: `tag:NAME`, a rule id (it has a `/`), else a guideline id.
    pub fn parse(value: &str) -> Result<Check, Problem> {
        let value = value.trim();
        if let Some(tag) = value.strip_prefix("tag:") {
            let tag = tag.trim();
            if tag.is_empty() {
                return Err("`tag:` needs a tag name, such as tag:closing".into());
            }
            return Ok(Check::Tag(tag.to_string()));
        }
        if value.contains('/') {
            Ok(Check::Rule(value.to_string()))
        } else {
            Ok(Check::Guideline(value.to_string()))
        }
    }

    /// How specific the check is: a rule id beats a guideline, which beats a tag (the label
    /// that judges a rule on a call is the most specific one).
    pub fn specificity(&self) -> u8 {
        match self {
            Check::Rule(_) => 2,
            Check::Guideline(_) => 1,
            Check::Tag(_) => 0,
        }
    }

    /// `rule`, `guideline` or `tag`.
    pub fn kind(&self) -> &'static str {
        match self {
            Check::Rule(_) => "rule",
            Check::Guideline(_) => "guideline",
            Check::Tag(_) => "tag",
        }
    }
}

impl fmt::Display for Check {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Check::Rule(id) | Check::Guideline(id) => f.write_str(id),
            Check::Tag(tag) => write!(f, "tag:{tag}"),
        }
    }
}

/// One row of the labels file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Label {
    /// The 1-based line of the row in the labels file.
    pub row: usize,
    /// The `call` value as written.
    pub call: String,
    /// The call it names.
    pub target: Target,
    /// The check.
    pub check: Check,
    /// What the person decided.
    pub expected: Expected,
    /// The 1-based line of the violation in the transcript.
    pub line: Option<u32>,
    /// Free text, such as a quote of the offending words.
    pub note: Option<String>,
}

/// A labels file, read and validated.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Labels {
    /// The file as shown in messages.
    pub path: String,
    /// The rows, in file order.
    pub labels: Vec<Label>,
}

/// A problem people can act on: where (`file:line`), what, and a hint.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LabelError {
    /// The file as shown.
    pub path: String,
    /// The 1-based line, when the problem has one.
    pub line: Option<usize>,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub hint: Option<String>,
}

impl LabelError {
    /// A problem at a line of `path`.
    pub fn at(path: &str, line: usize, message: impl Into<String>) -> LabelError {
        LabelError {
            path: path.to_string(),
            line: Some(line),
            message: message.into(),
            hint: None,
        }
    }

    /// A problem with the whole file.
    pub fn file(path: &str, message: impl Into<String>) -> LabelError {
        LabelError {
            path: path.to_string(),
            line: None,
            message: message.into(),
            hint: None,
        }
    }

    /// Adds a hint.
    pub fn hint(mut self, hint: impl Into<String>) -> LabelError {
        self.hint = Some(hint.into());
        self
    }

    /// `file:line`, or the file alone.
    pub fn location(&self) -> String {
        match self.line {
            Some(line) => format!("{}:{line}", self.path),
            None => self.path.clone(),
        }
    }
}

impl fmt::Display for LabelError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "error: {}: {}", self.location(), self.message)?;
        if let Some(hint) = &self.hint {
            writeln!(f, "  = hint: {hint}")?;
        }
        Ok(())
    }
}

/// Most problems shown at once: past that, one mistake is repeated down the file.
const MAX_SHOWN: usize = 50;

/// Every problem, one after the other (at most [`MAX_SHOWN`], then how many more there are).
pub fn show_errors(errors: &[LabelError]) -> String {
    let mut out: String = errors.iter().take(MAX_SHOWN).map(ToString::to_string).collect();
    if errors.len() > MAX_SHOWN {
        out.push_str(&format!(
            "error: … and {} more problems not shown; fix the ones above first\n",
            errors.len() - MAX_SHOWN
        ));
    }
    out
}

/// The columns a labels file must have.
const REQUIRED: [&str; 3] = ["call", "check", "expected"];

const COLUMNS_HINT: &str = "the labels need the columns call, check and expected; line and note are optional";

const EXPECTED_HINT: &str =
    "yes: the call violates the check; no: it does not; na: the check cannot apply to the call";

/// One row's raw values, before validation.
struct Row {
    line: usize,
    call: Option<String>,
    check: Option<String>,
    expected: Option<String>,
    transcript_line: Option<String>,
    note: Option<String>,
}

impl Labels {
    /// Reads a labels file: `.csv`, `.tsv` or `.jsonl` by extension, in any encoding callcheck
    /// reads transcripts in.
    pub fn load(path: &Path) -> Result<Labels, Vec<LabelError>> {
        let shown = display(path);
        let bytes =
            std::fs::read(path).map_err(|e| vec![LabelError::file(&shown, format!("cannot read: {e}"))])?;
        let decoded = crate::decode::decode(&bytes).map_err(|e| vec![LabelError::file(&shown, e)])?;
        let base = match path.parent() {
            Some(dir) if !dir.as_os_str().is_empty() => dir,
            _ => Path::new("."),
        };
        Labels::parse(&decoded.text, path, base)
    }

    /// Parses labels text; `path` (its extension chooses the format) names the file in
    /// messages, and `call` paths are relative to `base`.
    pub fn parse(text: &str, path: &Path, base: &Path) -> Result<Labels, Vec<LabelError>> {
        let shown = display(path);
        let extension = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        let rows = match extension.as_deref() {
            Some("csv") => delimited(text, b',', &shown),
            Some("tsv") => delimited(text, b'\t', &shown),
            Some("jsonl") => json_lines(text, &shown),
            _ => Err(vec![LabelError::file(&shown, "unknown labels format").hint(
                "name the labels file .csv, .tsv or .jsonl (the extension says how to read it)",
            )]),
        }?;
        validate(rows, &shown, base)
    }

    /// The transcript files the labels name, each once, in file order: what `eval` checks when
    /// no paths are given.
    pub fn files(&self) -> Vec<PathBuf> {
        let mut seen: Vec<&PathBuf> = Vec::new();
        let mut files = Vec::new();
        for label in &self.labels {
            if let Target::File { path, real } = &label.target
                && !seen.contains(&real)
            {
                seen.push(real);
                files.push(path.clone());
            }
        }
        files
    }
}

/// Reads CSV or TSV rows by their header's column names.
fn delimited(text: &str, delimiter: u8, shown: &str) -> Result<Vec<Row>, Vec<LabelError>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    // The reader's positions leave out the comment and blank lines it skips: they are taken
    // out here, and each kept line remembers its number.
    let (kept, numbers) = without_comments(text);
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(kept.as_bytes());
    let line_at = |position: Option<&csv::Position>| {
        let line = position.map_or(1, |p| p.line() as usize);
        numbers.get(line.saturating_sub(1)).copied().unwrap_or(line)
    };
    let csv_error = |e: csv::Error| {
        let line = line_at(e.position());
        LabelError::at(shown, line, format!("cannot read the row: {e}")).hint(
            "check the quoting: a field with the delimiter or a quote in it must be quoted, quotes doubled",
        )
    };
    let header = reader.headers().map_err(|e| vec![csv_error(e)])?.clone();
    let header_line = line_at(header.position());
    let names: Vec<String> = header.iter().map(|n| n.trim().to_ascii_lowercase()).collect();
    if names.iter().all(String::is_empty) {
        return Err(vec![
            LabelError::file(shown, "the file is empty: there is no header row").hint(COLUMNS_HINT),
        ]);
    }
    let column = |name: &str| names.iter().position(|n| n == name);
    let missing: Vec<&str> = REQUIRED.into_iter().filter(|n| column(n).is_none()).collect();
    if !missing.is_empty() {
        let found = names
            .iter()
            .filter(|n| !n.is_empty())
            .map(|n| format!("`{n}`"))
            .collect::<Vec<_>>()
            .join(", ");
        let what = if missing.len() == 1 {
            format!("no `{}` column", missing[0])
        } else {
            format!(
                "no {} columns",
                missing
                    .iter()
                    .map(|n| format!("`{n}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        };
        return Err(vec![
            LabelError::at(
                shown,
                header_line,
                format!("{what} in the header (found {found})"),
            )
            .hint(COLUMNS_HINT),
        ]);
    }
    let (call, check, expected) = (column("call"), column("check"), column("expected"));
    let (line, note) = (column("line"), column("note"));
    let mut rows = Vec::new();
    let mut errors = Vec::new();
    for record in reader.records() {
        let record = match record {
            Ok(record) => record,
            Err(e) => {
                errors.push(csv_error(e));
                continue;
            }
        };
        let get = |i: Option<usize>| i.and_then(|i| record.get(i)).map(str::to_string);
        rows.push(Row {
            line: line_at(record.position()),
            call: get(call),
            check: get(check),
            expected: get(expected),
            transcript_line: get(line),
            note: get(note),
        });
    }
    if errors.is_empty() { Ok(rows) } else { Err(errors) }
}

/// `text` without `#` comment lines and blank lines (outside quoted fields), and the line number
/// of each line kept.
fn without_comments(text: &str) -> (String, Vec<usize>) {
    let mut kept = String::with_capacity(text.len());
    let mut numbers = Vec::new();
    let mut quoted = false;
    for (index, line) in text.split_inclusive('\n').enumerate() {
        let bare = line.trim();
        if !quoted && (bare.is_empty() || bare.starts_with('#')) {
            continue;
        }
        // An odd number of quotes opens or closes a field spanning lines.
        quoted ^= line.matches('"').count() % 2 == 1;
        kept.push_str(line);
        numbers.push(index + 1);
    }
    (kept, numbers)
}

/// Reads JSON Lines: one object per line with the columns as keys.
fn json_lines(text: &str, shown: &str) -> Result<Vec<Row>, Vec<LabelError>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut rows = Vec::new();
    let mut errors = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let number = index + 1;
        if line.trim().is_empty() {
            continue;
        }
        let object = match serde_json::from_str::<serde_json::Value>(line) {
            Ok(serde_json::Value::Object(object)) => object,
            Ok(_) => {
                errors.push(
                    LabelError::at(shown, number, "expected a JSON object")
                        .hint(r#"write one object a line: {"call": "calls/0001.txt", "check": "G3", "expected": "yes"}"#),
                );
                continue;
            }
            Err(e) => {
                errors.push(LabelError::at(shown, number, format!("invalid JSON: {e}")));
                continue;
            }
        };
        let keys: HashMap<String, &serde_json::Value> = object
            .iter()
            .map(|(k, v)| (k.trim().to_ascii_lowercase(), v))
            .collect();
        let missing: Vec<&str> = REQUIRED.into_iter().filter(|k| !keys.contains_key(*k)).collect();
        if !missing.is_empty() {
            errors.push(
                LabelError::at(
                    shown,
                    number,
                    format!(
                        "no {} key",
                        missing
                            .iter()
                            .map(|k| format!("`{k}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                )
                .hint(COLUMNS_HINT),
            );
            continue;
        }
        // Numbers are fine where text is expected (call ids, line numbers); null is absent.
        let text_of = |key: &str| {
            keys.get(key).and_then(|v| match v {
                serde_json::Value::Null => None,
                serde_json::Value::String(s) => Some(s.clone()),
                other => Some(other.to_string()),
            })
        };
        rows.push(Row {
            line: number,
            call: text_of("call"),
            check: text_of("check"),
            expected: text_of("expected"),
            transcript_line: text_of("line"),
            note: text_of("note"),
        });
    }
    if errors.is_empty() { Ok(rows) } else { Err(errors) }
}

/// Checks every row's values and that no call is labelled twice for the same check.
fn validate(rows: Vec<Row>, shown: &str, base: &Path) -> Result<Labels, Vec<LabelError>> {
    let mut labels = Vec::new();
    let mut errors = Vec::new();
    let mut seen: HashMap<(Target, Check), usize> = HashMap::new();
    for row in rows {
        let at = |message: String| LabelError::at(shown, row.line, message);
        let mut problems = Vec::new();
        let call = present(&row.call);
        if call.is_none() {
            problems
                .push(at("call is empty".into()).hint(
                    "give the transcript's path (relative to the labels file's folder) or its call id",
                ));
        }
        let check = match present(&row.check).map(Check::parse) {
            Some(Ok(check)) => Some(check),
            Some(Err(e)) => {
                problems.push(at(e.into_message()));
                None
            }
            None => {
                problems.push(
                    at("check is empty".into())
                        .hint("give a rule id (acme/greeting), a guideline id (G3) or tag:NAME"),
                );
                None
            }
        };
        let expected = match row.expected.as_deref().map(str::trim) {
            Some(value) => match Expected::parse(value) {
                Some(expected) => Some(expected),
                None => {
                    problems.push(
                        at(format!("expected must be yes, no or na, found {value:?}")).hint(EXPECTED_HINT),
                    );
                    None
                }
            },
            None => {
                problems.push(at("expected is missing".into()).hint(EXPECTED_HINT));
                None
            }
        };
        let line = match present(&row.transcript_line) {
            None => None,
            Some(value) => match value.parse::<u32>() {
                Ok(n) if n > 0 => Some(n),
                _ => {
                    problems.push(
                        at(format!("line must be a line number (1 or more), found {value:?}"))
                            .hint("the line of the violation in the transcript, or leave the cell empty"),
                    );
                    None
                }
            },
        };
        let (Some(call), Some(check), Some(expected), true) = (call, check, expected, problems.is_empty())
        else {
            errors.extend(problems);
            continue;
        };
        let target = target(call, base);
        if let Some(first) = seen.get(&(target.clone(), check.clone())) {
            errors.push(
                at(format!(
                    "{call} is labelled for {check} twice, first on line {first}"
                ))
                .hint("keep one of the two rows"),
            );
            continue;
        }
        seen.insert((target.clone(), check.clone()), row.line);
        labels.push(Label {
            row: row.line,
            call: call.to_string(),
            target,
            check,
            expected,
            line,
            note: present(&row.note).map(str::to_string),
        });
    }
    if errors.is_empty() {
        Ok(Labels {
            path: shown.to_string(),
            labels,
        })
    } else {
        Err(errors)
    }
}

/// A cell's value, trimmed; `None` when empty or absent.
fn present(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

/// A `call` value is a file when one exists at that path (relative to the labels file's
/// folder), else a call id.
fn target(call: &str, base: &Path) -> Target {
    let path = Path::new(call);
    // Joined to `.` a path would read `./calls/a.txt` in reports.
    let path = if path.is_absolute() || base == Path::new(".") {
        path.to_path_buf()
    } else {
        base.join(path)
    };
    if path.is_file() {
        let real = real_path(&path);
        // `labels/../calls/a.txt` is shown as `calls/a.txt`, unless a link makes them differ.
        let clean = lexical(&path);
        let path = if real_path(&clean) == real { clean } else { path };
        Target::File { real, path }
    } else {
        Target::CallId(call.to_string())
    }
}

/// `path` with `.` and `name/..` removed by name (a relative path stays relative).
fn lexical(path: &Path) -> PathBuf {
    use std::path::Component;
    let mut out: Vec<Component<'_>> = Vec::new();
    for part in path.components() {
        match part {
            Component::CurDir => {}
            Component::ParentDir if matches!(out.last(), Some(Component::Normal(_))) => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    if out.is_empty() {
        PathBuf::from(".")
    } else {
        out.iter().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(name: &str, text: &str) -> Result<Labels, Vec<LabelError>> {
        Labels::parse(text, Path::new(name), Path::new("."))
    }

    fn messages(errors: Vec<LabelError>) -> Vec<String> {
        errors
            .iter()
            .map(|e| format!("{}: {}", e.location(), e.message))
            .collect()
    }

    #[test]
    fn reads_csv_with_comments_optional_and_unknown_columns() {
        let labels = parse(
            "labels.csv",
            "# reviewed 2026-11\ncall,Check,EXPECTED,line,note,reviewer\n0001,G3,Yes,4,\"\"\"Hi\"\", no company\",ann\n\n# skipped\n0002,tag:closing,NA,,,bob\n0003,acme/you-must,no\n",
        )
        .unwrap();
        assert_eq!(labels.labels.len(), 3);
        let first = &labels.labels[0];
        assert_eq!(first.row, 3);
        assert_eq!(first.target, Target::CallId("0001".into()));
        assert_eq!(first.check, Check::Guideline("G3".into()));
        assert_eq!(first.expected, Expected::Yes);
        assert_eq!(first.line, Some(4));
        assert_eq!(first.note.as_deref(), Some("\"Hi\", no company"));
        assert_eq!(labels.labels[1].row, 6);
        assert_eq!(labels.labels[1].check, Check::Tag("closing".into()));
        assert_eq!(labels.labels[1].expected, Expected::Na);
        assert_eq!(labels.labels[1].note, None);
        assert_eq!(labels.labels[2].check, Check::Rule("acme/you-must".into()));
        assert_eq!(labels.labels[2].line, None);
    }

    #[test]
    fn a_quoted_note_may_span_lines_that_look_like_comments() {
        let labels = parse(
            "labels.csv",
            "call,check,expected,note\na,G3,yes,\"first line\n# not a comment\n\"\n\nb,G3,no,\n",
        )
        .unwrap();
        assert_eq!(
            labels.labels[0].note.as_deref(),
            Some("first line\n# not a comment")
        );
        assert_eq!(labels.labels[1].row, 6);
    }

    #[test]
    fn reads_tsv_and_json_lines() {
        let tsv = parse("l.tsv", "call\tcheck\texpected\n7\tG3\tno\n").unwrap();
        assert_eq!(tsv.labels[0].target, Target::CallId("7".into()));
        let jsonl = parse(
            "l.jsonl",
            "{\"call\": 7, \"check\": \"G3\", \"expected\": \"YES\", \"line\": 3, \"extra\": true}\n\n{\"call\": \"8\", \"check\": \"G3\", \"expected\": \"no\", \"note\": null}\n",
        )
        .unwrap();
        assert_eq!(jsonl.labels[0].target, Target::CallId("7".into()));
        assert_eq!(jsonl.labels[0].line, Some(3));
        assert_eq!(jsonl.labels[1].row, 3);
        assert_eq!(jsonl.labels[1].note, None);
    }

    #[test]
    fn bad_values_are_located_all_at_once() {
        let errors = parse(
            "labels.csv",
            "call,check,expected,line\na,G3,maybe,\nb,,yes,\n,G3,no,\nc,G3,yes,0\nd,tag:,no,\n",
        )
        .unwrap_err();
        assert_eq!(
            messages(errors.clone()),
            [
                "labels.csv:2: expected must be yes, no or na, found \"maybe\"",
                "labels.csv:3: check is empty",
                "labels.csv:4: call is empty",
                "labels.csv:5: line must be a line number (1 or more), found \"0\"",
                "labels.csv:6: `tag:` needs a tag name, such as tag:closing",
            ]
        );
        assert!(errors[0].to_string().contains("= hint: yes: the call violates"));
    }

    #[test]
    fn a_missing_column_is_named() {
        let errors = parse("labels.csv", "# labels\ncall,rule,expected\na,G3,yes\n").unwrap_err();
        assert_eq!(
            messages(errors),
            ["labels.csv:2: no `check` column in the header (found `call`, `rule`, `expected`)"]
        );
        let errors = parse("labels.jsonl", "{\"call\": \"a\"}\n").unwrap_err();
        assert_eq!(messages(errors), ["labels.jsonl:1: no `check`, `expected` key"]);
        let errors = parse("labels.csv", "").unwrap_err();
        assert_eq!(
            messages(errors),
            ["labels.csv: the file is empty: there is no header row"]
        );
    }

    #[test]
    fn a_pair_labelled_twice_names_both_lines() {
        let errors = parse("labels.csv", "call,check,expected\na,G3,yes\nb,G3,no\na,G3,no\n").unwrap_err();
        assert_eq!(
            messages(errors),
            ["labels.csv:4: a is labelled for G3 twice, first on line 2"]
        );
    }

    #[test]
    fn other_extensions_and_bad_json_are_refused() {
        let errors = parse("labels.txt", "call,check,expected\n").unwrap_err();
        assert!(
            errors[0]
                .hint
                .as_deref()
                .unwrap()
                .contains(".csv, .tsv or .jsonl")
        );
        let errors = parse("labels.jsonl", "[1]\n{oops\n").unwrap_err();
        assert_eq!(errors.len(), 2);
        assert_eq!(errors[1].line, Some(2));
    }

    #[test]
    fn calls_that_are_files_are_resolved_against_the_labels_folder() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("calls")).unwrap();
        std::fs::write(dir.path().join("calls/a.txt"), "Agent: hi\n").unwrap();
        let labels = Labels::parse(
            "call,check,expected\ncalls/a.txt,G3,yes\ncalls/a.txt,G35,no\nc9,G3,no\n",
            &dir.path().join("labels.csv"),
            dir.path(),
        )
        .unwrap();
        let Target::File { path, .. } = &labels.labels[0].target else {
            panic!("expected a file: {:?}", labels.labels[0].target);
        };
        assert_eq!(path, &dir.path().join("calls/a.txt"));
        assert_eq!(labels.labels[2].target, Target::CallId("c9".into()));
        assert_eq!(labels.files(), [dir.path().join("calls/a.txt")]);
    }

    #[test]
    fn paths_are_shown_without_dot_dot() {
        assert_eq!(lexical(Path::new("a/b/../../c/./d.txt")), Path::new("c/d.txt"));
        assert_eq!(lexical(Path::new("../x/../y.txt")), Path::new("../y.txt"));
        assert_eq!(lexical(Path::new("a/..")), Path::new("."));
    }

    #[test]
    fn checks_are_rules_guidelines_or_tags() {
        assert_eq!(Check::parse("a/b"), Ok(Check::Rule("a/b".into())));
        assert_eq!(Check::parse(" G35 "), Ok(Check::Guideline("G35".into())));
        assert_eq!(Check::parse("tag:x"), Ok(Check::Tag("x".into())));
        assert_eq!(Check::Tag("x".into()).to_string(), "tag:x");
        assert!(Check::Rule(String::new()).specificity() > Check::Guideline(String::new()).specificity());
    }
}
