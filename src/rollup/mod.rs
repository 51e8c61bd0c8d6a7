//! Roll-ups for trainers: scores and findings of many calls summarised by rule, agent, team, date
//! or file (`callcheck report`).
//!
//! [`Rollup`] is a [`Reporter`]: the check pipeline feeds it each call's result, in order, and it
//! keeps counters only — score histograms, per-rule tallies per group, and the few worst calls —
//! never the findings of every call, so a corpus of millions of calls fits in memory (this
//! file). Its [`Rollup::finish`] (`finish.rs`) turns the counters into a [`model::Report`],
//! which every output format in [`render`] draws from; [`context`] then adds the turns around
//! the worst calls' findings by reading those few files again.
//!
//! Agent, team and date come from the call's metadata (headers, sidecars, tables, format
//! fields), else from its path with `--group-from-path` ([`path::PathPattern`]).

pub mod context;
mod finish;
pub mod model;
pub mod path;
pub mod render;
pub mod stats;

use std::cmp::Reverse;
use std::collections::{BTreeMap, HashMap};
use std::io;
use std::sync::Arc;

use indexmap::IndexMap;
use serde::Serialize;

use crate::finding::{FileReport, FileResult, Summary};
use crate::redact::Redaction;
use crate::report::Reporter;
use crate::score::{Score, Scoring, number};
use model::{Call, CallFinding, FileError};
use path::PathPattern;
use stats::{RuleTally, ScoreStats, Worst, normalize_date};

/// What `--by` groups calls by.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Dimension {
    /// Each rule: how often it is broken.
    Rule,
    /// The agent (metadata `agent`).
    Agent,
    /// The team (metadata `team`).
    Team,
    /// The call's date (metadata `date`, as `YYYY-MM-DD`).
    Date,
    /// The file the call was read from.
    File,
}

impl Dimension {
    /// The dimension's name, as `--by` spells it.
    pub fn name(self) -> &'static str {
        match self {
            Dimension::Rule => "rule",
            Dimension::Agent => "agent",
            Dimension::Team => "team",
            Dimension::Date => "date",
            Dimension::File => "file",
        }
    }
}

/// Findings kept per worst call; the rest are counted.
pub const MAX_FINDINGS_PER_CALL: usize = 30;

/// Worst calls kept per group for drill-down.
pub const WORST_PER_GROUP: usize = 3;

/// Rules listed per group as the ones it breaks most.
pub const TOP_RULES: usize = 3;

/// Failed files listed by name.
const MAX_ERRORS: usize = 20;

/// How to roll up a run.
#[derive(Clone, Debug)]
pub struct Options {
    /// The `--by` dimensions (at least one).
    pub by: Vec<Dimension>,
    /// Agent, team and date from paths.
    pub path_pattern: Option<PathPattern>,
    /// Worst calls listed for the whole run.
    pub worst: usize,
    /// Excerpts and messages are masked.
    pub redaction: Redaction,
}

/// Orders calls worst first: lowest score, then most findings, then first seen.
type WorstKey = (u16, Reverse<usize>, u64);

/// Counters for one group of calls.
#[derive(Debug)]
struct Group {
    stats: ScoreStats,
    /// Per rule of the scoring model; empty when the group does not need them.
    rules: Vec<RuleTally>,
    /// Per section: tenths and calls.
    sections: Vec<(u64, u64)>,
    /// For agent groups: calls per team.
    teams: HashMap<String, u64>,
    /// Per date: tenths and scored calls.
    trend: BTreeMap<String, (u64, u64)>,
    worst: Worst<WorstKey, Call>,
}

impl Group {
    fn new(rules: usize, sections: usize, worst: usize) -> Group {
        Group {
            stats: ScoreStats::default(),
            rules: vec![RuleTally::default(); rules],
            sections: vec![(0, 0); sections],
            teams: HashMap::new(),
            trend: BTreeMap::new(),
            worst: Worst::new(worst),
        }
    }
}

/// The facts of one call that grouping needs.
struct Facts {
    agent: Option<String>,
    team: Option<String>,
    date: Option<String>,
}

impl Facts {
    fn get(&self, dimension: Dimension, report: &FileReport) -> Option<String> {
        match dimension {
            Dimension::Agent => self.agent.clone(),
            Dimension::Team => self.team.clone(),
            Dimension::Date => self.date.clone(),
            Dimension::File => Some(report.file.clone()),
            Dimension::Rule => None,
        }
    }
}

/// Summarises a run's results; feed it as a [`Reporter`], then call [`Rollup::finish`].
pub struct Rollup {
    scoring: Arc<Scoring>,
    options: Options,
    /// `--by` without `rule`, in order.
    keyed: Vec<Dimension>,
    by_rule: bool,
    overall: Group,
    groups: HashMap<Vec<Option<String>>, Group>,
    /// Per team (agent comparisons): rule tallies.
    teams: HashMap<String, Vec<RuleTally>>,
    worst: Worst<WorstKey, Call>,
    sections: Vec<String>,
    seen: u64,
    errors: Vec<FileError>,
    error_count: u64,
    not_checked: Vec<FileError>,
    not_checked_count: u64,
    unmatched: (u64, Option<String>),
    missing: [u64; 3],
}

impl Rollup {
    /// A roll-up of calls scored by `scoring`.
    pub fn new(scoring: Arc<Scoring>, options: Options) -> Rollup {
        let keyed: Vec<Dimension> = options
            .by
            .iter()
            .copied()
            .filter(|d| *d != Dimension::Rule)
            .collect();
        let by_rule = options.by.contains(&Dimension::Rule);
        let sections = scoring.sections();
        let rules = scoring.rules.len();
        Rollup {
            overall: Group::new(rules, sections.len(), 0),
            worst: Worst::new(options.worst),
            scoring,
            keyed,
            by_rule,
            groups: HashMap::new(),
            teams: HashMap::new(),
            sections,
            seen: 0,
            errors: Vec::new(),
            error_count: 0,
            not_checked: Vec::new(),
            not_checked_count: 0,
            unmatched: (0, None),
            missing: [0; 3],
            options,
        }
    }

    /// True when groups keep per-rule tallies (rule rows, or agents' and teams' top rules).
    fn groups_track_rules(&self) -> bool {
        self.by_rule
            || self
                .keyed
                .iter()
                .any(|d| matches!(d, Dimension::Agent | Dimension::Team))
    }

    /// True when agents are compared with their team.
    fn compares_teams(&self) -> bool {
        self.keyed.contains(&Dimension::Agent)
    }

    fn facts(&mut self, report: &FileReport) -> Facts {
        let meta = |key: &str| {
            report
                .metadata
                .get(key)
                .map(|v| v.trim().to_string())
                .filter(|v| !v.is_empty())
        };
        let mut facts = Facts {
            agent: meta("agent"),
            team: meta("team"),
            date: meta("date"),
        };
        if let Some(pattern) = &self.options.path_pattern {
            match pattern.captures(&report.file) {
                Some(fields) => {
                    // The call's own metadata wins; the path fills what it lacks.
                    for (name, value) in fields {
                        let slot = match name {
                            "agent" => &mut facts.agent,
                            "team" => &mut facts.team,
                            _ => &mut facts.date,
                        };
                        slot.get_or_insert(value);
                    }
                }
                None => {
                    self.unmatched.0 += 1;
                    self.unmatched.1.get_or_insert_with(|| report.file.clone());
                }
            }
        }
        facts.date = facts.date.map(|d| normalize_date(&d));
        for (i, value) in [&facts.agent, &facts.team, &facts.date].into_iter().enumerate() {
            self.missing[i] += u64::from(value.is_none());
        }
        facts
    }

    fn add(&mut self, report: &FileReport) {
        self.seen += 1;
        let facts = self.facts(report);
        let scoring = Arc::clone(&self.scoring);
        // This call's outcome per rule of the model, by position (rules are looked up once per
        // finding and rule not applicable, not once per rule of the model).
        let (not_applicable, findings) = scoring.outcomes(report);
        let score = scoring.score_outcomes(&not_applicable, &findings);
        // Points each rule cost this call, in tenths. An auto-fail rule that fired is charged
        // what the call would otherwise have kept too, so the call's rules cost 100 − score.
        let mut lost = vec![0u64; scoring.rules.len()];
        for l in score.iter().flat_map(|s| &s.lost) {
            if let Some(i) = scoring.index_of(&l.rule) {
                lost[i] = u64::from(crate::score::to_tenths(l.points));
            }
        }
        if let Some(s) = score.as_ref().filter(|s| s.auto_fail)
            && let Some(first) = s.lost.iter().find(|l| l.auto_fail)
            && let Some(i) = scoring.index_of(&first.rule)
        {
            let kept = 1000u64.saturating_sub(lost.iter().sum());
            lost[i] += kept;
        }
        let tallies: Vec<RuleTally> = (0..scoring.rules.len())
            .map(|rule| {
                let i = scoring.slot(rule);
                let count = findings[i] as u32;
                RuleTally {
                    applicable: u32::from(!not_applicable[i] || count > 0),
                    broken: u32::from(count > 0),
                    findings: count,
                    lost: lost[i],
                }
            })
            .collect();
        let outcome = score.as_ref().map(|s| (s.tenths(), s.passed, s.auto_fail));
        let key_of_worst: WorstKey = (
            score.as_ref().map_or(u16::MAX, Score::tenths),
            Reverse(report.findings.len()),
            self.seen,
        );
        let section_index: Vec<usize> = score
            .as_ref()
            .map(|s| {
                s.sections
                    .iter()
                    .filter_map(|sec| self.sections.iter().position(|n| *n == sec.name))
                    .collect()
            })
            .unwrap_or_default();
        let record = |group: &mut Group, with_rules: bool, with_trend: bool| {
            group.stats.add(outcome, report.findings.len());
            if with_rules {
                for (total, call) in group.rules.iter_mut().zip(&tallies) {
                    total.add(*call);
                }
            }
            if let Some(score) = &score {
                for (sec, &index) in score.sections.iter().zip(&section_index) {
                    if let Some(slot) = group.sections.get_mut(index) {
                        slot.0 += u64::from(crate::score::to_tenths(sec.score));
                        slot.1 += 1;
                    }
                }
                if with_trend && let Some(date) = &facts.date {
                    let point = group.trend.entry(date.clone()).or_default();
                    point.0 += u64::from(score.tenths());
                    point.1 += 1;
                }
            }
        };
        let make_call = || call_of(report, score.as_ref(), &facts);
        let overall_trend = !self.keyed.contains(&Dimension::Date);
        record(&mut self.overall, true, overall_trend);
        // Only calls that lost points are worth a trainer's look.
        let lost_points = score.as_ref().is_some_and(|s| !s.lost.is_empty());
        if lost_points {
            self.worst.offer(key_of_worst, make_call);
        }
        if self.compares_teams() {
            let team = self
                .teams
                .entry(facts.team.clone().unwrap_or_default())
                .or_insert_with(|| vec![RuleTally::default(); tallies.len()]);
            for (total, call) in team.iter_mut().zip(&tallies) {
                total.add(*call);
            }
        }
        if self.keyed.is_empty() {
            return;
        }
        let key: Vec<Option<String>> = self.keyed.iter().map(|d| facts.get(*d, report)).collect();
        let track_rules = self.groups_track_rules();
        let per_group_worst = !self.by_rule && !self.keyed.contains(&Dimension::File);
        let with_trend = overall_trend && !self.keyed.contains(&Dimension::File);
        let (rules, sections) = (if track_rules { tallies.len() } else { 0 }, self.sections.len());
        let group = self.groups.entry(key).or_insert_with(|| {
            Group::new(rules, sections, if per_group_worst { WORST_PER_GROUP } else { 0 })
        });
        record(group, track_rules, with_trend);
        if let Some(team) = &facts.team
            && self.keyed.contains(&Dimension::Agent)
        {
            *group.teams.entry(team.clone()).or_default() += 1;
        }
        if lost_points {
            group.worst.offer(key_of_worst, make_call);
        }
    }
}

impl Reporter for Rollup {
    fn file(&mut self, result: &FileResult) -> io::Result<()> {
        match result {
            FileResult::Checked(report) => self.add(report),
            // Not judged: in no count, mean or pass rate, but listed and noted.
            FileResult::NotChecked(n) => {
                self.not_checked_count += 1;
                if self.not_checked.len() < MAX_ERRORS {
                    self.not_checked.push(FileError {
                        path: n.path.clone(),
                        error: n.reason.clone(),
                    });
                }
            }
            FileResult::Failed(e) => {
                self.error_count += 1;
                if self.errors.len() < MAX_ERRORS {
                    self.errors.push(FileError {
                        path: e.path.clone(),
                        error: e.error.clone(),
                    });
                }
            }
        }
        Ok(())
    }

    fn finish(&mut self, _summary: &Summary) -> io::Result<()> {
        Ok(())
    }

    /// The listed calls' excerpts are quoted when their files are read again for context
    /// ([`context::add_context`]): quoting every call's would be wasted on all the others.
    fn needs_excerpts(&self) -> bool {
        false
    }
}

/// A worst-call entry (without context; [`context`] adds it).
fn call_of(report: &FileReport, score: Option<&Score>, facts: &Facts) -> Call {
    let mut metadata = IndexMap::new();
    if let Some(id) = report.metadata.get("call_id") {
        metadata.insert("call_id", id.clone());
    }
    for (name, value) in [
        ("agent", &facts.agent),
        ("team", &facts.team),
        ("date", &facts.date),
    ] {
        if let Some(value) = value {
            metadata.insert(name, value.clone());
        }
    }
    Call {
        path: report.path.clone(),
        file: report.file.clone(),
        metadata,
        score: score.map_or(100.0, |s| s.score),
        passed: score.is_none_or(|s| s.passed),
        auto_fail: score.is_some_and(|s| s.auto_fail),
        lost: score.map(|s| s.lost.clone()).unwrap_or_default(),
        sections: score.map(|s| s.sections.clone()).unwrap_or_default(),
        findings: report
            .findings
            .iter()
            .take(MAX_FINDINGS_PER_CALL)
            .map(CallFinding::of)
            .collect(),
        findings_total: report.findings.len(),
    }
}

/// "82.5" or "—" for a missing number, as the text formats show scores.
pub fn shown(value: Option<f64>) -> String {
    value.map_or_else(|| "—".to_string(), number)
}

#[cfg(test)]
mod tests;
