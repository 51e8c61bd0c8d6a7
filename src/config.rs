//! Project configuration: `callcheck.toml` (or `.callcheck.toml`), found by searching upward
//! from the current folder, so a repository of scripts carries its own settings for CI.
//!
//! ```toml
//! rulebooks = ["rules/replies.toml"]   # paths relative to this file
//! builtin = ["zh-telephone"]           # built-in rulebooks by name
//! paths = ["replies"]                  # what `callcheck check` checks without arguments
//! templates = ["replies/**"]           # these files are reply templates
//! exclude = ["replies/drafts/**"]
//! fail_on = "warning"
//! channel = "chat"                     # calls that do not say are chats
//! baseline = "callcheck-baseline.json"
//!
//! [rules]                              # later entries win
//! "zh-telephone/closing-*" = "off"
//! "zh-telephone/bare-no" = "error"
//! ```
//!
//! Loading validates everything it can without reading a transcript: unknown keys (with "did
//! you mean"), values, globs, built-in names and rulebook paths, each reported with
//! `file:line:column`, the key, what was expected and a hint, like rulebook errors. Every value
//! remembers where it came from ([`Origin`]) for `callcheck config`. Command-line flags
//! override these values; that is resolved in [`crate::settings`].

use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

use globset::Glob;
use indexmap::IndexMap;
use serde::Deserialize;
use toml::Spanned;

use crate::diagnostic::{Diagnostic, Diagnostics, did_you_mean, from_toml_error, list};
use crate::finding::Severity;
use crate::paths::{CONFIG_FILE_NAMES, normalize_path, shown};
use crate::report::OutputFormat;
use crate::rulebook::{RuleSet, builtin, position_of};
use crate::rules::Lists;
use crate::rules::schema::SpeakersToml;
use crate::transcript::{Channel, FORMATS, Format, Role, format_by_name};

/// callcheck's own checks, which `[rules]` can also set (`"callcheck/unused-suppression" =
/// "off"`).
pub const PSEUDO_RULES: [&str; 1] = [crate::suppress::UNUSED_RULE];

/// Searches `start` and its parents for a configuration file.
pub fn find(start: &Path) -> Option<PathBuf> {
    let start = normalize_path(start);
    start
        .ancestors()
        .flat_map(|dir| CONFIG_FILE_NAMES.iter().map(move |name| dir.join(name)))
        .find(|candidate| candidate.is_file())
}

/// Where a resolved value comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Origin {
    /// callcheck's default.
    Default,
    /// A command-line flag.
    Flag(&'static str),
    /// A key of the configuration file, at a line.
    File {
        /// The configuration file as shown to the user.
        path: String,
        /// 1-based line of the key's value.
        line: u32,
    },
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Origin::Default => f.write_str("default"),
            Origin::Flag(flag) => write!(f, "command line ({flag})"),
            Origin::File { path, line } => write!(f, "{path}:{line}"),
        }
    }
}

/// A configured value and where it was written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Setting<T> {
    /// The value.
    pub value: T,
    /// Where it was written.
    pub origin: Origin,
}

/// One `[rules]` entry: a rule id or glob and its level (`None`: off).
#[derive(Clone, Debug)]
pub struct RuleLevel {
    /// Full rule id or glob over full ids.
    pub pattern: String,
    /// The severity to use, or `None` to switch the rules off.
    pub level: Option<Severity>,
    /// Where it was written.
    pub origin: Origin,
    span: Range<usize>,
}

/// A list of globs, each with its place in the file.
type SpannedGlobs = Spanned<Vec<Spanned<String>>>;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ConfigToml {
    #[serde(default)]
    rulebooks: Option<Spanned<Vec<Spanned<String>>>>,
    #[serde(default)]
    builtin: Option<Spanned<Vec<Spanned<String>>>>,
    #[serde(default)]
    paths: Option<Spanned<Vec<Spanned<String>>>>,
    #[serde(default)]
    include: Option<Spanned<Vec<Spanned<String>>>>,
    #[serde(default)]
    exclude: Option<Spanned<Vec<Spanned<String>>>>,
    #[serde(default)]
    templates: Option<Spanned<Vec<Spanned<String>>>>,
    #[serde(default)]
    input_format: Option<Spanned<String>>,
    #[serde(default)]
    roles: Option<Spanned<String>>,
    #[serde(default)]
    format: Option<Spanned<String>>,
    #[serde(default)]
    fail_on: Option<Spanned<String>>,
    #[serde(default)]
    channel: Option<Spanned<String>>,
    #[serde(default)]
    baseline: Option<Spanned<String>>,
    #[serde(default)]
    speakers: Option<Spanned<SpeakersToml>>,
    #[serde(default)]
    rules: Option<IndexMap<Spanned<String>, Spanned<String>>>,
    #[serde(default)]
    lists: Option<IndexMap<Spanned<String>, Spanned<Vec<String>>>>,
    #[serde(default)]
    template_roles: Option<IndexMap<Spanned<String>, SpannedGlobs>>,
}

/// A loaded, validated configuration file.
#[derive(Clone, Debug)]
pub struct Config {
    /// The file as shown in messages (relative to the current folder when below it).
    pub display: String,
    /// The folder relative paths in the file are resolved against, as a path usable from the
    /// current folder (empty for the current folder itself).
    pub dir: PathBuf,
    /// The same folder, absolute; globs match paths relative to it.
    pub root: PathBuf,
    text: String,
    /// `builtin`: built-in rulebook names.
    pub builtin: Option<Setting<Vec<String>>>,
    /// `rulebooks`: rulebook paths, resolved against [`Config::dir`].
    pub rulebooks: Option<Setting<Vec<PathBuf>>>,
    /// `paths`: what to check when no path is given, resolved against [`Config::dir`].
    pub paths: Option<Setting<Vec<PathBuf>>>,
    /// `include` globs (relative to [`Config::root`]).
    pub include: Option<Setting<Vec<String>>>,
    /// `exclude` globs.
    pub exclude: Option<Setting<Vec<String>>>,
    /// `templates` globs: files read as reply templates.
    pub templates: Option<Setting<Vec<String>>>,
    /// `[template_roles]`: a role and the globs (relative to [`Config::root`]) of the templates
    /// that have it, in file order.
    pub template_roles: Vec<(String, Vec<String>, Origin)>,
    /// `input_format`.
    pub input_format: Option<Setting<&'static Format>>,
    /// `format`: the report format.
    pub format: Option<Setting<OutputFormat>>,
    /// `fail_on` (`None` inside: never).
    pub fail_on: Option<Setting<Option<Severity>>>,
    /// `channel`: of calls that do not say.
    pub channel: Option<Setting<Channel>>,
    /// `baseline`, resolved against [`Config::dir`].
    pub baseline: Option<Setting<PathBuf>>,
    /// `[speakers]`: extra labels.
    pub speakers: Vec<(Role, String, Origin)>,
    /// `[speakers] company`: the company's names, for role inference.
    pub companies: Vec<(String, Origin)>,
    /// `roles`: whether speaker roles may be inferred.
    pub roles: Option<Setting<crate::roles::Mode>>,
    /// `[rules]` in file order.
    pub rules: Vec<RuleLevel>,
    /// `[lists]`: word lists that replace the rulebooks' lists of the same name.
    pub lists: Vec<(String, Vec<String>, Origin)>,
    /// Where each of [`Config::lists`] is named in the file.
    list_spans: Vec<Range<usize>>,
}

/// The advice for a configuration key: what a value looks like and a hint.
fn advice(key: &str) -> (&'static str, &'static str) {
    match key {
        "rulebooks" => (
            "a list of rulebook files or folders, e.g. [\"rules/acme.toml\"]",
            "paths are relative to the configuration file; use `builtin` for built-in rulebooks",
        ),
        "builtin" => (
            "a list of built-in rulebook names, e.g. [\"zh-telephone\"]",
            "`callcheck rules list` shows the built-in rulebooks",
        ),
        "paths" => (
            "a list of files or folders, e.g. [\"replies\"]",
            "checked when `callcheck check` is given no path; relative to the configuration file",
        ),
        "template_roles" => (
            "a table of roles and globs, e.g. closing = [\"replies/closing/**\"]",
            "templates matching a role's globs have that role, unless they name their own; rules \
             about a call's shape check only templates of the roles they name",
        ),
        "include" | "exclude" | "templates" => (
            "a list of globs, e.g. [\"replies/**\"]",
            "globs match paths relative to the configuration file's folder; `*` crosses `/`",
        ),
        "input_format" => (
            "the name of an input format",
            "without it, the format is chosen by extension (and `templates` globs)",
        ),
        "format" => ("the name of a report format", "--format overrides it"),
        "roles" => (
            "\"infer\" or \"strict\"",
            "strict gives roles only from role words and mappings; --roles overrides it",
        ),
        "fail_on" => (
            "one of \"error\", \"warning\", \"info\", \"never\"",
            "findings at or above this severity make the exit status 1; --fail-on overrides it",
        ),
        "channel" => (
            "one of \"voice\", \"chat\"",
            "the channel of calls that do not say; --channel overrides it",
        ),
        "lists" => (
            "a table of named word lists, e.g. [lists] jargon = [\"SLA\", \"AHT\"]",
            "a list here replaces the rulebooks' list of the same name (`callcheck rules explain RULE` shows a rule's list)",
        ),
        "baseline" => (
            "a file path, e.g. \"callcheck-baseline.json\"",
            "create it with `callcheck check --write-baseline FILE`",
        ),
        _ => (
            "one of \"off\", \"info\", \"warning\", \"error\"",
            "`[rules]` keys are full rule ids or globs such as \"zh-telephone/closing-*\"",
        ),
    }
}

impl Config {
    /// The `[lists]` as rulebooks take them.
    pub fn word_lists(&self) -> Lists {
        self.lists
            .iter()
            .map(|(name, words, _)| (name.clone(), words.clone()))
            .collect()
    }

    /// Loads a configuration file; `Err` holds every problem found, `Ok` any warnings.
    pub fn load(path: &Path) -> Result<(Config, Vec<Diagnostic>), Diagnostics> {
        let display = shown(path);
        let mut diagnostics = Diagnostics::default();
        let text = match crate::limits::read_settings_file(path, crate::limits::MAX_SETTINGS_BYTES) {
            Ok(text) => text,
            Err(e) => {
                diagnostics.push(
                    Diagnostic::whole_file(&display, format!("cannot read the configuration: {e}"))
                        .hint("--config takes a callcheck.toml file; --no-config ignores configuration"),
                );
                return Err(diagnostics);
            }
        };
        Self::parse(path, text)
    }

    /// Reads configuration text that stands at `path` (an editor's unsaved buffer, or the file's
    /// contents); `Err` holds every problem found, `Ok` any warnings.
    pub fn parse(path: &Path, text: String) -> Result<(Config, Vec<Diagnostic>), Diagnostics> {
        let display = shown(path);
        let mut diagnostics = Diagnostics::default();
        let parsed: ConfigToml = match toml::from_str(&text) {
            Ok(parsed) => parsed,
            Err(e) => {
                let mut d = from_toml_error(&display, &text, &e);
                if d.hint.as_deref().is_some_and(|h| h.contains("docs/rulebook.md")) {
                    d.hint = Some("see docs/config.md for the keys callcheck.toml takes".into());
                }
                diagnostics.push(d);
                return Err(diagnostics);
            }
        };
        let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
        let root = normalize_path(if dir.as_os_str().is_empty() {
            Path::new(".")
        } else {
            &dir
        });
        let mut config = Config {
            display,
            dir,
            root,
            text,
            builtin: None,
            rulebooks: None,
            paths: None,
            include: None,
            exclude: None,
            templates: None,
            template_roles: Vec::new(),
            input_format: None,
            format: None,
            fail_on: None,
            channel: None,
            baseline: None,
            speakers: Vec::new(),
            companies: Vec::new(),
            roles: None,
            rules: Vec::new(),
            lists: Vec::new(),
            list_spans: Vec::new(),
        };
        config.resolve(parsed, &mut diagnostics);
        if diagnostics.has_errors() {
            return Err(diagnostics);
        }
        Ok((config, diagnostics.0))
    }

    fn origin(&self, span: &Range<usize>) -> Origin {
        Origin::File {
            path: self.display.clone(),
            line: position_of(&self.text, span.start).line,
        }
    }

    fn error(&self, span: Range<usize>, key: &str, message: impl Into<String>) -> Diagnostic {
        let (expected, hint) = advice(key);
        Diagnostic::at(&self.display, &self.text, span, message)
            .expected(expected)
            .hint(hint)
    }

    fn strings(&self, list: Option<Spanned<Vec<Spanned<String>>>>) -> Option<(Vec<Spanned<String>>, Origin)> {
        list.map(|l| {
            let origin = self.origin(&l.span());
            (l.into_inner(), origin)
        })
    }

    fn resolve(&mut self, toml: ConfigToml, diagnostics: &mut Diagnostics) {
        if let Some((names, origin)) = self.strings(toml.builtin) {
            let known: Vec<&str> = builtin::BUILTINS.iter().map(|b| b.name).collect();
            for name in &names {
                let bare = name.get_ref().strip_prefix("builtin:").unwrap_or(name.get_ref());
                if !known.contains(&bare) {
                    let mut d = self
                        .error(name.span(), "builtin", format!("no built-in rulebook `{bare}`"))
                        .expected(format!("one of {}", list(&known)));
                    if let Some(best) = did_you_mean(bare, known.iter().copied()) {
                        d = d.hint(format!("did you mean `{best}`?"));
                    }
                    diagnostics.push(d);
                }
            }
            let value = names
                .iter()
                .map(|n| n.get_ref().trim_start_matches("builtin:").to_string())
                .collect();
            self.builtin = Some(Setting { value, origin });
        }
        if let Some((paths, origin)) = self.strings(toml.rulebooks) {
            let mut value = Vec::new();
            let root = crate::paths::real_path(&self.root);
            for p in &paths {
                let resolved = self.dir.join(p.get_ref());
                if !crate::paths::real_path(&resolved).starts_with(&root) {
                    diagnostics.push(
                        self.error(
                            p.span(),
                            "rulebooks",
                            format!(
                                "`{}` is outside the project folder {}",
                                p.get_ref(),
                                crate::paths::display(&root)
                            ),
                        )
                        .expected(
                            "a rulebook inside the folder of callcheck.toml (after `..` and symbolic \
                             links), or a built-in in `builtin`",
                        )
                        .hint(
                            "rulebooks are data, and a project's checks must not depend on files \
                             outside it; take it out of callcheck.toml and give it with -r on the \
                             command line if you mean it",
                        ),
                    );
                } else if !resolved.exists() {
                    diagnostics.push(self.error(
                        p.span(),
                        "rulebooks",
                        format!(
                            "rulebook `{}` not found (looked for {})",
                            p.get_ref(),
                            shown(&resolved)
                        ),
                    ));
                }
                value.push(resolved);
            }
            self.rulebooks = Some(Setting { value, origin });
        }
        if let Some((paths, origin)) = self.strings(toml.paths) {
            let value = paths.iter().map(|p| self.dir.join(p.get_ref())).collect();
            self.paths = Some(Setting { value, origin });
        }
        for (key, list) in [
            ("include", toml.include),
            ("exclude", toml.exclude),
            ("templates", toml.templates),
        ] {
            let Some((globs, origin)) = self.strings(list) else {
                continue;
            };
            for glob in &globs {
                if let Err(e) = Glob::new(glob.get_ref()) {
                    diagnostics.push(self.error(glob.span(), key, format!("invalid glob: {}", e.kind())));
                }
            }
            let setting = Some(Setting {
                value: globs.iter().map(|g| g.get_ref().clone()).collect(),
                origin,
            });
            match key {
                "include" => self.include = setting,
                "exclude" => self.exclude = setting,
                _ => self.templates = setting,
            }
        }
        // In file order (the TOML reader sorts a table's keys): the first matching role wins.
        let mut template_roles: Vec<_> = toml.template_roles.into_iter().flatten().collect();
        template_roles.sort_by_key(|(role, _)| role.span().start);
        for (role, globs) in template_roles {
            let origin = self.origin(&role.span());
            for glob in globs.get_ref() {
                if let Err(e) = Glob::new(glob.get_ref()) {
                    diagnostics.push(self.error(
                        glob.span(),
                        "template_roles",
                        format!("invalid glob: {}", e.kind()),
                    ));
                }
            }
            let globs = globs.into_inner().into_iter().map(Spanned::into_inner).collect();
            self.template_roles.push((role.into_inner(), globs, origin));
        }
        if let Some(name) = toml.input_format {
            match format_by_name(name.get_ref()) {
                Some(format) => {
                    self.input_format = Some(Setting {
                        value: format,
                        origin: self.origin(&name.span()),
                    });
                }
                None => {
                    let names: Vec<&str> = FORMATS.iter().map(|f| f.name).collect();
                    diagnostics.push(self.choice_error(&name, "input_format", &names));
                }
            }
        }
        if let Some(name) = toml.roles {
            match crate::roles::Mode::parse(name.get_ref()) {
                Some(mode) => {
                    self.roles = Some(Setting {
                        value: mode,
                        origin: self.origin(&name.span()),
                    });
                }
                None => {
                    let names: Vec<&str> = crate::roles::Mode::NAMES.iter().map(|(n, _)| *n).collect();
                    diagnostics.push(self.choice_error(&name, "roles", &names));
                }
            }
        }
        if let Some(name) = toml.format {
            match OutputFormat::from_name(name.get_ref()) {
                Some(format) => {
                    self.format = Some(Setting {
                        value: format,
                        origin: self.origin(&name.span()),
                    });
                }
                None => {
                    let names: Vec<&str> = OutputFormat::names().collect();
                    diagnostics.push(self.choice_error(&name, "format", &names));
                }
            }
        }
        if let Some(value) = toml.fail_on {
            let level = match value.get_ref().as_str() {
                "never" => Some(None),
                other => other.parse::<Severity>().ok().map(Some),
            };
            match level {
                Some(level) => {
                    self.fail_on = Some(Setting {
                        value: level,
                        origin: self.origin(&value.span()),
                    });
                }
                None => diagnostics.push(self.choice_error(
                    &value,
                    "fail_on",
                    &["error", "warning", "info", "never"],
                )),
            }
        }
        if let Some(value) = toml.channel {
            match Channel::parse(value.get_ref()) {
                Some(channel) => {
                    self.channel = Some(Setting {
                        value: channel,
                        origin: self.origin(&value.span()),
                    });
                }
                None => diagnostics.push(self.choice_error(&value, "channel", &["voice", "chat"])),
            }
        }
        if let Some(path) = toml.baseline {
            self.baseline = Some(Setting {
                value: self.dir.join(path.get_ref()),
                origin: self.origin(&path.span()),
            });
        }
        if let Some(speakers) = toml.speakers {
            let origin = self.origin(&speakers.span());
            let speakers = speakers.into_inner();
            for (role, labels) in [
                (Role::Agent, speakers.agent),
                (Role::Customer, speakers.customer),
                (Role::System, speakers.system),
            ] {
                for label in labels {
                    self.speakers.push((role, label, origin.clone()));
                }
            }
            for name in speakers.company {
                self.companies.push((name, origin.clone()));
            }
        }
        for (name, words) in toml.lists.unwrap_or_default() {
            let origin = self.origin(&name.span());
            self.list_spans.push(name.span());
            self.lists.push((name.into_inner(), words.into_inner(), origin));
        }
        for (pattern, level) in toml.rules.unwrap_or_default() {
            let parsed = match level.get_ref().as_str() {
                "off" => Some(None),
                other => other.parse::<Severity>().ok().map(Some),
            };
            let Some(parsed) = parsed else {
                diagnostics.push(self.choice_error(&level, "rules", &["off", "info", "warning", "error"]));
                continue;
            };
            if let Err(e) = Glob::new(pattern.get_ref()) {
                diagnostics.push(self.error(
                    pattern.span(),
                    "rules",
                    format!("invalid rule id or glob: {}", e.kind()),
                ));
                continue;
            }
            self.rules.push(RuleLevel {
                pattern: pattern.get_ref().clone(),
                level: parsed,
                origin: self.origin(&level.span()),
                span: pattern.span(),
            });
        }
    }

    fn choice_error(&self, value: &Spanned<String>, key: &str, choices: &[&str]) -> Diagnostic {
        let mut d = self
            .error(value.span(), key, format!("invalid value `{}`", value.get_ref()))
            .expected(format!("one of {}", list(choices)));
        if let Some(best) = did_you_mean(value.get_ref(), choices.iter().copied()) {
            d = d.hint(format!("did you mean `{best}`?"));
        }
        d
    }

    /// Applies `[rules]` to a rule set (after `--select`/`--ignore`): later entries win. Returns
    /// warnings for entries that match no loaded rule, and the level set for callcheck's own
    /// unused-suppression check, if an entry sets one (inner `None`: off).
    pub fn apply_levels(&self, rules: &mut RuleSet) -> (Vec<Diagnostic>, Option<Setting<Option<Severity>>>) {
        let mut warnings = Vec::new();
        // A list no rulebook defines replaces nothing: most likely a misspelt name.
        for ((name, _, _), span) in self.lists.iter().zip(&self.list_spans) {
            if rules.list_names.contains(name) {
                continue;
            }
            let hint = match did_you_mean(name, rules.list_names.iter().map(String::as_str)) {
                Some(best) => format!("did you mean `{best}`?"),
                None => "`callcheck rules explain RULE` shows the list a rule draws on".into(),
            };
            let known: Vec<&str> = rules.list_names.iter().map(String::as_str).collect();
            warnings.push(
                Diagnostic::at(
                    &self.display,
                    &self.text,
                    span.clone(),
                    format!("no loaded rulebook has a list `{name}`, so this list is not used"),
                )
                .warning()
                .expected(if known.is_empty() {
                    "the name of a list a loaded rulebook defines (none defines one)".to_string()
                } else {
                    format!("one of {}", crate::diagnostic::list(&known))
                })
                .hint(hint),
            );
        }
        let mut levels: Vec<Option<Option<Severity>>> = vec![None; rules.rules.len()];
        let mut unused = None;
        for entry in &self.rules {
            let matcher = match Glob::new(&entry.pattern) {
                Ok(glob) => glob.compile_matcher(),
                Err(_) => continue,
            };
            let mut matched = false;
            for (i, rule) in rules.rules.iter().enumerate() {
                if matcher.is_match(&rule.id) {
                    levels[i] = Some(entry.level);
                    matched = true;
                }
            }
            if PSEUDO_RULES.iter().any(|p| matcher.is_match(p)) {
                unused = Some(Setting {
                    value: entry.level,
                    origin: entry.origin.clone(),
                });
                matched = true;
            }
            if !matched {
                let ids = rules.rules.iter().map(|r| r.id.as_str()).chain(PSEUDO_RULES);
                let hint = match did_you_mean(&entry.pattern, ids) {
                    Some(best) => format!("did you mean `{best}`?"),
                    None => "run `callcheck rules list` to see the ids of the loaded rules".into(),
                };
                warnings.push(
                    Diagnostic::at(
                        &self.display,
                        &self.text,
                        entry.span.clone(),
                        format!("`{}` matches no loaded rule", entry.pattern),
                    )
                    .warning()
                    .expected("a full rule id (rulebook-id/rule-id) or a glob over rule ids")
                    .hint(hint),
                );
            }
        }
        for (i, level) in levels.into_iter().enumerate() {
            match level {
                Some(Some(severity)) => rules.rules[i].meta.severity = severity,
                Some(None) => rules.disable(i),
                None => {}
            }
        }
        (warnings, unused)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(text: &str) -> Result<(Config, Vec<Diagnostic>), Diagnostics> {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("rules")).unwrap();
        std::fs::write(dir.path().join("rules/a.toml"), "").unwrap();
        let path = dir.path().join("callcheck.toml");
        std::fs::write(&path, text).unwrap();
        Config::load(&path)
    }

    fn error(text: &str) -> String {
        load(text).unwrap_err().to_string()
    }

    #[test]
    fn every_key_is_read_with_its_line() {
        let (config, warnings) = load(
            "rulebooks = [\"rules/a.toml\"]\nbuiltin = [\"zh-telephone\"]\npaths = [\"replies\"]\n\
             templates = [\"replies/**\"]\nexclude = [\"drafts/**\"]\nfail_on = \"never\"\n\
             format = \"sarif\"\ninput_format = \"plain\"\nbaseline = \"b.json\"\n\
             [speakers]\nagent = [\"坐席A\"]\n[rules]\n\"zh-telephone/*\" = \"off\"\n",
        )
        .unwrap();
        assert!(warnings.is_empty());
        assert!(config.rulebooks.unwrap().value[0].ends_with("rules/a.toml"));
        assert_eq!(config.builtin.unwrap().value, ["zh-telephone"]);
        assert_eq!(config.fail_on.as_ref().unwrap().value, None);
        assert!(matches!(
            &config.fail_on.unwrap().origin,
            Origin::File { line: 6, .. }
        ));
        assert_eq!(config.format.unwrap().value, OutputFormat::Sarif);
        assert_eq!(config.input_format.unwrap().value.name, "plain");
        assert_eq!(config.templates.unwrap().value, ["replies/**"]);
        assert_eq!(config.speakers[0].0, Role::Agent);
        assert_eq!(config.rules[0].level, None);
        assert!(matches!(&config.rules[0].origin, Origin::File { line: 13, .. }));
    }

    #[test]
    fn roles_mode_and_company_names() {
        let (config, _) =
            load("roles = \"strict\"\n[speakers]\ncompany = [\"安信银行\", \"ACME Bank\"]\n").unwrap();
        let roles = config.roles.unwrap();
        assert_eq!(roles.value, crate::roles::Mode::Strict);
        assert!(matches!(roles.origin, Origin::File { line: 1, .. }));
        let names: Vec<&str> = config.companies.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["安信银行", "ACME Bank"]);
        let e = error("roles = \"stict\"\n");
        assert!(
            e.contains("callcheck.toml:1:9: roles: invalid value `stict`"),
            "{e}"
        );
        assert!(e.contains("expected: one of `infer`, `strict`"), "{e}");
        assert!(e.contains("did you mean `strict`?"), "{e}");
    }

    #[test]
    fn errors_have_location_key_expectation_and_hint() {
        let e = error("fail_on = \"warnign\"\n");
        assert!(
            e.contains("callcheck.toml:1:11: fail_on: invalid value `warnign`"),
            "{e}"
        );
        assert!(
            e.contains("expected: one of `error`, `warning`, `info`, `never`"),
            "{e}"
        );
        assert!(e.contains("did you mean `warning`?"), "{e}");
        let e = error("templtes = [\"a\"]\n");
        assert!(e.contains("callcheck.toml:1:1: unknown key `templtes`"), "{e}");
        assert!(e.contains("did you mean `templates`?"), "{e}");
        let e = error("builtin = [\"zh-telephon\"]\n");
        assert!(
            e.contains("1:12: builtin: no built-in rulebook `zh-telephon`"),
            "{e}"
        );
        assert!(e.contains("did you mean `zh-telephone`?"), "{e}");
        let e = error("rulebooks = [\"rules/missing.toml\"]\n");
        assert!(
            e.contains("rulebooks: rulebook `rules/missing.toml` not found"),
            "{e}"
        );
        let e = error("exclude = [\"a/[\"]\n");
        assert!(e.contains("exclude: invalid glob"), "{e}");
        let e = error("[rules]\n\"a/b\" = \"loud\"\n");
        assert!(e.contains("2:9: [rules] › \"a/b\": invalid value `loud`"), "{e}");
        assert!(e.contains("one of `off`, `info`, `warning`, `error`"), "{e}");
        let e = error("format = \"sarif2\"\n");
        assert!(e.contains("did you mean `sarif`?"), "{e}");
        let e = error("fail_on = 3\n");
        assert!(e.contains("callcheck.toml:1:11"), "{e}");
    }

    #[test]
    fn levels_apply_in_order_and_unknown_ids_warn() {
        let (mut rules, _) = RuleSet::builtins().unwrap();
        let (config, _) = load(
            "[rules]\n\"zh-telephone/*\" = \"info\"\n\"zh-telephone/you-must\" = \"error\"\n\
             \"zh-telephone/greeting\" = \"off\"\n\"zh-telephone/gretting\" = \"off\"\n\
             \"callcheck/unused-suppression\" = \"error\"\n",
        )
        .unwrap();
        let (warnings, unused) = config.apply_levels(&mut rules);
        let severity = |id: &str| rules.rules.iter().find(|r| r.id == id).unwrap().meta.severity;
        assert_eq!(severity("zh-telephone/you-must"), Severity::Error);
        assert_eq!(severity("zh-telephone/bare-no"), Severity::Info);
        let enabled: Vec<&str> = rules.enabled_rules().map(|(_, r)| r.id.as_str()).collect();
        assert!(!enabled.contains(&"zh-telephone/greeting"));
        assert_eq!(unused.unwrap().value, Some(Severity::Error));
        assert_eq!(warnings.len(), 1);
        let w = warnings[0].to_string();
        assert!(
            w.contains("callcheck.toml:5:1") && w.contains("did you mean `zh-telephone/greeting`?"),
            "{w}"
        );
    }

    #[test]
    fn find_searches_upward() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("a/b")).unwrap();
        assert_eq!(
            find(&dir.path().join("a/b")).filter(|p| p.starts_with(dir.path())),
            None
        );
        std::fs::write(dir.path().join(".callcheck.toml"), "").unwrap();
        assert_eq!(
            find(&dir.path().join("a/b")),
            Some(normalize_path(&dir.path().join(".callcheck.toml")))
        );
        std::fs::write(dir.path().join("a/callcheck.toml"), "").unwrap();
        assert_eq!(
            find(&dir.path().join("a/b")),
            Some(normalize_path(&dir.path().join("a/callcheck.toml")))
        );
    }
}
