//! The error of library functions whose callers report a problem rather than act on it.
//!
//! Reading a file, compiling a pattern, parsing a flag's value: when one of these fails, every
//! caller does the same thing — shows the message (as a file's error, a rulebook diagnostic or
//! a usage error) and goes on. A [`Problem`] is that message, typed: it implements
//! [`std::error::Error`], so it converts into `anyhow::Error` and the commands' `Failure`, and
//! it cannot be confused with text meant for output. Where callers do decide on the kind of
//! failure, the boundary has its own enum instead (`SettingsError`, `commands::Failure`,
//! `eval::labels::LabelError`, `Diagnostic`).

use std::fmt;

/// What went wrong, said for a person, often with how to fix it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem(String);

impl Problem {
    /// A problem described by `message`.
    pub fn new(message: impl Into<String>) -> Problem {
        Problem(message.into())
    }

    /// The description.
    pub fn message(&self) -> &str {
        &self.0
    }

    /// The description, owned.
    pub fn into_message(self) -> String {
        self.0
    }

    /// The same problem said with `prefix` in front ("--metadata " + "contacts.csv: …").
    #[must_use]
    pub fn prefixed(self, prefix: &str) -> Problem {
        Problem(format!("{prefix}{}", self.0))
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Problem {}

impl From<String> for Problem {
    fn from(message: String) -> Problem {
        Problem(message)
    }
}

impl From<&str> for Problem {
    fn from(message: &str) -> Problem {
        Problem(message.to_string())
    }
}

impl From<Problem> for String {
    fn from(problem: Problem) -> String {
        problem.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shows_its_message_and_composes_with_anyhow() {
        let problem = Problem::new("contacts.csv: no call_id column").prefixed("--metadata ");
        assert_eq!(problem.to_string(), "--metadata contacts.csv: no call_id column");
        let wrapped = anyhow::Error::new(problem.clone()).context("cannot load");
        assert_eq!(
            format!("{wrapped:#}"),
            "cannot load: --metadata contacts.csv: no call_id column"
        );
        assert_eq!(
            String::from(problem),
            "--metadata contacts.csv: no call_id column"
        );
    }
}
