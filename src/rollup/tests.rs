//! Roll-up tests on hand-made results: scores, grouping, comparisons and worst calls.

use std::sync::Arc;

use indexmap::IndexMap;

use super::model::{GroupRow, Report, TopRule};
use super::*;
use crate::finding::{FileError, Finding, NotApplicable, Scope, Severity};
use crate::score::{Scorecard, ScoredRule};
use crate::transcript::Position;

fn scoring() -> Arc<Scoring> {
    let rule = |id: &str, weight: f64| ScoredRule {
        id: id.into(),
        title: None,
        severity: Severity::Warning,
        weight,
        auto_fail: id == "t/swearing",
        section: None,
        scorecard: 0,
    };
    Arc::new(Scoring::from_rules(
        vec![
            rule("t/greeting", 1.0),
            rule("t/closing", 1.0),
            rule("t/swearing", 1.0),
            rule("t/hangup", 1.0),
        ],
        vec![Scorecard {
            rulebook: "t".into(),
            pass_mark: 75.0,
            declared: true,
            sections: vec![],
        }],
    ))
}

fn finding(rule: &str) -> Finding {
    Finding {
        rule: rule.into(),
        kind: "forbidden",
        severity: Severity::Warning,
        message: "m".into(),
        note: None,
        start: Position { line: 1, column: 1 },
        end: Position { line: 1, column: 1 },
        turn: Some(1),
        speaker: None,
        time: None,
        matched: None,
        suggestion: None,
        replacement: None,
        excerpt: Some("Agent: hi".into()),
    }
}

/// A call: its path, agent/team/date headers (empty: none), broken rules. `t/hangup` is not
/// applicable, so three rules count and each costs a third.
fn call(path: &str, meta: [&str; 3], broken: &[&str]) -> FileResult {
    let mut metadata = IndexMap::new();
    for (key, value) in ["agent", "team", "date"].into_iter().zip(meta) {
        if !value.is_empty() {
            metadata.insert(key.to_string(), value.to_string());
        }
    }
    FileResult::Checked(FileReport {
        path: path.into(),
        file: path.into(),
        metadata,
        findings: broken.iter().map(|r| finding(r)).collect(),
        not_applicable: vec![NotApplicable {
            rule: "t/hangup",
            reason: "r".into(),
            scope: Scope::Undecided,
        }],
        ..FileReport::default()
    })
}

fn corpus() -> Vec<FileResult> {
    vec![
        call("a/1.txt", ["Ann", "red", "2026-11-01"], &[]),
        call("a/2.txt", ["Ann", "red", "2026-11-02"], &["t/greeting"]),
        call(
            "b/1.txt",
            ["Bob", "red", "2026-11-01"],
            &["t/greeting", "t/closing"],
        ),
        call("b/2.txt", ["Bob", "red", "2026-11-02"], &["t/swearing"]),
        call("c/1.txt", ["Cai", "blue", "2026-11-01T09:00:00Z"], &[]),
        call("d/1.txt", ["", "", ""], &["t/closing"]),
    ]
}

fn run(by: &[Dimension], results: &[FileResult], pattern: Option<&str>) -> Report {
    let mut rollup = Rollup::new(
        scoring(),
        Options {
            by: by.to_vec(),
            path_pattern: pattern.map(|p| PathPattern::new(p).unwrap()),
            worst: 3,
            redaction: crate::redact::Redaction::Personal,
        },
    );
    for r in results {
        rollup.file(r).unwrap();
    }
    rollup.finish(vec!["t".into()])
}

fn key(row: &GroupRow) -> Vec<&str> {
    row.key.values().map(|v| v.as_deref().unwrap_or("-")).collect()
}

#[test]
fn totals_mean_median_and_pass_rate() {
    let report = run(&[Dimension::Rule], &corpus(), None);
    let s = &report.summary;
    // Scores: 100, 66.7, 33.3, 0 (auto-fail), 100, 66.7.
    assert_eq!((s.calls, s.scored, s.passed, s.auto_failed), (6, 6, 2, 1));
    assert_eq!(s.mean, Some(61.1));
    assert_eq!(s.median, Some(66.7));
    assert_eq!(s.pass_rate, Some(33.3));
    assert_eq!((s.findings, s.calls_with_findings), (5, 4));
    let bands: Vec<u64> = report.distribution.iter().map(|b| b.calls).collect();
    assert_eq!(bands, [1, 0, 0, 1, 0, 0, 2, 0, 0, 2]);
    assert_eq!(report.pass_mark, "75");
    assert_eq!(report.dates, Some(("2026-11-01".into(), "2026-11-02".into())));
}

#[test]
fn rules_count_calls_that_broke_them_among_those_they_applied_to() {
    let report = run(&[Dimension::Rule], &corpus(), None);
    let rows: Vec<(&str, u32, u32, f64)> = report
        .rules
        .iter()
        .map(|r| (r.rule.as_str(), r.broken, r.applicable, r.rate))
        .collect();
    assert_eq!(
        rows,
        [
            ("t/greeting", 2, 6, 33.3),
            ("t/closing", 2, 6, 33.3),
            ("t/swearing", 1, 6, 16.7)
        ],
        "t/hangup never applied"
    );
    // `--by rule` alone: one row per rule, no comparison.
    assert_eq!(report.groups.len(), 3);
    assert_eq!(report.groups[0].rule.as_ref().unwrap().compare, None);
}

#[test]
fn agents_are_compared_with_their_team() {
    let report = run(&[Dimension::Agent], &corpus(), None);
    let rows: Vec<(Vec<&str>, Option<f64>, Option<&str>)> = report
        .groups
        .iter()
        .map(|g| {
            let s = g.scores.as_ref().unwrap();
            (key(g), s.totals.mean, s.team.as_deref())
        })
        .collect();
    // Lowest mean first; the call without an agent last.
    assert_eq!(
        rows,
        [
            (vec!["Bob"], Some(16.7), Some("red")),
            (vec!["Ann"], Some(83.4), Some("red")),
            (vec!["Cai"], Some(100.0), Some("blue")),
            (vec!["-"], Some(66.7), None),
        ]
    );
    let bob = report.groups[0].scores.as_ref().unwrap();
    let top: Vec<(&str, u32, f64, &str, f64)> = bob
        .top_rules
        .iter()
        .map(|t| (t.rule.as_str(), t.broken, t.rate, t.compare, t.compare_rate))
        .collect();
    // Team red: greeting broken in 2 of 4 calls, closing in 1, swearing in 1. Swearing zeroed a
    // call (100 points); greeting and closing cost 33.3 each.
    assert_eq!(
        top,
        [
            ("t/swearing", 1, 50.0, "team", 25.0),
            ("t/greeting", 1, 50.0, "team", 50.0),
            ("t/closing", 1, 50.0, "team", 25.0)
        ]
    );
    // Without a team, an agent is compared with every call.
    let nobody = report.groups[3].scores.as_ref().unwrap();
    assert_eq!(nobody.top_rules[0].compare, "all");
    assert_eq!(nobody.top_rules[0].compare_rate, 33.3);
    // Trend per date, and the agent's worst calls for drill-down.
    let ann = report.groups[1].scores.as_ref().unwrap();
    let trend: Vec<(&str, f64)> = ann.trend.iter().map(|t| (t.date.as_str(), t.mean)).collect();
    assert_eq!(trend, [("2026-11-01", 100.0), ("2026-11-02", 66.7)]);
    let worst: Vec<&str> = bob.worst_calls.iter().map(|c| c.path.as_str()).collect();
    assert_eq!(worst, ["b/2.txt", "b/1.txt"]);
    assert!(
        report
            .notes
            .iter()
            .any(|n| n.starts_with("1 of 6 calls have no agent")),
        "{:?}",
        report.notes
    );
}

#[test]
fn several_dimensions_make_one_row_per_combination() {
    let report = run(&[Dimension::Team, Dimension::Agent], &corpus(), None);
    let keys: Vec<Vec<&str>> = report.groups.iter().map(key).collect();
    // Teams by name (unknown last), agents by mean within.
    assert_eq!(
        keys,
        [
            vec!["blue", "Cai"],
            vec!["red", "Bob"],
            vec!["red", "Ann"],
            vec!["-", "-"]
        ]
    );
    let report = run(&[Dimension::Agent, Dimension::Rule], &corpus(), None);
    let ann: Vec<(&str, f64, Option<f64>)> = report
        .groups
        .iter()
        .filter(|g| key(g)[0] == "Ann")
        .map(|g| {
            let r = g.rule.as_ref().unwrap();
            (key(g)[1], r.rate, r.compare_rate)
        })
        .collect();
    // Within groups, only the rules the group broke.
    assert_eq!(ann, [("t/greeting", 50.0, Some(50.0))]);
    let bob = report.groups.iter().filter(|g| key(g)[0] == "Bob").count();
    assert_eq!(bob, 3);
    let by_date = run(&[Dimension::Date], &corpus(), None);
    let dates: Vec<Vec<&str>> = by_date.groups.iter().map(key).collect();
    assert_eq!(dates, [vec!["2026-11-01"], vec!["2026-11-02"], vec!["-"]]);
    let day1 = by_date.groups[0].scores.as_ref().unwrap();
    assert_eq!((day1.totals.calls, day1.totals.mean), (3, Some(77.8)));
    assert!(day1.trend.is_empty(), "no trend within a date");
}

#[test]
fn worst_calls_are_the_lowest_scores_first() {
    let report = run(&[Dimension::Rule], &corpus(), None);
    let worst: Vec<(&str, f64, bool)> = report
        .worst_calls
        .iter()
        .map(|c| (c.path.as_str(), c.score, c.auto_fail))
        .collect();
    assert_eq!(
        worst,
        [
            ("b/2.txt", 0.0, true),
            ("b/1.txt", 33.3, false),
            ("a/2.txt", 66.7, false)
        ],
        "ties keep the order calls came in"
    );
    assert_eq!(report.worst_calls[0].metadata["agent"], "Bob");
    assert_eq!(report.worst_calls[1].findings.len(), 2);
}

#[test]
fn paths_fill_in_missing_agents_and_teams() {
    let results = vec![
        call("calls/green/Dee/1.txt", ["", "", ""], &[]),
        call("calls/green/Dee/2.txt", ["Eve", "", ""], &["t/greeting"]),
        call("loose.txt", ["", "", ""], &[]),
    ];
    let report = run(
        &[Dimension::Team, Dimension::Agent],
        &results,
        Some("{team}/{agent}/*"),
    );
    let keys: Vec<Vec<&str>> = report.groups.iter().map(key).collect();
    assert_eq!(
        keys,
        [vec!["green", "Eve"], vec!["green", "Dee"], vec!["-", "-"]],
        "the header's agent wins over the folder"
    );
    assert!(
        report.notes[0].starts_with(
            "1 of 3 paths did not match --group-from-path '{team}/{agent}/*' (for example loose.txt)"
        ),
        "{:?}",
        report.notes
    );
}

#[test]
fn unreadable_files_and_unscored_calls_are_counted() {
    let mut results = corpus();
    results.push(FileResult::Failed(FileError {
        path: "bad.txt".into(),
        error: "line 1: nonsense".into(),
    }));
    let FileResult::Checked(mut unscored) = call("e/1.txt", ["Ann", "red", ""], &[]) else {
        unreachable!()
    };
    unscored.not_applicable = ["t/greeting", "t/closing", "t/swearing", "t/hangup"]
        .iter()
        .map(|r| NotApplicable {
            rule: r,
            reason: "r".into(),
            scope: Scope::Language,
        })
        .collect();
    results.push(FileResult::Checked(unscored));
    let report = run(&[Dimension::Agent], &results, None);
    assert_eq!(
        (report.summary.calls, report.summary.scored, report.summary.errors),
        (7, 6, 1)
    );
    assert_eq!(report.errors[0].path, "bad.txt");
    assert!(
        report
            .notes
            .iter()
            .any(|n| n == "1 of 7 calls were not scored: no rule that counts applied to them")
    );
}

/// A rule of the coaching test's scorecard.
fn weighted(id: &str, weight: f64, severity: Severity) -> ScoredRule {
    ScoredRule {
        id: id.into(),
        title: None,
        severity,
        weight,
        auto_fail: id.starts_with("t/auto"),
        section: None,
        scorecard: 0,
    }
}

/// One agent's calls against `rules`, each call breaking the rules listed for it.
fn coached(rules: Vec<ScoredRule>, calls: &[&[&str]]) -> Vec<TopRule> {
    let scoring = Arc::new(Scoring::from_rules(
        rules,
        vec![Scorecard {
            rulebook: "t".into(),
            pass_mark: 80.0,
            declared: true,
            sections: vec![],
        }],
    ));
    let mut rollup = Rollup::new(
        scoring,
        Options {
            by: vec![Dimension::Agent],
            path_pattern: None,
            worst: 3,
            redaction: crate::redact::Redaction::Personal,
        },
    );
    for (i, broken) in calls.iter().enumerate() {
        let mut metadata = IndexMap::new();
        metadata.insert("agent".to_string(), "Ann".to_string());
        let path = format!("{i}.txt");
        let result = FileResult::Checked(FileReport {
            path: path.clone(),
            file: path,
            metadata,
            findings: broken.iter().map(|r| finding(r)).collect(),
            ..FileReport::default()
        });
        rollup.file(&result).unwrap();
    }
    let report = rollup.finish(vec!["t".into()]);
    report.groups[0].scores.as_ref().unwrap().top_rules.clone()
}

#[test]
fn coaching_priorities_rank_by_points_lost_then_severity_then_count() {
    // One call breaks all four: every rate is 100%, so rule order used to decide. Weights 1, 3,
    // 1, 1 of 6 cost 16.7, 50, 16.7 and 16.7 points.
    let top = coached(
        vec![
            weighted("t/info-note", 1.0, Severity::Info),
            weighted("t/heavy", 3.0, Severity::Warning),
            weighted("t/light", 1.0, Severity::Warning),
            weighted("t/severe", 1.0, Severity::Error),
        ],
        &[&["t/info-note", "t/heavy", "t/light", "t/severe"]],
    );
    let ranked: Vec<(&str, f64)> = top.iter().map(|t| (t.rule.as_str(), t.points)).collect();
    assert_eq!(
        ranked,
        [("t/heavy", 50.0), ("t/severe", 16.7), ("t/light", 16.7)],
        "the most points, then the most severe among equal points"
    );
    // Equal points and severity: the rule broken in more calls first. t/once (weight 2) costs
    // 50 points in one call, t/twice (weight 1) 25 in each of two.
    let top = coached(
        vec![
            weighted("t/once", 2.0, Severity::Warning),
            weighted("t/twice", 1.0, Severity::Warning),
            weighted("t/other", 1.0, Severity::Warning),
        ],
        &[&["t/once"], &["t/twice"], &["t/twice"]],
    );
    let ranked: Vec<(&str, f64, u32)> = top
        .iter()
        .map(|t| (t.rule.as_str(), t.points, t.broken))
        .collect();
    assert_eq!(ranked, [("t/twice", 50.0, 2), ("t/once", 50.0, 1)]);
    // A coaching note of weight 0 costs nothing and comes after every rule that costs points.
    let top = coached(
        vec![
            weighted("t/note", 0.0, Severity::Info),
            weighted("t/rule", 1.0, Severity::Warning),
        ],
        &[&["t/note", "t/rule"]],
    );
    let ranked: Vec<(&str, f64)> = top.iter().map(|t| (t.rule.as_str(), t.points)).collect();
    assert_eq!(ranked, [("t/rule", 100.0), ("t/note", 0.0)]);
    // An auto-fail costs the call everything the other rules did not: 33.3 points of its own
    // share and the 33.4 the call would have kept.
    let top = coached(
        vec![
            weighted("t/minor", 1.0, Severity::Warning),
            weighted("t/auto-fail", 1.0, Severity::Warning),
            weighted("t/other", 1.0, Severity::Warning),
        ],
        &[&["t/minor", "t/auto-fail"]],
    );
    let ranked: Vec<(&str, f64)> = top.iter().map(|t| (t.rule.as_str(), t.points)).collect();
    assert_eq!(ranked, [("t/auto-fail", 66.7), ("t/minor", 33.3)]);
}
