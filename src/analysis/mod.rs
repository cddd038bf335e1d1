//! One file's analysis: cut into blocks, parse and check only the blocks whose text is new,
//! reuse the rest with their offsets moved, then apply the settings and `# noqa` comments.
//!
//! Synchronous and transport-free: the server runs it on a blocking thread, `check` on rayon.

use crate::config::Settings;
use crate::document::LineIndex;
use crate::rules::{self, noqa, Finding, Version};
use crate::syntax::{self, ast, Block, SyntaxError};
use std::collections::HashMap;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;
use std::sync::Arc;

/// A parsed and checked block; offsets inside are relative to the block's start.
#[derive(Debug)]
pub struct BlockResult {
    pub tree: Result<Vec<ast::Stmt>, SyntaxError>,
    pub findings: Vec<Finding>,
    /// A rule panicked on this block: its message (the block's other findings are lost).
    pub panic: Option<String>,
}

/// The analysis of one version of a file.
#[derive(Debug, Clone)]
pub struct Snapshot {
    pub text: Arc<str>,
    pub lines: Arc<LineIndex>,
    pub blocks: Vec<(Block, Arc<BlockResult>)>,
    /// Every rule's findings with absolute offsets, before settings and noqa.
    pub findings: Vec<Finding>,
    /// How many blocks were parsed and checked afresh (the rest came from the cache).
    pub fresh_blocks: usize,
}

impl Snapshot {
    /// The block containing `offset` and its result.
    pub fn block_at(&self, offset: usize) -> Option<&(Block, Arc<BlockResult>)> {
        let i = self.blocks.partition_point(|(b, _)| b.end <= offset);
        self.blocks.get(i).or_else(|| self.blocks.last())
    }

    /// Findings that the settings enable and no `# noqa` silences, in file order.
    pub fn visible(&self, settings: &Settings, path: Option<&Path>) -> Vec<Finding> {
        let kb = crate::knowledge::get();
        self.findings
            .iter()
            .filter(|f| {
                if f.is_syntax_error() {
                    return true;
                }
                let on = kb.rule(f.code).is_some_and(|d| d.default_on);
                if !settings.enabled(f.code, on, path) {
                    return false;
                }
                let line = self
                    .lines
                    .line_text(&self.text, self.lines.line_of(f.start));
                !noqa::silences(line, f.code)
            })
            .cloned()
            .collect()
    }

    pub fn panics(&self) -> impl Iterator<Item = &str> {
        self.blocks.iter().filter_map(|(_, r)| r.panic.as_deref())
    }
}

/// Per-file cache of block results, keyed by the block's text.
#[derive(Debug, Default)]
pub struct Analyzer {
    cache: HashMap<Box<str>, Arc<BlockResult>>,
    target: Option<Version>,
}

fn analyze_block(text: &str, target: Version) -> BlockResult {
    let tree = syntax::parse_block(text);
    let mut panic = None;
    let findings = match &tree {
        Ok(stmts) => match catch_unwind(AssertUnwindSafe(|| rules::check_block(stmts, text, target))) {
            Ok(f) => f,
            Err(e) => {
                let msg = e
                    .downcast_ref::<&str>()
                    .map(|s| s.to_string())
                    .or_else(|| e.downcast_ref::<String>().cloned())
                    .unwrap_or_else(|| "unknown panic".into());
                tracing::error!("a rule panicked on a block; its findings are skipped: {msg}");
                panic = Some(msg);
                Vec::new()
            }
        },
        Err(e) => vec![Finding {
            code: "",
            start: e.offset,
            end: next_char(text, e.offset),
            message: format!("Syntax error: {}. Only this block is skipped; the rest of the file is still checked", e.message),
            section: String::new(),
            fix: None,
        }],
    };
    BlockResult {
        tree,
        findings,
        panic,
    }
}

fn next_char(text: &str, at: usize) -> usize {
    text.get(at..)
        .and_then(|s| s.chars().next())
        .map_or(at, |c| at + c.len_utf8())
}

impl Analyzer {
    pub fn analyze(&mut self, text: Arc<str>, target: Version) -> Snapshot {
        if self.target != Some(target) {
            self.cache.clear();
            self.target = Some(target);
        }
        let blocks = syntax::segment(&text);
        let mut fresh = HashMap::new();
        let mut out = Vec::with_capacity(blocks.len());
        let mut findings = Vec::new();
        let mut fresh_blocks = 0;
        for b in blocks {
            let key = &text[b.start..b.end];
            let result = match self.cache.remove(key).or_else(|| fresh.get(key).cloned()) {
                Some(r) => r,
                None => {
                    fresh_blocks += 1;
                    Arc::new(analyze_block(key, target))
                }
            };
            findings.extend(result.findings.iter().map(|f| f.clone().shifted(b.start)));
            fresh.insert(Box::from(key), result.clone());
            out.push((b, result));
        }
        // Only the current file's blocks stay cached.
        self.cache = fresh;
        let lines = Arc::new(LineIndex::new(&text));
        Snapshot {
            text,
            lines,
            blocks: out,
            findings,
            fresh_blocks,
        }
    }
}

/// Analyses a file once, without keeping a cache (the `check` command).
pub fn analyze_once(text: &str, target: Version) -> Snapshot {
    Analyzer::default().analyze(Arc::from(text), target)
}
