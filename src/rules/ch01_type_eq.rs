//! PM0152: `type(x) == T` / `type(x) != T`, an exact-type test written with equality, where
//! `isinstance` (or, for a deliberate exact check, `is`) says what is meant (§1.9).

use super::typing_names::BlockNames;
use super::{Ctx, Edit, Kind, Node, Rule, Safety};
use crate::syntax::ast::{CmpOp, Expr};
use crate::syntax::span;

pub struct TypeEq;

const CODE: &str = "PM0152";

/// The argument of a one-argument `type(...)` call.
fn type_call_arg(e: &Expr) -> Option<&Expr> {
    let Expr::Call(c) = e else { return None };
    if !matches!(&*c.func, Expr::Name(n) if n.id.as_str() == "type") || !c.keywords.is_empty() {
        return None;
    }
    match &c.args[..] {
        [a] if !matches!(a, Expr::Starred(_) | Expr::Yield(_) | Expr::YieldFrom(_)) => Some(a),
        _ => None,
    }
}

/// A class written as a name or a dotted name.
fn is_dotted(e: &Expr) -> bool {
    match e {
        Expr::Name(_) => true,
        Expr::Attribute(a) => is_dotted(&a.value),
        _ => false,
    }
}

impl Rule for TypeEq {
    fn code(&self) -> &'static str {
        CODE
    }

    fn kinds(&self) -> &'static [Kind] {
        &[Kind::Compare]
    }

    fn check(&self, node: Node<'_>, ctx: &mut Ctx<'_>) {
        let Node::Expr(e @ Expr::Compare(c)) = node else {
            return;
        };
        let ([op], [right]) = (&c.ops[..], &c.comparators[..]) else {
            return;
        };
        let negated = match op {
            CmpOp::Eq => false,
            CmpOp::NotEq => true,
            _ => return,
        };
        let (obj, class) = match (type_call_arg(&c.left), type_call_arg(right)) {
            (Some(obj), None) if is_dotted(right) => (obj, right),
            (None, Some(obj)) if is_dotted(&c.left) => (obj, &*c.left),
            _ => return,
        };
        if BlockNames::of_block(node, ctx).assigns("type") {
            return;
        }
        let (o0, o1) = span(obj);
        let (k0, k1) = span(class);
        let (Some(obj_text), Some(class_text)) = (ctx.source.get(o0..o1), ctx.source.get(k0..k1))
        else {
            return;
        };
        let not = if negated { "not " } else { "" };
        let call = format!("{not}isinstance({obj_text}, {class_text})");
        let (op_text, is_text) = if negated {
            ("!=", "is not")
        } else {
            ("==", "is")
        };
        let fix = ctx.fix(
            CODE,
            &[("call", &call)],
            Safety::Unsafe,
            vec![Edit {
                start: span(e).0,
                end: span(e).1,
                text: call.clone(),
            }],
        );
        ctx.report(
            CODE,
            span(e),
            &[("op", op_text), ("is", is_text), ("not", not)],
            Some(fix),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{findings, fixed, flagged};

    const T: (u8, u8) = (3, 12);

    #[test]
    fn flags_type_equality() {
        let src =
            "if type(node) == ast.Name:\n    pass\nok = type(v) != int\nback = str == type(s)\n";
        let found = findings(src, "PM0152", T);
        assert_eq!(
            flagged(src, &found),
            ["type(node) == ast.Name", "type(v) != int", "str == type(s)"]
        );
        assert_eq!(
            found[0].message,
            "`type(x) == T` rejects instances of subclasses of `T`: use `isinstance(x, T)`, or `type(x) is T` when the exact type is the point"
        );
        assert_eq!(
            found[1].message,
            "`type(x) != T` rejects instances of subclasses of `T`: use `not isinstance(x, T)`, or `type(x) is not T` when the exact type is the point"
        );
        assert_eq!(found[0].section, "1.9");
    }

    #[test]
    fn silent_on_is_two_types_and_other_shapes() {
        let src = "a = type(x) is int\nb = type(self) == type(other)\nc = type(x) in (int, float)\nd = type(x) == CLASSES[0]\ne = type(x, (), {}) == T\nf = 0 < type(x) == T\ng = x.type(y) == T\n";
        assert!(findings(src, "PM0152", T).is_empty());
    }

    #[test]
    fn silent_when_type_is_rebound() {
        let src = "def f(type, x):\n    return type(x) == int\n";
        assert!(findings(src, "PM0152", T).is_empty());
    }

    #[test]
    fn fix_uses_isinstance() {
        assert_eq!(
            fixed(
                "if a and type(obj.attr) != mod.Cls:\n    pass\n",
                "PM0152",
                T
            ),
            "if a and not isinstance(obj.attr, mod.Cls):\n    pass\n"
        );
        assert_eq!(
            fixed("ok = int == type(a + b)\n", "PM0152", T),
            "ok = isinstance(a + b, int)\n"
        );
    }
}
