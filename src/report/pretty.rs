//! `--format pretty`: findings for people, with the offending line and a caret underline.
//!
//! ```text
//! calls/0001.txt:7:18  error  zh-telephone/you-must  命令或责备的口吻会激怒客户；请改用商量的语气。
//!   |
//! 7 | [00:00:41] 客服：你必须先登录才能查询
//!   |                  ^^^^^^
//!   = suggestion: 改用请求：“您能……吗？”
//! ```
//!
//! Carets are aligned by display width, so wide CJK characters line up. Files that could not be
//! read go to standard error. The closing summary counts findings by severity. `--verbose` adds,
//! per transcript, the format and encoding it was read as and the rules that did not apply.

use std::io::{self, Write};

use colored::{ColoredString, Colorize};
use unicode_width::UnicodeWidthStr;

use super::table::plural;
use super::{ReportOptions, Reporter};
use crate::finding::{FileResult, Finding, Scope, Severity, Summary};

/// Widest excerpt shown, in display columns; longer lines are cut around the match.
const MAX_EXCERPT_WIDTH: usize = 100;

/// Writes the human-readable report.
pub struct Pretty<W: Write, E: Write> {
    out: W,
    err: E,
    options: ReportOptions,
}

impl<W: Write, E: Write> Pretty<W, E> {
    /// A reporter writing findings to `out` and file errors to `err`.
    pub fn new(out: W, err: E, options: ReportOptions) -> Self {
        colored::control::set_override(options.color);
        Pretty { out, err, options }
    }

    fn finding(&mut self, path: &str, f: &Finding) -> io::Result<()> {
        let location = format!("{path}:{}:{}", f.start.line, f.start.column);
        writeln!(
            self.out,
            "{}  {}  {}  {}",
            location.bold(),
            paint(f.severity, f.severity.as_str()),
            f.rule.dimmed(),
            f.message
        )?;
        let gutter = f.start.line.to_string().len();
        if let Some(line) = &f.excerpt {
            let span = underline_span(line, f);
            let (shown, before_width, caret_width) = fit_excerpt(line, span);
            writeln!(self.out, "{:gutter$} {}", "", "|".blue())?;
            writeln!(
                self.out,
                "{} {} {shown}",
                f.start.line.to_string().blue(),
                "|".blue()
            )?;
            writeln!(
                self.out,
                "{:gutter$} {} {}{}",
                "",
                "|".blue(),
                " ".repeat(before_width),
                paint(f.severity, &"^".repeat(caret_width.max(1)))
            )?;
        }
        if let Some(note) = &f.note {
            writeln!(self.out, "{:gutter$} {} note: {note}", "", "=".blue())?;
        }
        if let Some(s) = &f.suggestion {
            writeln!(
                self.out,
                "{:gutter$} {} suggestion: {}",
                "",
                "=".blue(),
                s.green()
            )?;
        }
        writeln!(self.out)
    }
}

/// The severity's colour.
fn paint(severity: Severity, text: &str) -> ColoredString {
    match severity {
        Severity::Error => text.red().bold(),
        Severity::Warning => text.yellow().bold(),
        Severity::Info => text.cyan().bold(),
    }
}

/// Character range of the line to underline: the match, or one character for missing things.
fn underline_span(line: &str, f: &Finding) -> (usize, usize) {
    let chars = line.chars().count();
    let start = (f.start.column as usize).saturating_sub(1).min(chars);
    let end = if f.matched.is_none() {
        start + 1
    } else if f.end.line == f.start.line {
        (f.end.column as usize).saturating_sub(1)
    } else {
        chars
    };
    (start, end.clamp(start + 1, chars.max(start + 1)))
}

/// The excerpt to print (tabs as spaces, cut to fit), the width before the underline and the
/// underline's width.
fn fit_excerpt(line: &str, (start, end): (usize, usize)) -> (String, usize, usize) {
    let chars: Vec<char> = line.chars().map(|c| if c == '\t' { ' ' } else { c }).collect();
    let width = |range: &[char]| range.iter().collect::<String>().width();
    let total = width(&chars);
    let (mut from, mut to) = (0, chars.len());
    if total > MAX_EXCERPT_WIDTH {
        // Keep some context before the match, then as much as fits after it.
        from = start.saturating_sub(20);
        to = from;
        let mut used = 0;
        while to < chars.len() && used + width(&chars[to..=to]) <= MAX_EXCERPT_WIDTH {
            used += width(&chars[to..=to]);
            to += 1;
        }
        to = to.max(end.min(chars.len()));
    }
    let prefix = if from > 0 { "…" } else { "" };
    let suffix = if to < chars.len() { "…" } else { "" };
    let shown = format!("{prefix}{}{suffix}", chars[from..to].iter().collect::<String>());
    let before = prefix.width() + width(&chars[from..start.max(from).min(to)]);
    let caret_end = end.min(chars.len()).max(start);
    let caret = if start < chars.len() {
        width(&chars[start..caret_end]).max(1)
    } else {
        1
    };
    (shown, before, caret)
}

impl<W: Write, E: Write> Reporter for Pretty<W, E> {
    fn file(&mut self, result: &FileResult) -> io::Result<()> {
        match result {
            FileResult::Failed(e) => {
                writeln!(
                    self.err,
                    "{}: {}: {}",
                    e.path.bold(),
                    "error".red().bold(),
                    e.error
                )
            }
            FileResult::Checked(report) => {
                for finding in &report.findings {
                    self.finding(&report.path, finding)?;
                }
                if self.options.verbose {
                    let read_as = format!("{}: read as {}, {}", report.path, report.format, report.encoding);
                    writeln!(self.out, "{}", read_as.dimmed())?;
                    let mut last_scope: Option<&str> = None;
                    for na in &report.not_applicable {
                        // One line per rulebook skipped for its language, not one per rule.
                        let rulebook = na.rule.split('/').next().unwrap_or(&na.rule);
                        let line = if na.scope == Scope::Language {
                            if last_scope == Some(rulebook) {
                                continue;
                            }
                            last_scope = Some(rulebook);
                            format!("{}: not applicable: {rulebook}/* ({})", report.path, na.reason)
                        } else {
                            format!("{}: not applicable: {} ({})", report.path, na.rule, na.reason)
                        };
                        writeln!(self.out, "{}", line.dimmed())?;
                    }
                }
                Ok(())
            }
        }
    }

    fn finish(&mut self, summary: &Summary) -> io::Result<()> {
        if !self.options.quiet {
            writeln!(self.out, "{}", summary_line(summary))?;
        }
        self.out.flush()?;
        self.err.flush()
    }
}

/// "Checked 14 transcripts: 23 findings (5 errors, 12 warnings, 6 info) in 9 transcripts. …"
pub fn summary_line(s: &Summary) -> String {
    let checked = s.files - s.errors;
    let mut line = format!("Checked {}: ", plural(checked, "transcript", "transcripts"));
    if s.findings == 0 {
        line.push_str(&"no findings".green().bold().to_string());
    } else {
        let parts: Vec<String> = Severity::ALL
            .iter()
            .filter(|&&sev| s.by_severity.get(sev) > 0)
            .map(|&sev| {
                let n = s.by_severity.get(sev);
                let text = match sev {
                    Severity::Error => plural(n, "error", "errors"),
                    Severity::Warning => plural(n, "warning", "warnings"),
                    Severity::Info => format!("{n} info"),
                };
                paint(sev, &text).to_string()
            })
            .collect();
        line.push_str(&format!(
            "{} ({}) in {}",
            plural(s.findings, "finding", "findings").bold(),
            parts.join(", "),
            plural(s.files_with_findings, "transcript", "transcripts")
        ));
    }
    line.push('.');
    if s.baselined > 0 {
        line.push_str(&format!(
            " {} in the baseline not shown.",
            plural(s.baselined, "finding", "findings")
        ));
    }
    if s.not_applicable > 0 {
        line.push_str(&format!(
            " {} not applicable (see --verbose).",
            plural(s.not_applicable, "rule check", "rule checks")
        ));
    }
    if s.errors > 0 {
        let could_not = format!(" {} could not be read.", plural(s.errors, "file", "files"));
        line.push_str(&could_not.red().bold().to_string());
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transcript::Position;

    fn finding(start: u32, end: u32, matched: bool) -> Finding {
        Finding {
            rule: "r/x".into(),
            kind: "forbidden",
            severity: Severity::Error,
            message: "m".into(),
            note: None,
            start: Position {
                line: 1,
                column: start,
            },
            end: Position { line: 1, column: end },
            turn: None,
            speaker: None,
            time: None,
            matched: matched.then(|| "x".into()),
            suggestion: None,
            excerpt: None,
        }
    }

    #[test]
    fn carets_align_under_wide_characters() {
        let line = "[00:00:41] 客服：你必须先登录";
        let f = finding(15, 18, true);
        let (shown, before, caret) = fit_excerpt(line, underline_span(line, &f));
        assert_eq!(shown, line);
        // "[00:00:41] " is 11 columns, "客服：" 6 more.
        assert_eq!((before, caret), (17, 6));
    }

    #[test]
    fn missing_things_get_one_caret() {
        let line = "Agent: hi";
        let f = finding(8, 8, false);
        let (_, before, caret) = fit_excerpt(line, underline_span(line, &f));
        assert_eq!((before, caret), (7, 1));
    }

    #[test]
    fn long_lines_are_cut_around_the_match() {
        let line = format!("Agent: {}you must{}", "a".repeat(200), "b".repeat(200));
        let start = 8 + 200;
        let f = finding(start, start + 8, true);
        let (shown, before, caret) = fit_excerpt(&line, underline_span(&line, &f));
        assert!(shown.starts_with('…') && shown.ends_with('…'));
        assert!(shown.width() <= MAX_EXCERPT_WIDTH + 2);
        assert_eq!(
            &shown.chars().skip(before).take(8).collect::<String>(),
            "you must"
        );
        assert_eq!(caret, 8);
    }

    #[test]
    fn summary_lines() {
        colored::control::set_override(false);
        let mut s = Summary {
            files: 3,
            errors: 1,
            findings: 3,
            files_with_findings: 1,
            not_applicable: 2,
            ..Summary::default()
        };
        s.by_severity.error = 1;
        s.by_severity.info = 2;
        assert_eq!(
            summary_line(&s),
            "Checked 2 transcripts: 3 findings (1 error, 2 info) in 1 transcript. 2 rule checks \
             not applicable (see --verbose). 1 file could not be read."
        );
        assert_eq!(
            summary_line(&Summary {
                files: 1,
                ..Summary::default()
            }),
            "Checked 1 transcript: no findings."
        );
    }
}
