//! Who is the agent? Speaker roles per call, decided once per parsed transcript before any rule
//! runs (the stage between [`transcript`](crate::transcript) and [`normalize`](crate::normalize)).
//!
//! Most roles are stated: a role word as the label (`客服`, `Agent`), a format's role field
//! (`ParticipantRole`), or an explicit mapping (`--speaker-map`, `[speakers]`, the call's `agent`
//! metadata). Speech recognisers and chat exports label speakers `spk_0`, `SPEAKER_01`,
//! `Speaker 2` or by user name, and which of them is the agent changes from call to call. For
//! those speakers — and only when there are any, so calls with role words cost nothing here —
//! the roles are **inferred** from what each speaker says, with a transparent scored model:
//!
//! - each speaker's turns are scanned once for cue phrases grouped into features (introduces
//!   the company, offers help, asks for details, reads back, apologises, closes the call; states a
//!   need, complains, addresses the company, gives own details …), kept as data per language in
//!   `src/roles/cues.toml`;
//! - a speaker's **evidence** is `Σ weight × min(turns with the feature, cap)` plus the company's
//!   name in its opening and, on voice calls, a small weight for speaking first; weights are
//!   log-odds points towards "agent";
//! - with two unknown speakers, the one with more evidence is the agent and the **confidence** is
//!   the logistic of the difference times a calibration scale (the model's probability that the
//!   assignment is right rather than swapped); with more (a transfer: two agents), the speaker with the least evidence is the
//!   customer and each other speaker is an agent when its own difference is confident; a lone
//!   unknown speaker beside a known agent (customer) leans customer (agent) by a prior;
//! - the first speaker, when most of its turns are IVR prompts ("press 1", "本次通话可能会被录音")
//!   and it says nothing a customer says, is the system voice;
//! - below the minimum confidence nothing is assigned: the speakers keep role `other`, the
//!   rejected guess is kept for the message, and a call left without an agent is not checked
//!   ([`Assignment::not_checked`]) — never a silent guess.
//!
//! Amazon Connect records the customer on the left channel and the agent on the right, so a
//! Transcribe channel-identification transcript (`ch_0`, `ch_1`) of a call with a Connect
//! contact record gets its roles from that convention ([`RoleSource::Channel`]), unless what is
//! said confidently contradicts it. `--roles strict` turns inference and conventions off.
//!
//! The stage never prints: the outcome is the transcript's [`Assignment`], which reports show.

pub mod cues;

use crate::normalize::NormText;
use crate::problem::Problem;
use crate::transcript::assignment::MAX_UNKNOWN_SPEAKERS;
use crate::transcript::{
    Assignment, Channel, Evidence, Role, RoleSource, SpeakerRole, Transcript, TranscriptKind, Undecided,
};
use cues::{Cues, Place, TurnCues};

/// Whether roles may be inferred (`--roles`, `roles` in callcheck.toml).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Mode {
    /// Infer the roles of speakers whose labels are not role words and are not mapped.
    #[default]
    Infer,
    /// Only role words, format role fields and explicit mappings give roles.
    Strict,
}

impl Mode {
    /// Every mode with its name.
    pub const NAMES: [(&'static str, Mode); 2] = [("infer", Mode::Infer), ("strict", Mode::Strict)];

    /// The mode's name.
    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Infer => "infer",
            Mode::Strict => "strict",
        }
    }

    /// The mode with this name.
    pub fn parse(name: &str) -> Option<Mode> {
        Mode::NAMES.iter().find(|(n, _)| *n == name).map(|(_, m)| *m)
    }
}

/// A speaker's turns scanned for cues, besides its closing turns.
pub const SCANNED_TURNS: usize = 12;

/// Decides the roles of each parsed transcript; built once per run.
#[derive(Clone, Debug)]
pub struct Inferrer {
    mode: Mode,
    cues: Cues,
}

impl Inferrer {
    /// An inferrer in `mode`; `companies` are the company's names (`[speakers] company`).
    pub fn new(mode: Mode, companies: &[String]) -> Result<Inferrer, Problem> {
        Ok(Inferrer {
            mode,
            cues: Cues::new(companies)?,
        })
    }

    /// The mode.
    pub fn mode(&self) -> Mode {
        self.mode
    }

    /// The confidence a decision needs.
    pub fn min_confidence(&self) -> f64 {
        self.cues.model.min_confidence
    }

    /// Decides the roles of speakers nothing names, sets them on the turns, and records the
    /// outcome in [`Transcript::roles`].
    pub fn apply(&self, transcript: &mut Transcript) {
        let (mut speakers, speaker_of_turn) = speakers(transcript);
        let mut assignment = Assignment {
            min_confidence: self.cues.model.min_confidence,
            ..Assignment::default()
        };
        let unknown = speakers
            .iter()
            .filter(|s| s.source == RoleSource::Unknown)
            .count();
        if unknown > 0 && transcript.kind == TranscriptKind::Conversation {
            match self.mode {
                Mode::Strict => assignment.undecided = Some(Undecided::Strict),
                Mode::Infer if unknown > MAX_UNKNOWN_SPEAKERS => {
                    assignment.undecided = Some(Undecided::TooMany)
                }
                Mode::Infer => {
                    self.infer(transcript, &speaker_of_turn, &mut speakers, &mut assignment);
                    for (turn, &index) in transcript.turns.iter_mut().zip(&speaker_of_turn) {
                        if let Some(s) = speakers.get(index) {
                            turn.speaker.role = s.role;
                            turn.speaker.source = s.source;
                        }
                    }
                }
            }
        }
        assignment.source = call_source(&speakers);
        assignment.speakers = speakers;
        transcript.roles = Some(assignment);
    }

    /// Scores the unknown speakers and assigns the roles the evidence supports.
    fn infer(
        &self,
        transcript: &Transcript,
        speaker_of_turn: &[usize],
        speakers: &mut [SpeakerRole],
        assignment: &mut Assignment,
    ) {
        let model = &self.cues.model;
        // Each unknown speaker's turns, scanned once: its first SCANNED_TURNS (every feature is
        // capped well below) and its closing turns, so a long call costs no more than a short one.
        let mut found: Vec<Vec<TurnCues>> = vec![Vec::new(); speakers.len()];
        let mut seen = vec![0usize; speakers.len()];
        let mut buffer = NormText::new();
        for (turn, &index) in transcript.turns.iter().zip(speaker_of_turn) {
            if speakers[index].source != RoleSource::Unknown {
                continue;
            }
            seen[index] += 1;
            let closing = speakers[index].turns - seen[index] < model.closing_turns;
            if seen[index] <= SCANNED_TURNS || closing {
                let opening = seen[index] <= model.opening_turns;
                found[index].push(self.cues.scan(&turn.text, opening, &mut buffer));
            }
        }
        // IVR prompts first: a system voice must not count as the agent (it names the company).
        // It answers the call, so only the first speaker can be one.
        if let Some(&first) = speaker_of_turn.first()
            && speakers[first].source == RoleSource::Unknown
            && speakers.len() > 1
            && self.is_system(&found[first])
        {
            speakers[first].role = Role::System;
            speakers[first].source = RoleSource::Inferred;
        }
        // Speaking first counts on calls (the agent answers); in chats the customer writes first,
        // and untimed text that does not say which it is could be either.
        let voice = match transcript.channel() {
            Some(channel) => channel == Channel::Voice,
            None => transcript.has_times(),
        };
        let first = voice
            .then(|| {
                speaker_of_turn
                    .iter()
                    .copied()
                    .find(|&i| speakers[i].role != Role::System)
            })
            .flatten();
        let candidates: Vec<usize> = (0..speakers.len())
            .filter(|&i| speakers[i].source == RoleSource::Unknown)
            .collect();
        for &i in &candidates {
            let evidence = self.evidence(&found[i], first == Some(i));
            speakers[i].evidence = Some(evidence);
        }
        let score = |i: usize| speakers[i].evidence.as_ref().map_or(0.0, |e| e.score);
        let has = |role: Role| {
            speakers.iter().any(|s| {
                s.role == role && s.source != RoleSource::Unknown && s.source != RoleSource::Inferred
            })
        };
        let (agent_known, customer_known) = (has(Role::Agent), has(Role::Customer));
        // (speaker, role, confidence) for every decision, and the weakest confidence.
        let mut decided: Vec<(usize, Role, f64)> = Vec::new();
        let mut rejected: Vec<(usize, Role, f64)> = Vec::new();
        if candidates.len() == 1 || agent_known || customer_known {
            // Each speaker on its own evidence, leaning to the role the call still lacks.
            let prior = match (agent_known, customer_known) {
                (true, false) => -model.anchor_prior,
                (false, true) => model.anchor_prior,
                _ => 0.0,
            };
            for &i in &candidates {
                let log_odds = score(i) + prior;
                let role = if log_odds > 0.0 {
                    Role::Agent
                } else {
                    Role::Customer
                };
                let confidence = logistic(model.scale * log_odds.abs());
                if confidence >= model.min_confidence {
                    decided.push((i, role, confidence));
                } else {
                    rejected.push((i, role, confidence));
                }
            }
        } else if let Some(&customer) = candidates.iter().min_by(|&&a, &&b| score(a).total_cmp(&score(b))) {
            // The least agent-like speaker is the customer; every other speaker is an agent when
            // it is confidently more agent-like than the customer (a transfer has two).
            let mut best = 0.0f64;
            for &i in candidates.iter().filter(|&&i| i != customer) {
                let confidence = logistic(model.scale * (score(i) - score(customer)));
                best = best.max(confidence);
                if confidence >= model.min_confidence {
                    decided.push((i, Role::Agent, confidence));
                } else {
                    rejected.push((i, Role::Agent, confidence));
                }
            }
            if decided.is_empty() {
                rejected.push((customer, Role::Customer, best));
            } else {
                decided.push((customer, Role::Customer, best));
            }
        }
        if let Some(conflict) = self.channel_convention(transcript, speakers, &decided, &candidates) {
            assignment.undecided = Some(Undecided::Conflict(conflict));
            assignment.guess = decided
                .iter()
                .map(|&(i, role, _)| (speakers[i].label.clone(), role))
                .collect();
            assignment.confidence = decided.iter().map(|d| d.2).reduce(f64::min);
            return;
        }
        if speakers.iter().any(|s| s.source == RoleSource::Channel) {
            return;
        }
        for &(i, role, _) in &decided {
            speakers[i].role = role;
            speakers[i].source = RoleSource::Inferred;
        }
        if !rejected.is_empty() {
            assignment.undecided = Some(Undecided::NotConfident);
            // The guess names the whole best assignment, so the hint can map both speakers.
            assignment.guess = decided
                .iter()
                .chain(&rejected)
                .map(|&(i, role, _)| (speakers[i].label.clone(), role))
                .collect();
        }
        let weakest = |list: &[(usize, Role, f64)]| list.iter().map(|d| d.2).reduce(f64::min);
        assignment.confidence = weakest(&decided).or_else(|| weakest(&rejected));
        if decided.is_empty() && !rejected.is_empty() {
            assignment.confidence = rejected.iter().map(|d| d.2).reduce(f64::max);
        }
    }

    /// A speaker's evidence for being the agent.
    fn evidence(&self, turns: &[TurnCues], first: bool) -> Evidence {
        let model = &self.cues.model;
        let opening = &turns[..turns.len().min(model.opening_turns)];
        let closing = &turns[turns.len().saturating_sub(model.closing_turns)..];
        let mut score = 0.0;
        let mut features = Vec::new();
        for (i, feature) in self.cues.features.iter().enumerate() {
            let looked_at = match feature.place {
                Place::Anywhere => turns,
                Place::Opening => opening,
                Place::Closing => closing,
            };
            let count = looked_at.iter().filter(|t| t.features & (1 << i) != 0).count();
            let counted = count.min(usize::from(feature.cap));
            if counted > 0 {
                score += feature.weight * counted as f64;
                features.push((feature.name.clone(), counted as u16));
            }
        }
        if opening.iter().any(|t| t.company) {
            score += model.company;
            features.push(("names-the-company".to_string(), 1));
        }
        if first {
            score += model.first_speaker;
            features.push(("speaks-first".to_string(), 1));
        }
        Evidence { score, features }
    }

    /// True for an IVR voice: most turns are prompts, and nothing a customer says.
    fn is_system(&self, turns: &[TurnCues]) -> bool {
        let prompts = turns.iter().filter(|t| t.system).count();
        let customer_side: u64 = self
            .cues
            .features
            .iter()
            .enumerate()
            .filter(|(_, f)| f.weight < 0.0)
            .fold(0, |bits, (i, _)| bits | 1 << i);
        prompts > 0
            && prompts as f64 >= self.cues.system_min_share * turns.len() as f64
            && turns.iter().all(|t| t.features & customer_side == 0)
    }

    /// Amazon Connect's stereo convention for a Transcribe channel-identification transcript:
    /// `ch_0` (left) is the customer, `ch_1` (right) the agent. Applies it when the call has a
    /// Connect contact record (a `disconnect_reason`) and the speakers are those two channels;
    /// returns why not when what is said confidently says the opposite.
    fn channel_convention(
        &self,
        transcript: &Transcript,
        speakers: &mut [SpeakerRole],
        decided: &[(usize, Role, f64)],
        candidates: &[usize],
    ) -> Option<String> {
        if !transcript.metadata.contains_key("disconnect_reason") || candidates.len() != 2 {
            return None;
        }
        let channel = |i: usize| match speakers[i].label.to_ascii_lowercase().as_str() {
            "ch_0" => Some(Role::Customer),
            "ch_1" => Some(Role::Agent),
            _ => None,
        };
        let convention: Vec<(usize, Role)> = candidates
            .iter()
            .filter_map(|&i| Some((i, channel(i)?)))
            .collect();
        if convention.len() != 2 || convention[0].1 == convention[1].1 {
            return None;
        }
        if let Some(&(i, role, _)) = decided.iter().find(|&&(i, role, _)| channel(i) != Some(role)) {
            return Some(format!(
                "the Amazon Connect recording convention (the agent on the right channel, ch_1) \
                 contradicts what is said, which points to `{}` as the {role}",
                speakers[i].label
            ));
        }
        for (i, role) in convention {
            speakers[i].role = role;
            speakers[i].source = RoleSource::Channel;
        }
        None
    }
}

/// The logistic function: log-odds to probability.
fn logistic(log_odds: f64) -> f64 {
    1.0 / (1.0 + (-log_odds).exp())
}

/// The call's speakers in order of first turn, and each turn's speaker index.
fn speakers(transcript: &Transcript) -> (Vec<SpeakerRole>, Vec<usize>) {
    let mut speakers: Vec<SpeakerRole> = Vec::new();
    let mut of_turn = Vec::with_capacity(transcript.turns.len());
    // A call has a handful of speakers, so a linear search beats hashing every label; a broken
    // file with thousands of labels gets a map instead.
    let mut many: Option<std::collections::HashMap<(&str, Role), usize>> = None;
    for turn in &transcript.turns {
        let key = (turn.speaker.label.as_str(), turn.speaker.role);
        let found = match &many {
            Some(map) => map.get(&key).copied(),
            None => speakers
                .iter()
                .position(|s| s.label == turn.speaker.label && s.role == turn.speaker.role),
        };
        let index = match found {
            Some(i) => i,
            None => {
                speakers.push(SpeakerRole {
                    label: turn.speaker.label.clone(),
                    role: turn.speaker.role,
                    source: turn.speaker.source,
                    turns: 0,
                    evidence: None,
                });
                let index = speakers.len() - 1;
                match &mut many {
                    Some(map) => {
                        map.insert(key, index);
                    }
                    None if speakers.len() > LINEAR_SPEAKERS => {
                        let map = transcript
                            .turns
                            .iter()
                            .map(|t| (t.speaker.label.as_str(), t.speaker.role))
                            .zip(&of_turn)
                            .map(|(k, &i)| (k, i))
                            .chain(std::iter::once((key, index)))
                            .collect();
                        many = Some(map);
                    }
                    None => {}
                }
                index
            }
        };
        speakers[index].turns += 1;
        of_turn.push(index);
    }
    (speakers, of_turn)
}

/// Speakers looked up by linear search before [`speakers`] switches to a map.
const LINEAR_SPEAKERS: usize = 16;

/// The source of a call's roles as a whole.
fn call_source(speakers: &[SpeakerRole]) -> RoleSource {
    [
        RoleSource::Inferred,
        RoleSource::Channel,
        RoleSource::Map,
        RoleSource::Labels,
    ]
    .into_iter()
    .find(|source| speakers.iter().any(|s| s.source == *source))
    .unwrap_or(RoleSource::Unknown)
}

#[cfg(test)]
mod tests;
