//! PM1005: a plain `with` on an object that only supports `async with` (`asyncio.Lock()`,
//! `asyncio.timeout()`, `aiohttp.ClientSession()`...), which fails at run time (§10.9.1).

use super::conc_common::{bindings, block_stmts, called, enclosing_async};
use super::typing_names::BlockNames;
use super::{Ctx, Edit, Kind, Node, Rule, Safety};
use crate::syntax::ast::{Expr, Stmt};
use crate::syntax::span;

pub struct SyncWithAsyncCm;

const CODE: &str = "PM1005";

/// Constructors whose objects define `__aenter__`/`__aexit__` and no `__enter__`.
const ASYNC_ONLY: &[&str] = &[
    "asyncio.Lock",
    "asyncio.Semaphore",
    "asyncio.BoundedSemaphore",
    "asyncio.Condition",
    "asyncio.timeout",
    "asyncio.timeout_at",
    "asyncio.TaskGroup",
    "aiohttp.ClientSession",
];

impl Rule for SyncWithAsyncCm {
    fn code(&self) -> &'static str {
        CODE
    }

    fn kinds(&self) -> &'static [Kind] {
        &[Kind::With]
    }

    fn check(&self, node: Node<'_>, ctx: &mut Ctx<'_>) {
        let Node::Stmt(w @ Stmt::With(with)) = node else {
            return;
        };
        if !ctx.source.get(span(w).0..span(w).1).is_some_and(|t| {
            ASYNC_ONLY
                .iter()
                .any(|q| t.contains(q.rsplit('.').next().unwrap_or(q)))
                || with
                    .items
                    .iter()
                    .any(|i| matches!(i.context_expr, Expr::Name(_)))
        }) {
            return;
        }
        let names = BlockNames::of_block(node, ctx);
        let block = block_stmts(node, ctx);
        let known = |e: &Expr| -> Option<String> {
            let q = match e {
                Expr::Call(_) => called(&names, ctx.module, e)?,
                Expr::Name(n) => {
                    let mine: Vec<_> = bindings(block)
                        .into_iter()
                        .filter(|b| b.name == n.id.as_str())
                        .collect();
                    let first = mine.first()?;
                    let q = called(&names, ctx.module, first.value)?;
                    let same = mine.iter().all(|b| {
                        !b.with_item && called(&names, ctx.module, b.value).as_ref() == Some(&q)
                    });
                    if !same {
                        return None;
                    }
                    q
                }
                _ => return None,
            };
            ASYNC_ONLY.contains(&q.as_str()).then_some(q)
        };
        let found: Vec<_> = with
            .items
            .iter()
            .map(|i| known(&i.context_expr).map(|q| (q, span(&i.context_expr))))
            .collect();
        let all_async = found.iter().all(Option::is_some);
        let in_async = enclosing_async(ctx).is_some();
        let start = span(w).0;
        let mut first = true;
        for (q, range) in found.into_iter().flatten() {
            let fix = (first && all_async && in_async && ctx.source[start..].starts_with("with"))
                .then(|| {
                    ctx.fix(
                        CODE,
                        &[],
                        Safety::Safe,
                        vec![Edit {
                            start,
                            end: start,
                            text: "async ".into(),
                        }],
                    )
                });
            first = false;
            ctx.report(CODE, range, &[("cm", q.as_str())], fix);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{findings, fixed, flagged};

    const T: (u8, u8) = (3, 12);

    #[test]
    fn flags_plain_with_on_async_managers() {
        let src = "import asyncio\n\nasync def f(url):\n    lock = asyncio.Lock()\n    with lock:\n        pass\n    with asyncio.timeout(5):\n        await g()\n    with aiohttp.ClientSession() as s, open(url) as fh:\n        pass\n";
        let found = findings(src, "PM1005", T);
        assert_eq!(
            flagged(src, &found),
            ["lock", "asyncio.timeout(5)", "aiohttp.ClientSession()"]
        );
        assert_eq!(
            found[0].message,
            "`asyncio.Lock` objects work only with `async with`: a plain `with` fails at run time"
        );
        assert_eq!(found[0].section, "10.9.1");
        assert!(found[2].fix.is_none(), "`open()` is not an async manager");
    }

    #[test]
    fn silent_on_sync_managers_and_async_with() {
        let src = "async def f(lock):\n    async with asyncio.Lock():\n        pass\n    with lock:\n        pass\n    with threading.Lock():\n        pass\n    l2 = make()\n    with l2:\n        pass\n";
        assert!(findings(src, "PM1005", T).is_empty());
    }

    #[test]
    fn fix_adds_async_only_inside_async_def() {
        let src = "async def f():\n    with asyncio.timeout(1):\n        await g()\n";
        assert_eq!(
            fixed(src, "PM1005", T),
            "async def f():\n    async with asyncio.timeout(1):\n        await g()\n"
        );
        let sync = "def f():\n    with asyncio.Lock():\n        pass\n";
        let found = findings(sync, "PM1005", T);
        assert_eq!(found.len(), 1);
        assert!(found[0].fix.is_none());
    }
}
