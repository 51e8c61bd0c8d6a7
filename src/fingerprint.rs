//! Fingerprints: one stable, unique id per finding, shared by baselines, SARIF and GitLab.
//!
//! A fingerprint must not change when the same finding is reported again from another command
//! line (`check`, `check .`, `check replies`, an absolute path) or after lines are added above
//! it, or code scanning and merge-request widgets show every alert as fixed and new. So it is
//! built from the transcript's path relative to the [`ProjectRoot`] (with `/` separators and no
//! `./`), the rule, the matched text with a little context on its line (never the line number)
//! and, so that two identical lines in one file stay two findings, the occurrence number among
//! identical findings in the file.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::finding::{FileReport, Finding};

/// Characters of context kept either side of a match.
const CONTEXT_CHARS: usize = 16;

/// A stable 64-bit FNV-1a hash, as 16 hex digits (std's hashers may change between releases).
pub fn stable_hash(parts: &[&str]) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        // The separator keeps ("ab", "c") and ("a", "bc") apart.
        for byte in part.bytes().chain(std::iter::once(0xff)) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    format!("{hash:016x}")
}

/// The text a fingerprint is built from: the match with up to [`CONTEXT_CHARS`] characters
/// either side on its line (whitespace runs folded), or the note for missing things.
fn context(finding: &Finding) -> String {
    let (Some(line), Some(_)) = (&finding.excerpt, &finding.matched) else {
        return finding.note.clone().unwrap_or_default();
    };
    let chars: Vec<char> = line.chars().collect();
    let start = (finding.start.column as usize).saturating_sub(1).min(chars.len());
    let end = if finding.end.line == finding.start.line {
        (finding.end.column as usize)
            .saturating_sub(1)
            .clamp(start, chars.len())
    } else {
        chars.len()
    };
    let from = start.saturating_sub(CONTEXT_CHARS);
    let to = (end + CONTEXT_CHARS).min(chars.len());
    let text: String = chars[from..to].iter().collect();
    let folded: Vec<&str> = text.split_whitespace().collect();
    let matched = finding.matched.as_deref().unwrap_or_default();
    format!("{matched}\u{1f}{}", folded.join(" "))
}

/// A finding's fingerprint before occurrences are counted: rule, path and matched text in
/// context. Identical lines in one file share it; [`unique`] tells them apart.
pub fn shared(path: &str, finding: &Finding) -> String {
    stable_hash(&[&finding.rule, path, &context(finding)])
}

/// The fingerprints of one transcript's findings, in order: [`shared`] plus the occurrence
/// number among the findings before it with the same shared fingerprint.
pub fn unique(path: &str, findings: &[Finding]) -> Vec<String> {
    let mut seen: HashMap<String, usize> = HashMap::new();
    findings
        .iter()
        .map(|f| {
            let base = shared(path, f);
            let n = seen.entry(base.clone()).or_insert(0);
            *n += 1;
            stable_hash(&[&base, &n.to_string()])
        })
        .collect()
}

/// The folder paths in fingerprints and CI reports are relative to: the folder of the project's
/// `callcheck.toml`, else the current folder.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProjectRoot {
    /// Absolute, without `.` and `..` parts.
    root: PathBuf,
}

impl Default for ProjectRoot {
    /// The current folder.
    fn default() -> Self {
        ProjectRoot::new(Path::new("."))
    }
}

impl ProjectRoot {
    /// The root at `folder` (relative folders are taken from the current one).
    pub fn new(folder: &Path) -> ProjectRoot {
        ProjectRoot {
            root: crate::paths::normalize_path(folder),
        }
    }

    /// The root folder, absolute.
    pub fn path(&self) -> &Path {
        &self.root
    }

    /// `file` relative to the root with `/` separators, or `None` when it lies outside the root
    /// (or is standard input).
    pub fn relative(&self, file: &str) -> Option<String> {
        if file == "<stdin>" {
            return None;
        }
        let absolute = crate::paths::normalize_path(Path::new(file));
        let relative = absolute.strip_prefix(&self.root).ok()?;
        Some(crate::paths::display(relative))
    }

    /// How a file is named in fingerprints: relative to the root, else absolute; standard input
    /// stays `<stdin>`.
    pub fn file_key(&self, file: &str) -> String {
        if file == "<stdin>" {
            return file.to_string();
        }
        self.relative(file)
            .unwrap_or_else(|| crate::paths::display(&crate::paths::normalize_path(Path::new(file))))
    }

    /// How a transcript is named in fingerprints and baselines: [`ProjectRoot::file_key`] of its
    /// file, plus the `#name` of one of several transcripts in a file.
    pub fn transcript_key(&self, report: &FileReport) -> String {
        let suffix = report.path.strip_prefix(report.file.as_str()).unwrap_or("");
        format!("{}{suffix}", self.file_key(&report.file))
    }

    /// The unique fingerprints of a transcript's findings, in order.
    pub fn fingerprints(&self, report: &FileReport) -> Vec<String> {
        unique(&self.transcript_key(report), &report.findings)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::test_support;

    #[test]
    fn shared_fingerprints_ignore_line_numbers_but_not_context() {
        let f = test_support::forbidden();
        let mut moved = f.clone();
        moved.start.line += 10;
        moved.end.line += 10;
        assert_eq!(shared("a.txt", &f), shared("a.txt", &moved));
        assert_ne!(shared("a.txt", &f), shared("b.txt", &f));
        let mut reworded = f.clone();
        reworded.excerpt = Some("Rep:you must sign in, 100%, a,b".into());
        assert_ne!(shared("a.txt", &f), shared("a.txt", &reworded));
        // Text far from the match is not part of the context.
        let mut far = f.clone();
        far.excerpt = Some(format!(
            "{}{}",
            f.excerpt.as_deref().unwrap(),
            " ".repeat(3) + "tail"
        ));
        assert_eq!(shared("a.txt", &f), shared("a.txt", &far));
    }

    #[test]
    fn identical_findings_get_different_fingerprints() {
        let f = test_support::forbidden();
        let mut later = f.clone();
        later.start.line += 3;
        later.end.line += 3;
        let prints = unique("a.txt", &[f.clone(), later, f]);
        assert_ne!(prints[0], prints[1]);
        assert_ne!(prints[1], prints[2]);
        assert_ne!(prints[0], prints[2]);
        // The first occurrence keeps its fingerprint whatever follows it.
        assert_eq!(unique("a.txt", &[test_support::forbidden()])[0], prints[0]);
    }

    #[test]
    fn stable_hash_is_stable() {
        assert_eq!(stable_hash(&["a", "b"]), stable_hash(&["a", "b"]));
        assert_ne!(stable_hash(&["ab", "c"]), stable_hash(&["a", "bc"]));
        assert_eq!(stable_hash(&[]), "cbf29ce484222325");
    }

    #[test]
    fn keys_do_not_depend_on_how_the_path_was_typed() {
        let dir = tempfile::tempdir().unwrap();
        let root = ProjectRoot::new(dir.path());
        let absolute = crate::paths::display(&dir.path().join("replies/a.txt"));
        let dotted = crate::paths::display(&dir.path().join("./replies/../replies/a.txt"));
        assert_eq!(root.file_key(&absolute), "replies/a.txt");
        assert_eq!(root.file_key(&dotted), "replies/a.txt");
        assert_eq!(root.relative("/elsewhere/b.txt"), None);
        assert_eq!(root.file_key("/elsewhere/b.txt"), "/elsewhere/b.txt");
        assert_eq!(root.file_key("<stdin>"), "<stdin>");
        // From the current folder, `a.txt` and `./a.txt` are one file.
        let here = ProjectRoot::default();
        assert_eq!(here.file_key("./a.txt"), here.file_key("a.txt"));
        assert_eq!(here.file_key("a.txt"), "a.txt");
    }
}
