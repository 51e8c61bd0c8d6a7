//! `--format html`: one self-contained page a trainer can open or mail.
//!
//! Everything is inline — the style sheet, the charts (SVG drawn here), and a small script for
//! the filter box, expanding rows and printing — so the page needs no network. Without the
//! script the page still reads: drill-downs are `<details>` elements. Numbers are the model's,
//! printed as the other formats print them, and carried in `data-*` attributes so a test can
//! compare the page with the JSON report.

use std::collections::HashMap;
use std::fmt::Write as _;

mod calls;
mod charts;

use super::{RenderOptions, by_heading, key_values, label, one_or_dash, percent, scope_line};
use crate::redact::Redaction;
use crate::rollup::Dimension;
use crate::rollup::model::{GroupRow, Report};
use crate::rollup::render::table::short_rule;
use calls::{call_card, drill};
use charts::{histogram, rule_chart, section_chart, sparkline, trend_chart};

const STYLE: &str = include_str!("report.css");
const SCRIPT: &str = include_str!("report.js");

/// Findings shown per call in a drill-down; the rest are counted.
const FINDINGS_SHOWN: usize = 6;

/// Findings printed per call (a printed report stays short).
const FINDINGS_PRINTED: usize = 2;

/// Rules in the bar chart.
const RULES_CHARTED: usize = 12;

/// Escapes text for HTML content and attribute values.
pub fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// How a score compares with the pass mark: `good`, `near` (within 15 points) or `bad`.
fn grade(score: Option<f64>, pass_mark: f64) -> &'static str {
    match score {
        Some(s) if s >= pass_mark => "good",
        Some(s) if s >= pass_mark - 15.0 => "near",
        Some(_) => "bad",
        None => "none",
    }
}

/// Rule titles by id, for labels.
struct Titles<'a>(HashMap<&'a str, &'a str>);

impl<'a> Titles<'a> {
    fn new(report: &'a Report) -> Self {
        Titles(
            report
                .rules
                .iter()
                .filter_map(|r| r.title.as_deref().map(|t| (r.rule.as_str(), t)))
                .collect(),
        )
    }

    fn of(&self, rule: &str) -> Option<&'a str> {
        self.0.get(rule).copied()
    }
}

/// Renders the page.
pub fn render(report: &Report, options: &RenderOptions) -> String {
    let titles = Titles::new(report);
    let mut out = String::with_capacity(64 * 1024);
    let _ = writeln!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"generator\" content=\"callcheck {}\">\n<title>Call quality report — {}</title>\n\
         <style>\n{STYLE}</style>\n</head>\n<body>\n<main>",
        env!("CARGO_PKG_VERSION"),
        esc(&scope_line(report))
    );
    header(&mut out, report, options);
    cards(&mut out, report);
    let _ = writeln!(out, "<section class=\"charts\">");
    histogram(&mut out, report);
    rule_chart(&mut out, report, &titles);
    if !report.sections.is_empty() {
        section_chart(&mut out, report);
    }
    if report.trend.len() >= 2 {
        trend_chart(&mut out, report);
    }
    out.push_str("</section>\n");
    groups(&mut out, report, &titles);
    worst_calls(&mut out, report, &titles);
    rules_table(&mut out, report);
    notes(&mut out, report);
    footer(&mut out, report);
    let _ = writeln!(out, "</main>\n<script>\n{SCRIPT}</script>\n</body>\n</html>");
    out
}

fn header(out: &mut String, report: &Report, options: &RenderOptions) {
    let _ = write!(
        out,
        "<header class=\"masthead\">\n<p class=\"eyebrow\">callcheck · trainer summary</p>\n\
         <h1>Call quality report</h1>\n<p class=\"scope\">{}",
        esc(&scope_line(report))
    );
    if !options.source.is_empty() {
        let _ = write!(out, " · <code>{}</code>", esc(&options.source));
    }
    out.push_str("</p>\n<p class=\"chips\">");
    let _ = write!(
        out,
        "<span class=\"chip\">Pass mark <b data-metric=\"pass_mark\">{}</b></span>",
        esc(&report.pass_mark)
    );
    for book in &report.rulebooks {
        let _ = write!(out, "<span class=\"chip\">{}</span>", esc(book));
    }
    match report.redaction {
        Redaction::Personal => out.push_str(
            "<span class=\"chip privacy\" title=\"Phone, card, ID and order numbers keep their last \
             four digits; e-mail addresses their first letter and domain. Amounts and dates are \
             shown. Run with --no-redact to show everything in full, --redact=all to mask \
             amounts and dates too.\">Personal data masked</span>",
        ),
        Redaction::All => out.push_str(
            "<span class=\"chip privacy\" title=\"Phone, card, ID and order numbers keep their last \
             four digits; e-mail addresses their first letter and domain; the amounts and dates \
             read-back rules read are masked.\">Personal data, amounts and dates masked</span>",
        ),
        Redaction::None => out.push_str("<span class=\"chip warn\">Personal data shown in full</span>"),
    }
    out.push_str("</p>\n</header>\n");
}

fn card(out: &mut String, metric: &str, value: &str, label: &str, detail: &str, class: &str) {
    let _ = writeln!(
        out,
        "<div class=\"card {class}\"><div class=\"label\">{}</div>\
         <div class=\"value\" data-metric=\"{metric}\">{}</div><div class=\"detail\">{}</div></div>",
        esc(label),
        esc(value),
        detail
    );
}

fn cards(out: &mut String, report: &Report) {
    let s = &report.summary;
    out.push_str("<section class=\"cards\" aria-label=\"Headline figures\">\n");
    let mark = report.pass_mark_max;
    card(
        out,
        "mean",
        &one_or_dash(s.mean),
        "Mean score",
        &format!(
            "median <b data-metric=\"median\">{}</b>",
            esc(&one_or_dash(s.median))
        ),
        grade(s.mean, mark),
    );
    card(
        out,
        "pass_rate",
        &percent(s.pass_rate),
        "Pass rate",
        &format!(
            "<b data-metric=\"passed\">{}</b> of <b data-metric=\"scored\">{}</b> scored calls at {} or above",
            s.passed,
            s.scored,
            esc(&report.pass_mark)
        ),
        // A pass rate is good from 80% of calls, whatever the pass mark.
        grade(s.pass_rate, 80.0),
    );
    card(
        out,
        "auto_failed",
        &s.auto_failed.to_string(),
        "Auto-fails",
        "calls scored 0 for a critical rule",
        if s.auto_failed > 0 { "bad" } else { "good" },
    );
    card(
        out,
        "calls",
        &s.calls.to_string(),
        "Calls checked",
        &if s.errors > 0 {
            format!(
                "<span class=\"bad-text\"><b data-metric=\"errors\">{}</b> could not be read</span>",
                s.errors
            )
        } else {
            "<b data-metric=\"errors\" hidden>0</b>all files read".to_string()
        },
        "plain",
    );
    card(
        out,
        "findings",
        &s.findings.to_string(),
        "Findings",
        &format!(
            "in <b data-metric=\"calls_with_findings\">{}</b> calls",
            s.calls_with_findings
        ),
        "plain",
    );
    out.push_str("</section>\n");
}

/// A rounded-up axis maximum: 1, 2, 5, 10, 20, 50, …
fn groups(out: &mut String, report: &Report, titles: &Titles<'_>) {
    let heading = by_heading(report);
    let _ = write!(
        out,
        "<section id=\"groups\">\n<h2>{}</h2>\n<div class=\"toolbar\">\
         <input id=\"filter\" type=\"search\" placeholder=\"Filter by name, team, rule…\" \
         aria-label=\"Filter rows\" autocomplete=\"off\">\
         <span id=\"shown\" class=\"muted\" aria-live=\"polite\"></span>\
         <span class=\"spacer\"></span>",
        esc(&heading)
    );
    if report.groups.iter().any(|g| g.scores.is_some()) {
        out.push_str(
            "<button type=\"button\" data-toggle=\"open\">Expand all</button>\
             <button type=\"button\" data-toggle=\"close\">Collapse all</button>",
        );
    }
    out.push_str("</div>\n");
    if report.by.contains(&Dimension::Rule) {
        rule_rows(out, report, titles);
    } else {
        score_rows(out, report, titles);
    }
    out.push_str("</section>\n");
}

/// `data-key`: the row's key as a JSON array (null for unknown values).
fn data_key(row: &GroupRow) -> String {
    esc(&serde_json::to_string(&row.key.values().collect::<Vec<_>>()).unwrap_or_default())
}

fn rule_rows(out: &mut String, report: &Report, titles: &Titles<'_>) {
    out.push_str("<div class=\"scroll\"><table class=\"rows\" data-filterable>\n<thead><tr>");
    for d in &report.by {
        let _ = write!(out, "<th>{}</th>", esc(d.name()));
    }
    out.push_str(
        "<th class=\"n\">Broken</th><th class=\"n\">Applied</th><th>Rate</th>\
         <th class=\"n\">Findings</th><th class=\"n\">Compared with</th></tr></thead>\n<tbody>\n",
    );
    for row in &report.groups {
        let Some(r) = &row.rule else { continue };
        let _ = write!(out, "<tr data-key=\"{}\">", data_key(row));
        for (d, value) in &row.key {
            match (d, value) {
                (Dimension::Rule, Some(rule)) => {
                    let title = titles.of(rule).unwrap_or("");
                    let _ = write!(
                        out,
                        "<td><code>{}</code><div class=\"sub\">{}</div></td>",
                        esc(rule),
                        esc(title)
                    );
                }
                _ => {
                    let _ = write!(out, "<td>{}</td>", esc(label(value)));
                }
            }
        }
        let compare = match (r.compare, r.compare_rate) {
            (Some(what), Some(rate)) => format!("{what} <span data-field=\"compare_rate\">{rate:.1}%</span>"),
            _ => "—".to_string(),
        };
        let _ = writeln!(
            out,
            "<td class=\"n\" data-field=\"broken\">{}</td><td class=\"n\" data-field=\"applicable\">{}</td>\
             <td><span class=\"meter\"><span class=\"fill bad\" style=\"width:{:.1}%\"></span></span>\
             <span data-field=\"rate\">{:.1}%</span></td><td class=\"n\" data-field=\"findings\">{}</td>\
             <td class=\"n\">{compare}</td></tr>",
            r.broken,
            r.applicable,
            r.rate.clamp(0.0, 100.0),
            r.rate,
            r.findings
        );
    }
    out.push_str("</tbody></table></div>\n");
}

fn score_rows(out: &mut String, report: &Report, titles: &Titles<'_>) {
    let with_team = report.by.contains(&Dimension::Agent) && !report.by.contains(&Dimension::Team);
    let key_columns = report.by.len() + usize::from(with_team);
    let _ = write!(
        out,
        "<div class=\"rows grouped\" style=\"--keys:{key_columns}\" data-filterable>\n\
         <div class=\"row head\" role=\"row\">"
    );
    for d in &report.by {
        let _ = write!(out, "<span>{}</span>", esc(d.name()));
    }
    if with_team {
        out.push_str("<span>team</span>");
    }
    out.push_str(
        "<span class=\"n\">Calls</span><span>Mean score</span><span class=\"n\">Median</span>\
         <span class=\"n\">Pass rate</span><span class=\"n\">Auto-fails</span><span>Trend</span>\
         <span>Coaching focus <small>(vs. comparison group)</small></span></div>\n",
    );
    for row in &report.groups {
        let Some(s) = &row.scores else { continue };
        let t = &s.totals;
        let _ = write!(
            out,
            "<details class=\"group\" data-key=\"{}\">\n<summary class=\"row\">",
            data_key(row)
        );
        for (i, value) in key_values(row).iter().enumerate() {
            let _ = write!(
                out,
                "<span class=\"key{}\">{}</span>",
                if i == 0 { " first" } else { "" },
                esc(value)
            );
        }
        if with_team {
            let _ = write!(
                out,
                "<span class=\"muted\" data-label=\"team\">{}</span>",
                esc(label(&s.team))
            );
        }
        let mean_grade = grade(t.mean, report.pass_mark_max);
        let _ = write!(
            out,
            "<span class=\"n\" data-label=\"calls\" data-field=\"calls\">{}</span>\
             <span class=\"score-cell\"><span class=\"meter\"><span class=\"fill {mean_grade}\" style=\"width:{:.1}%\"></span>\
             <span class=\"tick\" style=\"left:{:.1}%\"></span></span><b class=\"{mean_grade}-text\" data-field=\"mean\">{}</b></span>\
             <span class=\"n\" data-label=\"median\" data-field=\"median\">{}</span>\
             <span class=\"n\" data-label=\"pass rate\" data-field=\"pass_rate\">{}</span>\
             <span class=\"n{}\" data-label=\"auto-fails\" data-field=\"auto_failed\">{}</span><span>{}</span><span class=\"top\">",
            t.calls,
            t.mean.unwrap_or(0.0).clamp(0.0, 100.0),
            report.pass_mark_max.clamp(0.0, 100.0),
            one_or_dash(t.mean),
            one_or_dash(t.median),
            percent(t.pass_rate),
            if t.auto_failed > 0 { " bad-text" } else { "" },
            t.auto_failed,
            sparkline(&s.trend, report.pass_mark_max)
        );
        if s.top_rules.is_empty() {
            out.push_str("<span class=\"muted\">nothing broken</span>");
        }
        for top in &s.top_rules {
            let name = titles.of(&top.rule).unwrap_or(short_rule(&top.rule));
            let worse = top.rate > top.compare_rate;
            let _ = write!(
                out,
                "<span class=\"pill{}\" title=\"{}: {:.1} points lost; broken in {} of {} calls ({:.1}%); \
                 {} {:.1}%\">{} <b>{:.0}%</b> <small>{} {:.0}%</small></span>",
                if worse { " worse" } else { "" },
                esc(&top.rule),
                top.points,
                top.broken,
                top.applicable,
                top.rate,
                top.compare,
                top.compare_rate,
                esc(name),
                top.rate,
                top.compare,
                top.compare_rate
            );
        }
        out.push_str("</span></summary>\n<div class=\"drill\">\n");
        drill(out, row, report, titles);
        out.push_str("</div>\n</details>\n");
    }
    out.push_str("</div>\n");
}

fn worst_calls(out: &mut String, report: &Report, titles: &Titles<'_>) {
    if report.worst_calls.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "<section id=\"worst\">\n<h2>Worst calls <small>the {} lowest scores, with the turns that cost points</small></h2>\n<div data-filterable>",
        report.worst_calls.len()
    );
    for call in &report.worst_calls {
        call_card(out, call, report, titles, true);
    }
    out.push_str("</div>\n</section>\n");
}

fn rules_table(out: &mut String, report: &Report) {
    let _ = writeln!(
        out,
        "<section id=\"rules\">\n<h2>All rules <small>calls each rule applied to and how many broke it</small></h2>\n\
         <div class=\"scroll\"><table class=\"rows\" data-filterable>\n<thead><tr><th>Rule</th><th>Section</th>\
         <th class=\"n\">Weight</th><th class=\"n\">Broken</th><th class=\"n\">Applied</th><th>Rate</th>\
         <th class=\"n\">Findings</th></tr></thead>\n<tbody>"
    );
    for r in &report.rules {
        let weight = if r.auto_fail {
            "<span class=\"tag critical\">auto-fail</span>".to_string()
        } else {
            esc(&crate::score::number(r.weight))
        };
        let _ = writeln!(
            out,
            "<tr data-rule=\"{}\"{}><td><code>{}</code><div class=\"sub\">{}</div></td><td>{}</td>\
             <td class=\"n\">{weight}</td><td class=\"n\" data-field=\"broken\">{}</td>\
             <td class=\"n\" data-field=\"applicable\">{}</td>\
             <td><span class=\"meter\"><span class=\"fill bad\" style=\"width:{:.1}%\"></span></span>\
             <span data-field=\"rate\">{:.1}%</span></td><td class=\"n\" data-field=\"findings\">{}</td></tr>",
            esc(&r.rule),
            if r.broken == 0 { " class=\"unbroken\"" } else { "" },
            esc(&r.rule),
            esc(r.title.as_deref().unwrap_or("")),
            esc(r.section.as_deref().unwrap_or("—")),
            r.broken,
            r.applicable,
            r.rate.clamp(0.0, 100.0),
            r.rate,
            r.findings
        );
    }
    out.push_str("</tbody></table></div>\n</section>\n");
}

fn notes(out: &mut String, report: &Report) {
    if report.notes.is_empty() && report.errors.is_empty() {
        return;
    }
    out.push_str("<section id=\"notes\">\n<h2>Notes</h2>\n<ul>\n");
    for e in &report.errors {
        let _ = writeln!(
            out,
            "<li class=\"bad-text\"><code>{}</code> could not be read: {}</li>",
            esc(&e.path),
            esc(&e.error)
        );
    }
    for note in &report.notes {
        let _ = writeln!(out, "<li>{}</li>", esc(note));
    }
    out.push_str("</ul>\n</section>\n");
}

fn footer(out: &mut String, report: &Report) {
    let _ = writeln!(
        out,
        "<footer>\n<p><b>How scores work.</b> Every rule that applies to a call counts with its weight \
         (1 unless the rulebook says otherwise; coaching notes of severity info count 0). A call scores \
         the share of that weight it did not break; rules that could not be judged or do not concern \
         the call are left out. A finding of an auto-fail rule scores the call 0. A call passes at {} \
         or above.</p>\n<p>Made by callcheck {} — <code>callcheck report --by {} --format html</code>.</p>\n</footer>",
        esc(&report.pass_mark),
        env!("CARGO_PKG_VERSION"),
        esc(&report.by.iter().map(|d| d.name()).collect::<Vec<_>>().join(","))
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped() {
        assert_eq!(esc("<b a=\"x\">&'"), "&lt;b a=&quot;x&quot;&gt;&amp;&#39;");
    }

    #[test]
    fn grades() {
        assert_eq!(grade(Some(80.0), 80.0), "good");
        assert_eq!(grade(Some(65.0), 80.0), "near");
        assert_eq!(grade(Some(64.9), 80.0), "bad");
        assert_eq!(grade(None, 80.0), "none");
    }
}
