//! The `callcheck` binary: parse the command line, run it, exit with its status.

#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]

use std::io::{self, IsTerminal, Write};
use std::process::ExitCode;

use clap::Parser;

use callcheck::cli::Cli;
use callcheck::commands::{self, Streams};
use callcheck::exit::ExitStatus;

fn main() -> ExitCode {
    let cli = Cli::parse();
    // Without the handler Ctrl-C still kills the process at once, which is what it should do.
    let _ = callcheck::interrupt::install();
    let stdout = io::stdout();
    let out_is_terminal = stdout.is_terminal();
    let mut out = io::BufWriter::new(stdout.lock());
    let err_is_terminal = io::stderr().is_terminal();
    let mut err = io::stderr().lock();
    let status = commands::run(
        cli,
        &mut Streams {
            out: &mut out,
            err: &mut err,
            out_is_terminal,
            err_is_terminal,
        },
    );
    // A closed pipe while flushing is not an error either.
    let _ = out.flush();
    if status == ExitStatus::Interrupted {
        drop(out);
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
