//! Command-line tests of the CI gate: output formats, project configuration, `extends`,
//! suppressions, baselines, reply templates, `init`, `config`, completions and the man page.
//!
//! Snapshots record exit code, stdout and stderr together (`tests/snapshots/`).

use std::fs;
use std::path::{Path, PathBuf};

use serde_json::Value;

mod common;
use common::{ROOT, Run, run, run_in};

/// A checked file with findings and a file that fails to parse.
const VIOLATIONS: &str = "tests/fixtures/calls/violations-zh.txt";
const BROKEN: &str = "tests/fixtures/mixed-good-bad/b-bad-timestamp.txt";

fn format_run(format: &str) -> Run {
    let r = run(&["check", VIOLATIONS, BROKEN, "--format", format]);
    assert_eq!(
        r.code,
        2,
        "a file that cannot be parsed exits 2: {}",
        r.transcript()
    );
    r
}

#[test]
fn sarif_snapshot() {
    let r = format_run("sarif");
    let log: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(log["version"], "2.1.0");
    assert!(!log["runs"][0]["results"].as_array().unwrap().is_empty());
    // The project root is where the repository was cloned: the same everywhere in the snapshot.
    let root_uri = format!("file://{ROOT}/");
    assert_eq!(
        log["runs"][0]["originalUriBaseIds"]["%SRCROOT%"]["uri"],
        root_uri.as_str()
    );
    insta::assert_snapshot!(r.transcript().replace(&root_uri, "file:///ROOT/"));
}

#[test]
fn junit_snapshot() {
    let r = format_run("junit");
    assert!(r.stdout.starts_with("<?xml"));
    insta::assert_snapshot!(r.transcript());
}

#[test]
fn github_snapshot() {
    let r = format_run("github");
    assert!(r.stdout.lines().next().unwrap().starts_with("::error file="));
    insta::assert_snapshot!(r.transcript());
}

#[test]
fn gitlab_snapshot() {
    let r = format_run("gitlab");
    let issues: Value = serde_json::from_str(&r.stdout).unwrap();
    assert!(
        issues
            .as_array()
            .unwrap()
            .iter()
            .all(|i| i["fingerprint"].is_string())
    );
    insta::assert_snapshot!(r.transcript());
}

#[test]
fn compact_snapshot() {
    insta::assert_snapshot!(format_run("compact").transcript());
}

#[test]
fn jsonl_snapshot() {
    let r = format_run("jsonl");
    for line in r.stdout.lines() {
        serde_json::from_str::<Value>(line).unwrap();
    }
    insta::assert_snapshot!(r.transcript());
}

#[test]
fn csv_snapshot() {
    let r = format_run("csv");
    assert!(r.stdout.starts_with("path,line,column,"));
    insta::assert_snapshot!(r.transcript());
}

#[test]
fn output_file_gets_the_report_and_the_terminal_the_summary() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("report.sarif");
    let r = run(&[
        "check",
        VIOLATIONS,
        "--format",
        "sarif",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 1);
    assert!(
        r.stdout.starts_with("Checked 1 transcript: 7 findings"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("Wrote the sarif report to"), "{}", r.stdout);
    let direct = run(&["check", VIOLATIONS, "--format", "sarif"]);
    assert_eq!(fs::read_to_string(&out).unwrap(), direct.stdout);
    assert_eq!(
        fs::read_dir(dir.path()).unwrap().count(),
        1,
        "no temporary file left"
    );
    let r = run(&["check", VIOLATIONS, "-o", "no/such/folder/r.txt"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("the folder no/such/folder does not exist"),
        "{}",
        r.stderr
    );
}

#[test]
fn an_empty_run_still_writes_its_report() {
    let dir = tempfile::tempdir().unwrap();
    let r = run_in(
        dir.path(),
        &[
            "check",
            ".",
            "--format",
            "sarif",
            "-o",
            "r.sarif",
            "--write-baseline",
            "b.json",
        ],
    );
    assert_eq!(r.code, 0, "{}", r.transcript());
    assert!(r.stderr.contains("warning: no transcripts found"), "{}", r.stderr);
    let log: Value = serde_json::from_str(&fs::read_to_string(dir.path().join("r.sarif")).unwrap()).unwrap();
    assert_eq!(log["runs"][0]["results"], serde_json::json!([]));
    assert!(
        fs::read_to_string(dir.path().join("b.json"))
            .unwrap()
            .contains("\"findings\": []")
    );
}

/// Copies the sample template repository into a temporary folder.
fn sample_repo() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let to = dir.path().join("templates");
    copy_dir(&Path::new(ROOT).join("examples/templates"), &to);
    (dir, to)
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), target).unwrap();
        }
    }
}

#[test]
fn sample_template_repository_passes_and_a_new_violation_fails() {
    let templates = Path::new(ROOT).join("examples/templates");
    let r = run_in(&templates, &["check"]);
    assert_eq!(r.code, 0, "{}", r.transcript());
    assert_eq!(
        r.stdout,
        "Checked 7 transcripts: no findings. 1 finding in the baseline not \
         shown.\nScores: mean 100; 7 of 7 scored transcripts pass (pass mark 80).\n"
    );
    // The same from the repository root with --config: paths and the baseline still match.
    let r = run(&[
        "check",
        "--config",
        "examples/templates/callcheck.toml",
        "--format",
        "json",
    ]);
    assert_eq!(r.code, 0, "{}", r.transcript());
    let doc: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(doc["summary"]["baselined"], 1);
    assert!(
        doc["files"][0]["path"]
            .as_str()
            .unwrap()
            .starts_with("examples/templates/replies/")
    );

    let (_keep, repo) = sample_repo();
    let reply = repo.join("replies/greeting.txt");
    let mut text = fs::read_to_string(&reply).unwrap();
    text.push_str("这个问题不归我们管，你必须自己去营业厅。\n");
    fs::write(&reply, text).unwrap();
    let r = run_in(&repo, &["check", "--format", "compact"]);
    assert_eq!(r.code, 1, "{}", r.transcript());
    insta::assert_snapshot!(r.transcript());
}

#[test]
fn templates_are_not_transcripts_unless_declared() {
    let r = run(&["check", "examples/"]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr
            .contains("note: skipped examples/templates/: it has its own callcheck.toml"),
        "{}",
        r.stderr
    );
    assert!(!r.stdout.contains("examples/templates"), "{}", r.stdout);
    // Forced, a .md file is read as a template; placeholders are not words.
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("reply.md"),
        "## 回复\n您好{{name}}，你必须先登录。\n",
    )
    .unwrap();
    let r = run_in(
        dir.path(),
        &["check", "--input-format", "templates", ".", "--format", "jsonl"],
    );
    assert_eq!(r.code, 1, "{}", r.transcript());
    let findings: Vec<Value> = r
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let finding = findings
        .iter()
        .find(|f| f["rule"] == "zh-telephone/you-must")
        .unwrap();
    assert_eq!(
        (finding["line"].as_u64(), finding["column"].as_u64()),
        (Some(2), Some(12))
    );
    assert!(!r.stdout.contains("customer-hangs-up-first"));
}

#[test]
fn config_shows_each_value_and_its_origin() {
    let templates = Path::new(ROOT).join("examples/templates");
    let r = run_in(&templates, &["config", "--fail-on", "error"]);
    assert_eq!(r.code, 0, "{}", r.transcript());
    insta::assert_snapshot!(r.transcript());
    let sub = templates.join("replies");
    let r = run_in(&sub, &["config"]);
    assert!(
        r.stdout.starts_with("Configuration file: ../callcheck.toml"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains("paths               ../replies"),
        "{}",
        r.stdout
    );
    let r = run_in(&templates, &["config", "--no-config"]);
    assert!(
        r.stdout.starts_with("Configuration file: none (--no-config)"),
        "{}",
        r.stdout
    );
}

fn project(config: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("callcheck.toml"), config).unwrap();
    fs::create_dir_all(dir.path().join("calls/sub")).unwrap();
    fs::copy(Path::new(ROOT).join(VIOLATIONS), dir.path().join("calls/v.txt")).unwrap();
    dir
}

#[test]
fn config_is_found_upward_and_flags_override_it() {
    let dir = project(
        "builtin = [\"zh-telephone\"]\npaths = [\"calls\"]\nfail_on = \"never\"\n[rules]\n\"zh-telephone/you-must\" = \"off\"\n\"zh-telephone/try-my-best\" = \"error\"\n",
    );
    let r = run_in(&dir.path().join("calls/sub"), &["check", "--format", "json"]);
    assert_eq!(r.code, 0, "fail_on = never: {}", r.transcript());
    let doc: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(doc["files"][0]["path"], "../../calls/v.txt");
    let findings = doc["files"][0]["findings"].as_array().unwrap();
    assert!(!findings.iter().any(|f| f["rule"] == "zh-telephone/you-must"));
    let bare_no = findings
        .iter()
        .find(|f| f["rule"] == "zh-telephone/try-my-best")
        .unwrap();
    assert_eq!(bare_no["severity"], "error");
    let r = run_in(dir.path(), &["check", "--fail-on", "error"]);
    assert_eq!(r.code, 1, "--fail-on overrides the file: {}", r.transcript());
    let r = run_in(dir.path(), &["check", "--no-config", "calls", "--format", "json"]);
    let doc: Value = serde_json::from_str(&r.stdout).unwrap();
    assert!(
        doc["files"][0]["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["rule"] == "zh-telephone/you-must"),
        "--no-config ignores [rules]"
    );
}

#[test]
fn config_errors_point_at_the_key() {
    let dir = project(
        "paths = [\"calls\"]\nfail_on = \"warnings\"\n[rules]\n\"zh-telephone/you-mustt\" = \"off\"\n",
    );
    let r = run_in(dir.path(), &["check"]);
    assert_eq!(r.code, 2);
    insta::assert_snapshot!(r.transcript());
    let dir = project("[rules]\n\"zh-telephone/you-mustt\" = \"off\"\n");
    let r = run_in(dir.path(), &["check", "calls"]);
    assert_eq!(r.code, 1, "an unknown rule id is a warning: {}", r.transcript());
    assert!(
        r.stderr.contains(
            "warning: callcheck.toml:2:1: [rules]: `zh-telephone/you-mustt` matches no loaded rule"
        ),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("did you mean `zh-telephone/you-must`?"),
        "{}",
        r.stderr
    );
    let r = run(&["check", "--config", "nope.toml", VIOLATIONS]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr
            .starts_with("error: nope.toml: cannot read the configuration"),
        "{}",
        r.stderr
    );
}

#[test]
fn extends_overrides_disables_and_reports_cycles() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    fs::create_dir_all(d.join("rules")).unwrap();
    fs::write(
        d.join("rules/team.toml"),
        "[rulebook]\nid = \"team\"\nextends = [\"builtin:zh-telephone\", \"../common.toml\"]\n\
         disable = [\"closing-*\", \"greeting\"]\nseverity = { try-my-best = \"info\" }\n\
         [[forbidden]]\nid = \"you-must\"\nphrases = [\"你必须\"]\nseverity = \"info\"\n",
    )
    .unwrap();
    fs::write(
        d.join("common.toml"),
        "[rulebook]\nid = \"common\"\n[[forbidden]]\nid = \"jargon\"\nphrases = [\"工单系统\"]\n",
    )
    .unwrap();
    // common.toml is outside rules/ but inside the current folder, which a rulebook given with
    // -r from within it may extend from.
    let r = run_in(d, &["rules", "list", "-r", "rules/team.toml", "--format", "json"]);
    assert_eq!(r.code, 0, "{}", r.transcript());
    let rules: Value = serde_json::from_str(&r.stdout).unwrap();
    let ids: Vec<&str> = rules
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert!(ids.contains(&"team/you-must") && ids.contains(&"team/jargon") && ids.contains(&"team/bare-no"));
    assert!(
        !ids.iter()
            .any(|i| i.starts_with("team/closing") || *i == "team/greeting"),
        "{ids:?}"
    );
    let severity =
        |id: &str| rules.as_array().unwrap().iter().find(|r| r["id"] == id).unwrap()["severity"].clone();
    assert_eq!(
        severity("team/you-must"),
        "info",
        "own rule replaces the inherited one"
    );
    assert_eq!(severity("team/try-my-best"), "info");
    assert_eq!(severity("team/bare-no"), "warning");
    assert_eq!(ids.iter().filter(|i| **i == "team/you-must").count(), 1);

    fs::write(
        d.join("a.toml"),
        "[rulebook]\nid = \"a\"\nextends = [\"b.toml\"]\n",
    )
    .unwrap();
    fs::write(
        d.join("b.toml"),
        "[rulebook]\nid = \"b\"\nextends = [\"a.toml\", \"missing.toml\"]\n",
    )
    .unwrap();
    let r = run_in(d, &["rules", "list", "-r", "a.toml"]);
    assert_eq!(r.code, 2);
    insta::assert_snapshot!(r.transcript().replace(&d.display().to_string(), "[TMP]"));

    // From a project configuration, extends may not leave the project folder, unless the file
    // is given with -r.
    let inner = d.join("project");
    fs::create_dir_all(&inner).unwrap();
    fs::write(
        inner.join("r.toml"),
        "[rulebook]\nid = \"r\"\nextends = [\"../common.toml\"]\n",
    )
    .unwrap();
    fs::write(inner.join("callcheck.toml"), "rulebooks = [\"r.toml\"]\n").unwrap();
    let r = run_in(&inner, &["rules", "list"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr
            .contains("r.toml:3:12: [rulebook] › extends: `../common.toml` is outside the project folder"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr
            .contains("give it with -r on the command line if you mean it"),
        "{}",
        r.stderr
    );
    let r = run_in(&inner, &["rules", "list", "-r", "r.toml"]);
    assert_eq!(r.code, 2, "{}", r.transcript());
    let r = run_in(&inner, &["rules", "list", "-r", "r.toml", "-r", "../common.toml"]);
    assert_eq!(r.code, 0, "{}", r.transcript());
    assert!(r.stdout.contains("r/jargon"));
}

#[test]
fn suppressions_in_transcripts_and_templates() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("call.txt"),
        "# callcheck: disable-next-line zh-telephone/you-must\n客服：您好，这里是ACME，你必须先登录。\n\
         # callcheck: disable-next-line zh-telephone/bare-no, zh-telephone/nope\n客服：好的，感谢您的来电，还有什么可以帮您？\n\
         <hangup by=customer>\n",
    )
    .unwrap();
    fs::create_dir_all(dir.path().join("replies")).unwrap();
    fs::write(
        dir.path().join("replies/r.md"),
        "<!-- callcheck: disable zh-telephone/* -->\n你必须先登录。\n<!-- callcheck: enable zh-telephone/* -->\n我尽量帮您。\n",
    )
    .unwrap();
    fs::write(
        dir.path().join("replies/r.yaml"),
        "# callcheck: disable-next-line zh-telephone/exaggeration\na: 保证今天到。\nb: 保证明天到。\n",
    )
    .unwrap();
    fs::write(
        dir.path().join("callcheck.toml"),
        "templates = [\"replies/**\"]\n",
    )
    .unwrap();
    let r = run_in(
        dir.path(),
        &[
            "check",
            "--format",
            "compact",
            "--select",
            "zh-telephone/*,callcheck/*",
        ],
    );
    insta::assert_snapshot!(r.transcript());
    let r = run_in(
        dir.path(),
        &[
            "check",
            "--format",
            "compact",
            "--ignore",
            "callcheck/unused-suppression",
        ],
    );
    assert!(!r.stdout.contains("callcheck/unused-suppression"), "{}", r.stdout);
}

/// (path, fingerprint) pairs, sorted.
type Prints = Vec<(String, String)>;

/// (uri, fingerprint) of every SARIF result, and the GitLab (path, fingerprint) pairs.
fn fingerprints_of(dir: &Path, args: &[&str]) -> (Prints, Prints) {
    let with = |format: &str| {
        let mut all = args.to_vec();
        all.extend(["--format", format]);
        let r = run_in(dir, &all);
        assert_eq!(r.code, 1, "{}", r.transcript());
        serde_json::from_str::<Value>(&r.stdout).unwrap()
    };
    let sarif = with("sarif");
    let mut results: Vec<(String, String)> = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let location = &r["locations"][0]["physicalLocation"]["artifactLocation"];
            assert_eq!(location["uriBaseId"], "%SRCROOT%", "{location}");
            let print = r["partialFingerprints"]["callcheck/v2"].as_str().unwrap();
            (location["uri"].as_str().unwrap().to_string(), print.to_string())
        })
        .collect();
    results.sort();
    let gitlab = with("gitlab");
    let mut issues: Vec<(String, String)> = gitlab
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            let path = i["location"]["path"].as_str().unwrap().to_string();
            (path, i["fingerprint"].as_str().unwrap().to_string())
        })
        .collect();
    issues.sort();
    (results, issues)
}

#[test]
fn fingerprints_do_not_depend_on_how_paths_are_typed() {
    let dir = tempfile::tempdir().unwrap();
    let r = run_in(dir.path(), &["init"]);
    assert_eq!(r.code, 0, "{}", r.transcript());
    fs::create_dir_all(dir.path().join("replies")).unwrap();
    // Two identical lines: two findings that must not share a fingerprint.
    fs::write(
        dir.path().join("replies/refund.txt"),
        "客服：您好，这里是安信银行。\n客服：你必须先登录。\n客服：你必须先登录。\n",
    )
    .unwrap();
    let absolute = dir.path().join("replies").display().to_string();
    let runs = [
        fingerprints_of(dir.path(), &["check"]),
        fingerprints_of(dir.path(), &["check", "."]),
        fingerprints_of(dir.path(), &["check", "replies"]),
        fingerprints_of(dir.path(), &["check", &absolute]),
        fingerprints_of(&dir.path().join("replies"), &["check", "."]),
    ];
    let (sarif, gitlab) = &runs[0];
    assert!(sarif.len() >= 2, "{sarif:?}");
    for (i, run) in runs.iter().enumerate() {
        assert_eq!(&run.0, sarif, "SARIF of invocation {i}");
        assert_eq!(&run.1, gitlab, "GitLab of invocation {i}");
    }
    assert!(sarif.iter().all(|(uri, _)| uri == "replies/refund.txt"));
    assert!(gitlab.iter().all(|(path, _)| path == "replies/refund.txt"));
    let mut unique: Vec<&String> = sarif.iter().map(|(_, p)| p).collect();
    unique.dedup();
    assert_eq!(unique.len(), sarif.len(), "fingerprints are unique: {sarif:?}");
    // GitLab and the baseline use the same fingerprints as SARIF.
    let prints = |pairs: &[(String, String)]| {
        let mut p: Vec<String> = pairs.iter().map(|(_, f)| f.clone()).collect();
        p.sort();
        p
    };
    assert_eq!(prints(gitlab), prints(sarif));
    let r = run_in(
        dir.path(),
        &["check", "replies", "--write-baseline", "callcheck-baseline.json"],
    );
    assert_eq!(r.code, 1, "{}", r.transcript());
    let baseline: Value =
        serde_json::from_str(&fs::read_to_string(dir.path().join("callcheck-baseline.json")).unwrap())
            .unwrap();
    let entries = baseline["findings"].as_array().unwrap();
    let recorded: Vec<(String, String)> = entries
        .iter()
        .map(|e| {
            let path = e["path"].as_str().unwrap().to_string();
            (path, e["fingerprint"].as_str().unwrap().to_string())
        })
        .collect();
    assert_eq!(prints(&recorded), prints(sarif));
    // A baseline written one way absorbs every finding of a run typed another way.
    let r = run_in(
        dir.path(),
        &["check", &absolute, "--baseline", "callcheck-baseline.json"],
    );
    assert_eq!(r.code, 0, "{}", r.transcript());
}

#[test]
fn baselines_survive_moved_lines_and_count_new_findings() {
    let dir = tempfile::tempdir().unwrap();
    let call = dir.path().join("call.txt");
    let original = fs::read_to_string(Path::new(ROOT).join(VIOLATIONS)).unwrap();
    fs::write(&call, &original).unwrap();
    let r = run_in(dir.path(), &["check", ".", "--write-baseline", "baseline.json"]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr
            .contains("Recorded 7 findings in the baseline baseline.json."),
        "{}",
        r.stderr
    );
    let r = run_in(dir.path(), &["check", ".", "--baseline", "baseline.json"]);
    assert_eq!(r.code, 0, "{}", r.transcript());
    assert!(
        r.stdout.contains("7 findings in the baseline not shown"),
        "{}",
        r.stdout
    );
    // Lines move down: still baselined. A new violation: reported and counted.
    let mut lines: Vec<&str> = original.lines().collect();
    let header_end = lines.iter().position(|l| !l.starts_with('#')).unwrap();
    lines.insert(header_end, "# reviewed by QA");
    lines.insert(header_end, "");
    lines.push("客服：你必须再等等。");
    fs::write(&call, lines.join("\n") + "\n").unwrap();
    let r = run_in(
        dir.path(),
        &["check", ".", "--baseline", "baseline.json", "--format", "compact"],
    );
    assert_eq!(r.code, 1, "{}", r.transcript());
    let reported: Vec<&str> = r.stdout.lines().filter(|l| l.contains(" [")).collect();
    assert_eq!(reported.len(), 1, "{reported:?}");
    assert!(reported[0].contains("[zh-telephone/you-must]"), "{reported:?}");
    let r = run_in(dir.path(), &["check", ".", "--baseline", "nope.json"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("create it with --write-baseline nope.json"),
        "{}",
        r.stderr
    );
}

#[test]
fn init_writes_starter_files_once() {
    let dir = tempfile::tempdir().unwrap();
    let r = run_in(dir.path(), &["init"]);
    assert_eq!(r.code, 0, "{}", r.transcript());
    assert!(r.stdout.contains("created callcheck.toml") && r.stdout.contains("created rules/team.toml"));
    fs::write(dir.path().join("callcheck.toml"), "# mine\n").unwrap();
    let r = run_in(dir.path(), &["init"]);
    assert!(
        r.stdout.contains("kept    callcheck.toml (it already exists)"),
        "{}",
        r.stdout
    );
    assert_eq!(
        fs::read_to_string(dir.path().join("callcheck.toml")).unwrap(),
        "# mine\n"
    );
    // The starter files load, and their examples pass.
    let fresh = tempfile::tempdir().unwrap();
    run_in(fresh.path(), &["init"]);
    let r = run_in(fresh.path(), &["rules", "test"]);
    assert_eq!(r.code, 0, "{}", r.transcript());
    assert!(r.stdout.contains("team/no-worries"), "{}", r.stdout);
    fs::write(
        fresh.path().join("call.txt"),
        "Agent: Good morning, this is ACME. No worries!\n",
    )
    .unwrap();
    let r = run_in(fresh.path(), &["check", "--format", "compact"]);
    assert!(r.stdout.contains("[team/no-worries]"), "{}", r.transcript());
}

#[test]
fn completions_and_man_page() {
    let r = run(&["completions", "bash"]);
    assert_eq!(r.code, 0);
    assert!(r.stdout.contains("_callcheck()") && r.stdout.contains("--write-baseline"));
    let r = run(&["man"]);
    assert_eq!(r.code, 0);
    assert!(
        r.stdout.starts_with(".ie") || r.stdout.contains(".TH callcheck"),
        "{}",
        &r.stdout[..200]
    );
}

#[test]
fn project_lists_replace_rulebook_lists() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("callcheck.toml"),
        "builtin = [\"en-telephone\"]\n[lists]\njargon = [\"the mainframe\", \"L2\"]\n",
    )
    .unwrap();
    fs::write(
        dir.path().join("call.txt"),
        "Agent: Thank you for calling ACME Bank, this is Sam.\nAgent: The mainframe is down, so it's outside our SLA.\nAgent: I'll pass it to L2.\n",
    )
    .unwrap();
    let r = run_in(
        dir.path(),
        &[
            "check",
            "call.txt",
            "--select",
            "en-telephone/jargon",
            "--format",
            "jsonl",
        ],
    );
    assert_eq!(
        r.code,
        0,
        "jargon is info, below the default threshold: {}",
        r.transcript()
    );
    let quoted: Vec<String> = r
        .stdout
        .lines()
        .map(|l| {
            serde_json::from_str::<Value>(l).unwrap()["matched"]
                .as_str()
                .unwrap_or("")
                .to_lowercase()
        })
        .collect();
    // The project's words are found; the built-in list's "SLA" is replaced, not added to.
    assert_eq!(quoted, ["the mainframe", "l2"], "{}", r.transcript());

    let r = run_in(dir.path(), &["config"]);
    assert!(r.stdout.contains("jargon = the mainframe, L2"), "{}", r.stdout);

    // An empty list leaves the rule not applicable, with the reason, rather than passing it.
    fs::write(
        dir.path().join("callcheck.toml"),
        "builtin = [\"en-telephone\"]\n[lists]\njargon = []\n",
    )
    .unwrap();
    let r = run_in(
        dir.path(),
        &[
            "check",
            "call.txt",
            "--select",
            "en-telephone/jargon",
            "--verbose",
        ],
    );
    assert!(
        r.stdout.contains("the `jargon` list is empty"),
        "{}",
        r.transcript()
    );
}

#[test]
fn a_rule_naming_a_missing_list_is_a_located_error() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("book.toml"),
        "[rulebook]\nid = \"b\"\n[lists]\njargon = [\"SLA\"]\n\n[[forbidden]]\nid = \"j\"\nmessage = \"m\"\nphrases_from = \"jargn\"\n",
    )
    .unwrap();
    let r = run_in(dir.path(), &["check", "-r", "book.toml", "."]);
    assert_eq!(r.code, 2, "{}", r.transcript());
    assert!(r.stderr.contains("book.toml:9:16"), "{}", r.stderr);
    assert!(r.stderr.contains("no list `jargn`"), "{}", r.stderr);
    assert!(r.stderr.contains("did you mean `jargon`?"), "{}", r.stderr);
}

#[test]
fn lists_tailor_inherited_rules_and_misspelt_lists_are_warned_about() {
    let dir = tempfile::tempdir().unwrap();
    // A company rulebook extends the built-in one and replaces its jargon list.
    fs::write(
        dir.path().join("acme.toml"),
        "[rulebook]\nid = \"acme\"\nextends = [\"builtin:en-telephone\"]\n[lists]\njargon = [\"the mainframe\"]\n",
    )
    .unwrap();
    fs::write(
        dir.path().join("call.txt"),
        "Agent: Thank you for calling ACME Bank, this is Sam.\nAgent: The mainframe is down, so it's outside our SLA.\n",
    )
    .unwrap();
    let r = run_in(
        dir.path(),
        &[
            "--no-config",
            "check",
            "call.txt",
            "-r",
            "acme.toml",
            "--select",
            "acme/jargon",
            "--format",
            "jsonl",
        ],
    );
    let matched: Vec<String> = r
        .stdout
        .lines()
        .map(|l| {
            serde_json::from_str::<Value>(l).unwrap()["matched"]
                .as_str()
                .unwrap_or("")
                .to_lowercase()
        })
        .collect();
    assert_eq!(matched, ["the mainframe"], "{}", r.transcript());

    // A project list no rulebook defines is most likely misspelt.
    fs::write(
        dir.path().join("callcheck.toml"),
        "builtin = [\"en-telephone\"]\n[lists]\njargn = [\"L2\"]\n",
    )
    .unwrap();
    let r = run_in(dir.path(), &["check", "call.txt"]);
    assert!(r.stderr.contains("callcheck.toml:3:1"), "{}", r.stderr);
    assert!(
        r.stderr.contains("no loaded rulebook has a list `jargn`"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("did you mean `jargon`?"), "{}", r.stderr);

    // The rulebooks' own examples are tested against their own lists, whatever the project's.
    fs::write(
        dir.path().join("callcheck.toml"),
        "builtin = [\"en-telephone\"]\n[lists]\njargon = [\"L2\"]\n",
    )
    .unwrap();
    let r = run_in(dir.path(), &["rules", "test", "--quiet"]);
    assert_eq!(r.code, 0, "{}", r.transcript());
}

/// The `files` pattern of a hook in .pre-commit-hooks.yaml.
fn hook_files(id: &str) -> regex::Regex {
    let hooks = fs::read_to_string(Path::new(ROOT).join(".pre-commit-hooks.yaml")).unwrap();
    let hook = hooks
        .split("\n- id: ")
        .find(|h| h.trim_start_matches("- id: ").starts_with(&format!("{id}\n")))
        .unwrap_or_else(|| panic!("no hook {id}"));
    let pattern = hook
        .lines()
        .find_map(|l| l.trim().strip_prefix("files: "))
        .unwrap();
    regex::Regex::new(pattern).unwrap()
}

#[test]
fn pre_commit_hooks_run_for_every_file_type_callcheck_reads() {
    let every = hook_files("callcheck");
    let transcript_types = callcheck::transcript::FORMATS
        .iter()
        .flat_map(|f| f.extensions.iter());
    let template_types = callcheck::transcript::templates::EXTENSIONS.iter();
    for ext in transcript_types.chain(template_types.clone()) {
        assert!(
            every.is_match(&format!("calls/x.{ext}")),
            ".pre-commit-hooks.yaml `callcheck` skips .{ext} files"
        );
    }
    let templates = hook_files("callcheck-templates");
    for ext in template_types {
        assert!(templates.is_match(&format!("replies/x.{ext}")), ".{ext}");
    }
    assert!(!templates.is_match("calls/x.vtt"));
}

/// The first ```toml block of docs/ci.md that sets `[template_roles]`.
fn documented_template_roles() -> String {
    let ci = fs::read_to_string(Path::new(ROOT).join("docs/ci.md")).unwrap();
    ci.split("```toml\n")
        .skip(1)
        .filter_map(|b| b.split("```").next())
        .find(|b| b.contains("[template_roles]"))
        .expect("docs/ci.md shows a [template_roles] setup")
        .to_string()
}

#[test]
fn a_template_repository_set_up_as_documented_reports_exactly_its_planted_violations() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&Path::new(ROOT).join("tests/fixtures/template-repo"), dir.path());
    let r = run_in(dir.path(), &["init"]);
    assert_eq!(r.code, 0, "{}", r.transcript());
    // The starter configuration, with its templates line switched on and the documented roles.
    let config = fs::read_to_string(dir.path().join("callcheck.toml")).unwrap();
    let config = config.replace("# templates = [\"replies/**\"]", "templates = [\"replies/**\"]");
    assert!(
        config.contains("\ntemplates = [\"replies/**\"]"),
        "init's starter names templates"
    );
    fs::write(
        dir.path().join("callcheck.toml"),
        format!("{config}\n{}", documented_template_roles()),
    )
    .unwrap();
    let r = run_in(dir.path(), &["check", "--format", "json"]);
    let report: Value = serde_json::from_str(&r.stdout).unwrap();
    let files = report["files"].as_array().unwrap();
    assert!(files.len() >= 30, "{} templates", files.len());
    let mut found: Vec<String> = files
        .iter()
        .flat_map(|f| {
            let path = f["path"].as_str().unwrap().to_string();
            f["findings"]
                .as_array()
                .unwrap()
                .iter()
                .map(move |x| format!("{path} {}", x["rule"].as_str().unwrap()))
        })
        .collect();
    found.sort();
    let planted = fs::read_to_string(dir.path().join("planted-findings")).unwrap();
    let mut planted: Vec<String> = planted
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(str::to_string)
        .collect();
    planted.sort();
    assert_eq!(found, planted);
    // Three roles, both languages: each role's shape rules ran on its templates.
    let roles: std::collections::BTreeSet<&str> = files
        .iter()
        .filter_map(|f| f["metadata"]["role"].as_str())
        .collect();
    assert_eq!(
        roles.into_iter().collect::<Vec<_>>(),
        ["body", "closing", "opening"]
    );
}

#[test]
fn fix_rewrites_templates_with_literal_replacements_and_never_transcripts() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir_all(dir.path().join("replies")).unwrap();
    fs::create_dir_all(dir.path().join("calls")).unwrap();
    fs::write(
        dir.path().join("callcheck.toml"),
        "rulebooks = [\"rules.toml\"]\ntemplates = [\"replies/**\"]\n",
    )
    .unwrap();
    fs::write(
        dir.path().join("rules.toml"),
        "[rulebook]\nid = \"acme\"\n\n[[forbidden]]\nid = \"old-name\"\nseverity = \"error\"\n\
         phrases = [\"安信银行\"]\nreplace = \"安信金融\"\nsuggest = \"用新名称\"\n\n\
         [[forbidden]]\nid = \"you-must\"\nseverity = \"warning\"\nphrases = [\"你必须\"]\nsuggest = \"您能……吗？\"\n",
    )
    .unwrap();
    let template = "# role: opening\n您好，这里是安信银行。\n再次感谢您选择安信银行，你必须先登录。\n";
    fs::write(dir.path().join("replies/hello.txt"), template).unwrap();
    let call = "客服：您好，这里是安信银行。\n客户：你好。\n";
    fs::write(dir.path().join("calls/0001.txt"), call).unwrap();

    // SARIF: a fix for the literal replacement only; the suggestion stays in the message.
    let r = run_in(dir.path(), &["check", "--format", "sarif"]);
    let log: Value = serde_json::from_str(&r.stdout).unwrap();
    let results = log["runs"][0]["results"].as_array().unwrap();
    let with_fix: Vec<&str> = results
        .iter()
        .filter(|r| r.get("fixes").is_some())
        .map(|r| r["ruleId"].as_str().unwrap())
        .collect();
    // The call has the old name too, but a transcript records what was said: no fix there.
    assert_eq!(with_fix, ["acme/old-name"; 2], "{results:?}");
    let must = results.iter().find(|r| r["ruleId"] == "acme/you-must").unwrap();
    assert!(
        must["message"]["text"]
            .as_str()
            .unwrap()
            .ends_with("Suggestion: 您能……吗？")
    );

    let r = run_in(dir.path(), &["check", "--fix", "--format", "compact"]);
    assert!(
        r.stderr.contains("Fixed 2 findings in 1 template."),
        "{}",
        r.transcript()
    );
    // The call's error is left, so the run still fails.
    assert_eq!(r.code, 1, "{}", r.transcript());
    assert_eq!(
        fs::read_to_string(dir.path().join("replies/hello.txt")).unwrap(),
        template.replace("安信银行", "安信金融")
    );
    assert_eq!(
        fs::read_to_string(dir.path().join("calls/0001.txt")).unwrap(),
        call
    );
    let r = run_in(dir.path(), &["check", "--format", "compact"]);
    let left: Vec<&str> = r.stdout.lines().filter(|l| l.contains(" [")).collect();
    assert_eq!(left.len(), 2, "the call's finding and the warning: {left:?}");
    assert!(
        left.iter()
            .all(|l| l.starts_with("calls/") || l.contains("you-must")),
        "{left:?}"
    );
    // Where every failing finding is fixed, --fix exits 0 (the warning does not fail the run).
    fs::write(dir.path().join("replies/hello.txt"), template).unwrap();
    let r = run_in(dir.path(), &["check", "replies", "--fix"]);
    assert_eq!(r.code, 0, "{}", r.transcript());
    assert!(
        r.stderr.contains("Fixed 2 findings in 1 template."),
        "{}",
        r.transcript()
    );
}
