//! `callcheck init`: a commented starter `callcheck.toml` and rulebook, never overwriting.

use std::io;
use std::path::Path;

use super::{Outcome, Streams};
use crate::cli::InitArgs;
use crate::exit::ExitStatus;
use crate::paths::display;

/// The starter configuration.
pub const CONFIG: &str = r#"# callcheck project configuration (docs/config.md).
# callcheck finds this file by searching upward from the current folder. Command-line flags
# override every value here; `callcheck config` prints what is in force and where it comes from.

# Rulebooks: built-ins by name, and your own files (paths are relative to this file).
builtin = ["zh-telephone", "en-telephone"]
rulebooks = ["rules/team.toml"]

# What `callcheck check` checks when it is given no path.
paths = ["."]

# Files matching these globs are reply templates (canned replies, script snippets): agent-only
# text in .txt, .md, .yaml or .json files, where {{placeholders}} are not words.
# templates = ["replies/**"]

# Files and folders to skip (globs relative to this file; `*` crosses `/`).
# exclude = ["drafts/**"]

# The severity that fails the run: error (default), warning, info or never.
# fail_on = "error"

# Findings recorded here are not reported; create it with
#   callcheck check --write-baseline callcheck-baseline.json
# baseline = "callcheck-baseline.json"

# Speakers whose labels are not role words (spk_0, SPEAKER_01, user names) get their roles
# inferred per call from what they say; "strict" turns that off (docs/formats.md).
# roles = "infer"

# Extra speaker labels (they always win over role words and inference), and the company's
# names, which help tell the agent: agents say them when they answer.
# [speakers]
# agent = ["Rep"]
# customer = ["Member"]
# company = ["ACME Bank", "安信银行"]

# Severity per rule: "off", "info", "warning" or "error"; keys are rule ids or globs, and later
# entries win.
# [rules]
# "zh-telephone/closing-question" = "off"
# "*/bare-no" = "error"
"#;

/// The starter rulebook.
pub const RULEBOOK: &str = r#"# Your team's own rules (docs/rulebook.md). Test the examples with
#   callcheck rules test rules/team.toml

[rulebook]
id = "team"
title = "Our team's wording"
# To build on a built-in rulebook instead of loading it beside this one:
# extends = ["builtin:zh-telephone"]
# disable = ["closing-question"]            # inherited rules to drop
# severity = { bare-no = "error" }          # inherited rules' severity

[[forbidden]]
id = "no-worries"
title = "Say \"you're welcome\", not \"no worries\""
severity = "warning"
phrases = ["no worries", "没事儿"]
suggest = "You're welcome. / 不客气。"
examples.pass = ["You're welcome, have a nice day."]
examples.fail = ["No worries, bye."]
"#;

pub(super) fn run(args: &InitArgs, streams: &mut Streams<'_>) -> Outcome {
    let files = [("callcheck.toml", CONFIG), ("rules/team.toml", RULEBOOK)];
    let mut status = ExitStatus::Clean;
    for (name, contents) in files {
        let path = if args.dir == Path::new(".") {
            Path::new(name).to_path_buf()
        } else {
            args.dir.join(name)
        };
        match create_new(&path, contents) {
            Ok(true) => writeln!(streams.out, "created {}", display(&path))?,
            Ok(false) => writeln!(streams.out, "kept    {} (it already exists)", display(&path))?,
            Err(e) => {
                writeln!(streams.err, "error: cannot create {}: {e}", display(&path))?;
                status = ExitStatus::Error;
            }
        }
    }
    if status == ExitStatus::Clean {
        writeln!(
            streams.out,
            "\nNext: edit callcheck.toml, then run `callcheck config` to see the settings and \
             `callcheck check` to check."
        )?;
    }
    Ok(status)
}

/// Creates a file only if it does not exist (atomically, so a file created meanwhile is kept);
/// `Ok(false)` when it exists.
fn create_new(path: &Path, contents: &str) -> io::Result<bool> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    match std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
    {
        Ok(mut file) => {
            io::Write::write_all(&mut file, contents.as_bytes())?;
            Ok(true)
        }
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Ok(false),
        Err(e) => Err(e),
    }
}
