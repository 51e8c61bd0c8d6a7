//! `callcheck config`: the resolved configuration and where each value comes from.

use super::{Outcome, Streams};
use crate::cli::{CheckArgs, ConfigArgs};
use crate::exit::ExitStatus;
use crate::report::table::render;
use crate::settings::CheckSettings;

pub(super) fn run(args: &CheckArgs, config: &ConfigArgs, streams: &mut Streams<'_>) -> Outcome {
    let settings = CheckSettings::from_args(args, config, false)?;
    for warning in &settings.run.warnings {
        write!(streams.err, "{warning}")?;
    }
    match &settings.run.config_file {
        Some(file) => writeln!(streams.out, "Configuration file: {file}\n")?,
        None if config.no_config => writeln!(streams.out, "Configuration file: none (--no-config)\n")?,
        None => writeln!(
            streams.out,
            "Configuration file: none found (searched for callcheck.toml and .callcheck.toml upward \
             from the current folder)\n"
        )?,
    }
    let mut rows = vec![vec![
        "SETTING".to_string(),
        "VALUE".to_string(),
        "FROM".to_string(),
    ]];
    for (key, value, origin) in settings.run.provenance() {
        rows.push(vec![key.to_string(), value.clone(), origin.to_string()]);
    }
    write!(streams.out, "{}", render(&rows))?;
    let rules = settings.run.engine.rules();
    writeln!(
        streams.out,
        "\n{} of {} rules enabled; `callcheck rules list` shows them.",
        rules.enabled_rules().count(),
        rules.rules.len()
    )?;
    writeln!(
        streams.out,
        "Speaker roles: --speaker-map and [speakers] labels win, then role words in the labels \
         (Agent, 客服) and the formats' role fields, then {}.",
        match settings.run.input.roles.mode() {
            crate::roles::Mode::Infer => "inference from what each speaker says (roles = infer)",
            crate::roles::Mode::Strict => "nothing: roles = strict, so other speakers get no role",
        }
    )?;
    Ok(ExitStatus::Clean)
}
