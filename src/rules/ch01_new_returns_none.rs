//! PM0116: `__new__` that never returns anything, or returns None, so the call yields None and
//! `__init__` never runs (§1.3.1).

use super::{Ctx, Kind, Node, Rule, Scope};
use crate::syntax::ast::{Constant, Expr, Stmt};
use crate::syntax::span;
use crate::syntax::walk::{walk, Visitor};

pub struct NewReturnsNone;

const CODE: &str = "PM0116";

/// The returns of one function body, nested scopes excluded.
#[derive(Default)]
struct Returns {
    /// `return <expr>` whose value may be an object.
    valued: usize,
    /// `return`, `return None`: their ranges.
    none: Vec<(usize, usize)>,
    /// `yield` somewhere: a generator, another problem.
    generator: bool,
}

impl<'a> Visitor<'a> for Returns {
    fn enter(&mut self, node: Node<'a>) -> bool {
        match node {
            Node::Stmt(Stmt::FunctionDef(_) | Stmt::AsyncFunctionDef(_) | Stmt::ClassDef(_))
            | Node::Expr(Expr::Lambda(_)) => return false,
            Node::Stmt(s @ Stmt::Return(r)) => match r.value.as_deref() {
                None => self.none.push(span(s)),
                Some(Expr::Constant(c)) if matches!(c.value, Constant::None) => {
                    self.none.push(span(s))
                }
                Some(_) => self.valued += 1,
            },
            Node::Expr(Expr::Yield(_) | Expr::YieldFrom(_)) => self.generator = true,
            _ => {}
        }
        true
    }

    fn leave(&mut self, _node: Node<'a>) {}
}

/// A body that cannot fall off its end: its last statement raises (or is a `while True`
/// loop without `break`, which we do not try to prove; such bodies are rare in `__new__`).
fn ends_in_raise(body: &[Stmt]) -> bool {
    match body.last() {
        Some(Stmt::Raise(_)) => true,
        Some(Stmt::If(i)) => ends_in_raise(&i.body) && ends_in_raise(&i.orelse),
        Some(Stmt::Try(t)) => {
            ends_in_raise(&t.finalbody)
                || (ends_in_raise(if t.orelse.is_empty() {
                    &t.body
                } else {
                    &t.orelse
                }) && t.handlers.iter().all(|h| {
                    let crate::syntax::ast::ExceptHandler::ExceptHandler(h) = h;
                    ends_in_raise(&h.body)
                }))
        }
        Some(Stmt::With(w)) => ends_in_raise(&w.body),
        _ => false,
    }
}

/// `...`, `pass` or a docstring alone: a stub, as in a protocol or an overload.
fn is_stub(body: &[Stmt]) -> bool {
    body.iter().all(|s| match s {
        Stmt::Pass(_) => false,
        Stmt::Expr(e) => matches!(
            &*e.value,
            Expr::Constant(c) if matches!(c.value, Constant::Str(_) | Constant::Ellipsis)
        ),
        _ => false,
    })
}

impl Rule for NewReturnsNone {
    fn code(&self) -> &'static str {
        CODE
    }

    fn kinds(&self) -> &'static [Kind] {
        &[Kind::FunctionDef]
    }

    fn check(&self, node: Node<'_>, ctx: &mut Ctx<'_>) {
        let Node::Stmt(def @ Stmt::FunctionDef(f)) = node else {
            return;
        };
        if f.name.as_str() != "__new__"
            || !matches!(ctx.scope(), Scope::Class(_))
            || !f.decorator_list.is_empty()
            || is_stub(&f.body)
        {
            return;
        }
        let mut r = Returns::default();
        walk(&f.body, &mut r);
        if r.generator {
            return;
        }
        if r.valued == 0 && r.none.is_empty() {
            if ends_in_raise(&f.body) {
                return;
            }
            let range =
                super::source::def_name(ctx.source, span(def).0, &f.decorator_list, "__new__");
            ctx.report(CODE, range, &[("what", "never returns a value")], None);
            return;
        }
        for range in r.none {
            let text = ctx.source.get(range.0..range.1).unwrap_or("return");
            let what = format!("has `{text}`");
            ctx.report(CODE, range, &[("what", what.as_str())], None);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{findings, flagged};

    const T: (u8, u8) = (3, 12);

    #[test]
    fn flags_new_without_a_return_and_returns_of_none() {
        let src = "class Token:\n    def __new__(cls, value):\n        obj = super().__new__(cls)\n        obj.value = value\n\nclass Maybe:\n    def __new__(cls, x):\n        if x is None:\n            return None\n        if x == 0:\n            return\n        return super().__new__(cls)\n";
        let found = findings(src, "PM0116", T);
        assert_eq!(flagged(src, &found), ["__new__", "return None", "return"]);
        assert_eq!(
            found[0].message,
            "`__new__` never returns a value: calling the class gives None and `__init__` is skipped"
        );
        assert_eq!(
            found[1].message,
            "`__new__` has `return None`: calling the class gives None and `__init__` is skipped"
        );
        assert_eq!(found[0].section, "1.3.1");
    }

    #[test]
    fn silent_on_new_that_returns_objects_or_always_raises() {
        for src in [
            "class A:\n    def __new__(cls):\n        return super().__new__(cls)\n",
            "class A:\n    _inst = None\n    def __new__(cls):\n        if cls._inst is None:\n            cls._inst = super().__new__(cls)\n        return cls._inst\n",
            "class A:\n    def __new__(cls, *a):\n        raise TypeError('abstract')\n",
            "class A:\n    def __new__(cls, x):\n        if x:\n            raise TypeError\n        else:\n            raise ValueError\n",
            "class A:\n    def __new__(cls): ...\n",
            "class A:\n    @overload\n    def __new__(cls, x: int) -> 'A':\n        pass\n",
            "class A:\n    def __new__(cls):\n        def helper():\n            return None\n        return helper() or object.__new__(cls)\n",
            "def __new__(cls):\n    pass\n",
            "class A:\n    def make(cls):\n        pass\n",
        ] {
            assert!(findings(src, "PM0116", T).is_empty(), "{src}");
        }
    }

    #[test]
    fn flags_a_pass_body() {
        let src = "class A:\n    def __new__(cls):\n        pass\n";
        assert_eq!(flagged(src, &findings(src, "PM0116", T)), ["__new__"]);
    }
}
