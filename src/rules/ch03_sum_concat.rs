//! PM0302: `sum(lists, [])` (or `sum(tuples, ())`) to flatten, which copies the growing result
//! at every step (§3.2.5).

use super::iter_util::{block_stmt, imported_member, module_usable};
use super::typing_names::BlockNames;
use super::{Ctx, Edit, Kind, Node, Rule, Safety};
use crate::syntax::ast::Expr;
use crate::syntax::span;

pub struct SumConcat;

const CODE: &str = "PM0302";

impl Rule for SumConcat {
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
        if !matches!(&*call.func, Expr::Name(n) if n.id.as_str() == "sum") {
            return;
        }
        let (items, start) = match (&call.args[..], &call.keywords[..]) {
            ([items, start], []) => (items, start),
            ([items], [kw]) if kw.arg.as_ref().is_some_and(|a| a.as_str() == "start") => {
                (items, &kw.value)
            }
            _ => return,
        };
        let (kind, empty) = match start {
            Expr::List(l) if l.elts.is_empty() => ("list", "[]"),
            Expr::Tuple(t) if t.elts.is_empty() => ("tuple", "()"),
            _ => return,
        };
        if matches!(items, Expr::Starred(_)) {
            return;
        }
        let names = BlockNames::of_block(node, ctx);
        if names.binds("sum") {
            return;
        }
        let chain = if module_usable(&names, "itertools") && !names.binds(kind) {
            Some("itertools.chain".to_string())
        } else {
            block_stmt(node, ctx)
                .and_then(|b| imported_member(b, "itertools", "chain"))
                .filter(|_| !names.binds(kind))
        };
        let (i0, i1) = span(items);
        let fix = match (chain, ctx.source.get(i0..i1)) {
            (Some(chain), Some(items_text)) => Some(ctx.fix(
                CODE,
                &[("kind", kind)],
                Safety::Unsafe,
                vec![Edit {
                    start: span(e).0,
                    end: span(e).1,
                    text: format!("{kind}({chain}.from_iterable({items_text}))"),
                }],
            )),
            _ => None,
        };
        ctx.report(CODE, span(e), &[("kind", kind), ("empty", empty)], fix);
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{findings, fixed, flagged};

    const T: (u8, u8) = (3, 12);

    #[test]
    fn flags_sum_with_an_empty_list_or_tuple_start() {
        let src = "a = sum(rows, [])\nb = sum((r.items for r in rs), start=())\n";
        let found = findings(src, "PM0302", T);
        assert_eq!(
            flagged(src, &found),
            ["sum(rows, [])", "sum((r.items for r in rs), start=())"]
        );
        assert_eq!(
            found[0].message,
            "`sum(..., [])` builds a new list for every item, so flattening takes quadratic time: use `itertools.chain.from_iterable`"
        );
        assert_eq!(found[0].section, "3.2.5");
        assert!(
            found[0].fix.is_none(),
            "itertools is not known to be imported"
        );
    }

    #[test]
    fn silent_on_numbers_and_non_empty_starts() {
        let src = "a = sum(xs)\nb = sum(xs, 0)\nc = sum(xs, [0])\nd = math.sum(xs, [])\n";
        assert!(findings(src, "PM0302", T).is_empty());
    }

    #[test]
    fn fix_uses_itertools_when_the_block_can_name_it() {
        assert_eq!(
            fixed(
                "def f(rows):\n    it = itertools.count()\n    return sum(rows, [])\n",
                "PM0302",
                T
            ),
            "def f(rows):\n    it = itertools.count()\n    return list(itertools.chain.from_iterable(rows))\n"
        );
        assert_eq!(
            fixed(
                "def f(rows):\n    from itertools import chain as ch\n    return sum(rows, ())\n",
                "PM0302",
                T
            ),
            "def f(rows):\n    from itertools import chain as ch\n    return tuple(ch.from_iterable(rows))\n"
        );
    }
}
