//! Which knowledge entry the construct under the cursor points to. From the innermost node
//! outwards, each node proposes trigger keys (`name:asyncio.gather`, `dunder:__eq__`,
//! `kw:nonlocal`, ...); the first key the knowledge base knows wins. Where the block does not
//! parse, the word under the cursor is enough for keywords, dunders and dotted names.

use crate::analysis::Snapshot;
use crate::knowledge::{Entry, Knowledge, Section};
use crate::syntax::ast::{CmpOp, Constant, Expr, Operator, Stmt};
use crate::syntax::names::Imports;
use crate::syntax::walk::{walk, Node, Visitor};

/// The run of characters around `offset` that `keep` accepts.
fn run_at(text: &str, offset: usize, keep: impl Fn(char) -> bool) -> (usize, usize) {
    let start = text[..offset]
        .char_indices()
        .rev()
        .find(|&(_, c)| !keep(c))
        .map_or(0, |(i, c)| i + c.len_utf8());
    let end = text[offset..]
        .find(|c: char| !keep(c))
        .map_or(text.len(), |i| offset + i);
    (start, end)
}

/// The identifier around `offset`.
fn word_at(text: &str, offset: usize) -> (usize, usize) {
    run_at(text, offset, |c| c.is_alphanumeric() || c == '_')
}

/// The dotted name around `offset`.
fn dotted_at(text: &str, offset: usize) -> (usize, usize) {
    run_at(text, offset, |c| {
        c.is_alphanumeric() || c == '_' || c == '.'
    })
}

fn is_dunder(s: &str) -> bool {
    s.len() > 4 && s.starts_with("__") && s.ends_with("__")
}

fn next_word(text: &str, from: usize) -> &str {
    let rest = text[from..].trim_start_matches([' ', '\t']);
    let end = rest
        .find(|c: char| !(c.is_alphanumeric() || c == '_'))
        .unwrap_or(rest.len());
    &rest[..end]
}

fn prev_word(text: &str, before: usize) -> &str {
    let head = text[..before].trim_end_matches([' ', '\t']);
    let start = head
        .rfind(|c: char| !(c.is_alphanumeric() || c == '_'))
        .map_or(0, |i| i + 1);
    &head[start..]
}

/// A keyword key from the word and its neighbours, for two-word keywords.
fn keyword_key(text: &str, (s, e): (usize, usize)) -> Option<String> {
    let w = &text[s..e];
    let key = match w {
        "async" => match next_word(text, e) {
            k @ ("def" | "for" | "with") => format!("async {k}"),
            _ => return None,
        },
        "yield" if next_word(text, e) == "from" => "yield from".into(),
        "from" if prev_word(text, s) == "yield" => "yield from".into(),
        "is" if next_word(text, e) == "not" => "is not".into(),
        "not" if prev_word(text, s) == "is" => "is not".into(),
        "def" | "for" | "with" if prev_word(text, s) == "async" => format!("async {w}"),
        "nonlocal" | "global" | "yield" | "await" | "with" | "is" | "lambda" | "match" | "del"
        | "assert" | "raise" | "try" | "finally" | "class" | "def" | "import" | "for" | "while"
        | "in" => w.to_string(),
        _ => return None,
    };
    Some(format!("kw:{key}"))
}

/// Collects the nodes whose range contains the offset, outermost first.
struct Chain<'a> {
    offset: usize,
    nodes: Vec<Node<'a>>,
}

impl<'a> Visitor<'a> for Chain<'a> {
    fn enter(&mut self, node: Node<'a>) -> bool {
        let (mut s, e) = node.span();
        // A definition's range starts at `def`/`class`; its decorators sit above it.
        let decorators = match node {
            Node::Stmt(Stmt::FunctionDef(f)) => &f.decorator_list[..],
            Node::Stmt(Stmt::AsyncFunctionDef(f)) => &f.decorator_list[..],
            Node::Stmt(Stmt::ClassDef(c)) => &c.decorator_list[..],
            _ => &[],
        };
        if let Some(first) = decorators.first() {
            s = s.min(crate::syntax::span(first).0);
        }
        let inside = s <= self.offset && self.offset <= e;
        if inside {
            self.nodes.push(node);
        }
        inside
    }

    fn leave(&mut self, _node: Node<'a>) {}
}

/// Names that modules re-export under the canonical name the knowledge base uses.
fn canonical(name: &str) -> Vec<String> {
    let mut out = vec![name.to_string()];
    for (from, to) in [
        ("typing_extensions.", "typing."),
        ("collections.abc.", "typing."),
        ("typing.", "collections.abc."),
    ] {
        if let Some(rest) = name.strip_prefix(from) {
            out.push(format!("{to}{rest}"));
        }
    }
    out
}

/// Trigger keys proposed by one node, given the word under the cursor (block-relative).
fn node_keys(
    node: Node<'_>,
    chain: &[Node<'_>],
    src: &str,
    word: (usize, usize),
    imports: &Imports,
) -> Vec<String> {
    let w = &src[word.0..word.1];
    let kw = keyword_key(src, word);
    let mut keys = Vec::new();
    let in_decorator = |e: &Expr| {
        chain.iter().any(|n| match n {
            Node::Stmt(Stmt::FunctionDef(f)) => f
                .decorator_list
                .iter()
                .any(|d| std::ptr::eq(d, e) || contains(d, e)),
            Node::Stmt(Stmt::AsyncFunctionDef(f)) => f
                .decorator_list
                .iter()
                .any(|d| std::ptr::eq(d, e) || contains(d, e)),
            _ => false,
        })
    };
    match node {
        Node::Expr(e @ Expr::Name(n)) => {
            let id = n.id.as_str();
            if is_dunder(id) {
                keys.push(format!("dunder:{id}"));
            }
            if let Some(q) = imports.resolve(e) {
                keys.extend(canonical(&q).into_iter().map(|q| format!("name:{q}")));
            }
        }
        Node::Expr(e @ Expr::Attribute(a)) if word.0 >= crate::syntax::span(&*a.value).1 => {
            let attr = a.attr.as_str();
            if is_dunder(attr) {
                keys.push(format!("dunder:{attr}"));
            }
            if matches!(attr, "setter" | "getter" | "deleter") && in_decorator(e) {
                keys.push(format!("name:property.{attr}"));
            }
            if let Some(q) = imports.resolve(e) {
                keys.extend(canonical(&q).into_iter().map(|q| format!("name:{q}")));
            }
        }
        Node::Expr(Expr::Compare(c))
            if (w == "is" || w == "not")
                && c.ops.iter().any(|o| matches!(o, CmpOp::Is | CmpOp::IsNot)) =>
        {
            keys.extend(kw)
        }
        Node::Expr(Expr::BinOp(b)) if matches!(b.op, Operator::BitOr) && w.is_empty() => {
            let none =
                |e: &Expr| matches!(e, Expr::Constant(c) if matches!(c.value, Constant::None));
            if none(&b.left) || none(&b.right) || in_annotation(chain) {
                keys.push("syntax:union-pipe".into());
            }
        }
        Node::Expr(Expr::Lambda(_)) if w == "lambda" => keys.extend(kw),
        Node::Expr(Expr::Await(_)) if w == "await" => keys.extend(kw),
        Node::Expr(Expr::Yield(_)) if w == "yield" => keys.extend(kw),
        Node::Expr(Expr::YieldFrom(_)) if w == "yield" || w == "from" => keys.extend(kw),
        Node::Expr(Expr::ListComp(_) | Expr::SetComp(_) | Expr::DictComp(_)) => {
            keys.push("syntax:comprehension".into())
        }
        Node::Expr(Expr::GeneratorExp(_)) => keys.push("syntax:generator-expression".into()),
        Node::Expr(Expr::JoinedStr(_)) => keys.push("syntax:fstring".into()),
        Node::Expr(Expr::NamedExpr(_)) => keys.push("kw::=".into()),
        Node::Stmt(Stmt::FunctionDef(f)) => {
            if w == f.name.as_str() && is_dunder(w) {
                keys.push(format!("dunder:{w}"));
            }
            if w == "def" {
                keys.extend(kw);
            }
        }
        Node::Stmt(Stmt::AsyncFunctionDef(f)) => {
            if w == f.name.as_str() && is_dunder(w) {
                keys.push(format!("dunder:{w}"));
            }
            if w == "def" || w == "async" {
                keys.push("kw:async def".into());
            }
        }
        Node::Stmt(Stmt::Import(_) | Stmt::ImportFrom(_)) => {
            let (s, e) = dotted_at(src, word.0);
            let dotted = &src[s..e];
            let module = match node {
                Node::Stmt(Stmt::ImportFrom(i)) => i.module.as_ref().map(|m| m.as_str()),
                _ => None,
            };
            match module {
                Some(m) if dotted != m => keys.push(format!("name:{m}.{dotted}")),
                _ => keys.push(format!("name:{dotted}")),
            }
        }
        Node::Stmt(
            Stmt::Nonlocal(_)
            | Stmt::Global(_)
            | Stmt::With(_)
            | Stmt::AsyncWith(_)
            | Stmt::AsyncFor(_)
            | Stmt::For(_)
            | Stmt::While(_)
            | Stmt::Match(_)
            | Stmt::Try(_)
            | Stmt::TryStar(_)
            | Stmt::Assert(_)
            | Stmt::Raise(_)
            | Stmt::Delete(_)
            | Stmt::ClassDef(_),
        ) => keys.extend(kw),
        _ => {}
    }
    keys
}

fn contains(outer: &Expr, inner: &Expr) -> bool {
    let (a, b) = crate::syntax::span(outer);
    let (c, d) = crate::syntax::span(inner);
    a <= c && d <= b
}

/// True when the innermost enclosing annotation position holds the cursor's node.
fn in_annotation(chain: &[Node<'_>]) -> bool {
    let Some(Node::Expr(last)) = chain.last() else {
        return false;
    };
    chain.iter().any(|n| match n {
        Node::Stmt(Stmt::AnnAssign(a)) => contains(&a.annotation, last),
        Node::Stmt(Stmt::FunctionDef(f)) => {
            f.returns.as_deref().is_some_and(|r| contains(r, last))
                || f.args
                    .args
                    .iter()
                    .chain(&f.args.kwonlyargs)
                    .chain(&f.args.posonlyargs)
                    .any(|a| {
                        a.def
                            .annotation
                            .as_deref()
                            .is_some_and(|x| contains(x, last))
                    })
        }
        _ => false,
    })
}

/// Trigger keys at `offset`, most specific first (exposed for tests and diagnostics).
pub fn keys_at(snap: &Snapshot, imports: &Imports, offset: usize) -> (Vec<String>, (usize, usize)) {
    let Some((block, result)) = snap.block_at(offset) else {
        return (Vec::new(), (offset, offset));
    };
    let src = &snap.text[block.start..block.end];
    let rel = offset.saturating_sub(block.start).min(src.len());
    let word = word_at(src, rel);
    let abs = (block.start + word.0, block.start + word.1);
    match &*result.tree {
        Ok(stmts) => {
            let mut chain = Chain {
                offset: rel,
                nodes: Vec::new(),
            };
            walk(stmts, &mut chain);
            let mut keys = Vec::new();
            for i in (0..chain.nodes.len()).rev() {
                keys.extend(node_keys(
                    chain.nodes[i],
                    &chain.nodes[..=i],
                    src,
                    word,
                    imports,
                ));
            }
            (keys, abs)
        }
        Err(_) => {
            let w = &src[word.0..word.1];
            let mut keys: Vec<String> = keyword_key(src, word).into_iter().collect();
            if is_dunder(w) {
                keys.push(format!("dunder:{w}"));
            }
            let (s, e) = dotted_at(src, rel);
            let dotted = src[s..e].trim_matches('.');
            if !dotted.is_empty() && !w.is_empty() {
                // Up to the word under the cursor: `aio.gather(` on `aio` is the module.
                let upto = &src[s..word.1];
                let q = imports.resolve_text(upto.trim_matches('.'));
                keys.extend(canonical(&q).into_iter().map(|q| format!("name:{q}")));
            }
            (keys, abs)
        }
    }
}

/// The entry for the construct at `offset`: its hover range, the entry, secondary sections.
pub fn lookup<'k>(
    kb: &'k Knowledge,
    snap: &Snapshot,
    imports: &Imports,
    offset: usize,
) -> Option<((usize, usize), &'k Entry, Vec<&'k Section>)> {
    let (keys, range) = keys_at(snap, imports, offset);
    keys.iter()
        .find_map(|k| kb.lookup(k))
        .map(|(e, also)| (range, e, also))
}
