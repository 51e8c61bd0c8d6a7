//! Reporters: findings out, one format per file behind the [`Reporter`] trait.
//!
//! The pipeline hands each file's result to the reporter in input order, then the run's totals.
//! Streaming formats write as results arrive; formats that need the whole run (SARIF, JUnit,
//! summaries) buffer until [`Reporter::finish`]. Reporters never match text or judge rules;
//! what they need to know about the run (the rules, the failing severity) comes in a
//! [`RunInfo`] at construction.

pub mod compact;
pub mod csv;
pub mod github;
pub mod gitlab;
pub mod json;
pub mod jsonl;
pub mod junit;
pub mod pretty;
pub mod sarif;
pub mod table;

use std::io::{self, Write};
use std::path::Path;

use crate::finding::{FileResult, Severity, Summary};
use crate::rulebook::RuleSet;
use crate::score::Scoring;

/// Receives a run's results in order.
pub trait Reporter {
    /// One checked transcript or failed file.
    fn file(&mut self, result: &FileResult) -> io::Result<()>;
    /// The run is over; `summary` holds the totals.
    fn finish(&mut self, summary: &Summary) -> io::Result<()>;
    /// Whether this reporter shows the source line a finding points at (its excerpt) or builds
    /// fingerprints from it; when none does, the run neither quotes nor masks those lines.
    fn needs_excerpts(&self) -> bool {
        true
    }
    /// Whether this reporter shows why a rule does not apply to a call
    /// ([`NotApplicable::reason`](crate::finding::NotApplicable::reason)); when none does, the
    /// rules do not say it.
    fn needs_reasons(&self) -> bool {
        true
    }
}

impl<R: Reporter + ?Sized> Reporter for Box<R> {
    fn file(&mut self, result: &FileResult) -> io::Result<()> {
        (**self).file(result)
    }

    fn needs_excerpts(&self) -> bool {
        (**self).needs_excerpts()
    }

    fn needs_reasons(&self) -> bool {
        (**self).needs_reasons()
    }

    fn finish(&mut self, summary: &Summary) -> io::Result<()> {
        (**self).finish(summary)
    }
}

/// The output formats of `callcheck check`: `--format` (clap) and `format` in callcheck.toml
/// spell them the same way. The variants' doc comments are `--help`'s descriptions.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum OutputFormat {
    /// Findings with the source line and a caret (for people).
    Pretty,
    /// One JSON document.
    Json,
    /// SARIF 2.1.0 (GitHub code scanning).
    Sarif,
    /// JUnit XML: a test case per transcript and rule.
    Junit,
    /// GitHub Actions annotations (workflow commands).
    Github,
    /// GitLab Code Quality report.
    Gitlab,
    /// One line per finding: path:line:col: severity [rule] message.
    Compact,
    /// JSON Lines: one finding per line.
    Jsonl,
    /// CSV with a header row.
    Csv,
}

impl OutputFormat {
    /// The format's name, as `--format` spells it.
    pub fn name(self) -> &'static str {
        match self {
            OutputFormat::Pretty => "pretty",
            OutputFormat::Json => "json",
            OutputFormat::Sarif => "sarif",
            OutputFormat::Junit => "junit",
            OutputFormat::Github => "github",
            OutputFormat::Gitlab => "gitlab",
            OutputFormat::Compact => "compact",
            OutputFormat::Jsonl => "jsonl",
            OutputFormat::Csv => "csv",
        }
    }

    /// The format with this name.
    pub fn from_name(name: &str) -> Option<OutputFormat> {
        <OutputFormat as clap::ValueEnum>::from_str(name, false).ok()
    }

    /// Every format, in `--help`'s order.
    pub fn all() -> &'static [OutputFormat] {
        <OutputFormat as clap::ValueEnum>::value_variants()
    }

    /// Every format's name.
    pub fn names() -> impl Iterator<Item = &'static str> {
        Self::all().iter().map(|f| f.name())
    }
}

/// Presentation switches shared by reporters.
#[derive(Clone, Copy, Debug, Default)]
pub struct ReportOptions {
    /// Use ANSI colours.
    pub color: bool,
    /// Also list rules that were not applicable, with reasons.
    pub verbose: bool,
    /// Leave out the closing summary.
    pub quiet: bool,
}

/// What a rule is, for formats that describe the rules they report (SARIF, JUnit).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuleInfo {
    /// Full id.
    pub id: String,
    /// Rule kind (`forbidden`, …) or `suppression` for callcheck's own checks.
    pub kind: String,
    /// Severity of its findings.
    pub severity: Severity,
    /// One-line title.
    pub title: Option<String>,
    /// The message its findings carry.
    pub message: Option<String>,
    /// Domain guideline id.
    pub guideline: Option<String>,
    /// What the rule checks, for help text.
    pub help: String,
    /// Tags.
    pub tags: Vec<String>,
}

/// The run as reporters see it: which rules ran and which severity fails the run.
#[derive(Clone, Debug, Default)]
pub struct RunInfo {
    /// Every enabled rule, in rule-set order, then callcheck's own pseudo-rules.
    pub rules: Vec<RuleInfo>,
    /// The severity at or above which a finding fails the run (`None`: never).
    pub fail_on: Option<Severity>,
    /// How calls are scored (weights, auto-fail, pass marks).
    pub scoring: std::sync::Arc<Scoring>,
    /// The folder CI formats name files relative to and fingerprints are built from.
    pub root: crate::fingerprint::ProjectRoot,
}

impl RunInfo {
    /// The enabled rules of a rule set plus `extra` pseudo-rules.
    pub fn new(rules: &RuleSet, extra: Vec<RuleInfo>, fail_on: Option<Severity>) -> Self {
        let mut infos: Vec<RuleInfo> = rules
            .enabled_rules()
            .map(|(_, r)| {
                let doc = r.kind.doc();
                RuleInfo {
                    id: r.id.clone(),
                    kind: doc.name.to_string(),
                    severity: r.meta.severity,
                    title: r.meta.title.clone(),
                    message: r.meta.message.clone(),
                    guideline: r.meta.guideline.clone(),
                    help: format!("{} {}", doc.summary, doc.what),
                    tags: r.meta.tags.clone(),
                }
            })
            .collect();
        infos.extend(extra);
        RunInfo {
            rules: infos,
            fail_on,
            scoring: std::sync::Arc::new(rules.scoring()),
            root: crate::fingerprint::ProjectRoot::default(),
        }
    }

    /// True when a finding of this severity fails the run.
    pub fn fails(&self, severity: Severity) -> bool {
        self.fail_on.is_some_and(|t| severity >= t)
    }
}

/// Builds the reporter for a format; `out` gets the report, `err` gets per-file errors for
/// formats that keep them out of the report.
pub fn new_reporter<'a>(
    format: OutputFormat,
    options: ReportOptions,
    run: &RunInfo,
    out: Box<dyn Write + 'a>,
    err: Box<dyn Write + 'a>,
) -> Box<dyn Reporter + 'a> {
    match format {
        OutputFormat::Pretty => {
            Box::new(pretty::Pretty::new(out, err, options).with_scoring(run.scoring.clone()))
        }
        OutputFormat::Json => Box::new(json::Json::new(out).with_scoring(run.scoring.clone())),
        OutputFormat::Sarif => Box::new(sarif::Sarif::new(out, run.clone())),
        OutputFormat::Junit => Box::new(junit::Junit::new(out, run.clone())),
        OutputFormat::Github => Box::new(github::Github::new(out, options)),
        OutputFormat::Gitlab => Box::new(gitlab::Gitlab::new(out, err, run.root.clone())),
        OutputFormat::Compact => Box::new(compact::Compact::new(out, err, options)),
        OutputFormat::Jsonl => Box::new(jsonl::Jsonl::new(out).with_scoring(run.scoring.clone())),
        OutputFormat::Csv => Box::new(csv::Csv::new(out, err).with_scoring(run.scoring.clone())),
    }
}

/// A finding's message with its note, for one-line formats: "message (note)".
pub(crate) fn message_with_note(finding: &crate::finding::Finding) -> String {
    match &finding.note {
        Some(note) => format!("{} ({note})", finding.message),
        None => finding.message.clone(),
    }
}

/// Writes `contents` to `path` atomically: a temporary file in the same folder, then a rename,
/// so a reader never sees half a report and an interrupted run leaves the old file intact.
pub fn write_atomically(path: &Path, contents: &[u8]) -> io::Result<()> {
    let mut file = AtomicFile::create(path)?;
    file.write_all(contents)?;
    file.commit()
}

/// Bytes a report is buffered in before they are written out: large, because a report can be
/// twice its input's size, and each write to a file or pipe is a system call.
pub const OUTPUT_BUFFER: usize = 256 << 10;

/// A file written through a temporary file in the same folder and renamed into place by
/// [`AtomicFile::commit`]: readers never see half a report, and a run that fails or is
/// interrupted leaves the old file (or none) behind. Writes stream, so a large report never
/// sits in memory.
///
/// Only regular files are replaced. A path that names a device, a pipe or a socket
/// (`-o /dev/null`, `-o /dev/stdout`, a FIFO another program reads) is written directly: renaming
/// over it would put a regular file in the device's place. A symbolic link is followed, so the
/// link stays and the file it points to is replaced.
pub struct AtomicFile {
    path: std::path::PathBuf,
    file: io::BufWriter<Sink>,
}

/// Where an [`AtomicFile`]'s bytes go until it is committed.
enum Sink {
    Temporary(tempfile::NamedTempFile),
    Direct(std::fs::File),
}

impl AtomicFile {
    /// Starts writing `path`.
    pub fn create(path: &Path) -> io::Result<AtomicFile> {
        let path = match std::fs::symlink_metadata(path) {
            Ok(meta) if meta.file_type().is_symlink() => std::fs::canonicalize(path)?,
            _ => path.to_path_buf(),
        };
        if let Ok(meta) = std::fs::metadata(&path)
            && !meta.is_file()
            && !meta.is_dir()
        {
            let file = std::fs::OpenOptions::new().write(true).open(&path)?;
            return Ok(AtomicFile {
                path,
                file: io::BufWriter::with_capacity(OUTPUT_BUFFER, Sink::Direct(file)),
            });
        }
        let dir = match path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        };
        let file = tempfile::Builder::new()
            .prefix(".callcheck-")
            .suffix(".tmp")
            .tempfile_in(dir)?;
        Ok(AtomicFile {
            path,
            file: io::BufWriter::with_capacity(OUTPUT_BUFFER, Sink::Temporary(file)),
        })
    }

    /// Flushes, syncs and renames the file into place (or, for a device or pipe, flushes).
    pub fn commit(self) -> io::Result<()> {
        match self.file.into_inner().map_err(io::IntoInnerError::into_error)? {
            Sink::Temporary(file) => {
                file.as_file().sync_all()?;
                file.persist(&self.path).map_err(|e| e.error)?;
            }
            Sink::Direct(mut file) => file.flush()?,
        }
        Ok(())
    }
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.file.write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.file.flush()
    }
}

impl Write for Sink {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Sink::Temporary(file) => file.write(buf),
            Sink::Direct(file) => file.write(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            Sink::Temporary(file) => file.flush(),
            Sink::Direct(file) => file.flush(),
        }
    }
}

#[cfg(test)]
mod format_tests {
    use super::OutputFormat;

    #[test]
    fn names_are_clap_names() {
        for format in <OutputFormat as clap::ValueEnum>::value_variants() {
            let clap_name = clap::ValueEnum::to_possible_value(format)
                .unwrap()
                .get_name()
                .to_string();
            assert_eq!(format.name(), clap_name);
            assert_eq!(OutputFormat::from_name(&clap_name), Some(*format));
        }
        assert_eq!(OutputFormat::names().count(), 9);
        assert_eq!(OutputFormat::from_name("xml"), None);
    }

    /// A reporter that says it does not need the reasons rules do not apply shows none: the
    /// rules leave them empty for it.
    #[test]
    fn reporters_that_need_no_reasons_show_none() {
        use super::test_support::{results, run_info};
        use super::{ReportOptions, new_reporter};
        let (results, summary) = results();
        let reason = "the transcript does not say who ended the call";
        let mut shown = Vec::new();
        for format in <OutputFormat as clap::ValueEnum>::value_variants() {
            for verbose in [false, true] {
                let (mut out, mut err) = (Vec::new(), Vec::new());
                let options = ReportOptions {
                    color: false,
                    verbose,
                    quiet: false,
                };
                let mut reporter = new_reporter(
                    *format,
                    options,
                    &run_info(),
                    Box::new(&mut out),
                    Box::new(&mut err),
                );
                let needs = reporter.needs_reasons();
                for result in &results {
                    reporter.file(result).unwrap();
                }
                reporter.finish(&summary).unwrap();
                drop(reporter);
                let text = String::from_utf8_lossy(&[out, err].concat()).into_owned();
                assert!(
                    needs || !text.contains(reason),
                    "{} (verbose: {verbose}) shows the reason",
                    format.name()
                );
                if text.contains(reason) {
                    shown.push(format.name());
                }
            }
        }
        // The test sees the reason where it is shown.
        assert!(shown.contains(&"junit") && shown.contains(&"pretty"), "{shown:?}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atomic_write_replaces_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("report.sarif");
        std::fs::write(&path, "old").unwrap();
        write_atomically(&path, b"new").unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "new");
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            1,
            "no temp file left"
        );
    }
}

#[cfg(test)]
pub(crate) mod test_support {
    //! A small run shared by the reporters' unit tests.

    use indexmap::IndexMap;

    use crate::finding::{FileError, FileReport, FileResult, Finding, NotApplicable, Severity, Summary};
    use crate::transcript::{Millis, Position, Role};

    use super::{RuleInfo, RunInfo};

    /// A forbidden-phrase finding with a suggestion.
    pub fn forbidden() -> Finding {
        Finding {
            rule: "acme/you-must".into(),
            kind: "forbidden",
            severity: Severity::Error,
            message: "Do not command: \"you must\"".into(),
            note: None,
            start: Position { line: 7, column: 5 },
            end: Position { line: 7, column: 13 },
            turn: Some(3),
            speaker: Some(Role::Agent),
            time: Some(Millis(41_000)),
            matched: Some("you must".into()),
            suggestion: Some("Could you …?".into()),
            replacement: Some("please".into()),
            excerpt: Some("Rep:you must log in, 100%, a,b".into()),
        }
    }

    /// A missing-greeting finding.
    pub fn missing() -> Finding {
        Finding {
            rule: "acme/greeting".into(),
            kind: "required",
            severity: Severity::Warning,
            message: "Greet <first> & name the company".into(),
            note: Some("expected one of \"hello\"".into()),
            start: Position { line: 1, column: 8 },
            end: Position { line: 1, column: 8 },
            turn: Some(1),
            speaker: Some(Role::Agent),
            time: None,
            matched: None,
            suggestion: None,
            replacement: None,
            excerpt: Some("Agent: hi".into()),
        }
    }

    /// Two results: a checked transcript with both findings and a failed file.
    pub fn results() -> (Vec<FileResult>, Summary) {
        let ok = FileResult::Checked(FileReport {
            path: "calls/a b.txt".into(),
            file: "calls/a b.txt".into(),
            metadata: IndexMap::new(),
            findings: vec![missing(), forbidden()],
            not_applicable: vec![NotApplicable {
                rule: "acme/hangup",
                reason: "the transcript does not say who ended the call".into(),
                scope: crate::finding::Scope::Undecided,
            }],
            ..FileReport::default()
        });
        let bad = FileResult::Failed(FileError {
            path: "calls/bad.txt".into(),
            error: "line 3: invalid timestamp".into(),
        });
        let mut summary = Summary::default();
        summary.add(&ok);
        summary.add(&bad);
        (vec![ok, bad], summary)
    }

    /// The run's rules.
    pub fn run_info() -> RunInfo {
        let rule = |id: &str, kind: &str, severity| RuleInfo {
            id: id.into(),
            kind: kind.into(),
            severity,
            title: Some(format!("title of {id}")),
            message: None,
            guideline: Some("G3".into()),
            help: "What it checks.".into(),
            tags: vec![],
        };
        RunInfo {
            rules: vec![
                rule("acme/greeting", "required", Severity::Warning),
                rule("acme/you-must", "forbidden", Severity::Error),
                rule("acme/hangup", "hangup", Severity::Error),
            ],
            fail_on: Some(Severity::Error),
            scoring: std::sync::Arc::new(scoring()),
            root: crate::fingerprint::ProjectRoot::default(),
        }
    }

    /// The run's scoring: every rule weighs 1, none is an auto-fail rule; `acme/closing` passes
    /// in [`results`], so its transcript scores 33.3.
    pub fn scoring() -> crate::score::Scoring {
        let rule = |id: &str, auto_fail| crate::score::ScoredRule {
            id: id.into(),
            title: None,
            severity: Severity::Warning,
            weight: 1.0,
            auto_fail,
            section: None,
            scorecard: 0,
        };
        crate::score::Scoring::from_rules(
            vec![
                rule("acme/greeting", false),
                rule("acme/you-must", false),
                rule("acme/hangup", false),
                rule("acme/closing", false),
            ],
            vec![crate::score::Scorecard {
                rulebook: "acme".into(),
                pass_mark: 80.0,
                declared: false,
                sections: vec![],
            }],
        )
    }

    /// Runs a reporter over [`results`] and returns what it wrote.
    pub fn render(reporter: &mut dyn super::Reporter) {
        let (results, summary) = results();
        for r in &results {
            reporter.file(r).unwrap();
        }
        reporter.finish(&summary).unwrap();
    }
}
