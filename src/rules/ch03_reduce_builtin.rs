//! PM0306: `functools.reduce` re-implementing `sum`, `any`, `all`, `max` or `min` (§3.3.4).

use super::gen_util::{builtin_call, is_member, is_name, plain_params};
use super::typing_names::BlockNames;
use super::{Ctx, Edit, Kind, Node, Rule, Safety};
use crate::syntax::ast::{BoolOp, CmpOp, Constant, Expr, Operator};
use crate::syntax::span;

pub struct ReduceBuiltin;

const CODE: &str = "PM0306";

/// What a reducing function computes, and whether `builtin(xs)` returns the same element when
/// two items tie (`max` and `min` keep the first of equal items, the accumulator).
struct Reducer {
    builtin: &'static str,
    exact: bool,
}

fn reducer(f: &Expr, names: &BlockNames) -> Option<Reducer> {
    let r = |builtin, exact| Some(Reducer { builtin, exact });
    match f {
        Expr::Lambda(l) => {
            let params = plain_params(l)?;
            let [a, b] = params[..] else { return None };
            if a == b {
                return None;
            }
            match &*l.body {
                Expr::BinOp(x)
                    if matches!(x.op, Operator::Add)
                        && is_name(&x.left, a)
                        && is_name(&x.right, b) =>
                {
                    r("sum", true)
                }
                Expr::BoolOp(x) if matches!(&x.values[..], [p, q] if is_name(p, a) && is_name(q, b)) => {
                    match x.op {
                        BoolOp::Or => r("any", false),
                        BoolOp::And => r("all", false),
                    }
                }
                Expr::IfExp(x) => {
                    let Expr::Compare(c) = &*x.test else {
                        return None;
                    };
                    let ([op], [right]) = (&c.ops[..], &c.comparators[..]) else {
                        return None;
                    };
                    let left = &*c.left;
                    let (pick, other) = (&*x.body, &*x.orelse);
                    let same = |p: &Expr, q: &Expr| {
                        (is_name(p, a) && is_name(q, a)) || (is_name(p, b) && is_name(q, b))
                    };
                    let both = (is_name(pick, a) && is_name(other, b))
                        || (is_name(pick, b) && is_name(other, a));
                    if !both {
                        return None;
                    }
                    let larger = match op {
                        CmpOp::Gt | CmpOp::GtE => true,
                        CmpOp::Lt | CmpOp::LtE => false,
                        _ => return None,
                    };
                    // `pick if left OP right else other`: picks `left` when it is the larger
                    // (Gt) or the smaller (Lt) one.
                    let builtin = if same(pick, left) && same(other, right) {
                        if larger {
                            "max"
                        } else {
                            "min"
                        }
                    } else if same(pick, right) && same(other, left) {
                        if larger {
                            "min"
                        } else {
                            "max"
                        }
                    } else {
                        return None;
                    };
                    // On a tie a strict test picks `other`, a non-strict one `pick`; the
                    // builtins keep the accumulator `a`.
                    let strict = matches!(op, CmpOp::Gt | CmpOp::Lt);
                    let kept = if strict { other } else { pick };
                    r(builtin, is_name(kept, a))
                }
                Expr::Call(c) if c.keywords.is_empty() => {
                    let m = ["max", "min"]
                        .into_iter()
                        .find(|m| builtin_call(&l.body, names, m).is_some())?;
                    matches!(&c.args[..], [p, q] if is_name(p, a) && is_name(q, b)).then_some(
                        Reducer {
                            builtin: m,
                            exact: true,
                        },
                    )
                }
                _ => None,
            }
        }
        _ if is_member(f, names, "operator", "add") => r("sum", true),
        Expr::Name(n) if matches!(n.id.as_str(), "max" | "min") && !names.binds(&n.id) => {
            r(if n.id.as_str() == "max" { "max" } else { "min" }, true)
        }
        _ => None,
    }
}

impl Rule for ReduceBuiltin {
    fn code(&self) -> &'static str {
        CODE
    }

    fn kinds(&self) -> &'static [Kind] {
        &[Kind::Call]
    }

    fn check(&self, node: Node<'_>, ctx: &mut Ctx<'_>) {
        let Node::Expr(e @ Expr::Call(call)) = node else {
            return;
        };
        if !matches!(&*call.func, Expr::Name(n) if n.id.as_str() == "reduce")
            && !matches!(&*call.func, Expr::Attribute(a) if a.attr.as_str() == "reduce")
        {
            return;
        }
        if !call.keywords.is_empty() {
            return;
        }
        let (f, items, init) = match &call.args[..] {
            [f, items] => (f, items, None),
            [f, items, init] => (f, items, Some(init)),
            _ => return,
        };
        if [f, items].iter().any(|x| matches!(x, Expr::Starred(_))) {
            return;
        }
        let names = BlockNames::of_block(node, ctx);
        if !is_member(&call.func, &names, "functools", "reduce") {
            return;
        }
        let Some(red) = reducer(f, &names) else {
            return;
        };
        let builtin = red.builtin;
        // The exact mappings: `sum` from no start or a number, `max`/`min` without an
        // initial value and with the builtins' choice on ties.
        let start = match (builtin, init) {
            ("sum", None) => Some(None),
            ("sum", Some(Expr::Constant(c))) => match &c.value {
                Constant::Int(i) if i.to_string() == "0" => Some(None),
                Constant::Int(_) | Constant::Float(_) => Some(Some(init)),
                _ => None,
            },
            ("max" | "min", None) if red.exact => Some(None),
            _ => None,
        };
        let text = |x: &Expr| ctx.source.get(span(x).0..span(x).1);
        let fix = match (start, text(items)) {
            (Some(start), Some(items_text)) if red.exact && !names.binds(builtin) => {
                let args = match start.flatten().and_then(text) {
                    Some(s) => format!("{items_text}, {s}"),
                    None => items_text.to_string(),
                };
                Some(ctx.fix(
                    CODE,
                    &[("builtin", builtin)],
                    Safety::Unsafe,
                    vec![Edit {
                        start: span(e).0,
                        end: span(e).1,
                        text: format!("{builtin}({args})"),
                    }],
                ))
            }
            _ => None,
        };
        ctx.report(CODE, span(e), &[("builtin", builtin)], fix);
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{findings, fixed, flagged};

    const T: (u8, u8) = (3, 12);

    #[test]
    fn flags_reduce_that_rebuilds_a_builtin() {
        let src = "import functools\nfrom functools import reduce\nimport operator\na = functools.reduce(lambda a, b: a + b, xs)\nb = reduce(operator.add, xs, 0)\nc = reduce(lambda x, y: x or y, flags)\nd = reduce(lambda a, b: a and b, flags)\ne = reduce(lambda a, b: a if a > b else b, xs)\nf = reduce(lambda a, b: b if a > b else a, xs)\ng = reduce(max, xs)\n";
        let found = findings(src, "PM0306", T);
        assert_eq!(
            flagged(src, &found),
            [
                "functools.reduce(lambda a, b: a + b, xs)",
                "reduce(operator.add, xs, 0)",
                "reduce(lambda x, y: x or y, flags)",
                "reduce(lambda a, b: a and b, flags)",
                "reduce(lambda a, b: a if a > b else b, xs)",
                "reduce(lambda a, b: b if a > b else a, xs)",
                "reduce(max, xs)"
            ]
        );
        assert_eq!(
            found[0].message,
            "this `reduce()` re-implements `sum()`: the builtin says it in one word and runs in C"
        );
        let builtins: Vec<_> = found
            .iter()
            .map(|f| f.message.split('`').nth(3).unwrap_or("").to_string())
            .collect();
        assert_eq!(
            builtins,
            ["sum()", "sum()", "any()", "all()", "max()", "min()", "max()"]
        );
        assert_eq!(found[0].section, "3.3.4");
    }

    #[test]
    fn silent_on_other_reducers_and_other_reduce_functions() {
        let src = "from functools import reduce\nimport operator\na = reduce(lambda a, b: a * b, xs)\nb = reduce(lambda a, b: b + a, xs)\nc = reduce(operator.or_, sets)\nd = reduce(lambda a, b: a | b, sets)\ne = reduce(lambda a, b: a if a.k > b.k else b, xs)\nf = mylib.reduce(lambda a, b: a + b, xs)\ndef g(reduce):\n    return reduce(lambda a, b: a + b, xs)\n";
        assert!(findings(src, "PM0306", T).is_empty());
        // Not imported: in Python 3 a bare `reduce` is not the builtin it was in Python 2.
        assert!(findings("a = reduce(lambda a, b: a + b, xs)\n", "PM0306", T).is_empty());
    }

    #[test]
    fn fix_where_the_mapping_is_exact() {
        let t = |s: &str| fixed(s, "PM0306", T);
        assert_eq!(
            t("import functools\nn = functools.reduce(lambda a, b: a + b, xs)\n"),
            "import functools\nn = sum(xs)\n"
        );
        assert_eq!(
            t("from functools import reduce\nfrom operator import add\nn = reduce(add, xs, 0)\n"),
            "from functools import reduce\nfrom operator import add\nn = sum(xs)\n"
        );
        assert_eq!(
            t("from functools import reduce\nn = reduce(lambda a, b: a + b, (r.n for r in rs), 1.5)\n"),
            "from functools import reduce\nn = sum((r.n for r in rs), 1.5)\n"
        );
        assert_eq!(
            t("from functools import reduce\nn = reduce(lambda a, b: a if a >= b else b, xs)\n"),
            "from functools import reduce\nn = max(xs)\n"
        );
        assert_eq!(
            t("from functools import reduce\nn = reduce(lambda a, b: min(a, b), xs)\n"),
            "from functools import reduce\nn = min(xs)\n"
        );
    }

    #[test]
    fn no_fix_where_results_could_differ() {
        let src = "from functools import reduce\na = reduce(lambda a, b: a or b, xs)\nb = reduce(lambda a, b: a + b, words, '')\nc = reduce(lambda a, b: a if a > b else b, xs)\nd = reduce(max, xs, 0)\ndef f(sum):\n    return reduce(lambda a, b: a + b, xs)\n";
        let found = findings(src, "PM0306", T);
        assert_eq!(found.len(), 5);
        assert!(found.iter().all(|f| f.fix.is_none()));
    }
}
