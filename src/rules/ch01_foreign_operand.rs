//! PM0119: a comparison or binary-operator dunder that, for an operand of a foreign type,
//! raises or answers False instead of returning `NotImplemented` (§1.3.3).

use super::{Ctx, Edit, Kind, Node, Rule, Safety, Scope};
use crate::syntax::ast::{Constant, Expr, Stmt, UnaryOp};
use crate::syntax::span;

pub struct ForeignOperand;

const CODE: &str = "PM0119";

const COMPARISONS: &[&str] = &["__eq__", "__ne__", "__lt__", "__le__", "__gt__", "__ge__"];

const BINARY: &[&str] = &[
    "add", "sub", "mul", "matmul", "truediv", "floordiv", "mod", "divmod", "pow", "lshift",
    "rshift", "and", "xor", "or",
];

/// True for `__add__`, `__radd__`, `__iadd__` and the other binary-operator methods.
fn is_binary(name: &str) -> bool {
    let Some(core) = name.strip_prefix("__").and_then(|n| n.strip_suffix("__")) else {
        return false;
    };
    let known = |c: &str| BINARY.contains(&c);
    known(core)
        || core.strip_prefix('r').is_some_and(known)
        || core.strip_prefix('i').is_some_and(known)
}

/// `not isinstance(<param>, ...)`.
fn rejects_foreign(test: &Expr, param: &str) -> bool {
    let Expr::UnaryOp(u) = test else { return false };
    if !matches!(u.op, UnaryOp::Not) {
        return false;
    }
    let Expr::Call(c) = &*u.operand else {
        return false;
    };
    matches!(&*c.func, Expr::Name(n) if n.id.as_str() == "isinstance")
        && c.keywords.is_empty()
        && c.args.len() == 2
        && matches!(&c.args[0], Expr::Name(n) if n.id.as_str() == param)
}

/// What the statement does instead of returning `NotImplemented`, if it is one we flag.
fn wrong_answer(s: &Stmt, method: &str) -> Option<&'static str> {
    match s {
        Stmt::Raise(r) => {
            let exc = r.exc.as_deref()?;
            let name = match exc {
                Expr::Call(c) => &*c.func,
                other => other,
            };
            match name {
                Expr::Name(n) if n.id.as_str() == "TypeError" => Some("raises TypeError"),
                Expr::Name(n) if n.id.as_str() == "NotImplementedError" => {
                    Some("raises NotImplementedError")
                }
                _ => None,
            }
        }
        Stmt::Return(r) => {
            let Some(Expr::Constant(c)) = r.value.as_deref() else {
                return None;
            };
            match (method, &c.value) {
                ("__eq__", Constant::Bool(false)) => Some("returns False"),
                ("__ne__", Constant::Bool(true)) => Some("returns True"),
                _ => None,
            }
        }
        _ => None,
    }
}

/// The `if not isinstance(other, ...)` statements of a body, through nested blocks but not
/// nested scopes.
fn guards<'a>(body: &'a [Stmt], param: &str, out: &mut Vec<&'a Stmt>) {
    for s in body {
        match s {
            Stmt::If(i) => {
                if rejects_foreign(&i.test, param) {
                    if let Some(last) = i.body.last() {
                        out.push(last);
                    }
                }
                guards(&i.body, param, out);
                guards(&i.orelse, param, out);
            }
            Stmt::Try(t) => {
                guards(&t.body, param, out);
                guards(&t.orelse, param, out);
            }
            Stmt::With(w) => guards(&w.body, param, out),
            _ => {}
        }
    }
}

impl Rule for ForeignOperand {
    fn code(&self) -> &'static str {
        CODE
    }

    fn kinds(&self) -> &'static [Kind] {
        &[Kind::FunctionDef]
    }

    fn check(&self, node: Node<'_>, ctx: &mut Ctx<'_>) {
        let Node::Stmt(Stmt::FunctionDef(f)) = node else {
            return;
        };
        let name = f.name.as_str();
        if !(COMPARISONS.contains(&name) || is_binary(name))
            || !matches!(ctx.scope(), Scope::Class(_))
        {
            return;
        }
        let mut params = f.args.posonlyargs.iter().chain(&f.args.args);
        let (Some(_), Some(other)) = (params.next(), params.next()) else {
            return;
        };
        let mut found = Vec::new();
        guards(&f.body, other.def.arg.as_str(), &mut found);
        for s in found {
            let Some(what) = wrong_answer(s, name) else {
                continue;
            };
            let (s0, s1) = span(s);
            let fix = ctx.fix(
                CODE,
                &[],
                Safety::Unsafe,
                vec![Edit {
                    start: s0,
                    end: s1,
                    text: "return NotImplemented".into(),
                }],
            );
            ctx.report(
                CODE,
                (s0, s1),
                &[("method", name), ("what", what)],
                Some(fix),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{findings, fixed, flagged};

    const T: (u8, u8) = (3, 12);

    #[test]
    fn flags_raises_and_false_for_foreign_operands() {
        let src = "class Money:\n    def __eq__(self, other):\n        if not isinstance(other, Money):\n            return False\n        return self.cents == other.cents\n\n    def __lt__(self, other):\n        if not isinstance(other, Money):\n            raise TypeError('cannot compare')\n        return self.cents < other.cents\n\n    def __radd__(self, other):\n        if not isinstance(other, (int, Money)):\n            raise NotImplementedError\n        return self\n\n    def __ne__(self, other):\n        if not isinstance(other, Money):\n            return True\n        return not self == other\n";
        let found = findings(src, "PM0119", T);
        assert_eq!(
            flagged(src, &found),
            [
                "return False",
                "raise TypeError('cannot compare')",
                "raise NotImplementedError",
                "return True"
            ]
        );
        assert_eq!(
            found[0].message,
            "`__eq__` returns False for an operand of a type it does not handle: return `NotImplemented` so Python can try the other operand"
        );
        assert_eq!(found[0].section, "1.3.3");
    }

    #[test]
    fn silent_on_not_implemented_and_other_shapes() {
        for src in [
            "class A:\n    def __eq__(self, other):\n        if not isinstance(other, A):\n            return NotImplemented\n        return self.x == other.x\n",
            "class A:\n    def __lt__(self, other):\n        if isinstance(other, A):\n            return self.x < other.x\n        raise TypeError\n",
            "class A:\n    def __lt__(self, other):\n        if not isinstance(self.x, int):\n            raise TypeError\n        return self.x < other.x\n",
            "class A:\n    def __lt__(self, other):\n        if not isinstance(other, A):\n            raise ValueError('x')\n        return True\n",
            "class A:\n    def __lt__(self, other):\n        if not isinstance(other, A):\n            return False\n        return True\n",
            "class A:\n    def compare(self, other):\n        if not isinstance(other, A):\n            raise TypeError\n",
            "def __eq__(self, other):\n    if not isinstance(other, A):\n        return False\n",
            "class A:\n    def __contains__(self, other):\n        if not isinstance(other, A):\n            return False\n",
        ] {
            assert!(findings(src, "PM0119", T).is_empty(), "{src}");
        }
    }

    #[test]
    fn fix_returns_not_implemented() {
        let src = "class V:\n    def __add__(self, other):\n        if not isinstance(other, V):\n            raise TypeError(f'bad {other!r}')\n        return V(self.x + other.x)\n";
        assert_eq!(
            fixed(src, "PM0119", T),
            "class V:\n    def __add__(self, other):\n        if not isinstance(other, V):\n            return NotImplemented\n        return V(self.x + other.x)\n"
        );
    }
}
