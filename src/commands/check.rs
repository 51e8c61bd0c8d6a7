//! `callcheck check`: resolve settings, check, report, write the baseline, choose the status.

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use anyhow::Context as _;

use super::files::{is_own_file, no_transcripts_warning};
use super::progress::{Bar, stats_lines};
use super::{Failure, Outcome, Streams};
use crate::baseline::Gate;
use crate::cli::{CheckArgs, ConfigArgs};
use crate::discover::Discovery;
use crate::exit::ExitStatus;
use crate::finding::{FileResult, Summary};
use crate::fix::{self, Edit};
use crate::paint::Paint;
use crate::paths::{display, normalize_path};
use crate::pipeline::{Pipeline, Progress};
use crate::redact::Redaction;
use crate::report::Reporter;
use crate::report::pretty::{score_line, summary_line};
use crate::report::{AtomicFile, new_reporter, write_atomically};
use crate::score::{ScoreTally, Scoring};
use crate::settings::CheckSettings;

pub(super) fn run(args: &CheckArgs, config: &ConfigArgs, color: bool, streams: &mut Streams<'_>) -> Outcome {
    let settings = CheckSettings::from_args(args, config, color && args.output.is_none())?;
    for warning in &settings.run.warnings {
        write!(streams.err, "{warning}")?;
    }
    let baseline = settings.baseline()?;
    // Files the run itself reads or writes sit in checked folders but are never transcripts.
    let own: Vec<PathBuf> = [
        settings.run.input.metadata_path.as_deref(),
        settings.baseline.as_deref(),
        settings.write_baseline.as_deref(),
        settings.output.as_deref(),
    ]
    .into_iter()
    .flatten()
    .map(normalize_path)
    .collect();
    let mut discovery = Discovery::new(&settings.run.paths, settings.run.filters.clone());
    let inputs = (&mut discovery).filter(|input| !is_own_file(input, &own));
    let bar = (streams.err_is_terminal && !settings.report.quiet)
        .then(|| Bar::start(&settings.run.paths, &settings.run.filters));
    // With --output the report streams into a temporary file renamed into place at the end.
    let report_file = settings
        .output
        .as_deref()
        .map(|path| AtomicFile::create(path).with_context(|| cannot_write(path)))
        .transpose()?;
    let mut report_file = report_file;
    let run_info = settings.run_info();
    let mut pipeline = Pipeline {
        jobs: settings.run.jobs,
        unused_suppression: settings.run.unused_suppression,
        redact: args.redact.map_or(Redaction::None, Redaction::from),
        ..Pipeline::new(&settings.run.engine, settings.run.input.into_options())
    };
    let mut scores = ScoreTally::default();
    // `--fix`: the edits to apply once the run is over, and the failing findings they leave.
    let mut edits: Vec<(String, Vec<Edit>)> = Vec::new();
    let mut failing_left = 0;
    let (summary, recorded, stats) = {
        let suspend = bar.as_ref().filter(|_| streams.out_is_terminal);
        let out: Box<dyn Write> = match (&mut report_file, suspend) {
            (Some(file), _) => Box::new(file),
            (None, Some(bar)) => Box::new(bar.suspending(&mut *streams.out)),
            (None, None) => Box::new(&mut *streams.out),
        };
        let err: Box<dyn Write> = match &bar {
            Some(bar) => Box::new(bar.suspending(&mut *streams.err)),
            None => Box::new(&mut *streams.err),
        };
        let reporter = new_reporter(settings.format, settings.report, &run_info, out, err);
        let reporter = Fixes {
            inner: reporter,
            collect: args.fix,
            fail_on: settings.fail_on,
            edits: &mut edits,
            failing_left: &mut failing_left,
        };
        // The terminal summary of a report written to a file gives the scores too.
        // Only a report written to a file needs the tally (reporters on the terminal summarise
        // scores themselves): scoring every call twice is not free.
        let reporter = Tallied {
            inner: reporter,
            scoring: settings.output.is_some().then_some(&run_info.scoring),
            tally: &mut scores,
        };
        // A version 1 baseline's paths are relative to its own folder.
        let baseline_folder = settings.baseline.as_ref().map(|p| match p.parent() {
            Some(dir) if !dir.as_os_str().is_empty() => dir.to_path_buf(),
            _ => PathBuf::from("."),
        });
        let mut gate = Gate::new(
            reporter,
            baseline.as_ref(),
            settings.write_baseline.is_some(),
            settings.run.project_root.clone(),
            baseline_folder.as_deref(),
        );
        pipeline.excerpts = gate.needs_excerpts();
        pipeline.reasons = gate.needs_reasons();
        let progress = bar.as_ref().map(|b| b as &dyn Progress);
        let (_, stats) = pipeline.run_stream(inputs, &mut gate, progress)?;
        (gate.summary().clone(), gate.recorded(), stats)
    };
    if let Some(bar) = &bar {
        bar.finish();
    }
    for note in discovery.notes() {
        writeln!(streams.err, "note: {note}")?;
    }
    if summary.files == 0 {
        no_transcripts_warning(&settings.run.paths, streams)?;
    }
    if let (Some(path), Some(file)) = (&settings.output, report_file) {
        file.commit().with_context(|| cannot_write(path))?;
        if !settings.report.quiet {
            let paint = Paint::new(color);
            writeln!(streams.out, "{}", summary_line(&summary, paint))?;
            if let Some(line) = score_line(&scores, &run_info.scoring, paint) {
                writeln!(streams.out, "{line}")?;
            }
            writeln!(
                streams.out,
                "Wrote the {} report to {}.",
                settings.format.name(),
                display(path)
            )?;
        }
    }
    if let Some(path) = &settings.write_baseline {
        write_atomically(path, recorded.to_json().as_bytes()).with_context(|| cannot_write(path))?;
        writeln!(
            streams.err,
            "Recorded {} in the baseline {}.",
            crate::report::table::plural(recorded.entries().len(), "finding", "findings"),
            display(path)
        )?;
    }
    if args.stats {
        write!(streams.err, "{}", stats_lines(&stats, settings.run.jobs))?;
    }
    let mut all_fixed = false;
    if args.fix {
        let left = apply_fixes(&edits, streams)?;
        all_fixed = left == 0 && failing_left == 0;
    }
    // A call nobody could judge fails the run like an unreadable file: never a silent pass.
    Ok(if summary.errors > 0 || summary.not_checked > 0 {
        ExitStatus::Error
    } else if summary.fails(settings.fail_on) && !all_fixed {
        ExitStatus::Findings
    } else {
        ExitStatus::Clean
    })
}

/// `--fix`: writes each template's edits (atomically) and says how many were applied; returns
/// how many were left as they were.
fn apply_fixes(edits: &[(String, Vec<Edit>)], streams: &mut Streams<'_>) -> Result<usize, Failure> {
    let (mut findings, mut templates, mut left) = (0, 0, 0);
    for (file, file_edits) in edits {
        let text = std::fs::read_to_string(file).with_context(|| format!("cannot fix {file}"))?;
        let (new_text, applied) = fix::apply(&text, file_edits);
        left += file_edits.len() - applied;
        if applied > 0 {
            write_atomically(Path::new(file), new_text.as_bytes())
                .with_context(|| format!("cannot write {file}"))?;
            findings += applied;
            templates += 1;
        }
    }
    let plural = crate::report::table::plural;
    let mut line = format!(
        "Fixed {} in {}.",
        plural(findings, "finding", "findings"),
        plural(templates, "template", "templates")
    );
    if left > 0 {
        line.push_str(&format!(
            " {left} left as they were: their text changed since it was read, or overlaps another fix."
        ));
    }
    writeln!(streams.err, "{line}")?;
    Ok(left)
}

/// The context of a failed write: "cannot write report.json".
pub(super) fn cannot_write(path: &Path) -> String {
    format!("cannot write {}", display(path))
}

/// Passes results on to a reporter, keeping for `--fix` the edits of reply templates and
/// counting the failing findings no edit removes.
struct Fixes<'f, R> {
    inner: R,
    collect: bool,
    fail_on: Option<crate::finding::Severity>,
    edits: &'f mut Vec<(String, Vec<Edit>)>,
    failing_left: &'f mut usize,
}

impl<R: Reporter> Reporter for Fixes<'_, R> {
    fn file(&mut self, result: &FileResult) -> io::Result<()> {
        if self.collect
            && let FileResult::Checked(report) = result
        {
            let edits = fix::edits_of(report);
            let fixable = |f: &crate::finding::Finding| {
                report.format == "templates" && f.replacement.is_some() && f.matched.is_some()
            };
            *self.failing_left += report
                .findings
                .iter()
                .filter(|f| self.fail_on.is_some_and(|t| f.severity >= t) && !fixable(f))
                .count();
            if !edits.is_empty() {
                self.edits.push((report.file.clone(), edits));
            }
        }
        self.inner.file(result)
    }

    fn finish(&mut self, summary: &Summary) -> io::Result<()> {
        self.inner.finish(summary)
    }

    fn needs_excerpts(&self) -> bool {
        self.inner.needs_excerpts()
    }

    fn needs_reasons(&self) -> bool {
        self.inner.needs_reasons()
    }
}

/// Passes results on to a reporter, adding up their scores.
struct Tallied<'t, R> {
    inner: R,
    /// The scoring model, when scores are to be added up.
    scoring: Option<&'t Scoring>,
    tally: &'t mut ScoreTally,
}

impl<R: Reporter> Reporter for Tallied<'_, R> {
    fn file(&mut self, result: &FileResult) -> io::Result<()> {
        if let (FileResult::Checked(report), Some(scoring)) = (result, self.scoring) {
            self.tally.add(scoring.score(report).as_ref());
        }
        self.inner.file(result)
    }

    fn finish(&mut self, summary: &Summary) -> io::Result<()> {
        self.inner.finish(summary)
    }

    fn needs_excerpts(&self) -> bool {
        self.inner.needs_excerpts()
    }

    fn needs_reasons(&self) -> bool {
        self.inner.needs_reasons()
    }
}
