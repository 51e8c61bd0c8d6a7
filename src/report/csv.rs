//! `--format csv`: one finding per row after a header row, for spreadsheets and QA dashboards.
//!
//! Columns: `path, line, column, end_line, end_column, severity, rule, kind, message, note,
//! matched, suggestion, turn, speaker, time, score, points`: `score` is the transcript's score
//! and `points` what the finding's rule cost it, on the rule's first finding only (a rule costs
//! its points once, however many findings it has), so the column sums to the points lost. Empty
//! cells stand for absent values. Files that could not be read go to
//! standard error, as in the pretty format.

use std::io::{self, Write};
use std::sync::Arc;

use super::Reporter;
use crate::finding::{FileResult, Summary};
use crate::score::Scoring;

/// The header row.
const HEADER: [&str; 17] = [
    "path",
    "line",
    "column",
    "end_line",
    "end_column",
    "severity",
    "rule",
    "kind",
    "message",
    "note",
    "matched",
    "suggestion",
    "turn",
    "speaker",
    "time",
    "score",
    "points",
];

/// Writes the CSV report.
pub struct Csv<W: Write, E: Write> {
    out: csv::Writer<W>,
    err: E,
    started: bool,
    scoring: Option<Arc<Scoring>>,
}

impl<W: Write, E: Write> Csv<W, E> {
    /// A reporter writing rows to `out` and file errors to `err`.
    pub fn new(out: W, err: E) -> Self {
        Csv {
            out: csv::Writer::from_writer(out),
            err,
            started: false,
            scoring: None,
        }
    }

    /// Fills the `score` and `points` columns.
    pub fn with_scoring(mut self, scoring: Arc<Scoring>) -> Self {
        self.scoring = Some(scoring);
        self
    }

    fn header(&mut self) -> io::Result<()> {
        if !self.started {
            self.started = true;
            self.out.write_record(HEADER)?;
        }
        Ok(())
    }
}

impl<W: Write, E: Write> Reporter for Csv<W, E> {
    fn file(&mut self, result: &FileResult) -> io::Result<()> {
        self.header()?;
        match result {
            FileResult::Failed(e) => writeln!(self.err, "{}: error: {}", e.path, e.error),
            FileResult::NotChecked(n) => writeln!(self.err, "{}: not checked: {}", n.path, n.reason),
            FileResult::Checked(report) => {
                let score = match &self.scoring {
                    Some(scoring) if !report.findings.is_empty() => scoring.score(report),
                    _ => None,
                };
                let mut charged: Vec<&str> = Vec::new();
                for f in &report.findings {
                    let points = score
                        .as_ref()
                        .filter(|_| !charged.contains(&f.rule.as_str()))
                        .and_then(|s| s.points_of(&f.rule));
                    charged.push(&f.rule);
                    let opt = |v: Option<String>| v.unwrap_or_default();
                    self.out.write_record([
                        report.path.clone(),
                        f.start.line.to_string(),
                        f.start.column.to_string(),
                        f.end.line.to_string(),
                        f.end.column.to_string(),
                        f.severity.to_string(),
                        f.rule.clone(),
                        f.kind.to_string(),
                        f.message.clone(),
                        opt(f.note.clone()),
                        opt(f.matched.clone()),
                        opt(f.suggestion.clone()),
                        opt(f.turn.map(|t| t.to_string())),
                        opt(f.speaker.map(|s| s.to_string())),
                        opt(f.time.map(|t| t.to_string())),
                        opt(score.as_ref().map(|s| format!("{:.1}", s.score))),
                        opt(points.map(|p| format!("{p:.1}"))),
                    ])?;
                }
                Ok(())
            }
        }
    }

    fn finish(&mut self, _summary: &Summary) -> io::Result<()> {
        self.header()?;
        self.out.flush()?;
        self.err.flush()
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
    fn rows_round_trip_through_a_csv_reader() {
        let (mut out, mut err) = (Vec::new(), Vec::new());
        render(&mut Csv::new(&mut out, &mut err));
        let mut reader = csv::Reader::from_reader(out.as_slice());
        assert_eq!(reader.headers().unwrap().iter().collect::<Vec<_>>(), HEADER);
        let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        assert_eq!(rows.len(), 2);
        assert_eq!(&rows[1][6], "acme/you-must");
        // Quotes and commas in a message survive.
        assert_eq!(&rows[1][8], "Do not command: \"you must\"");
        assert_eq!(&rows[1][10], "you must");
        assert_eq!(&rows[0][10], "", "a missing thing has no match");
        assert_eq!(&rows[1][14], "00:00:41");
        assert!(String::from_utf8(err).unwrap().contains("calls/bad.txt: error"));
    }

    #[test]
    fn an_empty_run_still_has_the_header() {
        let (mut out, mut err) = (Vec::new(), Vec::new());
        Csv::new(&mut out, &mut err).finish(&Summary::default()).unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), format!("{}\n", HEADER.join(",")));
    }

    #[test]
    fn points_are_charged_once_per_rule() {
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let mut csv =
            Csv::new(&mut out, &mut err).with_scoring(Arc::new(crate::report::test_support::scoring()));
        let (results, summary) = crate::report::test_support::results();
        let FileResult::Checked(mut report) = results[0].clone() else {
            unreachable!()
        };
        report.findings.push(crate::report::test_support::forbidden());
        csv.file(&FileResult::Checked(report)).unwrap();
        csv.finish(&summary).unwrap();
        drop(csv);
        let mut reader = csv::Reader::from_reader(out.as_slice());
        let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        let cells: Vec<(&str, &str, &str)> = rows.iter().map(|r| (&r[6], &r[15], &r[16])).collect();
        assert_eq!(
            cells,
            [
                ("acme/greeting", "33.3", "33.3"),
                ("acme/you-must", "33.3", "33.3"),
                ("acme/you-must", "33.3", ""),
            ]
        );
    }
}
