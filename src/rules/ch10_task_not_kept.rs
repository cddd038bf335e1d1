//! PM1003: `asyncio.create_task(...)`, `asyncio.ensure_future(...)` or `loop.create_task(...)`
//! as a statement, dropping the only strong reference to the new task (§10.2.4).

use super::conc_common::{bindings, block_stmts, called, qualified};
use super::typing_names::{last_name, BlockNames};
use super::{Ctx, Kind, Node, Rule};
use crate::syntax::ast::{Expr, Stmt};
use crate::syntax::span;

pub struct TaskNotKept;

const CODE: &str = "PM1003";

const SPAWN: &[&str] = &["asyncio.create_task", "asyncio.ensure_future"];
const LOOP_GETTERS: &[&str] = &[
    "asyncio.get_running_loop",
    "asyncio.get_event_loop",
    "asyncio.new_event_loop",
];

impl Rule for TaskNotKept {
    fn code(&self) -> &'static str {
        CODE
    }

    fn kinds(&self) -> &'static [Kind] {
        &[Kind::Expr]
    }

    fn check(&self, node: Node<'_>, ctx: &mut Ctx<'_>) {
        let Node::Stmt(Stmt::Expr(stmt)) = node else {
            return;
        };
        let Expr::Call(call) = &*stmt.value else {
            return;
        };
        let last = last_name(&call.func);
        let by_name = matches!(&*call.func, Expr::Name(_));
        if !matches!(last, Some("create_task" | "ensure_future")) && !by_name {
            return;
        }
        let names = BlockNames::of_block(node, ctx);
        let shown = match qualified(&names, ctx.module, &call.func) {
            // `ensure_future(task)` hands back an existing future: only a fresh call is a new task.
            Some(q)
                if q == "asyncio.ensure_future"
                    && !matches!(call.args.first(), Some(Expr::Call(_))) =>
            {
                return
            }
            Some(q) if SPAWN.contains(&q.as_str()) => q,
            _ => {
                let Expr::Attribute(a) = &*call.func else {
                    return;
                };
                if a.attr.as_str() != "create_task" || !is_loop(&a.value, node, ctx, &names) {
                    return;
                }
                "loop.create_task".to_string()
            }
        };
        ctx.report(CODE, span(&*stmt.value), &[("call", shown.as_str())], None);
    }
}

/// An event loop: `asyncio.get_running_loop()` itself, or a name the block binds only to the
/// result of such a call.
fn is_loop(e: &Expr, node: Node<'_>, ctx: &Ctx<'_>, names: &BlockNames) -> bool {
    let getter =
        |v: &Expr| called(names, ctx.module, v).is_some_and(|q| LOOP_GETTERS.contains(&q.as_str()));
    match e {
        Expr::Call(_) => getter(e),
        Expr::Name(n) => {
            let all = bindings(block_stmts(node, ctx));
            let mine: Vec<_> = all.iter().filter(|b| b.name == n.id.as_str()).collect();
            !mine.is_empty() && mine.iter().all(|b| !b.with_item && getter(b.value))
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{findings, flagged};

    const T: (u8, u8) = (3, 12);

    #[test]
    fn flags_dropped_tasks() {
        let src = "import asyncio\n\nasync def main(conn):\n    asyncio.create_task(conn.ping())\n    asyncio.ensure_future(conn.flush())\n    loop = asyncio.get_running_loop()\n    loop.create_task(conn.close())\n    asyncio.get_event_loop().create_task(x())\n";
        let found = findings(src, "PM1003", T);
        assert_eq!(
            flagged(src, &found),
            [
                "asyncio.create_task(conn.ping())",
                "asyncio.ensure_future(conn.flush())",
                "loop.create_task(conn.close())",
                "asyncio.get_event_loop().create_task(x())"
            ]
        );
        assert_eq!(
            found[0].message,
            "The task made by `asyncio.create_task()` is not kept: the event loop holds tasks only weakly, so it can vanish mid-run and its exception is never seen"
        );
        assert_eq!(found[0].section, "10.2.4");
        let alias = "from asyncio import create_task as spawn\n\ndef cb():\n    spawn(work())\n";
        assert_eq!(findings(alias, "PM1003", T).len(), 1);
    }

    #[test]
    fn silent_when_the_task_is_kept_or_owned() {
        let src = "async def main(loop, tasks):\n    t = asyncio.create_task(work())\n    tasks.add(asyncio.create_task(work()))\n    await asyncio.create_task(work())\n    async with asyncio.TaskGroup() as tg:\n        tg.create_task(work())\n    loop.create_task(work())\n    self.loop.create_task(work())\n    nursery.create_task(work())\n";
        assert!(findings(src, "PM1003", T).is_empty());
        let rebound = "async def f():\n    loop = asyncio.get_running_loop()\n    loop = Scheduler()\n    loop.create_task(x())\n";
        assert!(findings(rebound, "PM1003", T).is_empty());
        let existing = "async def f(fut):\n    asyncio.ensure_future(fut)\n";
        assert!(findings(existing, "PM1003", T).is_empty());
    }
}
