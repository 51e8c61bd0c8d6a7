//! What the check pipeline said about the labelled calls, gathered as its results stream past.
//!
//! [`Calls`] is a [`Reporter`]: the pipeline hands it every result, and it keeps only the calls
//! some label names (by file or call id), and of those only what eval needs — the findings and
//! not-applicable verdicts of the rules the labels' checks cover — so a large JSON Lines export
//! with a few labelled calls costs little memory.

use std::collections::HashSet;
use std::io;
use std::path::{Path, PathBuf};

use super::labels::{Labels, Target};
use crate::finding::{FileResult, Summary};
use crate::paths::real_path;
use crate::report::Reporter;

/// A finding of a covered rule, as eval shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hit {
    /// Full rule id.
    pub rule: String,
    /// 1-based line in the transcript's file.
    pub line: u32,
    /// The rule's message, with the finding's note.
    pub message: String,
    /// The text that matched, as it stands in the file.
    pub matched: Option<String>,
}

/// A checked call some label names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Call {
    /// The report path (`calls/0001.txt`, `calls.jsonl#0003`).
    pub path: String,
    /// The file it was read from, absolute with links resolved.
    pub file: PathBuf,
    /// Its `call_id` metadata.
    pub call_id: Option<String>,
    /// The line of its first turn.
    pub first_line: Option<u32>,
    /// Findings of covered rules, in source order.
    pub hits: Vec<Hit>,
    /// Covered rules that were not applicable.
    pub not_applicable: Vec<String>,
}

impl Call {
    /// True when `rule` has a finding in this call.
    pub fn fired(&self, rule: &str) -> bool {
        self.hits.iter().any(|h| h.rule == rule)
    }

    /// True when `rule` could not be judged for this call.
    pub fn not_applicable(&self, rule: &str) -> bool {
        self.not_applicable.iter().any(|r| r == rule)
    }
}

/// A file that could not be read or parsed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unreadable {
    /// The path as reported.
    pub path: String,
    /// The file, absolute with links resolved.
    pub file: PathBuf,
    /// Why.
    pub error: String,
}

/// Collects the labelled calls from a check run.
#[derive(Debug, Default)]
pub struct Calls {
    files: HashSet<PathBuf>,
    ids: HashSet<String>,
    rules: HashSet<String>,
    /// The labelled calls that were checked, in report order.
    pub calls: Vec<Call>,
    /// Files that could not be read (labelled or not: every one makes the run exit 2).
    pub unreadable: Vec<Unreadable>,
    /// The run's totals.
    pub summary: Summary,
    /// The last file resolved: the calls of one JSON Lines file arrive one after the other.
    last: Option<(String, PathBuf)>,
}

impl Calls {
    /// Keeps the calls `labels` name, and the findings of `rules` (full ids) in them.
    pub fn new(labels: &Labels, rules: impl IntoIterator<Item = String>) -> Calls {
        let mut calls = Calls {
            rules: rules.into_iter().collect(),
            ..Calls::default()
        };
        for label in &labels.labels {
            match &label.target {
                Target::File { real, .. } => {
                    calls.files.insert(real.clone());
                }
                Target::CallId(id) => {
                    calls.ids.insert(id.clone());
                }
            }
        }
        calls
    }

    fn real(&mut self, file: &str) -> PathBuf {
        if let Some((shown, real)) = &self.last
            && shown == file
        {
            return real.clone();
        }
        let real = real_path(Path::new(file));
        self.last = Some((file.to_string(), real.clone()));
        real
    }
}

impl Reporter for Calls {
    fn file(&mut self, result: &FileResult) -> io::Result<()> {
        match result {
            FileResult::Checked(report) => {
                let call_id = report.metadata.get("call_id").cloned();
                let by_id = call_id.as_ref().is_some_and(|id| self.ids.contains(id));
                // Standard input is no file a label can name.
                let file = if report.file == "<stdin>" {
                    PathBuf::new()
                } else {
                    self.real(&report.file)
                };
                if !by_id && !self.files.contains(&file) {
                    return Ok(());
                }
                let hits = report
                    .findings
                    .iter()
                    .filter(|f| self.rules.contains(&f.rule))
                    .map(|f| Hit {
                        rule: f.rule.clone(),
                        line: f.start.line,
                        message: match &f.note {
                            Some(note) => format!("{} ({note})", f.message),
                            None => f.message.clone(),
                        },
                        matched: f.matched.clone(),
                    })
                    .collect();
                let not_applicable = report
                    .not_applicable
                    .iter()
                    .filter(|n| self.rules.contains(n.rule))
                    .map(|n| n.rule.to_string())
                    .collect();
                self.calls.push(Call {
                    path: report.path.clone(),
                    file,
                    call_id,
                    first_line: report.first_turn.map(|p| p.line),
                    hits,
                    not_applicable,
                });
            }
            // A call nobody could tell the agent of was not judged: its labels count as not
            // applicable, and the run says so like an unreadable file.
            FileResult::NotChecked(skipped) => {
                let file = self.real(&skipped.file);
                self.unreadable.push(Unreadable {
                    path: skipped.path.clone(),
                    file,
                    error: format!("not checked: {}", skipped.reason),
                });
            }
            FileResult::Failed(error) => {
                let file = self.real(&error.path);
                self.unreadable.push(Unreadable {
                    path: error.path.clone(),
                    file,
                    error: error.error.clone(),
                });
            }
        }
        Ok(())
    }

    fn finish(&mut self, summary: &Summary) -> io::Result<()> {
        self.summary = summary.clone();
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::{FileError, FileReport, Finding, NotApplicable, Scope, Severity};
    use crate::transcript::Position;
    use indexmap::IndexMap;

    fn finding(rule: &str, line: u32) -> Finding {
        Finding {
            rule: rule.into(),
            kind: "forbidden",
            severity: Severity::Error,
            message: "m".into(),
            note: Some("n".into()),
            start: Position { line, column: 1 },
            end: Position { line, column: 1 },
            turn: None,
            speaker: None,
            time: None,
            matched: Some("you must".into()),
            suggestion: None,
            replacement: None,
            excerpt: None,
        }
    }

    #[test]
    fn keeps_labelled_calls_and_covered_rules_only() {
        let labels = Labels::parse(
            "call,check,expected\nc1,G3,yes\n",
            Path::new("labels.csv"),
            Path::new("."),
        )
        .unwrap();
        let mut calls = Calls::new(&labels, ["qa/a".to_string()]);
        let report = |path: &str, id: &str| {
            let mut metadata = IndexMap::new();
            metadata.insert("call_id".to_string(), id.to_string());
            FileResult::Checked(FileReport {
                path: path.into(),
                file: "calls.jsonl".into(),
                metadata,
                findings: vec![finding("qa/a", 4), finding("qa/b", 5)],
                not_applicable: vec![
                    NotApplicable {
                        rule: "qa/a",
                        reason: "r".into(),
                        scope: Scope::Undecided,
                    },
                    NotApplicable {
                        rule: "qa/c",
                        reason: "r".into(),
                        scope: Scope::Language,
                    },
                ],
                first_turn: Some(Position { line: 2, column: 1 }),
                ..FileReport::default()
            })
        };
        calls.file(&report("calls.jsonl#c1", "c1")).unwrap();
        calls.file(&report("calls.jsonl#c2", "c2")).unwrap();
        calls
            .file(&FileResult::Failed(FileError {
                path: "bad.txt".into(),
                error: "line 1: x".into(),
            }))
            .unwrap();
        assert_eq!(calls.calls.len(), 1);
        let call = &calls.calls[0];
        assert_eq!(call.path, "calls.jsonl#c1");
        assert_eq!(call.first_line, Some(2));
        assert_eq!(
            call.hits,
            [Hit {
                rule: "qa/a".into(),
                line: 4,
                message: "m (n)".into(),
                matched: Some("you must".into()),
            }]
        );
        assert_eq!(call.not_applicable, ["qa/a"]);
        assert!(call.fired("qa/a") && !call.fired("qa/b"));
        assert_eq!(calls.unreadable.len(), 1);
    }
}
