//! Running the subcommands: resolve settings, run, write output, choose the exit status.

mod check;
mod config;
mod convert;
mod eval;
mod init;
mod lsp;
mod progress;
mod report;
pub(crate) mod rules;

use std::io::{self, IsTerminal, Write};

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
    /// True when standard error is a terminal (progress bar).
    pub err_is_terminal: bool,
}

/// Runs a parsed command line.
pub fn run(cli: Cli, streams: &mut Streams<'_>) -> ExitStatus {
    let color = use_color(cli.color, streams.out_is_terminal);
    let result = match cli.command {
        Command::Check(args) => check::run(&args, &cli.config, color, streams),
        Command::Report(args) => report::run(&args, &cli.config, color, streams),
        Command::Eval(args) => eval::run(&args, &cli.config, color, streams),
        Command::Rules(command) => rules::run(command, &cli.config, color, streams),
        Command::Convert(args) => convert::run(&args, &cli.config, streams),
        Command::Init(args) => init::run(&args, streams),
        Command::Config(args) => config::run(&args, &cli.config, streams),
        Command::Lsp(_) => lsp::run(&cli.config, streams),
        Command::Completions(args) => {
            let mut command = <Cli as clap::CommandFactory>::command();
            clap_complete::generate(args.shell, &mut command, "callcheck", streams.out);
            Ok(ExitStatus::Clean)
        }
        Command::Man => {
            let command = <Cli as clap::CommandFactory>::command();
            clap_mangen::Man::new(command)
                .render(streams.out)
                .map(|()| ExitStatus::Clean)
        }
    };
    match result {
        Ok(status) => status,
        // A closed pipe (`| head`) is not an error.
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => ExitStatus::Clean,
        // Ctrl-C: the run stopped between files; nothing was finished or written to files.
        Err(e) if e.kind() == io::ErrorKind::Interrupted => {
            let _ = writeln!(
                streams.err,
                "callcheck: {e}; no report file or baseline was written"
            );
            ExitStatus::Interrupted
        }
        Err(e) => {
            let _ = writeln!(streams.err, "error: {e}");
            ExitStatus::Error
        }
    }
}

/// Runs a parsed command line on the process's standard output and error (buffered, flushed
/// at the end; a closed pipe while flushing is not an error): the binary and the Python
/// package's `callcheck` command.
pub fn run_on_stdio(cli: Cli) -> ExitStatus {
    let stdout = io::stdout();
    let out_is_terminal = stdout.is_terminal();
    let mut out = io::BufWriter::new(stdout.lock());
    let err_is_terminal = io::stderr().is_terminal();
    let mut err = io::stderr().lock();
    let status = run(
        cli,
        &mut Streams {
            out: &mut out,
            err: &mut err,
            out_is_terminal,
            err_is_terminal,
        },
    );
    let _ = out.flush();
    status
}

/// Whether to colour output: `auto` means a terminal without `NO_COLOR` set.
fn use_color(choice: ColorChoice, is_terminal: bool) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => is_terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
    }
}
