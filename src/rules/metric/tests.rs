//! `[[metric]]` rules on small transcripts: each measure, its bounds and its data needs.

use crate::engine::{Engine, Verdict};
use crate::matcher::Scratch;
use crate::rulebook::RuleSet;
use crate::transcript::{ParseOptions, TranscriptKind, plain};

fn rulebook(rule: &str) -> RuleSet {
    let book = format!("[rulebook]\nid = \"t\"\n[[metric]]\nid = \"m\"\n{rule}");
    RuleSet::from_text("t.toml", &book)
        .unwrap_or_else(|e| panic!("{e}"))
        .0
}

fn check(rule: &str, text: &str) -> Verdict {
    let transcript = plain::parse(text, &ParseOptions::default()).unwrap();
    Engine::new(rulebook(rule)).check(&transcript, &mut Scratch::default())
}

fn messages(v: &Verdict) -> Vec<&str> {
    v.findings.iter().map(|f| f.message.as_str()).collect()
}

fn not_applicable(v: &Verdict) -> &str {
    v.not_applicable
        .first()
        .map(|n| n.reason.as_str())
        .unwrap_or_else(|| panic!("applicable: {v:?}"))
}

const RATE: &str = "metric = \"speech_rate\"\nmin = 100\nmax = 150\n";

// 20 CJK characters.
const TWENTY: &str = "您好这里是顺达快递客服中心请问有什么可以";

#[test]
fn speech_rate_over_the_call() {
    // 40 characters in 20 s = 120 per minute.
    let ok = check(RATE, &format!("[00:00:00-00:00:20] 客服：{TWENTY}{TWENTY}\n"));
    assert!(ok.findings.is_empty() && ok.not_applicable.is_empty(), "{ok:?}");
    // 40 characters in 12 s = 200 per minute.
    let fast = check(
        RATE,
        &format!(
            "[00:00:00-00:00:06] 客服：{TWENTY}\n[00:00:06-00:00:07] 客户：嗯\n[00:00:07-00:00:13] 客服：{TWENTY}\n"
        ),
    );
    assert_eq!(
        messages(&fast),
        ["speech rate out of bounds (measured 200 characters/min; maximum 150 characters/min)"]
    );
    assert_eq!(fast.findings[0].turn, Some(1));
    assert_eq!(
        fast.findings[0].note.as_deref(),
        Some("40 characters in 12 s of talk time over 2 turns")
    );
    // 40 characters in 40 s = 60 per minute.
    let slow = check(RATE, &format!("[00:00:00-00:00:40] 客服：{TWENTY}{TWENTY}\n"));
    assert!(messages(&slow)[0].contains("measured 60 characters/min; minimum 100"));
    // "Mhm. Okay? Bye." over 20 s is not a pace.
    let little = check(RATE, "[00:00:00-00:00:20] Agent: Mhm. Okay? Bye.\n");
    assert!(little.findings.is_empty());
    assert!(
        not_applicable(&little).contains("says too little to measure a pace (3 words)"),
        "{little:?}"
    );
}

#[test]
fn speech_rate_counts_pauses_between_a_speakers_segments() {
    // Two segments of one turn split at a 2 s pause: 40 characters in 14 s = 171 per minute,
    // not 40 in 12 s = 200.
    let rule = "metric = \"speech_rate\"\nmax = 180\n";
    let v = check(
        rule,
        &format!("[00:00:00-00:00:06] 客服：{TWENTY}\n[00:00:08-00:00:14] 客服：{TWENTY}\n"),
    );
    assert!(v.findings.is_empty(), "{v:?}");
    // A pause of 3 s or more (a hold, looking something up) is not speech: 40 in 12 s = 200.
    let held = check(
        rule,
        &format!("[00:00:00-00:00:06] 客服：{TWENTY}\n[00:00:10-00:00:16] 客服：{TWENTY}\n"),
    );
    assert!(
        messages(&held)[0].contains("measured 200 characters/min"),
        "{held:?}"
    );
}

#[test]
fn speech_rate_counts_english_words() {
    let words = "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen \
                 sixteen seventeen eighteen nineteen twenty";
    let v = check(
        "metric = \"speech_rate\"\nmax = 100\n",
        &format!("[00:00:00-00:00:20] Agent: {words} {words}\n"),
    );
    assert!(
        messages(&v)[0].contains("measured 120 words/min; maximum 100 words/min"),
        "{v:?}"
    );
}

#[test]
fn speech_rate_needs_end_times() {
    let v = check(RATE, &format!("[00:00:00] 客服：{TWENTY}\n[00:00:10] 客户：好\n"));
    assert!(not_applicable(&v).contains("end times"));
    let v = check(RATE, &format!("[00:00:00-00:00:04] 客服：{TWENTY}\n"));
    assert!(not_applicable(&v).contains("only 4 s of talk time"));
}

#[test]
fn speech_rate_per_turn_skips_short_turns() {
    let rule = "metric = \"speech_rate\"\nmax = 150\nper = \"turn\"\n";
    let v = check(
        rule,
        &format!(
            "[00:00:00-00:00:01] 客服：好的好的好的\n[00:00:02-00:00:06] 客服：{TWENTY}\n[00:00:07-00:00:17] 客服：{TWENTY}\n"
        ),
    );
    // Turn 1 is too short to measure; turn 2 is 300 per minute; turn 3 is 120.
    assert_eq!(v.findings.len(), 1);
    assert_eq!(v.findings[0].turn, Some(2));
    assert!(messages(&v)[0].contains("measured 300 characters/min"));
}

const INTERRUPTIONS: &str = "metric = \"interruptions\"\nmax = 0\n";

#[test]
fn interruptions_start_before_the_other_party_ends() {
    let v = check(
        INTERRUPTIONS,
        "[00:00:00-00:00:05] 客户：我的快递三天了还没到\n[00:00:03-00:00:06] 客服：您的单号是多少\n\
         [00:00:07-00:00:09] 客户：SD123\n[00:00:10-00:00:12] 客服：好的\n",
    );
    assert_eq!(v.findings.len(), 1);
    let f = &v.findings[0];
    assert_eq!(f.turn, Some(2));
    assert!(f.message.contains("measured 1 interruption; maximum 0"), "{f:?}");
    assert_eq!(
        f.note.as_deref(),
        Some("turn 2 started at 00:00:03, 2 s before the customer's turn 1 ended at 00:00:05")
    );
    // Half a second of overlap is turn-taking (and timestamp noise), not an interruption.
    let overlap = check(
        INTERRUPTIONS,
        "[00:00:00-00:00:05.500] 客户：我的快递三天了还没到\n[00:00:05-00:00:08] 客服：您的单号是多少\n",
    );
    assert!(overlap.findings.is_empty(), "{overlap:?}");
    let allowed = check(
        "metric = \"interruptions\"\nmax = 1\n",
        "[00:00:00-00:00:05] 客户：我的快递\n[00:00:03-00:00:06] 客服：单号\n",
    );
    assert!(allowed.findings.is_empty());
}

#[test]
fn interruptions_need_end_times() {
    let v = check(INTERRUPTIONS, "[00:00:00] 客户：喂\n[00:00:01] 客服：您好\n");
    assert!(not_applicable(&v).contains("end times"));
}

#[test]
fn talk_share_by_time_or_by_characters() {
    let rule = "metric = \"talk_share\"\nmax = 70\n";
    let timed = check(
        rule,
        "[00:00:00-00:00:08] 客服：好\n[00:00:08-00:00:10] 客户：好\n",
    );
    assert!(
        messages(&timed)[0].contains("measured 80%; maximum 70% of talk time"),
        "{timed:?}"
    );
    let untimed = check(rule, "客服：一二三四五六七八九\n客户：好\n");
    assert!(messages(&untimed)[0].contains("measured 90%; maximum 70% of characters and words"));
    let fine = check(rule, "客服：一二三\n客户：一二三\n");
    assert!(fine.findings.is_empty());
    let monologue = check(rule, "客服：一二三四五六七八九\n客服：十\n");
    assert!(monologue.findings.is_empty());
    assert!(
        not_applicable(&monologue).contains("only the agent speaks"),
        "{monologue:?}"
    );
}

#[test]
fn silence_between_turns() {
    let rule = "metric = \"silence\"\nmax = 10\n";
    let v = check(
        rule,
        "[00:00:00-00:00:05] 客服：请稍等\n[00:00:40-00:00:42] 客服：让您久等了\n[00:00:45-00:00:47] 客户：好\n",
    );
    assert_eq!(v.findings.len(), 1);
    assert!(v.findings[0].message.contains("measured 35 s; maximum 10 s"));
    assert_eq!(
        v.findings[0].note.as_deref(),
        Some("no one spoke from 00:00:05 to 00:00:40")
    );
    let v = check(rule, "[00:00:00] 客服：请稍等\n[00:00:40] 客服：好了\n");
    assert!(not_applicable(&v).contains("end times"));
}

#[test]
fn response_time_in_chat() {
    let rule = "metric = \"response_time\"\nmax = 60\n";
    let v = check(
        rule,
        "[00:00:00] Customer: hi\n[00:00:20] Agent: hello\n[00:01:00] Customer: my order?\n\
         [00:01:05] Customer: hello??\n[00:03:00] Agent: sorry, checking\n",
    );
    assert_eq!(v.findings.len(), 1);
    let f = &v.findings[0];
    assert_eq!(f.turn, Some(5));
    assert!(f.message.contains("measured 115 s; maximum 60 s"), "{f:?}");
    assert!(f.note.as_deref().unwrap().contains("turn 4 was sent at 00:01:05"));
    let v = check(rule, "Customer: hi\nAgent: hello\n");
    assert!(not_applicable(&v).contains("timestamps"));
}

#[test]
fn turn_length_counts_characters_and_words() {
    let v = check(
        "metric = \"turn_length\"\nmax = 5\n",
        "客服：一二三四五六\nAgent: one two three four five\nAgent: one two three four five six\n",
    );
    let turns: Vec<Option<u32>> = v.findings.iter().map(|f| f.turn).collect();
    assert_eq!(turns, [Some(1), Some(3)]);
    assert!(
        v.findings[0]
            .message
            .contains("measured 6 characters; maximum 5 characters")
    );
    assert!(
        v.findings[1]
            .message
            .contains("measured 6 words; maximum 5 words")
    );
}

#[test]
fn occurrences_above_max_and_below_min() {
    let rule = "metric = \"occurrences\"\nphrases = [\"好评\", \"five-star\"]\nmax = 1\n";
    let v = check(
        rule,
        "客服：麻烦给个好评。\n客户：好。\n客服：记得好评哦，五星好评！\n",
    );
    let matched: Vec<&str> = v.findings.iter().filter_map(|f| f.matched.as_deref()).collect();
    assert_eq!(matched, ["好评", "好评"], "every occurrence beyond the first");
    assert!(v.findings[0].message.contains("said 3 times; maximum 1"));
    let rule = "metric = \"occurrences\"\nphrases = [\"嗯\", \"好的\"]\nmin = 1\n";
    let v = check(rule, "客户：我的快递没到。\n客服：单号多少？\n");
    assert!(v.findings[0].message.contains("said 0 times; minimum 1"), "{v:?}");
    assert_eq!(v.findings[0].matched, None);
}

#[test]
fn templates_keep_textual_metrics_only() {
    let template = |rule: &str| {
        let mut transcript = plain::parse(
            "[00:00:00-00:00:02] 客服：一二三四五六七八九十\n",
            &ParseOptions::default(),
        )
        .unwrap();
        transcript.kind = TranscriptKind::Template;
        Engine::new(rulebook(rule)).check(&transcript, &mut Scratch::default())
    };
    assert_eq!(template("metric = \"turn_length\"\nmax = 5\n").findings.len(), 1);
    assert!(not_applicable(&template(RATE)).contains("templates"));
}

#[test]
fn invalid_tables_are_rejected_with_locations() {
    let errors = |rule: &str| {
        RuleSet::from_text(
            "t.toml",
            &format!("[rulebook]\nid = \"t\"\n[[metric]]\nid = \"m\"\n{rule}"),
        )
        .unwrap_err()
        .to_string()
    };
    let e = errors("metric = \"silence\"\nmin = 3\n");
    assert!(
        e.contains("t.toml:6:7: [[metric]] \"m\" › min: `min` does not apply"),
        "{e}"
    );
    let e = errors("metric = \"talk_share\"\nmax = 170\n");
    assert!(e.contains("a percentage from 0 to 100"), "{e}");
    let e = errors("metric = \"speech_rate\"\n");
    assert!(e.contains("a speech_rate metric needs `min` or `max`"), "{e}");
    let e = errors("metric = \"speech_rate\"\nmin = 150\nmax = 100\n");
    assert!(e.contains("`max` = 100 is below `min` = 150"), "{e}");
    let e = errors("metric = \"turn_length\"\nmax = 5\nphrases = [\"x\"]\n");
    assert!(e.contains("`phrases` does not apply"), "{e}");
    let e = errors("metric = \"speach_rate\"\nmax = 5\n");
    assert!(e.contains("did you mean `speech_rate`?"), "{e}");
}
