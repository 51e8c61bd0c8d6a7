//! Reporters: findings out, one format per file behind the [`Reporter`] trait.
//!
//! The pipeline hands each file's result to the reporter in input order, then the run's totals.
//! Streaming formats write as results arrive; formats that need the whole run (SARIF, JUnit,
//! summaries) buffer until [`Reporter::finish`]. Reporters never match text or judge rules.

pub mod json;
pub mod pretty;
pub mod table;

use std::io::{self, Write};

use crate::finding::{FileResult, Summary};

/// Receives a run's results in order.
pub trait Reporter {
    /// One checked transcript or failed file.
    fn file(&mut self, result: &FileResult) -> io::Result<()>;
    /// The run is over; `summary` holds the totals.
    fn finish(&mut self, summary: &Summary) -> io::Result<()>;
}

/// The output formats of `callcheck check`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OutputFormat {
    /// For people: each finding with the source line, coloured on a terminal.
    Pretty,
    /// One JSON document (contract section 4).
    Json,
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

/// Builds the reporter for a format; `out` gets the report, `err` gets per-file errors for
/// formats that keep them out of the report.
pub fn new_reporter<'a>(
    format: OutputFormat,
    options: ReportOptions,
    out: Box<dyn Write + 'a>,
    err: Box<dyn Write + 'a>,
) -> Box<dyn Reporter + 'a> {
    match format {
        OutputFormat::Pretty => Box::new(pretty::Pretty::new(out, err, options)),
        OutputFormat::Json => Box::new(json::Json::new(out)),
    }
}
