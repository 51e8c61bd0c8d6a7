//! `--format gitlab`: a GitLab Code Quality report (a JSON array of issues), shown in merge
//! requests when a CI job uploads it as `artifacts: reports: codequality`.
//!
//! Each issue has `description`, `check_name` (the rule id), `fingerprint`, `severity` and
//! `location.path` / `location.lines.begin` (relative to the project root, without `./`).
//! Fingerprints are the [baseline fingerprints](crate::fingerprint): unique in the report and
//! stable when lines move or paths are typed another way, which is how GitLab tells new issues
//! from fixed ones.
//! Severities map error → `major`, warning → `minor`, info → `info`. Files that could not be
//! read go to standard error.

use std::io::{self, Write};

use serde::Serialize;

use super::{Reporter, message_with_note};
use crate::finding::{FileResult, Severity, Summary};
use crate::fingerprint::ProjectRoot;

/// Writes the Code Quality report.
pub struct Gitlab<W: Write, E: Write> {
    out: W,
    err: E,
    issues: usize,
    root: ProjectRoot,
}

impl<W: Write, E: Write> Gitlab<W, E> {
    /// A reporter writing the report to `out` and file errors to `err`, naming files relative
    /// to `root`.
    pub fn new(out: W, err: E, root: ProjectRoot) -> Self {
        Gitlab {
            out,
            err,
            issues: 0,
            root,
        }
    }
}

#[derive(Serialize)]
struct Issue<'a> {
    description: String,
    check_name: &'a str,
    fingerprint: String,
    severity: &'static str,
    location: Location,
}

#[derive(Serialize)]
struct Location {
    path: String,
    lines: Lines,
}

#[derive(Serialize)]
struct Lines {
    begin: u32,
}

impl<W: Write, E: Write> Reporter for Gitlab<W, E> {
    fn needs_reasons(&self) -> bool {
        false
    }

    fn file(&mut self, result: &FileResult) -> io::Result<()> {
        match result {
            FileResult::Failed(e) => writeln!(self.err, "{}: error: {}", e.path, e.error),
            FileResult::NotChecked(n) => writeln!(self.err, "{}: not checked: {}", n.path, n.reason),
            FileResult::Checked(report) => {
                let path = self.root.file_key(&report.file);
                let prints = self.root.fingerprints(report);
                for (f, fingerprint) in report.findings.iter().zip(prints) {
                    let issue = Issue {
                        description: format!("{}: {}", f.rule, message_with_note(f)),
                        check_name: &f.rule,
                        fingerprint,
                        severity: match f.severity {
                            Severity::Error => "major",
                            Severity::Warning => "minor",
                            Severity::Info => "info",
                        },
                        location: Location {
                            path: path.clone(),
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
        render(&mut Gitlab::new(&mut out, &mut err, ProjectRoot::default()));
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
        let mut reporter = Gitlab::new(&mut out, &mut err, ProjectRoot::default());
        reporter.file(&FileResult::Checked(report)).unwrap();
        reporter.finish(&summary).unwrap();
        let doc: serde_json::Value = serde_json::from_slice(&out).unwrap();
        assert_ne!(doc[0]["fingerprint"], doc[1]["fingerprint"]);
    }

    #[test]
    fn an_empty_run_is_an_empty_array() {
        let (mut out, mut err) = (Vec::new(), Vec::new());
        Gitlab::new(&mut out, &mut err, ProjectRoot::default())
            .finish(&Summary::default())
            .unwrap();
        assert_eq!(out, b"[]\n");
    }
}
