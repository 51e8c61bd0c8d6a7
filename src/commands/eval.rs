//! `callcheck eval`: read the labels, check the labelled calls like `callcheck check` (same
//! configuration, rulebooks, discovery and formats), compare, print, gate.

use std::path::PathBuf;

use super::files::judge_files;
use super::{Failure, Outcome, Streams};
use crate::cli::{ConfigArgs, EvalArgs, EvalFormatArg, ScopeArgs};
use crate::eval::calls::Calls;
use crate::eval::labels::{LabelError, Labels, show_errors};
use crate::eval::render::{Format, render};
use crate::eval::{Gates, checks, evaluate};
use crate::exit::ExitStatus;
use crate::paths::normalize_path;
use crate::pipeline::Pipeline;
use crate::settings::RunSettings;

pub(super) fn run(args: &EvalArgs, config: &ConfigArgs, color: bool, streams: &mut Streams<'_>) -> Outcome {
    // The labels first: a mistake in them is found before anything is checked.
    let labels = Labels::load(&args.labels).map_err(Failure::Labels)?;
    let paths = if args.paths.is_empty() {
        let files = labels.files();
        if files.is_empty() {
            let error = LabelError::file(
                &labels.path,
                "no label names a transcript file (the calls are call ids)",
            )
            .hint(format!(
                "give the files or folders that hold the calls: callcheck eval {} calls.jsonl",
                labels.path
            ));
            return Err(Failure::Labels(vec![error]));
        }
        files
    } else {
        args.paths.clone()
    };
    // Everything about reading and judging calls is the check's; eval reads the files it is
    // given, without walking filters.
    let scope = ScopeArgs {
        rules: args.rules.clone(),
        input: args.input.clone(),
        jobs: args.jobs,
        ..ScopeArgs::default()
    };
    let settings = RunSettings::from_args(&paths, &args.rulebooks, &scope, config)?;
    for warning in &settings.warnings {
        write!(streams.err, "{warning}")?;
    }
    let rules = settings.engine.rules();
    let resolution = checks::resolve(&labels, rules, args.allow_unmatched).map_err(Failure::Labels)?;
    for warning in &resolution.warnings {
        writeln!(streams.err, "{warning}")?;
    }
    let covered = resolution
        .checks
        .iter()
        .flat_map(|c| c.rules.iter().map(|&i| rules.rules[i].id.clone()));
    let mut calls = Calls::new(&labels, covered);

    // The labels and the metadata table may sit among the calls; they are not transcripts.
    let own: Vec<PathBuf> = [
        Some(args.labels.as_path()),
        settings.input.metadata_path.as_deref(),
    ]
    .into_iter()
    .flatten()
    .map(normalize_path)
    .collect();
    let pipeline = Pipeline {
        jobs: settings.jobs,
        ..Pipeline::new(&settings.engine, settings.input.into_options())
    };
    let summary = judge_files(
        &pipeline,
        &settings.paths,
        &settings.filters,
        &own,
        &mut calls,
        |_| {},
        streams,
    )?;

    let evaluation = evaluate(&labels, &resolution, rules, &calls);
    let gates = evaluation.gate(Gates {
        min_precision: args.min_precision,
        min_recall: args.min_recall,
        min_support: args.min_support,
    });
    let format = match args.format {
        EvalFormatArg::Pretty => Format::Pretty,
        EvalFormatArg::Json => Format::Json,
        EvalFormatArg::Markdown => Format::Markdown,
    };
    streams
        .out
        .write_all(render(&evaluation, &gates, format, color).as_bytes())?;

    for unreadable in &evaluation.unreadable {
        writeln!(streams.err, "{}: error: {}", unreadable.path, unreadable.error)?;
    }
    write!(streams.err, "{}", show_errors(&evaluation.errors))?;
    let flag = |metric: crate::eval::Metric| format!("--min-{}", metric.name());
    let mut not_gated: Vec<String> = gates
        .not_gated
        .iter()
        .map(|(check, metric)| format!("{check} ({})", metric.name()))
        .collect();
    not_gated.dedup();
    if !not_gated.is_empty() {
        writeln!(
            streams.err,
            "note: not gated, fewer than {} positives: {}",
            args.min_support.max(1),
            not_gated.join(", ")
        )?;
    }
    for failure in &gates.failures {
        writeln!(streams.err, "eval: {failure}")?;
    }
    if !gates.passed() {
        let metrics: Vec<String> = [crate::eval::Metric::Precision, crate::eval::Metric::Recall]
            .into_iter()
            .filter(|m| gates.failures.iter().any(|f| f.metric == *m))
            .map(flag)
            .collect();
        let mut failing: Vec<&str> = gates.failures.iter().map(|f| f.check.as_str()).collect();
        failing.dedup();
        writeln!(
            streams.err,
            "eval: {} below {}",
            crate::report::table::plural(failing.len(), "check is", "checks are"),
            metrics.join(" or ")
        )?;
    }
    Ok(
        if summary.errors > 0 || !evaluation.errors.is_empty() || !evaluation.unreadable.is_empty() {
            ExitStatus::Error
        } else if !gates.passed() {
            ExitStatus::Findings
        } else {
            ExitStatus::Clean
        },
    )
}
