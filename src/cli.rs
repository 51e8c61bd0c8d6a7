//! The command line: clap definitions only. [`crate::commands`] turns them into settings and
//! runs them; the pipeline modules never see these types.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

const ABOUT: &str = "Check call-centre transcripts against script-compliance rulebooks";

const LONG_ABOUT: &str = "\
Check call-centre transcripts against script-compliance rulebooks.

callcheck reads transcripts (plain text with speaker labels, callcheck JSON/JSON Lines, WebVTT,
SRT, CSV/TSV, Amazon Connect Contact Lens, Amazon Transcribe, Google CCAI Insights; UTF-8, UTF-16,
GB18030/GBK or Big5), in English and Chinese, applies rulebooks of required phrases, forbidden
phrases, ordering and hang-up rules, and reports every violation with the offending line. Without
-r it uses the built-in rulebooks (zh-telephone, en-telephone).";

const CHECK_EXAMPLES: &str = "\
Examples:
  callcheck check calls/                      check a folder with the built-in rulebooks
  callcheck check calls/ -r rules/acme.toml   use your own rulebook
  callcheck check calls/ --format json        machine-readable report
  callcheck check calls/ --fail-on warning    fail the run on warnings too
  callcheck check - < call.txt                check one transcript from standard input
  callcheck check - --input-format jsonl < calls.jsonl   many transcripts from standard input
  callcheck check exports/ --speaker-map spk_0=agent,spk_1=customer   name Transcribe speakers
  callcheck check exports/ --format json      roles of spk_0/spk_1 inferred per call (see `roles`)
  callcheck check calls/ --metadata contacts.csv   who hung up, agent, team… by call id

Speaker roles: --speaker-map and [speakers] win, then role words in the labels (Agent, 客服),
then inference from what each speaker says; --roles strict turns inference off.

Exit status: 0 no finding at or above --fail-on; 1 such findings; 2 usage error, invalid
rulebook, a transcript that could not be read or parsed, or a call that was not checked because
no speaker could be identified as the agent (every other file is still checked).";

/// `callcheck`: the top-level command.
#[derive(Debug, Parser)]
#[command(
    name = "callcheck",
    version,
    about = ABOUT,
    long_about = LONG_ABOUT,
    propagate_version = true,
    arg_required_else_help = true
)]
pub struct Cli {
    /// The subcommand.
    #[command(subcommand)]
    pub command: Command,

    /// When to use colours: auto (on a terminal, unless NO_COLOR is set), always, never.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, global = true, value_name = "WHEN")]
    pub color: ColorChoice,

    /// Project configuration.
    #[command(flatten)]
    pub config: ConfigArgs,
}

/// Which project configuration file to use.
#[derive(Debug, Args, Clone, Default)]
pub struct ConfigArgs {
    /// Use this configuration file instead of searching for callcheck.toml / .callcheck.toml
    /// upward from the current folder.
    #[arg(long, global = true, value_name = "FILE", conflicts_with = "no_config")]
    pub config: Option<PathBuf>,

    /// Ignore configuration files: only flags and defaults apply.
    #[arg(long, global = true)]
    pub no_config: bool,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check transcripts against rulebooks and report violations.
    #[command(after_help = CHECK_EXAMPLES)]
    Check(Box<CheckArgs>),
    /// Summarise scores and findings of many calls by rule, agent, team, date or file, for
    /// trainers and QA leads (terminal table, CSV, Markdown, JSON or an HTML page).
    #[command(after_help = REPORT_EXAMPLES)]
    Report(Box<ReportArgs>),
    /// Measure rules against calls people labelled: precision, recall and F1 per check and per
    /// rule, and every disagreement.
    #[command(after_help = EVAL_EXAMPLES)]
    Eval(Box<EvalArgs>),
    /// List, explain and test rules.
    #[command(subcommand)]
    Rules(RulesCommand),
    /// Read transcripts in any supported format and print them as callcheck JSON Lines.
    #[command(after_help = CONVERT_EXAMPLES)]
    Convert(ConvertArgs),
    /// Write a commented starter callcheck.toml and rulebook (never overwrites files).
    Init(InitArgs),
    /// Print the resolved configuration and where each value comes from.
    ///
    /// Takes the options of `check`, which override the configuration file.
    Config(CheckArgs),
    /// Run a language server over standard input and output, for editors: diagnostics as
    /// templates, transcripts, rulebooks and callcheck.toml are edited, rule explanations on
    /// hover, quick fixes (see docs/editors.md).
    Lsp(LspArgs),
    /// Print a shell completion script.
    Completions(CompletionsArgs),
    /// Print the manual page (roff), e.g. `callcheck man > callcheck.1`.
    Man,
}

/// `callcheck init`.
#[derive(Debug, Args)]
pub struct InitArgs {
    /// Folder to write the starter files into.
    #[arg(value_name = "DIR", default_value = ".")]
    pub dir: PathBuf,
}

/// `callcheck lsp`.
#[derive(Debug, Args)]
pub struct LspArgs {
    /// Talk over standard input and output (the only transport; accepted because editors'
    /// LSP clients often pass it).
    #[arg(long)]
    pub stdio: bool,
}

/// `callcheck completions`.
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell.
    #[arg(value_enum, value_name = "SHELL")]
    pub shell: clap_complete::Shell,
}

const CONVERT_EXAMPLES: &str = "\
Examples:
  callcheck convert export.json                     how callcheck reads an export
  callcheck convert calls/ > calls.jsonl            many files into one JSON Lines stream
  callcheck convert call.json --speaker-map spk_0=agent --metadata contacts.csv

Each line is one transcript in callcheck's JSON format (docs/formats.md), with the metadata of
sidecars and tables merged in, and `roles`: how the speakers' roles were decided (source,
confidence, map), what inference saw in each speaker (evidence) and, when no speaker could be
identified as the agent, why `check` would not check the call (not_checked). Exit status: 0 all
read; 2 a file could not be read (the others are still converted).";

/// `callcheck convert`.
#[derive(Debug, Args)]
pub struct ConvertArgs {
    /// Transcript files or folders (searched recursively); "-" reads standard input.
    #[arg(value_name = "PATH", required = true)]
    pub paths: Vec<PathBuf>,

    /// Rulebooks whose `[speakers]` labels map speakers to roles (default: the built-ins).
    #[command(flatten)]
    pub rulebooks: RulebookArgs,

    /// How to read the inputs.
    #[command(flatten)]
    pub input: InputArgs,
}

/// Rulebooks to load.
#[derive(Debug, Args, Clone, Default)]
pub struct RulebookArgs {
    /// Rulebook file, folder of .toml rulebooks, or builtin:NAME; repeatable. Without it the
    /// built-in rulebooks are used.
    #[arg(short = 'r', long = "rules", value_name = "FILE|DIR")]
    pub rules: Vec<String>,
}

/// Which rules run (shared by `check`, `report`, `config` and `eval`).
#[derive(Debug, Args, Clone, Default)]
pub struct RuleFilterArgs {
    /// Only run these rules: full ids, globs over ids (zh-telephone/*, */you-must) or rulebook
    /// ids; repeatable or comma-separated.
    #[arg(long, value_name = "ID|GLOB", value_delimiter = ',')]
    pub select: Vec<String>,

    /// Skip these rules (same forms as --select).
    #[arg(long, value_name = "ID|GLOB", value_delimiter = ',')]
    pub ignore: Vec<String>,
}

/// Which rules run, which files are read and how, and by how many threads: everything about
/// reading and judging calls (shared by `check`, `report` and `config`).
#[derive(Debug, Args, Clone, Default)]
pub struct ScopeArgs {
    /// Which rules run.
    #[command(flatten)]
    pub rules: RuleFilterArgs,

    /// Only check files whose path (relative to the folder) matches this glob; repeatable.
    #[arg(long, value_name = "GLOB")]
    pub include: Vec<String>,

    /// Skip files and folders whose path (relative to the folder) matches this glob;
    /// repeatable.
    #[arg(long, value_name = "GLOB")]
    pub exclude: Vec<String>,

    /// Also check hidden files and folders (names starting with ".").
    #[arg(long)]
    pub hidden: bool,

    /// How to read the inputs.
    #[command(flatten)]
    pub input: InputArgs,

    /// Worker threads [default: number of CPUs].
    #[arg(short = 'j', long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub jobs: Option<u16>,
}

/// `callcheck check`.
#[derive(Debug, Args, Default)]
pub struct CheckArgs {
    /// Transcript files or folders (searched recursively); "-" reads standard input (one
    /// transcript, or many in JSON Lines). Defaults to the current folder.
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// Rulebooks.
    #[command(flatten)]
    pub rulebooks: RulebookArgs,

    /// Output format [default: pretty, or `format` in callcheck.toml].
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub format: Option<crate::report::OutputFormat>,

    /// Write the report to this file (created atomically) instead of standard output; the
    /// terminal still gets the summary.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Exit with status 1 when a finding at or above this severity is found [default: error,
    /// or `fail_on` in callcheck.toml].
    #[arg(long, value_enum, value_name = "SEVERITY")]
    pub fail_on: Option<FailOn>,

    /// Findings recorded in this baseline file are not reported or counted; only new ones are.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,

    /// Record every current finding in this baseline file (before --baseline is applied).
    #[arg(long, value_name = "FILE")]
    pub write_baseline: Option<PathBuf>,

    /// Which rules run and which calls are read, how.
    #[command(flatten)]
    pub scope: ScopeArgs,

    /// Mask personal data in every output: numbers of six digits or more (phone, card, ID,
    /// order numbers; written, in Chinese numerals or spoken) keep their last four digits, and
    /// e-mail addresses their first character and domain. `--redact` alone (= `all`) also masks
    /// the amounts and dates read-back rules read; `--redact=personal` leaves them, as `report`
    /// does by default.
    #[arg(
        long,
        value_enum,
        value_name = "WHAT",
        num_args = 0..=1,
        require_equals = true,
        default_missing_value = "all"
    )]
    pub redact: Option<RedactArg>,

    /// After the run, print to standard error what was read and the time each stage took.
    #[arg(long)]
    pub stats: bool,

    /// Rewrite reply templates in place with the literal replacements of forbidden rules that
    /// give one (`replace = "…"`); call transcripts are never changed.
    #[arg(long, conflicts_with = "redact")]
    pub fix: bool,

    /// Also list the rules that did not apply to each transcript, and why.
    #[arg(short, long)]
    pub verbose: bool,

    /// Leave out the closing summary.
    #[arg(short, long)]
    pub quiet: bool,
}

const REPORT_EXAMPLES: &str = "\
Examples:
  callcheck report calls/                          rules broken most, worst calls
  callcheck report calls/ --by agent               per agent: scores, pass rate, coaching focus
  callcheck report calls/ --by team --by agent     agents within teams
  callcheck report calls/ --by agent,rule          each agent's rate per rule, against the team
  callcheck report calls/ --by date                is the team improving?
  callcheck report calls/ --by agent --format html -o report.html   a page to mail to trainers
  callcheck report calls/ --by agent --group-from-path '{team}/{agent}/*'   names from folders

Scores: each applicable rule weighs its `weight` (default 1; info rules 0); a call scores the
share of that weight it did not break, 0 with an auto-fail finding, and passes at the pass mark
(default 80). Calls that were not checked (no speaker identified as the agent) are listed and
left out of every count, mean and pass rate. Personal data in excerpts is masked unless
--no-redact; amounts and dates are shown unless --redact=all. Exit status: 0 the report was
written; 2 usage error, invalid rulebook, a transcript that could not be read, or a call that was
not checked (the others are still reported).";

/// `callcheck report`. The shared arguments keep `check`'s meaning; their help says so in the
/// report's terms.
#[derive(Debug, Args)]
#[command(
    mut_arg("select", |a| a.help("Only count these rules (as `check --select`)")),
    mut_arg("ignore", |a| a.help("Leave out these rules (as `check --ignore`)")),
    mut_arg("include", |a| a.help("Only read files whose path (relative to the folder) matches this glob; repeatable")),
    mut_arg("exclude", |a| a.help("Skip files and folders whose path matches this glob; repeatable")),
    mut_arg("hidden", |a| a.help("Also read hidden files and folders"))
)]
pub struct ReportArgs {
    /// Transcript files or folders (searched recursively); "-" reads standard input. Defaults to
    /// the current folder, or `paths` in callcheck.toml.
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// Rulebooks.
    #[command(flatten)]
    pub rulebooks: RulebookArgs,

    /// Group by rule, agent, team, date or file; several make one row per combination
    /// (`--by team --by agent`, `--by agent,rule`) [default: rule].
    #[arg(long, value_enum, value_name = "WHAT", value_delimiter = ',')]
    pub by: Vec<ByArg>,

    /// Take agent, team and date from paths: `{team}/{agent}/*` matches the end of each path
    /// (`*` any text, `**` any folders); the call's own metadata wins.
    #[arg(long, value_name = "PATTERN")]
    pub group_from_path: Option<String>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = ReportFormatArg::Table, value_name = "FORMAT")]
    pub format: ReportFormatArg,

    /// Write the report to this file (created atomically) instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// How many of the worst calls to list.
    #[arg(long, value_name = "N", default_value_t = 10)]
    pub worst: usize,

    /// What to mask in excerpts and messages [default: personal]: `personal` masks phone, card,
    /// ID and order numbers (keeping the last four digits) and e-mail addresses, and shows
    /// amounts and dates; `all` (or `--redact` alone) masks what `check --redact` masks,
    /// amounts and dates included.
    #[arg(
        long,
        value_enum,
        value_name = "WHAT",
        num_args = 0..=1,
        require_equals = true,
        default_missing_value = "all",
        conflicts_with = "no_redact"
    )]
    pub redact: Option<RedactArg>,

    /// Show excerpts and messages in full, personal data included.
    #[arg(long)]
    pub no_redact: bool,

    /// Which rules are counted and which calls are read, how (as for `check`).
    #[command(flatten)]
    pub scope: ScopeArgs,
}

const EVAL_EXAMPLES: &str = "\
Examples:
  callcheck eval labels.csv                       check the calls the labels name, compare
  callcheck eval labels.csv -r rules/acme.toml    measure your own rulebook
  callcheck eval labels.jsonl calls.jsonl         labels by call id, calls in one JSON Lines file
  callcheck eval labels.csv --format markdown > QUALITY.md   tables for a repository page
  callcheck eval labels.csv --min-precision 90 --min-recall 80   fail CI below the bars

Labels (CSV, TSV with a header row, or JSON Lines): call (a transcript path relative to the labels
file, or a call id), check (a rule id, a guideline id such as G3, or tag:NAME), expected (yes, no
or na), and optional line and note. Verdict: yes when a covered rule has a finding in the call, na
when none could be judged, else no. Exit status: 0 every gated check meets the bars; 1 a check is
below --min-precision or --min-recall; 2 usage error, invalid labels or rulebook, or a transcript
that could not be read (the others are still evaluated).";

/// `callcheck eval`.
#[derive(Debug, Args)]
#[command(
    mut_arg("select", |a| a.help("Only run these rules (as `check --select`)")),
    mut_arg("ignore", |a| a.help("Skip these rules (as `check --ignore`)"))
)]
pub struct EvalArgs {
    /// The labels: a .csv, .tsv or .jsonl file with the columns call, check and expected.
    #[arg(value_name = "LABELS")]
    pub labels: PathBuf,

    /// Transcript files or folders holding the labelled calls (searched recursively); "-" reads
    /// standard input. Defaults to the files the labels name.
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// Rulebooks.
    #[command(flatten)]
    pub rulebooks: RulebookArgs,

    /// Output format.
    #[arg(long, value_enum, default_value_t = EvalFormatArg::Pretty, value_name = "FORMAT")]
    pub format: EvalFormatArg,

    /// Exit with status 1 when a check's precision is below this percentage (0-100).
    #[arg(long, value_name = "PERCENT", value_parser = percentage)]
    pub min_precision: Option<f64>,

    /// Exit with status 1 when a check's recall is below this percentage (0-100).
    #[arg(long, value_name = "PERCENT", value_parser = percentage)]
    pub min_recall: Option<f64>,

    /// Gate only checks with at least this many positives: calls the tool flagged (for
    /// precision), calls labelled yes (for recall).
    #[arg(long, value_name = "N", default_value_t = 5)]
    pub min_support: usize,

    /// Count the labels of a check that matches no loaded rule as na instead of refusing them.
    #[arg(long)]
    pub allow_unmatched: bool,

    /// Which rules run.
    #[command(flatten)]
    pub rules: RuleFilterArgs,

    /// How to read the inputs.
    #[command(flatten)]
    pub input: InputArgs,

    /// Worker threads [default: number of CPUs].
    #[arg(short = 'j', long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub jobs: Option<u16>,
}

/// Parses a percentage from 0 to 100.
fn percentage(value: &str) -> Result<f64, String> {
    let parsed: f64 = value
        .trim()
        .trim_end_matches('%')
        .parse()
        .map_err(|_| format!("`{value}` is not a number"))?;
    if (0.0..=100.0).contains(&parsed) {
        Ok(parsed)
    } else {
        Err(format!("{value} is not a percentage from 0 to 100"))
    }
}

/// `eval --format`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum EvalFormatArg {
    /// Aligned tables for a terminal.
    Pretty,
    /// One JSON document.
    Json,
    /// GitHub-flavoured Markdown tables.
    Markdown,
}

/// `report --by`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ByArg {
    /// Each rule: calls it applied to, calls that broke it, rate.
    Rule,
    /// The agent (metadata `agent`).
    Agent,
    /// The team (metadata `team`).
    Team,
    /// The call date (metadata `date`).
    Date,
    /// The file.
    File,
}

/// `--redact=WHAT` of `check` and `report`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum RedactArg {
    /// Phone, card, ID, account and order numbers and e-mail addresses; amounts and dates stay.
    Personal,
    /// Personal data, and the amounts and dates read-back rules read.
    All,
}

impl From<RedactArg> for crate::redact::Redaction {
    fn from(value: RedactArg) -> Self {
        match value {
            RedactArg::Personal => crate::redact::Redaction::Personal,
            RedactArg::All => crate::redact::Redaction::All,
        }
    }
}

/// `report --format`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ReportFormatArg {
    /// Aligned tables for a terminal.
    Table,
    /// The --by table as CSV.
    Csv,
    /// GitHub-flavoured Markdown.
    Markdown,
    /// The whole report as JSON.
    Json,
    /// A self-contained HTML page with charts and drill-down.
    Html,
}

/// How to read transcripts: format, encoding, speakers, metadata (shared by `check` and
/// `convert`).
#[derive(Debug, Args, Clone, Default)]
pub struct InputArgs {
    /// Read every file as this format instead of detecting it (by extension, then content).
    #[arg(long, value_name = "NAME", value_parser = input_format())]
    pub input_format: Option<&'static crate::transcript::Format>,

    /// Read every file in this encoding instead of detecting it (UTF-8, UTF-16LE, UTF-16BE,
    /// GB18030, GBK, Big5, Shift_JIS, windows-1252, …).
    #[arg(long, value_name = "NAME")]
    pub encoding: Option<String>,

    /// Map a speaker label to a role: spk_0=agent, ch_1=customer, "Jane Doe"=agent (roles: agent,
    /// customer, system, other); '*=customer' maps every speaker not named otherwise, and speech
    /// with no speaker name (captions without diarisation); repeatable or comma-separated.
    /// Mappings always win over role words and inference.
    #[arg(long, value_name = "LABEL=ROLE", value_delimiter = ',')]
    pub speaker_map: Vec<String>,

    /// Speakers whose labels are not role words (spk_0, SPEAKER_01, user names) and are not
    /// mapped: infer who is the agent from what each says, per call (infer), or leave them
    /// without a role (strict). A call whose agent cannot be told is reported as not checked,
    /// never as clean, and check and report exit 2 [default: infer, or `roles` in
    /// callcheck.toml].
    #[arg(long, value_enum, value_name = "MODE")]
    pub roles: Option<RolesArg>,

    /// Call metadata keyed by call id: CSV/TSV with a call_id (or ContactId) column, or JSON
    /// Lines of objects such as Amazon Connect contact records. Adds agent, team, ended_by, …
    #[arg(long, value_name = "FILE")]
    pub metadata: Option<PathBuf>,

    /// Name the CSV/TSV column holding a field (call_id, speaker, role, text, start, end,
    /// ended_by): --csv-column text=Utterance; repeatable.
    #[arg(long, value_name = "FIELD=NAME")]
    pub csv_column: Vec<String>,

    /// How calls that do not say took place: voice (telephone) or chat [default: voice, or
    /// `channel` in callcheck.toml]. A call's own `channel` (a `# channel:` header, metadata,
    /// or the export's format) always wins. Telephone-only rules do not apply to chats.
    #[arg(long, value_enum, value_name = "CHANNEL")]
    pub channel: Option<ChannelArg>,
}

/// `--channel`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ChannelArg {
    /// Telephone and other spoken calls.
    Voice,
    /// Chat and messaging.
    Chat,
}

/// `--input-format`: one of the formats' names (listed in `--help` and completions), parsed
/// here once into the format itself.
fn input_format() -> impl clap::builder::TypedValueParser<Value = &'static crate::transcript::Format> {
    use clap::builder::TypedValueParser as _;
    clap::builder::PossibleValuesParser::new(crate::transcript::FORMATS.iter().map(|f| f.name))
        .try_map(|name| crate::transcript::format_by_name(&name).ok_or(format!("unknown format {name}")))
}

/// `callcheck rules …`.
#[derive(Debug, Subcommand)]
pub enum RulesCommand {
    /// List every rule: id, kind, severity, guideline and title.
    List(ListArgs),
    /// Explain a rule: what it checks, why, its settings and examples.
    Explain(ExplainArgs),
    /// Run every rule's embedded pass/fail examples and report the ones that misbehave.
    Test(TestArgs),
    /// List the domain guidelines (G1–G37) and the rules that check each.
    Guidelines(ListArgs),
    /// Print Markdown documentation of the built-in rulebooks (docs/rules.md).
    Docs,
}

/// `callcheck rules list`.
#[derive(Debug, Args)]
pub struct ListArgs {
    /// Rulebooks.
    #[command(flatten)]
    pub rulebooks: RulebookArgs,

    /// Output format.
    #[arg(long, value_enum, default_value_t = ListFormat::Table, value_name = "FORMAT")]
    pub format: ListFormat,
}

/// `callcheck rules explain`.
#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// Rule id: full (zh-telephone/you-must) or, when unambiguous, without the rulebook prefix.
    #[arg(value_name = "ID")]
    pub id: String,

    /// Rulebooks.
    #[command(flatten)]
    pub rulebooks: RulebookArgs,
}

/// `callcheck rules test`.
#[derive(Debug, Args)]
pub struct TestArgs {
    /// Rulebook files, folders or builtin:NAME. Defaults to the built-in rulebooks.
    #[arg(value_name = "FILE|DIR")]
    pub paths: Vec<String>,

    /// Only print failures and the result line.
    #[arg(short, long)]
    pub quiet: bool,
}

/// `--color`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// Colour on a terminal unless NO_COLOR is set.
    Auto,
    /// Always colour.
    Always,
    /// Never colour.
    Never,
}

/// `--roles`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum RolesArg {
    /// Infer the roles of unmapped speakers from what they say, per call.
    Infer,
    /// Roles only from role words, format role fields and mappings.
    Strict,
}

/// `rules list --format`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    /// Aligned columns.
    Table,
    /// JSON array.
    Json,
}

/// `--fail-on`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    /// Fail on errors.
    Error,
    /// Fail on warnings and errors.
    Warning,
    /// Fail on any finding.
    Info,
    /// Never fail because of findings.
    Never,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn clap_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn parses_a_typical_check() {
        let cli = Cli::parse_from([
            "callcheck",
            "check",
            "calls/",
            "-r",
            "a.toml",
            "-r",
            "dir/",
            "--select",
            "a/x,a/y",
            "--fail-on",
            "warning",
            "--format",
            "json",
        ]);
        let Command::Check(args) = cli.command else {
            panic!("expected check");
        };
        assert_eq!(args.rulebooks.rules, ["a.toml", "dir/"]);
        assert_eq!(args.scope.rules.select, ["a/x", "a/y"]);
        assert_eq!(args.fail_on, Some(FailOn::Warning));
        assert_eq!(args.format, Some(crate::report::OutputFormat::Json));
    }

    #[test]
    fn parses_format_flags() {
        let cli = Cli::parse_from([
            "callcheck",
            "check",
            "-",
            "--input-format",
            "jsonl",
            "--encoding",
            "gbk",
            "--speaker-map",
            "spk_0=agent,spk_1=customer",
            "--speaker-map",
            "Jane Doe=agent",
            "--csv-column",
            "text=Utterance",
            "--metadata",
            "contacts.csv",
        ]);
        let Command::Check(args) = cli.command else {
            panic!("expected check");
        };
        assert_eq!(args.scope.input.input_format.map(|f| f.name), Some("jsonl"));
        assert_eq!(args.scope.input.encoding.as_deref(), Some("gbk"));
        assert_eq!(
            args.scope.input.speaker_map,
            ["spk_0=agent", "spk_1=customer", "Jane Doe=agent"]
        );
        assert_eq!(args.scope.input.csv_column, ["text=Utterance"]);
        assert_eq!(args.scope.input.metadata, Some(PathBuf::from("contacts.csv")));
    }
}
