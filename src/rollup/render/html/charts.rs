//! The page's charts, drawn as inline SVG (histogram, daily trend, sparklines) or as HTML bars
//! (rules and sections, whose long labels wrap better in HTML).

use std::fmt::Write as _;

use super::{RULES_CHARTED, Titles, esc, grade};
use crate::rollup::model::{Band, Report, TrendPoint};
use crate::rollup::render::one;
use crate::rollup::render::table::short_rule;

/// A rounded-up axis maximum: 1, 2, 5, 10, 20, 50, …
pub(super) fn nice_max(n: u64) -> u64 {
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

pub(super) fn histogram(out: &mut String, report: &Report) {
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
            "<g data-band=\"{from}\" data-calls=\"{calls}\"><title>{range}: {}</title>\
             <rect class=\"bar {class}\" x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{bar_h:.1}\" rx=\"2\"/>",
            crate::report::table::plural(*calls as usize, "call", "calls"),
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

pub(super) fn rule_chart(out: &mut String, report: &Report, titles: &Titles<'_>) {
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

pub(super) fn section_chart(out: &mut String, report: &Report) {
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

pub(super) fn trend_chart(out: &mut String, report: &Report) {
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
            let anchor = if i == 0 {
                "start"
            } else if i + 1 == points.len() {
                "end"
            } else {
                "middle"
            };
            let _ = writeln!(
                out,
                "<text class=\"axis\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"{anchor}\">{}</text>",
                x_of(i),
                h - bottom + 16.0,
                esc(short)
            );
        }
    }
    out.push_str("</svg>\n</figure>\n");
}

/// A small line of a group's daily means.
pub(super) fn sparkline(points: &[TrendPoint], pass_mark: f64) -> String {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn axis_maxima_are_round() {
        assert_eq!(
            [1, 3, 7, 10, 11, 48, 120].map(nice_max),
            [1, 5, 10, 10, 20, 50, 200]
        );
    }
}
