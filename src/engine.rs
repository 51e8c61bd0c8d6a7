//! Judging one transcript: matcher hits → each rule's outcome → findings.

use std::sync::OnceLock;
use std::time::{Duration, Instant};

use crate::finding::{Finding, NotApplicable, Scope};
use crate::matcher::{Matcher, Scratch};
use crate::rulebook::RuleSet;
use crate::rules::readback::reads;
pub use crate::rules::readback::reads::RuleReads;
use crate::rules::{EvalCtx, Outcome, Rule, RuleKind, TurnIndex};
use crate::transcript::{Channel, Language, Transcript, TranscriptKind};

/// What checking one transcript produced.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Verdict {
    /// Findings in source order.
    pub findings: Vec<Finding>,
    /// Rules that could not be judged, with reasons.
    pub not_applicable: Vec<NotApplicable>,
    /// What the read-back and pii rules read, when the thread was asked to keep it for
    /// `--redact`; `None` when it was not.
    pub reads: Option<RuleReads>,
}

/// Time spent in the engine's two stages, summed over transcripts.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Timings {
    /// Normalising text and finding phrases and patterns.
    pub matching: Duration,
    /// Judging the rules from the hits.
    pub rules: Duration,
}

/// Checks transcripts against a compiled rule set.
pub struct Engine {
    rules: RuleSet,
    gate_language: bool,
    /// Per rulebook that applies to one language, why it does not apply to a transcript whose
    /// language is Chinese, English or undetermined: written once, not once per rule and call.
    language_reasons: Vec<Option<[String; 3]>>,
    /// Per language (Chinese, English, undetermined) and channel (voice, chat), a matcher
    /// with only the phrases and patterns of the enabled rules that apply to such calls:
    /// a Chinese phone call is not searched for the chat and English rulebooks' phrases, whose
    /// rules do not judge it. Built on first use; `None` when every rule applies (or it could
    /// not be built): the matcher of every rule does.
    scoped: [OnceLock<Option<Matcher>>; 6],
}

impl Engine {
    /// An engine over a rule set; language-specific rulebooks apply only to transcripts in
    /// their language.
    pub fn new(rules: RuleSet) -> Self {
        let language_reasons = rules
            .rulebooks
            .iter()
            .map(|rulebook| {
                let wanted = rulebook.applies_to?;
                Some(["zh", "en", "undetermined"].map(|found| {
                    format!(
                        "rulebook {} applies to {} transcripts; this one's language is {found}",
                        rulebook.id,
                        wanted.as_str()
                    )
                }))
            })
            .collect();
        Engine {
            rules,
            gate_language: true,
            language_reasons,
            scoped: Default::default(),
        }
    }

    /// Applies every rulebook to every transcript, whatever its language and channel (used for
    /// examples, which test a rule's logic rather than its scope).
    pub fn without_scope_gates(mut self) -> Self {
        self.gate_language = false;
        self
    }

    /// The rule set.
    pub fn rules(&self) -> &RuleSet {
        &self.rules
    }

    /// Runs every enabled rule on one transcript.
    pub fn check(&self, transcript: &Transcript, scratch: &mut Scratch) -> Verdict {
        self.check_timed(transcript, scratch, &mut Timings::default())
    }

    /// [`Engine::check`], adding the time spent matching and judging to `timings`.
    pub fn check_timed(
        &self,
        transcript: &Transcript,
        scratch: &mut Scratch,
        timings: &mut Timings,
    ) -> Verdict {
        self.check_judging(transcript, scratch, timings, true)
    }

    /// [`Engine::check_timed`]; without `reasons`, the rules that do not apply leave their
    /// [`NotApplicable::reason`] empty (their ids and scopes are the same).
    pub fn check_judging(
        &self,
        transcript: &Transcript,
        scratch: &mut Scratch,
        timings: &mut Timings,
        reasons: bool,
    ) -> Verdict {
        let started = Instant::now();
        let language = self
            .rules
            .rulebooks
            .iter()
            .any(|r| r.applies_to.is_some())
            .then(|| transcript.language())
            .flatten();
        // A call that does not say how it took place is a voice call (`--channel` changes that).
        let declared = transcript.channel();
        let channel = declared.unwrap_or(Channel::Voice);
        self.matcher_for(language, channel).scan(transcript, scratch);
        let matched = Instant::now();
        timings.matching += matched - started;
        let verdict = self.judge(transcript, scratch, language, declared, reasons);
        timings.rules += matched.elapsed();
        verdict
    }

    /// Why `rule` does not judge a transcript in `language` taken as `channel`: its rulebook is
    /// for another language, or the rule for another channel; `None` when it does.
    fn out_of_scope(&self, rule: &Rule, language: Option<Language>, channel: Channel) -> Option<Scope> {
        if !self.gate_language {
            return None;
        }
        // Only rulebooks that apply to one language have reasons.
        if self.language_reasons[rule.rulebook].is_some()
            && language != self.rules.rulebook_of(rule).applies_to
        {
            return Some(Scope::Language);
        }
        rule.meta
            .channel
            .is_some_and(|wanted| wanted != channel)
            .then_some(Scope::Channel)
    }

    /// The matcher for transcripts in `language` taken as `channel`: only the phrases and
    /// patterns of the rules that judge them (every rule's without scope gates).
    fn matcher_for(&self, language: Option<Language>, channel: Channel) -> &Matcher {
        if !self.gate_language {
            return self.rules.matcher();
        }
        let slot = match language {
            Some(Language::Zh) => 0,
            Some(Language::En) => 2,
            None => 4,
        } + match channel {
            Channel::Voice => 0,
            Channel::Chat => 1,
        };
        let scoped = self.scoped[slot].get_or_init(|| {
            let applies = |index: u32| {
                let index = index as usize;
                self.rules.is_enabled(index)
                    && self
                        .out_of_scope(&self.rules.rules[index], language, channel)
                        .is_none()
            };
            // Smaller than the matcher of every rule, which did build: this one builds too.
            self.rules.matcher_source.subset(applies)?.build().ok()
        });
        scoped.as_ref().unwrap_or_else(|| self.rules.matcher())
    }

    /// Runs the rules on the hits of the last scan of a transcript in `language` whose
    /// metadata gives `declared` as its channel.
    fn judge(
        &self,
        transcript: &Transcript,
        scratch: &Scratch,
        language: Option<Language>,
        declared: Option<Channel>,
        reasons: bool,
    ) -> Verdict {
        let channel = declared.unwrap_or(Channel::Voice);
        let mut turns = TurnIndex::with_folded(transcript, scratch.folded_turns());
        let mut verdict = Verdict {
            // Most calls leave some rules out (another language's, another channel's).
            not_applicable: Vec::with_capacity(self.rules.rules.len()),
            reads: reads::wanted().then(RuleReads::default),
            ..Verdict::default()
        };
        let mut channel_reason: Option<String> = None;
        for (index, rule) in self.rules.enabled_rules() {
            match self.out_of_scope(rule, language, channel) {
                Some(Scope::Language) => {
                    let found = match language {
                        Some(Language::Zh) => 0,
                        Some(Language::En) => 1,
                        None => 2,
                    };
                    let written = self.language_reasons[rule.rulebook].as_ref().filter(|_| reasons);
                    verdict.not_applicable.push(NotApplicable {
                        rule: rule.interned_id,
                        reason: written.map(|r| r[found].clone()).unwrap_or_default(),
                        scope: Scope::Language,
                    });
                    continue;
                }
                Some(_) => {
                    // There are two channels, so every rule skipped here has the same reason.
                    let wanted = rule.meta.channel.unwrap_or(channel);
                    let reason = if reasons {
                        channel_reason
                            .get_or_insert_with(|| channel_mismatch(wanted, channel, declared, transcript))
                            .clone()
                    } else {
                        String::new()
                    };
                    verdict.not_applicable.push(NotApplicable {
                        rule: rule.interned_id,
                        reason,
                        scope: Scope::Channel,
                    });
                    continue;
                }
                None => {}
            }
            if transcript.kind == TranscriptKind::Template
                && let Some(reason) = template_mismatch(rule, transcript)
            {
                verdict.not_applicable.push(NotApplicable {
                    rule: rule.interned_id,
                    reason,
                    scope: Scope::Template,
                });
                continue;
            }
            let ctx = EvalCtx {
                transcript,
                turns: &turns,
                hits: scratch.hits.for_rule(index as u32),
                rule,
                reasons,
            };
            let outcome = rule.kind.evaluate(&ctx, &mut verdict.findings);
            if let Some(read) = verdict.reads.as_mut()
                && matches!(rule.kind, RuleKind::Readback(_))
            {
                read.add_utterances(index);
            }
            if let Outcome::NotApplicable(reason) = outcome {
                verdict.not_applicable.push(NotApplicable {
                    rule: rule.interned_id,
                    reason,
                    // A reply template has only agent text: whatever a rule cannot judge there
                    // needs a conversation, so it does not concern the template.
                    scope: if transcript.kind == TranscriptKind::Template {
                        Scope::Template
                    } else {
                        Scope::Undecided
                    },
                });
            }
        }
        if let Some(read) = verdict.reads.as_mut() {
            read.finish(turns.take_hints());
        }
        verdict
            .findings
            .sort_by(|a, b| (a.start, &a.rule).cmp(&(b.start, &b.rule)));
        verdict
    }
}

/// Why a rule for `wanted` transcripts does not apply to this one, of `channel` (`declared`
/// when the transcript says it).
fn channel_mismatch(
    wanted: Channel,
    channel: Channel,
    declared: Option<Channel>,
    transcript: &Transcript,
) -> String {
    let undeclared = match (declared, transcript.channel_value()) {
        (Some(_), _) => String::new(),
        (None, Some(value)) => {
            format!(" (its channel {value:?} is neither voice nor chat, so it is taken as voice)")
        }
        (None, None) => " (it does not say its channel: give --channel chat, or `channel` in \
                         callcheck.toml)"
            .to_string(),
    };
    let this = match channel {
        Channel::Voice => "a voice call",
        Channel::Chat => "a chat",
    };
    format!(
        "the rule is for {} transcripts; this one is {this}{undeclared}",
        wanted.as_str(),
    )
}

/// The metadata key that gives a reply template's role (`opening`, `closing`, `body`, …).
pub const TEMPLATE_ROLE_KEY: &str = "role";

/// Why a rule does not check a reply template, if it does not: a rule that names template roles
/// checks only templates of those roles; a rule about a call's shape names none and so checks
/// no template; a rule about wording checks them all.
fn template_mismatch(rule: &crate::rules::Rule, transcript: &Transcript) -> Option<String> {
    let role = transcript
        .metadata
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(TEMPLATE_ROLE_KEY))
        .map(|(_, v)| v.trim());
    let this = match role {
        Some(role) if !role.is_empty() => format!("this template's role is `{role}`"),
        _ => "this template has no role".to_string(),
    };
    match &rule.meta.templates {
        Some(roles) if role.is_some_and(|r| roles.iter().any(|x| x.eq_ignore_ascii_case(r))) => None,
        Some(roles) => Some(format!(
            "the rule checks reply templates of role {}; {this}",
            roles
                .iter()
                .map(|r| format!("`{r}`"))
                .collect::<Vec<_>>()
                .join(" or ")
        )),
        None if rule.kind.is_about_wording() => None,
        None => Some(format!(
            "the rule judges a whole call, not one reply: it checks only templates whose role it \
             names (`templates = [\"…\"]`); {this}"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transcript::{ParseOptions, Position, Role, plain};

    const BOOK: &str = r#"
[rulebook]
id = "t"
applies_to = "zh"

[[required]]
id = "greeting"
window = { first_turns = 1 }
phrases = ["您好"]

[[forbidden]]
id = "must"
phrases = ["你必须"]
except = ["你必须的证件"]
suggest = "您能……吗？"
severity = "error"

[[sequence]]
id = "order"
window = { first_turns = 1 }
steps = [["您好"], ["这里是"]]

[[hangup]]
id = "hangup"
by = "customer"
"#;

    fn check(text: &str) -> Verdict {
        let (rules, _) = RuleSet::from_text("t.toml", BOOK).unwrap();
        let engine = Engine::new(rules);
        let transcript = plain::parse(text, &ParseOptions::default()).unwrap();
        engine.check(&transcript, &mut Scratch::default())
    }

    fn rules_of(v: &Verdict) -> Vec<&str> {
        v.findings.iter().map(|f| f.rule.as_str()).collect()
    }

    #[test]
    fn clean_call_has_no_findings() {
        let v = check("客服：您好，这里是ACME公司\n客户：你好\n<hangup by=customer>\n");
        assert!(v.findings.is_empty(), "{:?}", v.findings);
        assert!(v.not_applicable.is_empty());
    }

    #[test]
    fn forbidden_phrase_is_located_in_the_original_text() {
        let v = check("客服：您好，这里是ACME\n客服：您好，你必須先登录\n<hangup by=customer>\n");
        assert_eq!(rules_of(&v), ["t/must"]);
        let f = &v.findings[0];
        assert_eq!(f.matched.as_deref(), Some("你必須"));
        assert_eq!(f.start, Position { line: 2, column: 7 });
        assert_eq!(f.end, Position { line: 2, column: 10 });
        assert_eq!(f.turn, Some(2));
        assert_eq!(f.speaker, Some(Role::Agent));
        assert_eq!(f.suggestion.as_deref(), Some("您能……吗？"));
    }

    #[test]
    fn except_phrase_excuses_a_hit() {
        let v = check("客服：您好，这里是ACME，请带上你必须的证件\n<hangup by=customer>\n");
        assert!(v.findings.is_empty(), "{:?}", v.findings);
    }

    #[test]
    fn missing_greeting_points_at_the_first_agent_turn() {
        let v = check("客户：喂\n客服：这里是ACME\n客户：喂？\n客服：您好\n<hangup by=customer>\n");
        let f = v.findings.iter().find(|f| f.rule == "t/greeting").unwrap();
        assert_eq!(f.turn, Some(2));
        assert_eq!(f.start, Position { line: 2, column: 4 });
        assert_eq!(f.matched, None);
        assert!(f.note.as_deref().unwrap().contains("\"您好\""));
    }

    #[test]
    fn sequence_out_of_order_points_at_the_early_step() {
        let v = check("客服：这里是ACME，您好\n<hangup by=customer>\n");
        let f = v.findings.iter().find(|f| f.rule == "t/order").unwrap();
        assert_eq!(f.matched.as_deref(), Some("这里是"));
        assert!(
            f.note.as_deref().unwrap().contains("came before step 1"),
            "{:?}",
            f.note
        );
    }

    #[test]
    fn hangup_by_agent_is_reported_at_the_event() {
        let v = check("客服：您好，这里是ACME\n[00:01:00] <hangup by=agent>\n");
        assert_eq!(rules_of(&v), ["t/hangup"]);
        assert_eq!(v.findings[0].start, Position { line: 2, column: 12 });
        assert_eq!(
            v.findings[0].note.as_deref(),
            Some("the call was ended by the agent")
        );
    }

    #[test]
    fn not_applicable_cases() {
        let v = check("客户：喂？有人吗？\n");
        let na: Vec<&str> = v.not_applicable.iter().map(|n| n.rule).collect();
        assert_eq!(na, ["t/greeting", "t/must", "t/order", "t/hangup"]);
        assert!(v.findings.is_empty());
    }

    #[test]
    fn without_reasons_the_same_rules_do_not_apply_and_say_nothing() {
        // The built-in rulebooks give a Chinese phone call every kind of reason: rules' own, the
        // chat rulebook's channel and the English rulebooks' language.
        let (rules, _) = RuleSet::builtins().unwrap();
        let engine = Engine::new(rules);
        let transcript = plain::parse("客户：喂？有人吗？您好您好\n", &ParseOptions::default()).unwrap();
        let judge = |reasons| {
            engine.check_judging(
                &transcript,
                &mut Scratch::default(),
                &mut Timings::default(),
                reasons,
            )
        };
        let (said, unsaid) = (judge(true), judge(false));
        let outline = |v: &Verdict| -> Vec<(&str, Scope)> {
            v.not_applicable.iter().map(|n| (n.rule, n.scope)).collect()
        };
        assert_eq!(outline(&said), outline(&unsaid));
        for scope in [Scope::Undecided, Scope::Channel, Scope::Language] {
            assert!(said.not_applicable.iter().any(|n| n.scope == scope), "{said:?}");
        }
        assert!(
            said.not_applicable.iter().all(|n| !n.reason.is_empty()),
            "{said:?}"
        );
        assert!(
            unsaid.not_applicable.iter().all(|n| n.reason.is_empty()),
            "{unsaid:?}"
        );
        assert_eq!(said.findings, unsaid.findings);
    }

    #[test]
    fn every_rule_for_the_other_channel_gets_the_reason_written_once() {
        let book = "[rulebook]\nid = \"c\"\n[[forbidden]]\nid = \"a\"\nchannel = \"voice\"\nphrases = [\"hold on\"]\n\
                    [[forbidden]]\nid = \"b\"\nchannel = \"voice\"\nphrases = [\"wait\"]\n";
        let (rules, _) = RuleSet::from_text("c.toml", book).unwrap();
        let engine = Engine::new(rules);
        let t = plain::parse("# channel: sms\nAgent: hold on\n", &ParseOptions::default()).unwrap();
        let v = engine.check(&t, &mut Scratch::default());
        let reasons: Vec<&str> = v.not_applicable.iter().map(|n| n.reason.as_str()).collect();
        assert_eq!(
            reasons, ["the rule is for voice transcripts; this one is a chat"; 2],
            "{v:?}"
        );
    }

    #[test]
    fn channel_rules_skip_transcripts_of_the_other_channel() {
        let book = "[rulebook]\nid = \"c\"\n[[forbidden]]\nid = \"voice-only\"\nchannel = \"voice\"\nphrases = [\"hold on\"]\n";
        let (rules, _) = RuleSet::from_text("c.toml", book).unwrap();
        let engine = Engine::new(rules);
        let check = |header: &str| {
            let text = format!("{header}Agent: hold on please\n");
            let t = plain::parse(&text, &ParseOptions::default()).unwrap();
            engine.check(&t, &mut Scratch::default())
        };
        let chat = check("# channel: chat\n");
        assert!(chat.findings.is_empty());
        assert_eq!(chat.not_applicable[0].scope, Scope::Channel);
        assert_eq!(
            chat.not_applicable[0].reason,
            "the rule is for voice transcripts; this one is a chat"
        );
        assert_eq!(check("# channel: VOICE\n").findings.len(), 1);
        // The key in any case; a value that is neither is said, and taken as voice.
        assert_eq!(check("# Channel: chat\n").not_applicable[0].scope, Scope::Channel);
        let email = check("# channel: email\n");
        assert_eq!(email.findings.len(), 1, "{email:?}");
        // A transcript that does not say its channel is a voice call.
        assert_eq!(check("").findings.len(), 1);
        let chat_rule = book.replace("\"voice\"", "\"chat\"");
        let (rules, _) = RuleSet::from_text("c.toml", &chat_rule).unwrap();
        let engine = Engine::new(rules);
        let t = plain::parse("Agent: hold on please\n", &ParseOptions::default()).unwrap();
        let v = engine.check(&t, &mut Scratch::default());
        assert!(v.findings.is_empty());
        assert_eq!(
            v.not_applicable[0].reason,
            "the rule is for chat transcripts; this one is a voice call (it does not say its channel: \
             give --channel chat, or `channel` in callcheck.toml)"
        );
        let t = plain::parse(
            "# channel: email\nAgent: hold on please\n",
            &ParseOptions::default(),
        )
        .unwrap();
        let v = engine.check(&t, &mut Scratch::default());
        assert!(
            v.not_applicable[0]
                .reason
                .contains("its channel \"email\" is neither voice nor chat"),
            "{v:?}"
        );
    }

    #[test]
    fn templates_get_wording_rules_and_the_shape_rules_of_their_role() {
        let book = BOOK.replace("id = \"order\"\n", "id = \"order\"\ntemplates = [\"opening\"]\n");
        let (rules, _) = RuleSet::from_text("t.toml", &book).unwrap();
        let engine = Engine::new(rules);
        let template = |role: Option<&str>| {
            let mut transcript = plain::parse(
                "客服：早上好，你必须登录\n<hangup by=agent>\n",
                &ParseOptions::default(),
            )
            .unwrap();
            transcript.kind = crate::transcript::TranscriptKind::Template;
            if let Some(role) = role {
                transcript.metadata.insert("role".into(), role.into());
            }
            engine.check(&transcript, &mut Scratch::default())
        };
        let rules_of = |v: &Verdict| v.findings.iter().map(|f| f.rule.clone()).collect::<Vec<_>>();
        // No role: only the wording rule; the shape rules say why they were left out.
        let plain = template(None);
        assert_eq!(rules_of(&plain), ["t/must"]);
        let reasons: Vec<(&str, &str)> = plain
            .not_applicable
            .iter()
            .map(|n| (n.rule, n.reason.as_str()))
            .collect();
        assert!(
            reasons
                .iter()
                .all(|(_, r)| r.contains("this template has no role")),
            "{reasons:?}"
        );
        assert_eq!(reasons.len(), 3, "{reasons:?}");
        assert!(plain.not_applicable.iter().all(|n| n.scope == Scope::Template));
        // An opening: the sequence that names the role checks it too.
        let opening = template(Some("opening"));
        assert_eq!(rules_of(&opening), ["t/order", "t/must"]);
        let closing = template(Some("Closing"));
        assert_eq!(rules_of(&closing), ["t/must"]);
        assert!(
            closing.not_applicable.iter().any(|n| n.reason
                == "the rule checks reply templates of role `opening`; this template's role is `Closing`"),
            "{:?}",
            closing.not_applicable
        );
    }

    #[test]
    fn language_gate_skips_rulebooks_for_other_languages() {
        let v = check("Agent: hello, you must log in\n<hangup by=agent>\n");
        assert!(v.findings.is_empty());
        assert_eq!(v.not_applicable.len(), 4);
        assert!(v.not_applicable[0].reason.contains("applies to zh transcripts"));
    }
}
