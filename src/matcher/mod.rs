//! Finds every phrase and pattern of every rule in a transcript, in one pass per turn.
//!
//! All literal phrases of all loaded rules go into one Aho-Corasick automaton (per
//! normalisation profile; normally there is one), searched with overlapping matches so that one
//! phrase can never hide another. Regex patterns are prefiltered with a `RegexSet`: only the
//! patterns the set reports for a turn are run to find positions.
//!
//! Rules never scan text: they read the [`Hits`] this module produces. A hit says which rule and
//! which of the rule's lists (its [`Slot`]) matched, in which turn, and where in the turn's
//! original text.
//!
//! Word boundaries follow the contract: a phrase with a Latin letter or digit at an edge matches
//! only where the neighbouring character on that edge is not a letter or digit; CJK edges match
//! anywhere. The check looks at the characters around an automaton hit rather than compiling
//! `\b` into patterns, which keeps the regex engines on their fast paths.

mod automaton;
mod digits;
mod gates;
mod phrase;
mod turn;

use std::collections::HashMap;
use std::sync::OnceLock;

use regex::{Regex, RegexBuilder, RegexSet, RegexSetBuilder};

use self::automaton::PhraseAutomaton;
use crate::normalize::{NormText, Profile, fold_script_char, is_word_char, normalize, normalize_into};
use crate::problem::Problem;
use crate::transcript::Transcript;

/// Which list of a rule a phrase belongs to; each rule kind gives its slots meaning
/// (for example a forbidden rule's phrases and its `except` list).
pub type Slot = u16;

/// The rule and list a phrase or pattern was registered for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Target {
    /// Index of the rule in the rule set.
    pub rule: u32,
    /// The rule's list.
    pub slot: Slot,
}

/// One match of a phrase or pattern in a turn.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Hit {
    /// Index of the rule.
    pub rule: u32,
    /// Index of the turn in the transcript.
    pub turn: u32,
    /// Byte offset of the match's start in the turn's original text.
    pub start: u32,
    /// Byte offset of the match's end in the turn's original text.
    pub end: u32,
    /// The rule's list that matched.
    pub slot: Slot,
}

impl Hit {
    /// True when this hit lies inside `other` (same turn).
    pub fn is_within(&self, other: &Hit) -> bool {
        self.turn == other.turn && other.start <= self.start && self.end <= other.end
    }
}

/// Why a phrase or pattern cannot be used.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MatchError {
    /// The phrase is empty after normalisation (only punctuation or spaces).
    EmptyPhrase(String),
    /// The pattern does not compile, or matches empty text.
    BadPattern(String),
    /// The pattern would compile to more than [`REGEX_SIZE_LIMIT`] bytes.
    TooLarge,
    /// The phrase's alternatives, optional parts or gaps are malformed; says what is wrong.
    BadPhrase(String),
}

/// What is wrong with a pattern the regex crate rejected: a message and a hint for the user.
/// A pattern too large to compile gets advice on what makes patterns large; a syntax error
/// gets the regex crate's own explanation (its last line).
pub fn regex_error(e: &regex::Error) -> (String, String) {
    match e {
        regex::Error::CompiledTooBig(limit) => (
            format!(
                "the regular expression is too large: it compiles to more than {} MB",
                limit >> 20
            ),
            "Unicode classes (\\w, \\d, \\pL, .) and counted repeats ({500}) multiply a \
             pattern's size: use ASCII classes such as [a-z0-9_], smaller counts, or split it"
                .to_string(),
        ),
        _ => {
            let reason = e.to_string();
            let last = reason.lines().last().unwrap_or(&reason).trim();
            (
                "invalid regular expression".to_string(),
                last.trim_start_matches("error: ").to_string(),
            )
        }
    }
}

/// An automaton entry: a rule phrase (with its word-boundary needs and targets), or a literal
/// that some patterns need in the text before they can match (they are "gated" by it).
#[derive(Clone)]
struct Phrase {
    needs_left_boundary: bool,
    needs_right_boundary: bool,
    targets: Vec<Target>,
    /// The gate sets this literal belongs to, as [`gates::gate_key`]s.
    gates: Vec<u32>,
}

#[derive(Clone)]
struct Pattern {
    regex: LazyRegex,
    targets: Vec<Target>,
    /// Sets of literals every match contains one of each of (see [`gates`]); `None`: the
    /// pattern runs on every turn that holds the digits it needs. Worked out when a matcher
    /// that runs the pattern on every turn is built ([`Pattern::gate_sets`]): parsing the
    /// pattern costs more than the rest of registering it, and a run builds matchers for only
    /// some rulebooks.
    gate_sets: OnceLock<Option<Vec<Vec<String>>>>,
    /// Compiled from a phrase: its edges need word boundaries as a literal phrase's do.
    phrase_edges: bool,
    /// Run only in calls where this target has a hit (see [`MatcherBuilder::add_pattern_after`]),
    /// after every turn was scanned; `None`: run on every turn.
    after: Option<Target>,
}

impl Pattern {
    /// The pattern's gate sets ([`Pattern::gate_sets`]), worked out on first use.
    fn gate_sets(&self) -> Option<&Vec<Vec<String>>> {
        self.gate_sets
            .get_or_init(|| gates::required_literal_sets(&self.regex.text, self.regex.case_insensitive))
            .as_ref()
    }
}

/// Where a phrase or pattern comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Origin {
    /// A rulebook or list someone wrote: its regex is compiled, and checked, when registered.
    Written,
    /// A built-in rulebook, whose every phrase and pattern the tests compile: its regex is
    /// compiled on first use (most never are: a run meets few of them), not at load.
    Builtin,
}

/// A pattern's regex over normalised text, compiled when registered or on first use.
#[derive(Clone)]
struct LazyRegex {
    /// The regex's text (folded as the profile folds).
    text: String,
    case_insensitive: bool,
    compiled: OnceLock<Regex>,
}

impl LazyRegex {
    /// The builder of this regex.
    fn builder(text: &str, case_insensitive: bool) -> RegexBuilder {
        let mut builder = RegexBuilder::new(text);
        builder
            .case_insensitive(case_insensitive)
            .size_limit(REGEX_SIZE_LIMIT);
        builder
    }

    /// The compiled regex.
    fn get(&self) -> &Regex {
        self.compiled.get_or_init(|| {
            // Only built-in patterns are left to compile here, and the tests compile them all.
            Self::builder(&self.text, self.case_insensitive)
                .build()
                .unwrap_or_else(|e| unreachable!("built-in pattern {:?}: {e}", self.text))
        })
    }
}

#[derive(Clone, Default)]
struct ProfileBuilder {
    phrase_ids: HashMap<String, usize>,
    phrase_texts: Vec<String>,
    phrases: Vec<Phrase>,
    pattern_ids: HashMap<String, usize>,
    patterns: Vec<Pattern>,
}

/// Collects phrases and patterns while rulebooks compile.
#[derive(Clone, Default)]
pub struct MatcherBuilder {
    profiles: Vec<(Profile, ProfileBuilder)>,
    /// Whether a phrase or pattern came from a rulebook someone wrote ([`Origin::Written`]).
    written: bool,
}

/// Largest compiled size of one pattern, so a runaway pattern fails at load time.
pub const REGEX_SIZE_LIMIT: usize = 10 * (1 << 20);

/// Most memory the pattern set's lazy DFA may use per thread.
const SET_DFA_CACHE: usize = 16 << 20;

impl MatcherBuilder {
    /// An empty builder.
    pub fn new() -> Self {
        Self::default()
    }

    /// The index of a normalisation profile, adding it on first use.
    pub fn profile(&mut self, profile: Profile) -> usize {
        if let Some(i) = self.profiles.iter().position(|(p, _)| *p == profile) {
            return i;
        }
        self.profiles.push((profile, ProfileBuilder::default()));
        self.profiles.len() - 1
    }

    /// A builder holding only the phrases and patterns of the rules `keep` accepts, in the
    /// same order; a profile left with neither is dropped (its turns need no folding). `None`
    /// when `keep` accepts every rule that has any.
    pub fn subset(&self, keep: impl Fn(u32) -> bool) -> Option<MatcherBuilder> {
        let every = self.profiles.iter().all(|(_, all)| {
            let phrases = all.phrases.iter().flat_map(|p| &p.targets);
            let patterns = all.patterns.iter().flat_map(|p| &p.targets);
            phrases.chain(patterns).all(|t| keep(t.rule))
        });
        if every {
            return None;
        }
        let kept_targets = |targets: &[Target]| -> Vec<Target> {
            targets.iter().copied().filter(|t| keep(t.rule)).collect()
        };
        let profiles = self.profiles.iter().filter_map(|(profile, all)| {
            let mut kept = ProfileBuilder::default();
            for (text, phrase) in all.phrase_texts.iter().zip(&all.phrases) {
                let targets = kept_targets(&phrase.targets);
                if targets.is_empty() {
                    continue;
                }
                kept.phrase_ids.insert(text.clone(), kept.phrases.len());
                kept.phrase_texts.push(text.clone());
                kept.phrases.push(Phrase {
                    targets,
                    ..phrase.clone()
                });
            }
            let mut key_of: Vec<Option<&String>> = vec![None; all.patterns.len()];
            for (key, &id) in &all.pattern_ids {
                key_of[id] = Some(key);
            }
            for (pattern, key) in all.patterns.iter().zip(key_of) {
                let targets = kept_targets(&pattern.targets);
                if targets.is_empty() {
                    continue;
                }
                if let Some(key) = key {
                    kept.pattern_ids.insert(key.clone(), kept.patterns.len());
                }
                kept.patterns.push(Pattern {
                    targets,
                    ..pattern.clone()
                });
            }
            (!kept.phrases.is_empty() || !kept.patterns.is_empty()).then_some((*profile, kept))
        });
        Some(MatcherBuilder {
            profiles: profiles.collect(),
            written: self.written,
        })
    }

    /// Whether any phrase or pattern came from a rulebook someone wrote: only then can
    /// [`MatcherBuilder::build`] fail on them (the built-in rulebooks' are tested).
    pub fn has_written(&self) -> bool {
        self.written
    }

    /// Registers a literal phrase for a rule's list.
    pub fn add_phrase(
        &mut self,
        profile: usize,
        phrase: &str,
        target: Target,
        origin: Origin,
    ) -> Result<(), MatchError> {
        self.written |= origin == Origin::Written;
        if phrase::has_syntax(phrase) {
            let settings = self.profiles[profile].0;
            let regex = phrase::compile(phrase, &|text| normalize(&settings, text))
                .map_err(|e| MatchError::BadPhrase(e.into_message()))?;
            return self.add_regex(profile, regex, target, true, None, origin);
        }
        let (settings, builder) = &mut self.profiles[profile];
        let normalized = normalize(settings, phrase);
        let (Some(first), Some(last)) = (normalized.chars().next(), normalized.chars().last()) else {
            return Err(MatchError::EmptyPhrase(phrase.to_string()));
        };
        let id = *builder.phrase_ids.entry(normalized.clone()).or_insert_with(|| {
            builder.phrase_texts.push(normalized);
            builder.phrases.push(Phrase {
                needs_left_boundary: is_word_char(first),
                needs_right_boundary: is_word_char(last),
                targets: Vec::new(),
                gates: Vec::new(),
            });
            builder.phrases.len() - 1
        });
        builder.phrases[id].targets.push(target);
        Ok(())
    }

    /// Registers a regex pattern for a rule's list; a written one is compiled now so errors
    /// surface at load.
    pub fn add_pattern(
        &mut self,
        profile: usize,
        pattern: &str,
        target: Target,
        origin: Origin,
    ) -> Result<(), MatchError> {
        let folded = fold_pattern(&self.profiles[profile].0, pattern);
        self.add_regex(profile, folded, target, false, None, origin)
    }

    /// [`MatcherBuilder::add_pattern`] for a pattern whose hits matter only in calls where
    /// `after` has a hit (a conditional rule's response, looked for only once its trigger
    /// occurred): it runs after the other phrases and patterns, and only in those calls. Its
    /// hits are the same as [`MatcherBuilder::add_pattern`]'s in every such call.
    pub fn add_pattern_after(
        &mut self,
        profile: usize,
        pattern: &str,
        target: Target,
        after: Target,
        origin: Origin,
    ) -> Result<(), MatchError> {
        let folded = fold_pattern(&self.profiles[profile].0, pattern);
        self.add_regex(profile, folded, target, false, Some(after), origin)
    }

    /// Registers a regex over normalised text (a folded pattern, or a compiled phrase whose
    /// edges need word boundaries).
    fn add_regex(
        &mut self,
        profile: usize,
        folded: String,
        target: Target,
        phrase_edges: bool,
        after: Option<Target>,
        origin: Origin,
    ) -> Result<(), MatchError> {
        self.written |= origin == Origin::Written;
        let (settings, builder) = &mut self.profiles[profile];
        // A phrase and a pattern with the same regex differ in their edges, and a pattern run
        // after a hit differs from one run on every turn: keep them apart.
        let key = match (phrase_edges, after) {
            (true, _) => format!("phrase\u{0}{folded}"),
            (false, Some(after)) => format!("after {} {}\u{0}{folded}", after.rule, after.slot),
            (false, None) => folded.clone(),
        };
        if let Some(&id) = builder.pattern_ids.get(&key) {
            builder.patterns[id].targets.push(target);
            return Ok(());
        }
        let compiled = OnceLock::new();
        if origin == Origin::Written {
            let regex = LazyRegex::builder(&folded, settings.fold_case)
                .build()
                .map_err(|e| match e {
                    regex::Error::CompiledTooBig(_) => MatchError::TooLarge,
                    e => MatchError::BadPattern(e.to_string()),
                })?;
            if regex.is_match("") {
                return Err(MatchError::BadPattern(
                    "the pattern matches empty text, so it would match every turn".into(),
                ));
            }
            let _ = compiled.set(regex);
        }
        builder.pattern_ids.insert(key, builder.patterns.len());
        builder.patterns.push(Pattern {
            regex: LazyRegex {
                text: folded,
                case_insensitive: settings.fold_case,
                compiled,
            },
            targets: vec![target],
            gate_sets: OnceLock::new(),
            phrase_edges,
            after,
        });
        Ok(())
    }

    /// Works out the gate sets of every pattern run on every turn now, so that this builder's
    /// clones (and the subsets taken from it) have them too.
    pub fn prepare_gates(&self) {
        for (_, builder) in &self.profiles {
            for pattern in builder.patterns.iter().filter(|p| p.after.is_none()) {
                pattern.gate_sets();
            }
        }
    }

    /// Builds the automata and regex sets.
    pub fn build(self) -> Result<Matcher, Problem> {
        let mut profiles = Vec::with_capacity(self.profiles.len());
        for (profile, mut builder) in self.profiles {
            // Gate literals join the phrase automaton as entries of their own (no word
            // boundaries, no targets), so one pass finds phrases and tells which patterns to run.
            let mut gate_ids: HashMap<String, usize> = HashMap::new();
            let mut ungated: Vec<u32> = Vec::new();
            let mut deferred: Vec<u32> = Vec::new();
            for (index, pattern) in builder.patterns.iter().enumerate() {
                if pattern.after.is_some() {
                    deferred.push(index as u32);
                    continue;
                }
                let Some(sets) = pattern.gate_sets() else {
                    ungated.push(index as u32);
                    continue;
                };
                let literals = sets.iter().enumerate().flat_map(|(set, literals)| {
                    literals
                        .iter()
                        .map(move |literal| (gates::gate_key(index, set), literal))
                });
                for (key, literal) in literals {
                    let id = *gate_ids.entry(literal.clone()).or_insert_with(|| {
                        builder.phrase_texts.push(literal.clone());
                        builder.phrases.push(Phrase {
                            needs_left_boundary: false,
                            needs_right_boundary: false,
                            targets: Vec::new(),
                            gates: Vec::new(),
                        });
                        builder.phrases.len() - 1
                    });
                    builder.phrases[id].gates.push(key);
                }
            }
            let automaton = if builder.phrase_texts.is_empty() {
                None
            } else {
                Some(PhraseAutomaton::build(&builder.phrase_texts)?)
            };
            // The set runs only on turns holding the digits all its patterns need: the patterns
            // left ungated are often numbers (card and ID formats) that most turns cannot hold.
            // One set, not one per digit count: a second pass over the turn costs more than
            // it saves whenever any pattern needs no digits.
            let mut sets = Vec::new();
            if !ungated.is_empty() {
                let texts: Vec<&str> = builder.patterns.iter().map(|p| p.regex.text.as_str()).collect();
                let needed = ungated
                    .iter()
                    .map(|&i| digits::min_digits(texts[i as usize], profile.fold_case))
                    .min()
                    .unwrap_or(0);
                build_sets(&texts, ungated, profile.fold_case, needed, &mut sets)?;
            }
            profiles.push(ProfileMatcher {
                profile,
                automaton,
                phrases: builder.phrases,
                most_digits: sets.iter().map(|s: &PatternSet| s.min_digits).max().unwrap_or(0),
                sets,
                patterns: builder.patterns,
                deferred,
            });
        }
        let rules = profiles
            .iter()
            .flat_map(|p| {
                let phrases = p.phrases.iter().flat_map(|ph| &ph.targets);
                phrases.chain(p.patterns.iter().flat_map(|pa| &pa.targets))
            })
            .map(|t| t.rule as usize + 1)
            .max()
            .unwrap_or(0);
        Ok(Matcher { profiles, rules })
    }
}

/// Ungated patterns combined into one regex set.
struct PatternSet {
    set: RegexSet,
    /// The indices (into the profile's patterns) of the set's patterns, in set order.
    indices: Vec<u32>,
    /// The fewest digits any of its patterns needs ([`digits::min_digits`]): the set is run
    /// only on turns that hold that many.
    min_digits: u32,
}

/// Combines the patterns `indices` (into `texts`) into regex sets, each with the indices of its
/// patterns in set order. One set is fastest; when the union is too large to compile (thousands
/// of patterns with Unicode classes), the list is halved until each part compiles, so any
/// number of patterns that compile one by one can be loaded.
fn build_sets(
    texts: &[&str],
    indices: Vec<u32>,
    fold_case: bool,
    min_digits: u32,
    sets: &mut Vec<PatternSet>,
) -> Result<(), Problem> {
    let built = RegexSetBuilder::new(indices.iter().map(|&i| texts[i as usize]))
        .case_insensitive(fold_case)
        .size_limit(REGEX_SIZE_LIMIT * 4)
        // The union of the ungated patterns needs room for its lazy DFA states: with the
        // default 2 MB cache it thrashes (5× slower on the benchmark corpus). The cache grows
        // only as far as the text needs.
        .dfa_size_limit(SET_DFA_CACHE)
        .build();
    match built {
        Ok(set) => {
            sets.push(PatternSet {
                set,
                indices,
                min_digits,
            });
            Ok(())
        }
        Err(regex::Error::CompiledTooBig(_)) if indices.len() > 1 => {
            let mut first = indices;
            let second = first.split_off(first.len() / 2);
            build_sets(texts, first, fold_case, min_digits, sets)?;
            build_sets(texts, second, fold_case, min_digits, sets)
        }
        Err(e) => Err(format!("cannot combine the patterns: {e}").into()),
    }
}

/// Applies the profile's script and width folds to the literal characters of a pattern.
///
/// Only non-ASCII letters and digits are folded, so regex syntax is never changed; case is
/// handled by compiling case-insensitively.
fn fold_pattern(profile: &Profile, pattern: &str) -> String {
    pattern
        .chars()
        .flat_map(|c| {
            let mut out: Vec<char> = vec![c];
            if !c.is_ascii() && c.is_alphanumeric() {
                if profile.fold_width {
                    let folded = normalize(
                        &Profile {
                            fold_width: true,
                            fold_case: false,
                            fold_script: false,
                            ignore_punctuation: false,
                        },
                        c.encode_utf8(&mut [0; 4]),
                    );
                    if !folded.is_empty() {
                        out = folded.chars().collect();
                    }
                }
                if profile.fold_script {
                    out = out.into_iter().map(fold_script_char).collect();
                }
            }
            out
        })
        .collect()
}

struct ProfileMatcher {
    profile: Profile,
    automaton: Option<PhraseAutomaton>,
    phrases: Vec<Phrase>,
    /// The patterns without gate literals, run together on every turn that holds the digits
    /// they need: normally one set per digit count, more when a union is too large for one.
    sets: Vec<PatternSet>,
    /// The most digits any set needs: a turn's digits are counted up to this many.
    most_digits: u32,
    patterns: Vec<Pattern>,
    /// The patterns run only after a hit ([`Pattern::after`]), in pattern order.
    deferred: Vec<u32>,
}

/// Compiled phrases and patterns of every loaded rule.
pub struct Matcher {
    profiles: Vec<ProfileMatcher>,
    /// One more than the highest rule index of any phrase or pattern.
    rules: usize,
}

/// Buffers reused from transcript to transcript by one worker.
#[derive(Default)]
pub struct Scratch {
    norm: NormText,
    /// The gate literals seen in the current turn and the patterns they let run.
    gated: gates::Seen,
    /// The hits of the last [`Matcher::scan`].
    pub hits: Hits,
    /// Each turn's text under the default profile, as the last scan folded it; the strings
    /// are kept from transcript to transcript so that refilling them allocates nothing.
    folded: Vec<String>,
    /// How many of `folded` belong to the last scan: its turn count when a rulebook matches
    /// with the default profile, else 0.
    folded_turns: usize,
    /// Buffers for sorting the hits.
    spare: Vec<Hit>,
    starts: Vec<usize>,
}

impl Scratch {
    /// Each turn's text folded by the default [`Profile`], when the last scan folded them all
    /// (some rulebook matches with that profile): the rules' filler and quotation checks read
    /// it instead of folding each turn again.
    pub fn folded_turns(&self) -> Option<&[String]> {
        (self.folded_turns > 0).then(|| &self.folded[..self.folded_turns])
    }
}

impl Matcher {
    /// Finds every hit in a transcript into `scratch.hits`, sorted by rule, turn and position.
    pub fn scan(&self, transcript: &Transcript, scratch: &mut Scratch) {
        let hits = &mut scratch.hits.hits;
        hits.clear();
        scratch.folded_turns = 0;
        // With one profile and no pattern run after the scan, hits come turn by turn.
        let mut in_turn_order = self.profiles.len() == 1;
        for matcher in &self.profiles {
            let keep = matcher.profile == Profile::default();
            for (turn_index, turn) in transcript.turns.iter().enumerate() {
                normalize_into(&matcher.profile, &turn.text, &mut scratch.norm);
                if keep {
                    keep_folded(&mut scratch.folded, turn_index, scratch.norm.as_str());
                }
                matcher.scan_turn(
                    turn_index as u32,
                    &turn.text,
                    &scratch.norm,
                    &mut scratch.gated,
                    hits,
                );
            }
            let scanned = hits.len();
            matcher.scan_deferred(
                transcript,
                keep.then_some(&scratch.folded[..]),
                &mut scratch.norm,
                hits,
            );
            in_turn_order &= hits.len() == scanned;
        }
        if self.profiles.iter().any(|m| m.profile == Profile::default()) {
            scratch.folded_turns = transcript.turns.len();
        }
        sort_hits(
            hits,
            self.rules,
            in_turn_order,
            &mut scratch.spare,
            &mut scratch.starts,
        );
    }
}

/// Sorts `hits` by rule, turn and position, without repeats. With one profile they come turn
/// by turn, so placing them by rule (a counting sort) leaves each rule's hits in turn order and
/// only each turn's few to sort; `rules` bounds the rule indices, and `spare` and `starts` are
/// buffers.
fn sort_hits(
    hits: &mut Vec<Hit>,
    rules: usize,
    turn_order: bool,
    spare: &mut Vec<Hit>,
    starts: &mut Vec<usize>,
) {
    if !turn_order || hits.len() < 64 {
        hits.sort_unstable();
        hits.dedup();
        return;
    }
    starts.clear();
    starts.resize(rules + 1, 0);
    for hit in hits.iter() {
        starts[hit.rule as usize + 1] += 1;
    }
    for rule in 0..rules {
        starts[rule + 1] += starts[rule];
    }
    spare.clear();
    spare.extend_from_slice(hits);
    for &hit in spare.iter() {
        let at = &mut starts[hit.rule as usize];
        hits[*at] = hit;
        *at += 1;
    }
    for turn in hits.chunk_by_mut(|a, b| a.rule == b.rule && a.turn == b.turn) {
        turn.sort_unstable();
    }
    hits.dedup();
}

/// Stores the folded text of turn `index` in `folded`, reusing the string already there.
fn keep_folded(folded: &mut Vec<String>, index: usize, text: &str) {
    match folded.get_mut(index) {
        Some(slot) => {
            slot.clear();
            slot.push_str(text);
        }
        None => folded.push(text.to_string()),
    }
}

/// Every hit in one transcript, sorted by rule, turn and position.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Hits {
    hits: Vec<Hit>,
}

impl Hits {
    /// The hits of one rule, in turn and position order.
    pub fn for_rule(&self, rule: u32) -> &[Hit] {
        let start = self.hits.partition_point(|h| h.rule < rule);
        let end = self.hits.partition_point(|h| h.rule <= rule);
        &self.hits[start..end]
    }

    /// All hits.
    pub fn all(&self) -> &[Hit] {
        &self.hits
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transcript::{ParseOptions, plain};

    fn transcript(text: &str) -> Transcript {
        plain::parse(text, &ParseOptions::default()).unwrap()
    }

    fn scan(m: &Matcher, t: &Transcript) -> Hits {
        let mut scratch = Scratch::default();
        m.scan(t, &mut scratch);
        scratch.hits
    }

    fn build(phrases: &[&str], patterns: &[&str]) -> Matcher {
        let mut builder = MatcherBuilder::new();
        let p = builder.profile(Profile::default());
        for (i, phrase) in phrases.iter().enumerate() {
            builder
                .add_phrase(
                    p,
                    phrase,
                    Target {
                        rule: i as u32,
                        slot: 0,
                    },
                    Origin::Written,
                )
                .unwrap();
        }
        for (i, pattern) in patterns.iter().enumerate() {
            builder
                .add_pattern(
                    p,
                    pattern,
                    Target {
                        rule: (100 + i) as u32,
                        slot: 1,
                    },
                    Origin::Written,
                )
                .unwrap();
        }
        builder.build().unwrap()
    }

    proptest::proptest! {
        // The rules read these instead of folding again: they must be the default fold of each
        // turn of the last scan, whatever the scans before it left in the buffers.
        #[test]
        fn folded_turns_are_the_default_fold_of_the_last_scan(
            first in proptest::collection::vec("[a-zA-Z這裡您好，。！ ＡＢ1-9'-]{0,20}", 1..6),
            second in proptest::collection::vec("[a-zA-Z這裡您好，。！ ＡＢ1-9'-]{0,20}", 1..6),
        ) {
            let m = build(&["hello"], &[]);
            let mut scratch = Scratch::default();
            for texts in [&first, &second] {
                let text: String = texts.iter().map(|t| format!("Agent: x{t}\n")).collect();
                let t = transcript(&text);
                m.scan(&t, &mut scratch);
                let folded = scratch.folded_turns().unwrap();
                proptest::prop_assert_eq!(folded.len(), t.turns.len());
                for (turn, f) in t.turns.iter().zip(folded) {
                    proptest::prop_assert_eq!(f, &normalize(&Profile::default(), &turn.text));
                }
            }
        }
    }

    /// The hits in `text` of a pattern for rule 7's slot 2, registered to run on every turn, or
    /// (`after`) only in calls where rule 7's trigger phrase (slot 1) has a hit.
    fn response_hits(profile: Profile, after: bool, text: &str) -> Vec<Hit> {
        let mut builder = MatcherBuilder::new();
        let p = builder.profile(profile);
        let trigger = Target { rule: 7, slot: 1 };
        let response = Target { rule: 7, slot: 2 };
        builder
            .add_phrase(p, "as soon as", trigger, Origin::Written)
            .unwrap();
        let pattern = r"\d+ hours?";
        let added = if after {
            builder.add_pattern_after(p, pattern, response, trigger, Origin::Written)
        } else {
            builder.add_pattern(p, pattern, response, Origin::Written)
        };
        added.unwrap();
        let m = builder.build().unwrap();
        scan(&m, &transcript(text))
            .hits
            .into_iter()
            .filter(|h| h.slot == 2)
            .collect()
    }

    #[test]
    fn gate_sets_are_worked_out_when_a_matcher_needs_them() {
        let mut builder = MatcherBuilder::new();
        let p = builder.profile(Profile::default());
        let (trigger, response) = (Target { rule: 0, slot: 1 }, Target { rule: 0, slot: 2 });
        builder
            .add_pattern(p, r"\d+ hours", trigger, Origin::Written)
            .unwrap();
        builder
            .add_pattern_after(p, r"\d+ days", response, trigger, Origin::Written)
            .unwrap();
        let computed = |b: &MatcherBuilder| -> Vec<bool> {
            b.profiles[0]
                .1
                .patterns
                .iter()
                .map(|p| p.gate_sets.get().is_some())
                .collect()
        };
        // Registering parses nothing; preparing the gates parses the patterns run on every
        // turn, which the builder's clones keep; a pattern deferred until a hit is never gated.
        assert_eq!(computed(&builder), [false, false]);
        builder.prepare_gates();
        assert_eq!(computed(&builder), [true, false]);
        assert_eq!(computed(&builder.clone()), [true, false]);
        let built = builder.build().unwrap();
        let gates: Vec<bool> = built.profiles[0]
            .patterns
            .iter()
            .map(|p| p.gate_sets.get().is_some())
            .collect();
        assert_eq!(gates, [true, false]);
    }

    #[test]
    fn patterns_deferred_until_a_hit_run_only_in_calls_with_it_and_find_the_same() {
        // The default profile keeps the folded turns for the deferred patterns; another folds
        // them again.
        let case_kept = Profile {
            fold_case: false,
            ..Profile::default()
        };
        for profile in [Profile::default(), case_kept] {
            let untriggered = "Agent: It takes 2 hours.\nCustomer: OK.\n";
            assert_eq!(response_hits(profile, false, untriggered).len(), 1);
            assert_eq!(response_hits(profile, true, untriggered), []);
            // Before the trigger's turn, in it and after it.
            let triggered = "Agent: It takes 2 hours.\nCustomer: Why?\n\
                             Agent: So as soon as possible, within 3 hours.\nAgent: Or 4 hours.\n";
            let every = response_hits(profile, false, triggered);
            assert_eq!(every.iter().map(|h| h.turn).collect::<Vec<_>>(), [0, 2, 3]);
            assert_eq!(response_hits(profile, true, triggered), every);
        }
    }

    /// A builder with phrases and patterns for rules 0, 1 and 100–101 (see [`build`]).
    fn builder(phrases: &[&str], patterns: &[&str]) -> MatcherBuilder {
        let mut builder = MatcherBuilder::new();
        let p = builder.profile(Profile::default());
        for (i, phrase) in phrases.iter().enumerate() {
            let target = Target {
                rule: i as u32,
                slot: 0,
            };
            builder.add_phrase(p, phrase, target, Origin::Written).unwrap();
        }
        for (i, pattern) in patterns.iter().enumerate() {
            let target = Target {
                rule: (100 + i) as u32,
                slot: 1,
            };
            builder.add_pattern(p, pattern, target, Origin::Written).unwrap();
        }
        builder
    }

    #[test]
    fn a_subset_finds_exactly_the_hits_of_the_rules_it_keeps() {
        let all = builder(&["hello", "您好", "bye"], &[r"order \d+", "(?:谢谢|再见)"]);
        let t = transcript("Agent: hello, 您好\nCustomer: order 12 bye\nAgent: 谢谢 hello\n");
        let every = scan(&all.clone().build().unwrap(), &t);
        let kept = |rule: u32| rule == 1 || rule == 100;
        let some = scan(&all.subset(kept).unwrap().build().unwrap(), &t);
        let expected: Vec<Hit> = every.hits.iter().copied().filter(|h| kept(h.rule)).collect();
        assert!(!expected.is_empty() && expected.len() < every.hits.len());
        assert_eq!(some.hits, expected);
        // Keeping every rule that has a phrase or pattern leaves nothing to build.
        assert!(all.subset(|rule| rule != 7).is_none());
        // Keeping none leaves no profile to fold turns for.
        let none = all.subset(|_| false).unwrap().build().unwrap();
        let mut scratch = Scratch::default();
        none.scan(&t, &mut scratch);
        assert!(scratch.hits.hits.is_empty() && scratch.folded_turns().is_none());
    }

    #[test]
    fn no_folded_turns_without_the_default_profile() {
        let mut builder = MatcherBuilder::new();
        let p = builder.profile(Profile {
            fold_case: false,
            ..Profile::default()
        });
        let target = Target { rule: 0, slot: 0 };
        builder.add_phrase(p, "hello", target, Origin::Written).unwrap();
        let case_sensitive = builder.build().unwrap();
        let t = transcript("Agent: Hello\n");
        let mut scratch = Scratch::default();
        build(&["hello"], &[]).scan(&t, &mut scratch);
        assert_eq!(scratch.folded_turns(), Some(&["hello".to_string()][..]));
        case_sensitive.scan(&t, &mut scratch);
        assert_eq!(scratch.folded_turns(), None);
    }

    fn matched<'a>(t: &'a Transcript, hit: &Hit) -> &'a str {
        &t.turns[hit.turn as usize].text[hit.start as usize..hit.end as usize]
    }

    #[test]
    fn finds_phrases_through_all_folds() {
        let m = build(&["这里是", "hello"], &[]);
        let t = transcript("客服：您好，這裡是ＸＸ公司\nAgent: HELLO there\n");
        let hits = scan(&m, &t);
        assert_eq!(hits.for_rule(0).len(), 1);
        assert_eq!(matched(&t, &hits.for_rule(0)[0]), "這裡是");
        assert_eq!(matched(&t, &hits.for_rule(1)[0]), "HELLO");
    }

    #[test]
    fn overlapping_phrases_are_all_reported() {
        let m = build(&["你必须", "必须"], &[]);
        let t = transcript("客服：你必须登录\n");
        let hits = scan(&m, &t);
        assert_eq!(hits.for_rule(0).len(), 1);
        assert_eq!(hits.for_rule(1).len(), 1);
    }

    #[test]
    fn latin_edges_need_word_boundaries() {
        let m = build(&["no", "must"], &[]);
        let t = transcript("Agent: I know you mustn't\nAgent: no way\nAgent: 我说no问题\n");
        let hits = scan(&m, &t);
        let turns: Vec<u32> = hits.for_rule(0).iter().map(|h| h.turn).collect();
        assert_eq!(
            turns,
            [1, 2],
            "no inside know must not match; CJK neighbours are boundaries"
        );
        // "mustn't" normalises to "mustnt": not a match for "must".
        assert!(hits.for_rule(1).is_empty());
    }

    #[test]
    fn cjk_edges_match_anywhere() {
        let m = build(&["谢谢"], &[]);
        let t = transcript("客服：好的谢谢您\n");
        assert_eq!(scan(&m, &t).for_rule(0).len(), 1);
    }

    #[test]
    fn patterns_run_on_normalised_text() {
        let m = build(&[], &[r"这里是\S+公司", r"^no(?: |$)"]);
        let t = transcript("客服：您好，這裡是 ＡＣＭＥ 公司\nAgent: No, that's too expensive\n");
        let hits = scan(&m, &t);
        assert_eq!(matched(&t, &hits.for_rule(100)[0]), "這裡是 ＡＣＭＥ 公司");
        assert_eq!(hits.for_rule(101).len(), 1);
        assert_eq!(hits.for_rule(101)[0].turn, 1);
    }

    #[test]
    fn bad_phrases_and_patterns_are_rejected() {
        let mut builder = MatcherBuilder::new();
        let p = builder.profile(Profile::default());
        let t = Target { rule: 0, slot: 0 };
        assert_eq!(
            builder.add_phrase(p, "，。", t, Origin::Written),
            Err(MatchError::EmptyPhrase("，。".into()))
        );
        assert!(matches!(
            builder.add_pattern(p, "(unclosed", t, Origin::Written),
            Err(MatchError::BadPattern(_))
        ));
        assert!(
            matches!(builder.add_pattern(p, "a*", t, Origin::Written), Err(MatchError::BadPattern(e)) if e.contains("empty"))
        );
    }

    #[test]
    fn too_large_patterns_fail_and_too_many_are_split_into_sets() {
        let mut builder = MatcherBuilder::new();
        let p = builder.profile(Profile::default());
        let t = Target { rule: 0, slot: 0 };
        assert_eq!(
            builder.add_pattern(p, r"\w{500}\w{500}", t, Origin::Written),
            Err(MatchError::TooLarge)
        );
        // Each pattern compiles on its own, but their union is over the set's size limit.
        // An alternation with an unbounded branch leaves them ungated, so they go into sets.
        let patterns: Vec<String> = (0..250).map(|i| format!(r"(?:\w{{20}}q{i}x|\d{{40}})")).collect();
        let texts: Vec<&str> = patterns.iter().map(String::as_str).collect();
        let m = build(&[], &texts);
        assert!(m.profiles[0].sets.len() > 1, "{}", m.profiles[0].sets.len());
        let t = transcript("Agent: abcdefghijabcdefghijq249x and abcdefghijabcdefghijq0x\n");
        let hits = scan(&m, &t);
        let rules: Vec<u32> = hits.all().iter().map(|h| h.rule).collect();
        assert_eq!(rules, [100, 349], "build() numbers patterns from rule 100");
    }

    #[test]
    fn number_patterns_run_only_where_the_turn_holds_their_digits() {
        let m = build(&[], &[r"\d{11}", r"[a-z]{2}\d{9}"]);
        assert_eq!(m.profiles[0].sets[0].min_digits, 9);
        let t = transcript(
            "Agent: call 13812345678 or AB123456789\n\
             Customer: only 1234567890 here\n\
             Agent: ١٢٣٤٥٦٧٨٩٠١ is eleven digits too\n",
        );
        let found: Vec<(u32, u32)> = scan(&m, &t).all().iter().map(|h| (h.rule, h.turn)).collect();
        assert_eq!(found, [(100, 0), (100, 2), (101, 0)]);
        // A pattern that needs no digit keeps the set running on every turn.
        let m = build(&[], &[r"\d{11}", r"\w{3}"]);
        assert_eq!(m.profiles[0].sets[0].min_digits, 0);
    }

    #[test]
    fn nothing_matches_across_a_placeholder() {
        let m = build(&["您好先生", "dear customer"], &[r"这里是\S+公司"]);
        let mut t = transcript("客服：您好\u{fffc}先生，这里是\u{fffc}公司\nAgent: dear \u{fffc} customer\n");
        t.kind = crate::transcript::TranscriptKind::Template;
        assert!(scan(&m, &t).all().is_empty(), "{:?}", scan(&m, &t));
        let t = transcript("客服：您好先生，这里是ACME公司\n");
        assert_eq!(scan(&m, &t).all().len(), 2);
    }

    proptest::proptest! {
        /// Running only the patterns whose literals the automaton saw finds exactly what running
        /// every pattern on every turn finds.
        #[test]
        fn gated_patterns_find_what_every_pattern_finds(
            words in proptest::collection::vec(
                proptest::sample::select(vec![
                    "you", "must", "should", "have", "你", "必须", "本应该", "no", "calm", "down",
                    "13800138000", "4111", "好的", "谢谢", "不", "行", "sd", "x", ",", " ", "。",
                    "2", "hour", "days", "s",
                ]),
                0..24,
            )
        ) {
            let patterns = [
                r"(?i)(?-u:\b)you (?:must|should have)(?-u:\b)",
                r"你(?:必须|本应该)",
                r"^no(?-u:\b)",
                r"calm down",
                r"\d{11}",
                r"^(?:好的|好)谢谢$",
                r"不行",
                r"\d+ ?(?:hours?|days?)",
                r"^.{0,3}?(?:好的|谢谢)",
                r"(?:no|\d+)(?: calm)? down",
                // Gated by two sets: both must occur.
                r"(?:you|你).{0,6}?(?:must|必须)",
                r"^.{0,8}?calm.{0,4}?down",
            ];
            let m = build(&[], &patterns);
            let text = words.concat();
            let t = Transcript {
                turns: vec![crate::transcript::Turn {
                    speaker: crate::transcript::Speaker::declared(crate::transcript::Role::Agent, "Agent"),
                    text: text.clone(),
                    start: None,
                    end: None,
                    segments: vec![crate::transcript::Segment {
                        text_offset: 0,
                        position: crate::transcript::Position { line: 1, column: 1 },
                        verbatim: true,
                    }],
                }],
                ..Transcript::default()
            };
            let hits = scan(&m, &t);
            let norm = normalize(&Profile::default(), &text);
            for (i, pattern) in patterns.iter().enumerate() {
                let regex = RegexBuilder::new(pattern).case_insensitive(true).build().unwrap();
                let expected = regex.find_iter(&norm).filter(|m| !m.as_str().trim().is_empty()).count();
                proptest::prop_assert_eq!(hits.for_rule((100 + i) as u32).len(), expected, "{} on {:?}", pattern, norm);
            }
        }
    }

    #[test]
    fn phrase_language_runs_gated_and_keeps_edges_and_positions() {
        let m = build(&["anything … help", "(请问)?还有…帮(到)?您", "no(t)? way"], &[]);
        let t = transcript(
            "Agent: Is there anything else I can help you with?\n\
             Agent: nothing else i can help\n\
             客服：請問還有其他還可以幫到您的嗎？\n\
             Agent: not waymarked, no way\n",
        );
        let hits = scan(&m, &t);
        let first: Vec<&str> = hits.for_rule(0).iter().map(|h| matched(&t, h)).collect();
        // "nothing" does not start at a word boundary for "anything".
        assert_eq!(first, ["anything else I can help"]);
        assert_eq!(matched(&t, &hits.for_rule(1)[0]), "請問還有其他還可以幫到您");
        // "not waymarked": the phrase's last edge needs a boundary.
        let third: Vec<&str> = hits.for_rule(2).iter().map(|h| matched(&t, h)).collect();
        assert_eq!(third, ["no way"]);
        // Every phrase that uses the language is gated by its literal prefixes.
        assert!(m.profiles[0].patterns.iter().all(|p| p.gate_sets().is_some()));
    }

    #[test]
    fn alternatives_that_are_prefixes_of_each_other_still_match_whole_words() {
        // The shorter alternative comes first and matches inside the longer word; the edge check
        // must not then lose the word.
        let m = build(
            &[
                "(complain|complaint)",
                "any (question|questions)",
                "(a|an) (egg|eggs)",
            ],
            &[],
        );
        let t = transcript("Customer: I want to file a complaint\nAgent: Any questions? An eggs dish\n");
        let hits = scan(&m, &t);
        let first: Vec<&str> = hits.for_rule(0).iter().map(|h| matched(&t, h)).collect();
        assert_eq!(first, ["complaint"]);
        let second: Vec<&str> = hits.for_rule(1).iter().map(|h| matched(&t, h)).collect();
        assert_eq!(second, ["Any questions"]);
        let third: Vec<&str> = hits.for_rule(2).iter().map(|h| matched(&t, h)).collect();
        assert_eq!(third, ["An eggs"]);
    }

    #[test]
    fn every_built_in_pattern_compiles_and_never_matches_empty() {
        // What registering them as written would have checked, for the patterns of the
        // built-in rulebooks, which compile on first use instead.
        let (set, _) = crate::rulebook::RuleSet::builtins().unwrap();
        let mut deferred = 0;
        for profile in &set.matcher().profiles {
            for pattern in &profile.patterns {
                let LazyRegex {
                    text,
                    case_insensitive,
                    compiled,
                } = &pattern.regex;
                let regex = LazyRegex::builder(text, *case_insensitive)
                    .build()
                    .unwrap_or_else(|e| panic!("{text}: {e}"));
                assert!(!regex.is_match(""), "{text} matches empty text");
                deferred += usize::from(compiled.get().is_none());
            }
        }
        assert!(deferred > 100, "{deferred}");
    }

    proptest::proptest! {
        /// Hits placed by rule, then sorted turn by turn, are the hits sorted.
        #[test]
        fn hits_sorted_by_rule_then_turn_are_sorted(
            raw in proptest::collection::vec((0u32..6, 0u32..5, 0u32..30, 0u32..4, 0u16..3), 0..300)
        ) {
            // As a scan with one profile makes them: turn by turn, in any order within a turn.
            let mut hits: Vec<Hit> = raw
                .iter()
                .map(|&(rule, turn, start, len, slot)| Hit { rule, turn, start, end: start + len, slot })
                .collect();
            hits.sort_by_key(|h| h.turn);
            let mut expected = hits.clone();
            expected.sort_unstable();
            expected.dedup();
            sort_hits(&mut hits, 6, true, &mut Vec::new(), &mut Vec::new());
            proptest::prop_assert_eq!(hits, expected);
        }
    }

    #[test]
    fn same_phrase_for_two_rules_is_one_automaton_entry() {
        let mut builder = MatcherBuilder::new();
        let p = builder.profile(Profile::default());
        builder
            .add_phrase(p, "您好", Target { rule: 0, slot: 0 }, Origin::Written)
            .unwrap();
        builder
            .add_phrase(p, "您 好", Target { rule: 1, slot: 0 }, Origin::Written)
            .unwrap();
        assert_eq!(builder.profiles[0].1.phrase_texts.len(), 1);
        let m = builder.build().unwrap();
        let hits = scan(&m, &transcript("客服：您好\n"));
        assert_eq!(hits.all().len(), 2);
    }
}
