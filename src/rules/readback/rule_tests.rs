//! `[[readback]]` rules on small transcripts: windows, repeats, wrong read-backs, masks and
//! the cases where a rule does not apply.

use proptest::prelude::*;

use crate::engine::{Engine, Verdict};
use crate::finding::Finding;
use crate::matcher::Scratch;
use crate::rulebook::RuleSet;
use crate::transcript::{ParseOptions, Position, Role, TranscriptKind, plain};

fn check(rule: &str, text: &str) -> Verdict {
    let book = format!("[rulebook]\nid = \"t\"\n[[readback]]\nid = \"r\"\n{rule}");
    let (set, _) = RuleSet::from_text("t.toml", &book).unwrap_or_else(|e| panic!("{e}"));
    let transcript = plain::parse(text, &ParseOptions::default()).unwrap();
    Engine::new(set).check(&transcript, &mut Scratch::default())
}

fn only(v: &Verdict) -> &Finding {
    assert_eq!(v.findings.len(), 1, "{:#?}", v.findings);
    &v.findings[0]
}

fn clean(v: &Verdict) {
    assert!(v.findings.is_empty(), "{:#?}", v.findings);
    assert!(v.not_applicable.is_empty(), "{:?}", v.not_applicable);
}

fn not_applicable(v: &Verdict) -> &str {
    assert!(v.findings.is_empty(), "{:#?}", v.findings);
    v.not_applicable
        .first()
        .map(|n| n.reason.as_str())
        .unwrap_or_else(|| panic!("applicable: {v:?}"))
}

const DIGITS: &str = "entity = \"digits\"\n";

#[test]
fn a_number_read_back_in_another_form_passes() {
    clean(&check(
        DIGITS,
        "客户：我的电话是13800138000。\n客服：好的，幺三八 零零幺三 八零零零，对吗？\n",
    ));
    clean(&check(
        DIGITS,
        "Customer: it's 138-0013-8000\nAgent: one three eight, double oh one three, eight triple oh?\n",
    ));
}

#[test]
fn a_missing_read_back_points_at_the_customers_value() {
    let v = check(
        DIGITS,
        "客服：您好。\n客户：订单号是 2026 1122 0387。\n客服：好的。\n客服：请稍等。\n",
    );
    let f = only(&v);
    assert_eq!(f.matched.as_deref(), Some("2026 1122 0387"));
    assert_eq!(f.start, Position { line: 2, column: 9 });
    assert_eq!((f.turn, f.speaker), (Some(2), Some(Role::Customer)));
    assert_eq!(f.message, "the customer's number 202611220387 was not read back");
    assert_eq!(
        f.note.as_deref(),
        Some("the customer gave 202611220387 in turn 2; the agent did not restate it in turns 3 and 4")
    );
}

#[test]
fn a_wrong_read_back_is_its_own_finding_at_the_agents_words() {
    let v = check(
        DIGITS,
        "客户：我的电话是13800138000。\n客服：13800138001，对吗？\n客户：对。\n",
    );
    let f = only(&v);
    assert_eq!(f.message, "read back 13800138001, customer said 13800138000");
    assert_eq!((f.turn, f.speaker), (Some(2), Some(Role::Agent)));
    assert_eq!(f.matched.as_deref(), Some("13800138001"));
    // Corrected within the window: the process worked.
    clean(&check(
        DIGITS,
        "客户：我的电话是13800138000。\n客服：13800138001？\n客户：不对，是13800138000。\n客服：13800138000，好的。\n",
    ));
}

#[test]
fn the_window_counts_the_agents_turns() {
    let call = "Customer: my order is 55512345\nAgent: ok\nCustomer: yes\nAgent: hm\nAgent: so 55512345\n";
    clean(&check("entity = \"digits\"\nwithin_turns = 3\n", call));
    let v = check("entity = \"digits\"\nwithin_turns = 2\n", call);
    assert!(only(&v).note.as_deref().unwrap().ends_with("turns 2 and 4"));
}

#[test]
fn a_value_repeated_on_request_counts_once() {
    let call = "Customer: it's 55512345\nAgent: sorry, could you repeat that?\nCustomer: 5 5 5 1 2 3 4 5\n\
                Agent: thanks, 55512345\n";
    // The window runs from the last time the customer gave it.
    clean(&check("entity = \"digits\"\nwithin_turns = 1\n", call));
    let never = "Customer: it's 55512345\nAgent: sorry?\nCustomer: 55512345\nAgent: ok\n";
    let v = check(DIGITS, never);
    let f = only(&v);
    assert!(
        f.note
            .as_deref()
            .unwrap()
            .contains("in turn 1 (and again in turn 3)"),
        "{f:?}"
    );
}

#[test]
fn a_value_the_agent_said_first_and_the_customer_confirmed_is_read_back() {
    clean(&check(
        DIGITS,
        "客服：您的电话是13800138000吗？\n客户：对，13800138000。\n客服：好的。\n",
    ));
}

#[test]
fn partial_read_back_counts_only_when_accepted() {
    let call = "Customer: my card number is 4111 1111 1111 4417\nAgent: the card ending 4417, thank you\n";
    clean(&check(
        "entity = \"digits\"\naccept_partial = { last = 4 }\n",
        call,
    ));
    assert_eq!(check(DIGITS, call).findings.len(), 1);
    let wrong = "Customer: my card number is 4111 1111 1111 4417\nAgent: the card ending 4471?\n";
    let v = check("entity = \"digits\"\naccept_partial = { last = 4 }\n", wrong);
    assert!(only(&v).message.starts_with("read back 4471"));
}

#[test]
fn amounts_and_dates_compare_across_languages() {
    // Harper Valley Bank call 00d676d7: the amount is read back four agent turns later.
    let call = "Caller: uh the amount is one hundred and thirty five dollars\nAgent: okay what is the source account\n\
                Caller: savings\nAgent: and the destination account\nCaller: checking\nAgent: okay\n\
                Agent: so uh one hundred and thirty five dollars has been transferred\n";
    clean(&check("entity = \"amount\"\nwithin_turns = 4\n", call));
    assert_eq!(
        check("entity = \"amount\"\nwithin_turns = 3\n", call)
            .findings
            .len(),
        1
    );
    clean(&check(
        "entity = \"amount\"\n",
        "客户：转一百三十五块。\nAgent: OK, $135.\n",
    ));
    clean(&check(
        "entity = \"date\"\n",
        "客户：改到11月22日。\n客服：好的，November 22.\n",
    ));
    let v = check(
        "entity = \"date\"\n",
        "客户：改到11月22日。\n客服：好的，11月23号。\n",
    );
    assert!(
        only(&v)
            .message
            .starts_with("read back 11-23, customer said 11-22")
    );
}

#[test]
fn email_and_pattern_values() {
    clean(&check(
        "entity = \"email\"\n",
        "Customer: cminh730@email.com\nAgent: that's cminh730 at email dot com, right?\n",
    ));
    let rule = "entity = \"regex\"\npattern = '(sd\\d{8,})'\n";
    clean(&check(
        rule,
        "客户：单号SD20261119886。\n客服：单号sd20261119886，我查一下。\n",
    ));
    assert_eq!(
        check(rule, "客户：单号SD20261119886。\n客服：我查一下。\n")
            .findings
            .len(),
        1
    );
}

#[test]
fn masked_values_are_never_missing() {
    assert!(not_applicable(&check(DIGITS, "客户：订单号是[订单x]。\n客服：好的。\n")).contains("masked"));
    assert!(not_applicable(&check(DIGITS, "Customer: call me on <PHONE>\nAgent: sure\n")).contains("masked"));
    // Matched by the visible part.
    clean(&check(
        DIGITS,
        "Customer: it's the card ****1234\nAgent: the card 4111 1111 1111 1234, got it\n",
    ));
    // Not read back, but masked: skipped, not reported.
    assert!(not_applicable(&check(DIGITS, "Customer: it's 138xxxx8000\nAgent: ok\n")).contains("is masked"));
    // The agent's restatement is masked: cannot be judged.
    assert!(
        not_applicable(&check(
            DIGITS,
            "Customer: it's 13800138000\nAgent: so <PHONE>, right?\n"
        ))
        .contains("masked")
    );
}

#[test]
fn not_applicable_cases() {
    assert!(not_applicable(&check(DIGITS, "客服：您好。\n")).contains("no turns by the customer"));
    assert!(not_applicable(&check(DIGITS, "客户：喂？\n")).contains("no turns by the agent"));
    assert!(not_applicable(&check(DIGITS, "客户：喂？\n客服：您好。\n")).contains("gave no number"));
    assert!(
        not_applicable(&check(DIGITS, "客服：您好。\n客户：我的电话是13800138000。\n"))
            .contains("came after the last turn")
    );
    let (set, _) = RuleSet::from_text(
        "t.toml",
        &format!("[rulebook]\nid = \"t\"\n[[readback]]\nid = \"r\"\n{DIGITS}"),
    )
    .unwrap();
    let mut template = plain::parse("客户：13800138000\n客服：好。\n", &ParseOptions::default()).unwrap();
    template.kind = TranscriptKind::Template;
    let v = Engine::new(set).check(&template, &mut Scratch::default());
    assert!(not_applicable(&v).contains("templates"));
}

#[test]
fn invalid_tables_are_rejected_with_locations() {
    let errors = |rule: &str| {
        RuleSet::from_text(
            "t.toml",
            &format!("[rulebook]\nid = \"t\"\n[[readback]]\nid = \"r\"\n{rule}"),
        )
        .unwrap_err()
        .to_string()
    };
    let e = errors("entity = \"regex\"\n");
    assert!(
        e.contains("t.toml:5:10: [[readback]] \"r\" › entity: entity = \"regex\" needs a `pattern`"),
        "{e}"
    );
    let e = errors("entity = \"regex\"\npattern = '\\d+'\n");
    assert!(e.contains("the pattern has no capture group"), "{e}");
    let e = errors("entity = \"regex\"\npattern = '(\\d*)'\n");
    assert!(e.contains("the pattern matches empty text"), "{e}");
    let e = errors("entity = \"amount\"\nmin_digits = 6\n");
    assert!(
        e.contains("`min_digits` only applies to entity = \"digits\" or \"phone\""),
        "{e}"
    );
    let e = errors("entity = \"digits\"\nwithin_turns = 0\n");
    assert!(e.contains("`within_turns` = 0 is out of range"), "{e}");
    let e = errors("entity = \"digits\"\nfrom = \"agent\"\nby = \"agent\"\n");
    assert!(e.contains("`from` and `by` are both the agent"), "{e}");
    let e = errors("entity = \"digit\"\n");
    assert!(
        e.contains("invalid value `digit`") && e.contains("did you mean `digits`?"),
        "{e}"
    );
    let e = errors("entity = \"date\"\npattern = '(x)'\n");
    assert!(
        e.contains("`pattern` is only used with entity = \"regex\""),
        "{e}"
    );
}

/// Pieces of turn text that exercise value extraction: numbers in every form, masks,
/// placeholders, amounts, dates and email fragments.
fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        "[0-9]{1,14}",
        "[零〇一二三四五六七八九幺两十百千万]{1,8}",
        prop::sample::select(vec![
            "one",
            "oh",
            "double",
            "triple",
            "forty",
            "hundred",
            "dollars",
            "元",
            "块",
            "毛",
            "$",
            "¥",
            "月",
            "日",
            "号",
            "November",
            "the",
            "of",
            "at",
            "dot",
            "艾特",
            "点",
            "****",
            "xx",
            "<PHONE>",
            "[订单x]",
            "-",
            " ",
            "，",
            "。",
            "@",
            "(",
            ")",
            "+86",
            "投诉",
            "抱歉",
            "sorry",
        ])
        .prop_map(str::to_string),
    ]
}

fn turn() -> impl Strategy<Value = String> {
    (
        prop::sample::select(vec!["客服", "客户", "Agent", "Customer"]),
        prop::option::of((0u32..100, 0u32..20)),
        prop::collection::vec(piece(), 0..12),
    )
        .prop_map(|(label, time, pieces)| {
            let stamp = time.map_or(String::new(), |(s, d)| {
                format!(
                    "[00:{:02}:{:02}-00:{:02}:{:02}] ",
                    s / 60,
                    s % 60,
                    (s + d) / 60,
                    (s + d) % 60
                )
            });
            format!("{stamp}{label}：{}", pieces.concat())
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn builtin_rules_never_panic(
        turns in prop::collection::vec(turn(), 1..10),
        rings in prop::option::of(0u32..9),
    ) {
        let header = rings.map_or(String::new(), |r| format!("# rings: {r}\n"));
        let text = format!("{header}{}\n", turns.join("\n"));
        let Ok(transcript) = plain::parse(&text, &ParseOptions::default()) else {
            return Ok(());
        };
        let (rules, _) = RuleSet::builtins().unwrap();
        let verdict = Engine::new(rules).without_scope_gates().check(&transcript, &mut Scratch::default());
        for f in &verdict.findings {
            prop_assert!(f.start.line >= 1 && f.start.column >= 1, "{f:?}");
        }
    }
}
