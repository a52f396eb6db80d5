//! `edgelint server`: a language server over standard input and output, on `lsp-server`.
//!
//! A document is linted when it is opened or saved, and a moment after it changes (so that a
//! burst of keystrokes is linted once), with the settings the command line would use for its
//! file: the closest configuration file, read again for every lint, so that editing it takes
//! effect at once. Its findings are published as diagnostics, with the evidence in another file
//! as related information; code actions offer each finding's fix (unsafe ones say so), a
//! `# noqa` comment, and "fix all" (every safe fix); hovering a finding shows its rule's
//! documentation. The project index gives the other modules' summaries, as in a run, made
//! from their files when first asked for and kept; a module saved is summarized again.

mod convert;
mod notebooks;
mod positions;

use std::cell::RefCell;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::time::{Duration, Instant, SystemTime};

use anyhow::{Context, Result};
use edgelint_config::{Config, ConfigResolver, RuleSelection};
use edgelint_diagnostics::Message;
use edgelint_linter::{FixMode, LintOptions};
use edgelint_profile::Profile;
use edgelint_project::ProjectIndex;
use edgelint_rules::{docs, find_rule, RuleSet};
use edgelint_source::DiscoveryOptions;
use lsp_server::{
    Connection, ExtractError, Message as LspMessage, Notification, Request, Response,
};
use lsp_types::notification::{
    DidChangeTextDocument, DidCloseTextDocument, DidOpenTextDocument, DidSaveTextDocument,
    Notification as _, PublishDiagnostics, ShowMessage,
};
use lsp_types::request::{CodeActionRequest, HoverRequest, Request as _};
use lsp_types::{
    CodeActionKind, CodeActionOptions, CodeActionParams, CodeActionProviderCapability, Hover,
    HoverContents, HoverParams, HoverProviderCapability, InitializeParams, MarkupContent,
    MarkupKind, MessageType, PublishDiagnosticsParams, SaveOptions, ServerCapabilities,
    ShowMessageParams, TextDocumentSyncCapability, TextDocumentSyncKind, TextDocumentSyncOptions,
    TextDocumentSyncSaveOptions, Url,
};

use crate::positions::Lines;

/// How long a changed document waits for the next change before it is linted: long enough to
/// take a burst of keystrokes as one change, short enough to feel immediate.
const SETTLE: Duration = Duration::from_millis(25);

/// Serves one client over standard input and output until it asks to exit.
pub fn run() -> Result<()> {
    let (connection, io_threads) = Connection::stdio();
    let capabilities = ServerCapabilities {
        text_document_sync: Some(TextDocumentSyncCapability::Options(
            TextDocumentSyncOptions {
                open_close: Some(true),
                change: Some(TextDocumentSyncKind::FULL),
                save: Some(TextDocumentSyncSaveOptions::SaveOptions(SaveOptions {
                    include_text: Some(false),
                })),
                ..TextDocumentSyncOptions::default()
            },
        )),
        code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
            code_action_kinds: Some(vec![
                CodeActionKind::QUICKFIX,
                CodeActionKind::new(convert::FIX_ALL),
            ]),
            ..CodeActionOptions::default()
        })),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        ..ServerCapabilities::default()
    };
    let mut capabilities = serde_json::to_value(capabilities)?;
    capabilities["notebookDocumentSync"] = notebooks::sync_capability();
    let params = connection.initialize(capabilities)?;
    let params: InitializeParams = serde_json::from_value(params)?;
    let mut server = Server::new(workspace_root(&params), connection);
    server.serve()?;
    drop(server);
    io_threads.join()?;
    Ok(())
}

/// The folder the client opened, for the project index: the first workspace folder, else the
/// root, else the current directory.
fn workspace_root(params: &InitializeParams) -> PathBuf {
    #[allow(deprecated)] // `root_uri` is what older clients send.
    let uri = params
        .workspace_folders
        .as_ref()
        .and_then(|folders| folders.first())
        .map(|folder| folder.uri.clone())
        .or_else(|| params.root_uri.clone());
    uri.and_then(|uri| uri.to_file_path().ok())
        .or_else(|| std::env::current_dir().ok())
        .unwrap_or_default()
}

struct Document {
    text: String,
    /// The findings of `text`, once linted.
    messages: Vec<Message>,
    /// When it is to be linted, after a change.
    due: Option<Instant>,
    /// The notebook a cell belongs to: the notebook is what is linted.
    notebook: Option<Url>,
}

struct Notebook {
    /// Every cell, in order (Markdown ones too: findings count cells that way).
    cells: Vec<notebooks::Cell>,
    due: Option<Instant>,
}

struct Server {
    connection: Connection,
    root: PathBuf,
    project: ProjectIndex<'static>,
    documents: HashMap<Url, Document>,
    notebooks: HashMap<Url, Notebook>,
    /// The memory profiles configurations name, as last read, with their files' times.
    profiles: RefCell<HashMap<PathBuf, ReadProfile>>,
}

/// A profile, and the time its file had when it was read.
type ReadProfile = (Option<SystemTime>, Rc<Profile>);

impl Server {
    fn new(root: PathBuf, connection: Connection) -> Self {
        Server {
            project: project_index(&root),
            root,
            connection,
            documents: HashMap::new(),
            notebooks: HashMap::new(),
            profiles: RefCell::default(),
        }
    }

    fn serve(&mut self) -> Result<()> {
        loop {
            let due = (self.documents.values().map(|document| document.due))
                .chain(self.notebooks.values().map(|notebook| notebook.due))
                .flatten()
                .min();
            let message = match due {
                Some(due) => {
                    let wait = due.saturating_duration_since(Instant::now());
                    match self.connection.receiver.recv_timeout(wait) {
                        Ok(message) => message,
                        Err(error) if error.is_timeout() => {
                            self.lint_due()?;
                            continue;
                        }
                        Err(_) => return Ok(()),
                    }
                }
                None => match self.connection.receiver.recv() {
                    Ok(message) => message,
                    Err(_) => return Ok(()),
                },
            };
            match message {
                LspMessage::Request(request) => {
                    if self.connection.handle_shutdown(&request)? {
                        return Ok(());
                    }
                    self.answer(request)?;
                }
                // A notification the server cannot read is said in the client's log; the
                // session goes on.
                LspMessage::Notification(notification) => {
                    if let Err(error) = self.notice(notification) {
                        log(&self.connection, &format!("edgelint: {error:#}"))?;
                    }
                }
                LspMessage::Response(_) => {}
            }
        }
    }

    fn notice(&mut self, notification: Notification) -> Result<()> {
        match notification.method.as_str() {
            DidOpenTextDocument::METHOD => {
                let params: lsp_types::DidOpenTextDocumentParams =
                    serde_json::from_value(notification.params)?;
                let document = params.text_document;
                self.documents.insert(
                    document.uri.clone(),
                    Document {
                        text: document.text,
                        messages: Vec::new(),
                        due: None,
                        notebook: None,
                    },
                );
                self.lint(&document.uri)?;
            }
            DidChangeTextDocument::METHOD => {
                let params: lsp_types::DidChangeTextDocumentParams =
                    serde_json::from_value(notification.params)?;
                if let Some(document) = self.documents.get_mut(&params.text_document.uri) {
                    for change in params.content_changes {
                        apply_change(&mut document.text, change);
                    }
                    document.due = Some(Instant::now() + SETTLE);
                }
            }
            DidSaveTextDocument::METHOD => {
                let params: lsp_types::DidSaveTextDocumentParams =
                    serde_json::from_value(notification.params)?;
                // The saved module may be one another document imports: its summary is made
                // again from the file, the other modules' are kept.
                if let Ok(path) = params.text_document.uri.to_file_path() {
                    self.project.forget(&path);
                }
                // Every open document is linted again soon (a notebook once, not per cell);
                // the saved one now.
                let soon = Some(Instant::now() + SETTLE);
                for document in self.documents.values_mut() {
                    if document.notebook.is_none() {
                        document.due = soon;
                    }
                }
                for notebook in self.notebooks.values_mut() {
                    notebook.due = soon;
                }
                self.lint(&params.text_document.uri)?;
            }
            "notebookDocument/didOpen" => {
                let params: notebooks::DidOpen = serde_json::from_value(notification.params)?;
                let uri = params.notebook_document.uri;
                self.open_cells(&uri, params.cell_text_documents);
                let cells = params.notebook_document.cells;
                self.notebooks
                    .insert(uri.clone(), Notebook { cells, due: None });
                self.lint_notebook(&uri)?;
            }
            "notebookDocument/didChange" => {
                let params: notebooks::DidChange = serde_json::from_value(notification.params)?;
                self.change_notebook(params)?;
            }
            "notebookDocument/didSave" => {
                let params: notebooks::DidSaveOrClose =
                    serde_json::from_value(notification.params)?;
                self.lint_notebook(&params.notebook_document.uri)?;
            }
            "notebookDocument/didClose" => {
                let params: notebooks::DidSaveOrClose =
                    serde_json::from_value(notification.params)?;
                if let Some(notebook) = self.notebooks.remove(&params.notebook_document.uri) {
                    for cell in notebook.cells {
                        self.documents.remove(&cell.document);
                        self.publish(cell.document, Vec::new())?;
                    }
                }
            }
            DidCloseTextDocument::METHOD => {
                let params: lsp_types::DidCloseTextDocumentParams =
                    serde_json::from_value(notification.params)?;
                self.documents.remove(&params.text_document.uri);
                self.publish(params.text_document.uri, Vec::new())?;
            }
            _ => {}
        }
        Ok(())
    }

    /// Answers a request; one it cannot read gets an error response, and the session goes on.
    fn answer(&mut self, request: Request) -> Result<()> {
        let id = request.id.clone();
        let answered = match request.method.as_str() {
            CodeActionRequest::METHOD => extract::<CodeActionRequest>(request)
                .and_then(|params| Ok(serde_json::to_value(self.code_actions(params)?)?)),
            HoverRequest::METHOD => extract::<HoverRequest>(request)
                .and_then(|params| Ok(serde_json::to_value(self.hover(params)?)?)),
            method => {
                let message = format!("edgelint does not answer `{method}`");
                let code = lsp_server::ErrorCode::MethodNotFound as i32;
                return Ok(self
                    .connection
                    .sender
                    .send(Response::new_err(id, code, message).into())?);
            }
        };
        let response = match answered {
            Ok(result) => Response::new_ok(id, result),
            Err(error) => Response::new_err(
                id,
                lsp_server::ErrorCode::InvalidParams as i32,
                format!("edgelint: {error:#}"),
            ),
        };
        self.connection.sender.send(response.into())?;
        Ok(())
    }

    fn lint_due(&mut self) -> Result<()> {
        let now = Instant::now();
        for uri in due_by(&self.documents, now, |document| document.due) {
            self.lint(&uri)?;
        }
        for uri in due_by(&self.notebooks, now, |notebook| notebook.due) {
            self.lint_notebook(&uri)?;
        }
        Ok(())
    }

    fn open_cells(&mut self, notebook: &Url, cells: Vec<lsp_types::TextDocumentItem>) {
        for cell in cells {
            self.documents.insert(
                cell.uri,
                Document {
                    text: cell.text,
                    messages: Vec::new(),
                    due: None,
                    notebook: Some(notebook.clone()),
                },
            );
        }
    }

    /// Applies a notebook's change: cells added, removed or edited.
    fn change_notebook(&mut self, params: notebooks::DidChange) -> Result<()> {
        let uri = params.notebook_document.uri;
        let Some(changes) = params.change.cells else {
            return Ok(());
        };
        if let Some(structure) = changes.structure {
            self.open_cells(&uri, structure.did_open.unwrap_or_default());
            for closed in structure.did_close.unwrap_or_default() {
                self.documents.remove(&closed.uri);
                self.publish(closed.uri, Vec::new())?;
            }
            if let Some(notebook) = self.notebooks.get_mut(&uri) {
                let array = structure.array;
                let start = array.start.min(notebook.cells.len());
                let end = (start + array.delete_count).min(notebook.cells.len());
                notebook
                    .cells
                    .splice(start..end, array.cells.unwrap_or_default());
            }
        }
        for content in changes.text_content.unwrap_or_default() {
            if let Some(cell) = self.documents.get_mut(&content.document.uri) {
                for change in content.changes {
                    apply_change(&mut cell.text, change);
                }
            }
        }
        if let Some(notebook) = self.notebooks.get_mut(&uri) {
            notebook.due = Some(Instant::now() + SETTLE);
        }
        Ok(())
    }

    /// Lints a notebook as the `.ipynb` file its cells make, and publishes each cell's
    /// findings to the cell.
    fn lint_notebook(&mut self, uri: &Url) -> Result<()> {
        let Some(notebook) = self.notebooks.get_mut(uri) else {
            return Ok(());
        };
        notebook.due = None;
        let cells: Vec<notebooks::Cell> = notebook.cells.clone();
        let mut path = self.path_of(uri);
        if path
            .extension()
            .is_none_or(|extension| extension != "ipynb")
        {
            path.set_extension("ipynb");
        }
        let texts = cells.iter().map(|cell| {
            let text = self.documents.get(&cell.document);
            (cell, text.map_or("", |document| document.text.as_str()))
        });
        let source = notebooks::as_ipynb(texts);
        let messages = match self.findings(&path, &source) {
            Ok(messages) => messages,
            Err(error) => return show_error(&self.connection, &format!("{error:#}")),
        };
        let mut by_cell: Vec<Vec<Message>> = vec![Vec::new(); cells.len()];
        for message in messages {
            // Counted from 1, over every cell.
            if let Some(found) = message.cell.and_then(|cell| by_cell.get_mut(cell - 1)) {
                found.push(message);
            }
        }
        for (cell, messages) in cells.iter().zip(by_cell) {
            self.show_findings(&cell.document, messages)?;
        }
        Ok(())
    }

    /// Lints the document at `uri` now and publishes its findings.
    fn lint(&mut self, uri: &Url) -> Result<()> {
        let path = self.path_of(uri);
        let Some(document) = self.documents.get_mut(uri) else {
            return Ok(());
        };
        if let Some(notebook) = document.notebook.clone() {
            return self.lint_notebook(&notebook);
        }
        document.due = None;
        let text = &self.documents[uri].text;
        let messages = match self.findings(&path, text) {
            Ok(messages) => messages,
            Err(error) => {
                // An invalid configuration file, or a bug: said once per lint, findings left
                // as they were.
                show_error(&self.connection, &format!("{error:#}"))?;
                return Ok(());
            }
        };
        self.show_findings(uri, messages)
    }

    /// The findings of `text` as the file `path`: none when the configuration excludes it.
    fn findings(&self, path: &Path, text: &str) -> Result<Vec<Message>> {
        with_settings(&self.project, &self.root, path, true, |options, config| {
            let mut messages = lint_document(text, path, options)?;
            if let Some(config) = config {
                self.join_profile(config, &mut messages)?;
            }
            Ok(messages)
        })?
        .unwrap_or(Ok(Vec::new()))
    }

    /// Joins the memory profile `config` names, if any, with a document's findings: as
    /// `check --profile` does. The profile is read again when its file changes.
    fn join_profile(&self, config: &Config, messages: &mut Vec<Message>) -> Result<()> {
        let Some(path) = &config.profile else {
            return Ok(());
        };
        let modified = std::fs::metadata(path)
            .and_then(|metadata| metadata.modified())
            .ok();
        let mut profiles = self.profiles.borrow_mut();
        let profile = match profiles.get(path) {
            Some((read_at, profile)) if *read_at == modified => profile.clone(),
            _ => {
                let profile = Rc::new(edgelint_profile::read(path)?);
                profiles.insert(path.clone(), (modified, profile.clone()));
                profile
            }
        };
        let threshold = config
            .profile_threshold
            .unwrap_or(edgelint_profile::DEFAULT_THRESHOLD);
        profile.join(
            messages,
            threshold,
            config.pedantic == Some(true),
            &self.root,
        );
        Ok(())
    }

    /// Keeps a document's findings and publishes them as its diagnostics.
    fn show_findings(&mut self, uri: &Url, messages: Vec<Message>) -> Result<()> {
        let Some(document) = self.documents.get_mut(uri) else {
            return Ok(());
        };
        let lines = Lines::new(&document.text);
        let diagnostics = messages
            .iter()
            .map(|message| convert::diagnostic(message, uri, &lines))
            .collect();
        document.messages = messages;
        self.publish(uri.clone(), diagnostics)
    }

    fn publish(&self, uri: Url, diagnostics: Vec<lsp_types::Diagnostic>) -> Result<()> {
        let params = PublishDiagnosticsParams::new(uri, diagnostics, None);
        let notification = Notification::new(PublishDiagnostics::METHOD.to_string(), params);
        self.connection.sender.send(notification.into())?;
        Ok(())
    }

    fn code_actions(
        &mut self,
        params: CodeActionParams,
    ) -> Result<Vec<lsp_types::CodeActionOrCommand>> {
        let uri = params.text_document.uri;
        // Answered from the text as it is now, not as it was at the last lint.
        if self.is_stale(&uri) {
            self.lint(&uri)?;
        }
        let path = self.path_of(&uri);
        let Some(document) = self.documents.get(&uri) else {
            return Ok(Vec::new());
        };
        let wanted = |kind: &str| {
            params
                .context
                .only
                .as_ref()
                .is_none_or(|only| only.iter().any(|asked| kind.starts_with(asked.as_str())))
        };
        let mut actions = Vec::new();
        if wanted(CodeActionKind::QUICKFIX.as_str()) {
            actions = convert::quick_fixes(
                &document.messages,
                &uri,
                &document.text,
                &path,
                params.range,
            );
        }
        // "Fix all" is for a file: a cell's fixes are offered one by one.
        if wanted(convert::FIX_ALL) && document.notebook.is_none() {
            let fixed = with_settings(&self.project, &self.root, &path, false, |options, _| {
                let fixed = edgelint_linter::fix_text(
                    &document.text,
                    &path,
                    &display(&path),
                    options,
                    FixMode::Safe,
                );
                fixed.map(|fixed| fixed.text).ok()
            })?;
            if let Some(fixed) = fixed.flatten() {
                actions.extend(convert::fix_all(&uri, &document.text, &fixed));
            }
        }
        Ok(actions)
    }

    fn hover(&self, params: HoverParams) -> Result<Option<Hover>> {
        let place = params.text_document_position_params;
        let Some(document) = self.documents.get(&place.text_document.uri) else {
            return Ok(None);
        };
        let lines = Lines::new(&document.text);
        let offset = lines.offset_of(place.position);
        let Some(message) = document.messages.iter().find(|message| {
            (lines.offset(message.location)..=lines.offset(message.end_location)).contains(&offset)
        }) else {
            return Ok(None);
        };
        let measured = message.measured.as_ref().map(|measured| {
            format!(
                "**Measured:** {} (line {}).\n\n",
                measured.describe(),
                measured.row
            )
        });
        Ok(find_rule(message.code).map(|rule| Hover {
            contents: HoverContents::Markup(MarkupContent {
                kind: MarkupKind::Markdown,
                value: measured.unwrap_or_default() + &docs::explain(rule),
            }),
            range: None,
        }))
    }

    /// Whether a document (or the notebook of a cell) changed since it was last linted.
    fn is_stale(&self, uri: &Url) -> bool {
        let Some(document) = self.documents.get(uri) else {
            return false;
        };
        match &document.notebook {
            Some(notebook) => {
                (self.notebooks.get(notebook)).is_some_and(|notebook| notebook.due.is_some())
            }
            None => document.due.is_some(),
        }
    }

    /// The file a document is, or a file of that name in the workspace for an unsaved one.
    fn path_of(&self, uri: &Url) -> PathBuf {
        uri.to_file_path().unwrap_or_else(|()| {
            let name = uri
                .path_segments()
                .and_then(Iterator::last)
                .unwrap_or("untitled.py");
            self.root.join(name)
        })
    }
}

/// The documents (or notebooks) whose time to be linted has come.
fn due_by<T>(
    open: &HashMap<Url, T>,
    now: Instant,
    due: impl Fn(&T) -> Option<Instant>,
) -> Vec<Url> {
    open.iter()
        .filter(|(_, item)| due(item).is_some_and(|due| due <= now))
        .map(|(uri, _)| uri.clone())
        .collect()
}

/// The index of the modules under `root`, each summarized from its file.
fn project_index(root: &Path) -> ProjectIndex<'static> {
    ProjectIndex::new(&[root.to_path_buf()], display, None)
}

/// Files are named by their absolute paths: evidence in another file becomes a link to it.
fn display(path: &Path) -> String {
    std::path::absolute(path)
        .unwrap_or_else(|_| path.to_path_buf())
        .display()
        .to_string()
}

/// Applies one change of a document's text: all of it, or a range.
fn apply_change(text: &mut String, change: lsp_types::TextDocumentContentChangeEvent) {
    match change.range {
        None => *text = change.text,
        Some(range) => {
            let lines = Lines::new(text);
            let (start, end) = (lines.offset_of(range.start), lines.offset_of(range.end));
            text.replace_range(start..end.max(start), &change.text);
        }
    }
}

/// Runs `lint` with the settings the command line would use for `path`: its closest
/// configuration file, read now. `None` when that configuration's excludes (or the default
/// ones: `build/`, `.venv/`, `site-packages/`, ...) leave the file out, as `--force-exclude`
/// would: a library opened from the environment is not linted.
///
/// With `profiled`, a file whose configuration names a memory profile keeps its findings of
/// unknown size, for the profile to promote (not for fixing: a fix is applied as it is found).
fn with_settings<T>(
    project: &ProjectIndex,
    workspace: &Path,
    path: &Path,
    profiled: bool,
    lint: impl FnOnce(LintOptions, Option<&Config>) -> T,
) -> Result<Option<T>> {
    let config = ConfigResolver::new(None, false)
        .for_file(path)
        .map_err(|error| anyhow::anyhow!("{error}"))
        .context("edgelint: the configuration is invalid")?;
    if is_excluded(config.as_deref(), workspace, path) {
        return Ok(None);
    }
    let rules = match &config {
        Some(config) => config.rules_for(path, &RuleSelection::default()),
        None => RuleSet::resolve(None, &[], &[]),
    }
    .with_pedantic(config.as_ref().and_then(|config| config.pedantic) == Some(true))
    .with_unproven_kept(
        profiled
            && config
                .as_ref()
                .is_some_and(|config| config.profile.is_some()),
    );
    let view = project.view(path, None);
    let trace = std::cell::RefCell::default();
    let options = LintOptions {
        rules: &rules,
        severities: config
            .as_ref()
            .map_or(&[], |config| config.severities.as_slice()),
        target_version: config
            .as_ref()
            .and_then(|config| config.target_version)
            .unwrap_or_default(),
        project: Some(view.context(&trace)),
    };
    Ok(Some(lint(options, config.as_deref())))
}

/// Whether the excludes of `config` (or the defaults, under the workspace) leave out `path`.
/// Only the part of the path below the configuration's folder counts: a project kept under a
/// folder named `build` is not excluded for that.
fn is_excluded(config: Option<&Config>, workspace: &Path, path: &Path) -> bool {
    let (exclude, extend_exclude, root) = match config {
        Some(config) => (
            config.exclude.as_deref(),
            &config.extend_exclude[..],
            &config.root,
        ),
        None => (None, &[][..], &workspace.to_path_buf()),
    };
    DiscoveryOptions::new(exclude, extend_exclude, root)
        .is_ok_and(|options| options.excludes_within(root, path))
}

/// The findings of `text`; a panic (a bug in edgelint) is an error said to the user.
fn lint_document(text: &str, path: &Path, options: LintOptions) -> Result<Vec<Message>> {
    edgelint_linter::lint_source(Ok(text.to_string()), path, &display(path), options).map_err(
        |error| {
            anyhow::anyhow!(
                "edgelint: internal error while checking {}: {}",
                path.display(),
                error.message
            )
        },
    )
}

/// A line in the client's log (`window/logMessage`).
fn log(connection: &Connection, text: &str) -> Result<()> {
    let params = lsp_types::LogMessageParams {
        typ: MessageType::ERROR,
        message: text.to_string(),
    };
    let notification = Notification::new(
        lsp_types::notification::LogMessage::METHOD.to_string(),
        params,
    );
    connection.sender.send(notification.into())?;
    Ok(())
}

fn show_error(connection: &Connection, text: &str) -> Result<()> {
    let params = ShowMessageParams {
        typ: MessageType::ERROR,
        message: text.to_string(),
    };
    let notification = Notification::new(ShowMessage::METHOD.to_string(), params);
    connection.sender.send(notification.into())?;
    Ok(())
}

fn extract<R: lsp_types::request::Request>(request: Request) -> Result<R::Params> {
    let extracted = request.extract(R::METHOD).map(|(_, params)| params);
    extracted.map_err(|error| match error {
        ExtractError::MethodMismatch(request) => anyhow::anyhow!("unexpected `{}`", request.method),
        ExtractError::JsonError { method, error } => anyhow::anyhow!("invalid `{method}`: {error}"),
    })
}
