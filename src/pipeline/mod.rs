//! The check pipeline over many inputs: read → decode → parse → judge → finish → report, in
//! parallel, with results reported in input order.
//!
//! The stages:
//!
//! - `executor` schedules: worker threads take inputs a group at a time from the (lazy)
//!   discovery, and the calling thread, one of them, hands their results to the reporter
//!   strictly in input order between its own groups, the workers at most a bounded window ahead.
//!   Output is deterministic, both cores stay busy even when one file is slow, and memory stays
//!   bounded whatever the number of files. Each worker reuses its buffers, and judges a group's
//!   files before it finishes them, so each stage's code and data stay in the caches.
//! - `read` reads an input's bytes (capped at the [`limits`](crate::limits), so files past
//!   them fail before they are read), decodes them (detecting the encoding unless one is
//!   forced), chooses the format with [`detect`] (extension, then content) unless one is forced,
//!   parses the transcripts and gives them the metadata of their sidecar and tables.
//! - `stream` reads large JSON Lines files (and JSON Lines on standard input) line by line,
//!   reporting their results in parts, so they never sit in memory whole.
//! - `finish` turns the judged calls of any input — a file, standard input, a streamed
//!   file's lines, a text held in memory — into their results: suppression, excerpts, masking,
//!   names and redaction, the same way for every path.
//!
//! A file that cannot be read, decoded or parsed becomes a [`FileResult::Failed`] entry, its
//! error made one printable line; the run goes on. Every stage is timed for `--stats`.
//!
//! Ctrl-C ([`crate::interrupt`]) stops the run between files: no further file is started, and
//! [`Pipeline::run_stream`] returns an [`io::ErrorKind::Interrupted`] error instead of
//! finishing the report, so the caller writes no report file or baseline.

mod executor;
mod finish;
mod read;
mod stream;

use std::io;
use std::path::Path;
use std::time::{Duration, Instant};

use encoding_rs::Encoding;

use crate::discover::Input;
use crate::engine::{Engine, Timings};
use crate::finding::{FileResult, Severity, Summary};
use crate::matcher::Scratch;
use crate::metadata::{Metadata, Record};
use crate::report::Reporter;
use crate::roles::Inferrer;
use crate::transcript::{Format, ParseOptions, Transcript, detect};
use executor::Executor;
use finish::{Batch, Judged, Source};
use read::Origin;
pub use read::{Read, input_file, read_bytes};

/// How inputs are read, whichever front end resolved it (command-line flags and configuration,
/// an embedding program, the language server).
pub struct InputOptions {
    /// Forces one input format instead of choosing by extension and content.
    pub format: Option<&'static Format>,
    /// Forces one text encoding instead of detecting it.
    pub encoding: Option<&'static Encoding>,
    /// Parser settings (speaker labels, CSV columns).
    pub parse_options: ParseOptions,
    /// Sidecar files and metadata tables.
    pub metadata: Metadata,
    /// Decides speaker roles the labels do not give.
    pub roles: Inferrer,
}

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
    /// Decides speaker roles the labels do not give.
    pub roles: Inferrer,
    /// Worker threads (at least 1).
    pub jobs: usize,
    /// Severity of unused or unknown `callcheck:` suppressions (`None`: not reported).
    pub unused_suppression: Option<Severity>,
    /// What to mask in every result before it is reported (`--redact`).
    pub redact: crate::redact::Redaction,
    /// Whether findings quote their source line ([`Finding::excerpt`]): set it from
    /// [`Reporter::needs_excerpts`], since quoting and masking lines no report shows is wasted.
    ///
    /// [`Finding::excerpt`]: crate::finding::Finding::excerpt
    pub excerpts: bool,
    /// Whether rules that do not apply to a call say why ([`NotApplicable::reason`]): set it
    /// from [`Reporter::needs_reasons`], since most reports list only the rules' ids.
    ///
    /// [`NotApplicable::reason`]: crate::finding::NotApplicable::reason
    pub reasons: bool,
    /// Whether the findings of the calls checked are masked as `redact` says. `false` leaves
    /// them to a caller that shows the findings of a few calls only and checks those again,
    /// masked, before it does ([`Pipeline::check_again`]); errors and the reasons a call was
    /// not checked are masked all the same.
    pub mask_findings: bool,
}

#[cfg(test)]
impl InputOptions {
    /// Every file read by extension and content, with no metadata, labels or company names.
    pub(crate) fn plain() -> InputOptions {
        InputOptions {
            format: None,
            encoding: None,
            parse_options: crate::transcript::ParseOptions::default(),
            metadata: Metadata::new(Default::default(), None),
            roles: Inferrer::new(Default::default(), &[]).unwrap_or_else(|e| panic!("{e}")),
        }
    }
}

/// Inputs a worker takes at a time: it reads and judges them, then finishes them together.
/// Finishing a call (quoting, masking, redacting) runs other code over other data than judging
/// it, and alternating the two for every small file costs more time than their instructions
/// (the caches are filled anew each time): `check --redact` took 1.17× the time of `check` with
/// one call judged and finished at a time, 1.03× with 64.
const INPUTS_PER_ITEM: usize = 16;

/// Bytes of judged inputs a worker holds before it finishes them, so a group of large files
/// is not held whole.
const HELD_BYTES: usize = 1 << 20;

/// How far, in groups of inputs per worker thread, workers may run ahead of the reporter.
const WINDOW_PER_THREAD: usize = 4;

/// Parts a worker collects before sending them to the reporter.
const PARTS_PER_SEND: usize = 1;

/// Told about inputs as their results are reported (a progress bar).
pub trait Progress: Sync {
    /// `inputs` more inputs are done; they had `bytes` bytes.
    fn inputs_done(&self, inputs: u64, bytes: u64);
}

/// What a run did and where its time went; stage times are summed over worker threads.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RunStats {
    /// Inputs read (files and standard input).
    pub inputs: u64,
    /// Bytes read.
    pub bytes: u64,
    /// Transcripts parsed.
    pub transcripts: u64,
    /// Turns parsed.
    pub turns: u64,
    /// Phrase and pattern matches.
    pub matches: u64,
    /// Reading files.
    pub read: Duration,
    /// Decoding, detecting the format, parsing and adding metadata.
    pub parse: Duration,
    /// Normalising and matching.
    pub matching: Duration,
    /// Judging the rules and building findings.
    pub rules: Duration,
    /// Handing results to the reporter (on the calling thread).
    pub report: Duration,
    /// Wall time of the whole run.
    pub wall: Duration,
}

impl std::ops::AddAssign for RunStats {
    fn add_assign(&mut self, other: RunStats) {
        self.inputs += other.inputs;
        self.bytes += other.bytes;
        self.transcripts += other.transcripts;
        self.turns += other.turns;
        self.matches += other.matches;
        self.read += other.read;
        self.parse += other.parse;
        self.matching += other.matching;
        self.rules += other.rules;
        self.report += other.report;
        self.wall += other.wall;
    }
}

/// Some results of a group of inputs and what producing them took: the whole group, or a piece
/// of it up to or within a streamed input.
#[derive(Default)]
struct Part {
    results: Vec<FileResult>,
    stats: RunStats,
}

/// An input a worker read and judged, waiting to be finished with the others of its group.
enum Held<'i> {
    /// Its calls and their judgements.
    Judged {
        path: &'i str,
        read: Read<'static>,
        judged: Vec<Judged>,
    },
    /// It could not be read: its entry.
    Done(Box<FileResult>),
}

impl Held<'_> {
    /// The bytes of text it holds.
    fn bytes(&self) -> usize {
        match self {
            Held::Judged { read, .. } => read.text.len(),
            Held::Done(_) => 0,
        }
    }
}

impl<'e> Pipeline<'e> {
    /// A pipeline reading inputs as `input` says, judging them with `engine`; the options of a
    /// run (threads, unused suppressions, redaction) are then set on it.
    pub fn new(engine: &'e Engine, input: InputOptions) -> Pipeline<'e> {
        let InputOptions {
            format,
            encoding,
            parse_options,
            metadata,
            roles,
        } = input;
        Pipeline {
            engine,
            parse_options,
            format,
            encoding,
            metadata,
            roles,
            jobs: 1,
            unused_suppression: None,
            redact: crate::redact::Redaction::None,
            excerpts: true,
            reasons: true,
            mask_findings: true,
        }
    }
}

impl Pipeline<'_> {
    /// Checks inputs as they are discovered, feeding results to `reporter` in input order.
    pub fn run_stream<I>(
        &self,
        inputs: I,
        reporter: &mut dyn Reporter,
        progress: Option<&dyn Progress>,
    ) -> io::Result<(Summary, RunStats)>
    where
        I: Iterator<Item = Input> + Send,
    {
        let started = Instant::now();
        let jobs = self.jobs.max(1);
        let executor = Executor {
            jobs,
            window: jobs * WINDOW_PER_THREAD,
            batch: PARTS_PER_SEND,
        };
        let mut summary = Summary::default();
        let mut stats = RunStats::default();
        let (mut inputs_done, mut input_bytes) = (0, 0);
        let mut inputs = inputs;
        let groups = std::iter::from_fn(move || {
            let group: Vec<Input> = inputs.by_ref().take(INPUTS_PER_ITEM).collect();
            (!group.is_empty()).then_some(group)
        });
        executor.run(
            groups,
            &crate::interrupt::requested,
            Scratch::default,
            |scratch, group, sink| self.check_inputs(&group, scratch, sink),
            |part: Part, last| {
                stats += part.stats;
                inputs_done += part.stats.inputs;
                input_bytes += part.stats.bytes;
                let reporting = Instant::now();
                let reported = self.report(part.results, &mut summary, reporter);
                stats.report += reporting.elapsed();
                reported?;
                if last {
                    if let Some(progress) = progress {
                        progress.inputs_done(inputs_done, input_bytes);
                    }
                    (inputs_done, input_bytes) = (0, 0);
                }
                Ok::<_, io::Error>(())
            },
        )?;
        crate::interrupt::check()?;
        reporter.finish(&summary)?;
        stats.wall = started.elapsed();
        Ok((summary, stats))
    }

    /// Counts and reports one input's results.
    fn report(
        &self,
        results: Vec<FileResult>,
        summary: &mut Summary,
        reporter: &mut dyn Reporter,
    ) -> io::Result<()> {
        for result in results {
            summary.add(&result);
            reporter.file(&result)?;
        }
        Ok(())
    }

    /// Checks a group of inputs, in order: reads and judges each, and finishes those judged
    /// together once they hold [`HELD_BYTES`] or the group ends. Its results come in one part
    /// returned or, when the group has a large file in a line-per-call format read line by line,
    /// in parts given to `sink` before the last one is returned (`sink` says false to stop).
    fn check_inputs(
        &self,
        inputs: &[Input],
        scratch: &mut Scratch,
        sink: &mut dyn FnMut(Part) -> bool,
    ) -> Part {
        let mut part = Part::default();
        let mut held: Vec<Held<'_>> = Vec::new();
        let mut held_bytes = 0;
        for input in inputs {
            if let Some((format, parse_line)) = self.line_format(input) {
                self.finish_held(&mut held, &mut part.results);
                held_bytes = 0;
                if !part.results.is_empty() && !sink(std::mem::take(&mut part)) {
                    return Part::default();
                }
                part = self.stream_lines(input, format, parse_line, scratch, sink);
                continue;
            }
            let Some(judged) = self.judge_input(input, scratch, &mut part.stats) else {
                // Ctrl-C: nothing more is started.
                break;
            };
            held_bytes += judged.bytes();
            held.push(judged);
            if held_bytes >= HELD_BYTES {
                self.finish_held(&mut held, &mut part.results);
                held_bytes = 0;
            }
        }
        self.finish_held(&mut held, &mut part.results);
        part
    }

    /// Reads and judges one whole input, adding what it read and the time each stage took to
    /// `stats`; `None` once the run is stopped.
    fn judge_input<'i>(
        &self,
        input: &'i Input,
        scratch: &mut Scratch,
        stats: &mut RunStats,
    ) -> Option<Held<'i>> {
        if crate::interrupt::requested() {
            return None;
        }
        let reading = Instant::now();
        let bytes = read_bytes(input);
        stats.read += reading.elapsed();
        stats.inputs += 1;
        let path = input.display.as_str();
        Some(match bytes {
            Ok(bytes) => {
                stats.bytes += bytes.len() as u64;
                let format = input.format.or(self.format);
                let origin = Origin::file(input_file(input));
                match self.read_and_judge(path, origin, format, &bytes, scratch, stats) {
                    Ok((read, judged)) => Held::Judged {
                        path,
                        read: read.into_owned(),
                        judged,
                    },
                    Err(failed) => Held::Done(failed),
                }
            }
            Err(error) => Held::Done(Box::new(
                self.failed(path, crate::limits::one_line(error.message())),
            )),
        })
    }

    /// Finishes the inputs held, in order, adding their results to `results`.
    fn finish_held(&self, held: &mut Vec<Held<'_>>, results: &mut Vec<FileResult>) {
        for held in held.drain(..) {
            match held {
                Held::Judged { path, read, judged } => results.extend(self.finish_file(path, &read, judged)),
                Held::Done(failed) => results.push(*failed),
            }
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
        self.check_file(
            path,
            Origin::default(),
            Some(format),
            bytes,
            scratch,
            &mut RunStats::default(),
        )
    }

    /// Judges one transcript held in memory, named `path` (no file: no sidecars; `given`
    /// metadata applies as a sidecar would, then `--metadata`): read as `format`, else as
    /// `path`'s extension and the content say.
    pub fn check_in_memory(
        &self,
        path: &str,
        format: Option<&'static Format>,
        text: &str,
        given: Option<&Record>,
        scratch: &mut Scratch,
    ) -> Vec<FileResult> {
        let extension = Path::new(path).extension().and_then(|e| e.to_str());
        let format = match format.or(self.format).map_or_else(|| detect(extension, text), Ok) {
            Ok(format) => format,
            Err(error) => return vec![self.failed(path, error.into_message())],
        };
        let origin = Origin { file: None, given };
        self.check_file(
            path,
            origin,
            Some(format),
            text.as_bytes(),
            scratch,
            &mut RunStats::default(),
        )
    }

    /// Judges a file's text as an editor holds it, unsaved: read with the format discovery chose
    /// for `input` (else by extension and content), with the file's sidecars and folder tables.
    pub fn check_unsaved(&self, input: &Input, text: &str, scratch: &mut Scratch) -> Vec<FileResult> {
        self.check_file(
            &input.display,
            Origin::file(input_file(input)),
            input.format.or(self.format),
            text.as_bytes(),
            scratch,
            &mut RunStats::default(),
        )
    }

    /// Reads, judges and finishes one file.
    fn check_file(
        &self,
        path: &str,
        origin: Origin<'_>,
        format: Option<&'static Format>,
        bytes: &[u8],
        scratch: &mut Scratch,
        stats: &mut RunStats,
    ) -> Vec<FileResult> {
        match self.read_and_judge(path, origin, format, bytes, scratch, stats) {
            Ok((read, judged)) => self.finish_file(path, &read, judged),
            Err(failed) => vec![*failed],
        }
    }

    /// The results of a file's calls, read as `read` and judged as `judged`.
    fn finish_file(&self, path: &str, read: &Read<'_>, judged: Vec<Judged>) -> Vec<FileResult> {
        let batch = Batch {
            file: path,
            format: read.format.name,
            encoding: read.encoding,
            source: Source::File(&read.text),
        };
        self.finish(batch, &read.transcripts, judged)
    }

    /// Reads one file's transcripts and judges them; the entry of a file that cannot be read.
    fn read_and_judge<'b>(
        &self,
        path: &str,
        origin: Origin<'_>,
        format: Option<&'static Format>,
        bytes: &'b [u8],
        scratch: &mut Scratch,
        stats: &mut RunStats,
    ) -> Result<(Read<'b>, Vec<Judged>), Box<FileResult>> {
        let parsing = Instant::now();
        let read = self.read_with(origin, format, bytes);
        stats.parse += parsing.elapsed();
        let read =
            read.map_err(|error| Box::new(self.failed(path, crate::limits::one_line(error.message()))))?;
        let judged = self.judge(&read.transcripts, scratch, stats);
        Ok((read, judged))
    }

    /// Runs the rules on each transcript that can be judged, adding what was judged and the
    /// time it took to `stats`.
    fn judge(&self, transcripts: &[Transcript], scratch: &mut Scratch, stats: &mut RunStats) -> Vec<Judged> {
        let mut timings = Timings::default();
        if self.mask_findings && self.redact.is_on() {
            // Known values are read where the rules read them: the rules say where, from the
            // first call on.
            crate::redact::keep_reads();
        }
        let judged = transcripts
            .iter()
            .map(|transcript| {
                if let Some(unjudged) = Judged::not_checked(transcript) {
                    return unjudged;
                }
                let verdict = self
                    .engine
                    .check_judging(transcript, scratch, &mut timings, self.reasons);
                stats.turns += transcript.turns.len() as u64;
                stats.matches += scratch.hits.all().len() as u64;
                Judged::Verdict(verdict)
            })
            .collect();
        stats.transcripts += transcripts.len() as u64;
        stats.matching += timings.matching;
        stats.rules += timings.rules;
        judged
    }
}
