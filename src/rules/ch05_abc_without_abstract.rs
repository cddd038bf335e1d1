//! PM0503: a class made abstract with `ABC` or `ABCMeta` that declares no abstract method, so
//! nothing stops it from being instantiated (§5.8).

use super::ch05_abcmeta_keyword::{is_abc, is_direct_abc};
use super::source::def_name;
use super::{Ctx, Kind, Node, Rule};
use crate::syntax::ast::{Expr, Stmt};
use crate::syntax::span;

pub struct AbcWithoutAbstract;

const CODE: &str = "PM0503";

/// True for `@abstractmethod` and its deprecated relatives, however they are reached.
pub(super) fn is_abstract_decorator(e: &Expr) -> bool {
    let e = match e {
        Expr::Call(c) => &*c.func,
        other => other,
    };
    let name = match e {
        Expr::Name(n) => n.id.as_str(),
        Expr::Attribute(a) => a.attr.as_str(),
        _ => return false,
    };
    matches!(
        name,
        "abstractmethod" | "abstractproperty" | "abstractclassmethod" | "abstractstaticmethod"
    )
}

/// The decorators of a statement that is a `def` or `async def`.
pub(super) fn def_decorators(s: &Stmt) -> Option<&[Expr]> {
    match s {
        Stmt::FunctionDef(f) => Some(&f.decorator_list),
        Stmt::AsyncFunctionDef(f) => Some(&f.decorator_list),
        _ => None,
    }
}

impl Rule for AbcWithoutAbstract {
    fn code(&self) -> &'static str {
        CODE
    }

    fn kinds(&self) -> &'static [Kind] {
        &[Kind::ClassDef]
    }

    fn check(&self, node: Node<'_>, ctx: &mut Ctx<'_>) {
        let Node::Stmt(s @ Stmt::ClassDef(c)) = node else {
            return;
        };
        // Only a class whose sole parent is ABC (or none, with the metaclass): another base may
        // bring abstract methods this block cannot see.
        if !is_direct_abc(ctx, c) || !c.bases.iter().all(|b| is_abc(ctx, b)) {
            return;
        }
        for st in &c.body {
            if let Some(decs) = def_decorators(st) {
                if decs.iter().any(is_abstract_decorator) {
                    return;
                }
            }
            // A structural check or an explicit abstract set is a different contract.
            let named = match st {
                Stmt::FunctionDef(f) => f.name.as_str(),
                Stmt::AsyncFunctionDef(f) => f.name.as_str(),
                Stmt::Assign(a) => match a.targets.first() {
                    Some(Expr::Name(n)) => n.id.as_str(),
                    _ => "",
                },
                _ => "",
            };
            if matches!(named, "__subclasshook__" | "__abstractmethods__") {
                return;
            }
        }
        let name = c.name.as_str();
        let range = def_name(ctx.source, span(s).0, &c.decorator_list, name);
        ctx.report(CODE, range, &[("name", name)], None);
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{findings, flagged};

    const T: (u8, u8) = (3, 12);

    #[test]
    fn flags_an_abc_with_nothing_abstract() {
        let src = "from abc import ABC\nclass Store(ABC):\n    def get(self, key):\n        raise NotImplementedError\n";
        let found = findings(src, "PM0503", T);
        assert_eq!(flagged(src, &found), ["Store"]);
        assert_eq!(
            found[0].message,
            "`Store` is an ABC with no abstract method: `Store()` works, and subclasses are held to nothing"
        );
        assert_eq!(found[0].section, "5.8");
        let src = "import abc\nclass Store(metaclass=abc.ABCMeta):\n    pass\n";
        assert_eq!(findings(src, "PM0503", T).len(), 1);
    }

    #[test]
    fn silent_with_abstract_methods_hooks_or_other_bases() {
        let src = "from abc import ABC, abstractmethod\nclass A(ABC):\n    @property\n    @abstractmethod\n    def size(self): ...\n";
        assert!(findings(src, "PM0503", T).is_empty());
        let src = "class B(ABC):\n    @classmethod\n    def __subclasshook__(cls, C):\n        return NotImplemented\n";
        assert!(findings(src, "PM0503", T).is_empty());
        let src = "class C(Base, ABC):\n    def f(self):\n        pass\n";
        assert!(findings(src, "PM0503", T).is_empty());
        let src = "class D(Base):\n    pass\nclass E(metaclass=Meta):\n    pass\n";
        assert!(findings(src, "PM0503", T).is_empty());
    }
}
