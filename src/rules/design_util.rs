//! What the chapter 13 to 16 rules (design, code organisation, packaging, performance) share:
//! recognising method calls without arguments, finding the dot of an attribute in the text,
//! and asking whether a name is read or rebound in some code.

use super::iter_util::scan_expr;
use super::typing_names::BlockNames;
use super::{Ctx, Node};
use crate::syntax::ast::{self, Expr, ExprContext, Stmt};
use crate::syntax::facts::ModuleFacts;
use crate::syntax::walk::{walk, Visitor};

/// The receiver of `recv.method()` called with no arguments at all.
pub fn bare_method_call<'a>(e: &'a Expr, method: &str) -> Option<&'a Expr> {
    let Expr::Call(c) = e else { return None };
    if !c.args.is_empty() || !c.keywords.is_empty() {
        return None;
    }
    match &*c.func {
        Expr::Attribute(a) if a.attr.as_str() == method => Some(&a.value),
        _ => None,
    }
}

/// The offset of the `.` that starts attribute `attr` (a `recv.name` expression), found in the
/// text after the receiver, so that `(a or b).keys` gives the dot after the parenthesis.
pub fn attribute_dot(source: &str, attr: &ast::ExprAttribute) -> Option<usize> {
    let (_, v1) = crate::syntax::span(&*attr.value);
    let (_, a1) = crate::syntax::span(attr);
    let between = source.get(v1..a1)?;
    let name_at = between.rfind(attr.attr.as_str())?;
    let dot = between[..name_at].rfind('.')?;
    // Only whitespace, comments, line continuations or closing brackets before the dot.
    between[..dot]
        .lines()
        .all(|l| {
            let t = l.split('#').next().unwrap_or("").trim();
            t.chars().all(|c| c == ')' || c == '\\')
        })
        .then_some(v1 + dot)
}

/// True when some name node of `stmts` (nested scopes included) satisfies `pred`.
pub fn any_name_in<'a>(stmts: &'a [Stmt], mut pred: impl FnMut(&'a ast::ExprName) -> bool) -> bool {
    struct V<F> {
        pred: F,
        found: bool,
    }
    impl<'a, F: FnMut(&'a ast::ExprName) -> bool> Visitor<'a> for V<F> {
        fn enter(&mut self, node: Node<'a>) -> bool {
            if let Node::Expr(Expr::Name(n)) = node {
                self.found |= (self.pred)(n);
            }
            !self.found
        }
        fn leave(&mut self, _node: Node<'a>) {}
    }
    let mut v = V {
        pred: &mut pred,
        found: false,
    };
    walk(stmts, &mut v);
    v.found
}

/// True when `name` is read anywhere in `stmts`, nested scopes included.
pub fn reads_name(stmts: &[Stmt], name: &str) -> bool {
    any_name_in(stmts, |n| {
        n.id.as_str() == name && matches!(n.ctx, ExprContext::Load)
    })
}

/// True when `name` is read anywhere in `e` (lambdas included).
pub fn expr_reads_name(e: &Expr, name: &str) -> bool {
    let mut found = false;
    scan_expr(e, &mut |x| match x {
        Expr::Name(n) if n.id.as_str() == name => found = true,
        Expr::Lambda(l) => found |= expr_reads_name(&l.body, name),
        _ => {}
    });
    found
}

/// The loops (`for`, `while`, `async for`) around the node being checked, innermost first,
/// up to the nearest def, class or lambda.
pub fn enclosing_loops<'a>(ctx: &Ctx<'a>) -> Vec<&'a Stmt> {
    let mut out = Vec::new();
    for p in ctx.parents.iter().rev() {
        match p {
            Node::Stmt(s @ (Stmt::For(_) | Stmt::AsyncFor(_) | Stmt::While(_))) => out.push(*s),
            Node::Stmt(Stmt::FunctionDef(_) | Stmt::AsyncFunctionDef(_) | Stmt::ClassDef(_))
            | Node::Expr(Expr::Lambda(_)) => break,
            _ => {}
        }
    }
    out
}

/// The text of an expression.
pub fn text_of<'s>(source: &'s str, e: &Expr) -> &'s str {
    let (s, t) = crate::syntax::span(e);
    source.get(s..t).unwrap_or("")
}

/// An expression's text for a message: itself when short and on one line, else `…`.
pub fn short(text: &str) -> &str {
    if text.len() <= 40 && !text.contains(['\n', '\r']) {
        text
    } else {
        "…"
    }
}

/// True when `name` still means the builtin of that name here: neither the block nor the
/// module binds or imports it.
pub fn builtin_here(names: &BlockNames, module: &ModuleFacts, name: &str) -> bool {
    !names.binds(name)
        && module.class(name).is_none()
        && module.functions_named(name).next().is_none()
        && module.imports.imported(name).is_none()
}

/// The single positional argument of a call to the builtin `func` (no keywords unless
/// `keywords` allows them by name, no `*args`).
pub fn builtin_call_arg<'a>(
    e: &'a Expr,
    func: &str,
    keywords: &[&str],
    names: &BlockNames,
    module: &ModuleFacts,
) -> Option<&'a Expr> {
    let Expr::Call(c) = e else { return None };
    let Expr::Name(f) = &*c.func else { return None };
    if f.id.as_str() != func || !builtin_here(names, module, func) {
        return None;
    }
    let [arg] = &c.args[..] else { return None };
    if matches!(arg, Expr::Starred(_))
        || c.keywords.iter().any(|k| {
            !k.arg
                .as_ref()
                .is_some_and(|a| keywords.contains(&a.as_str()))
        })
    {
        return None;
    }
    Some(arg)
}

/// True when some call of `stmts` (nested scopes included) satisfies `pred`.
pub fn any_call_in(stmts: &[Stmt], mut pred: impl FnMut(&ast::ExprCall) -> bool) -> bool {
    let mut found = false;
    walk(
        stmts,
        &mut Calls {
            f: |c: &ast::ExprCall| found |= pred(c),
        },
    );
    found
}

struct Calls<F> {
    f: F,
}

impl<'a, F: FnMut(&'a ast::ExprCall)> Visitor<'a> for Calls<F> {
    fn enter(&mut self, node: Node<'a>) -> bool {
        if let Node::Expr(Expr::Call(c)) = node {
            (self.f)(c);
        }
        true
    }
    fn leave(&mut self, _node: Node<'a>) {}
}

/// True when `name` is a parameter of the function statement `f`.
pub fn is_parameter(f: &Stmt, name: &str) -> bool {
    let args = match f {
        Stmt::FunctionDef(d) => &d.args,
        Stmt::AsyncFunctionDef(d) => &d.args,
        _ => return false,
    };
    args.posonlyargs
        .iter()
        .chain(&args.args)
        .chain(&args.kwonlyargs)
        .any(|a| a.def.arg.as_str() == name)
        || args
            .vararg
            .iter()
            .chain(&args.kwarg)
            .any(|a| a.arg.as_str() == name)
}
