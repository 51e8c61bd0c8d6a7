//! Which loaded rules each labelled check stands for: a rule id names one rule, a guideline id
//! every rule with that `guideline`, `tag:NAME` every rule carrying the tag. Only rules that run
//! count (`--select`, `--ignore` and `off` in the configuration switch rules off).

use std::collections::BTreeSet;

use super::labels::{Check, LabelError, Labels};
use crate::diagnostic::did_you_mean;
use crate::rulebook::RuleSet;

/// A check and the rules it covers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Resolved {
    /// The check as labelled.
    pub check: Check,
    /// Indices in [`RuleSet::rules`] of the running rules it covers, in rule order; empty only
    /// for a check allowed to match nothing (`--allow-unmatched`).
    pub rules: Vec<usize>,
}

/// Every distinct check of the labels, resolved, in order of first appearance.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Resolution {
    /// The checks.
    pub checks: Vec<Resolved>,
    /// Checks that match no rule but were allowed to (one line each, for standard error).
    pub warnings: Vec<String>,
}

impl Resolution {
    /// The resolved check for a labelled one.
    pub fn get(&self, check: &Check) -> Option<&Resolved> {
        self.checks.iter().find(|c| &c.check == check)
    }
}

/// True when rule `index` is covered by `check`.
fn covers(rules: &RuleSet, index: usize, check: &Check) -> bool {
    let rule = &rules.rules[index];
    match check {
        Check::Rule(id) => &rule.id == id,
        Check::Guideline(id) => rule.meta.guideline.as_deref() == Some(id.as_str()),
        Check::Tag(tag) => rule.meta.tags.iter().any(|t| t == tag),
    }
}

/// Resolves every check of `labels` against the loaded rules. A check that matches no running
/// rule is an error at the first row that uses it, unless `allow_unmatched`.
pub fn resolve(
    labels: &Labels,
    rules: &RuleSet,
    allow_unmatched: bool,
) -> Result<Resolution, Vec<LabelError>> {
    let mut resolution = Resolution::default();
    let mut errors = Vec::new();
    for label in &labels.labels {
        if resolution.get(&label.check).is_some() {
            continue;
        }
        let check = &label.check;
        let all: Vec<usize> = (0..rules.rules.len())
            .filter(|&i| covers(rules, i, check))
            .collect();
        let running: Vec<usize> = all.iter().copied().filter(|&i| rules.is_enabled(i)).collect();
        if running.is_empty() {
            let (message, hint) = unmatched(check, &all, rules);
            if allow_unmatched {
                resolution.warnings.push(format!(
                    "warning: {}:{}: {message}; its labels count with the verdict na",
                    labels.path, label.row
                ));
            } else {
                let or = if hint.ends_with('?') { " Or" } else { "; or" };
                errors.push(LabelError::at(&labels.path, label.row, message).hint(format!(
                    "{hint}{or} pass --allow-unmatched to count its labels as na"
                )));
            }
        }
        resolution.checks.push(Resolved {
            check: check.clone(),
            rules: running,
        });
    }
    if errors.is_empty() {
        Ok(resolution)
    } else {
        Err(errors)
    }
}

/// What to say about a check that covers no running rule: the message and a hint.
fn unmatched(check: &Check, switched_off: &[usize], rules: &RuleSet) -> (String, String) {
    if !switched_off.is_empty() {
        let ids: Vec<&str> = switched_off.iter().map(|&i| rules.rules[i].id.as_str()).collect();
        return (
            format!(
                "{check} matches only rules that are switched off ({})",
                ids.join(", ")
            ),
            "--select, --ignore or `off` in callcheck.toml's [rules] switch them off; run them to \
             evaluate the check"
                .to_string(),
        );
    }
    let message = format!("{check} matches no rule of the loaded rulebooks");
    let hint = match check {
        Check::Rule(id) => match did_you_mean(id, rules.rules.iter().map(|r| r.id.as_str())) {
            Some(best) => format!("did you mean {best}?"),
            None => "run `callcheck rules list` to see the rule ids, and load the rulebook with -r".into(),
        },
        Check::Guideline(id) => {
            if let Some(rule) = rules.rules.iter().find(|r| r.local_id() == id) {
                format!("a rule id needs its rulebook: did you mean {}?", rule.id)
            } else {
                let mut named: Vec<&str> = rules
                    .rules
                    .iter()
                    .filter_map(|r| r.meta.guideline.as_deref())
                    .collect::<BTreeSet<_>>()
                    .into_iter()
                    .collect();
                named.sort_by(|a, b| super::natural(a, b));
                match did_you_mean(id, named.iter().copied()) {
                    Some(best) => format!("did you mean {best}?"),
                    None => format!(
                        "the loaded rules check {}; load a rulebook with rules for {id} with -r",
                        listed(named.into_iter(), "no guideline")
                    ),
                }
            }
        }
        Check::Tag(tag) => {
            let tags: BTreeSet<&str> = rules
                .rules
                .iter()
                .flat_map(|r| r.meta.tags.iter().map(String::as_str))
                .collect();
            match did_you_mean(tag, tags.iter().copied()) {
                Some(best) => format!("did you mean tag:{best}?"),
                None => format!(
                    "the loaded rules carry the tags {}",
                    listed(tags.into_iter(), "none")
                ),
            }
        }
    };
    (message, hint)
}

/// "a, b, c", at most a dozen, or `none`.
fn listed<'a>(items: impl Iterator<Item = &'a str>, none: &str) -> String {
    let items: Vec<&str> = items.collect();
    match items.len() {
        0 => none.to_string(),
        n if n > 12 => format!("{}, … ({n} in all)", items[..12].join(", ")),
        _ => items.join(", "),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::labels::Labels;
    use std::path::Path;

    const RULEBOOK: &str = r#"
[rulebook]
id = "qa"

[[required]]
id = "greeting"
guideline = "G3"
tags = ["opening"]
phrases = ["hello"]

[[required]]
id = "company"
guideline = "G3"
phrases = ["ACME"]

[[forbidden]]
id = "you-must"
guideline = "G19"
phrases = ["you must"]
"#;

    fn rules() -> RuleSet {
        RuleSet::from_text("qa.toml", RULEBOOK).unwrap().0
    }

    fn labels(text: &str) -> Labels {
        Labels::parse(text, Path::new("labels.csv"), Path::new(".")).unwrap()
    }

    #[test]
    fn rules_guidelines_and_tags_cover_their_rules() {
        let labels = labels("call,check,expected\na,G3,yes\na,qa/you-must,no\nb,G3,no\na,tag:opening,no\n");
        let resolution = resolve(&labels, &rules(), false).unwrap();
        let covered: Vec<(String, Vec<usize>)> = resolution
            .checks
            .iter()
            .map(|c| (c.check.to_string(), c.rules.clone()))
            .collect();
        assert_eq!(
            covered,
            [
                ("G3".to_string(), vec![0, 1]),
                ("qa/you-must".to_string(), vec![2]),
                ("tag:opening".to_string(), vec![0]),
            ]
        );
    }

    #[test]
    fn a_check_matching_nothing_is_an_error_unless_allowed() {
        let labels = labels("call,check,expected\na,G3,yes\na,G99,no\nb,qa/you-mustn't,no\nc,greeting,no\n");
        let errors = resolve(&labels, &rules(), false).unwrap_err();
        let shown: Vec<String> = errors.iter().map(ToString::to_string).collect();
        assert_eq!(shown.len(), 3);
        assert!(
            shown[0].starts_with("error: labels.csv:3: G99 matches no rule of the loaded rulebooks\n"),
            "{}",
            shown[0]
        );
        assert!(
            shown[0].contains("the loaded rules check G3, G19;"),
            "{}",
            shown[0]
        );
        assert!(
            shown[1].contains("did you mean qa/you-must? Or pass --allow-unmatched"),
            "{}",
            shown[1]
        );
        assert!(shown[2].contains("did you mean qa/greeting?"), "{}", shown[2]);
        let allowed = resolve(&labels, &rules(), true).unwrap();
        assert_eq!(
            allowed.get(&Check::Guideline("G99".into())).unwrap().rules,
            Vec::<usize>::new()
        );
        assert_eq!(allowed.warnings.len(), 3);
    }

    #[test]
    fn switched_off_rules_do_not_count() {
        let mut rules = rules();
        rules.select(&[], &["qa/you-must".to_string()]).unwrap();
        let labels = labels("call,check,expected\na,G19,yes\n");
        let errors = resolve(&labels, &rules, false).unwrap_err();
        assert_eq!(
            errors[0].message,
            "G19 matches only rules that are switched off (qa/you-must)"
        );
    }
}
