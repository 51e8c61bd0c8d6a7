//! callcheck checks call-centre transcripts against script-compliance rulebooks.
//!
//! The data flows one way, one module per stage:
//! [`discover`] finds the files → [`decode`] turns bytes into text → a [`transcript`] format
//! parses it into a [`Transcript`](transcript::Transcript) → [`normalize`] folds width, case,
//! script and punctuation while keeping an offset map → [`matcher`] finds every phrase and
//! pattern of every rule in one pass → [`rules`] judge the hits (each kind in its own file) →
//! [`finding`]s → a [`report`]er writes them. [`rulebook`] loads and compiles the TOML
//! rulebooks before any transcript is read; [`engine`] runs the rules over one transcript and
//! [`pipeline`] runs the whole chain over many files in parallel, in order, adding call
//! [`metadata`] from sidecar files and tables to each parsed transcript.
//!
//! [`eval`] compares the findings on labelled calls with what people decided.
//!
//! The command-line layer ([`cli`], [`settings`], [`commands`]) sits on top; nothing below it
//! knows about flags or prints.

#![warn(clippy::print_stdout, clippy::print_stderr, missing_docs)]
// No panics in library code: `unwrap` and `expect` are refused outside tests. Where an invariant
// is proven, `unwrap_or_else(|e| unreachable!("why it holds: {e}"))` says why, or an
// `#[allow(clippy::expect_used, reason = "…")]` on the item. Unit tests (`cfg(test)`) and the
// integration tests in tests/ (separate crates) may unwrap.
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]

pub mod baseline;
pub mod cli;
pub mod commands;
pub mod config;
pub mod decode;
pub mod diagnostic;
pub mod discover;
pub mod docs;
pub mod embed;
pub mod engine;
pub mod eval;
pub mod exit;
pub mod finding;
pub mod fingerprint;
pub mod fix;
pub mod guidelines;
pub mod interrupt;
pub mod limits;
pub mod line_index;
pub mod matcher;
pub mod metadata;
pub mod normalize;
pub mod paint;
pub mod paths;
pub mod pipeline;
pub mod problem;
#[cfg(feature = "python")]
pub mod python;
pub mod redact;
pub mod report;
pub mod roles;
pub mod rollup;
pub mod rulebook;
pub mod rules;
pub mod score;
pub mod selftest;
pub mod settings;
pub mod suppress;
pub mod text_hash;
pub mod transcript;
