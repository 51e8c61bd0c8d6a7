//! `callcheck report`: each output format on a small corpus (snapshots), the numbers agreeing
//! across formats on the bundled examples, redaction, grouping from paths, and errors.

use std::collections::HashMap;
use std::path::Path;

use regex::Regex;
use serde_json::Value;

mod common;
use common::{Run, run, run_with};

const CORPUS: &str = "tests/fixtures/report";
const PATTERN: &str = "report/{team}/{agent}/*";

/// The report of the small corpus in one format, grouped by team and agent from the folders.
fn corpus(format: &str) -> Run {
    let r = run(&[
        "report",
        CORPUS,
        "--by",
        "team,agent",
        "--group-from-path",
        PATTERN,
        "--format",
        format,
        "--color",
        "never",
    ]);
    assert_eq!(r.code, 0, "{}", r.transcript());
    r
}

#[test]
fn table_report() {
    insta::assert_snapshot!(corpus("table").transcript());
}

#[test]
fn csv_report() {
    insta::assert_snapshot!(corpus("csv").stdout);
}

#[test]
fn markdown_report() {
    insta::assert_snapshot!(corpus("markdown").stdout);
}

#[test]
fn json_report() {
    insta::assert_snapshot!(corpus("json").stdout);
}

#[test]
fn html_report_without_style_and_script() {
    let html = corpus("html").stdout;
    let strip = |text: &str, open: &str, close: &str| {
        let (Some(start), Some(end)) = (text.find(open), text.find(close)) else {
            panic!("no {open} in the page");
        };
        format!("{}{open}…{}", &text[..start], &text[end..])
    };
    let page = strip(&html, "<style>", "</style>");
    let page = strip(&page, "<script>", "</script>");
    insta::assert_snapshot!(page.replace(env!("CARGO_PKG_VERSION"), "VERSION"));
    // Self-contained: nothing is loaded from elsewhere.
    for remote in ["http://", "https://", "src=", "@import", "url("] {
        assert!(!html.contains(remote), "the page refers to {remote}");
    }
}

#[test]
fn rule_rows_compare_agents_with_their_team() {
    let r = run(&[
        "report",
        CORPUS,
        "--by",
        "agent,rule",
        "--group-from-path",
        PATTERN,
        "--format",
        "csv",
    ]);
    assert_eq!(r.code, 0, "{}", r.transcript());
    insta::assert_snapshot!(r.stdout);
    let by_rule = run(&["report", CORPUS, "--color", "never"]);
    assert!(by_rule.stdout.contains("\nRules\n  RULE  "), "{}", by_rule.stdout);
}

/// Numbers as the text formats print them.
fn one(v: &Value) -> String {
    v.as_f64().map_or_else(|| "—".to_string(), |x| format!("{x:.1}"))
}

fn pct(v: &Value) -> String {
    v.as_f64().map_or_else(|| "—".to_string(), |x| format!("{x:.1}%"))
}

/// The first value of a group's key, as the text formats show it.
fn name(group: &Value) -> String {
    group["key"]
        .as_object()
        .unwrap()
        .values()
        .next()
        .unwrap()
        .as_str()
        .unwrap_or("(unknown)")
        .to_string()
}

#[test]
fn numbers_agree_across_every_format() {
    assert!(Path::new("examples").is_dir());
    let args = |format: &'static str| -> Vec<&'static str> {
        vec![
            "report", "examples", "--by", "agent", "--format", format, "--color", "never",
        ]
    };
    let json = run(&args("json")).json();
    let csv = run(&args("csv")).stdout;
    let markdown = run(&args("markdown")).stdout;
    let html = run(&args("html")).stdout;
    let table = run(&args("table")).stdout;
    let summary = &json["summary"];
    let groups = json["groups"].as_array().unwrap();
    assert!(groups.len() >= 10, "the examples have many agents");
    assert!(
        summary["auto_failed"].as_u64().unwrap() > 0,
        "and some auto-fails"
    );

    // What every format must show, per agent: calls, mean, median, pass rate, auto-fails.
    let expected: HashMap<String, [String; 5]> = groups
        .iter()
        .map(|g| {
            (
                name(g),
                [
                    g["calls"].to_string(),
                    one(&g["mean"]),
                    one(&g["median"]),
                    pct(&g["pass_rate"]),
                    g["auto_failed"].to_string(),
                ],
            )
        })
        .collect();
    let totals = [
        summary["calls"].to_string(),
        one(&summary["mean"]),
        one(&summary["median"]),
        pct(&summary["pass_rate"]),
        summary["auto_failed"].to_string(),
    ];

    // CSV: the (all) row, then one row per agent.
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(str::to_string).collect();
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let csv_row = |r: &csv::StringRecord| {
        [
            r[col("calls")].to_string(),
            format!("{:.1}", r[col("mean")].parse::<f64>().unwrap()),
            format!("{:.1}", r[col("median")].parse::<f64>().unwrap()),
            format!("{}%", &r[col("pass_rate")]),
            r[col("auto_failed")].to_string(),
        ]
    };
    assert_eq!(&rows[0][0], "(all)");
    assert_eq!(csv_row(&rows[0]), totals);
    assert_eq!(rows.len(), groups.len() + 1);
    for r in &rows[1..] {
        assert_eq!(csv_row(r), expected[&r[0]], "CSV row {}", &r[0]);
    }

    // Markdown: the totals table, then the agent table.
    let md_rows: Vec<Vec<String>> = markdown
        .lines()
        .filter(|l| l.starts_with("| ") && !l.starts_with("| ---"))
        .map(|l| {
            l.trim_matches('|')
                .split(" | ")
                .map(|c| c.trim().to_string())
                .collect()
        })
        .collect();
    let md_totals = md_rows.iter().skip_while(|r| r[0] != "calls").nth(1).unwrap();
    assert_eq!(
        [
            &md_totals[0],
            &md_totals[2],
            &md_totals[3],
            &md_totals[4],
            &md_totals[6]
        ],
        totals.each_ref()
    );
    let mut seen = 0;
    for r in md_rows.iter().skip_while(|r| r[0] != "agent").skip(1) {
        if r.len() < 8 {
            break;
        }
        let agent = r[0].replace('\\', "");
        assert_eq!(
            [&r[2], &r[3], &r[4], &r[5], &r[6]],
            expected[&agent].each_ref(),
            "Markdown row {agent}"
        );
        seen += 1;
    }
    assert_eq!(seen, groups.len());

    // HTML: the headline figures and every row's data fields.
    let metric = |name: &str| {
        let re = Regex::new(&format!(r#"data-metric="{name}"[^>]*>([^<]*)<"#)).unwrap();
        re.captures(&html)
            .unwrap_or_else(|| panic!("no {name} in the page"))[1]
            .to_string()
    };
    assert_eq!(
        [
            metric("calls"),
            metric("mean"),
            metric("median"),
            metric("pass_rate"),
            metric("auto_failed")
        ],
        totals
    );
    let row_re =
        Regex::new(r#"<details class="group" data-key="([^"]*)">\s*<summary class="row">(.*?)</summary>"#)
            .unwrap();
    let field_re = Regex::new(r#"data-field="([a-z_]+)">([^<]*)<"#).unwrap();
    let mut html_rows = 0;
    for caps in row_re.captures_iter(&html) {
        let key: Vec<Value> = serde_json::from_str(&caps[1].replace("&quot;", "\"")).unwrap();
        let agent = key[0].as_str().unwrap_or("(unknown)").to_string();
        let fields: HashMap<String, String> = field_re
            .captures_iter(&caps[2])
            .map(|f| (f[1].to_string(), f[2].to_string()))
            .collect();
        let got = ["calls", "mean", "median", "pass_rate", "auto_failed"].map(|f| fields[f].clone());
        assert_eq!(got, expected[&agent], "HTML row {agent}");
        html_rows += 1;
    }
    assert_eq!(html_rows, groups.len());
    // The rules: JSON, Markdown and the page's rule table.
    for rule in json["rules"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["broken"].as_u64() > Some(0))
    {
        let id = rule["rule"].as_str().unwrap();
        let md = md_rows.iter().find(|r| r[0] == format!("`{id}`")).unwrap();
        assert_eq!(
            [&md[2], &md[3], &md[4]],
            [
                &rule["broken"].to_string(),
                &rule["applicable"].to_string(),
                &pct(&rule["rate"])
            ],
            "Markdown rule {id}"
        );
        let re = Regex::new(&format!(
            r#"<tr data-rule="{}"[^>]*>.*?data-field="broken">(\d+)<.*?data-field="applicable">(\d+)<.*?data-field="rate">([^<]+)<"#,
            regex::escape(id)
        ))
        .unwrap();
        let caps = re
            .captures(&html)
            .unwrap_or_else(|| panic!("no row for {id} in the page"));
        assert_eq!(
            [&caps[1], &caps[2], &caps[3]],
            [
                rule["broken"].to_string(),
                rule["applicable"].to_string(),
                pct(&rule["rate"])
            ],
            "HTML rule {id}"
        );
    }

    // The terminal table: the totals and one line per agent.
    assert!(table.contains(&format!("Mean score    {}", totals[1])), "{table}");
    assert!(table.contains(&format!("Median score  {}", totals[2])), "{table}");
    let line_re =
        Regex::new(r"^  (\S.*?)\s{2,}\S.*?\s{2,}(\d+)\s+([\d.]+|—)\s+([\d.]+|—)\s+([\d.]+%|—)\s+(\d+)$")
            .unwrap();
    let mut table_rows = 0;
    for line in table.lines().skip_while(|l| *l != "By agent").skip(2) {
        let Some(c) = line_re.captures(line) else { break };
        let got = [&c[2], &c[3], &c[4], &c[5], &c[6]].map(str::to_string);
        assert_eq!(got, expected[c[1].trim()], "table row {}", &c[1]);
        table_rows += 1;
    }
    assert_eq!(table_rows, groups.len());
}

#[test]
fn excerpts_are_masked_unless_asked_otherwise() {
    let masked = corpus("json").stdout;
    assert!(!masked.contains("13800138000"), "phone number in the report");
    assert!(masked.contains("*******8000"), "{masked}");
    assert!(masked.contains("\"redacted\": true"));
    let html = corpus("html").stdout;
    assert!(!html.contains("13800138000") && !html.contains("ann.b@example.com"));
    assert!(html.contains("Personal data masked"));
    let full = run(&[
        "report",
        CORPUS,
        "--by",
        "agent",
        "--format",
        "json",
        "--no-redact",
    ]);
    assert!(full.stdout.contains("13800138000"), "{}", full.stdout);
    assert!(full.stdout.contains("\"redacted\": false"));
}

#[test]
fn drill_down_shows_the_offending_turn_with_its_neighbours() {
    let doc = corpus("json").json();
    let worst = &doc["worst_calls"][0];
    assert_eq!(worst["path"], "tests/fixtures/report/sales/Lee/1.txt");
    assert_eq!(worst["auto_fail"], true);
    let finding = worst["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "en-telephone/profanity")
        .unwrap();
    let turns: Vec<(u64, bool, &str)> = finding["context"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (
                t["turn"].as_u64().unwrap(),
                t["offending"].as_bool().unwrap(),
                t["mark"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(turns, [(2, false, ""), (3, true, "Shut up"), (4, false, "")]);
}

#[test]
fn unreadable_files_exit_2_after_the_report() {
    let r = run(&["report", "tests/fixtures/mixed-good-bad", "--format", "json"]);
    assert_eq!(r.code, 2, "{}", r.transcript());
    let doc = r.json();
    assert_eq!(doc["summary"]["errors"], 2);
    assert_eq!(doc["summary"]["calls"], 2);
    assert_eq!(doc["errors"].as_array().unwrap().len(), 2);
    assert!(
        r.stderr.contains("b-bad-timestamp.txt: error: line 3"),
        "{}",
        r.stderr
    );
}

#[test]
fn usage_errors_exit_2() {
    let r = run(&["report", CORPUS, "--group-from-path", "{team}/{agnet}/*"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("did you mean {agent}?"), "{}", r.stderr);
    let r = run(&["report", CORPUS, "--by", "agent,agent"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("--by agent is given twice"), "{}", r.stderr);
    let r = run(&["report", CORPUS, "--by", "colour"]);
    assert_eq!(r.code, 2);
    let r = run(&["report", CORPUS, "-o", "no/such/folder/report.html"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("does not exist"), "{}", r.stderr);
}

#[test]
fn output_files_are_written_atomically_and_never_read_as_calls() {
    let dir = tempfile::tempdir().unwrap();
    let calls = dir.path().join("calls");
    std::fs::create_dir(&calls).unwrap();
    std::fs::copy("tests/fixtures/report/sales/王芳/2.txt", calls.join("a.txt")).unwrap();
    let out = calls.join("report.json");
    let args = [
        "report",
        calls.to_str().unwrap(),
        "--format",
        "json",
        "-o",
        out.to_str().unwrap(),
    ];
    let first = run(&args);
    assert_eq!(first.code, 0, "{}", first.transcript());
    assert!(
        first.stdout.starts_with("Wrote the report on 1 call to "),
        "{}",
        first.stdout
    );
    // The report sits in the folder it reports on; the next run leaves it alone.
    let second = run(&args);
    assert_eq!(second.code, 0, "{}", second.transcript());
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(doc["summary"]["calls"], 1);
}

#[test]
fn many_calls_keep_only_the_worst_few() {
    // 600 calls on standard input: a third rude, a third curt, a third clean.
    let mut input = String::new();
    for i in 0..600 {
        let agent = ["Ann", "Bob", "Cai"][i % 3];
        let line = match i % 3 {
            0 => "Shut up and listen.",
            1 => "Fine.",
            _ => "Hello, this is ACME, how can I help? Is there anything else I can help you with?",
        };
        input.push_str(&format!(
            "{{\"call_id\":\"c{i}\",\"metadata\":{{\"agent\":\"{agent}\"}},\"ended_by\":\"customer\",\"turns\":[{{\"speaker\":\"agent\",\"text\":\"{line}\"}},{{\"speaker\":\"customer\",\"text\":\"Bye.\"}},{{\"speaker\":\"agent\",\"text\":\"Thank you for calling, goodbye.\"}}]}}\n"
        ));
    }
    let r = run_with(
        &[
            "report",
            "-",
            "--input-format",
            "jsonl",
            "--by",
            "agent",
            "--worst",
            "3",
            "--format",
            "json",
        ],
        Some(input.as_bytes()),
    );
    assert_eq!(r.code, 0, "{}", r.transcript());
    let doc = r.json();
    assert_eq!(doc["summary"]["calls"], 600);
    assert_eq!(doc["summary"]["auto_failed"], 200);
    assert_eq!(doc["worst_calls"].as_array().unwrap().len(), 3);
    let groups = doc["groups"].as_array().unwrap();
    assert_eq!(groups.len(), 3);
    for g in groups {
        assert!(g["worst_calls"].as_array().unwrap().len() <= 3);
    }
    assert_eq!(groups[0]["key"]["agent"], "Ann");
    assert_eq!(groups[0]["mean"], 0.0);
}
