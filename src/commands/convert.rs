//! `callcheck convert`: read transcripts in any supported format and print them as callcheck
//! JSON Lines, one transcript per line, so people can see how callcheck read an export (speakers,
//! roles, merged turns, metadata) and pipelines can normalise exports once.

use super::files::is_own_file;
use super::{Outcome, Streams};
use crate::cli::{ConfigArgs, ConvertArgs};
use crate::discover::{Filters, discover};
use crate::engine::Engine;
use crate::exit::ExitStatus;
use crate::pipeline::{Pipeline, input_file, read_bytes};
use crate::settings::{InputSettings, load_config, load_rulebooks, roles_mode};
use crate::transcript::Transcript;
use crate::transcript::callcheck_json::to_json;

pub(super) fn run(args: &ConvertArgs, config: &ConfigArgs, streams: &mut Streams<'_>) -> Outcome {
    // The project configuration's `[speakers]` apply, as they do to `check`.
    let settings = load_config(config).and_then(|config| {
        let config = config.map(|(config, _)| config);
        let (roles, _) = roles_mode(&args.input, config.as_ref());
        load_rulebooks(&args.rulebooks, config.as_ref()).and_then(|(rules, _)| {
            InputSettings::from_args(&args.input, &rules.labels, roles).map(|mut input| {
                input.channel_from(config.as_ref());
                (rules, input)
            })
        })
    });
    let (rules, input) = settings?;
    let mut inputs = discover(&args.paths, &Filters::default());
    let own: Vec<std::path::PathBuf> = input
        .metadata_path
        .iter()
        .map(|p| crate::paths::normalize_path(p))
        .collect();
    inputs.retain(|i| !is_own_file(i, &own));
    let engine = Engine::new(rules);
    let pipeline = Pipeline::new(&engine, input.into_options());
    let mut status = ExitStatus::Clean;
    for input in &inputs {
        let read = read_bytes(input).and_then(|bytes| {
            pipeline
                .read(input_file(input), pipeline.format, &bytes)
                .map(|read| read.transcripts)
        });
        match read {
            Ok(mut transcripts) => {
                keep_identity(&mut transcripts, &input.display);
                for transcript in &transcripts {
                    writeln!(streams.out, "{}", to_json(transcript))?;
                }
            }
            Err(e) => {
                writeln!(streams.err, "{}: error: {e}", input.display)?;
                status = ExitStatus::Error;
            }
        }
    }
    streams.out.flush()?;
    Ok(status)
}

/// Calls keep their identity on the way into a table: each records the file it came from
/// (`source` in its metadata) and, without a call id of its own, is named by that path
/// (`path#N` for the N-th call of a file holding several), so results name the same call the
/// same way in every partition of a data-lake job.
fn keep_identity(transcripts: &mut [Transcript], path: &str) {
    let single = transcripts.len() == 1;
    for (i, transcript) in transcripts.iter_mut().enumerate() {
        transcript
            .metadata
            .entry("source".into())
            .or_insert_with(|| path.to_string());
        if !transcript.metadata.contains_key("call_id") {
            let id = if single {
                path.to_string()
            } else {
                format!("{path}#{}", i + 1)
            };
            transcript.metadata.insert("call_id".into(), id);
        }
    }
}
