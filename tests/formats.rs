//! Input formats, encodings and call metadata, end to end through the binary.
//!
//! `tests/fixtures/formats/mixed/` holds one call per format and encoding (and two files with two
//! calls each); `tests/fixtures/formats/equivalent/` holds the same calls as plain text. The
//! issue's "done means": checking both gives the same findings. `broken/` holds one broken file
//! per kind of mistake, each reported with its exact, located error.

use std::collections::BTreeMap;

use serde_json::Value;

mod common;
use common::{run, run_with};

const MIXED: &str = "tests/fixtures/formats/mixed";
const EQUIVALENT: &str = "tests/fixtures/formats/equivalent";
const BROKEN: &str = "tests/fixtures/formats/broken";
/// Names and diarisation labels in the mixed fixtures, mapped to roles.
const SPEAKERS: &str =
    "Jane Doe=agent,John Roe=customer,SPEAKER_00=agent,SPEAKER_01=customer,spk_0=agent,spk_1=customer";

/// A finding without its position, which differs between formats by construction.
fn finding_key(f: &Value) -> String {
    format!(
        "{} turn={} speaker={} time={} matched={} note={}",
        f["rule"], f["turn"], f["speaker"], f["time"], f["matched"], f["note"]
    )
}

/// Report entries by call: `01-teams.vtt` → `01-teams`, `09-calls.csv#csv-a` → `09-calls-csv-a`.
fn findings_by_call(doc: &Value) -> BTreeMap<String, Vec<String>> {
    doc["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|file| {
            assert_eq!(file["status"], "ok", "{file}");
            let path = file["path"].as_str().unwrap();
            let name = path.rsplit('/').next().unwrap();
            let (file_name, call) = name.split_once('#').unwrap_or((name, ""));
            let stem = file_name.split('.').next().unwrap();
            let key = if call.is_empty() {
                stem.to_string()
            } else {
                format!("{stem}-{call}")
            };
            // Findings are sorted by position, which differs between formats: compare as sets.
            let mut findings: Vec<String> = file["findings"]
                .as_array()
                .unwrap()
                .iter()
                .map(finding_key)
                .collect();
            findings.sort();
            (key, findings)
        })
        .collect()
}

#[test]
fn every_format_and_encoding_gives_the_findings_of_its_plain_text_equivalent() {
    let mixed = run(&["check", MIXED, "--format", "json", "--speaker-map", SPEAKERS]);
    assert_eq!(mixed.code, 1, "{}", mixed.transcript());
    let plain = run(&["check", EQUIVALENT, "--format", "json"]);
    assert_eq!(plain.code, 1, "{}", plain.transcript());
    let (mixed_doc, plain_doc) = (mixed.json(), plain.json());
    let (got, want) = (findings_by_call(&mixed_doc), findings_by_call(&plain_doc));
    assert_eq!(
        got.len(),
        15,
        "every call of the mixed folder is checked: {:?}",
        got.keys()
    );
    assert_eq!(
        got.keys().collect::<Vec<_>>(),
        want.keys().collect::<Vec<_>>(),
        "each call has a plain-text equivalent"
    );
    for (call, findings) in &got {
        assert_eq!(findings, &want[call], "findings differ for {call}");
    }
    let total: usize = got.values().map(Vec::len).sum();
    assert!(total >= 40, "the fixtures exercise the rules: {total} findings");
    // Read-back is a voice rule (a typed number cannot be misheard): the chat is clean.
    assert!(got["05-contact-lens-chat"].is_empty(), "the chat is clean");

    let read_as: BTreeMap<&str, (&str, &str)> = mixed_doc["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let name = f["path"].as_str().unwrap().rsplit('/').next().unwrap();
            (
                name,
                (f["format"].as_str().unwrap(), f["encoding"].as_str().unwrap()),
            )
        })
        .collect();
    for (name, expected) in [
        ("01-teams.vtt", ("webvtt", "UTF-8")),
        ("03-whisper.srt", ("srt", "UTF-8")),
        ("04-contact-lens-voice.json", ("contact-lens", "UTF-8")),
        ("05-contact-lens-chat.json", ("contact-lens", "UTF-8")),
        ("06-transcribe.json", ("transcribe", "UTF-8")),
        ("07-call-analytics.json", ("transcribe", "UTF-8")),
        ("08-ccai.json", ("ccai", "UTF-8")),
        ("09-calls.csv#csv-a", ("csv", "UTF-8")),
        ("10-calls.jsonl#jl-2", ("jsonl", "UTF-8")),
        ("11-gb18030.txt", ("plain", "GB18030")),
        ("12-big5.srt", ("srt", "Big5")),
        ("13-utf16le.vtt", ("webvtt", "UTF-16LE")),
    ] {
        assert_eq!(read_as.get(name), Some(&expected), "{name}");
    }
}

#[test]
fn sidecars_and_tables_are_metadata_not_transcripts() {
    let r = run(&["check", MIXED, "--format", "json", "--speaker-map", SPEAKERS]);
    let doc = r.json();
    let files = doc["files"].as_array().unwrap();
    let find = |name: &str| {
        files
            .iter()
            .find(|f| f["path"].as_str().unwrap().ends_with(name))
            .unwrap_or_else(|| panic!("{name} not reported"))
    };
    assert!(
        files.iter().all(|f| {
            let p = f["path"].as_str().unwrap();
            !p.ends_with(".meta.json") && !p.ends_with("metadata.csv")
        }),
        "sidecars and tables are never checked"
    );
    // A flat sidecar: agent, team, date, rings and who hung up.
    let zoom = &find("02-zoom.vtt")["metadata"];
    assert_eq!(
        (
            &zoom["agent"],
            &zoom["team"],
            &zoom["date"],
            &zoom["rings"],
            &zoom["ended_by"]
        ),
        (
            &Value::from("Sam"),
            &Value::from("retention"),
            &Value::from("2026-11-20"),
            &Value::from("3"),
            &Value::from("agent")
        )
    );
    let hangup = find("02-zoom.vtt")["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "en-telephone/customer-hangs-up-first")
        .cloned()
        .expect("the sidecar says the agent hung up");
    assert_eq!(
        (hangup["line"].as_u64(), hangup["column"].as_u64()),
        (Some(25), Some(11))
    );
    // An Amazon Connect contact record as a sidecar.
    let voice = &find("04-contact-lens-voice.json")["metadata"];
    assert_eq!(voice["call_id"], "0d4b7c2e-voice");
    assert_eq!(voice["agent"], "sam.lee");
    assert_eq!(voice["team"], "address-changes");
    assert_eq!(voice["disconnect_reason"], "AGENT_DISCONNECT");
    assert_eq!(voice["ended_by"], "agent");
    assert_eq!(voice["rings"], "2");
    // The folder table, by call id and by file name.
    let csv_a = &find("09-calls.csv#csv-a")["metadata"];
    assert_eq!(
        (&csv_a["agent"], &csv_a["ended_by"]),
        (&Value::from("王芳"), &Value::from("customer"))
    );
    let whisper = &find("03-whisper.srt")["metadata"];
    assert_eq!(
        (&whisper["team"], &whisper["ended_by"]),
        (&Value::from("快递一组"), &Value::from("customer"))
    );
}

#[test]
fn metadata_flag_reads_contact_records() {
    let dir = tempfile::tempdir().unwrap();
    let call = dir.path().join("call.json");
    std::fs::copy(format!("{MIXED}/05-contact-lens-chat.json"), &call).unwrap();
    let records = dir.path().join("ctr.jsonl");
    std::fs::write(
        &records,
        "{\"ContactId\": \"other\", \"DisconnectReason\": \"CUSTOMER_DISCONNECT\"}\n\
         {\"ContactId\": \"chat-5f1e\", \"DisconnectReason\": \"CUSTOMER_DISCONNECT\", \"Agent\": {\"Username\": \"jane\"}}\n",
    )
    .unwrap();
    let r = run(&[
        "check",
        dir.path().to_str().unwrap(),
        "--metadata",
        records.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_eq!(r.code, 0, "{}", r.transcript());
    let doc = r.json();
    assert_eq!(
        doc["files"].as_array().unwrap().len(),
        1,
        "the table is not a transcript"
    );
    assert_eq!(doc["files"][0]["metadata"]["agent"], "jane");
    // The chat says the customer left first; a record saying the agent hung up contradicts it.
    std::fs::write(
        &records,
        "{\"ContactId\": \"chat-5f1e\", \"DisconnectReason\": \"AGENT_DISCONNECT\"}\n",
    )
    .unwrap();
    let r = run(&[
        "check",
        call.to_str().unwrap(),
        "--metadata",
        records.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains(
            "ctr.jsonl line 1 says the call was ended by the agent, but the transcript says the customer (line 125)"
        ),
        "{}",
        r.stderr
    );
    let r = run(&[
        "check",
        call.to_str().unwrap(),
        "--metadata",
        "does-not-exist.csv",
    ]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr
            .starts_with("error: --metadata does-not-exist.csv: cannot read"),
        "{}",
        r.stderr
    );
}

#[test]
fn broken_files_get_exact_located_errors_and_the_run_goes_on() {
    let r = run(&["check", BROKEN]);
    assert_eq!(r.code, 2, "{}", r.transcript());
    assert_eq!(
        r.stdout,
        "Checked 0 transcripts: no findings. 14 files could not be read.\n"
    );
    insta::assert_snapshot!(r.stderr);
    let lines: Vec<&str> = r.stderr.lines().collect();
    assert_eq!(lines.len(), 14, "one line per broken file");
}

#[test]
fn encodings_are_detected_forced_and_reported() {
    let big5 = format!("{MIXED}/12-big5.srt");
    let r = run(&["check", &big5, "-v"]);
    assert!(
        r.stdout.contains("12-big5.srt: read as srt, Big5"),
        "{}",
        r.stdout
    );
    let forced = run(&["check", &big5, "--encoding", "big5", "--format", "json"]);
    assert_eq!(forced.json()["files"][0]["encoding"], "Big5");
    let wrong = run(&["check", &big5, "--encoding", "utf-8"]);
    assert_eq!(wrong.code, 2);
    assert!(
        wrong
            .stderr
            .contains("error: line 3: not valid UTF-8 at column 1 (byte 32); save the file as UTF-8"),
        "{}",
        wrong.stderr
    );
    let unknown = run(&["check", &big5, "--encoding", "klingon"]);
    assert_eq!(unknown.code, 2);
    assert!(
        unknown
            .stderr
            .starts_with("error: --encoding klingon: unknown encoding")
    );
}

#[test]
fn standard_input_holds_many_transcripts_in_json_lines() {
    let lines = std::fs::read(format!("{MIXED}/10-calls.jsonl")).unwrap();
    for args in [
        vec!["check", "-", "--format", "json", "--input-format", "jsonl"],
        vec!["check", "-", "--format", "json"],
    ] {
        let r = run_with(&args, Some(&lines));
        assert_eq!(r.code, 1, "{}", r.transcript());
        let doc = r.json();
        let paths: Vec<&str> = doc["files"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["path"].as_str().unwrap())
            .collect();
        assert_eq!(paths, ["<stdin>#jl-1", "<stdin>#jl-2"], "{args:?}");
        assert_eq!(doc["files"][0]["format"], "jsonl");
    }
    // A GB18030 plain-text transcript on standard input is decoded too.
    let gb = std::fs::read(format!("{MIXED}/11-gb18030.txt")).unwrap();
    let r = run_with(&["check", "-", "--format", "json"], Some(&gb));
    assert_eq!(r.json()["files"][0]["encoding"], "GB18030");
}

#[test]
fn convert_prints_json_lines_that_check_the_same() {
    let converted = run(&["convert", MIXED, "--speaker-map", SPEAKERS]);
    assert_eq!(converted.code, 0, "{}", converted.transcript());
    assert_eq!(converted.stdout.lines().count(), 15);
    let first: Value = serde_json::from_str(converted.stdout.lines().next().unwrap()).unwrap();
    assert_eq!(
        first["turns"][0],
        serde_json::json!({"speaker": "Jane Doe", "role": "agent", "text": "Hi, what do you want?", "start": 0.0, "end": 3.2})
    );
    let rechecked = run_with(
        &["check", "-", "--format", "json"],
        Some(converted.stdout.as_bytes()),
    );
    let original = run(&["check", MIXED, "--format", "json", "--speaker-map", SPEAKERS]);
    // JSON Lines keep who ended the call but not when, so the hang-up finding has no time.
    let rules = |doc: &Value| -> Vec<Vec<String>> {
        doc["files"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| {
                let mut keys: Vec<String> = f["findings"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|f| format!("{} {} {} {}", f["rule"], f["turn"], f["speaker"], f["matched"]))
                    .collect();
                keys.sort();
                keys
            })
            .collect()
    };
    assert_eq!(rules(&rechecked.json()), rules(&original.json()));
    // Calls keep their identity on the way into a table: the file they came from, and that file
    // as the call id when they have none, so results name each call the same way everywhere.
    let original_paths: Vec<String> = original.json()["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap().split('#').next().unwrap().to_string())
        .collect();
    for (line, checked) in converted
        .stdout
        .lines()
        .zip(rechecked.json()["files"].as_array().unwrap())
    {
        let call: Value = serde_json::from_str(line).unwrap();
        let source = call["metadata"]["source"].as_str().unwrap();
        assert!(original_paths.iter().any(|p| p == source), "{source}");
        let id = call["call_id"].as_str().unwrap();
        assert!(
            id == source || id.starts_with(&format!("{source}#")) || !id.contains('/'),
            "{id}"
        );
        assert_eq!(checked["path"], format!("<stdin>#{id}"));
    }
    let broken = run(&["convert", BROKEN]);
    assert_eq!(broken.code, 2);
    assert!(broken.stdout.is_empty());
    assert_eq!(broken.stderr.lines().count(), 14);
}

#[test]
fn flags_for_speakers_and_columns_are_validated() {
    let r = run(&["check", MIXED, "--speaker-map", "spk_0=boss"]);
    assert_eq!(r.code, 2);
    assert_eq!(
        r.stderr,
        "error: --speaker-map spk_0=boss: unknown role `boss`; expected agent, customer, system or other\n"
    );
    let r = run(&["check", MIXED, "--csv-column", "colour=Hue"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("unknown field `colour`"), "{}", r.stderr);
    // Without the speaker map, the roles of diarisation labels are inferred from what is said;
    // with --roles strict they are speakers with role `other`, and the call is not checked.
    let r = run(&[
        "check",
        &format!("{MIXED}/06-transcribe.json"),
        "--format",
        "json",
    ]);
    assert_eq!(r.code, 1, "{}", r.transcript());
    assert_eq!(
        r.json()["files"][0]["roles"]["map"],
        serde_json::json!({"spk_0": "agent", "spk_1": "customer"})
    );
    let r = run(&[
        "check",
        &format!("{MIXED}/06-transcribe.json"),
        "--roles",
        "strict",
    ]);
    assert_eq!(r.code, 2, "{}", r.transcript());
    assert!(
        r.stderr
            .contains("not checked: no speaker could be identified as the agent"),
        "{}",
        r.stderr
    );
}

#[test]
fn input_format_forces_a_parser() {
    let r = run(&[
        "check",
        &format!("{BROKEN}/unknown.json"),
        "--input-format",
        "contact-lens",
    ]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr
            .ends_with("error: line 1: the top level: missing field `Transcript`\n"),
        "{}",
        r.stderr
    );
    let r = run(&[
        "check",
        "tests/fixtures/calls/clean-en.txt",
        "--input-format",
        "json",
    ]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr
            .contains("error: line 1: expected a value, found `#` at column 1"),
        "{}",
        r.stderr
    );
}

#[test]
fn bundled_format_examples_show_their_findings() {
    let r = run(&["check", "examples/formats", "--format", "json"]);
    assert_eq!(r.code, 1, "{}", r.transcript());
    let doc = r.json();
    assert_eq!(doc["summary"]["errors"], 0);
    let files = doc["files"].as_array().unwrap();
    let find = |name: &str| {
        files
            .iter()
            .find(|f| f["path"].as_str().unwrap().ends_with(name))
            .unwrap_or_else(|| panic!("{name} not reported"))
    };
    let rules = |name: &str| -> Vec<String> {
        find(name)["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["rule"].as_str().unwrap().to_string())
            .collect()
    };
    // The sidecar names Maria Lopez as the agent, so her turns are checked as the agent's.
    assert_eq!(
        rules("13-teams-billing.vtt"),
        ["en-telephone/you-must", "en-telephone/commanding"]
    );
    assert_eq!(find("13-teams-billing.vtt")["metadata"]["team"], "billing");
    // A Contact Lens chat is a chat: the chat rulebook checks it, and nothing about the voice
    // (hang-up, pace, interruptions) applies.
    let chat = rules("14-connect-chat.json");
    assert!(chat.contains(&"en-chat/buck-passing".to_string()), "{chat:?}");
    assert!(chat.iter().all(|r| r.starts_with("en-chat/")), "{chat:?}");
    assert_eq!(
        rules("15-connect-voice.json"),
        [
            "zh-telephone/exaggeration",
            "zh-telephone/customer-hangs-up-first"
        ]
    );
    assert!(rules("16-asr-delivery.srt").contains(&"zh-telephone/customer-hangs-up-first".to_string()));
    assert!(rules("17-calls.csv#CS-0101").is_empty());
    assert!(rules("17-calls.csv#CS-0102").contains(&"en-telephone/dismissive".to_string()));
    assert_eq!(find("18-legacy-gb18030.txt")["encoding"], "GB18030");
    assert_eq!(rules("18-legacy-gb18030.txt"), ["zh-telephone/exaggeration"]);
    assert!(rules("19-pipeline.jsonl#JL-7001").is_empty());
    assert!(rules("19-pipeline.jsonl#JL-7002").contains(&"zh-telephone/buck-passing".to_string()));
}

#[test]
fn rulebook_speakers_map_diarisation_labels() {
    let dir = tempfile::tempdir().unwrap();
    let book = dir.path().join("speakers.toml");
    std::fs::write(
        &book,
        "[rulebook]\nid = \"acme\"\n[speakers]\nagent = [\"spk_0\"]\ncustomer = [\"spk_1\"]\n\
         [[forbidden]]\nid = \"dont-know\"\nseverity = \"error\"\nphrases = [\"I don't know\"]\n",
    )
    .unwrap();
    let file = format!("{MIXED}/06-transcribe.json");
    let r = run(&["check", &file, "-r", book.to_str().unwrap(), "--format", "json"]);
    assert_eq!(r.code, 1, "{}", r.transcript());
    let finding = &r.json()["files"][0]["findings"][0];
    assert_eq!(finding["rule"], "acme/dont-know");
    assert_eq!(finding["speaker"], "agent");
    assert_eq!(finding["matched"], "I don't know");
    // --speaker-map overrides the rulebook: with spk_0 a customer, the agent said nothing wrong.
    let r = run(&[
        "check",
        &file,
        "-r",
        book.to_str().unwrap(),
        "--speaker-map",
        "spk_0=customer",
    ]);
    assert_eq!(r.code, 0, "{}", r.transcript());
}

#[test]
fn findings_on_huge_minified_lines_have_no_excerpt() {
    // Transcribe writes its output on one line; copying it into every finding would cost
    // megabytes per finding, so lines over 64 KiB are not quoted.
    let padding = "la ".repeat(30_000);
    let call = format!(
        "{{\"turns\": [{{\"speaker\": \"Agent\", \"text\": \"Hello, this is ACME. {padding} You must wait.\"}}]}}"
    );
    let r = run_with(&["check", "-", "--color", "never"], Some(call.as_bytes()));
    assert_eq!(r.code, 1, "{}", r.transcript());
    assert!(
        r.stdout.contains("<stdin>:1:90064  error  en-telephone/you-must"),
        "{}",
        &r.stdout[..300.min(r.stdout.len())]
    );
    assert!(!r.stdout.contains(" | "), "no excerpt for a 90 KB line");
    let short = "{\"turns\": [{\"speaker\": \"Agent\", \"text\": \"Hello, this is ACME. You must wait.\"}]}";
    let r = run_with(&["check", "-", "--color", "never"], Some(short.as_bytes()));
    assert!(r.stdout.contains("1 | {\"turns\""), "{}", r.stdout);
}

/// Real exports published by other projects, as issue 13 found them (fixtures written to their
/// schemas; see `tests/fixtures/formats/README.md`).
const EXPORTS: &str = "tests/fixtures/formats/exports";

/// Each converted call's turns as `(speaker, role, text)`.
fn converted_turns(stdout: &str) -> Vec<Vec<(String, String, String)>> {
    stdout
        .lines()
        .map(|line| {
            let call: Value = serde_json::from_str(line).unwrap();
            call["turns"]
                .as_array()
                .unwrap()
                .iter()
                .map(|t| {
                    (
                        t["speaker"].as_str().unwrap().to_string(),
                        t["role"].as_str().unwrap().to_string(),
                        t["text"].as_str().unwrap().to_string(),
                    )
                })
                .collect()
        })
        .collect()
}

#[test]
fn caption_names_with_punctuation_are_speakers() {
    let r = run(&[
        "convert",
        &format!("{EXPORTS}/zoom-names.vtt"),
        "--speaker-map",
        "Ann (Host)=agent,*=customer",
    ]);
    assert_eq!(r.code, 0, "{}", r.transcript());
    let turns = converted_turns(&r.stdout).remove(0);
    let speakers: Vec<(&str, &str)> = turns
        .iter()
        .map(|(speaker, role, _)| (speaker.as_str(), role.as_str()))
        .collect();
    assert_eq!(
        speakers,
        [
            ("Ann (Host)", "agent"),
            ("Dr. Smith", "customer"),
            ("Ann (Host)", "agent"),
            ("Mary O'Brien", "customer"),
            ("Ann (Host)", "agent"),
        ],
        "every named cue is its speaker's, never appended to the previous turn"
    );
    // An unnamed cue continues the speaker before it; "Note: …" is a sentence, not a name.
    assert_eq!(
        turns[1].2,
        "Hello, I'm calling about my bill.\nIt doubled this month."
    );
    assert_eq!(
        turns[3].2,
        "I'm his carer, can I help?\nNote: the office closes at five."
    );
    // The agent's "you must" is found at its place in the file.
    let r = run(&[
        "check",
        &format!("{EXPORTS}/zoom-names.vtt"),
        "--speaker-map",
        "Ann (Host)=agent,*=customer",
        "--format",
        "json",
    ]);
    let doc = r.json();
    let must = doc["files"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "en-telephone/you-must")
        .cloned()
        .expect("the agent's `you must` is found");
    assert_eq!(
        (must["line"].as_u64(), must["column"].as_u64()),
        (Some(17), Some(43))
    );
    assert_eq!(must["speaker"], "agent");
}

#[test]
fn captions_without_names_are_read_with_the_wildcard() {
    let file = format!("{EXPORTS}/asr-captions.srt");
    let r = run(&["check", &file]);
    assert_eq!(r.code, 2, "{}", r.transcript());
    assert!(
        r.stderr.contains(
            "asr-captions.srt: error: line 3: no cue names a speaker (no `<v Name>`, `Name:` or \
             `[SPEAKER_00]`): captions from a recogniser without speaker labels; to read them as \
             one speaker, pass --speaker-map '*=ROLE' (such as '*=agent')"
        ),
        "{}",
        r.stderr
    );
    let r = run(&["check", &file, "--speaker-map", "*=agent", "--format", "json"]);
    assert_eq!(r.code, 1, "{}", r.transcript());
    let doc = r.json();
    let rules: Vec<&str> = doc["files"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    assert_eq!(rules, ["en-telephone/closing-question", "en-telephone/you-must"]);
    let r = run(&["convert", &file, "--speaker-map", "*=agent"]);
    let turns = converted_turns(&r.stdout).remove(0);
    assert_eq!(turns.len(), 1);
    assert_eq!((turns[0].0.as_str(), turns[0].1.as_str()), ("(unnamed)", "agent"));
}

#[test]
fn transcribe_turns_change_with_the_speaker_and_raise_no_false_interruptions() {
    for (file, map, turns, rules) in [
        (
            "transcribe-speakers.json",
            "spk_0=agent,spk_1=customer",
            10,
            // The agent asks "anything else?" and the customer ends it: the agent never closed,
            // so the closing rules do not judge the call.
            vec!["en-telephone/read-back-number", "en-telephone/you-must"],
        ),
        ("transcribe-channels.json", "ch_0=agent,ch_1=customer", 16, vec![]),
    ] {
        let path = format!("{EXPORTS}/{file}");
        let converted = run(&["convert", &path, "--speaker-map", map]);
        assert_eq!(converted.code, 0, "{}", converted.transcript());
        assert_eq!(converted_turns(&converted.stdout)[0].len(), turns, "{file}");
        let r = run(&["check", &path, "--speaker-map", map, "--format", "json"]);
        let doc = r.json();
        let mut found: Vec<&str> = doc["files"][0]["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["rule"].as_str().unwrap())
            .collect();
        found.sort_unstable();
        // Before turns followed the speakers, both calls had two "no-interrupting" findings
        // for turns that overlapped only because they swallowed the other speaker's words.
        assert_eq!(found, rules, "{file}");
    }
}

#[test]
fn platform_exports_are_read_with_their_roles_and_located_findings() {
    // (file, format, call id, speakers with roles, a finding and where it is)
    let cases = [
        (
            "pca-call.json",
            "pca",
            "7f3c2a10-5b2e-4c1d-9e0a-2f6b8d4c1a01",
            vec![
                ("spk_2", "system"),
                ("Agent", "agent"),
                ("Customer", "customer"),
                ("Agent", "agent"),
                ("Customer", "customer"),
                ("Agent", "agent"),
                ("Customer", "customer"),
                ("Agent", "agent"),
            ],
            ("en-telephone/you-must", 27, 248),
        ),
        (
            "genesys-call.json",
            "genesys",
            "5e6f7a8b-0000-4000-8000-00000000c001",
            vec![
                ("ivr", "system"),
                ("agent", "agent"),
                ("customer", "customer"),
                ("agent", "agent"),
                ("customer", "customer"),
                ("agent", "agent"),
                ("customer", "customer"),
            ],
            ("en-telephone/you-must", 27, 135),
        ),
        (
            "twilio-sentences.json",
            "twilio",
            "GT00000000000000000000000000000001",
            vec![
                ("channel_1", "customer"),
                ("channel_2", "agent"),
                ("channel_1", "customer"),
                ("channel_2", "agent"),
                ("channel_1", "customer"),
            ],
            ("en-telephone/buck-passing", 7, 113),
        ),
    ];
    // The Twilio sentence list does not say who is on which channel: the user says.
    let map = "channel_1=customer,channel_2=agent";
    for (file, format, call_id, speakers, (rule, line, column)) in cases {
        let path = format!("{EXPORTS}/{file}");
        let r = run(&["convert", &path, "--speaker-map", map]);
        assert_eq!(r.code, 0, "{}", r.transcript());
        let got: Vec<(String, String)> = converted_turns(&r.stdout)
            .remove(0)
            .into_iter()
            .map(|(speaker, role, _)| (speaker, role))
            .collect();
        let want: Vec<(String, String)> = speakers
            .iter()
            .map(|(s, r)| (s.to_string(), r.to_string()))
            .collect();
        assert_eq!(got, want, "{file}");
        let r = run(&["check", &path, "--speaker-map", map, "--format", "json"]);
        assert_eq!(r.code, 1, "{}", r.transcript());
        let doc = r.json();
        let entry = &doc["files"][0];
        assert_eq!(entry["format"], format, "{file}");
        assert_eq!(entry["metadata"]["call_id"], call_id, "{file}");
        let finding = entry["findings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["rule"] == rule)
            .unwrap_or_else(|| panic!("{file}: no {rule}: {entry}"));
        assert_eq!(
            (finding["line"].as_u64(), finding["column"].as_u64()),
            (Some(line), Some(column)),
            "{file}: {rule} points into the JSON string"
        );
        assert_eq!(finding["speaker"], "agent", "{file}");
    }
    // Without a mapping, Twilio's channels are speakers without a role, and the wildcard gives
    // every unmapped channel one.
    let twilio = format!("{EXPORTS}/twilio-sentences.json");
    let r = run(&["convert", &twilio, "--speaker-map", "channel_2=agent,*=customer"]);
    let roles: Vec<String> = converted_turns(&r.stdout)[0]
        .iter()
        .map(|t| t.1.clone())
        .collect();
    assert_eq!(roles, ["customer", "agent", "customer", "agent", "customer"]);
}
