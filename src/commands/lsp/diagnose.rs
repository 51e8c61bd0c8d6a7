//! What the server tells the editor about a document: diagnostics from findings and from
//! settings files, explanations on hover, quick fixes.

use std::collections::HashMap;
use std::path::Path;

use lsp_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, Diagnostic, DiagnosticSeverity, Hover, HoverContents,
    MarkupContent, MarkupKind, NumberOrString, Position, Range, TextEdit, Uri, WorkspaceEdit,
};

use super::Project;
use super::text::{Lines, touches};
use crate::cli::ConfigArgs;
use crate::config::Config;
use crate::diagnostic::{self, Level};
use crate::finding::{FileResult, Finding, Severity};
use crate::matcher::Scratch;
use crate::paths::CONFIG_FILE_NAMES;
use crate::rulebook::{ProjectLists, RuleSet};

/// One published diagnostic and the finding behind it (none for a settings problem or a call
/// that could not be judged).
#[derive(Clone, Debug)]
pub struct Entry {
    /// As published.
    pub diagnostic: Diagnostic,
    /// The finding, for hover and quick fixes.
    pub finding: Option<Finding>,
}

/// The diagnostics of the document at `path` holding `text`.
pub fn document(
    project: &Project<'_>,
    config: &ConfigArgs,
    path: &Path,
    text: &str,
    scratch: &mut Scratch,
) -> Vec<Entry> {
    let lines = Lines::new(text);
    let extension = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    if extension == "toml" {
        return settings_problems(config, path, text)
            .iter()
            .map(|d| settings_entry(&lines, d))
            .collect();
    }
    // A new, still empty file is not yet a template or a call.
    if text.trim().is_empty() {
        return Vec::new();
    }
    // Without settings nobody knows which files are checked: every document says why it is not.
    let Some(pipeline) = project.pipeline else {
        let problem = project.problem.as_deref().unwrap_or_default();
        let first = problem.lines().find(|l| !l.trim().is_empty()).unwrap_or(problem);
        return vec![unjudged(
            &lines,
            format!("not checked: the project's callcheck.toml or rulebooks have errors ({first})"),
        )];
    };
    let Some(input) = project.input_for(path) else {
        return Vec::new();
    };
    let mut entries = Vec::new();
    for result in pipeline.check_unsaved(&input, text, scratch) {
        match result {
            FileResult::Checked(report) => {
                entries.extend(report.findings.into_iter().map(|f| finding_entry(&lines, f)));
            }
            FileResult::NotChecked(not) => {
                entries.push(unjudged(&lines, format!("not checked: {}", not.reason)))
            }
            FileResult::Failed(failed) => {
                entries.push(unjudged(&lines, format!("cannot be checked: {}", failed.error)));
            }
        }
    }
    entries
}

/// A finding as an editor diagnostic: the matched text, or the whole line for something
/// missing (an empty range is invisible in most editors).
fn finding_entry(lines: &Lines<'_>, finding: Finding) -> Entry {
    let range = if finding.start == finding.end {
        lines.whole_line(finding.start.line)
    } else {
        Range::new(
            lines.position(finding.start.line, finding.start.column),
            lines.position(finding.end.line, finding.end.column),
        )
    };
    let mut message = finding.message.clone();
    if let Some(note) = &finding.note {
        message.push_str(&format!("\n{note}"));
    }
    if let Some(suggestion) = &finding.suggestion {
        message.push_str(&format!("\nsuggestion: {suggestion}"));
    }
    let diagnostic = Diagnostic {
        range,
        severity: Some(severity(finding.severity)),
        code: Some(NumberOrString::String(finding.rule.clone())),
        source: Some("callcheck".into()),
        message,
        ..Diagnostic::default()
    };
    Entry {
        diagnostic,
        finding: Some(finding),
    }
}

fn severity(severity: Severity) -> DiagnosticSeverity {
    match severity {
        Severity::Error => DiagnosticSeverity::ERROR,
        Severity::Warning => DiagnosticSeverity::WARNING,
        Severity::Info => DiagnosticSeverity::INFORMATION,
    }
}

/// A document that could not be judged says so on its first line: nothing passes silently.
fn unjudged(lines: &Lines<'_>, message: String) -> Entry {
    Entry {
        diagnostic: Diagnostic {
            range: lines.whole_line(1),
            severity: Some(DiagnosticSeverity::ERROR),
            source: Some("callcheck".into()),
            message,
            ..Diagnostic::default()
        },
        finding: None,
    }
}

/// The problems of a callcheck.toml or rulebook as it is being edited, as `check` would
/// report them on loading it.
fn settings_problems(config: &ConfigArgs, path: &Path, text: &str) -> Vec<diagnostic::Diagnostic> {
    let shown = crate::paths::shown(path);
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default();
    let result = if CONFIG_FILE_NAMES.contains(&name) {
        Config::parse(path, text.to_string()).map(|(_, warnings)| warnings)
    } else if is_rulebook(text) {
        let lists = match crate::settings::load_config(config) {
            Ok(Some((config, _))) => config.word_lists(),
            _ => Default::default(),
        };
        RuleSet::from_text_with(&shown, text, ProjectLists::Replace(&lists)).map(|(_, warnings)| warnings)
    } else {
        return Vec::new();
    };
    let problems = match result {
        Ok(warnings) => warnings,
        Err(diagnostics) => diagnostics.0,
    };
    problems
        .into_iter()
        .map(|mut d| {
            // A problem in a file it extends is shown at the top, naming that file.
            if d.path != shown {
                d.message = format!("in {}: {}", d.path, d.message);
                d.line = 0;
            }
            d
        })
        .collect()
}

/// True for TOML that is meant as a rulebook: it has the `[rulebook]` table.
fn is_rulebook(text: &str) -> bool {
    text.lines().any(|line| line.trim() == "[rulebook]")
}

fn settings_entry(lines: &Lines<'_>, problem: &diagnostic::Diagnostic) -> Entry {
    let range = if problem.line == 0 {
        lines.whole_line(1)
    } else {
        lines.underline(problem.line as u32, problem.column as u32, problem.underline)
    };
    let mut message = problem.message.clone();
    if let Some(context) = &problem.context {
        message = format!("{context}: {message}");
    }
    if let Some(expected) = &problem.expected {
        message.push_str(&format!("\nexpected: {expected}"));
    }
    if let Some(hint) = &problem.hint {
        message.push_str(&format!("\nhint: {hint}"));
    }
    Entry {
        diagnostic: Diagnostic {
            range,
            severity: Some(match problem.level {
                Level::Error => DiagnosticSeverity::ERROR,
                Level::Warning => DiagnosticSeverity::WARNING,
            }),
            source: Some("callcheck".into()),
            message,
            ..Diagnostic::default()
        },
        finding: None,
    }
}

/// `rules explain` for the rule of the finding under the cursor.
pub fn hover(project: &Project<'_>, entries: &[Entry], position: Position) -> Option<Hover> {
    let at = Range::new(position, position);
    let (entry, finding) = entries
        .iter()
        .find_map(|e| Some((e, e.finding.as_ref()?)).filter(|(e, _)| touches(e.diagnostic.range, at)))?;
    let rules = project.pipeline?.engine.rules();
    let explanation = match rules.find(&finding.rule) {
        Ok(rule) => crate::commands::rules::explanation(rules, rule, crate::paint::Paint::PLAIN),
        Err(_) if finding.rule == crate::suppress::UNUSED_RULE => crate::suppress::UNUSED_HELP.to_string(),
        Err(_) => return None,
    };
    let value = format!(
        "**{}** ({}): {}\n\n```text\n{}\n```\n",
        finding.rule,
        finding.severity.as_str(),
        finding.message,
        explanation.trim_end()
    );
    Some(Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value,
        }),
        range: Some(entry.diagnostic.range),
    })
}

/// Quick fixes for the findings in `range`: a forbidden rule's literal `replace`, and a
/// comment suppressing the rule on that line where the file's syntax has comments.
pub fn actions(uri: &Uri, text: &str, entries: &[Entry], range: Range) -> Vec<CodeActionOrCommand> {
    let lines = Lines::new(text);
    let extension = super::text::path_of(uri.as_str())
        .and_then(|p| {
            p.extension()
                .and_then(|e| e.to_str())
                .map(str::to_ascii_lowercase)
        })
        .unwrap_or_default();
    let mut actions = Vec::new();
    for entry in entries.iter().filter(|e| touches(e.diagnostic.range, range)) {
        let Some(finding) = &entry.finding else {
            continue;
        };
        if let (Some(replacement), Some(matched)) = (&finding.replacement, &finding.matched) {
            actions.push(action(
                format!("Replace “{matched}” with “{replacement}”"),
                entry,
                uri,
                TextEdit::new(entry.diagnostic.range, replacement.clone()),
                true,
            ));
        }
        if finding.rule == crate::suppress::UNUSED_RULE {
            continue;
        }
        if let Some(comment) = suppression(&extension, &finding.rule) {
            let line = finding.start.line.max(1);
            let indent: String = lines
                .line(line)
                .chars()
                .take_while(|c| c.is_whitespace())
                .collect();
            let at = Position::new(line - 1, 0);
            actions.push(action(
                format!("Disable {} for this line", finding.rule),
                entry,
                uri,
                TextEdit::new(Range::new(at, at), format!("{indent}{comment}\n")),
                false,
            ));
        }
    }
    actions
}

/// The comment that suppresses `rule` on the next line, in the syntax of a file with this
/// extension (`None` where comments are not possible: JSON, captions, tables).
fn suppression(extension: &str, rule: &str) -> Option<String> {
    match extension {
        "md" | "markdown" => Some(format!("<!-- callcheck: disable-next-line {rule} -->")),
        "txt" | "transcript" | "yaml" | "yml" => Some(format!("# callcheck: disable-next-line {rule}")),
        _ => None,
    }
}

fn action(title: String, entry: &Entry, uri: &Uri, edit: TextEdit, preferred: bool) -> CodeActionOrCommand {
    CodeActionOrCommand::CodeAction(CodeAction {
        title,
        kind: Some(CodeActionKind::QUICKFIX),
        diagnostics: Some(vec![entry.diagnostic.clone()]),
        edit: Some(WorkspaceEdit {
            changes: Some(HashMap::from([(uri.clone(), vec![edit])])),
            ..WorkspaceEdit::default()
        }),
        is_preferred: Some(preferred),
        ..CodeAction::default()
    })
}
