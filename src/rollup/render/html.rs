//! `--format html`: one self-contained page a trainer can open or mail.
//!
//! Everything is inline — the style sheet, the charts (SVG drawn here), and a small script for
//! the filter box, expanding rows and printing — so the page needs no network. Without the
//! script the page still reads: drill-downs are `<details>` elements. Numbers are the model's,
//! printed as the other formats print them, and carried in `data-*` attributes so a test can
//! compare the page with the JSON report.

use std::collections::HashMap;
use std::fmt::Write as _;

use super::{RenderOptions, by_heading, key_values, label, one, one_or_dash, percent, scope_line};
use crate::rollup::Dimension;
use crate::rollup::model::{Band, Call, CallFinding, ContextTurn, GroupRow, Report, TrendPoint};
use crate::rollup::render::table::short_rule;

const STYLE: &str = include_str!("report.css");
const SCRIPT: &str = include_str!("report.js");

/// Findings shown per call in a drill-down; the rest are counted.
const FINDINGS_SHOWN: usize = 6;

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
    if report.redacted {
        out.push_str(
            "<span class=\"chip privacy\" title=\"Phone, card, ID and order numbers keep their last \
             four digits; e-mail addresses their first letter and domain. Run with --no-redact to \
             show them in full.\">Personal data masked</span>",
        );
    } else {
        out.push_str("<span class=\"chip warn\">Personal data shown in full</span>");
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
        grade(s.pass_rate, mark),
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
fn nice_max(n: u64) -> u64 {
    let mut step = 1;
    loop {
        for m in [1, 2, 5] {
            if n <= step * m {
                return step * m;
            }
        }
        step *= 10;
    }
}

fn histogram(out: &mut String, report: &Report) {
    let (w, h, left, bottom, top) = (520.0, 220.0, 34.0, 30.0, 18.0);
    let plot_w = w - left - 10.0;
    let plot_h = h - bottom - top;
    let max = nice_max(
        report
            .distribution
            .iter()
            .map(|b| b.calls)
            .max()
            .unwrap_or(0)
            .max(1),
    );
    let _ = writeln!(
        out,
        "<figure class=\"chart\" id=\"distribution\">\n<figcaption>Score distribution \
         <span>calls per 10-point band</span></figcaption>\n\
         <svg viewBox=\"0 0 {w} {h}\" role=\"img\" aria-label=\"Histogram of call scores\">"
    );
    for tick in [0, max / 2, max] {
        let y = top + plot_h - plot_h * tick as f64 / max as f64;
        let _ = writeln!(
            out,
            "<line class=\"grid\" x1=\"{left}\" x2=\"{}\" y1=\"{y:.1}\" y2=\"{y:.1}\"/>\
             <text class=\"axis\" x=\"{}\" y=\"{:.1}\" text-anchor=\"end\">{tick}</text>",
            w - 10.0,
            left - 6.0,
            y + 4.0
        );
    }
    let band_w = plot_w / 10.0;
    for (i, Band { from, to, calls }) in report.distribution.iter().enumerate() {
        let x = left + band_w * i as f64;
        let bar_h = plot_h * *calls as f64 / max as f64;
        let class = if f64::from(*from) >= report.pass_mark_max {
            "pass"
        } else if f64::from(*to) > report.pass_mark_max {
            "edge"
        } else {
            "fail"
        };
        let range = format!("{from}–{}", if *to == 100 { 100 } else { *to });
        let _ = write!(
            out,
            "<g data-band=\"{from}\" data-calls=\"{calls}\"><title>{range}: {calls} calls</title>\
             <rect class=\"bar {class}\" x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{bar_h:.1}\" rx=\"2\"/>",
            x + 3.0,
            top + plot_h - bar_h,
            band_w - 6.0
        );
        if *calls > 0 {
            let _ = write!(
                out,
                "<text class=\"count\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{calls}</text>",
                x + band_w / 2.0,
                top + plot_h - bar_h - 4.0
            );
        }
        let _ = writeln!(
            out,
            "<text class=\"axis\" x=\"{x:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{from}</text></g>",
            h - bottom + 16.0
        );
    }
    let _ = writeln!(
        out,
        "<text class=\"axis\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">100</text>",
        left + plot_w,
        h - bottom + 16.0
    );
    let mark_x = left + plot_w * report.pass_mark_max / 100.0;
    let _ = writeln!(
        out,
        "<line class=\"mark\" x1=\"{mark_x:.1}\" x2=\"{mark_x:.1}\" y1=\"{:.1}\" y2=\"{:.1}\"/>\
         <text class=\"mark-label\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">pass mark {}</text>\n\
         </svg>\n</figure>",
        top - 6.0,
        top + plot_h,
        mark_x - 4.0,
        top + 2.0,
        esc(&report.pass_mark)
    );
}

fn rule_chart(out: &mut String, report: &Report, titles: &Titles<'_>) {
    let _ = writeln!(
        out,
        "<figure class=\"chart\" id=\"rule-chart\">\n<figcaption>Rules broken most \
         <span>share of the calls each rule applied to</span></figcaption>"
    );
    let broken: Vec<_> = report
        .rules
        .iter()
        .filter(|r| r.broken > 0)
        .take(RULES_CHARTED)
        .collect();
    if broken.is_empty() {
        out.push_str("<p class=\"empty\">No rule was broken.</p>\n");
    } else {
        out.push_str("<ol class=\"hbars\">\n");
        for r in broken {
            let name = titles.of(&r.rule).unwrap_or(short_rule(&r.rule));
            let _ = writeln!(
                out,
                "<li data-rule=\"{}\" data-broken=\"{}\" data-applicable=\"{}\" data-rate=\"{}\" title=\"{}\">\
                 <span class=\"name\">{}<code>{}</code></span>\
                 <span class=\"track\"><span class=\"fill{}\" style=\"width:{:.1}%\"></span></span>\
                 <span class=\"num\">{:.1}% <small>{} of {}</small></span></li>",
                esc(&r.rule),
                r.broken,
                r.applicable,
                one(r.rate),
                esc(&r.rule),
                esc(name),
                esc(short_rule(&r.rule)),
                if r.auto_fail { " critical" } else { "" },
                r.rate.clamp(0.0, 100.0),
                r.rate,
                r.broken,
                r.applicable
            );
        }
        out.push_str("</ol>\n");
    }
    out.push_str("</figure>\n");
}

fn section_chart(out: &mut String, report: &Report) {
    let _ = writeln!(
        out,
        "<figure class=\"chart\" id=\"section-chart\">\n<figcaption>Score by part of the call \
         <span>mean of the calls each part applied to</span></figcaption>\n<ol class=\"hbars\">"
    );
    for s in &report.sections {
        let _ = writeln!(
            out,
            "<li data-section=\"{}\" data-mean=\"{}\"><span class=\"name\">{}</span>\
             <span class=\"track\"><span class=\"fill {}\" style=\"width:{:.1}%\"></span></span>\
             <span class=\"num\">{} <small>{} calls</small></span></li>",
            esc(&s.name),
            one(s.mean),
            esc(&s.name),
            grade(Some(s.mean), report.pass_mark_max),
            s.mean.clamp(0.0, 100.0),
            one(s.mean),
            s.calls
        );
    }
    out.push_str("</ol>\n</figure>\n");
}

fn trend_chart(out: &mut String, report: &Report) {
    let (w, h, left, bottom, top, right) = (520.0, 200.0, 34.0, 30.0, 14.0, 14.0);
    let plot_w = w - left - right;
    let plot_h = h - bottom - top;
    let points = &report.trend;
    let x_of = |i: usize| left + plot_w * i as f64 / (points.len() - 1).max(1) as f64;
    let y_of = |v: f64| top + plot_h - plot_h * v.clamp(0.0, 100.0) / 100.0;
    let _ = writeln!(
        out,
        "<figure class=\"chart\" id=\"trend-chart\">\n<figcaption>Mean score by day \
         <span>is the team improving?</span></figcaption>\n\
         <svg viewBox=\"0 0 {w} {h}\" role=\"img\" aria-label=\"Mean score by day\">"
    );
    for tick in [0.0, 50.0, 100.0] {
        let _ = writeln!(
            out,
            "<line class=\"grid\" x1=\"{left}\" x2=\"{}\" y1=\"{:.1}\" y2=\"{:.1}\"/>\
             <text class=\"axis\" x=\"{}\" y=\"{:.1}\" text-anchor=\"end\">{tick}</text>",
            w - right,
            y_of(tick),
            y_of(tick),
            left - 6.0,
            y_of(tick) + 4.0
        );
    }
    let mark = y_of(report.pass_mark_max);
    let _ = writeln!(
        out,
        "<line class=\"mark\" x1=\"{left}\" x2=\"{}\" y1=\"{mark:.1}\" y2=\"{mark:.1}\"/>",
        w - right
    );
    let line: Vec<String> = points
        .iter()
        .enumerate()
        .map(|(i, p)| format!("{:.1},{:.1}", x_of(i), y_of(p.mean)))
        .collect();
    let _ = writeln!(out, "<polyline class=\"line\" points=\"{}\"/>", line.join(" "));
    for (i, p) in points.iter().enumerate() {
        let _ = writeln!(
            out,
            "<circle class=\"dot {}\" cx=\"{:.1}\" cy=\"{:.1}\" r=\"4\" data-date=\"{}\" data-mean=\"{}\">\
             <title>{}: mean {} over {} calls</title></circle>",
            grade(Some(p.mean), report.pass_mark_max),
            x_of(i),
            y_of(p.mean),
            esc(&p.date),
            one(p.mean),
            esc(&p.date),
            one(p.mean),
            p.calls
        );
    }
    let label_every = points.len().div_ceil(6).max(1);
    for (i, p) in points.iter().enumerate() {
        if i % label_every == 0 || i + 1 == points.len() {
            let short = p.date.get(5..).unwrap_or(&p.date);
            let _ = writeln!(
                out,
                "<text class=\"axis\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>",
                x_of(i),
                h - bottom + 16.0,
                esc(short)
            );
        }
    }
    out.push_str("</svg>\n</figure>\n");
}

/// A small line of a group's daily means.
fn sparkline(points: &[TrendPoint], pass_mark: f64) -> String {
    if points.len() < 2 {
        return "<span class=\"muted\">—</span>".to_string();
    }
    let (w, h) = (96.0, 26.0);
    let x_of = |i: usize| 3.0 + (w - 6.0) * i as f64 / (points.len() - 1) as f64;
    let y_of = |v: f64| 3.0 + (h - 6.0) * (1.0 - v.clamp(0.0, 100.0) / 100.0);
    let line: Vec<String> = points
        .iter()
        .enumerate()
        .map(|(i, p)| format!("{:.1},{:.1}", x_of(i), y_of(p.mean)))
        .collect();
    let title: Vec<String> = points
        .iter()
        .map(|p| format!("{} {}", p.date, one(p.mean)))
        .collect();
    let last = points.len() - 1;
    format!(
        "<svg class=\"spark\" viewBox=\"0 0 {w} {h}\" width=\"{w}\" height=\"{h}\" role=\"img\" \
         aria-label=\"Mean score by day\"><title>{}</title>\
         <line class=\"mark\" x1=\"0\" x2=\"{w}\" y1=\"{:.1}\" y2=\"{:.1}\"/>\
         <polyline points=\"{}\"/><circle class=\"{}\" cx=\"{:.1}\" cy=\"{:.1}\" r=\"2.6\"/></svg>",
        esc(&title.join(", ")),
        y_of(pass_mark),
        y_of(pass_mark),
        line.join(" "),
        grade(Some(points[last].mean), pass_mark),
        x_of(last),
        y_of(points[last].mean)
    )
}

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
         <span>Breaks most <small>(vs. comparison group)</small></span></div>\n",
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
            let _ = write!(out, "<span class=\"muted\">{}</span>", esc(label(&s.team)));
        }
        let mean_grade = grade(t.mean, report.pass_mark_max);
        let _ = write!(
            out,
            "<span class=\"n\" data-field=\"calls\">{}</span>\
             <span class=\"score-cell\"><span class=\"meter\"><span class=\"fill {mean_grade}\" style=\"width:{:.1}%\"></span>\
             <span class=\"tick\" style=\"left:{:.1}%\"></span></span><b class=\"{mean_grade}-text\" data-field=\"mean\">{}</b></span>\
             <span class=\"n\" data-field=\"median\">{}</span>\
             <span class=\"n\" data-field=\"pass_rate\">{}</span>\
             <span class=\"n{}\" data-field=\"auto_failed\">{}</span><span>{}</span><span class=\"top\">",
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
                "<span class=\"pill{}\" title=\"{}: broken in {} of {} calls ({:.1}%); {} {:.1}%\">{} \
                 <b>{:.0}%</b> <small>{} {:.0}%</small></span>",
                if worse { " worse" } else { "" },
                esc(&top.rule),
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

fn drill(out: &mut String, row: &GroupRow, report: &Report, titles: &Titles<'_>) {
    let Some(s) = &row.scores else { return };
    if !s.sections.is_empty() {
        out.push_str("<p class=\"sections\">");
        for sec in &s.sections {
            let _ = write!(
                out,
                "<span class=\"chip {}\">{} <b>{}</b></span>",
                grade(Some(sec.mean), report.pass_mark_max),
                esc(&sec.name),
                one(sec.mean)
            );
        }
        out.push_str("</p>\n");
    }
    if s.worst_calls.is_empty() {
        out.push_str("<p class=\"muted\">No scored calls.</p>\n");
        return;
    }
    let _ = writeln!(
        out,
        "<p class=\"drill-head\">{} of {}:</p>",
        if s.worst_calls.len() == 1 {
            "The lowest-scoring call".to_string()
        } else {
            format!("The {} lowest-scoring calls", s.worst_calls.len())
        },
        esc(&key_values(row).join(" · "))
    );
    for call in &s.worst_calls {
        call_card(out, call, report, titles, false);
    }
}

fn call_card(out: &mut String, call: &Call, report: &Report, titles: &Titles<'_>, collapsible: bool) {
    let g = grade(Some(call.score), report.pass_mark_max);
    let who: Vec<&str> = ["agent", "team", "date"]
        .iter()
        .filter_map(|k| call.metadata.get(k).map(String::as_str))
        .collect();
    let (open, close) = if collapsible {
        ("<details class=\"call\" data-call>\n<summary>", "</summary>\n")
    } else {
        ("<article class=\"call\">\n<div class=\"call-head\">", "</div>\n")
    };
    let _ = write!(
        out,
        "{open}<span class=\"score {g}\" data-score=\"{}\">{}</span><code class=\"path\">{}</code>\
         <span class=\"who\">{}</span>",
        one(call.score),
        one(call.score),
        esc(&call.path),
        esc(&who.join(" · "))
    );
    if call.auto_fail {
        out.push_str("<span class=\"tag critical\">auto-fail</span>");
    }
    out.push_str(close);
    if !call.lost.is_empty() {
        out.push_str("<ul class=\"lost\">");
        for l in &call.lost {
            let cost = if l.auto_fail {
                "auto-fail".to_string()
            } else {
                format!("−{:.1}", l.points)
            };
            let name = titles.of(&l.rule).unwrap_or("");
            let _ = write!(
                out,
                "<li class=\"{}\"><b>{cost}</b> <code>{}</code> {}</li>",
                if l.auto_fail { "critical" } else { "" },
                esc(short_rule(&l.rule)),
                esc(name)
            );
        }
        out.push_str("</ul>\n");
    }
    // Findings of rules that cost points first.
    let mut findings: Vec<&CallFinding> = call.findings.iter().collect();
    findings.sort_by_key(|f| !call.lost.iter().any(|l| l.rule == f.rule));
    for f in findings.iter().take(FINDINGS_SHOWN) {
        finding(out, f);
    }
    let hidden = call
        .findings_total
        .saturating_sub(FINDINGS_SHOWN.min(call.findings.len()));
    if hidden > 0 {
        let _ = writeln!(
            out,
            "<p class=\"muted more\">{} more finding{} in this call (<code>callcheck check {}</code>).</p>",
            hidden,
            if hidden == 1 { "" } else { "s" },
            esc(&call.file)
        );
    }
    out.push_str(if collapsible {
        "</details>\n"
    } else {
        "</article>\n"
    });
}

fn finding(out: &mut String, f: &CallFinding) {
    let _ = writeln!(
        out,
        "<div class=\"finding\"><p class=\"finding-head\"><span class=\"sev {}\">{}</span> \
         <code>{}</code> <span class=\"where\">line {}</span> {}</p>",
        f.severity,
        f.severity,
        esc(&f.rule),
        f.line,
        esc(&f.message)
    );
    if f.context.is_empty() {
        if let Some(excerpt) = &f.excerpt {
            let _ = writeln!(
                out,
                "<ol class=\"turns\"><li class=\"turn offending\"><span class=\"text\">{}</span></li></ol>",
                esc(excerpt)
            );
        }
    } else {
        out.push_str("<ol class=\"turns\">");
        for turn in &f.context {
            context_turn(out, turn);
        }
        out.push_str("</ol>\n");
    }
    if let Some(note) = &f.note {
        let _ = writeln!(out, "<p class=\"note\">{}</p>", esc(note));
    }
    if let Some(s) = &f.suggestion {
        let _ = writeln!(out, "<p class=\"suggest\">Try: {}</p>", esc(s));
    }
    out.push_str("</div>\n");
}

fn context_turn(out: &mut String, turn: &ContextTurn) {
    let _ = write!(
        out,
        "<li class=\"turn {}{}\" value=\"{}\"><span class=\"speaker\">{}</span>",
        turn.role,
        if turn.offending { " offending" } else { "" },
        turn.turn,
        esc(&turn.speaker)
    );
    if let Some(time) = &turn.time {
        let _ = write!(out, "<time>{}</time>", esc(time));
    }
    let _ = write!(out, "<span class=\"text\">{}", esc(&turn.before));
    if !turn.mark.is_empty() {
        let _ = write!(out, "<mark>{}</mark>{}", esc(&turn.mark), esc(&turn.after));
    }
    out.push_str("</span></li>");
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
            "<tr data-rule=\"{}\"><td><code>{}</code><div class=\"sub\">{}</div></td><td>{}</td>\
             <td class=\"n\">{weight}</td><td class=\"n\" data-field=\"broken\">{}</td>\
             <td class=\"n\" data-field=\"applicable\">{}</td>\
             <td><span class=\"meter\"><span class=\"fill bad\" style=\"width:{:.1}%\"></span></span>\
             <span data-field=\"rate\">{:.1}%</span></td><td class=\"n\" data-field=\"findings\">{}</td></tr>",
            esc(&r.rule),
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
    fn axis_maxima_are_round() {
        assert_eq!(
            [1, 3, 7, 10, 11, 48, 120].map(nice_max),
            [1, 5, 10, 10, 20, 50, 200]
        );
    }

    #[test]
    fn grades() {
        assert_eq!(grade(Some(80.0), 80.0), "good");
        assert_eq!(grade(Some(65.0), 80.0), "near");
        assert_eq!(grade(Some(64.9), 80.0), "bad");
        assert_eq!(grade(None, 80.0), "none");
    }
}
