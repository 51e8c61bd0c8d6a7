//! Speaker labels (`客服`, `Agent`, `Caller`) and the roles they stand for.
//!
//! Labels compare case-insensitively, across full-width/half-width forms and across
//! Traditional/Simplified script, so `客戶`, `客户` and `CUSTOMER` all work.

use std::collections::HashMap;

use super::Role;
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

/// Maps speaker labels to roles; built from the defaults plus rulebook `[speakers]` tables.
#[derive(Clone, Debug)]
pub struct SpeakerLabels {
    roles: HashMap<String, Role>,
}

impl Default for SpeakerLabels {
    fn default() -> Self {
        let mut labels = SpeakerLabels {
            roles: HashMap::new(),
        };
        for (role, names) in DEFAULTS {
            for name in *names {
                labels.add(name, *role);
            }
        }
        labels
    }
}

impl SpeakerLabels {
    /// Adds (or re-maps) a label.
    pub fn add(&mut self, label: &str, role: Role) {
        self.roles.insert(fold(label), role);
    }

    /// The role of a label, if it is known.
    pub fn role_of(&self, label: &str) -> Option<Role> {
        self.roles.get(&fold(label)).copied()
    }

    /// The role of a label, or of a role name (`agent`, `customer`, `system`, `other`).
    pub fn resolve(&self, label_or_role: &str) -> Option<Role> {
        match fold(label_or_role).as_str() {
            "agent" => Some(Role::Agent),
            "customer" => Some(Role::Customer),
            "system" => Some(Role::System),
            "other" => Some(Role::Other),
            _ => self.role_of(label_or_role),
        }
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
    }

    #[test]
    fn extra_labels_and_role_names() {
        let mut labels = SpeakerLabels::default();
        labels.add("Member", Role::Customer);
        assert_eq!(labels.role_of("member"), Some(Role::Customer));
        assert_eq!(labels.resolve("customer"), Some(Role::Customer));
        assert_eq!(labels.resolve("客户"), Some(Role::Customer));
        assert_eq!(labels.resolve("other"), Some(Role::Other));
        assert_eq!(labels.resolve("nobody"), None);
    }
}
