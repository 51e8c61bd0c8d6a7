//! `[[required]]`: the speaker must say one of the phrases (or match a pattern) in a window.

use toml::Spanned;

use super::{CompileCtx, EvalCtx, Kind, KindDoc, Outcome, Speakers, Window, quote_list};
use crate::finding::Finding;
use crate::rules::schema::{SpeakerToml, WindowToml, rule_toml};
use crate::transcript::Role;

rule_toml! {
    /// `[[required]]` table.
    pub struct RequiredToml {
        /// Whose turns are searched (default agent).
        #[serde(default)]
        pub speaker: SpeakerToml,
        /// Which of those turns (default: the whole call).
        #[serde(default)]
        pub window: Option<Spanned<WindowToml>>,
        /// Literal phrases; any one satisfies the rule.
        #[serde(default)]
        pub phrases: Vec<Spanned<String>>,
        /// Regex patterns; any one satisfies the rule.
        #[serde(default)]
        pub patterns: Vec<Spanned<String>>,
    }
}

/// A compiled `[[required]]` rule.
#[derive(Debug)]
pub struct Required {
    speakers: Speakers,
    window: Window,
    phrases: Vec<String>,
    patterns: Vec<String>,
}

impl Required {
    /// True without a window: "say this somewhere" judges a reply template's wording as well as a
    /// call's; a window (the first turn, the last turns) is about a call's shape.
    pub fn is_about_wording(&self) -> bool {
        self.window == Window::Whole
    }
}

const MATCH: u16 = 0;

impl Kind for Required {
    type Toml = RequiredToml;

    const DOC: KindDoc = KindDoc {
        name: "required",
        summary: "The speaker must say one of the phrases within the window.",
        what: "Looks at the speaker's turns inside the window and passes when any turn contains \
               one of `phrases` or matches one of `patterns`. Otherwise it reports one finding \
               at the first turn of the window (or, if the window holds none of the speaker's \
               turns, at the speaker's first turn). Not applicable when the speaker has no turns \
               at all, or when the window is in seconds and the transcript has no timestamps.",
        why: "Scripts require set wording at set moments: a greeting and the company name in the \
              first turn (G3), the closing question before the end (G35), thanks at the end \
              (G36). Missing them is the most common script deviation QA teams score.",
        example: "[[required]]\nid = \"greeting\"\nwindow = { first_turns = 1 }\nphrases = [\"您好\", \"你好\", \"hello\"]\nseverity = \"error\"\nexamples.pass = [\"您好，这里是ACME公司\"]\nexamples.fail = [\"喂？\"]",
    };

    fn compile(toml: &RequiredToml, ctx: &mut CompileCtx<'_>) -> Option<Self> {
        let window = ctx.window(&toml.window);
        let phrases = ctx.phrases(&toml.phrases, MATCH);
        let patterns = ctx.patterns(&toml.patterns, MATCH);
        let has_some = ctx.require_some(toml.id.span(), "required", phrases.len() + patterns.len());
        (has_some && window.is_some()).then(|| Required {
            speakers: toml.speaker.into(),
            window: window.unwrap_or(Window::Whole),
            phrases,
            patterns,
        })
    }

    fn evaluate(&self, ctx: &EvalCtx<'_>, findings: &mut Vec<Finding>) -> Outcome {
        let selection = match ctx.select(self.window, self.speakers) {
            Ok(s) => s,
            Err(reason) => return ctx.not_applicable(|| reason.into_message()),
        };
        if ctx.hits_in(MATCH, &selection).next().is_none() {
            let place = self.window.describe(self.speakers);
            let mut finding = ctx.finding_at_turn(selection.anchor, || {
                format!("missing required wording in {place}")
            });
            finding.note = Some(format!("expected {} in {place}", self.expected()));
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
        if !self.patterns.is_empty() {
            out.push(("patterns", quote_list(&self.patterns, usize::MAX)));
        }
        out
    }

    fn example_role(&self) -> Role {
        self.speakers.example_role()
    }
}

impl Required {
    fn expected(&self) -> String {
        let mut parts = Vec::new();
        if !self.phrases.is_empty() {
            parts.push(format!("one of {}", quote_list(&self.phrases, 5)));
        }
        if !self.patterns.is_empty() {
            parts.push(format!("a match for {}", quote_list(&self.patterns, 3)));
        }
        parts.join(" or ")
    }
}
