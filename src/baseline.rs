//! Baselines: record today's findings once, then count only new ones.
//!
//! A finding is recorded by its rule, its transcript's path relative to the project root and
//! its [fingerprint](crate::fingerprint), which never holds line numbers, so a baselined finding
//! stays baselined when lines are added or moved above it and whichever way the paths were typed.
//! Fingerprints are matched as a multiset: an entry recorded once absorbs one finding.
//!
//! The baseline file is JSON meant to be committed and reviewed: one entry per finding, sorted,
//! with the line and matched text for people (they are not used for matching). Version 1 files
//! (paths relative to the baseline file, fingerprints without occurrence numbers) are still read
//! and matched their own way; `--write-baseline` writes version 2.

use std::collections::HashMap;
use std::io;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::finding::{FileReport, FileResult, Summary};
use crate::fingerprint::{self, ProjectRoot};
use crate::problem::Problem;
use crate::report::Reporter;

/// The version of the baseline file format written.
const VERSION: u32 = 2;

/// The oldest version still read.
const OLDEST_VERSION: u32 = 1;

/// One recorded finding.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Entry {
    /// The transcript's path as reported.
    pub path: String,
    /// Full rule id.
    pub rule: String,
    /// See [`crate::fingerprint`].
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
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Baseline {
    version: u32,
    entries: Vec<Entry>,
}

impl Baseline {
    /// Reads a baseline file; the error says what is wrong and how to fix it.
    pub fn load(path: &Path) -> Result<Baseline, Problem> {
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
        if !(OLDEST_VERSION..=VERSION).contains(&file.version) {
            return Err(format!(
                "{shown}: baseline version {} is not supported (expected {OLDEST_VERSION} to \
                 {VERSION}); regenerate it with --write-baseline",
                file.version
            )
            .into());
        }
        Ok(Baseline {
            version: file.version,
            entries: file.findings,
        })
    }

    /// The baseline of a run's findings.
    pub fn from_entries(mut entries: Vec<Entry>) -> Baseline {
        entries.sort();
        Baseline {
            version: VERSION,
            entries,
        }
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

/// A reporter in front of another: records every finding (for `--write-baseline`), drops the
/// findings the baseline holds, and keeps the totals of what is left, which decide the exit
/// status.
pub struct Gate<R: Reporter> {
    inner: R,
    /// Paths and fingerprints are relative to the project root.
    root: ProjectRoot,
    /// A version 1 baseline's paths are relative to its own folder (this one).
    legacy_base: Option<PathBuf>,
    remaining: Option<HashMap<String, usize>>,
    record: bool,
    recorded: Vec<Entry>,
    summary: Summary,
}

impl<R: Reporter> Gate<R> {
    /// Filters with `baseline` (if any); records entries when `record` is set. Paths are
    /// recorded and matched relative to `root`; `baseline_folder` is the baseline file's folder,
    /// which version 1 baselines are relative to.
    pub fn new(
        inner: R,
        baseline: Option<&Baseline>,
        record: bool,
        root: ProjectRoot,
        baseline_folder: Option<&Path>,
    ) -> Self {
        let legacy = baseline.is_some_and(|b| b.version == 1);
        Gate {
            inner,
            root,
            legacy_base: legacy
                .then(|| crate::paths::normalize_path(baseline_folder.unwrap_or(Path::new(".")))),
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

    /// The keys a version 1 baseline matches: the path relative to the baseline file's folder
    /// and fingerprints without occurrence numbers.
    fn legacy_keys(base: &Path, report: &FileReport) -> Vec<String> {
        let path = if report.file == "<stdin>" {
            report.path.clone()
        } else {
            let suffix = report.path.strip_prefix(report.file.as_str()).unwrap_or("");
            let absolute = crate::paths::normalize_path(Path::new(&report.file));
            match absolute.strip_prefix(base) {
                Ok(relative) => format!("{}{suffix}", crate::paths::display(relative)),
                Err(_) => report.path.clone(),
            }
        };
        report
            .findings
            .iter()
            .map(|f| key(&path, &f.rule, &fingerprint::shared(&path, f)))
            .collect()
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
        // Without a baseline to record or apply, fingerprints are not needed: working them out
        // for every finding cost as much as writing the JSON report.
        if !self.record && self.remaining.is_none() {
            self.summary.add(result);
            return self.inner.file(result);
        }
        let path = self.root.transcript_key(report);
        let prints = self.root.fingerprints(report);
        if self.record {
            self.recorded
                .extend(report.findings.iter().zip(&prints).map(|(f, print)| Entry {
                    path: path.clone(),
                    rule: f.rule.clone(),
                    fingerprint: print.clone(),
                    line: f.start.line,
                    matched: f.matched.clone(),
                }));
        }
        let Some(remaining) = &mut self.remaining else {
            self.summary.add(result);
            return self.inner.file(result);
        };
        let keys = match &self.legacy_base {
            Some(base) => Self::legacy_keys(base, report),
            None => (report.findings.iter().zip(&prints))
                .map(|(f, print)| key(&path, &f.rule, print))
                .collect(),
        };
        let mut kept = report.clone();
        let mut keys = keys.iter();
        kept.findings.retain(|_| {
            let Some(key) = keys.next() else { return true };
            match remaining.get_mut(key) {
                Some(n) if *n > 0 => {
                    *n -= 1;
                    false
                }
                _ => true,
            }
        });
        self.summary.baselined += report.findings.len() - kept.findings.len();
        let kept = FileResult::Checked(kept);
        self.summary.add(&kept);
        self.inner.file(&kept)
    }

    fn finish(&mut self, _pipeline_totals: &Summary) -> io::Result<()> {
        self.inner.finish(&self.summary)
    }

    /// Fingerprints are built from excerpts.
    fn needs_excerpts(&self) -> bool {
        self.record || self.remaining.is_some() || self.inner.needs_excerpts()
    }

    fn needs_reasons(&self) -> bool {
        self.inner.needs_reasons()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::test_support;

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
        let mut gate = Gate::new(Sink(vec![], None), None, true, ProjectRoot::default(), None);
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
        let mut gate = Gate::new(
            Sink(vec![], None),
            Some(&only_one),
            false,
            ProjectRoot::default(),
            None,
        );
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
    fn version_one_baselines_match_relative_to_their_folder() {
        let (results, _) = test_support::results();
        let FileResult::Checked(report) = &results[0] else {
            unreachable!()
        };
        assert_eq!(report.file, "calls/a b.txt");
        let folder = tempfile::tempdir().unwrap();
        // A version 1 file in calls/: paths relative to that folder, shared fingerprints.
        let relative = "a b.txt".to_string();
        let entries: Vec<Entry> = report
            .findings
            .iter()
            .map(|f| Entry {
                path: relative.clone(),
                rule: f.rule.clone(),
                fingerprint: fingerprint::shared(&relative, f),
                line: 0,
                matched: None,
            })
            .collect();
        let json = serde_json::json!({ "version": 1, "findings": entries }).to_string();
        let path = folder.path().join("baseline.json");
        std::fs::write(&path, json).unwrap();
        let v1 = Baseline::load(&path).unwrap();
        let mut gate = Gate::new(
            Sink(vec![], None),
            Some(&v1),
            true,
            ProjectRoot::default(),
            Some(Path::new("calls")),
        );
        gate.file(&results[0]).unwrap();
        gate.finish(&Summary::default()).unwrap();
        let totals = gate.inner.1.as_ref().unwrap();
        assert_eq!(totals.findings, 0);
        assert_eq!(totals.baselined, report.findings.len());
        // What it records is version 2.
        assert!(gate.recorded().to_json().contains("\"version\": 2"));
    }

    #[test]
    fn load_reports_bad_files() {
        let dir = tempfile::tempdir().unwrap();
        let missing = Baseline::load(&dir.path().join("nope.json")).unwrap_err();
        assert!(
            missing.message().contains("create it with --write-baseline"),
            "{missing}"
        );
        let bad = dir.path().join("bad.json");
        std::fs::write(&bad, "{\"version\": 1, \"findings\": [{\"path\": 1}]}").unwrap();
        let e = Baseline::load(&bad).unwrap_err();
        assert!(
            e.message().contains("bad.json:1:") && e.message().contains("not a callcheck baseline"),
            "{e}"
        );
        std::fs::write(&bad, "{\"version\": 9, \"findings\": []}").unwrap();
        assert!(Baseline::load(&bad).unwrap_err().message().contains("version 9"));
    }
}
