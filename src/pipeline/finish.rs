//! The one step from judged calls to results, for every path a call takes (a file, standard
//! input, a streamed file's lines, a text held in memory, an editor's unsaved buffer):
//! suppression comments, excerpts, masking of pii and known values, the call's name, the report
//! entry, and `--redact` — applied here, once per result, before any reporter or the baseline
//! sees it, so no output can see the raw values and the masking runs on the worker threads.

use std::cell::OnceCell;

use super::{Pipeline, Read, RunStats};
use crate::engine::Verdict;
use crate::finding::{FileError, FileReport, FileResult, NotChecked};
use crate::line_index::LineIndex;
use crate::matcher::Scratch;
use crate::transcript::Assignment;
use crate::transcript::Transcript;

/// Longest source line copied into a finding as its excerpt, in bytes. Minified exports (Amazon
/// Transcribe writes its output on one line) would otherwise copy megabytes per finding; the
/// pretty report shows only 100 columns of a line anyway.
const MAX_EXCERPT_LINE: usize = 64 * 1024;

/// What the rules made of one call.
pub(super) enum Judged {
    /// They judged it.
    Verdict(Verdict),
    /// They could not: no speaker could be identified as the agent
    /// ([`Assignment::not_checked`]), so its entry says so instead.
    NotChecked {
        /// The speakers and what is known of their roles.
        roles: Assignment,
        /// Why it was not judged.
        reason: String,
    },
}

impl Judged {
    /// The outcome of a transcript that cannot be judged, or `None` for one that can.
    pub fn not_checked(transcript: &Transcript) -> Option<Judged> {
        let roles = transcript.roles.as_ref()?;
        let reason = roles.not_checked()?;
        Some(Judged::NotChecked {
            roles: roles.clone(),
            reason,
        })
    }
}

/// What a batch of calls was read from.
pub(super) enum Source<'t> {
    /// A whole file's text: suppression comments anywhere in it apply to all its calls, and
    /// excerpts may come from any of its lines. Of several calls, each is named by its call id,
    /// template name or position.
    File(&'t str),
    /// Lines of a file read line by line, one call each: each call's line number and text, the
    /// only line its excerpts come from. Each call is named by its call id or number, counted
    /// on in `numbered` across the file's batches. Such a file (JSON Lines) has no comment
    /// lines, so no suppression comments.
    Lines {
        /// Each call's line number and text, without its line ending.
        lines: &'t [(u32, String)],
        /// Calls of the file named so far.
        numbered: &'t mut usize,
    },
}

impl<'t> Source<'t> {
    /// The name of call `index` (`transcript`) of the `count` read from `file`.
    fn name(&mut self, file: &str, index: usize, count: usize, transcript: &Transcript) -> String {
        let metadata = &transcript.metadata;
        match self {
            Source::File(_) if count > 1 => {
                let name = metadata
                    .get("call_id")
                    .or_else(|| metadata.get("template"))
                    .cloned()
                    .unwrap_or_else(|| (index + 1).to_string());
                format!("{file}#{name}")
            }
            Source::File(_) => file.to_string(),
            Source::Lines { numbered, .. } => {
                **numbered += 1;
                let name = metadata
                    .get("call_id")
                    .cloned()
                    .unwrap_or_else(|| numbered.to_string());
                format!("{file}#{name}")
            }
        }
    }

    /// The excerpt of a finding of call `index` on 1-based line `line`: the line, unless it is
    /// too long to quote; `lines` indexes a whole file's text the first time it is needed.
    fn excerpt(&self, lines: &OnceCell<LineIndex<'t>>, index: usize, line: u32) -> Option<String> {
        match self {
            Source::File(text) => lines
                .get_or_init(|| LineIndex::new(text))
                .line(line)
                .filter(|text| text.len() <= MAX_EXCERPT_LINE)
                .map(str::to_string),
            Source::Lines { lines, .. } => lines
                .get(index)
                .filter(|(number, text)| *number == line && text.len() <= MAX_EXCERPT_LINE)
                .map(|(_, text)| text.clone()),
        }
    }
}

/// Calls read from one input, to finish: where they came from and how.
pub(super) struct Batch<'t> {
    /// The input's name (`path` without a call's `#name`).
    pub file: &'t str,
    /// The name of the format it was read as.
    pub format: &'static str,
    /// The encoding it was read in.
    pub encoding: &'static str,
    /// The text the calls were read from.
    pub source: Source<'t>,
}

impl Pipeline<'_> {
    /// The results of a batch of calls, one per transcript: each call's findings from
    /// `judged` (in transcript order), with suppression comments applied, excerpts quoted, pii
    /// and known values masked, named, and redacted as asked.
    pub(super) fn finish(
        &self,
        batch: Batch<'_>,
        transcripts: &[Transcript],
        judged: Vec<Judged>,
    ) -> Vec<FileResult> {
        let Batch {
            file,
            format,
            encoding,
            mut source,
        } = batch;
        let rules = self.engine.rules();
        let (mut findings, outcomes): (Vec<_>, Vec<_>) = judged
            .into_iter()
            .map(|judged| match judged {
                Judged::Verdict(verdict) => (verdict.findings, Ok((verdict.not_applicable, verdict.reads))),
                Judged::NotChecked { roles, reason } => (Vec::new(), Err((roles, reason))),
            })
            .unzip();
        if let Source::File(text) = source {
            // Suppression comments may sit anywhere in the file, so they apply to all its calls.
            crate::suppress::apply(text, transcripts, &mut findings, rules, self.unused_suppression);
        }
        let lines = OnceCell::new();
        let count = transcripts.len();
        transcripts
            .iter()
            .zip(findings)
            .zip(outcomes)
            .enumerate()
            .map(|(index, ((transcript, mut findings), outcome))| {
                let path = source.name(file, index, count, transcript);
                let mut result = match outcome {
                    Err((roles, reason)) => FileResult::NotChecked(NotChecked {
                        path,
                        file: file.to_string(),
                        metadata: transcript.metadata.clone(),
                        format,
                        encoding,
                        roles,
                        reason,
                    }),
                    Ok((not_applicable, reads)) => {
                        if self.excerpts {
                            for finding in &mut findings {
                                finding.excerpt = source.excerpt(&lines, index, finding.start.line);
                            }
                        }
                        // A card or ID number a pii rule found is never quoted, in any finding.
                        crate::rules::pii::mask_excerpts(&mut findings);
                        if self.mask_findings {
                            crate::redact::redact_findings(
                                rules,
                                transcript,
                                reads.as_ref(),
                                &mut findings,
                                self.redact,
                            );
                        }
                        FileResult::Checked(FileReport {
                            path,
                            file: file.to_string(),
                            metadata: transcript.metadata.clone(),
                            findings,
                            not_applicable,
                            format,
                            encoding,
                            first_turn: transcript.turns.first().map(|t| t.position()),
                            roles: transcript.roles.clone(),
                        })
                    }
                };
                // A checked call's findings were redacted above, as the pipeline asks.
                if !matches!(result, FileResult::Checked(_)) {
                    crate::redact::redact_result(&mut result, self.redact);
                }
                result
            })
            .collect()
    }

    /// The result of call `index` of a file read with [`Pipeline::read`] (named `file`), judged
    /// and finished again as a run would: masked and quoted as this pipeline says. Only that
    /// call is judged, unless the file holds suppression comments, which may concern them all.
    pub fn check_again(&self, file: &str, read: &Read<'_>, index: usize) -> Option<FileResult> {
        let every = &read.transcripts;
        let (transcripts, at) = if crate::suppress::may_hold_directives(&read.text) {
            (&every[..], index)
        } else {
            (every.get(index..=index)?, 0)
        };
        let judged = self.judge(transcripts, &mut Scratch::default(), &mut RunStats::default());
        let batch = Batch {
            file,
            format: read.format.name,
            encoding: read.encoding,
            source: Source::File(&read.text),
        };
        self.finish(batch, transcripts, judged).into_iter().nth(at)
    }

    /// The entry of an input, or of a line of one, that could not be read or parsed, redacted
    /// as asked.
    pub(super) fn failed(&self, path: &str, error: String) -> FileResult {
        let mut result = FileResult::Failed(FileError {
            path: path.to_string(),
            error,
        });
        crate::redact::redact_result(&mut result, self.redact);
        result
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::Engine;
    use crate::pipeline::InputOptions;
    use crate::redact::Redaction;
    use crate::rulebook::RuleSet;

    /// A read-back rule reads member codes, which only it knows to mask; agents must not say
    /// "you must" (shared with `tests/redact.rs`).
    const RULES: &str = include_str!("../../tests/fixtures/redact/codes.toml");

    const CALL: &str = "Customer: My code is VIP-AB12C.\nAgent: VIP-AB12C, and you must wait.\n";

    /// The excerpt and matched text of the forbidden phrase's finding, checked with `--redact`
    /// and the pipeline's `excerpts` and `mask_findings`.
    fn checked(excerpts: bool, mask_findings: bool) -> (Option<String>, Option<String>) {
        let (rules, _) = RuleSet::from_text("t.toml", RULES).unwrap_or_else(|e| panic!("{e}"));
        let engine = Engine::new(rules);
        let pipeline = Pipeline {
            redact: Redaction::All,
            excerpts,
            mask_findings,
            ..Pipeline::new(&engine, InputOptions::plain())
        };
        let results = pipeline.check_in_memory("call.txt", None, CALL, None, &mut Scratch::default());
        let [FileResult::Checked(report)] = &results[..] else {
            panic!("{results:?}")
        };
        let [finding] = &report.findings[..] else {
            panic!("{:?}", report.findings)
        };
        (finding.excerpt.clone(), finding.matched.clone())
    }

    #[test]
    fn findings_are_quoted_and_masked_unless_nobody_shows_them() {
        let (excerpt, matched) = checked(true, true);
        let excerpt = excerpt.unwrap();
        assert!(
            excerpt.contains("you must wait") && !excerpt.contains("AB12C"),
            "{excerpt}"
        );
        assert_eq!(matched.as_deref(), Some("you must"));
        assert_eq!(checked(false, true).0, None);
        assert_eq!(
            checked(true, false),
            (
                Some("Agent: VIP-AB12C, and you must wait.".to_string()),
                Some("you must".to_string())
            ),
            "left for the caller to mask"
        );
    }

    #[test]
    fn a_call_checked_again_is_reported_as_the_run_reported_it() {
        let (rules, _) = RuleSet::from_text("t.toml", RULES).unwrap_or_else(|e| panic!("{e}"));
        let engine = Engine::new(rules);
        let pipeline = Pipeline {
            redact: Redaction::All,
            ..Pipeline::new(&engine, InputOptions::plain())
        };
        let line = |code: &str| {
            format!(
                "{{\"turns\":[{{\"speaker\":\"customer\",\"text\":\"My code is {code}.\"}},\
                 {{\"speaker\":\"agent\",\"text\":\"{code}, and you must wait.\"}}]}}\n"
            )
        };
        let text = [line("VIP-AB12C"), line("VIP-CD34E"), line("VIP-EF56G")].concat();
        let jsonl = crate::transcript::format_by_name("jsonl");
        let run = pipeline.check_in_memory("calls.jsonl", jsonl, &text, None, &mut Scratch::default());
        let read = pipeline.read(None, jsonl, text.as_bytes()).unwrap();
        let findings = |result: Option<&FileResult>| match result {
            Some(FileResult::Checked(report)) => report.findings.clone(),
            other => panic!("{other:?}"),
        };
        let again = findings(pipeline.check_again("calls.jsonl", &read, 1).as_ref());
        assert_eq!(again, findings(run.get(1)));
        assert!(
            again[0]
                .excerpt
                .as_deref()
                .is_some_and(|e| e.contains("***-*****, and you must")),
            "{again:?}"
        );
        assert!(pipeline.check_again("calls.jsonl", &read, 3).is_none());
    }
}
