//! Verdicts, counting, per-rule judging, disagreements and gates on hand-made check results.

use std::path::{Path, PathBuf};

use super::calls::{Call, Calls, Hit};
use super::checks::resolve;
use super::labels::Labels;
use super::*;

const RULEBOOK: &str = r#"
[rulebook]
id = "qa"

[[required]]
id = "greeting"
guideline = "G3"
phrases = ["hello"]

[[required]]
id = "company"
guideline = "G3"
phrases = ["ACME"]

[[forbidden]]
id = "you-must"
guideline = "G19"
tags = ["tone"]
phrases = ["you must"]

[[hangup]]
id = "hangs-up"
guideline = "G37"
by = "customer"
"#;

fn rules() -> RuleSet {
    RuleSet::from_text("qa.toml", RULEBOOK).unwrap().0
}

fn labels(text: &str) -> Labels {
    Labels::parse(text, Path::new("labels.csv"), Path::new(".")).unwrap()
}

/// A checked call `id` whose covered rules fired at the given lines or were not applicable.
fn call(id: &str, fired: &[(&str, u32)], not_applicable: &[&str]) -> Call {
    Call {
        path: format!("calls.jsonl#{id}"),
        file: PathBuf::from("/calls.jsonl"),
        call_id: Some(id.to_string()),
        first_line: Some(10),
        hits: fired
            .iter()
            .map(|(rule, line)| Hit {
                rule: (*rule).to_string(),
                line: *line,
                message: format!("{rule} message"),
                matched: Some("you must".into()),
            })
            .collect(),
        not_applicable: not_applicable.iter().map(|r| (*r).to_string()).collect(),
    }
}

fn run(labels_text: &str, checked: Vec<Call>) -> Evaluation {
    let rules = rules();
    let labels = labels(labels_text);
    let resolution = resolve(&labels, &rules, true).unwrap();
    let mut calls = Calls::default();
    calls.calls = checked;
    evaluate(&labels, &resolution, &rules, &calls)
}

fn row<'e>(e: &'e Evaluation, check: &str) -> &'e CheckRow {
    e.checks.iter().find(|r| r.check == check).unwrap()
}

#[test]
fn verdicts_are_yes_on_any_finding_na_when_nothing_applies_else_no() {
    let e = run(
        "call,check,expected\n\
         a,G3,yes\n\
         b,G3,no\n\
         c,G3,na\n\
         d,G3,yes\n\
         a,qa/hangs-up,na\n\
         b,qa/hangs-up,no\n\
         zz,G3,yes\n",
        vec![
            // a: one of G3's two rules fired.
            call("a", &[("qa/company", 2)], &["qa/hangs-up"]),
            // b: both judged, neither fired.
            call("b", &[("qa/hangs-up", 9)], &[]),
            // c: G3's rules could not be judged.
            call("c", &[], &["qa/greeting", "qa/company"]),
            // d: one rule not applicable, the other judged and silent.
            call("d", &[], &["qa/greeting"]),
        ],
    );
    // a yes/yes TP, b no/no TN, c na/na TN, d yes/no FN, zz (never checked) yes/na FN.
    assert_eq!(
        row(&e, "G3").counts,
        Counts {
            labels: 5,
            tp: 1,
            fp: 0,
            fn_: 2,
            tn: 2
        }
    );
    // a na/na TN, b no/yes FP.
    assert_eq!(
        row(&e, "qa/hangs-up").counts,
        Counts {
            labels: 2,
            tp: 0,
            fp: 1,
            fn_: 0,
            tn: 1
        }
    );
    assert_eq!(e.total.labels, 7);
    assert_eq!((e.total.tp, e.total.fp, e.total.fn_, e.total.tn), (1, 1, 2, 3));
    assert_eq!(e.calls, 5);
    // The call that was never checked is reported once.
    assert_eq!(e.errors.len(), 1);
    assert!(
        e.errors[0]
            .message
            .starts_with("no checked call has the call id \"zz\"")
    );
}

#[test]
fn precision_recall_and_f1_with_counts() {
    let counts = Counts {
        labels: 10,
        tp: 48,
        fp: 2,
        fn_: 6,
        tn: 0,
    };
    assert_eq!(counts.precision().to_string(), "96% (48/50)");
    assert_eq!(counts.recall().to_string(), "88.9% (48/54)");
    assert_eq!(percent(counts.f1().unwrap()), "92.3%");
    let none = Counts::default();
    assert_eq!(none.precision().to_string(), "–");
    assert_eq!(none.f1(), None);
    // No finding at all but positives labelled: precision is undefined, F1 is 0.
    let missed = Counts {
        labels: 2,
        fn_: 2,
        ..Counts::default()
    };
    assert_eq!(missed.precision().value(), None);
    assert_eq!(missed.f1(), Some(0.0));
}

#[test]
fn disagreements_point_at_the_finding_the_label_or_the_first_turn() {
    let e = run(
        "call,check,expected,line,note\n\
         b,qa/you-must,no,,not a command\n\
         a,qa/you-must,yes,7,you have to\n\
         a,G3,yes,,no company\n\
         b,G3,no,,\n",
        vec![
            call("a", &[], &[]),
            call(
                "b",
                &[("qa/you-must", 5), ("qa/you-must", 3), ("qa/greeting", 4)],
                &[],
            ),
        ],
    );
    let shown: Vec<(String, &str, String, Vec<String>)> = e
        .disagreements
        .iter()
        .map(|d| (d.check.clone(), d.outcome.short(), d.location(), d.rules.clone()))
        .collect();
    assert_eq!(
        shown,
        [
            (
                "G3".to_string(),
                "FN",
                "calls.jsonl#a:10".to_string(),
                vec!["qa/greeting".to_string(), "qa/company".to_string()]
            ),
            (
                "G3".to_string(),
                "FP",
                "calls.jsonl#b:4".to_string(),
                vec!["qa/greeting".to_string()]
            ),
            (
                "qa/you-must".to_string(),
                "FN",
                "calls.jsonl#a:7".to_string(),
                vec!["qa/you-must".to_string()]
            ),
            (
                "qa/you-must".to_string(),
                "FP",
                "calls.jsonl#b:3".to_string(),
                vec!["qa/you-must".to_string()]
            ),
        ]
    );
    let fp = &e.disagreements[3];
    assert_eq!(fp.message.as_deref(), Some("qa/you-must message"));
    assert_eq!(fp.matched.as_deref(), Some("you must"));
    assert_eq!(fp.note.as_deref(), Some("not a command"));
    assert_eq!(
        (fp.expected, fp.verdict, fp.label_line),
        (Expected::No, Verdict::Yes, 2)
    );
}

#[test]
fn rules_are_judged_by_the_most_specific_label_and_recalled_only_when_named() {
    let e = run(
        "call,check,expected\n\
         a,tag:tone,no\n\
         a,qa/you-must,yes\n\
         b,G19,no\n\
         c,qa/you-must,yes\n\
         a,G3,yes\n\
         b,G3,no\n",
        vec![
            call("a", &[("qa/you-must", 2), ("qa/greeting", 1)], &[]),
            call("b", &[("qa/you-must", 2), ("qa/company", 1)], &[]),
            call("c", &[], &[]),
        ],
    );
    let rule = |id: &str| e.rules.iter().find(|r| r.rule == id).unwrap();
    let must = rule("qa/you-must");
    assert_eq!(must.checks, ["G19", "qa/you-must", "tag:tone"]);
    // a: judged by the rule's own label (yes), not the tag's (no) → TP; b: G19 says no → FP.
    assert_eq!((must.fired, must.tp, must.fp), (2, 1, 1));
    assert_eq!(must.precision().to_string(), "50% (1/2)");
    // Named directly on a (found) and c (missed).
    assert_eq!(must.recall, Some(Ratio { hits: 1, of: 2 }));
    let greeting = rule("qa/greeting");
    assert_eq!(
        (greeting.fired, greeting.tp, greeting.fp, greeting.recall),
        (1, 1, 0, None)
    );
    let company = rule("qa/company");
    assert_eq!((company.fired, company.tp, company.fp), (1, 0, 1));
    // Rules no label covers are not listed; rows are in rulebook order.
    let ids: Vec<&str> = e.rules.iter().map(|r| r.rule.as_str()).collect();
    assert_eq!(ids, ["qa/greeting", "qa/company", "qa/you-must"]);
}

#[test]
fn one_call_labelled_by_path_and_by_id_counts_once() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.txt"), "Agent: hello\n").unwrap();
    let labels_path = dir.path().join("labels.csv");
    let labels = Labels::parse(
        "call,check,expected\na.txt,G3,yes\nc-a,G3,no\n",
        &labels_path,
        dir.path(),
    )
    .unwrap();
    let rules = rules();
    let resolution = resolve(&labels, &rules, false).unwrap();
    let mut checked = call("c-a", &[], &[]);
    checked.file = crate::paths::real_path(&dir.path().join("a.txt"));
    let mut calls = Calls::default();
    calls.calls = vec![checked];
    let e = evaluate(&labels, &resolution, &rules, &calls);
    assert_eq!(e.total.labels, 1);
    assert_eq!(e.errors.len(), 1);
    assert!(
        e.errors[0]
            .message
            .ends_with("labelled for G3 twice, first on line 2 (as a.txt)"),
        "{}",
        e.errors[0].message
    );
}

#[test]
fn gates_apply_to_rows_with_enough_positives() {
    let mut e = Evaluation::default();
    let row = |check: &str, tp, fp, fn_| CheckRow {
        check: check.into(),
        kind: "guideline",
        rules: Vec::new(),
        counts: Counts {
            labels: tp + fp + fn_,
            tp,
            fp,
            fn_,
            tn: 0,
        },
    };
    e.checks = vec![row("G1", 4, 1, 0), row("G2", 3, 2, 5), row("G3", 1, 1, 1)];
    let gates = Gates {
        min_precision: Some(80.0),
        min_recall: Some(50.0),
        min_support: 5,
    };
    let report = e.gate(gates);
    // G1: 4/5 = 80% meets the bar exactly; G2: 3/5 fails precision, 3/8 fails recall;
    // G3 has too few positives either way.
    let failures: Vec<String> = report.failures.iter().map(ToString::to_string).collect();
    assert_eq!(
        failures,
        [
            "G2: precision 60% (3/5) is below --min-precision 80%",
            "G2: recall 37.5% (3/8) is below --min-recall 50%",
        ]
    );
    assert_eq!(
        report.not_gated,
        [
            ("G1".to_string(), Metric::Recall),
            ("G3".to_string(), Metric::Precision),
            ("G3".to_string(), Metric::Recall),
        ]
    );
    assert!(!report.passed());
    let lenient = e.gate(Gates {
        min_precision: Some(50.0),
        min_recall: None,
        min_support: 1,
    });
    assert!(lenient.passed(), "{:?}", lenient.failures);
}

#[test]
fn natural_order_compares_numbers_as_numbers() {
    let mut checks = vec!["G12", "tag:x", "G3", "a/b", "G3a", "G03"];
    checks.sort_by(|a, b| natural(a, b));
    assert_eq!(checks, ["G3", "G03", "G3a", "G12", "a/b", "tag:x"]);
}

#[test]
fn wilson_intervals_match_hand_computed_values() {
    let interval = |hits, of| Ratio { hits, of }.interval();
    // 72 of 90: p = 0.8, centre 0.7877, half-width 0.0819.
    let (low, high) = interval(72, 90).unwrap();
    assert!(
        (low - 0.7059).abs() < 5e-4 && (high - 0.8696).abs() < 5e-4,
        "{low} {high}"
    );
    // All right on a small sample is not certainty: 16 of 16 reaches down to 80.6%.
    let (low, high) = interval(16, 16).unwrap();
    assert!((low - 0.8064).abs() < 5e-4 && high == 1.0, "{low} {high}");
    let (low, high) = interval(0, 5).unwrap();
    assert!(low == 0.0 && (high - 0.4345).abs() < 5e-4, "{low} {high}");
    assert_eq!(interval(0, 0), None);
    // More labels, a narrower interval around the same rate.
    let width = |hits, of| interval(hits, of).map(|(l, h)| h - l).unwrap();
    assert!(width(80, 100) < width(8, 10));
    assert_eq!(Ratio { hits: 72, of: 90 }.interval_text(), "70.6–87%");
    assert_eq!(Ratio { hits: 0, of: 0 }.interval_text(), "–");
}
