//! Rulebooks in: TOML files or built-ins → one validated, compiled [`RuleSet`].
//!
//! Loading reads every rulebook, reports every problem it can find (with `file:line:column`,
//! the key, what was expected and a hint), and compiles all phrases and patterns into one
//! [`Matcher`] before any transcript is read. Rule ids are prefixed with their rulebook's id;
//! duplicate rule ids within a rulebook and duplicate rulebook ids are errors.

pub mod builtin;
mod extends;
mod problems;
pub mod schema;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use globset::{Glob, GlobSetBuilder};

use crate::diagnostic::{Diagnostic, Diagnostics, did_you_mean};
use crate::guidelines;
use crate::matcher::{Matcher, MatcherBuilder};
use crate::normalize::Profile;
use crate::rules::{self, CompileCtx, Example, Rule, RuleKind, RuleMeta};
use crate::score::{DEFAULT_PASS_MARK, Scorecard};
use crate::transcript::{Channel, Language, Position, Role, SpeakerLabels};
use schema::LanguageToml;

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
    /// All phrases and patterns.
    pub matcher: Matcher,
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

/// [`RuleSet::reader_group`] of every rule: read-back rules with the same extractor and
/// `min_digits`, and pii rules that find the same values, share the index of the first of them.
fn reader_groups(rules: &[Rule]) -> Vec<Option<usize>> {
    // Worked out once at load: the settings' debug form is long, and telling readers apart for
    // every transcript by formatting it cost more than a tenth of a `--redact` run.
    let keys: Vec<Option<String>> = rules
        .iter()
        .map(|rule| match &rule.kind {
            RuleKind::Readback(r) => Some(format!("{:?}", r.extractor())),
            RuleKind::Pii(p) => Some(p.reader_key()),
            _ => None,
        })
        .collect();
    keys.iter()
        .map(|key| {
            let key = key.as_ref()?;
            keys.iter().position(|k| k.as_ref() == Some(key))
        })
        .collect()
}

/// A loaded rule set plus any warnings found while loading.
pub type Loaded = (RuleSet, Vec<Diagnostic>);

/// Named word lists (`[lists]` of a rulebook or of callcheck.toml).
pub type Lists = indexmap::IndexMap<String, Vec<String>>;

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
                            Some(root) => crate::discover::real_path(root),
                            None => command_line_root(&folder),
                        };
                        for file in files {
                            let display = display_path(&file);
                            if root.is_none() {
                                explicit.push(crate::discover::real_path(&file));
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
            root: (!path.starts_with("builtin:")).then(|| crate::discover::real_path(&folder)),
        };
        let (set, warnings) = Self::compile(vec![source], &[], false, lists, &mut diagnostics);
        if diagnostics.has_errors() {
            return Err(diagnostics);
        }
        Ok((set, warnings))
    }

    fn compile(
        texts: Vec<extends::Source>,
        explicit: &[PathBuf],
        from_config: bool,
        project_lists: ProjectLists<'_>,
        diagnostics: &mut Diagnostics,
    ) -> (RuleSet, Vec<Diagnostic>) {
        let mut builder = MatcherBuilder::new();
        let mut rulebooks: Vec<RulebookInfo> = Vec::new();
        let mut rules: Vec<Rule> = Vec::new();
        let mut labels = SpeakerLabels::default();
        let mut warnings = Vec::new();
        let mut ids: HashMap<String, String> = HashMap::new();
        let first_diagnostic = diagnostics.0.len();
        let books = extends::Books::load(texts, explicit, from_config, diagnostics);
        // Per book: its rule tables' local ids, its matcher profile and its RulebookInfo index.
        let local_ids: Vec<Vec<String>> = books
            .books
            .iter()
            .map(|b| {
                rules::rule_tables(&b.file)
                    .iter()
                    .map(|t| t.common.id.get_ref().clone())
                    .collect()
            })
            .collect();
        let mut info_of: Vec<usize> = Vec::new();
        let mut profiles: Vec<usize> = Vec::new();
        // Thousands of rules mean thousands of positions: index each book's lines once.
        let lines: Vec<Lines<'_>> = books.books.iter().map(|b| Lines::new(&b.text)).collect();
        // A book with a built-in rulebook's text holds its tested phrases and patterns.
        let built_in: Vec<bool> = books
            .books
            .iter()
            .map(|b| builtin::BUILTINS.iter().any(|x| x.source == b.text))
            .collect();
        for (index, book) in books.books.iter().enumerate() {
            let (path, text, file) = (&book.path, &book.text, &book.file);
            let header = file.rulebook.get_ref();
            let id = header.id.get_ref().clone();
            if !is_kebab(&id) {
                diagnostics.push(
                    Diagnostic::at(
                        path,
                        text,
                        header.id.span(),
                        format!("invalid rulebook id {id:?}"),
                    )
                    .expected("a kebab-case name such as \"acme-phone\" (a-z, 0-9, -)")
                    .hint("the id prefixes every rule id: acme-phone/greeting"),
                );
            }
            if index < books.top_level
                && let Some(first) = ids.insert(id.clone(), path.clone())
            {
                diagnostics.push(
                    Diagnostic::at(
                        path,
                        text,
                        header.id.span(),
                        format!("duplicate rulebook id {id:?}"),
                    )
                    .expected("rulebook ids unique across all loaded rulebooks")
                    .hint(format!("{first} already uses this id; rename one of them")),
                );
            }
            for (role, names) in [
                (Role::Agent, &file.speakers.agent),
                (Role::Customer, &file.speakers.customer),
                (Role::System, &file.speakers.system),
            ] {
                for name in names {
                    labels.add(name, role);
                }
            }
            for name in &file.speakers.company {
                labels.add_company(name);
            }
            let n = &file.normalize;
            profiles.push(builder.profile(Profile {
                fold_width: n.fold_width,
                fold_case: n.fold_case,
                fold_script: n.fold_script,
                ignore_punctuation: n.ignore_punctuation,
            }));
            let language = |l: Option<LanguageToml>| match l {
                Some(LanguageToml::Zh) => Some(Language::Zh),
                Some(LanguageToml::En) => Some(Language::En),
                _ => None,
            };
            info_of.push(rulebooks.len());
            rulebooks.push(RulebookInfo {
                id,
                title: header.title.clone(),
                description: header.description.clone(),
                language: language(header.language).map(|l| l.as_str().to_string()),
                applies_to: language(header.applies_to),
                source: path.clone(),
                text: text.clone(),
                extended_only: book.extended_only,
            });
            // Rule-level checks of each book's own tables, once per book.
            let mut seen: HashMap<String, u32> = HashMap::new();
            for table in rules::rule_tables(file) {
                let common = &table.common;
                let local = common.id.get_ref();
                let id_span = common.id.span();
                if !is_kebab(local) {
                    diagnostics.push(
                        Diagnostic::at(path, text, id_span.clone(), format!("invalid rule id {local:?}"))
                            .expected("a kebab-case name such as \"greeting\" (a-z, 0-9, -)")
                            .hint("reports show rule ids as rulebook-id/rule-id"),
                    );
                }
                if let Some(first_line) =
                    seen.insert(local.clone(), lines[index].position(id_span.start).line)
                {
                    diagnostics.push(
                        Diagnostic::at(
                            path,
                            text,
                            id_span.clone(),
                            format!("duplicate rule id {local:?}"),
                        )
                        .expected("rule ids unique within a rulebook")
                        .hint(format!("the first rule with this id is on line {first_line}")),
                    );
                }
                if let Some(weight) = common.weight {
                    check_weight(path, text, weight, diagnostics);
                }
                if let Some(g) = common.guideline
                    && guidelines::title(g).is_none()
                {
                    warnings.push(
                        Diagnostic::at(path, text, id_span.clone(), format!("unknown guideline {g:?}"))
                            .warning()
                            .expected("a guideline id from G1 to G37 (see `callcheck rules guidelines`)")
                            .hint("the guideline links the rule to the domain catalogue in reports"),
                    );
                }
            }
        }
        for book in &books.books {
            if let Some(scorecard) = &book.file.scorecard {
                check_scorecard(&book.path, &book.text, scorecard.get_ref(), diagnostics);
            }
        }
        let mut scorecards: Vec<Scorecard> = Vec::new();
        for top in 0..books.top_level {
            let plan = books.plan(top, &local_ids, diagnostics);
            let prefix = books.books[top].file.rulebook.get_ref().id.get_ref().clone();
            let sections = Sections::new(&books, top, &plan, diagnostics);
            let pass_mark = books.pass_mark(top);
            scorecards.push(Scorecard {
                rulebook: prefix.clone(),
                pass_mark: pass_mark.map_or(DEFAULT_PASS_MARK, |(_, p)| *p.get_ref()),
                declared: pass_mark.is_some(),
                sections: sections.names(),
            });
            // Tables are built once per book used, then taken rule by rule.
            let mut tables: HashMap<usize, Vec<Option<rules::RuleTable<'_>>>> = HashMap::new();
            for planned in plan {
                let book = &books.books[planned.book];
                let slots = tables
                    .entry(planned.book)
                    .or_insert_with(|| rules::rule_tables(&book.file).into_iter().map(Some).collect());
                let Some(table) = slots.get_mut(planned.table).and_then(Option::take) else {
                    continue;
                };
                let (path, text) = (book.path.as_str(), book.text.as_str());
                let book_lines = &lines[planned.book];
                let common = &table.common;
                let examples = |list: Option<&Vec<toml::Spanned<String>>>| -> Vec<Example> {
                    list.map(|l| {
                        l.iter()
                            .map(|e| Example {
                                text: e.get_ref().clone(),
                                position: book_lines.position(e.span().start),
                            })
                            .collect()
                    })
                    .unwrap_or_default()
                };
                let meta = RuleMeta {
                    title: common.title.map(str::to_string),
                    guideline: common.guideline.map(str::to_string),
                    severity: planned.severity.or(common.severity).unwrap_or_default(),
                    message: common.message.map(str::to_string),
                    tags: common.tags.to_vec(),
                    pass: examples(common.examples.map(|e| &e.pass)),
                    fail: examples(common.examples.map(|e| &e.fail)),
                    position: book_lines.position(table.at),
                    // A rule's own `channel`, else its rulebook's.
                    channel: common
                        .channel
                        .or(book.file.rulebook.get_ref().channel)
                        .map(|c| match c {
                            schema::ChannelToml::Voice => Channel::Voice,
                            schema::ChannelToml::Chat => Channel::Chat,
                        }),
                    weight: planned.weight.or(common.weight.map(|w| *w.get_ref())),
                    auto_fail: planned.auto_fail.or(common.auto_fail).unwrap_or(false),
                    section: sections.of(&planned.local),
                    templates: common.templates.map(<[String]>::to_vec),
                };
                // The book's own lists, each replaced by the extending rulebook's list of the
                // same name (a company tailors what it inherits), then by the project's.
                let mut lists: Lists = book.file.lists.clone();
                if planned.book != top {
                    let own = &books.books[top].file.lists;
                    lists.extend(own.iter().map(|(k, v)| (k.clone(), v.clone())));
                }
                match project_lists {
                    ProjectLists::Replace(project) => {
                        lists.extend(project.iter().map(|(k, v)| (k.clone(), v.clone())));
                    }
                    ProjectLists::Fill(project) => {
                        for (name, words) in project {
                            lists.entry(name.clone()).or_insert_with(|| words.clone());
                        }
                    }
                }
                let mut ctx = CompileCtx {
                    path,
                    source: text,
                    rule: rules.len() as u32,
                    profile: profiles[planned.book],
                    matcher: &mut builder,
                    diagnostics: &mut *diagnostics,
                    lists: &lists,
                    builtin_lists: built_in[planned.book].then_some(&book.file.lists),
                };
                if let Some(kind) = (table.compile)(&mut ctx) {
                    rules.push(Rule {
                        id: format!("{prefix}/{}", planned.local),
                        rulebook: info_of[planned.book],
                        meta,
                        scorecard: scorecards.len() - 1,
                        kind,
                    });
                }
            }
        }
        // A parent extended twice is checked twice; report each problem once, in file and
        // line order.
        let found = &mut diagnostics.0[first_diagnostic..];
        found.sort_by(|a, b| (&a.path, a.line, a.column).cmp(&(&b.path, b.line, b.column)));
        let mut unique: Vec<Diagnostic> = Vec::new();
        let mut seen_at = std::collections::HashSet::new();
        for d in diagnostics.0.drain(first_diagnostic..) {
            // Sorted: equal diagnostics are neighbours within one (path, line, column).
            if seen_at.insert((d.path.clone(), d.line, d.column, d.message.clone())) || !unique.contains(&d) {
                unique.push(d);
            }
        }
        diagnostics.0.extend(unique);
        let matcher = match builder.build() {
            Ok(m) => m,
            Err(e) => {
                diagnostics.push(Diagnostic::whole_file("rulebooks", e));
                MatcherBuilder::new()
                    .build()
                    .unwrap_or_else(|_| unreachable!("an empty matcher always builds"))
            }
        };
        let enabled = vec![true; rules.len()];
        let reader_groups = reader_groups(&rules);
        let list_names = books
            .books
            .iter()
            .flat_map(|b| b.file.lists.keys().cloned())
            .collect();
        (
            RuleSet {
                rulebooks,
                rules,
                enabled,
                matcher,
                labels,
                scorecards,
                list_names,
                reader_groups,
            },
            warnings,
        )
    }

    /// For a read-back or pii rule, the index of the first rule of the set that reads values
    /// exactly as it does (rulebooks for several languages carry the same ones), so that
    /// `--redact` reads each distinct reader once; `None` for other rules.
    pub fn reader_group(&self, index: usize) -> Option<usize> {
        self.reader_groups.get(index).copied().flatten()
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
    pub fn select(&mut self, select: &[String], ignore: &[String]) -> Result<(), String> {
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
    pub fn find(&self, id: &str) -> Result<&Rule, String> {
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
                Err(format!("no rule `{id}`{hint}"))
            }
            _ => {
                let ids: Vec<&str> = local.iter().map(|r| r.id.as_str()).collect();
                Err(format!("`{id}` is ambiguous: {}", ids.join(", ")))
            }
        }
    }

    /// The rulebook a rule belongs to.
    pub fn rulebook_of(&self, rule: &Rule) -> &RulebookInfo {
        &self.rulebooks[rule.rulebook]
    }
}

/// Reports a `weight` that is negative or not a number.
fn check_weight(path: &str, text: &str, weight: &toml::Spanned<f64>, diagnostics: &mut Diagnostics) {
    let value = *weight.get_ref();
    if !(value.is_finite() && value >= 0.0) {
        diagnostics.push(
            Diagnostic::at(path, text, weight.span(), format!("invalid weight {value}"))
                .expected("a number of 0 or more, such as 1, 2 or 0.5")
                .hint("a rule's weight is its share of the call's score; 0 leaves it out of the score"),
        );
    }
}

/// Reports `[scorecard]` values out of range and sections without a name.
fn check_scorecard(path: &str, text: &str, scorecard: &schema::ScorecardToml, diagnostics: &mut Diagnostics) {
    if let Some(mark) = &scorecard.pass_mark {
        let value = *mark.get_ref();
        if !(0.0..=100.0).contains(&value) {
            diagnostics.push(
                Diagnostic::at(path, text, mark.span(), format!("invalid pass mark {value}"))
                    .expected("a score from 0 to 100, such as 80")
                    .hint("a call passes when its score is at least the pass mark"),
            );
        }
    }
    for weight in scorecard.weight.values() {
        check_weight(path, text, weight, diagnostics);
    }
    let mut names: Vec<&str> = Vec::new();
    for section in scorecard.sections.iter().flatten() {
        let name = section.name.get_ref().trim();
        if name.is_empty() || names.contains(&name) {
            let message = if name.is_empty() {
                "a section needs a name".to_string()
            } else {
                format!("duplicate section name {name:?}")
            };
            diagnostics.push(
                Diagnostic::at(path, text, section.name.span(), message)
                    .expected("a unique, non-empty name such as \"Opening\"")
                    .hint("reports show a score per section under this name"),
            );
        }
        names.push(name);
    }
}

/// The scorecard sections of a top-level rulebook, compiled: which section each rule is in.
struct Sections {
    sections: Vec<(String, globset::GlobSet)>,
}

impl Sections {
    /// Compiles the sections in force for book `top` (its own or inherited). Patterns of its
    /// own sections that match no rule of its plan are errors; inherited ones may match none.
    fn new(
        books: &extends::Books,
        top: usize,
        plan: &[extends::Planned],
        diagnostics: &mut Diagnostics,
    ) -> Self {
        let Some((owner, sections)) = books.sections(top) else {
            return Sections { sections: Vec::new() };
        };
        let book = &books.books[owner];
        let ids: Vec<&str> = plan.iter().map(|p| p.local.as_str()).collect();
        let mut compiled = Vec::new();
        for section in sections {
            let mut builder = GlobSetBuilder::new();
            for pattern in &section.rules {
                let error = |message: String| Diagnostic::at(&book.path, &book.text, pattern.span(), message);
                let glob = match Glob::new(pattern.get_ref()) {
                    Ok(glob) => glob,
                    Err(e) => {
                        diagnostics.push(error(format!("invalid rule id or glob: {e}")).expected(
                            "a rule id without the rulebook prefix, or a glob such as \"closing-*\"",
                        ));
                        continue;
                    }
                };
                // The glob is compiled once, not once per rule id: each compilation builds a regex.
                let matches_none = || {
                    let single = glob.compile_matcher();
                    !ids.iter().any(|id| single.is_match(id))
                };
                if owner == top && matches_none() {
                    let mut d = error(format!(
                        "`{}` matches no rule of this rulebook",
                        pattern.get_ref()
                    ))
                    .expected("a rule id without the rulebook prefix, or a glob over them");
                    if let Some(best) = did_you_mean(pattern.get_ref(), ids.iter().copied()) {
                        d = d.hint(format!("did you mean `{best}`?"));
                    }
                    diagnostics.push(d);
                }
                builder.add(glob);
            }
            if let Ok(set) = builder.build() {
                compiled.push((section.name.get_ref().trim().to_string(), set));
            }
        }
        Sections { sections: compiled }
    }

    /// The section names, in order.
    fn names(&self) -> Vec<String> {
        self.sections.iter().map(|(name, _)| name.clone()).collect()
    }

    /// The first section naming a rule.
    fn of(&self, local: &str) -> Option<String> {
        self.sections
            .iter()
            .find(|(_, set)| set.is_match(local))
            .map(|(name, _)| name.clone())
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
    let folder = crate::discover::real_path(folder);
    let current = crate::discover::real_path(Path::new("."));
    if folder.starts_with(&current) {
        current
    } else {
        folder
    }
}

/// True for `abc`, `abc-1`, `a-b-c`.
fn is_kebab(id: &str) -> bool {
    !id.is_empty()
        && id.split('-').all(|part| {
            !part.is_empty() && part.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
}

/// Line starts of a text, for many offset-to-position lookups.
struct Lines<'t> {
    text: &'t str,
    starts: Vec<usize>,
}

impl<'t> Lines<'t> {
    fn new(text: &'t str) -> Self {
        let starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        Lines { text, starts }
    }

    /// The same as [`position_of`], in logarithmic time.
    fn position(&self, offset: usize) -> Position {
        let offset = offset.min(self.text.len());
        let line = self.starts.partition_point(|&s| s <= offset);
        let start = self.starts[line.saturating_sub(1)];
        Position {
            line: u32::try_from(line).unwrap_or(u32::MAX),
            column: u32::try_from(self.text.get(start..offset).map_or(0, |s| s.chars().count()) + 1)
                .unwrap_or(u32::MAX),
        }
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
    use super::*;

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
        assert!(e.contains("did you mean `acme/greeting`?"), "{e}");
    }

    #[test]
    fn find_by_full_or_local_id() {
        let (set, _) = RuleSet::from_text("r.toml", GOOD).unwrap();
        assert_eq!(set.find("you-must").unwrap().id, "acme/you-must");
        assert_eq!(set.find("acme/greeting").unwrap().id, "acme/greeting");
        assert!(set.find("greting").unwrap_err().contains("did you mean"));
    }

    #[test]
    fn reader_groups_join_exactly_the_rules_that_read_alike() {
        let (set, _) = RuleSet::builtins().unwrap();
        let key = |rule: &Rule| match &rule.kind {
            RuleKind::Readback(r) => Some(format!("{:?}", r.extractor())),
            RuleKind::Pii(p) => Some(p.reader_key()),
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
        let lines = Lines::new(text);
        for offset in (0..=text.len()).filter(|&o| text.is_char_boundary(o)) {
            assert_eq!(
                lines.position(offset),
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
