//! PM0301: `any([...])` / `all([...])` over a list comprehension, which builds every element
//! before the test can stop at the first decisive one (§3.2.4).

use super::iter_util::expr_has;
use super::typing_names::BlockNames;
use super::{Ctx, Edit, Kind, Node, Rule, Safety};
use crate::syntax::ast::Expr;
use crate::syntax::span;

pub struct AnyAllListComp;

const CODE: &str = "PM0301";

impl Rule for AnyAllListComp {
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
        let Expr::Name(func) = &*call.func else {
            return;
        };
        let func = func.id.as_str();
        if !matches!(func, "any" | "all") || !call.keywords.is_empty() {
            return;
        }
        let [arg @ Expr::ListComp(comp)] = &call.args[..] else {
            return;
        };
        // An `await` or `async for` would turn the generator expression into an async
        // generator, which `any()` cannot iterate.
        if comp.generators.iter().any(|g| g.is_async)
            || expr_has(arg, |x| matches!(x, Expr::Await(_)))
        {
            return;
        }
        if BlockNames::of_block(node, ctx).binds(func) {
            return;
        }
        let (a0, a1) = span(arg);
        let (_, c1) = span(e);
        // `any([...],)`: a bare generator expression may not be followed by a comma.
        let tail_ok = ctx.source.get(a1..c1).is_some_and(|t| t.trim() == ")");
        let fix = (tail_ok
            && ctx.source.get(a0..a0 + 1) == Some("[")
            && ctx.source.get(a1 - 1..a1) == Some("]"))
        .then(|| {
            ctx.fix(
                CODE,
                &[("func", func)],
                Safety::Unsafe,
                vec![
                    Edit {
                        start: a0,
                        end: a0 + 1,
                        text: String::new(),
                    },
                    Edit {
                        start: a1 - 1,
                        end: a1,
                        text: String::new(),
                    },
                ],
            )
        });
        ctx.report(CODE, span(e), &[("func", func)], fix);
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{findings, fixed, flagged};

    const T: (u8, u8) = (3, 12);

    #[test]
    fn flags_any_and_all_over_list_comprehensions() {
        let src = "ok = any([x > 0 for x in xs])\nbad = not all([check(p) for p in ps if p])\n";
        let found = findings(src, "PM0301", T);
        assert_eq!(
            flagged(src, &found),
            [
                "any([x > 0 for x in xs])",
                "all([check(p) for p in ps if p])"
            ]
        );
        assert_eq!(
            found[0].message,
            "`any()` over a list comprehension builds the whole list before it tests anything: pass a generator expression so it can stop at the first decisive element"
        );
        assert_eq!(found[0].section, "3.2.4");
    }

    #[test]
    fn silent_on_generators_other_calls_and_async_comprehensions() {
        let src = "a = any(x for x in xs)\nb = sum([x for x in xs])\nc = any([1, 2])\nd = obj.any([x for x in xs])\nasync def f():\n    return all([await g(x) for x in xs])\nasync def h():\n    return any([x async for x in aiter()])\ndef any(x):\n    return any([y for y in x])\n";
        assert!(findings(src, "PM0301", T).is_empty());
    }

    #[test]
    fn fix_drops_the_brackets() {
        assert_eq!(
            fixed(
                "if all([a == b for a, b in pairs]):\n    pass\n",
                "PM0301",
                T
            ),
            "if all(a == b for a, b in pairs):\n    pass\n"
        );
    }

    #[test]
    fn no_fix_with_a_trailing_comma() {
        let found = findings("x = any([y for y in z],)\n", "PM0301", T);
        assert_eq!(found.len(), 1);
        assert!(found[0].fix.is_none());
    }
}
