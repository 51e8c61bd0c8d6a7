//! `--format csv`: one finding per row after a header row, for spreadsheets and QA dashboards.
//!
//! Columns: `path, line, column, end_line, end_column, severity, rule, kind, message, note,
//! matched, suggestion, turn, speaker, time`. Empty cells stand for absent values. Files that
//! could not be read go to standard error, as in the pretty format.

use std::io::{self, Write};

use super::Reporter;
use crate::finding::{FileResult, Summary};

/// The header row.
const HEADER: [&str; 15] = [
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
];

/// Writes the CSV report.
pub struct Csv<W: Write, E: Write> {
    out: csv::Writer<W>,
    err: E,
    started: bool,
}

impl<W: Write, E: Write> Csv<W, E> {
    /// A reporter writing rows to `out` and file errors to `err`.
    pub fn new(out: W, err: E) -> Self {
        Csv {
            out: csv::Writer::from_writer(out),
            err,
            started: false,
        }
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
            FileResult::Checked(report) => {
                for f in &report.findings {
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
}
