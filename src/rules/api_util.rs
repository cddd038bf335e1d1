//! What the chapter-10 and chapter-12 rules of this group share: a uniform view of a `def` or
//! `async def`, the class a method sits in, and the names a function scope binds.

use super::typing_names::last_name;
use super::{Ctx, Node};
use crate::syntax::ast::{self, Expr, Stmt};

/// A function definition, sync or async, seen the same way.
#[derive(Clone, Copy)]
pub struct Func<'a> {
    pub stmt: &'a Stmt,
    pub name: &'a str,
    pub args: &'a ast::Arguments,
    pub body: &'a [Stmt],
    pub decorators: &'a [Expr],
    pub returns: Option<&'a Expr>,
    pub is_async: bool,
}

impl<'a> Func<'a> {
    pub fn of(s: &'a Stmt) -> Option<Func<'a>> {
        match s {
            Stmt::FunctionDef(f) => Some(Func {
                stmt: s,
                name: f.name.as_str(),
                args: &f.args,
                body: &f.body,
                decorators: &f.decorator_list,
                returns: f.returns.as_deref(),
                is_async: false,
            }),
            Stmt::AsyncFunctionDef(f) => Some(Func {
                stmt: s,
                name: f.name.as_str(),
                args: &f.args,
                body: &f.body,
                decorators: &f.decorator_list,
                returns: f.returns.as_deref(),
                is_async: true,
            }),
            _ => None,
        }
    }

    /// Every parameter name, in order.
    pub fn params(&self) -> Vec<&'a str> {
        let a = self.args;
        let mut out: Vec<&str> = a
            .posonlyargs
            .iter()
            .chain(&a.args)
            .map(|p| p.def.arg.as_str())
            .collect();
        out.extend(a.vararg.iter().map(|p| p.arg.as_str()));
        out.extend(a.kwonlyargs.iter().map(|p| p.def.arg.as_str()));
        out.extend(a.kwarg.iter().map(|p| p.arg.as_str()));
        out
    }

    /// True when a decorator's last name is one of `names` (`abc.abstractmethod`, `overload`).
    pub fn decorated_with(&self, names: &[&str]) -> bool {
        self.decorators.iter().any(|d| {
            let d = match d {
                Expr::Call(c) => &*c.func,
                other => other,
            };
            last_name(d).is_some_and(|n| names.contains(&n))
        })
    }

    /// True for `@abstractmethod` (and its deprecated relatives).
    pub fn is_abstract(&self) -> bool {
        self.decorated_with(&[
            "abstractmethod",
            "abstractproperty",
            "abstractclassmethod",
            "abstractstaticmethod",
        ])
    }
}

/// The function the node being checked is the statement of, or sits directly in (no class
/// or lambda between), with the class it is a method of when it is one.
pub fn enclosing_func<'a>(ctx: &Ctx<'a>) -> Option<(Func<'a>, Option<&'a ast::StmtClassDef>)> {
    let mut it = ctx.parents.iter().rev().enumerate();
    for (i, p) in &mut it {
        match p {
            Node::Stmt(s @ (Stmt::FunctionDef(_) | Stmt::AsyncFunctionDef(_))) => {
                let f = Func::of(s)?;
                let n = ctx.parents.len() - 1 - i;
                let class = match n.checked_sub(1).and_then(|j| ctx.parents.get(j)) {
                    Some(Node::Stmt(Stmt::ClassDef(c))) => Some(c),
                    _ => None,
                };
                return Some((f, class));
            }
            Node::Stmt(Stmt::ClassDef(_)) | Node::Expr(Expr::Lambda(_)) => return None,
            _ => {}
        }
    }
    None
}

/// The class a function statement is a method of: the parent of `stmt` when `stmt` is the
/// node being checked.
pub fn method_class<'a>(ctx: &Ctx<'a>) -> Option<&'a ast::StmtClassDef> {
    match ctx.parents.last() {
        Some(Node::Stmt(Stmt::ClassDef(c))) => Some(c),
        _ => None,
    }
}

/// True when the function statement being checked sits inside another function (a closure):
/// not part of any public interface.
pub fn nested_in_function(ctx: &Ctx<'_>) -> bool {
    ctx.parents.iter().any(|p| {
        matches!(
            p,
            Node::Stmt(Stmt::FunctionDef(_) | Stmt::AsyncFunctionDef(_))
        )
    })
}

/// True for a name the book's conventions call public: no leading underscore, or a dunder.
pub fn is_public(name: &str) -> bool {
    !name.starts_with('_') || (name.starts_with("__") && name.ends_with("__"))
}

/// True for a test function or a method of a test class, judged by name (rules do not see
/// file paths): `test_*`, `setUp`-style hooks, classes named `Test*` or `*Test`/`*Tests`.
pub fn is_test_code(func: &str, class: Option<&str>) -> bool {
    func.starts_with("test")
        || matches!(
            func,
            "setUp" | "tearDown" | "setUpClass" | "tearDownClass" | "setUpModule"
        )
        || class
            .is_some_and(|c| c.starts_with("Test") || c.ends_with("Test") || c.ends_with("Tests"))
}
