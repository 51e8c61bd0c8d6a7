//! `--redact`: no output format, excerpt, log line or error message carries a personal value,
//! written or spoken, that a read-back or pii rule handled; and pii findings never show theirs.

mod common;

/// A call where the customer gives a phone number, e-mail and card number, and the agent reads
/// them back (once wrongly), plus a file that fails to parse on a line quoting a number.
fn fixture() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("call.txt"),
        "# call_id: r-1\n\
         [00:00:01] 客服：您好，这里是顺达快递，请问有什么可以帮您？\n\
         [00:00:05] 客户：我要改收件电话，新号码是13912345678，邮箱 jane.doe@example.com。\n\
         [00:00:12] 客服：好的，新号码是13912345679，已经帮您改好了。\n\
         [00:00:15] 客户：卡号是4111 1111 1111 1111。\n\
         [00:00:18] 客服：你必须先确认卡号4111 1111 1111 1111和手机一三九一二三四五六七九。\n\
         [00:00:20] 客服：邮件发到 jane.doe@example.com 了，你必须查收。\n\
         [00:00:23] 客户：没有了。\n\
         [00:00:25] 客服：感谢您的来电，再见。\n\
         <hangup by=customer>\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("broken.txt"), "13912345678 is not a transcript\n").unwrap();
    // Card and ID numbers the agent reads out (pii), in Chinese numerals in groups and written.
    std::fs::write(
        dir.path().join("pii-zh.txt"),
        "[00:00:01] 客服：您好，这里是顺达快递，请问有什么可以帮您？\n\
         [00:00:05] 客户：我要挂失，卡号是四幺幺幺 幺幺幺幺 幺幺幺幺 幺幺幺幺。\n\
         [00:00:12] 客服：好的，卡号四幺幺幺 幺幺幺幺 幺幺幺幺 幺幺幺幺，你必须先等一下。\n\
         [00:00:18] 客服：您的身份证号11010519491231002X已登记，还有什么可以帮您？\n\
         [00:00:25] 客服：感谢您的来电，再见。\n\
         <hangup by=customer>\n",
    )
    .unwrap();
    // Spoken card digits, a spoken e-mail address, a date of birth and a member code that the
    // company rulebook's read-back and pii rules handle.
    std::fs::write(
        dir.path().join("pii-en.txt"),
        "Agent: Good morning, this is ACME, how can I help?\n\
         Customer: My card is four one one one, one one one one, one one one one, one one one one.\n\
         Agent: So that's four one one one, one one one one, one one one one, one one one one, you must wait.\n\
         Customer: My email is jane dot doe at example dot com, born 3 May 1980, member code VIP-AB12C.\n\
         Agent: Thanks. Date of birth 4 May 1980, and your code VIP-AB13C.\n\
         Agent: Thank you for calling, anything else?\n\
         <hangup by=customer>\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("company.toml"),
        r#"[rulebook]
id = "company"

[[readback]]
id = "birth-date"
entity = "date"

[[readback]]
id = "email"
entity = "email"

[[readback]]
id = "member-code"
entity = "regex"
pattern = '(vip-[a-z]{2}\d{2}[a-z])'
by = "agent"

[[pii]]
id = "say-member-code"
detect = []
patterns = ['(vip-[a-z]{2}\d{2}[a-z])']
"#,
    )
    .unwrap();
    dir
}

/// Every value of the fixture a rule handled, as written or spoken, and as rules restate them:
/// the personal ones, then [`DATES`].
const RAW: &[&str] = &[
    "13912345678",
    "13912345679",
    "一三九一二三四五六七九",
    "jane.doe",
    "jane dot doe",
    "4111 1111 1111",
    "4111111111111111",
    "四幺幺幺",
    "幺幺幺幺 幺幺幺幺",
    "11010519491231002X",
    "1101051949",
    "four one one one, one",
    "one one one one, one one one one",
    "AB12C",
    "ab12c",
    "AB13C",
    "ab13c",
];

/// The dates a read-back rule read: masked by `--redact` (all), shown by `--redact=personal`.
const DATES: &[&str] = &["3 May 1980", "4 May 1980", "1980-05-03"];

/// The fixture's rules: the built-ins and the company rulebook.
const RULES: &[&str] = &[
    "-r",
    "builtin:zh-telephone",
    "-r",
    "builtin:en-telephone",
    "-r",
    "company.toml",
];

#[test]
fn every_output_format_is_redacted() {
    let dir = fixture();
    for format in [
        "pretty", "json", "sarif", "junit", "github", "gitlab", "compact", "jsonl", "csv",
    ] {
        let output = common::command()
            .current_dir(dir.path())
            .args([
                "check",
                ".",
                "--no-config",
                "--redact",
                "--verbose",
                "--format",
                format,
            ])
            .args(RULES)
            .output()
            .unwrap();
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        assert!(
            text.contains("5679") || format == "junit",
            "{format}: the findings are reported:\n{text}"
        );
        for rule in [
            "full-card-or-id",
            "company/birth-date",
            "company/member-code",
            "company/say-member-code",
        ] {
            assert!(text.contains(rule), "{format}: no {rule} finding:\n{text}");
        }
        for raw in RAW.iter().chain(DATES) {
            assert!(!text.contains(raw), "{format} leaks {raw}:\n{text}");
        }
    }
}

#[test]
fn personal_redaction_shows_amounts_and_dates() {
    let dir = fixture();
    for args in [&["check", "--redact=personal"][..], &["report", "--by", "file"]] {
        let output = common::command()
            .current_dir(dir.path())
            .args(args)
            .args([".", "--no-config", "--format", "json"])
            .args(RULES)
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&output.stdout);
        for raw in RAW {
            assert!(!text.contains(raw), "{args:?} leaks {raw}:\n{text}");
        }
        // The wrong date of birth read back: 1980-05-04 for 1980-05-03.
        assert!(
            text.contains("1980-05-03") && text.contains("4 May 1980"),
            "{args:?}:\n{text}"
        );
    }
}

#[test]
fn every_report_format_is_redacted() {
    // `callcheck report` masks personal data by default, everything with --redact=all; its
    // worst-call drill-down quotes the offending turns.
    let dir = fixture();
    for (format, redact) in [
        ("table", "--redact=all"),
        ("csv", "--redact=all"),
        ("markdown", "--redact=all"),
        ("json", "--redact=all"),
        ("html", "--redact=all"),
        ("table", "--redact=personal"),
        ("html", "--redact=personal"),
    ] {
        let output = common::command()
            .current_dir(dir.path())
            .args([
                "report",
                ".",
                "--no-config",
                "--by",
                "file",
                "--format",
                format,
                redact,
            ])
            .args(RULES)
            .output()
            .unwrap();
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        assert!(
            text.contains("call.txt"),
            "{format}: the calls are reported:\n{text}"
        );
        // The masked numbers (their last digits; the full ones are in RAW) in the unreadable
        // file's error line and in the worst calls' turns.
        let quoted: &[&str] = match format {
            "csv" => &[],
            "table" => &["5678"],
            _ => &["5678", "5679"],
        };
        for masked in quoted {
            assert!(text.contains(masked), "{format}: no {masked}:\n{text}");
        }
        let dates = if redact == "--redact=all" { DATES } else { &[] };
        for raw in RAW.iter().chain(dates) {
            assert!(
                !text.contains(raw),
                "report --format {format} {redact} leaks {raw}:\n{text}"
            );
        }
    }
}

#[test]
fn pii_findings_never_show_the_value_even_without_the_flag() {
    let dir = fixture();
    for format in ["pretty", "json", "sarif", "csv"] {
        let output = common::command()
            .current_dir(dir.path())
            .args(["check", "pii-zh.txt", "--no-config", "--format", format])
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&output.stdout);
        assert!(
            text.contains("************1111"),
            "{format}: the masked card:\n{text}"
        );
        assert!(
            text.contains("**************002X"),
            "{format}: the masked ID:\n{text}"
        );
        // The agent's lines, quoted by the pii findings and by the "you must" finding on the
        // card's line, are masked too.
        for raw in ["四幺幺幺", "幺幺幺幺", "11010519491231002X", "1101051949"] {
            assert!(!text.contains(raw), "{format} shows {raw}:\n{text}");
        }
        assert!(
            text.contains("你必须"),
            "{format}: the other finding is reported:\n{text}"
        );
    }
}

#[test]
fn without_the_flag_values_are_shown() {
    let dir = fixture();
    let output = common::command()
        .current_dir(dir.path())
        .args(["check", ".", "--no-config", "--format", "json"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(text.contains("13912345679"), "{text}");
}

/// `callcheck report . --no-config --format json` run in `dir` with `extra` arguments: what it
/// writes to standard output.
fn report_json<S: AsRef<std::ffi::OsStr>>(
    dir: &std::path::Path,
    extra: impl IntoIterator<Item = S>,
) -> String {
    let output = common::command()
        .current_dir(dir)
        .args(["report", ".", "--no-config", "--format", "json"])
        .args(extra)
        .output()
        .unwrap();
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn report_shows_amounts_unless_asked_to_mask_everything() {
    // Issue 13: "read back 3,680元, customer said 3,580元" became "*,****" in the report.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("call.txt"),
        "[00:00:01] 客服：您好，请问有什么可以帮您？\n\
         [00:00:04] 客户：我要转账3,580元到尾号5678的卡。\n\
         [00:00:09] 客服：好的，3,680元，已经提交。\n",
    )
    .unwrap();
    let report = |extra: &[&str]| {
        let args = ["--select", "*/read-back-amount"].iter().chain(extra);
        report_json(dir.path(), args)
    };
    let personal = report(&[]);
    assert!(personal.contains("\"redaction\": \"personal\""), "{personal}");
    assert!(
        personal.contains("the agent read back 3680 in turn 3; the customer said 3580 in turn 2"),
        "{personal}"
    );
    assert!(
        personal.contains("\"mark\": \"3,680元\"") && personal.contains("我要转账3,580元"),
        "the drill-down shows the amounts:\n{personal}"
    );
    let all = report(&["--redact=all"]);
    assert!(all.contains("\"redaction\": \"all\""), "{all}");
    for raw in ["3680", "3580", "3,680", "3,580"] {
        assert!(!all.contains(raw), "--redact=all leaks {raw}:\n{all}");
    }
    // `--redact` alone is `--redact=all`; it cannot go with --no-redact.
    assert!(!report(&["--redact"]).contains("3,680"));
    let output = common::command()
        .current_dir(dir.path())
        .args(["report", ".", "--no-config", "--redact", "--no-redact"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn report_masks_each_listed_call_with_the_values_read_in_it() {
    // `report` quotes and masks the findings of the calls it lists once it has checked them
    // again. Two calls of a file share a call id: each must be told by its own findings, or one
    // would show the other's line, masked with the values read in the other. One call per line:
    // the customer gives a member code, the agent repeats it.
    let line = |id: &str, code: &str| {
        format!(
            "{{\"call_id\":\"{id}\",\"turns\":[{{\"speaker\":\"customer\",\"text\":\"My code is {code}.\"}},\
             {{\"speaker\":\"agent\",\"text\":\"{code}, and you must wait.\"}}]}}"
        )
    };
    let dir = tempfile::tempdir().unwrap();
    let calls = [("dup", "VIP-AB12C"), ("dup", "VIP-CD34E"), ("one", "VIP-EF56G")];
    let file: String = calls.iter().map(|(id, code)| line(id, code) + "\n").collect();
    std::fs::write(dir.path().join("calls.jsonl"), file).unwrap();
    let rules = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/redact/codes.toml");
    let rules = rules.to_string_lossy();
    let text = report_json(dir.path(), ["--redact=all", "-r", &*rules]);
    for (_, code) in calls {
        assert!(!text.contains(&code[4..]), "leaks {code}:\n{text}");
    }
    let doc: serde_json::Value = serde_json::from_str(&text).unwrap();
    let mut excerpts: Vec<(&str, u64, &str)> = doc["worst_calls"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|call| {
            call["findings"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|f| f["rule"] == "codes/must")
                .map(|f| {
                    let excerpt = f["excerpt"].as_str().unwrap_or_default();
                    (
                        call["path"].as_str().unwrap(),
                        f["line"].as_u64().unwrap(),
                        excerpt,
                    )
                })
        })
        .collect();
    excerpts.sort();
    // Each call's own line, its code masked.
    let (dup, one) = (line("dup", "***-*****"), line("one", "***-*****"));
    assert_eq!(
        excerpts,
        [
            ("calls.jsonl#dup", 1, dup.as_str()),
            ("calls.jsonl#dup", 2, dup.as_str()),
            ("calls.jsonl#one", 3, one.as_str())
        ],
        "{text}"
    );
}
