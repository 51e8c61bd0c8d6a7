//! The check pipeline over many inputs: read → decode → parse → judge → report, in parallel,
//! with results reported in input order.
//!
//! Worker threads take inputs one at a time from the (lazy) discovery and send their results to
//! the calling thread, which hands them to the reporter strictly in input order. Workers may run
//! ahead of the reporter by a bounded window, so output is deterministic, both cores stay busy
//! even when one file is slow, and memory stays bounded whatever the number of files. Each
//! worker reuses its buffers. A file that cannot be read, decoded or parsed becomes a
//! [`FileResult::Failed`] entry; the run goes on. Every stage is timed for `--stats`.
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
use std::collections::{BTreeMap, VecDeque};
use std::io::{self, Read as _};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Condvar, Mutex, mpsc};
use std::time::{Duration, Instant};

use encoding_rs::Encoding;

use crate::decode::decode_as;
use crate::discover::{Input, Source};
use crate::engine::{Engine, Timings};
use crate::finding::{FileError, FileReport, FileResult, NotChecked, Severity, Summary};
use crate::matcher::Scratch;
use crate::metadata::{Metadata, Record};
use crate::report::Reporter;
use crate::roles::Inferrer;
use crate::transcript::{FORMATS, Format, LineParser, ParseOptions, Transcript, detect};

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
}

/// Where a transcript's metadata beyond its own text comes from: the file on disk (sidecars,
/// folder tables) and metadata given beside the text (an embedding program's table row).
#[derive(Clone, Copy, Default)]
struct Origin<'a> {
    file: Option<&'a Path>,
    given: Option<&'a Record>,
}

impl<'a> Origin<'a> {
    fn file(file: Option<&'a Path>) -> Origin<'a> {
        Origin { file, given: None }
    }
}

/// Longest source line copied into a finding as its excerpt, in bytes. Minified exports (Amazon
/// Transcribe writes its output on one line) would otherwise copy megabytes per finding; the
/// pretty report shows only 100 columns of a line anyway.
const MAX_EXCERPT_LINE: usize = 64 * 1024;

/// How far, in inputs per worker thread, workers may run ahead of the reporter.
const WINDOW_PER_THREAD: usize = 64;

/// Told about each input as its results are reported (a progress bar).
pub trait Progress: Sync {
    /// One input is done; it had `bytes` bytes.
    fn input_done(&self, bytes: u64);
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

/// Files at least this large in a line-per-call format (JSON Lines) are read and checked line
/// by line, their results reported in parts, so they never sit in memory whole.
pub const STREAM_THRESHOLD: u64 = 8 << 20;

/// Parts a worker collects before sending them to the reporter.
const PARTS_PER_SEND: usize = 16;

/// Calls checked between two parts of a streamed file's results.
const STREAM_BATCH: usize = 64;

/// Some results of one input, sent by a worker; `done` marks the input's last part.
struct Part {
    seq: usize,
    results: Vec<FileResult>,
    stats: RunStats,
    done: bool,
}

/// Shared between the reporting thread and the workers: how many inputs have been reported,
/// and whether the run must stop (the reporter failed).
struct Gate {
    reported: Mutex<usize>,
    advanced: Condvar,
    stop: AtomicBool,
}

impl<'e> Pipeline<'e> {
    /// A pipeline reading inputs as `input` says, judging them with `engine`; the options of a
    /// run (threads, unused suppressions, redaction) are then set on it.
    pub fn new(engine: &'e Engine, input: crate::settings::InputSettings) -> Pipeline<'e> {
        let (format, encoding, parse_options, metadata, roles) = input.into_parts();
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
        if jobs == 1 {
            // One thread checks and reports in turn: `--jobs 1` really is single-threaded.
            return self.run_inline(inputs, reporter, progress, started);
        }
        let window = jobs * WINDOW_PER_THREAD;
        let source = Mutex::new((0usize, inputs));
        let gate = Gate {
            reported: Mutex::new(0),
            advanced: Condvar::new(),
            stop: AtomicBool::new(false),
        };
        let mut summary = Summary::default();
        let mut stats = RunStats::default();
        let mut failure: Option<io::Error> = None;
        let (sender, receiver) = mpsc::channel::<Vec<Part>>();
        std::thread::scope(|scope| {
            for _ in 0..jobs {
                let sender = sender.clone();
                let (source, gate) = (&source, &gate);
                scope.spawn(move || self.work(source, gate, window, &sender));
            }
            drop(sender);
            // Parts waiting for their turn, by input; an input's parts arrive in order.
            let mut pending: BTreeMap<usize, VecDeque<Part>> = BTreeMap::new();
            let (mut next, mut next_bytes) = (0, 0);
            for parts in receiver {
                // Ctrl-C: files skipped from now on would leave holes; report nothing more.
                if crate::interrupt::requested() {
                    gate.stop.store(true, Ordering::Relaxed);
                    gate.advanced.notify_all();
                    continue;
                }
                for part in parts {
                    pending.entry(part.seq).or_default().push_back(part);
                }
                let before = next;
                while let Some(part) = pending.get_mut(&next).and_then(VecDeque::pop_front) {
                    stats += part.stats;
                    next_bytes += part.stats.bytes;
                    if failure.is_none() {
                        let reporting = Instant::now();
                        if let Err(e) = self.report(part.results, &mut summary, reporter) {
                            failure = Some(e);
                            gate.stop.store(true, Ordering::Relaxed);
                        }
                        stats.report += reporting.elapsed();
                    }
                    if !part.done {
                        continue;
                    }
                    if let Some(progress) = progress {
                        progress.input_done(next_bytes);
                    }
                    pending.remove(&next);
                    (next, next_bytes) = (next + 1, 0);
                }
                // Workers wait for this count: one update per message, not per input.
                if next != before || failure.is_some() {
                    if let Ok(mut reported) = gate.reported.lock() {
                        *reported = next;
                    }
                    gate.advanced.notify_all();
                }
            }
        });
        if let Some(e) = failure {
            return Err(e);
        }
        crate::interrupt::check()?;
        reporter.finish(&summary)?;
        stats.wall = started.elapsed();
        Ok((summary, stats))
    }

    /// [`Pipeline::run_stream`] on the calling thread alone.
    fn run_inline<I>(
        &self,
        inputs: I,
        reporter: &mut dyn Reporter,
        progress: Option<&dyn Progress>,
        started: Instant,
    ) -> io::Result<(Summary, RunStats)>
    where
        I: Iterator<Item = Input>,
    {
        let mut scratch = Scratch::default();
        let mut summary = Summary::default();
        let mut stats = RunStats::default();
        let mut failure: Option<io::Error> = None;
        for input in inputs {
            crate::interrupt::check()?;
            let mut input_bytes = 0;
            self.check_input_parts(&input, &mut scratch, &mut |results, part_stats, _done| {
                stats += part_stats;
                input_bytes += part_stats.bytes;
                let reporting = Instant::now();
                let reported = self.report(results, &mut summary, reporter);
                stats.report += reporting.elapsed();
                match reported {
                    Ok(()) => true,
                    Err(e) => {
                        failure = Some(e);
                        false
                    }
                }
            });
            if let Some(e) = failure {
                return Err(e);
            }
            if let Some(progress) = progress {
                progress.input_done(input_bytes);
            }
        }
        crate::interrupt::check()?;
        reporter.finish(&summary)?;
        stats.wall = started.elapsed();
        Ok((summary, stats))
    }

    /// A worker: takes inputs in turn, waits while it is a window ahead of the reporter, checks.
    /// Results go to the reporter in batches of [`PARTS_PER_SEND`] (fewer channel messages and
    /// wake-ups); a worker sends what it holds before it waits for the reporter, so the reporter
    /// never waits for results a waiting worker holds.
    fn work<I>(
        &self,
        source: &Mutex<(usize, I)>,
        gate: &Gate,
        window: usize,
        sender: &mpsc::Sender<Vec<Part>>,
    ) where
        I: Iterator<Item = Input>,
    {
        let mut scratch = Scratch::default();
        let mut batch: Vec<Part> = Vec::with_capacity(PARTS_PER_SEND);
        let flush = |batch: &mut Vec<Part>| batch.is_empty() || sender.send(std::mem::take(batch)).is_ok();
        while !gate.stop.load(Ordering::Relaxed) && !crate::interrupt::requested() {
            let (seq, input) = {
                let Ok(mut source) = source.lock() else { return };
                let Some(input) = source.1.next() else { break };
                source.0 += 1;
                (source.0 - 1, input)
            };
            if let Ok(mut reported) = gate.reported.lock() {
                if seq >= *reported + window {
                    drop(reported);
                    if !flush(&mut batch) {
                        return;
                    }
                    let Ok(relocked) = gate.reported.lock() else {
                        return;
                    };
                    reported = relocked;
                }
                while seq >= *reported + window && !gate.stop.load(Ordering::Relaxed) {
                    reported = match gate.advanced.wait(reported) {
                        Ok(r) => r,
                        Err(_) => return,
                    };
                }
            }
            let mut parts = 0;
            let mut alive = true;
            self.check_input_parts(&input, &mut scratch, &mut |results, stats, done| {
                // A streamed file's later parts wait until the file is the one being reported:
                // its results never pile up behind a slow earlier input.
                if parts > 0 {
                    if !flush(&mut batch) {
                        alive = false;
                        return false;
                    }
                    if let Ok(mut reported) = gate.reported.lock() {
                        while *reported < seq && !gate.stop.load(Ordering::Relaxed) {
                            reported = match gate.advanced.wait(reported) {
                                Ok(r) => r,
                                Err(_) => return false,
                            };
                        }
                    }
                }
                parts += 1;
                batch.push(Part {
                    seq,
                    results,
                    stats,
                    done,
                });
                // A streamed file's parts go at once: the reporter is waiting for them.
                if (batch.len() >= PARTS_PER_SEND || !done || parts > 1) && !flush(&mut batch) {
                    alive = false;
                }
                alive = alive && !gate.stop.load(Ordering::Relaxed);
                alive
            });
            if !alive {
                return;
            }
        }
        flush(&mut batch);
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

    /// [`Pipeline::check_input`], adding what it read and the time each stage took to `stats`.
    pub fn check_input_timed(
        &self,
        input: &Input,
        scratch: &mut Scratch,
        stats: &mut RunStats,
    ) -> Vec<FileResult> {
        if crate::interrupt::requested() {
            return Vec::new();
        }
        let reading = Instant::now();
        let bytes = read_bytes(input);
        stats.read += reading.elapsed();
        stats.inputs += 1;
        match bytes {
            Ok(bytes) => {
                stats.bytes += bytes.len() as u64;
                let format = input.format.or(self.format);
                self.check_file(
                    &input.display,
                    Origin::file(input_file(input)),
                    format,
                    &bytes,
                    scratch,
                    stats,
                )
            }
            Err(error) => vec![FileResult::Failed(FileError {
                path: input.display.clone(),
                error: crate::limits::one_line(&error),
            })],
        }
    }

    /// Checks one input, handing its results to `emit` in one or more parts (the last with
    /// `done`); `emit` returns false to stop early. Large files in a line-per-call format are
    /// read and checked line by line.
    fn check_input_parts(
        &self,
        input: &Input,
        scratch: &mut Scratch,
        emit: &mut dyn FnMut(Vec<FileResult>, RunStats, bool) -> bool,
    ) {
        // Redacted by the worker, before the reporter and the baseline: no output can see the
        // raw values, and the masking runs in parallel.
        let mut redacted;
        let emit: &mut dyn FnMut(Vec<FileResult>, RunStats, bool) -> bool = if self.redact.is_on() {
            redacted = |mut results: Vec<FileResult>, stats: RunStats, done: bool| {
                for result in &mut results {
                    crate::redact::redact_result(result, self.redact);
                }
                emit(results, stats, done)
            };
            &mut redacted
        } else {
            emit
        };
        if let Some((format, parse_line)) = self.line_format(input) {
            self.stream_lines(input, format, parse_line, scratch, emit);
            return;
        }
        let mut stats = RunStats::default();
        let results = self.check_input_timed(input, scratch, &mut stats);
        emit(results, stats, true);
    }

    /// The line-per-call format to stream an input with: a file of at least
    /// [`STREAM_THRESHOLD`] bytes, or standard input, whose format (forced, or the only one
    /// claiming the extension) reads line by line, in UTF-8.
    fn line_format(&self, input: &Input) -> Option<(&'static Format, LineParser)> {
        if self.encoding.is_some_and(|e| e != encoding_rs::UTF_8) {
            return None;
        }
        let forced = input.format.or(self.format);
        let format = match &input.source {
            Source::File(path) => {
                let large = std::fs::metadata(path).is_ok_and(|m| m.len() >= STREAM_THRESHOLD);
                let by_extension = || {
                    let extension = path.extension()?.to_str()?.to_ascii_lowercase();
                    let mut claiming = FORMATS
                        .iter()
                        .filter(|f| f.extensions.contains(&extension.as_str()));
                    let only = claiming.next()?;
                    claiming.next().is_none().then_some(*only)
                };
                forced.or_else(by_extension).filter(|_| large)?
            }
            Source::Stdin => forced?,
            Source::Unreadable(_) => return None,
        };
        format.parse_line.map(|parse_line| (format, parse_line))
    }

    /// Reads an input line by line, checking each call and emitting results every
    /// [`STREAM_BATCH`] calls. A line that cannot be read or parsed ends the file with an error
    /// entry after the calls before it.
    fn stream_lines(
        &self,
        input: &Input,
        format: &'static Format,
        parse_line: LineParser,
        scratch: &mut Scratch,
        emit: &mut dyn FnMut(Vec<FileResult>, RunStats, bool) -> bool,
    ) {
        let failed = |error: String| {
            vec![FileResult::Failed(FileError {
                path: input.display.clone(),
                error,
            })]
        };
        let mut stats = RunStats {
            inputs: 1,
            ..RunStats::default()
        };
        let mut reader: Box<dyn io::BufRead> = match &input.source {
            Source::File(path) => match std::fs::File::open(path) {
                Ok(file) => Box::new(io::BufReader::with_capacity(1 << 16, file)),
                Err(e) => {
                    emit(failed(format!("cannot read: {e}")), stats, true);
                    return;
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
                results.extend(failed(error));
                emit(results, stats, true);
                return;
            }
            if crate::interrupt::requested() {
                return;
            }
            if batch.len() >= STREAM_BATCH {
                let results = self.judge_lines(input, format, &mut batch, &mut calls, scratch, &mut stats);
                if !emit(results, std::mem::take(&mut stats), false) {
                    return;
                }
            }
        }
        let results = self.judge_lines(input, format, &mut batch, &mut calls, scratch, &mut stats);
        emit(results, stats, true);
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
        let (lines, mut transcripts, texts): (Vec<u32>, Vec<Transcript>, Vec<String>) =
            std::mem::take(batch).into_iter().fold(
                (Vec::new(), Vec::new(), Vec::new()),
                |(mut l, mut t, mut x), (line, transcript, text)| {
                    l.push(line);
                    t.push(transcript);
                    x.push(text);
                    (l, t, x)
                },
            );
        if let Err(error) = self.metadata.apply(input_file(input), &mut transcripts) {
            return vec![FileResult::Failed(FileError {
                path: input.display.clone(),
                error,
            })];
        }
        let inferring = Instant::now();
        for transcript in &mut transcripts {
            self.roles.apply(transcript);
        }
        stats.parse += inferring.elapsed();
        let mut timings = Timings::default();
        let mut results = Vec::with_capacity(transcripts.len());
        for ((line, transcript), text) in lines.into_iter().zip(&transcripts).zip(&texts) {
            *calls += 1;
            let name = transcript
                .metadata
                .get("call_id")
                .cloned()
                .unwrap_or_else(|| calls.to_string());
            let path = format!("{}#{name}", input.display);
            if let Some(unjudged) = not_checked(transcript, &path, &input.display, format.name, "UTF-8") {
                stats.transcripts += 1;
                results.push(unjudged);
                continue;
            }
            let verdict = self.engine.check_timed(transcript, scratch, &mut timings);
            stats.transcripts += 1;
            stats.turns += transcript.turns.len() as u64;
            stats.matches += scratch.hits.all().len() as u64;
            let mut findings = verdict.findings;
            for finding in &mut findings {
                finding.excerpt =
                    (finding.start.line == line && text.len() <= MAX_EXCERPT_LINE).then(|| text.clone());
            }
            // As for whole files: no card or ID number quoted, known values masked on request.
            crate::rules::pii::mask_excerpts(&mut findings);
            crate::redact::mask_known_values(self.engine.rules(), transcript, &mut findings, self.redact);
            results.push(FileResult::Checked(FileReport {
                path,
                file: input.display.clone(),
                metadata: transcript.metadata.clone(),
                findings,
                not_applicable: verdict.not_applicable,
                format: format.name,
                encoding: "UTF-8",
                first_turn: transcript.turns.first().map(|t| t.position()),
                roles: transcript.roles.clone(),
            }));
        }
        stats.matching += timings.matching;
        stats.rules += timings.rules;
        results
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
            Err(error) => {
                return vec![FileResult::Failed(FileError {
                    path: path.to_string(),
                    error,
                })];
            }
        };
        self.check_text(path, Origin { file: None, given }, Some(format), text, scratch)
    }

    /// Judges a file's text as an editor holds it, unsaved: read with the format discovery chose
    /// for `input` (else by extension and content), with the file's sidecars and folder tables.
    pub fn check_unsaved(&self, input: &Input, text: &str, scratch: &mut Scratch) -> Vec<FileResult> {
        let format = input.format.or(self.format);
        self.check_text(
            &input.display,
            Origin::file(input_file(input)),
            format,
            text,
            scratch,
        )
    }

    /// Judges text held in memory and masks what `--redact` asks for, as workers do.
    fn check_text(
        &self,
        path: &str,
        origin: Origin<'_>,
        format: Option<&'static Format>,
        text: &str,
        scratch: &mut Scratch,
    ) -> Vec<FileResult> {
        let mut results = self.check_file(
            path,
            origin,
            format,
            text.as_bytes(),
            scratch,
            &mut RunStats::default(),
        );
        if self.redact.is_on() {
            for result in &mut results {
                crate::redact::redact_result(result, self.redact);
            }
        }
        results
    }

    /// Decodes `bytes` (detecting the encoding unless one is forced), chooses the format (unless
    /// `format` is given), parses, adds metadata from sidecars and tables (`file` is the file on
    /// disk, if any), and decides the speakers' roles.
    pub fn read<'b>(
        &self,
        file: Option<&Path>,
        format: Option<&'static Format>,
        bytes: &'b [u8],
    ) -> Result<Read<'b>, String> {
        self.read_with(Origin::file(file), format, bytes)
    }

    /// [`Pipeline::read`] with metadata given beside the text (see [`Metadata::apply_with`]).
    fn read_with<'b>(
        &self,
        origin: Origin<'_>,
        format: Option<&'static Format>,
        bytes: &'b [u8],
    ) -> Result<Read<'b>, String> {
        let Origin { file, given } = origin;
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
        self.metadata.apply_with(file, given, &mut transcripts)?;
        crate::limits::check_transcripts(&transcripts)?;
        // Roles after metadata: a sidecar may name the agent or say the call came from Connect.
        for transcript in &mut transcripts {
            self.roles.apply(transcript);
        }
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
        origin: Origin<'_>,
        format: Option<&'static Format>,
        bytes: &[u8],
        scratch: &mut Scratch,
        stats: &mut RunStats,
    ) -> Vec<FileResult> {
        let parsing = Instant::now();
        let read = self.read_with(origin, format, bytes);
        stats.parse += parsing.elapsed();
        let read = match read {
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
        let lines = LineIndex::default();
        let mut timings = Timings::default();
        let entry_path = |i: usize, transcript: &Transcript| {
            if many {
                let name = transcript
                    .metadata
                    .get("call_id")
                    .or_else(|| transcript.metadata.get("template"))
                    .cloned()
                    .unwrap_or_else(|| (i + 1).to_string());
                format!("{path}#{name}")
            } else {
                path.to_string()
            }
        };
        // A call whose agent nobody can tell is not judged: its entry says so instead.
        let unjudged: Vec<Option<FileResult>> = transcripts
            .iter()
            .enumerate()
            .map(|(i, t)| not_checked(t, &entry_path(i, t), path, format.name, encoding))
            .collect();
        let (mut findings, not_applicable): (Vec<_>, Vec<_>) = transcripts
            .iter()
            .zip(&unjudged)
            .map(|(t, unjudged)| {
                if unjudged.is_some() {
                    return (Vec::new(), Vec::new());
                }
                let verdict = self.engine.check_timed(t, scratch, &mut timings);
                stats.turns += t.turns.len() as u64;
                stats.matches += scratch.hits.all().len() as u64;
                (verdict.findings, verdict.not_applicable)
            })
            .unzip();
        stats.transcripts += transcripts.len() as u64;
        stats.matching += timings.matching;
        stats.rules += timings.rules;
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
            .zip(unjudged)
            .enumerate()
            .map(|(i, (((transcript, not_applicable), mut findings), unjudged))| {
                if let Some(unjudged) = unjudged {
                    return unjudged;
                }
                for finding in &mut findings {
                    finding.excerpt = lines
                        .line(text, finding.start.line)
                        .filter(|line| line.len() <= MAX_EXCERPT_LINE)
                        .map(str::to_string);
                }
                // A card or ID number a pii rule found is never quoted, in any finding.
                crate::rules::pii::mask_excerpts(&mut findings);
                crate::redact::mask_known_values(self.engine.rules(), transcript, &mut findings, self.redact);
                FileResult::Checked(FileReport {
                    path: entry_path(i, transcript),
                    file: path.to_string(),
                    metadata: transcript.metadata.clone(),
                    findings,
                    not_applicable,
                    format: format.name,
                    encoding,
                    first_turn: transcript.turns.first().map(|t| t.position()),
                    roles: transcript.roles.clone(),
                })
            })
            .collect()
    }
}

/// The entry of a transcript that cannot be judged because no speaker could be identified as
/// the agent ([`crate::transcript::Assignment::not_checked`]), or `None` for one that can.
fn not_checked(
    transcript: &Transcript,
    path: &str,
    file: &str,
    format: &'static str,
    encoding: &'static str,
) -> Option<FileResult> {
    let roles = transcript.roles.as_ref()?;
    let reason = roles.not_checked()?;
    Some(FileResult::NotChecked(NotChecked {
        path: path.to_string(),
        file: file.to_string(),
        metadata: transcript.metadata.clone(),
        format,
        encoding,
        roles: roles.clone(),
        reason,
    }))
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
            // The size is known: one allocation, no growing or probing reads.
            let expected = usize::try_from(meta.len()).unwrap_or(0);
            read_capped(file, expected).map_err(|e| format!("cannot read: {e}"))?
        }
        Source::Stdin => {
            read_capped(io::stdin().lock(), 0).map_err(|e| format!("cannot read standard input: {e}"))?
        }
    }
}

/// Reads to the end, but never more than the file limit plus one byte (a file may grow, a pipe
/// may never end); `Ok(Err)` says the input was over the limit.
fn read_capped(reader: impl io::Read, expected: usize) -> io::Result<Result<Vec<u8>, String>> {
    let limit = crate::limits::MAX_FILE_BYTES;
    // One byte more than expected lets the final read see the end without growing.
    let mut bytes = Vec::with_capacity(expected.saturating_add(1));
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
#[derive(Default)]
struct LineIndex {
    starts: std::cell::OnceCell<Vec<usize>>,
}

impl LineIndex {
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
        let index = LineIndex::default();
        assert_eq!(index.line(text, 1), Some("one"));
        assert_eq!(index.line(text, 2), Some("two"));
        assert_eq!(index.line(text, 3), Some("three"));
        assert_eq!(index.line(text, 4), None);
        assert_eq!(index.line(text, 0), None);
    }
}
