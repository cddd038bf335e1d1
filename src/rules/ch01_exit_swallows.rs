//! PM0126: `__exit__` / `__aexit__` that returns True on every path, so the with statement
//! suppresses every exception raised in its body (§1.3.6).

use super::source::def_name;
use super::{Ctx, Kind, Node, Rule, Scope};
use crate::syntax::ast::{Constant, Expr, Stmt};

pub struct ExitSwallows;

const CODE: &str = "PM0126";

/// True when control cannot run off the end of `body`: some statement in it always returns or
/// raises.
pub(super) fn always_leaves(body: &[Stmt]) -> bool {
    body.iter().any(stmt_leaves)
}

pub(super) fn stmt_leaves(s: &Stmt) -> bool {
    match s {
        Stmt::Return(_) | Stmt::Raise(_) => true,
        Stmt::If(i) => always_leaves(&i.body) && always_leaves(&i.orelse),
        Stmt::With(w) => always_leaves(&w.body),
        Stmt::AsyncWith(w) => always_leaves(&w.body),
        Stmt::Try(t) => {
            always_leaves(&t.finalbody)
                || ((always_leaves(&t.body) || always_leaves(&t.orelse))
                    && t.handlers.iter().all(|h| {
                        let crate::syntax::ast::ExceptHandler::ExceptHandler(h) = h;
                        always_leaves(&h.body)
                    }))
        }
        _ => false,
    }
}

/// What the `return` and `raise` statements of a function body (outside nested scopes) look
/// like: all returns give the constant True, and whether any `raise` exists.
#[derive(Default)]
struct Exits {
    returns: usize,
    non_true: bool,
    raises: bool,
}

fn collect(body: &[Stmt], out: &mut Exits) {
    for s in body {
        match s {
            Stmt::Return(r) => {
                out.returns += 1;
                let is_true = matches!(
                    r.value.as_deref(),
                    Some(Expr::Constant(c)) if matches!(c.value, Constant::Bool(true))
                );
                out.non_true |= !is_true;
            }
            Stmt::Raise(_) => out.raises = true,
            Stmt::FunctionDef(_) | Stmt::AsyncFunctionDef(_) | Stmt::ClassDef(_) => {}
            Stmt::If(i) => {
                collect(&i.body, out);
                collect(&i.orelse, out);
            }
            Stmt::For(l) => {
                collect(&l.body, out);
                collect(&l.orelse, out);
            }
            Stmt::AsyncFor(l) => {
                collect(&l.body, out);
                collect(&l.orelse, out);
            }
            Stmt::While(l) => {
                collect(&l.body, out);
                collect(&l.orelse, out);
            }
            Stmt::With(w) => collect(&w.body, out),
            Stmt::AsyncWith(w) => collect(&w.body, out),
            Stmt::Try(t) => {
                collect(&t.body, out);
                for h in &t.handlers {
                    let crate::syntax::ast::ExceptHandler::ExceptHandler(h) = h;
                    collect(&h.body, out);
                }
                collect(&t.orelse, out);
                collect(&t.finalbody, out);
            }
            Stmt::TryStar(t) => {
                collect(&t.body, out);
                for h in &t.handlers {
                    let crate::syntax::ast::ExceptHandler::ExceptHandler(h) = h;
                    collect(&h.body, out);
                }
                collect(&t.orelse, out);
                collect(&t.finalbody, out);
            }
            Stmt::Match(m) => {
                for c in &m.cases {
                    collect(&c.body, out);
                }
            }
            _ => {}
        }
    }
}

impl Rule for ExitSwallows {
    fn code(&self) -> &'static str {
        CODE
    }

    fn kinds(&self) -> &'static [Kind] {
        &[Kind::FunctionDef, Kind::AsyncFunctionDef]
    }

    fn check(&self, node: Node<'_>, ctx: &mut Ctx<'_>) {
        let (name, body, decorators, expected) = match node {
            Node::Stmt(Stmt::FunctionDef(f)) => {
                (f.name.as_str(), &f.body, &f.decorator_list, "__exit__")
            }
            Node::Stmt(Stmt::AsyncFunctionDef(f)) => {
                (f.name.as_str(), &f.body, &f.decorator_list, "__aexit__")
            }
            _ => return,
        };
        if name != expected || !matches!(ctx.scope(), Scope::Class(_)) {
            return;
        }
        let mut exits = Exits::default();
        collect(body, &mut exits);
        if exits.returns == 0 || exits.non_true || exits.raises || !always_leaves(body) {
            return;
        }
        let range = def_name(ctx.source, node.span().0, decorators, name);
        ctx.report(CODE, range, &[("name", name)], None);
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{findings, flagged};

    const T: (u8, u8) = (3, 12);

    #[test]
    fn flags_exit_that_always_returns_true() {
        let src = "class Quiet:\n    def __exit__(self, exc_type, exc, tb):\n        self.close()\n        return True\n\nclass Logged:\n    async def __aexit__(self, *exc_info):\n        if exc_info[0] is not None:\n            log(exc_info)\n            return True\n        else:\n            return True\n\nclass Tried:\n    def __exit__(self, *a):\n        try:\n            self.close()\n        finally:\n            return True\n";
        let found = findings(src, "PM0126", T);
        assert_eq!(flagged(src, &found), ["__exit__", "__aexit__", "__exit__"]);
        assert_eq!(
            found[0].message,
            "`__exit__` returns True on every path, so the with statement suppresses every exception raised in its body, KeyboardInterrupt included"
        );
        assert_eq!(found[0].section, "1.3.6");
        assert!(found[0].fix.is_none());
    }

    #[test]
    fn silent_on_conditional_or_other_returns() {
        let src = "class Suppress:\n    def __exit__(self, exc_type, exc, tb):\n        return exc_type is not None and issubclass(exc_type, OSError)\n\nclass Cond:\n    def __exit__(self, exc_type, exc, tb):\n        if exc_type is KeyError:\n            return True\n\nclass Mixed:\n    def __exit__(self, t, v, tb):\n        if t is None:\n            return True\n        return False\n\nclass Raises:\n    def __exit__(self, t, v, tb):\n        if t is SystemExit:\n            raise RuntimeError\n        return True\n\nclass Plain:\n    def __exit__(self, t, v, tb):\n        self.close()\n\nclass Nested:\n    def __exit__(self, t, v, tb):\n        def helper():\n            return True\n        helper()\n\ndef __exit__(self, t, v, tb):\n    return True\n\nclass Loop:\n    def __exit__(self, t, v, tb):\n        for x in y:\n            return True\n";
        assert!(findings(src, "PM0126", T).is_empty());
    }
}
