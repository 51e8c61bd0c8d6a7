//! `--format jsonl`: JSON Lines, one finding per line, for `jq`, log shippers and spreadsheets.
//!
//! Each finding line has the transcript's `path` plus every key of a finding in the JSON report
//! (`rule`, `kind`, `severity`, `message`, `line`, `column`, …), the transcript's `score` and the
//! `points` the finding's rule cost it, on the rule's first finding (`null` when not scored, on
//! later findings of the rule, and for rules that cost nothing). A
//! file that could not be read is one line with `path`, `status: "error"` and `error`. There is no
//! summary line.

use std::io::{self, Write};
use std::sync::Arc;

use serde::Serialize;

use super::Reporter;
use super::json::RolesJson;
use super::json::write::finding_line;
use crate::finding::{FileResult, Summary};
use crate::score::Scoring;

/// Writes one JSON object per finding.
pub struct Jsonl<W: Write> {
    out: W,
    scoring: Option<Arc<Scoring>>,
    /// One file's lines, written here first and then to `out` at once.
    buffer: Vec<u8>,
}

impl<W: Write> Jsonl<W> {
    /// A reporter writing to `out`.
    pub fn new(out: W) -> Self {
        Jsonl {
            out,
            scoring: None,
            buffer: Vec::new(),
        }
    }

    /// Adds `score` and `points` to each finding line.
    pub fn with_scoring(mut self, scoring: Arc<Scoring>) -> Self {
        self.scoring = Some(scoring);
        self
    }
}

#[derive(Serialize)]
struct ErrorLine<'a> {
    path: &'a str,
    status: &'static str,
    error: &'a str,
}

/// A transcript that was not checked: `{"path", "status": "not_checked", "reason", "roles"}`.
#[derive(Serialize)]
struct NotCheckedLine<'a> {
    path: &'a str,
    status: &'static str,
    reason: &'a str,
    roles: RolesJson<'a>,
}

impl<W: Write> Reporter for Jsonl<W> {
    fn file(&mut self, result: &FileResult) -> io::Result<()> {
        match result {
            FileResult::Failed(e) => {
                let line = ErrorLine {
                    path: &e.path,
                    status: "error",
                    error: &e.error,
                };
                serde_json::to_writer(&mut self.out, &line)?;
                self.out.write_all(b"\n")
            }
            FileResult::NotChecked(n) => {
                let line = NotCheckedLine {
                    path: &n.path,
                    status: "not_checked",
                    reason: &n.reason,
                    roles: RolesJson::from(&n.roles),
                };
                serde_json::to_writer(&mut self.out, &line)?;
                self.out.write_all(b"\n")
            }
            FileResult::Checked(report) => {
                let score = match &self.scoring {
                    Some(scoring) if !report.findings.is_empty() => Some(scoring.score(report)),
                    _ => None,
                };
                let mut charged: Vec<&str> = Vec::new();
                self.buffer.clear();
                for f in &report.findings {
                    let first = !charged.contains(&f.rule.as_str());
                    charged.push(&f.rule);
                    let points = score
                        .as_ref()
                        .map(|s| s.as_ref().filter(|_| first).and_then(|s| s.points_of(&f.rule)));
                    let score = score.as_ref().map(|s| s.as_ref().map(|s| s.score));
                    finding_line(&mut self.buffer, &report.path, f, score, points);
                }
                self.out.write_all(&self.buffer)
            }
        }
    }

    fn finish(&mut self, _summary: &Summary) -> io::Result<()> {
        self.out.flush()
    }

    fn needs_excerpts(&self) -> bool {
        false
    }

    fn needs_reasons(&self) -> bool {
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::test_support::render;

    #[test]
    fn every_line_is_one_json_object() {
        let mut out = Vec::new();
        render(&mut Jsonl::new(&mut out));
        let text = String::from_utf8(out).unwrap();
        let lines: Vec<serde_json::Value> = text.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
        assert_eq!(lines.len(), 3);
        assert_eq!(lines[0]["path"], "calls/a b.txt");
        assert_eq!(lines[0]["rule"], "acme/greeting");
        assert_eq!(lines[0]["matched"], serde_json::Value::Null);
        assert_eq!(lines[1]["matched"], "you must");
        assert_eq!(lines[1]["line"], 7);
        assert_eq!(lines[2]["status"], "error");
        assert_eq!(lines[2]["error"], "line 3: invalid timestamp");
    }

    #[test]
    fn lines_carry_the_score_and_the_points_of_the_rule() {
        let mut out = Vec::new();
        let scoring = Arc::new(crate::report::test_support::scoring());
        render(&mut Jsonl::new(&mut out).with_scoring(scoring));
        let lines: Vec<serde_json::Value> = String::from_utf8(out)
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        // Three rules applied (hangup did not), two were broken: 1 of 3 passed.
        assert_eq!(lines[0]["score"], 33.3);
        assert_eq!(lines[0]["points"], 33.3);
        assert_eq!(lines[1]["rule"], "acme/you-must");
        assert_eq!(lines[1]["points"], 33.3);
        assert!(lines[2].get("score").is_none(), "error lines have no score");
    }
}
