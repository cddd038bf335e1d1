//! PM1103: a lambda or a nested function handed to a process pool or a `Process`: the task is
//! pickled to reach the worker, and pickle cannot serialise those by name (§11.10.1).

use super::conc_common::{bindings, block_stmts, called};
use super::iter_util::{enclosing_function, scan};
use super::thread_util::keyword;
use super::typing_names::BlockNames;
use super::{Ctx, Kind, Node, Rule};
use crate::syntax::ast::{Expr, Stmt};
use crate::syntax::span;

pub struct UnpicklableTask;

const CODE: &str = "PM1103";

/// Process pools, by their qualified names.
const POOLS: &[&str] = &[
    "concurrent.futures.ProcessPoolExecutor",
    "concurrent.futures.process.ProcessPoolExecutor",
    "multiprocessing.Pool",
    "multiprocessing.pool.Pool",
];

/// Pool methods whose first argument is the callable.
const METHODS: &[&str] = &[
    "submit",
    "map",
    "imap",
    "imap_unordered",
    "apply",
    "apply_async",
    "map_async",
    "starmap",
    "starmap_async",
];

/// Process classes whose `target` is pickled under the spawn and forkserver start methods.
const PROCESSES: &[&str] = &["multiprocessing.Process", "multiprocessing.context.Process"];

/// What the callable is, when pickle cannot send it: a lambda, or a function defined inside
/// the enclosing function.
fn unpicklable(ctx: &Ctx<'_>, f: &Expr) -> Option<&'static str> {
    match f {
        Expr::Lambda(_) => Some("a lambda"),
        Expr::Name(n) => {
            let (_, body, _) = enclosing_function(ctx)?;
            let mut local = false;
            let mut rebound = false;
            scan(body, |node| match node {
                Node::Stmt(Stmt::FunctionDef(d)) if d.name.as_str() == n.id.as_str() => {
                    local = true
                }
                Node::Stmt(Stmt::AsyncFunctionDef(d)) if d.name.as_str() == n.id.as_str() => {
                    local = true
                }
                _ => {}
            });
            // Rebound to something else as well: cannot tell which reaches the pool.
            for b in bindings(body) {
                if b.name == n.id.as_str() {
                    rebound = true;
                }
            }
            (local && !rebound).then_some("a nested function")
        }
        // `Local.method`, `Local().method`, or `obj.method` with `obj = Local(...)` the only
        // binding of `obj`: pickle sends the instance by its class's qualified name, and a
        // class defined in a function (`run.<locals>.Local`) cannot be found by it.
        Expr::Attribute(a) => {
            let (_, body, _) = enclosing_function(ctx)?;
            let local_class = |name: &str| {
                let mut found = false;
                scan(body, |node| {
                    if matches!(node, Node::Stmt(Stmt::ClassDef(c)) if c.name.as_str() == name) {
                        found = true;
                    }
                });
                found && bindings(body).iter().all(|b| b.name != name)
            };
            match &*a.value {
                Expr::Name(n) if local_class(n.id.as_str()) => {
                    Some("a method of a class defined inside this function")
                }
                Expr::Call(c) if matches!(&*c.func, Expr::Name(k) if local_class(k.id.as_str())) => {
                    Some("a method of an object whose class is defined inside this function")
                }
                Expr::Name(n) => {
                    let binds: Vec<_> = bindings(body)
                        .into_iter()
                        .filter(|b| b.name == n.id.as_str())
                        .collect();
                    match binds.as_slice() {
                        [b] if !b.with_item
                            && matches!(b.value, Expr::Call(c)
                                if matches!(&*c.func, Expr::Name(k) if local_class(k.id.as_str()))) =>
                        {
                            Some(
                                "a method of an object whose class is defined inside this function",
                            )
                        }
                        _ => None,
                    }
                }
                _ => None,
            }
        }
        _ => None,
    }
}

impl Rule for UnpicklableTask {
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
        let callable = match &*c.func {
            Expr::Attribute(a) if METHODS.contains(&a.attr.as_str()) => {
                let Expr::Name(recv) = &*a.value else {
                    return;
                };
                let Some(f) = c
                    .args
                    .first()
                    .or_else(|| keyword(c, "fn"))
                    .or_else(|| keyword(c, "func"))
                else {
                    return;
                };
                let Some(what) = unpicklable(ctx, f) else {
                    return;
                };
                let names = BlockNames::of_block(node, ctx);
                let block = block_stmts(node, ctx);
                let all = bindings(block);
                let mut mine = all.iter().filter(|b| b.name == recv.id.as_str()).peekable();
                if mine.peek().is_none()
                    || !mine.all(|b| {
                        called(&names, ctx.module, b.value)
                            .is_some_and(|q| POOLS.contains(&q.as_str()))
                    })
                {
                    return;
                }
                (f, what)
            }
            _ => {
                let Some(f) = keyword(c, "target") else {
                    return;
                };
                let Some(what) = unpicklable(ctx, f) else {
                    return;
                };
                let names = BlockNames::of_block(node, ctx);
                if !called(&names, ctx.module, e).is_some_and(|q| PROCESSES.contains(&q.as_str())) {
                    return;
                }
                (f, what)
            }
        };
        let (f, what) = callable;
        ctx.report(CODE, span(f), &[("what", what)], None);
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{findings, flagged};

    const T: (u8, u8) = (3, 12);
    const C: &str = "PM1103";

    #[test]
    fn flags_lambdas_and_nested_functions() {
        let src = "from concurrent.futures import ProcessPoolExecutor\nimport multiprocessing as mp\n\ndef run(xs, k):\n    def scale(x):\n        return x * k\n    with ProcessPoolExecutor() as ex:\n        list(ex.map(scale, xs))\n        ex.submit(lambda: k)\n    pool = mp.Pool()\n    pool.apply_async(scale, (1,))\n    mp.Process(target=scale).start()\n";
        let found = findings(src, C, T);
        assert_eq!(
            flagged(src, &found),
            ["scale", "lambda: k", "scale", "scale"]
        );
        assert_eq!(
            found[0].message,
            "This process pool cannot pickle a nested function: the callable is sent to the worker by its importable name, so it fails with a pickling error; pass a module-level function"
        );
        assert_eq!(found[1].message, "This process pool cannot pickle a lambda: the callable is sent to the worker by its importable name, so it fails with a pickling error; pass a module-level function");
        assert_eq!(found[0].section, "11.10.1");
    }

    #[test]
    fn silent_for_threads_and_module_functions() {
        let src = "from concurrent.futures import ThreadPoolExecutor, ProcessPoolExecutor\nimport threading\n\ndef run(xs):\n    def scale(x):\n        return x\n    with ThreadPoolExecutor() as ex:\n        ex.map(scale, xs)\n        ex.submit(lambda: 1)\n    with ProcessPoolExecutor() as px:\n        px.map(top_level, xs)\n        px.map(str.upper, xs)\n    threading.Thread(target=lambda: 1).start()\n    pool.map(lambda x: x, xs)\n\ndef other(px):\n    px.map(lambda x: x, [])\n";
        assert!(findings(src, C, T).is_empty());
    }

    #[test]
    fn flags_methods_of_classes_defined_in_the_function() {
        let src = "from concurrent.futures import ProcessPoolExecutor\n\ndef run(xs):\n    class Scaler:\n        def apply(self, x):\n            return x\n    s = Scaler()\n    with ProcessPoolExecutor() as ex:\n        ex.map(s.apply, xs)\n        ex.submit(Scaler().apply, 1)\n        ex.submit(Scaler.apply, None, 1)\n";
        let found = findings(src, C, T);
        assert_eq!(
            flagged(src, &found),
            ["s.apply", "Scaler().apply", "Scaler.apply"]
        );
        assert_eq!(found[0].message, "This process pool cannot pickle a method of an object whose class is defined inside this function: the callable is sent to the worker by its importable name, so it fails with a pickling error; pass a module-level function");
    }

    #[test]
    fn silent_for_methods_of_module_level_classes() {
        // Bound methods pickle when the instance does: the class is found by its name.
        let src = "from concurrent.futures import ProcessPoolExecutor\n\nclass Scaler:\n    def apply(self, x):\n        return x\n\ndef run(xs, other):\n    s = Scaler()\n    t = make()\n    with ProcessPoolExecutor() as ex:\n        ex.map(s.apply, xs)\n        ex.map(t.apply, xs)\n        ex.map(other.apply, xs)\n        ex.map(Scaler().apply, xs)\n";
        assert!(findings(src, C, T).is_empty());
    }
}
