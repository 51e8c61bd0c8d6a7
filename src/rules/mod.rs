//! Rule kinds: what each kind checks, how it compiles, how it judges a transcript.
//!
//! Rule kinds are a small closed set; rules are data. Each kind is one file here that declares
//! its TOML table, compiles it (registering phrases and patterns with the matcher), evaluates a
//! transcript from the matcher's hits, and documents itself. [`rule_kinds!`] registers the kinds:
//! adding a kind is one new file plus one line there (and its table in
//! [`RulebookFile`](schema::RulebookFile)).

pub mod conditional;
pub mod context;
pub mod forbidden;
pub mod hangup;
pub mod metric;
pub mod pii;
pub mod readback;
pub mod required;
pub mod schema;
pub mod sequence;
pub mod utterance;
pub mod window;

use std::ops::Range;

use toml::Spanned;

use crate::diagnostic::{Diagnostic, Diagnostics, key_advice};
use crate::finding::{Finding, Severity};
use crate::matcher::{Hit, MatchError, MatcherBuilder, Origin, Slot, Target};
use crate::problem::Problem;
use crate::transcript::{Channel, Position, Role, Transcript};
use schema::WindowToml;
pub use window::{Selection, Speakers, TurnIndex, Utterance, Window};

/// A kind's documentation, printed by `callcheck rules explain` (in the style of ruff's rule
/// docs: what it does, why, an example).
#[derive(Debug)]
pub struct KindDoc {
    /// The TOML table name (`forbidden`).
    pub name: &'static str,
    /// One line.
    pub summary: &'static str,
    /// What it checks, including when it is not applicable.
    pub what: &'static str,
    /// Why contact centres care.
    pub why: &'static str,
    /// A TOML example.
    pub example: &'static str,
}

/// Whether a rule could judge a transcript.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// The rule was checked (it may or may not have found something).
    Applicable,
    /// The rule cannot be judged for this transcript; the reason says why.
    NotApplicable(String),
}

/// What every rule kind implements.
pub trait Kind: Sized {
    /// The kind's TOML table.
    type Toml;
    /// The kind's documentation.
    const DOC: KindDoc;
    /// Validates the table and registers phrases and patterns; `None` after reporting errors.
    fn compile(toml: &Self::Toml, ctx: &mut CompileCtx<'_>) -> Option<Self>;
    /// Judges one transcript from the rule's hits, pushing findings.
    fn evaluate(&self, ctx: &EvalCtx<'_>, findings: &mut Vec<Finding>) -> Outcome;
    /// The rule's settings as `key: value` lines for `rules explain`.
    fn settings(&self) -> Vec<(&'static str, String)>;
    /// Whose turn a one-line example is.
    fn example_role(&self) -> Role;
}

/// Declares the rule kinds: the `RuleKind` enum and its dispatch, and the docs list.
macro_rules! rule_kinds {
    ($( $variant:ident in $module:ident ),* $(,)?) => {
        /// A compiled rule of one of the kinds.
        #[derive(Debug)]
        pub enum RuleKind {
            $( #[doc = concat!("A `[[", stringify!($module), "]]` rule.")] $variant($module::$variant), )*
        }

        impl RuleKind {
            /// The kind's documentation.
            pub fn doc(&self) -> &'static KindDoc {
                match self { $( RuleKind::$variant(_) => &<$module::$variant as Kind>::DOC, )* }
            }

            /// Judges one transcript.
            pub fn evaluate(&self, ctx: &EvalCtx<'_>, findings: &mut Vec<Finding>) -> Outcome {
                match self { $( RuleKind::$variant(r) => r.evaluate(ctx, findings), )* }
            }

            /// `key: value` settings for `rules explain`.
            pub fn settings(&self) -> Vec<(&'static str, String)> {
                match self { $( RuleKind::$variant(r) => r.settings(), )* }
            }

            /// Whose turn a one-line example is.
            pub fn example_role(&self) -> Role {
                match self { $( RuleKind::$variant(r) => r.example_role(), )* }
            }

            /// True when the rule judges what is said wherever it is said (forbidden wording,
            /// personal data, required wording without a window, turn length, occurrences), so
            /// it checks every reply template; the
            /// other rules judge a call's shape and check only templates of the roles they name.
            pub fn is_about_wording(&self) -> bool {
                match self {
                    RuleKind::Forbidden(_) | RuleKind::Pii(_) => true,
                    RuleKind::Required(r) => r.is_about_wording(),
                    RuleKind::Metric(m) => m.is_about_wording(),
                    _ => false,
                }
            }
        }

        /// Documentation of every kind, in registration order.
        pub static KIND_DOCS: &[&KindDoc] = &[ $( &<$module::$variant as Kind>::DOC, )* ];

        /// Every rule table of a rulebook file, in file order, ready to compile.
        pub(crate) fn rule_tables(file: &schema::RulebookFile) -> Vec<RuleTable<'_>> {
            let mut tables: Vec<RuleTable<'_>> = Vec::new();
            $(
                for table in &file.$module {
                    let inner = table.get_ref();
                    tables.push(RuleTable {
                        at: table.span().start,
                        common: inner.common(),
                        compile: Box::new(move |ctx: &mut CompileCtx<'_>| {
                            <$module::$variant as Kind>::compile(inner, ctx).map(RuleKind::$variant)
                        }),
                    });
                }
            )*
            tables.sort_by_key(|t| t.at);
            tables
        }
    };
}

rule_kinds! {
    Required in required,
    Forbidden in forbidden,
    Sequence in sequence,
    Hangup in hangup,
    Readback in readback,
    Conditional in conditional,
    Metric in metric,
    Pii in pii,
}

/// Compiles one rule table into its kind.
pub(crate) type CompileFn<'a> = Box<dyn FnOnce(&mut CompileCtx<'_>) -> Option<RuleKind> + 'a>;

/// One rule table of a rulebook file, not yet compiled.
pub(crate) struct RuleTable<'a> {
    /// Byte offset of the table header in the file.
    pub at: usize,
    /// The keys every rule takes.
    pub common: schema::CommonToml<'a>,
    /// Validates the kind's keys and registers its phrases.
    pub compile: CompileFn<'a>,
}

/// A rule's embedded example and where it is written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Example {
    /// The example transcript text.
    pub text: String,
    /// Where the example string starts in the rulebook.
    pub position: Position,
}

/// The keys every rule has, resolved.
#[derive(Clone, Debug)]
pub struct RuleMeta {
    /// One-line title.
    pub title: Option<String>,
    /// Domain guideline id (`G3`).
    pub guideline: Option<String>,
    /// Severity of findings.
    pub severity: Severity,
    /// Message for findings.
    pub message: Option<String>,
    /// Tags.
    pub tags: Vec<String>,
    /// Examples that must pass.
    pub pass: Vec<Example>,
    /// Examples that must fail.
    pub fail: Vec<Example>,
    /// Where the rule's table starts in its rulebook.
    pub position: Position,
    /// The only channel the rule is about (`None`: voice calls and chats alike).
    pub channel: Option<Channel>,
    /// The rule's share of a call's score as written (`None`: the default, 1, or 0 for info
    /// rules; see [`crate::score`]).
    pub weight: Option<f64>,
    /// A finding of this rule makes the call's score 0.
    pub auto_fail: bool,
    /// The scorecard section the rule belongs to.
    pub section: Option<String>,
    /// The reply-template roles (`opening`, `closing`, …) the rule checks. `None`: rules about
    /// wording ([`RuleKind::is_about_wording`]) check every template, others none.
    pub templates: Option<Vec<String>>,
}

/// A compiled rule.
#[derive(Debug)]
pub struct Rule {
    /// Full id: `rulebook/rule`.
    pub id: String,
    /// The same id, [`intern`](crate::finding::intern)ed, for the reports' lists of rules
    /// not applicable.
    pub interned_id: &'static str,
    /// Index of the rulebook it came from.
    pub rulebook: usize,
    /// The common keys.
    pub meta: RuleMeta,
    /// Index of the scorecard that scores it in [`RuleSet::scorecards`](crate::rulebook::RuleSet)
    /// (its top-level rulebook's).
    pub scorecard: usize,
    /// The kind and its compiled settings.
    pub kind: RuleKind,
}

impl Rule {
    /// The id without the rulebook prefix.
    pub fn local_id(&self) -> &str {
        self.id.split_once('/').map_or(&self.id, |(_, id)| id)
    }

    /// The message a finding carries: the rule's message, else its title, else `default`.
    pub fn message_or(&self, default: impl FnOnce() -> String) -> String {
        self.meta
            .message
            .clone()
            .or_else(|| self.meta.title.clone())
            .unwrap_or_else(default)
    }
}

/// Named word lists (`[lists]` of a rulebook or of callcheck.toml).
pub type Lists = indexmap::IndexMap<String, Vec<String>>;

/// What a kind needs while compiling one rule.
pub struct CompileCtx<'a> {
    /// The rulebook's display path.
    pub path: &'a str,
    /// The rulebook's text, for error locations.
    pub source: &'a str,
    /// Index the rule will have in the rule set.
    pub rule: u32,
    /// The rulebook's normalisation profile in the matcher.
    pub profile: usize,
    /// Where phrases and patterns are registered.
    pub matcher: &'a mut MatcherBuilder,
    /// Where errors go.
    pub diagnostics: &'a mut Diagnostics,
    /// The word lists rules may name (the rulebook's, replaced by the project's).
    pub lists: &'a Lists,
    /// For a built-in rulebook, its own lists (`None` for others): its phrases and patterns,
    /// and the words of those of its lists nobody replaced, are built in ([`Origin::Builtin`]).
    pub builtin_lists: Option<&'a Lists>,
}

impl CompileCtx<'_> {
    /// The words of a named list (`phrases_from`, `in_list`); `None` after reporting that no
    /// list has that name.
    pub fn list(&mut self, name: &Spanned<String>) -> Option<Vec<String>> {
        if let Some(words) = self.lists.get(name.get_ref()) {
            return Some(words.clone());
        }
        let known: Vec<&str> = self.lists.keys().map(String::as_str).collect();
        let mut d = self
            .error(name.span(), format!("no list `{}`", name.get_ref()))
            .expected(if known.is_empty() {
                "the name of a list in [lists]".to_string()
            } else {
                format!("one of {}", crate::diagnostic::list(&known))
            })
            .hint(format!(
                "define it in the rulebook or in callcheck.toml: [lists] {} = [\"…\"]",
                name.get_ref()
            ));
        if let Some(best) = crate::diagnostic::did_you_mean(name.get_ref(), known.iter().copied()) {
            d = d.hint(format!("did you mean `{best}`?"));
        }
        self.report(d);
        None
    }

    /// Registers the words of a named list as phrases of a slot; returns them.
    pub fn list_phrases(&mut self, name: &Spanned<String>, slot: Slot) -> Option<Vec<String>> {
        let words = self.list(name)?;
        let spanned: Vec<Spanned<String>> = words
            .iter()
            .map(|w| Spanned::new(name.span(), w.clone()))
            .collect();
        let built_in = self
            .builtin_lists
            .is_some_and(|own| own.get(name.get_ref()) == Some(&words));
        self.add_phrases(
            &spanned,
            slot,
            if built_in {
                Origin::Builtin
            } else {
                Origin::Written
            },
        );
        Some(words)
    }

    /// Where this rulebook's own phrases and patterns come from.
    fn origin(&self) -> Origin {
        if self.builtin_lists.is_some() {
            Origin::Builtin
        } else {
            Origin::Written
        }
    }

    /// Reports an error at a span of the rulebook, with the key's usual advice.
    pub fn error(&mut self, span: Range<usize>, message: impl Into<String>) -> Diagnostic {
        let mut d = Diagnostic::at(self.path, self.source, span, message);
        if let Some((expected, hint)) = d
            .context
            .as_deref()
            .and_then(|c| c.rsplit(" › ").next())
            .and_then(key_advice)
        {
            d.expected = Some(expected.to_string());
            d.hint = Some(hint.to_string());
        }
        d
    }

    /// Records a diagnostic.
    pub fn report(&mut self, diagnostic: Diagnostic) {
        self.diagnostics.push(diagnostic);
    }

    /// Registers literal phrases for a slot; returns them for `rules explain`.
    pub fn phrases(&mut self, phrases: &[Spanned<String>], slot: Slot) -> Vec<String> {
        self.add_phrases(phrases, slot, self.origin())
    }

    /// [`CompileCtx::phrases`] from `origin`.
    fn add_phrases(&mut self, phrases: &[Spanned<String>], slot: Slot, origin: Origin) -> Vec<String> {
        let target = Target {
            rule: self.rule,
            slot,
        };
        for phrase in phrases {
            let d = match self
                .matcher
                .add_phrase(self.profile, phrase.get_ref(), target, origin)
            {
                Ok(()) => continue,
                Err(MatchError::EmptyPhrase(text)) if text.is_empty() => self
                    .error(phrase.span(), "the phrase is empty")
                    .hint("an empty phrase matches nothing; remove it from the list"),
                Err(MatchError::EmptyPhrase(text)) => self
                    .error(
                        phrase.span(),
                        format!("the phrase {text:?} is empty after normalisation"),
                    )
                    .hint(
                        "punctuation and spaces are ignored when matching; write the words, or \
                         set [normalize] ignore_punctuation = false",
                    ),
                Err(MatchError::BadPhrase(reason)) => self
                    .error(phrase.span(), format!("invalid phrase: {reason}"))
                    .expected("words, with (a|b) alternatives, (a)? optional parts and … gaps")
                    .hint("write \\( \\) \\| \\… for the characters themselves; see docs/rulebook.md"),
                Err(MatchError::BadPattern(_)) => self
                    .error(
                        phrase.span(),
                        "the phrase matches empty text: every part of it is optional",
                    )
                    .hint("make at least one part required: `(请问)?还有` rather than `(请问还有)?`"),
                Err(MatchError::TooLarge) => self
                    .error(phrase.span(), "the phrase is too large to compile")
                    .hint("use fewer alternatives or smaller gaps, or split it into several phrases"),
            };
            self.report(d);
        }
        phrases.iter().map(|p| p.get_ref().clone()).collect()
    }

    /// Registers regex patterns for a slot; returns them for `rules explain`.
    pub fn patterns(&mut self, patterns: &[Spanned<String>], slot: Slot) -> Vec<String> {
        self.add_patterns(patterns, slot, None)
    }

    /// [`CompileCtx::patterns`] whose hits the rule reads only in calls where its slot `after`
    /// has a hit: they are looked for only in those calls
    /// ([`MatcherBuilder::add_pattern_after`]).
    pub fn patterns_after(&mut self, patterns: &[Spanned<String>], slot: Slot, after: Slot) -> Vec<String> {
        self.add_patterns(patterns, slot, Some(after))
    }

    fn add_patterns(&mut self, patterns: &[Spanned<String>], slot: Slot, after: Option<Slot>) -> Vec<String> {
        let target = Target {
            rule: self.rule,
            slot,
        };
        let origin = self.origin();
        for pattern in patterns {
            let text = pattern.get_ref();
            let added = match after {
                Some(slot) => {
                    let after = Target {
                        rule: self.rule,
                        slot,
                    };
                    self.matcher
                        .add_pattern_after(self.profile, text, target, after, origin)
                }
                None => self.matcher.add_pattern(self.profile, text, target, origin),
            };
            match added {
                Ok(()) | Err(MatchError::EmptyPhrase(_) | MatchError::BadPhrase(_)) => {}
                Err(MatchError::BadPattern(reason)) => {
                    let d = self
                        .error(pattern.span(), "invalid regular expression")
                        .expected("a Rust regex (https://docs.rs/regex/#syntax)")
                        .hint(format!(
                            "{}; use `phrases` for literal text",
                            reason
                                .lines()
                                .last()
                                .unwrap_or(&reason)
                                .trim()
                                .trim_start_matches("error: ")
                        ));
                    self.report(d);
                }
                Err(MatchError::TooLarge) => {
                    let (message, hint) = crate::matcher::regex_error(&regex::Error::CompiledTooBig(
                        crate::matcher::REGEX_SIZE_LIMIT,
                    ));
                    let d = self
                        .error(pattern.span(), message)
                        .expected("a pattern that compiles to at most 10 MB")
                        .hint(hint);
                    self.report(d);
                }
            }
        }
        patterns.iter().map(|p| p.get_ref().clone()).collect()
    }

    /// Resolves an optional window; reports an error and returns `None` if it is invalid.
    pub fn window(&mut self, window: &Option<Spanned<WindowToml>>) -> Option<Window> {
        let Some(window) = window else {
            return Some(Window::Whole);
        };
        match Window::from_toml(window.get_ref()) {
            Ok(w) => Some(w),
            Err(reason) => {
                let d = self
                    .error(window.span(), format!("invalid window: {reason}"))
                    .expected(
                        "exactly one of { first_turns = N }, { last_turns = N }, { final_turns = N }, \
                         { first_seconds = N }, { last_seconds = N } with N > 0",
                    )
                    .hint("leave `window` out to look at the whole call");
                self.report(d);
                None
            }
        }
    }

    /// Reports that a rule needs at least one phrase or pattern.
    pub fn require_some(&mut self, span: Range<usize>, kind: &str, count: usize) -> bool {
        if count > 0 {
            return true;
        }
        let d = self
            .error(span, format!("a [[{kind}]] rule needs `phrases` or `patterns`"))
            .expected("phrases = [\"…\"] or patterns = ['…']")
            .hint("add the wording the rule looks for");
        self.report(d);
        false
    }
}

/// What a kind sees while judging one transcript.
pub struct EvalCtx<'a> {
    /// The transcript.
    pub transcript: &'a Transcript,
    /// The transcript's turns grouped by role.
    pub turns: &'a TurnIndex<'a>,
    /// The rule's hits, sorted by turn and position.
    pub hits: &'a [Hit],
    /// The rule being judged.
    pub rule: &'a Rule,
    /// Whether a rule that does not apply says why ([`EvalCtx::not_applicable`]).
    pub reasons: bool,
}

impl<'a> EvalCtx<'a> {
    /// The rule does not apply, for the reason `why` gives: asked only when reasons are wanted
    /// (else the reason is empty), since most reports list only the rules' ids.
    pub fn not_applicable(&self, why: impl FnOnce() -> String) -> Outcome {
        Outcome::NotApplicable(if self.reasons { why() } else { String::new() })
    }

    /// The speaker's turns inside a window; `Err` gives the reason the rule does not apply.
    pub fn select(&self, window: Window, speakers: Speakers) -> Result<Selection<'a>, Problem> {
        window.select_in(self.turns, self.transcript, speakers)
    }

    /// The rule's hits in one slot within the selected turns.
    pub fn hits_in<'s>(
        &'s self,
        slot: Slot,
        selection: &'s Selection<'_>,
    ) -> impl Iterator<Item = &'s Hit> + 's {
        self.hits
            .iter()
            .filter(move |h| h.slot == slot && selection.contains(h.turn as usize))
    }

    /// A finding at a matched phrase or pattern.
    pub fn finding_at_hit(&self, hit: &Hit, default_message: impl FnOnce() -> String) -> Finding {
        let turn = &self.transcript.turns[hit.turn as usize];
        let (start, end) = (hit.start as usize, hit.end as usize);
        let mut finding = self.finding_at_turn(hit.turn as usize, default_message);
        finding.start = turn.position_at(start);
        finding.end = turn.position_at(end);
        finding.matched = Some(turn.text[start..end].to_string());
        finding
    }

    /// A finding about a whole turn (something missing from it): at the start of its text.
    pub fn finding_at_turn(&self, index: usize, default_message: impl FnOnce() -> String) -> Finding {
        let turn = &self.transcript.turns[index];
        let mut finding = self.finding_at(turn.position(), default_message);
        finding.turn = Some(index as u32 + 1);
        finding.speaker = Some(turn.speaker.role);
        finding.time = turn.start;
        finding
    }

    /// A finding at a source position that is not a turn (a header, an event).
    pub fn finding_at(&self, position: Position, default_message: impl FnOnce() -> String) -> Finding {
        Finding {
            rule: self.rule.id.clone(),
            kind: self.rule.kind.doc().name,
            severity: self.rule.meta.severity,
            message: self.rule.message_or(default_message),
            note: None,
            start: position,
            end: position,
            turn: None,
            speaker: None,
            time: None,
            matched: None,
            suggestion: None,
            replacement: None,
            excerpt: None,
        }
    }
}

/// Quotes phrases for messages: `"您好", "你好"` (at most `max`, then "…").
pub fn quote_list(items: &[String], max: usize) -> String {
    let mut out: Vec<String> = items.iter().take(max).map(|s| format!("\"{s}\"")).collect();
    if items.len() > max {
        out.push(format!("… ({} more)", items.len() - max));
    }
    out.join(", ")
}

/// Names turns (0-based indices, in order) for messages, numbered from 1: "turn 3", "turns 3, 5
/// and 7", "no turn".
pub fn describe_turns(turns: impl IntoIterator<Item = usize>) -> String {
    let numbers: Vec<String> = turns.into_iter().map(|t| (t + 1).to_string()).collect();
    match numbers.as_slice() {
        [] => "no turn".to_string(),
        [one] => format!("turn {one}"),
        [init @ .., last] => format!("turns {} and {last}", init.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn turns_are_named_from_one_with_and_before_the_last() {
        assert_eq!(describe_turns(std::iter::empty()), "no turn");
        assert_eq!(describe_turns([3]), "turn 4");
        assert_eq!(describe_turns([3, 5]), "turns 4 and 6");
        assert_eq!(describe_turns([3, 5, 7]), "turns 4, 6 and 8");
    }
}
