//! `[[conditional]]` rules on small transcripts: triggers, windows, metadata, not-applicable.

use crate::engine::{Engine, Verdict};
use crate::finding::Finding;
use crate::matcher::Scratch;
use crate::rulebook::RuleSet;
use crate::transcript::{ParseOptions, Position, TranscriptKind, plain};

fn check(rules: &str, text: &str) -> Verdict {
    let book = format!("[rulebook]\nid = \"t\"\n{rules}");
    let (set, _) = RuleSet::from_text("t.toml", &book).unwrap_or_else(|e| panic!("{e}"));
    let transcript = plain::parse(text, &ParseOptions::default()).unwrap();
    Engine::new(set).check(&transcript, &mut Scratch::default())
}

fn not_applicable(v: &Verdict) -> Option<&str> {
    v.not_applicable.first().map(|n| n.reason.as_str())
}

fn only(v: &Verdict) -> &Finding {
    assert_eq!(v.findings.len(), 1, "{:#?}", v.findings);
    &v.findings[0]
}

const THANK: &str = r#"
[[conditional]]
id = "thank"
when = { phrases = ["投诉", "complaint"] }
then = { phrases = ["感谢", "thank you"], within_turns = 2 }
"#;

#[test]
fn then_must_follow_the_trigger() {
    let ok = check(THANK, "客户：我要投诉。\n客服：好的。\n客服：感谢您的反馈。\n");
    assert!(ok.findings.is_empty() && ok.not_applicable.is_empty(), "{ok:?}");
    let late = check(
        THANK,
        "客户：我要投诉。\n客服：请稍等。\n客户：嗯。\n客服：请说。\n客户：好。\n客服：感谢您的反馈。\n",
    );
    let f = only(&late);
    assert_eq!(f.matched.as_deref(), Some("投诉"));
    assert_eq!(f.start, Position { line: 1, column: 6 });
    assert_eq!(f.turn, Some(1));
    let note = f.note.as_deref().unwrap();
    assert!(note.contains("the customer said \"投诉\" in turn 1"), "{note}");
    assert!(note.contains("searched turns 2 and 4"), "{note}");
}

#[test]
fn the_trigger_never_occurring_is_not_applicable() {
    let v = check(THANK, "客户：我的快递到哪了？\n客服：明天到。\n");
    assert!(v.findings.is_empty());
    assert!(
        not_applicable(&v).unwrap().contains("the trigger never occurs"),
        "{v:?}"
    );
    // The agent saying the trigger word does not trigger a customer rule.
    let v = check(THANK, "客服：投诉请拨打另一个号码。\n客户：好。\n");
    assert!(not_applicable(&v).is_some());
}

#[test]
fn repeated_triggers_inside_a_reported_window_are_one_finding() {
    let v = check(
        THANK,
        "客户：我要投诉。\n客服：说吧。\n客户：我就是要投诉你们。\n客服：好。\n",
    );
    assert_eq!(v.findings.len(), 1, "{:#?}", v.findings);
}

#[test]
fn same_speaker_within_zero_turns_searches_the_trigger_turn() {
    let rules = r#"
[[conditional]]
id = "absent"
when = { speaker = "agent", phrases = ["不在"] }
then = { speaker = "agent", phrases = ["留言", "转告"], within_turns = 0 }
"#;
    let ok = check(rules, "客户：找王经理。\n客服：他不在，需要我帮您转告吗？\n");
    assert!(ok.findings.is_empty(), "{ok:?}");
    let bad = check(
        rules,
        "客户：找王经理。\n客服：他不在。\n客户：哦。\n客服：您可以留言。\n",
    );
    assert_eq!(only(&bad).matched.as_deref(), Some("不在"));
    // Consecutive agent turns are one utterance: the offer in the next turn is "the same turn".
    let split = check(rules, "客户：找王经理。\n客服：他不在。\n客服：您可以留言。\n");
    assert!(split.findings.is_empty(), "{split:?}");
}

#[test]
fn turns_are_counted_as_utterances_and_fillers_do_not_use_up_a_window() {
    // The recogniser split the agent's answer in two ("我看一下" / "我记一下"), and "嗯" is a
    // back-channel: thanks is in the second counted utterance, within 2.
    let v = check(
        THANK,
        "客户：我要投诉。\n客服：我看一下。\n客服：我记一下。\n客户：快点。\n客服：嗯。\n客户：好。\n\
         客服：感谢您的反馈。\n",
    );
    assert!(v.findings.is_empty(), "{:#?}", v.findings);
    // Two answers with content before the thanks: it comes third.
    let v = check(
        THANK,
        "客户：我要投诉。\n客服：我看一下。\n客户：快点。\n客服：您稍等。\n客户：好。\n\
         客服：感谢您的反馈。\n",
    );
    assert_eq!(v.findings.len(), 1, "{:#?}", v.findings);
}

#[test]
fn within_seconds_needs_timestamps() {
    let rules = r#"
[[conditional]]
id = "hear"
when = { phrases = ["听不清"] }
then = { phrases = ["听得清"], within_seconds = 20 }
"#;
    let ok = check(
        rules,
        "[00:00:10] 客户：我听不清。\n[00:00:15] 客服：喂？\n[00:00:25] 客服：现在听得清吗？\n",
    );
    assert!(ok.findings.is_empty(), "{ok:?}");
    let late = check(
        rules,
        "[00:00:10] 客户：我听不清。\n[00:00:15] 客服：喂？\n[00:00:45] 客服：现在听得清吗？\n",
    );
    assert_eq!(late.findings.len(), 1);
    let untimed = check(rules, "客户：我听不清。\n客服：现在听得清吗？\n");
    assert!(not_applicable(&untimed).unwrap().contains("timestamps"));
}

const RINGS: &str = r#"
[[conditional]]
id = "ring"
when = { metadata = "rings", gt = 3 }
then = { phrases = ["抱歉", "sorry"] }
"#;

#[test]
fn metadata_trigger_looks_from_the_start_of_the_call() {
    let ok = check(RINGS, "# rings: 5\n客户：喂？\n客服：抱歉久等了，这里是ACME。\n");
    assert!(ok.findings.is_empty() && ok.not_applicable.is_empty(), "{ok:?}");
    let bad = check(
        RINGS,
        "# rings: 5\n客户：喂？\n客服：这里是ACME。\n客户：喂？\n客服：抱歉。\n",
    );
    let f = only(&bad);
    assert_eq!(f.turn, Some(2), "at the agent's first turn");
    assert_eq!(f.matched, None);
    assert!(
        f.note.as_deref().unwrap().starts_with("rings is 5 (> 3)"),
        "{f:?}"
    );
}

#[test]
fn metadata_condition_not_met_or_missing_is_not_applicable() {
    let v = check(RINGS, "# rings: 2\n客服：这里是ACME。\n");
    assert!(
        not_applicable(&v).unwrap().contains("rings is 2, not > 3"),
        "{v:?}"
    );
    let v = check(RINGS, "客服：这里是ACME。\n");
    assert!(not_applicable(&v).unwrap().contains("no `rings` metadata"));
    let v = check(RINGS, "# rings: many\n客服：这里是ACME。\n");
    assert!(not_applicable(&v).unwrap().contains("not a number"));
}

#[test]
fn metadata_comparisons_with_numbers_and_strings() {
    let rules = r#"
[[conditional]]
id = "follow-up"
when = { metadata = "call_type", eq = "Follow-Up" }
then = { phrases = ["方便"] }

[[conditional]]
id = "band"
when = { metadata = "rings", ge = 4, le = 6 }
then = { phrases = ["抱歉"] }
"#;
    let v = check(rules, "# call_type: follow-up\n# rings: 6\n客服：你好。\n");
    let rules_hit: Vec<&str> = v.findings.iter().map(|f| f.rule.as_str()).collect();
    assert_eq!(rules_hit, ["t/band", "t/follow-up"]);
    let v = check(rules, "# call_type: inbound\n# rings: 7\n客服：你好。\n");
    assert!(v.findings.is_empty());
    assert_eq!(v.not_applicable.len(), 2);
}

#[test]
fn then_not_reports_each_forbidden_response() {
    let rules = r#"
[[conditional]]
id = "no-arguing"
when = { phrases = ["投诉"] }
then_not = { phrases = ["又不是我", "不是我们的问题"] }
"#;
    let v = check(
        rules,
        "客服：又不是我的错。\n客户：我要投诉。\n客服：又不是我送丢的。\n客户：我还要投诉！\n客服：这不是我们的问题。\n",
    );
    let matched: Vec<&str> = v.findings.iter().filter_map(|f| f.matched.as_deref()).collect();
    assert_eq!(
        matched,
        ["又不是我", "不是我们的问题"],
        "before the trigger is fine; no duplicates"
    );
}

#[test]
fn before_must_come_first() {
    let rules = r#"
[[conditional]]
id = "verify"
when = { speaker = "agent", phrases = ["地址是"] }
before = { phrases = ["核实", "身份"] }
"#;
    let ok = check(
        rules,
        "客服：先核实一下您的身份。\n客户：好。\n客服：您的地址是XX路1号。\n",
    );
    assert!(ok.findings.is_empty(), "{ok:?}");
    let bad = check(
        rules,
        "客服：您的地址是XX路1号。\n客户：对。\n客服：收货地址是XX路1号。\n客服：核实一下身份。\n",
    );
    let f = only(&bad);
    assert_eq!(f.turn, Some(1), "one finding for the first disclosure");
    assert!(f.note.as_deref().unwrap().contains("before it"));
    // In the same turn, only wording before the trigger counts.
    let same = check(rules, "客服：您的地址是XX路1号，我核实一下身份。\n");
    assert_eq!(same.findings.len(), 1);
}

#[test]
fn templates_are_not_applicable() {
    let (set, _) = RuleSet::from_text("t.toml", &format!("[rulebook]\nid = \"t\"\n{THANK}")).unwrap();
    let mut transcript = plain::parse("客户：我要投诉。\n", &ParseOptions::default()).unwrap();
    transcript.kind = TranscriptKind::Template;
    let v = Engine::new(set).check(&transcript, &mut Scratch::default());
    assert!(not_applicable(&v).unwrap().contains("templates"));
}

#[test]
fn invalid_tables_are_rejected_with_locations() {
    let errors = |rules: &str| {
        RuleSet::from_text("t.toml", &format!("[rulebook]\nid = \"t\"\n{rules}"))
            .unwrap_err()
            .to_string()
    };
    let e = errors("[[conditional]]\nid = \"x\"\nwhen = { phrases = [\"a\"] }\n");
    assert!(
        e.contains("t.toml:4:6: [[conditional]] \"x\" › id: a [[conditional]] rule needs `then`"),
        "{e}"
    );
    let e = errors(
        "[[conditional]]\nid = \"x\"\nwhen = { metadata = \"rings\" }\nthen = { phrases = [\"a\"] }\n",
    );
    assert!(
        e.contains("t.toml:5:21") && e.contains("has no comparison"),
        "{e}"
    );
    let e = errors(
        "[[conditional]]\nid = \"x\"\nwhen = { metadata = \"rings\", gt = [1] }\nthen = { phrases = [\"a\"] }\n",
    );
    assert!(e.contains("cannot compare metadata with array"), "{e}");
    let e = errors(
        "[[conditional]]\nid = \"x\"\nwhen = { metadata = \"rings\", gt = 3 }\nbefore = { phrases = [\"a\"] }\n",
    );
    assert!(e.contains("`before` needs a trigger in the conversation"), "{e}");
    let e = errors(
        "[[conditional]]\nid = \"x\"\nwhen = { metadata = \"rings\", gt = 3 }\naround = { phrases = [\"a\"] }\n",
    );
    assert!(e.contains("`around` needs a trigger in the conversation"), "{e}");
    let e = errors(
        "[[conditional]]\nid = \"x\"\nwhen = { phrases = [\"投诉\"], in_list = \"nope\" }\nthen = { phrases = [\"a\"] }\n",
    );
    assert!(e.contains("`in_list` needs `metadata`"), "{e}");
    let e = errors(
        "[[conditional]]\nid = \"x\"\nwhen = { phrases = [\"a\"] }\nthen = { phrases = [\"b\"], within_turns = 0 }\n",
    );
    assert!(
        e.contains("within_turns = 0 only searches the triggering turn"),
        "{e}"
    );
    let e =
        errors("[[conditional]]\nid = \"x\"\nwhen = { phrases = [\"a\"] }\nthen = { phrasez = [\"b\"] }\n");
    assert!(
        e.contains("unknown key `phrasez`") && e.contains("did you mean `phrases`?"),
        "{e}"
    );
}

const LONG_TURN: &str = r#"
[[conditional]]
id = "ack"
when = { speaker = "customer", min_length = 10 }
then = { speaker = "agent", phrases = ["嗯", "明白", "I see"], within_turns = 1 }
"#;

#[test]
fn a_long_turn_triggers_and_is_reported_at_the_turn() {
    let ok = check(
        LONG_TURN,
        "客户：我的快递三天了还没到很着急。\n客服：明白，我帮您查。\n",
    );
    assert!(ok.findings.is_empty() && ok.not_applicable.is_empty(), "{ok:?}");
    let missed = check(
        LONG_TURN,
        "客户：我的快递三天了还没到很着急。\n客服：单号多少？\n",
    );
    let f = only(&missed);
    assert_eq!(f.turn, Some(1));
    assert_eq!(
        f.matched, None,
        "the whole turn is the trigger: nothing is quoted"
    );
    assert_eq!(f.start, Position { line: 1, column: 4 });
    assert!(
        f.note
            .as_deref()
            .unwrap()
            .starts_with("the customer spoke at length (13 characters) in turn 1"),
        "{:?}",
        f.note
    );
    // English words count as units too.
    let english = check(
        LONG_TURN,
        "Customer: my parcel has been stuck in the depot for three whole days now\nAgent: What's the order number?\n",
    );
    assert!(only(&english).note.as_deref().unwrap().contains("(13 words)"));
    let short = check(LONG_TURN, "客户：我的快递呢？\n客服：单号多少？\n");
    assert!(short.findings.is_empty());
    assert!(
        not_applicable(&short)
            .unwrap()
            .contains("never speaks 10 characters or words")
    );
}

#[test]
fn min_length_errors_are_located() {
    let e = RuleSet::from_text(
        "t.toml",
        "[rulebook]\nid = \"t\"\n[[conditional]]\nid = \"x\"\nwhen = { min_length = 10, phrases = [\"a\"] }\nthen = { phrases = [\"b\"] }\n",
    )
    .unwrap_err()
    .to_string();
    assert!(
        e.contains("t.toml:5:23") && e.contains("`when` takes either `min_length` or `phrases`/`patterns`"),
        "{e}"
    );
    let e = RuleSet::from_text(
        "t.toml",
        "[rulebook]\nid = \"t\"\n[[conditional]]\nid = \"x\"\nwhen = { min_length = 0 }\nthen = { phrases = [\"b\"] }\n",
    )
    .unwrap_err()
    .to_string();
    assert!(e.contains("`min_length` must be at least 1"), "{e}");
}

#[test]
fn around_another_speakers_trigger_searches_the_turns_next_to_it_by_default() {
    let rule = "[[conditional]]\nid = \"a\"\nwhen = { speaker = \"customer\", phrases = [\"投诉\"] }\naround = { speaker = \"agent\", phrases = [\"抱歉\"] }\n";
    let kept = check(rule, "客户：我要投诉。\n客服：非常抱歉。\n");
    assert!(
        kept.findings.is_empty() && kept.not_applicable.is_empty(),
        "{kept:?}"
    );
    let broken = check(rule, "客户：我要投诉。\n客服：请说。\n");
    assert_eq!(only(&broken).start.line, 1);
}
