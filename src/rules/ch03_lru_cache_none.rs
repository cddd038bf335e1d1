//! PM0304: `lru_cache(maxsize=None)` where the target Python (3.9+) has `functools.cache`, the
//! same unbounded cache under a name that says so (§3.3.2).

use super::iter_util::{block_stmt, imported_member};
use super::typing_names::BlockNames;
use super::{Ctx, Edit, Kind, Node, Rule, Safety};
use crate::syntax::ast::{Constant, Expr};
use crate::syntax::span;

pub struct LruCacheNone;

const CODE: &str = "PM0304";

fn is_none(e: &Expr) -> bool {
    matches!(e, Expr::Constant(c) if matches!(c.value, Constant::None))
}

impl Rule for LruCacheNone {
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
        if ctx.target < (3, 9) {
            return;
        }
        let unbounded = match (&call.args[..], &call.keywords[..]) {
            ([arg], []) => is_none(arg),
            ([], [kw]) => {
                kw.arg.as_ref().is_some_and(|a| a.as_str() == "maxsize") && is_none(&kw.value)
            }
            _ => false,
        };
        if !unbounded {
            return;
        }
        let names = BlockNames::of_block(node, ctx);
        let Some(r) = names.resolve(&call.func) else {
            return;
        };
        // The block that defines `cache` itself (functools does) cannot use it.
        if r.member != "lru_cache" || names.assigns("cache") {
            return;
        }
        // A bare `lru_cache` nobody in the block imports is taken to be functools'.
        if r.module.as_deref().is_some_and(|m| m != "functools") {
            return;
        }
        let f0 = span(&*call.func).0;
        let replacement = match &*call.func {
            Expr::Attribute(a) => {
                let (v0, v1) = span(&*a.value);
                ctx.source.get(v0..v1).map(|m| format!("{m}.cache"))
            }
            _ => block_stmt(node, ctx)
                .and_then(|b| imported_member(b, "functools", "cache"))
                .filter(|local| !names.assigns(local)),
        };
        let written = ctx
            .source
            .get(f0..span(e).1)
            .unwrap_or("lru_cache(maxsize=None)");
        let fix = replacement.map(|text| {
            ctx.fix(
                CODE,
                &[("cache", &text)],
                Safety::Safe,
                vec![Edit {
                    start: f0,
                    end: span(e).1,
                    text: text.clone(),
                }],
            )
        });
        ctx.report(CODE, span(e), &[("written", written)], fix);
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{findings, fixed, flagged};

    const T: (u8, u8) = (3, 12);

    #[test]
    fn flags_unbounded_lru_cache() {
        let src = "@functools.lru_cache(maxsize=None)\ndef f(x):\n    return x\n\n@lru_cache(None)\ndef g(x):\n    return x\n";
        let found = findings(src, "PM0304", T);
        assert_eq!(
            flagged(src, &found),
            ["functools.lru_cache(maxsize=None)", "lru_cache(None)"]
        );
        assert_eq!(
            found[0].message,
            "`functools.lru_cache(maxsize=None)` is an unbounded cache: since Python 3.9 `functools.cache` says so in its name"
        );
        assert_eq!(found[0].section, "3.3.2");
        assert!(
            found[1].fix.is_none(),
            "`cache` is not known to be imported"
        );
    }

    #[test]
    fn silent_on_bounded_typed_other_modules_and_old_targets() {
        let src = "@lru_cache(maxsize=128)\ndef f(x):\n    return x\n\n@lru_cache(maxsize=None, typed=True)\ndef g(x):\n    return x\n\n@lru_cache\ndef h(x):\n    return x\n\n@mylib.lru_cache(maxsize=None)\ndef k(x):\n    return x\n\ndef cache(f, /):\n    return lru_cache(maxsize=None)(f)\n";
        assert!(findings(src, "PM0304", T).is_empty());
        let old = "@functools.lru_cache(maxsize=None)\ndef f(x):\n    return x\n";
        assert!(findings(old, "PM0304", (3, 8)).is_empty());
    }

    #[test]
    fn fix_uses_cache() {
        assert_eq!(
            fixed(
                "def f():\n    import functools as ft\n    @ft.lru_cache(maxsize=None)\n    def g(x):\n        return x\n",
                "PM0304",
                T
            ),
            "def f():\n    import functools as ft\n    @ft.cache\n    def g(x):\n        return x\n"
        );
        assert_eq!(
            fixed(
                "class A:\n    from functools import cache, lru_cache\n    @lru_cache(maxsize=None)\n    def f(self):\n        return 1\n",
                "PM0304",
                T
            ),
            "class A:\n    from functools import cache, lru_cache\n    @cache\n    def f(self):\n        return 1\n"
        );
    }
}
