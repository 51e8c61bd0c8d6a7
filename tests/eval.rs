//! `callcheck eval`: the numbers on a hand-counted fixture, the gates and exit status, label
//! errors, calls named by call id in a JSON Lines file, and the formats (snapshots).
//!
//! The fixture (tests/fixtures/eval/): six plain-text calls, the rulebook rules.toml and
//! labels.csv. Counted by hand from the transcripts, before running anything:
//!
//! ```text
//! call  check        label  tool  why the tool says so                                outcome
//! 01    G3           no     no    "Hello" and "ACME" in the first agent turn           TN
//! 01    qa/you-must  no     no    no "you must"                                       TN
//! 01    tag:closing  no     no    the customer ended the call                         TN
//! 02    G3           yes    yes   "Hi, ACME Bank." has no greeting phrase (line 3)     TP
//! 02    qa/you-must  yes    yes   "You must sign the form" (line 5)                    TP
//! 02    tag:closing  yes    yes   the agent ended the call                            TP
//! 03    G3           no     no    "Hello, ACME Bank."                                 TN
//! 03    qa/you-must  yes    no    "You have to" is no phrase of the rule               FN (label line 4)
//! 03    tag:closing  na     na    no record of who hung up: the hang-up rule cannot apply  TN
//! 04    G3           no     yes   "Good afternoon" is no greeting phrase (line 3)      FP
//! 04    qa/you-must  no     yes   "If you must," matches (line 5)                      FP
//! 04    tag:closing  no     no    the customer ended the call                         TN
//! 05    G3           yes    yes   no "ACME" in the first agent turn (line 2)           TP
//! 05    qa/you-must  no     no    no "you must"                                       TN
//! 05    tag:closing  yes    na    no record of who hung up                            FN (first turn, line 2)
//! c06   G3           yes    no    "hello?" is a greeting phrase to the rule            FN (first turn, line 3)
//! c06   qa/you-must  no     no    "You must be patient" is an exception                TN
//! 06    tag:closing  no     no    the customer ended the call                         TN
//!
//! check        labels  TP  FP  FN  TN  precision   recall      F1
//! G3                6   2   1   1   2  2/3 66.7%   2/3 66.7%   4/6 66.7%
//! qa/you-must       6   1   1   1   3  1/2 50%     1/2 50%     2/4 50%
//! tag:closing       6   1   0   1   4  1/1 100%    1/2 50%     2/3 66.7%
//! all              18   4   2   3   9  4/6 66.7%   4/7 57.1%   8/13 61.5%
//!
//! rule                  covered by   fired  TP  FP  precision  recall (direct labels)
//! qa/greeting           G3           2      1   1   1/2        –     (02 TP, 04 FP)
//! qa/company-name       G3           1      1   0   1/1        –     (05 TP)
//! qa/you-must           qa/you-must  2      1   1   1/2        1/2   (02 TP, 04 FP; 03 missed)
//! qa/customer-hangs-up  tag:closing  1      1   0   1/1        –     (02 TP)
//! ```
//!
//! qa/anything-else fires on most calls, but no label covers it, so it is in no table.

use serde_json::{Value, json};

mod common;
use common::{Run, run};

const LABELS: &str = "tests/fixtures/eval/labels.csv";
const RULES: &str = "tests/fixtures/eval/rules.toml";
const CALLS: &str = "tests/fixtures/eval/calls";

fn eval(extra: &[&str]) -> Run {
    let mut args = vec!["eval", LABELS, "-r", RULES];
    args.extend_from_slice(extra);
    run(&args)
}

/// The counts of a check (or the summary) as `[labels, tp, fp, fn, tn]`.
fn counts(row: &Value) -> [u64; 5] {
    ["labels", "tp", "fp", "fn", "tn"].map(|k| row[k].as_u64().unwrap_or_else(|| panic!("{k} in {row}")))
}

fn check<'v>(doc: &'v Value, name: &str) -> &'v Value {
    doc["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["check"] == name)
        .unwrap_or_else(|| panic!("no check {name}"))
}

#[test]
fn the_numbers_are_the_hand_counted_ones() {
    let r = eval(&["--format", "json"]);
    assert_eq!(r.code, 0, "{}", r.transcript());
    assert_eq!(r.stderr, "");
    let doc = r.json();
    assert_eq!(doc["version"], 1);

    let g3 = check(&doc, "G3");
    assert_eq!(counts(g3), [6, 2, 1, 1, 2]);
    assert_eq!(g3["kind"], "guideline");
    assert_eq!(g3["rules"], json!(["qa/greeting", "qa/company-name"]));
    assert_eq!(
        (g3["precision"].as_f64(), g3["recall"].as_f64()),
        (Some(0.6667), Some(0.6667))
    );
    let must = check(&doc, "qa/you-must");
    assert_eq!(counts(must), [6, 1, 1, 1, 3]);
    assert_eq!(
        (must["precision"].as_f64(), must["recall"].as_f64()),
        (Some(0.5), Some(0.5))
    );
    let closing = check(&doc, "tag:closing");
    assert_eq!(counts(closing), [6, 1, 0, 1, 4]);
    assert_eq!(
        (closing["precision"].as_f64(), closing["recall"].as_f64()),
        (Some(1.0), Some(0.5))
    );
    assert_eq!(closing["f1"].as_f64(), Some(0.6667));

    let summary = &doc["summary"];
    assert_eq!(counts(summary), [18, 4, 2, 3, 9]);
    assert_eq!(summary["calls"], 6);
    assert_eq!(
        (summary["precision"].as_f64(), summary["recall"].as_f64()),
        (Some(0.6667), Some(0.5714))
    );
    assert_eq!(summary["f1"].as_f64(), Some(0.6154));

    let rules: Vec<(String, u64, u64, u64, Value)> = doc["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["rule"].as_str().unwrap().to_string(),
                r["fired"].as_u64().unwrap(),
                r["tp"].as_u64().unwrap(),
                r["fp"].as_u64().unwrap(),
                r["recall"].clone(),
            )
        })
        .collect();
    assert_eq!(
        rules,
        [
            ("qa/greeting".to_string(), 2, 1, 1, Value::Null),
            ("qa/company-name".to_string(), 1, 1, 0, Value::Null),
            (
                "qa/you-must".to_string(),
                2,
                1,
                1,
                json!({"value": 0.5, "tp": 1, "fn": 1})
            ),
            ("qa/customer-hangs-up".to_string(), 1, 1, 0, Value::Null),
        ]
    );

    let disagreements: Vec<String> = doc["disagreements"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            format!(
                "{} {} {}:{}",
                d["type"].as_str().unwrap(),
                d["check"].as_str().unwrap(),
                d["path"].as_str().unwrap(),
                d["line"]
            )
        })
        .collect();
    assert_eq!(
        disagreements,
        [
            "fp G3 tests/fixtures/eval/calls/04-false-alarm.txt:3",
            "fn G3 tests/fixtures/eval/calls/06-line-check.txt:3",
            "fn qa/you-must tests/fixtures/eval/calls/03-have-to.txt:4",
            "fp qa/you-must tests/fixtures/eval/calls/04-false-alarm.txt:5",
            "fn tag:closing tests/fixtures/eval/calls/05-no-company.txt:2",
        ]
    );
    assert_eq!(doc["gates"]["passed"], true);
    assert_eq!(doc["errors"], json!([]));
}

#[test]
fn the_same_labels_by_call_id_against_one_json_lines_file() {
    let dir = tempfile::tempdir().unwrap();
    let converted = run(&["convert", CALLS]);
    assert_eq!(converted.code, 0, "{}", converted.transcript());
    let calls = dir.path().join("calls.jsonl");
    std::fs::write(&calls, &converted.stdout).unwrap();
    // labels.csv with every call named by its call id, as JSON Lines.
    let text = std::fs::read_to_string(LABELS).unwrap();
    let mut lines = String::new();
    for row in text.lines().filter(|l| !l.starts_with('#')).skip(1) {
        let fields: Vec<&str> = row.splitn(4, ',').collect();
        let call = match fields[0] {
            id if !id.contains('/') => id.to_string(),
            path => format!("c{}", &path["calls/".len().."calls/".len() + 2]),
        };
        let object = json!({"call": call, "check": fields[1], "expected": fields[2]});
        lines.push_str(&format!("{object}\n"));
    }
    let labels = dir.path().join("labels.jsonl");
    std::fs::write(&labels, lines).unwrap();
    // Call ids alone say nothing about where the calls are.
    let r = run(&["eval", labels.to_str().unwrap(), "-r", RULES]);
    assert_eq!(r.code, 2, "{}", r.transcript());
    assert!(
        r.stderr
            .contains("no label names a transcript file (the calls are call ids)"),
        "{}",
        r.stderr
    );
    let r = run(&[
        "eval",
        labels.to_str().unwrap(),
        calls.to_str().unwrap(),
        "-r",
        RULES,
        "--format",
        "json",
    ]);
    assert_eq!(r.code, 0, "{}", r.transcript());
    let doc = r.json();
    assert_eq!(counts(check(&doc, "G3")), [6, 2, 1, 1, 2]);
    assert_eq!(counts(check(&doc, "qa/you-must")), [6, 1, 1, 1, 3]);
    assert_eq!(counts(check(&doc, "tag:closing")), [6, 1, 0, 1, 4]);
    let paths: Vec<&str> = doc["disagreements"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["path"].as_str().unwrap())
        .collect();
    assert!(paths[0].ends_with("calls.jsonl#c04"), "{paths:?}");
}

#[test]
fn min_precision_and_min_recall_set_the_exit_status() {
    // qa/you-must has precision 1/2: below 60%, at 50%.
    let r = eval(&["--min-precision", "60", "--min-support", "1"]);
    assert_eq!(r.code, 1, "{}", r.transcript());
    assert_eq!(
        r.stderr,
        "eval: qa/you-must: precision 50% (1/2) is below --min-precision 60%\n\
         eval: 1 check is below --min-precision\n"
    );
    let r = eval(&["--min-precision", "50", "--min-support", "1"]);
    assert_eq!(r.code, 0, "{}", r.transcript());
    // Recall: qa/you-must 1/2 and tag:closing 1/2 have two positives, G3 2/3 passes 60%.
    let r = eval(&["--min-recall", "60", "--min-support", "2", "--format", "json"]);
    assert_eq!(r.code, 1, "{}", r.transcript());
    let doc = r.json();
    let failed: Vec<&str> = doc["gates"]["failed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["check"].as_str().unwrap())
        .collect();
    assert_eq!(failed, ["qa/you-must", "tag:closing"]);
    // With the default --min-support 5 no row has enough positives: nothing is gated, and the
    // run says so.
    let r = eval(&["--min-precision", "99", "--min-recall", "99"]);
    assert_eq!(r.code, 0, "{}", r.transcript());
    assert!(
        r.stderr
            .starts_with("note: not gated, fewer than 5 positives: G3 (precision), G3 (recall),"),
        "{}",
        r.stderr
    );
    let r = eval(&["--min-precision", "101"]);
    assert_eq!(r.code, 2, "{}", r.transcript());
    assert!(
        r.stderr.contains("101 is not a percentage from 0 to 100"),
        "{}",
        r.stderr
    );
}

#[test]
fn label_errors_are_located_and_exit_2() {
    let mut shown = String::new();
    for file in [
        "bad-values.csv",
        "missing-column.csv",
        "duplicate.tsv",
        "unmatched.jsonl",
    ] {
        let labels = format!("tests/fixtures/eval-errors/{file}");
        let r = run(&["eval", &labels, "-r", RULES]);
        assert_eq!(r.code, 2, "{}", r.transcript());
        assert_eq!(r.stdout, "", "nothing is evaluated with bad labels");
        shown.push_str(&format!("$ callcheck eval {labels}\n{}\n", r.stderr));
    }
    insta::assert_snapshot!(shown);
}

#[test]
fn unmatched_checks_may_be_allowed() {
    let r = run(&[
        "eval",
        "tests/fixtures/eval-errors/unmatched.jsonl",
        "-r",
        RULES,
        "--allow-unmatched",
        "--format",
        "json",
    ]);
    assert_eq!(r.code, 0, "{}", r.transcript());
    assert!(
        r.stderr.contains(
            "warning: tests/fixtures/eval-errors/unmatched.jsonl:2: G99 matches no rule of the \
             loaded rulebooks; its labels count with the verdict na"
        ),
        "{}",
        r.stderr
    );
    let doc = r.json();
    // The yes label of a check without rules is a false negative.
    assert_eq!(counts(check(&doc, "tag:closng")), [1, 0, 0, 1, 0]);
    assert_eq!(check(&doc, "G99")["rules"], json!([]));
}

#[test]
fn unreadable_transcripts_and_unknown_calls_exit_2_after_evaluating_the_rest() {
    let r = run(&[
        "eval",
        "tests/fixtures/eval-errors/unreadable.csv",
        "-r",
        RULES,
        "--format",
        "markdown",
    ]);
    assert_eq!(r.code, 2, "{}", r.transcript());
    insta::assert_snapshot!(r.transcript());
}

#[test]
fn json_snapshot() {
    let r = eval(&["--format", "json", "--min-precision", "60", "--min-support", "2"]);
    assert_eq!(r.code, 1);
    insta::assert_snapshot!(r.stdout);
}

#[test]
fn markdown_snapshot() {
    let r = eval(&["--format", "markdown"]);
    assert_eq!(r.code, 0);
    insta::assert_snapshot!(r.stdout);
}

#[test]
fn pretty_snapshot_and_colours() {
    let r = eval(&[]);
    assert_eq!(r.code, 0);
    assert!(!r.stdout.contains('\u{1b}'), "no colour when not on a terminal");
    insta::assert_snapshot!(r.stdout);
    let coloured = eval(&["--color", "always", "--min-recall", "60", "--min-support", "2"]);
    assert!(
        coloured.stdout.contains("\u{1b}[31m50% (1/2)"),
        "{}",
        coloured.stdout
    );
}

#[test]
fn positional_paths_replace_the_labelled_files_and_the_labels_are_not_read_as_calls() {
    // The labels file is a .csv inside the folder: it must not be checked as a transcript.
    let r = run(&[
        "eval",
        LABELS,
        "tests/fixtures/eval",
        "-r",
        RULES,
        "-j",
        "1",
        "--format",
        "json",
    ]);
    assert_eq!(r.code, 0, "{}", r.transcript());
    assert_eq!(counts(&r.json()["summary"]), [18, 4, 2, 3, 9]);
    // A labelled file outside the paths given was not checked: exit 2, its labels count as na.
    let r = eval(&["tests/fixtures/eval/calls/01-clean.txt", "--format", "json"]);
    assert_eq!(r.code, 2, "{}", r.transcript());
    assert!(
        r.stderr.contains(
            "tests/fixtures/eval/labels.csv:7: tests/fixtures/eval/calls/02-blunt.txt was not checked"
        ),
        "{}",
        r.stderr
    );
}

#[test]
fn the_worked_example_in_the_docs_is_current() {
    let r = eval(&["--min-precision", "60", "--min-support", "2"]);
    assert_eq!(r.code, 1, "{}", r.transcript());
    let docs = std::fs::read_to_string("docs/eval.md").unwrap();
    for (what, text) in [("standard output", &r.stdout), ("standard error", &r.stderr)] {
        assert!(
            docs.contains(&format!("```text\n{text}```")),
            "docs/eval.md: the worked example's {what} is out of date; it is now:\n{text}"
        );
    }
}
