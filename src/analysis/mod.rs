//! One file's analysis: cut into blocks, parse and check only the blocks whose text is new,
//! reuse the rest with their offsets moved, then apply the settings and `# noqa` comments.
//!
//! Synchronous and transport-free: the server runs it on a blocking thread, `check` on rayon.

pub mod fixes;

use crate::config::Settings;
use crate::document::LineIndex;
use crate::rules::{self, noqa, Finding, Version};
use crate::syntax::{self, ast, Block, SyntaxError};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;
use std::sync::{Arc, OnceLock};

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
    /// Built on first use: an edit's diagnostics never need it.
    lines: OnceLock<Arc<LineIndex>>,
    pub blocks: Vec<(Block, Arc<BlockResult>)>,
    /// Every rule's findings with absolute offsets, before settings and noqa.
    pub findings: Vec<Finding>,
    /// How many blocks were parsed and checked afresh (the rest came from the cache).
    pub fresh_blocks: usize,
}

impl Snapshot {
    pub fn lines(&self) -> &LineIndex {
        self.lines
            .get_or_init(|| Arc::new(LineIndex::new(&self.text)))
    }

    /// The text of the line holding `offset`, without its line break.
    fn line_around(&self, offset: usize) -> &str {
        let t = &*self.text;
        let offset = offset.min(t.len());
        let start = t[..offset].rfind(['\n', '\r']).map_or(0, |i| i + 1);
        let end = t[offset..]
            .find(['\n', '\r'])
            .map_or(t.len(), |i| offset + i);
        &t[start..end]
    }

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
                !noqa::silences(self.line_around(f.start), f.code)
            })
            .cloned()
            .collect()
    }

    pub fn panics(&self) -> impl Iterator<Item = &str> {
        self.blocks.iter().filter_map(|(_, r)| r.panic.as_deref())
    }
}

type Blocks = Vec<(Block, Arc<BlockResult>)>;

/// Per-file analysis state: the previous text and its blocks, so that after an edit only the
/// blocks whose text changed are parsed and checked again.
#[derive(Debug, Default)]
pub struct Analyzer {
    prev: Option<(Arc<str>, Blocks)>,
    target: Option<Version>,
}

fn common_prefix(a: &str, b: &str) -> usize {
    let n = a
        .as_bytes()
        .iter()
        .zip(b.as_bytes())
        .take_while(|(x, y)| x == y)
        .count();
    // Back off to a character boundary of both (they agree up to n, so one check suffices).
    (0..=n).rev().find(|&i| b.is_char_boundary(i)).unwrap_or(0)
}

fn common_suffix(a: &str, b: &str, limit: usize) -> usize {
    let n = a
        .as_bytes()
        .iter()
        .rev()
        .zip(b.as_bytes().iter().rev())
        .take_while(|(x, y)| x == y)
        .count()
        .min(limit);
    (0..=n)
        .rev()
        .find(|&i| b.is_char_boundary(b.len() - i))
        .unwrap_or(0)
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
            self.prev = None;
            self.target = Some(target);
        }
        let (blocks, old, prefix, tail, delta) = match self.prev.take() {
            Some((old_text, old)) => {
                let prefix = common_prefix(&old_text, &text);
                let suffix =
                    common_suffix(&old_text, &text, old_text.len().min(text.len()) - prefix);
                let old_blocks: Vec<Block> = old.iter().map(|(b, _)| *b).collect();
                let blocks = syntax::resegment(&old_blocks, old_text.len(), &text, prefix, suffix);
                let delta = text.len() as isize - old_text.len() as isize;
                (blocks, old, prefix, text.len() - suffix, delta)
            }
            None => (syntax::segment(&text), Vec::new(), 0, text.len(), 0),
        };
        let old_starts: Vec<usize> = old.iter().map(|(b, _)| b.start).collect();
        // An old block with the same text: same place before the edit, shifted place after it.
        let reuse = |b: &Block| -> Option<Arc<BlockResult>> {
            let old_start = if b.end <= prefix {
                b.start
            } else if b.start >= tail {
                (b.start as isize - delta) as usize
            } else {
                return None;
            };
            let k = old_starts.binary_search(&old_start).ok()?;
            let (ob, r) = &old[k];
            (ob.end - ob.start == b.end - b.start).then(|| r.clone())
        };
        let mut out = Vec::with_capacity(blocks.len());
        let mut findings = Vec::new();
        let mut fresh_blocks = 0;
        for b in blocks {
            let result = match reuse(&b) {
                Some(r) => r,
                None => {
                    fresh_blocks += 1;
                    Arc::new(analyze_block(&text[b.start..b.end], target))
                }
            };
            findings.extend(result.findings.iter().map(|f| f.clone().shifted(b.start)));
            out.push((b, result));
        }
        self.prev = Some((text.clone(), out.clone()));
        Snapshot {
            text,
            lines: OnceLock::new(),
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

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const BASE: &str = "import os\n\n@dec\ndef f(a, b=[]):\n    \"\"\"doc\n    x = 1\n    \"\"\"\n    return a is 1\n\n\nclass C:\n    def __eq__(self, o):\n        return (o,\n                1)\n\ny = {\n  1: 2}\nif y:\n    pass\nelse:\n    z = 'q' \\\n        'r'\n";
    const PIECES: [&str; 14] = [
        "x",
        " ",
        "\n",
        "(",
        ")",
        "'",
        "\"\"\"",
        "def g(q={}):\n    pass\n",
        "@d\n",
        "    ",
        "#",
        "\\\n",
        "é😀",
        "class D:\n",
    ];

    proptest! {
        #![proptest_config(ProptestConfig { cases: 300, failure_persistence: None, ..ProptestConfig::default() })]

        /// Incremental re-analysis after any edit equals analysing the new text from scratch.
        #[test]
        fn incremental_equals_fresh(edits in prop::collection::vec((any::<usize>(), 0..6usize, 0..PIECES.len()), 1..8)) {
            let mut text = BASE.to_string();
            let mut analyzer = Analyzer::default();
            analyzer.analyze(Arc::from(text.as_str()), (3, 12));
            for (at, del, piece) in edits {
                let mut s = at % (text.len() + 1);
                while !text.is_char_boundary(s) { s -= 1; }
                let mut e = (s + del).min(text.len());
                while !text.is_char_boundary(e) { e += 1; }
                text.replace_range(s..e, PIECES[piece]);
                let inc = analyzer.analyze(Arc::from(text.as_str()), (3, 12));
                let fresh = analyze_once(&text, (3, 12));
                let ib: Vec<Block> = inc.blocks.iter().map(|(b, _)| *b).collect();
                let fb: Vec<Block> = fresh.blocks.iter().map(|(b, _)| *b).collect();
                prop_assert_eq!(ib, fb);
                prop_assert_eq!(&inc.findings, &fresh.findings);
            }
        }
    }
}
