//! The TOML shape of a rulebook file, as serde structs with spans.
//!
//! It sits with the rule kinds rather than with the loader ([`crate::rulebook`]): a
//! [`RulebookFile`] holds one list of tables per kind, and the kinds' tables are built on
//! `rule_toml!`, so the kinds and the file shape change together, and `rulebook` only reads
//! them.
//!
//! Each rule kind declares its own table struct (in `rules/<kind>.rs`) with [`rule_toml!`],
//! which adds the keys every rule takes (`id`, `title`, `guideline`, `severity`, `message`,
//! `tags`, `examples`). Plain structs per kind, rather than one tagged enum, keep serde's spans
//! and `deny_unknown_fields` working, so every error points at the right line.

use serde::Deserialize;
use toml::Spanned;

use super::{conditional, forbidden, hangup, metric, pii, readback, required, sequence};
use crate::finding::Severity;

/// A whole rulebook file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RulebookFile {
    /// `[rulebook]`: id, title, language.
    pub rulebook: Spanned<RulebookHeader>,
    /// `[normalize]`: the folds applied to text and phrases.
    #[serde(default)]
    pub normalize: NormalizeToml,
    /// `[speakers]`: extra speaker labels, for every format whose speakers are labels.
    #[serde(default)]
    pub speakers: SpeakersToml,
    /// `[[required]]` rules.
    #[serde(default)]
    pub required: Vec<Spanned<required::RequiredToml>>,
    /// `[[forbidden]]` rules.
    #[serde(default)]
    pub forbidden: Vec<Spanned<forbidden::ForbiddenToml>>,
    /// `[[sequence]]` rules.
    #[serde(default)]
    pub sequence: Vec<Spanned<sequence::SequenceToml>>,
    /// `[[hangup]]` rules.
    #[serde(default)]
    pub hangup: Vec<Spanned<hangup::HangupToml>>,
    /// `[[readback]]` rules.
    #[serde(default)]
    pub readback: Vec<Spanned<readback::ReadbackToml>>,
    /// `[[conditional]]` rules.
    #[serde(default)]
    pub conditional: Vec<Spanned<conditional::ConditionalToml>>,
    /// `[[metric]]` rules.
    #[serde(default)]
    pub metric: Vec<Spanned<metric::MetricToml>>,
    /// `[[pii]]` rules.
    #[serde(default)]
    pub pii: Vec<Spanned<pii::PiiToml>>,
    /// `[scorecard]`: pass mark, sections and scoring of inherited rules.
    #[serde(default)]
    pub scorecard: Option<Spanned<ScorecardToml>>,
    /// `[lists]`: named word lists rules draw phrases from (`phrases_from`) or compare metadata
    /// with (`in_list`); a project's callcheck.toml `[lists]` replaces a list of the same name.
    #[serde(default)]
    pub lists: indexmap::IndexMap<String, Vec<String>>,
}

/// `[scorecard]`: how calls are scored against this rulebook's rules.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScorecardToml {
    /// The score a call needs to pass, 0–100 (default 80, or the extended rulebook's).
    #[serde(default)]
    pub pass_mark: Option<Spanned<f64>>,
    /// `[[scorecard.sections]]`: named groups of rules, scored separately too.
    #[serde(default)]
    pub sections: Option<Vec<SectionToml>>,
    /// Weights of inherited rules, by local id (own rules set `weight` themselves).
    #[serde(default)]
    pub weight: indexmap::IndexMap<Spanned<String>, Spanned<f64>>,
    /// Inherited rules that make the call's score 0 (`true`) or no longer do (`false`).
    #[serde(default)]
    pub auto_fail: indexmap::IndexMap<Spanned<String>, bool>,
}

/// One `[[scorecard.sections]]` entry.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SectionToml {
    /// The section's name, as reports show it ("Opening").
    pub name: Spanned<String>,
    /// Local rule ids or globs over them; a rule belongs to the first section that names it.
    pub rules: Vec<Spanned<String>>,
}

/// `[rulebook]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RulebookHeader {
    /// Prefix of every rule id.
    pub id: Spanned<String>,
    /// Human-readable name.
    #[serde(default)]
    pub title: Option<String>,
    /// Longer description, shown by `rules list --verbose` and docs.
    #[serde(default)]
    pub description: Option<String>,
    /// The language the rulebook is written for (informational).
    #[serde(default)]
    pub language: Option<LanguageToml>,
    /// Restricts the rulebook to transcripts in one language.
    #[serde(default)]
    pub applies_to: Option<LanguageToml>,
    /// The channel every rule of the rulebook is about, unless a rule says otherwise.
    #[serde(default)]
    pub channel: Option<ChannelToml>,
    /// Rulebooks whose rules this one inherits (`builtin:NAME` or paths relative to this file).
    #[serde(default)]
    pub extends: Vec<Spanned<String>>,
    /// Inherited rules to drop: local ids or globs over them.
    #[serde(default)]
    pub disable: Vec<Spanned<String>>,
    /// New severities for inherited rules, by local id.
    #[serde(default)]
    pub severity: indexmap::IndexMap<Spanned<String>, Spanned<Severity>>,
}

/// `zh`, `en` or `any`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LanguageToml {
    /// Chinese.
    Zh,
    /// English.
    En,
    /// Any language.
    Any,
}

/// `[normalize]`: every switch defaults to true.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NormalizeToml {
    /// NFKC width folding.
    #[serde(default = "yes")]
    pub fold_width: bool,
    /// Case folding.
    #[serde(default = "yes")]
    pub fold_case: bool,
    /// Traditional → Simplified folding.
    #[serde(default = "yes")]
    pub fold_script: bool,
    /// Drop punctuation and CJK-adjacent whitespace.
    #[serde(default = "yes")]
    pub ignore_punctuation: bool,
}

fn yes() -> bool {
    true
}

impl Default for NormalizeToml {
    fn default() -> Self {
        NormalizeToml {
            fold_width: true,
            fold_case: true,
            fold_script: true,
            ignore_punctuation: true,
        }
    }
}

/// `[speakers]`: extra labels per role.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SpeakersToml {
    /// Extra agent labels.
    #[serde(default)]
    pub agent: Vec<String>,
    /// Extra customer labels.
    #[serde(default)]
    pub customer: Vec<String>,
    /// Extra system labels.
    #[serde(default)]
    pub system: Vec<String>,
    /// The company's names, which role inference looks for in what the agent says.
    #[serde(default)]
    pub company: Vec<String>,
}

/// `examples.pass` / `examples.fail`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExamplesToml {
    /// Transcripts that must produce no finding for the rule.
    #[serde(default)]
    pub pass: Vec<Spanned<String>>,
    /// Transcripts that must produce at least one finding for the rule.
    #[serde(default)]
    pub fail: Vec<Spanned<String>>,
}

/// `speaker = "agent" | "customer" | "any"`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SpeakerToml {
    /// The agent's turns (default).
    #[default]
    Agent,
    /// The customer's turns.
    Customer,
    /// System/IVR turns.
    System,
    /// Every turn.
    Any,
}

/// `by = "agent" | "customer" | "system"`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PartyToml {
    /// The agent.
    Agent,
    /// The customer (default: the customer should hang up first).
    #[default]
    Customer,
    /// The system (IVR timeout, transfer).
    System,
}

/// `window = { first_turns = N }` and friends.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WindowToml {
    /// The speaker's first N turns.
    pub first_turns: Option<u32>,
    /// The speaker's last N turns.
    pub last_turns: Option<u32>,
    /// The speaker's last N turns when the speaker has the last word (nothing but the other
    /// side's acknowledgements follows); otherwise the rule does not apply.
    pub final_turns: Option<u32>,
    /// Turns starting within N seconds of the start of the call.
    pub first_seconds: Option<f64>,
    /// Turns starting within N seconds of the end of the call.
    pub last_seconds: Option<f64>,
}

/// The keys every rule takes, copied out of a kind's table.
#[derive(Debug, Clone)]
pub struct CommonToml<'a> {
    /// `id`.
    pub id: &'a Spanned<String>,
    /// `title`.
    pub title: Option<&'a str>,
    /// `guideline`.
    pub guideline: Option<&'a str>,
    /// `severity`.
    pub severity: Option<Severity>,
    /// `message`.
    pub message: Option<&'a str>,
    /// `tags`.
    pub tags: &'a [String],
    /// `examples`.
    pub examples: Option<&'a ExamplesToml>,
    /// `channel`.
    pub channel: Option<ChannelToml>,
    /// `weight`.
    pub weight: Option<&'a Spanned<f64>>,
    /// `auto_fail`.
    pub auto_fail: Option<bool>,
    /// `templates`.
    pub templates: Option<&'a [String]>,
}

/// `channel = "voice" | "chat"`: the kind of conversation a rule is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ChannelToml {
    /// Telephone and other spoken calls.
    Voice,
    /// Chat and messaging.
    Chat,
}

/// Declares a rule kind's TOML table with the common keys plus the kind's own.
macro_rules! rule_toml {
    (
        $(#[$meta:meta])*
        pub struct $name:ident {
            $( $(#[$field_meta:meta])* pub $field:ident : $ty:ty, )*
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, serde::Deserialize)]
        #[serde(deny_unknown_fields)]
        pub struct $name {
            /// Unique id within the rulebook (kebab-case).
            pub id: toml::Spanned<String>,
            /// One-line title.
            #[serde(default)]
            pub title: Option<String>,
            /// Guideline id from the domain catalogue (`G3`).
            #[serde(default)]
            pub guideline: Option<String>,
            /// Severity of findings (default warning).
            #[serde(default)]
            pub severity: Option<$crate::finding::Severity>,
            /// Message shown with each finding.
            #[serde(default)]
            pub message: Option<String>,
            /// Free-form tags for selection.
            #[serde(default)]
            pub tags: Vec<String>,
            /// Embedded pass/fail examples.
            #[serde(default)]
            pub examples: Option<$crate::rules::schema::ExamplesToml>,
            /// Only for voice calls or only for chats (default: both).
            #[serde(default)]
            pub channel: Option<$crate::rules::schema::ChannelToml>,
            /// Share of the call's score (default 1; 0 for info rules).
            #[serde(default)]
            pub weight: Option<toml::Spanned<f64>>,
            /// A finding makes the call's score 0.
            #[serde(default)]
            pub auto_fail: Option<bool>,
            /// The reply-template roles the rule checks (`["closing"]`); see
            /// [`crate::rules::RuleMeta::templates`].
            #[serde(default)]
            pub templates: Option<Vec<String>>,
            $( $(#[$field_meta])* pub $field: $ty, )*
        }

        impl $name {
            /// The keys every rule takes.
            pub fn common(&self) -> $crate::rules::schema::CommonToml<'_> {
                $crate::rules::schema::CommonToml {
                    id: &self.id,
                    title: self.title.as_deref(),
                    guideline: self.guideline.as_deref(),
                    severity: self.severity,
                    message: self.message.as_deref(),
                    tags: &self.tags,
                    examples: self.examples.as_ref(),
                    channel: self.channel,
                    weight: self.weight.as_ref(),
                    auto_fail: self.auto_fail,
                    templates: self.templates.as_deref(),
                }
            }
        }
    };
}

pub(crate) use rule_toml;
