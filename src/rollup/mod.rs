//! Roll-ups for trainers: scores and findings of many calls summarised by rule, agent, team, date
//! or file (`callcheck report`).
//!
//! [`Rollup`] is a [`Reporter`]: the check pipeline feeds it each call's result, in order, and it
//! keeps counters only — score histograms, per-rule tallies per group, and the few worst calls —
//! never the findings of every call, so a corpus of millions of calls fits in memory. Its
//! [`Rollup::finish`] turns the counters into a [`model::Report`], which every output format in
//! [`render`] draws from; [`context`] then adds the turns around the worst calls' findings by
//! reading those few files again.
//!
//! Agent, team and date come from the call's metadata (headers, sidecars, tables, format
//! fields), else from its path with `--group-from-path` ([`path::PathPattern`]).

pub mod context;
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
use crate::score::{Score, Scoring, number, round1};
use model::{
    Band, Call, CallFinding, FileError, GroupRow, GroupRule, GroupScores, Report, RuleRow, SectionMean,
    TopRule, Totals, TrendPoint,
};
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
        let score = self.scoring.score(report);
        let scoring = Arc::clone(&self.scoring);
        // This call's outcome per rule of the model.
        let mut findings: HashMap<&str, u32> = HashMap::new();
        for f in &report.findings {
            *findings.entry(f.rule.as_str()).or_default() += 1;
        }
        let not_applicable: std::collections::HashSet<&str> =
            report.not_applicable.iter().map(|n| n.rule.as_str()).collect();
        // Points each rule cost this call, in tenths. An auto-fail rule that fired is charged
        // what the call would otherwise have kept too, so the call's rules cost 100 − score.
        let mut lost: HashMap<&str, u64> = score
            .iter()
            .flat_map(|s| &s.lost)
            .map(|l| (l.rule.as_str(), u64::from(crate::score::to_tenths(l.points))))
            .collect();
        if let Some(s) = score.as_ref().filter(|s| s.auto_fail)
            && let Some(first) = s.lost.iter().find(|l| l.auto_fail)
        {
            let kept = 1000u64.saturating_sub(lost.values().sum());
            *lost.entry(first.rule.as_str()).or_default() += kept;
        }
        let tallies: Vec<RuleTally> = scoring
            .rules
            .iter()
            .map(|rule| {
                let count = findings.get(rule.id.as_str()).copied().unwrap_or(0);
                let applicable = !not_applicable.contains(rule.id.as_str());
                RuleTally {
                    applicable: u32::from(applicable || count > 0),
                    broken: u32::from(count > 0),
                    findings: count,
                    lost: lost.get(rule.id.as_str()).copied().unwrap_or(0),
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

    /// The finished report.
    pub fn finish(self, rulebooks: Vec<String>) -> Report {
        let overall = &self.overall;
        let rules = self.rule_rows();
        let rank: HashMap<&str, usize> = rules
            .iter()
            .enumerate()
            .map(|(i, r)| (r.rule.as_str(), i))
            .collect();
        let groups = self.group_rows(&rank);
        let mut dates: Vec<&String> = overall
            .trend
            .keys()
            .chain(self.groups.keys().flat_map(|k| {
                k.iter()
                    .zip(&self.keyed)
                    .filter(|(_, d)| **d == Dimension::Date)
                    .filter_map(|(v, _)| v.as_ref())
            }))
            .filter(|d| d.len() == 10 && d.as_bytes().get(4) == Some(&b'-'))
            .collect();
        dates.sort();
        let notes = self.notes();
        Report {
            version: 1,
            by: self.options.by.clone(),
            pass_mark: self.scoring.pass_mark_text(),
            pass_mark_max: self
                .scoring
                .pass_marks()
                .last()
                .copied()
                .unwrap_or(crate::score::DEFAULT_PASS_MARK),
            redacted: self.options.redaction.is_on(),
            redaction: self.options.redaction,
            rulebooks,
            dates: dates
                .first()
                .zip(dates.last())
                .map(|(a, b)| ((*a).clone(), (*b).clone())),
            summary: Totals {
                not_checked: self.not_checked_count,
                ..totals(&overall.stats, self.error_count)
            },
            distribution: overall
                .stats
                .distribution()
                .iter()
                .enumerate()
                .map(|(i, &calls)| Band {
                    from: i as u32 * 10,
                    to: i as u32 * 10 + 10,
                    calls,
                })
                .collect(),
            sections: section_means(&self.sections, &overall.sections),
            trend: trend(&overall.trend),
            rules,
            groups,
            worst_calls: self.worst.into_items(),
            errors: self.errors,
            not_checked: self.not_checked,
            notes,
        }
    }

    fn rule_rows(&self) -> Vec<RuleRow> {
        let mut rows: Vec<(usize, RuleRow)> = self
            .scoring
            .rules
            .iter()
            .zip(&self.overall.rules)
            .enumerate()
            .filter(|(_, (_, t))| t.applicable > 0 || t.findings > 0)
            .map(|(i, (rule, t))| {
                (
                    i,
                    RuleRow {
                        rule: rule.id.clone(),
                        title: rule.title.clone(),
                        severity: rule.severity,
                        weight: rule.weight,
                        auto_fail: rule.auto_fail,
                        section: rule.section.clone(),
                        applicable: t.applicable,
                        broken: t.broken,
                        rate: t.rate(),
                        findings: t.findings,
                    },
                )
            })
            .collect();
        // Broken most often first; among equals, the highest rate.
        rows.sort_by(|(ia, a), (ib, b)| {
            b.broken
                .cmp(&a.broken)
                .then(b.rate.total_cmp(&a.rate))
                .then(ia.cmp(ib))
        });
        rows.into_iter().map(|(_, r)| r).collect()
    }

    /// The comparison group's tallies for a group key: the agent's team, or every call.
    fn comparison(&self, key: &[Option<String>], group: &Group) -> Option<(&[RuleTally], &'static str)> {
        if self.keyed.is_empty() {
            return None;
        }
        if self.compares_teams() {
            let team = self
                .keyed
                .iter()
                .position(|d| *d == Dimension::Team)
                .and_then(|i| key[i].clone())
                .or_else(|| most_common(&group.teams));
            if let Some(tallies) = team.as_ref().and_then(|t| self.teams.get(t)) {
                return Some((tallies, "team"));
            }
        }
        Some((&self.overall.rules, "all"))
    }

    fn group_rows(&self, rank: &HashMap<&str, usize>) -> Vec<GroupRow> {
        let mut rows: Vec<(Vec<Option<String>>, GroupRow)> = Vec::new();
        let single: Vec<(Vec<Option<String>>, &Group)> = if self.keyed.is_empty() {
            vec![(Vec::new(), &self.overall)]
        } else {
            self.groups.iter().map(|(k, g)| (k.clone(), g)).collect()
        };
        for (key, group) in single {
            let comparison = self.comparison(&key, group);
            let key_map = |rule: Option<&str>| -> IndexMap<Dimension, Option<String>> {
                let mut values = key.iter();
                self.options
                    .by
                    .iter()
                    .map(|d| match d {
                        Dimension::Rule => (*d, rule.map(str::to_string)),
                        _ => (*d, values.next().cloned().flatten()),
                    })
                    .collect()
            };
            if self.by_rule {
                for (i, (rule, t)) in self.scoring.rules.iter().zip(&group.rules).enumerate() {
                    // Alone, `--by rule` lists every rule that was checked; within groups, the
                    // rules each group broke (a full matrix of zeros helps nobody).
                    let shown = if self.keyed.is_empty() {
                        t.applicable > 0 || t.findings > 0
                    } else {
                        t.broken > 0
                    };
                    if !shown {
                        continue;
                    }
                    let compare = comparison.map(|(c, label)| (c[i].rate(), label));
                    rows.push((
                        key.clone(),
                        GroupRow {
                            key: key_map(Some(&rule.id)),
                            scores: None,
                            rule: Some(GroupRule {
                                applicable: t.applicable,
                                broken: t.broken,
                                rate: t.rate(),
                                findings: t.findings,
                                compare_rate: compare.map(|c| c.0),
                                compare: compare.map(|c| c.1),
                            }),
                        },
                    ));
                }
                continue;
            }
            rows.push((
                key.clone(),
                GroupRow {
                    key: key_map(None),
                    scores: Some(self.group_scores(group, comparison)),
                    rule: None,
                },
            ));
        }
        self.sort_rows(&mut rows, rank);
        rows.into_iter().map(|(_, r)| r).collect()
    }

    fn group_scores(&self, group: &Group, comparison: Option<(&[RuleTally], &'static str)>) -> GroupScores {
        let mut top: Vec<(usize, &RuleTally)> = group
            .rules
            .iter()
            .enumerate()
            .filter(|(_, t)| t.broken > 0)
            .collect();
        // Coaching priorities: the rules that cost the group the most points (weight counts),
        // then the most severe, then the most often broken; rule order only breaks exact ties.
        let severity = |i: usize| self.scoring.rules[i].severity;
        top.sort_by(|(ia, a), (ib, b)| {
            b.lost
                .cmp(&a.lost)
                .then(severity(*ib).cmp(&severity(*ia)))
                .then(b.broken.cmp(&a.broken))
                .then(b.findings.cmp(&a.findings))
                .then(ia.cmp(ib))
        });
        let top_rules = top
            .into_iter()
            .take(TOP_RULES)
            .map(|(i, t)| {
                let (compare_rate, compare) =
                    comparison.map_or((0.0, "all"), |(c, label)| (c[i].rate(), label));
                TopRule {
                    rule: self.scoring.rules[i].id.clone(),
                    points: t.points(),
                    broken: t.broken,
                    applicable: t.applicable,
                    rate: t.rate(),
                    compare_rate,
                    compare,
                }
            })
            .collect();
        GroupScores {
            totals: totals(&group.stats, 0),
            team: self
                .keyed
                .contains(&Dimension::Agent)
                .then(|| most_common(&group.teams))
                .flatten(),
            top_rules,
            sections: section_means(&self.sections, &group.sections),
            trend: trend(&group.trend),
            worst_calls: group.worst.clone().into_items(),
        }
    }

    /// Rows in order: earlier `--by` values by name (rules by how often they are broken), the
    /// last one by what matters there: agents and teams from the lowest mean, rules from the
    /// highest rate, dates and files in order.
    fn sort_rows(&self, rows: &mut [(Vec<Option<String>>, GroupRow)], rank: &HashMap<&str, usize>) {
        let by = &self.options.by;
        rows.sort_by(|(_, a), (_, b)| {
            for (i, dimension) in by.iter().enumerate() {
                let last = i + 1 == by.len();
                let (va, vb) = (&a.key[dimension], &b.key[dimension]);
                // Calls that do not say (no agent, no date) come last, whatever their numbers.
                let known = va.is_none().cmp(&vb.is_none());
                if known.is_ne() {
                    return known;
                }
                let order = match (dimension, last) {
                    (Dimension::Rule, false) => rank_of(rank, va).cmp(&rank_of(rank, vb)),
                    (_, true) if a.rule.is_some() => {
                        let (ra, rb) = (a.rule.as_ref(), b.rule.as_ref());
                        let rate = |r: Option<&GroupRule>| r.map_or(0.0, |r| r.rate);
                        let broken = |r: Option<&GroupRule>| r.map_or(0, |r| r.broken);
                        rate(rb)
                            .total_cmp(&rate(ra))
                            .then(broken(rb).cmp(&broken(ra)))
                            .then(rank_of(rank, va).cmp(&rank_of(rank, vb)))
                            .then(by_name(va, vb))
                    }
                    (Dimension::Agent | Dimension::Team, true) => {
                        let mean = |r: &GroupRow| r.scores.as_ref().and_then(|s| s.totals.mean);
                        match (mean(a), mean(b)) {
                            (Some(x), Some(y)) => x.total_cmp(&y),
                            (Some(_), None) => std::cmp::Ordering::Less,
                            (None, Some(_)) => std::cmp::Ordering::Greater,
                            (None, None) => std::cmp::Ordering::Equal,
                        }
                        .then(by_name(va, vb))
                    }
                    _ => by_name(va, vb),
                };
                if order.is_ne() {
                    return order;
                }
            }
            std::cmp::Ordering::Equal
        });
    }

    fn notes(&self) -> Vec<String> {
        let mut notes = Vec::new();
        let calls = self.overall.stats.calls;
        if let (n, Some(example)) = &self.unmatched
            && let Some(pattern) = &self.options.path_pattern
        {
            notes.push(format!(
                "{n} of {calls} paths did not match --group-from-path '{}' (for example {example})",
                pattern.as_str()
            ));
        }
        for (i, dimension) in [Dimension::Agent, Dimension::Team, Dimension::Date]
            .iter()
            .enumerate()
        {
            let n = self.missing[i];
            if n > 0 && self.options.by.contains(dimension) {
                notes.push(format!(
                    "{n} of {calls} calls have no {0}: give it in a `# {0}:` header, a sidecar or a \
                     metadata table, or take it from the path with --group-from-path",
                    dimension.name()
                ));
            }
        }
        if let Some(example) = self.not_checked.first() {
            notes.push(format!(
                "{} {} not checked and {} in no count, mean or pass rate: no speaker could be \
                 identified as the agent (for example {}); map the speaker labels with \
                 --speaker-map or [speakers]",
                self.not_checked_count,
                if self.not_checked_count == 1 {
                    "call was"
                } else {
                    "calls were"
                },
                if self.not_checked_count == 1 { "is" } else { "are" },
                example.path
            ));
        }
        let unscored = calls - self.overall.stats.scored;
        if unscored > 0 {
            notes.push(format!(
                "{unscored} of {calls} calls were not scored: no rule that counts applied to them"
            ));
        }
        if self.error_count > self.errors.len() as u64 {
            notes.push(format!(
                "{} files could not be read; the first {} are listed",
                self.error_count,
                self.errors.len()
            ));
        }
        notes
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
}

fn rank_of(rank: &HashMap<&str, usize>, rule: &Option<String>) -> usize {
    rule.as_deref()
        .and_then(|r| rank.get(r))
        .copied()
        .unwrap_or(usize::MAX)
}

/// Names in order, unknown values last.
fn by_name(a: &Option<String>, b: &Option<String>) -> std::cmp::Ordering {
    (a.is_none(), a).cmp(&(b.is_none(), b))
}

/// The key with the highest count (the first in name order among equals).
fn most_common(counts: &HashMap<String, u64>) -> Option<String> {
    counts
        .iter()
        .max_by(|(ka, a), (kb, b)| a.cmp(b).then(kb.cmp(ka)))
        .map(|(k, _)| k.clone())
}

fn totals(stats: &ScoreStats, errors: u64) -> Totals {
    Totals {
        calls: stats.calls,
        scored: stats.scored,
        mean: stats.mean(),
        median: stats.median(),
        passed: stats.passed,
        pass_rate: stats.pass_rate(),
        auto_failed: stats.auto_failed,
        findings: stats.findings,
        calls_with_findings: stats.with_findings,
        errors,
        not_checked: 0,
    }
}

fn trend(points: &BTreeMap<String, (u64, u64)>) -> Vec<TrendPoint> {
    points
        .iter()
        .map(|(date, &(tenths, calls))| TrendPoint {
            date: date.clone(),
            mean: round1(tenths as f64 / 10.0 / calls as f64),
            calls,
        })
        .collect()
}

fn section_means(names: &[String], sums: &[(u64, u64)]) -> Vec<SectionMean> {
    names
        .iter()
        .zip(sums)
        .filter(|(_, (_, n))| *n > 0)
        .map(|(name, &(tenths, calls))| SectionMean {
            name: name.clone(),
            mean: round1(tenths as f64 / 10.0 / calls as f64),
            calls,
        })
        .collect()
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
            .map(|f| CallFinding {
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
            })
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
