//! `--format github`: GitHub Actions workflow commands, which GitHub shows as annotations on
//! the pull request's changed lines:
//!
//! ```text
//! ::error file=replies/refund.md,line=4,col=9,endLine=4,endColumn=12,title=acme/you-must::Do not command
//! ```
//!
//! Severities map to `error`, `warning` and `notice`. Values are escaped as the runner expects
//! (`%`, CR, LF everywhere; `:` and `,` in properties too). A file that could not be read is an
//! `::error` on the file. The run ends with the summary line, which the log shows as text.
//!
//! GitHub shows at most [`ANNOTATIONS_PER_LEVEL`] annotations of each level per step (and 50
//! per job); the rest stay only in the log. When a run has more, a last line says so and where
//! the whole list is.

use std::io::{self, Write};

use super::pretty::summary_line;
use super::{ReportOptions, Reporter, message_with_note};
use crate::finding::{FileResult, Severity, Summary};
use crate::paint::Paint;

/// How many annotations of one level (error, warning, notice) GitHub shows for a step.
pub const ANNOTATIONS_PER_LEVEL: usize = 10;

/// The index of a severity's annotation level in [`Github::written`].
fn level_index(severity: Severity) -> usize {
    match severity {
        Severity::Error => 0,
        Severity::Warning => 1,
        Severity::Info => 2,
    }
}

/// Writes workflow commands.
pub struct Github<W: Write> {
    out: W,
    options: ReportOptions,
    /// Annotations written, per level: error, warning, notice.
    written: [usize; 3],
}

impl<W: Write> Github<W> {
    /// A reporter writing to `out`.
    pub fn new(out: W, options: ReportOptions) -> Self {
        Github {
            out,
            options,
            written: [0; 3],
        }
    }
}

/// Escapes a command's message.
fn escape_data(text: &str) -> String {
    text.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

/// Escapes a command property's value.
fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

impl<W: Write> Reporter for Github<W> {
    fn file(&mut self, result: &FileResult) -> io::Result<()> {
        match result {
            FileResult::Failed(_) | FileResult::NotChecked(_) => self.written[0] += 1,
            FileResult::Checked(report) => {
                for f in &report.findings {
                    self.written[level_index(f.severity)] += 1;
                }
            }
        }
        match result {
            FileResult::Failed(e) => writeln!(
                self.out,
                "::error file={},title=callcheck::{}",
                escape_property(&e.path),
                escape_data(&format!("cannot check this file: {}", e.error))
            ),
            FileResult::NotChecked(n) => writeln!(
                self.out,
                "::error file={},title=callcheck::{}",
                escape_property(&n.file),
                escape_data(&format!("{} was not checked: {}", n.path, n.reason))
            ),
            FileResult::Checked(report) => {
                for f in &report.findings {
                    let command = match f.severity {
                        Severity::Error => "error",
                        Severity::Warning => "warning",
                        Severity::Info => "notice",
                    };
                    let mut message = message_with_note(f);
                    if let Some(s) = &f.suggestion {
                        message.push_str(&format!("\nSuggestion: {s}"));
                    }
                    let end = if f.end.line == f.start.line && f.end.column > f.start.column {
                        format!(",endLine={},endColumn={}", f.end.line, f.end.column)
                    } else {
                        String::new()
                    };
                    writeln!(
                        self.out,
                        "::{command} file={},line={},col={}{end},title={}::{}",
                        escape_property(&report.file),
                        f.start.line,
                        f.start.column,
                        escape_property(&f.rule),
                        escape_data(&message)
                    )?;
                }
                Ok(())
            }
        }
    }

    fn finish(&mut self, summary: &Summary) -> io::Result<()> {
        if !self.options.quiet {
            writeln!(self.out, "{}", summary_line(summary, Paint::PLAIN))?;
        }
        let hidden: Vec<String> = ["error", "warning", "notice"]
            .iter()
            .zip(self.written)
            .filter(|(_, n)| *n > ANNOTATIONS_PER_LEVEL)
            .map(|(level, n)| format!("{n} {level}s"))
            .collect();
        if !hidden.is_empty() {
            writeln!(
                self.out,
                "Note: GitHub shows at most {ANNOTATIONS_PER_LEVEL} annotations of each level per step; \
                 this run has {}. Every finding is in this log; upload a SARIF report \
                 (--format sarif) to see them all in code scanning.",
                hidden.join(" and ")
            )?;
        }
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
    fn says_when_github_will_hide_annotations() {
        let (results, summary) = crate::report::test_support::results();
        let render_times = |times: usize| {
            let mut out = Vec::new();
            let mut github = Github::new(&mut out, ReportOptions::default());
            for _ in 0..times {
                github.file(&results[0]).unwrap();
            }
            github.finish(&summary).unwrap();
            String::from_utf8(out).unwrap()
        };
        // One error per copy of the file: 10 fit, 11 do not.
        assert!(!render_times(10).contains("at most 10 annotations"));
        let out = render_times(11);
        assert!(
            out.contains("GitHub shows at most 10 annotations of each level per step; this run has 11 errors and 11 warnings."),
            "{out}"
        );
    }

    #[test]
    fn workflow_commands_are_escaped() {
        let mut out = Vec::new();
        render(&mut Github::new(&mut out, ReportOptions::default()));
        let out = String::from_utf8(out).unwrap();
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(
            lines[0],
            "::warning file=calls/a b.txt,line=1,col=8,title=acme/greeting::Greet <first> & name the company (expected one of \"hello\")"
        );
        assert_eq!(
            lines[1],
            "::error file=calls/a b.txt,line=7,col=5,endLine=7,endColumn=13,title=acme/you-must::Do not command: \"you must\"%0ASuggestion: Could you …?"
        );
        assert_eq!(
            lines[2],
            "::error file=calls/bad.txt,title=callcheck::cannot check this file: line 3: invalid timestamp"
        );
        assert_eq!(escape_property("a:b,c%\n"), "a%3Ab%2Cc%25%0A");
    }
}
