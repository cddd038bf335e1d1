//! One file's analysis: cut into blocks, parse and check only the blocks whose text is new,
//! reuse the rest with their offsets moved, then apply the settings and `# noqa` comments.
//!
//! Synchronous and transport-free: the server runs it on a blocking thread, `check` on rayon.

pub mod fixes;

use crate::config::Settings;
use crate::document::LineIndex;
use crate::rules::{self, noqa, Finding, Version};
use crate::syntax::facts::{BlockFacts, ModuleFacts};
use crate::syntax::name_uses::UseCounts;
use crate::syntax::{self, ast, Block, FileRole, SyntaxError};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;
use std::sync::{Arc, OnceLock};

/// A parsed and checked block; offsets inside are relative to the block's start.
#[derive(Debug)]
pub struct BlockResult {
    pub tree: Arc<Result<Vec<ast::Stmt>, SyntaxError>>,
    /// What the block contributes to the module's facts.
    pub facts: Arc<BlockFacts>,
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
    /// The module's top-level facts (imports, classes, functions).
    pub module: Arc<ModuleFacts>,
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
#[derive(Debug, Default, Clone)]
pub struct Analyzer {
    prev: Option<(Arc<str>, Blocks, Arc<ModuleFacts>)>,
    /// The blocks' name reads of `prev`, summed (for `annotation_only_imports`).
    uses: UseCounts,
    target: Option<Version>,
    file: FileRole,
}

/// Texts are compared a chunk at a time first: slice equality is a `memcmp`, many times
/// faster than a byte loop, and the whole file is compared on every keystroke.
const CHUNK: usize = 256;

fn common_prefix(a: &str, b: &str) -> usize {
    let (x, y) = (a.as_bytes(), b.as_bytes());
    let len = x.len().min(y.len());
    let mut n = 0;
    while n + CHUNK <= len && x[n..n + CHUNK] == y[n..n + CHUNK] {
        n += CHUNK;
    }
    n += x[n..len]
        .iter()
        .zip(&y[n..len])
        .take_while(|(p, q)| p == q)
        .count();
    // Back off to a character boundary of both (they agree up to n, so one check suffices).
    (0..=n).rev().find(|&i| b.is_char_boundary(i)).unwrap_or(0)
}

fn common_suffix(a: &str, b: &str, limit: usize) -> usize {
    let (x, y) = (a.as_bytes(), b.as_bytes());
    let len = x.len().min(y.len()).min(limit);
    let tail =
        |s: &[u8], n: usize, k: usize| -> std::ops::Range<usize> { s.len() - n - k..s.len() - n };
    let mut n = 0;
    while n + CHUNK <= len && x[tail(x, n, CHUNK)] == y[tail(y, n, CHUNK)] {
        n += CHUNK;
    }
    n += x[..x.len() - n]
        .iter()
        .rev()
        .zip(y[..y.len() - n].iter().rev())
        .take_while(|(p, q)| p == q)
        .count();
    let n = n.min(limit);
    (0..=n)
        .rev()
        .find(|&i| b.is_char_boundary(b.len() - i))
        .unwrap_or(0)
}

type Tree = Arc<Result<Vec<ast::Stmt>, SyntaxError>>;

fn parse_block(text: &str) -> (Tree, Arc<BlockFacts>) {
    let tree = syntax::parse_block(text);
    let facts = match &tree {
        Ok(stmts) => BlockFacts::of(stmts),
        Err(_) => BlockFacts::default(),
    };
    (Arc::new(tree), Arc::new(facts))
}

fn check_block(
    text: &str,
    tree: Tree,
    facts: Arc<BlockFacts>,
    target: Version,
    module: &ModuleFacts,
) -> BlockResult {
    let mut panic = None;
    let findings = match &*tree {
        Ok(stmts) => match catch_unwind(AssertUnwindSafe(|| {
            rules::check_block(stmts, text, target, module)
        })) {
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
            alternatives: Vec::new(),
        }],
    };
    BlockResult {
        tree,
        facts,
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
    /// An analyzer for a file in `file`'s role (see `FileRole::of_path`).
    pub fn for_file(file: FileRole) -> Analyzer {
        Analyzer {
            file,
            ..Analyzer::default()
        }
    }

    /// Changes the file's role (a document saved under a new name); the next analysis starts
    /// afresh if it differs.
    pub fn set_file(&mut self, file: FileRole) {
        if self.file != file {
            self.file = file;
            self.prev = None;
        }
    }

    pub fn analyze(&mut self, text: Arc<str>, target: Version) -> Snapshot {
        if self.target != Some(target) {
            self.prev = None;
            self.target = Some(target);
        }
        let (blocks, old, prev_module, prefix, tail, delta) = match self.prev.take() {
            Some((old_text, old, module)) => {
                let prefix = common_prefix(&old_text, &text);
                let suffix =
                    common_suffix(&old_text, &text, old_text.len().min(text.len()) - prefix);
                let old_blocks: Vec<Block> = old.iter().map(|(b, _)| *b).collect();
                let blocks = syntax::resegment(&old_blocks, old_text.len(), &text, prefix, suffix);
                let delta = text.len() as isize - old_text.len() as isize;
                (
                    blocks,
                    old,
                    Some(module),
                    prefix,
                    text.len() - suffix,
                    delta,
                )
            }
            None => (syntax::segment(&text), Vec::new(), None, 0, text.len(), 0),
        };
        let old_starts: Vec<usize> = old.iter().map(|(b, _)| b.start).collect();
        // An old block with the same text: same place before the edit, shifted place after it.
        let reuse = |b: &Block| -> Option<usize> {
            let old_start = if b.end <= prefix {
                b.start
            } else if b.start >= tail {
                (b.start as isize - delta) as usize
            } else {
                return None;
            };
            let k = old_starts.binary_search(&old_start).ok()?;
            let ob = &old[k].0;
            (ob.end - ob.start == b.end - b.start).then_some(k)
        };
        // A block that stops parsing while it is typed in keeps the facts of the old block at
        // its place: the module's facts stay equal, so the edit costs one block rather than a
        // re-check of the file, and findings elsewhere do not flicker until it parses again.
        let last_good_facts = |b: &Block| -> Option<Arc<BlockFacts>> {
            if b.start > prefix {
                return None;
            }
            let k = old_starts.binary_search(&b.start).ok()?;
            Some(old[k].1.facts.clone())
        };
        // Parse what is new; keep the rest.
        enum Slot {
            Kept(Arc<BlockResult>),
            Fresh(Tree, Arc<BlockFacts>),
        }
        let mut kept = vec![false; old.len()];
        let slots: Vec<(Block, Slot)> = blocks
            .into_iter()
            .map(|b| match reuse(&b) {
                Some(k) => {
                    kept[k] = true;
                    (b, Slot::Kept(old[k].1.clone()))
                }
                None => {
                    let (tree, mut facts) = parse_block(&text[b.start..b.end]);
                    if tree.is_err() {
                        if let Some(last) = last_good_facts(&b) {
                            facts = last;
                        }
                    }
                    (b, Slot::Fresh(tree, facts))
                }
            })
            .collect();
        // The module's facts change only if the blocks that went differ from those that came.
        let gone = old
            .iter()
            .zip(&kept)
            .filter(|(_, k)| !**k)
            .map(|((_, r), _)| &*r.facts);
        let came = slots.iter().filter_map(|(_, s)| match s {
            Slot::Fresh(_, f) => Some(&**f),
            Slot::Kept(_) => None,
        });
        // New facts can change any block's findings: then every block is checked again.
        let facts_of = |s: &Slot| match s {
            Slot::Kept(r) => r.facts.clone(),
            Slot::Fresh(_, f) => f.clone(),
        };
        // A new import goes after the leading docstring and `__future__` imports.
        let import_at = slots
            .iter()
            .enumerate()
            .find(|(i, (_, s))| {
                let f = facts_of(s);
                !(f.future_import || (f.docstring && *i == 0))
            })
            .map_or(text.len(), |(_, (b, _))| b.start);
        let import_needs_newline = import_at == text.len() && !text.ends_with(['\n', '\r']);
        // Which imports only annotations read: computed on every analysis (uses change with
        // most edits), but the blocks are checked again only when the answer changes.
        let postponed_by_target = target >= (3, 14);
        let all_facts = slots.iter().map(|(_, s)| match s {
            Slot::Kept(r) => &*r.facts,
            Slot::Fresh(_, f) => &**f,
        });
        let structure_same = gone.clone().eq(came.clone());
        let postponed = postponed_by_target
            || match &prev_module {
                Some(m) if structure_same => m.future_annotations,
                _ => all_facts.clone().any(|f| f.future_annotations),
            };
        // The reads of the blocks that went leave the sums, those of the blocks that came
        // join them (all of them when there is no previous analysis).
        let mut uses = match &prev_module {
            Some(_) => std::mem::take(&mut self.uses),
            None => UseCounts::default(),
        };
        gone.clone().for_each(|f| uses.remove(&f.uses));
        came.clone().for_each(|f| uses.add(&f.uses));
        let annotation_only = syntax::facts::annotation_only_imports(all_facts, &uses, postponed);
        self.uses = uses;
        let (module, recheck_all) = match prev_module {
            Some(m)
                if structure_same
                    && m.import_at == import_at
                    && m.import_needs_newline == import_needs_newline
                    && m.annotation_only == annotation_only =>
            {
                (m, false)
            }
            prev => {
                let mut merged = ModuleFacts::merge(slots.iter().map(|(_, s)| match s {
                    Slot::Kept(r) => &*r.facts,
                    Slot::Fresh(_, f) => &**f,
                }));
                merged.import_at = import_at;
                merged.import_needs_newline = import_needs_newline;
                merged.file = self.file;
                merged.annotation_only = annotation_only;
                match prev {
                    Some(m) if *m == merged => (m, false),
                    _ => (Arc::new(merged), true),
                }
            }
        };
        let mut out = Vec::with_capacity(slots.len());
        let mut findings = Vec::new();
        let mut fresh_blocks = 0;
        for (b, slot) in slots {
            let result = match slot {
                Slot::Kept(r) if !recheck_all => r,
                Slot::Kept(r) => Arc::new(check_block(
                    &text[b.start..b.end],
                    r.tree.clone(),
                    r.facts.clone(),
                    target,
                    &module,
                )),
                Slot::Fresh(tree, facts) => {
                    fresh_blocks += 1;
                    Arc::new(check_block(
                        &text[b.start..b.end],
                        tree,
                        facts,
                        target,
                        &module,
                    ))
                }
            };
            findings.extend(result.findings.iter().map(|f| f.clone().shifted(b.start)));
            out.push((b, result));
        }
        self.prev = Some((text.clone(), out.clone(), module.clone()));
        Snapshot {
            text,
            lines: OnceLock::new(),
            blocks: out,
            findings,
            fresh_blocks,
            module,
        }
    }
}

/// Analyses a text once, without keeping a cache, as an ordinary module.
pub fn analyze_once(text: &str, target: Version) -> Snapshot {
    analyze_file_once(text, target, FileRole::default())
}

/// Analyses a file once, without keeping a cache (the `check` command).
pub fn analyze_file_once(text: &str, target: Version, file: FileRole) -> Snapshot {
    Analyzer::for_file(file).analyze(Arc::from(text), target)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The chunked comparison agrees with a plain byte loop, across chunk edges and within
    /// multi-byte characters.
    #[test]
    fn common_prefix_and_suffix_match_a_byte_loop() {
        let slow_prefix = |a: &str, b: &str| {
            let n = a.bytes().zip(b.bytes()).take_while(|(x, y)| x == y).count();
            (0..=n).rev().find(|&i| b.is_char_boundary(i)).unwrap_or(0)
        };
        let slow_suffix = |a: &str, b: &str, limit: usize| {
            let n = a
                .bytes()
                .rev()
                .zip(b.bytes().rev())
                .take_while(|(x, y)| x == y)
                .count();
            let n = n.min(limit);
            (0..=n)
                .rev()
                .find(|&i| b.is_char_boundary(b.len() - i))
                .unwrap_or(0)
        };
        let base: String = "é_x = 1\n".repeat(200);
        for at in [0, 1, 2, 255, 256, 257, 511, 600, base.len() - 1] {
            for (insert, cut) in [("", true), ("a", false), ("é", false), ("日本", true)] {
                let mut other = base.clone();
                let at = (0..=at)
                    .rev()
                    .find(|&i| other.is_char_boundary(i))
                    .unwrap_or(0);
                other.insert_str(at, insert);
                if cut {
                    other.truncate(other.len() - 1);
                }
                let p = common_prefix(&base, &other);
                assert_eq!(p, slow_prefix(&base, &other), "prefix at {at} {insert:?}");
                let limit = base.len().min(other.len()) - p;
                assert_eq!(
                    common_suffix(&base, &other, limit),
                    slow_suffix(&base, &other, limit),
                    "suffix at {at} {insert:?}"
                );
            }
        }
    }

    const BASE: &str = "import os\n\n@dec\ndef f(a, b=[]):\n    \"\"\"doc\n    x = 1\n    \"\"\"\n    return a is 1\n\n\nclass C:\n    def __eq__(self, o):\n        return (o,\n                1)\n\ny = {\n  1: 2}\ndef g(x: t.List[int]): pass\nif y:\n    pass\nelse:\n    z = 'q' \\\n        'r'\n";
    const PIECES: [&str; 19] = [
        "import typing as t\n",
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
        "from __future__ import annotations\n",
        "from pathlib import Path\n",
        "def h(p: Path): pass\n",
        "Path()\n",
    ];

    /// An import added in one block changes what a rule says in another, unchanged one.
    #[test]
    fn module_facts_reach_unchanged_blocks() {
        let mut analyzer = Analyzer::default();
        let body = "def g(x: t.List[int]) -> None:\n    pass\n";
        let codes =
            |s: &Snapshot| -> Vec<&'static str> { s.findings.iter().map(|f| f.code).collect() };
        let before = analyzer.analyze(Arc::from(format!("import os\n\n{body}")), (3, 12));
        assert!(codes(&before).is_empty());
        let after = analyzer.analyze(Arc::from(format!("import typing as t\n\n{body}")), (3, 12));
        assert_eq!(codes(&after), ["PM0201"]);
        // An edit inside the function body leaves the facts alone: one block checked.
        let edited = analyzer.analyze(
            Arc::from(format!(
                "import typing as t\n\n{}",
                body.replace("pass", "return")
            )),
            (3, 12),
        );
        assert_eq!(edited.fresh_blocks, 1);
        assert_eq!(codes(&edited), ["PM0201"]);
    }

    /// Whether an import is read only in annotations is a module fact: a run-time read added
    /// in another block silences PM0236 on the unchanged import, and back.
    #[test]
    fn annotation_only_imports_follow_reads_in_other_blocks() {
        let mut analyzer = Analyzer::default();
        let head =
            "from __future__ import annotations\nfrom pathlib import Path\n\ndef f(p: Path):\n    ";
        let codes =
            |s: &Snapshot| -> Vec<&'static str> { s.findings.iter().map(|f| f.code).collect() };
        let a = analyzer.analyze(Arc::from(format!("{head}return p\n")), (3, 12));
        assert_eq!(codes(&a), ["PM0236"]);
        let b = analyzer.analyze(Arc::from(format!("{head}return Path(p)\n")), (3, 12));
        assert!(codes(&b).is_empty());
        let c = analyzer.analyze(Arc::from(format!("{head}return p  # x\n")), (3, 12));
        assert_eq!(codes(&c), ["PM0236"]);
        // A body edit that changes no import's status costs one block.
        let d = analyzer.analyze(Arc::from(format!("{head}return q\n")), (3, 12));
        assert_eq!(d.fresh_blocks, 1);
        assert_eq!(codes(&d), ["PM0236"]);
    }

    /// Typing through a syntax error inside a function re-checks that block only, and the
    /// other blocks keep what the module facts told them (here: `fetch` is an `async def`).
    #[test]
    fn a_block_that_stops_parsing_keeps_its_facts() {
        let mut analyzer = Analyzer::default();
        let fetch = "async def fetch():\n    x = 1\n    return x\n\n\n";
        let main = "def main():\n    fetch()\n";
        let codes =
            |s: &Snapshot| -> Vec<&'static str> { s.findings.iter().map(|f| f.code).collect() };
        let before = analyzer.analyze(Arc::from(format!("{fetch}{main}")), (3, 12));
        assert_eq!(codes(&before), ["PM1007", "PM1006"]);
        let typo = fetch.replace("    return", "     return");
        let broken = analyzer.analyze(Arc::from(format!("{typo}{main}")), (3, 12));
        assert_eq!(broken.fresh_blocks, 1);
        assert_eq!(codes(&broken), ["", "PM1006"]);
        let mended = analyzer.analyze(Arc::from(format!("{fetch}{main}")), (3, 12));
        assert_eq!(mended.fresh_blocks, 1);
        assert_eq!(codes(&mended), ["PM1007", "PM1006"]);
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 300, failure_persistence: None, ..ProptestConfig::default() })]

        /// Incremental re-analysis after any edit equals analysing the new text from scratch,
        /// whenever every block parses. (While one does not, it lends the other blocks the
        /// facts of its last good parse, which a fresh analysis cannot know.)
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
                if fresh.blocks.iter().all(|(_, r)| r.tree.is_ok()) {
                    prop_assert_eq!(&inc.findings, &fresh.findings);
                }
            }
        }
    }
}
