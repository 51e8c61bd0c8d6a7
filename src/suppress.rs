//! Inline suppressions: reviewed exceptions written next to the text they excuse.
//!
//! A directive is a whole-line comment in the syntax of the file (`#` in plain-text
//! transcripts, `.txt` templates and YAML, `//`, or `<!-- … -->` in Markdown):
//!
//! ```text
//! # callcheck: disable-next-line zh-telephone/you-must, zh-telephone/bare-no
//! <!-- callcheck: disable zh-telephone/* -->   …   <!-- callcheck: enable zh-telephone/* -->
//! ```
//!
//! `disable-next-line` covers the next line that is neither blank nor another directive;
//! `disable` covers the lines after it up to the `enable` with the same rule id (or the end of
//! the file). Rule ids may be globs. A finding is suppressed when its first line is covered.
//!
//! Stale suppressions must not pile up, so a directive naming a rule that is not loaded, one
//! that suppressed nothing (for a rule that ran), and an `enable` without a `disable` are
//! reported as findings of callcheck's own rule [`UNUSED_RULE`] (a warning by default;
//! `[rules] "callcheck/unused-suppression" = "off"` in callcheck.toml turns it off).

use globset::{Glob, GlobMatcher};

use crate::finding::{Finding, Severity};
use crate::rulebook::RuleSet;
use crate::transcript::{Position, Transcript};

/// The id of the pseudo-rule reporting unused and unknown suppressions.
pub const UNUSED_RULE: &str = "callcheck/unused-suppression";

/// What the pseudo-rule checks, for reports that describe rules.
pub const UNUSED_HELP: &str = "Reports `callcheck:` suppression comments that name no loaded rule, that \
    suppressed no finding, or that enable a rule no earlier comment disabled, so stale \
    exceptions are removed.";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    NextLine,
    Disable,
    Enable,
}

/// One rule id (or glob) in a directive and where it is written.
#[derive(Clone, Debug)]
struct Named {
    pattern: String,
    matcher: Option<GlobMatcher>,
    at: Position,
}

#[derive(Clone, Debug)]
struct Directive {
    kind: Kind,
    line: u32,
    rules: Vec<Named>,
}

/// The length of `line` from where `rest` (a suffix of it, possibly cut short) starts.
fn after_directive_len(line: &str, rest: &str) -> usize {
    let start = rest.as_ptr() as usize - line.as_ptr() as usize;
    line.len() - start
}

/// Finds the directives of a file.
fn directives(text: &str) -> Vec<Directive> {
    let mut out = Vec::new();
    for (index, raw) in text.split('\n').enumerate() {
        let line = raw.strip_suffix('\r').unwrap_or(raw);
        let body = line.trim_start();
        let Some(after_marker) = ["<!--", "//", "#"].iter().find_map(|m| body.strip_prefix(m)) else {
            continue;
        };
        let Some(rest) = after_marker.trim_start().strip_prefix("callcheck:") else {
            continue;
        };
        let rest = rest.trim_start();
        let (kind, rest) = if let Some(r) = rest.strip_prefix("disable-next-line") {
            (Kind::NextLine, r)
        } else if let Some(r) = rest.strip_prefix("disable") {
            (Kind::Disable, r)
        } else if let Some(r) = rest.strip_prefix("enable") {
            (Kind::Enable, r)
        } else {
            continue;
        };
        let rest = rest.split("-->").next().unwrap_or(rest);
        let line_no = u32::try_from(index + 1).unwrap_or(u32::MAX);
        let rest_at = line.len() - after_directive_len(line, rest);
        let mut rules = Vec::new();
        let mut piece_start: Option<usize> = None;
        // Byte offsets come from char_indices, so slicing never splits a character.
        for (i, c) in rest.char_indices().chain(std::iter::once((rest.len(), ' '))) {
            let separator = c == ',' || c.is_whitespace();
            match (separator, piece_start) {
                (false, None) => piece_start = Some(i),
                (true, Some(start)) => {
                    let piece = &rest[start..i];
                    let column = line[..rest_at + start].chars().count() + 1;
                    rules.push(Named {
                        pattern: piece.to_string(),
                        matcher: Glob::new(piece).ok().map(|g| g.compile_matcher()),
                        at: Position {
                            line: line_no,
                            column: u32::try_from(column).unwrap_or(u32::MAX),
                        },
                    });
                    piece_start = None;
                }
                _ => {}
            }
        }
        out.push(Directive {
            kind,
            line: line_no,
            rules,
        });
    }
    out
}

/// A stretch of lines where one rule pattern is suppressed.
struct Range<'d> {
    named: &'d Named,
    first: u32,
    last: u32,
    used: bool,
}

/// False when `text` certainly holds no suppression comment: [`apply`] then changes nothing.
pub fn may_hold_directives(text: &str) -> bool {
    text.contains("callcheck:")
}

/// Applies the directives in `text` to the findings of its transcripts (one list per
/// transcript, in file order), removing suppressed findings and adding [`UNUSED_RULE`]
/// findings at severity `unused` (none when `None`).
pub fn apply(
    text: &str,
    transcripts: &[Transcript],
    findings: &mut [Vec<Finding>],
    rules: &RuleSet,
    unused: Option<Severity>,
) {
    if !may_hold_directives(text) {
        return;
    }
    let directives = directives(text);
    if directives.is_empty() {
        return;
    }
    let directive_lines: Vec<u32> = directives.iter().map(|d| d.line).collect();
    let lines: Vec<&str> = text.split('\n').collect();
    let blank = |line: u32| lines.get(line as usize - 1).is_none_or(|l| l.trim().is_empty());
    let total_lines = u32::try_from(lines.len()).unwrap_or(u32::MAX);
    let mut problems: Vec<(Position, String)> = Vec::new();
    let mut ranges: Vec<Range<'_>> = Vec::new();
    let mut open: Vec<Range<'_>> = Vec::new();
    for directive in &directives {
        if directive.rules.is_empty() {
            problems.push((
                Position {
                    line: directive.line,
                    column: 1,
                },
                "suppression names no rule: write `callcheck: disable-next-line RULE-ID`".into(),
            ));
        }
        for named in &directive.rules {
            let known = named
                .matcher
                .as_ref()
                .is_some_and(|m| rules.rules.iter().any(|r| m.is_match(&r.id)) || m.is_match(UNUSED_RULE));
            if !known {
                let hint = crate::diagnostic::did_you_mean(
                    &named.pattern,
                    rules.rules.iter().map(|r| r.id.as_str()),
                )
                .map(|best| format!("; did you mean `{best}`?"))
                .unwrap_or_default();
                problems.push((
                    named.at,
                    format!("suppression of unknown rule `{}`{hint}", named.pattern),
                ));
                continue;
            }
            match directive.kind {
                Kind::NextLine => {
                    let target = (directive.line + 1..=total_lines)
                        .find(|&l| !blank(l) && !directive_lines.contains(&l))
                        .unwrap_or(directive.line + 1);
                    ranges.push(Range {
                        named,
                        first: target,
                        last: target,
                        used: false,
                    });
                }
                Kind::Disable => open.push(Range {
                    named,
                    first: directive.line + 1,
                    last: u32::MAX,
                    used: false,
                }),
                Kind::Enable => match open.iter().rposition(|r| r.named.pattern == named.pattern) {
                    Some(i) => {
                        let mut range = open.remove(i);
                        range.last = directive.line;
                        ranges.push(range);
                    }
                    None => problems.push((
                        named.at,
                        format!(
                            "`callcheck: enable {}` without an earlier `callcheck: disable {}`",
                            named.pattern, named.pattern
                        ),
                    )),
                },
            }
        }
    }
    ranges.extend(open);
    for list in findings.iter_mut() {
        list.retain(|f| {
            let mut suppressed = false;
            for range in &mut ranges {
                if (range.first..=range.last).contains(&f.start.line)
                    && range.named.matcher.as_ref().is_some_and(|m| m.is_match(&f.rule))
                {
                    range.used = true;
                    suppressed = true;
                }
            }
            !suppressed
        });
    }
    for range in &ranges {
        let ran = range
            .named
            .matcher
            .as_ref()
            .is_some_and(|m| rules.enabled_rules().any(|(_, r)| m.is_match(&r.id)));
        if !range.used && ran {
            let place = if range.first == range.last {
                format!("on line {}", range.first)
            } else if range.last == u32::MAX {
                format!("from line {} to the end of the file", range.first)
            } else {
                format!("between lines {} and {}", range.first, range.last)
            };
            problems.push((
                range.named.at,
                format!("unused suppression: no `{}` finding {place}", range.named.pattern),
            ));
        }
    }
    let Some(severity) = unused else {
        return;
    };
    for (at, message) in problems {
        let target = owner(transcripts, at.line).min(findings.len().saturating_sub(1));
        if let Some(list) = findings.get_mut(target) {
            list.push(Finding {
                rule: UNUSED_RULE.to_string(),
                kind: "suppression",
                severity,
                message,
                note: Some("remove the comment, or fix the rule id".into()),
                start: at,
                end: at,
                turn: None,
                speaker: None,
                time: None,
                matched: None,
                suggestion: None,
                replacement: None,
                excerpt: None,
            });
            list.sort_by(|a, b| (a.start, &a.rule).cmp(&(b.start, &b.rule)));
        }
    }
}

/// The transcript a directive on `line` belongs to: the first whose text ends at or after it.
fn owner(transcripts: &[Transcript], line: u32) -> usize {
    transcripts
        .iter()
        .position(|t| {
            t.turns
                .iter()
                .flat_map(|turn| turn.segments.iter().map(|s| s.position.line))
                .max()
                .is_some_and(|last| last >= line)
        })
        .unwrap_or(transcripts.len().saturating_sub(1))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::Engine;
    use crate::matcher::Scratch;
    use crate::transcript::{ParseOptions, plain};

    const BOOK: &str = r#"
[rulebook]
id = "t"
[[forbidden]]
id = "must"
phrases = ["you must"]
[[forbidden]]
id = "no"
phrases = ["no"]
"#;

    fn run(text: &str, unused: Option<Severity>) -> Vec<(String, u32, String)> {
        let (rules, _) = RuleSet::from_text("t.toml", BOOK).unwrap();
        let engine = Engine::new(rules);
        let transcript = plain::parse(text, &ParseOptions::default()).unwrap();
        let verdict = engine.check(&transcript, &mut Scratch::default());
        let mut findings = vec![verdict.findings];
        apply(text, &[transcript], &mut findings, engine.rules(), unused);
        findings[0]
            .iter()
            .map(|f| (f.rule.clone(), f.start.line, f.message.clone()))
            .collect()
    }

    fn rules(found: &[(String, u32, String)]) -> Vec<(&str, u32)> {
        found.iter().map(|(r, l, _)| (r.as_str(), *l)).collect()
    }

    #[test]
    fn next_line_suppresses_only_the_next_line() {
        let found = run(
            "Agent: hi\n# callcheck: disable-next-line t/must\n\nAgent: you must\nAgent: you must\n",
            Some(Severity::Warning),
        );
        assert_eq!(rules(&found), [("t/must", 5)]);
    }

    #[test]
    fn several_ids_and_globs_and_comment_styles() {
        let text = "# callcheck: disable-next-line t/must, t/no\nAgent: no, you must\n\
                    # callcheck: disable-next-line t/*\nAgent: no, you must\n";
        assert!(run(text, Some(Severity::Warning)).is_empty());
        let parsed = directives(
            "// callcheck: disable a/b\n<!-- callcheck: enable a/b -->\n  # callcheck: disable-next-line c/*\n",
        );
        let kinds: Vec<(Kind, &str)> = parsed
            .iter()
            .map(|d| (d.kind, d.rules[0].pattern.as_str()))
            .collect();
        assert_eq!(
            kinds,
            [
                (Kind::Disable, "a/b"),
                (Kind::Enable, "a/b"),
                (Kind::NextLine, "c/*")
            ]
        );
    }

    #[test]
    fn disable_until_enable() {
        let text = "Agent: hi\n# callcheck: disable t/must\nAgent: you must\nAgent: you must\n\
                    # callcheck: enable t/must\nAgent: you must\n";
        assert_eq!(rules(&run(text, Some(Severity::Warning))), [("t/must", 6)]);
        let to_end = "Agent: hi\n# callcheck: disable t/must\nAgent: you must\n";
        assert!(run(to_end, Some(Severity::Warning)).is_empty());
    }

    #[test]
    fn unused_unknown_and_unmatched_enable_are_reported() {
        let text = "Agent: hi\n# callcheck: disable-next-line t/must\nAgent: fine\n\
                    # callcheck: disable-next-line t/mustt\nAgent: you must\n# callcheck: enable t/no\n";
        let found = run(text, Some(Severity::Warning));
        assert_eq!(
            rules(&found),
            [
                (UNUSED_RULE, 2),
                (UNUSED_RULE, 4),
                ("t/must", 5),
                (UNUSED_RULE, 6)
            ]
        );
        assert!(
            found[0]
                .2
                .contains("unused suppression: no `t/must` finding on line 3"),
            "{found:?}"
        );
        assert!(
            found[1]
                .2
                .contains("unknown rule `t/mustt`; did you mean `t/must`?"),
            "{found:?}"
        );
        assert!(found[3].2.contains("without an earlier"), "{found:?}");
        // Turned off, the problems are not reported, and suppressions still work.
        assert_eq!(rules(&run(text, None)), [("t/must", 5)]);
    }

    #[test]
    fn directive_columns_point_at_the_rule_id() {
        let d = directives("  # callcheck: disable-next-line a/b, c/d\n");
        assert_eq!(d[0].rules[0].at, Position { line: 1, column: 34 });
        assert_eq!(d[0].rules[1].at, Position { line: 1, column: 39 });
        assert!(directives("Agent: callcheck: disable x\n").is_empty());
        // Wide separators (an ideographic space) and wide ids never split a character.
        let d = directives("# callcheck: disable-next-line\u{3000}规则/一，a/b\n");
        let names: Vec<&str> = d[0].rules.iter().map(|r| r.pattern.as_str()).collect();
        assert_eq!(names, ["规则/一，a/b"]);
        assert_eq!(d[0].rules[0].at.column, 32);
    }

    proptest::proptest! {
        #[test]
        fn directives_never_panic(text in "(#|//|<!--)? ?callcheck: ?(disable-next-line|disable|enable)?[ ,\u{3000}a-z/*规则]{0,20}(-->)?") {
            let _ = directives(&text);
        }
    }
}
