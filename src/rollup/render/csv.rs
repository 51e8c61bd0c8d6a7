//! `--format csv`: the `--by` table, one row per group, for spreadsheets.
//!
//! Without `rule` in `--by` the columns are the `--by` values, then `calls, scored, mean,
//! median, passed, pass_rate, auto_failed, findings, calls_with_findings`, `team` (for agents,
//! when `team` is not in `--by`) and `top_rules`; the first row, with every `--by` value `(all)`,
//! holds the totals. With `rule` they are the `--by` values, then `applicable, broken, rate,
//! findings, compare_rate, compare`. Rates are percentages; empty cells are missing values.

use super::{key_values, one};
use crate::rollup::Dimension;
use crate::rollup::model::{Report, Totals};

/// Renders the CSV.
pub fn render(report: &Report) -> String {
    let mut out = csv::Writer::from_writer(Vec::new());
    let mut header: Vec<String> = report.by.iter().map(|d| d.name().to_string()).collect();
    let opt = |x: Option<f64>| x.map_or_else(String::new, one);
    // Writing to a Vec cannot fail; a failed row would only mean a shorter file.
    if report.by.contains(&Dimension::Rule) {
        header.extend(
            [
                "applicable",
                "broken",
                "rate",
                "findings",
                "compare_rate",
                "compare",
            ]
            .map(String::from),
        );
        let _ = out.write_record(&header);
        for row in &report.groups {
            let Some(r) = &row.rule else { continue };
            let mut record: Vec<String> = key_values(row).into_iter().map(str::to_string).collect();
            record.extend([
                r.applicable.to_string(),
                r.broken.to_string(),
                one(r.rate),
                r.findings.to_string(),
                opt(r.compare_rate),
                r.compare.unwrap_or_default().to_string(),
            ]);
            let _ = out.write_record(&record);
        }
    } else {
        let with_team = report.by.contains(&Dimension::Agent) && !report.by.contains(&Dimension::Team);
        header.extend(
            [
                "calls",
                "scored",
                "mean",
                "median",
                "passed",
                "pass_rate",
                "auto_failed",
                "findings",
                "calls_with_findings",
            ]
            .map(String::from),
        );
        if with_team {
            header.push("team".into());
        }
        header.push("top_rules".into());
        let _ = out.write_record(&header);
        let totals = |t: &Totals| {
            vec![
                t.calls.to_string(),
                t.scored.to_string(),
                opt(t.mean),
                opt(t.median),
                t.passed.to_string(),
                opt(t.pass_rate),
                t.auto_failed.to_string(),
                t.findings.to_string(),
                t.calls_with_findings.to_string(),
            ]
        };
        let mut all: Vec<String> = report.by.iter().map(|_| "(all)".to_string()).collect();
        all.extend(totals(&report.summary));
        if with_team {
            all.push(String::new());
        }
        all.push(String::new());
        let _ = out.write_record(&all);
        for row in &report.groups {
            let Some(s) = &row.scores else { continue };
            let mut record: Vec<String> = key_values(row).into_iter().map(str::to_string).collect();
            record.extend(totals(&s.totals));
            if with_team {
                record.push(s.team.clone().unwrap_or_default());
            }
            record.push(super::top_rules_text(row));
            let _ = out.write_record(&record);
        }
    }
    let bytes = out.into_inner().unwrap_or_default();
    String::from_utf8(bytes).unwrap_or_default()
}
