//! The `callcheck` binary: parse the command line, run it, exit with its status.

#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]

use std::process::ExitCode;

use clap::Parser;

use callcheck::cli::Cli;
use callcheck::commands;
use callcheck::exit::ExitStatus;

// Workers allocate each call's turns, hits and findings and the reporter frees them on another
// thread; glibc's allocator spent 14% of a default run's instructions in malloc and free
// (BENCHMARKS.md). Only the binary sets it: the library and the Python module keep their host's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    // Without the handler Ctrl-C still kills the process at once, which is what it should do.
    let _ = callcheck::interrupt::install();
    // Output is flushed and stdout released before an interrupted run ends itself.
    let status = commands::run_on_stdio(cli);
    if status == ExitStatus::Interrupted {
        die_by_sigint();
    }
    status.into()
}

/// Ends the process the way SIGINT's default action does, so the shell and CI runners see an
/// interrupted program (a shell script stops its loop); returns only if that is not possible,
/// and then `main` exits with 130.
fn die_by_sigint() {
    #[cfg(unix)]
    {
        let _ = signal_hook::low_level::emulate_default_handler(signal_hook::consts::SIGINT);
    }
}
