//! Which files to check: command-line paths, folders walked recursively, filters.
//!
//! Folders are walked in name order; hidden entries (names starting with `.`), files whose
//! extension no input format claims, and call metadata files (`*.meta.json` sidecars,
//! `metadata.csv` tables: see [`crate::metadata`]) are skipped; symbolic links inside folders
//! are not followed.
//! Files named on the command line are always checked, whatever their extension. `--include`
//! and `--exclude` globs match paths relative to the folder being walked (`*` crosses `/`).
//! The result is sorted by path, so output order never depends on the file system.

use std::path::{Path, PathBuf};

use globset::{GlobBuilder, GlobSet, GlobSetBuilder};
use walkdir::WalkDir;

use crate::metadata::is_metadata_file;
use crate::transcript::format_for_extension;

/// Where an input comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Source {
    /// A file on disk.
    File(PathBuf),
    /// Standard input (`-`).
    Stdin,
    /// A path that could not be walked or opened; the message says why.
    Unreadable(String),
}

/// One thing to check.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Input {
    /// The path shown in reports (`/` separators).
    pub display: String,
    /// Where to read it from.
    pub source: Source,
}

/// Filters for walking folders.
#[derive(Clone, Debug, Default)]
pub struct Filters {
    include: Option<GlobSet>,
    exclude: Option<GlobSet>,
    /// Walk hidden files and folders too.
    pub hidden: bool,
}

impl Filters {
    /// Compiles `--include` / `--exclude` globs; `Err` names the bad glob.
    pub fn new(include: &[String], exclude: &[String], hidden: bool) -> Result<Filters, String> {
        Ok(Filters {
            include: glob_set(include, "--include")?,
            exclude: glob_set(exclude, "--exclude")?,
            hidden,
        })
    }

    fn excluded(&self, relative: &Path) -> bool {
        self.exclude.as_ref().is_some_and(|g| g.is_match(relative))
    }

    fn included(&self, relative: &Path) -> bool {
        self.include.as_ref().is_none_or(|g| g.is_match(relative))
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

/// Expands command-line paths into the sorted list of inputs.
pub fn discover(paths: &[PathBuf], filters: &Filters) -> Vec<Input> {
    let mut inputs = Vec::new();
    for path in paths {
        if path.as_os_str() == "-" {
            inputs.push(Input {
                display: "<stdin>".into(),
                source: Source::Stdin,
            });
            continue;
        }
        let display = display(path);
        match std::fs::metadata(path) {
            Err(e) => inputs.push(Input {
                display,
                source: Source::Unreadable(format!("cannot read: {e}")),
            }),
            Ok(meta) if meta.is_dir() => walk(path, filters, &mut inputs),
            Ok(_) => inputs.push(Input {
                display,
                source: Source::File(path.clone()),
            }),
        }
    }
    inputs.sort_by(|a, b| a.display.cmp(&b.display));
    inputs.dedup_by(|a, b| a.display == b.display);
    inputs
}

fn walk(root: &Path, filters: &Filters, inputs: &mut Vec<Input>) {
    let walker = WalkDir::new(root).sort_by_file_name().into_iter();
    let walker = walker.filter_entry(|entry| {
        if entry.depth() == 0 {
            return true;
        }
        let hidden = entry.file_name().to_string_lossy().starts_with('.');
        let relative = entry.path().strip_prefix(root).unwrap_or(entry.path());
        (filters.hidden || !hidden) && !filters.excluded(relative)
    });
    for entry in walker {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                let path = e.path().map_or_else(|| display(root), display);
                let reason = e
                    .io_error()
                    .map_or_else(|| e.to_string(), std::string::ToString::to_string);
                inputs.push(Input {
                    display: path,
                    source: Source::Unreadable(format!("cannot read: {reason}")),
                });
                continue;
            }
        };
        if !entry.file_type().is_file() {
            continue;
        }
        let path = entry.path();
        let relative = path.strip_prefix(root).unwrap_or(path);
        let known = path
            .extension()
            .and_then(|e| e.to_str())
            .and_then(format_for_extension)
            .is_some()
            && !is_metadata_file(path);
        if known && filters.included(relative) {
            inputs.push(Input {
                display: display(path),
                source: Source::File(path.to_path_buf()),
            });
        }
    }
}

/// A path for reports, with `/` separators.
pub fn display(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    fn tree() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        fs::create_dir_all(root.join("calls/b")).unwrap();
        fs::create_dir_all(root.join("calls/.hidden")).unwrap();
        fs::create_dir_all(root.join("calls/drafts")).unwrap();
        for file in [
            "calls/z.txt",
            "calls/a.txt",
            "calls/b/c.txt",
            "calls/notes.md",
            "calls/.secret.txt",
            "calls/.hidden/x.txt",
            "calls/drafts/d.txt",
            "calls/a.meta.json",
            "calls/metadata.csv",
            "calls/b/export.json",
        ] {
            fs::write(root.join(file), "Agent: hi\n").unwrap();
        }
        dir
    }

    fn names(inputs: &[Input], root: &Path) -> Vec<String> {
        let prefix = display(root);
        inputs
            .iter()
            .map(|i| {
                i.display
                    .trim_start_matches(&prefix)
                    .trim_start_matches('/')
                    .to_string()
            })
            .collect()
    }

    #[test]
    fn walks_sorted_and_skips_hidden_and_unknown_extensions() {
        let dir = tree();
        let inputs = discover(&[dir.path().join("calls")], &Filters::default());
        assert_eq!(
            names(&inputs, dir.path()),
            [
                "calls/a.txt",
                "calls/b/c.txt",
                "calls/b/export.json",
                "calls/drafts/d.txt",
                "calls/z.txt"
            ],
            "sidecars and metadata tables are not transcripts"
        );
    }

    #[test]
    fn include_exclude_and_hidden() {
        let dir = tree();
        let filters = Filters::new(&[], &["drafts".into()], true).unwrap();
        let inputs = discover(&[dir.path().join("calls")], &filters);
        assert_eq!(
            names(&inputs, dir.path()),
            [
                "calls/.hidden/x.txt",
                "calls/.secret.txt",
                "calls/a.txt",
                "calls/b/c.txt",
                "calls/b/export.json",
                "calls/z.txt"
            ]
        );
        let filters = Filters::new(&["b/*.txt".into()], &[], false).unwrap();
        let inputs = discover(&[dir.path().join("calls")], &filters);
        assert_eq!(names(&inputs, dir.path()), ["calls/b/c.txt"]);
        assert!(
            Filters::new(&["[".into()], &[], false)
                .unwrap_err()
                .contains("--include [")
        );
    }

    #[test]
    fn explicit_files_missing_paths_and_stdin() {
        let dir = tree();
        let inputs = discover(
            &[
                dir.path().join("calls/notes.md"),
                dir.path().join("nope.txt"),
                PathBuf::from("-"),
            ],
            &Filters::default(),
        );
        assert_eq!(inputs.len(), 3);
        assert!(
            inputs
                .iter()
                .any(|i| i.source == Source::Stdin && i.display == "<stdin>")
        );
        assert!(
            inputs
                .iter()
                .any(|i| matches!(&i.source, Source::File(p) if p.ends_with("notes.md")))
        );
        assert!(
            inputs
                .iter()
                .any(|i| matches!(&i.source, Source::Unreadable(e) if e.starts_with("cannot read")))
        );
    }
}
