//! tower-lsp glue: each handler converts between LSP types and the core, nothing else.

mod actions;
mod convert;
mod frames;
mod run;
mod state;

pub use run::serve;

use crate::document::{Change, Document, Encoding};
use crate::knowledge::{self, search};
use state::{Analysed, State};
use std::sync::atomic::Ordering;
use std::sync::Arc;
use tower_lsp::jsonrpc::{Error, Result};
use tower_lsp::lsp_types::*;
use tower_lsp::{Client, LanguageServer};

pub const SEARCH_COMMAND: &str = "pymastery.searchBook";
pub const EXPLAIN_COMMAND: &str = "pymastery.explain";

pub struct Backend {
    client: Client,
    state: Arc<State>,
}

impl Backend {
    pub fn new(client: Client) -> Self {
        Backend {
            client,
            state: State::new(),
        }
    }

    /// Analyses the document in the background and pushes its diagnostics, unless a newer
    /// version arrives first (then that version's task publishes instead).
    fn schedule(&self, uri: Url, version: i32) {
        if self.state.pull_diagnostics.load(Ordering::Relaxed) {
            return;
        }
        let state = self.state.clone();
        let client = self.client.clone();
        tokio::spawn(async move {
            if state.current_version(&uri) != Some(version) {
                return; // superseded before it started
            }
            let cell = state.analyses.entry(uri.clone()).or_default().clone();
            let Some(a) = state.ensure(&uri).await else {
                return;
            };
            // Publish under the document's lock, and only if nothing newer has arrived.
            let _guard = cell.lock().await;
            if state.current_version(&uri) != Some(a.version) {
                return;
            }
            let diags = diagnostics(&state, &uri, &a);
            report_panics(&state, &client, &a).await;
            client
                .publish_diagnostics(uri, diags, Some(a.version))
                .await;
        });
    }
}

fn diagnostics(state: &State, uri: &Url, a: &Analysed) -> Vec<Diagnostic> {
    let enc = state.encoding();
    let path = State::path_of(uri);
    a.snapshot
        .visible(&a.settings, path.as_deref())
        .iter()
        .map(|f| convert::diagnostic(&a.rope, f, enc, a.settings.severity(f.code)))
        .collect()
}

async fn report_panics(state: &State, client: &Client, a: &Analysed) {
    if let Some(msg) = a.snapshot.panics().next() {
        if state.mark_panic_reported() {
            let text = format!("pymastery: a rule failed on part of this file and was skipped ({msg}). Please report it.");
            client.show_message(MessageType::WARNING, text).await;
        }
    }
}

fn negotiate_encoding(params: &InitializeParams) -> Encoding {
    let offered = params
        .capabilities
        .general
        .as_ref()
        .and_then(|g| g.position_encodings.clone())
        .unwrap_or_default();
    if offered.contains(&PositionEncodingKind::UTF8) {
        Encoding::Utf8
    } else if offered.is_empty() || offered.contains(&PositionEncodingKind::UTF16) {
        Encoding::Utf16
    } else if offered.contains(&PositionEncodingKind::UTF32) {
        Encoding::Utf32
    } else {
        Encoding::Utf16
    }
}

fn editor_settings(value: &serde_json::Value) -> Option<state::EditorSettings> {
    let v = value.get("pymastery").unwrap_or(value);
    serde_json::from_value(v.clone()).ok()
}

#[tower_lsp::async_trait]
impl LanguageServer for Backend {
    async fn initialize(&self, params: InitializeParams) -> Result<InitializeResult> {
        let enc = negotiate_encoding(&params);
        if let Ok(mut e) = self.state.encoding.write() {
            *e = enc;
        }
        let markdown = params
            .capabilities
            .text_document
            .as_ref()
            .and_then(|t| t.hover.as_ref())
            .and_then(|h| h.content_format.as_ref())
            .is_none_or(|f| f.first() != Some(&MarkupKind::PlainText));
        self.state.markdown.store(markdown, Ordering::Relaxed);
        let pull = params
            .capabilities
            .text_document
            .as_ref()
            .is_some_and(|t| t.diagnostic.is_some());
        self.state.pull_diagnostics.store(pull, Ordering::Relaxed);
        let watch = params
            .capabilities
            .workspace
            .as_ref()
            .and_then(|w| w.did_change_watched_files.as_ref())
            .and_then(|d| d.dynamic_registration)
            .unwrap_or(false);
        self.state.watch_files.store(watch, Ordering::Relaxed);
        if let Some(s) = params
            .initialization_options
            .as_ref()
            .and_then(editor_settings)
        {
            if let Ok(mut e) = self.state.editor.write() {
                *e = s;
            }
        }
        let kind = PositionEncodingKind::from(enc.as_lsp());
        Ok(InitializeResult {
            server_info: Some(ServerInfo {
                name: "pymastery".into(),
                version: Some(env!("CARGO_PKG_VERSION").into()),
            }),
            capabilities: ServerCapabilities {
                position_encoding: Some(kind),
                text_document_sync: Some(TextDocumentSyncCapability::Options(
                    TextDocumentSyncOptions {
                        open_close: Some(true),
                        change: Some(TextDocumentSyncKind::INCREMENTAL),
                        save: Some(TextDocumentSyncSaveOptions::Supported(true)),
                        ..TextDocumentSyncOptions::default()
                    },
                )),
                hover_provider: Some(HoverProviderCapability::Simple(true)),
                code_action_provider: Some(CodeActionProviderCapability::Options(
                    CodeActionOptions {
                        code_action_kinds: Some(vec![
                            CodeActionKind::QUICKFIX,
                            CodeActionKind::new(actions::FIX_ALL),
                        ]),
                        ..CodeActionOptions::default()
                    },
                )),
                execute_command_provider: Some(ExecuteCommandOptions {
                    commands: vec![SEARCH_COMMAND.into(), EXPLAIN_COMMAND.into()],
                    ..ExecuteCommandOptions::default()
                }),
                diagnostic_provider: pull.then(|| {
                    DiagnosticServerCapabilities::Options(DiagnosticOptions {
                        identifier: Some("pymastery".into()),
                        inter_file_dependencies: false,
                        workspace_diagnostics: false,
                        ..DiagnosticOptions::default()
                    })
                }),
                ..ServerCapabilities::default()
            },
        })
    }

    async fn initialized(&self, _: InitializedParams) {
        tracing::info!(
            "initialized, position encoding {}",
            self.state.encoding().as_lsp()
        );
        self.load_book().await;
        if self.state.watch_files.load(Ordering::Relaxed) {
            let options = DidChangeWatchedFilesRegistrationOptions {
                watchers: vec![FileSystemWatcher {
                    glob_pattern: GlobPattern::String("**/pyproject.toml".into()),
                    kind: None,
                }],
            };
            let registration = Registration {
                id: "pymastery-pyproject".into(),
                method: "workspace/didChangeWatchedFiles".into(),
                register_options: serde_json::to_value(options).ok(),
            };
            if let Err(e) = self.client.register_capability(vec![registration]).await {
                tracing::warn!("could not watch pyproject.toml files: {e}");
            }
        }
    }

    async fn shutdown(&self) -> Result<()> {
        Ok(())
    }

    async fn did_open(&self, params: DidOpenTextDocumentParams) {
        let doc = params.text_document;
        let version = doc.version;
        self.state
            .docs
            .insert(doc.uri.clone(), Document::new(&doc.text, version));
        let (_, error) = self.state.settings_for(&doc.uri);
        self.schedule(doc.uri, version);
        if let Some(e) = error {
            self.client
                .show_message(
                    MessageType::WARNING,
                    format!("pymastery: using default settings: {e}"),
                )
                .await;
        }
    }

    async fn did_change(&self, params: DidChangeTextDocumentParams) {
        let enc = self.state.encoding();
        let uri = params.text_document.uri;
        let version = params.text_document.version;
        let changes: Vec<Change> = params
            .content_changes
            .into_iter()
            .map(|c| Change {
                range: c
                    .range
                    .map(|r| (convert::pos(r.start), convert::pos(r.end))),
                text: c.text,
            })
            .collect();
        // Applied before any `.await`: tower-lsp may interleave this handler with the next.
        let applied = match self.state.docs.get_mut(&uri) {
            Some(mut doc) => {
                doc.apply(&changes, version, enc);
                true
            }
            None => false,
        };
        if applied {
            self.schedule(uri, version);
        } else {
            tracing::warn!("didChange for a document that is not open: {uri}");
        }
    }

    async fn did_save(&self, params: DidSaveTextDocumentParams) {
        let uri = params.text_document.uri;
        if uri.path().ends_with("pyproject.toml") {
            self.state.forget_settings();
        }
    }

    async fn did_close(&self, params: DidCloseTextDocumentParams) {
        let uri = params.text_document.uri;
        self.state.close(&uri);
        if !self.state.pull_diagnostics.load(Ordering::Relaxed) {
            self.client.publish_diagnostics(uri, Vec::new(), None).await;
        }
    }

    async fn did_change_configuration(&self, params: DidChangeConfigurationParams) {
        if let Some(s) = editor_settings(&params.settings) {
            if let Ok(mut e) = self.state.editor.write() {
                *e = s;
            }
        }
        self.state.settings_changed();
        self.load_book().await;
        self.refresh_all();
    }

    async fn did_change_watched_files(&self, params: DidChangeWatchedFilesParams) {
        if params
            .changes
            .iter()
            .any(|c| c.uri.path().ends_with("pyproject.toml"))
        {
            self.state.forget_settings();
            self.refresh_all();
        }
    }

    async fn hover(&self, params: HoverParams) -> Result<Option<Hover>> {
        if !self.state.editor().hover.enable {
            return Ok(None);
        }
        let uri = params.text_document_position_params.text_document.uri;
        let Some(a) = self.state.ensure(&uri).await else {
            return Ok(None);
        };
        let enc = self.state.encoding();
        let offset = convert::offset(&a.rope, params.text_document_position_params.position, enc);
        let markdown = self.state.markdown.load(Ordering::Relaxed);
        let path = State::path_of(&uri);
        let visible = a.snapshot.visible(&a.settings, path.as_deref());
        let book = self.state.book().await;
        let Some(h) = crate::hover::hover(&a.snapshot, &visible, offset, markdown, book.as_deref())
        else {
            return Ok(None);
        };
        let kind = if markdown {
            MarkupKind::Markdown
        } else {
            MarkupKind::PlainText
        };
        Ok(Some(Hover {
            contents: HoverContents::Markup(MarkupContent {
                kind,
                value: h.text,
            }),
            range: Some(convert::range(&a.rope, h.start, h.end, enc)),
        }))
    }

    async fn code_action(&self, params: CodeActionParams) -> Result<Option<CodeActionResponse>> {
        let uri = params.text_document.uri.clone();
        let Some(a) = self.state.ensure(&uri).await else {
            return Ok(None);
        };
        Ok(Some(actions::code_actions(&self.state, &a, &params)))
    }

    async fn diagnostic(
        &self,
        params: DocumentDiagnosticParams,
    ) -> Result<DocumentDiagnosticReportResult> {
        let uri = params.text_document.uri;
        let Some(a) = self.state.ensure(&uri).await else {
            return Err(Error::invalid_params(format!(
                "document is not open: {uri}"
            )));
        };
        let items = diagnostics(&self.state, &uri, &a);
        let result_id = format!("{}-{}-{}", a.version, a.generation, items.len());
        if params.previous_result_id.as_deref() == Some(result_id.as_str()) {
            return Ok(DocumentDiagnosticReportResult::Report(
                DocumentDiagnosticReport::Unchanged(RelatedUnchangedDocumentDiagnosticReport {
                    related_documents: None,
                    unchanged_document_diagnostic_report: UnchangedDocumentDiagnosticReport {
                        result_id,
                    },
                }),
            ));
        }
        let items = diagnostics(&self.state, &uri, &a);
        Ok(DocumentDiagnosticReportResult::Report(
            DocumentDiagnosticReport::Full(RelatedFullDocumentDiagnosticReport {
                related_documents: None,
                full_document_diagnostic_report: FullDocumentDiagnosticReport {
                    result_id: Some(result_id),
                    items,
                },
            }),
        ))
    }

    async fn execute_command(
        &self,
        params: ExecuteCommandParams,
    ) -> Result<Option<serde_json::Value>> {
        let arg = params
            .arguments
            .first()
            .and_then(|v| v.as_str())
            .unwrap_or("")
            .to_string();
        match params.command.as_str() {
            SEARCH_COMMAND => {
                let hits = search::search(knowledge::get(), &arg, 20);
                Ok(Some(serde_json::to_value(hits).unwrap_or_default()))
            }
            EXPLAIN_COMMAND => match crate::explain::explain(&arg) {
                Some(text) => {
                    if params.arguments.get(1).and_then(|v| v.as_str()) == Some("show") {
                        self.client
                            .show_message(MessageType::INFO, text.clone())
                            .await;
                    }
                    Ok(Some(serde_json::Value::String(text)))
                }
                None => Err(Error::invalid_params(format!(
                    "nothing known about {arg:?}"
                ))),
            },
            other => Err(Error::invalid_params(format!("unknown command {other:?}"))),
        }
    }
}

impl Backend {
    /// Indexes or loads the reader's copy of the book off the async threads. Hovers wait for
    /// it: the write lock is taken at the first poll, before later requests run.
    async fn load_book(&self) {
        let mut slot = self.state.book.write().await;
        let editor = self.state.editor();
        let result = tokio::task::spawn_blocking(move || State::read_book(&editor)).await;
        let error = match result {
            Ok(Ok(book)) => {
                tracing::info!(
                    "book copy: {} sections",
                    book.as_ref().map_or(0, |b| b.sections.len())
                );
                *slot = book.map(Arc::new);
                None
            }
            Ok(Err(e)) => Some(e),
            Err(e) => Some(e.to_string()),
        };
        drop(slot);
        if let Some(e) = error {
            self.client
                .show_message(MessageType::WARNING, format!("pymastery: book.path: {e}"))
                .await;
        }
    }

    /// Re-publishes every open document after a settings change.
    fn refresh_all(&self) {
        if self.state.pull_diagnostics.load(Ordering::Relaxed) {
            // Pull clients ask again when told to.
            let client = self.client.clone();
            tokio::spawn(async move {
                if let Err(e) = client.workspace_diagnostic_refresh().await {
                    tracing::debug!("workspace/diagnostic/refresh not taken: {e}");
                }
            });
            return;
        }
        let open: Vec<(Url, i32)> = self
            .state
            .docs
            .iter()
            .map(|d| (d.key().clone(), d.version))
            .collect();
        for (uri, version) in open {
            self.schedule(uri, version);
        }
    }
}
