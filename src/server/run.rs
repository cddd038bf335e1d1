//! Running the server over stdio, and ending the process the way LSP says: `exit` after
//! `shutdown` ends it with status 0, `exit` alone with 1 (tower-lsp alone would wait for the
//! next message before noticing; see its issues 399 and 424).

use super::Backend;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};
use tower::Service;
use tower_lsp::jsonrpc::{Request, Response};
use tower_lsp::{LspService, Server};

struct ExitOnExit<S> {
    inner: S,
    shutdown: Arc<AtomicBool>,
}

impl<S> Service<Request> for ExitOnExit<S>
where
    S: Service<Request, Response = Option<Response>>,
{
    type Response = S::Response;
    type Error = S::Error;
    type Future = S::Future;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, req: Request) -> Self::Future {
        match req.method() {
            "shutdown" => self.shutdown.store(true, Ordering::SeqCst),
            "exit" => {
                let code = if self.shutdown.load(Ordering::SeqCst) {
                    0
                } else {
                    1
                };
                tracing::info!("exit received, status {code}");
                std::process::exit(code);
            }
            _ => {}
        }
        self.inner.call(req)
    }
}

/// Serves LSP on stdin/stdout until `exit` or until the client closes stdin.
pub async fn serve() -> i32 {
    let (service, socket) = LspService::build(Backend::new)
        .custom_method("pymastery/searchBook", Backend::search_book)
        .custom_method("pymastery/documentText", Backend::document_text)
        .finish();
    let shutdown = Arc::new(AtomicBool::new(false));
    let service = ExitOnExit {
        inner: service,
        shutdown: shutdown.clone(),
    };
    let (reader, writer) = tokio::io::duplex(1 << 20);
    tokio::spawn(super::frames::filter(tokio::io::stdin(), writer));
    Server::new(reader, tokio::io::stdout(), socket)
        .serve(service)
        .await;
    tracing::info!("client closed the connection");
    if shutdown.load(Ordering::SeqCst) {
        0
    } else {
        1
    }
}

impl Backend {
    async fn search_book(
        &self,
        params: serde_json::Value,
    ) -> tower_lsp::jsonrpc::Result<serde_json::Value> {
        let q = params
            .get("query")
            .and_then(|v| v.as_str())
            .or_else(|| params.as_str())
            .unwrap_or("");
        let hits = crate::knowledge::search::search(crate::knowledge::get(), q, 20);
        Ok(serde_json::to_value(hits).unwrap_or_default())
    }

    /// The server's copy of a document, so tests and bug reports can compare it with the editor's.
    async fn document_text(
        &self,
        params: serde_json::Value,
    ) -> tower_lsp::jsonrpc::Result<serde_json::Value> {
        let uri = params
            .get("uri")
            .and_then(|u| u.as_str())
            .and_then(|u| tower_lsp::lsp_types::Url::parse(u).ok())
            .ok_or_else(|| tower_lsp::jsonrpc::Error::invalid_params("expected {\"uri\": ...}"))?;
        match self.state.docs.get(&uri) {
            Some(d) => Ok(serde_json::json!({ "version": d.version, "text": d.text() })),
            None => Err(tower_lsp::jsonrpc::Error::invalid_params(format!(
                "document is not open: {uri}"
            ))),
        }
    }
}
