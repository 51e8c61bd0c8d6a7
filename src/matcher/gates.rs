//! Literals that gate a pattern: every match contains one literal of each of its gate sets, so
//! the pattern runs only on turns where the phrase automaton saw one of every set.
//!
//! A set of prefixes is one set (`you (?:must|should)` starts with `you `). Every part of the
//! pattern's top-level sequence that has literals gives another, since every match contains a
//! match of each part: a phrase-language pattern `phone … no power` runs only where both words
//! occur. Beyond the best set, a set with one-character literals is left out: they occur so
//! often (`你`, `点`, `o`) that reporting them costs more than the turns they rule out save.
//! Alternatives give one set: all their branches' literals. Only patterns with none of these run
//! on every turn.

use regex_syntax::hir::literal::{ExtractKind, Extractor};
use regex_syntax::hir::{Hir, HirKind};

/// Most literals a gate set may hold; a larger set is no gate.
const MAX_GATE_LITERALS: usize = 64;

/// Most gate sets a pattern has: its parts' best few.
pub(super) const MAX_GATE_SETS: usize = 4;

/// Sets of literals, in the case of normalised text (lower case when `fold_case`), such that
/// every match of a pattern contains one literal of each set; best first, at most
/// [`MAX_GATE_SETS`]. `None` when there is no short, finite set.
pub(super) fn required_literal_sets(pattern: &str, fold_case: bool) -> Option<Vec<Vec<String>>> {
    let hir = regex_syntax::ParserBuilder::new().build().parse(pattern).ok()?;
    let mut top = &hir;
    while let HirKind::Capture(capture) = top.kind() {
        top = &capture.sub;
    }
    let parts = match top.kind() {
        HirKind::Concat(parts) => parts.as_slice(),
        _ => std::slice::from_ref(top),
    };
    let mut sets: Vec<Vec<String>> = Vec::new();
    let candidates = prefixes(&hir, fold_case)
        .into_iter()
        .chain(parts.iter().filter_map(|part| required(part, fold_case)));
    for set in candidates {
        if set.len() <= MAX_GATE_LITERALS && !sets.contains(&set) {
            sets.push(set);
        }
    }
    sets.sort_by_key(|set| std::cmp::Reverse(rank(set)));
    // A further set with a one-character literal (` `, `o`, `你`) rules out few turns, and the
    // automaton reports its literal at many places in most.
    let mut best = true;
    sets.retain(|set| std::mem::take(&mut best) || set.iter().all(|literal| literal.chars().count() > 1));
    sets.truncate(MAX_GATE_SETS);
    (!sets.is_empty()).then_some(sets)
}

/// How selective a set of literals is: the longest shortest literal first (`hour` says more
/// than ` `), then the fewest literals.
fn rank(literals: &[String]) -> (usize, std::cmp::Reverse<usize>) {
    let shortest = literals.iter().map(|l| l.chars().count()).min().unwrap_or(0);
    (shortest, std::cmp::Reverse(literals.len()))
}

/// The literals one of which every match of `hir` contains: its prefixes; else, for a sequence,
/// the best of its parts' (every match contains a match of each part); for alternatives, all
/// of theirs together, when each has some.
fn required(hir: &Hir, fold_case: bool) -> Option<Vec<String>> {
    if let Some(prefixes) = prefixes(hir, fold_case) {
        return Some(prefixes);
    }
    match hir.kind() {
        HirKind::Capture(capture) => required(&capture.sub, fold_case),
        HirKind::Concat(parts) => parts
            .iter()
            .filter_map(|part| required(part, fold_case))
            .max_by_key(|literals| rank(literals)),
        HirKind::Alternation(branches) => {
            let mut all: Vec<String> = Vec::new();
            for branch in branches {
                for literal in required(branch, fold_case)? {
                    if !all.contains(&literal) {
                        all.push(literal);
                    }
                }
            }
            Some(all)
        }
        _ => None,
    }
}

/// The literals every match of `hir` starts with, or `None` (see [`required_literals`]).
fn prefixes(hir: &Hir, fold_case: bool) -> Option<Vec<String>> {
    let mut extractor = Extractor::new();
    extractor.kind(ExtractKind::Prefix).limit_total(MAX_GATE_LITERALS);
    let seq = extractor.extract(hir);
    let mut literals: Vec<String> = Vec::new();
    for literal in seq.literals()? {
        let text = std::str::from_utf8(literal.as_bytes()).ok()?;
        // An empty literal means a match can start anywhere: no gate.
        if text.is_empty() {
            return None;
        }
        // The pattern runs case-insensitively on lower-cased text: a match holds the literal
        // in lower case.
        let text = if fold_case {
            text.to_lowercase()
        } else {
            text.to_string()
        };
        if !literals.contains(&text) {
            literals.push(text);
        }
    }
    (!literals.is_empty()).then_some(literals)
}

/// The gate sets seen in one turn and the patterns they let run, kept from turn to turn so that
/// starting a turn clears nothing: every mark holds the number of the turn that made it.
#[derive(Default)]
pub(super) struct Seen {
    turn: u32,
    /// Per automaton entry, the turn it was last found in: a literal found again adds nothing.
    entries: Vec<u32>,
    /// Per gate key, the turn a literal of that set was last found in.
    keys: Vec<u32>,
    /// Per pattern, the turn of its last gate set seen and how many of its sets that turn has.
    patterns: Vec<(u32, u32)>,
    /// The patterns all of whose gate sets the turn holds, in the order they became so.
    pub(super) runnable: Vec<u32>,
}

impl Seen {
    /// Starts a turn of a matcher with `entries` automaton entries and `patterns` patterns.
    #[inline]
    pub(super) fn start(&mut self, entries: usize, patterns: usize) {
        self.turn = self.turn.wrapping_add(1);
        if self.turn == 0 {
            // After 2^32 turns the marks could be mistaken for this turn's: clear them once.
            self.entries.fill(0);
            self.keys.fill(0);
            self.patterns.fill((0, 0));
            self.turn = 1;
        }
        if self.entries.len() < entries {
            self.entries.resize(entries, 0);
        }
        if self.patterns.len() < patterns {
            self.patterns.resize(patterns, (0, 0));
            self.keys.resize(patterns * MAX_GATE_SETS, 0);
        }
        self.runnable.clear();
    }

    /// Records that automaton entry `entry`, a literal of the gate sets `keys`, was found;
    /// `sets(pattern)` is how many gate sets a pattern has.
    #[inline]
    pub(super) fn found(&mut self, entry: usize, keys: &[u32], sets: impl Fn(usize) -> usize) {
        if keys.is_empty() || std::mem::replace(&mut self.entries[entry], self.turn) == self.turn {
            return;
        }
        for &key in keys {
            if std::mem::replace(&mut self.keys[key as usize], self.turn) == self.turn {
                continue;
            }
            let pattern = key as usize / MAX_GATE_SETS;
            let seen = &mut self.patterns[pattern];
            if seen.0 != self.turn {
                *seen = (self.turn, 0);
            }
            seen.1 += 1;
            if seen.1 as usize == sets(pattern) {
                self.runnable.push(pattern as u32);
            }
        }
    }
}

/// The key of gate set `set` of pattern `pattern`: one key per set a pattern may have.
pub(super) fn gate_key(pattern: usize, set: usize) -> u32 {
    (pattern * MAX_GATE_SETS + set) as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sets(pattern: &str, fold_case: bool) -> Option<Vec<Vec<String>>> {
        required_literal_sets(pattern, fold_case)
    }

    /// The pattern's gate sets, as slices of literals.
    macro_rules! assert_sets {
        ($pattern:expr, $fold_case:expr, [$([$($literal:expr),*]),*]) => {
            assert_eq!(
                sets($pattern, $fold_case),
                Some(vec![$(vec![$($literal.to_string()),*]),*]),
                "{}", $pattern
            )
        };
    }

    #[test]
    fn prefixes_gate_patterns() {
        assert_sets!(r"^no(?-u:\b)", true, [["no"]]);
        // Case-insensitive parts hold their variants (`ſ` is a long s); one-letter sets are
        // left out.
        assert_sets!(
            r"(?i)(?-u:\b)you (?:must|should have)",
            true,
            [["you "], ["must", "muſ", "shou", "ſho"]]
        );
        assert_eq!(sets(r"你(?:必须|本应该)", true).map(|s| s[0].len()), Some(2));
        assert_sets!(r"Agent", false, [["Agent"]]);
    }

    #[test]
    fn every_part_with_literals_gates_patterns_without_prefixes() {
        assert_sets!(
            r"(?-u:\b)(?:\d+|one|two) (?:working )?(?:hours?|days?)(?-u:\b)",
            true,
            [["hours", "hour", "days", "day"]]
        );
        assert_sets!(
            r"^.{0,10}?(?:您好|你好|大家好)",
            true,
            [["您好", "你好", "大家好"]]
        );
        assert_sets!(r"(?:\d+|[一二三]+)个?(?:点|时|小时).{0,12}恢复", true, [["恢复"]]);
        assert_sets!(
            r"(?-u:\b)(?:today|\d+ ?(?:am|pm))(?-u:\b)",
            true,
            [["today", "am", "pm"]]
        );
        assert_sets!(r"\d{1,2}(?:点|时)|\d月", false, [["时", "点", "月"]]);
        // Only the best of sets of one-character literals.
        assert_sets!(r"^.{1,3}?(?:哥|姐|老师)(?:您|你)", true, [["你", "您"]]);
        // A phrase-language gap: both ends must occur.
        assert_sets!(
            r"(?-u:\b)(?:phone|it)(?-u:\b)(?:\x20?[^\x20]+){0,6}?\x20?(?-u:\b)no\x20power(?-u:\b)",
            true,
            [["no power"], ["phone", "it"]]
        );
    }

    #[test]
    fn patterns_without_a_finite_required_part_are_not_gated() {
        assert_eq!(sets(r"\d{15,19}", true), None);
        assert_eq!(sets(r"^.{30}", true), None);
        assert_eq!(sets(r"(?:\d+|x)?y?", true), None);
        assert_eq!(sets(r"today|\d{4}", true), None);
        assert_eq!(sets(r"\w{3,}", true), None);
        assert_sets!(r"\w+ly", true, [["ly"]]);
    }

    #[test]
    fn at_most_the_best_few_sets() {
        let pattern = "ab.cd.ef.gh.ij.kl";
        assert_eq!(sets(pattern, true).map(|s| s.len()), Some(MAX_GATE_SETS));
    }
}
