//! The one harness of the command-line tests: run the binary, keep its exit code and output.
//!
//! Each test file includes it with `mod common;` and uses the part it needs.

#![allow(dead_code, reason = "each test file uses part of the harness")]

use std::path::Path;

use assert_cmd::Command;
use serde_json::Value;

/// The repository's root: tests run from it unless they say otherwise.
pub const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// The binary under test.
pub const BIN: &str = env!("CARGO_BIN_EXE_callcheck");

/// What a run did.
pub struct Run {
    /// Exit code (-1 when killed by a signal).
    pub code: i32,
    /// Standard output.
    pub stdout: String,
    /// Standard error.
    pub stderr: String,
}

impl Run {
    /// Exit code, stdout and stderr in one text, for snapshots.
    pub fn transcript(&self) -> String {
        format!(
            "exit: {}\n--- stdout\n{}--- stderr\n{}",
            self.code, self.stdout, self.stderr
        )
    }

    /// Standard output as JSON.
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| panic!("invalid JSON ({e}):\n{}", self.stdout))
    }
}

/// `callcheck` ready to run, with `NO_COLOR` removed so that colour depends only on the flags a
/// test gives.
pub fn command() -> Command {
    let mut command = Command::new(BIN);
    command.env_remove("NO_COLOR");
    command
}

/// [`command`] in `dir`.
pub fn callcheck_in(dir: &Path) -> Command {
    let mut command = command();
    command.current_dir(dir);
    command
}

/// Runs a prepared command.
pub fn output_of(command: &mut Command) -> Run {
    let output = command.output().unwrap();
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8(output.stdout).unwrap(),
        stderr: String::from_utf8(output.stderr).unwrap(),
    }
}

/// `callcheck ARGS` in `dir`, with `stdin` as its standard input.
pub fn run_in_with(dir: &Path, args: &[&str], stdin: Option<&[u8]>) -> Run {
    let mut command = callcheck_in(dir);
    command.args(args);
    if let Some(input) = stdin {
        command.write_stdin(input.to_vec());
    }
    output_of(&mut command)
}

/// `callcheck ARGS` in `dir`.
pub fn run_in(dir: &Path, args: &[&str]) -> Run {
    run_in_with(dir, args, None)
}

/// `callcheck ARGS` in the repository's root, with `stdin`.
pub fn run_with(args: &[&str], stdin: Option<&[u8]>) -> Run {
    run_in_with(Path::new(ROOT), args, stdin)
}

/// `callcheck ARGS` in the repository's root.
pub fn run(args: &[&str]) -> Run {
    run_with(args, None)
}
