//! Rulebooks in: TOML files or built-ins → one validated, compiled [`RuleSet`].
//!
//! Loading reads every rulebook, reports every problem it can find (with `file:line:column`,
//! the key, what was expected and a hint), and compiles all phrases and patterns into one
//! [`Matcher`] before any transcript is read. Rule ids are prefixed with their rulebook's id;
//! duplicate rule ids within a rulebook and duplicate rulebook ids are errors.
//!
//! This file finds the sources and answers questions about the loaded set; `extends` reads
//! the files and what they inherit (with `problems` for files that do not parse), and
//! `compile` checks each book and compiles its rules. The TOML shape of a file is
//! [`crate::rules::schema`], beside the rule kinds it lists.

pub mod builtin;
mod compile;
mod extends;
mod problems;

use std::path::{Path, PathBuf};

use globset::{Glob, GlobSetBuilder};

use crate::diagnostic::{Diagnostic, Diagnostics, did_you_mean};
use crate::matcher::{Matcher, MatcherBuilder};
use crate::problem::Problem;
use crate::rules::{Lists, Rule};
use crate::score::{Scorecard, ScoredRule, Scoring, effective_weight};
use crate::transcript::{Language, Position, SpeakerLabels};

/// Where a rulebook comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RulebookSource {
    /// A `.toml` file, or a folder of them.
    Path(PathBuf),
    /// A rulebook compiled into the binary, by name (`zh-telephone`).
    Builtin(String),
}

impl RulebookSource {
    /// Parses a `-r` argument: `builtin:NAME` or a path.
    pub fn parse(arg: &str) -> RulebookSource {
        match arg.strip_prefix("builtin:") {
            Some(name) => RulebookSource::Builtin(name.to_string()),
            None => RulebookSource::Path(PathBuf::from(arg)),
        }
    }
}

/// A loaded rulebook's header.
#[derive(Clone, Debug)]
pub struct RulebookInfo {
    /// The rulebook id (prefix of its rule ids).
    pub id: String,
    /// Title.
    pub title: Option<String>,
    /// Description.
    pub description: Option<String>,
    /// Declared language (informational).
    pub language: Option<String>,
    /// Transcripts in other languages are not checked by this rulebook.
    pub applies_to: Option<Language>,
    /// Where it was loaded from (`rules/acme.toml`, `builtin:zh-telephone`).
    pub source: String,
    /// The rulebook text, for locating examples in error messages.
    pub text: String,
    /// True when loaded only because another rulebook extends it: its rules carry the
    /// extending rulebook's id, and it is not listed on its own.
    pub extended_only: bool,
}

/// Every loaded rule, compiled and ready to check transcripts.
pub struct RuleSet {
    /// The rulebooks, in load order.
    pub rulebooks: Vec<RulebookInfo>,
    /// Every rule of every rulebook.
    pub rules: Vec<Rule>,
    /// Rules switched off by `--select` / `--ignore`.
    enabled: Vec<bool>,
    /// All phrases and patterns ([`RuleSet::matcher`]): built at load when a rulebook someone
    /// wrote has any, so that their errors come before any transcript is read, else on first use
    /// (a run whose calls each need only some rulebooks' rules builds smaller matchers instead).
    pub(crate) matcher: std::sync::OnceLock<Matcher>,
    /// What the matcher was built from, to build matchers for fewer rules (see
    /// [`MatcherBuilder::subset`]).
    pub matcher_source: MatcherBuilder,
    /// The scorecard of each top-level rulebook, in load order ([`Rule::scorecard`] indexes it).
    pub scorecards: Vec<Scorecard>,
    /// Speaker labels: defaults plus every rulebook's `[speakers]`.
    pub labels: SpeakerLabels,
    /// The names of the word lists the rulebooks define (`[lists]`).
    pub list_names: std::collections::BTreeSet<String>,
    /// For each read-back and pii rule, the index of the first rule that reads values exactly
    /// as it does (`None` for other rules): see [`RuleSet::reader_group`].
    reader_groups: Vec<Option<usize>>,
}

impl std::fmt::Debug for RuleSet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RuleSet")
            .field(
                "rulebooks",
                &self.rulebooks.iter().map(|r| &r.id).collect::<Vec<_>>(),
            )
            .field("rules", &self.rules.len())
            .finish()
    }
}

/// A loaded rule set plus any warnings found while loading.
pub type Loaded = (RuleSet, Vec<Diagnostic>);

/// A project's word lists and how they meet the rulebooks' own.
#[derive(Clone, Copy, Debug)]
pub enum ProjectLists<'a> {
    /// A project list replaces the rulebook's list of the same name (checking calls).
    Replace(&'a Lists),
    /// A project list is used only where the rulebook has none of that name (testing a
    /// rulebook's examples, which are written against its own lists).
    Fill(&'a Lists),
}

impl RuleSet {
    /// The matcher of every rule's phrases and patterns.
    pub fn matcher(&self) -> &Matcher {
        self.matcher.get_or_init(|| {
            // Only built-in phrases and patterns are left to build now, and every built-in
            // rulebook's build together is tested.
            self.matcher_source
                .clone()
                .build()
                .unwrap_or_else(|e| panic!("the built-in rulebooks' phrases and patterns must build: {e}"))
        })
    }

    /// Loads and compiles rulebooks; all errors are reported together.
    pub fn load(sources: &[RulebookSource]) -> Result<Loaded, Diagnostics> {
        Self::load_within(sources, None)
    }

    /// Loads rulebooks, confining the files they extend (rulebooks are data: a rulebook from
    /// elsewhere must not make callcheck read, and quote in its errors, files outside its folder).
    ///
    /// With `root` (the project folder, for rulebooks named by a configuration file) every
    /// `extends` path, followed through `..` and symbolic links, must stay inside `root`.
    /// Without it (rulebooks given with `-r`), each rulebook's `extends` must stay inside the
    /// current folder's tree when the rulebook lies in it (else inside the rulebook's own folder),
    /// or name a file that was itself given with `-r`.
    pub fn load_within(sources: &[RulebookSource], root: Option<&Path>) -> Result<Loaded, Diagnostics> {
        Self::load_configured(sources, root, ProjectLists::Replace(&Lists::new()))
    }

    /// [`RuleSet::load_within`], with a project's `[lists]`, which replace the rulebooks'
    /// lists of the same name.
    pub fn load_configured(
        sources: &[RulebookSource],
        root: Option<&Path>,
        lists: ProjectLists<'_>,
    ) -> Result<Loaded, Diagnostics> {
        let mut texts: Vec<extends::Source> = Vec::new();
        let mut explicit: Vec<PathBuf> = Vec::new();
        let mut diagnostics = Diagnostics::default();
        for source in sources {
            match source {
                RulebookSource::Builtin(name) => match builtin::find(name) {
                    Some(b) => texts.push(extends::Source {
                        path: format!("builtin:{}", b.name),
                        text: b.source.to_string(),
                        root: None,
                    }),
                    None => {
                        let names: Vec<&str> = builtin::BUILTINS.iter().map(|b| b.name).collect();
                        let mut d =
                            Diagnostic::whole_file(&format!("builtin:{name}"), "no such built-in rulebook")
                                .expected(format!("one of {}", crate::diagnostic::list(&names)));
                        if let Some(best) = did_you_mean(name, names.iter().copied()) {
                            d = d.hint(format!("did you mean `builtin:{best}`?"));
                        }
                        diagnostics.push(d);
                    }
                },
                RulebookSource::Path(path) => match rulebook_files(path) {
                    Ok(files) => {
                        // A folder given with -r is the tree its rulebooks may extend from.
                        let folder = if path.is_dir() {
                            path.clone()
                        } else {
                            path.parent().map(Path::to_path_buf).unwrap_or_default()
                        };
                        let confined_to = match root {
                            Some(root) => crate::paths::real_path(root),
                            None => command_line_root(&folder),
                        };
                        for file in files {
                            let display = display_path(&file);
                            if root.is_none() {
                                explicit.push(crate::paths::real_path(&file));
                            }
                            match crate::limits::read_settings_file(&file, crate::limits::MAX_SETTINGS_BYTES)
                            {
                                Ok(text) => texts.push(extends::Source {
                                    path: display,
                                    text,
                                    root: Some(confined_to.clone()),
                                }),
                                Err(e) => diagnostics.push(
                                    Diagnostic::whole_file(
                                        &display,
                                        format!("cannot read the rulebook: {e}"),
                                    )
                                    .hint("rulebooks are UTF-8 TOML files"),
                                ),
                            }
                        }
                    }
                    Err(d) => diagnostics.push(*d),
                },
            }
        }
        let (set, warnings) = Self::compile(texts, &explicit, root.is_some(), lists, &mut diagnostics);
        if diagnostics.has_errors() {
            diagnostics.0.extend(warnings);
            return Err(diagnostics);
        }
        Ok((set, warnings))
    }

    /// The built-in rulebooks.
    pub fn builtins() -> Result<Loaded, Diagnostics> {
        let sources: Vec<RulebookSource> = builtin::BUILTINS
            .iter()
            .map(|b| RulebookSource::Builtin(b.name.to_string()))
            .collect();
        Self::load(&sources)
    }

    /// Compiles one rulebook given as text (tests, examples); its `extends` paths are relative
    /// to `path` and confined to its folder.
    pub fn from_text(path: &str, text: &str) -> Result<Loaded, Diagnostics> {
        Self::from_text_with(path, text, ProjectLists::Replace(&Lists::new()))
    }

    /// [`RuleSet::from_text`] with a project's `[lists]` (an editor checks a rulebook of a
    /// project whose callcheck.toml defines lists the rulebook uses).
    pub fn from_text_with(path: &str, text: &str, lists: ProjectLists<'_>) -> Result<Loaded, Diagnostics> {
        let mut diagnostics = Diagnostics::default();
        let folder = Path::new(path)
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_default();
        let source = extends::Source {
            path: path.to_string(),
            text: text.to_string(),
            root: (!path.starts_with("builtin:")).then(|| crate::paths::real_path(&folder)),
        };
        let (set, warnings) = Self::compile(vec![source], &[], false, lists, &mut diagnostics);
        if diagnostics.has_errors() {
            return Err(diagnostics);
        }
        Ok((set, warnings))
    }

    /// For a read-back or pii rule, the index of the first rule of the set that reads values
    /// exactly as it does (rulebooks for several languages carry the same ones), so that
    /// `--redact` reads each distinct reader once; `None` for other rules.
    pub fn reader_group(&self, index: usize) -> Option<usize> {
        self.reader_groups.get(index).copied().flatten()
    }

    /// The switched-on read-back and pii rules, with their indices and
    /// [`RuleSet::reader_group`]s, found without a look at the other rules.
    pub fn enabled_readers(&self) -> impl Iterator<Item = (usize, usize, &Rule)> {
        self.reader_groups
            .iter()
            .enumerate()
            .filter_map(|(i, group)| Some((i, (*group)?)))
            .filter(|&(i, _)| self.enabled[i])
            .map(|(i, group)| (i, group, &self.rules[i]))
    }

    /// Switches a rule off (`"off"` in the project configuration's `[rules]`).
    pub fn disable(&mut self, index: usize) {
        if let Some(enabled) = self.enabled.get_mut(index) {
            *enabled = false;
        }
    }

    /// True when a rule is switched on.
    pub fn is_enabled(&self, index: usize) -> bool {
        self.enabled[index]
    }

    /// The switched-on rules with their indices.
    pub fn enabled_rules(&self) -> impl Iterator<Item = (usize, &Rule)> {
        self.rules.iter().enumerate().filter(|(i, _)| self.enabled[*i])
    }

    /// Applies `--select` and `--ignore`: each is a full rule id, a glob over full ids
    /// (`*/you-must`, `zh-telephone/*`) or a rulebook id. A pattern that matches no rule is an
    /// error, with a suggestion.
    pub fn select(&mut self, select: &[String], ignore: &[String]) -> Result<(), Problem> {
        let select_matcher = self.id_matcher(select, "--select")?;
        let ignore_matcher = self.id_matcher(ignore, "--ignore")?;
        for (i, rule) in self.rules.iter().enumerate() {
            let selected = select.is_empty() || select_matcher.is_match(&rule.id);
            self.enabled[i] = selected && !ignore_matcher.is_match(&rule.id);
        }
        Ok(())
    }

    fn id_matcher(&self, patterns: &[String], flag: &str) -> Result<globset::GlobSet, String> {
        let mut builder = GlobSetBuilder::new();
        for pattern in patterns {
            let is_rulebook = self
                .rulebooks
                .iter()
                .any(|r| &r.id == pattern && !r.extended_only);
            let glob_text = if is_rulebook {
                format!("{pattern}/*")
            } else {
                pattern.clone()
            };
            let glob =
                Glob::new(&glob_text).map_err(|e| format!("{flag} {pattern}: invalid pattern: {e}"))?;
            let single = glob.compile_matcher();
            if !self.rules.iter().any(|r| single.is_match(&r.id)) {
                let ids = self.rules.iter().map(|r| r.id.as_str());
                let hint = match did_you_mean(pattern, ids) {
                    Some(best) => format!("; did you mean `{best}`?"),
                    None => "; run `callcheck rules list` to see the rule ids".to_string(),
                };
                return Err(format!("{flag} {pattern}: no rule matches{hint}"));
            }
            builder.add(glob);
        }
        builder.build().map_err(|e| format!("{flag}: {e}"))
    }

    /// Finds a rule by full id, or by its local id when that is unambiguous.
    pub fn find(&self, id: &str) -> Result<&Rule, Problem> {
        if let Some(rule) = self.rules.iter().find(|r| r.id == id) {
            return Ok(rule);
        }
        let local: Vec<&Rule> = self.rules.iter().filter(|r| r.local_id() == id).collect();
        match local[..] {
            [one] => Ok(one),
            [] => {
                let locals = self.rules.iter().map(|r| {
                    if id.contains('/') {
                        r.id.as_str()
                    } else {
                        r.local_id()
                    }
                });
                let best = did_you_mean(id, locals)
                    .and_then(|best| self.rules.iter().find(|r| r.id == best || r.local_id() == best));
                let hint = match best {
                    Some(best) => format!(" (did you mean `{}`?)", best.id),
                    None => "; run `callcheck rules list` to see the rule ids".to_string(),
                };
                Err(format!("no rule `{id}`{hint}").into())
            }
            _ => {
                let ids: Vec<&str> = local.iter().map(|r| r.id.as_str()).collect();
                Err(format!("`{id}` is ambiguous: {}", ids.join(", ")).into())
            }
        }
    }

    /// The scoring model of the enabled rules.
    pub fn scoring(&self) -> Scoring {
        let scored: Vec<ScoredRule> = self
            .enabled_rules()
            .map(|(_, rule)| ScoredRule {
                id: rule.id.clone(),
                title: rule.meta.title.clone(),
                severity: rule.meta.severity,
                weight: effective_weight(rule.meta.weight, rule.meta.severity),
                auto_fail: rule.meta.auto_fail,
                section: rule.meta.section.clone(),
                scorecard: rule.scorecard,
            })
            .collect();
        Scoring::from_rules(scored, self.scorecards.clone())
    }

    /// The rulebook a rule belongs to.
    pub fn rulebook_of(&self, rule: &Rule) -> &RulebookInfo {
        &self.rulebooks[rule.rulebook]
    }
}

/// The `.toml` files a `-r` path stands for: the file itself, or a folder's `.toml` files in
/// name order (not recursive).
fn rulebook_files(path: &Path) -> Result<Vec<PathBuf>, Box<Diagnostic>> {
    let display = display_path(path);
    let meta = std::fs::metadata(path).map_err(|e| {
        Box::new(
            Diagnostic::whole_file(&display, format!("cannot read the rulebook: {e}"))
                .hint("-r takes a rulebook .toml file, a folder of them, or builtin:NAME"),
        )
    })?;
    if !meta.is_dir() {
        return Ok(vec![path.to_path_buf()]);
    }
    let entries = std::fs::read_dir(path).map_err(|e| {
        Box::new(Diagnostic::whole_file(
            &display,
            format!("cannot list the folder: {e}"),
        ))
    })?;
    let mut files: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml") && p.is_file())
        .collect();
    files.sort();
    if files.is_empty() {
        return Err(Box::new(
            Diagnostic::whole_file(&display, "the folder holds no .toml rulebooks")
                .hint("-r DIR loads the .toml files directly inside DIR"),
        ));
    }
    Ok(files)
}

/// A path for messages, with `/` separators.
pub fn display_path(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}

/// The folder tree a rulebook given with `-r` may extend from: the current folder's when the
/// rulebook lies inside it (a project's `rules/team.toml` extending `../common.toml`), else the
/// rulebook's own folder.
fn command_line_root(folder: &Path) -> PathBuf {
    let folder = crate::paths::real_path(folder);
    let current = crate::paths::real_path(Path::new("."));
    if folder.starts_with(&current) {
        current
    } else {
        folder
    }
}

fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].matches('\n').count() + 1
}

/// The 1-based line and column of a byte offset.
pub fn position_of(text: &str, offset: usize) -> Position {
    let offset = offset.min(text.len());
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    Position {
        line: line_of(text, offset) as u32,
        column: text[line_start..offset].chars().count() as u32 + 1,
    }
}

#[cfg(test)]
mod tests {
    use super::compile::is_kebab;
    use super::*;
    use crate::line_index::LineIndex;
    use crate::rules::RuleKind;
    use crate::transcript::Role;

    const GOOD: &str = r#"
[rulebook]
id = "acme"

[speakers]
customer = ["Member"]

[[required]]
id = "greeting"
window = { first_turns = 1 }
phrases = ["hello"]

[[forbidden]]
id = "you-must"
phrases = ["you must"]
severity = "error"
"#;

    fn errors(text: &str) -> String {
        RuleSet::from_text("r.toml", text).unwrap_err().to_string()
    }

    #[test]
    fn speakers_name_the_company_for_role_inference() {
        let book = "[rulebook]\nid = \"a\"\n[speakers]\ncompany = [\"ACME\", \"安信银行\"]\n";
        let (set, _) = RuleSet::from_text("r.toml", book).unwrap();
        assert_eq!(set.labels.companies(), ["ACME", "安信银行"]);
        let e = errors("[rulebook]\nid = \"a\"\n[speakers]\ncompnay = [\"ACME\"]\n");
        assert!(e.contains("did you mean `company`?"), "{e}");
    }

    #[test]
    fn loads_rules_with_prefixed_ids() {
        let (set, warnings) = RuleSet::from_text("r.toml", GOOD).unwrap();
        assert!(warnings.is_empty());
        let ids: Vec<&str> = set.rules.iter().map(|r| r.id.as_str()).collect();
        assert_eq!(ids, ["acme/greeting", "acme/you-must"]);
        assert_eq!(set.labels.role_of("member"), Some(Role::Customer));
        assert_eq!(set.rules[1].meta.severity, crate::finding::Severity::Error);
        assert_eq!(set.rules[0].meta.severity, crate::finding::Severity::Warning);
        assert_eq!(set.rules[0].meta.position, Position { line: 8, column: 1 });
    }

    #[test]
    fn written_phrases_are_built_at_load_and_built_in_ones_on_first_use() {
        // A written rulebook's matcher errors must come before any transcript is read.
        let (written, _) = RuleSet::from_text("r.toml", GOOD).unwrap();
        assert!(written.matcher.get().is_some());
        // The default run's calls each need some built-in rulebooks only: the matcher of
        // them all is left until something asks for it.
        let (builtins, _) = RuleSet::builtins().unwrap();
        assert!(builtins.matcher.get().is_none());
        builtins.matcher();
        assert!(builtins.matcher.get().is_some());
    }

    #[test]
    fn unknown_key_gets_did_you_mean() {
        let e = errors("[rulebook]\nid = \"a\"\n[[forbidden]]\nid = \"x\"\nphrasez = [\"y\"]\n");
        assert!(
            e.contains("r.toml:5:1: [[forbidden]] \"x\": unknown key `phrasez`"),
            "{e}"
        );
        assert!(e.contains("hint: did you mean `phrases`?"), "{e}");
        assert!(e.contains("expected: one of `id`"), "{e}");
    }

    #[test]
    fn duplicate_rule_ids_are_rejected() {
        let e = errors(
            "[rulebook]\nid = \"a\"\n[[forbidden]]\nid = \"x\"\nphrases = [\"y\"]\n[[required]]\nid = \"x\"\nphrases = [\"z\"]\n",
        );
        assert!(
            e.contains("r.toml:7:6: [[required]] \"x\" › id: duplicate rule id \"x\""),
            "{e}"
        );
        assert!(e.contains("first rule with this id is on line 4"), "{e}");
    }

    #[test]
    fn invalid_regex_points_at_the_pattern() {
        let e = errors("[rulebook]\nid = \"a\"\n[[forbidden]]\nid = \"x\"\npatterns = ['ok', '(bad']\n");
        assert!(
            e.contains("r.toml:5:19: [[forbidden]] \"x\" › patterns: invalid regular expression"),
            "{e}"
        );
    }

    #[test]
    fn empty_phrase_and_missing_phrases() {
        let e = errors("[rulebook]\nid = \"a\"\n[[forbidden]]\nid = \"x\"\nphrases = [\"，\"]\n");
        assert!(e.contains("empty after normalisation"), "{e}");
        let e = errors("[rulebook]\nid = \"a\"\n[[required]]\nid = \"x\"\n");
        assert!(e.contains("needs `phrases` or `patterns`"), "{e}");
    }

    #[test]
    fn bad_window_and_bad_severity() {
        let e = errors(
            "[rulebook]\nid = \"a\"\n[[required]]\nid = \"x\"\nphrases = [\"y\"]\nwindow = { first_turns = 1, last_turns = 2 }\n",
        );
        assert!(
            e.contains("invalid window: the window sets more than one key"),
            "{e}"
        );
        let e = errors(
            "[rulebook]\nid = \"a\"\n[[required]]\nid = \"x\"\nphrases = [\"y\"]\nseverity = \"eror\"\n",
        );
        assert!(e.contains("invalid value `eror`"), "{e}");
        assert!(e.contains("did you mean `error`?"), "{e}");
    }

    #[test]
    fn ids_must_be_kebab_case() {
        let e = errors("[rulebook]\nid = \"Acme Phone\"\n");
        assert!(e.contains("invalid rulebook id \"Acme Phone\""), "{e}");
        assert!(is_kebab("zh-telephone") && is_kebab("g3") && !is_kebab("a--b") && !is_kebab("A"));
    }

    #[test]
    fn unknown_guideline_is_a_warning() {
        let (_, warnings) = RuleSet::from_text(
            "r.toml",
            "[rulebook]\nid = \"a\"\n[[required]]\nid = \"x\"\nguideline = \"G99\"\nphrases = [\"y\"]\n",
        )
        .unwrap();
        assert_eq!(warnings.len(), 1);
        assert!(warnings[0].to_string().contains("unknown guideline \"G99\""));
    }

    #[test]
    fn select_and_ignore() {
        let (mut set, _) = RuleSet::from_text("r.toml", GOOD).unwrap();
        set.select(&["acme/you-must".into()], &[]).unwrap();
        assert_eq!(set.enabled_rules().count(), 1);
        set.select(&["acme".into()], &["*/greeting".into()]).unwrap();
        let ids: Vec<&str> = set.enabled_rules().map(|(_, r)| r.id.as_str()).collect();
        assert_eq!(ids, ["acme/you-must"]);
        let e = set.select(&["acme/greting".into()], &[]).unwrap_err();
        assert!(e.message().contains("did you mean `acme/greeting`?"), "{e}");
    }

    #[test]
    fn find_by_full_or_local_id() {
        let (set, _) = RuleSet::from_text("r.toml", GOOD).unwrap();
        assert_eq!(set.find("you-must").unwrap().id, "acme/you-must");
        assert_eq!(set.find("acme/greeting").unwrap().id, "acme/greeting");
        assert!(
            set.find("greting")
                .unwrap_err()
                .message()
                .contains("did you mean")
        );
    }

    #[test]
    fn reader_groups_join_exactly_the_rules_that_read_alike() {
        let (set, _) = RuleSet::builtins().unwrap();
        let key = |rule: &Rule| match &rule.kind {
            RuleKind::Readback(r) => Some(format!("{:?}", r.extractor())),
            RuleKind::Pii(p) => Some(p.reader_key().to_string()),
            _ => None,
        };
        let mut shared = 0;
        for (i, a) in set.rules.iter().enumerate() {
            assert_eq!(set.reader_group(i).is_some(), key(a).is_some(), "{}", a.id);
            let Some(group) = set.reader_group(i) else {
                continue;
            };
            assert!(group <= i && key(&set.rules[group]) == key(a), "{}", a.id);
            for (j, b) in set.rules.iter().enumerate().skip(i + 1) {
                let same = key(b) == key(a);
                assert_eq!(set.reader_group(j) == Some(group), same, "{} {}", a.id, b.id);
                shared += usize::from(same);
            }
        }
        // The built-in rulebooks do carry readers alike, so the grouping is exercised.
        assert!(shared > 0);
    }

    #[test]
    fn every_builtin_loads_cleanly() {
        let (set, warnings) = RuleSet::builtins().unwrap();
        assert!(warnings.is_empty(), "{warnings:?}");
        assert!(set.rulebooks.len() >= 2);
    }

    #[test]
    fn scorecard_keys_resolve_weights_auto_fail_and_sections() {
        let (set, _) = RuleSet::from_text(
            "r.toml",
            r#"
[rulebook]
id = "acme"
[scorecard]
pass_mark = 85
sections = [{ name = "Opening", rules = ["greet*"] }, { name = "Wording", rules = ["*"] }]
[[required]]
id = "greeting"
phrases = ["hello"]
weight = 3
[[forbidden]]
id = "swearing"
phrases = ["damn"]
auto_fail = true
[[forbidden]]
id = "note"
phrases = ["um"]
severity = "info"
"#,
        )
        .unwrap();
        let meta: Vec<_> = set
            .rules
            .iter()
            .map(|r| (r.meta.weight, r.meta.auto_fail, r.meta.section.as_deref()))
            .collect();
        assert_eq!(
            meta,
            [
                (Some(3.0), false, Some("Opening")),
                (None, true, Some("Wording")),
                (None, false, Some("Wording"))
            ]
        );
        assert_eq!(set.scorecards.len(), 1);
        assert_eq!(set.scorecards[0].pass_mark, 85.0);
        assert_eq!(set.scorecards[0].sections, ["Opening", "Wording"]);
        assert!(set.rules.iter().all(|r| r.scorecard == 0));
    }

    #[test]
    fn extending_rulebooks_inherit_and_override_the_scorecard() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("base.toml"),
            "[rulebook]\nid = \"base\"\n[scorecard]\npass_mark = 70\nsections = [{ name = \"All\", rules = [\"*\"] }]\n\
             [[forbidden]]\nid = \"x\"\nphrases = [\"x\"]\nweight = 2\n[[forbidden]]\nid = \"y\"\nphrases = [\"y\"]\n",
        )
        .unwrap();
        let child = dir.path().join("child.toml");
        std::fs::write(
            &child,
            "[rulebook]\nid = \"child\"\nextends = [\"base.toml\"]\n[scorecard]\nweight = { y = 5 }\nauto_fail = { x = true }\n",
        )
        .unwrap();
        let (set, _) = RuleSet::load(&[RulebookSource::Path(child)]).unwrap();
        let card = &set.scorecards[set.rules[0].scorecard];
        assert_eq!(
            (card.rulebook.as_str(), card.pass_mark, card.declared),
            ("child", 70.0, true)
        );
        assert_eq!(card.sections, ["All"]);
        let x = set.find("child/x").unwrap();
        assert_eq!((x.meta.weight, x.meta.auto_fail), (Some(2.0), true));
        let y = set.find("child/y").unwrap();
        assert_eq!(
            (y.meta.weight, y.meta.section.as_deref()),
            (Some(5.0), Some("All"))
        );
    }

    #[test]
    fn bad_scorecards_are_located() {
        let e = errors("[rulebook]\nid = \"a\"\n[scorecard]\npass_mark = 120\n");
        assert!(
            e.contains("r.toml:4:13: [scorecard] › pass_mark: invalid pass mark 120"),
            "{e}"
        );
        let e = errors("[rulebook]\nid = \"a\"\n[[forbidden]]\nid = \"x\"\nphrases = [\"y\"]\nweight = -1\n");
        assert!(e.contains("invalid weight -1"), "{e}");
        let e = errors(
            "[rulebook]\nid = \"a\"\n[scorecard]\nsections = [{ name = \"S\", rules = [\"gretting\"] }]\n\
             [[required]]\nid = \"greeting\"\nphrases = [\"y\"]\n",
        );
        assert!(e.contains("`gretting` matches no rule of this rulebook"), "{e}");
        assert!(e.contains("did you mean `greeting`?"), "{e}");
        let e = errors("[rulebook]\nid = \"a\"\n[scorecard]\nweight = { nope = 2 }\n");
        assert!(e.contains("`nope` is not an inherited rule"), "{e}");
        let e = errors("[rulebook]\nid = \"a\"\n[scorecard]\npassmark = 80\n");
        assert!(e.contains("did you mean `pass_mark`?"), "{e}");
    }

    #[test]
    fn line_index_agrees_with_position_of() {
        let text = "a\nbé\r\n\nxyz";
        let lines = LineIndex::new(text);
        for offset in (0..=text.len()).filter(|&o| text.is_char_boundary(o)) {
            assert_eq!(
                Position::at(&lines, offset),
                position_of(text, offset),
                "offset {offset}"
            );
        }
    }

    #[test]
    fn unknown_builtin_suggests_a_name() {
        let e = RuleSet::load(&[RulebookSource::Builtin("zh-telephon".into())])
            .unwrap_err()
            .to_string();
        assert!(e.contains("did you mean `builtin:zh-telephone`?"), "{e}");
    }
}
