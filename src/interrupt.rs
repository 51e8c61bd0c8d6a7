//! Ctrl-C: stop promptly, write nothing half-done.
//!
//! The binary calls [`install`] once; from then on SIGINT only raises a flag. Long loops (the
//! folder walk, the pipeline between files) look at it with [`requested`] or [`check`] and stop
//! starting new work; the check command then writes no report file and no baseline, says what
//! happened, and the process ends as if killed by SIGINT (exit status 130 in a shell), so
//! scripts and CI runners see an interrupted run, never a clean or failed check. A second
//! Ctrl-C while callcheck winds down kills it at once.
//!
//! The flag is process-wide because signals are; nothing else here is global.

use std::io;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};

/// The flag the SIGINT handler sets (signal-hook stores to it; nothing else runs in the handler).
static FLAG: OnceLock<Arc<AtomicBool>> = OnceLock::new();

/// The status a shell reports for a process ended by SIGINT (128 + 2).
pub const EXIT_CODE: u8 = 130;

/// Installs the SIGINT handler: the first Ctrl-C sets the flag, a second one ends the process
/// with [`EXIT_CODE`] at once.
pub fn install() -> io::Result<()> {
    let flag = FLAG.get_or_init(|| Arc::new(AtomicBool::new(false)));
    #[cfg(unix)]
    {
        use signal_hook::consts::SIGINT;
        // Registered first, so it runs before the flag is set: on the second Ctrl-C the flag is
        // already true and the process exits.
        signal_hook::flag::register_conditional_shutdown(SIGINT, i32::from(EXIT_CODE), Arc::clone(flag))?;
        signal_hook::flag::register(SIGINT, Arc::clone(flag))?;
    }
    Ok(())
}

/// True once Ctrl-C was pressed.
pub fn requested() -> bool {
    FLAG.get().is_some_and(|flag| flag.load(Ordering::Relaxed))
}

/// `Err(Interrupted)` once Ctrl-C was pressed, so `?` unwinds a run without finishing it.
pub fn check() -> io::Result<()> {
    if requested() {
        return Err(io::Error::new(
            io::ErrorKind::Interrupted,
            "interrupted (Ctrl-C): stopped before checking every file",
        ));
    }
    Ok(())
}
