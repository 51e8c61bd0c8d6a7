//! Hostile and broken inputs: every one fails alone with a one-line error that names the file
//! and the problem (and the line, where there is one); the other files are still checked; the
//! run exits 2; nothing panics; memory stays bounded.
//!
//! Fixtures are generated in temporary folders by each test, never committed. The big cases (a
//! 100 MB line, a million turns) run here too, and their peak memory is measured with `wait4`.

use std::fs;
use std::io::Write as _;
use std::os::unix::fs::PermissionsExt as _;
use std::os::unix::process::CommandExt as _;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_callcheck");

/// A call with one finding (the agent says "你必须"), so "still checked" is visible.
const GOOD: &str = "# ended_by: customer\n\
                    [00:00:01] 客服：您好，这里是顺达快递，请问有什么可以帮您？\n\
                    [00:00:05] 客户：我的快递还没到。\n\
                    [00:00:09] 客服：你必须先提供单号。\n\
                    [00:00:15] 客服：感谢您的来电，还有什么可以帮您？\n";

struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
    /// Peak resident memory of the callcheck process, in KiB.
    peak_kib: u64,
    elapsed: Duration,
}

impl Run {
    fn json(&self) -> Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| panic!("invalid JSON ({e}):\n{}", self.stdout))
    }

    /// The `error` of one file of the JSON report.
    fn error_of(&self, path: &str) -> String {
        let json = self.json();
        let file = json["files"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["path"].as_str().is_some_and(|p| p.ends_with(path)))
            .unwrap_or_else(|| panic!("{path} is not in the report:\n{}", self.stdout));
        assert_eq!(file["status"], "error", "{path}: {file}");
        file["error"].as_str().unwrap().to_string()
    }

    fn assert_no_panic(&self) {
        assert!(
            !self.stderr.contains("panicked") && self.code != Some(101),
            "callcheck panicked:\n{}",
            self.stderr
        );
    }
}

/// Runs callcheck to completion and measures its peak memory (`wait4`'s `ru_maxrss`).
#[allow(
    clippy::zombie_processes,
    reason = "the child is reaped by wait4 in wait_with_rusage"
)]
fn run_measured(mut command: Command) -> Run {
    let started = Instant::now();
    let out_file = tempfile::tempfile().unwrap();
    let err_file = tempfile::tempfile().unwrap();
    let child = command
        .stdin(Stdio::null())
        .stdout(out_file.try_clone().unwrap())
        .stderr(err_file.try_clone().unwrap())
        .spawn()
        .unwrap();
    let (code, peak_kib) = wait_with_rusage(child.id());
    let read = |mut f: fs::File| {
        use std::io::{Read, Seek};
        f.rewind().unwrap();
        let mut s = String::new();
        f.read_to_string(&mut s).unwrap();
        s
    };
    Run {
        code,
        stdout: read(out_file),
        stderr: read(err_file),
        peak_kib,
        elapsed: started.elapsed(),
    }
}

/// Waits for one child process and returns its exit code and peak resident set size (KiB).
fn wait_with_rusage(pid: u32) -> (Option<i32>, u64) {
    let mut status = 0;
    // SAFETY: an all-zero `rusage` is a valid value of this plain C struct.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: `pid` is our own child, not yet waited for; the pointers outlive the call.
    let reaped = unsafe { libc::wait4(pid as libc::pid_t, &mut status, 0, &mut usage) };
    assert_eq!(reaped, pid as libc::pid_t, "wait4 failed");
    let code = libc::WIFEXITED(status).then(|| libc::WEXITSTATUS(status));
    (code, u64::try_from(usage.ru_maxrss).unwrap_or(0))
}

fn callcheck(dir: &Path, args: &[&str]) -> Command {
    let mut command = Command::new(BIN);
    command.current_dir(dir).args(args).arg("--no-config");
    command
}

fn run(dir: &Path, args: &[&str]) -> Run {
    run_measured(callcheck(dir, args))
}

/// The small hostile files: name, content, and what the error must say.
fn small_cases() -> Vec<(&'static str, Vec<u8>, &'static str)> {
    let gbk_line: &[u8] = &[
        0xc4, 0xe3, 0xba, 0xc3, 0xa3, 0xac, 0xd5, 0xe2, 0xc0, 0xef, 0xca, 0xc7, b'\n',
    ];
    let mut mixed = "客服：您好，这里是顺达快递。\n".as_bytes().to_vec();
    mixed.extend_from_slice(b"\xbf\xcd\xbb\xa7\xa3\xba");
    mixed.extend_from_slice(gbk_line);
    let mut binary: Vec<u8> = (0..4096u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8 | 1)
        .collect();
    binary[100] = 0;
    vec![
        (
            "empty.txt",
            Vec::new(),
            "empty file: there is nothing in it to check",
        ),
        ("empty.json", b"  \n".to_vec(), "empty file"),
        (
            "only-header.txt",
            b"# call_id: 42\n# agent: Wang\n".to_vec(),
            "no turns:",
        ),
        ("only-header.csv", b"call_id,speaker,text\n".to_vec(), "no calls:"),
        ("only-header.vtt", b"WEBVTT\n\n".to_vec(), "no turns:"),
        ("recording.txt", binary, "a NUL byte (byte 100): binary file"),
        (
            "latin1.txt",
            b"Agent: hello\nAgent: caf\xe9\n".to_vec(),
            "line 2: not valid UTF-8 at column 11",
        ),
        (
            "mixed-encodings.txt",
            mixed,
            "line 2: not valid UTF-8 at column 1 (byte 43), but line 1 is UTF-8: the file mixes encodings",
        ),
        (
            "nul.txt",
            b"Agent: hello\nCustomer: hi\0there\n".to_vec(),
            "line 2: a NUL byte (byte 25)",
        ),
        (
            "deep.json",
            format!("{}{}", "[".repeat(100_000), "]".repeat(100_000)).into_bytes(),
            "cannot tell which .json format this is: it has no top-level keys",
        ),
        (
            "deep-object.json",
            "{\"turns\":".repeat(50_000).into_bytes(),
            "JSON nested deeper than 128 levels",
        ),
        (
            "truncated.json",
            b"{\"turns\": [{\"speaker\": \"agent\", \"text\": \"hi\"".to_vec(),
            "unexpected end of the file: an object that starts on line 1 is not closed (is the file truncated?)",
        ),
        (
            "truncated.vtt",
            b"WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nAgent: hi\n\n00:00:03.000 --> 00:0".to_vec(),
            "line 6: invalid cue timing",
        ),
        (
            "backwards.txt",
            b"[00:00:10] Agent: hello\n[00:00:05] Customer: hi\n".to_vec(),
            "line 2: the time goes backwards: [00:00:05] is before [00:00:10] on line 1",
        ),
        (
            "backwards.srt",
            b"1\n00:00:05,000 --> 00:00:01,000\nAgent: hi\n".to_vec(),
            "line 2: invalid cue timing `00:00:05,000 --> 00:00:01,000`: the end is before the start",
        ),
        (
            "negative.txt",
            b"[-00:00:05] Agent: hello\n".to_vec(),
            "line 1: invalid timestamp `[-00:00:05]`: times are offsets from the start of the call and cannot be negative",
        ),
        (
            "negative.json",
            b"{\"turns\": [{\"speaker\": \"agent\", \"text\": \"hi\", \"start\": -5}]}".to_vec(),
            "`turns[0].start`: expected a non-negative number of seconds, found -5",
        ),
        (
            "overflow.txt",
            b"Agent: hi\n[99999999999:00:00] Agent: hello\n".to_vec(),
            "line 2: invalid timestamp: `99999999999:00:00` is not a valid time: `99999999999` is out of range",
        ),
        (
            "overflow.json",
            b"{\"turns\": [{\"speaker\": \"agent\", \"text\": \"hi\", \"start\": 1e300}]}".to_vec(),
            "`turns[0].start`: 1e300 seconds is out of range",
        ),
        (
            "overflow.vtt",
            b"WEBVTT\n\n99999999:00:00.000 --> 99999999:00:01.000\nAgent: hi\n".to_vec(),
            "line 3: invalid cue timing: `99999999:00:00.000` is not a valid time: `99999999` is out of range",
        ),
        (
            "many-labels.txt",
            (0..100_000)
                .map(|i| format!("L{i}: hi\n"))
                .collect::<String>()
                .into_bytes(),
            "LABELS-OK",
        ),
    ]
}

#[test]
fn every_small_hostile_file_fails_alone_and_the_rest_is_checked() {
    let dir = tempfile::tempdir().unwrap();
    let calls = dir.path().join("calls");
    fs::create_dir(&calls).unwrap();
    fs::write(calls.join("a-good.txt"), GOOD).unwrap();
    let cases = small_cases();
    for (name, content, _) in &cases {
        fs::write(calls.join(name), content).unwrap();
    }
    fs::write(calls.join("z-good.txt"), GOOD).unwrap();

    let r = run(dir.path(), &["check", "calls", "--format", "json"]);
    r.assert_no_panic();
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    let json = r.json();
    for good in ["calls/a-good.txt", "calls/z-good.txt"] {
        let file = json["files"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["path"] == good)
            .unwrap();
        assert_eq!(file["status"], "ok", "{file}");
        assert_eq!(file["findings"][0]["rule"], "zh-telephone/you-must", "{file}");
    }
    for (name, _, expected) in &cases {
        if *expected == "LABELS-OK" {
            // 100,000 distinct labels: parsed in linear time, and since none of them is the
            // agent, not checked — with a message that names a few, not all.
            let file = json["files"]
                .as_array()
                .unwrap()
                .iter()
                .find(|f| f["path"] == format!("calls/{name}"))
                .unwrap();
            assert_eq!(file["status"], "not_checked");
            let reason = file["reason"].as_str().unwrap();
            assert!(reason.contains("`L3` (1 turn) and 99996 more"), "{reason}");
            assert!(reason.len() < 600, "{reason}");
            continue;
        }
        let error = r.error_of(name);
        assert!(
            error.contains(expected),
            "{name}: expected {expected:?} in\n  {error}"
        );
    }
    assert!(r.elapsed < Duration::from_secs(60), "took {:?}", r.elapsed);

    // The pretty report: each failure is one line naming the file and the problem.
    let r = run(dir.path(), &["check", "calls"]);
    r.assert_no_panic();
    assert_eq!(r.code, Some(2));
    for (name, _, expected) in &cases {
        if *expected == "LABELS-OK" {
            continue;
        }
        let prefix = format!("calls/{name}: error: ");
        let line = r
            .stderr
            .lines()
            .find(|l| l.starts_with(&prefix))
            .unwrap_or_else(|| panic!("no error line for {name}:\n{}", r.stderr));
        assert!(line.contains(expected), "{line}");
        assert!(
            line.chars().count() < 1_100,
            "{name}: the error line is {} characters",
            line.len()
        );
    }
    assert!(
        r.stdout
            .contains(&format!("{} files could not be read", cases.len() - 1)),
        "{}",
        r.stdout
    );
}

#[test]
fn a_directory_symlink_loop_is_reported_and_not_followed() {
    let dir = tempfile::tempdir().unwrap();
    let calls = dir.path().join("calls");
    fs::create_dir_all(calls.join("sub")).unwrap();
    fs::write(calls.join("sub/good.txt"), GOOD).unwrap();
    std::os::unix::fs::symlink("..", calls.join("sub/loop")).unwrap();
    // A link to a transcript elsewhere is followed: nothing is silently lost.
    let elsewhere = dir.path().join("elsewhere");
    fs::create_dir(&elsewhere).unwrap();
    fs::write(elsewhere.join("linked.txt"), GOOD).unwrap();
    std::os::unix::fs::symlink(&elsewhere, calls.join("linked")).unwrap();
    // A link whose target is gone, named like a transcript; and one that is not.
    std::os::unix::fs::symlink("nowhere.txt", calls.join("dangling.txt")).unwrap();
    std::os::unix::fs::symlink("nowhere", calls.join("dangling-other")).unwrap();

    let r = run(dir.path(), &["check", "calls", "--format", "json"]);
    r.assert_no_panic();
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    assert!(r.elapsed < Duration::from_secs(30));
    let error = r.error_of("calls/sub/loop");
    assert_eq!(
        error,
        "symbolic link loop: it leads back to calls, a folder above it; not followed"
    );
    assert_eq!(
        r.error_of("calls/dangling.txt"),
        "broken symbolic link: its target nowhere.txt does not exist"
    );
    let paths: Vec<String> = r.json()["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        paths,
        [
            "calls/dangling.txt",
            "calls/linked/linked.txt",
            "calls/sub/good.txt",
            "calls/sub/loop"
        ],
        "the good file and the linked one are checked once; the other dangling link is no transcript"
    );
}

#[test]
fn a_fifo_in_a_folder_is_reported_never_opened() {
    let dir = tempfile::tempdir().unwrap();
    let calls = dir.path().join("calls");
    fs::create_dir(&calls).unwrap();
    fs::write(calls.join("good.txt"), GOOD).unwrap();
    mkfifo(&calls.join("pipe.txt"));
    // Nobody ever writes to the pipe: opening it would wait forever.
    let r = run(dir.path(), &["check", "calls", "--format", "json"]);
    r.assert_no_panic();
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    assert!(r.elapsed < Duration::from_secs(30));
    assert_eq!(
        r.error_of("calls/pipe.txt"),
        "not a regular file (a named pipe): files in folders are only read when they are regular \
         files; name it on the command line to read it"
    );
    assert!(
        r.stdout.contains("\"path\":\"calls/good.txt\",\"status\":\"ok\""),
        "{}",
        r.stdout
    );
}

fn mkfifo(path: &Path) {
    let status = Command::new("mkfifo").arg(path).status().unwrap();
    assert!(status.success(), "mkfifo {}", path.display());
}

/// The user an unreadable-file test runs callcheck as: root reads any file, so as root the
/// test runs callcheck as `nobody`; otherwise as the current user.
const NOBODY: u32 = 65534;

#[test]
fn an_unreadable_file_is_reported_and_the_rest_is_checked() {
    let dir = tempfile::tempdir().unwrap();
    let calls = dir.path().join("calls");
    fs::create_dir(&calls).unwrap();
    fs::write(calls.join("good.txt"), GOOD).unwrap();
    fs::write(calls.join("secret.txt"), GOOD).unwrap();
    fs::set_permissions(calls.join("secret.txt"), fs::Permissions::from_mode(0o000)).unwrap();
    let mut command = callcheck(dir.path(), &["check", "calls", "--format", "json"]);
    // SAFETY: geteuid has no preconditions.
    if unsafe { libc::geteuid() } == 0 {
        // Root reads every file whatever its mode (CI runs as root): run a copy of the binary
        // as nobody, who can reach the folder, the copy and good.txt, but not secret.txt.
        for path in [dir.path(), &calls] {
            fs::set_permissions(path, fs::Permissions::from_mode(0o755)).unwrap();
        }
        fs::set_permissions(calls.join("good.txt"), fs::Permissions::from_mode(0o644)).unwrap();
        let copy = dir.path().join("callcheck");
        fs::copy(BIN, &copy).unwrap();
        fs::set_permissions(&copy, fs::Permissions::from_mode(0o755)).unwrap();
        command = Command::new(&copy);
        command
            .current_dir(dir.path())
            .args(["check", "calls", "--format", "json", "--no-config"])
            .uid(NOBODY)
            .gid(NOBODY);
    }
    let r = run_measured(command);
    r.assert_no_panic();
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    assert_eq!(
        r.error_of("calls/secret.txt"),
        "cannot read: Permission denied (os error 13)"
    );
    assert!(
        r.stdout.contains("\"path\":\"calls/good.txt\",\"status\":\"ok\""),
        "{}",
        r.stdout
    );
}

#[test]
fn a_file_deleted_during_the_run_is_reported_and_the_rest_is_checked() {
    let dir = tempfile::tempdir().unwrap();
    let calls = dir.path().join("calls");
    fs::create_dir(&calls).unwrap();
    fs::write(calls.join("a.txt"), GOOD).unwrap();
    fs::write(calls.join("victim.txt"), GOOD).unwrap();
    // Folders are listed lazily, but a folder's entries are listed all at once when the walk
    // enters it. A named pipe given first on the command line holds its worker; the other worker
    // enters the folder, checks the files before the victim and then waits, far ahead of the
    // reporter (which waits for the pipe), with the victim still to come. Fillers put the victim
    // well past how far workers may run ahead.
    for i in 0..400 {
        fs::write(calls.join(format!("b{i:03}.txt")), GOOD).unwrap();
    }
    let gate = dir.path().join("0-gate.txt");
    mkfifo(&gate);
    let child = callcheck(
        dir.path(),
        &["check", "0-gate.txt", "calls", "--format", "json", "--jobs", "2"],
    )
    .stdin(Stdio::null())
    .stdout(Stdio::piped())
    .stderr(Stdio::piped())
    .spawn()
    .unwrap();
    // Opening the pipe for writing waits until callcheck opens it for reading.
    let mut writer = fs::OpenOptions::new().write(true).open(&gate).unwrap();
    // Time for the other worker to enter the folder (it needs microseconds).
    std::thread::sleep(Duration::from_millis(500));
    fs::remove_file(calls.join("victim.txt")).unwrap();
    writer.write_all(GOOD.as_bytes()).unwrap();
    drop(writer);
    let output = child.wait_with_output().unwrap();
    let r = Run {
        code: output.status.code(),
        stdout: String::from_utf8(output.stdout).unwrap(),
        stderr: String::from_utf8(output.stderr).unwrap(),
        peak_kib: 0,
        elapsed: Duration::ZERO,
    };
    r.assert_no_panic();
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    assert_eq!(
        r.error_of("calls/victim.txt"),
        "cannot read: the file is gone (deleted or moved after callcheck listed it)"
    );
    for good in ["0-gate.txt", "calls/a.txt"] {
        assert!(
            r.stdout
                .contains(&format!("\"path\":\"{good}\",\"status\":\"ok\"")),
            "{good}:\n{}",
            r.stdout
        );
    }
}

/// Writes `head`, `count` times `chunk`, then `tail`. The test process never holds a big file:
/// a child forked while it did would inherit that resident size in its peak (`ru_maxrss`
/// survives exec on Linux), and the memory checks would measure the test, not callcheck.
fn write_in_chunks(path: &Path, head: &str, chunk: &str, count: usize, tail: &str) {
    let mut file = std::io::BufWriter::new(fs::File::create(path).unwrap());
    file.write_all(head.as_bytes()).unwrap();
    for _ in 0..count {
        file.write_all(chunk.as_bytes()).unwrap();
    }
    file.write_all(tail.as_bytes()).unwrap();
    file.flush().unwrap();
}

/// The big cases' memory bound: a few times the input, far below what reading it naively into
/// every stage would take.
const MAX_PEAK_KIB: u64 = 600 * 1024;

#[test]
fn a_100_mb_single_line_is_refused_with_bounded_memory() {
    let dir = tempfile::tempdir().unwrap();
    let calls = dir.path().join("calls");
    fs::create_dir(&calls).unwrap();
    fs::write(calls.join("a-good.txt"), GOOD).unwrap();
    write_in_chunks(
        &calls.join("dump.txt"),
        "客服：",
        "a".repeat(1 << 20).as_str(),
        100,
        "\n",
    );
    let r = run(dir.path(), &["check", "calls", "--format", "json"]);
    r.assert_no_panic();
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    assert_eq!(
        r.error_of("calls/dump.txt"),
        "line 1: a turn of 100.0 MB by 客服: longer than any real turn (callcheck takes up to 1.0 MB \
         per turn); is this a transcript?"
    );
    assert!(
        r.stdout
            .contains("\"path\":\"calls/a-good.txt\",\"status\":\"ok\"")
    );
    eprintln!("100 MB line: peak {} MiB in {:?}", r.peak_kib / 1024, r.elapsed);
    assert!(r.peak_kib < MAX_PEAK_KIB, "peak memory {} MiB", r.peak_kib / 1024);
}

#[test]
fn a_million_turns_are_refused_with_bounded_memory() {
    let dir = tempfile::tempdir().unwrap();
    let calls = dir.path().join("calls");
    fs::create_dir(&calls).unwrap();
    fs::write(calls.join("a-good.txt"), GOOD).unwrap();
    let turns = "Agent: hello there\nCustomer: yes\n".repeat(10_000);
    write_in_chunks(&calls.join("million.txt"), "", &turns, 50, "");
    let r = run(dir.path(), &["check", "calls", "--format", "json"]);
    r.assert_no_panic();
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    assert_eq!(
        r.error_of("calls/million.txt"),
        "line 100001: turn 100001 of one call: no call has more than 100000 turns; is this many calls \
         run together? (JSON Lines and CSV with a call_id column hold many calls)"
    );
    eprintln!("10^6 turns: peak {} MiB in {:?}", r.peak_kib / 1024, r.elapsed);
    assert!(r.peak_kib < MAX_PEAK_KIB, "peak memory {} MiB", r.peak_kib / 1024);
}

#[test]
fn a_file_over_the_size_limit_is_refused_unread() {
    let dir = tempfile::tempdir().unwrap();
    let calls = dir.path().join("calls");
    fs::create_dir(&calls).unwrap();
    fs::write(calls.join("a-good.txt"), GOOD).unwrap();
    // A sparse 2 GB file: no disk space used, and callcheck must not read it.
    let big = fs::File::create(calls.join("dump.txt")).unwrap();
    big.set_len(2 << 30).unwrap();
    let r = run(dir.path(), &["check", "calls", "--format", "json"]);
    r.assert_no_panic();
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    assert!(
        r.error_of("calls/dump.txt")
            .starts_with("the file is 2.0 GB, more than the 256.0 MB callcheck reads at once"),
        "{}",
        r.stdout
    );
    assert!(
        r.peak_kib < 100 * 1024,
        "peak memory {} MiB: the file was read",
        r.peak_kib / 1024
    );

    // The same from standard input, which has no size: read up to the limit, then refused.
    let mut command = callcheck(dir.path(), &["check", "-", "--format", "json"]);
    command.stdin(fs::File::open(calls.join("dump.txt")).unwrap());
    let output = command.output().unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stdout.contains("the input is larger than the 256.0 MB callcheck reads at once"),
        "{stdout}"
    );
}
