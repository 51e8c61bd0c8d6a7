//! The JSON report's transcript objects, written by hand: the report's largest part, and the
//! serialiser's general path (every key and string escaped byte by byte, every time formatted
//! into a new string) cost more than checking some calls. The bytes are exactly what
//! `serde_json` writes for the same values (the tests compare the two).

use crate::finding::{FileReport, Finding, Severity};
use crate::transcript::{Millis, Role};

use super::{RolesJson, Scored};

/// Appends `report`'s object: `{"path":…,"status":"ok",…,"findings":[…],…}`.
pub(super) fn checked(out: &mut Vec<u8>, report: &FileReport, score: &Scored) {
    out.extend_from_slice(b"{\"path\":");
    string(out, &report.path);
    out.extend_from_slice(b",\"status\":\"ok\",\"format\":");
    string(out, report.format);
    out.extend_from_slice(b",\"encoding\":");
    string(out, report.encoding);
    out.extend_from_slice(b",\"metadata\":{");
    for (i, (key, value)) in report.metadata.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        string(out, key);
        out.push(b':');
        string(out, value);
    }
    out.extend_from_slice(b"},\"findings\":[");
    for (i, f) in report.findings.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        finding(out, f);
    }
    out.extend_from_slice(b"],\"not_applicable\":[");
    for (i, n) in report.not_applicable.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        string(out, n.rule);
    }
    out.extend_from_slice(b"],\"roles\":");
    match &report.roles {
        Some(roles) => value(out, &RolesJson::from(roles)),
        None => out.extend_from_slice(b"null"),
    }
    if !score.is_off() {
        out.extend_from_slice(b",\"score\":");
        value(out, score);
    }
    out.push(b'}');
}

/// Appends one finding's object, as [`super::FindingJson`] serialises it.
fn finding(out: &mut Vec<u8>, f: &Finding) {
    out.push(b'{');
    finding_fields(out, f);
    out.push(b'}');
}

/// Appends one line of the JSON Lines report: the transcript's `path`, the finding's keys,
/// then `score` and `points` when given (as `Line` in [`crate::report::jsonl`] serialises it).
pub(in crate::report) fn finding_line(
    out: &mut Vec<u8>,
    path: &str,
    f: &Finding,
    score: Option<Option<f64>>,
    points: Option<Option<f64>>,
) {
    out.extend_from_slice(b"{\"path\":");
    string(out, path);
    out.push(b',');
    finding_fields(out, f);
    if let Some(score) = score {
        out.extend_from_slice(b",\"score\":");
        value(out, &score);
    }
    if let Some(points) = points {
        out.extend_from_slice(b",\"points\":");
        value(out, &points);
    }
    out.extend_from_slice(b"}\n");
}

/// Appends a finding's keys and values, `"rule":…` to `"end_column":…`, without braces.
fn finding_fields(out: &mut Vec<u8>, f: &Finding) {
    out.extend_from_slice(b"\"rule\":");
    string(out, &f.rule);
    out.extend_from_slice(b",\"kind\":");
    string(out, f.kind);
    out.extend_from_slice(match f.severity {
        Severity::Info => b",\"severity\":\"info\",\"message\":",
        Severity::Warning => b",\"severity\":\"warning\",\"message\":",
        Severity::Error => b",\"severity\":\"error\",\"message\":",
    });
    string(out, &f.message);
    out.extend_from_slice(b",\"line\":");
    number(out, f.start.line);
    out.extend_from_slice(b",\"column\":");
    number(out, f.start.column);
    out.extend_from_slice(b",\"turn\":");
    match f.turn {
        Some(turn) => number(out, turn),
        None => out.extend_from_slice(b"null"),
    }
    out.extend_from_slice(match f.speaker {
        None => b",\"speaker\":null,\"time\":",
        Some(Role::Agent) => b",\"speaker\":\"agent\",\"time\":",
        Some(Role::Customer) => b",\"speaker\":\"customer\",\"time\":",
        Some(Role::System) => b",\"speaker\":\"system\",\"time\":",
        Some(Role::Other) => b",\"speaker\":\"other\",\"time\":",
    });
    match f.time {
        Some(time) => clock(out, time),
        None => out.extend_from_slice(b"null"),
    }
    out.extend_from_slice(b",\"matched\":");
    optional(out, f.matched.as_deref());
    out.extend_from_slice(b",\"suggestion\":");
    optional(out, f.suggestion.as_deref());
    out.extend_from_slice(b",\"replacement\":");
    optional(out, f.replacement.as_deref());
    out.extend_from_slice(b",\"note\":");
    optional(out, f.note.as_deref());
    out.extend_from_slice(b",\"end_line\":");
    number(out, f.end.line);
    out.extend_from_slice(b",\"end_column\":");
    number(out, f.end.column);
}

/// Appends `time` as its `Display` writes it, quoted: `"hh:mm:ss"`, `.mmm` only with a fraction.
fn clock(out: &mut Vec<u8>, time: Millis) {
    let total_secs = time.0 / 1000;
    let (h, m, s, ms) = (
        total_secs / 3600,
        (total_secs / 60) % 60,
        total_secs % 60,
        time.0 % 1000,
    );
    out.push(b'"');
    if h < 10 {
        out.push(b'0');
    }
    out.extend_from_slice(itoa::Buffer::new().format(h).as_bytes());
    let two = |n: u64| [b':', b'0' + (n / 10) as u8, b'0' + (n % 10) as u8];
    out.extend_from_slice(&two(m));
    out.extend_from_slice(&two(s));
    if ms != 0 {
        out.extend_from_slice(&[
            b'.',
            b'0' + (ms / 100) as u8,
            b'0' + (ms / 10 % 10) as u8,
            b'0' + (ms % 10) as u8,
        ]);
    }
    out.push(b'"');
}

fn optional(out: &mut Vec<u8>, text: Option<&str>) {
    match text {
        Some(text) => string(out, text),
        None => out.extend_from_slice(b"null"),
    }
}

fn number(out: &mut Vec<u8>, n: u32) {
    out.extend_from_slice(itoa::Buffer::new().format(n).as_bytes());
}

/// Anything else (roles, scores: one each per call) goes through the serialiser.
fn value(out: &mut Vec<u8>, value: &(impl serde::Serialize + ?Sized)) {
    // Writing into memory cannot fail, and these values serialise without error.
    let _ = serde_json::to_writer(&mut *out, value);
}

/// Appends `text` as a JSON string. Most strings need no escape and are copied whole; the
/// others are left to the serialiser, so that every escape is written as it writes it.
pub(super) fn string(out: &mut Vec<u8>, text: &str) {
    if needs_escape(text.as_bytes()) {
        value(out, text);
    } else {
        out.reserve(text.len() + 2);
        out.push(b'"');
        out.extend_from_slice(text.as_bytes());
        out.push(b'"');
    }
}

/// True when `bytes` hold a quote, a backslash or a control character below U+0020, the
/// bytes JSON escapes; eight at a time, without a branch per word.
fn needs_escape(bytes: &[u8]) -> bool {
    const ONES: u64 = u64::from_ne_bytes([0x01; 8]);
    const HIGHS: u64 = u64::from_ne_bytes([0x80; 8]);
    // Exact for the word as a whole: some byte is zero (or below 0x20) exactly when the
    // expression has a high bit set, so the words' expressions can be or-ed and tested once.
    let zero = |x: u64| x.wrapping_sub(ONES) & !x;
    let escaped = |x: u64| {
        x.wrapping_sub(ONES * 0x20) & !x
            | zero(x ^ (ONES * u64::from(b'"')))
            | zero(x ^ (ONES * u64::from(b'\\')))
    };
    let Some(last) = bytes.last_chunk::<8>() else {
        return bytes.iter().any(|&b| b < 0x20 || b == b'"' || b == b'\\');
    };
    // The last eight bytes cover what the whole words leave over (read twice where they overlap).
    let mut found = escaped(u64::from_ne_bytes(*last));
    for chunk in bytes.chunks_exact(8) {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        found |= escaped(u64::from_ne_bytes(word));
    }
    found & HIGHS != 0
}

#[cfg(test)]
mod tests {
    use indexmap::IndexMap;
    use proptest::prelude::*;
    use serde::Serialize;

    use super::*;
    use crate::finding::{NotApplicable, Scope};
    use crate::transcript::{Assignment, Millis, Position, RoleSource, SpeakerRole};

    /// A finding as the serialiser writes it: what [`finding`] must write.
    #[derive(Serialize)]
    struct FindingJson<'a> {
        rule: &'a str,
        kind: &'a str,
        severity: Severity,
        message: &'a str,
        line: u32,
        column: u32,
        turn: Option<u32>,
        speaker: Option<Role>,
        time: Option<String>,
        matched: Option<&'a str>,
        suggestion: Option<&'a str>,
        replacement: Option<&'a str>,
        note: Option<&'a str>,
        end_line: u32,
        end_column: u32,
    }

    impl<'a> From<&'a Finding> for FindingJson<'a> {
        fn from(f: &'a Finding) -> Self {
            FindingJson {
                rule: &f.rule,
                kind: f.kind,
                severity: f.severity,
                message: &f.message,
                line: f.start.line,
                column: f.start.column,
                turn: f.turn,
                speaker: f.speaker,
                time: f.time.map(|t| t.to_string()),
                matched: f.matched.as_deref(),
                suggestion: f.suggestion.as_deref(),
                replacement: f.replacement.as_deref(),
                note: f.note.as_deref(),
                end_line: f.end.line,
                end_column: f.end.column,
            }
        }
    }

    /// A checked transcript's object as the serialiser writes it: what [`checked`] must write.
    #[derive(Serialize)]
    struct Reference<'a> {
        path: &'a str,
        status: &'static str,
        format: &'a str,
        encoding: &'a str,
        metadata: &'a IndexMap<String, String>,
        findings: Vec<FindingJson<'a>>,
        not_applicable: Vec<&'a str>,
        roles: Option<RolesJson<'a>>,
        #[serde(skip_serializing_if = "Scored::is_off")]
        score: Scored,
    }

    /// A line of the JSON Lines report as the serialiser writes it: what [`finding_line`] must
    /// write.
    #[derive(Serialize)]
    struct LineReference<'a> {
        path: &'a str,
        #[serde(flatten)]
        finding: FindingJson<'a>,
        #[serde(skip_serializing_if = "Option::is_none")]
        score: Option<Option<f64>>,
        #[serde(skip_serializing_if = "Option::is_none")]
        points: Option<Option<f64>>,
    }

    /// Any text, with the characters JSON escapes made common.
    const TEXT: &str = "(\\PC|[\"\\\\\u{0}-\u{1f}\u{7f}])*";

    fn finding_strategy() -> impl Strategy<Value = Finding> {
        let strings = (TEXT, TEXT, proptest::option::of(TEXT), proptest::option::of(TEXT));
        let numbers = (
            any::<u32>(),
            any::<u32>(),
            proptest::option::of(any::<u32>()),
            proptest::option::of(0..400_000_000u64),
        );
        (strings, numbers, 0..3usize, proptest::option::of(0..4usize)).prop_map(
            |((rule, message, matched, note), (line, column, turn, time), severity, speaker)| Finding {
                rule,
                kind: "forbidden",
                severity: [Severity::Info, Severity::Warning, Severity::Error][severity],
                message,
                note,
                start: Position { line, column },
                end: Position {
                    line: column,
                    column: line,
                },
                turn,
                speaker: speaker.map(|i| [Role::Agent, Role::Customer, Role::System, Role::Other][i]),
                time: time.map(Millis),
                suggestion: matched.as_ref().map(|m| format!("{m}\"")),
                matched,
                replacement: None,
                excerpt: None,
            },
        )
    }

    proptest::proptest! {
        #[test]
        fn strings_are_written_as_serde_json_writes_them(text in TEXT) {
            let mut out = Vec::new();
            string(&mut out, &text);
            prop_assert_eq!(String::from_utf8(out).unwrap(), serde_json::to_string(&text).unwrap());
        }

        #[test]
        fn escapes_are_found_wherever_they_are(
            prefix in "[a-z你]{0,17}",
            special in "[\"\\\\\u{0}-\u{1f}]",
            suffix in "[a-z]{0,9}",
        ) {
            let with = format!("{prefix}{special}{suffix}");
            let without = format!("{prefix}{suffix}");
            prop_assert!(needs_escape(with.as_bytes()));
            prop_assert!(!needs_escape(without.as_bytes()));
        }

        #[test]
        fn checked_objects_are_written_as_serde_json_writes_them(
            path in TEXT,
            metadata in proptest::collection::vec((TEXT, TEXT), 0..3),
            findings in proptest::collection::vec(finding_strategy(), 0..4),
            not_applicable in proptest::collection::vec(TEXT, 0..3),
            with_roles in any::<bool>(),
            scored in any::<bool>(),
        ) {
            let report = FileReport {
                path,
                metadata: metadata.into_iter().collect(),
                findings,
                not_applicable: not_applicable
                    .into_iter()
                    .map(|rule| NotApplicable { rule: crate::finding::intern(&rule), reason: String::new(), scope: Scope::Undecided })
                    .collect(),
                format: "plain",
                encoding: "UTF-8",
                roles: with_roles.then(|| Assignment {
                    source: RoleSource::Inferred,
                    confidence: Some(0.5),
                    speakers: vec![SpeakerRole {
                        label: "spk_\"0".into(),
                        role: Role::Agent,
                        source: RoleSource::Inferred,
                        turns: 1,
                        evidence: None,
                    }],
                    ..Assignment::default()
                }),
                ..FileReport::default()
            };
            let score = || if scored { Scored::On(None) } else { Scored::Off };
            let mut out = Vec::new();
            checked(&mut out, &report, &score());
            let reference = Reference {
                path: &report.path,
                status: "ok",
                format: report.format,
                encoding: report.encoding,
                metadata: &report.metadata,
                findings: report.findings.iter().map(FindingJson::from).collect(),
                not_applicable: report.not_applicable.iter().map(|n| n.rule).collect(),
                roles: report.roles.as_ref().map(RolesJson::from),
                score: score(),
            };
            prop_assert_eq!(String::from_utf8(out).unwrap(), serde_json::to_string(&reference).unwrap());
        }
    }

    proptest::proptest! {
        #[test]
        fn lines_are_written_as_serde_json_writes_them(
            path in TEXT,
            finding in finding_strategy(),
            score in proptest::option::of(proptest::option::of(0.0..100.0f64)),
            points in proptest::option::of(proptest::option::of(prop_oneof![Just(2.0), Just(12.5), 0.0..10.0f64])),
        ) {
            let mut out = Vec::new();
            finding_line(&mut out, &path, &finding, score, points);
            let reference = LineReference { path: &path, finding: FindingJson::from(&finding), score, points };
            prop_assert_eq!(String::from_utf8(out).unwrap(), serde_json::to_string(&reference).unwrap() + "\n");
        }
    }

    #[test]
    fn times_are_written_as_they_display() {
        for ms in [
            0,
            41_000,
            41_005,
            3_599_999,
            36_000_000,
            359_999_120,
            3_600_000_000,
        ] {
            let mut out = Vec::new();
            clock(&mut out, Millis(ms));
            assert_eq!(String::from_utf8(out).unwrap(), format!("\"{}\"", Millis(ms)));
        }
    }

    #[test]
    fn bytes_that_look_like_escapes_inside_characters_are_not() {
        // 0x80..0xFF bytes of multi-byte characters, and DEL, are written as they are.
        for text in ["你好，世界。", "\u{7f}\u{80}\u{ff}", "ÿ ~ ! #"] {
            assert!(!needs_escape(text.as_bytes()), "{text:?}");
        }
    }
}
