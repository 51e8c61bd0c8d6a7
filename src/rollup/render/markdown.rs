//! `--format markdown`: the report as GitHub-flavoured Markdown, for a wiki page, an issue or a
//! pull request: the totals, the `--by` table, the rules broken most and the worst calls with
//! the offending turn in bold.

use std::fmt::Write as _;

use super::{RenderOptions, by_heading, key_values, label, one, one_or_dash, percent, scope_line};
use crate::rollup::Dimension;
use crate::rollup::model::Report;

/// Escapes a table cell: pipes, line breaks and Markdown emphasis characters.
pub fn cell(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '|' | '*' | '_' | '`' | '<' | '>' | '[' | ']' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            _ => out.push(c),
        }
    }
    out
}

/// A table row of escaped cells.
pub fn row(cells: &[String]) -> String {
    format!("| {} |\n", cells.join(" | "))
}

/// A header row; columns from `right_from` up to `right_to` (exclusive) are right-aligned.
pub fn header(titles: &[&str], right_from: usize, right_to: usize) -> String {
    let align: Vec<&str> = (0..titles.len())
        .map(|i| {
            if (right_from..right_to).contains(&i) {
                "---:"
            } else {
                "---"
            }
        })
        .collect();
    format!("| {} |\n|{}|\n", titles.join(" | "), align.join("|"))
}

/// Renders the report.
pub fn render(report: &Report, options: &RenderOptions) -> String {
    let mut out = String::new();
    let s = &report.summary;
    let _ = writeln!(out, "# Call quality report\n");
    let mut scope = scope_line(report);
    if !options.source.is_empty() {
        scope.push_str(&format!(" in `{}`", options.source.replace('`', "'")));
    }
    let _ = write!(out, "{scope} · pass mark {}", report.pass_mark);
    out.push_str(super::redaction_note(report));
    out.push_str("\n\n");
    out.push_str(&header(
        &[
            "calls",
            "scored",
            "mean",
            "median",
            "pass rate",
            "passed",
            "auto-fails",
            "findings",
            "unreadable",
        ],
        0,
        9,
    ));
    out.push_str(&row(&[
        s.calls.to_string(),
        s.scored.to_string(),
        one_or_dash(s.mean),
        one_or_dash(s.median),
        percent(s.pass_rate),
        s.passed.to_string(),
        s.auto_failed.to_string(),
        s.findings.to_string(),
        s.errors.to_string(),
    ]));
    if !report.sections.is_empty() {
        let _ = writeln!(out, "\n**Mean score by section**\n");
        let names: Vec<String> = report.sections.iter().map(|x| cell(&x.name)).collect();
        let names: Vec<&str> = names.iter().map(String::as_str).collect();
        out.push_str(&header(&names, 0, names.len()));
        out.push_str(&row(&report
            .sections
            .iter()
            .map(|x| one(x.mean))
            .collect::<Vec<_>>()));
    }

    let _ = writeln!(out, "\n## {}\n", by_heading(report));
    let dims: Vec<&str> = report.by.iter().map(|d| d.name()).collect();
    if report.by.contains(&Dimension::Rule) {
        let mut titles = dims.clone();
        titles.extend(["broken", "applicable", "rate", "findings", "compared with"]);
        out.push_str(&header(&titles, dims.len(), titles.len()));
        for g in &report.groups {
            let Some(r) = &g.rule else { continue };
            let mut cells: Vec<String> = key_values(g).iter().map(|v| cell(v)).collect();
            cells.extend([
                r.broken.to_string(),
                r.applicable.to_string(),
                format!("{:.1}%", r.rate),
                r.findings.to_string(),
                match (r.compare, r.compare_rate) {
                    (Some(label), Some(rate)) => format!("{label} {rate:.1}%"),
                    _ => "—".into(),
                },
            ]);
            out.push_str(&row(&cells));
        }
    } else {
        let with_team = report.by.contains(&Dimension::Agent) && !report.by.contains(&Dimension::Team);
        let mut titles = dims.clone();
        if with_team {
            titles.push("team");
        }
        let first_number = titles.len();
        titles.extend([
            "calls",
            "mean",
            "median",
            "pass rate",
            "auto-fails",
            "breaks most (compared with)",
        ]);
        out.push_str(&header(&titles, first_number, titles.len() - 1));
        for g in &report.groups {
            let Some(sc) = &g.scores else { continue };
            let mut cells: Vec<String> = key_values(g).iter().map(|v| cell(v)).collect();
            if with_team {
                cells.push(cell(label(&sc.team)));
            }
            let t = &sc.totals;
            let top: Vec<String> = sc
                .top_rules
                .iter()
                .map(|r| {
                    format!(
                        "{} {:.1}% ({} {:.1}%)",
                        cell(&r.rule),
                        r.rate,
                        r.compare,
                        r.compare_rate
                    )
                })
                .collect();
            cells.extend([
                t.calls.to_string(),
                one_or_dash(t.mean),
                one_or_dash(t.median),
                percent(t.pass_rate),
                t.auto_failed.to_string(),
                if top.is_empty() {
                    "—".into()
                } else {
                    top.join("<br>")
                },
            ]);
            out.push_str(&row(&cells));
        }
    }

    if report.by != [Dimension::Rule] {
        let _ = writeln!(out, "\n## Rules broken most\n");
        out.push_str(&header(
            &[
                "rule",
                "title",
                "broken",
                "applicable",
                "rate",
                "findings",
                "weight",
            ],
            2,
            7,
        ));
        for r in report.rules.iter().filter(|r| r.broken > 0) {
            out.push_str(&row(&[
                format!("`{}`", r.rule),
                cell(r.title.as_deref().unwrap_or("")),
                r.broken.to_string(),
                r.applicable.to_string(),
                format!("{:.1}%", r.rate),
                r.findings.to_string(),
                if r.auto_fail {
                    "auto-fail".into()
                } else {
                    crate::score::number(r.weight)
                },
            ]));
        }
    }

    if !report.worst_calls.is_empty() {
        let _ = writeln!(out, "\n## Worst calls\n");
        for call in &report.worst_calls {
            let who: Vec<String> = ["agent", "team", "date"]
                .iter()
                .filter_map(|k| call.metadata.get(k).map(|v| cell(v)))
                .collect();
            let _ = write!(out, "- **{}** `{}`", one(call.score), call.path.replace('`', "'"));
            if !who.is_empty() {
                let _ = write!(out, " — {}", who.join(" · "));
            }
            out.push('\n');
            for l in &call.lost {
                let cost = if l.auto_fail {
                    "auto-fail".to_string()
                } else {
                    format!("−{:.1}", l.points)
                };
                let _ = writeln!(out, "  - {cost} `{}`", l.rule);
            }
            if let Some(f) = call
                .findings
                .iter()
                .find(|f| f.context.iter().any(|c| c.offending))
            {
                for turn in f.context.iter().filter(|c| c.offending) {
                    let marked = if turn.mark.is_empty() {
                        cell(&turn.before)
                    } else {
                        format!(
                            "{}**{}**{}",
                            cell(&turn.before),
                            cell(&turn.mark),
                            cell(&turn.after)
                        )
                    };
                    let _ = writeln!(out, "  > {}: {marked}", cell(&turn.speaker));
                }
            }
        }
    }
    if !report.errors.is_empty() {
        let _ = writeln!(out, "\n## Files that could not be read\n");
        for e in &report.errors {
            let _ = writeln!(out, "- `{}`: {}", e.path.replace('`', "'"), cell(&e.error));
        }
    }
    if !report.notes.is_empty() {
        out.push('\n');
        for note in &report.notes {
            let _ = writeln!(out, "> {}", cell(note));
        }
    }
    out
}
