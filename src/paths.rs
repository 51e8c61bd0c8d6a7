//! Path helpers every layer uses: paths made absolute or real, paths as reports and messages
//! show them, globs matched relative to a folder, and the names of a project's configuration
//! file (which finding a project and walking past nested projects both need).
//!
//! A leaf: it imports nothing from the crate, so the modules that find files, load
//! configurations and rulebooks, fingerprint findings and write reports all share one idea of a
//! path without depending on each other.

use std::path::{Path, PathBuf};

use crate::problem::Problem;
use globset::{GlobBuilder, GlobSet, GlobSetBuilder};

/// The names of a project's configuration file, in order of preference within one folder.
pub const CONFIG_FILE_NAMES: [&str; 2] = ["callcheck.toml", ".callcheck.toml"];

/// `path` made absolute (against the current folder) with `.` and `..` resolved lexically, so
/// paths given as `../x` compare with the configuration's folder.
pub fn normalize_path(path: &Path) -> PathBuf {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut out = PathBuf::new();
    for part in absolute.components() {
        match part {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// A path with `..` and symbolic links resolved, as the system would follow them. A path that
/// does not exist is made absolute with `..` resolved by name, and its folder's links resolved
/// when the folder exists, so a missing file still compares with its folder.
pub fn real_path(path: &Path) -> PathBuf {
    let path = if path.as_os_str().is_empty() {
        Path::new(".")
    } else {
        path
    };
    if let Ok(real) = std::fs::canonicalize(path) {
        return real;
    }
    let named = normalize_path(path);
    match (named.parent(), named.file_name()) {
        (Some(folder), Some(name)) => std::fs::canonicalize(folder)
            .map(|folder| folder.join(name))
            .unwrap_or(named),
        _ => named,
    }
}

/// A path for reports, with `/` separators.
pub fn display(path: &Path) -> String {
    let shown = path.to_string_lossy().replace('\\', "/");
    // `paths = ["."]` (what `init` writes) or `check .` should not make every report say
    // `./replies/a.txt`: GitLab wants paths without `./`, and the same file is one name.
    match shown.strip_prefix("./") {
        Some(rest) if !rest.is_empty() => rest.trim_start_matches('/').to_string(),
        _ => shown,
    }
}

/// A path for messages: relative to the current folder when it is below it.
pub fn shown(path: &Path) -> String {
    let absolute = normalize_path(path);
    let cwd = std::env::current_dir()
        .map(|d| normalize_path(&d))
        .unwrap_or_default();
    let relative = absolute
        .strip_prefix(&cwd)
        .map(Path::to_path_buf)
        .unwrap_or_else(|_| path.to_path_buf());
    display(&relative)
}

/// A path relative to the current folder that reaches `dir` (an absolute folder): `""` for
/// the current folder, `../..` for an ancestor.
pub fn reach(dir: &Path) -> PathBuf {
    let cwd = std::env::current_dir()
        .map(|d| normalize_path(&d))
        .unwrap_or_default();
    if let Ok(below) = dir.strip_prefix(&cwd) {
        return below.to_path_buf();
    }
    if let Ok(above) = cwd.strip_prefix(dir) {
        return above.components().map(|_| "..").collect();
    }
    dir.to_path_buf()
}

/// Globs and the folder their paths are relative to.
#[derive(Clone, Debug)]
pub struct Globs {
    set: GlobSet,
    /// `None`: relative to the folder being walked; otherwise this (absolute) folder.
    base: Option<PathBuf>,
}

impl Globs {
    /// Compiles globs; `what` names them in errors (`--include`). `None` when there are none.
    pub fn new(globs: &[String], what: &str, base: Option<&Path>) -> Result<Option<Globs>, Problem> {
        Ok(glob_set(globs, what)?.map(|set| Globs {
            set,
            base: base.map(normalize_path),
        }))
    }

    /// True when the file at `path` matches (globs with a base folder match the path relative
    /// to it; others match the path as given).
    pub fn matches_file(&self, path: &Path) -> bool {
        self.is_match(Path::new(""), path)
    }

    /// True when `path` (found under `root`) matches.
    pub fn is_match(&self, root: &Path, path: &Path) -> bool {
        match &self.base {
            None => self.set.is_match(path.strip_prefix(root).unwrap_or(path)),
            Some(base) => {
                let absolute = normalize_path(path);
                absolute
                    .strip_prefix(base)
                    .is_ok_and(|relative| self.set.is_match(relative))
            }
        }
    }
}

fn glob_set(globs: &[String], flag: &str) -> Result<Option<GlobSet>, String> {
    if globs.is_empty() {
        return Ok(None);
    }
    let mut builder = GlobSetBuilder::new();
    for glob in globs {
        let compiled = GlobBuilder::new(glob)
            .literal_separator(false)
            .build()
            .map_err(|e| format!("{flag} {glob}: {e}"))?;
        builder.add(compiled);
    }
    builder.build().map(Some).map_err(|e| format!("{flag}: {e}"))
}
