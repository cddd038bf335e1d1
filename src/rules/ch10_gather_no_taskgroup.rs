//! PM1009 (off by default): `await asyncio.gather(...)` without `return_exceptions`, outside a
//! TaskGroup, when the target is Python 3.11 or later (§10.3.1).

use super::conc_common::qualified;
use super::typing_names::BlockNames;
use super::{Ctx, Kind, Node, Rule};
use crate::syntax::ast::{Expr, Stmt};
use crate::syntax::span;

pub struct GatherNoTaskGroup;

const CODE: &str = "PM1009";

impl Rule for GatherNoTaskGroup {
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
        if ctx.target < (3, 11) {
            return;
        }
        let awaited = matches!(ctx.parents.last(), Some(Node::Expr(Expr::Await(a))) if std::ptr::eq(&*a.value, e));
        if !awaited
            || call.keywords.iter().any(|k| {
                k.arg
                    .as_ref()
                    .is_some_and(|a| a.as_str() == "return_exceptions")
            })
            || call.keywords.iter().any(|k| k.arg.is_none())
        {
            return;
        }
        let names = BlockNames::of_block(node, ctx);
        if qualified(&names, ctx.module, &call.func).as_deref() != Some("asyncio.gather") {
            return;
        }
        let in_group = ctx.parents.iter().any(|p| match p {
            Node::Stmt(Stmt::AsyncWith(w)) => w.items.iter().any(|i| match &i.context_expr {
                Expr::Call(c) => {
                    qualified(&names, ctx.module, &c.func).as_deref() == Some("asyncio.TaskGroup")
                }
                _ => false,
            }),
            _ => false,
        });
        if in_group {
            return;
        }
        ctx.report(CODE, span(e), &[], None);
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{findings, flagged};

    const T: (u8, u8) = (3, 12);

    #[test]
    fn flags_awaited_gather_on_311() {
        let src = "\
import asyncio

async def main(a, b):
    x, y = await asyncio.gather(a(), b())
    return await asyncio.gather(*[a() for _ in range(3)])
";
        let found = findings(src, "PM1009", T);
        assert_eq!(
            flagged(src, &found),
            [
                "asyncio.gather(a(), b())",
                "asyncio.gather(*[a() for _ in range(3)])"
            ]
        );
        assert_eq!(
            found[0].message,
            "`asyncio.gather()` without `return_exceptions`: if one awaitable fails, the error reaches you while the others go on running unsupervised; an `asyncio.TaskGroup` cancels them and reports every failure"
        );
        assert_eq!(found[0].section, "10.3.1");
        let alias = "from asyncio import gather as g\nasync def f(a):\n    await g(a())\n";
        assert_eq!(findings(alias, "PM1009", T).len(), 1);
    }

    #[test]
    fn silent_before_311_with_return_exceptions_or_not_awaited() {
        let src = "\
import asyncio

async def main(a, b, opts):
    await asyncio.gather(a(), return_exceptions=True)
    await asyncio.gather(a(), return_exceptions=False)
    await asyncio.gather(a(), **opts)
    fut = asyncio.gather(a(), b())
    async with asyncio.TaskGroup() as tg:
        await asyncio.gather(a())
    await trio.gather(a())
";
        assert!(findings(src, "PM1009", T).is_empty());
        let old = "import asyncio\nasync def f(a):\n    await asyncio.gather(a())\n";
        assert!(findings(old, "PM1009", (3, 10)).is_empty());
        let shadow = "async def f(asyncio, a):\n    await asyncio.gather(a())\n";
        assert!(findings(shadow, "PM1009", T).is_empty());
    }
}
