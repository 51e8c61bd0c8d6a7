//! The Python module `callcheck._callcheck`, built by maturin with the `python` feature (see
//! pyproject.toml and python/callcheck/): [`embed::Checker`](crate::embed::Checker) for Python,
//! and the command line for the `callcheck` command the package installs. The GIL is released
//! while checking, so threads of one Python process check in parallel.

use clap::Parser;
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;

use crate::cli::Cli;
use crate::commands;
use crate::embed::{Checker, Item};

/// Compiled rulebooks and settings; `check` takes transcripts and returns JSON report entries.
#[pyclass(frozen, name = "_Checker", module = "callcheck._callcheck")]
struct PyChecker {
    inner: Checker,
}

#[pymethods]
impl PyChecker {
    /// Resolves `callcheck check` options (a list of strings) from the current folder.
    #[new]
    fn new(py: Python<'_>, options: Vec<String>) -> PyResult<Self> {
        py.detach(|| Checker::new(&options))
            .map(|inner| PyChecker { inner })
            .map_err(|e| PyValueError::new_err(e.into_message()))
    }

    /// Checks `(name, text, format or None, metadata pairs)` items; one JSON text per
    /// transcript.
    #[allow(clippy::type_complexity, reason = "the tuple is the Python-side shape")]
    fn check(
        &self,
        py: Python<'_>,
        items: Vec<(String, String, Option<String>, Vec<(String, String)>)>,
    ) -> Vec<String> {
        py.detach(|| {
            let items: Vec<Item<'_>> = items
                .iter()
                .map(|(name, text, format, metadata)| Item {
                    name,
                    text,
                    format: format.as_deref(),
                    metadata,
                })
                .collect();
            self.inner.check(&items)
        })
    }
}

/// Runs the command line with `argv` (without the program name); returns the exit status.
#[pyfunction]
fn run_cli(py: Python<'_>, argv: Vec<String>) -> i32 {
    py.detach(|| {
        let cli = match Cli::try_parse_from(std::iter::once("callcheck".to_string()).chain(argv)) {
            Ok(cli) => cli,
            Err(e) => {
                // `--help` and `--version` are "errors" that print to standard output.
                let _ = e.print();
                return e.exit_code();
            }
        };
        commands::run_on_stdio(cli) as i32
    })
}

/// The module.
#[pymodule]
#[pyo3(name = "_callcheck")]
fn python_module(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyChecker>()?;
    m.add_function(wrap_pyfunction!(run_cli, m)?)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
