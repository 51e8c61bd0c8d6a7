//! Command-line arguments + project configuration → resolved settings: rulebooks loaded and
//! compiled, filters built, formats chosen. Everything that can be wrong with the invocation is
//! found here, before any transcript is read.
//!
//! Precedence, for every value: a command-line flag, else `callcheck.toml`, else the default.
//! Each resolved value keeps its [`Origin`], which `callcheck config` prints.

use std::fmt;
use std::path::{Path, PathBuf};

use encoding_rs::Encoding;

use crate::baseline::Baseline;
use crate::cli::{
    ChannelArg, CheckArgs, ConfigArgs, FailOn, InputArgs, RolesArg, RuleFilterArgs, RulebookArgs, ScopeArgs,
};
use crate::config::{self, Config, Origin, Setting};
use crate::decode::encoding_for_label;
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::discover::Filters;
use crate::engine::Engine;
use crate::finding::Severity;
use crate::fingerprint::ProjectRoot;
use crate::metadata::{Metadata, Table};
use crate::paths::Globs;
use crate::pipeline::InputOptions;
use crate::problem::Problem;
use crate::report::{OutputFormat, ReportOptions, RuleInfo, RunInfo};
use crate::roles::{Inferrer, Mode};
use crate::rulebook::{Loaded, ProjectLists, RuleSet, RulebookSource};
use crate::suppress;
use crate::transcript::{Channel, Format, ParseOptions, Role, SpeakerLabels};

/// Why the settings could not be resolved.
#[derive(Debug)]
pub enum SettingsError {
    /// One or more rulebooks (or the configuration file) are invalid.
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

/// A problem with a flag's value is a usage error.
impl From<Problem> for SettingsError {
    fn from(problem: Problem) -> SettingsError {
        SettingsError::Usage(problem.into_message())
    }
}

/// The project configuration in force: `--config FILE`, else the nearest `callcheck.toml` or
/// `.callcheck.toml` upward from the current folder, unless `--no-config`.
pub fn load_config(args: &ConfigArgs) -> Result<Option<(Config, Vec<Diagnostic>)>, SettingsError> {
    if args.no_config {
        return Ok(None);
    }
    let path = match &args.config {
        Some(path) => path.clone(),
        None => {
            let Some(found) = std::env::current_dir().ok().and_then(|cwd| config::find(&cwd)) else {
                return Ok(None);
            };
            // Relative to the current folder, so paths in messages and reports stay short.
            let dir = found.parent().map(crate::paths::reach).unwrap_or_default();
            dir.join(found.file_name().unwrap_or_default())
        }
    };
    Config::load(&path).map(Some).map_err(SettingsError::Rulebooks)
}

/// The rulebooks to load: `-r` flags, else the configuration's `builtin` and `rulebooks`, else
/// the built-ins. Returns them with their origin and the folder `extends` may not leave.
fn rulebook_sources(
    args: &RulebookArgs,
    config: Option<&Config>,
) -> (Vec<RulebookSource>, Origin, Option<PathBuf>) {
    if !args.rules.is_empty() {
        let sources = args.rules.iter().map(|r| RulebookSource::parse(r)).collect();
        return (sources, Origin::Flag("-r"), None);
    }
    if let Some(config) = config
        && (config.builtin.is_some() || config.rulebooks.is_some())
    {
        let mut sources: Vec<RulebookSource> = Vec::new();
        let mut origin = Origin::Default;
        if let Some(Setting { value, origin: o }) = &config.builtin {
            sources.extend(value.iter().map(|n| RulebookSource::Builtin(n.clone())));
            origin = o.clone();
        }
        if let Some(Setting { value, origin: o }) = &config.rulebooks {
            sources.extend(value.iter().map(|p| RulebookSource::Path(p.clone())));
            if origin == Origin::Default {
                origin = o.clone();
            }
        }
        return (sources, origin, Some(config.root.clone()));
    }
    let sources = crate::rulebook::builtin::BUILTINS
        .iter()
        .map(|b| RulebookSource::Builtin(b.name.to_string()))
        .collect();
    (sources, Origin::Default, None)
}

/// Loads the rulebooks named by `-r`, else by the project configuration, else the built-ins;
/// the configuration's `[rules]` levels and `[speakers]` are applied.
pub fn load_rulebooks(args: &RulebookArgs, config: Option<&Config>) -> Result<Loaded, SettingsError> {
    load_rulebooks_with(args, config, false)
}

/// [`load_rulebooks`] for testing rulebooks' examples: the configuration's `[lists]` only fill
/// in lists a rulebook does not define, since the examples are written against its own.
pub fn load_rulebooks_for_examples(
    args: &RulebookArgs,
    config: Option<&Config>,
) -> Result<Loaded, SettingsError> {
    load_rulebooks_with(args, config, true)
}

fn load_rulebooks_with(
    args: &RulebookArgs,
    config: Option<&Config>,
    fill: bool,
) -> Result<Loaded, SettingsError> {
    let (sources, _, root) = rulebook_sources(args, config);
    let lists = config.map(Config::word_lists).unwrap_or_default();
    let lists = if fill {
        ProjectLists::Fill(&lists)
    } else {
        ProjectLists::Replace(&lists)
    };
    let (mut rules, mut warnings) =
        RuleSet::load_configured(&sources, root.as_deref(), lists).map_err(SettingsError::Rulebooks)?;
    if let Some(config) = config {
        warnings.extend(apply_config(&mut rules, config).0);
    }
    Ok((rules, warnings))
}

/// Adds the configuration's speaker labels and applies its `[rules]` levels; returns warnings
/// and the level it sets for unused suppressions, if any.
fn apply_config(
    rules: &mut RuleSet,
    config: &Config,
) -> (Vec<Diagnostic>, Option<Setting<Option<Severity>>>) {
    for (role, label, _) in &config.speakers {
        rules.labels.add(label, *role);
    }
    for (name, _) in &config.companies {
        rules.labels.add_company(name);
    }
    config.apply_levels(rules)
}

/// How to read transcripts, resolved from [`InputArgs`].
#[derive(Clone)]
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
    /// The channel of calls that do not say (`--channel`, `channel` in callcheck.toml).
    pub channel: Option<Channel>,
    /// Decides the speaker roles labels do not give (`--roles`).
    pub roles: Inferrer,
    /// `[template_roles]` of callcheck.toml: a role and the templates that have it.
    pub template_roles: Vec<(String, crate::paths::Globs)>,
}

/// The roles mode: `--roles`, else `roles` in callcheck.toml, else inference; with its origin.
pub fn roles_mode(args: &InputArgs, config: Option<&Config>) -> (Mode, Origin) {
    pick(
        args.roles.map(|r| match r {
            RolesArg::Infer => Mode::Infer,
            RolesArg::Strict => Mode::Strict,
        }),
        "--roles",
        config.and_then(|c| c.roles.as_ref()),
        Mode::Infer,
    )
}

impl InputSettings {
    /// Resolves input flags; `labels` are the rulebooks' speaker labels (and the company's
    /// names), `roles` whether roles the labels do not give are inferred.
    pub fn from_args(
        args: &InputArgs,
        labels: &SpeakerLabels,
        roles: Mode,
    ) -> Result<InputSettings, SettingsError> {
        let format = args.input_format;
        let encoding = args.encoding.as_deref().map(encoding_for_label).transpose()?;
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
            parse_options.columns.set(field, column)?;
        }
        let metadata = args
            .metadata
            .as_deref()
            .map(|path| Table::load(path, &parse_options.labels))
            .transpose()
            .map_err(|e| SettingsError::Usage(format!("--metadata {e}")))?;
        let roles = Inferrer::new(roles, parse_options.labels.companies())?;
        Ok(InputSettings {
            format,
            encoding,
            parse_options,
            metadata,
            metadata_path: args.metadata.clone(),
            roles,
            channel: args.channel.map(|c| match c {
                ChannelArg::Voice => Channel::Voice,
                ChannelArg::Chat => Channel::Chat,
            }),
            template_roles: Vec::new(),
        })
    }

    /// Takes the configuration's `[template_roles]`, with globs relative to its folder; returns
    /// them as text for `callcheck config`, with where they came from.
    pub fn template_roles_from(
        &mut self,
        config: Option<&Config>,
    ) -> Result<(String, Origin), SettingsError> {
        let Some(config) = config.filter(|c| !c.template_roles.is_empty()) else {
            return Ok(("(from each template)".into(), Origin::Default));
        };
        let mut shown = Vec::new();
        for (role, globs, _) in &config.template_roles {
            if let Some(compiled) = Globs::new(globs, "template_roles", Some(&config.root))? {
                self.template_roles.push((role.clone(), compiled));
            }
            shown.push(format!("{role}: {}", globs.join(", ")));
        }
        Ok((shown.join("; "), config.template_roles[0].2.clone()))
    }

    /// Takes the configuration's `channel` when no `--channel` was given; returns the value
    /// and where it came from, for `callcheck config`.
    pub fn channel_from(&mut self, config: Option<&Config>) -> (Option<Channel>, Origin) {
        if self.channel.is_some() {
            return (self.channel, Origin::Flag("--channel"));
        }
        match config.and_then(|c| c.channel.as_ref()) {
            Some(setting) => {
                self.channel = Some(setting.value);
                (self.channel, setting.origin.clone())
            }
            None => (None, Origin::Default),
        }
    }

    /// The pipeline's reading options: format, encoding, parser options, metadata sources and
    /// the roles stage.
    pub fn into_options(self) -> InputOptions {
        let metadata = Metadata::new(self.parse_options.labels.clone(), self.metadata)
            .with_default_channel(self.channel)
            .with_template_roles(self.template_roles);
        InputOptions {
            format: self.format,
            encoding: self.encoding,
            parse_options: self.parse_options,
            metadata,
            roles: self.roles,
        }
    }
}

/// Everything a command that reads and judges calls needs (`check`, `report`, `eval`,
/// `config`, the language server and the embedding API): rules, files, reading, threads.
pub struct RunSettings {
    /// The compiled rules.
    pub engine: Engine,
    /// Warnings from loading rulebooks and the configuration.
    pub warnings: Vec<Diagnostic>,
    /// Paths to check.
    pub paths: Vec<PathBuf>,
    /// Folder-walking filters (and the forced format).
    pub filters: Filters,
    /// How to read the inputs.
    pub input: InputSettings,
    /// Worker threads.
    pub jobs: usize,
    /// Severity of unused suppressions (`None`: off).
    pub unused_suppression: Option<Severity>,
    /// The configuration file in force, as shown to the user.
    pub config_file: Option<String>,
    /// The folder of `callcheck.toml`, else the current folder: CI reports name files
    /// relative to it and fingerprints are built from it.
    pub project_root: ProjectRoot,
    /// Each single-valued setting as text and where it came from, for `callcheck config`.
    provenance: Vec<Provenance>,
    /// The configuration's `[rules]`, `[speakers]` and `[lists]` entries, listed after them.
    listed: Vec<Provenance>,
}

/// A setting's name, its value as text and where the value came from.
pub type Provenance = (&'static str, String, Origin);

/// Everything `callcheck check` needs: the shared run settings plus where the report goes and
/// what fails the run.
pub struct CheckSettings {
    /// Rules, files, reading and threads.
    pub run: RunSettings,
    /// Report format.
    pub format: OutputFormat,
    /// Report presentation.
    pub report: ReportOptions,
    /// Severity that fails the run (`None`: never).
    pub fail_on: Option<Severity>,
    /// Write the report to this file instead of standard output.
    pub output: Option<PathBuf>,
    /// The baseline file of findings already accepted (read by [`CheckSettings::baseline`]).
    pub baseline: Option<PathBuf>,
    /// Record the run's findings in this file.
    pub write_baseline: Option<PathBuf>,
}

/// Resolution in progress: each step takes flags, falls back on the configuration, and records
/// what it chose and where from.
struct Layers<'c> {
    config: Option<&'c Config>,
    warnings: Vec<Diagnostic>,
    provenance: Vec<Provenance>,
    listed: Vec<Provenance>,
}

impl Layers<'_> {
    /// Loads the rulebooks, applies `--select`/`--ignore` and the configuration's `[rules]`;
    /// also returns the severity of unused suppressions (`None`: off).
    fn rules(
        &mut self,
        rulebooks: &RulebookArgs,
        filter: &RuleFilterArgs,
    ) -> Result<(RuleSet, Option<Severity>), SettingsError> {
        let (sources, rulebooks_origin, root) = rulebook_sources(rulebooks, self.config);
        let lists = self.config.map(Config::word_lists).unwrap_or_default();
        let (mut rules, rulebook_warnings) =
            RuleSet::load_configured(&sources, root.as_deref(), ProjectLists::Replace(&lists))
                .map_err(SettingsError::Rulebooks)?;
        self.warnings.extend(rulebook_warnings);
        let shown_sources: Vec<String> = sources
            .iter()
            .map(|s| match s {
                RulebookSource::Builtin(name) => format!("builtin:{name}"),
                RulebookSource::Path(path) => crate::paths::display(path),
            })
            .collect();
        self.provenance
            .push(("rulebooks", shown_sources.join(", "), rulebooks_origin));

        let (select, ignore): (Vec<String>, Vec<String>) = (
            filter.select.iter().filter(|s| !is_pseudo(s)).cloned().collect(),
            filter.ignore.iter().filter(|s| !is_pseudo(s)).cloned().collect(),
        );
        rules.select(&select, &ignore)?;
        // `[rules]` and `[speakers]` entries are listed after the single-valued settings.
        let mut unused = Setting {
            value: Some(Severity::Warning),
            origin: Origin::Default,
        };
        if let Some(config) = self.config {
            let (level_warnings, configured) = apply_config(&mut rules, config);
            self.warnings.extend(level_warnings);
            if let Some(configured) = configured {
                unused = configured;
            }
            for entry in &config.rules {
                let level = entry.level.map_or("off", Severity::as_str);
                self.listed.push((
                    "rules",
                    format!("{} = {level}", entry.pattern),
                    entry.origin.clone(),
                ));
            }
            for (role, label, origin) in &config.speakers {
                self.listed
                    .push(("speakers", format!("{role}: {label}"), origin.clone()));
            }
            for (name, origin) in &config.companies {
                self.listed
                    .push(("speakers", format!("company: {name}"), origin.clone()));
            }
            for (name, words, origin) in &config.lists {
                self.listed
                    .push(("lists", format!("{name} = {}", words.join(", ")), origin.clone()));
            }
        }
        let pseudo_ignored = filter.ignore.iter().any(|s| is_pseudo(s))
            || (!filter.select.is_empty() && !filter.select.iter().any(|s| is_pseudo(s)));
        if pseudo_ignored {
            unused = Setting {
                value: None,
                origin: Origin::Flag("--select/--ignore"),
            };
        }
        self.provenance.push((
            "unused-suppression",
            unused.value.map_or("off", Severity::as_str).to_string(),
            unused.origin,
        ));
        let unused_suppression = unused.value;
        Ok((rules, unused_suppression))
    }

    /// The paths to check and the filters for walking folders (with the forced input format).
    fn files(
        &mut self,
        paths: &[PathBuf],
        scope: &ScopeArgs,
    ) -> Result<(Vec<PathBuf>, Filters), SettingsError> {
        let (paths, paths_origin) = if paths.is_empty() {
            match self.config.and_then(|c| c.paths.as_ref()) {
                Some(s) => (s.value.clone(), s.origin.clone()),
                None => (vec![PathBuf::from(".")], Origin::Default),
            }
        } else {
            (paths.to_vec(), Origin::Flag("PATH"))
        };
        self.provenance
            .push(("paths", shown_paths(&paths).join(", "), paths_origin));

        let base = self.config.map(|c| c.root.as_path());
        let glob_setting =
            |flag: &[String], name: &'static str, configured: Option<&Setting<Vec<String>>>| {
                if !flag.is_empty() {
                    (flag.to_vec(), None, Origin::Flag(name))
                } else if let Some(s) = configured {
                    (s.value.clone(), base, s.origin.clone())
                } else {
                    (Vec::new(), None, Origin::Default)
                }
            };
        let (include, include_base, include_origin) = glob_setting(
            &scope.include,
            "--include",
            self.config.and_then(|c| c.include.as_ref()),
        );
        let (exclude, exclude_base, exclude_origin) = glob_setting(
            &scope.exclude,
            "--exclude",
            self.config.and_then(|c| c.exclude.as_ref()),
        );
        let (templates, templates_base, templates_origin) =
            glob_setting(&[], "", self.config.and_then(|c| c.templates.as_ref()));
        self.provenance
            .push(("include", list_or(&include, "(every file)"), include_origin));
        self.provenance
            .push(("exclude", list_or(&exclude, "(nothing)"), exclude_origin));
        self.provenance
            .push(("templates", list_or(&templates, "(none)"), templates_origin));

        let forced = scope.input.input_format;
        let (input_format, input_origin) = pick(
            forced.map(Some),
            "--input-format",
            self.config
                .and_then(|c| c.input_format.as_ref())
                .map(|s| Setting {
                    value: Some(s.value),
                    origin: s.origin.clone(),
                })
                .as_ref(),
            None,
        );
        self.provenance.push((
            "input_format",
            input_format.map_or("(by extension)", |f| f.name).to_string(),
            input_origin,
        ));
        let filters = Filters {
            include: Globs::new(&include, "--include", include_base)?,
            exclude: Globs::new(&exclude, "--exclude", exclude_base)?,
            templates: Globs::new(&templates, "templates", templates_base)?,
            hidden: scope.hidden,
            format: input_format,
        };
        Ok((paths, filters))
    }

    /// How to read the inputs: `args` with the configuration's roles, channel and template
    /// roles; `labels` are the rulebooks' speaker labels, `format` the forced format.
    fn input(
        &mut self,
        args: &InputArgs,
        labels: &SpeakerLabels,
        format: Option<&'static Format>,
    ) -> Result<InputSettings, SettingsError> {
        let (roles, roles_origin) = roles_mode(args, self.config);
        self.provenance
            .push(("roles", roles.as_str().to_string(), roles_origin));
        let mut input = InputSettings::from_args(args, labels, roles)?;
        input.format = format;
        let (channel, channel_origin) = input.channel_from(self.config);
        let (roles_shown, roles_origin) = input.template_roles_from(self.config)?;
        self.provenance
            .push(("template_roles", roles_shown, roles_origin));
        self.provenance.push((
            "channel",
            channel
                .map_or("(from each call; voice when it does not say)", Channel::as_str)
                .to_string(),
            channel_origin,
        ));
        Ok(input)
    }
}

/// A flag's value if given, else the configuration's, else the default, with its origin.
fn pick<T: Clone>(
    flag: Option<T>,
    name: &'static str,
    configured: Option<&Setting<T>>,
    default: T,
) -> (T, Origin) {
    match (flag, configured) {
        (Some(value), _) => (value, Origin::Flag(name)),
        (None, Some(setting)) => (setting.value.clone(), setting.origin.clone()),
        (None, None) => (default, Origin::Default),
    }
}

fn list_or(values: &[String], empty: &str) -> String {
    if values.is_empty() {
        empty.to_string()
    } else {
        values.join(", ")
    }
}

fn shown_paths(paths: &[PathBuf]) -> Vec<String> {
    paths.iter().map(|p| crate::paths::display(p)).collect()
}

impl RunSettings {
    /// Resolves the arguments shared by the commands that judge calls, with the project
    /// configuration `config_args` selects.
    pub fn from_args(
        paths: &[PathBuf],
        rulebooks: &RulebookArgs,
        scope: &ScopeArgs,
        config_args: &ConfigArgs,
    ) -> Result<RunSettings, SettingsError> {
        let (config, warnings) = load_config(config_args)?.map_or((None, Vec::new()), |(c, w)| (Some(c), w));
        RunSettings::resolve(paths, rulebooks, scope, config.as_ref(), warnings)
    }

    /// Resolves the shared arguments against a loaded configuration (`None`: none in force).
    fn resolve(
        paths: &[PathBuf],
        rulebooks: &RulebookArgs,
        scope: &ScopeArgs,
        config: Option<&Config>,
        warnings: Vec<Diagnostic>,
    ) -> Result<RunSettings, SettingsError> {
        let mut layers = Layers {
            config,
            warnings,
            provenance: Vec::new(),
            listed: Vec::new(),
        };
        let (rules, unused_suppression) = layers.rules(rulebooks, &scope.rules)?;
        let (paths, filters) = layers.files(paths, scope)?;
        // After the configuration's `[speakers]`: `--speaker-map` adds to them.
        let input = layers.input(&scope.input, &rules.labels, filters.format)?;
        let jobs = scope.jobs.map_or_else(
            || std::thread::available_parallelism().map_or(1, std::num::NonZero::get),
            usize::from,
        );
        Ok(RunSettings {
            engine: Engine::new(rules),
            warnings: layers.warnings,
            paths,
            filters,
            input,
            jobs,
            unused_suppression,
            config_file: config.map(|c| c.display.clone()),
            project_root: config.map_or_else(ProjectRoot::default, |c| ProjectRoot::new(&c.root)),
            provenance: layers.provenance,
            listed: layers.listed,
        })
    }

    /// What reporters need to know about the run; `fail_on` is the severity that fails it.
    pub fn run_info(&self, fail_on: Option<Severity>) -> RunInfo {
        let extra = self
            .unused_suppression
            .map(|severity| RuleInfo {
                id: suppress::UNUSED_RULE.to_string(),
                kind: "suppression".to_string(),
                severity,
                title: Some("Unused or unknown suppression comment".into()),
                message: None,
                guideline: None,
                help: suppress::UNUSED_HELP.to_string(),
                tags: Vec::new(),
            })
            .into_iter()
            .collect();
        let mut run = RunInfo::new(self.engine.rules(), extra, fail_on);
        run.root = self.project_root.clone();
        run
    }

    /// Each setting's value as text and where it came from, in `callcheck config`'s order.
    pub fn provenance(&self) -> impl Iterator<Item = &Provenance> {
        self.provenance.iter().chain(&self.listed)
    }
}

impl CheckSettings {
    /// Resolves `check` arguments with the project configuration; `color` is whether standard
    /// output gets colours.
    pub fn from_args(
        args: &CheckArgs,
        config_args: &ConfigArgs,
        color: bool,
    ) -> Result<CheckSettings, SettingsError> {
        let (config, warnings) = load_config(config_args)?.map_or((None, Vec::new()), |(c, w)| (Some(c), w));
        let config = config.as_ref();
        let mut run = RunSettings::resolve(&args.paths, &args.rulebooks, &args.scope, config, warnings)?;
        let provenance = &mut run.provenance;
        let (format, format_origin) = pick(
            args.format,
            "--format",
            config.and_then(|c| c.format.as_ref()),
            OutputFormat::Pretty,
        );
        provenance.push(("format", format.name().to_string(), format_origin));
        let (fail_on, fail_on_origin) = pick(
            args.fail_on.map(|f| match f {
                FailOn::Error => Some(Severity::Error),
                FailOn::Warning => Some(Severity::Warning),
                FailOn::Info => Some(Severity::Info),
                FailOn::Never => None,
            }),
            "--fail-on",
            config.and_then(|c| c.fail_on.as_ref()),
            Some(Severity::Error),
        );
        provenance.push((
            "fail_on",
            fail_on.map_or("never", Severity::as_str).to_string(),
            fail_on_origin,
        ));

        let (baseline_path, baseline_origin) = pick(
            args.baseline.clone().map(Some),
            "--baseline",
            config
                .and_then(|c| c.baseline.as_ref())
                .map(|s| Setting {
                    value: Some(s.value.clone()),
                    origin: s.origin.clone(),
                })
                .as_ref(),
            None,
        );
        provenance.push((
            "baseline",
            baseline_path
                .as_deref()
                .map_or("(none)".to_string(), crate::paths::display),
            baseline_origin,
        ));
        if let Some(output) = &args.output {
            check_writable(output, "--output")?;
        }
        if let Some(path) = &args.write_baseline {
            check_writable(path, "--write-baseline")?;
        }

        Ok(CheckSettings {
            run,
            format,
            report: ReportOptions {
                color,
                verbose: args.verbose,
                quiet: args.quiet,
            },
            fail_on,
            output: args.output.clone(),
            baseline: baseline_path,
            write_baseline: args.write_baseline.clone(),
        })
    }

    /// Reads the baseline, if there is one. A missing baseline is an error, except while
    /// `--write-baseline` is about to create it.
    pub fn baseline(&self) -> Result<Option<Baseline>, Problem> {
        let Some(path) = &self.baseline else {
            return Ok(None);
        };
        if self.write_baseline.is_some() && !path.exists() {
            return Ok(None);
        }
        Baseline::load(path).map(Some)
    }

    /// What reporters need to know about the run.
    pub fn run_info(&self) -> RunInfo {
        self.run.run_info(self.fail_on)
    }
}

/// True for callcheck's own rule ids, which `--select`/`--ignore` accept beside loaded rules.
fn is_pseudo(pattern: &str) -> bool {
    pattern == "callcheck" || pattern.starts_with("callcheck/")
}

/// Fails early when a report or baseline could not be written, before checking anything.
pub(crate) fn check_writable(path: &Path, flag: &str) -> Result<(), SettingsError> {
    let parent = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    if path.is_dir() {
        return Err(SettingsError::Usage(format!(
            "{flag} {}: is a folder; give a file name",
            path.display()
        )));
    }
    if !parent.is_dir() {
        return Err(SettingsError::Usage(format!(
            "{flag} {}: the folder {} does not exist",
            path.display(),
            parent.display()
        )));
    }
    Ok(())
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
