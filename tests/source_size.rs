//! No file in `src/` holds more than 800 lines of code outside its tests: past that, a file
//! mixes jobs and is hard to find one's way in (docs/architecture.md says where things go).

use std::path::{Path, PathBuf};

/// Most lines of non-test code one source file may hold.
const MAX_LINES: usize = 800;

/// Lines of a file before its test module (`#[cfg(test)]` at the start of a line); a file
/// that is itself a test module (`tests.rs`) counts nothing.
fn code_lines(path: &Path, text: &str) -> usize {
    if path.file_name().is_some_and(|n| n == "tests.rs") {
        return 0;
    }
    text.lines()
        .take_while(|line| !line.starts_with("#[cfg(test)]"))
        .count()
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("src/ is readable") {
        let path = entry.expect("a directory entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn no_source_file_is_over_800_lines_of_code() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    rust_files(&root.join("src"), &mut files);
    assert!(files.len() > 100, "only {} files found under src/", files.len());
    let mut long: Vec<String> = files
        .iter()
        .filter_map(|path| {
            let text = std::fs::read_to_string(path).expect("a source file is UTF-8");
            let lines = code_lines(path, &text);
            (lines > MAX_LINES)
                .then(|| format!("  {}: {lines}", path.strip_prefix(root).unwrap_or(path).display()))
        })
        .collect();
    long.sort();
    assert!(
        long.is_empty(),
        "files over {MAX_LINES} lines of non-test code; split them along a seam:\n{}",
        long.join("\n")
    );
}

#[test]
fn test_modules_do_not_count() {
    let text = "fn a() {}\nfn b() {}\n#[cfg(test)]\nmod tests {\n    #[test]\n    fn t() {}\n}\n";
    assert_eq!(code_lines(Path::new("src/x.rs"), text), 2);
    assert_eq!(code_lines(Path::new("src/x/tests.rs"), text), 0);
    assert_eq!(code_lines(Path::new("src/x.rs"), "fn a() {}\n"), 1);
}
