//! Unit tests of role inference on hand-written calls.

use super::*;
use crate::transcript::{ParseOptions, SpeakerLabels, plain};

fn parse(text: &str, labels: SpeakerLabels) -> Transcript {
    plain::parse(
        text,
        &ParseOptions {
            labels,
            ..ParseOptions::default()
        },
    )
    .unwrap()
}

fn infer_with(text: &str, mode: Mode, companies: &[String]) -> Transcript {
    let mut t = parse(text, SpeakerLabels::default());
    Inferrer::new(mode, companies).unwrap().apply(&mut t);
    t
}

fn infer(text: &str) -> Transcript {
    infer_with(text, Mode::Infer, &[])
}

fn roles(t: &Transcript) -> &Assignment {
    t.roles.as_ref().unwrap()
}

/// Each speaker's label and role, in order of first turn.
fn map(t: &Transcript) -> Vec<(&str, Role)> {
    roles(t)
        .speakers
        .iter()
        .map(|s| (s.label.as_str(), s.role))
        .collect()
}

const ZH_CALL: &str = "\
[00:00:01] spk_1: 您好，这里是安信银行信用卡中心，很高兴为您服务，请问有什么可以帮您？
[00:00:06] spk_0: 你好，我的信用卡被冻结了，我想问一下怎么回事。
[00:00:11] spk_1: 好的，请您提供一下卡号后四位，我帮您查询一下。
[00:00:15] spk_0: 4417。
[00:00:18] spk_1: 跟您确认一下，卡号后四位是4417，对吗？请您稍等。
[00:00:22] spk_0: 对。
[00:00:40] spk_1: 非常抱歉让您久等了，卡已经为您解冻。还有什么可以帮您的吗？
[00:00:46] spk_0: 没有了，谢谢。
[00:00:48] spk_1: 感谢您的来电，祝您生活愉快，再见。
";

#[test]
fn a_chinese_call_between_two_diarised_speakers() {
    let t = infer(ZH_CALL);
    assert_eq!(map(&t), [("spk_1", Role::Agent), ("spk_0", Role::Customer)]);
    let r = roles(&t);
    assert_eq!(r.source, RoleSource::Inferred);
    assert!(r.confidence.unwrap() >= r.min_confidence, "{r:?}");
    assert_eq!(r.not_checked(), None);
    // Every turn carries the inferred role and says where it came from.
    assert!(
        t.turns
            .iter()
            .all(|turn| turn.speaker.source == RoleSource::Inferred)
    );
    assert_eq!(t.turns[1].speaker.role, Role::Customer);
    // The evidence names what was seen.
    let agent = r.speakers[0].evidence.as_ref().unwrap();
    let seen: Vec<&str> = agent.features.iter().map(|(name, _)| name.as_str()).collect();
    for feature in [
        "introduces-the-company",
        "offers-help",
        "reads-back",
        "closes-the-call",
    ] {
        assert!(seen.contains(&feature), "{seen:?}");
    }
}

#[test]
fn an_english_call_whose_agent_does_not_speak_first() {
    // An outbound call: the customer answers, the agent speaks second.
    let t = infer(
        "SPEAKER_01: Hello?\n\
         SPEAKER_00: Hi, this is Sam calling from Northwind Energy about your account. Is this a good time?\n\
         SPEAKER_01: Uh, sure. Is this about my bill? I haven't received it.\n\
         SPEAKER_00: Yes. Just to confirm, can I have your postcode please?\n\
         SPEAKER_01: It's SW1A 1AA.\n\
         SPEAKER_00: Thank you for your patience. I've checked, and your bill went out today. Is there anything else I can help with?\n\
         SPEAKER_01: No, that's all, thanks for your help.\n",
    );
    assert_eq!(
        map(&t),
        [("SPEAKER_01", Role::Customer), ("SPEAKER_00", Role::Agent)]
    );
}

#[test]
fn an_ivr_voice_before_the_agent_is_the_system() {
    let t = infer(
        "[00:00:00] spk_0: Thank you for calling ACME Bank. Your call is important to us. This call may be recorded for quality and training purposes. For billing, press 1.\n\
         [00:00:12] spk_0: Please stay on the line, all of our agents are busy.\n\
         [00:01:30] spk_1: Good afternoon, you've reached ACME Bank, my name is Ana. How can I help you today?\n\
         [00:01:35] spk_2: Hi, I'm calling about my card, it was declined this morning.\n\
         [00:01:40] spk_1: I'm sorry to hear that. Could you confirm your date of birth for me?\n\
         [00:01:45] spk_2: Sure, it's the fourth of May 1980.\n\
         [00:02:30] spk_1: Thanks for waiting. The card is unblocked now. Is there anything else I can help you with?\n\
         [00:02:35] spk_2: No, thank you.\n",
    );
    assert_eq!(
        map(&t),
        [
            ("spk_0", Role::System),
            ("spk_1", Role::Agent),
            ("spk_2", Role::Customer)
        ]
    );
    assert_eq!(roles(&t).not_checked(), None);
}

#[test]
fn a_transfer_has_two_agents() {
    let t = infer(
        "spk_0: 您好，这里是顺达快递客服中心，请问有什么可以帮您？\n\
         spk_1: 我的快递三天了还没到，单号是SD20261119886，我要投诉。\n\
         spk_0: 非常抱歉给您带来不便，这个问题需要售后处理，我帮您转接售后专员，请您稍等。\n\
         spk_2: 您好，我是售后专员，工号1024，刚才同事跟我说明了情况，请问您的手机号是多少？\n\
         spk_1: 13800138000。\n\
         spk_2: 跟您确认一下，手机号13800138000，对吗？我帮您登记加急处理，明天之前给您反馈。还有其他问题吗？\n\
         spk_1: 没有了，你们快点啊。\n\
         spk_2: 感谢您的耐心，祝您生活愉快。\n",
    );
    assert_eq!(
        map(&t),
        [
            ("spk_0", Role::Agent),
            ("spk_1", Role::Customer),
            ("spk_2", Role::Agent)
        ]
    );
    let r = roles(&t);
    assert!(r.confidence.unwrap() >= r.min_confidence);
}

#[test]
fn a_chat_between_user_names() {
    let t = infer(
        "# channel: chat\n\
         dave_88: hi, my order hasn't arrived and it's been two weeks. why??\n\
         Alice Wong: Hello Dave, I'm sorry for the inconvenience. Could you provide your order number so I can check?\n\
         dave_88: 7731-2209\n\
         Alice Wong: Thank you. I have checked: it left the warehouse yesterday. Please allow two more days. Is there anything else I can help you with?\n\
         dave_88: no thanks\n",
    );
    assert_eq!(
        map(&t),
        [("dave_88", Role::Customer), ("Alice Wong", Role::Agent)]
    );
}

#[test]
fn too_little_evidence_is_not_checked() {
    let t = infer("spk_0: 喂？\nspk_1: 嗯，好的。\n");
    assert_eq!(map(&t), [("spk_0", Role::Other), ("spk_1", Role::Other)]);
    let r = roles(&t);
    assert_eq!(r.source, RoleSource::Unknown);
    assert!(r.confidence.unwrap() < r.min_confidence);
    let reason = r.not_checked().unwrap();
    assert!(
        reason.starts_with(
            "no speaker could be identified as the agent: `spk_0` (1 turn) and `spk_1` (1 turn) are \
             neither role words nor mapped, and what is said does not tell"
        ),
        "{reason}"
    );
    assert!(reason.contains("--speaker-map spk_"), "{reason}");
    assert!(reason.contains("[speakers]"), "{reason}");
    // Nothing was set on the turns.
    assert!(
        t.turns
            .iter()
            .all(|turn| turn.speaker.source == RoleSource::Unknown)
    );
}

#[test]
fn strict_mode_infers_nothing() {
    let t = infer_with(ZH_CALL, Mode::Strict, &[]);
    assert!(map(&t).iter().all(|(_, role)| *role == Role::Other));
    let r = roles(&t);
    assert_eq!((r.source, r.confidence), (RoleSource::Unknown, None));
    assert!(
        r.speakers.iter().all(|s| s.evidence.is_none()),
        "nothing was scanned"
    );
    assert!(
        r.not_checked()
            .unwrap()
            .contains("--roles strict does not infer roles"),
        "{:?}",
        r.not_checked()
    );
}

#[test]
fn role_words_need_no_inference() {
    let t = infer("客服：您好。\n客户：你好。\n");
    let r = roles(&t);
    assert_eq!(r.source, RoleSource::Labels);
    assert_eq!(r.confidence, None);
    assert!(r.speakers.iter().all(|s| s.evidence.is_none()));
    assert_eq!(map(&t), [("客服", Role::Agent), ("客户", Role::Customer)]);
}

#[test]
fn explicit_mappings_win_and_say_so() {
    let mut labels = SpeakerLabels::default();
    labels.add("spk_0", Role::Agent);
    labels.add("spk_1", Role::Customer);
    // The text says spk_1 is the agent; the mapping wins all the same.
    let mut t = parse(ZH_CALL, labels);
    Inferrer::new(Mode::Infer, &[]).unwrap().apply(&mut t);
    assert_eq!(map(&t), [("spk_1", Role::Customer), ("spk_0", Role::Agent)]);
    assert_eq!(roles(&t).source, RoleSource::Map);
}

#[test]
fn a_known_agent_makes_a_lone_unknown_speaker_the_customer() {
    let t = infer(
        "Agent: Good morning, ACME support, how can I help?\nspk_1: Hi, I need to change my address.\n",
    );
    assert_eq!(map(&t), [("Agent", Role::Agent), ("spk_1", Role::Customer)]);
    assert_eq!(roles(&t).source, RoleSource::Inferred);
}

#[test]
fn a_call_whose_recognised_customer_is_alone_is_a_normal_call() {
    let t = infer("Customer: Hello? Is anybody there?\n");
    assert_eq!(roles(&t).not_checked(), None);
    // An unknown lone speaker who says nothing telling is another matter.
    let t = infer("spk_0: Hello?\n");
    assert!(roles(&t).not_checked().is_some());
}

#[test]
fn the_company_name_is_evidence() {
    let call = "spk_0: 安信銀行信用卡中心。\nspk_1: 嗯。\n";
    let without = infer(call);
    assert!(roles(&without).not_checked().is_some());
    let with = infer_with(call, Mode::Infer, &["安信银行".to_string()]);
    let agent = roles(&with).speakers[0].evidence.as_ref().unwrap();
    assert!(
        agent.features.iter().any(|(name, _)| name == "names-the-company"),
        "{agent:?}"
    );
    assert_eq!(map(&with), [("spk_0", Role::Agent), ("spk_1", Role::Customer)]);
}

const CONNECT: &str = "\
# disconnect_reason: CUSTOMER_DISCONNECT
[00:00:01] ch_1: Thank you for calling ACME, this is Ana, how can I help you?
[00:00:04] ch_0: Hi, I'm calling about my bill, I was charged twice.
[00:00:09] ch_1: I'm sorry to hear that. Can I have your account number?
";

#[test]
fn amazon_connect_stereo_puts_the_agent_on_the_right_channel() {
    let t = infer(CONNECT);
    assert_eq!(map(&t), [("ch_1", Role::Agent), ("ch_0", Role::Customer)]);
    assert_eq!(roles(&t).source, RoleSource::Channel);
    // Without a Connect contact record, the labels are just labels and the text decides.
    let t = infer(&CONNECT.replace("# disconnect_reason: CUSTOMER_DISCONNECT\n", ""));
    assert_eq!(roles(&t).source, RoleSource::Inferred);
}

#[test]
fn a_channel_convention_that_contradicts_the_text_is_not_trusted() {
    let swapped = CONNECT
        .replace("ch_1:", "ch_x:")
        .replace("ch_0:", "ch_1:")
        .replace("ch_x:", "ch_0:");
    let t = infer(&swapped);
    let reason = roles(&t).not_checked().unwrap();
    assert!(reason.contains("Amazon Connect recording convention"), "{reason}");
    assert!(map(&t).iter().all(|(_, role)| *role == Role::Other));
}

#[test]
fn reply_templates_are_left_alone() {
    let mut t = parse("spk_0: hello\n", SpeakerLabels::default());
    t.kind = TranscriptKind::Template;
    Inferrer::new(Mode::Infer, &[]).unwrap().apply(&mut t);
    assert!(roles(&t).speakers[0].evidence.is_none());
}

#[test]
fn hundreds_of_labels_are_not_a_conversation() {
    let text: String = (0..500).map(|i| format!("L{i}: hi\n")).collect();
    let t = infer(&text);
    let r = roles(&t);
    assert_eq!(r.speakers.len(), 500);
    assert!(
        r.speakers.iter().all(|s| s.evidence.is_none()),
        "nothing was scored"
    );
    let reason = r.not_checked().unwrap();
    assert!(reason.contains("`L3` (1 turn) and 496 more"), "{reason}");
    assert!(reason.contains("at most 16 speakers"), "{reason}");
    // Each turn kept its speaker, though the lookup switched to a map on the way.
    assert_eq!(t.turns[499].speaker.label, "L499");
}

#[test]
fn long_calls_are_scanned_at_the_start_and_the_end_only() {
    let mut text =
        String::from("spk_0: 您好，这里是顺达快递，请问有什么可以帮您？\nspk_1: 我的快递还没到。\n");
    for i in 0..40 {
        // Turn 20 of the agent apologises: past the scanned start, so it does not count.
        let agent = if i == 20 { "非常抱歉。" } else { "嗯。" };
        text.push_str(&format!("spk_0: {agent}\nspk_1: 好。\n"));
    }
    text.push_str("spk_0: 祝您生活愉快，再见。\nspk_1: 再见。\n");
    let t = infer(&text);
    let agent = roles(&t).speakers[0].evidence.as_ref().unwrap();
    let seen: Vec<&str> = agent.features.iter().map(|(name, _)| name.as_str()).collect();
    assert!(seen.contains(&"closes-the-call"), "{seen:?}");
    assert!(!seen.contains(&"apologises-and-thanks-for-patience"), "{seen:?}");
    assert_eq!(map(&t), [("spk_0", Role::Agent), ("spk_1", Role::Customer)]);
}

#[test]
fn modes_have_names() {
    for (name, mode) in Mode::NAMES {
        assert_eq!(Mode::parse(name), Some(mode));
        assert_eq!(mode.as_str(), name);
    }
    assert_eq!(Mode::parse("guess"), None);
}

proptest::proptest! {
    /// Any call: inference never panics, and every turn carries its speaker's decided role.
    #[test]
    fn turns_agree_with_the_assignment(
        lines in proptest::collection::vec(("spk_[0-3]|Agent|客户", "\\PC{0,40}"), 1..30)
    ) {
        let text: String = lines
            .iter()
            .map(|(label, text)| format!("{label}: {}\n", text.replace(['\n', '\r'], " ")))
            .collect();
        let Ok(mut t) = plain::parse(&text, &ParseOptions::default()) else { return Ok(()) };
        Inferrer::new(Mode::Infer, &[]).unwrap().apply(&mut t);
        let r = t.roles.as_ref().unwrap();
        for turn in &t.turns {
            let speaker = r.speakers.iter().find(|s| s.label == turn.speaker.label).unwrap();
            proptest::prop_assert_eq!(speaker.role, turn.speaker.role);
            proptest::prop_assert_eq!(speaker.source, turn.speaker.source);
        }
        if let Some(c) = r.confidence {
            proptest::prop_assert!((0.0..=1.0).contains(&c));
        }
    }
}
