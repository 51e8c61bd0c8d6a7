//! Exit statuses: 0 clean, 1 findings at or above the threshold, 2 errors.

use std::process::ExitCode;

/// How a run ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum ExitStatus {
    /// No finding at or above `--fail-on`.
    Clean = 0,
    /// At least one finding at or above `--fail-on`.
    Findings = 1,
    /// Usage error, invalid rulebook, or an unreadable transcript.
    Error = 2,
}

impl From<ExitStatus> for ExitCode {
    fn from(status: ExitStatus) -> Self {
        ExitCode::from(status as u8)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_the_contracts() {
        assert_eq!(ExitStatus::Clean as u8, 0);
        assert_eq!(ExitStatus::Findings as u8, 1);
        assert_eq!(ExitStatus::Error as u8, 2);
        assert!(ExitStatus::Error > ExitStatus::Findings);
    }
}
