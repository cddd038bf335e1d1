//! PM0804: a daemon thread whose target writes, commits, sends or flushes: daemon threads are
//! stopped abruptly at interpreter exit, in the middle of that work (§8.2.2).

use super::conc_common::{block_stmts, called};
use super::iter_util::{dotted_text, scan};
use super::thread_util::{
    assigned_name, def_body, def_name, is_thread_call, is_true, keyword, method_call, scan_all,
    scope_stmts, target_def,
};
use super::typing_names::BlockNames;
use super::{Ctx, Kind, Node, Rule};
use crate::syntax::ast::{Constant, Expr, Stmt};
use crate::syntax::span;

pub struct DaemonWriter;

const CODE: &str = "PM0804";

/// Methods whose work is lost when the thread is stopped halfway.
const WRITES: &[&str] = &[
    "write",
    "writelines",
    "commit",
    "send",
    "sendall",
    "sendto",
    "flush",
];

/// The first call in `body` (its own scope) that writes, as shown in the message.
fn first_write(names: &BlockNames, ctx: &Ctx<'_>, body: &[Stmt]) -> Option<String> {
    let mut found: Option<String> = None;
    scan(body, |n| {
        if found.is_some() {
            return;
        }
        let Node::Expr(e @ Expr::Call(c)) = n else {
            return;
        };
        if let Some(Expr::Attribute(a)) = method_call(e, WRITES).map(|_| &*c.func) {
            found = Some(format!(".{}()", a.attr.as_str()));
            return;
        }
        match called(names, ctx.module, e).as_deref() {
            Some("open" | "io.open") => {
                let mode = c.args.get(1).or_else(|| keyword(c, "mode"));
                if let Some(Expr::Constant(k)) = mode {
                    if let Constant::Str(m) = &k.value {
                        if m.contains(['w', 'a', 'x', '+']) {
                            found = Some(format!("open(..., {m:?})"));
                        }
                    }
                }
            }
            Some(q @ ("requests.post" | "requests.put" | "requests.patch" | "requests.delete"))
            | Some(q @ ("json.dump" | "pickle.dump" | "marshal.dump")) => {
                found = Some(format!("{q}()"));
            }
            _ => {}
        }
    });
    found
}

/// True when the statements make the thread `name` a daemon: `name.daemon = True` or
/// `name.setDaemon(True)`.
fn made_daemon(src: &str, stmts: &[Stmt], name: &str) -> bool {
    let mut found = false;
    scan_all(stmts, |n| match n {
        Node::Stmt(Stmt::Assign(a)) => {
            found |= is_true(&a.value)
                && a.targets.iter().any(|t| {
                    matches!(t, Expr::Attribute(x) if x.attr.as_str() == "daemon"
                        && dotted_text(src, &x.value) == Some(name))
                });
        }
        Node::Expr(e @ Expr::Call(c)) => {
            found |= method_call(e, &["setDaemon"])
                .is_some_and(|r| dotted_text(src, r) == Some(name))
                && c.args.first().is_some_and(is_true);
        }
        _ => {}
    });
    found
}

impl Rule for DaemonWriter {
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
        let daemon = match keyword(c, "daemon") {
            Some(d) => is_true(d),
            None => assigned_name(ctx, e)
                .is_some_and(|n| made_daemon(ctx.source, scope_stmts(node, ctx), n)),
        };
        if !daemon {
            return;
        }
        let Some(def) = target_def(ctx, block_stmts(node, ctx), target) else {
            return;
        };
        let Some(write) = first_write(&names, ctx, def_body(def)) else {
            return;
        };
        let func = def_name(def).unwrap_or("");
        ctx.report(
            CODE,
            span(e),
            &[("func", func), ("write", write.as_str())],
            None,
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{findings, flagged};

    const T: (u8, u8) = (3, 12);
    const C: &str = "PM0804";

    #[test]
    fn flags_daemon_threads_that_write() {
        let src = "import threading\n\ndef start(path, q):\n    def drain():\n        with open(path, \"a\") as f:\n            f.write(q.get())\n    threading.Thread(target=drain, daemon=True).start()\n\nclass Sync:\n    def run(self):\n        t = threading.Thread(target=self._push)\n        t.daemon = True\n        t.start()\n\n    def _push(self):\n        self.db.commit()\n";
        let found = findings(src, C, T);
        assert_eq!(
            flagged(src, &found),
            [
                "threading.Thread(target=drain, daemon=True)",
                "threading.Thread(target=self._push)"
            ]
        );
        assert_eq!(
            found[0].message,
            "Daemon thread runs `drain`, which calls `open(..., \"a\")`: at interpreter exit daemon threads are stopped wherever they are, so that work can be cut off halfway"
        );
        assert_eq!(found[1].section, "8.2.2");
        assert!(found[1].message.contains("`.commit()`"));
    }

    #[test]
    fn silent_for_plain_threads_and_readers() {
        let src = "import threading\n\ndef start(path):\n    def read():\n        with open(path) as f:\n            return f.read()\n    def write():\n        open(path, 'w').write('x')\n    threading.Thread(target=read, daemon=True).start()\n    threading.Thread(target=write).start()\n    threading.Thread(target=write, daemon=False).start()\n    t = threading.Thread(target=write)\n    t.daemon = False\n    threading.Thread(target=helper, daemon=True).start()\n\ndef other():\n    def write():\n        print(1)\n    Thread(target=write, daemon=True)\n";
        assert!(findings(src, C, T).is_empty());
        let nested = "import threading\n\ndef start(f):\n    def work():\n        def later():\n            f.write('x')\n        return later\n    threading.Thread(target=work, daemon=True).start()\n";
        assert!(findings(nested, C, T).is_empty());
    }
}
