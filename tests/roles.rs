//! Speaker roles end to end: inferred roles for diarised calls, `--roles strict`, and calls whose
//! agent nobody can tell, which are never passed silently (issue 18; issue 12, part 6).

use std::fs;
use std::path::Path;

use serde_json::Value;

mod common;
use common::{run_in, run_in_with};

const AGENT_LABELS: &[&str] = &["客服", "坐席", "座席", "话务员", "話務員", "agent", "csr", "rep"];
const CUSTOMER_LABELS: &[&str] = &[
    "客户",
    "客戶",
    "顾客",
    "顧客",
    "用户",
    "來電人",
    "来电人",
    "customer",
    "caller",
];

/// The example call with its role words replaced by diarisation labels: the agent is `spk_0` in
/// even calls and `spk_1` in odd ones, as a speech recogniser would number them.
fn diarised(text: &str, agent: &str, customer: &str) -> String {
    let mut out = String::new();
    for line in text.lines() {
        let (time, rest) = match line.strip_prefix('[').and_then(|r| r.split_once(']')) {
            Some((t, rest)) => (format!("[{t}]"), rest),
            None => (String::new(), line),
        };
        let label_end = rest.find([':', '：']);
        let replaced = label_end.and_then(|end| {
            let label = rest[..end].trim();
            let folded = label.to_lowercase();
            let new = if AGENT_LABELS.contains(&folded.as_str()) {
                agent
            } else if CUSTOMER_LABELS.contains(&folded.as_str()) {
                customer
            } else {
                return None;
            };
            let space = if time.is_empty() { "" } else { " " };
            Some(format!("{time}{space}{new}{}", &rest[end..]))
        });
        out.push_str(&replaced.unwrap_or_else(|| line.to_string()));
        out.push('\n');
    }
    out
}

/// The bundled example calls and the real Harper Valley Bank calls of quality/hvb in `orig/`,
/// and the same calls with diarisation labels in `spk/`; returns each file name with the label
/// its agent got.
fn example_folders(dir: &Path) -> Vec<(String, &'static str)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut names = Vec::new();
    for folder in [
        "examples/zh-cn",
        "examples/zh-tw",
        "examples/en",
        "examples/mixed",
        "quality/hvb/calls",
    ] {
        for entry in fs::read_dir(root.join(folder)).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "txt") {
                names.push(path);
            }
        }
    }
    names.sort_by_key(|p| p.file_name().unwrap().to_owned());
    fs::create_dir_all(dir.join("orig")).unwrap();
    fs::create_dir_all(dir.join("spk")).unwrap();
    let mut agents = Vec::new();
    for (i, path) in names.iter().enumerate() {
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let text = fs::read_to_string(path).unwrap();
        let (agent, customer) = if i % 2 == 0 {
            ("spk_0", "spk_1")
        } else {
            ("spk_1", "spk_0")
        };
        fs::write(dir.join("orig").join(&name), &text).unwrap();
        let converted = diarised(&text, agent, customer);
        assert_ne!(converted, text, "{name} has role words to replace");
        fs::write(dir.join("spk").join(&name), converted).unwrap();
        agents.push((name, agent));
    }
    agents
}

/// Each file's findings without columns (labels of other lengths move them) and its score.
fn outcomes(report: &Value) -> Vec<(String, Vec<String>, Value)> {
    report["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let name = f["path"]
                .as_str()
                .unwrap()
                .rsplit('/')
                .next()
                .unwrap()
                .to_string();
            let mut findings: Vec<String> = f["findings"]
                .as_array()
                .unwrap()
                .iter()
                .map(|x| {
                    format!(
                        "{} line={} turn={} speaker={} matched={}",
                        x["rule"], x["line"], x["turn"], x["speaker"], x["matched"]
                    )
                })
                .collect();
            findings.sort();
            (name, findings, f["score"]["score"].clone())
        })
        .collect()
}

#[test]
fn diarised_calls_get_their_roles_and_the_findings_of_the_labelled_originals() {
    let dir = tempfile::tempdir().unwrap();
    let agents = example_folders(dir.path());
    let labelled = run_in(dir.path(), &["--no-config", "check", "orig", "--format", "json"]);
    let diarised = run_in(dir.path(), &["--no-config", "check", "spk", "--format", "json"]);
    assert_eq!((labelled.code, diarised.code), (1, 1), "{}", diarised.stderr);
    let report = diarised.json();
    for (file, (name, agent)) in report["files"].as_array().unwrap().iter().zip(&agents) {
        assert_eq!(file["status"], "ok", "{name}: {file}");
        let roles = &file["roles"];
        assert_eq!(roles["source"], "inferred", "{name}");
        assert!(roles["confidence"].as_f64().unwrap() >= 0.95, "{name}: {roles}");
        let customer = if *agent == "spk_0" { "spk_1" } else { "spk_0" };
        assert_eq!(roles["map"][agent], "agent", "{name}: {roles}");
        assert_eq!(roles["map"][customer], "customer", "{name}: {roles}");
    }
    assert_eq!(outcomes(&report), outcomes(&labelled.json()));
    assert_eq!(
        report["summary"]["findings"],
        labelled.json()["summary"]["findings"]
    );
    // The labelled calls say where their roles come from too.
    assert_eq!(labelled.json()["files"][0]["roles"]["source"], "labels");
}

#[test]
fn strict_mode_gives_roles_only_from_labels_and_maps() {
    let dir = tempfile::tempdir().unwrap();
    let calls = example_folders(dir.path()).len();
    // Labelled calls: the same report as without --roles strict.
    let default = run_in(dir.path(), &["--no-config", "check", "orig", "--format", "json"]);
    let strict = run_in(
        dir.path(),
        &[
            "--no-config",
            "check",
            "orig",
            "--format",
            "json",
            "--roles",
            "strict",
        ],
    );
    assert_eq!(default.stdout, strict.stdout);
    // Diarised calls: nothing is inferred, so nothing is checked, and the run says so.
    let r = run_in(
        dir.path(),
        &[
            "--no-config",
            "check",
            "spk",
            "--format",
            "json",
            "--roles",
            "strict",
        ],
    );
    assert_eq!(r.code, 2);
    let report = r.json();
    for file in report["files"].as_array().unwrap() {
        assert_eq!(file["status"], "not_checked", "{file}");
        assert_eq!(file["roles"]["source"], "none");
        assert!(
            file["reason"].as_str().unwrap().contains("--roles strict"),
            "{file}"
        );
    }
    assert_eq!(report["summary"]["not_checked"], calls);
    assert_eq!(report["summary"]["findings"], 0);
    // An explicit map still works in strict mode, and says so.
    let r = run_in(
        dir.path(),
        &[
            "--no-config",
            "check",
            "spk/01-delivery-clean.txt",
            "--format",
            "json",
            "--roles",
            "strict",
            "--speaker-map",
            "spk_0=agent,spk_1=customer",
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.json()["files"][0]["roles"]["source"], "map");
    // `roles = "strict"` in callcheck.toml does the same, and `callcheck config` shows it.
    fs::write(dir.path().join("callcheck.toml"), "roles = \"strict\"\n").unwrap();
    let r = run_in(dir.path(), &["check", "spk/01-delivery-clean.txt"]);
    assert_eq!(r.code, 2);
    let r = run_in(dir.path(), &["config"]);
    let line = r.stdout.lines().find(|l| l.starts_with("roles ")).unwrap();
    assert!(
        line.contains("strict") && line.contains("callcheck.toml:1"),
        "{line}"
    );
    let r = run_in(dir.path(), &["config", "--roles", "infer"]);
    let line = r.stdout.lines().find(|l| l.starts_with("roles ")).unwrap();
    assert!(
        line.contains("infer") && line.contains("command line (--roles)"),
        "{line}"
    );
}

const UNCLEAR: &str = "spk_0: 喂？\nspk_1: 嗯，好的。\n";
const CLEAR: &str = "客服：您好，请问有什么可以帮您？\n客户：没事了，谢谢。\n";

/// A folder with one call whose agent cannot be told and one labelled call.
fn unclear_folder() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("calls")).unwrap();
    fs::write(dir.path().join("calls/a-clear.txt"), CLEAR).unwrap();
    fs::write(dir.path().join("calls/b-unclear.txt"), UNCLEAR).unwrap();
    dir
}

#[test]
fn a_call_whose_agent_cannot_be_told_is_not_checked_in_every_format() {
    let dir = unclear_folder();
    let check = |format: &str| {
        let r = run_in(dir.path(), &["--no-config", "check", "calls", "--format", format]);
        assert_eq!(r.code, 2, "{format}: {}{}", r.stdout, r.stderr);
        r
    };
    // pretty: the file on standard error with the labels and the hint; counted apart.
    let r = check("pretty");
    assert!(
        r.stderr.contains(
            "calls/b-unclear.txt: not checked: no speaker could be identified as the agent: `spk_0` \
             (1 turn) and `spk_1` (1 turn) are neither role words nor mapped"
        ),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("--speaker-map spk_"), "{}", r.stderr);
    let summary = r.stdout.lines().find(|l| l.starts_with("Checked ")).unwrap();
    assert!(summary.starts_with("Checked 1 transcript: "), "{summary}");
    assert!(
        summary
            .ends_with(" 1 transcript not checked: no speaker could be identified as the agent (see above)."),
        "{summary}"
    );
    // json: a status of its own, with the reason and the roles; no score.
    let json = check("json").json();
    let entry = &json["files"][1];
    assert_eq!(entry["status"], "not_checked");
    assert!(
        entry["reason"]
            .as_str()
            .unwrap()
            .starts_with("no speaker could be identified")
    );
    assert_eq!(entry["roles"]["map"]["spk_0"], "other");
    assert!(entry["score"].is_null());
    assert_eq!(json["summary"]["not_checked"], 1);
    assert_eq!(json["summary"]["scores"]["scored"], 1);
    // sarif: a tool execution notification, and the run is not successful.
    let sarif: Value = serde_json::from_str(&check("sarif").stdout).unwrap();
    let invocation = &sarif["runs"][0]["invocations"][0];
    assert_eq!(invocation["executionSuccessful"], false);
    let note = invocation["toolExecutionNotifications"][0]["message"]["text"]
        .as_str()
        .unwrap();
    assert!(
        note.starts_with("not checked calls/b-unclear.txt: no speaker"),
        "{note}"
    );
    // junit: an error test case.
    let junit = check("junit").stdout;
    assert!(
        junit.contains(
            "<testcase classname=\"calls/b-unclear_txt\" name=\"roles\" file=\"calls/b-unclear.txt\">"
        ),
        "{junit}"
    );
    assert!(junit.contains("type=\"not-checked\""), "{junit}");
    // github: an error annotation on the file.
    let github = check("github").stdout;
    assert!(
        github.contains("::error file=calls/b-unclear.txt,title=callcheck::calls/b-unclear.txt was not checked: no speaker"),
        "{github}"
    );
    // jsonl: a line of its own.
    let jsonl = check("jsonl").stdout;
    let line: Value = serde_json::from_str(jsonl.lines().last().unwrap()).unwrap();
    assert_eq!(line["status"], "not_checked");
    assert_eq!(line["path"], "calls/b-unclear.txt");
    // gitlab, compact, csv: standard error, as for files that cannot be read.
    for format in ["gitlab", "compact", "csv"] {
        let r = check(format);
        assert!(
            r.stderr.contains("calls/b-unclear.txt: not checked: no speaker"),
            "{format}: {}",
            r.stderr
        );
    }
}

#[test]
fn the_report_leaves_calls_that_were_not_checked_out_of_counts_and_means() {
    let dir = unclear_folder();
    let r = run_in(
        dir.path(),
        &["--no-config", "report", "calls", "--format", "json"],
    );
    assert_eq!(r.code, 2, "{}", r.stderr);
    let report = r.json();
    assert_eq!(report["summary"]["calls"], 1, "only the checked call");
    assert_eq!(report["summary"]["not_checked"], 1);
    assert_eq!(report["not_checked"][0]["path"], "calls/b-unclear.txt");
    let notes = report["notes"].as_array().unwrap();
    assert!(
        notes
            .iter()
            .any(|n| n.as_str().unwrap().starts_with("1 call was not checked")),
        "{notes:?}"
    );
    assert!(
        r.stderr.contains("calls/b-unclear.txt: not checked: no speaker"),
        "{}",
        r.stderr
    );
}

#[test]
fn a_customer_alone_is_a_normal_call() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("c.txt"), "客户：喂？有人吗？\n").unwrap();
    let r = run_in(dir.path(), &["--no-config", "check", "c.txt", "--format", "json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let file = &r.json()["files"][0];
    assert_eq!(file["status"], "ok");
    assert!(
        file["score"].is_null(),
        "no rule applied, so no score (never 100): {file}"
    );
}

#[test]
fn convert_shows_the_inferred_roles_and_their_evidence() {
    let dir = tempfile::tempdir().unwrap();
    example_folders(dir.path());
    let r = run_in(
        dir.path(),
        &["--no-config", "convert", "spk/01-delivery-clean.txt"],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let call: Value = serde_json::from_str(r.stdout.trim()).unwrap();
    assert_eq!(call["roles"]["source"], "inferred");
    assert_eq!(call["roles"]["map"]["spk_0"], "agent");
    assert!(call["roles"]["evidence"]["spk_0"]["score"].as_f64().unwrap() > 0.0);
    assert!(call["roles"]["not_checked"].is_null());
    assert_eq!(call["turns"][0]["role"], "agent");
    // What convert prints reads back the same.
    fs::write(dir.path().join("back.json"), r.stdout.trim()).unwrap();
    let again = run_in(dir.path(), &["--no-config", "convert", "back.json"]);
    let call: Value = serde_json::from_str(again.stdout.trim()).unwrap();
    assert_eq!(call["turns"][0]["role"], "agent");
    // An unresolved speaker is written without a role, so reading it back decides again.
    fs::write(dir.path().join("unclear.txt"), UNCLEAR).unwrap();
    let r = run_in(dir.path(), &["--no-config", "convert", "unclear.txt"]);
    let call: Value = serde_json::from_str(r.stdout.trim()).unwrap();
    assert!(call["turns"][0].get("role").is_none(), "{call}");
    assert!(call["roles"]["not_checked"].as_str().unwrap().contains("spk_0"));
}

#[test]
fn json_lines_on_standard_input_are_inferred_call_by_call() {
    let dir = tempfile::tempdir().unwrap();
    let lines = [
        r#"{"call_id": "a", "turns": [{"speaker": "spk_0", "text": "您好，这里是顺达快递，请问有什么可以帮您？"}, {"speaker": "spk_1", "text": "我的快递三天了还没到，我要投诉。"}, {"speaker": "spk_0", "text": "非常抱歉给您带来不便，请您提供一下单号，我帮您查询。"}]}"#,
        r#"{"call_id": "b", "turns": [{"speaker": "spk_0", "text": "I want to cancel my order, why is it not here yet?"}, {"speaker": "spk_1", "text": "I'm sorry for the inconvenience. Could you provide your order number so I can check?"}]}"#,
        r#"{"call_id": "c", "turns": [{"speaker": "spk_0", "text": "ok"}, {"speaker": "spk_1", "text": "ok"}]}"#,
    ];
    let input = lines.join("\n") + "\n";
    let r = run_in_with(
        dir.path(),
        &[
            "--no-config",
            "check",
            "-",
            "--input-format",
            "jsonl",
            "--format",
            "json",
        ],
        Some(input.as_bytes()),
    );
    assert_eq!(r.code, 2, "{}", r.stderr);
    let files = r.json()["files"].as_array().unwrap().clone();
    assert_eq!(files[0]["roles"]["map"]["spk_0"], "agent");
    assert_eq!(files[1]["roles"]["map"]["spk_1"], "agent");
    assert_eq!(files[2]["status"], "not_checked");
    assert_eq!(files[2]["path"], "<stdin>#c");
}

#[test]
fn verbose_pretty_output_says_how_each_call_got_its_roles() {
    let dir = tempfile::tempdir().unwrap();
    example_folders(dir.path());
    let r = run_in(
        dir.path(),
        &["--no-config", "check", "spk/01-delivery-clean.txt", "--verbose"],
    );
    let lines: Vec<&str> = r.stdout.lines().filter(|l| l.contains(": roles ")).collect();
    assert_eq!(lines.len(), 1, "{}", r.stdout);
    assert!(
        lines[0].starts_with("spk/01-delivery-clean.txt: roles inferred (confidence 0.")
            && lines[0].ends_with("spk_0 = agent, spk_1 = customer"),
        "{}",
        lines[0]
    );
    let r = run_in(
        dir.path(),
        &["--no-config", "check", "orig/01-delivery-clean.txt", "--verbose"],
    );
    assert!(
        r.stdout
            .contains("orig/01-delivery-clean.txt: roles from the labels: 客服 = agent, 客户 = customer"),
        "{}",
        r.stdout
    );
}
