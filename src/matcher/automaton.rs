//! The phrase automaton: every phrase and gate literal of one profile, and the overlapping scan
//! over a folded turn.
//!
//! The automaton is driven byte by byte here rather than through `find_overlapping_iter`,
//! whose resumable iterator re-enters the search once per match and keeps its position in a
//! state object; the plain loop does a table look-up per byte and reports the same matches in
//! the same order (by end, then by the automaton's match order).

use aho_corasick::automaton::Automaton;
use aho_corasick::dfa::DFA;
use aho_corasick::nfa::{contiguous, noncontiguous};
use aho_corasick::{Anchored, MatchKind};

use crate::problem::Problem;

/// The most phrase bytes (phrases and gate literals of one profile) scanned with a DFA rather
/// than a contiguous NFA. A DFA takes about 320 bytes per phrase byte: up to this size (a DFA of
/// about 2.5 MB) it scans a turn in 20% less CPU time than the NFA on the benchmark corpus; the
/// built-in rulebooks' 58 KB of phrases would make a 14 MB DFA that costs 0.1 s to build and
/// misses the cache, so it is slower than the NFA.
pub(super) const DFA_MAX_PHRASE_BYTES: usize = 8 * 1024;

/// An Aho-Corasick automaton with standard (all matches) semantics.
pub(super) enum PhraseAutomaton {
    Dfa(DFA),
    Contiguous(contiguous::NFA),
    /// When a contiguous NFA cannot represent the phrases (too many states).
    Noncontiguous(noncontiguous::NFA),
}

impl PhraseAutomaton {
    /// The automaton of `phrases` (none empty): a DFA when they are few, else an NFA.
    pub(super) fn build(phrases: &[String]) -> Result<PhraseAutomaton, Problem> {
        let error = |e: aho_corasick::BuildError| format!("cannot build the phrase automaton: {e}");
        // No prefilter: it only pays when matches are rare and there are few phrases, and
        // without one the start state needs no special handling in the scan loop.
        let nfa = noncontiguous::NFA::builder()
            .match_kind(MatchKind::Standard)
            .prefilter(false)
            .build(phrases)
            .map_err(error)?;
        let phrase_bytes: usize = phrases.iter().map(String::len).sum();
        if phrase_bytes <= DFA_MAX_PHRASE_BYTES {
            let dfa = DFA::builder()
                .match_kind(MatchKind::Standard)
                .prefilter(false)
                .build_from_noncontiguous(&nfa)
                .map_err(error)?;
            return Ok(PhraseAutomaton::Dfa(dfa));
        }
        Ok(
            match contiguous::NFA::builder()
                .match_kind(MatchKind::Standard)
                .prefilter(false)
                .build_from_noncontiguous(&nfa)
            {
                Ok(contiguous) => PhraseAutomaton::Contiguous(contiguous),
                Err(_) => PhraseAutomaton::Noncontiguous(nfa),
            },
        )
    }

    /// Calls `found(start, end, phrase)` for every occurrence of every phrase in `text`,
    /// overlapping ones included, in order of their ends.
    #[inline]
    pub(super) fn for_each_match(&self, text: &[u8], found: impl FnMut(usize, usize, usize)) {
        match self {
            PhraseAutomaton::Dfa(a) => scan(a, text, found),
            PhraseAutomaton::Contiguous(a) => scan(a, text, found),
            PhraseAutomaton::Noncontiguous(a) => scan(a, text, found),
        }
    }
}

/// The overlapping scan of `text` with `automaton` (see [`PhraseAutomaton::for_each_match`]).
#[inline(always)]
fn scan<A: Automaton>(automaton: &A, text: &[u8], mut found: impl FnMut(usize, usize, usize)) {
    let Ok(mut state) = automaton.start_state(Anchored::No) else {
        // Only anchored-only automata have no unanchored start state; these are never built so.
        return;
    };
    let mut report = |state, end: usize| {
        for index in 0..automaton.match_len(state) {
            let phrase = automaton.match_pattern(state, index);
            found(end - automaton.pattern_len(phrase), end, phrase.as_usize());
        }
    };
    if automaton.is_match(state) {
        report(state, 0);
    }
    for (at, &byte) in text.iter().enumerate() {
        state = automaton.next_state(Anchored::No, state, byte);
        if automaton.is_special(state) {
            if automaton.is_dead(state) {
                return;
            }
            if automaton.is_match(state) {
                report(state, at + 1);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use aho_corasick::AhoCorasick;

    /// Every match `find_overlapping_iter` reports, in its order.
    fn reference(phrases: &[String], text: &str) -> Vec<(usize, usize, usize)> {
        let ac = AhoCorasick::builder()
            .match_kind(MatchKind::Standard)
            .build(phrases)
            .unwrap();
        ac.find_overlapping_iter(text)
            .map(|m| (m.start(), m.end(), m.pattern().as_usize()))
            .collect()
    }

    fn matches(automaton: &PhraseAutomaton, text: &str) -> Vec<(usize, usize, usize)> {
        let mut out = Vec::new();
        automaton.for_each_match(text.as_bytes(), |start, end, phrase| {
            out.push((start, end, phrase))
        });
        out
    }

    #[test]
    fn small_lists_get_a_dfa_and_large_ones_an_nfa() {
        let small = PhraseAutomaton::build(&["you must".to_string()]).unwrap();
        assert!(matches!(small, PhraseAutomaton::Dfa(_)));
        let many: Vec<String> = (0..DFA_MAX_PHRASE_BYTES).map(|i| format!("p{i}")).collect();
        let large = PhraseAutomaton::build(&many).unwrap();
        assert!(matches!(large, PhraseAutomaton::Contiguous(_)));
    }

    proptest::proptest! {
        /// Both kinds report exactly the matches of the library's own overlapping iterator, in
        /// its order.
        #[test]
        fn the_scan_reports_what_find_overlapping_iter_reports(
            phrases in proptest::collection::vec("[ab你好 ]{1,4}", 1..8),
            text in "[ab你好 c]{0,40}",
        ) {
            let expected = reference(&phrases, &text);
            let dfa = PhraseAutomaton::build(&phrases).unwrap();
            proptest::prop_assert!(matches!(dfa, PhraseAutomaton::Dfa(_)));
            proptest::prop_assert_eq!(&matches(&dfa, &text), &expected);
            // The same phrases, past the DFA limit with phrases the text cannot hold.
            let mut padded = phrases.clone();
            padded.extend((0..DFA_MAX_PHRASE_BYTES / 4).map(|i| format!("z{i:03}")));
            let nfa = PhraseAutomaton::build(&padded).unwrap();
            proptest::prop_assert!(!matches!(nfa, PhraseAutomaton::Dfa(_)));
            proptest::prop_assert_eq!(&matches(&nfa, &text), &expected);
        }
    }
}
