//! Scorecards: a score from 0 to 100 per call, from the rules that applied to it.
//!
//! Contact-centre QA scores calls on weighted items. Here every enabled rule is an item:
//!
//! - its **weight** is the rulebook's `weight` key, 1 by default; rules of severity `info` are
//!   coaching notes and weigh 0 unless they set a weight, so their findings cost no points;
//! - a rule that was **not applicable** to the call (could not be judged, another language,
//!   another channel, a reply template) is left out, weight and all;
//! - an applicable rule with at least one finding is **broken** and costs its whole weight, however
//!   many findings it has;
//! - the score is `100 × (applicable weight − broken weight) ÷ applicable weight`, rounded to one
//!   decimal, and the rounded score is compared with the pass mark;
//! - a finding of an **auto-fail** rule makes the score 0 whatever else happened;
//! - a call with no applicable weighted rule and no auto-fail finding is **not scored**.
//!
//! Each top-level rulebook has a scorecard (`[scorecard]`: `pass_mark`, default 80, and named
//! sections). When the rules that judged one call come from rulebooks with different pass marks,
//! the highest applies: the call has to meet every scorecard's bar. Section scores are computed
//! the same way over the section's rules, without auto-fail, so they show where points went.
//!
//! Scores count the findings a report shows: findings silenced by a suppression comment or a
//! baseline cost nothing, and callcheck's own findings (unused suppressions) are no rule's.

use std::collections::HashMap;

use serde::Serialize;

use crate::finding::{FileReport, Severity, intern};

/// The pass mark of a rulebook without a `[scorecard] pass_mark`.
pub const DEFAULT_PASS_MARK: f64 = 80.0;

/// A top-level rulebook's resolved `[scorecard]`.
#[derive(Clone, Debug, PartialEq)]
pub struct Scorecard {
    /// The rulebook's id.
    pub rulebook: String,
    /// The score a call needs to pass.
    pub pass_mark: f64,
    /// True when the rulebook (or one it extends) sets the pass mark.
    pub declared: bool,
    /// Section names, in order.
    pub sections: Vec<String>,
}

/// How one enabled rule counts in the score.
#[derive(Clone, Debug, PartialEq)]
pub struct ScoredRule {
    /// Full rule id.
    pub id: String,
    /// One-line title.
    pub title: Option<String>,
    /// Severity of its findings.
    pub severity: Severity,
    /// Its share of the score (0: left out).
    pub weight: f64,
    /// A finding makes the call's score 0.
    pub auto_fail: bool,
    /// Its scorecard section.
    pub section: Option<String>,
    /// Index of its scorecard in [`Scoring::scorecards`].
    pub scorecard: usize,
}

impl ScoredRule {
    /// True when the rule can change a score.
    pub fn counts(&self) -> bool {
        self.weight > 0.0 || self.auto_fail
    }
}

/// The scoring model of a run: every enabled rule's weight, auto-fail and section.
#[derive(Clone, Debug, Default)]
pub struct Scoring {
    /// Enabled rules, in rule-set order.
    pub rules: Vec<ScoredRule>,
    /// The scorecards of the top-level rulebooks.
    pub scorecards: Vec<Scorecard>,
    index: HashMap<String, usize>,
    /// Per rule: [`Scoring::index_of`] its id (itself, as rule ids are unique in a rule set).
    canonical: Vec<usize>,
    /// Each rule's id, [`intern`]ed: a report's rules not applicable carry the same copies, so
    /// [`Scoring::position`] finds them by address.
    interned: Vec<&'static str>,
    /// Section names of every scorecard, each once ([`Scoring::sections`]).
    section_names: Vec<String>,
    /// Per rule: the position of its section in `section_names`, and its scorecard's pass mark.
    placement: Vec<(Option<usize>, f64)>,
}

/// A rule that cost a call points.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Lost {
    /// Full rule id.
    pub rule: String,
    /// The rule's weight.
    pub weight: f64,
    /// Points of the 100 it cost (its share of the applicable weight), one decimal.
    pub points: f64,
    /// Its findings in the call.
    pub findings: usize,
    /// True when it is an auto-fail rule: the call scores 0.
    pub auto_fail: bool,
}

/// A section's score in one call.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SectionScore {
    /// The section name.
    pub name: String,
    /// Its score, 0–100, one decimal (auto-fail does not zero it).
    pub score: f64,
}

/// One call's score.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Score {
    /// 0–100, one decimal.
    pub score: f64,
    /// The pass mark that applies to the call.
    pub pass_mark: f64,
    /// `score >= pass_mark`.
    pub passed: bool,
    /// An auto-fail rule was broken.
    pub auto_fail: bool,
    /// The rules that cost points, auto-fail rules first, then by points.
    pub lost: Vec<Lost>,
    /// Scores of the sections that had applicable rules, in scorecard order.
    pub sections: Vec<SectionScore>,
}

impl Score {
    /// The score in tenths of a point (0–1000), for exact counting.
    pub fn tenths(&self) -> u16 {
        to_tenths(self.score)
    }

    /// Points lost to a rule, if it cost any.
    pub fn points_of(&self, rule: &str) -> Option<f64> {
        self.lost.iter().find(|l| l.rule == rule).map(|l| l.points)
    }
}

/// Rounds to one decimal.
pub fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

/// A score in tenths of a point.
pub fn to_tenths(score: f64) -> u16 {
    (score * 10.0).round().clamp(0.0, 1000.0) as u16
}

impl Scoring {
    /// A model from the scored rules and their scorecards ([`crate::rulebook::RuleSet::scoring`]
    /// builds it from a rule set; tests and reports build it directly).
    pub fn from_rules(rules: Vec<ScoredRule>, scorecards: Vec<Scorecard>) -> Scoring {
        let index: HashMap<String, usize> =
            rules.iter().enumerate().map(|(i, r)| (r.id.clone(), i)).collect();
        let canonical = rules.iter().map(|r| index[&r.id]).collect();
        let interned = rules.iter().map(|r| intern(&r.id)).collect();
        let mut section_names: Vec<String> = Vec::new();
        for name in scorecards.iter().flat_map(|s| &s.sections) {
            if !section_names.contains(name) {
                section_names.push(name.clone());
            }
        }
        let placement = rules
            .iter()
            .map(|rule| {
                let section =
                    (rule.section.as_ref()).and_then(|name| section_names.iter().position(|s| s == name));
                let mark = scorecards
                    .get(rule.scorecard)
                    .map_or(DEFAULT_PASS_MARK, |s| s.pass_mark);
                (section, mark)
            })
            .collect();
        Scoring {
            rules,
            scorecards,
            index,
            canonical,
            interned,
            section_names,
            placement,
        }
    }

    /// The position of a rule in [`Scoring::rules`].
    pub fn index_of(&self, id: &str) -> Option<usize> {
        self.index.get(id).copied()
    }

    /// Where [`Scoring::outcomes`] and [`Scoring::index_of`] put rule `i` of [`Scoring::rules`]
    /// (`i` itself: rule ids are unique in a rule set).
    pub fn slot(&self, i: usize) -> usize {
        self.canonical[i]
    }

    /// [`Scoring::index_of`], trying the few positions from `guess` on first, without hashing:
    /// reports list the rules not applicable in rule-set order, so the next is most often the
    /// one after the last, or a few rules (those that applied) further.
    fn position(&self, id: &str, guess: usize) -> Option<usize> {
        /// How many positions are tried before hashing.
        const AHEAD: usize = 16;
        let ahead = self.interned.get(guess..).unwrap_or_default().iter().take(AHEAD);
        match ahead
            .zip(guess..)
            .find(|&(&kept, _)| std::ptr::eq(kept, id) || kept == id)
        {
            Some((_, at)) => Some(self.canonical[at]),
            None => self.index_of(id),
        }
    }

    /// Per rule, by position in [`Scoring::rules`] (the position [`Scoring::index_of`] gives):
    /// whether it was not applicable to a call, and its findings in it.
    pub fn outcomes(&self, report: &FileReport) -> (Vec<bool>, Vec<usize>) {
        let mut not_applicable = vec![false; self.rules.len()];
        let mut next = 0;
        for n in &report.not_applicable {
            if let Some(i) = self.position(n.rule, next) {
                not_applicable[i] = true;
                next = i + 1;
            }
        }
        let mut findings = vec![0usize; self.rules.len()];
        let mut last = 0;
        for f in &report.findings {
            // A rule's findings often come one after another.
            if let Some(i) = self.position(&f.rule, last) {
                findings[i] += 1;
                last = i;
            }
        }
        (not_applicable, findings)
    }

    /// True when no enabled rule counts towards a score.
    pub fn is_empty(&self) -> bool {
        !self.rules.iter().any(ScoredRule::counts)
    }

    /// The distinct pass marks of the scorecards whose rules count, lowest first.
    pub fn pass_marks(&self) -> Vec<f64> {
        let mut marks: Vec<f64> = self
            .rules
            .iter()
            .filter(|r| r.counts())
            .filter_map(|r| self.scorecards.get(r.scorecard).map(|s| s.pass_mark))
            .collect();
        marks.sort_by(f64::total_cmp);
        marks.dedup();
        if marks.is_empty() {
            marks.push(DEFAULT_PASS_MARK);
        }
        marks
    }

    /// The pass mark as reports state it: "80", or "80–90" when scorecards differ.
    pub fn pass_mark_text(&self) -> String {
        let marks = self.pass_marks();
        match (marks.first(), marks.last()) {
            (Some(low), Some(high)) if low != high => format!("{}–{}", number(*low), number(*high)),
            (Some(mark), _) => number(*mark),
            _ => number(DEFAULT_PASS_MARK),
        }
    }

    /// Section names of every scorecard, in order, each once.
    pub fn sections(&self) -> Vec<String> {
        self.section_names.clone()
    }

    /// Scores one checked call; `None` when no rule that counts applied to it.
    pub fn score(&self, report: &FileReport) -> Option<Score> {
        if self.rules.is_empty() {
            return None;
        }
        // Called for every call by several reporters: rules are looked up by position, once
        // per finding and per rule not applicable, never by scanning.
        let (not_applicable, findings) = self.outcomes(report);
        self.score_outcomes(&not_applicable, &findings)
    }

    /// [`Scoring::score`] of a call whose [`Scoring::outcomes`] are known.
    pub fn score_outcomes(&self, not_applicable: &[bool], findings: &[usize]) -> Option<Score> {
        if self.rules.is_empty() {
            return None;
        }
        let mut possible = 0.0;
        let mut broken_weight = 0.0;
        let mut auto_fail = false;
        let mut pass_mark: Option<f64> = None;
        let mut broken: Vec<(&ScoredRule, usize)> = Vec::new();
        // Per section: applicable weight and broken weight.
        let mut by_section: Vec<(f64, f64)> = vec![(0.0, 0.0); self.section_names.len()];
        for (i, rule) in self.rules.iter().enumerate() {
            if !rule.counts() || not_applicable[i] {
                continue;
            }
            let count = findings[i];
            possible += rule.weight;
            let (section, mark) = self.placement[i];
            pass_mark = Some(pass_mark.map_or(mark, |m: f64| m.max(mark)));
            if let Some(s) = section {
                by_section[s].0 += rule.weight;
            }
            if count > 0 {
                broken_weight += rule.weight;
                auto_fail |= rule.auto_fail;
                broken.push((rule, count));
                if let Some(s) = section {
                    by_section[s].1 += rule.weight;
                }
            }
        }
        let pass_mark = pass_mark?;
        if possible <= 0.0 && !auto_fail {
            return None;
        }
        let share = |weight: f64| {
            if possible > 0.0 {
                round1(100.0 * weight / possible)
            } else {
                0.0
            }
        };
        let score = if auto_fail {
            0.0
        } else {
            round1(100.0 * (possible - broken_weight) / possible)
        };
        let mut lost: Vec<Lost> = broken
            .into_iter()
            .map(|(rule, findings)| Lost {
                rule: rule.id.clone(),
                weight: rule.weight,
                points: share(rule.weight),
                findings,
                auto_fail: rule.auto_fail,
            })
            .collect();
        // Stable: rules keep rule-set order within equal points.
        lost.sort_by(|a, b| b.auto_fail.cmp(&a.auto_fail).then(b.points.total_cmp(&a.points)));
        let sections = self
            .section_names
            .iter()
            .cloned()
            .zip(by_section)
            .filter(|(_, (possible, _))| *possible > 0.0)
            .map(|(name, (possible, broken))| SectionScore {
                name,
                score: round1(100.0 * (possible - broken) / possible),
            })
            .collect();
        Some(Score {
            score,
            pass_mark,
            passed: to_tenths(score) >= to_tenths(pass_mark),
            auto_fail,
            lost,
            sections,
        })
    }
}

/// A rule's weight: as written, else 1, or 0 for info rules.
pub fn effective_weight(written: Option<f64>, severity: Severity) -> f64 {
    written.unwrap_or(if severity == Severity::Info { 0.0 } else { 1.0 })
}

/// A number as people write it: "80", "82.5".
pub fn number(x: f64) -> String {
    let x = round1(x);
    if x.fract() == 0.0 {
        format!("{x:.0}")
    } else {
        format!("{x:.1}")
    }
}

/// Running score totals for a check report's summary.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct ScoreTally {
    /// Calls with a score.
    pub scored: usize,
    /// Scored calls at or above their pass mark.
    pub passed: usize,
    /// Scored calls with an auto-fail finding.
    pub auto_failed: usize,
    /// Mean score of the scored calls, one decimal (`None`: none scored).
    pub mean: Option<f64>,
    #[serde(skip)]
    tenths: u64,
}

impl ScoreTally {
    /// Adds one call's score.
    pub fn add(&mut self, score: Option<&Score>) {
        let Some(score) = score else { return };
        self.scored += 1;
        self.passed += usize::from(score.passed);
        self.auto_failed += usize::from(score.auto_fail);
        self.tenths += u64::from(score.tenths());
        self.mean = Some(round1(self.tenths as f64 / 10.0 / self.scored as f64));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::{Finding, NotApplicable, Scope};
    use crate::transcript::Position;

    fn rule(id: &str, weight: f64) -> ScoredRule {
        ScoredRule {
            id: id.into(),
            title: None,
            severity: Severity::Warning,
            weight,
            auto_fail: false,
            section: None,
            scorecard: 0,
        }
    }

    fn card(pass_mark: f64) -> Scorecard {
        Scorecard {
            rulebook: "t".into(),
            pass_mark,
            declared: true,
            sections: vec![],
        }
    }

    fn finding(rule: &str) -> Finding {
        Finding {
            rule: rule.into(),
            kind: "forbidden",
            severity: Severity::Warning,
            message: "m".into(),
            note: None,
            start: Position::default(),
            end: Position::default(),
            turn: None,
            speaker: None,
            time: None,
            matched: None,
            suggestion: None,
            replacement: None,
            excerpt: None,
        }
    }

    fn report(findings: &[&str], not_applicable: &[(&str, Scope)]) -> FileReport {
        FileReport {
            findings: findings.iter().map(|r| finding(r)).collect(),
            not_applicable: not_applicable
                .iter()
                .map(|(rule, scope)| NotApplicable {
                    rule: crate::finding::intern(rule),
                    reason: "r".into(),
                    scope: *scope,
                })
                .collect(),
            ..FileReport::default()
        }
    }

    #[test]
    fn weights_share_the_score() {
        let scoring = Scoring::from_rules(
            vec![rule("t/a", 2.0), rule("t/b", 1.0), rule("t/c", 1.0)],
            vec![card(80.0)],
        );
        let s = scoring.score(&report(&["t/a", "t/a"], &[])).unwrap();
        assert_eq!(s.score, 50.0);
        assert!(!s.passed);
        assert_eq!(
            s.lost,
            [Lost {
                rule: "t/a".into(),
                weight: 2.0,
                points: 50.0,
                findings: 2,
                auto_fail: false
            }]
        );
        let s = scoring.score(&report(&["t/c"], &[])).unwrap();
        assert_eq!((s.score, s.passed), (75.0, false));
        assert_eq!(scoring.score(&report(&[], &[])).unwrap().score, 100.0);
        // Thirds are rounded to one decimal.
        let thirds = Scoring::from_rules(
            vec![rule("t/a", 1.0), rule("t/b", 1.0), rule("t/c", 1.0)],
            vec![card(66.7)],
        );
        let s = thirds.score(&report(&["t/a"], &[])).unwrap();
        assert_eq!((s.score, s.lost[0].points, s.passed), (66.7, 33.3, true));
    }

    #[test]
    fn not_applicable_and_out_of_scope_rules_are_left_out() {
        let scoring = Scoring::from_rules(
            vec![rule("t/a", 1.0), rule("t/b", 1.0), rule("t/c", 2.0)],
            vec![card(80.0)],
        );
        let s = scoring
            .score(&report(
                &["t/a"],
                &[("t/b", Scope::Undecided), ("t/c", Scope::Language)],
            ))
            .unwrap();
        assert_eq!(s.score, 0.0, "only t/a applied, and it was broken");
        assert!(!s.auto_fail);
        let s = scoring
            .score(&report(&["t/a"], &[("t/c", Scope::Template)]))
            .unwrap();
        assert_eq!(s.score, 50.0);
        // Nothing applied: not scored.
        let none = report(
            &[],
            &[
                ("t/a", Scope::Undecided),
                ("t/b", Scope::Channel),
                ("t/c", Scope::Language),
            ],
        );
        assert_eq!(scoring.score(&none), None);
    }

    #[test]
    fn auto_fail_zeroes_the_score_but_not_the_sections() {
        let mut critical = rule("t/critical", 1.0);
        critical.auto_fail = true;
        critical.section = Some("Courtesy".into());
        let mut greeting = rule("t/greeting", 3.0);
        greeting.section = Some("Opening".into());
        let mut scorecard = card(80.0);
        scorecard.sections = vec!["Opening".into(), "Courtesy".into()];
        let scoring = Scoring::from_rules(vec![greeting, critical], vec![scorecard]);
        let s = scoring.score(&report(&["t/critical"], &[])).unwrap();
        assert_eq!((s.score, s.passed, s.auto_fail), (0.0, false, true));
        assert_eq!(s.lost[0].rule, "t/critical");
        assert_eq!(s.lost[0].points, 25.0);
        assert_eq!(
            s.sections,
            [
                SectionScore {
                    name: "Opening".into(),
                    score: 100.0
                },
                SectionScore {
                    name: "Courtesy".into(),
                    score: 0.0
                }
            ]
        );
        // An auto-fail rule of weight 0 still zeroes the score.
        let mut zero = rule("t/zero", 0.0);
        zero.auto_fail = true;
        let scoring = Scoring::from_rules(vec![zero], vec![card(80.0)]);
        assert_eq!(scoring.score(&report(&["t/zero"], &[])).unwrap().score, 0.0);
        assert_eq!(scoring.score(&report(&[], &[])), None);
    }

    #[test]
    fn info_rules_weigh_nothing_unless_weighted() {
        assert_eq!(effective_weight(None, Severity::Info), 0.0);
        assert_eq!(effective_weight(None, Severity::Error), 1.0);
        assert_eq!(effective_weight(Some(2.5), Severity::Info), 2.5);
        let mut note = rule("t/note", 0.0);
        note.severity = Severity::Info;
        let scoring = Scoring::from_rules(vec![rule("t/a", 1.0), note], vec![card(80.0)]);
        let s = scoring.score(&report(&["t/note"], &[])).unwrap();
        assert_eq!((s.score, s.lost.len()), (100.0, 0));
        // Findings of rules the model does not know (callcheck's own) cost nothing.
        assert_eq!(
            scoring
                .score(&report(&["callcheck/unused-suppression"], &[]))
                .unwrap()
                .score,
            100.0
        );
    }

    #[test]
    fn pass_mark_is_inclusive_and_the_highest_applies() {
        let mut strict = rule("s/a", 1.0);
        strict.scorecard = 1;
        let scoring = Scoring::from_rules(
            vec![
                rule("t/a", 1.0),
                rule("t/b", 1.0),
                rule("t/c", 1.0),
                rule("t/d", 1.0),
                strict,
            ],
            vec![card(80.0), card(90.0)],
        );
        // 4 of 5 passed: 80, but the strict scorecard's rule applied, so 90 is the bar.
        let s = scoring.score(&report(&["t/a"], &[])).unwrap();
        assert_eq!((s.score, s.pass_mark, s.passed), (80.0, 90.0, false));
        // Without the strict rule, 3 of 4: 75 < 80; with one more rule passed, exactly 80 passes.
        let s = scoring
            .score(&report(&["t/a"], &[("s/a", Scope::Language)]))
            .unwrap();
        assert_eq!((s.score, s.pass_mark, s.passed), (75.0, 80.0, false));
        let five = Scoring::from_rules(
            (0..5).map(|i| rule(&format!("t/{i}"), 1.0)).collect(),
            vec![card(80.0)],
        );
        let s = five.score(&report(&["t/0"], &[])).unwrap();
        assert_eq!((s.score, s.passed), (80.0, true));
        assert_eq!(scoring.pass_mark_text(), "80–90");
        assert_eq!(five.pass_mark_text(), "80");
    }

    #[test]
    fn tally_counts_scored_calls() {
        let scoring = Scoring::from_rules(vec![rule("t/a", 1.0), rule("t/b", 1.0)], vec![card(80.0)]);
        let mut tally = ScoreTally::default();
        tally.add(scoring.score(&report(&[], &[])).as_ref());
        tally.add(scoring.score(&report(&["t/a"], &[])).as_ref());
        tally.add(None);
        assert_eq!((tally.scored, tally.passed, tally.mean), (2, 1, Some(75.0)));
        assert_eq!(number(80.0), "80");
        assert_eq!(number(82.25), "82.3");
    }
}
