//! PM0128: a `@contextmanager` generator whose `yield` is not protected by `try`, while code
//! after it is meant to clean up: an exception in the with body skips that code (§1.3.6).

use super::ch01_exit_swallows::stmt_leaves;
use super::source::{indent_unit, indentation, line_start, next_line_start, starts_line};
use super::typing_names::BlockNames;
use super::{Ctx, Edit, Kind, Node, Rule, Safety};
use crate::syntax::ast::{Constant, ExceptHandler, Expr, Stmt};
use crate::syntax::span;
use crate::syntax::walk::{walk, Visitor};

pub struct ContextmanagerFinally;

const CODE: &str = "PM0128";

/// Finds `yield`, `return` or both in statements, outside nested scopes.
#[derive(Default)]
struct Find {
    yields: bool,
    returns: bool,
}

impl<'a> Visitor<'a> for Find {
    fn enter(&mut self, node: Node<'a>) -> bool {
        match node {
            Node::Expr(Expr::Yield(_) | Expr::YieldFrom(_)) => {
                self.yields = true;
                true
            }
            Node::Stmt(Stmt::Return(_)) => {
                self.returns = true;
                true
            }
            Node::Stmt(Stmt::FunctionDef(_) | Stmt::AsyncFunctionDef(_) | Stmt::ClassDef(_))
            | Node::Expr(Expr::Lambda(_)) => false,
            _ => true,
        }
    }
    fn leave(&mut self, _node: Node<'a>) {}
}

fn find(stmts: &[Stmt]) -> Find {
    let mut f = Find::default();
    walk(stmts, &mut f);
    f
}

/// A simple statement whose own expression yields (`yield x`, `value = yield`).
fn yields_here(s: &Stmt) -> bool {
    matches!(
        s,
        Stmt::Expr(_) | Stmt::Assign(_) | Stmt::AnnAssign(_) | Stmt::AugAssign(_)
    ) && find(std::slice::from_ref(s)).yields
}

/// Statements that do something when run: not `pass`, a bare `return` or a lone constant.
fn does_something(stmts: &[Stmt]) -> bool {
    stmts.iter().any(|s| match s {
        Stmt::Pass(_) => false,
        Stmt::Return(r) => !matches!(
            r.value.as_deref(),
            None | Some(Expr::Constant(crate::syntax::ast::ExprConstant {
                value: Constant::None,
                ..
            }))
        ),
        Stmt::Expr(e) => !matches!(&*e.value, Expr::Constant(_)),
        _ => true,
    })
}

/// Collects the unprotected yields of `stmts`: `protected` when an enclosing `try` of the
/// function has a handler or a `finally` around them, `more` when code runs after the list.
fn scan<'a>(stmts: &'a [Stmt], protected: bool, more: bool, out: &mut Vec<&'a Stmt>) {
    for (i, s) in stmts.iter().enumerate() {
        let rest = &stmts[i + 1..];
        // Code after a statement that always returns or raises never runs.
        let after = match rest.iter().position(stmt_leaves) {
            Some(cut) => does_something(&rest[..=cut]),
            None => more || does_something(rest),
        };
        if yields_here(s) {
            if !protected && after {
                out.push(s);
            }
            continue;
        }
        match s {
            Stmt::If(x) => {
                scan(&x.body, protected, after, out);
                scan(&x.orelse, protected, after, out);
            }
            Stmt::With(x) => scan(&x.body, protected, after, out),
            Stmt::AsyncWith(x) => scan(&x.body, protected, after, out),
            Stmt::For(x) => {
                scan(&x.body, protected, after, out);
                scan(&x.orelse, protected, after, out);
            }
            Stmt::AsyncFor(x) => {
                scan(&x.body, protected, after, out);
                scan(&x.orelse, protected, after, out);
            }
            Stmt::While(x) => {
                scan(&x.body, protected, after, out);
                scan(&x.orelse, protected, after, out);
            }
            Stmt::Match(m) => {
                for c in &m.cases {
                    scan(&c.body, protected, after, out);
                }
            }
            Stmt::Try(t) => scan_try(
                &t.body,
                &t.handlers,
                &t.orelse,
                &t.finalbody,
                protected,
                after,
                out,
            ),
            Stmt::TryStar(t) => scan_try(
                &t.body,
                &t.handlers,
                &t.orelse,
                &t.finalbody,
                protected,
                after,
                out,
            ),
            _ => {}
        }
    }
}

fn scan_try<'a>(
    body: &'a [Stmt],
    handlers: &'a [ExceptHandler],
    orelse: &'a [Stmt],
    finalbody: &'a [Stmt],
    protected: bool,
    after: bool,
    out: &mut Vec<&'a Stmt>,
) {
    let fin = protected || !finalbody.is_empty();
    scan(body, fin || !handlers.is_empty(), after, out);
    for h in handlers {
        let ExceptHandler::ExceptHandler(h) = h;
        scan(&h.body, fin, after, out);
    }
    scan(orelse, fin, after, out);
    scan(finalbody, protected, after, out);
}

/// Wraps `body[at..]` in `try:` / `finally:`, the yield in `try`, the rest in `finally`.
fn wrap_fix(ctx: &Ctx<'_>, def: &Stmt, body: &[Stmt], at: usize) -> Option<Vec<Edit>> {
    let src = ctx.source;
    let nl = ctx.newline();
    let yield_stmt = body.get(at)?;
    let tail = body.get(at + 1..)?;
    let first_after = tail.first()?;
    let last = body.last()?;
    let (ys, ye) = span(yield_stmt);
    let (fs, _) = span(first_after);
    let finally_at = next_line_start(src, ye);
    if !starts_line(src, ys) || !starts_line(src, fs) || finally_at > fs {
        return None;
    }
    let t = find(tail);
    if t.yields || t.returns {
        return None;
    }
    let from = line_start(src, ys);
    let to = next_line_start(src, span(last).1);
    let region = src.get(from..to)?;
    // Indenting the lines of a string that spans lines would change its value.
    if region.contains("\"\"\"") || region.contains("'''") {
        return None;
    }
    let indent = indentation(src, ys).to_string();
    let unit = indent_unit(indentation(src, span(def).0), &indent);
    let mut edits = vec![Edit {
        start: from,
        end: from,
        text: format!("{indent}try:{nl}"),
    }];
    let mut pos = from;
    while pos < to {
        let end = next_line_start(src, pos).min(to);
        let line = src.get(pos..end)?;
        if line.trim_end_matches(['\n', '\r']).ends_with('\\') {
            return None;
        }
        if pos == finally_at {
            edits.push(Edit {
                start: pos,
                end: pos,
                text: format!("{indent}finally:{nl}"),
            });
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
    Some(edits)
}

impl Rule for ContextmanagerFinally {
    fn code(&self) -> &'static str {
        CODE
    }

    fn kinds(&self) -> &'static [Kind] {
        &[Kind::FunctionDef, Kind::AsyncFunctionDef]
    }

    fn check(&self, node: Node<'_>, ctx: &mut Ctx<'_>) {
        let (name, body, decorators, def) = match node {
            Node::Stmt(s @ Stmt::FunctionDef(f)) => {
                (f.name.as_str(), &f.body, &f.decorator_list, s)
            }
            Node::Stmt(s @ Stmt::AsyncFunctionDef(f)) => {
                (f.name.as_str(), &f.body, &f.decorator_list, s)
            }
            _ => return,
        };
        let names = BlockNames::of_block(node, ctx);
        let Some(decorator) = decorators.iter().find_map(|d| {
            let r = names.resolve(d)?;
            let ok = matches!(r.member.as_str(), "contextmanager" | "asynccontextmanager")
                && r.is_in(&["contextlib"]);
            ok.then_some(r.member)
        }) else {
            return;
        };
        let mut found = Vec::new();
        scan(body, false, false, &mut found);
        for y in found {
            let at = body.iter().position(|s| std::ptr::eq(s, y));
            let fix = at
                .and_then(|at| wrap_fix(ctx, def, body, at))
                .map(|edits| ctx.fix(CODE, &[], Safety::Unsafe, edits));
            ctx.report(
                CODE,
                span(y),
                &[("function", name), ("decorator", decorator.as_str())],
                fix,
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{findings, fixed, flagged};

    const T: (u8, u8) = (3, 12);

    #[test]
    fn flags_unprotected_yields_followed_by_cleanup() {
        let src = "from contextlib import contextmanager\n\n@contextmanager\ndef opened(path):\n    f = open(path)\n    yield f\n    f.close()\n\n@contextlib.asynccontextmanager\nasync def lock(l):\n    await l.acquire()\n    if fast:\n        value = yield l\n    else:\n        with timer():\n            yield l\n    l.release()\n";
        let found = findings(src, "PM0128", T);
        assert_eq!(
            flagged(src, &found),
            ["yield f", "value = yield l", "yield l"]
        );
        assert_eq!(
            found[0].message,
            "`opened` yields outside `try`/`finally`: when the with body raises, the exception comes out of this `yield` and the code after it never runs"
        );
        assert_eq!(found[0].section, "1.3.6");
        assert!(found[1].fix.is_none(), "no fix for a nested yield");
    }

    #[test]
    fn silent_when_protected_or_nothing_follows() {
        let src = "import contextlib\n\n@contextlib.contextmanager\ndef a():\n    r = acquire()\n    try:\n        yield r\n    finally:\n        r.release()\n\n@contextlib.contextmanager\ndef b():\n    try:\n        yield\n    except Exception:\n        rollback()\n        raise\n    else:\n        commit()\n\n@contextlib.contextmanager\ndef c():\n    with open(p) as f:\n        yield f\n\n@contextlib.contextmanager\ndef d():\n    setup()\n    yield\n    return\n\n@contextlib.contextmanager\ndef d2():\n    if fast:\n        yield\n        return\n    try:\n        yield\n    finally:\n        done()\n\ndef plain():\n    yield 1\n    cleanup()\n\n@other.contextmanager\ndef e():\n    yield\n    cleanup()\n";
        assert!(findings(src, "PM0128", T).is_empty());
        let local = "from mylib import contextmanager\n\n@contextmanager\ndef f():\n    yield\n    cleanup()\n";
        assert!(findings(local, "PM0128", T).is_empty());
    }

    #[test]
    fn fix_wraps_the_yield_and_the_rest() {
        let src = "@contextmanager\ndef opened(path):\n    \"\"\"Doc.\"\"\"\n    f = open(path)\n    yield f\n\n    # done\n    f.close()\n    log(\n        'closed')\n";
        assert_eq!(
            fixed(src, "PM0128", T),
            "@contextmanager\ndef opened(path):\n    \"\"\"Doc.\"\"\"\n    f = open(path)\n    try:\n        yield f\n    finally:\n\n        # done\n        f.close()\n        log(\n            'closed')\n"
        );
        assert_eq!(
            fixed("class A:\r\n\t@contextmanager\r\n\tdef m(self):\r\n\t\tyield\r\n\t\tself.x = 1\r\n", "PM0128", T),
            "class A:\r\n\t@contextmanager\r\n\tdef m(self):\r\n\t\ttry:\r\n\t\t\tyield\r\n\t\tfinally:\r\n\t\t\tself.x = 1\r\n"
        );
    }

    #[test]
    fn no_fix_when_the_tail_returns_or_holds_a_multiline_string() {
        let src = "@contextmanager\ndef f():\n    yield\n    if x:\n        return\n    cleanup()\n\n@contextmanager\ndef g():\n    yield\n    log('''a\nb''')\n";
        let found = findings(src, "PM0128", T);
        assert_eq!(found.len(), 2);
        assert!(found.iter().all(|f| f.fix.is_none()));
    }
}
