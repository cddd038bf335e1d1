//! PM0403: `yield from` inside an `async def`, which CPython rejects when it compiles the
//! module (§4.9.m5).

use super::iter_util::enclosing_function;
use super::{Ctx, Kind, Node, Rule};
use crate::syntax::ast::Expr;
use crate::syntax::span;

pub struct AsyncYieldFrom;

const CODE: &str = "PM0403";

impl Rule for AsyncYieldFrom {
    fn code(&self) -> &'static str {
        CODE
    }

    fn kinds(&self) -> &'static [Kind] {
        &[Kind::YieldFrom]
    }

    fn check(&self, node: Node<'_>, ctx: &mut Ctx<'_>) {
        let Node::Expr(e @ Expr::YieldFrom(_)) = node else {
            return;
        };
        if let Some((_, _, true)) = enclosing_function(ctx) {
            ctx.report(CODE, span(e), &[], None);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{findings, flagged};

    const T: (u8, u8) = (3, 12);

    #[test]
    fn flags_yield_from_in_an_async_def() {
        let src = "async def stream(source):\n    yield from source\n\nasync def pump(a):\n    if a:\n        x = yield from a\n";
        let found = findings(src, "PM0403", T);
        assert_eq!(flagged(src, &found), ["yield from source", "yield from a"]);
        assert_eq!(
            found[0].message,
            "`yield from` is not allowed in an `async def`: Python refuses to compile this module (`SyntaxError`); iterate with `async for item in source: yield item` or `for item in source: yield item` instead"
        );
        assert_eq!(found[0].section, "4.9.m5");
    }

    #[test]
    fn silent_in_plain_generators_and_nested_defs() {
        let src = "def gen(a):\n    yield from a\n\nasync def outer(a):\n    def inner():\n        yield from a\n    return inner\n";
        assert!(findings(src, "PM0403", T).is_empty());
    }
}
