//! `--format jsonl`: JSON Lines, one finding per line, for `jq`, log shippers and spreadsheets.
//!
//! Each finding line has the transcript's `path` plus every key of a finding in the JSON report
//! (`rule`, `kind`, `severity`, `message`, `line`, `column`, …). A file that could not be read
//! is one line with `path`, `status: "error"` and `error`. There is no summary line.

use std::io::{self, Write};

use serde::Serialize;

use super::Reporter;
use super::json::FindingJson;
use crate::finding::{FileResult, Summary};

/// Writes one JSON object per finding.
pub struct Jsonl<W: Write> {
    out: W,
}

impl<W: Write> Jsonl<W> {
    /// A reporter writing to `out`.
    pub fn new(out: W) -> Self {
        Jsonl { out }
    }
}

#[derive(Serialize)]
struct Line<'a> {
    path: &'a str,
    #[serde(flatten)]
    finding: FindingJson<'a>,
}

#[derive(Serialize)]
struct ErrorLine<'a> {
    path: &'a str,
    status: &'static str,
    error: &'a str,
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
            FileResult::Checked(report) => {
                for f in &report.findings {
                    let line = Line {
                        path: &report.path,
                        finding: FindingJson::from(f),
                    };
                    serde_json::to_writer(&mut self.out, &line)?;
                    self.out.write_all(b"\n")?;
                }
                Ok(())
            }
        }
    }

    fn finish(&mut self, _summary: &Summary) -> io::Result<()> {
        self.out.flush()
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
}
