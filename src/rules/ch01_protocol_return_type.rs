//! PM0118: a conversion or container dunder (`__len__`, `__bool__`, `__hash__`, `__index__`,
//! `__int__`, `__float__`, `__complex__`, `__iter__`) returning a literal of a type the
//! interpreter rejects (§1.3.4).

use super::{Ctx, Edit, Kind, Node, Rule, Safety};
use crate::syntax::ast::{Constant, Expr, Stmt, UnaryOp};
use crate::syntax::span;
use crate::syntax::walk::{walk, Visitor};

pub struct ProtocolReturnType;

const CODE: &str = "PM0118";

/// The method the current node returns from, when it sits directly in a class body.
fn method<'a>(ctx: &Ctx<'a>) -> Option<&'a crate::syntax::ast::StmtFunctionDef> {
    let mut it = ctx.parents.iter().rev();
    let f = loop {
        match it.next()? {
            Node::Stmt(Stmt::FunctionDef(f)) => break f,
            Node::Stmt(Stmt::AsyncFunctionDef(_) | Stmt::ClassDef(_))
            | Node::Expr(Expr::Lambda(_)) => return None,
            _ => {}
        }
    };
    for p in it {
        match p {
            Node::Stmt(Stmt::ClassDef(_)) => return Some(f),
            Node::Stmt(Stmt::FunctionDef(_) | Stmt::AsyncFunctionDef(_)) => return None,
            _ => {}
        }
    }
    None
}

/// The type of a literal value; `negative` for a negative int literal.
fn literal_type(e: &Expr) -> Option<&'static str> {
    Some(match e {
        Expr::Constant(c) => match c.value {
            Constant::Str(_) => "str",
            Constant::None => "NoneType",
            Constant::Bool(_) => "bool",
            Constant::Bytes(_) => "bytes",
            Constant::Int(_) => "int",
            Constant::Float(_) => "float",
            Constant::Complex { .. } => "complex",
            Constant::Tuple(_) => "tuple",
            Constant::Ellipsis => "ellipsis",
        },
        Expr::UnaryOp(u) if matches!(u.op, UnaryOp::USub) => match &*u.operand {
            Expr::Constant(c) => match c.value {
                Constant::Int(_) | Constant::Bool(_) => "negative",
                Constant::Float(_) => "float",
                Constant::Complex { .. } => "complex",
                _ => return None,
            },
            _ => return None,
        },
        Expr::List(_) | Expr::ListComp(_) => "list",
        Expr::Tuple(_) => "tuple",
        Expr::Dict(_) | Expr::DictComp(_) => "dict",
        Expr::Set(_) | Expr::SetComp(_) => "set",
        _ => return None,
    })
}

/// For each method: the builtin that calls it, the types it accepts, and what it requires.
fn protocol(name: &str) -> Option<(&'static str, &'static [&'static str], &'static str)> {
    Some(match name {
        "__len__" => ("len", &["int", "bool"], "a non-negative int"),
        "__bool__" => ("bool", &["bool"], "a bool"),
        "__hash__" => ("hash", &["int", "bool"], "an int"),
        "__index__" => ("operator.index", &["int", "bool"], "an int"),
        "__int__" => ("int", &["int", "bool"], "an int"),
        "__float__" => ("float", &["float"], "a float"),
        "__complex__" => ("complex", &["complex"], "a complex"),
        "__iter__" => ("iter", &[], "an iterator"),
        _ => return None,
    })
}

struct HasYield(bool);

impl<'a> Visitor<'a> for HasYield {
    fn enter(&mut self, node: Node<'a>) -> bool {
        match node {
            Node::Stmt(Stmt::FunctionDef(_) | Stmt::AsyncFunctionDef(_) | Stmt::ClassDef(_))
            | Node::Expr(Expr::Lambda(_)) => return false,
            Node::Expr(Expr::Yield(_) | Expr::YieldFrom(_)) => self.0 = true,
            _ => {}
        }
        !self.0
    }
    fn leave(&mut self, _node: Node<'a>) {}
}

impl Rule for ProtocolReturnType {
    fn code(&self) -> &'static str {
        CODE
    }

    fn kinds(&self) -> &'static [Kind] {
        &[Kind::Return]
    }

    fn check(&self, node: Node<'_>, ctx: &mut Ctx<'_>) {
        let Node::Stmt(Stmt::Return(ret)) = node else {
            return;
        };
        let Some(value) = ret.value.as_deref() else {
            return;
        };
        let Some(kind) = literal_type(value) else {
            return;
        };
        let Some(f) = method(ctx) else {
            return;
        };
        let name = f.name.as_str();
        let Some((builtin, accepted, need)) = protocol(name) else {
            return;
        };
        let iter = name == "__iter__";
        let (what, error) = match kind {
            "negative" if name == "__len__" => ("a negative int".to_string(), "ValueError"),
            "negative" => ("an int".to_string(), "TypeError"),
            k if accepted.contains(&k) => return,
            k => (format!("a value of type `{k}`"), "TypeError"),
        };
        if kind == "negative" && name != "__len__" && accepted.contains(&"int") {
            return;
        }
        let mut y = HasYield(false);
        walk(&f.body, &mut y);
        if y.0 {
            // A generator's `return value` only sets StopIteration.value.
            return;
        }
        let (v0, v1) = span(value);
        let fix =
            if iter && !matches!(value, Expr::Constant(c) if matches!(c.value, Constant::None)) {
                ctx.source.get(v0..v1).map(|t| {
                    ctx.fix(
                        CODE,
                        &[],
                        Safety::Unsafe,
                        vec![Edit {
                            start: v0,
                            end: v1,
                            text: format!("iter({t})"),
                        }],
                    )
                })
            } else {
                None
            };
        let builtin_call = format!("{builtin}()");
        ctx.report(
            CODE,
            node.span(),
            &[
                ("method", name),
                ("what", what.as_str()),
                ("builtin", builtin_call.as_str()),
                ("need", need),
                ("error", error),
            ],
            fix,
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{findings, fixed, flagged};

    const T: (u8, u8) = (3, 12);

    #[test]
    fn flags_literals_of_the_wrong_type() {
        let src = "class Box:\n    def __len__(self):\n        if self.broken:\n            return -1\n        return 1.0\n    def __bool__(self):\n        return 1\n    def __hash__(self):\n        return 'box'\n    def __float__(self):\n        return 0\n    def __index__(self):\n        return None\n    def __iter__(self):\n        return [self.a, self.b]\n";
        let found = findings(src, "PM0118", T);
        assert_eq!(
            flagged(src, &found),
            [
                "return -1",
                "return 1.0",
                "return 1",
                "return 'box'",
                "return 0",
                "return None",
                "return [self.a, self.b]"
            ]
        );
        assert_eq!(
            found[0].message,
            "`__len__` returns a negative int, but `len()` requires a non-negative int and raises ValueError"
        );
        assert_eq!(
            found[2].message,
            "`__bool__` returns a value of type `int`, but `bool()` requires a bool and raises TypeError"
        );
        assert_eq!(found[0].section, "1.3.4");
        assert!(found[0].fix.is_none());
    }

    #[test]
    fn silent_on_accepted_types_and_other_scopes() {
        for src in [
            "class A:\n    def __len__(self):\n        return 0\n    def __bool__(self):\n        return False\n    def __hash__(self):\n        return -1\n    def __float__(self):\n        return 0.0\n    def __complex__(self):\n        return 1j\n    def __int__(self):\n        return -3\n",
            "class A:\n    def __len__(self):\n        return len(self.items)\n    def __iter__(self):\n        return iter([1, 2])\n",
            "class A:\n    def __iter__(self):\n        yield 1\n        return []\n",
            "class A:\n    def __bool__(self):\n        def helper():\n            return 1\n        return helper() == 1\n",
            "def __bool__(self):\n    return 1\n",
            "class A:\n    def __contains__(self, x):\n        return 1\n",
        ] {
            assert!(findings(src, "PM0118", T).is_empty(), "{src}");
        }
    }

    #[test]
    fn fix_wraps_an_iterable_in_iter() {
        assert_eq!(
            fixed(
                "class A:\n    def __iter__(self):\n        return [x for x in self.xs]\n",
                "PM0118",
                T
            ),
            "class A:\n    def __iter__(self):\n        return iter([x for x in self.xs])\n"
        );
    }
}
