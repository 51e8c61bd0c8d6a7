//! Command-line tests: exit codes, output formats, errors, selection, stdin.
//!
//! Snapshots record exit code, stdout and stderr together (`tests/snapshots/`).

use std::path::Path;

use serde_json::Value;

mod common;
use common::{run, run_with};

fn rules_of(file: &Value) -> Vec<String> {
    file["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap().to_string())
        .collect()
}

const CLEAN_ZH: &str = "tests/fixtures/calls/clean-zh.txt";
const CLEAN_EN: &str = "tests/fixtures/calls/clean-en.txt";
const VIOLATIONS: &str = "tests/fixtures/calls/violations-zh.txt";
const WARNINGS_ONLY: &str = "tests/fixtures/calls/warnings-only-en.txt";

#[test]
fn clean_transcripts_exit_0() {
    let r = run(&["check", CLEAN_ZH, CLEAN_EN]);
    assert_eq!(r.code, 0, "{}", r.transcript());
    // Conversation rules whose trigger never occurs (or that need end times) do not apply.
    assert!(
        r.stdout.starts_with("Checked 2 transcripts: no findings. ")
            && r.stdout.ends_with(
                "rule checks not applicable (see --verbose).\nScores: mean 100; 2 of 2 scored \
                 transcripts pass (pass mark 80).\n"
            ),
        "{}",
        r.stdout
    );
}

#[test]
fn violations_exit_1_with_pretty_report() {
    let r = run(&["check", VIOLATIONS]);
    assert_eq!(r.code, 1);
    insta::assert_snapshot!(r.transcript());
}

#[test]
fn json_report_follows_the_contract() {
    let r = run(&["check", VIOLATIONS, "--format", "json"]);
    assert_eq!(r.code, 1);
    insta::assert_snapshot!(r.stdout);
    let doc = r.json();
    assert_eq!(doc["version"], 1);
    let file = &doc["files"][0];
    assert_eq!(file["path"], VIOLATIONS);
    assert_eq!(file["status"], "ok");
    assert_eq!(file["metadata"]["agent"], "李强");
    let must = file["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "zh-telephone/you-must")
        .unwrap();
    assert_eq!(must["kind"], "forbidden");
    assert_eq!(must["severity"], "error");
    assert_eq!(
        (must["line"].as_u64(), must["column"].as_u64()),
        (Some(5), Some(23))
    );
    assert_eq!(must["turn"], 3);
    assert_eq!(must["speaker"], "agent");
    assert_eq!(must["time"], "00:00:16");
    assert_eq!(must["matched"], "你必须");
    assert!(must["suggestion"].as_str().unwrap().contains("您能"));
    let missing = file["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "zh-telephone/greeting")
        .unwrap();
    assert_eq!(missing["matched"], Value::Null);
    assert_eq!(missing["turn"], 1);
    assert!(
        file["not_applicable"]
            .as_array()
            .unwrap()
            .iter()
            .any(|n| n == "en-telephone/greeting")
    );
    assert_eq!(doc["summary"]["files"], 1);
    assert_eq!(doc["summary"]["errors"], 0);
    assert_eq!(
        doc["summary"]["findings"],
        file["findings"].as_array().unwrap().len()
    );
}

#[test]
fn fail_on_sets_the_threshold() {
    assert_eq!(run(&["check", WARNINGS_ONLY]).code, 0);
    assert_eq!(run(&["check", WARNINGS_ONLY, "--fail-on", "warning"]).code, 1);
    assert_eq!(run(&["check", WARNINGS_ONLY, "--fail-on", "info"]).code, 1);
    assert_eq!(run(&["check", WARNINGS_ONLY, "--fail-on", "error"]).code, 0);
    assert_eq!(run(&["check", VIOLATIONS, "--fail-on", "never"]).code, 0);
}

#[test]
fn select_and_ignore_choose_rules() {
    let r = run(&[
        "check",
        VIOLATIONS,
        "--format",
        "json",
        "--select",
        "zh-telephone/you-must",
    ]);
    assert_eq!(rules_of(&r.json()["files"][0]), ["zh-telephone/you-must"]);
    let r = run(&[
        "check",
        VIOLATIONS,
        "--format",
        "json",
        "--select",
        "*/try-my-best,*/you-must",
    ]);
    assert_eq!(
        rules_of(&r.json()["files"][0]),
        ["zh-telephone/you-must", "zh-telephone/try-my-best"]
    );
    let r = run(&["check", VIOLATIONS, "--ignore", "zh-telephone"]);
    assert_eq!(r.code, 0, "{}", r.transcript());
    let r = run(&["check", VIOLATIONS, "--select", "zh-telephone/you-mustt"]);
    assert_eq!(r.code, 2);
    assert_eq!(
        r.stderr,
        "error: --select zh-telephone/you-mustt: no rule matches; did you mean `zh-telephone/you-must`?\n"
    );
}

#[test]
fn bad_rulebook_gets_location_key_expectation_and_hint() {
    let r = run(&[
        "check",
        CLEAN_ZH,
        "-r",
        "tests/fixtures/rulebooks/bad-unknown-key.toml",
    ]);
    assert_eq!(r.code, 2);
    assert!(
        r.stdout.is_empty(),
        "no transcript is checked with a bad rulebook"
    );
    insta::assert_snapshot!(r.transcript());
}

#[test]
fn every_rulebook_error_is_reported_at_once() {
    let r = run(&["check", CLEAN_ZH, "-r", "tests/fixtures/rulebooks/bad-many.toml"]);
    assert_eq!(r.code, 2);
    insta::assert_snapshot!(r.transcript());
}

#[test]
fn parse_and_rule_mistakes_are_reported_together_in_file_order() {
    let r = run(&[
        "check",
        CLEAN_ZH,
        "-r",
        "tests/fixtures/rulebooks/bad-parse-and-rules.toml",
    ]);
    assert_eq!(r.code, 2);
    let lines: Vec<u32> = r
        .stderr
        .lines()
        .filter_map(|l| l.strip_prefix("error: tests/fixtures/rulebooks/bad-parse-and-rules.toml:"))
        .map(|l| l.split(':').next().unwrap().parse().unwrap())
        .collect();
    assert_eq!(lines, [5, 10, 15, 19], "{}", r.stderr);
    assert!(r.stderr.contains("unknown table `forbiden`"), "{}", r.stderr);
    assert!(r.stderr.contains("did you mean `forbidden`?"), "{}", r.stderr);
}

#[test]
fn bad_transcripts_are_reported_and_the_run_continues() {
    let r = run(&["check", "tests/fixtures/mixed-good-bad", "--format", "json"]);
    assert_eq!(r.code, 2, "{}", r.transcript());
    let doc = r.json();
    let files = doc["files"].as_array().unwrap();
    let statuses: Vec<(&str, &str)> = files
        .iter()
        .map(|f| (f["path"].as_str().unwrap(), f["status"].as_str().unwrap()))
        .collect();
    assert_eq!(
        statuses,
        [
            ("tests/fixtures/mixed-good-bad/a-good.txt", "ok"),
            ("tests/fixtures/mixed-good-bad/b-bad-timestamp.txt", "error"),
            ("tests/fixtures/mixed-good-bad/c-latin1.txt", "error"),
            ("tests/fixtures/mixed-good-bad/d-violations.txt", "ok"),
        ]
    );
    assert_eq!(
        files[1]["error"],
        "line 3: invalid timestamp: `00:61` is not a valid time: minutes and seconds must be below 60"
    );
    assert_eq!(
        files[2]["error"],
        "line 1: not valid UTF-8 at column 11 (byte 10); it may be windows-1252: pass --encoding \
         windows-1252, or save the file as UTF-8"
    );
    assert!(
        !rules_of(&files[3]).is_empty(),
        "files after a bad one are still checked"
    );
    assert_eq!(doc["summary"]["errors"], 2);
    let pretty = run(&["check", "tests/fixtures/mixed-good-bad"]);
    assert_eq!(pretty.code, 2);
    insta::assert_snapshot!(pretty.stderr);
    assert!(
        pretty.stdout.ends_with(
            "2 files could not be read.\nScores: mean 77.8; 1 of 2 scored transcripts pass (pass mark 80).\n"
        ),
        "{}",
        pretty.stdout
    );
}

#[test]
fn stdin_is_one_transcript() {
    let input = "客服：喂？\n客服：你必须先登录。\n<hangup by=customer>\n";
    let r = run_with(&["check", "-", "--format", "json"], Some(input.as_bytes()));
    assert_eq!(r.code, 1);
    let doc = r.json();
    assert_eq!(doc["files"][0]["path"], "<stdin>");
    let findings = rules_of(&doc["files"][0]);
    assert!(
        findings.contains(&"zh-telephone/you-must".to_string()),
        "{findings:?}"
    );
}

#[test]
fn custom_rulebook_with_speaker_labels() {
    let r = run(&[
        "check",
        "tests/fixtures/calls/member.txt",
        "-r",
        "tests/fixtures/rulebooks/custom.toml",
        "--format",
        "json",
    ]);
    assert_eq!(r.code, 1);
    let file = &r.json()["files"][0];
    assert_eq!(
        rules_of(file),
        ["acme/greeting", "acme/you-must", "acme/member-hangs-up"]
    );
    assert_eq!(file["findings"][2]["severity"], "info");
    assert_eq!(file["findings"][1]["suggestion"], "Could you …?");
}

#[test]
fn crlf_bom_and_traditional_script_map_to_original_positions() {
    let r = run(&[
        "check",
        "tests/fixtures/calls/crlf-bom-traditional.txt",
        "--format",
        "json",
    ]);
    let file = &r.json()["files"][0];
    let must = file["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "zh-telephone/you-must")
        .unwrap();
    assert_eq!(must["matched"], "你必須");
    assert_eq!(
        (must["line"].as_u64(), must["column"].as_u64()),
        (Some(3), Some(5))
    );
    assert_eq!(file["metadata"]["call_id"], "fx-crlf");
}

#[test]
fn several_rulebooks_and_rulebook_folders() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy("tests/fixtures/rulebooks/custom.toml", dir.path().join("a.toml")).unwrap();
    std::fs::write(
        dir.path().join("b.toml"),
        "[rulebook]\nid = \"other\"\n[[forbidden]]\nid = \"you-must\"\nphrases = [\"sign\"]\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("notes.txt"), "not a rulebook").unwrap();
    let r = run(&[
        "rules",
        "list",
        "-r",
        dir.path().to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_eq!(r.code, 0, "{}", r.transcript());
    let ids: Vec<String> = r
        .json()
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        ids,
        [
            "acme/greeting",
            "acme/you-must",
            "acme/member-hangs-up",
            "other/you-must"
        ]
    );
    let r = run(&[
        "rules",
        "list",
        "-r",
        "tests/fixtures/rulebooks/custom.toml",
        "-r",
        dir.path().join("a.toml").to_str().unwrap(),
    ]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("duplicate rulebook id \"acme\""),
        "{}",
        r.stderr
    );
}

#[test]
fn usage_errors_exit_2() {
    assert_eq!(run(&["check", CLEAN_ZH, "--format", "bogus"]).code, 2);
    assert_eq!(run(&["check", CLEAN_ZH, "--jobs", "0"]).code, 2);
    assert_eq!(run(&["nonsense"]).code, 2);
    let r = run(&["check", "does/not/exist.txt"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("does/not/exist.txt: error: cannot read"),
        "{}",
        r.stderr
    );
    let r = run(&["check", CLEAN_ZH, "--include", "["]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.starts_with("error: --include ["), "{}", r.stderr);
}

#[test]
fn folders_without_transcripts_warn_and_exit_0() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("notes.md"), "# notes").unwrap();
    let r = run(&["check", dir.path().to_str().unwrap()]);
    assert_eq!(r.code, 0);
    assert!(r.stderr.contains("warning: no transcripts found"), "{}", r.stderr);
}

#[test]
fn colour_is_controlled_by_the_flag() {
    let always = run(&["check", VIOLATIONS, "--color", "always"]);
    assert!(always.stdout.contains("\u{1b}["));
    let never = run(&["check", VIOLATIONS, "--color", "never"]);
    assert!(!never.stdout.contains("\u{1b}["));
    // Not a terminal: no colour by default.
    assert!(!run(&["check", VIOLATIONS]).stdout.contains("\u{1b}["));
}

#[test]
fn verbose_lists_rules_that_did_not_apply() {
    let r = run(&["check", "examples/en/10-asr-export-no-timestamps.txt", "-v"]);
    assert!(
        r.stdout
            .contains("not applicable: zh-telephone/* (rulebook zh-telephone applies to zh transcripts")
    );
    assert!(r.stdout.contains(
        "not applicable: en-telephone/customer-hangs-up-first (the transcript does not say who ended the call)"
    ));
}

#[test]
fn input_files_are_never_written() {
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("call.txt");
    std::fs::copy(VIOLATIONS, &copy).unwrap();
    let before = (
        std::fs::read(&copy).unwrap(),
        std::fs::metadata(&copy).unwrap().modified().unwrap(),
    );
    run(&["check", dir.path().to_str().unwrap(), "--format", "json"]);
    let after = (
        std::fs::read(&copy).unwrap(),
        std::fs::metadata(&copy).unwrap().modified().unwrap(),
    );
    assert_eq!(before, after);
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        1,
        "no files created next to inputs"
    );
}

#[test]
fn output_is_the_same_with_one_or_many_threads() {
    let one = run(&["check", "examples", "--format", "json", "--jobs", "1"]);
    let many = run(&["check", "examples", "--format", "json", "--jobs", "4"]);
    assert_eq!(one.stdout, many.stdout);
}

#[test]
fn rules_list_shows_every_builtin_rule() {
    let r = run(&["rules", "list"]);
    assert_eq!(r.code, 0);
    insta::assert_snapshot!(r.stdout);
}

#[test]
fn rules_explain_prints_kind_doc_settings_and_examples() {
    let r = run(&["rules", "explain", "zh-telephone/you-must"]);
    assert_eq!(r.code, 0);
    insta::assert_snapshot!(r.stdout);
    let by_local_id = run(&[
        "rules",
        "explain",
        "customer-hangs-up-first",
        "-r",
        "builtin:en-telephone",
    ]);
    assert_eq!(by_local_id.code, 0);
    assert!(
        by_local_id
            .stdout
            .starts_with("en-telephone/customer-hangs-up-first  ·  hangup  ·  error  ·  G37")
    );
    let ambiguous = run(&["rules", "explain", "you-must"]);
    assert_eq!(ambiguous.code, 2);
    assert!(
        ambiguous
            .stderr
            .contains("ambiguous: zh-telephone/you-must, en-telephone/you-must")
    );
    let unknown = run(&["rules", "explain", "zh-telephone/you-mus"]);
    assert_eq!(unknown.code, 2);
    assert!(
        unknown.stderr.contains("did you mean `zh-telephone/you-must`?"),
        "{}",
        unknown.stderr
    );
}

#[test]
fn rules_test_passes_for_builtins_and_reports_bad_examples() {
    let r = run(&["rules", "test", "--quiet"]);
    assert_eq!(r.code, 0, "{}", r.transcript());
    assert!(r.stdout.contains("test result: ok."), "{}", r.stdout);
    let r = run(&["rules", "test", "tests/fixtures/rulebooks/failing-examples.toml"]);
    assert_eq!(r.code, 1);
    insta::assert_snapshot!(r.transcript());
    let r = run(&["rules", "test", "tests/fixtures/rulebooks/bad-unknown-key.toml"]);
    assert_eq!(r.code, 2);
}

#[test]
fn rules_guidelines_lists_coverage() {
    let r = run(&["rules", "guidelines"]);
    assert_eq!(r.code, 0);
    assert!(
        r.stdout.contains("G37  Let the customer hang up first"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout
            .contains("zh-telephone/customer-hangs-up-first, en-telephone/customer-hangs-up-first")
    );
}

#[test]
fn help_texts_are_complete() {
    for args in [
        vec!["--help"],
        vec!["check", "--help"],
        vec!["rules", "--help"],
        vec!["rules", "list", "--help"],
        vec!["rules", "explain", "--help"],
        vec!["rules", "test", "--help"],
        vec!["convert", "--help"],
        vec!["report", "--help"],
        vec!["eval", "--help"],
    ] {
        let r = run(&args);
        assert_eq!(r.code, 0);
        let name = format!("help_{}", args[..args.len() - 1].join("_"));
        insta::assert_snapshot!(name, r.stdout);
    }
}

#[test]
fn bundled_examples_show_the_expected_findings() {
    assert!(Path::new("examples").is_dir());
    let r = run(&["check", "examples", "--format", "json"]);
    assert_eq!(r.code, 1);
    let doc = r.json();
    let files = doc["files"].as_array().unwrap();
    assert!(files.len() >= 12);
    let find = |name: &str| {
        files
            .iter()
            .find(|f| f["path"].as_str().unwrap().ends_with(name))
            .unwrap()
    };
    for clean in [
        "01-delivery-clean.txt",
        "05-traditional-clean.txt",
        "07-bank-clean.txt",
        "11-code-switching.txt",
        "13-readback-correct.txt",
    ] {
        assert!(rules_of(find(clean)).is_empty(), "{clean} should be clean");
    }
    let rude = rules_of(find("02-rude-agent.txt"));
    for rule in [
        "zh-telephone/greeting",
        "zh-telephone/buck-passing",
        "zh-telephone/dismissive",
        "zh-telephone/you-must",
        "zh-telephone/interrogating",
        "zh-telephone/customer-hangs-up-first",
    ] {
        assert!(rude.contains(&rule.to_string()), "{rule} missing from {rude:?}");
    }
    let promises = rules_of(find("04-telecom-promises.txt"));
    assert_eq!(
        promises, ["zh-telephone/exaggeration"; 3],
        "保证金 is excused by `except`"
    );
    let tw = rules_of(find("06-traditional-violations.txt"));
    assert!(
        tw.contains(&"zh-telephone/you-must".to_string())
            && tw.contains(&"zh-telephone/try-my-best".to_string())
    );
    let dismissive = rules_of(find("08-dismissive-agent.txt"));
    assert!(dismissive.contains(&"en-telephone/buck-passing".to_string()));
    assert!(rules_of(find("09-bare-no-refund.txt")) == ["en-telephone/bare-no"]);
    for rule in [
        "zh-telephone/long-ring-apology",
        "zh-telephone/thank-complainant",
        "zh-telephone/complaint-apology",
        "zh-telephone/complaint-no-arguing",
    ] {
        assert!(rude.contains(&rule.to_string()), "{rule} missing from {rude:?}");
    }
    assert!(
        rules_of(find("08-dismissive-agent.txt")).contains(&"en-telephone/complaint-apology".to_string())
    );
    // The agent books an engineer without taking name, number or address.
    assert_eq!(
        rules_of(find("10-asr-export-no-timestamps.txt")),
        ["en-telephone/fault-report-details"]
    );
    let wrong = find("14-readback-wrong-digits.txt");
    assert_eq!(rules_of(wrong), ["zh-telephone/read-back-number"]);
    assert_eq!(wrong["findings"][0]["matched"], "13800138001");
    assert_eq!(
        wrong["findings"][0]["note"],
        "the agent read back 13800138001 in turn 3; the customer said 13800138000 in turn 2"
    );
    assert_eq!(
        rules_of(find("15-complaint-without-thanks.txt")),
        ["zh-telephone/thank-complainant"]
    );
    assert_eq!(
        rules_of(find("16-long-ring-no-apology.txt")),
        [
            "zh-telephone/answer-within-three-rings",
            "zh-telephone/long-ring-apology"
        ]
    );
    assert_eq!(
        rules_of(find("17-interruptions.txt")),
        ["en-telephone/no-interrupting"; 2]
    );
    let fast = find("18-fast-speech.txt");
    assert_eq!(rules_of(fast), ["en-telephone/speech-rate"]);
    assert!(
        fast["findings"][0]["message"]
            .as_str()
            .unwrap()
            .ends_with("(measured 425 words/min; maximum 330 words/min)")
    );
    assert_eq!(doc["summary"]["errors"], 0);
}

#[test]
fn readback_findings_point_at_the_value() {
    let r = run(&[
        "check",
        "examples/zh-cn/13-readback-correct.txt",
        "examples/zh-cn/14-readback-wrong-digits.txt",
        "examples/zh-cn/01-delivery-clean.txt",
        "--select",
        "zh-telephone/read-back-*",
    ]);
    assert_eq!(r.code, 0, "warnings do not fail the run");
    insta::assert_snapshot!(r.transcript());
    // Without the read-back, the customer's number is reported at the customer's turn.
    let dir = tempfile::tempdir().unwrap();
    let call = dir.path().join("call.txt");
    std::fs::write(
        &call,
        "客服：您好。\n客户：单号是 SD 2026 1120 117。\n客服：好的，我查一下。\n",
    )
    .unwrap();
    let r = run(&[
        "check",
        call.to_str().unwrap(),
        "--select",
        "zh-telephone/read-back-number",
        "--format",
        "json",
    ]);
    let finding = &r.json()["files"][0]["findings"][0];
    assert_eq!(finding["kind"], "readback");
    assert_eq!(
        (finding["line"].as_u64(), finding["column"].as_u64()),
        (Some(2), Some(11))
    );
    assert_eq!(finding["speaker"], "customer");
    assert_eq!(finding["matched"], "2026 1120 117");
    assert_eq!(
        finding["note"],
        "the customer gave 20261120117 in turn 2; the agent did not restate it in turn 3"
    );
}

#[test]
fn conditional_findings_point_at_the_trigger() {
    let r = run(&[
        "check",
        "examples/zh-cn/15-complaint-without-thanks.txt",
        "examples/zh-cn/16-long-ring-no-apology.txt",
        "examples/zh-cn/13-readback-correct.txt",
        "--select",
        "zh-telephone/thank-complainant,zh-telephone/long-ring-apology",
        "--verbose",
    ]);
    assert_eq!(r.code, 0);
    insta::assert_snapshot!(r.transcript());
}

#[test]
fn metric_findings_state_the_measurement_and_the_bound() {
    let r = run(&[
        "check",
        "examples/en/17-interruptions.txt",
        "examples/en/18-fast-speech.txt",
        "examples/en/07-bank-clean.txt",
        "--select",
        "en-telephone/no-interrupting,en-telephone/speech-rate",
        "--verbose",
    ]);
    assert_eq!(r.code, 0);
    insta::assert_snapshot!(r.transcript());
}

#[test]
fn rules_explain_documents_the_conversation_kinds() {
    for id in [
        "zh-telephone/read-back-number",
        "en-telephone/long-ring-apology",
        "en-telephone/speech-rate",
    ] {
        let r = run(&["rules", "explain", id]);
        assert_eq!(r.code, 0);
        insta::assert_snapshot!(format!("explain_{}", id.replace('/', "_")), r.stdout);
    }
}

#[test]
fn bad_conversation_rules_are_located() {
    let r = run(&[
        "rules",
        "list",
        "-r",
        "tests/fixtures/rulebooks/bad-conversation-rules.toml",
    ]);
    assert_eq!(r.code, 2);
    insta::assert_snapshot!(r.transcript());
}

#[test]
fn many_files_are_reported_in_order_whatever_the_threads() {
    let dir = tempfile::tempdir().unwrap();
    // More files than the workers' look-ahead window, in nested folders, some slow (long).
    for i in 0..400 {
        let folder = dir.path().join(format!("team-{}", i % 7));
        std::fs::create_dir_all(&folder).unwrap();
        let turns = if i % 50 == 0 { 2_000 } else { 3 };
        let body: String = (0..turns)
            .map(|t| format!("Agent: turn {t}, you must wait\n"))
            .collect();
        std::fs::write(folder.join(format!("call-{i:04}.txt")), body).unwrap();
    }
    let path = dir.path().to_str().unwrap();
    let one = run(&["check", path, "--format", "json", "--jobs", "1"]);
    let three = run(&["check", path, "--format", "json", "--jobs", "3"]);
    assert_eq!(one.stdout, three.stdout);
    let paths: Vec<String> = one.json()["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(paths.len(), 400);
    let mut sorted = paths.clone();
    sorted.sort();
    assert_eq!(paths, sorted, "folders walked in name order");
}

#[test]
fn stats_report_what_was_read_and_where_the_time_went() {
    let r = run(&["check", CLEAN_ZH, CLEAN_EN, "--stats"]);
    assert_eq!(r.code, 0);
    let lines: Vec<&str> = r.stderr.lines().filter(|l| l.starts_with("stats: ")).collect();
    assert_eq!(lines.len(), 3, "{}", r.stderr);
    assert!(lines[0].starts_with("stats: 2 inputs ("), "{}", lines[0]);
    assert!(
        lines[1].starts_with("stats: 2 transcripts, 10 turns, "),
        "{}",
        lines[1]
    );
    for stage in ["read", "decode and parse", "match", "rules", "reporting"] {
        assert!(lines[2].contains(stage), "{}", lines[2]);
    }
    assert!(!run(&["check", CLEAN_ZH]).stderr.contains("stats:"));
}
