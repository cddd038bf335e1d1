//! PM0112: `__slots__` assigned a single string, which declares one slot but makes every
//! tool that iterates `__slots__` see its characters (§1.4).

use super::{Ctx, Edit, Kind, Node, Rule, Safety, Scope};
use crate::syntax::ast::{Constant, Expr, Stmt};
use crate::syntax::span;

pub struct SlotsString;

const CODE: &str = "PM0112";

impl Rule for SlotsString {
    fn code(&self) -> &'static str {
        CODE
    }

    fn kinds(&self) -> &'static [Kind] {
        &[Kind::Assign, Kind::AnnAssign]
    }

    fn check(&self, node: Node<'_>, ctx: &mut Ctx<'_>) {
        let (targets, value): (&[Expr], &Expr) = match node {
            Node::Stmt(Stmt::Assign(a)) => (&a.targets, &a.value),
            Node::Stmt(Stmt::AnnAssign(a)) => match &a.value {
                Some(v) => (std::slice::from_ref(&*a.target), v),
                None => return,
            },
            _ => return,
        };
        if !matches!(ctx.scope(), Scope::Class(_))
            || !targets
                .iter()
                .any(|t| matches!(t, Expr::Name(n) if n.id.as_str() == "__slots__"))
        {
            return;
        }
        let Expr::Constant(c) = value else {
            return;
        };
        let Constant::Str(slot) = &c.value else {
            return;
        };
        let (start, end) = span(value);
        let fix = ctx.source.get(start..end).map(|text| {
            ctx.fix(
                CODE,
                &[("slot", slot.as_str())],
                Safety::Safe,
                vec![Edit {
                    start,
                    end,
                    text: format!("({text},)"),
                }],
            )
        });
        ctx.report(CODE, (start, end), &[("slot", slot.as_str())], fix);
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{findings, fixed, flagged};

    const T: (u8, u8) = (3, 12);

    #[test]
    fn flags_a_single_string() {
        let src =
            "class Node:\n    __slots__ = 'value'\n\nclass Leaf:\n    __slots__: str = \"data\"\n";
        let found = findings(src, "PM0112", T);
        assert_eq!(flagged(src, &found), ["'value'", "\"data\""]);
        assert_eq!(
            found[0].message,
            "`__slots__` is the single string `value`: Python reads it as one slot, but code that iterates `__slots__` sees one name per character; use a tuple"
        );
        assert_eq!(found[0].section, "1.4");
    }

    #[test]
    fn silent_on_collections_and_outside_classes() {
        let src = "__slots__ = 'x'\nclass A:\n    __slots__ = ('x',)\nclass B:\n    __slots__ = ['x', 'y']\nclass C:\n    __slots__ = ()\nclass D:\n    __slots__ = {'x': 'doc'}\nclass E:\n    def f(self):\n        __slots__ = 'x'\n";
        assert!(findings(src, "PM0112", T).is_empty());
    }

    #[test]
    fn fix_wraps_the_string_in_a_tuple() {
        assert_eq!(
            fixed("class Node:\n    __slots__ = 'value'\n", "PM0112", T),
            "class Node:\n    __slots__ = ('value',)\n"
        );
    }
}
