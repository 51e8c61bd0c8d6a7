//! `--format compact`: one line per finding, `path:line:col: severity [rule] message`, the
//! shape editors, `grep` and most CI log parsers understand. The path is the file's (without
//! the `#name` of one of several templates in it), so editors can open it.
//!
//! Files that could not be read go to standard error, as in the pretty format; the run ends
//! with the same summary line (unless `--quiet`).

use std::io::{self, Write};

use super::pretty::summary_line;
use super::{ReportOptions, Reporter, message_with_note};
use crate::finding::{FileResult, Summary};
use crate::paint::Paint;

/// Writes the compact report.
pub struct Compact<W: Write, E: Write> {
    out: W,
    err: E,
    options: ReportOptions,
}

impl<W: Write, E: Write> Compact<W, E> {
    /// A reporter writing findings to `out` and file errors to `err`.
    pub fn new(out: W, err: E, options: ReportOptions) -> Self {
        Compact { out, err, options }
    }
}

impl<W: Write, E: Write> Reporter for Compact<W, E> {
    fn file(&mut self, result: &FileResult) -> io::Result<()> {
        match result {
            FileResult::Failed(e) => writeln!(self.err, "{}: error: {}", e.path, e.error),
            FileResult::NotChecked(n) => writeln!(self.err, "{}: not checked: {}", n.path, n.reason),
            FileResult::Checked(report) => {
                for f in &report.findings {
                    // One line each: newlines inside a message would break line-based parsers.
                    let message = message_with_note(f).replace(['\r', '\n'], " ");
                    writeln!(
                        self.out,
                        "{}:{}:{}: {} [{}] {message}",
                        report.file, f.start.line, f.start.column, f.severity, f.rule
                    )?;
                }
                Ok(())
            }
        }
    }

    fn finish(&mut self, summary: &Summary) -> io::Result<()> {
        if !self.options.quiet {
            writeln!(
                self.out,
                "{}",
                summary_line(summary, Paint::new(self.options.color))
            )?;
        }
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
    fn one_line_per_finding() {
        let (mut out, mut err) = (Vec::new(), Vec::new());
        render(&mut Compact::new(&mut out, &mut err, ReportOptions::default()));
        let out = String::from_utf8(out).unwrap();
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(
            lines[0],
            "calls/a b.txt:1:8: warning [acme/greeting] Greet <first> & name the company (expected one of \"hello\")"
        );
        assert_eq!(
            lines[1],
            "calls/a b.txt:7:5: error [acme/you-must] Do not command: \"you must\""
        );
        assert!(lines[2].starts_with("Checked 1 transcript: 2 findings"));
        assert_eq!(
            String::from_utf8(err).unwrap(),
            "calls/bad.txt: error: line 3: invalid timestamp\n"
        );
    }
}
