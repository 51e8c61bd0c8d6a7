//! `[[forbidden]]`: the speaker must not say any of the phrases (or match a pattern).

use toml::Spanned;

use super::context::{Unless, UnlessToml};
use super::{CompileCtx, EvalCtx, Kind, KindDoc, Outcome, Speakers, Window, quote_list};
use crate::finding::Finding;
use crate::matcher::Hit;
use crate::rules::schema::{SpeakerToml, WindowToml, rule_toml};
use crate::transcript::Role;

rule_toml! {
    /// `[[forbidden]]` table.
    pub struct ForbiddenToml {
        /// Whose turns are searched (default agent).
        #[serde(default)]
        pub speaker: SpeakerToml,
        /// Which of those turns (default: the whole call).
        #[serde(default)]
        pub window: Option<Spanned<WindowToml>>,
        /// Literal phrases that must not be said.
        #[serde(default)]
        pub phrases: Vec<Spanned<String>>,
        /// A named list (`[lists]`) whose words must not be said, e.g. the centre's jargon.
        #[serde(default)]
        pub phrases_from: Option<Spanned<String>>,
        /// Regex patterns that must not match.
        #[serde(default)]
        pub patterns: Vec<Spanned<String>>,
        /// Phrases that excuse a hit inside them ("你必须的证件" is not a command).
        #[serde(default)]
        pub except: Vec<Spanned<String>>,
        /// Contexts in which a match does not count (negated, in a question, quoted, next to
        /// given words).
        #[serde(default)]
        pub unless: Option<Spanned<UnlessToml>>,
        /// Suggested wording: advice for a person, shown with each finding.
        #[serde(default)]
        pub suggest: Option<String>,
        /// Literal text that replaces the matched wording (`"您"` for `"你"`): SARIF fixes and
        /// `check --fix` on reply templates apply it. Only for rules whose every match can take
        /// the same words.
        #[serde(default)]
        pub replace: Option<String>,
    }
}

/// A compiled `[[forbidden]]` rule.
#[derive(Debug)]
pub struct Forbidden {
    speakers: Speakers,
    window: Window,
    phrases: Vec<String>,
    /// The list named by `phrases_from` and its words.
    list: Option<(String, Vec<String>)>,
    patterns: Vec<String>,
    except: Vec<String>,
    unless: Unless,
    suggest: Option<String>,
    replace: Option<String>,
}

const MATCH: u16 = 0;
const EXCEPT: u16 = 1;
/// First of the slots of the `unless` context.
const UNLESS: u16 = 2;

impl Kind for Forbidden {
    type Toml = ForbiddenToml;

    const DOC: KindDoc = KindDoc {
        name: "forbidden",
        summary: "The speaker must not say any of the phrases.",
        what: "Reports every place in the speaker's turns (inside the window) where one of \
               `phrases` (or of the words of the list `phrases_from` names) occurs or one of \
               `patterns` matches, with the matched text and the \
               suggested wording. A match that lies inside a match of an `except` phrase is not \
               reported, nor is one whose context `unless` excuses (negated, in a question, \
               quoted, or next to given words), and overlapping matches of the same rule are \
               reported once, as one span. Not applicable when the speaker has no turns.",
        why: "Training material lists wording that damages the call: commands (\"you must\", G19), \
              a bare \"no\" (G20), \"I'll try\" instead of \"I will\" (G21), cold answers such as \
              \"I don't know\" (G22), interrogation (G23), buck-passing (G26), promises that \
              cannot be kept (G27) and foul language (G18).",
        example: "[[forbidden]]\nid = \"you-must\"\nphrases = [\"你必须\", \"you must\"]\nexcept = [\"你必须的证件\"]\nsuggest = \"Ask instead: 您能……吗？\"\nseverity = \"error\"\nexamples.pass = [\"您能先登录一下吗？\"]\nexamples.fail = [\"你必须先登录。\"]",
    };

    fn compile(toml: &ForbiddenToml, ctx: &mut CompileCtx<'_>) -> Option<Self> {
        let window = ctx.window(&toml.window);
        let phrases = ctx.phrases(&toml.phrases, MATCH);
        let list = match &toml.phrases_from {
            Some(name) => Some((name.get_ref().clone(), ctx.list_phrases(name, MATCH)?)),
            None => None,
        };
        let patterns = ctx.patterns(&toml.patterns, MATCH);
        let except = ctx.phrases(&toml.except, EXCEPT);
        let unless = Unless::compile(toml.unless.as_ref(), UNLESS, ctx);
        // A named list counts even when empty: the project fills it in (the rule is then
        // not applicable until it does).
        let has_some = ctx.require_some(
            toml.id.span(),
            "forbidden",
            phrases.len() + patterns.len() + usize::from(list.is_some()),
        );
        let unless = unless?;
        (has_some && window.is_some()).then(|| Forbidden {
            speakers: toml.speaker.into(),
            window: window.unwrap_or(Window::Whole),
            phrases,
            list,
            patterns,
            except,
            unless,
            suggest: toml.suggest.clone(),
            replace: toml.replace.clone(),
        })
    }

    fn evaluate(&self, ctx: &EvalCtx<'_>, findings: &mut Vec<Finding>) -> Outcome {
        if let Some((name, words)) = &self.list
            && words.is_empty()
            && self.phrases.is_empty()
            && self.patterns.is_empty()
        {
            return ctx.not_applicable(|| {
                format!("the `{name}` list is empty: name the words in callcheck.toml under [lists]")
            });
        }
        let selection = match ctx.select(self.window, self.speakers) {
            Ok(s) => s,
            Err(reason) => return ctx.not_applicable(|| reason.into_message()),
        };
        let excepts: Vec<&Hit> = ctx.hits_in(EXCEPT, &selection).collect();
        // Overlapping matches of one rule ("你自己看" and "看说明书") are one finding.
        let mut merged: Vec<Hit> = Vec::new();
        for hit in ctx.hits_in(MATCH, &selection) {
            if excepts.iter().any(|e| hit.is_within(e)) || self.unless.excuse(hit, ctx).is_some() {
                continue;
            }
            match merged.last_mut() {
                Some(last) if last.turn == hit.turn && hit.start < last.end => {
                    last.end = last.end.max(hit.end);
                }
                _ => merged.push(*hit),
            }
        }
        for hit in &merged {
            let mut finding = ctx.finding_at_hit(hit, || "forbidden wording".to_string());
            finding.suggestion = self.suggest.clone();
            finding.replacement = self.replace.clone();
            findings.push(finding);
        }
        Outcome::Applicable
    }

    fn settings(&self) -> Vec<(&'static str, String)> {
        let mut out = vec![
            ("speaker", self.speakers.as_str().to_string()),
            ("window", self.window.describe(self.speakers)),
        ];
        if !self.phrases.is_empty() {
            out.push(("phrases", quote_list(&self.phrases, usize::MAX)));
        }
        if let Some((name, words)) = &self.list {
            let words = if words.is_empty() {
                "(empty)".to_string()
            } else {
                quote_list(words, usize::MAX)
            };
            out.push(("phrases_from", format!("{name}: {words}")));
        }
        if !self.patterns.is_empty() {
            out.push(("patterns", quote_list(&self.patterns, usize::MAX)));
        }
        if !self.except.is_empty() {
            out.push(("except", quote_list(&self.except, usize::MAX)));
        }
        if !self.unless.is_empty() {
            out.push(("unless", self.unless.describe()));
        }
        if let Some(r) = &self.replace {
            out.push(("replace", format!("{r:?}")));
        }
        if let Some(s) = &self.suggest {
            out.push(("suggest", s.clone()));
        }
        out
    }

    fn example_role(&self) -> Role {
        self.speakers.example_role()
    }
}
