//! PM0156: `== None` / `!= None` and `== True` / `== False`, equality tests against singletons
//! that the other operand's `__eq__` can answer differently from identity (§1.11).

use super::{Ctx, Edit, Kind, Node, Rule, Safety};
use crate::syntax::ast::{CmpOp, Constant, Expr};
use crate::syntax::span;

pub struct EqSingleton;

const CODE: &str = "PM0156";

/// Query builders overload `==` on purpose (`Model.field == None` means SQL `IS NULL`).
const QUERY_CALLS: &[&str] = &[
    "filter", "where", "having", "and_", "or_", "not_", "exclude",
];

fn singleton(e: &Expr) -> Option<&'static str> {
    let Expr::Constant(c) = e else { return None };
    match c.value {
        Constant::None => Some("None"),
        Constant::Bool(true) => Some("True"),
        Constant::Bool(false) => Some("False"),
        _ => None,
    }
}

impl Rule for EqSingleton {
    fn code(&self) -> &'static str {
        CODE
    }

    fn kinds(&self) -> &'static [Kind] {
        &[Kind::Compare]
    }

    fn check(&self, node: Node<'_>, ctx: &mut Ctx<'_>) {
        let Node::Expr(Expr::Compare(cmp)) = node else {
            return;
        };
        let in_query = ctx.parents.iter().rev().take(3).any(|p| {
            matches!(p, Node::Expr(Expr::Call(c)) if super::typing_names::last_name(&c.func)
                .is_some_and(|n| QUERY_CALLS.contains(&n)))
        });
        if in_query {
            return;
        }
        for (i, op) in cmp.ops.iter().enumerate() {
            let negated = match op {
                CmpOp::Eq => false,
                CmpOp::NotEq => true,
                _ => continue,
            };
            let left = if i == 0 {
                &*cmp.left
            } else {
                &cmp.comparators[i - 1]
            };
            let right = &cmp.comparators[i];
            let Some(value) = singleton(right).or_else(|| singleton(left)) else {
                continue;
            };
            if singleton(right).is_some() && singleton(left).is_some() {
                continue;
            }
            let (from, to) = (span(left).1, span(right).0);
            let Some(between) = ctx.source.get(from..to) else {
                continue;
            };
            let sym = if negated { "!=" } else { "==" };
            let is = if negated { "is not" } else { "is" };
            let fix = match (between.find(sym), between.contains('#')) {
                (Some(at), false) => Some(ctx.fix(
                    CODE,
                    &[("is", is)],
                    Safety::Unsafe,
                    vec![Edit {
                        start: from + at,
                        end: from + at + 2,
                        text: is.to_string(),
                    }],
                )),
                _ => None,
            };
            ctx.report(
                CODE,
                (span(left).0, span(right).1),
                &[("op", sym), ("value", value), ("is", is)],
                fix,
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{findings, fixed, flagged};

    const T: (u8, u8) = (3, 12);

    #[test]
    fn flags_equality_with_singletons() {
        let src = "if x == None:\n    pass\nok = y != None\ndone = flag == True\nnone = None == z\nbad = w != False\n";
        let found = findings(src, "PM0156", T);
        assert_eq!(
            flagged(src, &found),
            [
                "x == None",
                "y != None",
                "flag == True",
                "None == z",
                "w != False"
            ]
        );
        assert_eq!(
            found[0].message,
            "`== None` asks the other operand's `__eq__`, which may answer anything; test the singleton by identity: `is None`"
        );
        assert_eq!(found[0].section, "1.11");
    }

    #[test]
    fn silent_on_identity_and_query_builders() {
        let src = "a = x is None\nb = y is not True\nc = x == 0\nd = session.query(U).filter(U.name == None)\ne = select(t).where(t.c.x != None)\nf = None == None\n";
        assert!(findings(src, "PM0156", T).is_empty());
    }

    #[test]
    fn fix_uses_is() {
        assert_eq!(
            fixed("if (obj.x\n        != None):\n    pass\n", "PM0156", T),
            "if (obj.x\n        is not None):\n    pass\n"
        );
        assert_eq!(
            fixed("ok = done == True\n", "PM0156", T),
            "ok = done is True\n"
        );
    }
}
