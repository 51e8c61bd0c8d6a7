//! How the roles of one call were decided: the outcome of the roles stage
//! ([`crate::roles`]), kept on the [`Transcript`](super::Transcript) it describes so that
//! findings, reports and `convert` show it without depending on how roles are inferred.

use super::{Role, RoleSource};

/// What inference saw in one speaker's turns.
#[derive(Clone, Debug, PartialEq)]
pub struct Evidence {
    /// The speaker's evidence for being the agent, in log-odds points.
    pub score: f64,
    /// The features found and the turns each counted (after its cap), in cue-file order.
    pub features: Vec<(String, u16)>,
}

/// One speaker of a call: its label, role, and where the role comes from.
#[derive(Clone, Debug, PartialEq)]
pub struct SpeakerRole {
    /// The label as written.
    pub label: String,
    /// The role its turns have.
    pub role: Role,
    /// Where the role comes from.
    pub source: RoleSource,
    /// How many turns the speaker has.
    pub turns: usize,
    /// What inference saw, when it looked at this speaker.
    pub evidence: Option<Evidence>,
}

/// Why inference left speakers without a role.
#[derive(Clone, Debug, PartialEq)]
pub enum Undecided {
    /// `--roles strict`: roles are not inferred.
    Strict,
    /// The best assignment was below the minimum confidence.
    NotConfident,
    /// A channel convention and what was said disagree.
    Conflict(String),
    /// More unknown speakers than a conversation has ([`MAX_UNKNOWN_SPEAKERS`]).
    TooMany,
}

/// Unknown speakers named in a not-checked reason.
const SHOWN_LABELS: usize = 4;

/// Most unknown speakers a call may have for inference to run: more is not a conversation (a
/// broken or misread file), and scoring them all would cost time for nothing.
pub const MAX_UNKNOWN_SPEAKERS: usize = 16;

/// How the roles of one call were decided: the JSON report's and `convert`'s `roles`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Assignment {
    /// Where the roles come from, for the call as a whole: `inferred` when any speaker's role
    /// was inferred, else `channel`, `map`, `labels`, or `none` when no speaker has a role.
    pub source: RoleSource,
    /// The confidence of inferred roles (the weakest decision), or of the rejected guess; `None`
    /// when nothing was inferred.
    pub confidence: Option<f64>,
    /// The speakers, in order of their first turn.
    pub speakers: Vec<SpeakerRole>,
    /// When inference was not confident: the roles it would have given.
    pub guess: Vec<(String, Role)>,
    /// Why some speakers were left without a role, if they were.
    pub undecided: Option<Undecided>,
    /// The confidence a decision needs.
    pub min_confidence: f64,
}

impl Assignment {
    /// Why the call cannot be checked: it has turns, none of them is the agent's, and some
    /// speaker's role is unknown (so the agent may well be among them). A call whose speakers
    /// are all known but where the agent never speaks is a normal call.
    pub fn not_checked(&self) -> Option<String> {
        let unknown: Vec<&SpeakerRole> = self
            .speakers
            .iter()
            .filter(|s| s.source == RoleSource::Unknown)
            .collect();
        if unknown.is_empty() || self.speakers.iter().any(|s| s.role == Role::Agent) {
            return None;
        }
        // A broken file may hold thousands of labels: name a few.
        let mut seen: Vec<String> = unknown
            .iter()
            .take(SHOWN_LABELS)
            .map(|s| format!("`{}` ({})", s.label, plural(s.turns, "turn")))
            .collect();
        if unknown.len() > SHOWN_LABELS {
            seen.push(format!("{} more", unknown.len() - SHOWN_LABELS));
        }
        let mut reason = format!(
            "no speaker could be identified as the agent: {} {}",
            list(&seen),
            if unknown.len() == 1 {
                "is neither a role word nor mapped"
            } else {
                "are neither role words nor mapped"
            }
        );
        match &self.undecided {
            Some(Undecided::Strict) => reason.push_str(", and --roles strict does not infer roles"),
            Some(Undecided::TooMany) => reason.push_str(&format!(
                ", and roles are inferred for at most {MAX_UNKNOWN_SPEAKERS} speakers a call"
            )),
            Some(Undecided::Conflict(why)) => reason.push_str(&format!(", and {why}")),
            Some(Undecided::NotConfident) | None => {
                let guess: Vec<String> = self
                    .guess
                    .iter()
                    .filter(|(_, role)| *role == Role::Agent)
                    .map(|(label, _)| format!("`{label}`"))
                    .collect();
                match (self.confidence, guess.is_empty()) {
                    (Some(confidence), false) => reason.push_str(&format!(
                        ", and what is said does not tell (the best guess, {} as the agent, has \
                         confidence {:.2}, below {:.2})",
                        guess.join(" and "),
                        floor2(confidence),
                        self.min_confidence
                    )),
                    _ => reason.push_str(", and what is said does not tell"),
                }
            }
        }
        // The hint maps the best guess when there is one, else the labels in order.
        let agent = self
            .guess
            .iter()
            .find(|(_, role)| *role == Role::Agent)
            .map(|(label, _)| label.as_str())
            .unwrap_or(&unknown[0].label);
        let mut mapping = vec![format!("{}=agent", quote(agent))];
        mapping.extend(
            unknown
                .iter()
                .filter(|s| s.label != agent)
                .take(1)
                .map(|s| format!("{}=customer", quote(&s.label))),
        );
        reason.push_str(&format!(
            "; map the labels with --speaker-map {} or `agent = [\"{}\"]` in the [speakers] table \
             of callcheck.toml or a rulebook",
            mapping.join(","),
            agent.replace('"', "\\\"")
        ));
        Some(reason)
    }

    /// The roles in one line, for people: "inferred (confidence 0.97): spk_0 = agent, spk_1 =
    /// customer".
    pub fn describe(&self) -> String {
        let map: Vec<String> = self
            .speakers
            .iter()
            .map(|s| format!("{} = {}", s.label, s.role))
            .collect();
        let source = match (self.source, self.confidence) {
            (RoleSource::Inferred, Some(c)) => format!("inferred (confidence {:.2})", floor2(c)),
            (RoleSource::Labels, _) => "from the labels".to_string(),
            (RoleSource::Map, _) => "from the speaker map".to_string(),
            (RoleSource::Channel, _) => "from the channel convention".to_string(),
            (source, _) => source.as_str().to_string(),
        };
        if map.is_empty() {
            format!("roles {source}: no speakers")
        } else {
            format!("roles {source}: {}", map.join(", "))
        }
    }
}

/// A confidence as reports show it: floored to two decimals, so a value below the minimum never
/// shows as reaching it.
pub fn floor2(confidence: f64) -> f64 {
    (confidence * 100.0).floor() / 100.0
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// "a", "a and b", "a, b and c".
fn list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// A label as a shell argument needs it.
fn quote(label: &str) -> String {
    if label.chars().all(|c| c.is_alphanumeric() || "_-.".contains(c)) {
        label.to_string()
    } else {
        format!("\"{}\"", label.replace('"', "\\\""))
    }
}
