//! Finding and judging the transcripts under the given paths, as `check`, `report` and `eval`
//! do: the run's own files left out, progress on a terminal, notes and a warning afterwards.

use std::io;
use std::path::PathBuf;

use super::Streams;
use super::progress::Bar;
use crate::discover::{Discovery, Filters, Input, Source};
use crate::finding::Summary;
use crate::paths::{display, normalize_path};
use crate::pipeline::{Pipeline, Progress};
use crate::report::Reporter;
use crate::transcript::FORMATS;

/// Runs `pipeline` over the transcripts under `paths` that `filters` select, leaving out `own` files (the
/// metadata table, the report file, …), into `sink`; `seen` is shown each input as it starts.
/// Long runs on a terminal show progress; discovery notes and a warning when nothing was found
/// follow on standard error.
pub(super) fn judge_files(
    pipeline: &Pipeline<'_>,
    paths: &[PathBuf],
    filters: &Filters,
    own: &[PathBuf],
    sink: &mut dyn Reporter,
    mut seen: impl FnMut(&Input) + Send,
    streams: &mut Streams<'_>,
) -> io::Result<Summary> {
    // Files are found as they are checked, never listed whole.
    let mut discovery = Discovery::new(paths, filters.clone());
    let inputs = (&mut discovery)
        .filter(|input| !is_own_file(input, own))
        .inspect(|input| seen(input));
    let bar = streams.err_is_terminal.then(|| Bar::start(paths, filters));
    let progress = bar.as_ref().map(|b| b as &dyn Progress);
    let (summary, _) = pipeline.run_stream(inputs, sink, progress)?;
    if let Some(bar) = &bar {
        bar.finish();
    }
    for note in discovery.notes() {
        writeln!(streams.err, "note: {note}")?;
    }
    if summary.files == 0 {
        no_transcripts_warning(paths, streams)?;
    }
    Ok(summary)
}

/// True for a file the run itself reads or writes (the `--metadata` table, the baseline, the
/// report file).
pub(super) fn is_own_file(input: &Input, own: &[PathBuf]) -> bool {
    match &input.source {
        // Names first: making every path absolute asks the system for the current folder.
        Source::File(path) => {
            own.iter().any(|file| file.file_name() == path.file_name()) && own.contains(&normalize_path(path))
        }
        _ => false,
    }
}

/// Warns that the paths held nothing to check.
pub(super) fn no_transcripts_warning(paths: &[PathBuf], streams: &mut Streams<'_>) -> io::Result<()> {
    let paths: Vec<String> = paths.iter().map(|p| display(p)).collect();
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
    )
}
