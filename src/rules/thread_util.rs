//! What the group-c rules (chapters 5 to 11: threads, locks, pools, pickling) share: telling a
//! lock from another object, finding calls of a method on a receiver, and the fix that wraps
//! the end of a body in a `with` statement.

use super::iter_util::{dotted_text, scan};
use super::source::{indent_unit, indentation, line_start, next_line_start, starts_line};
use super::typing_names::{last_name, BlockNames};
use super::{Ctx, Edit, Node};
use crate::syntax::ast::{ExceptHandler, Expr, Stmt};
use crate::syntax::facts::ModuleFacts;
use crate::syntax::span;

/// Lock classes, by their qualified names.
pub const LOCKS: &[&str] = &[
    "threading.Lock",
    "threading.RLock",
    "threading.Semaphore",
    "threading.BoundedSemaphore",
    "threading.Condition",
    "multiprocessing.Lock",
    "multiprocessing.RLock",
    "multiprocessing.Semaphore",
    "multiprocessing.BoundedSemaphore",
    "multiprocessing.Condition",
    "_thread.allocate_lock",
    "_thread.RLock",
];

/// True when `value` calls one of the lock classes (through the block's or module's imports).
pub fn is_lock_call(names: &BlockNames, module: &ModuleFacts, value: &Expr) -> bool {
    super::conc_common::called(names, module, value).is_some_and(|q| LOCKS.contains(&q.as_str()))
}

/// True when the receiver `recv` (its text `text`) is a lock: its last name says so
/// (`lock`, `_write_lock`, `self.mutex`), or the block assigns it from a lock class.
pub fn is_lock(
    source: &str,
    block: &[Stmt],
    names: &BlockNames,
    module: &ModuleFacts,
    recv: &Expr,
) -> bool {
    let Some(text) = dotted_text(source, recv) else {
        return false;
    };
    if last_name(recv).is_some_and(|n| {
        let l = n.to_ascii_lowercase();
        l.contains("lock") || l.contains("mutex")
    }) {
        return true;
    }
    let mut found = false;
    scan_all(block, |n| {
        if let Node::Stmt(Stmt::Assign(a)) = n {
            if a.targets
                .iter()
                .any(|t| dotted_text(source, t) == Some(text))
                && is_lock_call(names, module, &a.value)
            {
                found = true;
            }
        }
    });
    found
}

/// Calls `f` on every node of `stmts`, nested scopes included.
pub fn scan_all<'a>(stmts: &'a [Stmt], mut f: impl FnMut(Node<'a>)) {
    struct All<F>(F);
    impl<'a, F: FnMut(Node<'a>)> crate::syntax::walk::Visitor<'a> for All<F> {
        fn enter(&mut self, node: Node<'a>) -> bool {
            (self.0)(node);
            true
        }
        fn leave(&mut self, _node: Node<'a>) {}
    }
    crate::syntax::walk::walk(stmts, &mut All(&mut f));
}

/// When `e` is a call `<recv>.<method>(...)` with `method` among `methods`, the receiver.
pub fn method_call<'e>(e: &'e Expr, methods: &[&str]) -> Option<&'e Expr> {
    let Expr::Call(c) = e else { return None };
    let Expr::Attribute(a) = &*c.func else {
        return None;
    };
    methods.contains(&a.attr.as_str()).then_some(&*a.value)
}

/// True when the statements call `<text>.<method>()` for one of `methods`, outside nested
/// scopes, `text` being the receiver as written (`lock`, `self._lock`).
pub fn calls_on(source: &str, stmts: &[Stmt], text: &str, methods: &[&str]) -> bool {
    let mut found = false;
    scan(stmts, |n| {
        if let Node::Expr(e) = n {
            if method_call(e, methods).is_some_and(|r| dotted_text(source, r) == Some(text)) {
                found = true;
            }
        }
    });
    found
}

/// True when `s` is a `try` whose `finally` or one of whose handlers calls
/// `<text>.<method>()`: the clean-up also runs when the body raises.
pub fn try_calls_on(source: &str, s: &Stmt, text: &str, methods: &[&str]) -> bool {
    let (handlers, finalbody) = match s {
        Stmt::Try(t) => (&t.handlers, &t.finalbody),
        Stmt::TryStar(t) => (&t.handlers, &t.finalbody),
        _ => return false,
    };
    calls_on(source, finalbody, text, methods)
        || handlers.iter().any(|h| {
            let ExceptHandler::ExceptHandler(h) = h;
            calls_on(source, &h.body, text, methods)
        })
}

/// For a statement that takes a resource held by `text` (an `acquire()`, an `open()`): the
/// body holding it and its index there, when a later statement of that body cleans it up with
/// one of `methods` but only on the happy path. None when the statement is not in a function
/// (or sits in a class body), when an enclosing `try` cleans up, when nothing later does, and
/// when the clean-up follows at once or in a `try` right after (nothing in between can raise).
pub fn happy_path_cleanup<'a>(
    ctx: &Ctx<'a>,
    stmt: &Stmt,
    text: &str,
    methods: &[&str],
) -> Option<(&'a [Stmt], usize)> {
    let src = ctx.source;
    let body = ctx.body_holding(stmt)?;
    for p in ctx.parents.iter().rev() {
        let Node::Stmt(s) = p else { continue };
        match s {
            Stmt::FunctionDef(_) | Stmt::AsyncFunctionDef(_) => {
                let at = body.iter().position(|s| std::ptr::eq(s, stmt))?;
                let rest = &body[at + 1..];
                if !calls_on(src, rest, text, methods) {
                    return None;
                }
                return match rest.first() {
                    Some(Stmt::Expr(x)) if method_call(&x.value, methods).is_some() => None,
                    Some(next) if try_calls_on(src, next, text, methods) => None,
                    _ => Some((body, at)),
                };
            }
            Stmt::ClassDef(_) => return None,
            s if try_calls_on(src, s, text, methods) => return None,
            _ => {}
        }
    }
    None
}

/// True when the statements leave their body early: `return`, `break`, `continue`, `yield`
/// (outside nested scopes).
pub fn jumps(stmts: &[Stmt]) -> bool {
    let mut found = false;
    scan(stmts, |n| {
        if matches!(
            n,
            Node::Stmt(Stmt::Return(_) | Stmt::Break(_) | Stmt::Continue(_))
                | Node::Expr(Expr::Yield(_) | Expr::YieldFrom(_) | Expr::Await(_))
        ) {
            found = true;
        }
    });
    found
}

/// Edits that turn the lines of `head` (a statement alone on its lines) into `with <header>:`
/// and indent the lines of `inner` (the statements after it) under it, dropping `tail` (a
/// statement alone on its lines after `inner`) when given. `outer` is the statement whose
/// body holds them, for the indentation unit. None when a line cannot be re-indented safely
/// (a string or a continuation spanning lines) or statements share lines.
pub fn wrap_in_with(
    ctx: &Ctx<'_>,
    outer: Option<&Stmt>,
    head: &Stmt,
    header: &str,
    inner: &[Stmt],
    tail: Option<&Stmt>,
) -> Option<Vec<Edit>> {
    let src = ctx.source;
    let nl = ctx.newline();
    let (hs, he) = span(head);
    if !starts_line(src, hs) || !super::source::rest_of_line_blank(src, he) {
        return None;
    }
    let indent = indentation(src, hs).to_string();
    let head_from = line_start(src, hs);
    let head_to = next_line_start(src, he);
    let mut edits = vec![Edit {
        start: head_from,
        end: head_to,
        text: format!("{indent}with {header}:{nl}"),
    }];
    let outer_indent = outer.map_or("", |o| indentation(src, span(o).0));
    let inner_indent = inner
        .first()
        .map_or(indent.as_str(), |s| indentation(src, span(s).0));
    let unit = if outer_indent == indent {
        indent_unit(outer_indent, inner_indent)
    } else {
        indent_unit(outer_indent, &indent)
    };
    let region_end = match (inner.last(), tail) {
        (_, Some(t)) => line_start(src, span(t).0),
        (Some(l), None) => next_line_start(src, span(l).1),
        (None, None) => head_to,
    };
    if let Some(first) = inner.first() {
        if !starts_line(src, span(first).0) || span(first).0 < head_to {
            return None;
        }
        let region = src.get(head_to..region_end)?;
        // Indenting the lines of a string that spans lines would change its value.
        if region.contains("\"\"\"") || region.contains("'''") {
            return None;
        }
        let mut pos = head_to;
        while pos < region_end {
            let end = next_line_start(src, pos).min(region_end);
            let line = src.get(pos..end)?;
            if line.trim_end_matches(['\n', '\r']).ends_with('\\') {
                return None;
            }
            if !line.trim().is_empty() {
                edits.push(Edit {
                    start: pos,
                    end: pos,
                    text: unit.clone(),
                });
            }
            if end == pos {
                break;
            }
            pos = end;
        }
    } else {
        edits[0].text.push_str(&format!("{indent}{unit}pass{nl}"));
    }
    if let Some(t) = tail {
        let (ts, te) = span(t);
        if !starts_line(src, ts) || !super::source::rest_of_line_blank(src, te) {
            return None;
        }
        edits.push(Edit {
            start: line_start(src, ts),
            end: next_line_start(src, te),
            text: String::new(),
        });
    }
    Some(edits)
}

/// The keyword argument `name` of a call.
pub fn keyword<'e>(c: &'e crate::syntax::ast::ExprCall, name: &str) -> Option<&'e Expr> {
    c.keywords
        .iter()
        .find(|k| k.arg.as_ref().is_some_and(|a| a.as_str() == name))
        .map(|k| &k.value)
}

/// True for the constant `True`.
pub fn is_true(e: &Expr) -> bool {
    matches!(
        e,
        Expr::Constant(c) if matches!(c.value, crate::syntax::ast::Constant::Bool(true))
    )
}

/// The definition a thread's or pool's target names, when the block shows it: a function
/// `name` defined in the block (nested functions included), or `self.name` / `cls.name`, a
/// method of the class around the node being checked. None for anything else (a function of
/// another block, a lambda, an imported function).
pub fn target_def<'a>(ctx: &Ctx<'a>, block: &'a [Stmt], target: &Expr) -> Option<&'a Stmt> {
    match target {
        Expr::Name(n) => {
            let mut found = None;
            scan_all(block, |node| {
                if let Node::Stmt(s @ (Stmt::FunctionDef(_) | Stmt::AsyncFunctionDef(_))) = node {
                    if def_name(s) == Some(n.id.as_str()) {
                        found = Some(s);
                    }
                }
            });
            found
        }
        Expr::Attribute(a) => {
            let Expr::Name(recv) = &*a.value else {
                return None;
            };
            if !matches!(recv.id.as_str(), "self" | "cls") {
                return None;
            }
            let class = ctx.parents.iter().rev().find_map(|p| match p {
                Node::Stmt(Stmt::ClassDef(c)) => Some(c),
                _ => None,
            })?;
            class
                .body
                .iter()
                .find(|s| def_name(s) == Some(a.attr.as_str()))
        }
        _ => None,
    }
}

/// The name of a `def` or `async def`.
pub fn def_name(s: &Stmt) -> Option<&str> {
    match s {
        Stmt::FunctionDef(f) => Some(f.name.as_str()),
        Stmt::AsyncFunctionDef(f) => Some(f.name.as_str()),
        _ => None,
    }
}

/// The body of a `def` or `async def`.
pub fn def_body(s: &Stmt) -> &[Stmt] {
    match s {
        Stmt::FunctionDef(f) => &f.body,
        Stmt::AsyncFunctionDef(f) => &f.body,
        _ => &[],
    }
}

/// Thread classes, by their qualified names.
const THREADS: &[&str] = &["threading.Thread"];

/// True when `e` is a call of `threading.Thread` (through the block's or module's imports).
pub fn is_thread_call(names: &BlockNames, module: &ModuleFacts, e: &Expr) -> bool {
    super::conc_common::called(names, module, e).is_some_and(|q| THREADS.contains(&q.as_str()))
}

/// The statements the node being checked runs among: the innermost function's body, or the
/// top-level block.
pub fn scope_stmts<'a>(node: Node<'a>, ctx: &Ctx<'a>) -> &'a [Stmt] {
    match super::iter_util::enclosing_function(ctx) {
        Some((_, body, _)) => body,
        None => super::conc_common::block_stmts(node, ctx),
    }
}

/// The name a call's value is assigned to, when the call is the whole value of `name = call`.
pub fn assigned_name<'a>(ctx: &Ctx<'a>, call: &Expr) -> Option<&'a str> {
    match ctx.parents.last()? {
        Node::Stmt(Stmt::Assign(a)) if std::ptr::eq(&*a.value, call) => match &a.targets[..] {
            [Expr::Name(n)] => Some(n.id.as_str()),
            _ => None,
        },
        _ => None,
    }
}
