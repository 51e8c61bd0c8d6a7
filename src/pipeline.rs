//! The check pipeline over many inputs: read → decode → parse → judge → report, in parallel,
//! with results reported in input order.
//!
//! Inputs are processed in chunks on a thread pool; each worker reuses its buffers. A chunk's
//! results are handed to the reporter in order before the next chunk starts, so output is
//! deterministic and memory stays bounded whatever the number of files. A file that cannot be
//! read, decoded or parsed becomes a [`FileResult::Failed`] entry; the run goes on.
//!
//! Each file is decoded (detecting its encoding unless one is forced), its format chosen by
//! [`detect`] (extension, then content) unless one is forced, parsed into one or more
//! transcripts, and given the metadata of its sidecar and tables before the rules run. Files
//! past the [`limits`](crate::limits) fail before they are read (or judged), so memory stays
//! bounded; per-file errors are made one printable line.
//!
//! Ctrl-C ([`crate::interrupt`]) stops the run between files: no further file is started, and
//! [`Pipeline::run`] returns an [`io::ErrorKind::Interrupted`] error instead of finishing the
//! report, so the caller writes no report file or baseline.

use std::borrow::Cow;
use std::io::{self, Read as _};
use std::path::Path;

use encoding_rs::Encoding;
use rayon::prelude::*;

use crate::decode::decode_as;
use crate::discover::{Input, Source};
use crate::engine::Engine;
use crate::finding::{FileError, FileReport, FileResult, Severity, Summary};
use crate::matcher::Scratch;
use crate::metadata::Metadata;
use crate::report::Reporter;
use crate::transcript::{Format, ParseOptions, Transcript, detect};

/// How a run reads its inputs.
pub struct Pipeline<'a> {
    /// The rules.
    pub engine: &'a Engine,
    /// Parser settings (speaker labels).
    pub parse_options: ParseOptions,
    /// Forces one input format instead of choosing by extension and content.
    pub format: Option<&'static Format>,
    /// Forces one text encoding instead of detecting it.
    pub encoding: Option<&'static Encoding>,
    /// Sidecar files and metadata tables.
    pub metadata: Metadata,
    /// Worker threads (at least 1).
    pub jobs: usize,
    /// Severity of unused or unknown `callcheck:` suppressions (`None`: not reported).
    pub unused_suppression: Option<Severity>,
    /// Mask personal data in every result before it is reported (`--redact`).
    pub redact: bool,
}

/// Longest source line copied into a finding as its excerpt, in bytes. Minified exports (Amazon
/// Transcribe writes its output on one line) would otherwise copy megabytes per finding; the
/// pretty report shows only 100 columns of a line anyway.
const MAX_EXCERPT_LINE: usize = 64 * 1024;

/// Inputs handed to the workers at a time, per thread.
const CHUNK_PER_THREAD: usize = 64;

impl Pipeline<'_> {
    /// Checks every input and feeds the results to `reporter` in order; returns the totals.
    pub fn run(&self, inputs: &[Input], reporter: &mut dyn Reporter) -> io::Result<Summary> {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(self.jobs.max(1))
            .build()
            .map_err(io::Error::other)?;
        let mut summary = Summary::default();
        for chunk in inputs.chunks(self.jobs.max(1) * CHUNK_PER_THREAD) {
            crate::interrupt::check()?;
            let results: Vec<Vec<FileResult>> = pool.install(|| {
                chunk
                    .par_iter()
                    .map_init(Scratch::default, |scratch, input| {
                        self.check_input(input, scratch)
                    })
                    .collect()
            });
            // Files skipped after Ctrl-C left holes: report nothing of this chunk.
            crate::interrupt::check()?;
            for mut result in results.into_iter().flatten() {
                // Before the reporter and the baseline: no output can see the raw values.
                if self.redact {
                    crate::redact::redact_result(&mut result);
                }
                summary.add(&result);
                reporter.file(&result)?;
            }
        }
        reporter.finish(&summary)?;
        Ok(summary)
    }

    /// Checks one input; a file holding several calls gives several results.
    pub fn check_input(&self, input: &Input, scratch: &mut Scratch) -> Vec<FileResult> {
        if crate::interrupt::requested() {
            return Vec::new();
        }
        match read_bytes(input) {
            Ok(bytes) => {
                let format = input.format.or(self.format);
                self.check_file(&input.display, input_file(input), format, &bytes, scratch)
            }
            Err(error) => vec![FileResult::Failed(FileError {
                path: input.display.clone(),
                error: crate::limits::one_line(&error),
            })],
        }
    }

    /// Decodes, parses and judges one file's bytes in a given format (no sidecar or folder table:
    /// there is no file; `--metadata` still applies).
    pub fn check_bytes(
        &self,
        path: &str,
        format: &'static Format,
        bytes: &[u8],
        scratch: &mut Scratch,
    ) -> Vec<FileResult> {
        self.check_file(path, None, Some(format), bytes, scratch)
    }

    /// Decodes `bytes` (detecting the encoding unless one is forced), chooses the format (unless
    /// `format` is given), parses, and adds metadata from sidecars and tables (`file` is the
    /// file on disk, if any).
    pub fn read<'b>(
        &self,
        file: Option<&Path>,
        format: Option<&'static Format>,
        bytes: &'b [u8],
    ) -> Result<Read<'b>, String> {
        let decoded = decode_as(bytes, self.encoding)?;
        if decoded.text.trim().is_empty() {
            return Err("empty file: there is nothing in it to check".into());
        }
        let format = match format {
            Some(format) => format,
            None => {
                let extension = file.and_then(|p| p.extension()).and_then(|e| e.to_str());
                detect(extension, &decoded.text)?
            }
        };
        let mut transcripts =
            (format.parse)(&decoded.text, &self.parse_options).map_err(|e| e.to_string())?;
        self.metadata.apply(file, &mut transcripts)?;
        crate::limits::check_transcripts(&transcripts)?;
        Ok(Read {
            text: decoded.text,
            encoding: decoded.encoding,
            format,
            transcripts,
        })
    }

    /// Reads and judges one file.
    fn check_file(
        &self,
        path: &str,
        file: Option<&Path>,
        format: Option<&'static Format>,
        bytes: &[u8],
        scratch: &mut Scratch,
    ) -> Vec<FileResult> {
        let read = match self.read(file, format, bytes) {
            Ok(read) => read,
            Err(error) => {
                return vec![FileResult::Failed(FileError {
                    path: path.to_string(),
                    error: crate::limits::one_line(&error),
                })];
            }
        };
        let Read {
            text,
            encoding,
            format,
            transcripts,
        } = read;
        let text = text.as_ref();
        let many = transcripts.len() > 1;
        let lines = LineIndex::new(text);
        let (mut findings, not_applicable): (Vec<_>, Vec<_>) = transcripts
            .iter()
            .map(|t| {
                let verdict = self.engine.check(t, scratch);
                (verdict.findings, verdict.not_applicable)
            })
            .unzip();
        // Suppression comments may sit anywhere in the file, so they apply to all its calls.
        crate::suppress::apply(
            text,
            &transcripts,
            &mut findings,
            self.engine.rules(),
            self.unused_suppression,
        );
        transcripts
            .iter()
            .zip(not_applicable)
            .zip(findings)
            .enumerate()
            .map(|(i, ((transcript, not_applicable), mut findings))| {
                for finding in &mut findings {
                    finding.excerpt = lines
                        .line(text, finding.start.line)
                        .filter(|line| line.len() <= MAX_EXCERPT_LINE)
                        .map(str::to_string);
                }
                // A card or ID number a pii rule found is never quoted, in any finding.
                crate::rules::pii::mask_excerpts(&mut findings);
                if self.redact {
                    crate::redact::mask_known_values(self.engine.rules(), transcript, &mut findings);
                }
                let entry_path = if many {
                    let name = transcript
                        .metadata
                        .get("call_id")
                        .or_else(|| transcript.metadata.get("template"))
                        .cloned()
                        .unwrap_or_else(|| (i + 1).to_string());
                    format!("{path}#{name}")
                } else {
                    path.to_string()
                };
                FileResult::Checked(FileReport {
                    path: entry_path,
                    file: path.to_string(),
                    metadata: transcript.metadata.clone(),
                    findings,
                    not_applicable,
                    format: format.name,
                    encoding,
                })
            })
            .collect()
    }
}

/// A file read into transcripts.
pub struct Read<'b> {
    /// The decoded text.
    pub text: Cow<'b, str>,
    /// The encoding it was read in.
    pub encoding: &'static str,
    /// The format it was read as.
    pub format: &'static Format,
    /// Its transcripts, with metadata from sidecars and tables.
    pub transcripts: Vec<Transcript>,
}

/// An input's bytes: the file, standard input, or why it cannot be read (including an input
/// past [`MAX_FILE_BYTES`](crate::limits::MAX_FILE_BYTES), which is refused unread).
pub fn read_bytes(input: &Input) -> Result<Vec<u8>, String> {
    match &input.source {
        Source::Unreadable(reason) => Err(reason.clone()),
        Source::File(path) => {
            let file = std::fs::File::open(path).map_err(|e| match e.kind() {
                io::ErrorKind::NotFound => {
                    "cannot read: the file is gone (deleted or moved after callcheck listed it)".to_string()
                }
                _ => format!("cannot read: {e}"),
            })?;
            let meta = file.metadata().map_err(|e| format!("cannot read: {e}"))?;
            if meta.is_dir() {
                return Err(
                    "cannot read: it is a folder now (it was replaced after callcheck listed it)".into(),
                );
            }
            // A named pipe on the command line (`<(zcat calls.gz)`) has no size: read it capped.
            if meta.is_file() {
                crate::limits::check_size(meta.len())?;
            }
            read_capped(file).map_err(|e| format!("cannot read: {e}"))?
        }
        Source::Stdin => {
            read_capped(io::stdin().lock()).map_err(|e| format!("cannot read standard input: {e}"))?
        }
    }
}

/// Reads to the end, but never more than the file limit plus one byte (a file may grow, a pipe
/// may never end); `Ok(Err)` says the input was over the limit.
fn read_capped(reader: impl io::Read) -> io::Result<Result<Vec<u8>, String>> {
    let limit = crate::limits::MAX_FILE_BYTES;
    let mut bytes = Vec::new();
    reader.take(limit + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Ok(Err(crate::limits::too_large(None)));
    }
    Ok(Ok(bytes))
}

/// The file on disk behind an input, if any.
pub fn input_file(input: &Input) -> Option<&Path> {
    match &input.source {
        Source::File(path) => Some(path),
        _ => None,
    }
}

/// Byte offsets of line starts, built only when a file has findings.
struct LineIndex {
    starts: std::cell::OnceCell<Vec<usize>>,
}

impl LineIndex {
    fn new(_text: &str) -> Self {
        LineIndex {
            starts: std::cell::OnceCell::new(),
        }
    }

    /// The text of 1-based line `line`, without its line ending.
    fn line<'t>(&self, text: &'t str, line: u32) -> Option<&'t str> {
        if line == 0 {
            return None;
        }
        let starts = self.starts.get_or_init(|| {
            std::iter::once(0)
                .chain(text.match_indices('\n').map(|(i, _)| i + 1))
                .collect()
        });
        let start = *starts.get(line as usize - 1)?;
        let end = starts.get(line as usize).map_or(text.len(), |&next| next - 1);
        let raw = &text[start..end.max(start)];
        let raw = raw.strip_suffix('\r').unwrap_or(raw);
        Some(raw.strip_prefix('\u{feff}').unwrap_or(raw))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_index_returns_lines_without_endings() {
        let text = "\u{feff}one\r\ntwo\nthree";
        let index = LineIndex::new(text);
        assert_eq!(index.line(text, 1), Some("one"));
        assert_eq!(index.line(text, 2), Some("two"));
        assert_eq!(index.line(text, 3), Some("three"));
        assert_eq!(index.line(text, 4), None);
        assert_eq!(index.line(text, 0), None);
    }
}
