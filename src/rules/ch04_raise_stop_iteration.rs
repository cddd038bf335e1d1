//! PM0401: `raise StopIteration` inside a generator function, which PEP 479 (Python 3.7)
//! turns into a `RuntimeError` instead of ending the generator (§4.9.m3).

use super::iter_util::{enclosing_function, is_generator};
use super::typing_names::BlockNames;
use super::{Ctx, Edit, Kind, Node, Rule, Safety};
use crate::syntax::ast::{Expr, Stmt};
use crate::syntax::span;

pub struct RaiseStopIteration;

const CODE: &str = "PM0401";

impl Rule for RaiseStopIteration {
    fn code(&self) -> &'static str {
        CODE
    }

    fn kinds(&self) -> &'static [Kind] {
        &[Kind::Raise]
    }

    fn check(&self, node: Node<'_>, ctx: &mut Ctx<'_>) {
        let Node::Stmt(s @ Stmt::Raise(r)) = node else {
            return;
        };
        let Some(exc) = &r.exc else { return };
        let (callee, args) = match &**exc {
            Expr::Call(c) if c.keywords.is_empty() => (&*c.func, Some(&c.args[..])),
            other => (other, None),
        };
        if !matches!(callee, Expr::Name(n) if n.id.as_str() == "StopIteration") {
            return;
        }
        let Some((def, body, is_async)) = enclosing_function(ctx) else {
            return;
        };
        if !is_generator(body) || BlockNames::of_block(node, ctx).binds("StopIteration") {
            return;
        }
        // Inside a `try` with handlers (or a `with`) in this function, `return` would skip an
        // `except` or an `__exit__` that catches the raise today.
        let def_start = span(def).0;
        let in_try = ctx.parents.iter().any(|p| {
            matches!(p, Node::Stmt(Stmt::Try(t)) if !t.handlers.is_empty() && p.span().0 > def_start)
                || matches!(p, Node::Stmt(Stmt::TryStar(_)) if p.span().0 > def_start)
                || matches!(p, Node::Stmt(Stmt::With(_)) if p.span().0 > def_start)
                || matches!(p, Node::Stmt(Stmt::AsyncWith(_)) if p.span().0 > def_start)
        });
        let text = match args {
            None | Some([]) => Some("return".to_string()),
            Some([v]) if !is_async && !matches!(v, Expr::Starred(_)) => {
                let (a, b) = span(v);
                ctx.source.get(a..b).map(|t| match v {
                    Expr::Tuple(_) | Expr::Yield(_) | Expr::YieldFrom(_) | Expr::NamedExpr(_) => {
                        format!("return ({t})")
                    }
                    _ => format!("return {t}"),
                })
            }
            _ => None,
        };
        let safety = if in_try { Safety::Unsafe } else { Safety::Safe };
        let fix = text.map(|text| {
            ctx.fix(
                CODE,
                &[],
                safety,
                vec![Edit {
                    start: span(s).0,
                    end: span(s).1,
                    text,
                }],
            )
        });
        ctx.report(CODE, span(s), &[], fix);
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{findings, fixed, flagged};
    use crate::rules::Safety;

    const T: (u8, u8) = (3, 12);

    #[test]
    fn flags_raise_stop_iteration_in_generators() {
        let src = "def g(xs):\n    for x in xs:\n        if x is None:\n            raise StopIteration\n        yield x\n\ndef h():\n    yield 1\n    raise StopIteration('done') from None\n";
        let found = findings(src, "PM0401", T);
        assert_eq!(
            flagged(src, &found),
            [
                "raise StopIteration",
                "raise StopIteration('done') from None"
            ]
        );
        assert_eq!(found[0].message, "`raise StopIteration` inside a generator becomes `RuntimeError: generator raised StopIteration` since Python 3.7: use `return` to end the generator");
        assert_eq!(found[0].section, "4.9.m3");
    }

    #[test]
    fn silent_outside_generators() {
        let src = "class It:\n    def __next__(self):\n        raise StopIteration\n\ndef g():\n    def inner():\n        raise StopIteration\n    yield inner\n\ndef f():\n    raise StopAsyncIteration\n";
        assert!(findings(src, "PM0401", T).is_empty());
    }

    #[test]
    fn fix_returns_and_keeps_the_value() {
        assert_eq!(
            fixed(
                "def g():\n    yield 1\n    raise StopIteration\n",
                "PM0401",
                T
            ),
            "def g():\n    yield 1\n    return\n"
        );
        assert_eq!(
            fixed(
                "def g():\n    yield 1\n    raise StopIteration(1, )\n",
                "PM0401",
                T
            ),
            "def g():\n    yield 1\n    return 1\n"
        );
    }

    #[test]
    fn inside_try_the_fix_is_unsafe() {
        let src = "def g():\n    try:\n        yield 1\n        raise StopIteration\n    except StopIteration:\n        pass\n";
        let found = findings(src, "PM0401", T);
        assert_eq!(
            found[0].fix.as_ref().map(|f| f.safety),
            Some(Safety::Unsafe)
        );
    }
}
