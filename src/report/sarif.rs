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
//! `originalUriBaseIds`), files outside it by a `file://` URI. The document is written at the
//! end of the run.

use std::io::{self, Write};

use serde_json::{Value, json};

use super::{Reporter, RunInfo, message_with_note};
use crate::finding::{FileResult, Finding, Severity, Summary};

/// Where the schema is published; SARIF consumers read `$schema` to know the version.
const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// The base id relative artifact URIs name: the project root.
const SRCROOT: &str = "%SRCROOT%";

/// The `partialFingerprints` key; v2 fingerprints are relative to the project root and unique.
const FINGERPRINT_KEY: &str = "callcheck/v2";

/// Writes the SARIF log.
pub struct Sarif<W: Write> {
    out: W,
    run: RunInfo,
    results: Vec<Value>,
    notifications: Vec<Value>,
}

impl<W: Write> Sarif<W> {
    /// A reporter writing to `out`, describing the rules of `run`.
    pub fn new(out: W, run: RunInfo) -> Self {
        Sarif {
            out,
            run,
            results: Vec::new(),
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
                    self.results.push(value);
                }
            }
        }
        Ok(())
    }

    fn finish(&mut self, _summary: &Summary) -> io::Result<()> {
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
                "results": self.results,
            }],
        });
        serde_json::to_writer_pretty(&mut self.out, &log)?;
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

    #[test]
    fn uris_are_percent_encoded() {
        assert_eq!(uri("replies/退款 #2.md"), "replies/%E9%80%80%E6%AC%BE%20%232.md");
        assert_eq!(uri("a/b-c_d.~e.txt"), "a/b-c_d.~e.txt");
    }
}
