//! PM0803: `lock.acquire()` as a statement, released later in the same function but not by a
//! `finally`: an exception between the two leaves the lock held for good (§8.3).

use super::conc_common::block_stmts;
use super::iter_util::dotted_text;
use super::thread_util::{calls_on, happy_path_cleanup, is_lock, jumps, method_call, wrap_in_with};
use super::typing_names::BlockNames;
use super::{Ctx, Kind, Node, Rule, Safety};
use crate::syntax::ast::{Expr, Stmt};
use crate::syntax::span;

pub struct AcquireWithoutFinally;

const CODE: &str = "PM0803";

const RELEASE: &[&str] = &["release"];

impl Rule for AcquireWithoutFinally {
    fn code(&self) -> &'static str {
        CODE
    }

    fn kinds(&self) -> &'static [Kind] {
        &[Kind::Expr]
    }

    fn check(&self, node: Node<'_>, ctx: &mut Ctx<'_>) {
        let Node::Stmt(stmt @ Stmt::Expr(e)) = node else {
            return;
        };
        let Some(recv) = method_call(&e.value, &["acquire"]) else {
            return;
        };
        let src = ctx.source;
        let Some(text) = dotted_text(src, recv) else {
            return;
        };
        // Released later in this body: not a lock handed over to another method
        // (`__enter__`/`__exit__`) or to the caller, nor released before a wait and taken back;
        // `acquire(); release()` only waits for the holder and is left alone.
        let Some((body, at)) = happy_path_cleanup(ctx, stmt, text, RELEASE) else {
            return;
        };
        // The statement whose body holds the acquire, for the fix's indentation.
        let outer = ctx.parents.iter().rev().find_map(|p| match p {
            Node::Stmt(s) => Some(*s),
            _ => None,
        });
        let names = BlockNames::of_block(node, ctx);
        if !is_lock(src, block_stmts(node, ctx), &names, ctx.module, recv) {
            return;
        }
        let fix = self.fix(ctx, outer, body, at, e, text);
        ctx.report(CODE, span(&*e.value), &[("lock", text)], fix);
    }
}

impl AcquireWithoutFinally {
    /// `x.acquire()`, statements, `x.release()` in one body, become `with x:` and the
    /// statements.
    fn fix(
        &self,
        ctx: &Ctx<'_>,
        outer: Option<&Stmt>,
        body: &[Stmt],
        at: usize,
        e: &crate::syntax::ast::StmtExpr,
        text: &str,
    ) -> Option<super::Fix> {
        let Expr::Call(c) = &*e.value else {
            return None;
        };
        if !c.args.is_empty() || !c.keywords.is_empty() {
            return None;
        }
        let src = ctx.source;
        let rest = body.get(at + 1..)?;
        let end = rest.iter().position(|s| match s {
            Stmt::Expr(x) => {
                method_call(&x.value, RELEASE).is_some_and(|r| dotted_text(src, r) == Some(text))
            }
            _ => false,
        })?;
        let Stmt::Expr(release) = &rest[end] else {
            return None;
        };
        let Expr::Call(rc) = &*release.value else {
            return None;
        };
        if !rc.args.is_empty() || !rc.keywords.is_empty() {
            return None;
        }
        let inner = &rest[..end];
        if jumps(inner) || calls_on(src, inner, text, &["acquire", "release"]) {
            return None;
        }
        let edits = wrap_in_with(ctx, outer, &body[at], text, inner, Some(&rest[end]))?;
        Some(ctx.fix(CODE, &[("lock", text)], Safety::Unsafe, edits))
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{findings, fixed, flagged};

    const T: (u8, u8) = (3, 12);
    const C: &str = "PM0803";

    #[test]
    fn flags_an_acquire_released_on_the_happy_path() {
        let src = "import threading\n\nclass Box:\n    def __init__(self):\n        self.guard = threading.Lock()\n\n    def put(self, x):\n        self.guard.acquire()\n        self.items.append(x)\n        self.guard.release()\n\ndef run(lock):\n    lock.acquire(timeout=2)\n    work()\n    if done:\n        lock.release()\n";
        let found = findings(src, C, T);
        assert_eq!(
            flagged(src, &found),
            ["self.guard.acquire()", "lock.acquire(timeout=2)"]
        );
        assert_eq!(
            found[0].message,
            "`self.guard.acquire()` is not followed by a `try`/`finally` that releases it: if the code in between raises, the lock stays held and every later `acquire()` blocks forever"
        );
        assert_eq!(found[0].section, "8.3");
        assert!(found[1].fix.is_none());
    }

    #[test]
    fn silent_with_finally_or_when_released_elsewhere() {
        let src = "def a(lock):\n    lock.acquire()\n    try:\n        work()\n    finally:\n        lock.release()\n\ndef b(lock):\n    try:\n        lock.acquire()\n        work()\n    finally:\n        lock.release()\n\ndef c(self):\n    self._lock.acquire()\n    return self\n\ndef d(lock):\n    lock.acquire()\n    try:\n        work()\n    except BaseException:\n        lock.release()\n        raise\n    lock.release()\n\ndef e(conn):\n    conn.acquire()\n    work()\n    conn.release()\n\ndef f(lock):\n    with lock:\n        work()\n\ndef g(self):\n    self._lock.release()\n    wait()\n    self._lock.acquire()\n\ndef h(lock):\n    lock.acquire()\n    lock.release()\n\ndef i(lock):\n    try:\n        lock.acquire()\n    except Deadlock:\n        pass\n    else:\n        lock.release()\n";
        assert!(findings(src, C, T).is_empty());
    }

    #[test]
    fn a_name_bound_to_a_lock_counts() {
        let src = "import threading\n\ndef f():\n    g = threading.RLock()\n    g.acquire()\n    work()\n    g.release()\n";
        assert_eq!(flagged(src, &findings(src, C, T)), ["g.acquire()"]);
        let other = "def f():\n    g = Pool()\n    g.acquire()\n    work()\n    g.release()\n";
        assert!(findings(other, C, T).is_empty());
    }

    #[test]
    fn fix_wraps_the_statements_in_with() {
        let src = "def put(self, x):\n    self.lock.acquire()\n    # keep order\n    self.items.append(x)\n\n    self.n += 1\n    self.lock.release()\n    return x\n";
        assert_eq!(
            fixed(src, C, T),
            "def put(self, x):\n    with self.lock:\n        # keep order\n        self.items.append(x)\n\n        self.n += 1\n    return x\n"
        );
        let tabs = "def put(x):\r\n\tlock.acquire()\r\n\twork(x)\r\n\tlock.release()";
        assert_eq!(
            fixed(tabs, C, T),
            "def put(x):\r\n\twith lock:\r\n\t\twork(x)\r\n"
        );
        let nested =
            "def f():\n    if x:\n        lock.acquire()\n        work()\n        lock.release()\n";
        assert_eq!(
            fixed(nested, C, T),
            "def f():\n    if x:\n        with lock:\n            work()\n"
        );
    }

    #[test]
    fn no_fix_for_shapes_it_cannot_keep() {
        let cases = [
            "def f():\n    lock.acquire()\n    if x:\n        return 1\n    lock.release()\n",
            "def f():\n    lock.acquire()\n    s = \"\"\"a\nb\"\"\"\n    lock.release()\n",
            "def f():\n    lock.acquire(); work()\n    lock.release()\n",
            "def f():\n    lock.acquire(False)\n    work()\n    lock.release()\n",
        ];
        for src in cases {
            let found = findings(src, C, T);
            assert_eq!(found.len(), 1, "{src}");
            assert!(found[0].fix.is_none(), "{src}");
        }
    }
}
