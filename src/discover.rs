//! Which files to check: command-line paths, folders walked recursively, filters.
//!
//! Folders are walked in name order; hidden entries (names starting with `.`), files whose
//! extension no input format claims, and call metadata files (`*.meta.json` sidecars,
//! `metadata.csv` tables: see [`crate::metadata`]) are skipped. Symbolic links are followed, so
//! a linked transcript or folder is not silently lost; a link that leads back to a folder above
//! it (a loop) is reported and not followed, as is a transcript-named link whose target is gone.
//! A named pipe, socket or device with a transcript's extension is reported, never opened (opening
//! a pipe nobody writes to would wait forever); named on the command line, it is read.
//! Files named on the command line are always checked, whatever their extension. `--include`
//! and `--exclude` globs match paths relative to the folder being walked (`*` crosses `/`);
//! globs from `callcheck.toml` match paths relative to the configuration file's folder.
//!
//! Each input also gets its format when it is known here: the forced format, or the reply
//! template parser for files matching the project's `templates` globs (templates are never
//! chosen by extension alone, see [`crate::transcript::templates`]).
//!
//! A folder below the one being walked that holds its own `callcheck.toml` (or
//! `.callcheck.toml`) is a separate project with its own rules and template globs: the walk
//! skips it and says so, rather than reading its files with the wrong settings. Check it from
//! inside, or name it on the command line.
//!
//! Command-line paths are taken in sorted order and folders are walked with each folder's
//! entries in name order, lazily ([`Discovery`]), so output order never depends on the file
//! system and a corpus of millions of files is never held in memory as a list.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use walkdir::WalkDir;

use crate::metadata::is_metadata_file;
use crate::paths::{CONFIG_FILE_NAMES, Globs, display};
use crate::problem::Problem;
use crate::transcript::{Format, format_for_extension, templates};

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
    /// The format to read it with, when discovery decided it (forced, or a reply template).
    pub format: Option<&'static Format>,
}

/// Filters for walking folders, and how to read what they let through.
#[derive(Clone, Debug, Default)]
pub struct Filters {
    /// Only files matching these.
    pub include: Option<Globs>,
    /// Skip files and folders matching these.
    pub exclude: Option<Globs>,
    /// Files matching these are reply templates.
    pub templates: Option<Globs>,
    /// Walk hidden files and folders too.
    pub hidden: bool,
    /// Read every file with this format (`--input-format`).
    pub format: Option<&'static Format>,
}

impl Filters {
    /// Compiles `--include` / `--exclude` globs; `Err` names the bad glob.
    pub fn new(include: &[String], exclude: &[String], hidden: bool) -> Result<Filters, Problem> {
        Ok(Filters {
            include: Globs::new(include, "--include", None)?,
            exclude: Globs::new(exclude, "--exclude", None)?,
            hidden,
            ..Filters::default()
        })
    }

    fn excluded(&self, root: &Path, path: &Path) -> bool {
        self.exclude.as_ref().is_some_and(|g| g.is_match(root, path))
    }

    fn included(&self, root: &Path, path: &Path) -> bool {
        self.include.as_ref().is_none_or(|g| g.is_match(root, path))
    }

    /// Whether a walk of the folder `root` would check the file `path` below it (hidden parts,
    /// excluded folders, includes, extensions, metadata files), and if so the format discovery
    /// decides for it (forced, or a reply template): an editor checks what `check` would.
    pub fn walk_takes(&self, root: &Path, path: &Path) -> Option<Option<&'static Format>> {
        let relative = path.strip_prefix(root).ok()?;
        let mut below = root.to_path_buf();
        for part in relative.components() {
            below.push(part);
            let hidden = part.as_os_str().to_string_lossy().starts_with('.');
            if (hidden && !self.hidden) || self.excluded(root, &below) {
                return None;
            }
        }
        let (format, taken) = self.format_of(root, path);
        (taken && !is_metadata_file(path) && self.included(root, path)).then_some(format)
    }

    /// The format a file is read with, if decided here, and whether a folder walk takes it.
    fn format_of(&self, root: &Path, path: &Path) -> (Option<&'static Format>, bool) {
        let extension = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .unwrap_or_default();
        let template = || templates::for_extension(&extension);
        if let Some(forced) = self.format {
            if std::ptr::eq(forced, &templates::FORMAT) {
                return (
                    Some(template()),
                    templates::EXTENSIONS.contains(&extension.as_str()),
                );
            }
            return (Some(forced), forced.extensions.contains(&extension.as_str()));
        }
        if self.templates.as_ref().is_some_and(|g| g.is_match(root, path)) {
            return (
                Some(template()),
                templates::EXTENSIONS.contains(&extension.as_str()),
            );
        }
        (None, format_for_extension(&extension).is_some())
    }
}

/// Expands command-line paths into the list of inputs, in [`Discovery`] order.
pub fn discover(paths: &[PathBuf], filters: &Filters) -> Vec<Input> {
    discover_with_notes(paths, filters).0
}

/// [`discover`], plus notes for people: the nested projects that were skipped.
pub fn discover_with_notes(paths: &[PathBuf], filters: &Filters) -> (Vec<Input>, Vec<String>) {
    let mut discovery = Discovery::new(paths, filters.clone());
    let inputs: Vec<Input> = discovery.by_ref().collect();
    (inputs, discovery.notes())
}

/// The inputs of a run, found lazily so that a corpus of millions of files never sits in memory
/// as a list.
///
/// Command-line paths are taken in sorted order (duplicates once); folders are walked depth
/// first with each folder's entries in name order. The order depends only on the paths, never
/// on the file system.
pub struct Discovery {
    roots: std::vec::IntoIter<PathBuf>,
    filters: Arc<Filters>,
    walk: Option<Walk>,
    notes: Arc<Mutex<Vec<String>>>,
}

/// A folder walk in progress.
struct Walk {
    root: PathBuf,
    entries: Box<dyn Iterator<Item = walkdir::Result<walkdir::DirEntry>> + Send>,
}

impl Discovery {
    /// Starts discovering `paths`.
    pub fn new(paths: &[PathBuf], filters: Filters) -> Discovery {
        let mut roots: Vec<PathBuf> = paths.to_vec();
        roots.sort_by_cached_key(|p| display(p));
        roots.dedup_by(|a, b| display(a) == display(b));
        Discovery {
            roots: roots.into_iter(),
            filters: Arc::new(filters),
            walk: None,
            notes: Arc::new(Mutex::new(Vec::new())),
        }
    }

    /// Notes for people gathered so far: the nested projects that were skipped.
    pub fn notes(&self) -> Vec<String> {
        self.notes.lock().map(|n| n.clone()).unwrap_or_default()
    }

    /// The input for a command-line path, or starts walking it when it is a folder.
    fn root(&mut self, path: PathBuf) -> Option<Input> {
        if path.as_os_str() == "-" {
            return Some(Input {
                display: "<stdin>".into(),
                source: Source::Stdin,
                format: self.filters.format,
            });
        }
        let display = display(&path);
        match std::fs::metadata(&path) {
            Err(e) => Some(Input {
                display,
                source: Source::Unreadable(format!("cannot read: {e}")),
                format: None,
            }),
            Ok(meta) if meta.is_dir() => {
                self.walk = Some(self.start_walk(path));
                None
            }
            Ok(_) => {
                let parent = path.parent().unwrap_or(Path::new("")).to_path_buf();
                let format = self.filters.format_of(&parent, &path).0;
                Some(Input {
                    display,
                    source: Source::File(path),
                    format,
                })
            }
        }
    }

    fn start_walk(&self, root: PathBuf) -> Walk {
        let filters = Arc::clone(&self.filters);
        let notes = Arc::clone(&self.notes);
        let walk_root = root.clone();
        let entries = WalkDir::new(&root)
            .follow_links(true)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(move |entry| {
                if entry.depth() == 0 {
                    return true;
                }
                let hidden = entry.file_name().to_string_lossy().starts_with('.');
                let keep = (filters.hidden || !hidden) && !filters.excluded(&walk_root, entry.path());
                if keep && entry.file_type().is_dir() && is_project(entry.path()) {
                    let path = display(entry.path());
                    if let Ok(mut notes) = notes.lock() {
                        notes.push(format!(
                            "skipped {path}/: it has its own callcheck.toml (check it from inside that \
                             folder, or with --config {path}/callcheck.toml)"
                        ));
                    }
                    return false;
                }
                keep
            });
        Walk {
            root,
            entries: Box::new(entries),
        }
    }

    /// The next input of the current walk, if any.
    fn next_walked(&mut self) -> Option<Input> {
        let walk = self.walk.as_mut()?;
        for entry in walk.entries.by_ref() {
            // Ctrl-C: the run stops before checking anything; listing a huge tree need not finish.
            if crate::interrupt::requested() {
                break;
            }
            let entry = match entry {
                Ok(entry) => entry,
                Err(e) => match walk_error(&walk.root, &self.filters, &e) {
                    Some(input) => return Some(input),
                    None => continue,
                },
            };
            let file_type = entry.file_type();
            if file_type.is_dir() {
                continue;
            }
            let path = entry.path();
            let (format, taken) = self.filters.format_of(&walk.root, path);
            if taken && !is_metadata_file(path) && self.filters.included(&walk.root, path) {
                let source = if file_type.is_file() {
                    Source::File(path.to_path_buf())
                } else {
                    Source::Unreadable(format!(
                        "not a regular file ({}): files in folders are only read when they are regular \
                         files; name it on the command line to read it",
                        special_kind(&file_type)
                    ))
                };
                return Some(Input {
                    display: display(path),
                    source,
                    format,
                });
            }
        }
        self.walk = None;
        None
    }
}

impl Iterator for Discovery {
    type Item = Input;

    fn next(&mut self) -> Option<Input> {
        loop {
            if let Some(input) = self.next_walked() {
                return Some(input);
            }
            let root = self.roots.next()?;
            if let Some(input) = self.root(root) {
                return Some(input);
            }
        }
    }
}

/// True when a folder holds its own project configuration.
fn is_project(dir: &Path) -> bool {
    CONFIG_FILE_NAMES.iter().any(|name| dir.join(name).is_file())
}

/// The input a walk error becomes: a symbolic link loop, a broken link to a transcript, or an
/// entry that cannot be read; `None` for a broken link that is not named like a transcript.
fn walk_error(root: &Path, filters: &Filters, e: &walkdir::Error) -> Option<Input> {
    let path = e.path().unwrap_or(root);
    let reason = if let Some(ancestor) = e.loop_ancestor() {
        format!(
            "symbolic link loop: it leads back to {}, a folder above it; not followed",
            display(ancestor)
        )
    } else if path.is_symlink() && !path.exists() {
        if !filters.format_of(root, path).1 {
            return None;
        }
        let target = std::fs::read_link(path).map_or_else(|_| "?".to_string(), |t| display(&t));
        format!("broken symbolic link: its target {target} does not exist")
    } else {
        let reason = e
            .io_error()
            .map_or_else(|| e.to_string(), std::string::ToString::to_string);
        format!("cannot read: {reason}")
    };
    Some(Input {
        display: display(path),
        source: Source::Unreadable(reason),
        format: None,
    })
}

/// What kind of special file a walk found: "a named pipe", "a socket", "a device".
fn special_kind(file_type: &std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if file_type.is_fifo() {
            return "a named pipe";
        }
        if file_type.is_socket() {
            return "a socket";
        }
        if file_type.is_block_device() || file_type.is_char_device() {
            return "a device";
        }
    }
    let _ = file_type;
    "a special file"
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
                .message()
                .contains("--include [")
        );
    }

    #[test]
    fn template_globs_relative_to_a_base_choose_the_template_parsers() {
        let dir = tree();
        fs::create_dir_all(dir.path().join("calls/replies")).unwrap();
        fs::write(dir.path().join("calls/replies/r.md"), "hi").unwrap();
        fs::write(dir.path().join("calls/replies/r.yaml"), "a: hi").unwrap();
        fs::write(dir.path().join("calls/replies/r.txt"), "hi").unwrap();
        fs::write(dir.path().join("calls/replies/r.bin"), "hi").unwrap();
        let filters = Filters {
            templates: Globs::new(&["calls/replies/**".into()], "templates", Some(dir.path())).unwrap(),
            ..Filters::default()
        };
        let inputs = discover(&[dir.path().join("calls")], &filters);
        let found: Vec<(String, &str)> = inputs
            .iter()
            .map(|i| {
                let parser = match i.format {
                    Some(f) if std::ptr::eq(f, &templates::MARKDOWN) => "markdown",
                    Some(f) if std::ptr::eq(f, &templates::NAMED) => "named",
                    Some(f) if std::ptr::eq(f, &templates::FORMAT) => "text",
                    Some(_) => "other",
                    None => "by extension",
                };
                (names(std::slice::from_ref(i), dir.path())[0].clone(), parser)
            })
            .collect();
        assert!(
            found.contains(&("calls/replies/r.md".into(), "markdown")),
            "{found:?}"
        );
        assert!(
            found.contains(&("calls/replies/r.yaml".into(), "named")),
            "{found:?}"
        );
        assert!(
            found.contains(&("calls/replies/r.txt".into(), "text")),
            "{found:?}"
        );
        assert!(
            found.contains(&("calls/a.txt".into(), "by extension")),
            "{found:?}"
        );
        assert!(
            !found
                .iter()
                .any(|(p, _)| p.ends_with("r.bin") || p.ends_with("notes.md"))
        );
        // Without the glob, .md and .yaml files are not transcripts.
        let plain = discover(&[dir.path().join("calls")], &Filters::default());
        assert!(
            !plain
                .iter()
                .any(|i| i.display.ends_with(".md") || i.display.ends_with(".yaml"))
        );
    }

    #[test]
    fn forced_templates_take_template_extensions() {
        let dir = tree();
        let filters = Filters {
            format: Some(&templates::FORMAT),
            ..Filters::default()
        };
        let inputs = discover(&[dir.path().join("calls")], &filters);
        let names = names(&inputs, dir.path());
        assert!(names.contains(&"calls/notes.md".to_string()), "{names:?}");
        assert!(inputs.iter().all(|i| i.format.is_some()));
    }

    #[test]
    fn nested_projects_are_skipped_with_a_note() {
        let dir = tree();
        fs::write(dir.path().join("calls/b/callcheck.toml"), "").unwrap();
        let (inputs, notes) = discover_with_notes(&[dir.path().join("calls")], &Filters::default());
        assert!(!names(&inputs, dir.path()).contains(&"calls/b/c.txt".to_string()));
        assert_eq!(notes.len(), 1);
        assert!(
            notes[0].contains("calls/b/: it has its own callcheck.toml"),
            "{notes:?}"
        );
        // Named on the command line, the project is walked.
        let inputs = discover(&[dir.path().join("calls/b")], &Filters::default());
        assert_eq!(
            names(&inputs, dir.path()),
            ["calls/b/c.txt", "calls/b/export.json"]
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
