//! Findings: what rules report, and the per-file results reporters consume.

use std::fmt;
use std::str::FromStr;

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

use crate::transcript::Assignment;
use crate::transcript::{Millis, Position, Role};

/// How serious a finding is; ordered `Info < Warning < Error`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Worth knowing; never fails a run unless `--fail-on info`.
    Info,
    /// Should be fixed (the default for rules).
    #[default]
    Warning,
    /// Must be fixed; fails the run by default.
    Error,
}

impl Severity {
    /// All severities, most serious first.
    pub const ALL: [Severity; 3] = [Severity::Error, Severity::Warning, Severity::Info];

    /// The severity's name.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}

impl FromStr for Severity {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "info" => Ok(Severity::Info),
            "warning" => Ok(Severity::Warning),
            "error" => Ok(Severity::Error),
            _ => Err(format!(
                "`{s}` is not a severity: expected error, warning or info"
            )),
        }
    }
}

/// One rule violation in one transcript.
#[derive(Clone, Debug, PartialEq)]
pub struct Finding {
    /// Full rule id, `rulebook/rule`.
    pub rule: String,
    /// The rule kind (`required`, `forbidden`, …).
    pub kind: &'static str,
    /// The rule's severity.
    pub severity: Severity,
    /// The rule's message (or a default one for its kind).
    pub message: String,
    /// Specifics of this finding: what was expected, what came in which order.
    pub note: Option<String>,
    /// Where the finding starts in the source file.
    pub start: Position,
    /// Where the matched text ends (exclusive column); equals `start` for missing things.
    pub end: Position,
    /// 1-based turn index, when the finding is about a turn.
    pub turn: Option<u32>,
    /// The role of the turn's speaker.
    pub speaker: Option<Role>,
    /// When the turn started, if known.
    pub time: Option<Millis>,
    /// The original text of the match, as it stands in the file; `None` for missing things.
    pub matched: Option<String>,
    /// Suggested wording, for forbidden phrases: advice for a person, never applied.
    pub suggestion: Option<String>,
    /// The literal text that replaces the match (a forbidden rule's `replace`): SARIF fixes and
    /// `--fix` apply it.
    pub replacement: Option<String>,
    /// The source line the finding points at, for people-facing reports.
    pub excerpt: Option<String>,
}

/// A rule that could not be judged for a transcript, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NotApplicable {
    /// Full rule id ([`intern`]ed).
    pub rule: &'static str,
    /// Why it does not apply (no agent turns, no timestamps, …); empty when the run's reports
    /// do not show it ([`Pipeline::reasons`](crate::pipeline::Pipeline::reasons)).
    pub reason: String,
    /// Whether the rule could not be judged, or does not concern this kind of transcript.
    pub scope: Scope,
}

/// Why a rule is not applicable.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Scope {
    /// The rule concerns the transcript but cannot be judged (no agent turns, no timestamps,
    /// a trigger that never occurs).
    #[default]
    Undecided,
    /// The rule's rulebook is for another language than the transcript's.
    Language,
    /// The rule needs a conversation and the transcript is a reply template.
    Template,
    /// The rule is for another channel (voice calls, chats) than the transcript's.
    Channel,
}

/// One copy of a rule id for the whole process: a run lists about a hundred rules not
/// applicable per call with every built-in rulebook, and an interned id is copied and freed as a
/// pointer, not as a string. Each distinct id is kept once and for good (a few bytes a rule,
/// however many rule sets are loaded).
pub fn intern(id: &str) -> &'static str {
    static IDS: std::sync::Mutex<std::collections::BTreeSet<&'static str>> =
        std::sync::Mutex::new(std::collections::BTreeSet::new());
    let mut ids = IDS.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some(&kept) = ids.get(id) {
        return kept;
    }
    let kept: &'static str = Box::leak(id.into());
    ids.insert(kept);
    kept
}

impl NotApplicable {
    /// True when the rule does not concern this transcript at all (another language, a reply
    /// template), as opposed to a rule that could not be judged.
    pub fn out_of_scope(&self) -> bool {
        self.scope != Scope::Undecided
    }
}

/// The result of checking one transcript.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FileReport {
    /// The path as given or found, with `/` separators; `file#name` for one of several
    /// transcripts in a file.
    pub path: String,
    /// The file the transcript was read from (`path` without the `#name` of a transcript in a
    /// file holding several); CI formats point at it.
    pub file: String,
    /// Call metadata (headers, sidecars).
    pub metadata: IndexMap<String, String>,
    /// Findings in source order.
    pub findings: Vec<Finding>,
    /// Rules that did not apply.
    pub not_applicable: Vec<NotApplicable>,
    /// The input format the file was read as (`plain`, `webvtt`, …).
    pub format: &'static str,
    /// The text encoding the file was read in (`UTF-8`, `GB18030`, …).
    pub encoding: &'static str,
    /// Where the transcript's first turn starts (`None` without turns): `eval` points at it for
    /// a violation the rules missed.
    pub first_turn: Option<Position>,
    /// How the speakers' roles were decided.
    pub roles: Option<Assignment>,
}

/// A transcript that was read but could not be judged: no speaker could be identified as the
/// agent, so no rule about the agent can say anything (never reported as clean).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct NotChecked {
    /// The path, as for [`FileReport::path`].
    pub path: String,
    /// The file the transcript was read from.
    pub file: String,
    /// Call metadata (headers, sidecars).
    pub metadata: IndexMap<String, String>,
    /// The input format the file was read as.
    pub format: &'static str,
    /// The text encoding the file was read in.
    pub encoding: &'static str,
    /// The speakers and what is known of their roles.
    pub roles: Assignment,
    /// Why it was not checked: the labels seen, and how to map them.
    pub reason: String,
}

/// A file that could not be read or parsed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileError {
    /// The path as given or found.
    pub path: String,
    /// What went wrong, with the line where there is one.
    pub error: String,
}

/// One entry of a run's output: a checked transcript, one that could not be judged, or a file
/// that failed.
#[derive(Clone, Debug, PartialEq)]
pub enum FileResult {
    /// The transcript was checked.
    Checked(FileReport),
    /// The transcript was read, but nothing says which speaker is the agent.
    NotChecked(NotChecked),
    /// The file could not be read or parsed.
    Failed(FileError),
}

impl FileResult {
    /// The entry's path.
    pub fn path(&self) -> &str {
        match self {
            FileResult::Checked(r) => &r.path,
            FileResult::NotChecked(n) => &n.path,
            FileResult::Failed(e) => &e.path,
        }
    }
}

/// Running totals for a run's closing summary.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// Entries reported (checked transcripts plus failed files).
    pub files: usize,
    /// Files that could not be read or parsed.
    pub errors: usize,
    /// Transcripts that were read but could not be judged (no speaker identified as the agent).
    pub not_checked: usize,
    /// All findings.
    pub findings: usize,
    /// Findings per severity.
    pub by_severity: BySeverity,
    /// Transcripts with at least one finding.
    pub files_with_findings: usize,
    /// Rule × transcript pairs that were not applicable (the rule could not be judged).
    pub not_applicable: usize,
    /// Rule × transcript pairs that do not concern the transcript: rulebooks for another
    /// language, conversation rules on reply templates.
    pub out_of_scope: usize,
    /// Findings left out because the baseline (`--baseline`) already holds them.
    #[serde(skip_serializing_if = "is_zero")]
    pub baselined: usize,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

/// Finding counts per severity.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct BySeverity {
    /// Error findings.
    pub error: usize,
    /// Warning findings.
    pub warning: usize,
    /// Info findings.
    pub info: usize,
}

impl BySeverity {
    /// The count for one severity.
    pub fn get(&self, severity: Severity) -> usize {
        match severity {
            Severity::Error => self.error,
            Severity::Warning => self.warning,
            Severity::Info => self.info,
        }
    }
}

impl Summary {
    /// Adds one entry to the totals.
    pub fn add(&mut self, result: &FileResult) {
        self.files += 1;
        match result {
            FileResult::Failed(_) => self.errors += 1,
            FileResult::NotChecked(_) => self.not_checked += 1,
            FileResult::Checked(report) => {
                self.findings += report.findings.len();
                if !report.findings.is_empty() {
                    self.files_with_findings += 1;
                }
                let skipped = report.not_applicable.iter().filter(|n| n.out_of_scope()).count();
                self.out_of_scope += skipped;
                self.not_applicable += report.not_applicable.len() - skipped;
                for finding in &report.findings {
                    match finding.severity {
                        Severity::Error => self.by_severity.error += 1,
                        Severity::Warning => self.by_severity.warning += 1,
                        Severity::Info => self.by_severity.info += 1,
                    }
                }
            }
        }
    }

    /// True when some finding is at or above `threshold` (`None`: never fail on findings).
    pub fn fails(&self, threshold: Option<Severity>) -> bool {
        threshold.is_some_and(|t| {
            Severity::ALL
                .iter()
                .any(|&s| s >= t && self.by_severity.get(s) > 0)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn severities_are_ordered() {
        assert!(Severity::Info < Severity::Warning && Severity::Warning < Severity::Error);
        assert_eq!("warning".parse::<Severity>(), Ok(Severity::Warning));
        assert!("fatal".parse::<Severity>().is_err());
    }

    #[test]
    fn thresholds() {
        let mut summary = Summary::default();
        summary.by_severity.warning = 1;
        assert!(!summary.fails(Some(Severity::Error)));
        assert!(summary.fails(Some(Severity::Warning)));
        assert!(summary.fails(Some(Severity::Info)));
        assert!(!summary.fails(None));
    }

    #[test]
    fn an_id_is_interned_once_and_reads_as_itself() {
        let id = String::from("acme/greeting-interned");
        let first = intern(&id);
        assert_eq!(first, "acme/greeting-interned");
        // The same text gives the same copy, wherever it comes from; another text its own.
        assert!(std::ptr::eq(first, intern("acme/greeting-interned")));
        assert!(!std::ptr::eq(first, intern("acme/closing-interned")));
        let (set, _) = crate::rulebook::RuleSet::builtins().unwrap();
        assert!(
            set.rules
                .iter()
                .all(|r| r.interned_id == r.id && std::ptr::eq(r.interned_id, intern(&r.id)))
        );
    }
}
