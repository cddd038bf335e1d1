//! PM0161: `__slots__` in a class whose parent, defined in this module, has no `__slots__`
//! (§1.4). The parent already gives every instance a `__dict__`, so the slots save nothing.

use super::{Ctx, Kind, Node, Rule};
use crate::syntax::ast::{Expr, Stmt};
use crate::syntax::facts::dotted;
use crate::syntax::span;

pub struct SlotsParentDict;

const CODE: &str = "PM0161";

impl Rule for SlotsParentDict {
    fn code(&self) -> &'static str {
        CODE
    }

    fn kinds(&self) -> &'static [Kind] {
        &[Kind::ClassDef]
    }

    fn check(&self, node: Node<'_>, ctx: &mut Ctx<'_>) {
        let Node::Stmt(Stmt::ClassDef(class)) = node else {
            return;
        };
        let Some(slots) = class.body.iter().find(|s| assigns_slots(s)) else {
            return;
        };
        for base in &class.bases {
            let Some(name) = dotted(base) else { continue };
            let Some(parent) = ctx.module.class(&name) else {
                continue;
            };
            // A class decorator (dataclass(slots=True), attrs) may rebuild the parent with slots.
            // A NamedTuple class body becomes a namedtuple, which has `__slots__ = ()`.
            let named_tuple = parent.bases.iter().any(|b| b.ends_with("NamedTuple"));
            if parent.slots.is_some()
                || !parent.decorators.is_empty()
                || named_tuple
                || name == class.name.as_str()
            {
                continue;
            }
            let (s, _) = span(slots);
            let end = s + "__slots__".len();
            ctx.report(CODE, (s, end), &[("parent", &name)], None);
            return;
        }
    }
}

fn assigns_slots(s: &Stmt) -> bool {
    let is = |t: &Expr| matches!(t, Expr::Name(n) if n.id.as_str() == "__slots__");
    match s {
        Stmt::Assign(a) => a.targets.iter().any(is),
        Stmt::AnnAssign(a) => a.value.is_some() && is(&a.target),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{findings, flagged};

    const T: (u8, u8) = (3, 12);

    #[test]
    fn flags_slots_under_a_parent_without_them() {
        let src = "class Record:\n    def __init__(self):\n        self.id = 0\n\n\nclass Point(Record):\n    __slots__ = ('x', 'y')\n";
        let found = findings(src, "PM0161", T);
        assert_eq!(flagged(src, &found), ["__slots__"]);
        assert_eq!(
            found[0].message,
            "`__slots__` saves nothing here: the parent `Record` has no `__slots__`, so instances still get a `__dict__`"
        );
        assert_eq!(found[0].section, "1.4");
    }

    #[test]
    fn silent_when_the_parent_has_slots_or_is_unknown() {
        for src in [
            "class Base:\n    __slots__ = ()\n\nclass P(Base):\n    __slots__ = ('x',)\n",
            "class P(Imported):\n    __slots__ = ('x',)\n",
            "@dataclass(slots=True)\nclass Base:\n    a: int\n\nclass P(Base):\n    __slots__ = ('x',)\n",
            "class Base:\n    pass\n\nclass P(Base):\n    x = 1\n",
            "class Row(NamedTuple):\n    a: int\n\nclass P(Row):\n    __slots__ = ()\n",
        ] {
            assert!(findings(src, "PM0161", T).is_empty(), "{src}");
        }
    }
}
