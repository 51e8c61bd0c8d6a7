//! The finished report: every number the output formats show, already rounded, so the terminal
//! table, CSV, Markdown, JSON and HTML cannot disagree. `--format json` is this model as is.

use indexmap::IndexMap;
use serde::Serialize;

use crate::finding::{Finding, Severity};
use crate::score::{Lost, SectionScore};

use super::Dimension;

/// A `callcheck report`.
#[derive(Clone, Debug, Serialize)]
pub struct Report {
    /// Format version of the JSON report.
    pub version: u32,
    /// The `--by` dimensions, in order.
    pub by: Vec<Dimension>,
    /// The pass mark(s) in force, as text ("80", or "80–90").
    pub pass_mark: String,
    /// The highest pass mark in force (group means are compared with it).
    pub pass_mark_max: f64,
    /// True when excerpts and messages are masked (`--redact`, the default of `report`).
    pub redacted: bool,
    /// What is masked: `personal` (the default), `all` (amounts and dates too) or `none`.
    pub redaction: crate::redact::Redaction,
    /// The loaded rulebooks' ids.
    pub rulebooks: Vec<String>,
    /// The first and last call date, when calls have dates.
    pub dates: Option<(String, String)>,
    /// Totals over every call.
    pub summary: Totals,
    /// Scored calls per score band of 10 points.
    pub distribution: Vec<Band>,
    /// Mean score per scorecard section.
    pub sections: Vec<SectionMean>,
    /// Mean score per date, oldest first (empty when `date` is in `--by`).
    pub trend: Vec<TrendPoint>,
    /// Every rule that applied to a call or was broken, most often broken first.
    pub rules: Vec<RuleRow>,
    /// The `--by` table.
    pub groups: Vec<GroupRow>,
    /// The worst calls of the run (calls that lost points), worst first.
    pub worst_calls: Vec<Call>,
    /// Files that could not be read (the first few).
    pub errors: Vec<FileError>,
    /// Calls that were read but not checked, with why (the first few): no speaker could be
    /// identified as the agent. They are in no count, mean or pass rate.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub not_checked: Vec<FileError>,
    /// Remarks about the data: unmatched `--group-from-path`, calls without an agent, …
    pub notes: Vec<String>,
}

/// Totals over a set of calls.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Totals {
    /// Calls checked (transcripts read and judged).
    pub calls: u64,
    /// Calls with a score.
    pub scored: u64,
    /// Mean score, one decimal.
    pub mean: Option<f64>,
    /// Median score, one decimal.
    pub median: Option<f64>,
    /// Scored calls at or above their pass mark.
    pub passed: u64,
    /// `passed` ÷ `scored`, in percent.
    pub pass_rate: Option<f64>,
    /// Calls scored 0 by an auto-fail rule.
    pub auto_failed: u64,
    /// Findings.
    pub findings: u64,
    /// Calls with at least one finding.
    pub calls_with_findings: u64,
    /// Files that could not be read or parsed.
    pub errors: u64,
    /// Calls read but not checked (no speaker identified as the agent).
    #[serde(skip_serializing_if = "is_zero")]
    pub not_checked: u64,
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

/// A score band.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Band {
    /// Lowest score in the band.
    pub from: u32,
    /// Highest score, exclusive (100 is in the last band).
    pub to: u32,
    /// Scored calls in it.
    pub calls: u64,
}

/// A scorecard section's mean score.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SectionMean {
    /// Section name.
    pub name: String,
    /// Mean of the calls where one of its rules applied, one decimal.
    pub mean: f64,
    /// Those calls.
    pub calls: u64,
}

/// How one rule fared.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RuleRow {
    /// Full rule id.
    pub rule: String,
    /// Title.
    pub title: Option<String>,
    /// Severity.
    pub severity: Severity,
    /// Weight in the score.
    pub weight: f64,
    /// A finding zeroes the score.
    pub auto_fail: bool,
    /// Scorecard section.
    pub section: Option<String>,
    /// Calls it applied to.
    pub applicable: u32,
    /// Calls that broke it.
    pub broken: u32,
    /// `broken` ÷ `applicable`, in percent.
    pub rate: f64,
    /// Findings.
    pub findings: u32,
}

/// A row of the `--by` table: the group's key, then its scores (without `rule` in `--by`) or
/// the rule's tally in the group (with `rule`).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct GroupRow {
    /// One value per `--by` dimension (`null`: the calls did not say).
    pub key: IndexMap<Dimension, Option<String>>,
    /// The group's scores.
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    pub scores: Option<GroupScores>,
    /// The rule's tally within the group.
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    pub rule: Option<GroupRule>,
}

/// Scores of a group of calls.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct GroupScores {
    /// Totals.
    #[serde(flatten)]
    pub totals: Totals,
    /// For agents: the team they took most of their calls in.
    pub team: Option<String>,
    /// The rules the group broke most, with the rate of its comparison group.
    pub top_rules: Vec<TopRule>,
    /// Mean score per section.
    pub sections: Vec<SectionMean>,
    /// Mean score per date, oldest first (empty when `date` is in the key or calls are undated).
    pub trend: Vec<TrendPoint>,
    /// The group's worst calls that lost points, for drill-down.
    pub worst_calls: Vec<Call>,
}

/// A rule within a group of calls.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct GroupRule {
    /// Calls of the group it applied to.
    pub applicable: u32,
    /// Of those, calls that broke it.
    pub broken: u32,
    /// `broken` ÷ `applicable`, in percent.
    pub rate: f64,
    /// Findings.
    pub findings: u32,
    /// The same rate in the comparison group: the agent's team, or all calls.
    pub compare_rate: Option<f64>,
    /// What `compare_rate` is over: `"team"` or `"all"`.
    pub compare: Option<&'static str>,
}

/// A rule a group breaks often.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TopRule {
    /// Full rule id.
    pub rule: String,
    /// Points it cost the group's calls, summed (the coaching priority).
    pub points: f64,
    /// Calls that broke it.
    pub broken: u32,
    /// Calls it applied to.
    pub applicable: u32,
    /// `broken` ÷ `applicable`, in percent.
    pub rate: f64,
    /// The comparison group's rate.
    pub compare_rate: f64,
    /// `"team"` (the agent's team) or `"all"` (every call).
    pub compare: &'static str,
}

/// A date's mean score.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TrendPoint {
    /// `YYYY-MM-DD` (or the date as the metadata gives it).
    pub date: String,
    /// Mean score, one decimal.
    pub mean: f64,
    /// Scored calls.
    pub calls: u64,
}

/// One call, for the worst-calls lists.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Call {
    /// The transcript's path (`file#name` for one of several in a file).
    pub path: String,
    /// The file it was read from.
    pub file: String,
    /// Call id, agent, team, date (the ones known).
    pub metadata: IndexMap<&'static str, String>,
    /// Score, one decimal.
    pub score: f64,
    /// Passed the pass mark.
    pub passed: bool,
    /// An auto-fail rule was broken.
    pub auto_fail: bool,
    /// The rules that cost points.
    pub lost: Vec<Lost>,
    /// Section scores.
    pub sections: Vec<SectionScore>,
    /// Its findings, in source order (at most [`super::MAX_FINDINGS_PER_CALL`]).
    pub findings: Vec<CallFinding>,
    /// How many findings it had in all.
    pub findings_total: usize,
}

/// A finding of a worst call, with the turns around it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CallFinding {
    /// Full rule id.
    pub rule: String,
    /// Severity.
    pub severity: Severity,
    /// The rule's message.
    pub message: String,
    /// What exactly was wrong.
    pub note: Option<String>,
    /// 1-based line in the file.
    pub line: u32,
    /// 1-based column.
    pub column: u32,
    /// Where the match ends (line).
    pub end_line: u32,
    /// Where the match ends (column, exclusive).
    pub end_column: u32,
    /// 1-based turn.
    pub turn: Option<u32>,
    /// The matched text.
    pub matched: Option<String>,
    /// Better wording.
    pub suggestion: Option<String>,
    /// The source line.
    pub excerpt: Option<String>,
    /// The turns before, at and after the finding, when the file could be read again.
    pub context: Vec<ContextTurn>,
}

impl CallFinding {
    /// A finding as a worst call lists it, without context turns yet.
    pub fn of(f: &Finding) -> CallFinding {
        CallFinding {
            rule: f.rule.clone(),
            severity: f.severity,
            message: f.message.clone(),
            note: f.note.clone(),
            line: f.start.line,
            column: f.start.column,
            end_line: f.end.line,
            end_column: f.end.column,
            turn: f.turn,
            matched: f.matched.clone(),
            suggestion: f.suggestion.clone(),
            excerpt: f.excerpt.clone(),
            context: Vec::new(),
        }
    }
}

/// A turn shown around a finding.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ContextTurn {
    /// 1-based turn index.
    pub turn: u32,
    /// The speaker's label as written.
    pub speaker: String,
    /// `agent`, `customer`, `system` or `other`.
    pub role: &'static str,
    /// When the turn started.
    pub time: Option<String>,
    /// The text before the highlighted part (all of it when nothing is highlighted).
    pub before: String,
    /// The highlighted text: what the finding matched.
    pub mark: String,
    /// The text after it.
    pub after: String,
    /// True for the turn the finding is about.
    pub offending: bool,
}

impl ContextTurn {
    /// The whole text.
    pub fn text(&self) -> String {
        format!("{}{}{}", self.before, self.mark, self.after)
    }
}

/// A file that could not be read.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FileError {
    /// Its path.
    pub path: String,
    /// Why.
    pub error: String,
}

impl Report {
    /// The label of a key value: the value, or "(unknown)".
    pub fn label(value: Option<&str>) -> &str {
        value.unwrap_or(UNKNOWN)
    }
}

/// How reports show a missing agent, team or date.
pub const UNKNOWN: &str = "(unknown)";
