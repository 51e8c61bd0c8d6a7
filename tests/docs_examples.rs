//! The example outputs in the docs are what the commands print today.
//!
//! A fenced block preceded by `<!-- output: ARGS -->` shows output of `callcheck ARGS` run in
//! the repository's root (standard output, then standard error). Its lines must appear in the
//! output in the same order; a line that is only `…` stands for any number of lines, and `…`
//! inside a line for any text within that line. So a doc may shorten an output, never invent
//! or keep a stale figure.

use std::fs;
use std::path::Path;
use std::process::Command;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// Every `<!-- output: … -->` block of a Markdown text: the arguments and the block's lines.
fn examples(text: &str) -> Vec<(String, Vec<String>)> {
    let lines: Vec<&str> = text.lines().collect();
    let mut found = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let Some(args) = line
            .trim()
            .strip_prefix("<!-- output:")
            .and_then(|rest| rest.strip_suffix("-->"))
        else {
            continue;
        };
        let fence = lines[i + 1];
        assert!(fence.starts_with("```"), "a fenced block must follow `{line}`");
        let block: Vec<String> = lines[i + 2..]
            .iter()
            .take_while(|l| !l.starts_with("```"))
            .map(|l| l.trim_end().to_string())
            .collect();
        found.push((args.trim().to_string(), block));
    }
    found
}

/// True when `line` of the doc stands for `printed` (`…` matches any text).
fn line_matches(line: &str, printed: &str) -> bool {
    let parts: Vec<&str> = line.split('…').collect();
    if parts.len() == 1 {
        return line == printed.trim_end();
    }
    let mut rest = printed.trim_end();
    for (i, part) in parts.iter().enumerate() {
        if i == 0 {
            let Some(after) = rest.strip_prefix(part) else {
                return false;
            };
            rest = after;
        } else if i == parts.len() - 1 {
            return rest.ends_with(part);
        } else {
            let Some(at) = rest.find(part) else {
                return false;
            };
            rest = &rest[at + part.len()..];
        }
    }
    true
}

/// Whether the doc's lines appear in `printed` in order, `…` lines skipping any number.
fn shown_in(doc: &[String], printed: &[&str]) -> Result<(), String> {
    let mut at = 0;
    let mut skipping = true; // The block may start anywhere in the output.
    for line in doc {
        if line.trim() == "…" || line.trim().is_empty() && skipping {
            skipping = true;
            continue;
        }
        let next = if skipping {
            printed[at..]
                .iter()
                .position(|p| line_matches(line, p))
                .map(|i| at + i)
        } else {
            printed.get(at).filter(|p| line_matches(line, p)).map(|_| at)
        };
        match next {
            Some(i) => {
                at = i + 1;
                skipping = false;
            }
            None => return Err(format!("not printed where the doc shows it: {line:?}")),
        }
    }
    Ok(())
}

#[test]
fn doc_outputs_match_the_commands() {
    let mut checked = Vec::new();
    for doc in [
        "README.md",
        "docs/output.md",
        "docs/report.md",
        "docs/ci.md",
        "docs/config.md",
    ] {
        let text = fs::read_to_string(Path::new(ROOT).join(doc)).unwrap();
        for (args, block) in examples(&text) {
            let output = Command::new(env!("CARGO_BIN_EXE_callcheck"))
                .current_dir(ROOT)
                .env("NO_COLOR", "1")
                .args(args.split_whitespace())
                .output()
                .unwrap();
            let printed = format!(
                "{}{}",
                String::from_utf8_lossy(&output.stdout),
                String::from_utf8_lossy(&output.stderr)
            );
            let printed: Vec<&str> = printed.lines().collect();
            if let Err(e) = shown_in(&block, &printed) {
                panic!(
                    "{doc}: the example of `callcheck {args}` is stale: {e}\n--- printed now:\n{}",
                    printed.join("\n")
                );
            }
            checked.push(format!("{doc}: {args}"));
        }
    }
    // The figures the issue found stale are covered; a doc losing its directives fails here.
    for doc in ["docs/output.md", "docs/report.md"] {
        assert!(
            checked.iter().filter(|c| c.starts_with(doc)).count() >= 2,
            "{doc} should check its examples: {checked:?}"
        );
    }
}

#[test]
fn the_matcher_refuses_stale_and_reordered_lines() {
    let printed = [
        "Checked 3 transcripts",
        "  a",
        "  b",
        "Scores: mean 80.0; 2 of 3 pass",
    ];
    let doc = |lines: &[&str]| lines.iter().map(|l| l.to_string()).collect::<Vec<_>>();
    assert!(
        shown_in(
            &doc(&["Checked 3 transcripts", "…", "Scores: mean 80.0; … pass"]),
            &printed
        )
        .is_ok()
    );
    assert!(shown_in(&doc(&["  b", "Scores: … pass"]), &printed).is_ok());
    assert!(shown_in(&doc(&["Scores: mean 79.5; … pass"]), &printed).is_err());
    assert!(shown_in(&doc(&["  b", "  a"]), &printed).is_err());
    // Without `…`, lines must follow each other.
    assert!(shown_in(&doc(&["Checked 3 transcripts", "  b"]), &printed).is_err());
}
