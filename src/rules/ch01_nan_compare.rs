//! PM0157: `==` / `!=` against `float("nan")` or `math.nan`, which are always False / True
//! because NaN equals nothing, itself included (§1.11).

use super::typing_names::BlockNames;
use super::{Ctx, Edit, Kind, Node, Rule, Safety};
use crate::syntax::ast::{CmpOp, Constant, Expr};
use crate::syntax::span;

pub struct NanCompare;

const CODE: &str = "PM0157";

/// `float("nan")` (any case, optional sign) or a name ending in `.nan` / `nan` resolved to `math`.
fn is_nan(e: &Expr, names: &BlockNames) -> bool {
    match e {
        Expr::Call(c) => {
            matches!(&*c.func, Expr::Name(n) if n.id.as_str() == "float")
                && c.keywords.is_empty()
                && matches!(&c.args[..], [Expr::Constant(k)] if matches!(&k.value,
                    Constant::Str(s) if matches!(s.trim().to_ascii_lowercase().as_str(), "nan" | "+nan" | "-nan")))
                && !names.assigns("float")
        }
        Expr::Attribute(_) | Expr::Name(_) => names
            .resolve(e)
            .is_some_and(|r| r.member == "nan" && r.module.as_deref() == Some("math")),
        _ => false,
    }
}

impl Rule for NanCompare {
    fn code(&self) -> &'static str {
        CODE
    }

    fn kinds(&self) -> &'static [Kind] {
        &[Kind::Compare]
    }

    fn check(&self, node: Node<'_>, ctx: &mut Ctx<'_>) {
        let Node::Expr(e @ Expr::Compare(cmp)) = node else {
            return;
        };
        let text = ctx.source.get(span(e).0..span(e).1).unwrap_or("");
        if !text.to_ascii_lowercase().contains("nan") {
            return;
        }
        let names = BlockNames::of_block(node, ctx);
        let single = cmp.ops.len() == 1;
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
            let other = match (is_nan(left, &names), is_nan(right, &names)) {
                (false, true) => left,
                (true, false) => right,
                _ => continue,
            };
            let (sym, always) = if negated {
                ("!=", "True")
            } else {
                ("==", "False")
            };
            // `math.isnan` only where this block imports `math` under that name.
            let math_usable = names.binds("math") && !names.assigns("math");
            let other_text = ctx.source.get(span(other).0..span(other).1);
            let fix = match (single, math_usable, other_text) {
                (true, true, Some(t)) => {
                    let not = if negated { "not " } else { "" };
                    let new = format!("{not}math.isnan({t})");
                    Some(ctx.fix(
                        CODE,
                        &[("new", &new)],
                        Safety::Unsafe,
                        vec![Edit {
                            start: span(e).0,
                            end: span(e).1,
                            text: new.clone(),
                        }],
                    ))
                }
                _ => None,
            };
            ctx.report(
                CODE,
                (span(left).0, span(right).1),
                &[("op", sym), ("always", always)],
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
    fn flags_nan_equality() {
        let src = "import math\nif x == float('nan'):\n    pass\nok = y != math.nan\nz = float(\"NaN\") == w\n";
        let found = findings(src, "PM0157", T);
        assert_eq!(
            flagged(src, &found),
            ["x == float('nan')", "y != math.nan", "float(\"NaN\") == w"]
        );
        assert_eq!(
            found[0].message,
            "`{op} nan` is always False: NaN is not equal to anything, itself included; test with `math.isnan(x)` (or `x != x`)"
                .replace("{op}", "==")
        );
        assert_eq!(found[0].section, "1.11");
    }

    #[test]
    fn silent_on_other_comparisons() {
        let src = "a = x == float('inf')\nb = math.isnan(x)\nc = x != x\nd = x == nan\ne = x is math.nan\nf = x == np.nan\n";
        assert!(findings(src, "PM0157", T).is_empty());
    }

    #[test]
    fn fix_only_when_math_is_imported_in_the_block() {
        assert_eq!(
            fixed(
                "def f(v):\n    import math\n    return v != float('nan')\n",
                "PM0157",
                T
            ),
            "def f(v):\n    import math\n    return not math.isnan(v)\n"
        );
        let found = findings("def g(v):\n    return v == float('nan')\n", "PM0157", T);
        assert_eq!(found.len(), 1);
        assert!(found[0].fix.is_none());
    }
}
