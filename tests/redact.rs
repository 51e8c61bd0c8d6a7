//! `--redact`: no output format, excerpt or error message carries a raw personal number.

use assert_cmd::Command;

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
    dir
}

const RAW: &[&str] = &[
    "13912345678",
    "13912345679",
    "一三九一二三四五六七九",
    "jane.doe",
    "4111 1111 1111",
];

#[test]
fn every_output_format_is_redacted() {
    let dir = fixture();
    for format in [
        "pretty", "json", "sarif", "junit", "github", "gitlab", "compact", "jsonl", "csv",
    ] {
        let output = Command::new(env!("CARGO_BIN_EXE_callcheck"))
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
        for raw in RAW {
            assert!(!text.contains(raw), "{format} leaks {raw}:\n{text}");
        }
    }
}

#[test]
fn without_the_flag_values_are_shown() {
    let dir = fixture();
    let output = Command::new(env!("CARGO_BIN_EXE_callcheck"))
        .current_dir(dir.path())
        .args(["check", ".", "--no-config", "--format", "json"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(text.contains("13912345679"), "{text}");
}
