//! Loaded rulebooks into a [`RuleSet`]: the checks of each book (ids, weights, guidelines,
//! scorecards and their sections), then every rule its top-level rulebook plans compiled into
//! its kind, with all phrases and patterns in one matcher.

use std::collections::HashMap;
use std::path::PathBuf;

use globset::{Glob, GlobSetBuilder};

use super::{ProjectLists, RuleSet, RulebookInfo, extends};
use crate::diagnostic::{Diagnostic, Diagnostics, did_you_mean};
use crate::guidelines;
use crate::line_index::LineIndex;
use crate::matcher::MatcherBuilder;
use crate::normalize::Profile;
use crate::rules::schema::{self, LanguageToml};
use crate::rules::{self, CompileCtx, Example, Lists, Rule, RuleKind, RuleMeta};
use crate::score::{DEFAULT_PASS_MARK, Scorecard};
use crate::transcript::{Channel, Language, Position, Role, SpeakerLabels};

impl RuleSet {
    /// Checks and compiles the loaded rulebook texts (see [`RuleSet::load_within`] for
    /// `explicit` and `from_config`) into one rule set plus its warnings.
    pub(super) fn compile(
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
        let lines: Vec<LineIndex<'_>> = books.books.iter().map(|b| LineIndex::new(&b.text)).collect();
        // A book with a built-in rulebook's text holds its tested phrases and patterns.
        let built_in: Vec<bool> = books
            .books
            .iter()
            .map(|b| super::builtin::BUILTINS.iter().any(|x| x.source == b.text))
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
                    seen.insert(local.clone(), Position::at(&lines[index], id_span.start).line)
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
                                position: Position::at(book_lines, e.span().start),
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
                    position: Position::at(book_lines, table.at),
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
                    let id = format!("{prefix}/{}", planned.local);
                    rules.push(Rule {
                        interned_id: crate::finding::intern(&id),
                        id,
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
        let matcher = std::sync::OnceLock::new();
        if builder.has_written() {
            builder.prepare_gates();
            let built = builder.clone().build().unwrap_or_else(|e| {
                diagnostics.push(Diagnostic::whole_file("rulebooks", e));
                MatcherBuilder::new()
                    .build()
                    .unwrap_or_else(|_| unreachable!("an empty matcher always builds"))
            });
            let _ = matcher.set(built);
        }
        let matcher_source = builder;
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
                matcher_source,
                labels,
                scorecards,
                list_names,
                reader_groups,
            },
            warnings,
        )
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
            RuleKind::Pii(p) => Some(p.reader_key().to_string()),
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

/// True for `abc`, `abc-1`, `a-b-c`.
pub(super) fn is_kebab(id: &str) -> bool {
    !id.is_empty()
        && id.split('-').all(|part| {
            !part.is_empty() && part.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
}
