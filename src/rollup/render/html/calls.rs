//! Drill-downs: a group's section scores and worst calls, each call with the rules that cost
//! points and its findings between the turns around them, the offending turn highlighted.

use std::fmt::Write as _;

use super::{FINDINGS_PRINTED, FINDINGS_SHOWN, Titles, esc, grade};
use crate::rollup::model::{Call, CallFinding, ContextTurn, GroupRow, Report};
use crate::rollup::render::table::short_rule;
use crate::rollup::render::{key_values, one};

pub(super) fn drill(out: &mut String, row: &GroupRow, report: &Report, titles: &Titles<'_>) {
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

pub(super) fn call_card(
    out: &mut String,
    call: &Call,
    report: &Report,
    titles: &Titles<'_>,
    collapsible: bool,
) {
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
    for (i, f) in findings.iter().take(FINDINGS_SHOWN).enumerate() {
        finding(out, f, i >= FINDINGS_PRINTED);
    }
    if findings.len() > FINDINGS_PRINTED {
        let _ = writeln!(
            out,
            "<p class=\"more-print\">{} findings in all; the page on screen shows more.</p>",
            call.findings_total
        );
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

pub(super) fn finding(out: &mut String, f: &CallFinding, extra: bool) {
    let _ = writeln!(
        out,
        "<div class=\"finding{}\"><p class=\"finding-head\"><span class=\"sev {}\">{}</span> \
         <code>{}</code> <span class=\"where\">line {}</span> {}</p>",
        if extra { " extra" } else { "" },
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

pub(super) fn context_turn(out: &mut String, turn: &ContextTurn) {
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
