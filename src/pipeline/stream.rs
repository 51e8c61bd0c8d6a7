//! Large files in a line-per-call format (JSON Lines), and such a format on standard input,
//! read and checked line by line, their results reported in parts, so they never sit in memory
//! whole.

use std::io::{self, Read as _};
use std::time::Instant;

use super::finish::{Batch, Source as CallSource};
use super::{Part, Pipeline, RunStats, input_file};
use crate::discover::{Input, Source};
use crate::finding::FileResult;
use crate::matcher::Scratch;
use crate::transcript::{FORMATS, Format, LineParser, Transcript};

/// Files at least this large in a line-per-call format are read line by line.
const STREAM_THRESHOLD: u64 = 8 << 20;

/// Calls checked between two parts of a streamed file's results.
const STREAM_BATCH: usize = 64;

impl Pipeline<'_> {
    /// The line-per-call format to stream an input with: a file of at least
    /// [`STREAM_THRESHOLD`] bytes, or standard input, whose format (forced, or the only one
    /// claiming the extension) reads line by line, in UTF-8.
    pub(super) fn line_format(&self, input: &Input) -> Option<(&'static Format, LineParser)> {
        if self.encoding.is_some_and(|e| e != encoding_rs::UTF_8) {
            return None;
        }
        let forced = input.format.or(self.format);
        let format = match &input.source {
            Source::File(path) => {
                // Most files have no line-per-call format: only those that have one are looked at.
                let large = || std::fs::metadata(path).is_ok_and(|m| m.len() >= STREAM_THRESHOLD);
                let by_extension = || {
                    let extension = path.extension()?.to_str()?.to_ascii_lowercase();
                    let mut claiming = FORMATS
                        .iter()
                        .filter(|f| f.extensions.contains(&extension.as_str()));
                    let only = claiming.next()?;
                    claiming.next().is_none().then_some(*only)
                };
                forced
                    .or_else(by_extension)
                    .filter(|format| format.parse_line.is_some() && large())?
            }
            Source::Stdin => forced?,
            Source::Unreadable(_) => return None,
        };
        format.parse_line.map(|parse_line| (format, parse_line))
    }

    /// Reads an input line by line, checking each call and giving `sink` the results every
    /// [`STREAM_BATCH`] calls; returns the last part. A line that cannot be read or parsed ends
    /// the file with an error entry after the calls before it.
    pub(super) fn stream_lines(
        &self,
        input: &Input,
        format: &'static Format,
        parse_line: LineParser,
        scratch: &mut Scratch,
        sink: &mut dyn FnMut(Part) -> bool,
    ) -> Part {
        let mut stats = RunStats {
            inputs: 1,
            ..RunStats::default()
        };
        let mut reader: Box<dyn io::BufRead> = match &input.source {
            Source::File(path) => match std::fs::File::open(path) {
                Ok(file) => Box::new(io::BufReader::with_capacity(1 << 16, file)),
                Err(e) => {
                    let results = vec![self.failed(&input.display, format!("cannot read: {e}"))];
                    return Part { results, stats };
                }
            },
            _ => Box::new(io::stdin().lock()),
        };
        let mut line = String::new();
        let mut line_no = 0u32;
        let mut calls = 0usize;
        let mut batch: Vec<(u32, Transcript, String)> = Vec::new();
        loop {
            line.clear();
            let reading = Instant::now();
            // One line is one call: capped like a whole file, so a line without end cannot
            // exhaust memory.
            let mut capped = (&mut reader).take(crate::limits::MAX_FILE_BYTES + 1);
            let read = io::BufRead::read_line(&mut capped, &mut line);
            stats.read += reading.elapsed();
            let error = match read {
                Ok(0) => break,
                Ok(n) if n as u64 > crate::limits::MAX_FILE_BYTES => Some(format!(
                    "line {}: {}",
                    line_no.saturating_add(1),
                    crate::limits::too_large(None)
                )),
                Ok(n) => {
                    stats.bytes += n as u64;
                    line_no = line_no.saturating_add(1);
                    let parsing = Instant::now();
                    let parsed = parse_line(&line, line_no, &self.parse_options);
                    stats.parse += parsing.elapsed();
                    match parsed {
                        Ok(Some(transcript)) => {
                            let text = line.trim_end_matches(['\n', '\r']).to_string();
                            batch.push((line_no, transcript, text));
                            None
                        }
                        Ok(None) => None,
                        Err(e) => Some(e.to_string()),
                    }
                }
                Err(e) => Some(format!("line {}: {e}", line_no.saturating_add(1))),
            };
            if let Some(error) = error {
                let mut results =
                    self.judge_lines(input, format, &mut batch, &mut calls, scratch, &mut stats);
                results.push(self.failed(&input.display, error));
                return Part { results, stats };
            }
            if crate::interrupt::requested() {
                return Part::default();
            }
            if batch.len() >= STREAM_BATCH {
                let results = self.judge_lines(input, format, &mut batch, &mut calls, scratch, &mut stats);
                let part = Part {
                    results,
                    stats: std::mem::take(&mut stats),
                };
                if !sink(part) {
                    return Part::default();
                }
            }
        }
        let results = self.judge_lines(input, format, &mut batch, &mut calls, scratch, &mut stats);
        Part { results, stats }
    }

    /// Judges a batch of calls read from single lines; `calls` numbers calls without an id.
    fn judge_lines(
        &self,
        input: &Input,
        format: &'static Format,
        batch: &mut Vec<(u32, Transcript, String)>,
        calls: &mut usize,
        scratch: &mut Scratch,
        stats: &mut RunStats,
    ) -> Vec<FileResult> {
        let (mut transcripts, lines): (Vec<Transcript>, Vec<(u32, String)>) = std::mem::take(batch)
            .into_iter()
            .map(|(line, transcript, text)| (transcript, (line, text)))
            .unzip();
        if let Err(error) = self.metadata.apply(input_file(input), &mut transcripts) {
            return vec![self.failed(&input.display, error.into_message())];
        }
        let inferring = Instant::now();
        for transcript in &mut transcripts {
            self.roles.apply(transcript);
        }
        stats.parse += inferring.elapsed();
        let judged = self.judge(&transcripts, scratch, stats);
        let batch = Batch {
            file: &input.display,
            format: format.name,
            encoding: "UTF-8",
            source: CallSource::Lines {
                lines: &lines,
                numbered: calls,
            },
        };
        self.finish(batch, &transcripts, judged)
    }
}
