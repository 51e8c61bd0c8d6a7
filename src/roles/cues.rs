//! The cue data of role inference compiled into one automaton: which phrases count for which
//! feature, and how much each feature weighs.
//!
//! The lists are data, not code: `src/roles/cues.toml` (embedded in the binary) holds every
//! phrase, weight, cap and model constant, per language, with comments on what each feature
//! means.

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use regex::Regex;
use serde::Deserialize;

use crate::normalize::{NormText, Profile, normalize, normalize_into};
use crate::problem::Problem;

/// The embedded cue file.
pub const CUES_TOML: &str = include_str!("cues.toml");

/// Where in a speaker's turns a feature is looked for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Place {
    /// Every turn.
    Anywhere,
    /// The speaker's first [`Model::opening_turns`] turns.
    Opening,
    /// The speaker's last [`Model::closing_turns`] turns.
    Closing,
}

/// The model's constants (`[model]`).
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Model {
    /// Below this confidence no role is assigned.
    pub min_confidence: f64,
    /// Log-odds of the decision per point of evidence difference (the calibration).
    pub scale: f64,
    /// Turns that count as a speaker's opening.
    pub opening_turns: usize,
    /// Turns that count as a speaker's closing.
    pub closing_turns: usize,
    /// Weight of speaking first (not on chats).
    pub first_speaker: f64,
    /// Log-odds a known agent (customer) adds towards a lone unknown speaker being the other.
    pub anchor_prior: f64,
    /// Weight of the company's name in a speaker's opening.
    pub company: f64,
}

/// One kind of thing one side says.
#[derive(Clone, Debug, PartialEq)]
pub struct Feature {
    /// Its name, as evidence lists show it.
    pub name: String,
    /// Log-odds points towards the agent per turn (negative: towards the customer).
    pub weight: f64,
    /// Turns counted at most.
    pub cap: u16,
    /// Which turns are looked at.
    pub place: Place,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CuesToml {
    model: Model,
    feature: Vec<FeatureToml>,
    system: SystemToml,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FeatureToml {
    name: String,
    weight: f64,
    cap: u16,
    #[serde(rename = "where")]
    place: Place,
    #[serde(default)]
    zh: Vec<String>,
    #[serde(default)]
    en: Vec<String>,
    #[serde(default)]
    patterns: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SystemToml {
    min_share: f64,
    zh: Vec<String>,
    en: Vec<String>,
    #[serde(default)]
    patterns: Vec<String>,
}

/// What a phrase of the automaton counts for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Target {
    Feature(usize),
    System,
    Company,
}

/// A phrase's target and whether its edges need a word boundary.
#[derive(Clone, Copy, Debug)]
struct Phrase {
    target: Target,
    left_boundary: bool,
    right_boundary: bool,
}

/// What one turn says, as far as roles go.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TurnCues {
    /// Bit `i` is set when feature `i` occurs.
    pub features: u64,
    /// A system-voice phrase occurs.
    pub system: bool,
    /// The company's name occurs.
    pub company: bool,
}

/// The compiled cues.
#[derive(Clone, Debug)]
pub struct Cues {
    /// The constants.
    pub model: Model,
    /// The features, in file order.
    pub features: Vec<Feature>,
    /// Share of a speaker's turns with system phrases that makes it a system voice.
    pub system_min_share: f64,
    automaton: AhoCorasick,
    phrases: Vec<Phrase>,
    patterns: Vec<(usize, Regex)>,
    system_patterns: Vec<Regex>,
}

/// Most features a cue file may define (they are a bit set).
const MAX_FEATURES: usize = 64;

impl Cues {
    /// The embedded cues plus the company's names (from `[speakers] company`).
    pub fn new(companies: &[String]) -> Result<Cues, Problem> {
        Cues::from_toml(CUES_TOML, companies)
    }

    /// Cues from a TOML text (the embedded file, or a test's).
    pub fn from_toml(text: &str, companies: &[String]) -> Result<Cues, Problem> {
        let file: CuesToml = toml::from_str(text).map_err(|e| format!("role cues: {e}"))?;
        if file.feature.len() > MAX_FEATURES {
            return Err(format!("role cues: more than {MAX_FEATURES} features").into());
        }
        let profile = Profile::default();
        let mut texts: Vec<String> = Vec::new();
        let mut phrases: Vec<Phrase> = Vec::new();
        let mut add = |text: &str, target: Target| {
            let folded = normalize(&profile, text);
            if folded.is_empty() {
                return;
            }
            let edge = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric());
            phrases.push(Phrase {
                target,
                left_boundary: edge(folded.chars().next()),
                right_boundary: edge(folded.chars().next_back()),
            });
            texts.push(folded);
        };
        let mut features = Vec::with_capacity(file.feature.len());
        let mut patterns = Vec::new();
        for (i, f) in file.feature.into_iter().enumerate() {
            for phrase in f.zh.iter().chain(&f.en) {
                add(phrase, Target::Feature(i));
            }
            for pattern in &f.patterns {
                let regex = Regex::new(pattern).map_err(|e| format!("role cues: feature {}: {e}", f.name))?;
                patterns.push((i, regex));
            }
            features.push(Feature {
                name: f.name,
                weight: f.weight,
                cap: f.cap,
                place: f.place,
            });
        }
        for phrase in file.system.zh.iter().chain(&file.system.en) {
            add(phrase, Target::System);
        }
        let system_patterns = file
            .system
            .patterns
            .iter()
            .map(|p| Regex::new(p).map_err(|e| format!("role cues: system: {e}")))
            .collect::<Result<Vec<_>, _>>()?;
        for company in companies {
            add(company, Target::Company);
        }
        let automaton = AhoCorasickBuilder::new()
            .match_kind(MatchKind::Standard)
            .build(&texts)
            .map_err(|e| format!("role cues: {e}"))?;
        Ok(Cues {
            model: file.model,
            features,
            system_min_share: file.system.min_share,
            automaton,
            phrases,
            patterns,
            system_patterns,
        })
    }

    /// The cues in one turn's text, normalised once into `buffer` (reused across turns);
    /// `opening` says whether the turn is one of its speaker's opening turns (the patterns of
    /// opening features are tried there only).
    pub fn scan(&self, text: &str, opening: bool, buffer: &mut NormText) -> TurnCues {
        normalize_into(&Profile::default(), text, buffer);
        let folded = buffer.as_str();
        let mut cues = TurnCues::default();
        for m in self.automaton.find_overlapping_iter(folded) {
            let Some(phrase) = self.phrases.get(m.pattern().as_usize()) else {
                continue;
            };
            let word = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric() || c == '\'');
            if phrase.left_boundary && word(folded[..m.start()].chars().next_back()) {
                continue;
            }
            if phrase.right_boundary && word(folded[m.end()..].chars().next()) {
                continue;
            }
            match phrase.target {
                Target::Feature(i) => cues.features |= 1 << i,
                Target::System => cues.system = true,
                Target::Company => cues.company = true,
            }
        }
        for (i, regex) in &self.patterns {
            let looked_at = opening || self.features.get(*i).is_none_or(|f| f.place != Place::Opening);
            if looked_at && cues.features & (1 << i) == 0 && regex.is_match(text) {
                cues.features |= 1 << i;
            }
        }
        cues.system = cues.system || self.system_patterns.iter().any(|r| r.is_match(text));
        cues
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_cues_compile() {
        let cues = Cues::new(&["ACME Bank".to_string()]).unwrap();
        assert!(cues.features.len() >= 10);
        assert!(cues.model.min_confidence > 0.5 && cues.model.min_confidence < 1.0);
        // Every feature has phrases or patterns, and no phrase is in two features with opposite
        // signs (it would cancel itself out).
        let file: CuesToml = toml::from_str(CUES_TOML).unwrap();
        let mut seen: std::collections::HashMap<String, f64> = std::collections::HashMap::new();
        for f in &file.feature {
            assert!(
                !(f.zh.is_empty() && f.en.is_empty() && f.patterns.is_empty()),
                "{} has no cues",
                f.name
            );
            for p in f.zh.iter().chain(&f.en) {
                let key = normalize(&Profile::default(), p);
                if let Some(w) = seen.insert(key.clone(), f.weight) {
                    assert!(w * f.weight > 0.0, "`{p}` is in features of both sides");
                }
            }
        }
    }

    fn scan(cues: &Cues, text: &str) -> TurnCues {
        cues.scan(text, true, &mut NormText::new())
    }

    fn names(cues: &Cues, text: &str) -> Vec<String> {
        let found = scan(cues, text);
        cues.features
            .iter()
            .enumerate()
            .filter(|(i, _)| found.features & (1 << i) != 0)
            .map(|(_, f)| f.name.clone())
            .collect()
    }

    #[test]
    fn phrases_match_folded_text_at_word_boundaries() {
        let cues = Cues::new(&["安信银行".to_string()]).unwrap();
        assert_eq!(
            names(&cues, "請問有什麼可以幫您？"),
            ["offers-help", "addresses-the-customer-politely"]
        );
        assert_eq!(names(&cues, "HOW CAN I HELP?"), ["offers-help"]);
        // "our" is a word of its own, not part of "hour" or "your".
        assert!(
            names(&cues, "an hour for your order").is_empty(),
            "{:?}",
            names(&cues, "an hour for your order")
        );
        assert!(scan(&cues, "您好，这里是安信銀行").company);
        assert!(scan(&cues, "To speak to an agent, press 1.").system);
        assert!(scan(&cues, "普通话服务请按1").system);
        assert!(!scan(&cues, "请按照说明书操作").system);
    }

    #[test]
    fn handles_are_mentions_but_addresses_are_not() {
        let cues = Cues::new(&[]).unwrap();
        assert_eq!(names(&cues, "@中国电信 信号"), ["mentions-a-handle"]);
        assert_eq!(names(&cues, "@ China Unicom no signal"), ["mentions-a-handle"]);
        assert!(names(&cues, "write to help@example.com").is_empty());
    }
}
