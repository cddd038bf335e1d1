//! PM0151: `return False` in `__subclasshook__`, which is a final "not a subclass" for the
//! ABC machinery, where `NotImplemented` ("no opinion") was almost always meant (§1.9).

use super::{Ctx, Edit, Kind, Node, Rule, Safety, Scope};
use crate::syntax::ast::{Constant, Expr, Stmt};
use crate::syntax::span;
use crate::syntax::walk::{walk, Visitor};

pub struct SubclasshookFalse;

const CODE: &str = "PM0151";

impl Rule for SubclasshookFalse {
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
        if f.name.as_str() != "__subclasshook__" || !matches!(ctx.scope(), Scope::Class(_)) {
            return;
        }
        let mut found = ReturnsFalse { out: Vec::new() };
        walk(&f.body, &mut found);
        for (ret, value) in found.out {
            let fix = ctx.fix(
                CODE,
                &[],
                Safety::Unsafe,
                vec![Edit {
                    start: value.0,
                    end: value.1,
                    text: "NotImplemented".into(),
                }],
            );
            ctx.report(CODE, ret, &[], Some(fix));
        }
    }
}

/// `return False` statements of the function itself (not of nested definitions): the
/// statement's range and the range of `False`.
struct ReturnsFalse {
    out: Vec<((usize, usize), (usize, usize))>,
}

impl<'a> Visitor<'a> for ReturnsFalse {
    fn enter(&mut self, node: Node<'a>) -> bool {
        match node {
            Node::Stmt(s @ Stmt::Return(r)) => {
                if let Some(v) = &r.value {
                    if matches!(&**v, Expr::Constant(c) if matches!(c.value, Constant::Bool(false)))
                    {
                        self.out.push((span(s), span(&**v)));
                    }
                }
                false
            }
            Node::Stmt(Stmt::FunctionDef(_) | Stmt::AsyncFunctionDef(_) | Stmt::ClassDef(_))
            | Node::Expr(Expr::Lambda(_)) => false,
            _ => true,
        }
    }

    fn leave(&mut self, _node: Node<'a>) {}
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{findings, fixed, flagged};

    const T: (u8, u8) = (3, 12);

    #[test]
    fn flags_return_false() {
        let src = "class Closeable(ABC):\n    @classmethod\n    def __subclasshook__(cls, C):\n        if cls is not Closeable:\n            return False\n        if any('close' in B.__dict__ for B in C.__mro__):\n            return True\n        return False\n";
        let found = findings(src, "PM0151", T);
        assert_eq!(flagged(src, &found), ["return False", "return False"]);
        assert_eq!(
            found[0].message,
            "`__subclasshook__` returning False says \"not a subclass\" for good, even for real and registered subclasses; return `NotImplemented` to leave the decision to the usual checks"
        );
        assert_eq!(found[0].section, "1.9");
    }

    #[test]
    fn silent_on_not_implemented_and_elsewhere() {
        let src = "class A(ABC):\n    @classmethod\n    def __subclasshook__(cls, C):\n        def helper():\n            return False\n        if cls is A:\n            return _check(C, 'read') or NotImplemented\n        return NotImplemented\n\n    def other(self):\n        return False\n\ndef __subclasshook__(cls, C):\n    return False\n";
        assert!(findings(src, "PM0151", T).is_empty());
    }

    #[test]
    fn fix_returns_not_implemented() {
        assert_eq!(
            fixed(
                "class R(ABC):\n    @classmethod\n    def __subclasshook__(cls, C):\n        return True if hasattr(C, 'read') else False\n        return False  # no\n",
                "PM0151",
                T
            ),
            "class R(ABC):\n    @classmethod\n    def __subclasshook__(cls, C):\n        return True if hasattr(C, 'read') else False\n        return NotImplemented  # no\n"
        );
    }
}
