//! What the logging, resilience and observability rules (chapters 17, 18 and 20) share:
//! telling a logger from other objects, reading a logging call's level and message, finding
//! the `except` handler around a node, adding a keyword argument to a call, and recognising
//! retry loops.

use super::conc_common::{bindings, block_stmts, qualified};
use super::iter_util::opens_scope;
use super::typing_names::BlockNames;
use super::{Ctx, Edit, Node};
use crate::syntax::ast::{self, Constant, Expr, Stmt};
use crate::syntax::span;
use crate::syntax::walk::{walk, Visitor};

/// Logger methods that take a message (and its `%` arguments) first.
pub const LEVEL_METHODS: &[&str] = &[
    "debug",
    "info",
    "warning",
    "warn",
    "error",
    "exception",
    "critical",
    "fatal",
];

/// A call of a logging method on a logger or on the `logging` module.
pub struct LogCall<'a> {
    pub call: &'a ast::ExprCall,
    /// The method name (`info`, `error`, `log`).
    pub method: &'a str,
    /// Called on the `logging` module itself, which logs through the root logger.
    pub root: bool,
    /// Position of the message among the positional arguments (1 for `log(level, msg)`).
    pub msg_index: usize,
}

impl<'a> LogCall<'a> {
    pub fn msg(&self) -> Option<&'a Expr> {
        self.call.args.get(self.msg_index)
    }
}

/// The node as a logging call: `logging.info(...)`, `logger.error(...)`, `self.log.debug(...)`,
/// `logging.getLogger(__name__).warning(...)`, `log.log(level, ...)`.
pub fn log_call<'a>(node: Node<'a>, ctx: &Ctx<'a>) -> Option<LogCall<'a>> {
    let Node::Expr(Expr::Call(call)) = node else {
        return None;
    };
    let Expr::Attribute(a) = &*call.func else {
        return None;
    };
    let method = a.attr.as_str();
    let msg_index = match method {
        "log" => 1,
        m if LEVEL_METHODS.contains(&m) => 0,
        _ => return None,
    };
    let names = BlockNames::of_block(node, ctx);
    let root = matches!(&*a.value, Expr::Name(_))
        && qualified(&names, ctx.module, &call.func)
            .is_some_and(|q| q == format!("logging.{method}"));
    if !root && !is_logger(&a.value, node, ctx, &names) {
        return None;
    }
    Some(LogCall {
        call,
        method,
        root,
        msg_index,
    })
}

/// A `logging.getLogger(...)` call, or a name that reads as a logger (`logger`, `log`,
/// `self._logger`, `LOGGER`, `audit_log`), or a name the block binds to `getLogger(...)`.
/// A name imported from another module (`from distutils import log`) is not a logger.
pub fn is_logger(e: &Expr, node: Node<'_>, ctx: &Ctx<'_>, names: &BlockNames) -> bool {
    let name = match e {
        Expr::Name(n) => n.id.as_str(),
        Expr::Attribute(a) => a.attr.as_str(),
        Expr::Call(_) => return is_get_logger(e, names, ctx),
        _ => return false,
    };
    if let Expr::Name(_) = e {
        if names.binds(name) && !names.assigns(name) {
            // Imported: only `logging` itself (handled by the caller) would be a logging API.
            return false;
        }
        if bindings(block_stmts(node, ctx))
            .iter()
            .any(|b| b.name == name && !b.with_item && is_get_logger(b.value, names, ctx))
        {
            return true;
        }
    }
    conventional_logger_name(name)
}

/// `logging.getLogger(...)`, however `logging` was imported.
pub fn is_get_logger(e: &Expr, names: &BlockNames, ctx: &Ctx<'_>) -> bool {
    match e {
        Expr::Call(c) => {
            qualified(names, ctx.module, &c.func).is_some_and(|q| q == "logging.getLogger")
        }
        _ => false,
    }
}

fn conventional_logger_name(name: &str) -> bool {
    let lower = name.trim_start_matches('_').to_ascii_lowercase();
    lower == "log" || lower == "logger" || lower.ends_with("_logger") || lower.ends_with("_log")
}

/// The innermost `except` handler whose body holds the node being checked, unless a `def`,
/// `lambda` or class stands between them (that code runs later, outside the handler).
pub fn enclosing_handler<'a>(
    node: Node<'a>,
    ctx: &Ctx<'a>,
) -> Option<&'a ast::ExceptHandlerExceptHandler> {
    let at = node.span().0;
    for p in ctx.parents.iter().rev() {
        if opens_scope(*p) {
            return None;
        }
        let handlers = match p {
            Node::Stmt(Stmt::Try(t)) => &t.handlers,
            Node::Stmt(Stmt::TryStar(t)) => &t.handlers,
            _ => continue,
        };
        for h in handlers {
            let ast::ExceptHandler::ExceptHandler(h) = h;
            let body_start = h.body.first().map_or(usize::MAX, |s| span(s).0);
            let (_, end) = span(h);
            if at >= body_start && at < end {
                return Some(h);
            }
        }
    }
    None
}

/// True when a handler catches everything an application can fail with: bare `except:`,
/// `Exception`, `BaseException`, or a tuple holding one of them.
pub fn is_broad_handler(
    h: &ast::ExceptHandlerExceptHandler,
    names: &BlockNames,
    ctx: &Ctx<'_>,
) -> bool {
    fn broad(e: &Expr, names: &BlockNames, ctx: &Ctx<'_>) -> bool {
        match e {
            Expr::Name(n) => {
                matches!(n.id.as_str(), "Exception" | "BaseException")
                    && !names.binds(&n.id)
                    && ctx.module.class(&n.id).is_none()
                    && ctx.module.imports.imported(&n.id).is_none()
            }
            Expr::Attribute(a) => {
                matches!(a.attr.as_str(), "Exception" | "BaseException")
                    && matches!(&*a.value, Expr::Name(m) if m.id.as_str() == "builtins")
            }
            Expr::Tuple(t) => t.elts.iter().any(|x| broad(x, names, ctx)),
            _ => false,
        }
    }
    match &h.type_ {
        None => true,
        Some(t) => broad(t, names, ctx),
    }
}

/// True when a call passes `**kwargs`, which may hold any keyword.
pub fn has_double_star(call: &ast::ExprCall) -> bool {
    call.keywords.iter().any(|k| k.arg.is_none())
}

/// The keyword argument `name` of a call.
pub fn keyword<'a>(call: &'a ast::ExprCall, name: &str) -> Option<&'a ast::Keyword> {
    call.keywords
        .iter()
        .find(|k| k.arg.as_deref() == Some(name))
}

/// An edit that adds the keyword argument `text` (`check=True`) as the last argument of a
/// call: after the last argument, or inside empty parentheses. None when the call's text does
/// not end with `)`.
pub fn add_keyword(ctx: &Ctx<'_>, call: &ast::ExprCall, text: &str) -> Option<Edit> {
    let (s, t) = span(call);
    let close = t.checked_sub(1)?;
    if ctx.source.get(close..t) != Some(")") || close < s {
        return None;
    }
    // `f(x for x in y)`: another argument would need the generator in its own parentheses.
    if let [g @ Expr::GeneratorExp(_)] = &call.args[..] {
        if ctx.source.get(span(g).0..span(g).0 + 1) != Some("(") {
            return None;
        }
    }
    let last = call
        .args
        .iter()
        .map(|a| span(a).1)
        .chain(call.keywords.iter().map(|k| span(k).1))
        .max();
    Some(match last {
        Some(end) => Edit {
            start: end,
            end,
            text: format!(", {text}"),
        },
        None => {
            let open = span(&*call.func).1;
            // Only `f()` with nothing but blanks between the parentheses.
            let inside = ctx.source.get(open..close)?;
            if inside.trim_start().strip_prefix('(')?.trim().is_empty() {
                Edit {
                    start: close,
                    end: close,
                    text: text.to_string(),
                }
            } else {
                return None;
            }
        }
    })
}

/// A literal string (not bytes, not an f-string).
pub fn str_constant(e: &Expr) -> Option<&str> {
    match e {
        Expr::Constant(c) => match &c.value {
            Constant::Str(s) => Some(s.as_str()),
            _ => None,
        },
        _ => None,
    }
}

/// A loop that retries an operation until it succeeds: `while True:` or
/// `for _ in range(n):` (a loop variable named `_` or like `attempt`, `retry`, `tries`) whose
/// body holds a `try` that leaves the loop on success (`break` or `return` in the `try` body or
/// its `else`) and a handler that goes round again (it ends neither in `raise`, `return` nor
/// `break`). Not a retry loop: handlers for `InterruptedError` alone (the system call is simply
/// restarted), and loops that ask the user again (`input()` in the `try` body).
pub struct RetryLoop<'a> {
    pub body: &'a [Stmt],
    /// `while True:` rather than a counted `for` loop.
    pub forever: bool,
    /// The handlers that go round again.
    pub retrying: Vec<&'a ast::ExceptHandlerExceptHandler>,
    /// The `try` statements holding those handlers.
    pub tries: Vec<&'a Stmt>,
    /// The end of the loop's header (`while True` / `for a in range(3)`), for the range.
    pub header_end: usize,
}

pub fn retry_loop(stmt: &Stmt) -> Option<RetryLoop<'_>> {
    let (body, forever, header_end) = match stmt {
        Stmt::While(w) if truthy_constant(&w.test) => (&w.body[..], true, span(&*w.test).1),
        Stmt::For(f) if is_range_call(&f.iter) && retry_counter(&f.target) => {
            (&f.body[..], false, span(&*f.iter).1)
        }
        _ => return None,
    };
    let mut retrying = Vec::new();
    let mut tries = Vec::new();
    for s in body {
        let (tbody, orelse, handlers) = match s {
            Stmt::Try(t) => (&t.body, &t.orelse, &t.handlers),
            Stmt::TryStar(t) => (&t.body, &t.orelse, &t.handlers),
            _ => continue,
        };
        // Success leaves the loop unconditionally: the `try` body or its `else` ends in
        // `break` or `return`.
        let exits = |b: &[Stmt]| matches!(b.last(), Some(Stmt::Break(_) | Stmt::Return(_)));
        if !exits(tbody) && !exits(orelse) {
            continue;
        }
        // Asking the user again, or moving on to the next item, is not a retry.
        if calls_named(tbody, &["input", "getpass"]) || calls_exactly(tbody, "next") {
            continue;
        }
        let read = loaded_names(tbody);
        let before = retrying.len();
        for h in handlers {
            let ast::ExceptHandler::ExceptHandler(h) = h;
            let gives_up = matches!(
                h.body.last(),
                Some(Stmt::Raise(_) | Stmt::Return(_) | Stmt::Break(_))
            );
            let not_a_failure = h.type_.as_deref().is_some_and(|t| {
                super::typing_names::last_name(t).is_some_and(|n| NOT_FAILURES.contains(&n))
            });
            // A handler that changes what the `try` reads makes the next attempt a different one.
            let changes_input = stored_names(&h.body).iter().any(|n| read.contains(n));
            if !gives_up && !not_a_failure && !changes_input {
                retrying.push(h);
            }
        }
        if retrying.len() > before {
            tries.push(s);
        }
    }
    if retrying.is_empty() {
        return None;
    }
    Some(RetryLoop {
        body,
        forever,
        retrying,
        tries,
        header_end,
    })
}

/// Exceptions that signal something other than a failed attempt: a restarted system call, the
/// end of an iteration, a cancellation or an exit request, a socket not ready yet.
const NOT_FAILURES: &[&str] = &[
    "InterruptedError",
    "StopIteration",
    "StopAsyncIteration",
    "KeyboardInterrupt",
    "SystemExit",
    "GeneratorExit",
    "CancelledError",
    "BlockingIOError",
];

/// True when `stmts` call the bare name `name` (`next(it)`) in their own scope.
fn calls_exactly(stmts: &[Stmt], name: &str) -> bool {
    super::conc_common::any_in_scope(
        stmts,
        |n| matches!(n, Node::Expr(Expr::Call(c)) if matches!(&*c.func, Expr::Name(f) if f.id.as_str() == name)),
    )
}

/// Names read in `stmts`, nested scopes included.
fn loaded_names(stmts: &[Stmt]) -> Vec<String> {
    names_in(stmts, true)
}

/// Names assigned in `stmts`, nested scopes included.
fn stored_names(stmts: &[Stmt]) -> Vec<String> {
    names_in(stmts, false)
}

fn names_in(stmts: &[Stmt], load: bool) -> Vec<String> {
    struct V {
        load: bool,
        out: Vec<String>,
    }
    impl<'a> Visitor<'a> for V {
        fn enter(&mut self, node: Node<'a>) -> bool {
            if let Node::Expr(Expr::Name(n)) = node {
                if matches!(n.ctx, ast::ExprContext::Load) == self.load {
                    self.out.push(n.id.to_string());
                }
            }
            true
        }
        fn leave(&mut self, _node: Node<'a>) {}
    }
    let mut v = V {
        load,
        out: Vec::new(),
    };
    walk(stmts, &mut v);
    v.out
}

/// A loop variable that counts attempts: `_`, `attempt`, `retry`, `tries`, `n_try`...
fn retry_counter(target: &Expr) -> bool {
    let Expr::Name(n) = target else {
        return false;
    };
    let id = n.id.as_str().trim_start_matches('_').to_ascii_lowercase();
    id.is_empty()
        || ["attempt", "retr", "tries", "try", "trial"]
            .iter()
            .any(|w| id.contains(w))
}

/// True when `stmts` call, in their own scope, a function whose last name contains one of
/// `words` (`time.sleep`, `await asyncio.sleep`, `backoff.wait`).
pub fn calls_named(stmts: &[Stmt], words: &[&str]) -> bool {
    super::conc_common::any_in_scope(stmts, |n| match n {
        Node::Expr(Expr::Call(c)) => {
            let Some(name) = super::typing_names::last_name(&c.func) else {
                return false;
            };
            let lower = name.to_ascii_lowercase();
            words.iter().any(|w| lower.contains(w))
        }
        _ => false,
    })
}

fn truthy_constant(e: &Expr) -> bool {
    match e {
        Expr::Constant(c) => match &c.value {
            Constant::Bool(b) => *b,
            Constant::Int(i) => i.to_string() != "0",
            _ => false,
        },
        _ => false,
    }
}

fn is_range_call(e: &Expr) -> bool {
    matches!(e, Expr::Call(c) if matches!(&*c.func, Expr::Name(n) if n.id.as_str() == "range"))
}

/// True when `stmts` hold a `raise`, a `return`, or a `break` of the loop around them: some
/// way to stop going round.
pub fn can_stop(stmts: &[Stmt]) -> bool {
    super::iter_util::any_stmt_by_loop(stmts, |s, own| {
        matches!(s, Stmt::Return(_) | Stmt::Raise(_)) || (own && matches!(s, Stmt::Break(_)))
    })
}

/// True when the node runs as a script's entry point rather than as library code: under
/// `if __name__ == "__main__":`, in a function named `main` (or `_main`), or in a module that
/// defines a top-level `main` function.
pub fn script_context(ctx: &Ctx<'_>) -> bool {
    if ctx.module.functions_named("main").next().is_some() {
        return true;
    }
    ctx.parents.iter().any(|p| match p {
        Node::Stmt(Stmt::If(i)) => is_main_guard(&i.test),
        Node::Stmt(Stmt::FunctionDef(f)) => matches!(f.name.as_str(), "main" | "_main"),
        Node::Stmt(Stmt::AsyncFunctionDef(f)) => matches!(f.name.as_str(), "main" | "_main"),
        _ => false,
    })
}

/// `__name__ == "__main__"`, either way round.
pub fn is_main_guard(test: &Expr) -> bool {
    let Expr::Compare(c) = test else {
        return false;
    };
    if c.ops.len() != 1 || c.ops[0] != ast::CmpOp::Eq || c.comparators.len() != 1 {
        return false;
    }
    let is_name = |e: &Expr| matches!(e, Expr::Name(n) if n.id.as_str() == "__name__");
    let is_main = |e: &Expr| str_constant(e) == Some("__main__");
    let (l, r) = (&*c.left, &c.comparators[0]);
    (is_name(l) && is_main(r)) || (is_main(l) && is_name(r))
}
