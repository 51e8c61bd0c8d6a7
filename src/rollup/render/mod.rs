//! The output formats of `callcheck report`, all drawn from one [`Report`]: a terminal table,
//! CSV, Markdown, JSON and a self-contained HTML page. Numbers are rounded once, in the model, and
//! printed with one decimal everywhere, so the formats agree.

pub mod csv;
pub mod html;
pub mod markdown;
pub mod table;

use super::Dimension;
use super::model::{GroupRow, Report, UNKNOWN};
use crate::redact::Redaction;

/// The formats of `callcheck report --format`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReportFormat {
    /// Aligned tables for a terminal (readable at 80 columns).
    Table,
    /// The `--by` table as CSV.
    Csv,
    /// GitHub-flavoured Markdown.
    Markdown,
    /// The whole report as one JSON document.
    Json,
    /// One self-contained HTML file with charts and drill-down.
    Html,
}

/// Presentation switches.
#[derive(Clone, Debug, Default)]
pub struct RenderOptions {
    /// ANSI colours (terminal table only).
    pub color: bool,
    /// What was checked, for headings ("examples/").
    pub source: String,
}

/// Renders a report.
pub fn render(report: &Report, format: ReportFormat, options: &RenderOptions) -> String {
    match format {
        ReportFormat::Table => table::render(report, options),
        ReportFormat::Csv => csv::render(report),
        ReportFormat::Markdown => markdown::render(report, options),
        ReportFormat::Json => {
            let mut json =
                serde_json::to_string_pretty(report).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
            json.push('\n');
            json
        }
        ReportFormat::Html => html::render(report, options),
    }
}

/// One decimal: "78.4".
pub fn one(x: f64) -> String {
    format!("{x:.1}")
}

/// One decimal or a dash.
pub fn one_or_dash(x: Option<f64>) -> String {
    x.map_or_else(|| "—".to_string(), one)
}

/// A percentage: "62.5%", or a dash.
pub fn percent(x: Option<f64>) -> String {
    x.map_or_else(|| "—".to_string(), |x| format!("{x:.1}%"))
}

/// A key value as shown: the value, or "(unknown)".
pub fn label(value: &Option<String>) -> &str {
    value.as_deref().unwrap_or(UNKNOWN)
}

/// "agent", "team, agent".
pub fn dimensions(by: &[Dimension]) -> String {
    by.iter().map(|d| d.name()).collect::<Vec<_>>().join(", ")
}

/// The key values of a row in `--by` order.
pub fn key_values(row: &GroupRow) -> Vec<&str> {
    row.key.values().map(label).collect()
}

/// What the report masks, for its heading line: " · personal data masked".
pub fn redaction_note(report: &Report) -> &'static str {
    match report.redaction {
        Redaction::None => "",
        Redaction::Personal => " · personal data masked",
        Redaction::All => " · personal data, amounts and dates masked",
    }
}

/// "rule broken in 3 of 4 calls (75.0%; team 20.0%)" pieces for top rules: "greeting 75.0% (team 20.0%)".
pub fn top_rules_text(row: &GroupRow) -> String {
    let Some(scores) = &row.scores else {
        return String::new();
    };
    scores
        .top_rules
        .iter()
        .map(|t| {
            format!(
                "{} {}/{} {:.1}% ({} {:.1}%)",
                t.rule, t.broken, t.applicable, t.rate, t.compare, t.compare_rate
            )
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// The heading of the `--by` table.
pub fn by_heading(report: &Report) -> String {
    if report.by == [Dimension::Rule] {
        "Rules".to_string()
    } else {
        format!("By {}", dimensions(&report.by))
    }
}

/// "45 calls, 2026-11-18 to 2026-11-25".
pub fn scope_line(report: &Report) -> String {
    let calls = crate::report::table::plural(report.summary.calls as usize, "call", "calls");
    match &report.dates {
        Some((first, last)) if first != last => format!("{calls} from {first} to {last}"),
        Some((first, _)) => format!("{calls} on {first}"),
        None => calls,
    }
}
