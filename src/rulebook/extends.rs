//! `extends`: a rulebook built on others.
//!
//! ```toml
//! [rulebook]
//! id = "acme-replies"
//! extends = ["builtin:zh-telephone", "../common.toml"]   # paths relative to this file
//! disable = ["greeting", "closing-*"]                    # inherited rules to drop
//! severity = { bare-no = "error" }                       # inherited rules' severity
//! ```
//!
//! The rulebook's rules are the inherited ones (in `extends` order, each parent's after its own
//! `extends` are resolved) followed by its own; every rule takes the extending rulebook's id as
//! prefix (`acme-replies/you-must`). A rule of its own with an inherited rule's id replaces it
//! in place; a later parent's rule replaces an earlier parent's. Inherited rules keep their
//! parent's normalisation, speakers, language scope and source file, so errors and examples
//! still point into the parent.
//!
//! Cycles and files that cannot be read are errors at the `extends` entry.
//!
//! Rulebooks are data, and may come from someone else: an `extends` path may not leave the
//! folder tree of the file the user pointed callcheck at — the configuration's folder for
//! rulebooks named by `callcheck.toml`, the rulebook's own folder (or the folder given) for `-r`
//! — judged after `..` and symbolic links are resolved, unless it names a file that was itself
//! given with `-r`. Otherwise a rulebook could make callcheck read any file and quote its lines
//! in an error message.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use globset::Glob;
use toml::Spanned;

use super::builtin;
use super::problems::Parsed;
use crate::diagnostic::{Diagnostic, Diagnostics, did_you_mean, list};
use crate::finding::Severity;
use crate::paths::normalize_path;
use crate::rules::schema::{RulebookFile, SectionToml};

/// A parsed rulebook file and where its parents are in the arena.
pub(super) struct Book {
    /// Display path (`rules/acme.toml`, `builtin:zh-telephone`).
    pub path: String,
    /// The file's text.
    pub text: String,
    /// The parsed file.
    pub file: RulebookFile,
    /// Arena indices of the rulebooks it extends, in order.
    pub parents: Vec<usize>,
    /// True when loaded only because another rulebook extends it.
    pub extended_only: bool,
}

/// One rule of a rulebook's effective list: where its table is and any severity override.
#[derive(Clone, Debug)]
pub(super) struct Planned {
    /// Arena index of the rulebook whose file holds the table.
    pub book: usize,
    /// Index of the table in that file's [`crate::rules::rule_tables`].
    pub table: usize,
    /// The rule's local id.
    pub local: String,
    /// Severity set by an extending rulebook's `severity` table.
    pub severity: Option<Severity>,
    /// Weight set by an extending rulebook's `[scorecard] weight` table.
    pub weight: Option<f64>,
    /// Auto-fail set by an extending rulebook's `[scorecard] auto_fail` table.
    pub auto_fail: Option<bool>,
}

/// A top-level rulebook's text and where it came from.
pub(super) struct Source {
    /// Display path (`rules/acme.toml`, `builtin:zh-telephone`).
    pub path: String,
    /// The file's text.
    pub text: String,
    /// The folder (as [`crate::paths::real_path`] gives it) that its `extends` paths, and theirs, must stay
    /// in; `None` for built-ins, which extend only built-ins.
    pub root: Option<PathBuf>,
}

/// Every rulebook needed for a load: the top-level ones first, then the parents they extend.
pub(super) struct Books {
    /// The arena.
    pub books: Vec<Book>,
    /// How many of the first books were asked for (the rest are parents).
    pub top_level: usize,
}

/// A key identifying a rulebook file, so each is parsed once and cycles are found.
fn key_of(path: &str) -> String {
    if path.starts_with("builtin:") {
        return path.to_string();
    }
    crate::paths::display(&normalize_path(Path::new(path)))
}

impl Books {
    /// Parses the requested rulebooks and, recursively, the ones they extend. Problems go to
    /// `diagnostics`; a book that cannot be parsed is left out.
    pub fn load(
        texts: Vec<Source>,
        explicit: &[PathBuf],
        from_config: bool,
        diagnostics: &mut Diagnostics,
    ) -> Books {
        let mut books = Books {
            books: Vec::new(),
            top_level: 0,
        };
        let mut keys: HashMap<(String, Option<PathBuf>), usize> = HashMap::new();
        let mut top = Vec::new();
        for Source { path, text, root } in texts {
            let file = match super::problems::parse(&path, &text) {
                Parsed::Whole(file) => file,
                // The tables that parse are still loaded, so their rules' problems are
                // reported in the same run; the problems above make the load fail.
                Parsed::Broken(problems, rest) => {
                    diagnostics.0.extend(problems);
                    match rest {
                        Some(rest) => rest,
                        None => continue,
                    }
                }
            };
            top.push((books.books.len(), root));
            books.books.push(Book {
                path,
                text,
                file,
                parents: Vec::new(),
                extended_only: false,
            });
        }
        books.top_level = books.books.len();
        let scope = Scope {
            explicit,
            from_config,
        };
        for (index, root) in top {
            let mut stack = vec![key_of(&books.books[index].path)];
            books.resolve(index, root.as_deref(), &scope, &mut keys, &mut stack, diagnostics);
        }
        books
    }

    #[allow(clippy::too_many_arguments)]
    fn resolve(
        &mut self,
        index: usize,
        root: Option<&Path>,
        scope: &Scope<'_>,
        keys: &mut HashMap<(String, Option<PathBuf>), usize>,
        stack: &mut Vec<String>,
        diagnostics: &mut Diagnostics,
    ) {
        let entries: Vec<Spanned<String>> = self.books[index].file.rulebook.get_ref().extends.clone();
        let (path, text) = (self.books[index].path.clone(), self.books[index].text.clone());
        let here = if path.starts_with("builtin:") {
            None
        } else {
            Some(
                Path::new(&path)
                    .parent()
                    .map(Path::to_path_buf)
                    .unwrap_or_default(),
            )
        };
        let mut parents = Vec::new();
        for entry in &entries {
            let error = |message: String| Diagnostic::at(&path, &text, entry.span(), message);
            let (parent_path, parent_text) = match entry.get_ref().strip_prefix("builtin:") {
                Some(name) => match builtin::find(name) {
                    Some(b) => (format!("builtin:{}", b.name), b.source.to_string()),
                    None => {
                        let names: Vec<&str> = builtin::BUILTINS.iter().map(|b| b.name).collect();
                        let mut d = error(format!("no built-in rulebook `{name}`"))
                            .expected(format!("one of {}", list(&names)));
                        if let Some(best) = did_you_mean(name, names.iter().copied()) {
                            d = d.hint(format!("did you mean `builtin:{best}`?"));
                        }
                        diagnostics.push(d);
                        continue;
                    }
                },
                None => {
                    let Some(here) = &here else {
                        diagnostics.push(
                            error("a built-in rulebook can only extend other built-ins".into())
                                .expected("\"builtin:NAME\""),
                        );
                        continue;
                    };
                    let resolved: PathBuf = here.join(entry.get_ref());
                    if let Some(root) = root
                        && !scope.allows(&resolved, root)
                    {
                        let (message, expected) = if scope.from_config {
                            (
                                format!(
                                    "`{}` is outside the project folder {}",
                                    entry.get_ref(),
                                    crate::paths::display(root)
                                ),
                                "\"builtin:NAME\", or a rulebook inside the folder of callcheck.toml \
                                 (after `..` and symbolic links)",
                            )
                        } else {
                            (
                                format!(
                                    "`{}` is outside {}, the folder a rulebook given with -r may extend from",
                                    entry.get_ref(),
                                    crate::paths::display(root)
                                ),
                                "\"builtin:NAME\", or a rulebook inside the current folder (for a rulebook \
                                 in it) or the rulebook's own folder (after `..` and symbolic links)",
                            )
                        };
                        diagnostics.push(error(message).expected(expected).hint(
                            "rulebooks are data and must not reach files outside their folder; \
                                 give it with -r on the command line if you mean it",
                        ));
                        continue;
                    }
                    match crate::limits::read_settings_file(&resolved, crate::limits::MAX_SETTINGS_BYTES) {
                        Ok(t) => (crate::paths::display(&resolved), t),
                        Err(e) => {
                            diagnostics.push(
                                error(format!(
                                    "cannot read `{}` ({}): {e}",
                                    entry.get_ref(),
                                    crate::paths::display(&resolved)
                                ))
                                .expected("\"builtin:NAME\" or a rulebook path")
                                .hint("extends paths are relative to the rulebook that names them"),
                            );
                            continue;
                        }
                    }
                }
            };
            let key = key_of(&parent_path);
            let key_in_root = (key.clone(), root.map(Path::to_path_buf));
            if let Some(at) = stack.iter().position(|k| *k == key) {
                let shown = |k: &String| {
                    if k.starts_with("builtin:") {
                        k.clone()
                    } else {
                        crate::paths::shown(Path::new(k))
                    }
                };
                let mut cycle: Vec<String> = stack[at..].iter().map(shown).collect();
                cycle.push(shown(&key));
                diagnostics.push(
                    error(format!("extends cycle: {}", cycle.join(" → ")))
                        .expected("rulebooks that extend each other in one direction only")
                        .hint("move the shared rules into a rulebook both can extend"),
                );
                continue;
            }
            // A parent shared by rulebooks with different roots is loaded once per root, so its
            // own `extends` are checked against each.
            if let Some(&existing) = keys.get(&key_in_root) {
                parents.push(existing);
                continue;
            }
            let file = match super::problems::parse(&parent_path, &parent_text) {
                Parsed::Whole(file) => file,
                Parsed::Broken(problems, _) => {
                    diagnostics.0.extend(problems);
                    continue;
                }
            };
            let parent = self.books.len();
            self.books.push(Book {
                path: parent_path,
                text: parent_text,
                file,
                parents: Vec::new(),
                extended_only: true,
            });
            keys.insert(key_in_root, parent);
            stack.push(key);
            self.resolve(parent, root, scope, keys, stack, diagnostics);
            stack.pop();
            parents.push(parent);
        }
        self.books[index].parents = parents;
    }

    /// The effective rules of book `index`: inherited ones with replacements, `disable` and
    /// `severity` applied, then its own. `local_ids[b]` lists book `b`'s own rule ids by table.
    pub fn plan(
        &self,
        index: usize,
        local_ids: &[Vec<String>],
        diagnostics: &mut Diagnostics,
    ) -> Vec<Planned> {
        let mut plan: Vec<Planned> = Vec::new();
        let mut depth = 0;
        self.plan_into(index, local_ids, diagnostics, &mut plan, &mut depth);
        plan
    }

    fn plan_into(
        &self,
        index: usize,
        local_ids: &[Vec<String>],
        diagnostics: &mut Diagnostics,
        plan: &mut Vec<Planned>,
        depth: &mut usize,
    ) {
        // Cycles are cut when parents are resolved; the depth guard only protects against a
        // bug turning into a stack overflow.
        *depth += 1;
        if *depth > 64 {
            return;
        }
        let book = &self.books[index];
        let mut inherited: Vec<Planned> = Vec::new();
        for &parent in &book.parents {
            let mut from_parent = Vec::new();
            self.plan_into(parent, local_ids, diagnostics, &mut from_parent, depth);
            merge(&mut inherited, from_parent);
        }
        let header = book.file.rulebook.get_ref();
        let error = |span: std::ops::Range<usize>, message: String| {
            Diagnostic::at(&book.path, &book.text, span, message)
        };
        let all_ids: Vec<String> = inherited.iter().map(|p| p.local.clone()).collect();
        let inherited_ids = || all_ids.iter().map(String::as_str).collect::<Vec<_>>();
        for pattern in &header.disable {
            let Ok(glob) = Glob::new(pattern.get_ref()) else {
                diagnostics.push(error(pattern.span(), "invalid rule id or glob".into()));
                continue;
            };
            let matcher = glob.compile_matcher();
            let before = inherited.len();
            inherited.retain(|p| !matcher.is_match(&p.local));
            if inherited.len() == before {
                diagnostics.push(unmatched(
                    error(
                        pattern.span(),
                        format!("`{}` matches no inherited rule", pattern.get_ref()),
                    ),
                    pattern.get_ref(),
                    &inherited_ids(),
                ));
            }
        }
        for (id, severity) in &header.severity {
            let mut found = false;
            for p in inherited.iter_mut().filter(|p| p.local == *id.get_ref()) {
                p.severity = Some(*severity.get_ref());
                found = true;
            }
            if !found {
                diagnostics.push(unmatched(
                    error(id.span(), format!("`{}` is not an inherited rule", id.get_ref())),
                    id.get_ref(),
                    &inherited_ids(),
                ));
            }
        }
        if let Some(scorecard) = &book.file.scorecard {
            let scorecard = scorecard.get_ref();
            for (id, weight) in &scorecard.weight {
                let mut found = false;
                for p in inherited.iter_mut().filter(|p| p.local == *id.get_ref()) {
                    p.weight = Some(*weight.get_ref());
                    found = true;
                }
                if !found {
                    diagnostics.push(unmatched(
                        error(id.span(), format!("`{}` is not an inherited rule", id.get_ref())),
                        id.get_ref(),
                        &inherited_ids(),
                    ));
                }
            }
            for (id, auto_fail) in &scorecard.auto_fail {
                let mut found = false;
                for p in inherited.iter_mut().filter(|p| p.local == *id.get_ref()) {
                    p.auto_fail = Some(*auto_fail);
                    found = true;
                }
                if !found {
                    diagnostics.push(unmatched(
                        error(id.span(), format!("`{}` is not an inherited rule", id.get_ref())),
                        id.get_ref(),
                        &inherited_ids(),
                    ));
                }
            }
        }
        let own: Vec<Planned> = local_ids[index]
            .iter()
            .enumerate()
            .map(|(table, local)| Planned {
                book: index,
                table,
                local: local.clone(),
                severity: None,
                weight: None,
                auto_fail: None,
            })
            .collect();
        // Own rules replace inherited ones; two own rules with one id are both compiled, so the
        // duplicate-id error comes with every other problem of both.
        let inherited_count = inherited.len();
        for rule in own {
            match inherited[..inherited_count]
                .iter_mut()
                .find(|p| p.local == rule.local && p.book != index)
            {
                Some(slot) => *slot = rule,
                None => inherited.push(rule),
            }
        }
        plan.extend(inherited);
        *depth -= 1;
    }
}

/// The rulebook files given explicitly on the command line, which any rulebook may extend.
struct Scope<'a> {
    explicit: &'a [PathBuf],
    /// True when the rulebooks were named by a configuration file (for messages).
    from_config: bool,
}

impl Scope<'_> {
    /// True when `path` may be read by a rulebook confined to `root` (a
    /// [`crate::paths::real_path`]): it lies inside `root` after `..` and symbolic links are
    /// resolved, or it is a file given with `-r`.
    fn allows(&self, path: &Path, root: &Path) -> bool {
        let real = crate::paths::real_path(path);
        real.starts_with(root) || self.explicit.contains(&real)
    }
}

/// The pass mark and sections in force for book `index`: its own `[scorecard]` keys, else
/// those of the first rulebook it extends (recursively) that sets them. Each comes with the
/// index of the book that set it.
impl Books {
    /// The pass mark (with the book that set it), if any book in the chain sets one.
    pub fn pass_mark(&self, index: usize) -> Option<(usize, &toml::Spanned<f64>)> {
        self.inherited(index, 0, &|file: &RulebookFile| {
            file.scorecard
                .as_ref()
                .and_then(|s| s.get_ref().pass_mark.as_ref())
        })
    }

    /// The sections (with the book that set them), if any book in the chain sets them.
    pub fn sections(&self, index: usize) -> Option<(usize, &Vec<SectionToml>)> {
        self.inherited(index, 0, &|file: &RulebookFile| {
            file.scorecard
                .as_ref()
                .and_then(|s| s.get_ref().sections.as_ref())
        })
    }

    fn inherited<'b, T: ?Sized>(
        &'b self,
        index: usize,
        depth: usize,
        get: &dyn Fn(&'b RulebookFile) -> Option<&'b T>,
    ) -> Option<(usize, &'b T)> {
        if depth > 64 {
            return None;
        }
        let book = &self.books[index];
        if let Some(value) = get(&book.file) {
            return Some((index, value));
        }
        book.parents
            .iter()
            .find_map(|&parent| self.inherited(parent, depth + 1, get))
    }
}

/// Appends `later` to `plan`; a rule whose id is already there replaces it in place.
fn merge(plan: &mut Vec<Planned>, later: Vec<Planned>) {
    for rule in later {
        match plan.iter_mut().find(|p| p.local == rule.local) {
            Some(slot) => *slot = rule,
            None => plan.push(rule),
        }
    }
}

fn unmatched(d: Diagnostic, word: &str, ids: &[&str]) -> Diagnostic {
    let d = d.expected("the id of a rule from an extended rulebook (without its prefix)");
    match did_you_mean(word, ids.iter().copied()) {
        Some(best) => d.hint(format!("did you mean `{best}`?")),
        None if ids.is_empty() => d.hint("this rulebook extends no rulebook with rules"),
        None => d.hint(format!("inherited rules: {}", ids.join(", "))),
    }
}
