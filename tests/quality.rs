//! Quality floors on real conversations: the built-in telephone rules on the labelled Harper
//! Valley Bank calls committed in quality/hvb (QUALITY.md has the full figures).

mod common;
use serde_json::Value;

fn eval(labels: &str, corpus: &str, rulebook: &str, gates: &[&str]) -> (i32, Value) {
    let output = common::command()
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["eval", labels, corpus, "-r", rulebook, "--format", "json"])
        .args(gates)
        .output()
        .unwrap();
    let report = serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!("{e}: {}", String::from_utf8_lossy(&output.stderr));
    });
    (output.status.code().unwrap_or(-1), report)
}

#[test]
fn telephone_rules_keep_their_precision_and_recall_on_real_calls() {
    let (code, report) = eval(
        "quality/hvb/labels.csv",
        "quality/hvb/calls",
        "builtin:en-telephone",
        &[
            "--min-precision",
            "95",
            "--min-recall",
            "70",
            "--min-support",
            "2",
        ],
    );
    assert_eq!(code, 0, "a guideline fell below the bars: {}", report["gates"]);
    let summary = &report["summary"];
    assert_eq!(summary["calls"], 16, "every labelled call was checked");
    assert!(
        report["errors"].as_array().unwrap().is_empty(),
        "{}",
        report["errors"]
    );
    let precision = summary["precision"].as_f64().unwrap();
    let recall = summary["recall"].as_f64().unwrap();
    assert!(precision >= 0.95, "overall precision {precision}");
    assert!(recall >= 0.8, "overall recall {recall}");
    // The checks with violations in these calls are all measured, not skipped as not applicable.
    for check in ["G9", "G34", "G36", "G37"] {
        let row = report["checks"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["check"] == check)
            .unwrap();
        assert!(row["tp"].as_u64().unwrap() >= 1, "{check}: {row}");
    }
}
