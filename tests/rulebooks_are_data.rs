//! Rulebooks are data: a rulebook or a project configuration cannot make callcheck read files
//! outside its folder tree (and quote them in an error), nor wait forever on a FIFO.
//!
//! `extends` paths, and `rulebooks` paths in `callcheck.toml`, must stay inside the folder of the
//! file the user pointed callcheck at — `callcheck.toml`'s folder, or the folder of a rulebook
//! given with `-r` — after `..` and symbolic links are resolved, unless the file is itself given
//! with `-r`. `builtin:` names are always fine.

#![cfg(unix)]

use std::fs;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_callcheck");

/// What a file outside the project holds; it must never appear in any output.
const SECRET: &str = "TOP-SECRET-VALUE-4417";

struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

/// Runs callcheck in `dir`; a run still going after 60 s (a hang) is killed and fails the test.
fn run(dir: &Path, args: &[&str]) -> Run {
    let mut child = Command::new(BIN)
        .current_dir(dir)
        .args(args)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let start = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed() > Duration::from_secs(60) {
            child.kill().unwrap();
            panic!("callcheck {args:?} hung");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let output = child.wait_with_output().unwrap();
    let run = Run {
        code: output.status.code(),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    };
    assert!(
        !run.stdout.contains(SECRET) && !run.stderr.contains(SECRET),
        "a file outside the project was quoted:\n{}{}",
        run.stdout,
        run.stderr
    );
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    run
}

fn rulebook(id: &str, extends: &[&str]) -> String {
    let extends: Vec<String> = extends.iter().map(|e| format!("{e:?}")).collect();
    format!(
        "[rulebook]\nid = \"{id}\"\nextends = [{}]\n\n[[forbidden]]\nid = \"{id}-word\"\nphrases = [\"{id}word\"]\n",
        extends.join(", ")
    )
}

/// A project folder `proj` (with `rules/`) beside a folder `outside` holding a rulebook, a
/// secret that is not TOML, and a symbolic link to each from inside the project.
fn layout() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    fs::create_dir_all(d.join("proj/rules/sub")).unwrap();
    fs::create_dir_all(d.join("outside")).unwrap();
    fs::write(d.join("outside/common.toml"), rulebook("common", &[])).unwrap();
    fs::write(d.join("outside/secret.toml"), format!("{SECRET} = [\n{SECRET}\n")).unwrap();
    fs::write(d.join("proj/rules/sub/base.toml"), rulebook("base", &[])).unwrap();
    fs::write(d.join("proj/shared.toml"), rulebook("shared", &[])).unwrap();
    std::os::unix::fs::symlink(d.join("outside"), d.join("proj/rules/linked-dir")).unwrap();
    std::os::unix::fs::symlink(d.join("outside/secret.toml"), d.join("proj/rules/linked.toml")).unwrap();
    dir
}

fn assert_outside(r: &Run, location: &str, entry: &str) {
    assert_eq!(r.code, Some(2), "{}{}", r.stdout, r.stderr);
    assert!(
        r.stderr.contains(&format!("{location}: `{entry}` is outside")),
        "expected {location}: `{entry}` is outside …, got:\n{}",
        r.stderr
    );
    assert!(
        r.stderr
            .contains("give it with -r on the command line if you mean it"),
        "{}",
        r.stderr
    );
}

#[test]
fn configuration_rulebook_paths_stay_in_the_project() {
    let dir = layout();
    let proj = dir.path().join("proj");
    for (entry, column) in [
        ("../outside/common.toml", 14),
        ("rules/linked-dir/common.toml", 14),
        ("rules/linked.toml", 14),
        ("rules/../../outside/common.toml", 14),
    ] {
        fs::write(proj.join("callcheck.toml"), format!("rulebooks = [{entry:?}]\n")).unwrap();
        let r = run(&proj, &["rules", "list"]);
        assert_outside(&r, &format!("callcheck.toml:1:{column}: rulebooks"), entry);
        assert!(r.stderr.contains("outside the project folder"), "{}", r.stderr);
    }
    // Inside the project, through `..` or a link that stays inside, is fine.
    std::os::unix::fs::symlink(proj.join("rules/sub"), proj.join("rules/inner-link")).unwrap();
    fs::write(
        proj.join("callcheck.toml"),
        "rulebooks = [\"rules/../shared.toml\", \"rules/inner-link/base.toml\"]\nbuiltin = [\"zh-telephone\"]\n",
    )
    .unwrap();
    let r = run(&proj, &["rules", "list"]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert!(r.stdout.contains("shared/shared-word") && r.stdout.contains("base/base-word"));
}

#[test]
fn extends_from_a_configuration_stays_in_the_project() {
    let dir = layout();
    let proj = dir.path().join("proj");
    fs::write(proj.join("callcheck.toml"), "rulebooks = [\"rules/team.toml\"]\n").unwrap();
    for entry in [
        "../../outside/common.toml",
        "linked-dir/common.toml",
        "linked.toml",
        "/etc/passwd",
        "/dev/zero",
    ] {
        fs::write(proj.join("rules/team.toml"), rulebook("team", &[entry])).unwrap();
        let r = run(&proj, &["rules", "list"]);
        assert_outside(&r, "rules/team.toml:3:12: [rulebook] › extends", entry);
        // With the configuration's rulebook given with -r, the files are still outside its
        // folder.
        let r = run(&proj, &["rules", "list", "-r", "rules/team.toml"]);
        assert_outside(&r, "rules/team.toml:3:12: [rulebook] › extends", entry);
    }
    // A parent in the project may extend another file in the project, and built-ins.
    fs::write(
        proj.join("rules/team.toml"),
        rulebook("team", &["../shared.toml", "builtin:zh-telephone"]),
    )
    .unwrap();
    fs::write(
        proj.join("shared.toml"),
        rulebook("shared", &["rules/sub/base.toml"]),
    )
    .unwrap();
    let r = run(&proj, &["rules", "list"]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert!(r.stdout.contains("team/base-word") && r.stdout.contains("team/shared-word"));
    // ... but not leave it through a parent.
    fs::write(
        proj.join("shared.toml"),
        rulebook("shared", &["rules/linked.toml"]),
    )
    .unwrap();
    let r = run(&proj, &["rules", "list"]);
    assert_outside(&r, "shared.toml:3:12: [rulebook] › extends", "rules/linked.toml");
}

#[test]
fn extends_from_a_command_line_rulebook_stays_in_its_folder_unless_given_with_r() {
    let dir = layout();
    let proj = dir.path().join("proj");
    let args = |extra: &[&'static str]| {
        let mut args = vec!["--no-config", "rules", "list", "-r", "rules/team.toml"];
        args.extend_from_slice(extra);
        args
    };
    // A rulebook in the current folder's tree may extend anything in that tree...
    fs::write(
        proj.join("rules/team.toml"),
        rulebook("team", &["../shared.toml"]),
    )
    .unwrap();
    let r = run(&proj, &args(&[]));
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert!(r.stdout.contains("team/shared-word") && !r.stdout.contains("shared/shared-word"));
    // ... but nothing outside it.
    fs::write(
        proj.join("rules/team.toml"),
        rulebook("team", &["../../outside/common.toml"]),
    )
    .unwrap();
    let r = run(&proj, &args(&[]));
    assert_outside(
        &r,
        "rules/team.toml:3:12: [rulebook] › extends",
        "../../outside/common.toml",
    );
    assert!(
        r.stderr
            .contains("the folder a rulebook given with -r may extend from"),
        "{}",
        r.stderr
    );
    // Given with -r too, it may be extended (and is checked as a rulebook of its own as well).
    let r = run(&proj, &args(&["-r", "../outside/common.toml"]));
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert!(r.stdout.contains("team/common-word") && r.stdout.contains("common/common-word"));
    // Run from inside rules/, the current folder is rules/: its parent is out of bounds.
    fs::write(
        proj.join("rules/team.toml"),
        rulebook("team", &["../shared.toml"]),
    )
    .unwrap();
    let r = run(
        &proj.join("rules"),
        &["--no-config", "rules", "list", "-r", "team.toml"],
    );
    assert_outside(&r, "team.toml:3:12: [rulebook] › extends", "../shared.toml");
    // A rulebook outside the current folder keeps to its own folder.
    let r = run(
        &proj.join("rules/sub"),
        &["--no-config", "rules", "list", "-r", "../team.toml"],
    );
    assert_outside(&r, "../team.toml:3:12: [rulebook] › extends", "../shared.toml");

    // Symbolic links out of the folder are followed before judging.
    fs::write(proj.join("rules/team.toml"), rulebook("team", &["linked.toml"])).unwrap();
    let r = run(&proj, &args(&[]));
    assert_outside(&r, "rules/team.toml:3:12: [rulebook] › extends", "linked.toml");
    fs::write(
        proj.join("rules/team.toml"),
        rulebook("team", &["linked-dir/common.toml"]),
    )
    .unwrap();
    let r = run(&proj, &args(&[]));
    assert_outside(
        &r,
        "rules/team.toml:3:12: [rulebook] › extends",
        "linked-dir/common.toml",
    );
    let r = run(&proj, &args(&["-r", "../outside/common.toml"]));
    assert_eq!(r.code, Some(0), "{}", r.stderr);

    // Below its folder, by a relative or an absolute path, is fine; so are built-ins.
    let absolute = proj.join("rules/sub/base.toml");
    fs::write(
        proj.join("rules/team.toml"),
        rulebook("team", &["sub/base.toml", "builtin:en-telephone"]),
    )
    .unwrap();
    let r = run(&proj, &args(&[]));
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    fs::write(
        proj.join("rules/team.toml"),
        rulebook("team", &[absolute.to_str().unwrap()]),
    )
    .unwrap();
    let r = run(&proj, &args(&[]));
    assert_eq!(r.code, Some(0), "{}", r.stderr);

    // A folder given with -r is the tree its rulebooks may extend from.
    fs::write(proj.join("rules/team.toml"), rulebook("team", &["sub/base.toml"])).unwrap();
    fs::remove_file(proj.join("rules/linked.toml")).unwrap();
    let r = run(&proj, &["--no-config", "rules", "list", "-r", "rules"]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    fs::write(
        proj.join("rules/team.toml"),
        rulebook("team", &["../../outside/common.toml"]),
    )
    .unwrap();
    let r = run(&proj, &["--no-config", "rules", "list", "-r", "rules"]);
    assert_outside(
        &r,
        "rules/team.toml:3:12: [rulebook] › extends",
        "../../outside/common.toml",
    );
}

#[test]
fn a_fifo_or_a_device_is_never_read_as_a_rulebook() {
    let dir = layout();
    let proj = dir.path().join("proj");
    let fifo = proj.join("rules/fifo.toml");
    let c_path = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
    assert_eq!(unsafe { libc::mkfifo(c_path.as_ptr(), 0o644) }, 0);
    let r = run(&proj, &["--no-config", "rules", "list", "-r", "rules/fifo.toml"]);
    assert_eq!(r.code, Some(2));
    assert!(
        r.stderr
            .contains("rules/fifo.toml: cannot read the rulebook: it is not a regular file"),
        "{}",
        r.stderr
    );
    fs::write(proj.join("rules/team.toml"), rulebook("team", &["fifo.toml"])).unwrap();
    let r = run(&proj, &["--no-config", "rules", "list", "-r", "rules/team.toml"]);
    assert_eq!(r.code, Some(2));
    assert!(r.stderr.contains("it is not a regular file"), "{}", r.stderr);
    // A configuration file that is a FIFO: passed over when looking for one, refused unread
    // when named.
    fs::rename(&fifo, proj.join("callcheck.toml")).unwrap();
    let r = run(&proj, &["rules", "list"]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let r = run(&proj, &["--config", "callcheck.toml", "rules", "list"]);
    assert_eq!(r.code, Some(2));
    assert!(
        r.stderr
            .contains("cannot read the configuration: it is not a regular file"),
        "{}",
        r.stderr
    );
    // Devices are outside any project; given explicitly they are refused unread.
    let r = run(&proj, &["--no-config", "rules", "list", "-r", "/dev/zero"]);
    assert_eq!(r.code, Some(2));
    assert!(r.stderr.contains("it is not a regular file"), "{}", r.stderr);
}
