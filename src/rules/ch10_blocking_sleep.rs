//! PM1001: `time.sleep()` called inside an `async def`, which stops the whole event loop for
//! the duration instead of suspending one coroutine (§10.11.4).

use super::conc_common::{asyncio_usable, enclosing_async, is_expr_stmt, qualified};
use super::typing_names::{last_name, BlockNames};
use super::{Ctx, Edit, Kind, Node, Rule, Safety};
use crate::syntax::ast::Expr;
use crate::syntax::span;

pub struct BlockingSleep;

const CODE: &str = "PM1001";

impl Rule for BlockingSleep {
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
        // An alias (`from time import sleep as nap`) can only be a bare name.
        if last_name(&call.func) != Some("sleep") && !matches!(&*call.func, Expr::Name(_)) {
            return;
        }
        let Some(func) = enclosing_async(ctx) else {
            return;
        };
        let names = BlockNames::of_block(node, ctx);
        if qualified(&names, ctx.module, &call.func).as_deref() != Some("time.sleep") {
            return;
        }
        let simple_args = call.keywords.is_empty()
            && call.args.len() == 1
            && !matches!(call.args[0], Expr::Starred(_));
        let fix = (simple_args && is_expr_stmt(node, ctx) && asyncio_usable(&names, ctx.module))
            .then(|| {
                let (s, t) = span(&*call.func);
                ctx.fix(
                    CODE,
                    &[],
                    Safety::Unsafe,
                    vec![Edit {
                        start: s,
                        end: t,
                        text: "await asyncio.sleep".into(),
                    }],
                )
            });
        ctx.report(CODE, span(e), &[("func", func.name.as_str())], fix);
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{findings, fixed, flagged};

    const T: (u8, u8) = (3, 12);

    #[test]
    fn flags_time_sleep_in_async_def() {
        let src = "import asyncio, time\nasync def poll(q):\n    while q.empty():\n        time.sleep(0.5)\n    x = [time.sleep(1) for _ in q]\n";
        let found = findings(src, "PM1001", T);
        assert_eq!(flagged(src, &found), ["time.sleep(0.5)", "time.sleep(1)"]);
        assert_eq!(
            found[0].message,
            "`time.sleep()` inside `async def poll` blocks the event loop: no other task runs until it returns"
        );
        assert_eq!(found[0].section, "10.11.4");
        assert!(found[1].fix.is_none(), "no fix inside an expression");
    }

    #[test]
    fn resolves_from_import_and_alias() {
        let src = "class C:\n    async def run(self):\n        from time import sleep as nap\n        import time as t\n        nap(1)\n        t.sleep(2)\n";
        let found = findings(src, "PM1001", T);
        assert_eq!(flagged(src, &found), ["nap(1)", "t.sleep(2)"]);
        assert!(found[0].fix.is_none(), "asyncio not usable in this block");
    }

    #[test]
    fn silent_outside_coroutines_and_on_other_sleeps() {
        let src = "async def outer():\n    def worker():\n        time.sleep(1)\n    f = lambda: time.sleep(1)\n    await asyncio.sleep(1)\n    sleep(1)\n    trio.sleep(1)\n    class K:\n        time.sleep(1)\n\ndef sync():\n    time.sleep(1)\n";
        assert!(findings(src, "PM1001", T).is_empty());
        let shadow = "async def f(time):\n    time.sleep(1)\n";
        assert!(findings(shadow, "PM1001", T).is_empty());
        let module_def = "def sleep(x):\n    pass\n\nasync def f():\n    sleep(1)\n";
        assert!(findings(module_def, "PM1001", T).is_empty());
    }

    #[test]
    fn sees_module_level_imports() {
        let src = "from time import sleep\n\nasync def f():\n    sleep(1)\n";
        assert_eq!(findings(src, "PM1001", T).len(), 1);
    }

    #[test]
    fn fix_awaits_asyncio_sleep() {
        let src =
            "import asyncio\nimport time\n\nasync def tick():\n    time.sleep(delay * 2)  # wait\n";
        assert_eq!(
            fixed(src, "PM1001", T),
            "import asyncio\nimport time\n\nasync def tick():\n    await asyncio.sleep(delay * 2)  # wait\n"
        );
    }
}
