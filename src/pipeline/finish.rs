//! The one step from judged calls to results, for every path a call takes (a file, standard
//! input, a streamed file's lines, a text held in memory, an editor's unsaved buffer):
//! suppression comments, excerpts, masking of pii and known values, the call's name, the report
//! entry, and `--redact` — applied here, once per result, before any reporter or the baseline
//! sees it, so no output can see the raw values and the masking runs on the worker threads.

use std::cell::OnceCell;

use super::Pipeline;
use crate::engine::Verdict;
use crate::finding::{FileError, FileReport, FileResult, NotChecked};
use crate::line_index::LineIndex;
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
                Judged::Verdict(verdict) => (verdict.findings, Ok(verdict.not_applicable)),
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
                    Ok(not_applicable) => {
                        for finding in &mut findings {
                            finding.excerpt = source.excerpt(&lines, index, finding.start.line);
                        }
                        // A card or ID number a pii rule found is never quoted, in any finding.
                        crate::rules::pii::mask_excerpts(&mut findings);
                        crate::redact::mask_known_values(rules, transcript, &mut findings, self.redact);
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
                crate::redact::redact_result(&mut result, self.redact);
                result
            })
            .collect()
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
