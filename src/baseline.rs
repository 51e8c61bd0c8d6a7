//! Baselines: record today's findings once, then count only new ones.
//!
//! A finding's [`fingerprint`] is built from its rule, the transcript's path and the matched
//! text in its context on the line (a few characters either side), never from line numbers,
//! so a baselined finding stays baselined when lines are added or moved above it. A finding
//! about something missing has no match; its fingerprint is the rule, the path and the
//! finding's note. Fingerprints are matched as a multiset: a baseline entry recorded once
//! absorbs one finding, so a second copy of the same phrase on the same kind of line is new.
//!
//! The baseline file is JSON meant to be committed and reviewed: one entry per finding, sorted,
//! with the line and matched text for people (they are not used for matching).

use std::collections::HashMap;
use std::io;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::finding::{FileReport, FileResult, Finding, Summary};
use crate::report::Reporter;

/// Characters of context kept either side of a match.
const CONTEXT_CHARS: usize = 16;

/// The version of the baseline file format.
const VERSION: u32 = 1;

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

/// A finding's fingerprint: rule, path and matched text in context; never the line number.
pub fn fingerprint(path: &str, finding: &Finding) -> String {
    stable_hash(&[&finding.rule, path, &context(finding)])
}

/// One recorded finding.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Entry {
    /// The transcript's path as reported.
    pub path: String,
    /// Full rule id.
    pub rule: String,
    /// See [`fingerprint`].
    pub fingerprint: String,
    /// Where it was when recorded (for people; not used for matching).
    #[serde(default)]
    pub line: u32,
    /// The matched text when recorded (for people; not used for matching).
    #[serde(default)]
    pub matched: Option<String>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct BaselineFile {
    version: u32,
    findings: Vec<Entry>,
}

/// A loaded baseline.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Baseline {
    entries: Vec<Entry>,
}

impl Baseline {
    /// Reads a baseline file; the error says what is wrong and how to fix it.
    pub fn load(path: &Path) -> Result<Baseline, String> {
        let shown = path.display();
        let text = crate::limits::read_settings_file(path, crate::limits::MAX_FILE_BYTES).map_err(|e| {
            format!("cannot read the baseline {shown}: {e}; create it with --write-baseline {shown}")
        })?;
        let file: BaselineFile = serde_json::from_str(&text).map_err(|e| {
            format!(
                "{shown}:{}:{}: not a callcheck baseline: {e}; regenerate it with --write-baseline",
                e.line(),
                e.column()
            )
        })?;
        if file.version != VERSION {
            return Err(format!(
                "{shown}: baseline version {} is not supported (expected {VERSION}); regenerate it \
                 with --write-baseline",
                file.version
            ));
        }
        Ok(Baseline {
            entries: file.findings,
        })
    }

    /// The baseline of a run's findings.
    pub fn from_entries(mut entries: Vec<Entry>) -> Baseline {
        entries.sort();
        Baseline { entries }
    }

    /// The recorded entries, sorted.
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// The baseline as pretty JSON, one entry per line, ending with a newline.
    pub fn to_json(&self) -> String {
        let mut out = format!("{{\n  \"version\": {VERSION},\n  \"findings\": [");
        for (i, entry) in self.entries.iter().enumerate() {
            out.push_str(if i == 0 { "\n    " } else { ",\n    " });
            out.push_str(&serde_json::to_string(entry).unwrap_or_default());
        }
        out.push_str(if self.entries.is_empty() {
            "]\n}\n"
        } else {
            "\n  ]\n}\n"
        });
        out
    }

    fn counts(&self) -> HashMap<String, usize> {
        let mut counts = HashMap::new();
        for e in &self.entries {
            *counts.entry(key(&e.path, &e.rule, &e.fingerprint)).or_insert(0) += 1;
        }
        counts
    }
}

/// The key a finding is matched by.
fn key(path: &str, rule: &str, fingerprint: &str) -> String {
    format!("{path}\0{rule}\0{fingerprint}")
}

/// The baseline entry for a finding.
pub fn entry(path: &str, finding: &Finding) -> Entry {
    Entry {
        path: path.to_string(),
        rule: finding.rule.clone(),
        fingerprint: fingerprint(path, finding),
        line: finding.start.line,
        matched: finding.matched.clone(),
    }
}

/// A reporter in front of another: records every finding (for `--write-baseline`), drops the
/// findings the baseline holds, and keeps the totals of what is left, which decide the exit
/// status.
pub struct Gate<R: Reporter> {
    inner: R,
    /// Paths in the baseline are relative to this folder (the baseline file's), so it matches
    /// whatever folder callcheck runs from.
    base: Option<PathBuf>,
    remaining: Option<HashMap<String, usize>>,
    record: bool,
    recorded: Vec<Entry>,
    summary: Summary,
}

impl<R: Reporter> Gate<R> {
    /// Filters with `baseline` (if any); records entries when `record` is set. Paths are
    /// recorded and matched relative to `base` (the baseline file's folder) when given.
    pub fn new(inner: R, baseline: Option<&Baseline>, record: bool, base: Option<&Path>) -> Self {
        Gate {
            inner,
            base: base.map(crate::discover::normalize_path),
            remaining: baseline.map(Baseline::counts),
            record,
            recorded: Vec::new(),
            summary: Summary::default(),
        }
    }

    /// The totals after the baseline.
    pub fn summary(&self) -> &Summary {
        &self.summary
    }

    /// A transcript's path relative to the base folder (`file#name` keeps its `#name`).
    fn relative(&self, report: &FileReport) -> String {
        let Some(base) = &self.base else {
            return report.path.clone();
        };
        if report.file == "<stdin>" {
            return report.path.clone();
        }
        let suffix = report.path.strip_prefix(report.file.as_str()).unwrap_or("");
        let absolute = crate::discover::normalize_path(Path::new(&report.file));
        match absolute.strip_prefix(base) {
            Ok(relative) => format!("{}{suffix}", crate::discover::display(relative)),
            Err(_) => report.path.clone(),
        }
    }

    /// Every finding seen, before the baseline was applied, as a baseline.
    pub fn recorded(&mut self) -> Baseline {
        Baseline::from_entries(std::mem::take(&mut self.recorded))
    }
}

impl<R: Reporter> Reporter for Gate<R> {
    fn file(&mut self, result: &FileResult) -> io::Result<()> {
        let FileResult::Checked(report) = result else {
            self.summary.add(result);
            return self.inner.file(result);
        };
        let path = self.relative(report);
        if self.record {
            self.recorded
                .extend(report.findings.iter().map(|f| entry(&path, f)));
        }
        let Some(remaining) = &mut self.remaining else {
            self.summary.add(result);
            return self.inner.file(result);
        };
        let mut kept = report.clone();
        kept.findings.retain(
            |f| match remaining.get_mut(&key(&path, &f.rule, &fingerprint(&path, f))) {
                Some(n) if *n > 0 => {
                    *n -= 1;
                    false
                }
                _ => true,
            },
        );
        self.summary.baselined += report.findings.len() - kept.findings.len();
        let kept = FileResult::Checked(kept);
        self.summary.add(&kept);
        self.inner.file(&kept)
    }

    fn finish(&mut self, _pipeline_totals: &Summary) -> io::Result<()> {
        self.inner.finish(&self.summary)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::test_support;

    #[test]
    fn fingerprints_ignore_line_numbers_but_not_context() {
        let f = test_support::forbidden();
        let mut moved = f.clone();
        moved.start.line += 10;
        moved.end.line += 10;
        assert_eq!(fingerprint("a.txt", &f), fingerprint("a.txt", &moved));
        assert_ne!(fingerprint("a.txt", &f), fingerprint("b.txt", &f));
        let mut reworded = f.clone();
        reworded.excerpt = Some("Rep:you must sign in, 100%, a,b".into());
        assert_ne!(fingerprint("a.txt", &f), fingerprint("a.txt", &reworded));
        // Text far from the match is not part of the context.
        let mut far = f.clone();
        far.excerpt = Some(format!(
            "{}{}",
            f.excerpt.as_deref().unwrap(),
            " ".repeat(3) + "tail"
        ));
        assert_eq!(fingerprint("a.txt", &f), fingerprint("a.txt", &far));
    }

    #[test]
    fn stable_hash_is_stable() {
        assert_eq!(stable_hash(&["a", "b"]), stable_hash(&["a", "b"]));
        assert_ne!(stable_hash(&["ab", "c"]), stable_hash(&["a", "bc"]));
        assert_eq!(stable_hash(&[]), "cbf29ce484222325");
    }

    struct Sink(Vec<FileResult>, Option<Summary>);
    impl Reporter for Sink {
        fn file(&mut self, result: &FileResult) -> io::Result<()> {
            self.0.push(result.clone());
            Ok(())
        }
        fn finish(&mut self, summary: &Summary) -> io::Result<()> {
            self.1 = Some(summary.clone());
            Ok(())
        }
    }

    #[test]
    fn gate_drops_baselined_findings_once_each() {
        let (results, summary) = test_support::results();
        let mut gate = Gate::new(Sink(vec![], None), None, true, None);
        for r in &results {
            gate.file(r).unwrap();
        }
        gate.finish(&summary).unwrap();
        let baseline = gate.recorded();
        assert_eq!(baseline.entries().len(), 2);
        let reloaded: BaselineFile = serde_json::from_str(&baseline.to_json()).unwrap();
        assert_eq!(reloaded.findings, baseline.entries());

        // Only the forbidden finding is in the baseline; the file has it twice.
        let only_one = Baseline::from_entries(
            baseline
                .entries()
                .iter()
                .filter(|e| e.rule == "acme/you-must")
                .cloned()
                .collect(),
        );
        let FileResult::Checked(mut report) = results[0].clone() else {
            unreachable!()
        };
        report.findings.push(test_support::forbidden());
        let mut gate = Gate::new(Sink(vec![], None), Some(&only_one), false, None);
        gate.file(&FileResult::Checked(report)).unwrap();
        gate.finish(&Summary::default()).unwrap();
        let FileResult::Checked(kept) = &gate.inner.0[0] else {
            unreachable!()
        };
        let rules: Vec<&str> = kept.findings.iter().map(|f| f.rule.as_str()).collect();
        assert_eq!(rules, ["acme/greeting", "acme/you-must"]);
        let totals = gate.inner.1.as_ref().unwrap();
        assert_eq!((totals.findings, totals.baselined), (2, 1));
    }

    #[test]
    fn load_reports_bad_files() {
        let dir = tempfile::tempdir().unwrap();
        let missing = Baseline::load(&dir.path().join("nope.json")).unwrap_err();
        assert!(missing.contains("create it with --write-baseline"), "{missing}");
        let bad = dir.path().join("bad.json");
        std::fs::write(&bad, "{\"version\": 1, \"findings\": [{\"path\": 1}]}").unwrap();
        let e = Baseline::load(&bad).unwrap_err();
        assert!(
            e.contains("bad.json:1:") && e.contains("not a callcheck baseline"),
            "{e}"
        );
        std::fs::write(&bad, "{\"version\": 9, \"findings\": []}").unwrap();
        assert!(Baseline::load(&bad).unwrap_err().contains("version 9"));
    }
}
