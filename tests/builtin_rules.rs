//! Every built-in rule carries pass and fail examples, names a guideline, and its examples
//! behave: the same engine as `callcheck rules test`.

use callcheck::engine::Engine;
use callcheck::guidelines;
use callcheck::rulebook::RuleSet;
use callcheck::selftest;

#[test]
fn every_builtin_example_behaves() {
    let (rules, warnings) = RuleSet::builtins().expect("built-in rulebooks load");
    assert!(warnings.is_empty(), "{warnings:?}");
    let results = selftest::run(&Engine::new(rules).without_scope_gates());
    let failures: Vec<String> = results
        .iter()
        .flat_map(|r| r.failures.iter())
        .map(|f| {
            format!(
                "{} {} example {}: {}\n{}",
                f.rule, f.expectation, f.index, f.problem, f.text
            )
        })
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    assert!(results.len() >= 70);
}

#[test]
fn every_builtin_rule_has_examples_and_a_known_guideline() {
    let (rules, _) = RuleSet::builtins().unwrap();
    for rule in &rules.rules {
        assert!(!rule.meta.pass.is_empty(), "{} has no pass example", rule.id);
        assert!(!rule.meta.fail.is_empty(), "{} has no fail example", rule.id);
        let guideline = rule
            .meta
            .guideline
            .as_deref()
            .unwrap_or_else(|| panic!("{} names no guideline", rule.id));
        assert!(
            guidelines::title(guideline).is_some(),
            "{}: unknown guideline {guideline}",
            rule.id
        );
        assert!(rule.meta.title.is_some(), "{} has no title", rule.id);
    }
}

#[test]
fn builtins_cover_the_guidelines_their_kinds_can_express() {
    let (rules, _) = RuleSet::builtins().unwrap();
    let covers = |rulebook: &str, guideline: &str| {
        rules.rules.iter().any(|r| {
            r.id.starts_with(&format!("{rulebook}/")) && r.meta.guideline.as_deref() == Some(guideline)
        })
    };
    for rulebook in ["zh-telephone", "en-telephone"] {
        for guideline in [
            // Phrase rules: required, forbidden, sequence, hangup.
            "G3", "G18", "G19", "G20", "G21", "G22", "G23", "G24", "G25", "G26", "G27", "G31", "G35", "G36",
            "G37", // Conversation rules: conditional, readback, metric.
            "G1", "G2", "G4", "G5", "G6", "G7", "G8", "G9", "G10", "G11", "G12", "G13", "G14", "G15", "G16",
            "G17", "G28", "G29", "G33", "G34",
        ] {
            assert!(
                covers(rulebook, guideline),
                "{rulebook} has no rule for {guideline}"
            );
        }
    }
    // Chats: no voice (rings, interrupting, pace, back-channel, hearing, hang-up, read-back of
    // spoken numbers), but reply times.
    for rulebook in ["zh-chat", "en-chat"] {
        for guideline in [
            "G3", "G10", "G11", "G12", "G13", "G14", "G15", "G16", "G18", "G19", "G20", "G21", "G22", "G23",
            "G24", "G25", "G26", "G27", "G28", "G29", "G30", "G33", "G34", "G35", "G36",
        ] {
            assert!(
                covers(rulebook, guideline),
                "{rulebook} has no rule for {guideline}"
            );
        }
        for voice_only in ["G1", "G2", "G5", "G7", "G8", "G17", "G37"] {
            assert!(
                !covers(rulebook, voice_only),
                "{rulebook} has a voice-only rule for {voice_only}"
            );
        }
    }
}

#[test]
fn example_rulebook_examples_behave() {
    for path in ["examples/rules/acme-bank.toml", "examples/rules/restaurant.toml"] {
        let text = std::fs::read_to_string(path).unwrap();
        let (rules, warnings) = RuleSet::from_text(path, &text).unwrap();
        assert!(warnings.is_empty(), "{path}: {warnings:?}");
        let results = selftest::run(&Engine::new(rules).without_scope_gates());
        assert!(!results.is_empty(), "{path} has rules with examples");
        assert!(
            results.iter().all(|r| r.failures.is_empty()),
            "{path}: {results:?}"
        );
    }
}
