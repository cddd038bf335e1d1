//! PM0903 (off by default): a queue created without a `maxsize`, so producers never wait and
//! a slow consumer lets it grow without limit (§9.7).

use super::conc_common::called;
use super::thread_util::keyword;
use super::typing_names::BlockNames;
use super::{Ctx, Kind, Node, Rule};
use crate::syntax::ast::{Constant, Expr};
use crate::syntax::span;

pub struct UnboundedQueue;

const CODE: &str = "PM0903";

/// Queue classes that take a `maxsize`, by their qualified names.
const QUEUES: &[&str] = &[
    "queue.Queue",
    "queue.LifoQueue",
    "queue.PriorityQueue",
    "asyncio.Queue",
    "asyncio.LifoQueue",
    "asyncio.PriorityQueue",
    "asyncio.queues.Queue",
    "multiprocessing.Queue",
    "multiprocessing.JoinableQueue",
];

/// True for a bound that is no bound: `0` or a negative constant.
fn unbounded(e: &Expr) -> bool {
    match e {
        Expr::Constant(c) => matches!(&c.value, Constant::Int(i) if i.to_string() == "0"),
        Expr::UnaryOp(u) => matches!(&*u.operand, Expr::Constant(_)),
        _ => false,
    }
}

impl Rule for UnboundedQueue {
    fn code(&self) -> &'static str {
        CODE
    }

    fn kinds(&self) -> &'static [Kind] {
        &[Kind::Call]
    }

    fn check(&self, node: Node<'_>, ctx: &mut Ctx<'_>) {
        let Node::Expr(e @ Expr::Call(c)) = node else {
            return;
        };
        // Cheap filter before resolving names: an attribute call must spell a queue class.
        if let Expr::Attribute(a) = &*c.func {
            if !matches!(
                a.attr.as_str(),
                "Queue" | "LifoQueue" | "PriorityQueue" | "JoinableQueue"
            ) {
                return;
            }
        }
        let size = c.args.first().or_else(|| keyword(c, "maxsize"));
        if size.is_some_and(|s| !unbounded(s)) {
            return;
        }
        if c.args.iter().any(|a| matches!(a, Expr::Starred(_)))
            || c.keywords.iter().any(|k| k.arg.is_none())
        {
            return;
        }
        let names = BlockNames::of_block(node, ctx);
        let Some(q) = called(&names, ctx.module, e) else {
            return;
        };
        if QUEUES.contains(&q.as_str()) {
            ctx.report(CODE, span(e), &[("queue", q.as_str())], None);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{findings, flagged};

    const T: (u8, u8) = (3, 12);
    const C: &str = "PM0903";

    #[test]
    fn flags_queues_without_a_bound() {
        let src = "import queue, asyncio\nimport multiprocessing as mp\nfrom queue import PriorityQueue as PQ\n\njobs = queue.Queue()\nasync def main():\n    q = asyncio.Queue(maxsize=0)\n    r = mp.Queue(0)\n    s = PQ()\n";
        let found = findings(src, C, T);
        assert_eq!(
            flagged(src, &found),
            [
                "queue.Queue()",
                "asyncio.Queue(maxsize=0)",
                "mp.Queue(0)",
                "PQ()"
            ]
        );
        assert_eq!(
            found[0].message,
            "`queue.Queue` created without a `maxsize`: producers never wait, so when consumers fall behind the queue grows until memory runs out"
        );
        assert_eq!(found[0].section, "9.7");
    }

    #[test]
    fn silent_with_a_bound_or_another_queue() {
        let src = "import queue, asyncio\n\na = queue.Queue(100)\nb = asyncio.Queue(maxsize=n)\nc = queue.SimpleQueue()\nd = Queue()\ne = queue.Queue(**opts)\n\nclass Queue:\n    pass\n\nf = Queue()\n";
        assert!(findings(src, C, T).is_empty());
    }
}
