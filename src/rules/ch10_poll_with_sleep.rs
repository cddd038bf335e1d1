//! PM1008: a loop in a coroutine that polls a flag with `await asyncio.sleep(...)` between
//! checks, where an `asyncio.Event` would wake it at once (§10.5.3).

use super::conc_common::{enclosing_async, qualified};
use super::typing_names::{text, BlockNames};
use super::{Ctx, Kind, Node, Rule};
use crate::syntax::ast::{Constant, Expr, Stmt, UnaryOp};
use crate::syntax::span;

pub struct PollWithSleep;

const CODE: &str = "PM1008";

impl Rule for PollWithSleep {
    fn code(&self) -> &'static str {
        CODE
    }

    fn kinds(&self) -> &'static [Kind] {
        &[Kind::While]
    }

    fn check(&self, node: Node<'_>, ctx: &mut Ctx<'_>) {
        let Node::Stmt(stmt @ Stmt::While(w)) = node else {
            return;
        };
        if !w.orelse.is_empty() || enclosing_async(ctx).is_none() {
            return;
        }
        let names = BlockNames::of_block(node, ctx);
        let is_sleep = |s: &Stmt| is_asyncio_sleep(s, &names, ctx);
        let flag: &Expr = match &w.body[..] {
            // while not self.ready: await asyncio.sleep(0.1)
            [only] if is_sleep(only) && is_flag(&w.test) => &w.test,
            // while True: if self.ready: break / await asyncio.sleep(0.1)
            [a, b] if is_true(&w.test) => match (break_if(a), break_if(b)) {
                (Some(t), None) if is_sleep(b) => t,
                (None, Some(t)) if is_sleep(a) => t,
                _ => return,
            },
            _ => return,
        };
        let shown = text(ctx.source, strip_not(flag)).to_string();
        let (s, _) = span(stmt);
        let (_, t) = span(&*w.test);
        ctx.report(CODE, (s, t), &[("flag", shown.as_str())], None);
    }
}

/// `await asyncio.sleep(...)` as a whole statement.
fn is_asyncio_sleep(s: &Stmt, names: &BlockNames, ctx: &Ctx<'_>) -> bool {
    let Stmt::Expr(e) = s else { return false };
    let Expr::Await(a) = &*e.value else {
        return false;
    };
    let Expr::Call(c) = &*a.value else {
        return false;
    };
    qualified(names, ctx.module, &c.func).as_deref() == Some("asyncio.sleep")
}

/// A flag: a name or attribute chain, possibly negated (`not self.ready`).
fn is_flag(e: &Expr) -> bool {
    match e {
        Expr::Name(_) => true,
        Expr::Attribute(a) => matches!(&*a.value, Expr::Name(_) | Expr::Attribute(_)),
        Expr::UnaryOp(u) if matches!(u.op, UnaryOp::Not) => is_flag(&u.operand),
        _ => false,
    }
}

fn strip_not(e: &Expr) -> &Expr {
    match e {
        Expr::UnaryOp(u) if matches!(u.op, UnaryOp::Not) => strip_not(&u.operand),
        other => other,
    }
}

fn is_true(e: &Expr) -> bool {
    matches!(e, Expr::Constant(c) if matches!(c.value, Constant::Bool(true)))
}

/// The flag of `if flag: break` (no `else`).
fn break_if(s: &Stmt) -> Option<&Expr> {
    let Stmt::If(i) = s else { return None };
    (i.orelse.is_empty() && matches!(&i.body[..], [Stmt::Break(_)]) && is_flag(&i.test))
        .then_some(&*i.test)
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{findings, flagged};

    const T: (u8, u8) = (3, 12);

    #[test]
    fn flags_flag_polling_loops() {
        let src = "\
import asyncio

class Worker:
    async def wait_ready(self):
        while not self.ready:
            await asyncio.sleep(0.1)
        while True:
            if self.conn.closed:
                break
            await asyncio.sleep(1)
        while True:
            await asyncio.sleep(1)
            if done:
                break
";
        let found = findings(src, "PM1008", T);
        assert_eq!(
            flagged(src, &found),
            ["while not self.ready", "while True", "while True"]
        );
        assert_eq!(
            found[0].message,
            "This loop checks `self.ready` again after every `asyncio.sleep()`: it wakes late and burns wake-ups; wait on an `asyncio.Event` that the code changing the flag sets"
        );
        assert_eq!(found[0].section, "10.5.3");
        assert!(found[1].message.contains("`self.conn.closed`"));
        let alias = "from asyncio import sleep as nap\nasync def f(ev):\n    while not ev.flag:\n        await nap(0)\n";
        assert_eq!(findings(alias, "PM1008", T).len(), 1);
    }

    #[test]
    fn silent_on_loops_that_do_work_or_are_not_polls() {
        let src = "\
import asyncio

async def tick(self, q):
    while self.running:
        self.beat()
        await asyncio.sleep(1)
    while True:
        await asyncio.sleep(1)
    while q.qsize() > 0:
        await asyncio.sleep(0)
    while not self.ready:
        await trio.sleep(0.1)
    while not self.ready:
        await asyncio.sleep(0.1)
    else:
        pass

def sync(self):
    while not self.ready:
        time.sleep(0.1)
";
        assert!(findings(src, "PM1008", T).is_empty());
        let shadow =
            "async def f(asyncio, s):\n    while not s.ok:\n        await asyncio.sleep(1)\n";
        assert!(findings(shadow, "PM1008", T).is_empty());
    }
}
