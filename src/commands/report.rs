//! `callcheck report`: check like `callcheck check` (same discovery, formats, configuration,
//! rulebooks and redaction), roll the results up, write the summary.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use anyhow::Context as _;

use super::check::cannot_write;
use super::files::judge_files;
use super::{Outcome, Streams};
use crate::cli::{ByArg, ConfigArgs, ReportArgs, ReportFormatArg};
use crate::discover::{Input, Source};
use crate::exit::ExitStatus;
use crate::paths::{display, normalize_path};
use crate::pipeline::Pipeline;
use crate::redact::Redaction;
use crate::report::write_atomically;
use crate::rollup::path::PathPattern;
use crate::rollup::render::{RenderOptions, ReportFormat, render};
use crate::rollup::{Dimension, Options, Rollup, context};
use crate::settings::{RunSettings, SettingsError, check_writable};
use crate::transcript::Format;

pub(super) fn run(args: &ReportArgs, config: &ConfigArgs, color: bool, streams: &mut Streams<'_>) -> Outcome {
    // Everything about reading and judging calls is shared with `check`.
    let settings = RunSettings::from_args(&args.paths, &args.rulebooks, &args.scope, config)?;
    let path_pattern = args
        .group_from_path
        .as_deref()
        .map(PathPattern::new)
        .transpose()
        .map_err(SettingsError::from)?;
    if let Some(output) = &args.output {
        check_writable(output, "--output")?;
    }
    for warning in &settings.warnings {
        write!(streams.err, "{warning}")?;
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
            return Err(SettingsError::Usage(format!("--by {} is given twice", dimension.name())).into());
        }
        by.push(dimension);
    }
    if by.is_empty() {
        by.push(Dimension::Rule);
    }
    let redaction = match (args.no_redact, args.redact) {
        (true, _) => Redaction::None,
        (false, Some(what)) => what.into(),
        (false, None) => Redaction::Personal,
    };
    let scoring = Arc::new(settings.engine.rules().scoring());
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
            redaction,
        },
    );
    let own: Vec<PathBuf> = [settings.input.metadata_path.as_deref(), args.output.as_deref()]
        .into_iter()
        .flatten()
        .map(normalize_path)
        .collect();
    // Only the few calls listed show their findings: they are quoted and masked once they are
    // checked again (`add_context`). Standard input cannot be read again, so its calls are quoted
    // and masked as they are checked.
    let reads_stdin = settings.paths.iter().any(|p| p.as_os_str() == "-");
    let pipeline = Pipeline {
        jobs: settings.jobs,
        unused_suppression: settings.unused_suppression,
        redact: redaction,
        excerpts: reads_stdin,
        mask_findings: reads_stdin,
        ..Pipeline::new(&settings.engine, settings.input.into_options())
    };
    // The worst calls are read and checked again; only a format chosen by configuration
    // (rarely any) must be remembered to read them the same way.
    let chosen_formats: Mutex<HashMap<String, &'static Format>> = Mutex::new(HashMap::new());
    let remember_format = |input: &Input| {
        if let (Some(format), Ok(mut chosen)) = (input.format, chosen_formats.lock()) {
            chosen.insert(input.display.clone(), format);
        }
    };
    let summary = judge_files(
        &pipeline,
        &settings.paths,
        &settings.filters,
        &own,
        &mut rollup,
        remember_format,
        streams,
    )?;
    let chosen_formats = chosen_formats.into_inner().unwrap_or_default();
    let mut report = rollup.finish(rulebooks);
    let input_of = |file: &str| Input {
        display: file.to_string(),
        source: Source::File(PathBuf::from(file)),
        format: chosen_formats.get(file).copied(),
    };
    let pipeline = Pipeline {
        excerpts: true,
        mask_findings: true,
        ..pipeline
    };
    context::add_context(&mut report, &pipeline, &input_of, redaction);
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
            write_atomically(path, text.as_bytes()).with_context(|| cannot_write(path))?;
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
    for n in &report.not_checked {
        writeln!(streams.err, "{}: not checked: {}", n.path, n.error)?;
    }
    Ok(if summary.errors > 0 || summary.not_checked > 0 {
        ExitStatus::Error
    } else {
        ExitStatus::Clean
    })
}
