//! The import graph of `src/`'s top-level modules has no cycle, every import goes down the
//! layers docs/architecture.md lists, and the library never imports the front ends.
//!
//! The crate's own source is parsed here, with no tool and no network, so the check runs in a
//! bare clone as part of `cargo test`. From `src/lib.rs` it follows `mod` declarations, drops
//! comments, string and character literals and every `#[cfg(test)]` item (test code may reach
//! anywhere), and records which top-level modules each module's code names: `crate::a::…`,
//! `$crate::a::…` (in macros), `use crate::{a::b, c}` groups over any number of lines, and
//! `super::` paths that climb to the crate root. An edge `a → b` means code in `a` names `b`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The front ends: only they know about flags, standard streams and embedding programs.
const FRONT_ENDS: [&str; 5] = ["cli", "commands", "embed", "python", "settings"];

/// Where an edge is first seen: file (relative to the crate root) and line.
type Site = (String, u32);

/// The graph of top-level modules.
#[derive(Debug, Default)]
struct Graph {
    /// Every top-level module declared in `lib.rs` (and not test-only).
    modules: BTreeSet<String>,
    /// `from → to`, with the first place `from` names `to`.
    edges: BTreeMap<(String, String), Site>,
}

impl Graph {
    fn targets(&self, from: &str) -> impl Iterator<Item = &str> {
        self.edges
            .keys()
            .filter(move |(a, _)| a == from)
            .map(|(_, b)| b.as_str())
    }
}

// ---------------------------------------------------------------------------------------------
// Tokens.

#[derive(Clone, Debug, PartialEq)]
enum Tok {
    Ident(String),
    /// `::`.
    PathSep,
    Punct(char),
}

/// The tokens of Rust source that matter for paths, each with its line. Comments (nested block
/// comments included), string, byte-string, raw-string and character literals, lifetimes and
/// numbers are dropped.
fn tokenize(text: &str) -> Vec<(Tok, u32)> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut line = 1u32;
    let mut i = 0;
    // Skips to just past the closing quote of a string starting at `i` (on the opening `"`).
    let skip_string = |i: &mut usize, line: &mut u32| {
        *i += 1;
        while *i < chars.len() && chars[*i] != '"' {
            if chars[*i] == '\\' {
                *i += 1;
            }
            if chars.get(*i) == Some(&'\n') {
                *line += 1;
            }
            *i += 1;
        }
        *i += 1;
    };
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if c == '\n' {
            line += 1;
            i += 1;
        } else if c.is_whitespace() {
            i += 1;
        } else if c == '/' && next == Some('/') {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            let mut depth = 0;
            while i < chars.len() {
                if chars[i] == '/' && chars.get(i + 1) == Some(&'*') {
                    depth += 1;
                    i += 2;
                } else if chars[i] == '*' && chars.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    if chars[i] == '\n' {
                        line += 1;
                    }
                    i += 1;
                }
            }
        } else if c == '"' {
            skip_string(&mut i, &mut line);
        } else if c == '\'' {
            // A character literal ('a', '\n', '中') or a lifetime ('a, 'static).
            if next == Some('\\') {
                // Past the quote, the backslash and the escaped character (which may be `'`).
                i += 3;
                while i < chars.len() && chars[i] != '\'' {
                    i += 1;
                }
                i += 1;
            } else if chars.get(i + 2) == Some(&'\'') {
                i += 3;
            } else {
                i += 1;
                while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                    i += 1;
                }
            }
        } else if c.is_alphabetic() || c == '_' {
            let start = i;
            while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
            let word: String = chars[start..i].iter().collect();
            let after = chars.get(i).copied();
            match (word.as_str(), after) {
                ("r" | "br" | "cr", Some('"' | '#')) => {
                    // A raw string: r"…", r#"…"#, with as many `#` on both sides.
                    let mut hashes = 0;
                    while chars.get(i) == Some(&'#') {
                        hashes += 1;
                        i += 1;
                    }
                    if chars.get(i) != Some(&'"') {
                        // `r#ident`, a raw identifier.
                        out.push((Tok::Ident(word), line));
                        continue;
                    }
                    i += 1;
                    loop {
                        match chars.get(i) {
                            None => break,
                            Some('"') if (1..=hashes).all(|k| chars.get(i + k) == Some(&'#')) => {
                                i += 1 + hashes;
                                break;
                            }
                            Some('\n') => line += 1,
                            Some(_) => {}
                        }
                        i += 1;
                    }
                }
                ("b" | "c", Some('"')) => skip_string(&mut i, &mut line),
                ("b", Some('\'')) => {
                    i += 1;
                    if chars.get(i) == Some(&'\\') {
                        i += 1;
                    }
                    i += 1;
                    while i < chars.len() && chars[i] != '\'' {
                        i += 1;
                    }
                    i += 1;
                }
                _ => out.push((Tok::Ident(word), line)),
            }
        } else if c.is_ascii_digit() {
            while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
        } else if c == ':' && next == Some(':') {
            out.push((Tok::PathSep, line));
            i += 2;
        } else {
            out.push((Tok::Punct(c), line));
            i += 1;
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Items.

/// True when `toks[at]` starts `#[cfg(test)]` (or `#![cfg(test)]`); returns the index after it.
fn cfg_test_at(toks: &[(Tok, u32)], at: usize) -> Option<usize> {
    let mut i = at;
    if toks.get(i)?.0 != Tok::Punct('#') {
        return None;
    }
    i += 1;
    if toks.get(i)?.0 == Tok::Punct('!') {
        i += 1;
    }
    let want = [
        Tok::Punct('['),
        Tok::Ident("cfg".into()),
        Tok::Punct('('),
        Tok::Ident("test".into()),
        Tok::Punct(')'),
        Tok::Punct(']'),
    ];
    for w in &want {
        if toks.get(i)?.0 != *w {
            return None;
        }
        i += 1;
    }
    Some(i)
}

/// The index just past the bracketed group opening at `at` (`(`, `[` or `{`).
fn past_group(toks: &[(Tok, u32)], at: usize) -> usize {
    let mut depth = 0usize;
    let mut i = at;
    while i < toks.len() {
        match toks[i].0 {
            Tok::Punct('(' | '[' | '{') => depth += 1,
            Tok::Punct(')' | ']' | '}') => {
                depth -= 1;
                if depth == 0 {
                    return i + 1;
                }
            }
            _ => {}
        }
        i += 1;
    }
    i
}

/// The index just past the item starting at `at` (after its attributes were read): up to a `;`
/// outside brackets, or through its first `{ … }` body.
fn past_item(toks: &[(Tok, u32)], at: usize) -> usize {
    let mut i = at;
    // Further attributes of the same item.
    while toks.get(i).map(|t| &t.0) == Some(&Tok::Punct('#')) {
        i = past_group(toks, i + 1);
    }
    while i < toks.len() {
        match toks[i].0 {
            Tok::Punct(';') => return i + 1,
            Tok::Punct('{') => return past_group(toks, i),
            Tok::Punct('(' | '[') => i = past_group(toks, i),
            _ => i += 1,
        }
    }
    i
}

/// The first segments named by the path that continues at `at` (just after a `::`): one name,
/// or each entry of a `{…}` group.
fn first_segments(toks: &[(Tok, u32)], at: usize, out: &mut Vec<(String, u32)>) {
    match toks.get(at) {
        Some((Tok::Ident(name), line)) => out.push((name.clone(), *line)),
        Some((Tok::Punct('{'), _)) => {
            let end = past_group(toks, at);
            let mut i = at + 1;
            let mut entry_start = true;
            while i < end - 1 {
                match &toks[i].0 {
                    Tok::Punct('{') if entry_start => {
                        first_segments(toks, i, out);
                        i = past_group(toks, i);
                        entry_start = false;
                        continue;
                    }
                    Tok::Punct('{' | '(' | '[') => {
                        i = past_group(toks, i);
                        continue;
                    }
                    Tok::Punct(',') => entry_start = true,
                    Tok::Ident(name) if entry_start => {
                        out.push((name.clone(), toks[i].1));
                        entry_start = false;
                    }
                    _ => entry_start = false,
                }
                i += 1;
            }
        }
        _ => {}
    }
}

/// What one file declares and names.
#[derive(Debug, Default)]
struct FileScan {
    /// Child modules declared `mod name;`, with the inline modules they sit in.
    children: Vec<(Vec<String>, String)>,
    /// Top-level module names this file's code refers to, with lines.
    names: Vec<(String, u32)>,
}

/// Scans one file of module `module` (its path from the crate root; empty for `lib.rs`).
fn scan(text: &str, module: &[String]) -> FileScan {
    let toks = tokenize(text);
    let mut scan = FileScan::default();
    // Inline modules (`mod x { … }`) we are inside, with the brace depth they opened at.
    let mut inline: Vec<(String, usize)> = Vec::new();
    let mut depth = 0usize;
    let mut i = 0;
    while i < toks.len() {
        if let Some(after) = cfg_test_at(&toks, i) {
            if toks[i + 1].0 == Tok::Punct('!') {
                return FileScan::default(); // the whole file is test code
            }
            i = past_item(&toks, after);
            continue;
        }
        match &toks[i].0 {
            Tok::Punct('{') => depth += 1,
            Tok::Punct('}') => {
                depth -= 1;
                if inline.last().is_some_and(|(_, d)| *d == depth) {
                    inline.pop();
                }
            }
            Tok::Ident(word) if word == "mod" => {
                if let Some((Tok::Ident(name), _)) = toks.get(i + 1) {
                    match toks.get(i + 2).map(|t| &t.0) {
                        Some(Tok::Punct(';')) => {
                            let within = inline.iter().map(|(n, _)| n.clone()).collect();
                            scan.children.push((within, name.clone()));
                        }
                        Some(Tok::Punct('{')) => {
                            inline.push((name.clone(), depth));
                            depth += 1;
                            i += 3;
                            continue;
                        }
                        _ => {}
                    }
                }
            }
            Tok::Ident(word) if word == "crate" && toks.get(i + 1).map(|t| &t.0) == Some(&Tok::PathSep) => {
                first_segments(&toks, i + 2, &mut scan.names);
            }
            Tok::Ident(word)
                if word == "super"
                    // Only the start of a path: `super` after `::` was counted with the first.
                    && (i == 0 || toks[i - 1].0 != Tok::PathSep) =>
            {
                let mut here: Vec<String> = module.to_vec();
                here.extend(inline.iter().map(|(n, _)| n.clone()));
                let mut j = i;
                let mut climbed_out = false;
                while matches!(&toks.get(j).map(|t| &t.0), Some(Tok::Ident(w)) if w == "super")
                    && toks.get(j + 1).map(|t| &t.0) == Some(&Tok::PathSep)
                {
                    climbed_out |= here.pop().is_none();
                    j += 2;
                }
                if j == i {
                    i += 1; // `pub(super)`: no path
                    continue;
                }
                if here.is_empty() && !climbed_out {
                    first_segments(&toks, j, &mut scan.names);
                }
                i = j;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    scan
}

/// The module tree from `lib.rs` down, read through `read` (a path relative to `src/` → text),
/// and the top-level module graph.
fn build(read: &dyn Fn(&Path) -> Option<String>) -> Graph {
    let lib = read(Path::new("lib.rs")).expect("src/lib.rs");
    let root = scan(&lib, &[]);
    let mut graph = Graph::default();
    // (file, module path, the folder its children live in)
    let mut queue: Vec<(PathBuf, Vec<String>)> = Vec::new();
    let child_file = |folder: &Path, name: &str| -> PathBuf {
        let flat = folder.join(format!("{name}.rs"));
        if read(&flat).is_some() {
            flat
        } else {
            folder.join(name).join("mod.rs")
        }
    };
    for (within, name) in &root.children {
        assert!(within.is_empty(), "inline modules in lib.rs are not handled");
        graph.modules.insert(name.clone());
        queue.push((child_file(Path::new(""), name), vec![name.clone()]));
    }
    while let Some((file, module)) = queue.pop() {
        let text = read(&file)
            .unwrap_or_else(|| panic!("module {} has no file {}", module.join("::"), file.display()));
        let found = scan(&text, &module);
        let top = &module[0];
        for (name, line) in found.names {
            if graph.modules.contains(&name) && name != *top {
                graph
                    .edges
                    .entry((top.clone(), name))
                    .or_insert_with(|| (format!("src/{}", file.display()), line));
            }
        }
        // A module's children live in its own folder: `a.rs` and `a/mod.rs` both keep them in `a/`.
        let folder = file
            .parent()
            .unwrap_or(Path::new(""))
            .join(if file.ends_with("mod.rs") {
                ""
            } else {
                module.last().map_or("", String::as_str)
            });
        for (within, name) in found.children {
            let mut child = module.clone();
            child.extend(within.iter().cloned());
            let mut parent_folder = folder.clone();
            for w in &within {
                parent_folder.push(w);
            }
            child.push(name.clone());
            queue.push((child_file(&parent_folder, &name), child));
        }
    }
    graph
}

// ---------------------------------------------------------------------------------------------
// Cycles.

/// One cycle per strongly connected component of more than one module (Tarjan), each as the
/// modules in order, starting from the smallest name; empty when the graph has no cycle.
fn cycles(graph: &Graph) -> Vec<Vec<String>> {
    struct Tarjan<'g> {
        graph: &'g Graph,
        index: BTreeMap<&'g str, usize>,
        low: BTreeMap<&'g str, usize>,
        stack: Vec<&'g str>,
        on_stack: BTreeSet<&'g str>,
        components: Vec<Vec<&'g str>>,
    }
    impl<'g> Tarjan<'g> {
        fn visit(&mut self, v: &'g str) {
            let n = self.index.len();
            self.index.insert(v, n);
            self.low.insert(v, n);
            self.stack.push(v);
            self.on_stack.insert(v);
            for w in self.graph.targets(v) {
                if !self.index.contains_key(w) {
                    self.visit(w);
                    let low = self.low[v].min(self.low[w]);
                    self.low.insert(v, low);
                } else if self.on_stack.contains(w) {
                    let low = self.low[v].min(self.index[w]);
                    self.low.insert(v, low);
                }
            }
            if self.low[v] == self.index[v] {
                let mut component = Vec::new();
                while let Some(w) = self.stack.pop() {
                    self.on_stack.remove(w);
                    component.push(w);
                    if w == v {
                        break;
                    }
                }
                self.components.push(component);
            }
        }
    }
    let mut tarjan = Tarjan {
        graph,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        components: Vec::new(),
    };
    let nodes: BTreeSet<&str> = graph
        .modules
        .iter()
        .map(String::as_str)
        .chain(graph.edges.keys().flat_map(|(a, b)| [a.as_str(), b.as_str()]))
        .collect();
    for v in nodes {
        if !tarjan.index.contains_key(v) {
            tarjan.visit(v);
        }
    }
    let mut found: Vec<Vec<String>> = tarjan
        .components
        .into_iter()
        .filter(|c| c.len() > 1)
        .map(|component| {
            // The shortest way round from the smallest module, within the component (BFS).
            let inside: BTreeSet<&str> = component.iter().copied().collect();
            let start = *inside.iter().next().expect("a component has a module");
            let mut came_from: BTreeMap<&str, &str> = BTreeMap::new();
            let mut frontier = vec![start];
            let last = 'search: loop {
                let mut next = Vec::new();
                for v in frontier {
                    for w in graph.targets(v).filter(|w| inside.contains(w)) {
                        if w == start {
                            break 'search v;
                        }
                        if !came_from.contains_key(w) {
                            came_from.insert(w, v);
                            next.push(w);
                        }
                    }
                }
                assert!(
                    !next.is_empty(),
                    "a strongly connected component leads back to its start"
                );
                frontier = next;
            };
            let mut cycle = vec![last.to_string()];
            let mut at = last;
            while at != start {
                at = came_from[at];
                cycle.push(at.to_string());
            }
            cycle.reverse();
            cycle
        })
        .collect();
    found.sort();
    found
}

/// A cycle as people read it: `a → b → a`, then each step with where the import is.
fn describe(graph: &Graph, cycle: &[String]) -> String {
    let mut ring: Vec<&str> = cycle.iter().map(String::as_str).collect();
    ring.push(&cycle[0]);
    let mut text = format!("module cycle: {}\n", ring.join(" → "));
    for step in ring.windows(2) {
        let (file, line) = &graph.edges[&(step[0].to_string(), step[1].to_string())];
        text.push_str(&format!("  {} → {}: {file}:{line}\n", step[0], step[1]));
    }
    text
}

fn src_graph() -> Graph {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    build(&|path: &Path| std::fs::read_to_string(src.join(path)).ok())
}

// ---------------------------------------------------------------------------------------------
// Tests.

#[test]
fn no_module_cycle_in_src() {
    let graph = src_graph();
    // A parser that lost its way would see no edges and pass: the graph must look like callcheck.
    assert!(
        graph.modules.len() >= 30 && graph.edges.len() >= 100,
        "only {} modules and {} edges seen: is the parser broken?",
        graph.modules.len(),
        graph.edges.len()
    );
    for (from, to) in [
        ("engine", "rules"),
        ("report", "finding"),
        ("commands", "pipeline"),
        ("rulebook", "rules"),
        ("rules", "matcher"),
    ] {
        assert!(
            graph.edges.contains_key(&(from.to_string(), to.to_string())),
            "the edge {from} → {to} was not seen: is the parser broken?"
        );
    }
    let found = cycles(&graph);
    let text: Vec<String> = found.iter().map(|c| describe(&graph, c)).collect();
    assert!(
        found.is_empty(),
        "the top-level modules of src/ import each other in a cycle; move the shared item down \
         to the lower module or a leaf (see docs/architecture.md, \"Layers\"):\n{}",
        text.join("\n")
    );
}

#[test]
fn the_library_does_not_import_the_front_ends() {
    let graph = src_graph();
    let wrong: Vec<String> = graph
        .edges
        .iter()
        .filter(|((from, to), _)| !FRONT_ENDS.contains(&from.as_str()) && FRONT_ENDS.contains(&to.as_str()))
        .map(|((from, to), (file, line))| format!("  {from} → {to}: {file}:{line}"))
        .collect();
    assert!(
        wrong.is_empty(),
        "library modules import front ends ({}); pass the value down instead:\n{}",
        FRONT_ENDS.join(", "),
        wrong.join("\n")
    );
    for module in FRONT_ENDS {
        assert!(
            graph.modules.contains(module),
            "front end {module} is not a module"
        );
    }
}

/// The layer of each module, from the table under "## Layers" in docs/architecture.md: rows
/// `| 3 | `rules`, `score` | … |`.
fn documented_layers(markdown: &str) -> BTreeMap<String, u32> {
    let mut layers = BTreeMap::new();
    let section = markdown
        .split("\n## ")
        .find(|s| s.starts_with("Layers\n"))
        .expect("docs/architecture.md has a \"## Layers\" section");
    for row in section.lines().filter(|l| l.starts_with('|')) {
        let cells: Vec<&str> = row.split('|').map(str::trim).collect();
        let Some(Ok(layer)) = cells.get(1).map(|c| c.parse::<u32>()) else {
            continue;
        };
        for module in cells[2].split(',') {
            let module = module.trim().trim_matches('`');
            assert!(
                layers.insert(module.to_string(), layer).is_none(),
                "{module} is in two layers"
            );
        }
    }
    layers
}

#[test]
fn imports_follow_the_documented_layers() {
    let graph = src_graph();
    let doc = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/architecture.md");
    let layers = documented_layers(&std::fs::read_to_string(doc).unwrap());
    let documented: BTreeSet<String> = layers.keys().cloned().collect();
    let missing: Vec<&String> = graph.modules.difference(&documented).collect();
    let gone: Vec<&String> = documented.difference(&graph.modules).collect();
    assert!(
        missing.is_empty() && gone.is_empty(),
        "the \"Layers\" table of docs/architecture.md does not list the modules of src/lib.rs: \
         give {missing:?} a layer, remove {gone:?}"
    );
    let wrong: Vec<String> = graph
        .edges
        .iter()
        .filter(|((from, to), _)| layers[from] <= layers[to])
        .map(|((from, to), (file, line))| {
            format!(
                "  {from} (layer {}) → {to} (layer {}): {file}:{line}",
                layers[from], layers[to]
            )
        })
        .collect();
    assert!(
        wrong.is_empty(),
        "imports that do not go down the layers of docs/architecture.md; move the item down or \
         change the layers (keeping every import downward):\n{}",
        wrong.join("\n")
    );
}

#[test]
fn the_cycle_finder_finds_cycles_and_only_cycles() {
    let graph_of = |edges: &[(&str, &str)]| {
        let mut graph = Graph::default();
        for (line, (a, b)) in edges.iter().enumerate() {
            graph.modules.insert(a.to_string());
            graph.modules.insert(b.to_string());
            graph
                .edges
                .insert((a.to_string(), b.to_string()), ("x.rs".into(), line as u32 + 1));
        }
        graph
    };
    let acyclic = graph_of(&[("a", "b"), ("b", "c"), ("a", "c"), ("d", "c")]);
    assert!(cycles(&acyclic).is_empty());

    let graph = graph_of(&[
        ("a", "b"),
        ("b", "c"),
        ("c", "a"),
        ("c", "d"),
        ("d", "e"),
        ("e", "d"),
        ("f", "a"),
    ]);
    let found = cycles(&graph);
    assert_eq!(found, [vec!["a", "b", "c"], vec!["d", "e"]]);
    assert_eq!(
        describe(&graph, &found[0]),
        "module cycle: a → b → c → a\n  a → b: x.rs:1\n  b → c: x.rs:2\n  c → a: x.rs:3\n"
    );
}

#[test]
fn the_parser_reads_paths_and_skips_tests_comments_and_strings() {
    let files: BTreeMap<&str, &str> = BTreeMap::from([
        (
            "lib.rs",
            "//! crate::d in a comment\npub mod a;\npub mod b;\nmod c;\npub mod d;\n#[cfg(test)]\nmod t;\n",
        ),
        (
            "a.rs",
            r###"use crate::{
    b::{X, Y},
    c,
};
/// [`crate::d`] is a link, not an import. /* crate::d */
fn f() -> &'static str {
    let _ = '"';
    let _ = "crate::d \" crate::d";
    r##"crate::d "# crate::d"##
}
#[cfg(test)]
mod tests {
    use crate::d;
}
"###,
        ),
        ("b/mod.rs", "pub mod inner;\n"),
        // `b::inner::nested`'s `super::super::d` is `b::d`, inside `b`: no edge.
        (
            "b/inner.rs",
            "use super::super::c::Z;\nmod nested {\n    use super::super::d;\n}\nmacro_rules! m {\n    () => { $crate::a::f() };\n}\n",
        ),
        (
            "c.rs",
            "#[cfg(test)]\nuse crate::a;\nfn g<'a>(x: &'a str) -> char { let _ = b'\\''; 'x' }\npub fn h() { crate::d::k(); }\n",
        ),
        (
            "d.rs",
            "/* nested /* crate::a */ still a comment crate::a */\npub fn k() {}\n",
        ),
        ("t.rs", "use crate::a;\n"),
    ]);
    let graph = build(&|path: &Path| files.get(path.to_str()?).map(|s| s.to_string()));
    assert_eq!(
        graph.modules,
        BTreeSet::from(["a", "b", "c", "d"].map(String::from))
    );
    let edges: Vec<(&str, &str, &str, u32)> = graph
        .edges
        .iter()
        .map(|((a, b), (file, line))| (a.as_str(), b.as_str(), file.as_str(), *line))
        .collect();
    assert_eq!(
        edges,
        [
            ("a", "b", "src/a.rs", 2),
            ("a", "c", "src/a.rs", 3),
            ("b", "a", "src/b/inner.rs", 6),
            ("b", "c", "src/b/inner.rs", 1),
            ("c", "d", "src/c.rs", 4),
        ]
    );
    assert_eq!(cycles(&graph), [vec!["a", "b"]]);
}
