//! `--format sarif`: SARIF 2.1.0, the static-analysis interchange format GitHub code scanning,
//! Azure DevOps and IDE viewers read.
//!
//! One run; the driver lists every enabled rule with its title, message, help text (the rule
//! kind's documentation), default level and tags (kind, guideline). Each finding is a result
//! with its rule, level (error/warning/note), message, region (1-based lines and columns,
//! counted in Unicode code points, as `columnKind` says), a `partialFingerprints` entry (the
//! [fingerprint](crate::fingerprint): stable when lines move or paths are typed another way,
//! unique in the log) and, when the rule gives a literal `replace`ment, a fix replacing the
//! matched text with it (a suggestion is advice and stays in the message). Files that could not be read
//! become tool execution notifications and make `executionSuccessful` false. Files inside the
//! project root are named by a relative `uri` with `uriBaseId` `%SRCROOT%` (the root is given in
//! `originalUriBaseIds`), files outside it by a `file://` URI.
//!
//! Results are written out as they come, so memory stays flat however many there are: the log's
//! keys are in alphabetical order, so the invocation (whether every file could be read) comes
//! before the results, and the results wait in a [`Spill`] (memory, then a temporary file) until
//! the end of the run, when the document is written around them.

use std::io::{self, Seek, Write};

use serde_json::{Value, json};

use super::{Reporter, RunInfo, message_with_note};
use crate::finding::{FileResult, Finding, Severity, Summary};

/// Where the schema is published; SARIF consumers read `$schema` to know the version.
const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// The base id relative artifact URIs name: the project root.
const SRCROOT: &str = "%SRCROOT%";

/// The `partialFingerprints` key; v2 fingerprints are relative to the project root and unique.
const FINGERPRINT_KEY: &str = "callcheck/v2";

/// How each result is indented in the log: it is an item of `runs[0].results`, four levels deep.
const RESULT_INDENT: &str = "        ";

/// Writes the SARIF log.
pub struct Sarif<W: Write> {
    out: W,
    run: RunInfo,
    /// The results so far, as they stand in the log, each led by its `,` (but the first) and
    /// line break.
    results: Spill,
    /// Whether any result was written.
    any_result: bool,
    /// A reusable buffer for one result.
    buffer: Vec<u8>,
    notifications: Vec<Value>,
}

/// Most bytes of results kept in memory; beyond, they go to a temporary file.
const MAX_IN_MEMORY: usize = 4 << 20;

/// Bytes kept for later: in memory while they are few, then in an anonymous temporary file.
enum Spill {
    Memory(Vec<u8>),
    File(io::BufWriter<std::fs::File>),
}

impl Spill {
    fn write_all(&mut self, bytes: &[u8]) -> io::Result<()> {
        if let Spill::Memory(kept) = self {
            if kept.len() + bytes.len() <= MAX_IN_MEMORY {
                kept.extend_from_slice(bytes);
                return Ok(());
            }
            let file = tempfile::tempfile().map_err(|e| {
                let dir = std::env::temp_dir();
                io::Error::new(
                    e.kind(),
                    format!(
                        "cannot keep the SARIF results in a temporary file in {}: {e} (hint: set TMPDIR to a writable directory)",
                        dir.display()
                    ),
                )
            })?;
            let mut file = io::BufWriter::new(file);
            file.write_all(kept)?;
            *self = Spill::File(file);
        }
        match self {
            Spill::Memory(_) => unreachable!("moved to a file above"),
            Spill::File(file) => file.write_all(bytes),
        }
    }

    /// Copies everything kept to `out`, emptying it.
    fn copy_to(&mut self, out: &mut impl Write) -> io::Result<()> {
        match std::mem::replace(self, Spill::Memory(Vec::new())) {
            Spill::Memory(kept) => out.write_all(&kept),
            Spill::File(file) => {
                let mut file = file.into_inner().map_err(io::IntoInnerError::into_error)?;
                file.rewind()?;
                io::copy(&mut file, out).map(|_| ())
            }
        }
    }
}

impl<W: Write> Sarif<W> {
    /// A reporter writing to `out`, describing the rules of `run`.
    pub fn new(out: W, run: RunInfo) -> Self {
        Sarif {
            out,
            run,
            results: Spill::Memory(Vec::new()),
            any_result: false,
            buffer: Vec::new(),
            notifications: Vec::new(),
        }
    }

    fn rules(&self) -> Vec<Value> {
        self.run
            .rules
            .iter()
            .map(|r| {
                let short = r.title.clone().unwrap_or_else(|| r.id.clone());
                let full = r.message.clone().unwrap_or_else(|| short.clone());
                let mut tags = vec![r.kind.clone()];
                tags.extend(r.guideline.clone());
                tags.extend(r.tags.iter().cloned());
                let mut help = format!("{full}\n\n{}", r.help);
                if let Some(g) = &r.guideline {
                    help.push_str(&format!(
                        "\n\nGuideline {g}: {}",
                        crate::guidelines::title(g).unwrap_or("(not in the catalogue)")
                    ));
                }
                json!({
                    "id": r.id,
                    "shortDescription": { "text": short },
                    "fullDescription": { "text": full },
                    "help": { "text": help },
                    "defaultConfiguration": { "level": level(r.severity) },
                    "properties": { "tags": tags },
                })
            })
            .collect()
    }

    /// The project root as a `file://` URI ending in `/`, as SARIF wants base URIs.
    fn root_uri(&self) -> String {
        let root = file_uri(&crate::paths::display(self.run.root.path()));
        if root.ends_with('/') {
            root
        } else {
            format!("{root}/")
        }
    }

    /// Where a file is: relative to `%SRCROOT%` inside the project root, else a `file://` URI.
    fn artifact(&self, file: &str) -> Value {
        if file == "<stdin>" {
            return json!({ "uri": uri(file) });
        }
        match self.run.root.relative(file) {
            Some(relative) => json!({ "uri": uri(&relative), "uriBaseId": SRCROOT }),
            None => json!({ "uri": file_uri(&self.run.root.file_key(file)) }),
        }
    }

    fn result(&self, file: &str, f: &Finding, fingerprint: &str, fixable: bool) -> Value {
        // A suggestion is advice for a person: it goes with the message, never into a fix.
        let mut message = message_with_note(f);
        if let Some(suggestion) = &f.suggestion {
            message.push_str(&format!("\nSuggestion: {suggestion}"));
        }
        let mut region = json!({ "startLine": f.start.line, "startColumn": f.start.column });
        if f.matched.is_some() && f.end != f.start {
            region["endLine"] = json!(f.end.line);
            region["endColumn"] = json!(f.end.column);
        }
        if let Some(excerpt) = &f.excerpt {
            region["snippet"] = json!({ "text": excerpt });
        }
        let location = json!({
            "physicalLocation": {
                "artifactLocation": self.artifact(file),
                "region": region,
            }
        });
        let mut result = json!({
            "ruleId": f.rule,
            "level": level(f.severity),
            "message": { "text": message },
            "locations": [location],
            "partialFingerprints": { FINGERPRINT_KEY: fingerprint },
        });
        if let Some(index) = self.run.rules.iter().position(|r| r.id == f.rule) {
            result["ruleIndex"] = json!(index);
        }
        // A fix is applied with one click in a viewer, so only a literal replacement (the rule's
        // `replace`) is one; the suggestion is advice for a person and stays in the message.
        if let (Some(replacement), Some(matched), true) = (&f.replacement, &f.matched, fixable) {
            result["fixes"] = json!([{
                "description": { "text": format!("Replace \u{201c}{matched}\u{201d} with \u{201c}{replacement}\u{201d}") },
                "artifactChanges": [{
                    "artifactLocation": self.artifact(file),
                    "replacements": [{
                        "deletedRegion": {
                            "startLine": f.start.line,
                            "startColumn": f.start.column,
                            "endLine": f.end.line,
                            "endColumn": f.end.column,
                        },
                        "insertedContent": { "text": replacement },
                    }],
                }],
            }]);
        }
        result
    }
}

/// The run's `results` key in the log written without results, up to its array's opening
/// bracket.
const RESULTS_KEY: &str = "\n      \"results\": [";

impl<W: Write> Sarif<W> {
    /// Keeps a result as it stands in the log's `results` array: after a comma (but the first),
    /// on a new line, indented as an item four levels deep, as a pretty-printed log would have
    /// it. Strings escape their line breaks, so every line break in `value`'s text is one to
    /// indent after.
    fn write_result(&mut self, value: &Value) -> io::Result<()> {
        self.buffer.clear();
        serde_json::to_writer_pretty(&mut self.buffer, value)?;
        let lead: &[u8] = if self.any_result { b",\n" } else { b"\n" };
        self.any_result = true;
        self.results.write_all(lead)?;
        self.results.write_all(RESULT_INDENT.as_bytes())?;
        for (i, line) in self.buffer.split(|&b| b == b'\n').enumerate() {
            if i > 0 {
                self.results.write_all(b"\n")?;
                self.results.write_all(RESULT_INDENT.as_bytes())?;
            }
            self.results.write_all(line)?;
        }
        Ok(())
    }
}

/// SARIF's level for a severity.
fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// A relative path as a URI reference: `/`-separated, everything but unreserved characters
/// percent-encoded (spaces, `#`, Chinese file names).
pub fn uri(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for byte in path.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~/".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// A `file://` URI for an absolute path (`/a/b` or, on Windows, `C:/a/b`).
pub fn file_uri(absolute: &str) -> String {
    let path = uri(absolute);
    if path.starts_with('/') {
        format!("file://{path}")
    } else {
        // A drive letter: `C%3A/x` must keep its colon.
        format!("file:///{}", path.replacen("%3A", ":", 1))
    }
}

impl<W: Write> Reporter for Sarif<W> {
    fn needs_reasons(&self) -> bool {
        false
    }

    fn file(&mut self, result: &FileResult) -> io::Result<()> {
        match result {
            FileResult::Failed(e) => self.notifications.push(json!({
                "level": "error",
                "message": { "text": format!("cannot check {}: {}", e.path, e.error) },
                "locations": [{ "physicalLocation": { "artifactLocation": self.artifact(&e.path) } }],
            })),
            FileResult::NotChecked(n) => self.notifications.push(json!({
                "level": "error",
                "message": { "text": format!("not checked {}: {}", n.path, n.reason) },
                "locations": [{ "physicalLocation": { "artifactLocation": self.artifact(&n.file) } }],
            })),
            FileResult::Checked(report) => {
                let prints = self.run.root.fingerprints(report);
                // Transcripts record what was said: only reply templates get fixes.
                let fixable = report.format == "templates";
                for (f, print) in report.findings.iter().zip(&prints) {
                    let value = self.result(&report.file, f, print, fixable);
                    self.write_result(&value)?;
                }
            }
        }
        Ok(())
    }

    fn finish(&mut self, _summary: &Summary) -> io::Result<()> {
        // The document with no results, written around the results kept.
        let log = json!({
            "$schema": SCHEMA,
            "version": "2.1.0",
            "runs": [{
                "tool": {
                    "driver": {
                        "name": "callcheck",
                        "version": env!("CARGO_PKG_VERSION"),
                        "semanticVersion": env!("CARGO_PKG_VERSION"),
                        "informationUri": "https://crates.io/crates/callcheck",
                        "rules": self.rules(),
                    }
                },
                "invocations": [{
                    "executionSuccessful": self.notifications.is_empty(),
                    "toolExecutionNotifications": self.notifications,
                }],
                "originalUriBaseIds": {
                    SRCROOT: { "uri": self.root_uri() },
                },
                "columnKind": "unicodeCodePoints",
                "results": [],
            }],
        });
        let document = serde_json::to_string_pretty(&log)?;
        // Strings escape their quotes, so this is the run's `results` key.
        let at = document
            .find(RESULTS_KEY)
            .ok_or_else(|| io::Error::other("the SARIF log has no results"))?
            + RESULTS_KEY.len();
        let (head, tail) = document.split_at(at);
        self.out.write_all(head.as_bytes())?;
        self.results.copy_to(&mut self.out)?;
        if self.any_result {
            self.out.write_all(b"\n      ")?;
        }
        self.out.write_all(tail.as_bytes())?;
        self.out.write_all(b"\n")?;
        self.out.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::test_support::run_info;

    #[test]
    fn log_has_rules_results_fixes_and_notifications() {
        let mut out = Vec::new();
        // A reply template: fixes are offered there (never in transcripts).
        let (mut results, summary) = crate::report::test_support::results();
        if let FileResult::Checked(report) = &mut results[0] {
            report.format = "templates";
        }
        let mut sarif = Sarif::new(&mut out, run_info());
        for r in &results {
            sarif.file(r).unwrap();
        }
        sarif.finish(&summary).unwrap();
        let log: Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(log["version"], "2.1.0");
        let run = &log["runs"][0];
        let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
        assert_eq!(rules.len(), 3);
        assert_eq!(rules[1]["id"], "acme/you-must");
        assert_eq!(rules[1]["defaultConfiguration"]["level"], "error");
        assert!(
            rules[1]["help"]["text"]
                .as_str()
                .unwrap()
                .contains("What it checks.")
        );
        let results = run["results"].as_array().unwrap();
        assert_eq!(results.len(), 2);
        let must = &results[1];
        assert_eq!(must["ruleId"], "acme/you-must");
        assert_eq!(must["ruleIndex"], 1);
        let location = &must["locations"][0]["physicalLocation"];
        assert_eq!(location["artifactLocation"]["uri"], "calls/a%20b.txt");
        assert_eq!(location["region"]["startColumn"], 5);
        assert_eq!(location["region"]["endColumn"], 13);
        let replacement = &must["fixes"][0]["artifactChanges"][0]["replacements"][0];
        // The literal replacement, never the suggestion (advice for a person).
        assert_eq!(replacement["insertedContent"]["text"], "please");
        assert_eq!(replacement["deletedRegion"]["startColumn"], 5);
        // Missing things: a point, no fix, level from the severity.
        assert_eq!(results[0]["level"], "warning");
        assert!(results[0].get("fixes").is_none());
        assert!(
            results[0]["locations"][0]["physicalLocation"]["region"]
                .get("endColumn")
                .is_none()
        );
        let invocation = &run["invocations"][0];
        assert_eq!(invocation["executionSuccessful"], false);
        assert!(
            invocation["toolExecutionNotifications"][0]["message"]["text"]
                .as_str()
                .unwrap()
                .contains("calls/bad.txt")
        );
    }

    #[test]
    fn suggestions_alone_are_not_fixes() {
        let (mut results, summary) = crate::report::test_support::results();
        if let FileResult::Checked(report) = &mut results[0] {
            for f in &mut report.findings {
                f.replacement = None;
            }
        }
        let mut out = Vec::new();
        let mut sarif = Sarif::new(&mut out, run_info());
        for r in &results {
            sarif.file(r).unwrap();
        }
        sarif.finish(&summary).unwrap();
        let log: Value = serde_json::from_slice(&out).unwrap();
        let results = log["runs"][0]["results"].as_array().unwrap();
        assert!(results.iter().all(|r| r.get("fixes").is_none()), "{results:?}");
        assert_eq!(
            results[1]["message"]["text"],
            "Do not command: \"you must\"\nSuggestion: Could you …?"
        );
    }

    /// The log as a whole document pretty-printed at once, as it was written before results
    /// were streamed: keys in order, two spaces a level.
    fn printed_whole(out: &[u8]) -> String {
        let log: Value = serde_json::from_slice(out).unwrap();
        serde_json::to_string_pretty(&log).unwrap() + "\n"
    }

    #[test]
    fn streamed_results_are_the_log_printed_whole() {
        let (results, summary) = crate::report::test_support::results();
        // With results and a notification, with results only, and with neither.
        for keep in [results.len(), 1, 0] {
            let mut out = Vec::new();
            let mut sarif = Sarif::new(&mut out, run_info());
            for r in &results[..keep] {
                sarif.file(r).unwrap();
            }
            sarif.finish(&summary).unwrap();
            assert_eq!(
                String::from_utf8(out.clone()).unwrap(),
                printed_whole(&out),
                "{keep}"
            );
        }
    }

    #[test]
    fn many_results_go_through_a_file_and_come_back_whole() {
        let (results, summary) = crate::report::test_support::results();
        let mut out = Vec::new();
        let mut sarif = Sarif::new(&mut out, run_info());
        let mut written = 0;
        while !matches!(sarif.results, Spill::File(_)) {
            for r in &results {
                sarif.file(r).unwrap();
            }
            written += 1;
        }
        sarif.finish(&summary).unwrap();
        assert_eq!(String::from_utf8(out.clone()).unwrap(), printed_whole(&out));
        let log: Value = serde_json::from_slice(&out).unwrap();
        let per_round = log["runs"][0]["results"].as_array().unwrap().len() / written;
        assert_eq!(per_round, 2);
    }

    #[test]
    fn uris_are_percent_encoded() {
        assert_eq!(uri("replies/退款 #2.md"), "replies/%E9%80%80%E6%AC%BE%20%232.md");
        assert_eq!(uri("a/b-c_d.~e.txt"), "a/b-c_d.~e.txt");
    }
}
