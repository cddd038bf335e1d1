//! What the concurrency rules (chapters 8 to 10) share: which kind of function a node runs in,
//! and the qualified name a call's callee resolves to inside one block.

use super::typing_names::BlockNames;
use super::{Ctx, Node};
use crate::syntax::ast::{self, Expr, Stmt};
use crate::syntax::facts::ModuleFacts;
use crate::syntax::walk::{walk, Visitor};

/// The innermost `async def` around the current node, when no `def`, `lambda` or class body
/// stands between them (code there does not run in the coroutine).
pub fn enclosing_async<'a>(ctx: &Ctx<'a>) -> Option<&'a ast::StmtAsyncFunctionDef> {
    for p in ctx.parents.iter().rev() {
        match p {
            Node::Stmt(Stmt::AsyncFunctionDef(f)) => return Some(f),
            Node::Stmt(Stmt::FunctionDef(_) | Stmt::ClassDef(_)) | Node::Expr(Expr::Lambda(_)) => {
                return None
            }
            _ => {}
        }
    }
    None
}

/// The qualified name of a dotted expression: `time.sleep`, `subprocess.run` after
/// `from subprocess import run` (in the block or at the module's top level), or a bare name
/// nothing imports or defines (`input`, a builtin). None for a name the block binds itself or
/// the module defines as a class or function.
pub fn qualified(names: &BlockNames, module: &ModuleFacts, e: &Expr) -> Option<String> {
    let head = head_name(e)?;
    if names.assigns(head) {
        return None;
    }
    if names.binds(head) {
        let r = names.resolve(e)?;
        return Some(match r.module {
            Some(m) => format!("{m}.{}", r.member),
            None => r.member,
        });
    }
    if module.class(head).is_some() || module.functions_named(head).next().is_some() {
        return None;
    }
    module.imports.resolve(e)
}

/// The name a dotted expression starts with.
pub fn head_name(e: &Expr) -> Option<&str> {
    match e {
        Expr::Name(n) => Some(n.id.as_str()),
        Expr::Attribute(a) => head_name(&a.value),
        _ => None,
    }
}

/// True when the name `asyncio` is the module there: imported by the block or by the module,
/// and not bound otherwise in the block.
pub fn asyncio_usable(names: &BlockNames, module: &ModuleFacts) -> bool {
    !names.assigns("asyncio")
        && (names.binds("asyncio") || module.imports.imported("asyncio") == Some("asyncio"))
}

/// True when the node being checked is the whole value of an expression statement.
pub fn is_expr_stmt(node: Node<'_>, ctx: &Ctx<'_>) -> bool {
    let Node::Expr(e) = node else { return false };
    matches!(ctx.parents.last(), Some(Node::Stmt(Stmt::Expr(s))) if std::ptr::eq(&*s.value, e))
}

/// A simple binding of a name to the value of an expression: `name = value`,
/// `name: T = value`, or `with value as name`.
#[derive(Debug, Clone, Copy)]
pub struct Binding<'a> {
    pub name: &'a str,
    pub value: &'a Expr,
    /// True for `with value as name`.
    pub with_item: bool,
}

/// Every simple binding in `stmts` and the statements nested in them, in source order.
pub fn bindings(stmts: &[Stmt]) -> Vec<Binding<'_>> {
    struct V<'a> {
        out: Vec<Binding<'a>>,
    }
    impl<'a> Visitor<'a> for V<'a> {
        fn enter(&mut self, node: Node<'a>) -> bool {
            match node {
                Node::Stmt(Stmt::Assign(a)) => {
                    for t in &a.targets {
                        if let Expr::Name(n) = t {
                            self.out.push(Binding {
                                name: n.id.as_str(),
                                value: &a.value,
                                with_item: false,
                            });
                        }
                    }
                }
                Node::Stmt(Stmt::AnnAssign(a)) => {
                    if let (Expr::Name(n), Some(v)) = (&*a.target, &a.value) {
                        self.out.push(Binding {
                            name: n.id.as_str(),
                            value: v,
                            with_item: false,
                        });
                    }
                }
                Node::Stmt(Stmt::With(w)) => self.items(&w.items),
                Node::Stmt(Stmt::AsyncWith(w)) => self.items(&w.items),
                _ => {}
            }
            true
        }
        fn leave(&mut self, _node: Node<'a>) {}
    }
    impl<'a> V<'a> {
        fn items(&mut self, items: &'a [ast::WithItem]) {
            for i in items {
                if let Some(Expr::Name(n)) = i.optional_vars.as_deref() {
                    self.out.push(Binding {
                        name: n.id.as_str(),
                        value: &i.context_expr,
                        with_item: true,
                    });
                }
            }
        }
    }
    let mut v = V { out: Vec::new() };
    walk(stmts, &mut v);
    v.out
}

/// The top-level statement holding the node being checked, as a slice.
pub fn block_stmts<'a>(node: Node<'a>, ctx: &Ctx<'a>) -> &'a [Stmt] {
    match ctx.parents.first().copied().unwrap_or(node) {
        Node::Stmt(s) => std::slice::from_ref(s),
        Node::Expr(_) => &[],
    }
}

/// The qualified name of the function a call expression calls.
pub fn called(names: &BlockNames, module: &ModuleFacts, e: &Expr) -> Option<String> {
    match e {
        Expr::Call(c) => qualified(names, module, &c.func),
        _ => None,
    }
}

/// True when `pred` holds for some node of `stmts` that runs in their own scope: nested
/// `def`, `lambda` and class bodies are skipped.
pub fn any_in_scope<'a>(stmts: &'a [Stmt], pred: impl FnMut(Node<'a>) -> bool) -> bool {
    struct V<F> {
        pred: F,
        found: bool,
    }
    impl<'a, F: FnMut(Node<'a>) -> bool> Visitor<'a> for V<F> {
        fn enter(&mut self, node: Node<'a>) -> bool {
            if self.found {
                return false;
            }
            if matches!(
                node,
                Node::Stmt(Stmt::FunctionDef(_) | Stmt::AsyncFunctionDef(_) | Stmt::ClassDef(_))
                    | Node::Expr(Expr::Lambda(_))
            ) {
                return false;
            }
            if (self.pred)(node) {
                self.found = true;
                return false;
            }
            true
        }
        fn leave(&mut self, _node: Node<'a>) {}
    }
    let mut v = V { pred, found: false };
    walk(stmts, &mut v);
    v.found
}

/// True when the statements suspend somewhere in their own scope: `await`, `async for`,
/// `async with`.
pub fn suspends(stmts: &[Stmt]) -> bool {
    any_in_scope(stmts, |n| {
        matches!(
            n,
            Node::Expr(Expr::Await(_)) | Node::Stmt(Stmt::AsyncFor(_) | Stmt::AsyncWith(_))
        )
    })
}

/// Executor classes of `concurrent.futures`, by their qualified names.
pub const EXECUTORS: &[&str] = &[
    "concurrent.futures.ThreadPoolExecutor",
    "concurrent.futures.ProcessPoolExecutor",
    "concurrent.futures.thread.ThreadPoolExecutor",
    "concurrent.futures.process.ProcessPoolExecutor",
];

/// True when every binding of `name` in the block is to a call of one of `classes`
/// (and there is at least one).
pub fn bound_only_to(
    name: &str,
    block: &[Stmt],
    names: &BlockNames,
    module: &ModuleFacts,
    classes: &[&str],
) -> bool {
    let all = bindings(block);
    let mut mine = all.iter().filter(|b| b.name == name).peekable();
    mine.peek().is_some()
        && mine
            .all(|b| called(names, module, b.value).is_some_and(|q| classes.contains(&q.as_str())))
}
