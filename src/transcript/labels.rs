//! Speaker labels (`客服`, `Agent`, `Caller`) and the roles they stand for.
//!
//! Labels compare case-insensitively, across full-width/half-width forms and across
//! Traditional/Simplified script, so `客戶`, `客户` and `CUSTOMER` all work.
//!
//! The label `*` is a wildcard: `--speaker-map '*=agent'` gives every speaker whose label is
//! not known otherwise (and speech with no speaker at all, such as captions without
//! diarisation) that role. Named labels always win over it.

use std::collections::HashMap;

use super::{Role, RoleSource, Speaker};
use crate::normalize::{Profile, normalize};

/// Built-in labels for each role; Traditional forms fold to these automatically.
const DEFAULTS: &[(Role, &[&str])] = &[
    (
        Role::Agent,
        &[
            "agent",
            "csr",
            "rep",
            "representative",
            "客服",
            "坐席",
            "座席",
            "话务员",
            "客服人员",
        ],
    ),
    (
        Role::Customer,
        &[
            "customer",
            "caller",
            "client",
            "user",
            "客户",
            "顾客",
            "用户",
            "来电人",
        ],
    ),
    (Role::System, &["system", "ivr", "系统"]),
];

/// The label that stands for every speaker not named otherwise.
pub const WILDCARD: &str = "*";

/// The speaker label given to speech that names no speaker when the wildcard gives it a role.
pub const UNNAMED: &str = "(unnamed)";

/// Maps speaker labels to roles; built from the defaults plus rulebook `[speakers]` tables and
/// `--speaker-map`. Each label remembers whether it is a default role word or an explicit
/// mapping, which the JSON report shows as the roles' `source`.
#[derive(Clone, Debug)]
pub struct SpeakerLabels {
    roles: HashMap<String, (Role, RoleSource)>,
    /// The role of every label not named otherwise (`*=ROLE`).
    wildcard: Option<Role>,
    /// The company's names (`[speakers] company`), which role inference looks for.
    companies: Vec<String>,
}

impl Default for SpeakerLabels {
    fn default() -> Self {
        let mut labels = SpeakerLabels {
            roles: HashMap::new(),
            wildcard: None,
            companies: Vec::new(),
        };
        for (role, names) in DEFAULTS {
            for name in *names {
                labels.roles.insert(fold(name), (*role, RoleSource::Labels));
            }
        }
        labels
    }
}

impl SpeakerLabels {
    /// Adds (or re-maps) a label explicitly (`[speakers]`, `--speaker-map`); the label `*` sets
    /// the wildcard role.
    pub fn add(&mut self, label: &str, role: Role) {
        if label.trim() == WILDCARD {
            self.wildcard = Some(role);
        } else {
            self.roles.insert(fold(label), (role, RoleSource::Map));
        }
    }

    /// Adds a name of the company (`[speakers] company`): agents say it when they answer.
    pub fn add_company(&mut self, name: &str) {
        let name = name.trim();
        if !name.is_empty() && !self.companies.iter().any(|c| c == name) {
            self.companies.push(name.to_string());
        }
    }

    /// The company's names, in the order they were added.
    pub fn companies(&self) -> &[String] {
        &self.companies
    }

    /// The role of a speaker label: the label's own, else the wildcard's, if either is set.
    pub fn role_of(&self, label: &str) -> Option<Role> {
        self.lookup(label).map(|(role, _)| role)
    }

    /// The role of a label and where it comes from (a default role word, or a mapping; the
    /// wildcard is a mapping).
    pub fn lookup(&self, label: &str) -> Option<(Role, RoleSource)> {
        self.named_lookup(label)
            .or(self.wildcard.map(|role| (role, RoleSource::Map)))
    }

    /// The role of a label only if the label itself is known (defaults, rulebooks,
    /// `--speaker-map`), ignoring the wildcard: for formats that prefer the platform's own
    /// roles to a catch-all.
    pub fn named_role_of(&self, label: &str) -> Option<Role> {
        self.named_lookup(label).map(|(role, _)| role)
    }

    fn named_lookup(&self, label: &str) -> Option<(Role, RoleSource)> {
        self.roles.get(&fold(label)).copied()
    }

    /// The wildcard role (`*=ROLE`), if set: the role of speech that names no speaker.
    pub fn wildcard(&self) -> Option<Role> {
        self.wildcard
    }

    /// The speaker a label stands for: its role if the label is known, else role `other` with
    /// source [`RoleSource::Unknown`], for the roles stage to decide.
    pub fn speaker(&self, label: &str) -> Speaker {
        let (role, source) = self.lookup(label).unwrap_or((Role::Other, RoleSource::Unknown));
        Speaker {
            role,
            label: label.to_string(),
            source,
        }
    }

    /// [`SpeakerLabels::speaker`], where a role name (`agent`, `other`) is a label too.
    pub fn resolve_speaker(&self, label: &str) -> Speaker {
        match fold(label).as_str() {
            "other" => Speaker {
                role: Role::Other,
                label: label.to_string(),
                source: RoleSource::Labels,
            },
            _ => self.speaker(label),
        }
    }

    /// The role of a speaker label, or of a role name (`agent`, `customer`, `system`,
    /// `other`); the wildcard applies.
    pub fn resolve(&self, label_or_role: &str) -> Option<Role> {
        role_name(label_or_role).or_else(|| self.role_of(label_or_role))
    }

    /// Like [`SpeakerLabels::resolve`] but without the wildcard: for values that must name a
    /// role or a known label (who ended the call, a role column), so that a typo is an error
    /// rather than the wildcard's role.
    pub fn resolve_named(&self, label_or_role: &str) -> Option<Role> {
        role_name(label_or_role).or_else(|| self.named_role_of(label_or_role))
    }
}

/// The role a role name stands for.
fn role_name(name: &str) -> Option<Role> {
    match fold(name).as_str() {
        "agent" => Some(Role::Agent),
        "customer" => Some(Role::Customer),
        "system" => Some(Role::System),
        "other" => Some(Role::Other),
        _ => None,
    }
}

fn fold(label: &str) -> String {
    normalize(&Profile::default(), label.trim())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_labels_in_every_script_and_case() {
        let labels = SpeakerLabels::default();
        for (label, role) in [
            ("Agent", Role::Agent),
            ("AGENT", Role::Agent),
            ("ＣＳＲ", Role::Agent),
            ("客服", Role::Agent),
            ("話務員", Role::Agent),
            ("客服人員", Role::Agent),
            ("座席", Role::Agent),
            ("Caller", Role::Customer),
            ("客戶", Role::Customer),
            ("顧客", Role::Customer),
            ("用戶", Role::Customer),
            ("來電人", Role::Customer),
            ("IVR", Role::System),
            ("系統", Role::System),
        ] {
            assert_eq!(labels.role_of(label), Some(role), "{label}");
        }
        assert_eq!(labels.role_of("Supervisor"), None);
        assert_eq!(labels.lookup("客服"), Some((Role::Agent, RoleSource::Labels)));
    }

    #[test]
    fn extra_labels_and_role_names() {
        let mut labels = SpeakerLabels::default();
        labels.add("Member", Role::Customer);
        assert_eq!(labels.role_of("member"), Some(Role::Customer));
        assert_eq!(labels.lookup("Member"), Some((Role::Customer, RoleSource::Map)));
        labels.add("Agent", Role::Customer);
        assert_eq!(
            labels.lookup("agent"),
            Some((Role::Customer, RoleSource::Map)),
            "a mapping wins"
        );
        let unknown = labels.speaker("spk_0");
        assert_eq!((unknown.role, unknown.source), (Role::Other, RoleSource::Unknown));
        assert_eq!(labels.resolve("customer"), Some(Role::Customer));
        assert_eq!(labels.resolve("客户"), Some(Role::Customer));
        assert_eq!(labels.resolve("other"), Some(Role::Other));
        assert_eq!(labels.resolve("nobody"), None);
    }

    #[test]
    fn the_wildcard_maps_every_unknown_label_but_never_a_named_one() {
        let mut labels = SpeakerLabels::default();
        assert_eq!(labels.wildcard(), None);
        labels.add("spk_0", Role::Agent);
        labels.add(" * ", Role::Customer);
        assert_eq!(labels.wildcard(), Some(Role::Customer));
        assert_eq!(labels.role_of("spk_0"), Some(Role::Agent), "a named label wins");
        assert_eq!(labels.role_of("Agent"), Some(Role::Agent), "so do the defaults");
        assert_eq!(labels.role_of("spk_1"), Some(Role::Customer));
        assert_eq!(labels.named_role_of("spk_1"), None);
        assert_eq!(labels.resolve("Jane Doe"), Some(Role::Customer));
        assert_eq!(
            labels.resolve_named("the customr"),
            None,
            "a value naming who hung up is not caught by the wildcard"
        );
        assert_eq!(labels.resolve_named("customer"), Some(Role::Customer));
        assert_eq!(labels.role_of("*"), Some(Role::Customer));
    }
}
