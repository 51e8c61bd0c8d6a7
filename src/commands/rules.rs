//! `callcheck rules list | explain | test | guidelines`.

use colored::Colorize;

use crate::paint::Paint;
use serde::Serialize;

use super::{Failure, Outcome, Streams};
use crate::cli::{ConfigArgs, ExplainArgs, ListArgs, ListFormat, RulesCommand, TestArgs};
use crate::config::Config;
use crate::engine::Engine;
use crate::exit::ExitStatus;
use crate::guidelines::{self, GUIDELINES};
use crate::report::table::{plural, render, wrap};
use crate::rulebook::{ProjectLists, RuleSet, RulebookSource};
use crate::rules::Rule;
use crate::selftest::{self, Expectation};
use crate::settings::{SettingsError, load_config, load_rulebooks, load_rulebooks_for_examples};

/// Width that explanations wrap at.
const WRAP: usize = 88;

pub(super) fn run(
    command: RulesCommand,
    config: &ConfigArgs,
    color: bool,
    streams: &mut Streams<'_>,
) -> Outcome {
    let paint = Paint::new(color);
    // `rules docs` documents the built-in rulebooks whatever the project configures.
    if let RulesCommand::Docs = command {
        write!(streams.out, "{}", crate::docs::rules_markdown())?;
        return Ok(ExitStatus::Clean);
    }
    let config = load_config(config)?;
    if let Some((_, warnings)) = &config {
        for w in warnings {
            write!(streams.err, "{w}")?;
        }
    }
    let config = config.as_ref().map(|(c, _)| c);
    match command {
        RulesCommand::List(args) => list(&args, config, streams),
        RulesCommand::Explain(args) => explain(&args, config, paint, streams),
        RulesCommand::Test(args) => test(&args, config, paint, streams),
        RulesCommand::Guidelines(args) => guideline_coverage(&args, config, streams),
        RulesCommand::Docs => Ok(ExitStatus::Clean),
    }
}

/// Loads rulebooks, printing their warnings.
fn load(
    loaded: Result<crate::rulebook::Loaded, SettingsError>,
    streams: &mut Streams<'_>,
) -> Result<RuleSet, Failure> {
    let (rules, warnings) = loaded?;
    for w in warnings {
        write!(streams.err, "{w}")?;
    }
    Ok(rules)
}

#[derive(Serialize)]
struct RuleJson<'a> {
    id: &'a str,
    kind: &'a str,
    severity: &'a str,
    guideline: Option<&'a str>,
    title: Option<&'a str>,
    rulebook: &'a str,
    tags: &'a [String],
}

fn list(args: &ListArgs, config: Option<&Config>, streams: &mut Streams<'_>) -> Outcome {
    let rules = load(load_rulebooks(&args.rulebooks, config), streams)?;
    match args.format {
        ListFormat::Json => {
            let items: Vec<RuleJson<'_>> = rules
                .rules
                .iter()
                .map(|r| RuleJson {
                    id: &r.id,
                    kind: r.kind.doc().name,
                    severity: r.meta.severity.as_str(),
                    guideline: r.meta.guideline.as_deref(),
                    title: r.meta.title.as_deref(),
                    rulebook: &rules.rulebook_of(r).id,
                    tags: &r.meta.tags,
                })
                .collect();
            serde_json::to_writer_pretty(&mut *streams.out, &items)?;
            writeln!(streams.out)?;
        }
        ListFormat::Table => {
            let mut rows = vec![
                ["ID", "KIND", "SEVERITY", "GUIDELINE", "TITLE"]
                    .map(String::from)
                    .to_vec(),
            ];
            for r in &rules.rules {
                rows.push(vec![
                    r.id.clone(),
                    r.kind.doc().name.to_string(),
                    r.meta.severity.to_string(),
                    r.meta.guideline.clone().unwrap_or_else(|| "—".into()),
                    r.meta.title.clone().unwrap_or_default(),
                ]);
            }
            write!(streams.out, "{}", render(&rows))?;
            writeln!(
                streams.out,
                "\n{} in {} ({})",
                plural(rules.rules.len(), "rule", "rules"),
                plural(
                    rules.rulebooks.iter().filter(|r| !r.extended_only).count(),
                    "rulebook",
                    "rulebooks"
                ),
                rules
                    .rulebooks
                    .iter()
                    .filter(|r| !r.extended_only)
                    .map(|r| r.id.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )?;
        }
    }
    Ok(ExitStatus::Clean)
}

fn explain(args: &ExplainArgs, config: Option<&Config>, paint: Paint, streams: &mut Streams<'_>) -> Outcome {
    let rules = load(load_rulebooks(&args.rulebooks, config), streams)?;
    let rule = rules.find(&args.id)?;
    write!(streams.out, "{}", explanation(&rules, rule, paint))?;
    Ok(ExitStatus::Clean)
}

/// How a rule counts in a call's score: "weight 2, auto-fail, section Opening, pass mark 80".
pub(crate) fn scoring_facts(rules: &RuleSet, rule: &Rule) -> Vec<String> {
    let weight = crate::score::effective_weight(rule.meta.weight, rule.meta.severity);
    let mut facts = vec![format!("weight {}", crate::score::number(weight))];
    if weight == 0.0 && rule.meta.weight.is_none() {
        facts[0].push_str(" (info rules cost no points)");
    }
    if rule.meta.auto_fail {
        facts.push("auto-fail (a finding makes the call's score 0)".into());
    }
    if let Some(section) = &rule.meta.section {
        facts.push(format!("section {section}"));
    }
    if let Some(card) = rules.scorecards.get(rule.scorecard) {
        facts.push(format!("pass mark {}", crate::score::number(card.pass_mark)));
    }
    facts
}

/// Which reply templates a rule checks (see `template_mismatch` in the engine).
fn template_scope(rule: &Rule) -> String {
    match &rule.meta.templates {
        Some(roles) => format!(
            "those of role {} (`templates`)",
            roles
                .iter()
                .map(|r| format!("`{r}`"))
                .collect::<Vec<_>>()
                .join(" or ")
        ),
        None if rule.kind.is_about_wording() => "every template (the rule is about wording)".into(),
        None => "none: the rule judges a whole call; `templates = [\"ROLE\"]` opts in".into(),
    }
}

/// The text of `rules explain` for one rule.
pub(crate) fn explanation(rules: &RuleSet, rule: &Rule, p: Paint) -> String {
    let doc = rule.kind.doc();
    let rulebook = rules.rulebook_of(rule);
    let mut out = String::new();
    let mut header = vec![
        p.string(rule.id.bold()),
        doc.name.to_string(),
        rule.meta.severity.to_string(),
    ];
    if let Some(g) = &rule.meta.guideline {
        header.push(g.clone());
    }
    out.push_str(&header.join("  ·  "));
    out.push('\n');
    if let Some(title) = &rule.meta.title {
        out.push_str(title);
        out.push('\n');
    }
    out.push('\n');
    if let Some(g) = &rule.meta.guideline {
        let title = guidelines::title(g).unwrap_or("(not in the catalogue)");
        out.push_str(&format!("Guideline {g}: {title}\n"));
    }
    out.push_str(&format!(
        "Defined in: {} ({}:{})\n",
        rulebook.id, rulebook.source, rule.meta.position.line
    ));
    if let Some(channel) = rule.meta.channel {
        let what = match channel {
            crate::transcript::Channel::Voice => "voice calls only",
            crate::transcript::Channel::Chat => "chats only",
        };
        out.push_str(&format!("Channel: {what}\n"));
    }
    out.push_str(&format!("Scoring: {}\n", scoring_facts(rules, rule).join(", ")));
    out.push_str(&format!("Reply templates: {}\n", template_scope(rule)));
    if let Some(message) = &rule.meta.message {
        out.push_str(&format!(
            "\n{}\n{}",
            p.show("Message".bold()),
            wrap(message, WRAP, "  ")
        ));
    }
    let settings = rule.kind.settings();
    let key_width = settings.iter().map(|(k, _)| k.len()).max().unwrap_or(0);
    out.push_str(&format!("\n{}\n", p.show("Settings".bold())));
    for (key, value) in settings {
        out.push_str(&format!("  {key:key_width$}  {value}\n"));
    }
    out.push_str(&format!(
        "\n{}\n",
        p.show(format!("What a [[{}]] rule checks", doc.name).bold())
    ));
    out.push_str(&wrap(doc.what, WRAP, "  "));
    out.push_str(&format!("\n{}\n", p.show("Why".bold())));
    out.push_str(&wrap(doc.why, WRAP, "  "));
    if !rule.meta.pass.is_empty() || !rule.meta.fail.is_empty() {
        out.push_str(&format!("\n{}\n", p.show("Examples".bold())));
        for (label, examples) in [("pass", &rule.meta.pass), ("fail", &rule.meta.fail)] {
            let label = p.show(if label == "pass" {
                label.green()
            } else {
                label.red()
            });
            for example in examples {
                let mut lines = example.text.trim_matches('\n').lines();
                out.push_str(&format!("  {label}  {}\n", lines.next().unwrap_or("")));
                for line in lines {
                    out.push_str(&format!("        {line}\n"));
                }
            }
        }
    }
    out
}

fn test(args: &TestArgs, config: Option<&Config>, paint: Paint, streams: &mut Streams<'_>) -> Outcome {
    let loaded = if args.paths.is_empty() {
        load_rulebooks_for_examples(&crate::cli::RulebookArgs::default(), config)
    } else {
        let sources: Vec<RulebookSource> = args.paths.iter().map(|p| RulebookSource::parse(p)).collect();
        let lists = config.map(Config::word_lists).unwrap_or_default();
        RuleSet::load_configured(&sources, None, ProjectLists::Fill(&lists)).map_err(SettingsError::Rulebooks)
    };
    let rules = load(loaded, streams)?;
    let engine = Engine::new(rules).without_scope_gates();
    let results = selftest::run(&engine);
    let (mut examples, mut failed, mut without) = (0, 0, Vec::new());
    for result in &results {
        examples += result.pass + result.fail;
        failed += result.failures.len();
        if result.pass + result.fail == 0 {
            without.push(result.rule.as_str());
        }
        let status = paint.show(if result.failures.is_empty() {
            "ok".green()
        } else {
            "FAILED".red().bold()
        });
        if !args.quiet || !result.failures.is_empty() {
            writeln!(
                streams.out,
                "{status:6}  {}  ({} pass, {} fail)",
                result.rule, result.pass, result.fail
            )?;
        }
        for failure in &result.failures {
            let which = match failure.expectation {
                Expectation::Pass => "pass",
                Expectation::Fail => "fail",
            };
            writeln!(
                streams.out,
                "        {} example {} at {}:{}:{}: {}",
                which,
                failure.index,
                failure.rulebook,
                failure.position.line,
                failure.position.column,
                failure.problem
            )?;
            for line in failure.text.trim_matches('\n').lines() {
                writeln!(streams.out, "          | {line}")?;
            }
        }
    }
    for rule in &without {
        writeln!(
            streams.err,
            "warning: {rule} has no examples; add examples.pass and examples.fail"
        )?;
    }
    let rulebooks = engine
        .rules()
        .rulebooks
        .iter()
        .filter(|r| !r.extended_only)
        .count();
    if failed == 0 {
        writeln!(
            streams.out,
            "\ntest result: {}. {} of {} in {} passed",
            paint.show("ok".green().bold()),
            plural(examples, "example", "examples"),
            plural(results.len(), "rule", "rules"),
            plural(rulebooks, "rulebook", "rulebooks")
        )?;
        Ok(ExitStatus::Clean)
    } else {
        writeln!(
            streams.out,
            "\ntest result: {}. {failed} of {} failed ({} in {})",
            paint.show("FAILED".red().bold()),
            plural(examples, "example", "examples"),
            plural(results.len(), "rule", "rules"),
            plural(rulebooks, "rulebook", "rulebooks")
        )?;
        Ok(ExitStatus::Findings)
    }
}

fn guideline_coverage(args: &ListArgs, config: Option<&Config>, streams: &mut Streams<'_>) -> Outcome {
    let rules = load(load_rulebooks(&args.rulebooks, config), streams)?;
    let covering = |id: &str| -> Vec<&str> {
        rules
            .rules
            .iter()
            .filter(|r| r.meta.guideline.as_deref() == Some(id))
            .map(|r| r.id.as_str())
            .collect()
    };
    match args.format {
        ListFormat::Json => {
            let items: Vec<serde_json::Value> = GUIDELINES
                .iter()
                .map(|g| serde_json::json!({ "id": g.id, "title": g.title, "rules": covering(g.id) }))
                .collect();
            serde_json::to_writer_pretty(&mut *streams.out, &items)?;
            writeln!(streams.out)?;
        }
        ListFormat::Table => {
            let mut rows = vec![vec![
                "ID".to_string(),
                "GUIDELINE".to_string(),
                "RULES".to_string(),
            ]];
            let mut covered = 0;
            for g in GUIDELINES {
                let ids = covering(g.id);
                if !ids.is_empty() {
                    covered += 1;
                }
                rows.push(vec![
                    g.id.to_string(),
                    g.title.to_string(),
                    if ids.is_empty() {
                        "—".into()
                    } else {
                        ids.join(", ")
                    },
                ]);
            }
            write!(streams.out, "{}", render(&rows))?;
            writeln!(
                streams.out,
                "\n{covered} of {} guidelines are checked by the loaded rules.",
                GUIDELINES.len()
            )?;
        }
    }
    Ok(ExitStatus::Clean)
}
