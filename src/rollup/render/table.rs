//! `--format table`: the report for a terminal, in 80 columns.
//!
//! Columns are aligned by display width, so Chinese names line up; text columns that would make
//! a table wider than 80 columns are cut with "…". Colours (with `--color`): scores below the
//! pass mark in red, at or above it in green, auto-fails in bold red.

use colored::Colorize;

use crate::paint::Paint;

/// How a stream with colour on shows a styled string (callers decide whether colour is on).
const COLOR: Paint = Paint::new(true);
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use super::{RenderOptions, by_heading, key_values, label, one, one_or_dash, percent, scope_line};
use crate::rollup::Dimension;
use crate::rollup::model::{Call, Report};

/// The width the report fits in.
pub const WIDTH: usize = 80;

/// Indentation of tables under their heading.
const INDENT: &str = "  ";

/// How a cell is painted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Style {
    /// As is.
    Plain,
    /// Green: at or above the pass mark.
    Good,
    /// Red: below the pass mark.
    Bad,
    /// Dimmed.
    Dim,
}

/// A table cell.
#[derive(Clone, Debug)]
pub struct Cell {
    text: String,
    style: Style,
}

impl Cell {
    /// A plain cell.
    pub fn new(text: impl Into<String>) -> Cell {
        Cell {
            text: text.into(),
            style: Style::Plain,
        }
    }

    /// A painted cell.
    pub fn styled(text: impl Into<String>, style: Style) -> Cell {
        Cell {
            text: text.into(),
            style,
        }
    }
}

/// A column: its title, right alignment, and whether it may be cut to fit.
#[derive(Clone, Copy, Debug)]
pub struct Column<'a> {
    /// Header text.
    pub title: &'a str,
    /// Right-aligned (numbers).
    pub right: bool,
    /// May be cut with "…" when the table is too wide.
    pub shrink: bool,
}

/// A column of text that may be cut.
pub fn text(title: &str) -> Column<'_> {
    Column {
        title,
        right: false,
        shrink: true,
    }
}

/// A right-aligned number column.
pub fn number(title: &str) -> Column<'_> {
    Column {
        title,
        right: true,
        shrink: false,
    }
}

/// Cuts text to `width` display columns, ending with "…" when cut.
pub fn fit(text: &str, width: usize) -> String {
    if text.width() <= width {
        return text.to_string();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = c.width().unwrap_or(0);
        if used + w + 1 > width {
            break;
        }
        out.push(c);
        used += w;
    }
    out.push('…');
    out
}

/// Lays out a table in `width` columns: header, then rows; every line starts with [`INDENT`].
pub fn layout(columns: &[Column<'_>], rows: &[Vec<Cell>], width: usize, color: bool) -> String {
    let mut widths: Vec<usize> = columns
        .iter()
        .enumerate()
        .map(|(i, c)| {
            rows.iter()
                .filter_map(|r| r.get(i))
                .map(|cell| cell.text.width())
                .chain([c.title.width()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let total =
        |widths: &[usize]| INDENT.len() + widths.iter().sum::<usize>() + 2 * widths.len().saturating_sub(1);
    // Shrink the widest cuttable column until the table fits (or nothing more can be cut).
    while total(&widths) > width {
        let Some((i, _)) = widths
            .iter()
            .enumerate()
            .filter(|(i, w)| columns[*i].shrink && **w > 8.max(columns[*i].title.width()))
            .max_by_key(|(_, w)| **w)
        else {
            break;
        };
        widths[i] -= 1;
    }
    let mut out = String::new();
    let mut line = |cells: Vec<(String, Style)>, header: bool| {
        let mut text = String::from(INDENT);
        let last = cells.len().saturating_sub(1);
        for (i, (cell, style)) in cells.into_iter().enumerate() {
            let cell = fit(&cell, widths[i]);
            let pad = " ".repeat(widths[i] - cell.width());
            let painted = paint(&cell, style, header, color);
            if columns[i].right {
                text.push_str(&pad);
                text.push_str(&painted);
            } else {
                text.push_str(&painted);
                if i < last {
                    text.push_str(&pad);
                }
            }
            if i < last {
                text.push_str("  ");
            }
        }
        out.push_str(text.trim_end());
        out.push('\n');
    };
    line(
        columns
            .iter()
            .map(|c| (c.title.to_string(), Style::Plain))
            .collect(),
        true,
    );
    for row in rows {
        line(row.iter().map(|c| (c.text.clone(), c.style)).collect(), false);
    }
    out
}

fn paint(text: &str, style: Style, header: bool, color: bool) -> String {
    if !color {
        return text.to_string();
    }
    if header {
        return COLOR.string(text.bold());
    }
    match style {
        Style::Plain => text.to_string(),
        Style::Good => COLOR.string(text.green()),
        Style::Bad => COLOR.string(text.red()),
        Style::Dim => COLOR.string(text.dimmed()),
    }
}

/// A score's style against the pass mark.
fn judged(score: Option<f64>, pass_mark: f64) -> Style {
    match score {
        Some(s) if s >= pass_mark => Style::Good,
        Some(_) => Style::Bad,
        None => Style::Dim,
    }
}

/// Renders the report.
pub fn render(report: &Report, options: &RenderOptions) -> String {
    let color = options.color;
    let heading = |text: &str| {
        if color {
            COLOR.string(text.bold())
        } else {
            text.to_string()
        }
    };
    let mut out = String::new();
    let s = &report.summary;
    let mut title = format!("Call quality report: {}", scope_line(report));
    if !options.source.is_empty() {
        title.push_str(&format!(" in {}", options.source));
    }
    out.push_str(&heading(crate::report::table::wrap(&title, WIDTH, "").trim_end()));
    out.push('\n');
    let mut facts = format!("Pass mark {}", report.pass_mark);
    if !report.rulebooks.is_empty() {
        facts.push_str(&format!(" · rulebooks {}", report.rulebooks.join(", ")));
    }
    facts.push_str(super::redaction_note(report));
    out.push_str(&crate::report::table::wrap(&facts, WIDTH, ""));
    out.push('\n');

    let mean_style = judged(s.mean, report.pass_mark_max);
    let rows = vec![
        vec![
            Cell::new("Mean score"),
            Cell::styled(one_or_dash(s.mean), mean_style),
            Cell::new("Pass rate"),
            Cell::new(percent(s.pass_rate)),
            Cell::styled(
                format!("{} of {} scored calls pass", s.passed, s.scored),
                Style::Dim,
            ),
        ],
        vec![
            Cell::new("Median score"),
            Cell::styled(one_or_dash(s.median), judged(s.median, report.pass_mark_max)),
            Cell::new("Auto-fails"),
            Cell::styled(
                s.auto_failed.to_string(),
                if s.auto_failed > 0 {
                    Style::Bad
                } else {
                    Style::Plain
                },
            ),
            Cell::styled("calls scored 0 by a critical rule", Style::Dim),
        ],
        vec![
            Cell::new("Findings"),
            Cell::new(s.findings.to_string()),
            Cell::new("Unreadable"),
            Cell::styled(
                s.errors.to_string(),
                if s.errors > 0 { Style::Bad } else { Style::Plain },
            ),
            Cell::styled(
                format!("{} calls have findings", s.calls_with_findings),
                Style::Dim,
            ),
        ],
    ];
    let summary = layout(
        &[text(""), number(""), text(""), number(""), text("")],
        &rows,
        WIDTH,
        color,
    );
    // The summary has no header row.
    out.push_str(summary.split_once('\n').map_or("", |(_, rest)| rest));
    out.push('\n');

    out.push_str(&heading("Score distribution"));
    out.push('\n');
    out.push_str(&distribution(report, color));
    out.push('\n');

    out.push_str(&heading(&by_heading(report)));
    out.push('\n');
    out.push_str(&by_table(report, color));
    if report.by.contains(&Dimension::Agent)
        && !report.by.contains(&Dimension::Rule)
        && report
            .groups
            .iter()
            .any(|g| g.scores.as_ref().is_some_and(|s| !s.top_rules.is_empty()))
    {
        out.push('\n');
        out.push_str(&heading(
            "Coaching focus: rules that cost the most points (calls broken of calls it applied to)",
        ));
        out.push('\n');
        out.push_str(&coaching(report));
    }
    if report.by != [Dimension::Rule] {
        out.push('\n');
        out.push_str(&heading("Rules broken most"));
        out.push('\n');
        out.push_str(&rules_table(report, color, 10));
    }
    if !report.worst_calls.is_empty() {
        out.push('\n');
        out.push_str(&heading("Worst calls"));
        out.push('\n');
        for call in &report.worst_calls {
            out.push_str(&worst_call(call, report.pass_mark_max, color));
        }
    }
    if !report.errors.is_empty() {
        out.push('\n');
        out.push_str(&heading("Files that could not be read"));
        out.push('\n');
        for e in &report.errors {
            out.push_str(&crate::report::table::wrap(
                &format!("{}: {}", e.path, e.error),
                WIDTH - 2,
                INDENT,
            ));
        }
    }
    for note in &report.notes {
        out.push('\n');
        out.push_str(&crate::report::table::wrap(&format!("note: {note}"), WIDTH, ""));
    }
    out
}

/// A bar chart of the score bands.
fn distribution(report: &Report, color: bool) -> String {
    let most = report
        .distribution
        .iter()
        .map(|b| b.calls)
        .max()
        .unwrap_or(0)
        .max(1);
    let mut out = String::new();
    for band in &report.distribution {
        let bar_len = ((band.calls as f64 / most as f64) * 50.0).round() as usize;
        let bar = "█".repeat(bar_len);
        let passing = f64::from(band.from) >= report.pass_mark_max;
        let bar = match (color, passing) {
            (false, _) => bar,
            (true, true) => COLOR.string(bar.green()),
            (true, false) => COLOR.string(bar.red()),
        };
        let range = if band.to == 100 {
            format!("{}–100", band.from)
        } else {
            format!("{}–{}", band.from, band.to)
        };
        let line = format!("{INDENT}{range:>6}  {:>5}  {bar}", band.calls);
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// The `--by` table.
fn by_table(report: &Report, color: bool) -> String {
    if report.groups.is_empty() {
        return format!("{INDENT}Nothing to show: no call was checked, or no rule was broken.\n");
    }
    let dims: Vec<String> = report.by.iter().map(|d| d.name().to_uppercase()).collect();
    if report.by.contains(&Dimension::Rule) {
        let mut columns: Vec<Column<'_>> = dims.iter().map(|d| text(d)).collect();
        columns.extend([number("BROKEN"), number("RATE"), number("FINDINGS")]);
        let compared = report
            .groups
            .iter()
            .any(|g| g.rule.as_ref().is_some_and(|r| r.compare.is_some()));
        if compared {
            columns.push(number("COMPARED"));
        }
        let rows: Vec<Vec<Cell>> = report
            .groups
            .iter()
            .filter_map(|g| g.rule.as_ref().map(|r| (g, r)))
            .map(|(g, r)| {
                let mut row: Vec<Cell> = key_values(g).into_iter().map(Cell::new).collect();
                row.push(Cell::new(format!("{} of {}", r.broken, r.applicable)));
                row.push(Cell::new(format!("{:.1}%", r.rate)));
                row.push(Cell::new(r.findings.to_string()));
                if compared {
                    row.push(Cell::styled(
                        match (r.compare, r.compare_rate) {
                            (Some(label), Some(rate)) => format!("{label} {rate:.1}%"),
                            _ => String::new(),
                        },
                        Style::Dim,
                    ));
                }
                row
            })
            .collect();
        return layout(&columns, &rows, WIDTH, color);
    }
    let with_team = report.by.contains(&Dimension::Agent) && !report.by.contains(&Dimension::Team);
    let mut columns: Vec<Column<'_>> = dims.iter().map(|d| text(d)).collect();
    if with_team {
        columns.push(text("TEAM"));
    }
    columns.extend([
        number("CALLS"),
        number("MEAN"),
        number("MEDIAN"),
        number("PASS"),
        number("AUTO-FAIL"),
    ]);
    let rows: Vec<Vec<Cell>> = report
        .groups
        .iter()
        .filter_map(|g| g.scores.as_ref().map(|s| (g, s)))
        .map(|(g, s)| {
            let mut row: Vec<Cell> = key_values(g).into_iter().map(Cell::new).collect();
            if with_team {
                row.push(Cell::new(label(&s.team)));
            }
            let t = &s.totals;
            row.push(Cell::new(t.calls.to_string()));
            row.push(Cell::styled(
                one_or_dash(t.mean),
                judged(t.mean, report.pass_mark_max),
            ));
            row.push(Cell::new(one_or_dash(t.median)));
            row.push(Cell::new(percent(t.pass_rate)));
            row.push(Cell::styled(
                t.auto_failed.to_string(),
                if t.auto_failed > 0 {
                    Style::Bad
                } else {
                    Style::Plain
                },
            ));
            row
        })
        .collect();
    layout(&columns, &rows, WIDTH, color)
}

/// Per agent, the rules that cost them the most points with the comparison rate, one agent a
/// paragraph.
fn coaching(report: &Report) -> String {
    let names: Vec<String> = report.groups.iter().map(|g| key_values(g).join(" · ")).collect();
    let name_width = names.iter().map(|n| n.width()).max().unwrap_or(0).min(20);
    let mut out = String::new();
    for (row, name) in report.groups.iter().zip(&names) {
        let Some(scores) = &row.scores else { continue };
        if scores.top_rules.is_empty() {
            continue;
        }
        let items: Vec<String> = scores
            .top_rules
            .iter()
            .map(|t| {
                format!(
                    "{} {} of {} ({} {:.1}%)",
                    short_rule(&t.rule),
                    t.broken,
                    t.applicable,
                    t.compare,
                    t.compare_rate
                )
            })
            .collect();
        let name = fit(name, name_width);
        let indent = " ".repeat(INDENT.len() + name_width + 2);
        let wrapped = crate::report::table::wrap(&items.join(", "), WIDTH - indent.len(), &indent);
        let first = wrapped.get(indent.len()..).unwrap_or("");
        let pad = " ".repeat(name_width - name.width());
        out.push_str(&format!("{INDENT}{name}{pad}  {first}"));
    }
    out
}

/// A rule id without its rulebook: `zh-telephone/greeting` → `greeting`.
pub fn short_rule(rule: &str) -> &str {
    rule.split_once('/').map_or(rule, |(_, local)| local)
}

/// The most broken rules.
fn rules_table(report: &Report, color: bool, limit: usize) -> String {
    let rows: Vec<Vec<Cell>> = report
        .rules
        .iter()
        .filter(|r| r.broken > 0)
        .take(limit)
        .map(|r| {
            vec![
                Cell::new(r.rule.as_str()),
                Cell::new(format!("{} of {}", r.broken, r.applicable)),
                Cell::new(format!("{:.1}%", r.rate)),
                Cell::new(r.findings.to_string()),
                Cell::styled(
                    if r.auto_fail {
                        "auto-fail".to_string()
                    } else {
                        crate::score::number(r.weight)
                    },
                    if r.auto_fail { Style::Bad } else { Style::Plain },
                ),
            ]
        })
        .collect();
    if rows.is_empty() {
        return format!("{INDENT}No rule was broken.\n");
    }
    layout(
        &[
            text("RULE"),
            number("BROKEN"),
            number("RATE"),
            number("FINDINGS"),
            number("WEIGHT"),
        ],
        &rows,
        WIDTH,
        color,
    )
}

/// One worst call: score and path, who and when, what cost points.
fn worst_call(call: &Call, pass_mark: f64, color: bool) -> String {
    let score = format!("{:>5}", one(call.score));
    let score = match (color, call.score >= pass_mark) {
        (false, _) => score,
        (true, true) => COLOR.string(score.green()),
        (true, false) => COLOR.string(score.red().bold()),
    };
    let mut out = format!("{INDENT}{score}  {}\n", fit(&call.path, WIDTH - 9));
    let who: Vec<&str> = ["agent", "team", "date"]
        .iter()
        .filter_map(|k| call.metadata.get(k).map(String::as_str))
        .collect();
    if !who.is_empty() {
        out.push_str(&crate::report::table::wrap(
            &who.join(" · "),
            WIDTH - 9,
            "         ",
        ));
    }
    let shown = 4;
    let mut lost: Vec<String> = call
        .lost
        .iter()
        .take(shown)
        .map(|l| {
            if l.auto_fail {
                format!("auto-fail {}", short_rule(&l.rule))
            } else {
                format!("-{:.1} {}", l.points, short_rule(&l.rule))
            }
        })
        .collect();
    if call.lost.len() > shown {
        lost.push(format!("{} more", call.lost.len() - shown));
    }
    if !lost.is_empty() {
        out.push_str(&crate::report::table::wrap(
            &lost.join(", "),
            WIDTH - 9,
            "         ",
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fit_cuts_by_display_width() {
        assert_eq!(fit("快递售后一组", 6), "快递…");
        assert_eq!(fit("abc", 3), "abc");
        assert_eq!(fit("abcdef", 4), "abc…");
    }

    #[test]
    fn layout_aligns_wide_characters_and_numbers() {
        let rows = vec![
            vec![Cell::new("王芳"), Cell::new("7")],
            vec![Cell::new("Sam Carter"), Cell::new("12")],
        ];
        let text = layout(&[self::text("AGENT"), number("CALLS")], &rows, WIDTH, false);
        assert_eq!(
            text,
            "  AGENT       CALLS\n  王芳            7\n  Sam Carter     12\n"
        );
    }

    #[test]
    fn layout_shrinks_text_columns_to_fit() {
        let long = "x".repeat(100);
        let rows = vec![vec![Cell::new(long.as_str()), Cell::new("1")]];
        let text = layout(&[self::text("RULE"), number("N")], &rows, 40, false);
        assert!(text.lines().all(|l| l.width() <= 40), "{text}");
        assert!(text.contains('…'));
    }
}
