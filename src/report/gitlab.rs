//! `--format gitlab`: a GitLab Code Quality report (a JSON array of issues), shown in merge
//! requests when a CI job uploads it as `artifacts: reports: codequality`.
//!
//! Each issue has `description`, `check_name` (the rule id), `fingerprint`, `severity` and
//! `location.path` / `location.lines.begin`. Fingerprints are the baseline fingerprints
//! (rule, path, matched text in context) plus an occurrence number, so they are unique in the
//! report and stable when lines move, which is how GitLab tells new issues from fixed ones.
//! Severities map error → `major`, warning → `minor`, info → `info`. Files that could not be
//! read go to standard error.

use std::collections::HashMap;
use std::io::{self, Write};

use serde::Serialize;

use super::{Reporter, message_with_note};
use crate::baseline::{fingerprint, stable_hash};
use crate::finding::{FileResult, Severity, Summary};

/// Writes the Code Quality report.
pub struct Gitlab<W: Write, E: Write> {
    out: W,
    err: E,
    issues: usize,
    seen: HashMap<String, usize>,
}

impl<W: Write, E: Write> Gitlab<W, E> {
    /// A reporter writing the report to `out` and file errors to `err`.
    pub fn new(out: W, err: E) -> Self {
        Gitlab {
            out,
            err,
            issues: 0,
            seen: HashMap::new(),
        }
    }
}

#[derive(Serialize)]
struct Issue<'a> {
    description: String,
    check_name: &'a str,
    fingerprint: String,
    severity: &'static str,
    location: Location<'a>,
}

#[derive(Serialize)]
struct Location<'a> {
    path: &'a str,
    lines: Lines,
}

#[derive(Serialize)]
struct Lines {
    begin: u32,
}

impl<W: Write, E: Write> Reporter for Gitlab<W, E> {
    fn file(&mut self, result: &FileResult) -> io::Result<()> {
        match result {
            FileResult::Failed(e) => writeln!(self.err, "{}: error: {}", e.path, e.error),
            FileResult::NotChecked(n) => writeln!(self.err, "{}: not checked: {}", n.path, n.reason),
            FileResult::Checked(report) => {
                for f in &report.findings {
                    let base = fingerprint(&report.path, f);
                    let n = self.seen.entry(base.clone()).or_insert(0);
                    *n += 1;
                    let issue = Issue {
                        description: format!("{}: {}", f.rule, message_with_note(f)),
                        check_name: &f.rule,
                        fingerprint: stable_hash(&[&base, &n.to_string()]),
                        severity: match f.severity {
                            Severity::Error => "major",
                            Severity::Warning => "minor",
                            Severity::Info => "info",
                        },
                        location: Location {
                            path: &report.file,
                            lines: Lines { begin: f.start.line },
                        },
                    };
                    self.out
                        .write_all(if self.issues == 0 { b"[\n" } else { b",\n" })?;
                    self.issues += 1;
                    serde_json::to_writer(&mut self.out, &issue)?;
                }
                Ok(())
            }
        }
    }

    fn finish(&mut self, _summary: &Summary) -> io::Result<()> {
        self.out
            .write_all(if self.issues == 0 { b"[]\n" } else { b"\n]\n" })?;
        self.out.flush()?;
        self.err.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::test_support::{forbidden, render};

    #[test]
    fn issues_have_the_code_quality_keys() {
        let (mut out, mut err) = (Vec::new(), Vec::new());
        render(&mut Gitlab::new(&mut out, &mut err));
        let doc: serde_json::Value = serde_json::from_slice(&out).unwrap();
        let issues = doc.as_array().unwrap();
        assert_eq!(issues.len(), 2);
        let issue = &issues[1];
        assert_eq!(issue["check_name"], "acme/you-must");
        assert_eq!(issue["severity"], "major");
        assert_eq!(issue["location"]["path"], "calls/a b.txt");
        assert_eq!(issue["location"]["lines"]["begin"], 7);
        assert_eq!(issue["fingerprint"].as_str().unwrap().len(), 16);
        assert_eq!(issues[0]["severity"], "minor");
        assert!(String::from_utf8(err).unwrap().contains("calls/bad.txt"));
    }

    #[test]
    fn repeated_findings_get_distinct_fingerprints() {
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let (results, summary) = crate::report::test_support::results();
        let FileResult::Checked(mut report) = results[0].clone() else {
            unreachable!()
        };
        report.findings = vec![forbidden(), forbidden()];
        let mut reporter = Gitlab::new(&mut out, &mut err);
        reporter.file(&FileResult::Checked(report)).unwrap();
        reporter.finish(&summary).unwrap();
        let doc: serde_json::Value = serde_json::from_slice(&out).unwrap();
        assert_ne!(doc[0]["fingerprint"], doc[1]["fingerprint"]);
    }

    #[test]
    fn an_empty_run_is_an_empty_array() {
        let (mut out, mut err) = (Vec::new(), Vec::new());
        Gitlab::new(&mut out, &mut err)
            .finish(&Summary::default())
            .unwrap();
        assert_eq!(out, b"[]\n");
    }
}
