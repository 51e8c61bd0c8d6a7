//! `callcheck lsp`: a language server over standard input and output.
//!
//! Editors send the text of open documents; the server answers with the findings `callcheck
//! check` would report for them (the project's callcheck.toml, rulebooks, template roles and
//! sidecars apply), the located problems of rulebooks and callcheck.toml as they are edited,
//! `rules explain` on hover and quick fixes (a forbidden rule's `replace`, a suppression
//! comment). One thread, full-text synchronisation: a template or call is checked in well under
//! a millisecond, so there is nothing to schedule.
//!
//! The project is the folder the editor opens (the server works from it, as `check` does from
//! the current folder). Saving any `.toml` file reloads the configuration and rulebooks and
//! checks every open document again.

mod diagnose;
mod text;

use std::collections::BTreeMap;
use std::io::{self, BufRead, Write};
use std::path::{Path, PathBuf};

use lsp_server::{ErrorCode, Message, Notification, Request, Response};
use lsp_types::{
    CodeActionKind, CodeActionOptions, CodeActionParams, CodeActionProviderCapability,
    DidChangeTextDocumentParams, DidChangeWatchedFilesParams, DidCloseTextDocumentParams,
    DidOpenTextDocumentParams, DidSaveTextDocumentParams, HoverParams, HoverProviderCapability,
    InitializeParams, InitializeResult, LogMessageParams, MessageType, PositionEncodingKind,
    PublishDiagnosticsParams, ServerCapabilities, ServerInfo, ShowMessageParams, TextDocumentSyncCapability,
    TextDocumentSyncKind, TextDocumentSyncOptions, TextDocumentSyncSaveOptions, Uri,
};
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::Streams;
use crate::cli::{ConfigArgs, RulebookArgs, ScopeArgs};
use crate::discover::{Filters, Input, Source};
use crate::exit::ExitStatus;
use crate::matcher::Scratch;
use crate::pipeline::Pipeline;
use crate::settings::RunSettings;
use diagnose::Entry;

/// Runs the server on standard input and output until the client says `exit` or hangs up.
pub(super) fn run(config: &ConfigArgs, streams: &mut Streams<'_>) -> super::Outcome {
    // `--config` names a file from where the server was started, before it moves to the project.
    let config = ConfigArgs {
        config: config.config.as_deref().map(crate::paths::normalize_path),
        no_config: config.no_config,
    };
    let stdin = io::stdin();
    let mut input = stdin.lock();
    Ok(match serve(&mut input, streams.out, &config)? {
        Ended::Exit => ExitStatus::Clean,
        // The protocol asks for a failure status when the client exits without `shutdown`.
        Ended::ExitWithoutShutdown | Ended::Closed => ExitStatus::Error,
    })
}

/// How a session ended.
#[derive(Debug, PartialEq, Eq)]
pub enum Ended {
    /// `shutdown` then `exit`.
    Exit,
    /// `exit` without `shutdown`.
    ExitWithoutShutdown,
    /// The client closed the stream.
    Closed,
}

/// Serves one client: the `initialize` handshake, then documents until `exit`.
pub fn serve(input: &mut dyn BufRead, out: &mut dyn Write, config: &ConfigArgs) -> io::Result<Ended> {
    let mut connection = Connection { input, out };
    let root = loop {
        match connection.read()? {
            None => return Ok(Ended::Closed),
            Some(Message::Request(request)) if request.method == "initialize" => {
                let params: InitializeParams = serde_json::from_value(request.params).unwrap_or_default();
                connection.send(Response::new_ok(request.id, capabilities()))?;
                break project_folder(&params);
            }
            Some(Message::Request(request)) => connection.send(Response::new_err(
                request.id,
                ErrorCode::ServerNotInitialized as i32,
                "the server is not initialized yet".into(),
            ))?,
            Some(Message::Notification(n)) if n.method == "exit" => return Ok(Ended::ExitWithoutShutdown),
            Some(_) => {}
        }
    };
    if let Some(root) = root
        && let Err(e) = std::env::set_current_dir(&root)
    {
        connection.show(
            MessageType::ERROR,
            format!(
                "callcheck: cannot work from the project folder {}: {e}",
                root.display()
            ),
        )?;
    }
    let mut session = Session {
        connection,
        config,
        documents: BTreeMap::new(),
        shutdown: false,
        scratch: Scratch::default(),
    };
    loop {
        // `check` with nothing given: the project's configuration decides everything.
        let settings = RunSettings::from_args(&[], &RulebookArgs::default(), &ScopeArgs::default(), config);
        let outcome = match settings {
            Ok(settings) => {
                let RunSettings {
                    engine,
                    paths,
                    filters,
                    input,
                    unused_suppression,
                    ..
                } = settings;
                let pipeline = Pipeline {
                    unused_suppression,
                    // An editor's buffer is text already, whatever the file's encoding on disk.
                    encoding: Some(encoding_rs::UTF_8),
                    ..Pipeline::new(&engine, input.into_options())
                };
                session.run(&Project {
                    pipeline: Some(&pipeline),
                    paths,
                    filters,
                    problem: None,
                })?
            }
            Err(e) => {
                let problem = e.to_string();
                session.connection.show(
                    MessageType::ERROR,
                    format!("callcheck: the project's settings have errors; nothing is checked until they are fixed:\n{problem}"),
                )?;
                session.run(&Project {
                    pipeline: None,
                    paths: Vec::new(),
                    filters: Filters::default(),
                    problem: Some(problem),
                })?
            }
        };
        match outcome {
            Outcome::Reload => continue,
            Outcome::Ended(ended) => return Ok(ended),
        }
    }
}

/// What the server says it can do.
fn capabilities() -> InitializeResult {
    InitializeResult {
        capabilities: ServerCapabilities {
            position_encoding: Some(PositionEncodingKind::UTF16),
            text_document_sync: Some(TextDocumentSyncCapability::Options(TextDocumentSyncOptions {
                open_close: Some(true),
                change: Some(TextDocumentSyncKind::FULL),
                save: Some(TextDocumentSyncSaveOptions::Supported(true)),
                ..TextDocumentSyncOptions::default()
            })),
            hover_provider: Some(HoverProviderCapability::Simple(true)),
            code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
                code_action_kinds: Some(vec![CodeActionKind::QUICKFIX]),
                ..CodeActionOptions::default()
            })),
            ..ServerCapabilities::default()
        },
        server_info: Some(ServerInfo {
            name: "callcheck".into(),
            version: Some(env!("CARGO_PKG_VERSION").into()),
        }),
    }
}

/// The folder the editor opened: the first workspace folder, else the root URI.
#[allow(deprecated, reason = "root_uri is what older clients send")]
fn project_folder(params: &InitializeParams) -> Option<PathBuf> {
    let uri = params
        .workspace_folders
        .as_ref()
        .and_then(|folders| folders.first())
        .map(|f| &f.uri)
        .or(params.root_uri.as_ref())?;
    text::path_of(uri.as_str())
}

/// Messages in and out, framed as the protocol says.
struct Connection<'a> {
    input: &'a mut dyn BufRead,
    out: &'a mut dyn Write,
}

impl Connection<'_> {
    fn read(&mut self) -> io::Result<Option<Message>> {
        let mut input = &mut *self.input;
        Message::read(&mut input)
    }

    fn send(&mut self, message: impl Into<Message>) -> io::Result<()> {
        let mut out = &mut *self.out;
        message.into().write(&mut out)?;
        self.out.flush()
    }

    fn notify(&mut self, method: &str, params: impl Serialize) -> io::Result<()> {
        self.send(Notification::new(method.into(), params))
    }

    fn show(&mut self, typ: MessageType, message: String) -> io::Result<()> {
        self.notify("window/showMessage", ShowMessageParams { typ, message })
    }
}

/// The settings in force: how to read and judge a document, or why nothing can be judged.
pub struct Project<'a> {
    pipeline: Option<&'a Pipeline<'a>>,
    paths: Vec<PathBuf>,
    filters: Filters,
    problem: Option<String>,
}

impl Project<'_> {
    /// How `check` would read the file at `path`, if it would check it at all.
    fn input_for(&self, path: &Path) -> Option<Input> {
        let absolute = crate::paths::normalize_path(path);
        self.paths.iter().find_map(|given| {
            let root = crate::paths::normalize_path(given);
            if absolute == root {
                // A file named in `paths` is always checked.
                let format = self.filters.walk_takes(root.parent()?, &absolute).flatten();
                return Some(input(given.clone(), format));
            }
            let relative = absolute.strip_prefix(&root).ok()?;
            // The path as a walk of `given` would find it, so reports name it the same way.
            let walked = given.join(relative);
            let format = self.filters.walk_takes(given, &walked)?;
            Some(input(walked, format))
        })
    }
}

fn input(path: PathBuf, format: Option<&'static crate::transcript::Format>) -> Input {
    Input {
        display: crate::paths::display(&path),
        source: Source::File(path),
        format,
    }
}

/// An open document.
struct Document {
    uri: Uri,
    version: i32,
    text: String,
    /// What was last published for it.
    entries: Vec<Entry>,
}

enum Outcome {
    Reload,
    Ended(Ended),
}

struct Session<'a> {
    connection: Connection<'a>,
    config: &'a ConfigArgs,
    documents: BTreeMap<String, Document>,
    shutdown: bool,
    scratch: Scratch,
}

impl Session<'_> {
    /// Serves with `project`'s settings until they must be reloaded or the session ends.
    fn run(&mut self, project: &Project<'_>) -> io::Result<Outcome> {
        let open: Vec<String> = self.documents.keys().cloned().collect();
        for key in open {
            self.publish(project, &key)?;
        }
        while let Some(message) = self.connection.read()? {
            match message {
                Message::Request(request) => self.answer(project, request)?,
                Message::Notification(notification) => {
                    if let Some(outcome) = self.take(project, notification)? {
                        return Ok(outcome);
                    }
                }
                Message::Response(_) => {}
            }
        }
        Ok(Outcome::Ended(Ended::Closed))
    }

    fn answer(&mut self, project: &Project<'_>, request: Request) -> io::Result<()> {
        let id = request.id.clone();
        if self.shutdown {
            return self.connection.send(Response::new_err(
                id,
                ErrorCode::InvalidRequest as i32,
                "the server is shutting down".into(),
            ));
        }
        let response = match request.method.as_str() {
            "shutdown" => {
                self.shutdown = true;
                Response::new_ok(id, ())
            }
            "textDocument/hover" => match params::<HoverParams>(request) {
                Ok(p) => {
                    let key = p
                        .text_document_position_params
                        .text_document
                        .uri
                        .as_str()
                        .to_string();
                    let hover = self.documents.get(&key).and_then(|doc| {
                        diagnose::hover(project, &doc.entries, p.text_document_position_params.position)
                    });
                    Response::new_ok(id, hover)
                }
                Err(e) => e,
            },
            "textDocument/codeAction" => match params::<CodeActionParams>(request) {
                Ok(p) => {
                    let key = p.text_document.uri.as_str().to_string();
                    let actions = self
                        .documents
                        .get(&key)
                        .map(|doc| diagnose::actions(&doc.uri, &doc.text, &doc.entries, p.range))
                        .unwrap_or_default();
                    Response::new_ok(id, actions)
                }
                Err(e) => e,
            },
            method => Response::new_err(
                id,
                ErrorCode::MethodNotFound as i32,
                format!("callcheck's server does not handle {method}"),
            ),
        };
        self.connection.send(response)
    }

    /// Takes a notification; `Some` when the session must reload its settings or end.
    fn take(&mut self, project: &Project<'_>, notification: Notification) -> io::Result<Option<Outcome>> {
        let method = notification.method.clone();
        match method.as_str() {
            "exit" => {
                let ended = if self.shutdown {
                    Ended::Exit
                } else {
                    Ended::ExitWithoutShutdown
                };
                return Ok(Some(Outcome::Ended(ended)));
            }
            "textDocument/didOpen" => {
                if let Some(p) = self.params::<DidOpenTextDocumentParams>(notification)? {
                    let key = p.text_document.uri.as_str().to_string();
                    self.documents.insert(
                        key.clone(),
                        Document {
                            uri: p.text_document.uri,
                            version: p.text_document.version,
                            text: p.text_document.text,
                            entries: Vec::new(),
                        },
                    );
                    self.publish(project, &key)?;
                }
            }
            "textDocument/didChange" => {
                if let Some(p) = self.params::<DidChangeTextDocumentParams>(notification)? {
                    let key = p.text_document.uri.as_str().to_string();
                    // Full synchronisation: the last change holds the whole text.
                    if let (Some(doc), Some(change)) =
                        (self.documents.get_mut(&key), p.content_changes.into_iter().last())
                    {
                        doc.text = change.text;
                        doc.version = p.text_document.version;
                        self.publish(project, &key)?;
                    }
                }
            }
            "textDocument/didClose" => {
                if let Some(p) = self.params::<DidCloseTextDocumentParams>(notification)?
                    && let Some(doc) = self.documents.remove(p.text_document.uri.as_str())
                {
                    self.connection.notify(
                        "textDocument/publishDiagnostics",
                        PublishDiagnosticsParams::new(doc.uri, Vec::new(), None),
                    )?;
                }
            }
            "textDocument/didSave" => {
                if let Some(p) = self.params::<DidSaveTextDocumentParams>(notification)?
                    && is_settings(p.text_document.uri.as_str())
                {
                    return Ok(Some(Outcome::Reload));
                }
            }
            "workspace/didChangeWatchedFiles" => {
                if let Some(p) = self.params::<DidChangeWatchedFilesParams>(notification)?
                    && p.changes.iter().any(|c| is_settings(c.uri.as_str()))
                {
                    return Ok(Some(Outcome::Reload));
                }
            }
            _ => {}
        }
        Ok(None)
    }

    /// A notification's parameters; invalid ones are logged for the editor's output panel.
    fn params<P: DeserializeOwned>(&mut self, notification: Notification) -> io::Result<Option<P>> {
        match serde_json::from_value(notification.params) {
            Ok(p) => Ok(Some(p)),
            Err(e) => {
                let message = format!(
                    "callcheck: ignored {}: invalid parameters: {e}",
                    notification.method
                );
                self.connection.notify(
                    "window/logMessage",
                    LogMessageParams {
                        typ: MessageType::WARNING,
                        message,
                    },
                )?;
                Ok(None)
            }
        }
    }

    /// Checks an open document and publishes what was found.
    fn publish(&mut self, project: &Project<'_>, key: &str) -> io::Result<()> {
        let Some(doc) = self.documents.get_mut(key) else {
            return Ok(());
        };
        doc.entries = match text::path_of(doc.uri.as_str()) {
            Some(path) => diagnose::document(project, self.config, &path, &doc.text, &mut self.scratch),
            None => Vec::new(),
        };
        let diagnostics = doc.entries.iter().map(|e| e.diagnostic.clone()).collect();
        let params = PublishDiagnosticsParams::new(doc.uri.clone(), diagnostics, Some(doc.version));
        self.connection.notify("textDocument/publishDiagnostics", params)
    }
}

/// True for a configuration file or rulebook: saving one changes what every document is checked
/// against.
fn is_settings(uri: &str) -> bool {
    uri.to_ascii_lowercase().ends_with(".toml")
}

/// A request's parameters, or the error response saying they are invalid.
fn params<P: DeserializeOwned>(request: Request) -> Result<P, Response> {
    let id = request.id.clone();
    serde_json::from_value(request.params).map_err(|e| {
        Response::new_err(
            id,
            ErrorCode::InvalidParams as i32,
            format!("invalid parameters: {e}"),
        )
    })
}
