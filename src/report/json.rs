//! `--format json`: one JSON document, as in the contract (section 4).
//!
//! The document is streamed: the opening, then one file object per line as results arrive, then
//! the summary. Every finding has every key; absent values are `null`. Keys beyond the contract
//! (the file's `format`, `encoding`, `roles` and `score`, `note`, `end_line`, `end_column`,
//! summary counts by severity, `not_checked` and `scores`, and entries with status
//! `not_checked`) are additions, never changes.

use std::io::{self, Write};
use std::sync::Arc;

use indexmap::IndexMap;
use serde::Serialize;

use super::Reporter;
use crate::finding::{FileResult, Summary};
use crate::score::{Score, ScoreTally, Scoring};
use crate::transcript::Assignment;
use crate::transcript::{Role, RoleSource};

pub(super) mod write;

/// Writes the JSON report.
pub struct Json<W: Write> {
    out: W,
    started: bool,
    scoring: Option<Arc<Scoring>>,
    tally: ScoreTally,
    /// One file's object, written here first and then to `out` at once: the serialiser makes
    /// many small writes, each cheap into memory and not into a buffered writer.
    buffer: Vec<u8>,
}

impl<W: Write> Json<W> {
    /// A reporter writing to `out`.
    pub fn new(out: W) -> Self {
        Json {
            out,
            started: false,
            scoring: None,
            tally: ScoreTally::default(),
            buffer: Vec::new(),
        }
    }

    /// Adds each transcript's `score` and the summary's `scores`.
    pub fn with_scoring(mut self, scoring: Arc<Scoring>) -> Self {
        self.scoring = Some(scoring);
        self
    }

    fn start(&mut self) -> io::Result<()> {
        if !self.started {
            self.out.write_all(b"{\"version\":1,\"files\":[")?;
        }
        Ok(())
    }
}

/// The objects of transcripts that were not checked or could not be read (those that were
/// checked are written by [`write::checked`]).
#[derive(Serialize)]
#[serde(untagged)]
#[allow(clippy::large_enum_variant, reason = "one short-lived value per call")]
enum FileJson<'a> {
    NotChecked {
        path: &'a str,
        status: &'static str,
        format: &'a str,
        encoding: &'a str,
        metadata: &'a IndexMap<String, String>,
        roles: RolesJson<'a>,
        reason: &'a str,
        #[serde(skip_serializing_if = "Scored::is_off")]
        score: Scored,
    },
    Error {
        path: &'a str,
        status: &'static str,
        error: &'a str,
    },
}

/// How a call's roles were decided, as reports show it:
/// `{"source": "inferred", "confidence": 0.93, "map": {"spk_0": "agent", "spk_1": "customer"}}`.
#[derive(Serialize)]
pub struct RolesJson<'a> {
    source: RoleSource,
    confidence: Option<f64>,
    map: IndexMap<&'a str, Role>,
}

impl<'a> From<&'a Assignment> for RolesJson<'a> {
    fn from(a: &'a Assignment) -> Self {
        RolesJson {
            source: a.source,
            confidence: a.confidence.map(crate::transcript::assignment::floor2),
            map: a.speakers.iter().map(|s| (s.label.as_str(), s.role)).collect(),
        }
    }
}

/// A transcript's score: absent without scoring, `null` when it has none.
#[derive(Serialize)]
#[serde(untagged)]
enum Scored {
    Off,
    On(Option<Score>),
}

impl Scored {
    fn is_off(&self) -> bool {
        matches!(self, Scored::Off)
    }
}

/// The summary with the score totals.
#[derive(Serialize)]
struct SummaryJson<'a> {
    #[serde(flatten)]
    summary: &'a Summary,
    #[serde(skip_serializing_if = "Option::is_none")]
    scores: Option<&'a ScoreTally>,
}

/// Appends `result`'s object of the `files` array to `out`.
fn write_file(out: &mut Vec<u8>, result: &FileResult, score: Scored) {
    let other = match result {
        FileResult::Checked(r) => return write::checked(out, r, &score),
        FileResult::NotChecked(n) => FileJson::NotChecked {
            path: &n.path,
            status: "not_checked",
            format: n.format,
            encoding: n.encoding,
            metadata: &n.metadata,
            roles: RolesJson::from(&n.roles),
            reason: &n.reason,
            score,
        },
        FileResult::Failed(e) => FileJson::Error {
            path: &e.path,
            status: "error",
            error: &e.error,
        },
    };
    // Into memory, and these values serialise without error.
    let _ = serde_json::to_writer(out, &other);
}

/// One transcript's object of the JSON report (with its `score` when `scoring` is given), for
/// programs that take results one by one (the Python module).
pub fn result_json(result: &FileResult, scoring: Option<&Scoring>) -> String {
    let score = match (scoring, result) {
        (Some(scoring), FileResult::Checked(report)) => Scored::On(scoring.score(report)),
        (Some(_), FileResult::NotChecked(_)) => Scored::On(None),
        _ => Scored::Off,
    };
    let mut out = Vec::new();
    write_file(&mut out, result, score);
    // Written from strings and ASCII, so always UTF-8.
    String::from_utf8(out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

impl<W: Write> Reporter for Json<W> {
    fn file(&mut self, result: &FileResult) -> io::Result<()> {
        self.start()?;
        self.out.write_all(if self.started { b",\n" } else { b"\n" })?;
        self.started = true;
        let score = match (&self.scoring, result) {
            (Some(scoring), FileResult::Checked(report)) => {
                let score = scoring.score(report);
                self.tally.add(score.as_ref());
                Scored::On(score)
            }
            // Not judged, so not scored: `null`, never a pass.
            (Some(_), FileResult::NotChecked(_)) => Scored::On(None),
            _ => Scored::Off,
        };
        self.buffer.clear();
        write_file(&mut self.buffer, result, score);
        self.out.write_all(&self.buffer)
    }

    fn finish(&mut self, summary: &Summary) -> io::Result<()> {
        self.start()?;
        self.out.write_all(b"\n],\"summary\":")?;
        let summary = SummaryJson {
            summary,
            scores: self.scoring.as_ref().map(|_| &self.tally),
        };
        serde_json::to_writer(&mut self.out, &summary)?;
        self.out.write_all(b"}\n")?;
        self.out.flush()
    }

    fn needs_excerpts(&self) -> bool {
        false
    }

    fn needs_reasons(&self) -> bool {
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::{FileError, FileReport, Finding, NotApplicable, Severity};
    use crate::transcript::{Millis, Position};

    fn finding() -> Finding {
        Finding {
            rule: "acme/you-must".into(),
            kind: "forbidden",
            severity: Severity::Error,
            message: "m".into(),
            note: None,
            start: Position { line: 7, column: 5 },
            end: Position { line: 7, column: 8 },
            turn: Some(3),
            speaker: Some(Role::Agent),
            time: Some(Millis(41_000)),
            matched: Some("你必须".into()),
            suggestion: Some("s".into()),
            replacement: None,
            excerpt: Some("ignored".into()),
        }
    }

    #[test]
    fn document_matches_the_contract_shape() {
        let mut out = Vec::new();
        let mut reporter = Json::new(&mut out);
        let mut metadata = IndexMap::new();
        metadata.insert("call_id".to_string(), "1".to_string());
        let ok = FileResult::Checked(FileReport {
            path: "calls/0001.txt".into(),
            file: "calls/0001.txt".into(),
            metadata,
            findings: vec![finding()],
            not_applicable: vec![NotApplicable {
                rule: "acme/hangup",
                reason: "r".into(),
                scope: crate::finding::Scope::Undecided,
            }],
            format: "plain",
            encoding: "GB18030",
            first_turn: None,
            roles: None,
        });
        let bad = FileResult::Failed(FileError {
            path: "calls/bad.txt".into(),
            error: "line 3: x".into(),
        });
        let mut summary = Summary::default();
        summary.add(&ok);
        summary.add(&bad);
        reporter.file(&ok).unwrap();
        reporter.file(&bad).unwrap();
        reporter.finish(&summary).unwrap();
        let doc: serde_json::Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(doc["version"], 1);
        let f = &doc["files"][0]["findings"][0];
        assert_eq!(f["rule"], "acme/you-must");
        assert_eq!(f["kind"], "forbidden");
        assert_eq!(f["severity"], "error");
        assert_eq!((f["line"].as_u64(), f["column"].as_u64()), (Some(7), Some(5)));
        assert_eq!(f["turn"], 3);
        assert_eq!(f["speaker"], "agent");
        assert_eq!(f["time"], "00:00:41");
        assert_eq!(f["matched"], "你必须");
        assert_eq!(f["suggestion"], "s");
        assert!(f.get("excerpt").is_none());
        assert_eq!(doc["files"][0]["status"], "ok");
        assert_eq!(doc["files"][0]["format"], "plain");
        assert_eq!(doc["files"][0]["encoding"], "GB18030");
        assert_eq!(doc["files"][0]["metadata"]["call_id"], "1");
        assert_eq!(doc["files"][0]["not_applicable"][0], "acme/hangup");
        assert_eq!(doc["files"][1]["status"], "error");
        assert_eq!(doc["files"][1]["error"], "line 3: x");
        assert_eq!(doc["summary"]["files"], 2);
        assert_eq!(doc["summary"]["errors"], 1);
        assert_eq!(doc["summary"]["findings"], 1);
    }

    fn speaker(label: &str, role: Role, source: RoleSource) -> crate::transcript::SpeakerRole {
        crate::transcript::SpeakerRole {
            label: label.into(),
            role,
            source,
            turns: 2,
            evidence: None,
        }
    }

    #[test]
    fn roles_and_calls_that_were_not_checked() {
        let inferred = Assignment {
            source: RoleSource::Inferred,
            confidence: Some(0.937),
            speakers: vec![
                speaker("spk_1", Role::Agent, RoleSource::Inferred),
                speaker("spk_0", Role::Customer, RoleSource::Inferred),
            ],
            ..Assignment::default()
        };
        let ok = FileResult::Checked(FileReport {
            path: "a.txt".into(),
            roles: Some(inferred),
            ..FileReport::default()
        });
        let unknown = Assignment {
            source: RoleSource::Unknown,
            speakers: vec![speaker("spk_0", Role::Other, RoleSource::Unknown)],
            ..Assignment::default()
        };
        let not_checked = FileResult::NotChecked(crate::finding::NotChecked {
            path: "b.txt".into(),
            file: "b.txt".into(),
            format: "plain",
            encoding: "UTF-8",
            reason: "no speaker could be identified as the agent".into(),
            roles: unknown,
            ..crate::finding::NotChecked::default()
        });
        let mut summary = Summary::default();
        let mut out = Vec::new();
        let scoring = Arc::new(crate::report::test_support::scoring());
        let mut reporter = Json::new(&mut out).with_scoring(scoring);
        for result in [&ok, &not_checked] {
            summary.add(result);
            reporter.file(result).unwrap();
        }
        reporter.finish(&summary).unwrap();
        let doc: serde_json::Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(
            doc["files"][0]["roles"],
            serde_json::json!({"source": "inferred", "confidence": 0.93,
                               "map": {"spk_1": "agent", "spk_0": "customer"}})
        );
        let entry = &doc["files"][1];
        assert_eq!(entry["status"], "not_checked");
        assert_eq!(entry["reason"], "no speaker could be identified as the agent");
        assert_eq!(entry["roles"]["source"], "none");
        assert_eq!(entry["roles"]["map"]["spk_0"], "other");
        assert!(entry["score"].is_null(), "a call not checked has no score");
        assert!(entry.get("findings").is_none());
        assert_eq!(doc["summary"]["not_checked"], 1);
        assert_eq!(
            doc["summary"]["scores"]["scored"], 1,
            "only the checked call is scored"
        );
    }

    #[test]
    fn empty_run_is_still_a_document() {
        let mut out = Vec::new();
        let mut reporter = Json::new(&mut out);
        reporter.finish(&Summary::default()).unwrap();
        let doc: serde_json::Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(doc["files"], serde_json::json!([]));
    }

    #[test]
    fn scores_are_added_per_file_and_in_the_summary() {
        let mut out = Vec::new();
        let scoring = Arc::new(crate::report::test_support::scoring());
        crate::report::test_support::render(&mut Json::new(&mut out).with_scoring(scoring));
        let doc: serde_json::Value = serde_json::from_slice(&out).unwrap();
        let score = &doc["files"][0]["score"];
        assert_eq!(score["score"], 33.3);
        assert_eq!(score["passed"], false);
        assert_eq!(score["lost"][0]["rule"], "acme/greeting");
        assert_eq!(score["lost"].as_array().unwrap().len(), 2);
        assert!(
            doc["files"][1].get("score").is_none(),
            "failed files have no score"
        );
        assert_eq!(doc["summary"]["scores"]["scored"], 1);
        assert_eq!(doc["summary"]["scores"]["mean"], 33.3);
        // Without scoring, the document is as before.
        let mut plain = Vec::new();
        crate::report::test_support::render(&mut Json::new(&mut plain));
        let doc: serde_json::Value = serde_json::from_slice(&plain).unwrap();
        assert!(doc["files"][0].get("score").is_none() && doc["summary"].get("scores").is_none());
    }
}
