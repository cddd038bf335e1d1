//! PM0139: `nonlocal x` with no enclosing function that binds `x` (a SyntaxError when the
//! module is compiled, which the parser alone does not report), or in a function that never
//! assigns `x`, where the declaration does nothing (§1.5.2).

use super::typing_names::BlockNames;
use super::{Ctx, Kind, Node, Rule};
use crate::syntax::ast::{self, Expr, ExprContext, Stmt};
use crate::syntax::span;
use crate::syntax::walk::{walk, Visitor};
use std::collections::HashSet;

pub struct NonlocalMisuse;

const CODE: &str = "PM0139";

/// What one function's own scope binds and declares, not counting nested functions, classes,
/// lambdas and comprehension variables (a `:=` inside a comprehension binds here).
#[derive(Debug, Default)]
pub struct ScopeBindings {
    pub bound: HashSet<String>,
    pub globals: HashSet<String>,
    pub nonlocals: HashSet<String>,
    /// A `match` statement may bind names through its patterns, which this does not read.
    pub has_match: bool,
}

impl ScopeBindings {
    /// The bindings of a function's parameters and body.
    pub fn of_function(args: &ast::Arguments, body: &[Stmt]) -> ScopeBindings {
        let mut b = ScopeBindings::default();
        for a in args
            .posonlyargs
            .iter()
            .chain(&args.args)
            .chain(&args.kwonlyargs)
        {
            b.bound.insert(a.def.arg.to_string());
        }
        for a in args.vararg.iter().chain(&args.kwarg) {
            b.bound.insert(a.arg.to_string());
        }
        let mut v = Collect { b: &mut b, comp: 0 };
        walk(body, &mut v);
        b
    }
}

struct Collect<'b> {
    b: &'b mut ScopeBindings,
    comp: usize,
}

impl<'a> Visitor<'a> for Collect<'_> {
    fn enter(&mut self, node: Node<'a>) -> bool {
        let b = &mut *self.b;
        match node {
            Node::Stmt(Stmt::FunctionDef(f)) => {
                b.bound.insert(f.name.to_string());
                return false;
            }
            Node::Stmt(Stmt::AsyncFunctionDef(f)) => {
                b.bound.insert(f.name.to_string());
                return false;
            }
            Node::Stmt(Stmt::ClassDef(c)) => {
                b.bound.insert(c.name.to_string());
                return false;
            }
            Node::Expr(Expr::Lambda(_)) => return false,
            Node::Expr(
                Expr::ListComp(_) | Expr::SetComp(_) | Expr::DictComp(_) | Expr::GeneratorExp(_),
            ) => self.comp += 1,
            Node::Expr(Expr::NamedExpr(n)) => {
                if let Expr::Name(t) = &*n.target {
                    b.bound.insert(t.id.to_string());
                }
            }
            Node::Expr(Expr::Name(n)) if self.comp == 0 && !matches!(n.ctx, ExprContext::Load) => {
                b.bound.insert(n.id.to_string());
            }
            Node::Stmt(Stmt::Import(i)) => {
                for a in &i.names {
                    let full = a.name.as_str();
                    let local = a
                        .asname
                        .as_ref()
                        .map_or(full.split('.').next().unwrap_or(full), |x| x.as_str());
                    b.bound.insert(local.to_string());
                }
            }
            Node::Stmt(Stmt::ImportFrom(i)) => {
                for a in &i.names {
                    b.bound
                        .insert(a.asname.as_ref().unwrap_or(&a.name).to_string());
                }
            }
            Node::Stmt(Stmt::Try(ast::StmtTry { handlers, .. }))
            | Node::Stmt(Stmt::TryStar(ast::StmtTryStar { handlers, .. })) => {
                for h in handlers {
                    let ast::ExceptHandler::ExceptHandler(h) = h;
                    if let Some(n) = &h.name {
                        b.bound.insert(n.to_string());
                    }
                }
            }
            Node::Stmt(Stmt::Global(g)) => {
                b.globals.extend(g.names.iter().map(|n| n.to_string()));
            }
            Node::Stmt(Stmt::Nonlocal(g)) => {
                b.nonlocals.extend(g.names.iter().map(|n| n.to_string()));
            }
            Node::Stmt(Stmt::Match(_)) => b.has_match = true,
            _ => {}
        }
        true
    }

    fn leave(&mut self, node: Node<'a>) {
        if matches!(
            node,
            Node::Expr(
                Expr::ListComp(_) | Expr::SetComp(_) | Expr::DictComp(_) | Expr::GeneratorExp(_)
            )
        ) {
            self.comp -= 1;
        }
    }
}

fn function_parts<'a>(node: &Node<'a>) -> Option<(&'a ast::Arguments, &'a [Stmt])> {
    match node {
        Node::Stmt(Stmt::FunctionDef(f)) => Some((&f.args, &f.body)),
        Node::Stmt(Stmt::AsyncFunctionDef(f)) => Some((&f.args, &f.body)),
        _ => None,
    }
}

impl Rule for NonlocalMisuse {
    fn code(&self) -> &'static str {
        CODE
    }

    fn kinds(&self) -> &'static [Kind] {
        &[Kind::Nonlocal]
    }

    fn check(&self, node: Node<'_>, ctx: &mut Ctx<'_>) {
        let Node::Stmt(stmt @ Stmt::Nonlocal(nl)) = node else {
            return;
        };
        // The statement's own scope: the innermost function or class around it.
        let own = ctx.parents.iter().rposition(|p| {
            matches!(
                p,
                Node::Stmt(Stmt::FunctionDef(_) | Stmt::AsyncFunctionDef(_) | Stmt::ClassDef(_))
            )
        });
        let enclosing: Vec<ScopeBindings> = ctx.parents[..own.unwrap_or(0)]
            .iter()
            .rev()
            .filter_map(function_parts)
            .map(|(a, b)| ScopeBindings::of_function(a, b))
            .collect();
        let own_scope = own
            .and_then(|i| function_parts(&ctx.parents[i]))
            .map(|(a, b)| (ScopeBindings::of_function(a, b), BlockNames::of(b)));
        for name in &nl.names {
            let name = name.as_str();
            let mut found = false;
            for s in &enclosing {
                if s.globals.contains(name) {
                    break;
                }
                if s.has_match || s.bound.contains(name) || s.nonlocals.contains(name) {
                    found = true;
                    break;
                }
            }
            // Without a read the declaration still makes the function close over the
            // variable (a way to build a cell on purpose), so only a read-only use is useless.
            let unused = own_scope
                .as_ref()
                .is_some_and(|(s, n)| !s.has_match && !s.bound.contains(name) && n.reads(name));
            if found && !unused {
                continue;
            }
            let reason = reason_text(!found, name);
            ctx.report(
                CODE,
                span(stmt),
                &[("name", name), ("reason", reason.as_str())],
                None,
            );
        }
    }
}

fn reason_text(unbound: bool, name: &str) -> String {
    if unbound {
        format!("no enclosing function binds `{name}`, so compiling this module raises SyntaxError")
    } else {
        format!("this function never assigns `{name}`, so the declaration does nothing (reading an outer variable needs no `nonlocal`)")
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{findings, flagged};

    const T: (u8, u8) = (3, 12);

    #[test]
    fn flags_unbound_and_useless_nonlocal() {
        let src = "\
def outer():
    count = 0
    def bump():
        nonlocal total
        total = 1
    def peek():
        nonlocal count
        return count
    class Inner:
        def m(self):
            nonlocal count
            count += 1
    return bump, peek, Inner

def top():
    global g
    def inner():
        nonlocal g
        g = 2
";
        let found = findings(src, "PM0139", T);
        assert_eq!(
            flagged(src, &found),
            ["nonlocal total", "nonlocal count", "nonlocal g"]
        );
        assert_eq!(
            found[0].message,
            "`nonlocal total`: no enclosing function binds `total`, so compiling this module raises SyntaxError"
        );
        assert_eq!(
            found[1].message,
            "`nonlocal count`: this function never assigns `count`, so the declaration does nothing (reading an outer variable needs no `nonlocal`)"
        );
        assert_eq!(found[0].section, "1.5.2");
    }

    #[test]
    fn silent_on_correct_nonlocal() {
        let src = "\
def outer(seed, items):
    import os
    total = 0
    [last := x for x in items]
    for i, item in enumerate(items):
        pass
    def a():
        nonlocal total, seed, os, last, i
        total += 1
        seed = 2
        del os
        for last in items:
            pass
        with open('f') as i:
            pass
    def b():
        nonlocal total
        def c():
            nonlocal total
            total = 3
        total = 4
    def cell():
        nonlocal total
    class K:
        nonlocal seed
        seed = 1
    return a, b, K, cell
";
        assert!(findings(src, "PM0139", T).is_empty());
    }
}
