//! PM0160: base classes that cannot be linearised: the same base twice, or a base listed before
//! one of its own subclasses (§1.2.1). Either way the `class` statement raises TypeError.

use super::{Ctx, Kind, Node, Rule};
use crate::syntax::ast::Stmt;
use crate::syntax::facts::dotted;
use crate::syntax::span;

pub struct MroConflict;

const CODE: &str = "PM0160";

impl Rule for MroConflict {
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
        let bases: Vec<Option<String>> = class.bases.iter().map(dotted).collect();
        for (j, later) in bases.iter().enumerate() {
            let Some(later) = later else { continue };
            for (i, earlier) in bases[..j].iter().enumerate() {
                let Some(earlier) = earlier else { continue };
                let range = span(&class.bases[j]);
                if earlier == later {
                    ctx.report(
                        CODE,
                        range,
                        &[("why", &format!("`{later}` is listed twice"))],
                        None,
                    );
                    break;
                }
                // `object` is everyone's ancestor; other ancestry is known for this module's
                // own classes.
                let derives = earlier == "object"
                    || ctx
                        .module
                        .ancestors(later)
                        .iter()
                        .any(|(n, _)| n == earlier);
                if derives {
                    let why = format!(
                        "`{later}` derives from `{earlier}`, which is listed before it, so no order can put `{later}` first as its position demands"
                    );
                    ctx.report(CODE, span(&class.bases[i]), &[("why", &why)], None);
                    break;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{findings, flagged};

    const T: (u8, u8) = (3, 12);

    #[test]
    fn flags_duplicates_and_a_base_before_its_subclass() {
        let src = "class Base:\n    pass\n\n\nclass Mid(Base):\n    pass\n\n\nclass Leaf(Mid):\n    pass\n\n\nclass A(Base, Leaf):\n    pass\n\n\nclass B(Mixin, Mixin):\n    pass\n\n\nclass C(object, Base):\n    pass\n";
        let found = findings(src, "PM0160", T);
        assert_eq!(flagged(src, &found), ["Base", "Mixin", "object"]);
        assert_eq!(
            found[0].message,
            "These bases cannot be put in one method resolution order: `Leaf` derives from `Base`, which is listed before it, so no order can put `Leaf` first as its position demands. The class statement raises TypeError"
        );
        assert_eq!(found[0].section, "1.2.1");
        assert_eq!(
            found[1].message,
            "These bases cannot be put in one method resolution order: `Mixin` is listed twice. The class statement raises TypeError"
        );
    }

    #[test]
    fn silent_on_orders_that_linearise() {
        for src in [
            "class Base: pass\nclass Mid(Base): pass\nclass A(Mid, Base): pass\n",
            "class A(Mixin, Base, metaclass=M): pass\n",
            "class A(Base, object): pass\n",
            "class X(Unknown): pass\nclass A(Unknown2, X): pass\n",
            "class A(Generic[T], Base): pass\n",
        ] {
            assert!(findings(src, "PM0160", T).is_empty(), "{src}");
        }
    }
}
