//! PM0604 (off by default): `f = open(...)` or `s = socket.socket(...)` in a function, closed
//! later in the same body but not by a `finally`: an exception in between leaks the file or
//! socket until the garbage collector finds it (§6.12).

use super::conc_common::called;
use super::thread_util::happy_path_cleanup;
use super::typing_names::BlockNames;
use super::{Ctx, Kind, Node, Rule};
use crate::syntax::ast::{Expr, Stmt};
use crate::syntax::span;

pub struct CloseHappyPath;

const CODE: &str = "PM0604";

/// Calls that return an object holding an OS resource, by qualified name.
const OPENERS: &[&str] = &[
    "open",
    "io.open",
    "socket.socket",
    "socket.create_connection",
    "tempfile.TemporaryFile",
    "tempfile.NamedTemporaryFile",
];

const CLOSE: &[&str] = &["close"];

impl Rule for CloseHappyPath {
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
        let [Expr::Name(n)] = &a.targets[..] else {
            return;
        };
        if !matches!(&*a.value, Expr::Call(_)) {
            return;
        }
        let name = n.id.as_str();
        if happy_path_cleanup(ctx, stmt, name, CLOSE).is_none() {
            return;
        }
        let names = BlockNames::of_block(node, ctx);
        let Some(q) = called(&names, ctx.module, &a.value) else {
            return;
        };
        if !OPENERS.contains(&q.as_str()) {
            return;
        }
        ctx.report(
            CODE,
            span(stmt),
            &[("name", name), ("call", q.as_str())],
            None,
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{findings, flagged};

    const T: (u8, u8) = (3, 12);
    const C: &str = "PM0604";

    #[test]
    fn flags_a_close_on_the_happy_path() {
        let src = "import socket\n\ndef save(path, data):\n    f = open(path, 'w')\n    f.write(data)\n    f.close()\n\ndef ping(host):\n    s = socket.socket()\n    s.connect((host, 80))\n    if ok:\n        s.close()\n";
        let found = findings(src, C, T);
        assert_eq!(
            flagged(src, &found),
            ["f = open(path, 'w')", "s = socket.socket()"]
        );
        assert_eq!(
            found[0].message,
            "`f` from `open()` is closed only if nothing raises first: the `close()` is not in a `finally`, so an exception leaves it open until the garbage collector gets to it; use `with`"
        );
        assert_eq!(found[0].section, "6.12");
    }

    #[test]
    fn silent_with_finally_with_or_no_close() {
        let src = "def a(p):\n    f = open(p)\n    try:\n        f.read()\n    finally:\n        f.close()\n\ndef b(p):\n    with open(p) as f:\n        f.read()\n\ndef c(p):\n    f = open(p)\n    return f\n\ndef d(p):\n    f = open(p)\n    f.close()\n\ndef e(p):\n    try:\n        f = open(p)\n        f.read()\n    finally:\n        f.close()\n\ndef g(p):\n    f = Opener(p)\n    f.read()\n    f.close()\n\ndef open(p):\n    pass\n";
        assert!(findings(src, C, T).is_empty());
    }
}
