//! Output safety: `--output` is replaced atomically, a closed pipe ends the run quietly with
//! success, and Ctrl-C stops a long run promptly without writing a half-finished report.

use std::fs;
use std::io::{BufRead as _, BufReader};
use std::os::unix::fs::PermissionsExt as _;
use std::os::unix::process::{CommandExt as _, ExitStatusExt as _};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_callcheck");

/// A call with findings (a command, no closing), so every file produces report lines.
const CALL: &str = "[00:00:01] 客服：您好，这里是顺达快递。\n\
                    [00:00:05] 客户：我的快递还没到。\n\
                    [00:00:09] 客服：你必须先提供单号。\n";

fn callcheck(dir: &Path, args: &[&str]) -> Command {
    let mut command = Command::new(BIN);
    command.current_dir(dir).args(args).arg("--no-config");
    command
}

/// Runs callcheck in `dir` and checks that it ended with findings (exit 1), not an error.
fn runs_with_findings(dir: &Path, args: &[&str]) {
    let output = callcheck(dir, args).output().unwrap();
    assert_eq!(
        output.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// A folder of `n` calls.
fn calls(n: usize) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("calls")).unwrap();
    for i in 0..n {
        fs::write(dir.path().join(format!("calls/{i:05}.txt")), CALL).unwrap();
    }
    dir
}

fn leftovers(dir: &Path) -> Vec<String> {
    fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with(".callcheck-"))
        .collect()
}

/// A path that is not a regular file is written, never replaced: `-o /dev/null` once put a
/// regular file in place of the machine's /dev/null. A FIFO stands in for the device here.
#[test]
fn outputs_that_are_pipes_or_links_are_written_not_replaced() {
    use std::os::unix::fs::FileTypeExt as _;
    let dir = calls(2);
    let fifo = dir.path().join("report.fifo");
    let made = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success());
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || fs::read_to_string(fifo).unwrap())
    };
    let mut child = callcheck(
        dir.path(),
        &["check", "calls", "--format", "json", "-o", "report.fifo"],
    )
    .stdout(Stdio::null())
    .spawn()
    .unwrap();
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > Duration::from_secs(30) {
            child.kill().unwrap();
            panic!("writing to a FIFO that is being read did not finish");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    assert_eq!(status.code(), Some(1));
    // Checked before waiting for the reader, which would wait forever on a replaced FIFO.
    let replaced = !fs::symlink_metadata(&fifo).unwrap().file_type().is_fifo();
    assert!(!replaced, "the FIFO was replaced by a regular file");
    let read: serde_json::Value = serde_json::from_str(&reader.join().unwrap()).unwrap();
    assert_eq!(read["summary"]["files"], 2);
    assert!(leftovers(dir.path()).is_empty(), "{:?}", leftovers(dir.path()));

    // A link to a report: the link stays, the report it points to is replaced.
    fs::create_dir(dir.path().join("reports")).unwrap();
    fs::write(dir.path().join("reports/latest.json"), "old report").unwrap();
    std::os::unix::fs::symlink("reports/latest.json", dir.path().join("link.json")).unwrap();
    runs_with_findings(
        dir.path(),
        &["check", "calls", "--format", "json", "-o", "link.json"],
    );
    assert!(
        fs::symlink_metadata(dir.path().join("link.json"))
            .unwrap()
            .file_type()
            .is_symlink()
    );
    let written: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(dir.path().join("reports/latest.json")).unwrap()).unwrap();
    assert_eq!(written["summary"]["files"], 2);
}

#[test]
fn output_files_are_replaced_atomically() {
    let dir = calls(3);
    let report = dir.path().join("report.json");
    fs::write(&report, "old report").unwrap();
    // A second name for the old file: a rename leaves it alone, an in-place rewrite would not.
    let old_link = dir.path().join("old-link.json");
    fs::hard_link(&report, &old_link).unwrap();
    runs_with_findings(
        dir.path(),
        &["check", "calls", "--format", "json", "--output", "report.json"],
    );
    let written: serde_json::Value = serde_json::from_str(&fs::read_to_string(&report).unwrap()).unwrap();
    assert_eq!(written["summary"]["files"], 3);
    assert_eq!(
        fs::read_to_string(&old_link).unwrap(),
        "old report",
        "the file was rewritten in place"
    );
    assert!(leftovers(dir.path()).is_empty(), "{:?}", leftovers(dir.path()));

    // A report that cannot be written (a folder callcheck may not write in): an error, exit 2,
    // and the old report and the folder untouched.
    let locked = dir.path().join("locked");
    fs::create_dir(&locked).unwrap();
    fs::write(locked.join("report.json"), "old report").unwrap();
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o555)).unwrap();
    let output = run_unprivileged(dir.path(), &["check", "calls", "--output", "locked/report.json"]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.starts_with("error: cannot write locked/report.json: Permission denied"),
        "{stderr}"
    );
    assert_eq!(
        fs::read_to_string(locked.join("report.json")).unwrap(),
        "old report"
    );
    assert_eq!(
        fs::read_dir(&locked).unwrap().count(),
        1,
        "a temporary file was left"
    );
}

/// Runs callcheck so that permissions apply (see [`unprivileged`]).
fn run_unprivileged(dir: &Path, args: &[&str]) -> std::process::Output {
    let mut command = unprivileged(dir, args);
    // The copy of the binary was just written: a process another test thread forks meanwhile
    // holds it open for writing until that process execs, and running it then fails with
    // "Text file busy". That passes within moments.
    for _ in 0..100 {
        match command.output() {
            Err(e) if e.kind() == std::io::ErrorKind::ExecutableFileBusy => {
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
            result => return result.unwrap(),
        }
    }
    command.output().unwrap()
}

/// callcheck run so that permissions apply: as `nobody` when the tests run as root (root writes
/// anywhere; CI runs as root), from a copy of the binary nobody can reach.
fn unprivileged(dir: &Path, args: &[&str]) -> Command {
    // SAFETY: geteuid has no preconditions.
    if unsafe { libc::geteuid() } != 0 {
        return callcheck(dir, args);
    }
    let copy = dir.join("callcheck-copy");
    if !copy.exists() {
        fs::copy(BIN, &copy).unwrap();
    }
    let mut readable = vec![dir.to_path_buf(), copy.clone()];
    for entry in walk(dir) {
        readable.push(entry);
    }
    for path in readable {
        let mode = fs::metadata(&path).unwrap().permissions().mode();
        fs::set_permissions(&path, fs::Permissions::from_mode(mode | 0o555)).unwrap();
    }
    let mut command = Command::new(copy);
    command
        .current_dir(dir)
        .args(args)
        .arg("--no-config")
        .uid(65534)
        .gid(65534);
    command
}

/// Every file and folder below `dir`.
fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(walk(&path));
        }
        out.push(path);
    }
    out
}

#[test]
fn a_closed_pipe_ends_the_run_quietly_with_success() {
    // Enough output to fill callcheck's output buffer and the pipe many times over, so
    // callcheck is still writing when the reader goes away (`callcheck check … | head -1`).
    let dir = calls(12 * callcheck::report::OUTPUT_BUFFER / 1024);
    for format in ["pretty", "compact", "json", "jsonl"] {
        let mut child = callcheck(dir.path(), &["check", "calls", "--format", format])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let mut first = String::new();
        stdout.read_line(&mut first).unwrap();
        assert!(!first.is_empty(), "{format}: no output");
        drop(stdout);
        let output = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(0), "{format}: {stderr}");
        assert!(stderr.is_empty(), "{format}: {stderr}");
    }
}

#[test]
fn ctrl_c_stops_a_long_run_promptly_and_writes_no_report() {
    // 750,000 turns in 2,500 calls: the debug build takes seconds to check them on a fast
    // machine (2.4–2.7 s here on 2 cores), ten times the wait before Ctrl-C. Long calls rather
    // than many files, because writing the files is what this test spends its time on.
    let long_call: String = (0..100)
        .map(|minute| {
            let (h, m) = (minute / 60, minute % 60);
            format!(
                "[{h:02}:{m:02}:01] 客服：您好，这里是顺达快递。\n\
                 [{h:02}:{m:02}:05] 客户：我的快递还没到。\n\
                 [{h:02}:{m:02}:09] 客服：你必须先提供单号。\n"
            )
        })
        .collect();
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("calls")).unwrap();
    for i in 0..2_500 {
        fs::write(dir.path().join(format!("calls/{i:05}.txt")), &long_call).unwrap();
    }
    let report = dir.path().join("report.json");
    fs::write(&report, "old report").unwrap();
    let mut child = callcheck(
        dir.path(),
        &["check", "calls", "--format", "json", "--output", "report.json"],
    )
    .stdout(Stdio::piped())
    .stderr(Stdio::piped())
    .spawn()
    .unwrap();
    // The handler is installed right after the command line is parsed: well within this wait.
    std::thread::sleep(Duration::from_millis(250));
    assert!(child.try_wait().unwrap().is_none(), "the run ended before Ctrl-C");
    let pid = libc::pid_t::try_from(child.id()).unwrap();
    // SAFETY: kill has no memory-safety preconditions; the pid is our own running child.
    assert_eq!(unsafe { libc::kill(pid, libc::SIGINT) }, 0);
    let interrupted = Instant::now();
    let output = child.wait_with_output().unwrap();
    let stopped_in = interrupted.elapsed();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stopped_in < Duration::from_secs(3), "took {stopped_in:?} to stop");
    // Ended the way SIGINT ends a program, so shells and CI see an interrupted run (130).
    assert_eq!(
        output.status.signal(),
        Some(libc::SIGINT),
        "{:?} {stderr}",
        output.status
    );
    assert_eq!(
        stderr.trim_end(),
        "callcheck: interrupted (Ctrl-C): stopped before checking every file; no report file or \
         baseline was written"
    );
    assert_eq!(fs::read_to_string(&report).unwrap(), "old report");
    assert!(leftovers(dir.path()).is_empty(), "{:?}", leftovers(dir.path()));
    assert!(
        output.stdout.is_empty(),
        "{}",
        String::from_utf8_lossy(&output.stdout)
    );
}

/// SARIF results past 4 MiB wait in a temporary file: when none can be made, the run fails
/// with a hint and writes no report, and with a temporary directory it succeeds.
#[test]
fn sarif_results_beyond_memory_need_a_writable_temporary_directory() {
    // 150 calls of 40 commands each: 6,000 results, about 6 MB of SARIF.
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("calls")).unwrap();
    let commands: String = (2..42)
        .map(|s| format!("[00:00:{s:02}] 客服：你必须先提供单号。\n"))
        .collect();
    for i in 0..150 {
        let call = format!("[00:00:01] 客服：您好，这里是顺达快递。\n{commands}");
        fs::write(dir.path().join(format!("calls/{i:03}.txt")), call).unwrap();
    }
    let report = dir.path().join("report.sarif");
    let args = [
        "check",
        "calls",
        "--format",
        "sarif",
        "-o",
        "report.sarif",
        "--quiet",
    ];
    let output = callcheck(dir.path(), &args)
        .env("TMPDIR", dir.path().join("missing"))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("set TMPDIR to a writable directory"), "{stderr}");
    assert!(!report.exists());
    let temporary = tempfile::tempdir().unwrap();
    let output = callcheck(dir.path(), &args)
        .env("TMPDIR", temporary.path())
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let log: serde_json::Value = serde_json::from_slice(&fs::read(&report).unwrap()).unwrap();
    let results = log["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), 150 * 40);
    assert!(fs::metadata(&report).unwrap().len() > 4 << 20);
}
