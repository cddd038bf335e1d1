//! PM0902: an executor or process pool created in a function, kept in a local name, and never
//! shut down there (§9.3.3).

use super::conc_common::{called, EXECUTORS};
use super::iter_util::enclosing_function;
use super::thread_util::{scan_all, wrap_in_with};
use super::typing_names::{text, BlockNames};
use super::{Ctx, Kind, Node, Rule, Safety};
use crate::syntax::ast::{Expr, ExprContext, Stmt};
use crate::syntax::span;

pub struct PoolNotShutDown;

const CODE: &str = "PM0902";

/// Pool classes of `multiprocessing`, by their qualified names.
const POOLS: &[&str] = &[
    "multiprocessing.Pool",
    "multiprocessing.pool.Pool",
    "multiprocessing.pool.ThreadPool",
    "multiprocessing.dummy.Pool",
];

/// Methods that end a pool's life.
const ENDS: &[&str] = &["shutdown", "close", "terminate", "__exit__"];

/// What the function does with the name: ends the pool, or lets it escape (returned, passed,
/// stored, declared global), in either case not ours to flag.
fn handled(stmts: &[Stmt], name: &str) -> bool {
    let mut loads = 0usize;
    let mut receivers = 0usize;
    let mut done = false;
    scan_all(stmts, |n| match n {
        Node::Expr(Expr::Name(x)) if x.id.as_str() == name && x.ctx == ExprContext::Load => {
            loads += 1
        }
        Node::Expr(Expr::Attribute(a)) => {
            if matches!(&*a.value, Expr::Name(x) if x.id.as_str() == name) {
                receivers += 1;
                if ENDS.contains(&a.attr.as_str()) {
                    done = true;
                }
            }
        }
        Node::Stmt(Stmt::Global(g)) if g.names.iter().any(|n| n.as_str() == name) => done = true,
        Node::Stmt(Stmt::Nonlocal(g)) if g.names.iter().any(|n| n.as_str() == name) => done = true,
        _ => {}
    });
    done || loads > receivers
}

impl Rule for PoolNotShutDown {
    fn code(&self) -> &'static str {
        CODE
    }

    fn kinds(&self) -> &'static [Kind] {
        &[Kind::Assign]
    }

    fn check(&self, node: Node<'_>, ctx: &mut Ctx<'_>) {
        let Node::Stmt(stmt @ Stmt::Assign(a)) = node else {
            return;
        };
        let [Expr::Name(target)] = &a.targets[..] else {
            return;
        };
        if !matches!(&*a.value, Expr::Call(_)) {
            return;
        }
        let Some((def, fbody, _)) = enclosing_function(ctx) else {
            return;
        };
        let names = BlockNames::of_block(node, ctx);
        let Some(q) = called(&names, ctx.module, &a.value) else {
            return;
        };
        if !EXECUTORS.contains(&q.as_str()) && !POOLS.contains(&q.as_str()) {
            return;
        }
        let name = target.id.as_str();
        if handled(fbody, name) {
            return;
        }
        let kind = q.rsplit('.').next().unwrap_or(&q).to_string();
        let fix = self.fix(ctx, def, fbody, stmt, name);
        ctx.report(
            CODE,
            span(stmt),
            &[("name", name), ("class", kind.as_str())],
            fix,
        );
    }
}

impl PoolNotShutDown {
    /// `name = Pool(...)` at the top of the function body, the rest of the body after it,
    /// become `with Pool(...) as name:` around that rest.
    fn fix(
        &self,
        ctx: &Ctx<'_>,
        def: &Stmt,
        fbody: &[Stmt],
        stmt: &Stmt,
        name: &str,
    ) -> Option<super::Fix> {
        let Stmt::Assign(a) = stmt else { return None };
        let at = fbody.iter().position(|s| std::ptr::eq(s, stmt))?;
        let rest = fbody.get(at + 1..)?;
        if rest.is_empty() {
            return None;
        }
        let value = text(ctx.source, &*a.value);
        if value.contains("\"\"\"") || value.contains("'''") {
            return None;
        }
        let header = format!("{value} as {name}");
        let edits = wrap_in_with(ctx, Some(def), stmt, &header, rest, None)?;
        Some(ctx.fix(CODE, &[("name", name)], Safety::Unsafe, edits))
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{findings, fixed, flagged};

    const T: (u8, u8) = (3, 12);
    const C: &str = "PM0902";

    #[test]
    fn flags_pools_left_open() {
        let src = "from concurrent.futures import ThreadPoolExecutor\nimport multiprocessing as mp\n\ndef run(jobs):\n    ex = ThreadPoolExecutor(max_workers=4)\n    futs = [ex.submit(j) for j in jobs]\n    return [f.result() for f in futs]\n\ndef crunch(xs):\n    if xs:\n        pool = mp.Pool(4)\n        print(pool.map(abs, xs))\n";
        let found = findings(src, C, T);
        assert_eq!(
            flagged(src, &found),
            [
                "ex = ThreadPoolExecutor(max_workers=4)",
                "pool = mp.Pool(4)"
            ]
        );
        assert_eq!(
            found[0].message,
            "`ex` holds a ThreadPoolExecutor that this function never shuts down: its workers outlive the call; use `with` or call `shutdown()`/`close()`"
        );
        assert_eq!(found[0].section, "9.3.3");
        assert!(found[1].fix.is_none());
    }

    #[test]
    fn silent_when_shut_down_or_handed_on() {
        let src = "from concurrent.futures import ThreadPoolExecutor as TPE\nfrom multiprocessing import Pool\n\ndef a():\n    ex = TPE()\n    try:\n        ex.submit(f)\n    finally:\n        ex.shutdown()\n\ndef b():\n    ex = TPE()\n    return ex\n\ndef c(self):\n    ex = TPE()\n    self.ex = ex\n\ndef d():\n    p = Pool()\n    p.map(f, xs)\n    p.close()\n    p.join()\n\ndef e():\n    with TPE() as ex:\n        ex.submit(f)\n\ndef g():\n    global EX\n    EX = TPE()\n\ndef h():\n    ex = TPE()\n    atexit.register(ex.shutdown)\n\ndef i():\n    ex = TPE()\n    keep(ex)\n\nex = TPE()\nex.submit(f)\n";
        assert!(findings(src, C, T).is_empty());
        let other = "def f():\n    ex = ThreadPoolExecutor()\n    ex.submit(g)\n\nclass ThreadPoolExecutor:\n    pass\n";
        assert!(findings(other, C, T).is_empty());
    }

    #[test]
    fn fix_wraps_the_rest_of_the_body() {
        let src = "import concurrent.futures as cf\n\ndef run(jobs):\n    \"\"\"Run.\"\"\"\n    ex = cf.ProcessPoolExecutor(\n        max_workers=2)\n    # go\n    out = list(ex.map(str, jobs))\n    return out";
        assert_eq!(
            fixed(src, C, T),
            "import concurrent.futures as cf\n\ndef run(jobs):\n    \"\"\"Run.\"\"\"\n    with cf.ProcessPoolExecutor(\n        max_workers=2) as ex:\n        # go\n        out = list(ex.map(str, jobs))\n        return out"
        );
        let tabs =
            "from multiprocessing import Pool\r\ndef f(xs):\r\n\tp = Pool()\r\n\tp.map(g, xs)\r\n";
        assert_eq!(
            fixed(tabs, C, T),
            "from multiprocessing import Pool\r\ndef f(xs):\r\n\twith Pool() as p:\r\n\t\tp.map(g, xs)\r\n"
        );
    }
}
