//! `callcheck check`: resolve settings, check, report, write the baseline, choose the status.

use std::io::{self, Write};
use std::path::PathBuf;

use super::Streams;
use crate::baseline::Gate;
use crate::cli::{CheckArgs, ConfigArgs};
use crate::discover::{Source, discover_with_notes, display, normalize_path};
use crate::exit::ExitStatus;
use crate::finding::{FileResult, Summary};
use crate::pipeline::Pipeline;
use crate::report::Reporter;
use crate::report::pretty::{score_line, summary_line};
use crate::report::{new_reporter, write_atomically};
use crate::score::{ScoreTally, Scoring};
use crate::settings::CheckSettings;
use crate::transcript::FORMATS;

pub(super) fn run(
    args: &CheckArgs,
    config: &ConfigArgs,
    color: bool,
    streams: &mut Streams<'_>,
) -> io::Result<ExitStatus> {
    let settings = match CheckSettings::from_args(args, config, color && args.output.is_none()) {
        Ok(s) => s,
        Err(e) => {
            write!(streams.err, "{e}")?;
            return Ok(ExitStatus::Error);
        }
    };
    for warning in &settings.warnings {
        write!(streams.err, "{warning}")?;
    }
    let baseline = match settings.baseline() {
        Ok(b) => b,
        Err(e) => {
            writeln!(streams.err, "error: {e}")?;
            return Ok(ExitStatus::Error);
        }
    };
    let (mut inputs, notes) = discover_with_notes(&settings.paths, &settings.filters);
    for note in notes {
        writeln!(streams.err, "note: {note}")?;
    }
    skip_own_files(
        &mut inputs,
        &[
            settings.input.metadata_path.as_deref(),
            settings.baseline.as_deref(),
            settings.write_baseline.as_deref(),
            settings.output.as_deref(),
        ],
    );
    if inputs.is_empty() {
        let paths: Vec<String> = settings.paths.iter().map(|p| display(p)).collect();
        let mut extensions: Vec<String> = Vec::new();
        for format in FORMATS {
            for extension in format.extensions {
                let dotted = format!(".{extension}");
                if !extensions.contains(&dotted) {
                    extensions.push(dotted);
                }
            }
        }
        writeln!(
            streams.err,
            "warning: no transcripts found in {} (looked for {})",
            paths.join(", "),
            extensions.join(", ")
        )?;
        // Still write the (empty) report and baseline: a CI step uploading them expects files.
    }
    let run_info = settings.run_info();
    let (format, encoding, parse_options, metadata) = settings.input.into_parts();
    let pipeline = Pipeline {
        engine: &settings.engine,
        parse_options,
        format,
        encoding,
        metadata,
        jobs: settings.jobs,
        unused_suppression: settings.unused_suppression,
        redact: args.redact,
    };
    // With --output the report goes to a buffer written atomically at the end.
    let mut buffer: Vec<u8> = Vec::new();
    let mut scores = ScoreTally::default();
    let (summary, recorded) = {
        let out: Box<dyn Write> = match settings.output {
            Some(_) => Box::new(&mut buffer),
            None => Box::new(&mut *streams.out),
        };
        let reporter = new_reporter(
            settings.format,
            settings.report,
            &run_info,
            out,
            Box::new(&mut *streams.err),
        );
        // The terminal summary of a report written to a file gives the scores too.
        let reporter = Tallied {
            inner: reporter,
            scoring: &run_info.scoring,
            tally: &mut scores,
        };
        // Baseline paths are relative to the baseline file, whichever one is in play.
        let base = settings
            .write_baseline
            .as_ref()
            .or(settings.baseline.as_ref())
            .map(|p| match p.parent() {
                Some(dir) if !dir.as_os_str().is_empty() => dir.to_path_buf(),
                _ => PathBuf::from("."),
            });
        let mut gate = Gate::new(
            reporter,
            baseline.as_ref(),
            settings.write_baseline.is_some(),
            base.as_deref(),
        );
        pipeline.run(&inputs, &mut gate)?;
        (gate.summary().clone(), gate.recorded())
    };
    if let Some(path) = &settings.output {
        if let Err(e) = write_atomically(path, &buffer) {
            writeln!(streams.err, "error: cannot write {}: {e}", display(path))?;
            return Ok(ExitStatus::Error);
        }
        if !settings.report.quiet {
            colored::control::set_override(color);
            writeln!(streams.out, "{}", summary_line(&summary))?;
            if let Some(line) = score_line(&scores, &run_info.scoring) {
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
        if let Err(e) = write_atomically(path, recorded.to_json().as_bytes()) {
            writeln!(streams.err, "error: cannot write {}: {e}", display(path))?;
            return Ok(ExitStatus::Error);
        }
        writeln!(
            streams.err,
            "Recorded {} in the baseline {}.",
            crate::report::table::plural(recorded.entries().len(), "finding", "findings"),
            display(path)
        )?;
    }
    Ok(if summary.errors > 0 {
        ExitStatus::Error
    } else if summary.fails(settings.fail_on) {
        ExitStatus::Findings
    } else {
        ExitStatus::Clean
    })
}

/// Drops files the run itself reads or writes (the `--metadata` table, the baseline, the
/// report file): they sit in checked folders but are never transcripts.
pub(super) fn skip_own_files(inputs: &mut Vec<crate::discover::Input>, own: &[Option<&std::path::Path>]) {
    let own: Vec<std::path::PathBuf> = own.iter().flatten().map(|p| normalize_path(p)).collect();
    if own.is_empty() {
        return;
    }
    inputs.retain(|input| match &input.source {
        Source::File(path) => !own.contains(&normalize_path(path)),
        _ => true,
    });
}

/// Passes results on to a reporter, adding up their scores.
struct Tallied<'t, R> {
    inner: R,
    scoring: &'t Scoring,
    tally: &'t mut ScoreTally,
}

impl<R: Reporter> Reporter for Tallied<'_, R> {
    fn file(&mut self, result: &FileResult) -> io::Result<()> {
        if let FileResult::Checked(report) = result {
            self.tally.add(self.scoring.score(report).as_ref());
        }
        self.inner.file(result)
    }

    fn finish(&mut self, summary: &Summary) -> io::Result<()> {
        self.inner.finish(summary)
    }
}
