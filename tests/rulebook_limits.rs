//! Rulebook limits: a regular expression that would compile too large, thousands of rules,
//! huge phrase lists, an empty phrase, a phrase that normalises to nothing and windows that can
//! never hold. Each is a clear error at load time — `file:line:column`, the key, what was
//! expected and a hint — or loads and works; none hangs.
//!
//! The big rulebooks are generated here. "Loads in seconds" is checked as "completes": the load
//! runs on a thread and the test fails if it has not finished after a bound far above the
//! expected time (a few seconds), so a hang fails the test instead of stalling the suite.

use std::fmt::Write as _;
use std::process::Command;
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use callcheck::rulebook::RuleSet;

const BIN: &str = env!("CARGO_BIN_EXE_callcheck");

/// The error text for a rulebook that must not load.
fn errors(text: &str) -> String {
    match RuleSet::from_text("r.toml", text) {
        Ok(_) => panic!("the rulebook loaded:\n{text}"),
        Err(e) => e.to_string(),
    }
}

/// A rulebook with one rule table, after the header.
fn book(rule: &str) -> String {
    format!("[rulebook]\nid = \"limits\"\n{rule}")
}

/// Asserts that `text` fails with every one of `expected` in its error message.
fn assert_error(rule: &str, expected: &[&str]) {
    let e = errors(&book(rule));
    for part in expected {
        assert!(e.contains(part), "expected {part:?} in:\n{e}");
    }
    assert!(e.contains("= hint: "), "no hint in:\n{e}");
}

/// Runs `f` on a thread and returns its result, failing when it has not finished after
/// `seconds` (a bound for "never hangs", far above the expected time).
fn completes<T: Send + 'static>(seconds: u64, f: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        let _ = tx.send(f());
    });
    rx.recv_timeout(Duration::from_secs(seconds))
        .unwrap_or_else(|_| panic!("did not complete within {seconds} s"))
}

#[test]
fn a_regex_that_would_compile_too_large_is_an_error_at_its_pattern() {
    // Unicode classes and counted repeats multiply; each of these is over the 10 MB limit.
    assert_error(
        "[[forbidden]]\nid = \"huge\"\npatterns = ['ok', '\\w{500}\\w{500}']\n",
        &[
            "r.toml:5:19: [[forbidden]] \"huge\" › patterns: the regular expression is too large",
            "expected: a pattern that compiles to at most 10 MB",
            "hint: Unicode classes (\\w, \\d, \\pL, .) and counted repeats",
        ],
    );
    assert_error(
        "[[forbidden]]\nid = \"repeats\"\npatterns = ['(?:a{1000}){1000}']\n",
        &["r.toml:5:13: [[forbidden]] \"repeats\" › patterns: the regular expression is too large"],
    );
    // The other kinds that take patterns say the same.
    assert_error(
        "[[pii]]\nid = \"ids\"\npatterns = ['(\\w{500}\\w{500})']\n",
        &["r.toml:5:13: [[pii]] \"ids\" › patterns: the regular expression is too large"],
    );
    assert_error(
        "[[readback]]\nid = \"order\"\nentity = \"regex\"\npattern = '(\\w{500}\\w{500})'\n",
        &["r.toml:6:11: [[readback]] \"order\" › pattern: the regular expression is too large"],
    );
    assert_error(
        "[[conditional]]\nid = \"c\"\nwhen = { patterns = ['\\w{500}\\w{500}'] }\nthen = { phrases = [\"x\"] }\n",
        &["r.toml:5:22: [[conditional]] \"c\" › when: the regular expression is too large"],
    );
    // Failing is quick: the size is checked while compiling.
    completes(60, || {
        errors(&book(
            "[[forbidden]]\nid = \"x\"\npatterns = ['\\w{1000}{1000}']\n",
        ))
    });
}

/// A rulebook of `rules` forbidden rules with `phrases` phrases each; every tenth rule also
/// has a pattern with a Unicode class and no literal prefix, so the patterns run as a set (which
/// has to be split to compile).
fn big_rulebook(rules: usize, phrases: usize) -> String {
    let mut text = String::from("[rulebook]\nid = \"big\"\n");
    for rule in 0..rules {
        let _ = write!(text, "\n[[forbidden]]\nid = \"rule-{rule}\"\nphrases = [");
        for phrase in 0..phrases {
            let _ = write!(text, "\"word{rule}x{phrase}\", ");
        }
        text.push_str("]\n");
        if rule % 10 == 0 {
            let _ = writeln!(text, "patterns = ['\\w+ing{rule}q']");
        }
    }
    text
}

#[test]
fn five_thousand_rules_and_a_hundred_thousand_phrases_load_and_match() {
    let text = big_rulebook(5_000, 20);
    let (set, warnings) =
        completes(300, move || RuleSet::from_text("big.toml", &text)).unwrap_or_else(|e| panic!("{e}"));
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(set.rules.len(), 5_000);

    // The same rulebook through the command line finds a phrase of the last rule and a
    // pattern of a late one.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("big.toml"), big_rulebook(5_000, 20)).unwrap();
    std::fs::write(
        dir.path().join("call.txt"),
        "Agent: hello, word4999x19 here, amazing4990q\nCustomer: word4999x19\n",
    )
    .unwrap();
    let output = completes(300, {
        let dir = dir.path().to_path_buf();
        move || {
            Command::new(BIN)
                .current_dir(&dir)
                .args([
                    "check",
                    "--no-config",
                    "-r",
                    "big.toml",
                    "--format",
                    "json",
                    "call.txt",
                ])
                .output()
                .unwrap()
        }
    });
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let report: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let mut rules: Vec<&str> = report["files"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    rules.sort_unstable();
    assert_eq!(rules, ["big/rule-4990", "big/rule-4999"], "{stdout}");

    // One rule with a hundred thousand phrases.
    let text = big_rulebook(1, 100_000);
    let (set, _) =
        completes(300, move || RuleSet::from_text("one.toml", &text)).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(set.rules.len(), 1);
}

#[test]
fn empty_phrases_and_phrases_that_normalise_to_nothing_are_errors() {
    assert_error(
        "[[forbidden]]\nid = \"x\"\nphrases = [\"ok\", \"\"]\n",
        &[
            "r.toml:5:18: [[forbidden]] \"x\" › phrases: the phrase is empty",
            "hint: an empty phrase matches nothing; remove it from the list",
        ],
    );
    // "..." is a gap of the phrase language, and a gap needs words on both sides.
    assert_error(
        "[[required]]\nid = \"x\"\nphrases = [\"...\"]\n",
        &[
            "r.toml:5:12: [[required]] \"x\" › phrases: invalid phrase: a phrase (or an alternative) cannot start or end with a gap",
            "for the characters themselves",
        ],
    );
    // Punctuation and spaces are ignored when matching, so these hold no words.
    for phrase in ["，。！", "   ", "-_-"] {
        assert_error(
            &format!("[[required]]\nid = \"x\"\nphrases = [{phrase:?}]\n"),
            &[
                &format!(
                    "r.toml:5:12: [[required]] \"x\" › phrases: the phrase {phrase:?} is empty after normalisation"
                ),
                "ignore_punctuation = false",
            ],
        );
    }
    // With punctuation kept, an escaped "\..." is a phrase.
    let kept =
        book("[normalize]\nignore_punctuation = false\n[[forbidden]]\nid = \"x\"\nphrases = ['\\...']\n");
    RuleSet::from_text("r.toml", &kept).unwrap_or_else(|e| panic!("{e}"));
    // The other kinds' phrase lists are checked the same way.
    assert_error(
        "[[sequence]]\nid = \"s\"\nsteps = [[\"hello\"], [\"。\"]]\n",
        &["r.toml:5:22: [[sequence]] \"s\" › steps: the phrase \"。\" is empty after normalisation"],
    );
    assert_error(
        "[[conditional]]\nid = \"c\"\nwhen = { phrases = [\"\"] }\nthen = { phrases = [\"x\"] }\n",
        &["r.toml:5:21: [[conditional]] \"c\" › when: the phrase is empty"],
    );
    assert_error(
        "[[metric]]\nid = \"m\"\nmetric = \"occurrences\"\nphrases = [\"!!\"]\nmax = 1\n",
        &["r.toml:6:12: [[metric]] \"m\" › phrases: the phrase \"!!\" is empty after normalisation"],
    );
    // A list with no phrase at all.
    assert_error(
        "[[forbidden]]\nid = \"x\"\nphrases = []\n",
        &["r.toml:4:6: [[forbidden]] \"x\" › id: a [[forbidden]] rule needs `phrases` or `patterns`"],
    );
}

/// Every combination of window keys in docs/rulebook.md that no call can satisfy.
#[test]
fn windows_that_can_never_hold_are_errors() {
    let window = |w: &str| format!("[[required]]\nid = \"w\"\nphrases = [\"hi\"]\nwindow = {w}\n");
    // A window of 0 turns or 0 seconds, a negative one, none or two keys at once.
    for (w, reason) in [
        ("{ first_turns = 0 }", "0 turns selects nothing"),
        ("{ last_turns = 0 }", "0 turns selects nothing"),
        ("{ first_seconds = 0 }", "0 is not a positive number of seconds"),
        ("{ last_seconds = -5 }", "-5 is not a positive number of seconds"),
        ("{}", "the window is empty"),
        (
            "{ first_turns = 2, last_seconds = 30 }",
            "the window sets more than one key",
        ),
    ] {
        assert_error(
            &window(w),
            &[
                &format!("r.toml:6:10: [[required]] \"w\" › window: invalid window: {reason}"),
                "leave `window` out to look at the whole call",
            ],
        );
    }
    // A metric whose bounds exclude every value.
    assert_error(
        "[[metric]]\nid = \"m\"\nmetric = \"speech_rate\"\nmin = 200\nmax = 100\n",
        &[
            "r.toml:7:7: [[metric]] \"m\" › max: `max` = 100 is below `min` = 200",
            "swap the two bounds",
        ],
    );
    assert_error(
        "[[metric]]\nid = \"m\"\nmetric = \"talk_share\"\nmax = 120\n",
        &["r.toml:6:7: [[metric]] \"m\" › max: invalid bound 120 for talk_share"],
    );
    // A response within 0 turns of a trigger by the other party, within 0 seconds, or both.
    let conditional = |then: &str| {
        format!(
            "[[conditional]]\nid = \"c\"\nwhen = {{ speaker = \"customer\", phrases = [\"complaint\"] }}\nthen = {then}\n"
        )
    };
    assert_error(
        &conditional("{ phrases = [\"sorry\"], within_turns = 0 }"),
        &[
            "r.toml:6:46: [[conditional]] \"c\" › then: within_turns = 0 only searches the triggering turn itself",
            "hint: 0 works when the trigger and the response have the same speaker",
        ],
    );
    assert_error(
        &conditional("{ phrases = [\"sorry\"], within_seconds = 0 }"),
        &["r.toml:6:48: [[conditional]] \"c\" › then: `within_seconds` = 0 is not a positive number"],
    );
    assert_error(
        &conditional("{ phrases = [\"sorry\"], within_turns = 2, within_seconds = 30 }"),
        &["r.toml:6:66: [[conditional]] \"c\" › then: `then` sets both `within_turns` and `within_seconds`"],
    );
    assert_error(
        &conditional("{ phrases = [\"sorry\"], within_turns = 51 }"),
        &["r.toml:6:46: [[conditional]] \"c\" › then: `within_turns` = 51 is out of range"],
    );
    // A trigger that can never fire: no turn is shorter than 0, no header value meets
    // contradictory comparisons.
    assert_error(
        "[[conditional]]\nid = \"c\"\nwhen = { min_length = 0 }\nthen = { phrases = [\"x\"] }\n",
        &["r.toml:5:23: [[conditional]] \"c\" › when: `min_length` must be at least 1"],
    );
    for (when, shown) in [
        ("gt = 5, lt = 3", "> 5 and < 3"),
        ("ge = 3, lt = 3", ">= 3 and < 3"),
        ("gt = 3, le = 3", "> 3 and <= 3"),
        ("eq = 2, ne = 2", "= 2 and != 2"),
        ("eq = 7, lt = 5", "< 5 and = 7"),
        ("ge = 4, le = 4, ne = 4", ">= 4 and <= 4 and != 4"),
        (
            "eq = \"Follow-up\", ne = \"follow-up\"",
            "= \"Follow-up\" and != \"follow-up\"",
        ),
    ] {
        assert_error(
            &format!(
                "[[conditional]]\nid = \"c\"\nwhen = {{ metadata = \"rings\", {when} }}\nthen = {{ phrases = [\"x\"] }}\n"
            ),
            &[
                &format!(
                    "r.toml:5:8: [[conditional]] \"c\" › when: the metadata condition on `rings` can never hold: no value is {shown}"
                ),
                "write two rules for \"either … or\"",
            ],
        );
    }
    // Comparisons some value meets load.
    for when in [
        "gt = 3, lt = 4",
        "ge = 3, le = 3",
        "gt = 3, ne = 4",
        "eq = \"a\", ne = \"b\"",
    ] {
        let text = book(&format!(
            "[[conditional]]\nid = \"c\"\nwhen = {{ metadata = \"rings\", {when} }}\nthen = {{ phrases = [\"x\"] }}\n"
        ));
        RuleSet::from_text("r.toml", &text).unwrap_or_else(|e| panic!("{when}: {e}"));
    }
    // A read-back that must happen within 0 turns, or accepts more digits than make a value.
    assert_error(
        "[[readback]]\nid = \"r\"\nentity = \"digits\"\nwithin_turns = 0\n",
        &["r.toml:6:16: [[readback]] \"r\" › within_turns: `within_turns` = 0 is out of range"],
    );
    assert_error(
        "[[readback]]\nid = \"r\"\nentity = \"digits\"\nmin_digits = 6\naccept_partial = { last = 8 }\n",
        &[
            "r.toml:7:27: [[readback]] \"r\" › accept_partial: `last` = 8 is out of range",
            "from 1 to 6",
        ],
    );
    // A read-back by the party that gave the value.
    assert_error(
        "[[readback]]\nid = \"r\"\nentity = \"phone\"\nfrom = \"agent\"\nby = \"agent\"\n",
        &["r.toml:7:6: [[readback]] \"r\" › by: `from` and `by` are both the agent"],
    );
}
