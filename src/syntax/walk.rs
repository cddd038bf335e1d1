//! A walk over a block's tree that hands every statement and expression, parents first, to a
//! visitor. The rule engine and the hover lookup both stand on it.

use super::ast::{self, Expr, Stmt};

#[derive(Debug, Clone, Copy)]
pub enum Node<'a> {
    Stmt(&'a Stmt),
    Expr(&'a Expr),
}

impl Node<'_> {
    pub fn span(&self) -> (usize, usize) {
        match self {
            Node::Stmt(s) => super::span(*s),
            Node::Expr(e) => super::span(*e),
        }
    }
}

pub trait Visitor<'a> {
    /// Called before a node's children; returning false skips them.
    fn enter(&mut self, node: Node<'a>) -> bool;
    /// Called after a node's children (only for nodes whose `enter` returned true).
    fn leave(&mut self, node: Node<'a>);
}

pub fn walk<'a, V: Visitor<'a>>(body: &'a [Stmt], v: &mut V) {
    stmts(body, v);
}

fn stmts<'a, V: Visitor<'a>>(body: &'a [Stmt], v: &mut V) {
    for s in body {
        stmt(s, v);
    }
}

fn exprs<'a, V: Visitor<'a>>(list: &'a [Expr], v: &mut V) {
    for e in list {
        expr(e, v);
    }
}

fn opt<'a, V: Visitor<'a>>(e: &'a Option<Box<Expr>>, v: &mut V) {
    if let Some(e) = e {
        expr(e, v);
    }
}

fn arguments<'a, V: Visitor<'a>>(a: &'a ast::Arguments, v: &mut V) {
    for arg in a.posonlyargs.iter().chain(&a.args).chain(&a.kwonlyargs) {
        opt(&arg.def.annotation, v);
        opt(&arg.default, v);
    }
    for arg in a.vararg.iter().chain(&a.kwarg) {
        opt(&arg.annotation, v);
    }
}

fn handlers<'a, V: Visitor<'a>>(hs: &'a [ast::ExceptHandler], v: &mut V) {
    for h in hs {
        let ast::ExceptHandler::ExceptHandler(h) = h;
        opt(&h.type_, v);
        stmts(&h.body, v);
    }
}

fn stmt<'a, V: Visitor<'a>>(s: &'a Stmt, v: &mut V) {
    let node = Node::Stmt(s);
    if !v.enter(node) {
        return;
    }
    match s {
        Stmt::FunctionDef(f) => {
            exprs(&f.decorator_list, v);
            arguments(&f.args, v);
            opt(&f.returns, v);
            stmts(&f.body, v);
        }
        Stmt::AsyncFunctionDef(f) => {
            exprs(&f.decorator_list, v);
            arguments(&f.args, v);
            opt(&f.returns, v);
            stmts(&f.body, v);
        }
        Stmt::ClassDef(c) => {
            exprs(&c.decorator_list, v);
            exprs(&c.bases, v);
            for k in &c.keywords {
                expr(&k.value, v);
            }
            stmts(&c.body, v);
        }
        Stmt::Return(r) => opt(&r.value, v),
        Stmt::Delete(d) => exprs(&d.targets, v),
        Stmt::Assign(a) => {
            exprs(&a.targets, v);
            expr(&a.value, v);
        }
        Stmt::TypeAlias(a) => {
            expr(&a.name, v);
            expr(&a.value, v);
        }
        Stmt::AugAssign(a) => {
            expr(&a.target, v);
            expr(&a.value, v);
        }
        Stmt::AnnAssign(a) => {
            expr(&a.target, v);
            expr(&a.annotation, v);
            opt(&a.value, v);
        }
        Stmt::For(f) => {
            expr(&f.target, v);
            expr(&f.iter, v);
            stmts(&f.body, v);
            stmts(&f.orelse, v);
        }
        Stmt::AsyncFor(f) => {
            expr(&f.target, v);
            expr(&f.iter, v);
            stmts(&f.body, v);
            stmts(&f.orelse, v);
        }
        Stmt::While(w) => {
            expr(&w.test, v);
            stmts(&w.body, v);
            stmts(&w.orelse, v);
        }
        Stmt::If(i) => {
            expr(&i.test, v);
            stmts(&i.body, v);
            stmts(&i.orelse, v);
        }
        Stmt::With(w) => {
            for item in &w.items {
                expr(&item.context_expr, v);
                opt(&item.optional_vars, v);
            }
            stmts(&w.body, v);
        }
        Stmt::AsyncWith(w) => {
            for item in &w.items {
                expr(&item.context_expr, v);
                opt(&item.optional_vars, v);
            }
            stmts(&w.body, v);
        }
        Stmt::Match(m) => {
            expr(&m.subject, v);
            for case in &m.cases {
                opt(&case.guard, v);
                stmts(&case.body, v);
            }
        }
        Stmt::Raise(r) => {
            opt(&r.exc, v);
            opt(&r.cause, v);
        }
        Stmt::Try(x) => {
            stmts(&x.body, v);
            handlers(&x.handlers, v);
            stmts(&x.orelse, v);
            stmts(&x.finalbody, v);
        }
        Stmt::TryStar(x) => {
            stmts(&x.body, v);
            handlers(&x.handlers, v);
            stmts(&x.orelse, v);
            stmts(&x.finalbody, v);
        }
        Stmt::Assert(a) => {
            expr(&a.test, v);
            opt(&a.msg, v);
        }
        Stmt::Expr(e) => expr(&e.value, v),
        Stmt::Import(_)
        | Stmt::ImportFrom(_)
        | Stmt::Global(_)
        | Stmt::Nonlocal(_)
        | Stmt::Pass(_)
        | Stmt::Break(_)
        | Stmt::Continue(_) => {}
    }
    v.leave(node);
}

fn comprehension<'a, V: Visitor<'a>>(gens: &'a [ast::Comprehension], v: &mut V) {
    for g in gens {
        expr(&g.target, v);
        expr(&g.iter, v);
        exprs(&g.ifs, v);
    }
}

fn expr<'a, V: Visitor<'a>>(e: &'a Expr, v: &mut V) {
    let node = Node::Expr(e);
    if !v.enter(node) {
        return;
    }
    match e {
        Expr::BoolOp(x) => exprs(&x.values, v),
        Expr::NamedExpr(x) => {
            expr(&x.target, v);
            expr(&x.value, v);
        }
        Expr::BinOp(x) => {
            expr(&x.left, v);
            expr(&x.right, v);
        }
        Expr::UnaryOp(x) => expr(&x.operand, v),
        Expr::Lambda(x) => {
            arguments(&x.args, v);
            expr(&x.body, v);
        }
        Expr::IfExp(x) => {
            expr(&x.test, v);
            expr(&x.body, v);
            expr(&x.orelse, v);
        }
        Expr::Dict(x) => {
            for (key, value) in x.keys.iter().zip(&x.values) {
                if let Some(key) = key {
                    expr(key, v);
                }
                expr(value, v);
            }
        }
        Expr::Set(x) => exprs(&x.elts, v),
        Expr::ListComp(x) => {
            comprehension(&x.generators, v);
            expr(&x.elt, v);
        }
        Expr::SetComp(x) => {
            comprehension(&x.generators, v);
            expr(&x.elt, v);
        }
        Expr::DictComp(x) => {
            comprehension(&x.generators, v);
            expr(&x.key, v);
            expr(&x.value, v);
        }
        Expr::GeneratorExp(x) => {
            comprehension(&x.generators, v);
            expr(&x.elt, v);
        }
        Expr::Await(x) => expr(&x.value, v),
        Expr::Yield(x) => opt(&x.value, v),
        Expr::YieldFrom(x) => expr(&x.value, v),
        Expr::Compare(x) => {
            expr(&x.left, v);
            exprs(&x.comparators, v);
        }
        Expr::Call(x) => {
            expr(&x.func, v);
            exprs(&x.args, v);
            for k in &x.keywords {
                expr(&k.value, v);
            }
        }
        Expr::FormattedValue(x) => {
            expr(&x.value, v);
            opt(&x.format_spec, v);
        }
        Expr::JoinedStr(x) => exprs(&x.values, v),
        Expr::Attribute(x) => expr(&x.value, v),
        Expr::Subscript(x) => {
            expr(&x.value, v);
            expr(&x.slice, v);
        }
        Expr::Starred(x) => expr(&x.value, v),
        Expr::List(x) => exprs(&x.elts, v),
        Expr::Tuple(x) => exprs(&x.elts, v),
        Expr::Slice(x) => {
            opt(&x.lower, v);
            opt(&x.upper, v);
            opt(&x.step, v);
        }
        Expr::Constant(_) | Expr::Name(_) => {}
    }
    v.leave(node);
}
