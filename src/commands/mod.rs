//! Running the subcommands: resolve settings, run, write output, choose the exit status.

mod check;
mod convert;
mod rules;

use std::io::{self, Write};

use crate::cli::{Cli, ColorChoice, Command};
use crate::exit::ExitStatus;

/// Where a command writes, and whether standard output is a terminal.
pub struct Streams<'a> {
    /// Standard output.
    pub out: &'a mut dyn Write,
    /// Standard error.
    pub err: &'a mut dyn Write,
    /// True when standard output is a terminal (colours in `auto` mode).
    pub out_is_terminal: bool,
}

/// Runs a parsed command line.
pub fn run(cli: Cli, streams: &mut Streams<'_>) -> ExitStatus {
    let color = use_color(cli.color, streams.out_is_terminal);
    let result = match cli.command {
        Command::Check(args) => check::run(&args, color, streams),
        Command::Rules(command) => rules::run(command, color, streams),
        Command::Convert(args) => convert::run(&args, streams),
    };
    match result {
        Ok(status) => status,
        // A closed pipe (`| head`) is not an error.
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => ExitStatus::Clean,
        Err(e) => {
            let _ = writeln!(streams.err, "error: {e}");
            ExitStatus::Error
        }
    }
}

/// Whether to colour output: `auto` means a terminal without `NO_COLOR` set.
fn use_color(choice: ColorChoice, is_terminal: bool) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => is_terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
    }
}
