//! Command-line arguments → resolved settings: rulebooks loaded and compiled, filters built,
//! formats chosen. Everything that can be wrong with the invocation is found here, before any
//! transcript is read.

use std::fmt;
use std::path::PathBuf;

use encoding_rs::Encoding;

use crate::cli::{CheckArgs, FailOn, FormatArg, InputArgs, RulebookArgs};
use crate::decode::encoding_for_label;
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::discover::Filters;
use crate::engine::Engine;
use crate::finding::Severity;
use crate::metadata::{Metadata, Table};
use crate::report::{OutputFormat, ReportOptions};
use crate::rulebook::{Loaded, RuleSet, RulebookSource};
use crate::transcript::{Format, ParseOptions, Role, SpeakerLabels, format_by_name};

/// Why the settings could not be resolved.
#[derive(Debug)]
pub enum SettingsError {
    /// One or more rulebooks are invalid.
    Rulebooks(Diagnostics),
    /// A flag has an unusable value.
    Usage(String),
}

impl fmt::Display for SettingsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SettingsError::Rulebooks(d) => write!(f, "{d}"),
            SettingsError::Usage(message) => writeln!(f, "error: {message}"),
        }
    }
}

/// Loads the rulebooks named by `-r`, or the built-ins when there are none.
pub fn load_rulebooks(args: &RulebookArgs) -> Result<Loaded, SettingsError> {
    let loaded = if args.rules.is_empty() {
        RuleSet::builtins()
    } else {
        let sources: Vec<RulebookSource> = args.rules.iter().map(|r| RulebookSource::parse(r)).collect();
        RuleSet::load(&sources)
    };
    loaded.map_err(SettingsError::Rulebooks)
}

/// How to read transcripts, resolved from [`InputArgs`].
pub struct InputSettings {
    /// Forced input format.
    pub format: Option<&'static Format>,
    /// Forced text encoding.
    pub encoding: Option<&'static Encoding>,
    /// Parser settings: speaker labels (rulebooks' `[speakers]` plus `--speaker-map`) and CSV
    /// column names.
    pub parse_options: ParseOptions,
    /// The `--metadata` table, read before any transcript.
    pub metadata: Option<Table>,
    /// Where the `--metadata` table is, so that it is not read as a transcript.
    pub metadata_path: Option<PathBuf>,
}

impl InputSettings {
    /// Resolves input flags; `labels` are the rulebooks' speaker labels.
    pub fn from_args(args: &InputArgs, labels: &SpeakerLabels) -> Result<InputSettings, SettingsError> {
        let format = args.input_format.as_deref().and_then(format_by_name);
        let encoding = args
            .encoding
            .as_deref()
            .map(encoding_for_label)
            .transpose()
            .map_err(SettingsError::Usage)?;
        let mut parse_options = ParseOptions {
            labels: labels.clone(),
            ..ParseOptions::default()
        };
        for mapping in &args.speaker_map {
            let (label, role) = speaker_mapping(mapping).map_err(SettingsError::Usage)?;
            parse_options.labels.add(label, role);
        }
        for choice in &args.csv_column {
            let Some((field, column)) = choice.split_once('=') else {
                return Err(SettingsError::Usage(format!(
                    "--csv-column {choice}: expected FIELD=NAME, such as text=Utterance"
                )));
            };
            parse_options
                .columns
                .set(field, column)
                .map_err(SettingsError::Usage)?;
        }
        let metadata = args
            .metadata
            .as_deref()
            .map(|path| Table::load(path, &parse_options.labels))
            .transpose()
            .map_err(|e| SettingsError::Usage(format!("--metadata {e}")))?;
        Ok(InputSettings {
            format,
            encoding,
            parse_options,
            metadata,
            metadata_path: args.metadata.clone(),
        })
    }

    /// The pipeline's reading settings: format, encoding, parser options, metadata sources.
    pub fn into_parts(
        self,
    ) -> (
        Option<&'static Format>,
        Option<&'static Encoding>,
        ParseOptions,
        Metadata,
    ) {
        let metadata = Metadata::new(self.parse_options.labels.clone(), self.metadata);
        (self.format, self.encoding, self.parse_options, metadata)
    }
}

/// Everything `callcheck check` needs.
pub struct CheckSettings {
    /// The compiled rules.
    pub engine: Engine,
    /// Warnings from loading rulebooks.
    pub warnings: Vec<Diagnostic>,
    /// Paths to check.
    pub paths: Vec<PathBuf>,
    /// Folder-walking filters.
    pub filters: Filters,
    /// How to read the inputs.
    pub input: InputSettings,
    /// Report format.
    pub format: OutputFormat,
    /// Report presentation.
    pub report: ReportOptions,
    /// Severity that fails the run (`None`: never).
    pub fail_on: Option<Severity>,
    /// Worker threads.
    pub jobs: usize,
}

impl CheckSettings {
    /// Resolves `check` arguments; `color` is whether standard output gets colours.
    pub fn from_args(args: &CheckArgs, color: bool) -> Result<CheckSettings, SettingsError> {
        let (mut rules, warnings) = load_rulebooks(&args.rulebooks)?;
        rules
            .select(&args.select, &args.ignore)
            .map_err(SettingsError::Usage)?;
        let filters =
            Filters::new(&args.include, &args.exclude, args.hidden).map_err(SettingsError::Usage)?;
        let input = InputSettings::from_args(&args.input, &rules.labels)?;
        let paths = if args.paths.is_empty() {
            vec![PathBuf::from(".")]
        } else {
            args.paths.clone()
        };
        let jobs = args.jobs.map_or_else(
            || std::thread::available_parallelism().map_or(1, std::num::NonZero::get),
            usize::from,
        );
        Ok(CheckSettings {
            engine: Engine::new(rules),
            warnings,
            paths,
            filters,
            input,
            format: match args.format {
                FormatArg::Pretty => OutputFormat::Pretty,
                FormatArg::Json => OutputFormat::Json,
            },
            report: ReportOptions {
                color,
                verbose: args.verbose,
                quiet: args.quiet,
            },
            fail_on: match args.fail_on {
                FailOn::Error => Some(Severity::Error),
                FailOn::Warning => Some(Severity::Warning),
                FailOn::Info => Some(Severity::Info),
                FailOn::Never => None,
            },
            jobs,
        })
    }
}

/// Parses `--speaker-map LABEL=ROLE`.
fn speaker_mapping(mapping: &str) -> Result<(&str, Role), String> {
    let Some((label, role)) = mapping.rsplit_once('=') else {
        return Err(format!(
            "--speaker-map {mapping}: expected LABEL=ROLE, such as spk_0=agent"
        ));
    };
    let role = match role.trim().to_ascii_lowercase().as_str() {
        "agent" => Role::Agent,
        "customer" => Role::Customer,
        "system" => Role::System,
        "other" => Role::Other,
        other => {
            return Err(format!(
                "--speaker-map {mapping}: unknown role `{other}`; expected agent, customer, system \
                 or other"
            ));
        }
    };
    let label = label.trim().trim_matches('"');
    if label.is_empty() {
        return Err(format!("--speaker-map {mapping}: the label is empty"));
    }
    Ok((label, role))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn speaker_mappings() {
        assert_eq!(speaker_mapping("spk_0=agent"), Ok(("spk_0", Role::Agent)));
        assert_eq!(
            speaker_mapping("\"Jane Doe\"=Customer"),
            Ok(("Jane Doe", Role::Customer))
        );
        assert!(
            speaker_mapping("spk_0")
                .unwrap_err()
                .contains("expected LABEL=ROLE")
        );
        assert!(
            speaker_mapping("spk_0=boss")
                .unwrap_err()
                .contains("unknown role `boss`")
        );
        assert!(
            speaker_mapping("=agent")
                .unwrap_err()
                .contains("the label is empty")
        );
    }
}
