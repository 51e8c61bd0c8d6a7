//! The evaluation as text: aligned tables for a terminal, GitHub-flavoured Markdown (for a
//! QUALITY.md page), or one JSON document. Every percentage comes with its counts, `96% (48/50)`,
//! and a ratio whose denominator is 0 is `–`.

use std::fmt::Write as _;

use colored::Colorize;

use crate::paint::Paint;

/// How a stream with colour on shows a styled string (callers decide whether colour is on).
const COLOR: Paint = Paint::new(true);
use serde::Serialize;

use super::{Counts, Evaluation, GateReport, Metric, Outcome, Ratio, percent};
use crate::rollup::render::markdown::{cell, header, row};
use crate::rollup::render::table::{Cell, Style, layout, number, text};

/// The formats of `callcheck eval --format`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// Aligned tables for a terminal.
    Pretty,
    /// GitHub-flavoured Markdown.
    Markdown,
    /// One JSON document.
    Json,
}

/// Renders the evaluation; `color` applies to the pretty format only.
pub fn render(evaluation: &Evaluation, gates: &GateReport, format: Format, color: bool) -> String {
    match format {
        Format::Pretty => pretty(evaluation, gates, color),
        Format::Markdown => markdown(evaluation),
        Format::Json => json(evaluation, gates),
    }
}

/// `66.7%`, or `–`.
fn f1(counts: &Counts) -> String {
    counts.f1().map_or_else(|| "–".to_string(), percent)
}

/// The closing line: every label counted together.
fn overall(e: &Evaluation) -> String {
    format!(
        "precision {}, recall {}, F1 {} over {} on {}",
        e.total.precision(),
        e.total.recall(),
        f1(&e.total),
        plural(e.total.labels, "label", "labels"),
        plural(e.calls, "call", "calls"),
    )
}

fn plural(n: usize, one: &str, many: &str) -> String {
    crate::report::table::plural(n, one, many)
}

/// True when a gate failed for this check and metric.
fn failed(gates: &GateReport, check: &str, metric: Metric) -> bool {
    gates
        .failures
        .iter()
        .any(|f| f.check == check && f.metric == metric)
}

/// No table is cut: checks, rule ids and paths are what people search for.
const NO_LIMIT: usize = usize::MAX;

/// Aligned tables for a terminal; cells below a gate in red.
fn pretty(e: &Evaluation, gates: &GateReport, color: bool) -> String {
    let heading = |text: &str| {
        if color {
            format!("{}\n", COLOR.show(text.bold()))
        } else {
            format!("{text}\n")
        }
    };
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Compared {} ({}, {}) in {} with the findings.\n",
        plural(e.total.labels, "label", "labels"),
        plural(e.checks.len(), "check", "checks"),
        plural(e.calls, "call", "calls"),
        e.labels
    );

    out.push_str(&heading("By check"));
    let columns = [
        text("check"),
        number("labels"),
        number("TP"),
        number("FP"),
        number("FN"),
        number("TN"),
        number("precision"),
        number("recall"),
        number("F1"),
    ];
    let rows: Vec<Vec<Cell>> = e
        .checks
        .iter()
        .map(|r| {
            let c = &r.counts;
            let judged = |metric: Metric, ratio: Ratio| {
                let style = if failed(gates, &r.check, metric) {
                    Style::Bad
                } else {
                    Style::Plain
                };
                Cell::styled(ratio.to_string(), style)
            };
            vec![
                Cell::new(&r.check),
                Cell::new(c.labels.to_string()),
                Cell::new(c.tp.to_string()),
                Cell::new(c.fp.to_string()),
                Cell::new(c.fn_.to_string()),
                Cell::new(c.tn.to_string()),
                judged(Metric::Precision, c.precision()),
                judged(Metric::Recall, c.recall()),
                Cell::new(f1(c)),
            ]
        })
        .collect();
    out.push_str(&layout(&columns, &rows, NO_LIMIT, color));

    out.push('\n');
    out.push_str(&heading("By rule"));
    let columns = [
        text("rule"),
        text("checks"),
        number("fired"),
        number("TP"),
        number("FP"),
        number("precision"),
        number("recall"),
    ];
    let rows: Vec<Vec<Cell>> = e
        .rules
        .iter()
        .map(|r| {
            vec![
                Cell::new(&r.rule),
                Cell::new(r.checks.join(", ")),
                Cell::new(r.fired.to_string()),
                Cell::new(r.tp.to_string()),
                Cell::new(r.fp.to_string()),
                Cell::new(r.precision().to_string()),
                Cell::new(r.recall.map_or_else(String::new, |r| r.to_string())),
            ]
        })
        .collect();
    out.push_str(&layout(&columns, &rows, NO_LIMIT, color));
    if e.rules.iter().any(|r| r.recall.is_none()) {
        out.push_str("  (recall per rule only where labels name the rule itself)\n");
    }

    out.push('\n');
    out.push_str(&heading("Disagreements"));
    if e.disagreements.is_empty() {
        out.push_str("  none: the rules agree with every label\n");
    }
    for d in &e.disagreements {
        let tag = match (d.outcome, color) {
            (Outcome::FalsePositive, true) => COLOR.string(d.outcome.short().yellow().bold()),
            (_, true) => COLOR.string(d.outcome.short().red().bold()),
            _ => d.outcome.short().to_string(),
        };
        let location = if color {
            COLOR.string(d.location().bold())
        } else {
            d.location()
        };
        // A check that is one rule's id needs no repeating.
        let what = if d.rules.len() == 1 && d.rules[0] == d.check {
            d.check.clone()
        } else {
            format!("{} ({})", d.check, d.rules.join(", "))
        };
        let _ = writeln!(out, "  {tag}  {location}  {what}");
        let _ = writeln!(out, "      tool: {}", d.said());
        let said = format!("label: {}", d.expected.as_str());
        match &d.note {
            Some(note) => {
                let _ = writeln!(out, "      {said}, {note}");
            }
            None => {
                let _ = writeln!(out, "      {said}");
            }
        }
    }
    let _ = writeln!(out, "\nOverall (micro-averaged): {}.", overall(e));
    let _ = writeln!(out, "{}", uncertainty(&e.total));
    out
}

/// How far the totals can be trusted with this many labels: their 95% intervals.
fn uncertainty(total: &Counts) -> String {
    format!(
        "Likely range with this many labels (95% Wilson interval): precision {}, recall {}.",
        total.precision().interval_text(),
        total.recall().interval_text(),
    )
}

/// A location in a Markdown code span.
fn code(text: &str) -> String {
    format!("`{}`", text.replace('`', "'").replace('|', "\\|"))
}

/// GitHub-flavoured Markdown: a heading, the totals, the two tables and the disagreements.
fn markdown(e: &Evaluation) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# Rulebook quality\n");
    let _ = writeln!(
        out,
        "Labels: {} · {} · micro-averaged precision **{}**, recall **{}**, F1 **{}**.\n",
        code(&e.labels),
        format_args!(
            "{} on {}",
            plural(e.total.labels, "label", "labels"),
            plural(e.calls, "call", "calls")
        ),
        e.total.precision(),
        e.total.recall(),
        f1(&e.total),
    );
    let _ = writeln!(out, "{}\n", uncertainty(&e.total));

    let _ = writeln!(out, "## By check\n");
    out.push_str(&header(
        &[
            "check",
            "labels",
            "TP",
            "FP",
            "FN",
            "TN",
            "precision",
            "recall",
            "F1",
        ],
        1,
        9,
    ));
    for r in &e.checks {
        let c = &r.counts;
        out.push_str(&row(&[
            cell(&r.check),
            c.labels.to_string(),
            c.tp.to_string(),
            c.fp.to_string(),
            c.fn_.to_string(),
            c.tn.to_string(),
            c.precision().to_string(),
            c.recall().to_string(),
            f1(c),
        ]));
    }

    let _ = writeln!(out, "\n## By rule\n");
    out.push_str(&header(
        &["rule", "checks", "fired", "TP", "FP", "precision", "recall"],
        2,
        7,
    ));
    for r in &e.rules {
        out.push_str(&row(&[
            cell(&r.rule),
            cell(&r.checks.join(", ")),
            r.fired.to_string(),
            r.tp.to_string(),
            r.fp.to_string(),
            r.precision().to_string(),
            r.recall.map_or_else(String::new, |r| r.to_string()),
        ]));
    }
    if e.rules.iter().any(|r| r.recall.is_none()) {
        out.push_str("\nRecall per rule is shown only where labels name the rule itself.\n");
    }

    let _ = writeln!(out, "\n## Disagreements\n");
    if e.disagreements.is_empty() {
        out.push_str("None: the rules agree with every label.\n");
        return out;
    }
    out.push_str(&header(
        &["", "where", "check", "rules", "tool said", "label", "label note"],
        0,
        0,
    ));
    for d in &e.disagreements {
        out.push_str(&row(&[
            d.outcome.short().to_string(),
            code(&d.location()),
            cell(&d.check),
            cell(&d.rules.join(", ")),
            cell(&d.said()),
            d.expected.as_str().to_string(),
            d.note.as_deref().map(cell).unwrap_or_default(),
        ]));
    }
    out
}

/// A value from 0 to 1 rounded to four decimals, or `null`.
fn rate(ratio: Option<f64>) -> Option<f64> {
    ratio.map(four_decimals)
}

fn four_decimals(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

/// A ratio's 95% interval as `[lowest, highest]` rounded like [`rate`], or `null`.
fn interval(ratio: Ratio) -> Option<[f64; 2]> {
    ratio.interval().map(|(low, high)| [low, high].map(four_decimals))
}

#[derive(Serialize)]
struct CountsJson {
    labels: usize,
    tp: usize,
    fp: usize,
    #[serde(rename = "fn")]
    fn_: usize,
    tn: usize,
    precision: Option<f64>,
    recall: Option<f64>,
    f1: Option<f64>,
    precision_interval: Option<[f64; 2]>,
    recall_interval: Option<[f64; 2]>,
}

impl From<&Counts> for CountsJson {
    fn from(c: &Counts) -> Self {
        CountsJson {
            labels: c.labels,
            tp: c.tp,
            fp: c.fp,
            fn_: c.fn_,
            tn: c.tn,
            precision: rate(c.precision().value()),
            recall: rate(c.recall().value()),
            f1: rate(c.f1()),
            precision_interval: interval(c.precision()),
            recall_interval: interval(c.recall()),
        }
    }
}

#[derive(Serialize)]
struct SummaryJson {
    calls: usize,
    #[serde(flatten)]
    counts: CountsJson,
}

#[derive(Serialize)]
struct CheckJson<'a> {
    check: &'a str,
    kind: &'a str,
    rules: &'a [String],
    #[serde(flatten)]
    counts: CountsJson,
}

#[derive(Serialize)]
struct RecallJson {
    value: Option<f64>,
    tp: usize,
    #[serde(rename = "fn")]
    fn_: usize,
}

#[derive(Serialize)]
struct RuleJson<'a> {
    rule: &'a str,
    checks: &'a [String],
    fired: usize,
    tp: usize,
    fp: usize,
    precision: Option<f64>,
    precision_interval: Option<[f64; 2]>,
    recall: Option<RecallJson>,
}

#[derive(Serialize)]
struct DisagreementJson<'a> {
    #[serde(rename = "type")]
    kind: &'a str,
    check: &'a str,
    call: &'a str,
    path: &'a str,
    line: Option<u32>,
    rules: &'a [String],
    expected: &'a str,
    verdict: &'a str,
    message: Option<&'a str>,
    matched: Option<&'a str>,
    note: Option<&'a str>,
    label_line: usize,
}

#[derive(Serialize)]
struct FailureJson<'a> {
    check: &'a str,
    metric: &'a str,
    value: Option<f64>,
    hits: usize,
    of: usize,
    min: f64,
}

#[derive(Serialize)]
struct NotGatedJson<'a> {
    check: &'a str,
    metric: &'a str,
}

#[derive(Serialize)]
struct GatesJson<'a> {
    min_precision: Option<f64>,
    min_recall: Option<f64>,
    min_support: usize,
    passed: bool,
    failed: Vec<FailureJson<'a>>,
    not_gated: Vec<NotGatedJson<'a>>,
}

#[derive(Serialize)]
struct ErrorJson<'a> {
    path: &'a str,
    line: Option<usize>,
    error: &'a str,
    hint: Option<&'a str>,
}

#[derive(Serialize)]
struct EvaluationJson<'a> {
    version: u32,
    labels: &'a str,
    summary: SummaryJson,
    checks: Vec<CheckJson<'a>>,
    rules: Vec<RuleJson<'a>>,
    disagreements: Vec<DisagreementJson<'a>>,
    gates: GatesJson<'a>,
    errors: Vec<ErrorJson<'a>>,
}

/// One JSON document (schema in docs/eval.md); rates are fractions from 0 to 1.
fn json(e: &Evaluation, gates: &GateReport) -> String {
    let document = EvaluationJson {
        version: 1,
        labels: &e.labels,
        summary: SummaryJson {
            calls: e.calls,
            counts: CountsJson::from(&e.total),
        },
        checks: e
            .checks
            .iter()
            .map(|r| CheckJson {
                check: &r.check,
                kind: r.kind,
                rules: &r.rules,
                counts: CountsJson::from(&r.counts),
            })
            .collect(),
        rules: e
            .rules
            .iter()
            .map(|r| RuleJson {
                rule: &r.rule,
                checks: &r.checks,
                fired: r.fired,
                tp: r.tp,
                fp: r.fp,
                precision: rate(r.precision().value()),
                precision_interval: interval(r.precision()),
                recall: r.recall.map(|ratio| RecallJson {
                    value: rate(ratio.value()),
                    tp: ratio.hits,
                    fn_: ratio.of - ratio.hits,
                }),
            })
            .collect(),
        disagreements: e
            .disagreements
            .iter()
            .map(|d| DisagreementJson {
                kind: if d.outcome == Outcome::FalsePositive {
                    "fp"
                } else {
                    "fn"
                },
                check: &d.check,
                call: &d.call,
                path: &d.path,
                line: d.line,
                rules: &d.rules,
                expected: d.expected.as_str(),
                verdict: d.verdict.as_str(),
                message: d.message.as_deref(),
                matched: d.matched.as_deref(),
                note: d.note.as_deref(),
                label_line: d.label_line,
            })
            .collect(),
        gates: GatesJson {
            min_precision: gates.gates.min_precision.map(|p| p / 100.0),
            min_recall: gates.gates.min_recall.map(|r| r / 100.0),
            min_support: gates.gates.min_support,
            passed: gates.passed(),
            failed: gates
                .failures
                .iter()
                .map(|f| FailureJson {
                    check: &f.check,
                    metric: f.metric.name(),
                    value: rate(f.ratio.value()),
                    hits: f.ratio.hits,
                    of: f.ratio.of,
                    min: f.min / 100.0,
                })
                .collect(),
            not_gated: gates
                .not_gated
                .iter()
                .map(|(check, metric)| NotGatedJson {
                    check,
                    metric: metric.name(),
                })
                .collect(),
        },
        errors: e
            .errors
            .iter()
            .map(|l| ErrorJson {
                path: &l.path,
                line: l.line,
                error: &l.message,
                hint: l.hint.as_deref(),
            })
            .chain(e.unreadable.iter().map(|u| ErrorJson {
                path: &u.path,
                line: None,
                error: &u.error,
                hint: None,
            }))
            .collect(),
    };
    let mut text =
        serde_json::to_string_pretty(&document).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    text.push('\n');
    text
}
