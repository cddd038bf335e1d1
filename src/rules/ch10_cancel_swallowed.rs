//! PM1004: a handler in an `async def` that catches `asyncio.CancelledError` (directly, through
//! `BaseException`, or with a bare `except:`) around an `await` and never raises again, so a
//! cancellation of the running task is swallowed (§10.4.1).

use super::conc_common::{any_in_scope, enclosing_async, qualified, suspends};
use super::typing_names::BlockNames;
use super::{Ctx, Kind, Node, Rule};
use crate::syntax::ast::{self, Expr, Stmt};
use crate::syntax::span;

pub struct CancelSwallowed;

const CODE: &str = "PM1004";

const CANCELLED: &[&str] = &[
    "asyncio.CancelledError",
    "asyncio.exceptions.CancelledError",
    "BaseException",
];

impl Rule for CancelSwallowed {
    fn code(&self) -> &'static str {
        CODE
    }

    fn kinds(&self) -> &'static [Kind] {
        &[Kind::Try, Kind::TryStar]
    }

    fn check(&self, node: Node<'_>, ctx: &mut Ctx<'_>) {
        let (body, handlers) = match node {
            Node::Stmt(Stmt::Try(t)) => (&t.body, &t.handlers),
            Node::Stmt(Stmt::TryStar(t)) => (&t.body, &t.handlers),
            _ => return,
        };
        let Some(func) = enclosing_async(ctx) else {
            return;
        };
        if !suspends(body) || awaits_only_a_task(body) {
            return;
        }
        let names = BlockNames::of_block(node, ctx);
        for h in handlers {
            let ast::ExceptHandler::ExceptHandler(h) = h;
            let (caught, range) = match h.type_.as_deref() {
                None => {
                    let s = span(h).0;
                    ("except:".to_string(), (s, s + "except".len()))
                }
                Some(t) => match catches_cancel(t, &names, ctx) {
                    Some(found) => found,
                    None => continue,
                },
            };
            if any_in_scope(&h.body, |n| matches!(n, Node::Stmt(Stmt::Raise(_)))) {
                continue;
            }
            // A broad handler that hands the exception on (stores it, sets it on a future,
            // re-raises it later) is forwarding, not swallowing.
            if !caught.ends_with("CancelledError") && forwards(h) {
                continue;
            }
            ctx.report(
                CODE,
                range,
                &[("caught", caught.as_str()), ("func", func.name.as_str())],
                None,
            );
        }
    }
}

/// The handler reads the name it binds (`except BaseException as e: fut.set_exception(e)`) or
/// calls `sys.exc_info()`.
fn forwards(h: &ast::ExceptHandlerExceptHandler) -> bool {
    let bound = h.name.as_ref().map(|n| n.as_str());
    any_in_scope(&h.body, |n| match n {
        Node::Expr(Expr::Name(x)) => Some(x.id.as_str()) == bound,
        Node::Expr(Expr::Attribute(a)) => a.attr.as_str() == "exc_info",
        _ => false,
    })
}

/// The name of the cancellation-catching class in an `except` clause, if there is one.
fn catches_cancel(t: &Expr, names: &BlockNames, ctx: &Ctx<'_>) -> Option<(String, (usize, usize))> {
    match t {
        Expr::Tuple(tu) => tu.elts.iter().find_map(|e| catches_cancel(e, names, ctx)),
        _ => {
            let q = qualified(names, ctx.module, t)?;
            CANCELLED.contains(&q.as_str()).then(|| (q, span(t)))
        }
    }
}

/// `await task` (a name or attribute, not a call): the usual way to wait for a task this code
/// has just cancelled, where the `CancelledError` is the expected outcome.
fn awaits_only_a_task(body: &[Stmt]) -> bool {
    let [Stmt::Expr(s)] = body else {
        return false;
    };
    matches!(&*s.value, Expr::Await(a) if matches!(&*a.value, Expr::Name(_) | Expr::Attribute(_)))
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{findings, flagged};

    const T: (u8, u8) = (3, 12);

    #[test]
    fn flags_handlers_that_swallow_cancellation() {
        let src = "import asyncio\n\nasync def worker(q):\n    while True:\n        try:\n            item = await q.get()\n        except asyncio.CancelledError:\n            break\n        try:\n            await handle(item)\n        except (ValueError, BaseException) as e:\n            log('failed')\n        try:\n            await handle(item)\n        except:\n            pass\n";
        let found = findings(src, "PM1004", T);
        assert_eq!(
            flagged(src, &found),
            ["asyncio.CancelledError", "BaseException", "except"]
        );
        assert_eq!(
            found[0].message,
            "`except asyncio.CancelledError` in `async def worker` never re-raises: a cancellation of this task is swallowed and the task carries on as if nothing happened"
        );
        assert_eq!(found[0].section, "10.4.1");
    }

    #[test]
    fn silent_when_reraised_or_not_suspending() {
        let src = "async def f(t):\n    try:\n        await g()\n    except asyncio.CancelledError:\n        await cleanup()\n        raise\n    try:\n        await g()\n    except Exception:\n        pass\n    try:\n        x = compute()\n    except BaseException:\n        pass\n    t.cancel()\n    try:\n        await t\n    except asyncio.CancelledError:\n        pass\n\ndef sync():\n    try:\n        run()\n    except:\n        pass\n";
        assert!(findings(src, "PM1004", T).is_empty());
        let nested = "async def f():\n    def inner():\n        try:\n            pass\n        except BaseException:\n            pass\n    try:\n        await g()\n    except asyncio.CancelledError as e:\n        raise RuntimeError('stopped') from e\n";
        assert!(findings(nested, "PM1004", T).is_empty());
        let forwarded = "async def f(fut):\n    try:\n        await g()\n    except BaseException as exc:\n        fut.set_exception(exc)\n    try:\n        await g()\n    except:\n        saved = sys.exc_info()\n";
        assert!(findings(forwarded, "PM1004", T).is_empty());
    }
}
