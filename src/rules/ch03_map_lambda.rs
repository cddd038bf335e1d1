//! PM0305: `map(lambda ...)` and `filter(lambda ...)`, which a comprehension or a generator
//! expression says more directly, without a function call per item (§3.8).

use super::gen_util::{builtin_call, needs_parens_as_operand, paren, plain_params};
use super::iter_util::expr_has;
use super::typing_names::BlockNames;
use super::{Ctx, Edit, Kind, Node, Rule, Safety};
use crate::syntax::ast::Expr;
use crate::syntax::span;

pub struct MapLambda;

const CODE: &str = "PM0305";

impl Rule for MapLambda {
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
        let func = match &*call.func {
            Expr::Name(n) if matches!(n.id.as_str(), "map" | "filter") => n.id.as_str(),
            _ => return,
        };
        let ([Expr::Lambda(lam), iter], []) = (&call.args[..], &call.keywords[..]) else {
            return;
        };
        if matches!(iter, Expr::Starred(_)) {
            return;
        }
        let Some(params) = plain_params(lam) else {
            return;
        };
        let [param] = params[..] else { return };
        let names = BlockNames::of_block(node, ctx);
        if builtin_call(e, &names, func).is_none() {
            return;
        }
        // `list(map(...))` and `set(map(...))` become comprehensions; a map that is the only
        // argument of another call becomes a bare generator expression.
        let parent = match ctx.parents.last() {
            Some(Node::Expr(p @ Expr::Call(pc)))
                if pc.keywords.is_empty()
                    && pc.args.len() == 1
                    && std::ptr::eq(&pc.args[0], e)
                    && ctx
                        .source
                        .get(span(e).1..span(*p).1)
                        .is_some_and(|t| t.trim() == ")") =>
            {
                Some((*p, pc))
            }
            _ => None,
        };
        let wrapper = parent.and_then(|(p, _)| {
            ["list", "set"]
                .into_iter()
                .find(|w| builtin_call(p, &names, w).is_some())
                .map(|w| (p, w))
        });
        let (form, range, open, close) = match wrapper {
            Some((p, "list")) => ("list comprehension", span(p), "[", "]"),
            Some((p, _)) => ("set comprehension", span(p), "{", "}"),
            None if parent.is_some() => ("generator expression", span(e), "", ""),
            None => ("generator expression", span(e), "(", ")"),
        };
        // A nested lambda or generator would share the loop variable instead of getting its
        // own binding per call; a walrus would bind in the enclosing scope.
        let body = &*lam.body;
        let risky = expr_has(body, |x| {
            matches!(
                x,
                Expr::Lambda(_)
                    | Expr::GeneratorExp(_)
                    | Expr::ListComp(_)
                    | Expr::SetComp(_)
                    | Expr::DictComp(_)
                    | Expr::NamedExpr(_)
                    | Expr::Yield(_)
                    | Expr::YieldFrom(_)
                    | Expr::Await(_)
            )
        });
        let text = |x: &Expr| ctx.source.get(span(x).0..span(x).1);
        let fix = match (risky, text(body), text(iter)) {
            (false, Some(b), Some(i)) => {
                let i = paren(i, needs_parens_as_operand(iter, i));
                let inner = if func == "map" {
                    format!("{b} for {param} in {i}")
                } else {
                    let b = paren(b, needs_parens_as_operand(body, b));
                    format!("{param} for {param} in {i} if {b}")
                };
                Some(ctx.fix(
                    CODE,
                    &[("form", form)],
                    Safety::Unsafe,
                    vec![Edit {
                        start: range.0,
                        end: range.1,
                        text: format!("{open}{inner}{close}"),
                    }],
                ))
            }
            _ => None,
        };
        ctx.report(CODE, range, &[("func", func), ("form", form)], fix);
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{findings, fixed, flagged};

    const T: (u8, u8) = (3, 12);

    #[test]
    fn flags_map_and_filter_with_a_lambda() {
        let src = "a = list(map(lambda x: x * 2, xs))\nb = filter(lambda s: s.strip(), lines)\nc = set(map(lambda p: p.name, ps))\n";
        let found = findings(src, "PM0305", T);
        assert_eq!(
            flagged(src, &found),
            [
                "list(map(lambda x: x * 2, xs))",
                "filter(lambda s: s.strip(), lines)",
                "set(map(lambda p: p.name, ps))"
            ]
        );
        assert_eq!(
            found[0].message,
            "`map()` with a lambda calls a Python function for every item: a list comprehension says the same more directly"
        );
        assert_eq!(found[0].section, "3.8");
    }

    #[test]
    fn silent_on_named_functions_shadowed_builtins_and_several_iterables() {
        let src = "a = map(str, xs)\nb = map(lambda a, b: a + b, xs, ys)\nc = filter(None, xs)\nd = itertools.starmap(lambda a, b: a, ps)\ne = obj.map(lambda x: x, xs)\nf = map(lambda x=1: x, xs)\ndef g(map):\n    return map(lambda x: x, xs)\n";
        assert!(findings(src, "PM0305", T).is_empty());
    }

    #[test]
    fn fix_builds_comprehensions_and_generator_expressions() {
        let t = |s: &str| fixed(s, "PM0305", T);
        assert_eq!(
            t("a = list(map(lambda x: x * 2, xs))\n"),
            "a = [x * 2 for x in xs]\n"
        );
        assert_eq!(
            t("a = list(filter(lambda x: x > 0, xs))\n"),
            "a = [x for x in xs if x > 0]\n"
        );
        assert_eq!(
            t("a = set(map(lambda p: p.name, ps))\n"),
            "a = {p.name for p in ps}\n"
        );
        assert_eq!(
            t("a = map(lambda x: x + 1, xs)\n"),
            "a = (x + 1 for x in xs)\n"
        );
        assert_eq!(
            t("total = sum(map(lambda r: r.size, rows))\n"),
            "total = sum(r.size for r in rows)\n"
        );
        assert_eq!(
            t("f(map(lambda r: r, rows), 1)\n"),
            "f((r for r in rows), 1)\n"
        );
        assert_eq!(
            t("a = filter(lambda x: x if y else z, a if b else c)\n"),
            "a = (x for x in (a if b else c) if (x if y else z))\n"
        );
        assert_eq!(
            t("a = list(map(lambda x: (x, 1), xs))\r\n"),
            "a = [(x, 1) for x in xs]\r\n"
        );
        assert_eq!(
            t("def f(xs):\n\treturn tuple(map(lambda x: x[0],\n\t\txs))"),
            "def f(xs):\n\treturn tuple(x[0] for x in xs)"
        );
    }

    #[test]
    fn no_fix_where_the_loop_variable_would_be_shared() {
        let src = "a = list(map(lambda x: lambda: x, xs))\nb = map(lambda x: (x * i for i in r), xs)\nc = list(map(lambda x: (y := x), xs))\n";
        let found = findings(src, "PM0305", T);
        assert_eq!(found.len(), 3);
        assert!(found.iter().all(|f| f.fix.is_none()));
    }

    #[test]
    fn a_shadowed_list_keeps_the_call() {
        assert_eq!(
            fixed(
                "def f(list):\n    return list(map(lambda x: -x, xs))\n",
                "PM0305",
                T
            ),
            "def f(list):\n    return list(-x for x in xs)\n"
        );
    }
}
