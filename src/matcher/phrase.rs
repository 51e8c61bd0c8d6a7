//! The phrase language: words as people write them, plus three constructs for real speech.
//!
//! - **Alternatives** `(请问|麻烦)` and **optional parts** `(请问)?` / `(a|b)?`: one phrase
//!   covers the ways one thing is said;
//! - **Gaps** `…` or `...`: up to 8 words or characters may come between the parts
//!   ("还有 … 帮您" matches 「还有其他还可以帮到您」); `…{N}` sets the most (at most 50);
//! - `\(`, `\)`, `\|`, `\…` and `\\` stand for the character itself.
//!
//! A phrase with none of these is a plain literal and goes into the matcher's Aho-Corasick
//! automaton as before. A phrase that uses them compiles to a regular expression over the
//! normalised text; its literal prefixes gate it, so it only runs on turns where one of them
//! occurs. Word boundaries hold at the phrase's edges as for literals (checked after a match),
//! and on both sides of a gap next to a Latin word ("any … help" does not match inside
//! "anything").

use crate::problem::Problem;
use std::fmt::Write;

/// The most a gap may span.
pub const MAX_GAP: u32 = 50;

/// A gap's span when `…` gives none.
pub const DEFAULT_GAP: u32 = 8;

/// True when a phrase uses the phrase language (alternatives, optional parts, gaps, escapes).
pub fn has_syntax(phrase: &str) -> bool {
    phrase.contains(['(', ')', '|', '…', '\\']) || phrase.contains("...")
}

/// One element of a parsed phrase.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Item {
    /// Literal text, not yet normalised.
    Text(String),
    /// Whitespace between elements.
    Space,
    /// Alternatives, each a sequence; `optional` when followed by `?`.
    Group {
        alternatives: Vec<Vec<Item>>,
        optional: bool,
    },
    /// Up to this many words or characters.
    Gap(u32),
}

/// Parses a phrase into a sequence of items; `Err` says what is wrong, for the user.
fn parse(phrase: &str) -> Result<Vec<Item>, Problem> {
    let chars: Vec<char> = phrase.chars().collect();
    let mut at = 0;
    let alternatives = parse_alternatives(&chars, &mut at, 0)?;
    if at < chars.len() {
        return Err("`)` has no matching `(`".into());
    }
    Ok(match <[Vec<Item>; 1]>::try_from(alternatives) {
        Ok([one]) => one,
        Err(many) => vec![Item::Group {
            alternatives: many,
            optional: false,
        }],
    })
}

/// Parses `a|b|c` up to a closing `)` (not consumed) or the end.
fn parse_alternatives(chars: &[char], at: &mut usize, depth: usize) -> Result<Vec<Vec<Item>>, Problem> {
    if depth > 8 {
        return Err("groups are nested more than 8 deep".into());
    }
    let mut alternatives = Vec::new();
    let mut current: Vec<Item> = Vec::new();
    let mut text = String::new();
    let flush = |text: &mut String, current: &mut Vec<Item>| {
        if !text.is_empty() {
            current.push(Item::Text(std::mem::take(text)));
        }
    };
    while *at < chars.len() {
        let c = chars[*at];
        match c {
            '\\' => {
                let Some(&next) = chars.get(*at + 1) else {
                    return Err("the phrase ends with `\\`".into());
                };
                text.push(next);
                *at += 2;
            }
            '(' => {
                flush(&mut text, &mut current);
                *at += 1;
                let group = parse_alternatives(chars, at, depth + 1)?;
                if chars.get(*at) != Some(&')') {
                    return Err("`(` has no matching `)`".into());
                }
                *at += 1;
                let optional = chars.get(*at) == Some(&'?');
                if optional {
                    *at += 1;
                }
                if group
                    .iter()
                    .any(|alt| alt.iter().all(|i| matches!(i, Item::Space)))
                {
                    return Err("a group has an empty alternative".into());
                }
                current.push(Item::Group {
                    alternatives: group,
                    optional,
                });
            }
            ')' => break,
            '|' => {
                flush(&mut text, &mut current);
                alternatives.push(std::mem::take(&mut current));
                *at += 1;
            }
            '…' | '.' if c == '…' || chars[*at..].starts_with(&['.', '.', '.']) => {
                flush(&mut text, &mut current);
                // "……" (the Chinese ellipsis) and "....." are one gap.
                while chars.get(*at) == Some(&'…') || chars[*at..].starts_with(&['.', '.', '.']) {
                    *at += if chars[*at] == '…' { 1 } else { 3 };
                    while chars.get(*at) == Some(&'.') {
                        *at += 1;
                    }
                }
                let mut span = DEFAULT_GAP;
                if chars.get(*at) == Some(&'{') {
                    let close = chars[*at..]
                        .iter()
                        .position(|&c| c == '}')
                        .ok_or("`…{` has no closing `}`")?;
                    let digits: String = chars[*at + 1..*at + close].iter().collect();
                    span = digits.trim().parse().map_err(|_| {
                        format!("`…{{{digits}}}` needs a whole number of words or characters")
                    })?;
                    if span == 0 || span > MAX_GAP {
                        return Err(
                            format!("a gap spans 1 to {MAX_GAP} words or characters, not {span}").into(),
                        );
                    }
                    *at += close + 1;
                }
                if matches!(current.last(), Some(Item::Space)) {
                    current.pop();
                }
                current.push(Item::Gap(span));
            }
            c if c.is_whitespace() => {
                flush(&mut text, &mut current);
                // Spaces at a group's edge count: "(i|we)( will)? do" is "we do" or "we will do".
                if !matches!(current.last(), Some(Item::Space | Item::Gap(_))) {
                    current.push(Item::Space);
                }
                *at += 1;
            }
            c => {
                text.push(c);
                *at += 1;
            }
        }
    }
    flush(&mut text, &mut current);
    alternatives.push(current);
    for alternative in &alternatives {
        let mut words = alternative.iter().filter(|i| !matches!(i, Item::Space));
        let (first, last) = (words.clone().next(), words.next_back());
        if matches!(first, Some(Item::Gap(_))) || matches!(last, Some(Item::Gap(_))) {
            return Err("a phrase (or an alternative) cannot start or end with a gap `…`".into());
        }
    }
    let empty = |alternative: &Vec<Item>| alternative.iter().all(|i| matches!(i, Item::Space));
    if alternatives.len() > 1 && alternatives.iter().any(empty) {
        return Err("an alternative is empty: `a||b` or `(a|)`; write `(a)?` for an optional part".into());
    }
    Ok(alternatives)
}

/// CJK characters as the normaliser sees them (see [`crate::normalize::is_cjk`]).
const CJK_CLASS: &str = r"[\x{1100}-\x{11FF}\x{2E80}-\x{2FDF}\x{3005}-\x{3007}\x{3021}-\x{3029}\x{3040}-\x{30FF}\x{3100}-\x{312F}\x{3130}-\x{318F}\x{31A0}-\x{31BF}\x{31F0}-\x{31FF}\x{3400}-\x{4DBF}\x{4E00}-\x{9FFF}\x{AC00}-\x{D7AF}\x{F900}-\x{FAFF}\x{FF66}-\x{FF9F}]";

/// Compiles a phrase that uses the phrase language into a regex over normalised text;
/// `normalize` folds literal text as the rulebook's profile does. `Err` says what is wrong.
pub fn compile(phrase: &str, normalize: &dyn Fn(&str) -> String) -> Result<String, Problem> {
    let items = parse(phrase)?;
    let mut out = String::new();
    emit_sequence(&items, normalize, &mut out);
    if out.is_empty() {
        return Err("the phrase is empty after normalisation".into());
    }
    // Where every way the phrase can start (or end) is a Latin letter or digit, the word boundary
    // goes into the regex too. The matcher checks edges after a match, and a match is never
    // retried, so without it "(complain|complaint)" would find "complain" in "complaint", fail the
    // check, and miss the word; with it the regex takes the alternative that ends at a boundary.
    let all_words = |edges: Vec<bool>| !edges.is_empty() && edges.iter().all(|&w| w);
    if all_words(edge_is_word(&items, true, normalize)) {
        out.insert_str(0, "(?-u:\\b)");
    }
    if all_words(edge_is_word(&items, false, normalize)) {
        out.push_str("(?-u:\\b)");
    }
    Ok(out)
}

/// The characters a sequence can start (`first = true`) or end with, as far as word
/// boundaries care: `Some(true)` a Latin word character, `Some(false)` anything else, `None`
/// when the sequence can be empty there.
fn edge_is_word(items: &[Item], first: bool, normalize: &dyn Fn(&str) -> String) -> Vec<bool> {
    let ordered: Box<dyn Iterator<Item = &Item>> = if first {
        Box::new(items.iter())
    } else {
        Box::new(items.iter().rev())
    };
    let mut edges = Vec::new();
    for item in ordered {
        match item {
            Item::Text(text) => {
                let folded = normalize(text);
                let c = if first {
                    folded.chars().next()
                } else {
                    folded.chars().last()
                };
                if let Some(c) = c {
                    edges.push(c.is_ascii_alphanumeric());
                    return edges;
                }
            }
            Item::Space | Item::Gap(_) => {}
            Item::Group {
                alternatives,
                optional,
            } => {
                for alternative in alternatives {
                    edges.extend(edge_is_word(alternative, first, normalize));
                }
                if !optional {
                    return edges;
                }
            }
        }
    }
    edges
}

/// True when every way `items` can start (`first`) or end is a Latin letter or digit — never
/// CJK, punctuation, a gap, or nothing at all.
fn surely_word_edge(items: &[Item], first: bool, normalize: &dyn Fn(&str) -> String) -> bool {
    let item = if first { items.first() } else { items.last() };
    let rest = if first {
        items.get(1..).unwrap_or_default()
    } else {
        &items[..items.len().saturating_sub(1)]
    };
    match item {
        None | Some(Item::Gap(_)) => false,
        Some(Item::Space) => surely_word_edge(rest, first, normalize),
        Some(Item::Text(text)) => {
            let folded = normalize(text);
            let c = if first {
                folded.chars().next()
            } else {
                folded.chars().last()
            };
            c.is_some_and(|c| c.is_ascii_alphanumeric())
        }
        Some(Item::Group {
            alternatives,
            optional,
        }) => {
            alternatives.iter().all(|a| surely_word_edge(a, first, normalize))
                && (!optional || surely_word_edge(rest, first, normalize))
        }
    }
}

fn emit_sequence(items: &[Item], normalize: &dyn Fn(&str) -> String, out: &mut String) {
    for (i, item) in items.iter().enumerate() {
        match item {
            Item::Text(text) => {
                out.push_str(&regex::escape(&normalize(text)));
            }
            // Normalised text has one space between Latin words and none next to CJK: between
            // two words the space is required ("(to|for) get" is not "forget"), elsewhere not.
            Item::Space => {
                let between_words = surely_word_edge(&items[..i], false, normalize)
                    && surely_word_edge(&items[i + 1..], true, normalize);
                out.push_str(if between_words { "\\x20" } else { "\\x20?" });
            }
            Item::Group {
                alternatives,
                optional,
            } => {
                out.push_str("(?:");
                for (n, alternative) in alternatives.iter().enumerate() {
                    if n > 0 {
                        out.push('|');
                    }
                    emit_sequence(alternative, normalize, out);
                }
                out.push(')');
                if *optional {
                    out.push('?');
                }
            }
            Item::Gap(span) => {
                // A Latin word next to the gap must end (or start) at a word boundary, so that
                // "any … help" does not match inside "anything".
                let before = edge_is_word(&items[..i], false, normalize);
                let after = edge_is_word(&items[i + 1..], true, normalize);
                if before.contains(&true) {
                    out.push_str("(?-u:\\b)");
                }
                let _ = write!(
                    out,
                    "(?:\\x20?(?:{CJK_CLASS}|[^\\x20\\x{{FFFC}}{cjk}]+)){{0,{span}}}?\\x20?",
                    cjk = &CJK_CLASS[1..CJK_CLASS.len() - 1],
                );
                if after.contains(&true) {
                    out.push_str("(?-u:\\b)");
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::{Profile, normalize};

    fn regex(phrase: &str) -> regex::Regex {
        let fold = |s: &str| normalize(&Profile::default(), s);
        regex::Regex::new(&compile(phrase, &fold).unwrap()).unwrap()
    }

    fn matches(phrase: &str, text: &str) -> bool {
        regex(phrase).is_match(&normalize(&Profile::default(), text))
    }

    #[test]
    fn plain_phrases_have_no_syntax() {
        assert!(!has_syntax("还有什么可以帮您"));
        assert!(!has_syntax("anything else"));
        assert!(has_syntax("还有…帮您"));
        assert!(has_syntax("anything ... help"));
        assert!(has_syntax("(请问)?还有"));
    }

    #[test]
    fn gaps_span_a_bounded_number_of_words_or_characters() {
        assert!(matches("还有 … 帮(到)?您", "请问还有其他还可以帮到您的吗？"));
        assert!(!matches("还有 … 帮您", "请问还有其他还可以帮到您的吗？"));
        assert!(matches("还有…效劳", "请问还有其他我可以为您效劳的么？"));
        assert!(!matches("还有…{3}帮您", "请问还有其他我可以为您帮您"));
        assert!(matches("还有…{12}查询", "还有其他业务信息需要为您查询的吗？"));
        assert!(matches(
            "anything … help",
            "Is there anything else I can help you with?"
        ));
        assert!(!matches(
            "anything …{1} help",
            "Is there anything else I can help you with?"
        ));
        // Adjacent parts: a gap may be empty.
        assert!(matches("anything … else", "anything else"));
    }

    #[test]
    fn a_space_between_words_is_required_and_optional_next_to_chinese() {
        assert!(!matches("(to|for) get", "don't forget"));
        assert!(matches("(to|for) get", "ready for get together"));
        assert!(matches("(i|we)( will)? do", "we will do it"));
        assert!(matches("(i|we)( will)? do", "we do it"));
        // Next to Chinese the normaliser leaves no space, so a space in the phrase may be absent.
        assert!(matches("还有 (其他|别的) 问题", "还有其他问题吗"));
        assert!(matches("(请|麻烦) call 我", "请call我"));
    }

    #[test]
    fn gaps_keep_latin_word_boundaries() {
        assert!(!matches("any … help", "anything else i can help"));
        assert!(matches("any … help", "any other way i can help"));
    }

    #[test]
    fn alternatives_and_optional_parts() {
        assert!(matches("(请问)?还有(其他|别的)问题", "还有别的问题吗"));
        assert!(matches("(请问)?还有(其他|别的)问题", "请问还有其他问题吗"));
        assert!(!matches("(请问)?还有(其他|别的)问题", "还有什么问题"));
        assert!(matches(
            "is there (anything|something) else",
            "Is there something else?"
        ));
        assert!(matches("(any|some)thing else", "anything else"));
        assert!(matches("不(可以|支持|行)", "亲，不支持的哦"));
        assert!(matches("you|u must", "u must"));
        // Spaces at a group's edge are optional separators.
        assert!(matches(
            "(i|we) (will |'ll )?do (our|my) best",
            "and we will do our best to"
        ));
        assert!(matches(
            "(i|we)( will| 'll)? do (our|my) best",
            "We'll do our best."
        ));
        assert!(matches("(i|we)( will| 'll)? do (our|my) best", "I do my best"));
    }

    #[test]
    fn the_chinese_ellipsis_is_one_gap_and_escapes_are_literal() {
        assert!(matches("您能……吗", "您能先登录一下账户吗"));
        assert!(matches(r"50\% off", "50% off"));
        assert!(matches(r"a\(b\)", "a(b)"));
    }

    #[test]
    fn mistakes_are_explained() {
        let fold = |s: &str| normalize(&Profile::default(), s);
        for (phrase, expected) in [
            ("(还有", "no matching `)`"),
            ("还有)", "no matching `(`"),
            ("… 帮您", "cannot start or end with a gap"),
            ("还有 …", "cannot start or end with a gap"),
            ("还有…{0}帮您", "1 to 50"),
            ("还有…{x}帮您", "whole number"),
            ("a||b", "alternative is empty"),
            ("(a|)", "alternative is empty"),
            ("trailing\\", "ends with"),
        ] {
            let err = compile(phrase, &fold).unwrap_err();
            assert!(err.message().contains(expected), "{phrase}: {err}");
        }
    }
}
