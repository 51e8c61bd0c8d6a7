//! A rulebook that does not parse: every problem in one run, in file order.
//!
//! serde stops at a file's first mistake, so a rulebook with four mistakes would take four runs
//! to fix. When the whole file does not parse, each top-level table (the `[rulebook]` header,
//! each `[[forbidden]]` entry, `[lists]`, …, with its sub-tables) is read again on its own: the
//! file with every other table blanked out, so line and column numbers stay those of the file.
//! Each table yields at most one problem, and the tables that parse make a file of their own,
//! whose rules are then checked as usual, so their problems are reported in the same run.

use crate::diagnostic::{Diagnostic, did_you_mean, from_toml_error};

use crate::rules::schema::RulebookFile;

/// The most problems reported for one rulebook that does not parse.
pub const MAX_PROBLEMS: usize = 20;

/// Appended to a part of the file that lacks the `[rulebook]` table, so the part parses on its
/// own; appending keeps every offset in the file's own text.
const STUB_HEADER: &str = "\n[rulebook]\nid = \"callcheck-stub\"\n";

/// Top-level tables a rulebook may have.
const TABLES: &[&str] = &[
    "rulebook",
    "normalize",
    "speakers",
    "required",
    "forbidden",
    "sequence",
    "hangup",
    "readback",
    "conditional",
    "metric",
    "pii",
    "scorecard",
    "lists",
];

/// What parsing a rulebook gave.
pub enum Parsed {
    /// The whole file parsed.
    Whole(RulebookFile),
    /// It did not: its problems in file order and, when some of its tables parse (including
    /// `[rulebook]`), those tables as a file of their own.
    Broken(Vec<Diagnostic>, Option<RulebookFile>),
}

/// Parses a rulebook's text, collecting every table's problem when it does not parse.
pub fn parse(path: &str, text: &str) -> Parsed {
    let error = match toml::from_str::<RulebookFile>(text) {
        Ok(file) => return Parsed::Whole(file),
        Err(e) => e,
    };
    if is_blank(text) {
        let d = Diagnostic::at(path, text, 0..0, "the rulebook is empty".to_string())
            .hint("a rulebook starts with `[rulebook]` and `id = \"my-rules\"`, then its rules (docs/rulebook.md; `callcheck init` writes a starter)");
        return Parsed::Broken(vec![d], None);
    }
    // A syntax error leaves nothing to split reliably: report it alone.
    if toml::from_str::<toml::Table>(text).is_err() {
        return Parsed::Broken(vec![from_toml_error(path, text, &error)], None);
    }
    let parts = split(text);
    let has_header = parts.iter().any(|p| p.name == "rulebook");
    let mut problems = Vec::new();
    let mut good = Vec::new();
    for part in &parts {
        if !TABLES.contains(&part.name.as_str()) && !part.name.is_empty() {
            problems.push(unknown_table(path, text, part));
            continue;
        }
        match toml::from_str::<RulebookFile>(&keep_only(text, &[part], part.name != "rulebook")) {
            Ok(_) => good.push(part),
            Err(e) if e.span().is_some_and(|s| s.start < text.len()) => {
                problems.push(from_toml_error(path, text, &e));
            }
            Err(_) => good.push(part),
        }
    }
    if !has_header {
        let mut d = Diagnostic::at(path, text, 0..0, "missing the `[rulebook]` table");
        d.expected = Some("`[rulebook]` with `id = \"my-rules\"` before the rules".to_string());
        d.hint = Some("the id prefixes every rule's id in reports (docs/rulebook.md)".to_string());
        problems.insert(0, d);
    }
    if problems.is_empty() {
        // Every table parses alone but not together (a table given twice, say): the file's
        // own error says why.
        return Parsed::Broken(vec![from_toml_error(path, text, &error)], None);
    }
    let total = problems.len();
    problems.truncate(MAX_PROBLEMS);
    if let Some(last) = problems.last_mut().filter(|_| total > MAX_PROBLEMS) {
        let more = total - MAX_PROBLEMS;
        last.hint = Some(format!(
            "{}; {more} more problem{} in this file not shown",
            last.hint.clone().unwrap_or_default(),
            if more == 1 { "" } else { "s" }
        ));
    }
    let header_good = good.iter().any(|p| p.name == "rulebook");
    let rest = header_good
        .then(|| toml::from_str::<RulebookFile>(&keep_only(text, &good, false)).ok())
        .flatten();
    Parsed::Broken(problems, rest)
}

/// A top-level table and its sub-tables: bytes `start..end` of the file.
struct Part {
    /// The table's name (`forbidden`); empty for keys before the first table.
    name: String,
    start: usize,
    end: usize,
}

/// True when the text holds nothing but white space and comments.
fn is_blank(text: &str) -> bool {
    text.lines()
        .map(str::trim)
        .all(|l| l.is_empty() || l.starts_with('#'))
}

/// The file cut at each top-level table header; sub-tables (`[forbidden.examples]`,
/// `[[scorecard.sections]]`) stay with their table.
fn split(text: &str) -> Vec<Part> {
    let mut parts: Vec<Part> = Vec::new();
    let mut in_multiline: Option<&str> = None;
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        if let Some(quote) = in_multiline {
            if line.matches(quote).count() % 2 == 1 {
                in_multiline = None;
            }
            continue;
        }
        for quote in ["\"\"\"", "'''"] {
            if line.matches(quote).count() % 2 == 1 {
                in_multiline = Some(quote);
            }
        }
        let Some((root, whole)) = header(line) else {
            if parts.is_empty() && !line.trim().is_empty() && !line.trim().starts_with('#') {
                parts.push(Part {
                    name: String::new(),
                    start,
                    end: start,
                });
            }
            continue;
        };
        let continues = parts
            .last()
            .is_some_and(|p| p.name == root && !(whole && line.trim_start().starts_with("[[")));
        if !continues {
            parts.push(Part {
                name: root,
                start,
                end: start,
            });
        }
    }
    // Each part runs to the next one's start.
    let starts: Vec<usize> = parts.iter().skip(1).map(|p| p.start).collect();
    for (part, end) in parts.iter_mut().zip(starts.into_iter().chain([text.len()])) {
        part.end = end;
    }
    parts
}

/// A table header's root name, and whether it names the root itself (`[[forbidden]]`) rather
/// than a sub-table (`[forbidden.examples]`).
fn header(line: &str) -> Option<(String, bool)> {
    let line = line.trim();
    let inner = line
        .strip_prefix("[[")
        .and_then(|l| l.split_once("]]"))
        .or_else(|| line.strip_prefix('[').and_then(|l| l.split_once(']')))?
        .0
        .trim();
    let root = inner.split('.').next()?.trim().trim_matches(['"', '\'']);
    (!root.is_empty()).then(|| (root.to_string(), !inner.contains('.')))
}

/// The file with every byte outside `parts` blanked (line breaks kept), plus the stub header
/// when asked for.
fn keep_only(text: &str, parts: &[&Part], stub: bool) -> String {
    let mut bytes: Vec<u8> = text
        .bytes()
        .map(|b| if b == b'\n' { b'\n' } else { b' ' })
        .collect();
    for part in parts {
        bytes[part.start..part.end].copy_from_slice(&text.as_bytes()[part.start..part.end]);
    }
    // Parts start and end at line breaks, so no character is cut; lossy never substitutes.
    let mut out = String::from_utf8_lossy(&bytes).into_owned();
    if stub {
        out.push_str(STUB_HEADER);
    }
    out
}

/// A table whose name is not one a rulebook has.
fn unknown_table(path: &str, text: &str, part: &Part) -> Diagnostic {
    let line_end = text[part.start..]
        .find('\n')
        .map_or(text.len(), |i| part.start + i);
    let at = part.start + text[part.start..line_end].find(&part.name).unwrap_or(0);
    let mut d = Diagnostic::at(
        path,
        text,
        at..at + part.name.len(),
        format!("unknown table `{}`", part.name),
    );
    // The table is its own context: the header above it is not.
    d.context = None;
    d.expected = Some(format!("one of {}", crate::diagnostic::list(TABLES)));
    d.hint = Some(match did_you_mean(&part.name, TABLES.iter().copied()) {
        Some(best) => format!("did you mean `{best}`?"),
        None => "see docs/rulebook.md for the tables a rulebook takes".to_string(),
    });
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problems(text: &str) -> Vec<String> {
        match parse("r.toml", text) {
            Parsed::Whole(_) => vec![],
            Parsed::Broken(problems, _) => problems
                .iter()
                .map(|d| format!("{}:{} {}", d.line, d.column, d.message))
                .collect(),
        }
    }

    const FOUR_MISTAKES: &str = r#"[rulebook]
id = "t"

[[forbiden]]
id = "a"
phrases = ["x"]

[[forbidden]]
id = "b"
phrases = ["y"]
severity = "fatal"

[[forbidden]]
id = "c"
phrasez = ["y"]

[[required]]
id = "d"
phrases = ["z"]
examples.pass = ["z"]
"#;

    #[test]
    fn every_table_problem_in_file_order() {
        let found = problems(FOUR_MISTAKES);
        assert_eq!(found.len(), 3, "{found:?}");
        assert!(found[0].starts_with("4:3 unknown table `forbiden`"), "{found:?}");
        assert!(
            found[1].starts_with("11:") && found[1].contains("fatal"),
            "{found:?}"
        );
        assert!(found[2].starts_with("15:1 unknown key `phrasez`"), "{found:?}");
        // The tables that parse still make a rulebook, so their rules get checked.
        let Parsed::Broken(_, Some(rest)) = parse("r.toml", FOUR_MISTAKES) else {
            panic!("the good tables parse")
        };
        assert_eq!(rest.required.len(), 1);
        assert!(rest.forbidden.is_empty());
    }

    #[test]
    fn misspelt_table_is_located_and_named() {
        let Parsed::Broken(found, _) = parse("r.toml", FOUR_MISTAKES) else {
            panic!()
        };
        assert_eq!(found[0].hint.as_deref(), Some("did you mean `forbidden`?"));
        assert_eq!(found[0].context, None);
    }

    #[test]
    fn empty_and_headerless_rulebooks() {
        assert_eq!(problems(""), ["1:1 the rulebook is empty"]);
        assert_eq!(problems("# only a comment\n\n"), ["1:1 the rulebook is empty"]);
        let found = problems("[[forbidden]]\nid = \"a\"\nphrasez = [\"x\"]\n");
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(found[0].contains("missing the `[rulebook]` table"), "{found:?}");
        assert!(found[1].starts_with("3:1 unknown key `phrasez`"), "{found:?}");
    }

    #[test]
    fn sub_tables_and_multi_line_strings_stay_with_their_table() {
        let text = "[rulebook]\nid = \"t\"\n\n[[forbidden]]\nid = \"a\"\nphrases = [\"x\"]\nexamples.fail = [\"\"\"\n[not a header]\nAgent: x\n\"\"\"]\n\n[forbidden.unless]\nquestion = true\n\n[[forbidden]]\nid = \"b\"\nphrasez = []\n";
        let parts = split(text);
        let names: Vec<&str> = parts.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["rulebook", "forbidden", "forbidden"]);
        let found = problems(text);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].starts_with("17:1 unknown key `phrasez`"), "{found:?}");
    }

    #[test]
    fn syntax_errors_are_reported_alone() {
        let found = problems("[rulebook]\nid = \"t\n\n[[forbiden]]\n");
        assert_eq!(found.len(), 1, "{found:?}");
    }

    #[test]
    fn at_most_max_problems() {
        let mut text = String::from("[rulebook]\nid = \"t\"\n");
        for i in 0..MAX_PROBLEMS + 3 {
            text.push_str(&format!("\n[[forbidden]]\nid = \"r{i}\"\nphrasez = [\"x\"]\n"));
        }
        let Parsed::Broken(found, _) = parse("r.toml", &text) else {
            panic!()
        };
        assert_eq!(found.len(), MAX_PROBLEMS);
        assert!(
            found
                .last()
                .unwrap()
                .hint
                .as_deref()
                .unwrap()
                .contains("3 more problems")
        );
    }
}
