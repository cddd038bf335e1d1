//! PM0701: a shared object (a global, a closure variable, or an item or attribute of a name the
//! function does not bind) updated with `+=` and friends inside a function this block runs as
//! a thread target, with no lock held: the read-modify-write is not atomic (§7.7).

use super::conc_common::{block_stmts, bound_only_to};
use super::iter_util::{dotted_text, innermost_scope, scan};
use super::thread_util::{
    def_body, def_name, is_lock, is_thread_call, keyword, method_call, scan_all, target_def,
};
use super::typing_names::{text, BlockNames};
use super::{Ctx, Kind, Node, Rule};
use crate::syntax::ast::{Expr, Stmt};
use crate::syntax::span;

pub struct UnlockedSharedUpdate;

const CODE: &str = "PM0701";

/// Thread pools whose tasks share the process's memory.
const THREAD_POOLS: &[&str] = &[
    "concurrent.futures.ThreadPoolExecutor",
    "concurrent.futures.thread.ThreadPoolExecutor",
    "multiprocessing.pool.ThreadPool",
    "multiprocessing.dummy.Pool",
];

/// True when the block hands `def` to a thread: `Thread(target=def)` or
/// `pool.submit(def, ...)` / `pool.map(def, ...)` on a thread pool.
fn runs_in_thread(ctx: &Ctx<'_>, node: Node<'_>, def: &Stmt) -> bool {
    let block = block_stmts(node, ctx);
    let names = BlockNames::of_block(node, ctx);
    let mut found = false;
    scan_all(block, |n| {
        let Node::Expr(e @ Expr::Call(c)) = n else {
            return;
        };
        if found {
            return;
        }
        let target = if let Some(recv) = method_call(e, &["submit", "map", "apply_async"]) {
            let Expr::Name(r) = recv else { return };
            if !bound_only_to(r.id.as_str(), block, &names, ctx.module, THREAD_POOLS) {
                return;
            }
            c.args.first()
        } else if keyword(c, "target").is_some() && is_thread_call(&names, ctx.module, e) {
            keyword(c, "target")
        } else {
            None
        };
        if let Some(t) = target {
            if target_def(ctx, block, t).is_some_and(|d| std::ptr::eq(d, def)) {
                found = true;
            }
        }
    });
    found
}

/// The name an item or attribute chain starts from: `COUNTS` in `COUNTS[w].n`.
fn base_name(e: &Expr) -> Option<&str> {
    match e {
        Expr::Name(n) => Some(n.id.as_str()),
        Expr::Attribute(a) => base_name(&a.value),
        Expr::Subscript(s) => base_name(&s.value),
        _ => None,
    }
}

impl Rule for UnlockedSharedUpdate {
    fn code(&self) -> &'static str {
        CODE
    }

    fn kinds(&self) -> &'static [Kind] {
        &[Kind::AugAssign]
    }

    fn check(&self, node: Node<'_>, ctx: &mut Ctx<'_>) {
        let Node::Stmt(Stmt::AugAssign(a)) = node else {
            return;
        };
        let Some(Node::Stmt(def)) = innermost_scope(ctx) else {
            return;
        };
        let Some(func) = def_name(def) else { return };
        let body = def_body(def);
        let src = ctx.source;
        // Shared: a name declared global or nonlocal, or an item or attribute of a name the
        // function does not bind (not `self`, whose sharing the rule cannot see).
        let shared = match &*a.target {
            Expr::Name(n) => {
                let mut declared = false;
                scan(body, |x| match x {
                    Node::Stmt(Stmt::Global(g)) => {
                        declared |= g.names.iter().any(|i| i.as_str() == n.id.as_str())
                    }
                    Node::Stmt(Stmt::Nonlocal(g)) => {
                        declared |= g.names.iter().any(|i| i.as_str() == n.id.as_str())
                    }
                    _ => {}
                });
                declared
            }
            t @ (Expr::Subscript(_) | Expr::Attribute(_)) => {
                let Some(head) = base_name(t) else { return };
                head != "self"
                    && head != "cls"
                    && !BlockNames::of(std::slice::from_ref(def)).binds(head)
            }
            _ => false,
        };
        if !shared {
            return;
        }
        // A lock held around the statement, or taken anywhere in the function.
        let names = BlockNames::of_block(node, ctx);
        let block = block_stmts(node, ctx);
        let locked = ctx.parents.iter().rev().any(|p| match p {
            Node::Stmt(Stmt::With(w)) => w
                .items
                .iter()
                .any(|i| is_lock(src, block, &names, ctx.module, &i.context_expr)),
            _ => false,
        });
        let mut acquires = false;
        scan(body, |x| {
            if let Node::Expr(e) = x {
                acquires |=
                    method_call(e, &["acquire"]).is_some_and(|r| dotted_text(src, r).is_some());
            }
        });
        if locked || acquires || !runs_in_thread(ctx, node, def) {
            return;
        }
        let target = text(src, &*a.target);
        ctx.report(
            CODE,
            span(&*a.target),
            &[("target", target), ("func", func)],
            None,
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{findings, flagged};

    const T: (u8, u8) = (3, 12);
    const C: &str = "PM0701";

    #[test]
    fn flags_unlocked_updates_in_thread_targets() {
        let src = "import threading\nfrom concurrent.futures import ThreadPoolExecutor\n\ndef main(words):\n    total = 0\n    def count():\n        nonlocal total\n        total += 1\n    def tally(w):\n        COUNTS[w] += 1\n    threads = [threading.Thread(target=count) for _ in range(4)]\n    with ThreadPoolExecutor() as ex:\n        ex.map(tally, words)\n";
        let found = findings(src, C, T);
        assert_eq!(flagged(src, &found), ["total", "COUNTS[w]"]);
        assert_eq!(
            found[0].message,
            "`total += ...` in `count`, which runs in a thread, holds no lock: the read, the update and the write back are separate steps, so threads running it together can lose updates"
        );
        assert_eq!(found[0].section, "7.7");
    }

    #[test]
    fn silent_when_locked_local_or_not_threaded() {
        let src = "import threading\n\ndef main(lock):\n    def a():\n        global N\n        with lock:\n            N += 1\n    def b():\n        n = 0\n        n += 1\n        d = {}\n        d['k'] += 1\n    def c(self):\n        self.n += 1\n    def d():\n        global N\n        N += 1\n    def e():\n        global N\n        lock.acquire()\n        N += 1\n        lock.release()\n    for f in (a, b, c, e):\n        threading.Thread(target=f).start()\n    threading.Thread(target=a).start()\n    threading.Thread(target=b).start()\n    threading.Thread(target=e).start()\n    d()\n";
        assert!(findings(src, C, T).is_empty());
    }
}
