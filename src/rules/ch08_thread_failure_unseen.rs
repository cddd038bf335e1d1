//! PM0805: a thread started and never joined, whose target catches nothing, in a module that
//! sets no `threading.excepthook`: when the target raises, the thread dies and no code of the
//! program hears of it (§8.14).

use super::conc_common::block_stmts;
use super::iter_util::scan;
use super::thread_util::{
    assigned_name, def_body, def_name, is_thread_call, keyword, method_call, scan_all, target_def,
};
use super::typing_names::BlockNames;
use super::{Ctx, Kind, Node, Rule};
use crate::syntax::ast::{Expr, ExprContext, Stmt};
use crate::syntax::span;

pub struct ThreadFailureUnseen;

const CODE: &str = "PM0805";

/// True when the statements handle exceptions somewhere in their own scope.
fn catches(body: &[Stmt]) -> bool {
    let mut found = false;
    scan(body, |n| match n {
        Node::Stmt(Stmt::Try(t)) if !t.handlers.is_empty() => found = true,
        Node::Stmt(Stmt::TryStar(_)) => found = true,
        // A `with` may be a context manager that handles errors (`suppress`, a logger).
        Node::Stmt(Stmt::With(_) | Stmt::AsyncWith(_)) => found = true,
        _ => {}
    });
    found
}

/// How the block uses the thread `name`: (started, joined or handed on).
fn uses(block: &[Stmt], name: &str) -> (bool, bool) {
    let (mut started, mut kept) = (false, false);
    let (mut loads, mut receivers) = (0usize, 0usize);
    scan_all(block, |n| match n {
        Node::Expr(Expr::Name(x)) if x.id.as_str() == name && x.ctx == ExprContext::Load => {
            loads += 1
        }
        Node::Expr(Expr::Attribute(a)) => {
            if matches!(&*a.value, Expr::Name(x) if x.id.as_str() == name) {
                receivers += 1;
                match a.attr.as_str() {
                    "start" => started = true,
                    "join" | "is_alive" => kept = true,
                    _ => {}
                }
            }
        }
        Node::Stmt(Stmt::Global(g)) if g.names.iter().any(|n| n.as_str() == name) => kept = true,
        _ => {}
    });
    (started, kept || loads > receivers)
}

/// True when the block sets `threading.excepthook` (or `sys.excepthook`).
fn sets_excepthook(block: &[Stmt]) -> bool {
    let mut found = false;
    scan_all(block, |n| {
        if let Node::Expr(Expr::Attribute(a)) = n {
            if a.attr.as_str() == "excepthook" && a.ctx == ExprContext::Store {
                found = true;
            }
        }
    });
    found
}

impl Rule for ThreadFailureUnseen {
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
        let Some(target) = keyword(c, "target") else {
            return;
        };
        let names = BlockNames::of_block(node, ctx);
        if !is_thread_call(&names, ctx.module, e) {
            return;
        }
        let block = block_stmts(node, ctx);
        // `Thread(...).start()` with nothing kept, or `t = Thread(...)` started and never
        // joined nor handed on.
        let chained = matches!(ctx.parents.last(), Some(Node::Expr(Expr::Attribute(a)))
            if a.attr.as_str() == "start" && std::ptr::eq(&*a.value, e))
            && matches!(ctx.parents.iter().rev().nth(1), Some(Node::Expr(p)) if method_call(p, &["start"]).is_some());
        let unjoined = if chained {
            true
        } else {
            match assigned_name(ctx, e) {
                Some(n) => {
                    let (started, kept) = uses(block, n);
                    started && !kept
                }
                None => false,
            }
        };
        if !unjoined || sets_excepthook(block) {
            return;
        }
        let Some(def) = target_def(ctx, block, target) else {
            return;
        };
        let body = def_body(def);
        if catches(body) {
            return;
        }
        let func = def_name(def).unwrap_or("");
        ctx.report(CODE, span(e), &[("func", func)], None);
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{findings, flagged};

    const T: (u8, u8) = (3, 12);
    const C: &str = "PM0805";

    #[test]
    fn flags_a_fire_and_forget_thread() {
        let src = "import threading\n\ndef serve(conn):\n    def pump():\n        conn.send(conn.recv())\n    threading.Thread(target=pump).start()\n\nclass W:\n    def go(self):\n        t = threading.Thread(target=self.loop, daemon=True)\n        t.start()\n\n    def loop(self):\n        self.step()\n";
        let found = findings(src, C, T);
        assert_eq!(
            flagged(src, &found),
            [
                "threading.Thread(target=pump)",
                "threading.Thread(target=self.loop, daemon=True)"
            ]
        );
        assert_eq!(
            found[0].message,
            "Nobody hears when `pump` fails: the thread is never joined and `pump` catches no exception, so an error prints a traceback to stderr, the thread ends, and the program carries on unaware"
        );
        assert_eq!(found[0].section, "8.14");
    }

    #[test]
    fn silent_when_joined_kept_handled_or_hooked() {
        let src = "import threading\n\ndef a():\n    def work():\n        step()\n    t = threading.Thread(target=work)\n    t.start()\n    t.join()\n\ndef b(self):\n    def work():\n        step()\n    t = threading.Thread(target=work)\n    self.threads.append(t)\n    t.start()\n\ndef c():\n    def work():\n        try:\n            step()\n        except Exception:\n            log.exception('work')\n    threading.Thread(target=work).start()\n\ndef d():\n    threading.excepthook = report\n    def work():\n        step()\n    threading.Thread(target=work).start()\n\ndef e():\n    threading.Thread(target=imported_work).start()\n\ndef f():\n    def work():\n        step()\n    t = threading.Thread(target=work)\n";
        assert!(findings(src, C, T).is_empty());
    }
}
