//! The findings of the calls a report lists, quoted and masked, and the turns around them for
//! drill-down: the turn before, the offending turn with the matched text marked, and the turn
//! after.
//!
//! A roll-up keeps no transcript, so once the worst calls are known their files are read and
//! parsed again, through the same [`Pipeline::read`] as the check (encoding, format, metadata),
//! and those calls are checked again ([`Pipeline::check_again`]): only then are their findings
//! quoted and masked, rather than every call's as it is checked. Only those few files are read.
//! A file that has changed or cannot be read again keeps its findings without what may quote
//! the call (note, matched text, source line); standard input, which cannot be read again, is
//! quoted and masked as it is checked and goes without context. With redaction on, the turns
//! are masked like every other text of the report.

use std::collections::{HashMap, HashSet};

use crate::discover::Input;
use crate::finding::FileResult;
use crate::pipeline::{Pipeline, Read, input_file, read_bytes};
use crate::redact::{KnownValues, Redaction, redact, redact_ours};
use crate::transcript::{Position, Transcript, Turn};

use super::model::{Call, CallFinding, ContextTurn, Report};

/// Characters of a context turn shown before and after the marked text.
const AROUND: usize = 120;

/// Characters shown of a turn without a mark.
const PLAIN: usize = 240;

/// Checks every call the report lists again, for its findings quoted and masked as `pipeline`
/// says, and adds the turns around each finding.
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
        // Standard input cannot be read twice: its calls were masked and quoted as they were
        // checked, and go without context.
        if file == "<stdin>" {
            continue;
        }
        let input = input_of(&file);
        let bytes = read_bytes(&input).ok();
        let read = bytes.as_deref().and_then(|bytes| {
            pipeline
                .read(input_file(&input), input.format.or(pipeline.format), bytes)
                .ok()
        });
        // A call listed for the run and for its group is checked again once.
        let mut again = HashMap::new();
        for call in calls_mut(report).filter(|c| c.file == file) {
            let Some(transcript) = refresh(call, read.as_ref(), &mut again, pipeline, redaction) else {
                continue;
            };
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

/// Replaces a listed call's findings with the same findings checked again in `read` (its file
/// read again), quoted and masked; returns the call's transcript. When the call is not found
/// with the same findings (the file changed or could not be read), what the rules read in it is
/// unknown: nothing that may quote it is left (note, matched text, source line), and the rest is
/// masked as any text is.
fn refresh<'r>(
    call: &mut Call,
    read: Option<&'r Read<'_>>,
    again: &mut CheckedAgain,
    pipeline: &Pipeline<'_>,
    redaction: Redaction,
) -> Option<&'r Transcript> {
    if let Some((transcript, findings)) = read.and_then(|read| check_again(pipeline, read, again, call)) {
        call.findings = findings;
        return Some(transcript);
    }
    if redaction.is_on() {
        for finding in &mut call.findings {
            finding.message = redact_ours(&finding.message, redaction).into_owned();
            finding.suggestion = finding
                .suggestion
                .as_deref()
                .map(|s| redact_ours(s, redaction).into_owned());
            (finding.note, finding.matched, finding.excerpt) = (None, None, None);
        }
    }
    None
}

/// The calls of one file checked again, by their position in it.
type CheckedAgain = HashMap<usize, Option<FileResult>>;

/// The call's transcript in `read` and its findings checked again — masked, redacted and quoted
/// as `pipeline` says — when they are the findings the run reported (the file has not changed).
fn check_again<'r>(
    pipeline: &Pipeline<'_>,
    read: &'r Read<'_>,
    checked: &mut CheckedAgain,
    call: &Call,
) -> Option<(&'r Transcript, Vec<CallFinding>)> {
    // Calls sharing a call id share a name: the one whose findings are the call's is the call.
    transcripts_named(&read.transcripts, &call.path, &call.file).find_map(|(index, transcript)| {
        let result = checked
            .entry(index)
            .or_insert_with(|| pipeline.check_again(&call.file, read, index));
        let Some(FileResult::Checked(again)) = result else {
            return None;
        };
        let findings: Vec<CallFinding> = again
            .findings
            .iter()
            .take(call.findings.len())
            .map(CallFinding::of)
            .collect();
        let same = again.findings.len() == call.findings_total
            && findings.iter().zip(&call.findings).all(|(a, b)| {
                (&a.rule, a.line, a.column, a.end_line, a.end_column)
                    == (&b.rule, b.line, b.column, b.end_line, b.end_column)
            })
            && findings.len() == call.findings.len();
        same.then_some((transcript, findings))
    })
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

/// The transcripts a report path names, with their positions in the file: `file` itself, or
/// `file#name` for one of several, named as the pipeline names them (call id, template name, or
/// position); more than one when calls of a file share a call id.
fn transcripts_named<'t>(
    transcripts: &'t [Transcript],
    path: &str,
    file: &str,
) -> impl Iterator<Item = (usize, &'t Transcript)> {
    let name = path.strip_prefix(file).and_then(|rest| rest.strip_prefix('#'));
    let whole = name.is_none() && transcripts.len() == 1;
    transcripts.iter().enumerate().filter(move |(i, t)| {
        let Some(name) = name else {
            return whole;
        };
        let own = t
            .metadata
            .get("call_id")
            .or_else(|| t.metadata.get("template"))
            .cloned()
            .unwrap_or_else(|| (i + 1).to_string());
        own == name
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
                     {\"call_id\":\"B\",\"turns\":[{\"speaker\":\"agent\",\"text\":\"bye\"}]}\n\
                     {\"call_id\":\"B\",\"turns\":[{\"speaker\":\"agent\",\"text\":\"again\"}]}\n";
        let format = crate::transcript::format_by_name("jsonl").unwrap();
        let transcripts = (format.parse)(jsonl, &ParseOptions::default()).unwrap();
        let texts = |path| -> Vec<&str> {
            transcripts_named(&transcripts, path, "x.jsonl")
                .map(|(_, t)| t.turns[0].text.as_str())
                .collect()
        };
        assert_eq!(texts("x.jsonl#A"), ["hi"]);
        assert_eq!(
            texts("x.jsonl#B"),
            ["bye", "again"],
            "a shared call id names both"
        );
        assert!(texts("x.jsonl#C").is_empty());
        assert!(texts("x.jsonl").is_empty(), "one of several, unnamed");
    }

    #[test]
    fn a_call_not_found_again_keeps_nothing_that_may_quote_it() {
        let mut found = finding(Some(2), (2, 1), (2, 9), Some("VIP-AB12C"));
        found.message = "read back 13912345678".into();
        found.note = Some("the customer said VIP-AB12C".into());
        found.excerpt = Some("Agent: VIP-AB12C".into());
        let mut call = Call {
            path: "gone.txt".into(),
            file: "gone.txt".into(),
            metadata: Default::default(),
            score: 50.0,
            passed: false,
            auto_fail: false,
            lost: Vec::new(),
            sections: Vec::new(),
            findings: vec![found],
            findings_total: 1,
        };
        let (rules, _) = crate::rulebook::RuleSet::from_text("t.toml", "[rulebook]\nid = \"t\"\n").unwrap();
        let engine = crate::engine::Engine::new(rules);
        let pipeline = Pipeline::new(&engine, crate::pipeline::InputOptions::plain());
        let mut unmasked = call.clone();
        assert!(
            refresh(
                &mut unmasked,
                None,
                &mut HashMap::new(),
                &pipeline,
                Redaction::None
            )
            .is_none()
        );
        assert_eq!(unmasked, call, "nothing to mask without redaction");
        assert!(
            refresh(
                &mut call,
                None,
                &mut HashMap::new(),
                &pipeline,
                Redaction::Personal
            )
            .is_none()
        );
        let f = &call.findings[0];
        assert_eq!(f.message, "read back *******5678");
        assert_eq!((&f.note, &f.matched, &f.excerpt), (&None, &None, &None));
    }
}
