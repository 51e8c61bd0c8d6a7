//! The `callcheck` binary: parse the command line, run it, exit with its status.

use std::io::{self, IsTerminal, Write};
use std::process::ExitCode;

use clap::Parser;

use callcheck::cli::Cli;
use callcheck::commands::{self, Streams};

fn main() -> ExitCode {
    let cli = Cli::parse();
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
    status.into()
}
