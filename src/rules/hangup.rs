//! `[[hangup]]`: the call must be ended by a given party.

use super::{CompileCtx, EvalCtx, Kind, KindDoc, Outcome};
use crate::finding::Finding;
use crate::rules::schema::{PartyToml, rule_toml};
use crate::transcript::{Role, TranscriptKind};

rule_toml! {
    /// `[[hangup]]` table.
    pub struct HangupToml {
        /// Who must end the call (default customer).
        #[serde(default)]
        pub by: PartyToml,
    }
}

/// A compiled `[[hangup]]` rule.
#[derive(Debug)]
pub struct Hangup {
    by: Role,
}

impl Kind for Hangup {
    type Toml = HangupToml;

    const DOC: KindDoc = KindDoc {
        name: "hangup",
        summary: "The call must be ended by the given party.",
        what: "Reads who ended the call from the transcript (an `ended_by` header, a \
               `<hangup by=…>` event, or the equivalent field of other formats) and reports a \
               finding at that header or event when someone else ended it. Not applicable when \
               the transcript does not say who ended the call.",
        why: "Every etiquette course says to let the customer hang up first and never to hang up \
              on them (G37): a call cut off by the agent is the complaint QA hears most about.",
        example: "[[hangup]]\nid = \"customer-hangs-up-first\"\nby = \"customer\"\nseverity = \"error\"\nexamples.pass = [\"\"\"\n客服：再见\n<hangup by=customer>\n\"\"\"]\nexamples.fail = [\"\"\"\n客服：再见\n<hangup by=agent>\n\"\"\"]",
    };

    fn compile(toml: &HangupToml, _ctx: &mut CompileCtx<'_>) -> Option<Self> {
        let by = match toml.by {
            PartyToml::Agent => Role::Agent,
            PartyToml::Customer => Role::Customer,
            PartyToml::System => Role::System,
        };
        Some(Hangup { by })
    }

    fn evaluate(&self, ctx: &EvalCtx<'_>, findings: &mut Vec<Finding>) -> Outcome {
        if ctx.transcript.kind == TranscriptKind::Template {
            return ctx.not_applicable(|| "reply templates have no hang-up".into());
        }
        let Some(ended) = ctx.transcript.ended_by else {
            return ctx.not_applicable(|| "the transcript does not say who ended the call".into());
        };
        if ended.role != self.by {
            let mut finding = ctx.finding_at(ended.position, || {
                format!("the call must be ended by the {}", self.by)
            });
            finding.note = Some(format!("the call was ended by the {}", ended.role));
            finding.speaker = Some(ended.role);
            finding.time = ended.time;
            findings.push(finding);
        }
        Outcome::Applicable
    }

    fn settings(&self) -> Vec<(&'static str, String)> {
        vec![("by", self.by.to_string())]
    }

    fn example_role(&self) -> Role {
        Role::Agent
    }
}
