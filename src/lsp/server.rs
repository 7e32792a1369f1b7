//! The language server: open drafts, their analyses, settings, and one thin handler per LSP
//! method.
//!
//! Every handler that needs a draft's findings waits for the analysis of the draft's current
//! text ([`State::analysis`]), then reads it; analyses are built by one lint task per draft
//! ([`State::lint_loop`]) on the blocking pool. A draft has at most one analysis in flight:
//! changes that arrive meanwhile are folded into the next run, and a result for a text that
//! has since changed is dropped, never published.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, RwLock};

use ropey::Rope;
use serde_json::{Value, json};
use tokio::sync::watch;
use tower_lsp::jsonrpc::{Error, ErrorCode, Result};
use tower_lsp::lsp_types::notification::{Notification, PublishDiagnostics, ShowMessage};
use tower_lsp::lsp_types::*;
use tower_lsp::{Client, LanguageServer};

use super::actions::{self, APPLY_EDIT_COMMAND, FIX_ALL_COMMAND};
use super::analysis::{self, Analysis, Job};
use super::convert::{self, Encoding};
use super::people::{self, LIST_QUOTES_COMMAND};
use super::settings::{ClientSettings, ConfigFiles, FileEvent, is_config_file};
use super::transport::Outbox;
use crate::config::{Config, ConfigError};

/// What was agreed with the client at `initialize`, and its current settings.
#[derive(Clone, Debug)]
pub(crate) struct Session {
    pub encoding: Encoding,
    /// The client pulls diagnostics (`textDocument/diagnostic`), so none are pushed.
    pub pull_diagnostics: bool,
    pub literal_code_actions: bool,
    pub resolve_edits: bool,
    pub document_changes: bool,
    pub change_annotations: bool,
    pub hierarchical_symbols: bool,
    pub markdown_hover: bool,
    pub configuration_pull: bool,
    pub watch_files: bool,
    pub diagnostic_refresh: bool,
    pub inlay_hint_refresh: bool,
    pub code_lens_refresh: bool,
    pub settings: ClientSettings,
    /// `initializationOptions`: the base that `workspace/configuration` answers go on top of.
    pub initial_settings: Value,
    pub docs_url: Arc<str>,
    /// Workspace folders: where untitled drafts look for `copydesk.toml`.
    pub roots: Vec<PathBuf>,
}

impl Default for Session {
    fn default() -> Session {
        Session {
            encoding: Encoding::default(),
            pull_diagnostics: false,
            literal_code_actions: true,
            resolve_edits: false,
            document_changes: false,
            change_annotations: false,
            hierarchical_symbols: true,
            markdown_hover: true,
            configuration_pull: false,
            watch_files: false,
            diagnostic_refresh: false,
            inlay_hint_refresh: false,
            code_lens_refresh: false,
            settings: ClientSettings::default(),
            initial_settings: Value::Null,
            docs_url: analysis::default_docs_url().into(),
            roots: Vec::new(),
        }
    }
}

/// An open draft.
struct Draft {
    rope: Rope,
    version: i32,
    /// Counts changes to the text and to the settings; it only grows, whatever versions the
    /// client sends. Requests wait for the analysis of the revision current when they arrive,
    /// so a pull right after new settings gets findings under the new settings.
    revision: u64,
    /// The folder to look for `copydesk.toml` from.
    folder: Option<PathBuf>,
    /// The settings in force for the draft and the configuration epoch they were resolved in.
    config: Option<(u64, Arc<Config>)>,
    /// The text or the settings changed since the last analysis started.
    dirty: bool,
    /// A lint task is running for this draft.
    linting: bool,
    /// When the text last changed (for the debug log's time from change to publish).
    changed_at: std::time::Instant,
    /// The latest analysis of the current revision (`None` until there is one).
    latest: watch::Sender<Option<Arc<Analysis>>>,
}

pub(crate) struct State {
    outbox: Outbox,
    drafts: Mutex<HashMap<Url, Draft>>,
    session: RwLock<Arc<Session>>,
    config_files: Mutex<ConfigFiles>,
    /// Bumped whenever settings or configuration files change.
    config_epoch: AtomicU64,
    serial: AtomicU64,
    /// Bumped whenever an analysis is stored or a draft opens or closes.
    generation: watch::Sender<u64>,
    /// Replaced analyses, freed by a thread of their own.
    reclaim: std::sync::mpsc::Sender<Arc<Analysis>>,
}

/// The `LanguageServer` implementation handed to tower-lsp.
pub(crate) struct Server {
    client: Client,
    state: Arc<State>,
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn unknown_document(uri: &Url) -> Error {
    Error {
        code: ErrorCode::InvalidParams,
        message: format!("unknown document: {uri} is not open").into(),
        data: None,
    }
}

fn invalid_params(message: impl Into<String>) -> Error {
    Error {
        code: ErrorCode::InvalidParams,
        message: message.into().into(),
        data: None,
    }
}

fn internal_error(message: impl Into<String>) -> Error {
    Error {
        code: ErrorCode::InternalError,
        message: message.into().into(),
        data: None,
    }
}

/// A notification to the client, serialized straight to text (not through a `Value`).
#[derive(serde::Serialize)]
struct Outgoing<P> {
    jsonrpc: &'static str,
    method: &'static str,
    params: P,
}

/// A notification as a JSON-RPC message.
fn notification<N: Notification>(params: N::Params) -> Outgoing<N::Params> {
    Outgoing {
        jsonrpc: "2.0",
        method: N::METHOD,
        params,
    }
}

impl State {
    fn session(&self) -> Arc<Session> {
        self.session.read().unwrap_or_else(|p| p.into_inner()).clone()
    }

    fn notify<N: Notification>(&self, params: N::Params) {
        self.outbox.send(&notification::<N>(params));
    }

    fn show_message(&self, typ: MessageType, message: String) {
        self.notify::<ShowMessage>(ShowMessageParams { typ, message });
    }

    /// Marks a draft for analysis and starts its lint task unless one is running.
    fn schedule(self: &Arc<Self>, drafts: &mut HashMap<Url, Draft>, uri: &Url) {
        let Some(draft) = drafts.get_mut(uri) else { return };
        draft.dirty = true;
        if !draft.linting {
            draft.linting = true;
            let state = self.clone();
            let uri = uri.clone();
            tokio::task::spawn_blocking(move || state.lint_loop(uri));
        }
    }

    /// Analyses a draft until its analysis matches its text and settings. Runs on the
    /// blocking pool, off the async runtime, and publishes from there: the path from a change
    /// to its diagnostics crosses no more threads than it must.
    fn lint_loop(self: Arc<Self>, uri: Url) {
        loop {
            let (job, config, folder, session, epoch) = {
                let mut drafts = lock(&self.drafts);
                // Read under the lock: new settings are stored before `settings_changed`
                // takes it to move the revisions on, so a job of the new revision always
                // has the new settings.
                let session = self.session();
                let epoch = self.config_epoch.load(Ordering::SeqCst);
                let Some(draft) = drafts.get_mut(&uri) else { return };
                if !draft.dirty {
                    draft.linting = false;
                    return;
                }
                draft.dirty = false;
                let config = draft
                    .config
                    .as_ref()
                    .filter(|(e, _)| *e == epoch)
                    .map(|(_, c)| c.clone());
                let job = Job {
                    revision: draft.revision,
                    version: draft.version,
                    rope: draft.rope.clone(),
                    encoding: session.encoding,
                    docs_url: session.docs_url.clone(),
                    previous: draft.latest.borrow().clone(),
                };
                (job, config, draft.folder.clone(), session, epoch)
            };
            let serial = self.serial.fetch_add(1, Ordering::SeqCst) + 1;
            let config = config.unwrap_or_else(|| self.resolve_config(folder.as_deref(), &session));
            let fallback = (job.revision, job.version, job.rope.clone(), job.encoding);
            let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                analysis::analyze(job, config.clone(), serial)
            }));
            let analysis = result.unwrap_or_else(|panic| {
                let message = panic
                    .downcast_ref::<&str>()
                    .map(|s| s.to_string())
                    .or_else(|| panic.downcast_ref::<String>().cloned())
                    .unwrap_or_else(|| "unknown panic".to_string());
                tracing::error!("analysing {uri} panicked: {message}");
                let (revision, version, rope, encoding) = fallback;
                let job = Job {
                    revision,
                    version,
                    rope,
                    encoding,
                    docs_url: "".into(),
                    previous: None,
                };
                Analysis::failed(job, config.clone(), serial, &message)
            });
            // Serialized before taking the lock, so publishing under it is one queue push.
            let message = (!session.pull_diagnostics).then(|| {
                serde_json::to_string(&notification::<PublishDiagnostics>(PublishDiagnosticsParams {
                    uri: uri.clone(),
                    diagnostics: analysis.diagnostics.clone(),
                    version: Some(analysis.version),
                }))
                .unwrap_or_default()
            });
            let analysis = Arc::new(analysis);
            {
                let mut drafts = lock(&self.drafts);
                let Some(draft) = drafts.get_mut(&uri) else { return };
                if self.config_epoch.load(Ordering::SeqCst) == epoch {
                    draft.config = Some((epoch, config));
                }
                if draft.revision != analysis.revision {
                    tracing::debug!(
                        "dropped the analysis of version {} of {uri}: version {} arrived",
                        analysis.version,
                        draft.version
                    );
                    continue;
                }
                // Published under the lock, so no change can slip in between the check and the send.
                if let Some(message) = message {
                    self.outbox.send_text(message);
                }
                tracing::debug!(
                    "published version {} {:?} after the change",
                    analysis.version,
                    draft.changed_at.elapsed()
                );
                // Freeing a large analysis takes milliseconds: not on the path to the next one.
                if let Some(previous) = draft.latest.send_replace(Some(analysis)) {
                    let _ = self.reclaim.send(previous);
                }
            }
            self.generation.send_modify(|generation| *generation += 1);
        }
    }

    /// The file settings for a draft in `folder`, with the client's settings on top.
    fn resolve_config(&self, folder: Option<&Path>, session: &Session) -> Arc<Config> {
        let mut events = Vec::new();
        let folder = folder.or(session.roots.first().map(PathBuf::as_path));
        let base = match folder {
            Some(folder) => lock(&self.config_files).for_folder(folder, &mut events),
            None => Arc::new(Config::default()),
        };
        self.report(events, session.encoding);
        Arc::new(session.settings.apply(&base))
    }

    /// Publishes a diagnostic on a broken configuration file (or clears it once fixed) and
    /// tells the user.
    fn report(&self, events: Vec<FileEvent>, encoding: Encoding) {
        for event in events {
            match event {
                FileEvent::Broken { path, error } => {
                    let Ok(uri) = Url::from_file_path(&path) else { continue };
                    let (range, message) = match &error {
                        ConfigError::Invalid {
                            line, column, message, ..
                        } => {
                            let text = std::fs::read_to_string(&path).unwrap_or_default();
                            let rope = Rope::from_str(&text);
                            let start = convert::line_column_position(&rope, *line, *column, encoding);
                            let end = convert::line_end_position(&rope, start.line as usize, encoding);
                            (Range::new(start, end.max(start)), message.clone())
                        }
                        ConfigError::Io { source, .. } => (Range::default(), source.to_string()),
                    };
                    self.notify::<PublishDiagnostics>(PublishDiagnosticsParams {
                        uri,
                        diagnostics: vec![Diagnostic {
                            range,
                            severity: Some(DiagnosticSeverity::ERROR),
                            code: Some(NumberOrString::String("config".to_string())),
                            source: Some(analysis::SOURCE.to_string()),
                            message,
                            ..Diagnostic::default()
                        }],
                        version: None,
                    });
                    self.show_message(
                        MessageType::ERROR,
                        format!("copydesk: {error}. Drafts keep the last good settings until the file is fixed."),
                    );
                }
                FileEvent::Fixed { path } => {
                    if let Ok(uri) = Url::from_file_path(&path) {
                        self.notify::<PublishDiagnostics>(PublishDiagnosticsParams {
                            uri,
                            diagnostics: Vec::new(),
                            version: None,
                        });
                    }
                }
            }
        }
    }

    /// The analysis of a draft's current text, waiting for it if need be.
    async fn analysis(&self, uri: &Url) -> Result<Arc<Analysis>> {
        let (mut latest, revision) = {
            let drafts = lock(&self.drafts);
            let draft = drafts.get(uri).ok_or_else(|| unknown_document(uri))?;
            (draft.latest.subscribe(), draft.revision)
        };
        let analysis = latest
            .wait_for(|analysis| analysis.as_ref().is_some_and(|a| a.revision >= revision))
            .await
            .map_err(|_| unknown_document(uri))?;
        analysis.clone().ok_or_else(|| unknown_document(uri))
    }

    /// New settings or configuration files: resolve every draft's settings again and re-lint.
    fn settings_changed(self: &Arc<Self>) {
        self.config_epoch.fetch_add(1, Ordering::SeqCst);
        let mut drafts = lock(&self.drafts);
        let uris: Vec<Url> = drafts.keys().cloned().collect();
        for uri in uris {
            if let Some(draft) = drafts.get_mut(&uri) {
                draft.revision += 1;
            }
            self.schedule(&mut drafts, &uri);
        }
    }

    fn reload_config_files(self: &Arc<Self>) {
        let mut events = Vec::new();
        lock(&self.config_files).reload_all(&mut events);
        self.report(events, self.session().encoding);
        self.settings_changed();
    }
}

impl Server {
    pub(crate) fn new(client: Client, outbox: Outbox) -> Server {
        let (generation, _) = watch::channel(0);
        let (reclaim, replaced) = std::sync::mpsc::channel::<Arc<Analysis>>();
        let _ = std::thread::Builder::new()
            .name("copydesk-reclaim".to_string())
            .spawn(move || replaced.into_iter().for_each(drop));
        Server {
            client,
            state: Arc::new(State {
                outbox,
                drafts: Mutex::new(HashMap::new()),
                session: RwLock::new(Arc::new(Session::default())),
                config_files: Mutex::new(ConfigFiles::default()),
                config_epoch: AtomicU64::new(0),
                serial: AtomicU64::new(0),
                generation,
                reclaim,
            }),
        }
    }

    fn session(&self) -> Arc<Session> {
        self.state.session()
    }

    /// Takes new client settings (on top of `initializationOptions`): reports problems,
    /// re-lints, asks the client to refresh.
    async fn apply_settings(&self, value: &Value) {
        let mut merged = self.session().initial_settings.clone();
        merge(&mut merged, value.get("copydesk").unwrap_or(value));
        let (settings, problems) = ClientSettings::from_value(&merged);
        if !problems.is_empty() {
            self.state.show_message(
                MessageType::WARNING,
                format!("copydesk settings: {} (ignored)", problems.join("; ")),
            );
        }
        let session = {
            let mut guard = self.state.session.write().unwrap_or_else(|p| p.into_inner());
            if guard.settings == settings {
                return;
            }
            let mut session = (**guard).clone();
            session.docs_url = settings
                .documentation_url
                .clone()
                .unwrap_or_else(analysis::default_docs_url)
                .into();
            session.settings = settings;
            *guard = Arc::new(session);
            guard.clone()
        };
        self.state.settings_changed();
        self.refresh(&session).await;
    }

    async fn refresh(&self, session: &Session) {
        if session.pull_diagnostics && session.diagnostic_refresh {
            let _ = self.client.workspace_diagnostic_refresh().await;
        }
        if session.inlay_hint_refresh {
            let _ = self.client.inlay_hint_refresh().await;
        }
        if session.code_lens_refresh {
            let _ = self.client.code_lens_refresh().await;
        }
    }

    async fn pull_settings(&self) {
        if !self.session().configuration_pull {
            return;
        }
        let items = vec![ConfigurationItem {
            scope_uri: None,
            section: Some("copydesk".to_string()),
        }];
        match self.client.configuration(items).await {
            Ok(mut values) if !values.is_empty() => {
                let value = values.swap_remove(0);
                self.apply_settings(&value).await;
            }
            Ok(_) => {}
            Err(error) => tracing::warn!("workspace/configuration failed: {}", error.message),
        }
    }

    async fn apply_edit(&self, edit: WorkspaceEdit, label: &str) -> Result<Option<Value>> {
        match self.client.apply_edit(edit).await {
            Ok(response) => Ok(Some(json!({"applied": response.applied}))),
            Err(error) => Err(internal_error(format!("{label}: {}", error.message))),
        }
    }
}

/// Deep-merges `top` into `base`: objects key by key, anything else replaced (a `null` on
/// top leaves the base alone).
fn merge(base: &mut Value, top: &Value) {
    match (base, top) {
        (_, Value::Null) => {}
        (Value::Object(base), Value::Object(top)) => {
            for (key, value) in top {
                merge(base.entry(key.clone()).or_insert(Value::Null), value);
            }
        }
        (base, top) => *base = top.clone(),
    }
}

fn folder_of(uri: &Url) -> Option<PathBuf> {
    let path = uri.to_file_path().ok()?;
    path.parent().map(Path::to_path_buf)
}

/// The URI argument of a command.
fn uri_argument(arguments: &[Value]) -> Result<Url> {
    arguments
        .first()
        .and_then(|value| value.as_str())
        .and_then(|text| Url::parse(text).ok())
        .ok_or_else(|| invalid_params("expected the draft's URI as the first argument"))
}

#[tower_lsp::async_trait]
impl LanguageServer for Server {
    async fn initialize(&self, params: InitializeParams) -> Result<InitializeResult> {
        let capabilities = &params.capabilities;
        let text = capabilities.text_document.as_ref();
        let workspace = capabilities.workspace.as_ref();
        let code_action = text.and_then(|t| t.code_action.as_ref());
        let mut session = Session {
            encoding: Encoding::negotiate(
                capabilities
                    .general
                    .as_ref()
                    .and_then(|general| general.position_encodings.as_deref()),
            ),
            pull_diagnostics: text.and_then(|t| t.diagnostic.as_ref()).is_some(),
            literal_code_actions: code_action
                .and_then(|c| c.code_action_literal_support.as_ref())
                .is_some(),
            resolve_edits: code_action
                .and_then(|c| c.resolve_support.as_ref())
                .is_some_and(|r| r.properties.iter().any(|p| p == "edit")),
            document_changes: workspace
                .and_then(|w| w.workspace_edit.as_ref())
                .and_then(|e| e.document_changes)
                .unwrap_or(false),
            change_annotations: workspace
                .and_then(|w| w.workspace_edit.as_ref())
                .and_then(|e| e.change_annotation_support.as_ref())
                .is_some(),
            hierarchical_symbols: text
                .and_then(|t| t.document_symbol.as_ref())
                .and_then(|s| s.hierarchical_document_symbol_support)
                .unwrap_or(false),
            markdown_hover: text
                .and_then(|t| t.hover.as_ref())
                .and_then(|h| h.content_format.as_ref())
                .is_some_and(|formats| formats.contains(&MarkupKind::Markdown)),
            configuration_pull: workspace.and_then(|w| w.configuration).unwrap_or(false),
            watch_files: workspace
                .and_then(|w| w.did_change_watched_files.as_ref())
                .and_then(|w| w.dynamic_registration)
                .unwrap_or(false),
            diagnostic_refresh: workspace
                .and_then(|w| w.diagnostic.as_ref())
                .and_then(|d| d.refresh_support)
                .unwrap_or(false),
            inlay_hint_refresh: workspace
                .and_then(|w| w.inlay_hint.as_ref())
                .and_then(|i| i.refresh_support)
                .unwrap_or(false),
            code_lens_refresh: workspace
                .and_then(|w| w.code_lens.as_ref())
                .and_then(|c| c.refresh_support)
                .unwrap_or(false),
            ..Session::default()
        };
        let mut roots: Vec<PathBuf> = params
            .workspace_folders
            .iter()
            .flatten()
            .filter_map(|folder| folder.uri.to_file_path().ok())
            .collect();
        if roots.is_empty()
            && let Some(root) = params.root_uri.as_ref().and_then(|uri| uri.to_file_path().ok())
        {
            roots.push(root);
        }
        session.roots = roots;
        if let Some(options) = &params.initialization_options {
            session.initial_settings = options.get("copydesk").unwrap_or(options).clone();
            let (settings, problems) = ClientSettings::from_value(options);
            if !problems.is_empty() {
                tracing::warn!("initializationOptions: {}", problems.join("; "));
            }
            if let Some(url) = &settings.documentation_url {
                session.docs_url = url.as_str().into();
            }
            session.settings = settings;
        }
        tracing::info!(
            "initialize: {} positions, {} diagnostics",
            if session.encoding == Encoding::Utf8 {
                "UTF-8"
            } else {
                "UTF-16"
            },
            if session.pull_diagnostics { "pulled" } else { "pushed" }
        );
        let encoding = session.encoding;
        *self.state.session.write().unwrap_or_else(|p| p.into_inner()) = Arc::new(session);
        // Load the word lists and compile the rules' patterns now, while the editor is still
        // starting, rather than on the first draft opened.
        tokio::task::spawn_blocking(|| {
            let warm_up = crate::Document::new("“Warm up,” Mayor Ana Reyes said.\n");
            crate::lint(&warm_up, &Config::default());
        });
        Ok(InitializeResult {
            capabilities: ServerCapabilities {
                position_encoding: Some(encoding.kind()),
                text_document_sync: Some(TextDocumentSyncCapability::Options(TextDocumentSyncOptions {
                    open_close: Some(true),
                    change: Some(TextDocumentSyncKind::INCREMENTAL),
                    save: Some(TextDocumentSyncSaveOptions::Supported(true)),
                    ..TextDocumentSyncOptions::default()
                })),
                hover_provider: Some(HoverProviderCapability::Simple(true)),
                code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
                    code_action_kinds: Some(vec![
                        CodeActionKind::QUICKFIX,
                        CodeActionKind::new(actions::FIX_ALL_KIND),
                    ]),
                    resolve_provider: Some(true),
                    work_done_progress_options: WorkDoneProgressOptions::default(),
                })),
                document_symbol_provider: Some(OneOf::Left(true)),
                references_provider: Some(OneOf::Left(true)),
                rename_provider: Some(OneOf::Right(RenameOptions {
                    prepare_provider: Some(true),
                    work_done_progress_options: WorkDoneProgressOptions::default(),
                })),
                inlay_hint_provider: Some(OneOf::Left(true)),
                code_lens_provider: Some(CodeLensOptions {
                    resolve_provider: Some(false),
                }),
                execute_command_provider: Some(ExecuteCommandOptions {
                    commands: vec![
                        APPLY_EDIT_COMMAND.to_string(),
                        FIX_ALL_COMMAND.to_string(),
                        LIST_QUOTES_COMMAND.to_string(),
                    ],
                    work_done_progress_options: WorkDoneProgressOptions::default(),
                }),
                diagnostic_provider: Some(DiagnosticServerCapabilities::Options(DiagnosticOptions {
                    identifier: Some("copydesk".to_string()),
                    inter_file_dependencies: false,
                    workspace_diagnostics: true,
                    work_done_progress_options: WorkDoneProgressOptions::default(),
                })),
                ..ServerCapabilities::default()
            },
            server_info: Some(ServerInfo {
                name: "copydesk".to_string(),
                version: Some(env!("CARGO_PKG_VERSION").to_string()),
            }),
        })
    }

    async fn initialized(&self, _: InitializedParams) {
        let session = self.session();
        if session.watch_files {
            let watchers = crate::config::CONFIG_FILE_NAMES
                .iter()
                .map(|name| FileSystemWatcher {
                    glob_pattern: GlobPattern::String(format!("**/{name}")),
                    kind: None,
                })
                .collect();
            let registration = Registration {
                id: "copydesk-config-files".to_string(),
                method: "workspace/didChangeWatchedFiles".to_string(),
                register_options: serde_json::to_value(DidChangeWatchedFilesRegistrationOptions { watchers }).ok(),
            };
            if let Err(error) = self.client.register_capability(vec![registration]).await {
                tracing::warn!("could not watch copydesk.toml files: {}", error.message);
            }
        }
        self.pull_settings().await;
    }

    async fn shutdown(&self) -> Result<()> {
        tracing::info!("shutdown");
        Ok(())
    }

    async fn did_open(&self, params: DidOpenTextDocumentParams) {
        let document = params.text_document;
        if let Ok(path) = document.uri.to_file_path()
            && is_config_file(&path)
        {
            // A configuration file open in the editor is not a draft.
            return;
        }
        let mut drafts = lock(&self.state.drafts);
        let (latest, _) = watch::channel(None);
        let revision = drafts.get(&document.uri).map_or(0, |draft| draft.revision) + 1;
        drafts.insert(
            document.uri.clone(),
            Draft {
                rope: Rope::from_str(&document.text),
                version: document.version,
                revision,
                folder: folder_of(&document.uri),
                config: None,
                dirty: true,
                linting: false,
                changed_at: std::time::Instant::now(),
                latest,
            },
        );
        self.state.schedule(&mut drafts, &document.uri);
        drop(drafts);
        self.state.generation.send_modify(|generation| *generation += 1);
    }

    async fn did_change(&self, params: DidChangeTextDocumentParams) {
        let uri = params.text_document.uri;
        let encoding = self.session().encoding;
        let mut drafts = lock(&self.state.drafts);
        let Some(draft) = drafts.get_mut(&uri) else {
            tracing::warn!("change to a document that is not open: {uri}");
            return;
        };
        if params.text_document.version <= draft.version {
            tracing::warn!(
                "version {} of {uri} arrived after version {}; applying it anyway",
                params.text_document.version,
                draft.version
            );
        }
        for change in params.content_changes {
            convert::apply_change(&mut draft.rope, change.range, &change.text, encoding);
        }
        draft.version = params.text_document.version;
        draft.revision += 1;
        draft.changed_at = std::time::Instant::now();
        self.state.schedule(&mut drafts, &uri);
    }

    async fn did_save(&self, params: DidSaveTextDocumentParams) {
        if let Ok(path) = params.text_document.uri.to_file_path()
            && is_config_file(&path)
        {
            self.state.reload_config_files();
        }
    }

    async fn did_close(&self, params: DidCloseTextDocumentParams) {
        let uri = params.text_document.uri;
        let removed = lock(&self.state.drafts).remove(&uri).is_some();
        if removed {
            self.state.generation.send_modify(|generation| *generation += 1);
            if !self.session().pull_diagnostics {
                self.state.notify::<PublishDiagnostics>(PublishDiagnosticsParams {
                    uri,
                    diagnostics: Vec::new(),
                    version: None,
                });
            }
        }
    }

    async fn did_change_configuration(&self, params: DidChangeConfigurationParams) {
        if self.session().configuration_pull {
            self.pull_settings().await;
        } else {
            self.apply_settings(&params.settings).await;
        }
    }

    async fn did_change_watched_files(&self, params: DidChangeWatchedFilesParams) {
        let touches_config = params
            .changes
            .iter()
            .any(|change| change.uri.to_file_path().is_ok_and(|path| is_config_file(&path)));
        if touches_config {
            self.state.reload_config_files();
            self.refresh(&self.session()).await;
        }
    }

    async fn diagnostic(&self, params: DocumentDiagnosticParams) -> Result<DocumentDiagnosticReportResult> {
        let analysis = self.state.analysis(&params.text_document.uri).await?;
        let result_id = analysis.serial.to_string();
        let report = if params.previous_result_id.as_deref() == Some(result_id.as_str()) {
            DocumentDiagnosticReport::Unchanged(RelatedUnchangedDocumentDiagnosticReport {
                related_documents: None,
                unchanged_document_diagnostic_report: UnchangedDocumentDiagnosticReport { result_id },
            })
        } else {
            DocumentDiagnosticReport::Full(RelatedFullDocumentDiagnosticReport {
                related_documents: None,
                full_document_diagnostic_report: FullDocumentDiagnosticReport {
                    result_id: Some(result_id),
                    items: analysis.diagnostics.clone(),
                },
            })
        };
        Ok(DocumentDiagnosticReportResult::Report(report))
    }

    async fn workspace_diagnostic(&self, params: WorkspaceDiagnosticParams) -> Result<WorkspaceDiagnosticReportResult> {
        let previous: HashMap<Url, String> = params
            .previous_result_ids
            .into_iter()
            .map(|previous| (previous.uri, previous.value))
            .collect();
        let mut generation = self.state.generation.subscribe();
        loop {
            generation.borrow_and_update();
            let uris: Vec<Url> = lock(&self.state.drafts).keys().cloned().collect();
            let mut items = Vec::new();
            let mut changed = uris.len() != previous.len();
            for uri in uris {
                let Ok(analysis) = self.state.analysis(&uri).await else {
                    continue;
                };
                let result_id = analysis.serial.to_string();
                if previous.get(&uri) == Some(&result_id) {
                    items.push(WorkspaceDocumentDiagnosticReport::Unchanged(
                        WorkspaceUnchangedDocumentDiagnosticReport {
                            uri,
                            version: Some(i64::from(analysis.version)),
                            unchanged_document_diagnostic_report: UnchangedDocumentDiagnosticReport { result_id },
                        },
                    ));
                } else {
                    changed = true;
                    items.push(WorkspaceDocumentDiagnosticReport::Full(
                        WorkspaceFullDocumentDiagnosticReport {
                            uri,
                            version: Some(i64::from(analysis.version)),
                            full_document_diagnostic_report: FullDocumentDiagnosticReport {
                                result_id: Some(result_id),
                                items: analysis.diagnostics.clone(),
                            },
                        },
                    ));
                }
            }
            if changed {
                return Ok(WorkspaceDiagnosticReportResult::Report(WorkspaceDiagnosticReport {
                    items,
                }));
            }
            // Nothing new: hold the request until something changes (the client cancels it
            // when it wants to), so clients that re-ask at once do not spin.
            if generation.changed().await.is_err() {
                return Ok(WorkspaceDiagnosticReportResult::Report(WorkspaceDiagnosticReport {
                    items,
                }));
            }
        }
    }

    async fn code_action(&self, params: CodeActionParams) -> Result<Option<CodeActionResponse>> {
        let analysis = self.state.analysis(&params.text_document.uri).await?;
        let session = self.session();
        let only = params.context.only;
        let uri = params.text_document.uri;
        let range = params.range;
        let actions = tokio::task::spawn_blocking(move || {
            actions::code_actions(&analysis, &uri, range, only.as_deref(), &session)
        });
        let actions = actions
            .await
            .map_err(|_| internal_error("computing code actions failed"))?;
        Ok(Some(actions))
    }

    async fn code_action_resolve(&self, mut action: CodeAction) -> Result<CodeAction> {
        if action.edit.is_some() {
            return Ok(action);
        }
        let data = action.data.clone().unwrap_or(Value::Null);
        let uri = data
            .get("uri")
            .and_then(Value::as_str)
            .and_then(|uri| Url::parse(uri).ok())
            .ok_or_else(|| invalid_params("code action without a document"))?;
        let analysis = self.state.analysis(&uri).await?;
        let version = data.get("version").and_then(Value::as_i64);
        if version != Some(i64::from(analysis.version)) {
            return Err(Error {
                code: ErrorCode::ContentModified,
                message: "the draft changed; ask for code actions again".into(),
                data: None,
            });
        }
        let session = self.session();
        let edit = tokio::task::spawn_blocking(move || actions::fix_all_edit(&analysis, &uri, &session))
            .await
            .map_err(|_| internal_error("fixing the draft failed"))?;
        action.edit = Some(edit.unwrap_or_default());
        Ok(action)
    }

    async fn execute_command(&self, params: ExecuteCommandParams) -> Result<Option<Value>> {
        match params.command.as_str() {
            APPLY_EDIT_COMMAND => {
                let edit = params
                    .arguments
                    .first()
                    .cloned()
                    .and_then(|value| serde_json::from_value::<WorkspaceEdit>(value).ok())
                    .ok_or_else(|| invalid_params("expected a workspace edit as the first argument"))?;
                self.apply_edit(edit, "applying the fix failed").await
            }
            FIX_ALL_COMMAND => {
                let uri = uri_argument(&params.arguments)?;
                let analysis = self.state.analysis(&uri).await?;
                let session = self.session();
                let edit = tokio::task::spawn_blocking(move || actions::fix_all_edit(&analysis, &uri, &session))
                    .await
                    .map_err(|_| internal_error("fixing the draft failed"))?;
                match edit {
                    Some(edit) => self.apply_edit(edit, "applying the fixes failed").await,
                    None => Ok(Some(json!({"applied": false}))),
                }
            }
            LIST_QUOTES_COMMAND => {
                let uri = uri_argument(&params.arguments)?;
                let analysis = self.state.analysis(&uri).await?;
                let (quotes, message) = people::list_quotes(&analysis, &uri);
                self.state.show_message(MessageType::INFO, message);
                Ok(Some(quotes))
            }
            other => Err(invalid_params(format!("unknown command `{other}`"))),
        }
    }

    async fn hover(&self, params: HoverParams) -> Result<Option<Hover>> {
        let position = params.text_document_position_params;
        let analysis = self.state.analysis(&position.text_document.uri).await?;
        Ok(people::hover(&analysis, position.position, &self.session()))
    }

    async fn document_symbol(&self, params: DocumentSymbolParams) -> Result<Option<DocumentSymbolResponse>> {
        let uri = params.text_document.uri;
        let analysis = self.state.analysis(&uri).await?;
        let symbols = people::document_symbols(&analysis);
        Ok(Some(if self.session().hierarchical_symbols {
            DocumentSymbolResponse::Nested(symbols)
        } else {
            DocumentSymbolResponse::Flat(people::flat_symbols(symbols, &uri))
        }))
    }

    async fn references(&self, params: ReferenceParams) -> Result<Option<Vec<Location>>> {
        let position = params.text_document_position;
        let analysis = self.state.analysis(&position.text_document.uri).await?;
        Ok(people::references(
            &analysis,
            &position.text_document.uri,
            position.position,
            params.context.include_declaration,
        ))
    }

    async fn prepare_rename(&self, params: TextDocumentPositionParams) -> Result<Option<PrepareRenameResponse>> {
        let analysis = self.state.analysis(&params.text_document.uri).await?;
        Ok(people::prepare_rename(&analysis, params.position))
    }

    async fn rename(&self, params: RenameParams) -> Result<Option<WorkspaceEdit>> {
        let position = params.text_document_position;
        if params.new_name.trim().is_empty() {
            return Err(invalid_params("the new name is empty"));
        }
        let analysis = self.state.analysis(&position.text_document.uri).await?;
        let session = self.session();
        let Some(outcome) = people::rename(
            &analysis,
            &position.text_document.uri,
            position.position,
            &params.new_name,
            &session,
        ) else {
            return Ok(None);
        };
        if outcome.skipped_in_quotes > 0 {
            self.state.show_message(
                MessageType::INFO,
                format!(
                    "copydesk left {} mention{} inside quotations unchanged: quotations are verbatim.",
                    outcome.skipped_in_quotes,
                    if outcome.skipped_in_quotes == 1 { "" } else { "s" }
                ),
            );
        }
        Ok(Some(outcome.edit))
    }

    async fn inlay_hint(&self, params: InlayHintParams) -> Result<Option<Vec<InlayHint>>> {
        let analysis = self.state.analysis(&params.text_document.uri).await?;
        if !self.session().settings.inlay_hints {
            return Ok(Some(Vec::new()));
        }
        Ok(Some(people::inlay_hints(&analysis, params.range)))
    }

    async fn code_lens(&self, params: CodeLensParams) -> Result<Option<Vec<CodeLens>>> {
        let analysis = self.state.analysis(&params.text_document.uri).await?;
        if !self.session().settings.code_lens {
            return Ok(Some(Vec::new()));
        }
        Ok(Some(people::code_lenses(&analysis, &params.text_document.uri)))
    }
}
