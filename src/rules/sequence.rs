//! `[[sequence]]`: steps of wording must occur in order within a window.

use toml::Spanned;

use super::{CompileCtx, EvalCtx, Kind, KindDoc, Outcome, Speakers, Window, quote_list};
use crate::finding::Finding;
use crate::rules::schema::{SpeakerToml, WindowToml, rule_toml};
use crate::transcript::Role;

rule_toml! {
    /// `[[sequence]]` table.
    pub struct SequenceToml {
        /// Whose turns are searched (default agent).
        #[serde(default)]
        pub speaker: SpeakerToml,
        /// Which of those turns (default: the whole call).
        #[serde(default)]
        pub window: Option<Spanned<WindowToml>>,
        /// Each step is a list of phrases, any one of which satisfies it.
        pub steps: Spanned<Vec<Vec<Spanned<String>>>>,
    }
}

/// A compiled `[[sequence]]` rule.
#[derive(Debug)]
pub struct Sequence {
    speakers: Speakers,
    window: Window,
    steps: Vec<Vec<String>>,
}

impl Kind for Sequence {
    type Toml = SequenceToml;

    const DOC: KindDoc = KindDoc {
        name: "sequence",
        summary: "Steps of wording must occur in order.",
        what: "Looks at the speaker's turns inside the window, in order, for the first step, \
               then for the second step after it, and so on. Each step is satisfied by any one \
               of its phrases. Reports the first step that is missing (at the window's first \
               turn) or that occurs only before the previous step (at the out-of-order match). \
               Not applicable when the speaker has no turns, or when the window is in seconds \
               and the transcript has no timestamps.",
        why: "Some wording only works in order: greet first, then name the company (G3); verify \
              the caller's identity before disclosing anything (G34).",
        example: "[[sequence]]\nid = \"greet-then-company\"\nwindow = { first_turns = 2 }\nsteps = [[\"您好\", \"你好\"], [\"这里是\"]]\nexamples.pass = [\"您好，这里是ACME公司\"]\nexamples.fail = [\"这里是ACME公司，您好\"]",
    };

    fn compile(toml: &SequenceToml, ctx: &mut CompileCtx<'_>) -> Option<Self> {
        let window = ctx.window(&toml.window);
        let raw_steps = toml.steps.get_ref();
        if raw_steps.len() < 2 || raw_steps.iter().any(Vec::is_empty) {
            let d = ctx
                .error(toml.steps.span(), "a sequence needs at least two non-empty steps")
                .expected("steps = [[\"您好\", \"你好\"], [\"这里是\"]]")
                .hint("for a single step, use a [[required]] rule");
            ctx.report(d);
            return None;
        }
        let steps: Vec<Vec<String>> = raw_steps
            .iter()
            .enumerate()
            .map(|(k, step)| ctx.phrases(step, k as u16))
            .collect();
        window.map(|window| Sequence {
            speakers: toml.speaker.into(),
            window,
            steps,
        })
    }

    fn evaluate(&self, ctx: &EvalCtx<'_>, findings: &mut Vec<Finding>) -> Outcome {
        let selection = match ctx.select(self.window, self.speakers) {
            Ok(s) => s,
            Err(reason) => return ctx.not_applicable(|| reason.into_message()),
        };
        let default_message = || {
            let chain: Vec<String> = self.steps.iter().map(|s| quote_list(s, 2)).collect();
            format!("expected in order: {}", chain.join(" → "))
        };
        let mut after = (0u32, 0u32);
        for (k, step) in self.steps.iter().enumerate() {
            let slot = k as u16;
            let next = ctx.hits_in(slot, &selection).find(|h| (h.turn, h.start) >= after);
            if let Some(hit) = next {
                after = (hit.turn, hit.end);
                continue;
            }
            let place = self.window.describe(self.speakers);
            let finding = match ctx.hits_in(slot, &selection).next() {
                Some(early) => {
                    let mut f = ctx.finding_at_hit(early, default_message);
                    f.note = Some(format!(
                        "step {} ({}) came before step {} ({}) in {place}",
                        k + 1,
                        quote_list(step, 3),
                        k,
                        quote_list(&self.steps[k - 1], 3)
                    ));
                    f
                }
                None => {
                    let mut f = ctx.finding_at_turn(selection.anchor, default_message);
                    let position = if k == 0 {
                        String::new()
                    } else {
                        format!(" after step {k}")
                    };
                    f.note = Some(format!(
                        "step {} of {} is missing: expected {}{position} in {place}",
                        k + 1,
                        self.steps.len(),
                        quote_list(step, 4)
                    ));
                    f
                }
            };
            findings.push(finding);
            break;
        }
        Outcome::Applicable
    }

    fn settings(&self) -> Vec<(&'static str, String)> {
        let steps: Vec<String> = self
            .steps
            .iter()
            .enumerate()
            .map(|(k, s)| format!("{}. {}", k + 1, quote_list(s, usize::MAX)))
            .collect();
        vec![
            ("speaker", self.speakers.as_str().to_string()),
            ("window", self.window.describe(self.speakers)),
            ("steps", steps.join("  ")),
        ]
    }

    fn example_role(&self) -> Role {
        self.speakers.example_role()
    }
}
