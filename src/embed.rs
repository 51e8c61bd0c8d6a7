//! callcheck inside another program (the Python module, and Spark executors through it): the
//! options of `callcheck check` resolved once, exactly as the command resolves them (project
//! configuration, rulebooks, speaker maps, metadata table), then any number of transcripts
//! checked in memory, each result the JSON report's object for it. A front end beside
//! [`crate::commands`]; like them it never prints.

use std::sync::Arc;

use clap::Parser;

use crate::cli::{Cli, Command};
use crate::engine::Engine;
use crate::finding::{FileError, FileResult, Severity};
use crate::matcher::Scratch;
use crate::metadata::Record;
use crate::pipeline::Pipeline;
use crate::problem::Problem;
use crate::redact::Redaction;
use crate::report::json::result_json;
use crate::score::Scoring;
use crate::settings::{CheckSettings, InputSettings};
use crate::transcript::format_by_name;

/// Compiled rulebooks and reading settings, checking transcripts held in memory.
pub struct Checker {
    engine: Engine,
    input: InputSettings,
    unused_suppression: Option<Severity>,
    redact: Redaction,
    scoring: Arc<Scoring>,
}

/// One transcript to check.
pub struct Item<'a> {
    /// What results call it: a call id or a path (its extension helps choose the format).
    pub name: &'a str,
    /// The transcript's text in any format callcheck reads.
    pub text: &'a str,
    /// The format's name (`plain`, `json`, `webvtt`, …); `None` detects it.
    pub format: Option<&'a str>,
    /// Metadata given beside the text (agent, team, date, `ended_by`, …), applied as a sidecar
    /// file's would be.
    pub metadata: &'a [(String, String)],
}

impl Checker {
    /// Resolves `check`'s options (`-r builtin:zh-telephone`, `--config FILE`,
    /// `--speaker-map spk_0=agent`, `--redact`, …) from the current folder, as the command does;
    /// `Err` holds the message the command would print.
    pub fn new(options: &[String]) -> Result<Checker, Problem> {
        let argv = ["callcheck", "check"]
            .into_iter()
            .map(String::from)
            .chain(options.iter().cloned());
        let cli = Cli::try_parse_from(argv).map_err(|e| Problem::new(e.to_string()))?;
        let Command::Check(args) = cli.command else {
            unreachable!("`callcheck check …` parses as the check command")
        };
        let settings =
            CheckSettings::from_args(&args, &cli.config, false).map_err(|e| Problem::new(e.to_string()))?;
        let scoring = settings.run_info().scoring;
        Ok(Checker {
            engine: settings.run.engine,
            input: settings.run.input,
            unused_suppression: settings.run.unused_suppression,
            redact: args.redact.map_or(Redaction::None, Redaction::from),
            scoring,
        })
    }

    /// Checks `items` in order; one JSON object per transcript (a text holding several calls
    /// gives several), as the JSON report's `files` entries, with `score`.
    pub fn check(&self, items: &[Item<'_>]) -> Vec<String> {
        // Reading settings are cloned per batch, not per transcript: the pipeline borrows the
        // engine, which the checker owns.
        let pipeline = Pipeline {
            unused_suppression: self.unused_suppression,
            redact: self.redact,
            // The JSON report's entries quote no source lines.
            excerpts: false,
            ..Pipeline::new(&self.engine, self.input.clone().into_options())
        };
        let mut scratch = Scratch::default();
        let mut out = Vec::with_capacity(items.len());
        for item in items {
            let given = (!item.metadata.is_empty()).then(|| Record {
                source: format!("the metadata given for {}", item.name),
                fields: item.metadata.iter().cloned().collect(),
            });
            let results = match item.format.map(|name| (name, format_by_name(name))) {
                Some((name, None)) => vec![FileResult::Failed(FileError {
                    path: item.name.to_string(),
                    error: format!("unknown format `{name}` (see `callcheck convert --help` for the names)"),
                })],
                Some((_, format)) => {
                    pipeline.check_in_memory(item.name, format, item.text, given.as_ref(), &mut scratch)
                }
                None => pipeline.check_in_memory(item.name, None, item.text, given.as_ref(), &mut scratch),
            };
            out.extend(
                results
                    .iter()
                    .map(|result| result_json(result, Some(&self.scoring))),
            );
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn checker(options: &[&str]) -> Checker {
        let options: Vec<String> = options.iter().map(|s| s.to_string()).collect();
        Checker::new(&options).unwrap()
    }

    #[test]
    fn findings_scores_and_names_as_in_the_json_report() {
        let c = checker(&["-r", "builtin:zh-telephone", "--no-config"]);
        let text = "客服：喂。\n客户：我的快递丢了。\n客服：你必须先登记。\n";
        let out = c.check(&[Item {
            name: "c-1.txt",
            text,
            format: None,
            metadata: &[("agent".into(), "王芳".into())],
        }]);
        let result: serde_json::Value = serde_json::from_str(&out[0]).unwrap();
        assert_eq!(result["path"], "c-1.txt");
        assert_eq!(result["status"], "ok");
        assert_eq!(result["format"], "plain");
        assert_eq!(result["metadata"]["agent"], "王芳");
        let rules: Vec<&str> = result["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["rule"].as_str().unwrap())
            .collect();
        assert!(rules.contains(&"zh-telephone/you-must"), "{rules:?}");
        assert!(result["score"]["score"].as_f64().unwrap() < 100.0);
    }

    #[test]
    fn unknown_formats_and_unreadable_texts_are_errors_never_clean() {
        let c = checker(&["--no-config"]);
        let out = c.check(&[
            Item {
                name: "a",
                text: "hello",
                format: Some("nope"),
                metadata: &[],
            },
            Item {
                name: "b.json",
                text: "{not json",
                format: None,
                metadata: &[],
            },
        ]);
        for json in out {
            let result: serde_json::Value = serde_json::from_str(&json).unwrap();
            assert_eq!(result["status"], "error", "{result}");
        }
    }

    #[test]
    fn bad_options_say_what_is_wrong() {
        let options = vec!["-r".to_string(), "builtin:nope".to_string()];
        let error = Checker::new(&options).err().unwrap();
        assert!(error.message().contains("nope"), "{error}");
    }
}
