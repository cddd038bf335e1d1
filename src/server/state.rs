//! The server's shared state: open documents, per-document analysis, settings, and the
//! scheduling that keeps diagnostics in order.
//!
//! Ordering invariants (tower-lsp runs up to four handlers at once, interleaved at `.await`):
//! - a document change is applied inside the handler before its first `.await`;
//! - no DashMap guard is held across an `.await`;
//! - one document's analyses run one at a time under its async mutex, and a result is published
//!   only if its version is still the document's version when the lock is held.

use crate::analysis::{Analyzer, Snapshot};
use crate::config::Settings;
use crate::document::{Document, Encoding};
use crate::knowledge::book::BookIndex;
use crate::rules::selection::Selection;
use dashmap::DashMap;
use ropey::Rope;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, RwLock};
use tokio::sync::Mutex;
use tower_lsp::lsp_types::Url;

/// Settings the editor sends (initializationOptions or workspace/didChangeConfiguration).
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct EditorSettings {
    pub select: Option<Vec<String>>,
    pub ignore: Vec<String>,
    pub hover: HoverSettings,
    pub book: BookSettings,
}

#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct BookSettings {
    /// The reader's own copy (text, Markdown or EPUB), indexed when the server starts.
    pub path: Option<String>,
}

#[derive(Debug, Clone, serde::Deserialize)]
#[serde(default)]
pub struct HoverSettings {
    pub enable: bool,
}

impl Default for HoverSettings {
    fn default() -> Self {
        HoverSettings { enable: true }
    }
}

/// The latest analysis of a document, with the text it was made from.
#[derive(Clone)]
pub struct Analysed {
    pub version: i32,
    pub rope: Rope,
    pub snapshot: Arc<Snapshot>,
    pub settings: Arc<Settings>,
    /// `State::generation` when this was made: settings changed since if it differs.
    pub generation: u64,
}

#[derive(Default)]
pub struct DocAnalysis {
    analyzer: Analyzer,
    pub latest: Option<Analysed>,
}

pub struct State {
    pub docs: DashMap<Url, Document>,
    pub analyses: DashMap<Url, Arc<Mutex<DocAnalysis>>>,
    pub encoding: RwLock<Encoding>,
    pub markdown: AtomicBool,
    pub pull_diagnostics: AtomicBool,
    /// The client lets us register a watcher for pyproject.toml files.
    pub watch_files: AtomicBool,
    pub editor: RwLock<EditorSettings>,
    /// pyproject.toml path -> settings read from it, or the error it gave.
    pyprojects: DashMap<PathBuf, Result<Arc<Settings>, String>>,
    pub panic_reported: AtomicBool,
    /// The reader's indexed copy of the book, if any.
    pub book: tokio::sync::RwLock<Option<Arc<BookIndex>>>,
    /// Bumped whenever settings change (editor configuration, a pyproject.toml on disk).
    generation: AtomicU64,
}

impl State {
    pub fn new() -> Arc<State> {
        Arc::new(State {
            docs: DashMap::new(),
            analyses: DashMap::new(),
            encoding: RwLock::new(Encoding::Utf16),
            markdown: AtomicBool::new(true),
            pull_diagnostics: AtomicBool::new(false),
            watch_files: AtomicBool::new(false),
            editor: RwLock::new(EditorSettings::default()),
            pyprojects: DashMap::new(),
            panic_reported: AtomicBool::new(false),
            generation: AtomicU64::new(0),
            book: tokio::sync::RwLock::new(None),
        })
    }

    /// The reader's copy; waits while it is being indexed.
    pub async fn book(&self) -> Option<Arc<BookIndex>> {
        self.book.read().await.clone()
    }

    /// `book.path` if the editor set one (indexed now), else the index `pymastery index` left
    /// in the cache folder.
    pub fn read_book(editor: &EditorSettings) -> Result<Option<BookIndex>, String> {
        use crate::knowledge::book;
        match &editor.book.path {
            Some(p) if !p.is_empty() => {
                book::index_file(crate::knowledge::get(), std::path::Path::new(p)).map(Some)
            }
            _ => Ok(book::cache_file().and_then(|f| book::load(&f))),
        }
    }

    pub fn encoding(&self) -> Encoding {
        self.encoding.read().map(|e| *e).unwrap_or_default()
    }

    pub fn editor(&self) -> EditorSettings {
        self.editor.read().map(|e| e.clone()).unwrap_or_default()
    }

    /// Forgets cached pyproject settings (a pyproject.toml changed on disk).
    pub fn forget_settings(&self) {
        self.pyprojects.clear();
        self.settings_changed();
    }

    /// Makes every document's next `ensure` apply the current settings.
    pub fn settings_changed(&self) {
        self.generation.fetch_add(1, Ordering::SeqCst);
    }

    /// Settings for a document: its pyproject.toml under the editor's overrides, and the error
    /// the pyproject gave, if any (then the defaults apply).
    pub fn settings_for(&self, uri: &Url) -> (Arc<Settings>, Option<String>) {
        let path = uri.to_file_path().ok();
        let (base, error) = match path.as_deref().and_then(crate::config::find_pyproject) {
            None => (Arc::new(Settings::default()), None),
            Some(file) => {
                let entry = self
                    .pyprojects
                    .entry(file.clone())
                    .or_insert_with(|| Settings::discover(&file).map(Arc::new))
                    .clone();
                match entry {
                    Ok(s) => (s, None),
                    Err(e) => (Arc::new(Settings::default()), Some(e)),
                }
            }
        };
        let editor = self.editor();
        if editor.select.is_none() && editor.ignore.is_empty() {
            return (base, error);
        }
        let mut s = (*base).clone();
        s.selection = s.selection.overridden_by(&Selection {
            select: editor.select.clone(),
            extend_select: Vec::new(),
            ignore: editor.ignore.clone(),
        });
        (Arc::new(s), error)
    }

    pub fn path_of(uri: &Url) -> Option<PathBuf> {
        uri.to_file_path().ok()
    }

    /// Analyses the document's current text unless the latest analysis is already of it.
    /// Returns None when the document is not open. Waits for an analysis in progress.
    pub async fn ensure(self: &Arc<Self>, uri: &Url) -> Option<Analysed> {
        let cell = self.analyses.entry(uri.clone()).or_default().clone();
        let mut guard = cell.lock().await;
        let (rope, version) = {
            let doc = self.docs.get(uri)?;
            (doc.rope().clone(), doc.version)
        };
        let generation = self.generation.load(Ordering::SeqCst);
        if let Some(a) = &guard.latest {
            if a.version == version && a.generation == generation {
                return Some(a.clone());
            }
        }
        let (settings, _) = self.settings_for(uri);
        let mut analyzer = std::mem::take(&mut guard.analyzer);
        if let Some(path) = Self::path_of(uri) {
            analyzer.set_file(settings.file_role(&path));
        }
        let text: Arc<str> = Arc::from(rope.to_string());
        let target = settings.target;
        let job = tokio::task::spawn_blocking(move || {
            let snap = analyzer.analyze(text, target);
            (analyzer, snap)
        });
        let (analyzer, snap) = match job.await {
            Ok(done) => done,
            Err(e) => {
                tracing::error!("analysis of {uri} failed: {e}");
                return None;
            }
        };
        guard.analyzer = analyzer;
        let a = Analysed {
            version,
            rope,
            snapshot: Arc::new(snap),
            settings,
            generation,
        };
        guard.latest = Some(a.clone());
        Some(a)
    }

    pub fn current_version(&self, uri: &Url) -> Option<i32> {
        self.docs.get(uri).map(|d| d.version)
    }

    pub fn close(&self, uri: &Url) {
        self.docs.remove(uri);
        self.analyses.remove(uri);
    }

    pub fn mark_panic_reported(&self) -> bool {
        !self.panic_reported.swap(true, Ordering::SeqCst)
    }
}
