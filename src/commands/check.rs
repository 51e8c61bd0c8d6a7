//! `callcheck check`.

use std::io;

use super::Streams;
use crate::cli::CheckArgs;
use crate::discover::{Source, discover, display};
use crate::exit::ExitStatus;
use crate::pipeline::Pipeline;
use crate::report::new_reporter;
use crate::settings::CheckSettings;
use crate::transcript::FORMATS;

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
    let mut inputs = discover(&settings.paths, &settings.filters);
    skip_metadata_table(&mut inputs, settings.input.metadata_path.as_deref());
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
        return Ok(ExitStatus::Clean);
    }
    let (format, encoding, parse_options, metadata) = settings.input.into_parts();
    let pipeline = Pipeline {
        engine: &settings.engine,
        parse_options,
        format,
        encoding,
        metadata,
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

/// Drops the `--metadata` table from the inputs: it is not a transcript, even inside a folder
/// being checked.
pub(super) fn skip_metadata_table(inputs: &mut Vec<crate::discover::Input>, table: Option<&std::path::Path>) {
    if let Some(table) = table.and_then(|p| p.canonicalize().ok()) {
        inputs.retain(|input| match &input.source {
            Source::File(path) => path.canonicalize().ok().as_ref() != Some(&table),
            _ => true,
        });
    }
}
