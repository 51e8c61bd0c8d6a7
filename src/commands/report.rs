//! `callcheck report`: check like `callcheck check` (same discovery, formats, configuration,
//! rulebooks and redaction), roll the results up, write the summary.

use std::io;
use std::sync::Arc;

use super::Streams;
use super::check::skip_own_files;
use crate::cli::{ByArg, CheckArgs, ConfigArgs, ReportArgs, ReportFormatArg};
use crate::discover::{discover_with_notes, display};
use crate::exit::ExitStatus;
use crate::pipeline::Pipeline;
use crate::report::write_atomically;
use crate::rollup::path::PathPattern;
use crate::rollup::render::{RenderOptions, ReportFormat, render};
use crate::rollup::{Dimension, Options, Rollup, context};
use crate::score::Scoring;
use crate::settings::{CheckSettings, check_writable};

pub(super) fn run(
    args: &ReportArgs,
    config: &ConfigArgs,
    color: bool,
    streams: &mut Streams<'_>,
) -> io::Result<ExitStatus> {
    // The check's settings: everything about reading and judging calls is shared.
    let check = CheckArgs {
        paths: args.paths.clone(),
        rulebooks: args.rulebooks.clone(),
        select: args.select.clone(),
        ignore: args.ignore.clone(),
        include: args.include.clone(),
        exclude: args.exclude.clone(),
        hidden: args.hidden,
        input: args.input.clone(),
        jobs: args.jobs,
        ..CheckArgs::default()
    };
    let settings = match CheckSettings::from_args(&check, config, color) {
        Ok(s) => s,
        Err(e) => {
            write!(streams.err, "{e}")?;
            return Ok(ExitStatus::Error);
        }
    };
    let usage = |streams: &mut Streams<'_>, message: String| -> io::Result<ExitStatus> {
        writeln!(streams.err, "error: {message}")?;
        Ok(ExitStatus::Error)
    };
    let path_pattern = match args.group_from_path.as_deref().map(PathPattern::new).transpose() {
        Ok(p) => p,
        Err(e) => return usage(streams, e),
    };
    if let Some(output) = &args.output
        && let Err(e) = check_writable(output, "--output")
    {
        write!(streams.err, "{e}")?;
        return Ok(ExitStatus::Error);
    }
    for warning in &settings.warnings {
        write!(streams.err, "{warning}")?;
    }
    let (mut inputs, notes) = discover_with_notes(&settings.paths, &settings.filters);
    for note in notes {
        writeln!(streams.err, "note: {note}")?;
    }
    skip_own_files(
        &mut inputs,
        &[settings.input.metadata_path.as_deref(), args.output.as_deref()],
    );
    if inputs.is_empty() {
        let paths: Vec<String> = settings.paths.iter().map(|p| display(p)).collect();
        writeln!(
            streams.err,
            "warning: no transcripts found in {}",
            paths.join(", ")
        )?;
    }
    let mut by: Vec<Dimension> = Vec::new();
    for arg in &args.by {
        let dimension = match arg {
            ByArg::Rule => Dimension::Rule,
            ByArg::Agent => Dimension::Agent,
            ByArg::Team => Dimension::Team,
            ByArg::Date => Dimension::Date,
            ByArg::File => Dimension::File,
        };
        if by.contains(&dimension) {
            return usage(streams, format!("--by {} is given twice", dimension.name()));
        }
        by.push(dimension);
    }
    if by.is_empty() {
        by.push(Dimension::Rule);
    }
    let redacted = !args.no_redact;
    let scoring = Arc::new(Scoring::new(settings.engine.rules()));
    let rulebooks: Vec<String> = settings
        .engine
        .rules()
        .rulebooks
        .iter()
        .filter(|r| !r.extended_only)
        .map(|r| r.id.clone())
        .collect();
    let mut rollup = Rollup::new(
        scoring,
        Options {
            by,
            path_pattern,
            worst: args.worst,
            redacted,
        },
    );
    let (format, encoding, parse_options, metadata) = settings.input.into_parts();
    let pipeline = Pipeline {
        engine: &settings.engine,
        parse_options,
        format,
        encoding,
        metadata,
        jobs: settings.jobs,
        unused_suppression: settings.unused_suppression,
        redact: redacted,
    };
    let summary = pipeline.run(&inputs, &mut rollup)?;
    let mut report = rollup.finish(rulebooks);
    context::add_context(&mut report, &pipeline, &inputs, redacted);
    let format = match args.format {
        ReportFormatArg::Table => ReportFormat::Table,
        ReportFormatArg::Csv => ReportFormat::Csv,
        ReportFormatArg::Markdown => ReportFormat::Markdown,
        ReportFormatArg::Json => ReportFormat::Json,
        ReportFormatArg::Html => ReportFormat::Html,
    };
    let options = RenderOptions {
        color: color && args.output.is_none() && format == ReportFormat::Table,
        source: settings
            .paths
            .iter()
            .map(|p| display(p))
            .collect::<Vec<_>>()
            .join(", "),
    };
    let text = render(&report, format, &options);
    match &args.output {
        Some(path) => {
            if let Err(e) = write_atomically(path, text.as_bytes()) {
                writeln!(streams.err, "error: cannot write {}: {e}", display(path))?;
                return Ok(ExitStatus::Error);
            }
            let s = &report.summary;
            writeln!(
                streams.out,
                "Wrote the report on {} to {} (mean score {}, pass rate {}).",
                crate::report::table::plural(s.calls as usize, "call", "calls"),
                display(path),
                crate::rollup::render::one_or_dash(s.mean),
                crate::rollup::render::percent(s.pass_rate),
            )?;
        }
        None => streams.out.write_all(text.as_bytes())?,
    }
    for e in &report.errors {
        writeln!(streams.err, "{}: error: {}", e.path, e.error)?;
    }
    Ok(if summary.errors > 0 {
        ExitStatus::Error
    } else {
        ExitStatus::Clean
    })
}
