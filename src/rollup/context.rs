//! The turns around a worst call's findings, for drill-down: the turn before, the offending turn
//! with the matched text marked, and the turn after.
//!
//! A roll-up keeps no transcript, so once the worst calls are known their files are read and
//! parsed again, through the same [`Pipeline::read`] as the check (encoding, format, metadata).
//! Only those few files are read. A file that cannot be read again, or standard input, keeps the
//! finding's source line as its only excerpt. With redaction on, the turns are masked like every
//! other text of the report.

use std::collections::HashSet;

use crate::discover::Input;
use crate::pipeline::{Pipeline, input_file, read_bytes};
use crate::redact::{KnownValues, Redaction, redact};
use crate::transcript::{Position, Transcript, Turn};

use super::model::{Call, CallFinding, ContextTurn, Report};

/// Characters of a context turn shown before and after the marked text.
const AROUND: usize = 120;

/// Characters shown of a turn without a mark.
const PLAIN: usize = 240;

/// Adds context turns to every finding of every call the report lists.
pub fn add_context(
    report: &mut Report,
    pipeline: &Pipeline<'_>,
    input_of: &dyn Fn(&str) -> Input,
    redaction: Redaction,
) {
    let mut files: Vec<String> = Vec::new();
    let mut seen: HashSet<String> = HashSet::new();
    for call in calls(report) {
        if seen.insert(call.file.clone()) {
            files.push(call.file.clone());
        }
    }
    if files.is_empty() {
        return;
    }
    for file in files {
        // Standard input cannot be read twice: its calls go without excerpts.
        if file == "<stdin>" {
            continue;
        }
        let input = input_of(&file);
        let Ok(bytes) = read_bytes(&input) else { continue };
        let Ok(read) = pipeline.read(input_file(&input), input.format.or(pipeline.format), &bytes) else {
            continue;
        };
        let transcripts = read.transcripts;
        for call in calls_mut(report).filter(|c| c.file == file) {
            if let Some(transcript) = transcript_of(&transcripts, &call.path, &call.file) {
                // The values read-back and pii rules read are masked like in the findings.
                let known = redaction.is_on().then(|| {
                    (
                        KnownValues::of(pipeline.engine.rules(), transcript, redaction),
                        redaction,
                    )
                });
                for finding in &mut call.findings {
                    finding.context = context(transcript, finding, known.as_ref().map(|(k, r)| (k, *r)));
                }
            }
        }
    }
}

/// Every call the report lists (the run's worst and each group's).
fn calls(report: &Report) -> impl Iterator<Item = &Call> {
    report.worst_calls.iter().chain(
        report
            .groups
            .iter()
            .filter_map(|g| g.scores.as_ref())
            .flat_map(|s| &s.worst_calls),
    )
}

fn calls_mut(report: &mut Report) -> impl Iterator<Item = &mut Call> {
    report.worst_calls.iter_mut().chain(
        report
            .groups
            .iter_mut()
            .filter_map(|g| g.scores.as_mut())
            .flat_map(|s| &mut s.worst_calls),
    )
}

/// The transcript a report path names: `file` itself, or `file#name` for one of several, named
/// as the pipeline names them (call id, template name, or position).
fn transcript_of<'t>(transcripts: &'t [Transcript], path: &str, file: &str) -> Option<&'t Transcript> {
    let Some(name) = path.strip_prefix(file).and_then(|rest| rest.strip_prefix('#')) else {
        return (transcripts.len() == 1).then(|| &transcripts[0]);
    };
    transcripts.iter().enumerate().find_map(|(i, t)| {
        let own = t
            .metadata
            .get("call_id")
            .or_else(|| t.metadata.get("template"))
            .cloned()
            .unwrap_or_else(|| (i + 1).to_string());
        (own == name).then_some(t)
    })
}

/// The turns around one finding; masked as the redaction says when `known` is given.
fn context(
    transcript: &Transcript,
    finding: &CallFinding,
    known: Option<(&KnownValues, Redaction)>,
) -> Vec<ContextTurn> {
    let turns = &transcript.turns;
    if turns.is_empty() {
        return Vec::new();
    }
    let Some(turn) = finding
        .turn
        .map(|t| t as usize)
        .filter(|t| (1..=turns.len()).contains(t))
    else {
        // Not about a turn (who hung up, a header): the end of the call.
        let from = turns.len().saturating_sub(2);
        return (from..turns.len())
            .map(|i| shown(&turns[i], i, None, false, known))
            .collect();
    };
    let index = turn - 1;
    let mark = mark_range(&turns[index], finding);
    (index.saturating_sub(1)..=(index + 1).min(turns.len() - 1))
        .map(|i| {
            let offending = i == index;
            shown(
                &turns[i],
                i,
                if offending { mark } else { None },
                offending,
                known,
            )
        })
        .collect()
}

/// The byte range of the finding's match in the turn's text, found through the turn's source
/// positions; `None` for something missing or a position the text cannot map back to.
fn mark_range(turn: &Turn, finding: &CallFinding) -> Option<(usize, usize)> {
    finding.matched.as_ref()?;
    let start = Position {
        line: finding.line,
        column: finding.column,
    };
    let end = Position {
        line: finding.end_line,
        column: finding.end_column,
    };
    let boundaries = turn.text.char_indices().map(|(i, _)| i).chain([turn.text.len()]);
    let mut from = None;
    for offset in boundaries {
        let at = turn.position_at(offset);
        match from {
            None if at == start => from = Some(offset),
            Some(s) if at == end && offset > s => return Some((s, offset)),
            _ => {}
        }
    }
    None
}

/// A turn as shown: split around the mark, masked when redacting, long text shortened.
fn shown(
    turn: &Turn,
    index: usize,
    mark: Option<(usize, usize)>,
    offending: bool,
    known: Option<(&KnownValues, Redaction)>,
) -> ContextTurn {
    let text = turn.text.replace(['\n', '\r'], " ");
    let (mut before, mut marked, mut after) = match mark {
        Some((s, e)) if e <= text.len() && text.is_char_boundary(s) && text.is_char_boundary(e) => (
            text[..s].to_string(),
            text[s..e].to_string(),
            text[e..].to_string(),
        ),
        _ => (text.clone(), String::new(), String::new()),
    };
    if let Some((known, mode)) = known {
        // Mask the whole text, so a number across the mark's edge is caught; masking keeps the
        // number of characters except in spoken numbers, where the parts are masked apart.
        let whole = known.mask(&redact(&text, mode)).into_owned();
        let lengths = [before.chars().count(), marked.chars().count()];
        if whole.chars().count() == text.chars().count() {
            let chars: Vec<char> = whole.chars().collect();
            before = chars[..lengths[0]].iter().collect();
            marked = chars[lengths[0]..lengths[0] + lengths[1]].iter().collect();
            after = chars[lengths[0] + lengths[1]..].iter().collect();
        } else {
            before = known.mask(&redact(&before, mode)).into_owned();
            marked = known.mask(&redact(&marked, mode)).into_owned();
            after = known.mask(&redact(&after, mode)).into_owned();
        }
    }
    if marked.is_empty() {
        before = shorten_end(&before, PLAIN);
    } else {
        before = shorten_start(&before, AROUND);
        after = shorten_end(&after, AROUND);
    }
    ContextTurn {
        turn: index as u32 + 1,
        speaker: turn.speaker.label.clone(),
        role: turn.speaker.role.as_str(),
        time: turn.start.map(|t| t.to_string()),
        before,
        mark: marked,
        after,
        offending,
    }
}

/// The last `keep` characters, with "…" before when cut.
fn shorten_start(text: &str, keep: usize) -> String {
    let count = text.chars().count();
    if count <= keep {
        return text.to_string();
    }
    format!("…{}", text.chars().skip(count - keep).collect::<String>())
}

/// The first `keep` characters, with "…" after when cut.
fn shorten_end(text: &str, keep: usize) -> String {
    if text.chars().count() <= keep {
        return text.to_string();
    }
    format!("{}…", text.chars().take(keep).collect::<String>())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::Severity;
    use crate::transcript::{ParseOptions, plain};

    fn finding(turn: Option<u32>, start: (u32, u32), end: (u32, u32), matched: Option<&str>) -> CallFinding {
        CallFinding {
            rule: "r/x".into(),
            severity: Severity::Error,
            message: "m".into(),
            note: None,
            line: start.0,
            column: start.1,
            end_line: end.0,
            end_column: end.1,
            turn,
            matched: matched.map(str::to_string),
            suggestion: None,
            excerpt: None,
            context: Vec::new(),
        }
    }

    const CALL: &str = "客服：您好，这里是顺达快递。\n客户：我的手机号是13800138000。\n客服：你必须先登录，13800138000对吗？\n客户：好的。\n<hangup by=customer>\n";

    #[test]
    fn the_offending_turn_is_marked_between_its_neighbours() {
        let t = plain::parse(CALL, &ParseOptions::default()).unwrap();
        // "你必须" is at line 3, columns 4–7.
        let turns = context(&t, &finding(Some(3), (3, 4), (3, 7), Some("你必须")), None);
        assert_eq!(turns.iter().map(|c| c.turn).collect::<Vec<_>>(), [2, 3, 4]);
        let offending = &turns[1];
        assert!(offending.offending && !turns[0].offending);
        assert_eq!(
            (
                offending.before.as_str(),
                offending.mark.as_str(),
                offending.after.as_str()
            ),
            ("", "你必须", "先登录，13800138000对吗？")
        );
        assert_eq!((offending.speaker.as_str(), offending.role), ("客服", "agent"));
    }

    #[test]
    fn redaction_masks_context_and_keeps_the_mark() {
        let t = plain::parse(CALL, &ParseOptions::default()).unwrap();
        let turns = context(
            &t,
            &finding(Some(3), (3, 4), (3, 7), Some("你必须")),
            Some((&KnownValues::default(), Redaction::Personal)),
        );
        assert_eq!(turns[1].mark, "你必须");
        assert_eq!(turns[1].after, "先登录，*******8000对吗？");
        assert_eq!(turns[0].before, "我的手机号是*******8000。");
    }

    #[test]
    fn missing_things_and_hangups() {
        let t = plain::parse(CALL, &ParseOptions::default()).unwrap();
        let turns = context(&t, &finding(Some(1), (1, 4), (1, 4), None), None);
        assert_eq!(turns.len(), 2, "no turn before the first");
        assert!(turns[0].offending && turns[0].mark.is_empty());
        let turns = context(&t, &finding(None, (5, 1), (5, 1), None), None);
        assert_eq!(turns.iter().map(|c| c.turn).collect::<Vec<_>>(), [3, 4]);
        assert!(turns.iter().all(|c| !c.offending));
    }

    #[test]
    fn long_turns_are_shortened_around_the_mark() {
        let long = format!("Agent: {} you must {}\n", "a".repeat(400), "b".repeat(400));
        let t = plain::parse(&long, &ParseOptions::default()).unwrap();
        let turns = context(&t, &finding(Some(1), (1, 409), (1, 417), Some("you must")), None);
        assert_eq!(turns[0].mark, "you must");
        assert!(turns[0].before.starts_with('…') && turns[0].after.ends_with('…'));
        assert_eq!(turns[0].before.chars().count(), AROUND + 1);
    }

    #[test]
    fn transcripts_are_found_by_name() {
        let jsonl = "{\"call_id\":\"A\",\"turns\":[{\"speaker\":\"agent\",\"text\":\"hi\"}]}\n\
                     {\"call_id\":\"B\",\"turns\":[{\"speaker\":\"agent\",\"text\":\"bye\"}]}\n";
        let format = crate::transcript::format_by_name("jsonl").unwrap();
        let transcripts = (format.parse)(jsonl, &ParseOptions::default()).unwrap();
        let found = transcript_of(&transcripts, "x.jsonl#B", "x.jsonl").unwrap();
        assert_eq!(found.turns[0].text, "bye");
        assert!(transcript_of(&transcripts, "x.jsonl#C", "x.jsonl").is_none());
        assert!(
            transcript_of(&transcripts, "x.jsonl", "x.jsonl").is_none(),
            "ambiguous"
        );
    }
}
