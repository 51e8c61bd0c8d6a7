//! Literals that gate a pattern: every match contains one of them, so the pattern runs only on
//! turns where the phrase automaton saw one.
//!
//! A set of prefixes is best (`you (?:must|should)` starts with `you `). A pattern with no finite
//! set of prefixes (`(?:\d+|one|two) (?:hours?|days?)`, `^.{0,10}?(?:您好|你好)`) is gated by
//! the part of its sequence whose literals are the longest, since every match contains a match
//! of each part; alternatives by all their branches' literals. Only patterns with none of these
//! run on every turn.

use regex_syntax::hir::literal::{ExtractKind, Extractor};
use regex_syntax::hir::{Hir, HirKind};

/// Most literals a pattern may be gated by; beyond that it runs on every turn.
const MAX_GATE_LITERALS: usize = 64;

/// The literals one of which every match of a pattern contains, in the case of normalised text
/// (lower case when `fold_case`), or `None` when there is no short, finite set of them.
pub(super) fn required_literals(pattern: &str, fold_case: bool) -> Option<Vec<String>> {
    let hir = regex_syntax::ParserBuilder::new().build().parse(pattern).ok()?;
    required(&hir, fold_case).filter(|literals| literals.len() <= MAX_GATE_LITERALS)
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
            // The longest shortest literal: `hour` says more than ` `.
            .max_by_key(|literals| {
                let shortest = literals.iter().map(|l| l.chars().count()).min().unwrap_or(0);
                (shortest, std::cmp::Reverse(literals.len()))
            }),
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

#[cfg(test)]
mod tests {
    use super::*;

    fn literals(pattern: &str, fold_case: bool) -> Option<Vec<&'static str>> {
        required_literals(pattern, fold_case).map(|l| l.into_iter().map(|s| &*s.leak()).collect())
    }

    #[test]
    fn prefixes_gate_patterns() {
        assert_eq!(literals(r"^no(?-u:\b)", true), Some(vec!["no"]));
        assert_eq!(
            literals(r"(?i)(?-u:\b)you (?:must|should have)", true),
            Some(vec!["you "])
        );
        assert_eq!(literals(r"你(?:必须|本应该)", true).map(|l| l.len()), Some(2));
        assert_eq!(literals(r"Agent", false), Some(vec!["Agent"]));
    }

    #[test]
    fn a_required_part_gates_patterns_without_prefixes() {
        assert_eq!(
            literals(
                r"(?-u:\b)(?:\d+|one|two) (?:working )?(?:hours?|days?)(?-u:\b)",
                true
            ),
            Some(vec!["hours", "hour", "days", "day"])
        );
        assert_eq!(
            literals(r"^.{0,10}?(?:您好|你好|大家好)", true),
            Some(vec!["您好", "你好", "大家好"])
        );
        assert_eq!(
            literals(r"(?:\d+|[一二三]+)个?(?:点|时|小时).{0,12}恢复", true),
            Some(vec!["恢复"])
        );
        assert_eq!(
            literals(r"(?-u:\b)(?:today|\d+ ?(?:am|pm))(?-u:\b)", true),
            Some(vec!["today", "am", "pm"])
        );
        assert_eq!(
            literals(r"\d{1,2}(?:点|时)|\d月", false),
            Some(vec!["时", "点", "月"])
        );
    }

    #[test]
    fn patterns_without_a_finite_required_part_are_not_gated() {
        assert_eq!(literals(r"\d{15,19}", true), None);
        assert_eq!(literals(r"^.{30}", true), None);
        assert_eq!(literals(r"(?:\d+|x)?y?", true), None);
        assert_eq!(literals(r"today|\d{4}", true), None);
        assert_eq!(literals(r"\w{3,}", true), None);
        assert_eq!(literals(r"\w+ly", true), Some(vec!["ly"]));
    }
}
