//! Finishing a roll-up: its counters turned into the [`Report`] every output format draws
//! from — rule rows, group rows ranked and compared with their team, totals, trends, section
//! means and the notes on what could not be grouped.

use std::collections::{BTreeMap, HashMap};

use indexmap::IndexMap;

use super::model::{
    Band, GroupRow, GroupRule, GroupScores, Report, RuleRow, SectionMean, TopRule, Totals, TrendPoint,
};
use super::stats::{RuleTally, ScoreStats};
use super::{Dimension, Group, Rollup, TOP_RULES};
use crate::score::round1;

impl Rollup {
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
