//! `callcheck eval`: how well the rules agree with people. Labelled calls are checked as
//! `check` checks them, each label's call and check get the tool's verdict, and the verdicts
//! are counted against the labels: precision, recall and F1 per check and per rule, and every
//! disagreement with where to look.
//!
//! The stages, one module each: [`labels`] reads the labels file, [`checks`] finds the rules
//! each check covers, [`calls`] gathers the labelled calls from the check pipeline, this module
//! judges and counts ([`evaluate`], [`Evaluation::gate`]) and [`render`] writes the result. None
//! of it prints.
//!
//! The tool's verdict on a call and a check is `yes` when a covered rule has a finding in the
//! call, `na` when every covered rule was not applicable to it (or the call was not checked),
//! else `no`. `na` counts as a negative on both sides: a label of `no` or `na` with a `yes`
//! verdict is a false positive, a label of `yes` with a `no` or `na` verdict a false negative.

pub mod calls;
pub mod checks;
pub mod labels;
pub mod render;

use std::cmp::Ordering;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt;

use calls::{Call, Calls, Unreadable};
use checks::Resolution;
use indexmap::IndexMap;
use labels::{Expected, Label, LabelError, Labels, Target};

use crate::rulebook::RuleSet;

/// The tool's verdict on a call and a check.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// A covered rule has a finding in the call.
    Yes,
    /// The covered rules were judged and found nothing.
    No,
    /// No covered rule could be judged, or the call was not checked.
    Na,
}

impl Verdict {
    /// `yes`, `no` or `na`.
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Yes => "yes",
            Verdict::No => "no",
            Verdict::Na => "na",
        }
    }
}

/// A label against the tool's verdict.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Labelled yes, found.
    TruePositive,
    /// Labelled no or na, found.
    FalsePositive,
    /// Labelled yes, not found.
    FalseNegative,
    /// Labelled no or na, not found.
    TrueNegative,
}

impl Outcome {
    /// Compares a label with a verdict.
    pub fn of(expected: Expected, verdict: Verdict) -> Outcome {
        match (expected == Expected::Yes, verdict == Verdict::Yes) {
            (true, true) => Outcome::TruePositive,
            (false, true) => Outcome::FalsePositive,
            (true, false) => Outcome::FalseNegative,
            (false, false) => Outcome::TrueNegative,
        }
    }

    /// `TP`, `FP`, `FN` or `TN`.
    pub fn short(self) -> &'static str {
        match self {
            Outcome::TruePositive => "TP",
            Outcome::FalsePositive => "FP",
            Outcome::FalseNegative => "FN",
            Outcome::TrueNegative => "TN",
        }
    }
}

/// A fraction with its counts: precision is found-and-right over found.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Ratio {
    /// The numerator.
    pub hits: usize,
    /// The denominator.
    pub of: usize,
}

impl Ratio {
    /// The value from 0 to 1; `None` when the denominator is 0.
    pub fn value(self) -> Option<f64> {
        (self.of > 0).then(|| self.hits as f64 / self.of as f64)
    }

    /// True when the ratio is below `percent` (exactly, without rounding).
    pub fn below(self, percent: f64) -> bool {
        (self.hits as f64) * 100.0 < percent * self.of as f64
    }

    /// The 95% Wilson score interval, lowest and highest, from 0 to 1; `None` when the
    /// denominator is 0. On a handful of labels a rate is loose, and this says how loose:
    /// 16 of 16 is anywhere from 80.6% to 100%.
    pub fn interval(self) -> Option<(f64, f64)> {
        // Wilson's rather than the normal approximation: it stays inside 0..1 and is not
        // zero-width at 0/n or n/n, which are common on small labelled samples.
        const Z: f64 = 1.959_963_984_540_054;
        let n = self.of as f64;
        let p = self.value()?;
        let z2 = Z * Z;
        let denominator = 1.0 + z2 / n;
        let centre = (p + z2 / (2.0 * n)) / denominator;
        let half = Z * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt() / denominator;
        Some(((centre - half).max(0.0), (centre + half).min(1.0)))
    }

    /// `70.6–87%`, the [`Ratio::interval`] as percentages; `–` when the denominator is 0.
    pub fn interval_text(self) -> String {
        self.interval().map_or_else(
            || "–".to_string(),
            |(low, high)| format!("{}–{}", percent(low).trim_end_matches('%'), percent(high)),
        )
    }
}

impl fmt::Display for Ratio {
    /// `96% (48/50)`; `–` when the denominator is 0.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.value() {
            Some(value) => write!(f, "{} ({}/{})", percent(value), self.hits, self.of),
            None => f.write_str("–"),
        }
    }
}

/// A value from 0 to 1 as a percentage with at most one decimal: `96%`, `66.7%`.
pub fn percent(value: f64) -> String {
    let shown = format!("{:.1}", value * 100.0);
    format!("{}%", shown.strip_suffix(".0").unwrap_or(&shown))
}

/// Labels counted by outcome.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    /// Labels counted.
    pub labels: usize,
    /// True positives.
    pub tp: usize,
    /// False positives.
    pub fp: usize,
    /// False negatives.
    pub fn_: usize,
    /// True negatives.
    pub tn: usize,
}

impl Counts {
    /// Counts one label.
    pub fn add(&mut self, outcome: Outcome) {
        self.labels += 1;
        match outcome {
            Outcome::TruePositive => self.tp += 1,
            Outcome::FalsePositive => self.fp += 1,
            Outcome::FalseNegative => self.fn_ += 1,
            Outcome::TrueNegative => self.tn += 1,
        }
    }

    /// TP / (TP + FP).
    pub fn precision(&self) -> Ratio {
        Ratio {
            hits: self.tp,
            of: self.tp + self.fp,
        }
    }

    /// TP / (TP + FN).
    pub fn recall(&self) -> Ratio {
        Ratio {
            hits: self.tp,
            of: self.tp + self.fn_,
        }
    }

    /// The harmonic mean of precision and recall, 2TP / (2TP + FP + FN); `None` when there is
    /// no positive on either side.
    pub fn f1(&self) -> Option<f64> {
        Ratio {
            hits: 2 * self.tp,
            of: 2 * self.tp + self.fp + self.fn_,
        }
        .value()
    }
}

/// One row per labelled check.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CheckRow {
    /// The check as labelled.
    pub check: String,
    /// `rule`, `guideline` or `tag`.
    pub kind: &'static str,
    /// The rules it covers.
    pub rules: Vec<String>,
    /// Its labels by outcome.
    pub counts: Counts,
}

/// One row per rule some labelled check covers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuleRow {
    /// Full rule id.
    pub rule: String,
    /// The labelled checks that cover it.
    pub checks: Vec<String>,
    /// Labelled calls it had a finding in.
    pub fired: usize,
    /// Of those, calls labelled yes (by the most specific covering check).
    pub tp: usize,
    /// Of those, calls labelled no or na.
    pub fp: usize,
    /// Recall over the labels that name the rule itself; `None` when no label does.
    pub recall: Option<Ratio>,
}

impl RuleRow {
    /// TP / fired.
    pub fn precision(&self) -> Ratio {
        Ratio {
            hits: self.tp,
            of: self.tp + self.fp,
        }
    }
}

/// A false positive or false negative, with where to look.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Disagreement {
    /// [`Outcome::FalsePositive`] or [`Outcome::FalseNegative`].
    pub outcome: Outcome,
    /// The check as labelled.
    pub check: String,
    /// The label's `call` as written.
    pub call: String,
    /// The call's report path (or the label's call when it was not checked).
    pub path: String,
    /// The line: the first finding's for a false positive; the label's, else the call's first
    /// turn, for a false negative.
    pub line: Option<u32>,
    /// The covered rules that fired (false positive) or that stayed silent (false negative).
    pub rules: Vec<String>,
    /// The label.
    pub expected: Expected,
    /// The tool's verdict.
    pub verdict: Verdict,
    /// The first finding's message (false positives).
    pub message: Option<String>,
    /// The first finding's matched text (false positives).
    pub matched: Option<String>,
    /// The label's note.
    pub note: Option<String>,
    /// The label's line in the labels file.
    pub label_line: usize,
    /// False when the call was not checked (not found, or unreadable).
    pub checked: bool,
}

impl Disagreement {
    /// What the tool said: the first finding's message and matched text for a false positive;
    /// for a false negative, no finding, not applicable, or not checked.
    pub fn said(&self) -> String {
        match (&self.message, &self.matched) {
            (Some(message), Some(matched)) => format!("{message} [matched: {matched}]"),
            (Some(message), None) => message.clone(),
            (None, _) if !self.checked => "not checked".into(),
            (None, _) if self.verdict == Verdict::Na => "not applicable".into(),
            (None, _) => "no finding".into(),
        }
    }

    /// `path:line`, or the path alone.
    pub fn location(&self) -> String {
        match self.line {
            Some(line) => format!("{}:{line}", self.path),
            None => self.path.clone(),
        }
    }
}

/// The result of comparing the tool with the labels.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Evaluation {
    /// The labels file as shown.
    pub labels: String,
    /// Distinct labelled calls.
    pub calls: usize,
    /// Every label counted together (micro-average).
    pub total: Counts,
    /// Per check, sorted by check.
    pub checks: Vec<CheckRow>,
    /// Per covered rule, in rulebook order.
    pub rules: Vec<RuleRow>,
    /// Every false positive and false negative, sorted by check, then path and line.
    pub disagreements: Vec<Disagreement>,
    /// Labels whose call was not found, or was labelled twice under two names; exit status 2.
    pub errors: Vec<LabelError>,
    /// Transcripts that could not be read; exit status 2.
    pub unreadable: Vec<Unreadable>,
}

/// Which call a label is about: a checked call, or (not checked) the label's own row.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Key {
    Call(usize),
    Unchecked(usize),
}

/// Finds the checked call each label names; problems go to `errors`, once per call.
fn find_calls(labels: &Labels, calls: &Calls, errors: &mut Vec<LabelError>) -> Vec<Option<usize>> {
    // Indexed once: thousands of labels on thousands of calls.
    let mut by_file: HashMap<&std::path::Path, Vec<usize>> = HashMap::new();
    let mut by_id: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, call) in calls.calls.iter().enumerate() {
        by_file.entry(call.file.as_path()).or_default().push(i);
        if let Some(id) = &call.call_id {
            by_id.entry(id.as_str()).or_default().push(i);
        }
    }
    let mut reported: HashSet<&Target> = HashSet::new();
    let mut found = Vec::with_capacity(labels.labels.len());
    for label in &labels.labels {
        let matches: &[usize] = match &label.target {
            Target::File { real, .. } => by_file.get(real.as_path()),
            Target::CallId(id) => by_id.get(id.as_str()),
        }
        .map_or(&[], Vec::as_slice);
        if let [one] = matches[..] {
            found.push(Some(one));
            continue;
        }
        found.push(None);
        let unreadable = match &label.target {
            Target::File { real, .. } => calls.unreadable.iter().any(|u| &u.file == real),
            Target::CallId(_) => false,
        };
        // An unreadable file is reported as such; a call is reported once, at its first row.
        if unreadable || !reported.insert(&label.target) {
            continue;
        }
        let error = |message: String| LabelError::at(&labels.path, label.row, message);
        errors.push(match (&label.target, matches.len()) {
            (Target::File { path, .. }, 0) => error(format!(
                "{} was not checked; its labels count with the verdict na",
                crate::paths::display(path)
            ))
            .hint("it is not under the paths given; add it, or give no paths to check the files the labels name"),
            (Target::File { path, .. }, n) => {
                let ids: Vec<&str> = matches
                    .iter()
                    .filter_map(|&i| calls.calls[i].call_id.as_deref())
                    .take(5)
                    .collect();
                error(format!(
                    "{} holds {n} calls; its labels count with the verdict na",
                    crate::paths::display(path)
                ))
                .hint(if ids.is_empty() {
                    "label one call of a file holding several by its call id".to_string()
                } else {
                    format!("label each call by its call id ({}, …)", ids.join(", "))
                })
            }
            (Target::CallId(id), 0) => error(format!(
                "no checked call has the call id {id:?}, and there is no such file; its labels count \
                 with the verdict na"
            ))
            .hint(
                "`call` is a transcript's path relative to the labels file's folder, or the call_id of \
                 a call in the files checked (give the files holding the calls as PATHs)",
            ),
            (Target::CallId(id), n) => {
                let paths: Vec<&str> = matches.iter().map(|&i| calls.calls[i].path.as_str()).take(5).collect();
                error(format!(
                    "the call id {id:?} is in {n} checked calls ({}); its labels count with the verdict na",
                    paths.join(", ")
                ))
                .hint("label these calls by path instead")
            }
        });
    }
    found
}

/// The tool's verdict on a call for a check covering `rules` (full ids).
fn verdict(call: Option<&Call>, rules: &[&str]) -> Verdict {
    let Some(call) = call else {
        return Verdict::Na;
    };
    if rules.iter().any(|r| call.fired(r)) {
        Verdict::Yes
    } else if rules.iter().all(|r| call.not_applicable(r)) {
        Verdict::Na
    } else {
        Verdict::No
    }
}

/// Compares the tool's verdicts on the labelled calls with the labels.
pub fn evaluate(labels: &Labels, resolution: &Resolution, rules: &RuleSet, calls: &Calls) -> Evaluation {
    let mut errors = Vec::new();
    let found = find_calls(labels, calls, &mut errors);
    let rule_ids = |label: &Label| -> Vec<&str> {
        resolution
            .get(&label.check)
            .map(|c| c.rules.iter().map(|&i| rules.rules[i].id.as_str()).collect())
            .unwrap_or_default()
    };
    // Labels counted, with their call; a call labelled twice for a check under two names (its
    // path and its call id) counts once.
    let mut counted: Vec<(&Label, Key)> = Vec::new();
    let mut seen: HashMap<(Key, &labels::Check), &Label> = HashMap::new();
    for (index, (label, call)) in labels.labels.iter().zip(&found).enumerate() {
        let key = call.map_or(Key::Unchecked(index), Key::Call);
        if let Some(first) = seen.get(&(key, &label.check)) {
            errors.push(
                LabelError::at(
                    &labels.path,
                    label.row,
                    format!(
                        "{} is labelled for {} twice, first on line {} (as {})",
                        label.call, label.check, first.row, first.call
                    ),
                )
                .hint("a call's path and its call id name the same call; keep one of the two rows"),
            );
            continue;
        }
        seen.insert((key, &label.check), label);
        counted.push((label, key));
    }
    let call_of = |key: Key| match key {
        Key::Call(i) => calls.calls.get(i),
        Key::Unchecked(_) => None,
    };

    let mut evaluation = Evaluation {
        labels: labels.path.clone(),
        calls: counted.iter().map(|(_, key)| *key).collect::<HashSet<_>>().len(),
        ..Evaluation::default()
    };
    let mut by_check: HashMap<&labels::Check, Counts> = HashMap::new();
    for &(label, key) in &counted {
        let call = call_of(key);
        let covered = rule_ids(label);
        let verdict = verdict(call, &covered);
        let outcome = Outcome::of(label.expected, verdict);
        evaluation.total.add(outcome);
        by_check.entry(&label.check).or_default().add(outcome);
        if matches!(outcome, Outcome::FalsePositive | Outcome::FalseNegative) {
            evaluation
                .disagreements
                .push(disagreement(label, call, &covered, outcome, verdict));
        }
    }
    evaluation.checks = resolution
        .checks
        .iter()
        .map(|c| CheckRow {
            check: c.check.to_string(),
            kind: c.check.kind(),
            rules: c.rules.iter().map(|&i| rules.rules[i].id.clone()).collect(),
            counts: by_check.get(&c.check).copied().unwrap_or_default(),
        })
        .collect();
    evaluation.checks.sort_by(|a, b| natural(&a.check, &b.check));
    evaluation.rules = rule_rows(&counted, resolution, rules, &call_of);
    evaluation.disagreements.sort_by(|a, b| {
        natural(&a.check, &b.check)
            .then_with(|| natural(&a.path, &b.path))
            .then_with(|| a.line.cmp(&b.line))
    });
    evaluation.errors = errors;
    evaluation.unreadable = calls.unreadable.clone();
    evaluation
}

/// The disagreement a label and a verdict make.
fn disagreement(
    label: &Label,
    call: Option<&Call>,
    covered: &[&str],
    outcome: Outcome,
    verdict: Verdict,
) -> Disagreement {
    let path = match (call, &label.target) {
        (Some(call), _) => call.path.clone(),
        (None, Target::File { path, .. }) => crate::paths::display(path),
        (None, Target::CallId(id)) => id.clone(),
    };
    let mut d = Disagreement {
        outcome,
        check: label.check.to_string(),
        call: label.call.clone(),
        path,
        line: None,
        rules: Vec::new(),
        expected: label.expected,
        verdict,
        message: None,
        matched: None,
        note: label.note.clone(),
        label_line: label.row,
        checked: call.is_some(),
    };
    match (outcome, call) {
        (Outcome::FalsePositive, Some(call)) => {
            let mut hits: Vec<_> = call
                .hits
                .iter()
                .filter(|h| covered.contains(&h.rule.as_str()))
                .collect();
            hits.sort_by_key(|h| h.line);
            d.rules = covered
                .iter()
                .filter(|r| call.fired(r))
                .map(|r| r.to_string())
                .collect();
            if let Some(first) = hits.first() {
                d.line = Some(first.line);
                d.message = Some(first.message.clone());
                d.matched = first.matched.clone();
            }
        }
        _ => {
            // The rules that could have found it: those that were judged, or all when none was.
            let judged: Vec<&str> = covered
                .iter()
                .copied()
                .filter(|r| call.is_some_and(|c| !c.not_applicable(r)))
                .collect();
            let silent = if judged.is_empty() {
                covered.to_vec()
            } else {
                judged
            };
            d.rules = silent.into_iter().map(str::to_string).collect();
            d.line = label.line.or(call.and_then(|c| c.first_line));
        }
    }
    d
}

/// The per-rule rows: each rule on each labelled call is judged by the most specific label
/// covering it there (a rule id beats a guideline, a guideline a tag; then the first row).
fn rule_rows<'c>(
    counted: &[(&Label, Key)],
    resolution: &Resolution,
    rules: &RuleSet,
    call_of: &dyn Fn(Key) -> Option<&'c Call>,
) -> Vec<RuleRow> {
    // Per covered rule, in rule order: the judging label of each call.
    let mut judges: BTreeMap<usize, IndexMap<Key, &Label>> = BTreeMap::new();
    for resolved in &resolution.checks {
        for &index in &resolved.rules {
            judges.entry(index).or_default();
        }
    }
    for &(label, key) in counted {
        let Some(resolved) = resolution.get(&label.check) else {
            continue;
        };
        for index in &resolved.rules {
            let judge = judges.entry(*index).or_default();
            let best = judge.entry(key).or_insert(label);
            if label.check.specificity() > best.check.specificity() {
                *best = label;
            }
        }
    }
    judges
        .into_iter()
        .map(|(index, judge)| {
            let rule = &rules.rules[index];
            let mut checks: Vec<String> = resolution
                .checks
                .iter()
                .filter(|c| c.rules.contains(&index))
                .map(|c| c.check.to_string())
                .collect();
            checks.sort_by(|a, b| natural(a, b));
            let mut row = RuleRow {
                rule: rule.id.clone(),
                checks,
                fired: 0,
                tp: 0,
                fp: 0,
                recall: None,
            };
            let mut direct = Ratio::default();
            let mut named = false;
            for (key, label) in judge {
                let fired = call_of(key).is_some_and(|c| c.fired(&rule.id));
                if fired {
                    row.fired += 1;
                    if label.expected == Expected::Yes {
                        row.tp += 1;
                    } else {
                        row.fp += 1;
                    }
                }
                if matches!(&label.check, labels::Check::Rule(id) if *id == rule.id) {
                    named = true;
                    if label.expected == Expected::Yes {
                        direct.of += 1;
                        direct.hits += usize::from(fired);
                    }
                }
            }
            row.recall = named.then_some(direct);
            row
        })
        .collect()
}

/// Orders text with runs of digits compared as numbers: G3 before G12, 2.txt before 10.txt.
pub fn natural(a: &str, b: &str) -> Ordering {
    let (mut a, mut b) = (a, b);
    loop {
        let (Some(x), Some(y)) = (a.chars().next(), b.chars().next()) else {
            return a.len().cmp(&b.len());
        };
        if x.is_ascii_digit() && y.is_ascii_digit() {
            let da = a.find(|c: char| !c.is_ascii_digit()).unwrap_or(a.len());
            let db = b.find(|c: char| !c.is_ascii_digit()).unwrap_or(b.len());
            let (na, nb) = (a[..da].trim_start_matches('0'), b[..db].trim_start_matches('0'));
            let order = na.len().cmp(&nb.len()).then_with(|| na.cmp(nb));
            if order != Ordering::Equal {
                return order;
            }
            (a, b) = (&a[da..], &b[db..]);
        } else {
            if x != y {
                return x.cmp(&y);
            }
            (a, b) = (&a[x.len_utf8()..], &b[y.len_utf8()..]);
        }
    }
}

/// Precision and recall bars for the per-check rows.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Gates {
    /// Lowest precision, in percent.
    pub min_precision: Option<f64>,
    /// Lowest recall, in percent.
    pub min_recall: Option<f64>,
    /// Rows with fewer positives (tool-yes for precision, label-yes for recall) are not gated.
    pub min_support: usize,
}

/// Precision or recall.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Metric {
    /// TP / (TP + FP).
    Precision,
    /// TP / (TP + FN).
    Recall,
}

impl Metric {
    /// `precision` or `recall`.
    pub fn name(self) -> &'static str {
        match self {
            Metric::Precision => "precision",
            Metric::Recall => "recall",
        }
    }
}

/// A check row below a bar.
#[derive(Clone, Debug, PartialEq)]
pub struct GateFailure {
    /// The check.
    pub check: String,
    /// Which bar.
    pub metric: Metric,
    /// The row's value.
    pub ratio: Ratio,
    /// The bar, in percent.
    pub min: f64,
}

impl fmt::Display for GateFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {} {} is below --min-{} {}%",
            self.check,
            self.metric.name(),
            self.ratio,
            self.metric.name(),
            self.min
        )
    }
}

/// The gates and how the rows fared.
#[derive(Clone, Debug, PartialEq)]
pub struct GateReport {
    /// The bars.
    pub gates: Gates,
    /// Rows below a bar.
    pub failures: Vec<GateFailure>,
    /// Rows a bar was not applied to for want of positives, with the metric.
    pub not_gated: Vec<(String, Metric)>,
}

impl GateReport {
    /// True when no row is below a bar.
    pub fn passed(&self) -> bool {
        self.failures.is_empty()
    }
}

impl Evaluation {
    /// Applies the bars to every check row with enough positives.
    pub fn gate(&self, gates: Gates) -> GateReport {
        let mut report = GateReport {
            gates,
            failures: Vec::new(),
            not_gated: Vec::new(),
        };
        for row in &self.checks {
            let bars = [
                (Metric::Precision, gates.min_precision, row.counts.precision()),
                (Metric::Recall, gates.min_recall, row.counts.recall()),
            ];
            for (metric, min, ratio) in bars {
                let Some(min) = min else { continue };
                if ratio.of < gates.min_support.max(1) {
                    report.not_gated.push((row.check.clone(), metric));
                } else if ratio.below(min) {
                    report.failures.push(GateFailure {
                        check: row.check.clone(),
                        metric,
                        ratio,
                        min,
                    });
                }
            }
        }
        report
    }
}

#[cfg(test)]
mod tests;
