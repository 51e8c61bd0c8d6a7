//! Scanning one turn: the phrase automaton, then the patterns its gate literals let run and
//! the ungated pattern sets; and, once a call's turns are scanned, the patterns deferred until a
//! hit. Each match becomes a hit in the turn's original text.

use std::ops::Range;

use super::{Hit, Pattern, ProfileMatcher, Target, digits, gates};
use crate::normalize::{NormText, is_word_char, normalize_into};
use crate::transcript::Transcript;
use crate::transcript::templates::PLACEHOLDER;

impl ProfileMatcher {
    /// Adds the hits of one turn (`norm` is its folded text, `source` its original) to `out`.
    pub(super) fn scan_turn(
        &self,
        turn: u32,
        source: &str,
        norm: &NormText,
        gated: &mut gates::Seen,
        out: &mut Vec<Hit>,
    ) {
        let text = norm.as_str();
        if text.is_empty() {
            return;
        }
        // Looked for once per turn that has a hit, not once per hit.
        let mut placeholders: Option<bool> = None;
        let mut record = |start: usize, end: usize, targets: &[Target]| {
            record_hit(turn, source, norm, &mut placeholders, start..end, targets, out);
        };
        gated.start(self.phrases.len(), self.patterns.len());
        let sets = |pattern: usize| self.patterns[pattern].gate_sets().map_or(0, Vec::len);
        if let Some(automaton) = &self.automaton {
            automaton.for_each_match(text.as_bytes(), |start, end, index| {
                let phrase = &self.phrases[index];
                gated.found(index, &phrase.gates, sets);
                if phrase.targets.is_empty()
                    || (phrase.needs_left_boundary && word_char_before(text, start))
                    || (phrase.needs_right_boundary && word_char_after(text, end))
                {
                    return;
                }
                record(start, end, &phrase.targets);
            });
        }
        // In pattern order, as the hits of one rule's patterns have always been found.
        gated.runnable.sort_unstable();
        // Counted once per turn, and only as far as the most demanding set needs.
        let digits = if self.most_digits > 0 {
            digits::digits_in(text, self.most_digits)
        } else {
            0
        };
        let ungated = self
            .sets
            .iter()
            .filter(|s| s.min_digits <= digits)
            .flat_map(|s| s.set.matches(text).into_iter().map(move |i| s.indices[i]));
        let candidates = gated.runnable.iter().copied().chain(ungated);
        for index in candidates {
            let pattern = &self.patterns[index as usize];
            for found in pattern.matches(text) {
                record(found.start, found.end, &pattern.targets);
            }
        }
    }

    /// Runs the patterns deferred until a hit ([`Pattern::after`]) on every turn of a call
    /// whose scan found that hit, adding theirs to `hits`. `folded` holds the turns' folded
    /// texts when the scan kept them; else, and for the turns a pattern matches in, `norm`
    /// folds them again.
    pub(super) fn scan_deferred(
        &self,
        transcript: &Transcript,
        folded: Option<&[String]>,
        norm: &mut NormText,
        hits: &mut Vec<Hit>,
    ) {
        for &index in &self.deferred {
            let pattern = &self.patterns[index as usize];
            let Some(after) = pattern.after else { continue };
            if !hits.iter().any(|h| h.rule == after.rule && h.slot == after.slot) {
                continue;
            }
            for (turn, t) in transcript.turns.iter().enumerate() {
                let text = match folded {
                    Some(folded) => folded[turn].as_str(),
                    None => {
                        normalize_into(&self.profile, &t.text, norm);
                        norm.as_str()
                    }
                };
                let found: Vec<Range<usize>> = pattern.matches(text).collect();
                if found.is_empty() {
                    continue;
                }
                if folded.is_some() {
                    normalize_into(&self.profile, &t.text, norm);
                }
                let mut placeholders: Option<bool> = None;
                for range in found {
                    record_hit(
                        turn as u32,
                        &t.text,
                        norm,
                        &mut placeholders,
                        range,
                        &pattern.targets,
                        hits,
                    );
                }
            }
        }
    }
}

impl Pattern {
    /// The pattern's matches in a turn's folded text, as the words they hold.
    fn matches<'t>(&'t self, text: &'t str) -> impl Iterator<Item = Range<usize>> + 't {
        self.regex.get().find_iter(text).filter_map(move |m| {
            // A pattern may consume a separating space (`^no `); report the words only.
            let matched = m.as_str();
            let start = m.start() + (matched.len() - matched.trim_start_matches(' ').len());
            let end = m.end() - (matched.len() - matched.trim_end_matches(' ').len());
            if self.phrase_edges && !at_word_boundaries(text, start, end) {
                return None;
            }
            (start < end).then_some(start..end)
        })
    }
}

/// Adds a hit of each target for the match `found` in a turn's folded text (`norm`), in the
/// turn's original text (`source`). `placeholders` says, once looked for, whether the folded
/// text holds a placeholder.
fn record_hit(
    turn: u32,
    source: &str,
    norm: &NormText,
    placeholders: &mut Option<bool>,
    found: Range<usize>,
    targets: &[Target],
    out: &mut Vec<Hit>,
) {
    let text = norm.as_str();
    // A placeholder in a reply template stands for unknown text: nothing matches across or
    // inside it.
    if *placeholders.get_or_insert_with(|| text.contains(PLACEHOLDER))
        && text[found.clone()].contains(PLACEHOLDER)
    {
        return;
    }
    let range = norm.source_range(found, source);
    for target in targets {
        out.push(Hit {
            rule: target.rule,
            turn,
            start: range.start as u32,
            end: range.end as u32,
            slot: target.slot,
        });
    }
}

/// True when the character before byte `at` is a letter or digit (not CJK).
fn word_char_before(text: &str, at: usize) -> bool {
    text[..at].chars().next_back().is_some_and(is_word_char)
}

/// True when the character at byte `at` is a letter or digit (not CJK).
fn word_char_after(text: &str, at: usize) -> bool {
    text[at..].chars().next().is_some_and(is_word_char)
}

/// The contract's boundary rule for a match of `start..end`: an edge that is a letter or digit
/// must not touch another letter or digit outside the match.
fn at_word_boundaries(text: &str, start: usize, end: usize) -> bool {
    let matched = &text[start..end];
    let left_ok = !matched.chars().next().is_some_and(is_word_char) || !word_char_before(text, start);
    let right_ok = !matched.chars().next_back().is_some_and(is_word_char) || !word_char_after(text, end);
    left_ok && right_ok
}
