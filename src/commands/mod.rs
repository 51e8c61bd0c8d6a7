//! Running the subcommands: resolve settings, run, write output, choose the exit status.

mod check;
mod config;
mod convert;
mod eval;
mod files;
mod init;
mod lsp;
mod progress;
mod report;
pub(crate) mod rules;

use std::io::{self, IsTerminal, Write};

use crate::cli::{Cli, ColorChoice, Command, ConfigArgs};
use crate::eval::labels::{LabelError, show_errors};
use crate::exit::ExitStatus;
use crate::problem::Problem;
use crate::settings::SettingsError;

/// Why a command stopped before its work was done. [`run`] prints it, once, and exits 2.
#[derive(Debug)]
pub enum Failure {
    /// The invocation or the project's settings are unusable; printed as the located
    /// diagnostics it holds.
    Settings(SettingsError),
    /// The labels given to `eval` have problems; printed all at once.
    Labels(Vec<LabelError>),
    /// Writing to the standard streams failed, or Ctrl-C stopped the run.
    Io(io::Error),
    /// Anything else, with its context (`cannot write report.json: …`).
    Other(anyhow::Error),
}

impl From<io::Error> for Failure {
    fn from(e: io::Error) -> Failure {
        Failure::Io(e)
    }
}

/// Serialising straight to a stream fails only when the stream does (a closed pipe included).
impl From<serde_json::Error> for Failure {
    fn from(e: serde_json::Error) -> Failure {
        Failure::Io(e.into())
    }
}

impl From<SettingsError> for Failure {
    fn from(e: SettingsError) -> Failure {
        Failure::Settings(e)
    }
}

impl From<Problem> for Failure {
    fn from(problem: Problem) -> Failure {
        Failure::Other(problem.into())
    }
}

impl From<anyhow::Error> for Failure {
    fn from(e: anyhow::Error) -> Failure {
        Failure::Other(e)
    }
}

/// What a command returns: the exit status of a run that finished, or why it could not.
pub type Outcome = Result<ExitStatus, Failure>;

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
    match run_command(cli.command, &cli.config, color, streams) {
        Ok(status) => status,
        // A closed pipe (`| head`) is not an error.
        Err(Failure::Io(e)) if e.kind() == io::ErrorKind::BrokenPipe => ExitStatus::Clean,
        // Ctrl-C: the run stopped between files; nothing was finished or written to files.
        Err(Failure::Io(e)) if e.kind() == io::ErrorKind::Interrupted => {
            let _ = writeln!(
                streams.err,
                "callcheck: {e}; no report file or baseline was written"
            );
            ExitStatus::Interrupted
        }
        Err(Failure::Io(e)) => {
            let _ = writeln!(streams.err, "error: {e}");
            ExitStatus::Error
        }
        Err(Failure::Settings(e)) => {
            let _ = write!(streams.err, "{e}");
            ExitStatus::Error
        }
        Err(Failure::Labels(errors)) => {
            let _ = write!(streams.err, "{}", show_errors(&errors));
            ExitStatus::Error
        }
        Err(Failure::Other(e)) => {
            let _ = writeln!(streams.err, "error: {e:#}");
            ExitStatus::Error
        }
    }
}

/// Runs one subcommand; errors are printed by [`run`].
fn run_command(command: Command, config: &ConfigArgs, color: bool, streams: &mut Streams<'_>) -> Outcome {
    match command {
        Command::Check(args) => check::run(&args, config, color, streams),
        Command::Report(args) => report::run(&args, config, color, streams),
        Command::Eval(args) => eval::run(&args, config, color, streams),
        Command::Rules(command) => rules::run(command, config, color, streams),
        Command::Convert(args) => convert::run(&args, config, streams),
        Command::Init(args) => init::run(&args, streams),
        Command::Config(args) => config::run(&args, config, streams),
        Command::Lsp(_) => lsp::run(config, streams),
        Command::Completions(args) => {
            let mut command = <Cli as clap::CommandFactory>::command();
            clap_complete::generate(args.shell, &mut command, "callcheck", streams.out);
            Ok(ExitStatus::Clean)
        }
        Command::Man => {
            let command = <Cli as clap::CommandFactory>::command();
            clap_mangen::Man::new(command).render(streams.out)?;
            Ok(ExitStatus::Clean)
        }
    }
}

/// Runs a parsed command line on the process's standard output and error (buffered, flushed
/// at the end; a closed pipe while flushing is not an error): the binary and the Python
/// package's `callcheck` command.
pub fn run_on_stdio(cli: Cli) -> ExitStatus {
    let stdout = io::stdout();
    let out_is_terminal = stdout.is_terminal();
    // A terminal keeps the standard small buffer, so a long run's report shows as it goes.
    let mut out = if out_is_terminal {
        io::BufWriter::new(stdout.lock())
    } else {
        io::BufWriter::with_capacity(crate::report::OUTPUT_BUFFER, stdout.lock())
    };
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
