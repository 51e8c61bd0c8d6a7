//! `--group-from-path`: agent, team and date from where a transcript is filed.
//!
//! A pattern such as `{team}/{agent}/*` is matched against the end of a transcript's path, one
//! `/`-separated component per pattern component, so it works whatever folder the run starts
//! from: `calls/2026/sales/王芳/0001.txt` gives team `sales` and agent `王芳`. In a component,
//! `{agent}`, `{team}` and `{date}` capture text, `*` matches any text, and a component that is
//! just `**` matches any number of folders (then the longest match wins, so anchor such a
//! pattern with a folder name: `exports/{team}/**/*.json`). `{date}` is normalised like a `date` header
//! (`20261122` → `2026-11-22`).

use regex::Regex;

use crate::diagnostic::did_you_mean;
use crate::problem::Problem;

/// The names a pattern may capture.
pub const FIELDS: [&str; 3] = ["agent", "team", "date"];

/// A compiled `--group-from-path` pattern.
#[derive(Clone, Debug)]
pub struct PathPattern {
    text: String,
    regex: Regex,
}

impl PathPattern {
    /// Compiles a pattern; the error says what is wrong with it.
    pub fn new(pattern: &str) -> Result<PathPattern, Problem> {
        let fail = |why: String| format!("--group-from-path {pattern}: {why}");
        let trimmed = pattern.trim().trim_start_matches("./").trim_matches('/');
        if trimmed.is_empty() {
            return Err(fail("the pattern is empty; write one such as '{team}/{agent}/*'".into()).into());
        }
        let mut regex = String::from("(?:^|/)");
        let mut seen: Vec<String> = Vec::new();
        let components: Vec<&str> = trimmed.split('/').collect();
        for (i, component) in components.iter().enumerate() {
            let last = i + 1 == components.len();
            if *component == "**" {
                regex.push_str("(?:[^/]+/)*");
                if last {
                    regex.push_str("[^/]*");
                }
                continue;
            }
            if component.is_empty() {
                return Err(fail("empty folder name (`//`) in the pattern".into()).into());
            }
            let mut rest = *component;
            while !rest.is_empty() {
                if let Some(after) = rest.strip_prefix('{') {
                    let Some(end) = after.find('}') else {
                        return Err(fail(format!("`{{` without `}}` in `{component}`")).into());
                    };
                    let name = &after[..end];
                    if !FIELDS.contains(&name) {
                        let hint = did_you_mean(name, FIELDS.iter().copied())
                            .map_or_else(String::new, |best| format!("; did you mean {{{best}}}?"));
                        return Err(fail(format!(
                            "unknown field {{{name}}}: the pattern can capture {{agent}}, {{team}} and \
                             {{date}}{hint}"
                        ))
                        .into());
                    }
                    if seen.iter().any(|s| s == name) {
                        return Err(fail(format!("{{{name}}} appears twice")).into());
                    }
                    seen.push(name.to_string());
                    regex.push_str(&format!("(?P<{name}>[^/]+?)"));
                    rest = &after[end + 1..];
                } else if let Some(after) = rest.strip_prefix('*') {
                    regex.push_str("[^/]*?");
                    rest = after;
                } else {
                    let end = rest.find(['{', '*']).unwrap_or(rest.len());
                    regex.push_str(&regex::escape(&rest[..end]));
                    rest = &rest[end..];
                }
            }
            if !last {
                regex.push('/');
            }
        }
        regex.push('$');
        if seen.is_empty() {
            return Err(fail(
                "the pattern captures nothing; name a folder or file part {agent}, {team} or {date}".into(),
            )
            .into());
        }
        let regex = Regex::new(&regex).map_err(|e| fail(e.to_string()))?;
        Ok(PathPattern {
            text: pattern.to_string(),
            regex,
        })
    }

    /// The pattern as written.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The fields a path gives (`None` when the path does not match); `path` uses `/`.
    pub fn captures(&self, path: &str) -> Option<Vec<(&'static str, String)>> {
        let caps = self.regex.captures(path)?;
        Some(
            FIELDS
                .iter()
                .filter_map(|&name| {
                    let value = caps.name(name)?.as_str().trim();
                    (!value.is_empty()).then(|| (name, value.to_string()))
                })
                .collect(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(pattern: &str, path: &str) -> Option<Vec<(&'static str, String)>> {
        PathPattern::new(pattern).unwrap().captures(path)
    }

    #[test]
    fn matches_the_end_of_the_path() {
        let got = fields("{team}/{agent}/*", "calls/2026/sales/王芳/0001.txt").unwrap();
        assert_eq!(
            got,
            [("agent", "王芳".to_string()), ("team", "sales".to_string())]
        );
        // The first component must be a whole folder name.
        assert_eq!(
            fields("s{team}/{agent}/*", "calls/sales/王芳/1.txt").unwrap()[1].1,
            "ales"
        );
        assert_eq!(fields("x{team}/{agent}/*", "calls/sales/王芳/1.txt"), None);
        // Too few components: no match.
        assert_eq!(fields("{team}/{agent}/*", "王芳/1.txt"), None);
    }

    #[test]
    fn file_names_and_globstars() {
        let got = fields("{agent}_{date}.txt", "x/Jane Doe_20261122.txt").unwrap();
        assert_eq!(
            got,
            [
                ("agent", "Jane Doe".to_string()),
                ("date", "20261122".to_string())
            ]
        );
        // With `**` the longest match wins: anchor the pattern with a folder name.
        let got = fields("{team}/**/*.json", "exports/billing/2026/11/call.json").unwrap();
        assert_eq!(got, [("team", "exports".to_string())]);
        let got = fields("exports/{team}/**/*.json", "x/exports/billing/2026/11/call.json").unwrap();
        assert_eq!(got, [("team", "billing".to_string())]);
        assert_eq!(
            fields("exports/{team}/**/*.json", "exports/billing/call.txt"),
            None
        );
        let got = fields("./{team}/{agent}/*", "a/b/c.txt").unwrap();
        assert_eq!(got, [("agent", "b".to_string()), ("team", "a".to_string())]);
    }

    #[test]
    fn bad_patterns_say_why() {
        let e = PathPattern::new("{team}/{agnet}/*").unwrap_err();
        assert!(
            e.message().contains("unknown field {agnet}") && e.message().contains("did you mean {agent}?"),
            "{e}"
        );
        assert!(
            PathPattern::new("*/*")
                .unwrap_err()
                .message()
                .contains("captures nothing")
        );
        assert!(
            PathPattern::new("{team/*")
                .unwrap_err()
                .message()
                .contains("without `}`")
        );
        assert!(
            PathPattern::new("{team}/{team}")
                .unwrap_err()
                .message()
                .contains("appears twice")
        );
        assert!(PathPattern::new("").unwrap_err().message().contains("empty"));
        // Regex metacharacters are literal.
        assert!(fields("{agent}.(1).txt", "a/Jo.(1).txt").is_some());
        assert!(fields("{agent}.(1).txt", "a/Jo.x1y.txt").is_none());
    }
}
