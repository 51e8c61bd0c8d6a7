//! `callcheck check`.

use std::io;

use super::Streams;
use crate::cli::CheckArgs;
use crate::discover::{discover, display};
use crate::exit::ExitStatus;
use crate::pipeline::Pipeline;
use crate::report::new_reporter;
use crate::settings::CheckSettings;
use crate::transcript::{FORMATS, ParseOptions};

pub(super) fn run(args: &CheckArgs, color: bool, streams: &mut Streams<'_>) -> io::Result<ExitStatus> {
    let settings = match CheckSettings::from_args(args, color) {
        Ok(s) => s,
        Err(e) => {
            write!(streams.err, "{e}")?;
            return Ok(ExitStatus::Error);
        }
    };
    for warning in &settings.warnings {
        write!(streams.err, "{warning}")?;
    }
    let inputs = discover(&settings.paths, &settings.filters);
    if inputs.is_empty() {
        let paths: Vec<String> = settings.paths.iter().map(|p| display(p)).collect();
        let extensions: Vec<String> = FORMATS
            .iter()
            .flat_map(|f| f.extensions.iter().map(|e| format!(".{e}")))
            .collect();
        writeln!(
            streams.err,
            "warning: no transcripts found in {} (looked for {})",
            paths.join(", "),
            extensions.join(", ")
        )?;
        return Ok(ExitStatus::Clean);
    }
    let pipeline = Pipeline {
        engine: &settings.engine,
        parse_options: ParseOptions {
            labels: settings.engine.rules().labels.clone(),
            ..ParseOptions::default()
        },
        format: settings.input_format,
        jobs: settings.jobs,
    };
    let summary = {
        let mut reporter = new_reporter(
            settings.format,
            settings.report,
            Box::new(&mut *streams.out),
            Box::new(&mut *streams.err),
        );
        pipeline.run(&inputs, reporter.as_mut())?
    };
    Ok(if summary.errors > 0 {
        ExitStatus::Error
    } else if summary.fails(settings.fail_on) {
        ExitStatus::Findings
    } else {
        ExitStatus::Clean
    })
}
