//! PM0162: a slot that a parent class of this module already declares (§1.4). The child's slot
//! hides the parent's: each instance reserves room for both and the parent's is unreachable.

use super::{Ctx, Edit, Kind, Node, Rule, Safety};
use crate::syntax::ast::{Constant, Expr, Stmt};
use crate::syntax::span;

pub struct SlotRedefined;

const CODE: &str = "PM0162";

impl Rule for SlotRedefined {
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
        let Some(value) = class.body.iter().find_map(slots_value) else {
            return;
        };
        let elts = match value {
            Expr::Tuple(t) => &t.elts,
            Expr::List(l) => &l.elts,
            _ => return,
        };
        let ancestors = ctx.module.ancestors(class.name.as_str());
        for (k, e) in elts.iter().enumerate() {
            let Expr::Constant(c) = e else { continue };
            let Constant::Str(slot) = &c.value else {
                continue;
            };
            let Some((owner, _)) = ancestors.iter().find(|(_, a)| {
                a.slots
                    .as_ref()
                    .is_some_and(|s| s.iter().any(|x| x == slot))
            }) else {
                continue;
            };
            let fix = removal(ctx.source, value, elts, k)
                .map(|edit| ctx.fix(CODE, &[("slot", slot)], Safety::Safe, vec![edit]));
            ctx.report(CODE, span(e), &[("slot", slot), ("parent", owner)], fix);
        }
    }
}

fn slots_value(s: &Stmt) -> Option<&Expr> {
    let is = |t: &Expr| matches!(t, Expr::Name(n) if n.id.as_str() == "__slots__");
    match s {
        Stmt::Assign(a) if a.targets.iter().any(is) => Some(&a.value),
        Stmt::AnnAssign(a) if is(&a.target) => a.value.as_deref(),
        _ => None,
    }
}

/// The edit that drops element `k` with its separator; None when a comment sits in the way.
fn removal(source: &str, whole: &Expr, elts: &[Expr], k: usize) -> Option<Edit> {
    let (s, t) = span(&elts[k]);
    let (start, end) = if k + 1 < elts.len() {
        (s, span(&elts[k + 1]).0)
    } else if k > 0 {
        // Keep the comma after the previous element: `('a', 'b')` becomes `('a',)`, a tuple.
        let prev = span(&elts[k - 1]).1;
        let after_comma = source.get(prev..)?.starts_with(',');
        (prev + usize::from(after_comma), t)
    } else {
        // The only element: an empty literal of the same kind.
        let (ws, wt) = span(whole);
        let empty = if matches!(whole, Expr::List(_)) {
            "[]"
        } else {
            "()"
        };
        if source.get(ws..wt)?.contains('#') {
            return None;
        }
        return Some(Edit {
            start: ws,
            end: wt,
            text: empty.into(),
        });
    };
    if source.get(start..end)?.contains('#') {
        return None;
    }
    Some(Edit {
        start,
        end,
        text: String::new(),
    })
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{findings, fixed, flagged};

    const T: (u8, u8) = (3, 12);
    const BASE: &str = "class Base:\n    __slots__ = ('id', 'name')\n\n\nclass Mid(Base):\n    __slots__ = ()\n\n\n";

    #[test]
    fn flags_a_slot_an_ancestor_declares() {
        let src = format!("{BASE}class Leaf(Mid):\n    __slots__ = ('extra', 'id')\n");
        let found = findings(&src, "PM0162", T);
        assert_eq!(flagged(&src, &found), ["'id'"]);
        assert_eq!(
            found[0].message,
            "Slot `id` is already declared by `Base`: this one hides it and every instance reserves room for both"
        );
        assert_eq!(found[0].section, "1.4");
    }

    #[test]
    fn silent_on_new_slots_and_unknown_parents() {
        for src in [
            format!("{BASE}class Leaf(Mid):\n    __slots__ = ('extra',)\n"),
            "class Leaf(Imported):\n    __slots__ = ('id',)\n".to_string(),
            "class Base:\n    id = None\n\nclass Leaf(Base):\n    __slots__ = ('id',)\n"
                .to_string(),
        ] {
            assert!(findings(&src, "PM0162", T).is_empty(), "{src}");
        }
    }

    #[test]
    fn fix_drops_the_slot() {
        assert_eq!(
            fixed(
                &format!("{BASE}class Leaf(Mid):\n    __slots__ = ('extra', 'id')\n"),
                "PM0162",
                T
            ),
            format!("{BASE}class Leaf(Mid):\n    __slots__ = ('extra',)\n")
        );
        assert_eq!(
            fixed(
                &format!("{BASE}class Leaf(Mid):\n    __slots__ = ['name', 'x']\n"),
                "PM0162",
                T
            ),
            format!("{BASE}class Leaf(Mid):\n    __slots__ = ['x']\n")
        );
        assert_eq!(
            fixed(
                &format!("{BASE}class Leaf(Mid):\n    __slots__ = ('id',)\n"),
                "PM0162",
                T
            ),
            format!("{BASE}class Leaf(Mid):\n    __slots__ = ()\n")
        );
    }
}
