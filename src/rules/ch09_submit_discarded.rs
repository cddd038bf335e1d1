//! PM0901: `executor.submit(...)` as a statement: the future is dropped, and with it any
//! exception the task raises (§9.9.1).

use super::conc_common::{block_stmts, bound_only_to, EXECUTORS};
use super::typing_names::BlockNames;
use super::{Ctx, Kind, Node, Rule};
use crate::syntax::ast::{Expr, Stmt};
use crate::syntax::span;

pub struct SubmitDiscarded;

const CODE: &str = "PM0901";

impl Rule for SubmitDiscarded {
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
        let Expr::Attribute(a) = &*call.func else {
            return;
        };
        let Expr::Name(recv) = &*a.value else {
            return;
        };
        if a.attr.as_str() != "submit" {
            return;
        }
        let names = BlockNames::of_block(node, ctx);
        let name = recv.id.as_str();
        if !bound_only_to(name, block_stmts(node, ctx), &names, ctx.module, EXECUTORS) {
            return;
        }
        ctx.report(CODE, span(&*stmt.value), &[("executor", name)], None);
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{findings, flagged};

    const T: (u8, u8) = (3, 12);

    #[test]
    fn flags_a_dropped_future() {
        let src = "from concurrent.futures import ThreadPoolExecutor\nimport concurrent.futures as cf\n\ndef run(jobs):\n    with ThreadPoolExecutor(4) as pool:\n        for j in jobs:\n            pool.submit(j.run)\n    ex = cf.ProcessPoolExecutor()\n    ex.submit(work, 1)\n    ex.shutdown()\n";
        let found = findings(src, "PM0901", T);
        assert_eq!(
            flagged(src, &found),
            ["pool.submit(j.run)", "ex.submit(work, 1)"]
        );
        assert_eq!(
            found[0].message,
            "The future returned by `pool.submit()` is dropped: if the task raises, its exception is stored in that future and nobody ever sees it"
        );
        assert_eq!(found[0].section, "9.9.1");
    }

    #[test]
    fn silent_when_the_future_is_kept_or_the_receiver_unknown() {
        let src = "def run(jobs, pool):\n    with ThreadPoolExecutor() as ex:\n        futs = [ex.submit(j) for j in jobs]\n        f = ex.submit(g)\n        f.add_done_callback(report)\n    pool.submit(g)\n    self.ex.submit(g)\n    q = Queue()\n    q.submit(g)\n";
        assert!(findings(src, "PM0901", T).is_empty());
    }
}
