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
//! read go to standard error. The closing summary counts findings by severity. After a
//! transcript's findings comes its score and the rules that cost points:
//!
//! ```text
//! calls/0001.txt: score 62.5, below the pass mark 80
//!   = points lost: 25.0 zh-telephone/greeting, 12.5 zh-telephone/you-must (2 findings)
//! ```
//!
//! `--verbose` adds the score of every transcript, and per transcript the format and encoding it
//! was read as, how the speakers' roles were decided, and the rules that did not apply. A
//! transcript that could not be judged (no speaker identified as the agent) is reported on
//! standard error with the labels seen and how to map them, like a file that could not be read.

use std::io::{self, Write};
use std::sync::Arc;

use colored::{ColoredString, Colorize};

use crate::paint::Paint;
use unicode_width::UnicodeWidthStr;

use super::table::plural;
use super::{ReportOptions, Reporter};
use crate::finding::{FileResult, Finding, Scope, Severity, Summary};
use crate::score::{Score, ScoreTally, Scoring, number};

/// Widest excerpt shown, in display columns; longer lines are cut around the match.
const MAX_EXCERPT_WIDTH: usize = 100;

/// Writes the human-readable report.
pub struct Pretty<W: Write, E: Write> {
    out: W,
    err: E,
    options: ReportOptions,
    scoring: Option<Arc<Scoring>>,
    tally: ScoreTally,
    paint: Paint,
}

impl<W: Write, E: Write> Pretty<W, E> {
    /// A reporter writing findings to `out` and file errors to `err`.
    pub fn new(out: W, err: E, options: ReportOptions) -> Self {
        Pretty {
            out,
            err,
            paint: Paint::new(options.color),
            options,
            scoring: None,
            tally: ScoreTally::default(),
        }
    }

    /// Also shows each transcript's score and a closing score summary.
    pub fn with_scoring(mut self, scoring: Arc<Scoring>) -> Self {
        self.scoring = (!scoring.is_empty()).then_some(scoring);
        self
    }

    fn score(&mut self, path: &str, score: &Score) -> io::Result<()> {
        let verdict = if score.auto_fail {
            format!("auto-fail, below the pass mark {}", number(score.pass_mark))
        } else if score.passed {
            format!("passes the pass mark {}", number(score.pass_mark))
        } else {
            format!("below the pass mark {}", number(score.pass_mark))
        };
        let shown = format!("score {}", number(score.score));
        let p = self.paint;
        let shown = p.show(if score.passed {
            shown.green().bold()
        } else {
            shown.red().bold()
        });
        writeln!(self.out, "{}: {shown}, {verdict}", p.show(path.bold()))?;
        if !score.lost.is_empty() {
            let items: Vec<String> = score
                .lost
                .iter()
                .map(|l| {
                    let mut item = format!("{:.1} {}", l.points, l.rule);
                    if l.auto_fail {
                        item.push_str(" (auto-fail)");
                    }
                    if l.findings > 1 {
                        item.push_str(&format!(" ({} findings)", l.findings));
                    }
                    item
                })
                .collect();
            writeln!(
                self.out,
                "  {} points lost: {}",
                p.show("=".blue()),
                items.join(", ")
            )?;
        }
        writeln!(self.out)
    }

    fn finding(&mut self, path: &str, f: &Finding) -> io::Result<()> {
        let p = self.paint;
        let location = format!("{path}:{}:{}", f.start.line, f.start.column);
        let bar = p.show("|".blue());
        let equals = p.show("=".blue());
        writeln!(
            self.out,
            "{}  {}  {}  {}",
            p.show(location.bold()),
            p.show(severity_style(f.severity, f.severity.as_str())),
            p.show(f.rule.dimmed()),
            f.message
        )?;
        let gutter = f.start.line.to_string().len();
        if let Some(line) = &f.excerpt {
            let span = underline_span(line, f);
            let (shown, before_width, caret_width) = fit_excerpt(line, span);
            writeln!(self.out, "{:gutter$} {bar}", "")?;
            writeln!(
                self.out,
                "{} {bar} {shown}",
                p.show(f.start.line.to_string().blue())
            )?;
            writeln!(
                self.out,
                "{:gutter$} {bar} {}{}",
                "",
                " ".repeat(before_width),
                p.show(severity_style(f.severity, &"^".repeat(caret_width.max(1))))
            )?;
        }
        if let Some(note) = &f.note {
            writeln!(self.out, "{:gutter$} {equals} note: {note}", "")?;
        }
        if let Some(s) = &f.suggestion {
            writeln!(
                self.out,
                "{:gutter$} {equals} suggestion: {}",
                "",
                p.show(s.green())
            )?;
        }
        writeln!(self.out)
    }
}

/// The severity's colour.
fn severity_style(severity: Severity, text: &str) -> ColoredString {
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
    /// Only `--verbose` lists the rules that do not apply, with why.
    fn needs_reasons(&self) -> bool {
        self.options.verbose
    }

    fn file(&mut self, result: &FileResult) -> io::Result<()> {
        match result {
            FileResult::Failed(e) => {
                writeln!(
                    self.err,
                    "{}: {}: {}",
                    self.paint.show(e.path.bold()),
                    self.paint.show("error".red().bold()),
                    e.error
                )
            }
            FileResult::NotChecked(n) => {
                writeln!(
                    self.err,
                    "{}: {}: {}",
                    self.paint.show(n.path.bold()),
                    self.paint.show("not checked".red().bold()),
                    n.reason
                )
            }
            FileResult::Checked(report) => {
                for finding in &report.findings {
                    self.finding(&report.path, finding)?;
                }
                let score = self.scoring.as_ref().and_then(|s| s.score(report));
                self.tally.add(score.as_ref());
                if let Some(score) = &score
                    && (self.options.verbose || !report.findings.is_empty())
                {
                    self.score(&report.path, score)?;
                }
                if self.options.verbose {
                    let read_as = format!("{}: read as {}, {}", report.path, report.format, report.encoding);
                    writeln!(self.out, "{}", self.paint.show(read_as.dimmed()))?;
                    if let Some(roles) = &report.roles {
                        let roles = format!("{}: {}", report.path, roles.describe());
                        writeln!(self.out, "{}", self.paint.show(roles.dimmed()))?;
                    }
                    let mut last_scope: Option<&str> = None;
                    for na in &report.not_applicable {
                        // One line per rulebook skipped for its language, not one per rule.
                        let rulebook = na.rule.split('/').next().unwrap_or(na.rule);
                        let line = if na.scope == Scope::Language {
                            if last_scope == Some(rulebook) {
                                continue;
                            }
                            last_scope = Some(rulebook);
                            format!("{}: not applicable: {rulebook}/* ({})", report.path, na.reason)
                        } else {
                            format!("{}: not applicable: {} ({})", report.path, na.rule, na.reason)
                        };
                        writeln!(self.out, "{}", self.paint.show(line.dimmed()))?;
                    }
                }
                Ok(())
            }
        }
    }

    fn finish(&mut self, summary: &Summary) -> io::Result<()> {
        if !self.options.quiet {
            writeln!(self.out, "{}", summary_line(summary, self.paint))?;
            if let Some(scoring) = &self.scoring
                && let Some(line) = score_line(&self.tally, scoring, self.paint)
            {
                writeln!(self.out, "{line}")?;
            }
        }
        self.out.flush()?;
        self.err.flush()
    }
}

/// "Checked 14 transcripts: 23 findings (5 errors, 12 warnings, 6 info) in 9 transcripts. …"
pub fn summary_line(s: &Summary, p: Paint) -> String {
    let checked = s.files - s.errors - s.not_checked;
    let mut line = format!("Checked {}: ", plural(checked, "transcript", "transcripts"));
    if s.findings == 0 {
        line.push_str(&p.string("no findings".green().bold()));
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
                p.string(severity_style(sev, &text))
            })
            .collect();
        line.push_str(&format!(
            "{} ({}) in {}",
            p.show(plural(s.findings, "finding", "findings").bold()),
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
    if s.not_checked > 0 {
        let unjudged = format!(
            " {} not checked: no speaker could be identified as the agent (see above).",
            plural(s.not_checked, "transcript", "transcripts")
        );
        line.push_str(&p.string(unjudged.red().bold()));
    }
    if s.errors > 0 {
        let could_not = format!(" {} could not be read.", plural(s.errors, "file", "files"));
        line.push_str(&p.string(could_not.red().bold()));
    }
    line
}

/// "Scores: mean 72.4; 13 of 27 scored transcripts pass (pass mark 80). 3 auto-fails."
/// `None` when no transcript was scored.
pub fn score_line(tally: &ScoreTally, scoring: &Scoring, p: Paint) -> Option<String> {
    let mean = tally.mean?;
    let mut line = format!(
        "Scores: mean {}; {} of {} scored transcripts pass (pass mark {}).",
        p.show(number(mean).bold()),
        tally.passed,
        tally.scored,
        scoring.pass_mark_text()
    );
    if tally.auto_failed > 0 {
        let auto = format!(" {}.", plural(tally.auto_failed, "auto-fail", "auto-fails"));
        line.push_str(&p.string(auto.red().bold()));
    }
    Some(line)
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
            replacement: None,
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
            summary_line(&s, Paint::PLAIN),
            "Checked 2 transcripts: 3 findings (1 error, 2 info) in 1 transcript. 2 rule checks \
             not applicable (see --verbose). 1 file could not be read."
        );
        assert_eq!(
            summary_line(
                &Summary {
                    files: 1,
                    ..Summary::default()
                },
                Paint::PLAIN
            ),
            "Checked 1 transcript: no findings."
        );
    }

    #[test]
    fn colour_belongs_to_each_reporter_not_to_the_process() {
        // Built coloured first, plain second, rendered in that order: with one process-wide
        // switch the plain reporter's constructor would have turned the first one's colour off.
        let (mut coloured_out, mut plain_out, mut err1, mut err2) =
            (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        let mut coloured = Pretty::new(
            &mut coloured_out,
            &mut err1,
            ReportOptions {
                color: true,
                ..ReportOptions::default()
            },
        );
        let mut plain = Pretty::new(&mut plain_out, &mut err2, ReportOptions::default());
        crate::report::test_support::render(&mut coloured);
        crate::report::test_support::render(&mut plain);
        drop((coloured, plain));
        let coloured = String::from_utf8(coloured_out).unwrap();
        let plain = String::from_utf8(plain_out).unwrap();
        assert!(coloured.contains("\x1B[1;31merror\x1B[0m"), "{coloured}");
        assert!(!plain.contains('\x1B'), "{plain}");
    }

    #[test]
    fn transcripts_with_findings_show_their_score() {
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let scoring = std::sync::Arc::new(crate::report::test_support::scoring());
        crate::report::test_support::render(
            &mut Pretty::new(&mut out, &mut err, ReportOptions::default()).with_scoring(scoring),
        );
        let text = String::from_utf8(out).unwrap();
        assert!(
            text.contains(
                "calls/a b.txt: score 33.3, below the pass mark 80\n  = points lost: 33.3 acme/greeting, \
                 33.3 acme/you-must\n"
            ),
            "{text}"
        );
        assert!(
            text.ends_with("Scores: mean 33.3; 0 of 1 scored transcripts pass (pass mark 80).\n"),
            "{text}"
        );
    }
}
