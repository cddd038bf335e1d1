//! PM0802: `with threading.Lock():`, which locks a brand-new lock that no other thread can see,
//! so it excludes nothing (§8.3).

use super::conc_common::called;
use super::typing_names::BlockNames;
use super::{Ctx, Kind, Node, Rule};
use crate::syntax::ast::{Expr, Stmt};
use crate::syntax::span;

pub struct WithNewLock;

const CODE: &str = "PM0802";

const LOCKS: &[&str] = &[
    "threading.Lock",
    "threading.RLock",
    "threading.Semaphore",
    "threading.BoundedSemaphore",
    "threading.Condition",
    "multiprocessing.Lock",
    "multiprocessing.RLock",
];

impl Rule for WithNewLock {
    fn code(&self) -> &'static str {
        CODE
    }

    fn kinds(&self) -> &'static [Kind] {
        &[Kind::With]
    }

    fn check(&self, node: Node<'_>, ctx: &mut Ctx<'_>) {
        let Node::Stmt(Stmt::With(w)) = node else {
            return;
        };
        let mut names = None;
        for item in &w.items {
            let Expr::Call(c) = &item.context_expr else {
                continue;
            };
            if !matches!(
                super::typing_names::last_name(&c.func),
                Some("Lock" | "RLock" | "Semaphore" | "BoundedSemaphore" | "Condition")
            ) {
                continue;
            }
            let names = names.get_or_insert_with(|| BlockNames::of_block(node, ctx));
            let Some(q) = called(names, ctx.module, &item.context_expr) else {
                continue;
            };
            if LOCKS.contains(&q.as_str()) {
                ctx.report(
                    CODE,
                    span(&item.context_expr),
                    &[("lock", q.as_str())],
                    None,
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{findings, flagged};

    const T: (u8, u8) = (3, 12);

    #[test]
    fn flags_a_lock_made_in_the_with() {
        let src = "import threading\nfrom threading import RLock\n\ndef bump(self):\n    with threading.Lock():\n        self.n += 1\n    with RLock() as l, open(p):\n        pass\n";
        let found = findings(src, "PM0802", T);
        assert_eq!(flagged(src, &found), ["threading.Lock()", "RLock()"]);
        assert_eq!(
            found[0].message,
            "`with threading.Lock():` locks a new object that no other thread can see, so it excludes nothing: create the lock once and share it"
        );
        assert_eq!(found[0].section, "8.3");
    }

    #[test]
    fn silent_on_shared_locks_and_async_ones() {
        let src = "def bump(self, lock):\n    with self._lock:\n        pass\n    with lock:\n        pass\n    with locks.setdefault(k, threading.Lock()):\n        pass\n\nasync def f():\n    async with asyncio.Lock():\n        pass\n";
        assert!(findings(src, "PM0802", T).is_empty());
        let own = "def f():\n    Lock = make\n    with Lock():\n        pass\n";
        assert!(findings(own, "PM0802", T).is_empty());
    }
}
