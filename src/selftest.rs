//! Running every rule's embedded examples: `callcheck rules test` and the test suite share this.
//!
//! A `pass` example must produce no finding for its rule, a `fail` example at least one. An
//! example is a small plain-text transcript; a one-line example without a known speaker label is
//! one turn by the rule's speaker. Examples test a rule's logic, so language-specific rulebooks
//! apply to every example whatever its language.

use std::fmt;

use crate::engine::Engine;
use crate::matcher::Scratch;
use crate::problem::Problem;
use crate::rules::{Example, Rule};
use crate::transcript::{ParseOptions, Position, Role, Segment, Speaker, Transcript, Turn, plain};

/// Whether an example must pass or fail.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Expectation {
    /// No finding expected.
    Pass,
    /// At least one finding expected.
    Fail,
}

impl fmt::Display for Expectation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Expectation::Pass => "pass",
            Expectation::Fail => "fail",
        })
    }
}

/// An example that did not behave as declared.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExampleFailure {
    /// The rule's full id.
    pub rule: String,
    /// Whether it was a pass or a fail example.
    pub expectation: Expectation,
    /// 1-based index within the rule's pass or fail list.
    pub index: usize,
    /// The rulebook it is written in (`rules/acme.toml`, `builtin:zh-telephone`).
    pub rulebook: String,
    /// Where the example string starts in the rulebook.
    pub position: Position,
    /// The example text.
    pub text: String,
    /// What happened instead.
    pub problem: String,
}

/// One rule's example results.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuleResult {
    /// The rule's full id.
    pub rule: String,
    /// Pass examples run.
    pub pass: usize,
    /// Fail examples run.
    pub fail: usize,
    /// The examples that did not behave.
    pub failures: Vec<ExampleFailure>,
}

/// Runs the examples of every enabled rule.
pub fn run(engine: &Engine) -> Vec<RuleResult> {
    let rules = engine.rules();
    let options = ParseOptions {
        labels: rules.labels.clone(),
        ..ParseOptions::default()
    };
    let mut scratch = Scratch::default();
    rules
        .enabled_rules()
        .map(|(_, rule)| {
            let rulebook = &rules.rulebook_of(rule).source;
            let mut failures = Vec::new();
            for (expectation, examples) in [
                (Expectation::Pass, &rule.meta.pass),
                (Expectation::Fail, &rule.meta.fail),
            ] {
                for (i, example) in examples.iter().enumerate() {
                    let problem = check_example(engine, rule, example, expectation, &options, &mut scratch);
                    if let Some(problem) = problem {
                        failures.push(ExampleFailure {
                            rule: rule.id.clone(),
                            expectation,
                            index: i + 1,
                            rulebook: rulebook.clone(),
                            position: example.position,
                            text: example.text.clone(),
                            problem,
                        });
                    }
                }
            }
            RuleResult {
                rule: rule.id.clone(),
                pass: rule.meta.pass.len(),
                fail: rule.meta.fail.len(),
                failures,
            }
        })
        .collect()
}

fn check_example(
    engine: &Engine,
    rule: &Rule,
    example: &Example,
    expectation: Expectation,
    options: &ParseOptions,
    scratch: &mut Scratch,
) -> Option<String> {
    let transcript = match example_transcript(&example.text, rule.kind.example_role(), options) {
        Ok(t) => t,
        Err(e) => return Some(format!("the example is not a valid transcript: {e}")),
    };
    let verdict = engine.check(&transcript, scratch);
    let findings: Vec<_> = verdict.findings.iter().filter(|f| f.rule == rule.id).collect();
    match (expectation, findings.first()) {
        (Expectation::Pass, Some(first)) => Some(format!(
            "expected no finding, got {}: {}{}",
            findings.len(),
            first
                .matched
                .as_deref()
                .map_or_else(String::new, |m| format!("\"{m}\" — ")),
            first.note.as_deref().unwrap_or(&first.message)
        )),
        (Expectation::Fail, None) => {
            let reason = verdict
                .not_applicable
                .iter()
                .find(|n| n.rule == rule.id)
                .map_or_else(String::new, |n| {
                    format!(" (the rule was not applicable: {})", n.reason)
                });
            Some(format!("expected a finding, got none{reason}"))
        }
        _ => None,
    }
}

/// Turns an example into a transcript: a one-line example without a known speaker label is one
/// turn by `role`; anything else is parsed as a plain-text transcript.
pub fn example_transcript(text: &str, role: Role, options: &ParseOptions) -> Result<Transcript, Problem> {
    let trimmed = text.trim_matches(['\n', '\r']);
    let parsed = plain::parse(trimmed, options);
    let labelled = matches!(&parsed, Ok(t) if t.turns.iter().all(|turn| turn.speaker.role != Role::Other));
    if trimmed.lines().count() > 1 || labelled {
        return parsed.map_err(|e| Problem::new(e.to_string()));
    }
    let content = trimmed.trim();
    let label = match role {
        Role::Agent => "Agent",
        Role::Customer => "Customer",
        Role::System => "System",
        Role::Other => "Other",
    };
    Ok(Transcript {
        turns: vec![Turn {
            speaker: Speaker::declared(role, label),
            text: content.to_string(),
            start: None,
            end: None,
            segments: vec![Segment {
                text_offset: 0,
                position: Position { line: 1, column: 1 },
                verbatim: true,
            }],
        }],
        ..Transcript::default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rulebook::RuleSet;

    #[test]
    fn one_line_examples_are_turns_by_the_rules_speaker() {
        let options = ParseOptions::default();
        let t = example_transcript("你必须先登录。", Role::Agent, &options).unwrap();
        assert_eq!(t.turns.len(), 1);
        assert_eq!(t.turns[0].speaker.role, Role::Agent);
        let t = example_transcript("请注意：你必须先登录。", Role::Customer, &options).unwrap();
        assert_eq!(t.turns[0].text, "请注意：你必须先登录。");
        assert_eq!(t.turns[0].speaker.role, Role::Customer);
        let t = example_transcript("Customer: hi", Role::Agent, &options).unwrap();
        assert_eq!(t.turns[0].speaker.role, Role::Customer);
        let t = example_transcript("\nAgent: bye\n<hangup by=agent>\n", Role::Agent, &options).unwrap();
        assert_eq!(t.ended_by.map(|e| e.role), Some(Role::Agent));
    }

    #[test]
    fn failures_say_what_happened() {
        let book = r#"
[rulebook]
id = "t"
[[forbidden]]
id = "must"
phrases = ["you must"]
examples.pass = ["You must log in."]
examples.fail = ["Please log in.", "Customer: you must help me"]
"#;
        let (rules, _) = RuleSet::from_text("t.toml", book).unwrap();
        let results = run(&Engine::new(rules).without_scope_gates());
        let failures = &results[0].failures;
        assert_eq!(failures.len(), 3);
        assert_eq!(failures[0].expectation, Expectation::Pass);
        assert!(
            failures[0]
                .problem
                .contains("expected no finding, got 1: \"You must\""),
            "{}",
            failures[0].problem
        );
        assert_eq!(failures[0].position, Position { line: 7, column: 18 });
        assert_eq!(failures[1].problem, "expected a finding, got none");
        assert!(
            failures[2]
                .problem
                .contains("not applicable: the transcript has no turns by the agent")
        );
    }
}
