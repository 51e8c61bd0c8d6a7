//! Large JSON Lines files (and JSON Lines on standard input) are read line by line: the
//! results are the same as for the same calls in a small file, and a bad line ends the file
//! with an error after the calls before it.

use std::fmt::Write as _;

mod common;
use serde_json::Value;

/// A call as one JSON line.
fn call(i: usize) -> String {
    let turns: Vec<String> = (0..12)
        .map(|k| {
            let (speaker, text) = if k % 2 == 0 {
                (
                    "客服",
                    if k == 4 {
                        "你必须先登录，然后告诉我订单号。"
                    } else {
                        "好的，我帮您查一下这个订单现在的物流情况。"
                    },
                )
            } else {
                (
                    "客户",
                    "我的快递三天了还没到，订单号是SD20261119886，麻烦您看看。",
                )
            };
            format!(
                r#"{{"speaker":"{speaker}","text":"{text}","start":{},"end":{}}}"#,
                k * 6,
                k * 6 + 5
            )
        })
        .collect();
    format!(
        r#"{{"call_id":"c{i:06}","ended_by":"customer","turns":[{}]}}"#,
        turns.join(",")
    )
}

/// JSON Lines of at least `bytes` bytes.
fn jsonl(bytes: usize) -> String {
    let mut text = String::new();
    let mut i = 0;
    while text.len() < bytes {
        let _ = writeln!(text, "{}", call(i));
        i += 1;
    }
    text
}

fn check(dir: &std::path::Path, args: &[&str], stdin: Option<&str>) -> (i32, Value) {
    let mut cmd = common::command();
    cmd.current_dir(dir).args(args);
    if let Some(input) = stdin {
        cmd.write_stdin(input);
    }
    let output = cmd.output().unwrap();
    let doc = serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&output.stderr)));
    (output.status.code().unwrap_or(-1), doc)
}

/// The report entries without the file name, for comparing runs over different files.
fn entries(doc: &Value) -> Vec<String> {
    doc["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let mut f = f.clone();
            let path = f["path"].as_str().unwrap_or("").to_string();
            f["path"] = Value::String(path.split_once('#').map(|(_, id)| id.to_string()).unwrap_or(path));
            f["file"] = Value::Null;
            f.to_string()
        })
        .collect()
}

#[test]
fn a_large_file_gives_the_results_of_small_ones() {
    let dir = tempfile::tempdir().unwrap();
    let big = jsonl((8 << 20) + 1); // just above the 8 MiB streaming threshold
    std::fs::write(dir.path().join("big.jsonl"), &big).unwrap();
    let head: String = big.lines().take(150).map(|l| format!("{l}\n")).collect();
    std::fs::write(dir.path().join("small.jsonl"), &head).unwrap();
    let (code, streamed) = check(
        dir.path(),
        &["check", "big.jsonl", "--format", "json", "--no-config"],
        None,
    );
    assert_eq!(code, 1);
    let (_, small) = check(
        dir.path(),
        &["check", "small.jsonl", "--format", "json", "--no-config"],
        None,
    );
    let streamed = entries(&streamed);
    assert_eq!(streamed.len(), big.lines().count());
    assert_eq!(
        &streamed[..150],
        &entries(&small)[..],
        "the same calls, the same results"
    );
    assert!(streamed[0].contains("zh-telephone/you-must"), "{}", streamed[0]);
    // Standard input with --input-format jsonl streams too.
    let (_, piped) = check(
        dir.path(),
        &[
            "check",
            "-",
            "--input-format",
            "jsonl",
            "--format",
            "json",
            "--no-config",
        ],
        Some(&head),
    );
    assert_eq!(entries(&piped), entries(&small));
}

#[test]
fn a_bad_line_ends_the_file_after_the_calls_before_it() {
    let dir = tempfile::tempdir().unwrap();
    let mut text = jsonl((8 << 20) + 1);
    let lines = text.lines().count();
    text.push_str("{\"call_id\": \"broken\", \"turns\": [\n");
    text.push_str(&call(999_999));
    text.push('\n');
    std::fs::write(dir.path().join("big.jsonl"), &text).unwrap();
    let (code, doc) = check(
        dir.path(),
        &["check", "big.jsonl", "--format", "json", "--no-config"],
        None,
    );
    assert_eq!(code, 2);
    let files = doc["files"].as_array().unwrap();
    assert_eq!(files.len(), lines + 1, "every good call, then the error");
    let last = files.last().unwrap();
    assert_eq!(last["status"], "error");
    assert!(
        last["error"]
            .as_str()
            .unwrap()
            .starts_with(&format!("line {}:", lines + 1)),
        "{last}"
    );
}

#[test]
fn a_large_file_among_small_ones_keeps_its_place() {
    // Workers take inputs in groups and finish a group's small files together: a file read
    // line by line in the middle of a group, and a file that cannot be read, keep their places,
    // and every file gives what it gives alone, with one thread or two.
    let dir = tempfile::tempdir().unwrap();
    let big = jsonl((8 << 20) + 1);
    let small = |from: usize| -> String { (from..from + 3).map(|i| call(i) + "\n").collect() };
    let names = ["a.jsonl", "b.jsonl", "c-big.jsonl", "d.jsonl", "e.jsonl"];
    std::fs::write(dir.path().join(names[0]), small(0)).unwrap();
    std::fs::write(dir.path().join(names[1]), "{\"call_id\": \"broken\"\n").unwrap();
    std::fs::write(dir.path().join(names[2]), &big).unwrap();
    std::fs::write(dir.path().join(names[3]), small(10)).unwrap();
    std::fs::write(dir.path().join(names[4]), small(20)).unwrap();
    let alone: Vec<String> = names
        .iter()
        .flat_map(|name| {
            let (_, doc) = check(
                dir.path(),
                &["check", name, "--format", "json", "--no-config"],
                None,
            );
            entries(&doc)
        })
        .collect();
    assert_eq!(alone.len(), 3 + 1 + big.lines().count() + 3 + 3);
    for jobs in ["1", "2"] {
        let (code, doc) = check(
            dir.path(),
            &["check", ".", "--format", "json", "--no-config", "--jobs", jobs],
            None,
        );
        assert_eq!(code, 2, "the broken file is an error");
        let files: Vec<String> = doc["files"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| {
                let path = f["path"].as_str().unwrap_or("");
                path.split_once('#').map_or(path, |(file, _)| file).to_string()
            })
            .collect();
        let mut order = files.clone();
        order.dedup();
        assert_eq!(order, names, "--jobs {jobs}");
        assert_eq!(entries(&doc), alone, "--jobs {jobs}");
    }
}
