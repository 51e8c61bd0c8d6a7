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
    /// Stopped by Ctrl-C before every file was checked; the binary then ends by SIGINT, which
    /// shells report as 130.
    Interrupted = 130,
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
        assert_eq!(ExitStatus::Interrupted as u8, crate::interrupt::EXIT_CODE);
    }
}
