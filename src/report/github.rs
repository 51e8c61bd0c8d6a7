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

use std::io::{self, Write};

use super::pretty::summary_line;
use super::{ReportOptions, Reporter, message_with_note};
use crate::finding::{FileResult, Severity, Summary};

/// Writes workflow commands.
pub struct Github<W: Write> {
    out: W,
    options: ReportOptions,
}

impl<W: Write> Github<W> {
    /// A reporter writing to `out`.
    pub fn new(out: W, options: ReportOptions) -> Self {
        Github { out, options }
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
            colored::control::set_override(false);
            writeln!(self.out, "{}", summary_line(summary))?;
        }
        self.out.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::test_support::render;

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
