//! PM1101: a process pool or a started process created by a module's top-level code, outside
//! `if __name__ == "__main__":`, which the spawn and forkserver start methods re-run in every
//! child (§11.11.1).

use super::ch05_abcmeta_keyword::qualified;
use super::{Ctx, Kind, Node, Rule};
use crate::syntax::ast::{CmpOp, Constant, Expr, Stmt};
use crate::syntax::span;

pub struct UnguardedProcesses;

const CODE: &str = "PM1101";

/// True for `__name__ == "__main__"` (either way round).
fn is_main_guard(test: &Expr) -> bool {
    let Expr::Compare(c) = test else { return false };
    let ([op], [right]) = (&c.ops[..], &c.comparators[..]) else {
        return false;
    };
    if !matches!(op, CmpOp::Eq) {
        return false;
    }
    let is_name = |e: &Expr| matches!(e, Expr::Name(n) if n.id.as_str() == "__name__");
    let is_main = |e: &Expr| matches!(e, Expr::Constant(k) if matches!(&k.value, Constant::Str(s) if s == "__main__"));
    (is_name(&c.left) && is_main(right)) || (is_main(&c.left) && is_name(right))
}

/// What a call creates, when it creates worker processes.
fn creates(ctx: &Ctx<'_>, call: &Expr) -> Option<&'static str> {
    let Expr::Call(c) = call else { return None };
    let q = qualified(ctx, &c.func)?;
    match q.as_str() {
        "multiprocessing.Pool" | "multiprocessing.pool.Pool" => Some("`multiprocessing.Pool`"),
        "concurrent.futures.ProcessPoolExecutor"
        | "concurrent.futures.process.ProcessPoolExecutor" => Some("`ProcessPoolExecutor`"),
        _ => None,
    }
}

impl Rule for UnguardedProcesses {
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
        for p in &ctx.parents {
            match p {
                Node::Stmt(
                    Stmt::FunctionDef(_) | Stmt::AsyncFunctionDef(_) | Stmt::ClassDef(_),
                )
                | Node::Expr(Expr::Lambda(_)) => return,
                Node::Stmt(Stmt::If(i)) if is_main_guard(&i.test) => return,
                _ => {}
            }
        }
        let what = match creates(ctx, e) {
            Some(w) => w,
            None => {
                // `Process(...).start()`
                let Expr::Attribute(a) = &*call.func else {
                    return;
                };
                let Expr::Call(inner) = &*a.value else { return };
                if a.attr.as_str() != "start"
                    || qualified(ctx, &inner.func).as_deref() != Some("multiprocessing.Process")
                {
                    return;
                }
                "a started `multiprocessing.Process`"
            }
        };
        ctx.report(CODE, span(e), &[("what", what)], None);
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{findings, flagged};

    const T: (u8, u8) = (3, 12);

    #[test]
    fn flags_top_level_pools_and_processes() {
        let src = "import multiprocessing as mp\nfrom concurrent.futures import ProcessPoolExecutor\npool = mp.Pool(4)\nwith ProcessPoolExecutor() as ex:\n    ex.map(f, xs)\nmp.Process(target=f).start()\n";
        let found = findings(src, "PM1101", T);
        assert_eq!(
            flagged(src, &found),
            [
                "mp.Pool(4)",
                "ProcessPoolExecutor()",
                "mp.Process(target=f).start()"
            ]
        );
        assert_eq!(
            found[0].message,
            "`multiprocessing.Pool` created at import time: with the spawn or forkserver start method every child re-imports this module and runs it again; move it under `if __name__ == \"__main__\":` or into a function"
        );
        assert_eq!(found[0].section, "11.11.1");
    }

    #[test]
    fn silent_under_the_guard_in_functions_or_unresolved() {
        let src = "import multiprocessing\nif __name__ == '__main__':\n    with multiprocessing.Pool() as p:\n        p.map(f, xs)\ndef main():\n    multiprocessing.Pool()\npool = Pool()\np = multiprocessing.Process(target=f)\nlazy = lambda: multiprocessing.Pool()\n";
        assert!(findings(src, "PM1101", T).is_empty());
    }
}
