//! Guards on the repository itself that no other test would notice breaking: the no-panic lint,
//! rulebooks staying data (no module spawns processes or opens network connections), the
//! supply-chain and fuzzing steps of CI, what git ignores, and the README's links to the docs.

use std::fs;
use std::path::Path;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

fn read(path: &str) -> String {
    fs::read_to_string(Path::new(ROOT).join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn unwrap_and_expect_are_denied_outside_tests() {
    // `cargo clippy --all-targets -- -D warnings` in CI enforces these; unit tests (cfg(test))
    // and the integration tests in tests/ are separate builds and may unwrap.
    for file in ["src/lib.rs", "src/main.rs"] {
        let text = read(file);
        assert!(
            text.contains("#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]"),
            "{file} must deny clippy::unwrap_used and clippy::expect_used outside tests"
        );
    }
}

#[test]
fn no_module_spawns_processes_or_opens_connections() {
    // Rulebooks are data: nothing callcheck reads can make it run a command or reach the network,
    // because no code that could exists. (Reading files is confined: see tests/rulebooks_are_data.rs.)
    let mut files = Vec::new();
    rust_files(&Path::new(ROOT).join("src"), &mut files);
    assert!(files.len() > 20);
    for file in files {
        let text = fs::read_to_string(&file).unwrap();
        for forbidden in [
            "std::net",
            "TcpStream",
            "UdpSocket",
            "process::Command",
            "Command::new",
            "libc::exec",
            "libc::system",
        ] {
            assert!(
                !text.contains(forbidden),
                "{} uses {forbidden}: rulebooks and transcripts must not be able to run commands or reach the network",
                file.display()
            );
        }
    }
}

#[test]
fn ci_checks_licences_and_sources_and_fuzzes() {
    let ci = read(".ci/run");
    for line in [
        "cargo install --locked cargo-deny",
        "cargo install --locked cargo-fuzz",
        "check licenses bans sources",
        "scripts/fuzz.sh 60",
    ] {
        assert!(ci.contains(line), ".ci/run lacks `{line}`");
    }
    let fuzz_at = ci.find("scripts/fuzz.sh 60").unwrap();
    let acceptance_at = ci.find("scripts/acceptance.sh").unwrap();
    assert!(fuzz_at > acceptance_at, "fuzzing runs after the acceptance step");
    let deny = read("deny.toml");
    assert!(deny.contains("[licenses]") && deny.contains("[sources]") && deny.contains("[bans]"));
    for copyleft in ["\"GPL", "\"LGPL", "\"AGPL"] {
        assert!(!deny.contains(copyleft), "deny.toml allows {copyleft}");
    }
}

#[test]
fn fuzzing_leftovers_are_ignored_by_git() {
    let ignored = read("fuzz/.gitignore");
    for dir in ["corpus", "artifacts", "target"] {
        assert!(
            ignored.lines().any(|l| l.trim().trim_matches('/') == dir),
            "fuzz/.gitignore must ignore {dir}"
        );
    }
}

#[test]
fn readme_links_every_doc() {
    let readme = read("README.md");
    for entry in fs::read_dir(Path::new(ROOT).join("docs")).unwrap() {
        let name = entry.unwrap().file_name().into_string().unwrap();
        if name.ends_with(".md") {
            assert!(
                readme.contains(&format!("](docs/{name})")),
                "README.md does not link docs/{name}"
            );
        }
    }
}
