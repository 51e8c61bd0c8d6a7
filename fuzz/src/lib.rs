//! What the fuzz targets share: run a parser, the whole check of one file, the rulebook loader or
//! the normaliser on arbitrary input, and assert the invariants later stages rely on.
//!
//! A panic anywhere is a finding; so is a broken invariant, because a transcript whose segments
//! point outside its text makes a later stage (the matcher, a reporter) index out of bounds on
//! some other input.

use std::io;
use std::sync::OnceLock;

use callcheck::engine::Engine;
use callcheck::finding::Severity;
use callcheck::matcher::Scratch;
use callcheck::metadata::{Metadata, Table};
use callcheck::normalize::{NormText, Profile, normalize_into};
use callcheck::pipeline::Pipeline;
use callcheck::report::{OutputFormat, ReportOptions, RunInfo, new_reporter};
use callcheck::rulebook::RuleSet;
use callcheck::transcript::{FORMATS, Format, ParseOptions, SpeakerLabels, Transcript};

/// Parses `data` (lossily decoded as UTF-8) with one format and checks what comes back.
pub fn parse(format: &'static Format, data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    if let Ok(transcripts) = (format.parse)(&text, &ParseOptions::default()) {
        for transcript in &transcripts {
            check_transcript(transcript);
        }
    }
}

/// The model's invariants: every turn has segments, in text order, inside its text, at 1-based
/// positions, and every offset of the text maps to a position.
pub fn check_transcript(transcript: &Transcript) {
    for (i, turn) in transcript.turns.iter().enumerate() {
        assert!(!turn.segments.is_empty(), "turn {i} has no segments");
        let mut previous = 0;
        for segment in &turn.segments {
            assert!(
                segment.text_offset >= previous && segment.text_offset <= turn.text.len(),
                "turn {i}: segment offset {} out of order or outside the text ({} bytes)",
                segment.text_offset,
                turn.text.len()
            );
            assert!(
                segment.position.line >= 1 && segment.position.column >= 1,
                "turn {i}: position {:?} is not 1-based",
                segment.position
            );
            previous = segment.text_offset;
        }
        for (at, _) in turn.text.char_indices() {
            let _ = turn.position_at(at);
        }
        let _ = turn.position_at(turn.text.len());
        if let (Some(start), Some(end)) = (turn.start, turn.end) {
            assert!(start <= end, "turn {i} ends ({end}) before it starts ({start})");
        }
    }
}

/// The built-in rulebooks, compiled once per fuzzing process.
fn builtin_engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| match RuleSet::builtins() {
        Ok((rules, _)) => Engine::new(rules),
        Err(e) => panic!("the built-in rulebooks do not load: {e}"),
    })
}

/// The whole check of one file, as `callcheck check --redact` runs it: decode, detect (or the
/// format the first byte picks), parse, judge with the built-in rules, redact, and write every
/// report format.
pub fn check_bytes(data: &[u8]) {
    let Some((&selector, bytes)) = data.split_first() else {
        return;
    };
    let engine = builtin_engine();
    let pipeline = Pipeline {
        engine,
        parse_options: ParseOptions {
            labels: engine.rules().labels.clone(),
            ..ParseOptions::default()
        },
        format: None,
        encoding: None,
        metadata: Metadata::new(SpeakerLabels::default(), None),
        roles: match callcheck::roles::Inferrer::new(callcheck::roles::Mode::Infer, &[]) {
            Ok(roles) => roles,
            Err(e) => panic!("the role cues do not load: {e}"),
        },
        jobs: 1,
        unused_suppression: Some(Severity::Warning),
        redact: callcheck::redact::Redaction::All,
        // Every report format is written, the pretty and SARIF ones with excerpts, JUnit with
        // the reasons rules do not apply.
        excerpts: true,
        reasons: true,
        mask_findings: true,
    };
    let mut scratch = Scratch::default();
    // The pipeline redacts (`redact` above), as it does every result of a run.
    let results = match FORMATS.get(usize::from(selector)) {
        Some(format) => pipeline.check_bytes("fuzz", format, bytes, &mut scratch),
        None => match pipeline.read(None, None, bytes) {
            Ok(read) => {
                for transcript in &read.transcripts {
                    check_transcript(transcript);
                    let _ = engine.check(transcript, &mut scratch);
                }
                return;
            }
            Err(_) => return,
        },
    };
    let run = RunInfo::new(engine.rules(), Vec::new(), Some(Severity::Error));
    for &format in OutputFormat::all() {
        let mut reporter = new_reporter(
            format,
            ReportOptions::default(),
            &run,
            Box::new(io::sink()),
            Box::new(io::sink()),
        );
        let mut summary = callcheck::finding::Summary::default();
        for result in &results {
            summary.add(result);
            reporter.file(result).unwrap_or_else(|e| panic!("writing to a sink failed: {e}"));
        }
        reporter.finish(&summary).unwrap_or_else(|e| panic!("writing to a sink failed: {e}"));
    }
}

/// Loads a rulebook from text; when it loads, runs its embedded examples through the engine.
pub fn rulebook(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok((rules, _warnings)) = RuleSet::from_text("fuzz.toml", text) {
        let engine = Engine::new(rules).without_scope_gates();
        let _ = callcheck::selftest::run(&engine);
    }
}

/// Metadata tables and sidecars (CSV, TSV, JSON).
pub fn metadata(data: &[u8]) {
    let Some((&selector, bytes)) = data.split_first() else {
        return;
    };
    let text = String::from_utf8_lossy(bytes);
    let labels = SpeakerLabels::default();
    let _ = match selector % 3 {
        0 => Table::from_delimited(&text, b',', "fuzz.csv", &labels),
        1 => Table::from_delimited(&text, b'\t', "fuzz.tsv", &labels),
        _ => Table::from_json(&text, "fuzz.json", &labels),
    };
}

/// The normaliser's offset map: one source offset per normalised byte, monotonic, each at a
/// character boundary of the source; every normalised range maps back to a source range of
/// whole characters. The first byte picks the profile's switches.
pub fn normalize(data: &[u8]) {
    let Some((&switches, bytes)) = data.split_first() else {
        return;
    };
    let source = String::from_utf8_lossy(bytes);
    let profile = Profile {
        fold_width: switches & 1 != 0,
        fold_case: switches & 2 != 0,
        fold_script: switches & 4 != 0,
        ignore_punctuation: switches & 8 != 0,
    };
    let mut out = NormText::new();
    normalize_into(&profile, &source, &mut out);
    let text = out.as_str();
    let mut previous = 0;
    for at in 0..text.len() {
        let source_at = out.source_offset(at);
        assert!(
            source_at < source.len() && source.is_char_boundary(source_at),
            "normalised byte {at} maps to {source_at}, not a character of the {}-byte source",
            source.len()
        );
        assert!(
            source_at >= previous,
            "the map goes backwards at {at}: {source_at} < {previous}"
        );
        previous = source_at;
    }
    let boundaries: Vec<usize> = text
        .char_indices()
        .map(|(i, _)| i)
        .chain(std::iter::once(text.len()))
        .collect();
    // Every range between character boundaries (a sample of them on long texts).
    let step = (boundaries.len() / 64).max(1);
    for (i, &start) in boundaries.iter().enumerate().step_by(step) {
        for &end in boundaries[i..].iter().step_by(step) {
            let range = out.source_range(start..end, &source);
            assert!(
                range.start <= range.end
                    && range.end <= source.len()
                    && source.is_char_boundary(range.start)
                    && source.is_char_boundary(range.end),
                "{start}..{end} maps to {range:?}, not a range of whole characters of the source"
            );
        }
    }
}
