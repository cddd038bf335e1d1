//! PM0111: `return`, `break` or `continue` directly in a `finally` block, which silently
//! discards the exception being propagated (§1.3.6).

use super::{Ctx, Kind, Node, Rule};
use crate::syntax::ast::{Expr, Stmt};

pub struct FinallyJump;

const CODE: &str = "PM0111";

/// True when the statement at `path.last()` leaves a `finally` block of a `try` inside the same
/// function (for `return`) or loop (for `break` / `continue`).
fn leaves_finally(parents: &[Node<'_>], child: &Stmt, is_return: bool) -> bool {
    let mut child: Node<'_> = Node::Stmt(child);
    for p in parents.iter().rev() {
        let in_list = |list: &[Stmt]| match child {
            Node::Stmt(c) => list.iter().any(|s| std::ptr::eq(s, c)),
            Node::Expr(_) => false,
        };
        match p {
            Node::Stmt(Stmt::Try(t)) if in_list(&t.finalbody) => return true,
            Node::Stmt(Stmt::TryStar(t)) if in_list(&t.finalbody) => return true,
            Node::Stmt(Stmt::For(l)) if !is_return && in_list(&l.body) => return false,
            Node::Stmt(Stmt::AsyncFor(l)) if !is_return && in_list(&l.body) => return false,
            Node::Stmt(Stmt::While(l)) if !is_return && in_list(&l.body) => return false,
            Node::Stmt(Stmt::FunctionDef(_) | Stmt::AsyncFunctionDef(_) | Stmt::ClassDef(_))
            | Node::Expr(Expr::Lambda(_)) => return false,
            _ => {}
        }
        child = *p;
    }
    false
}

impl Rule for FinallyJump {
    fn code(&self) -> &'static str {
        CODE
    }

    fn kinds(&self) -> &'static [Kind] {
        &[Kind::Return, Kind::Break, Kind::Continue]
    }

    fn check(&self, node: Node<'_>, ctx: &mut Ctx<'_>) {
        let Node::Stmt(stmt) = node else {
            return;
        };
        let keyword = match stmt {
            Stmt::Return(_) => "return",
            Stmt::Break(_) => "break",
            Stmt::Continue(_) => "continue",
            _ => return,
        };
        if leaves_finally(&ctx.parents, stmt, keyword == "return") {
            ctx.report(CODE, node.span(), &[("keyword", keyword)], None);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{findings, flagged};

    const T: (u8, u8) = (3, 12);

    #[test]
    fn flags_jumps_out_of_finally() {
        let src = "def f():\n    try:\n        work()\n    finally:\n        cleanup()\n        if done:\n            return 1\n\nfor x in xs:\n    try:\n        step(x)\n    except* ValueError:\n        pass\n    finally:\n        continue\n\nwhile True:\n    try:\n        pass\n    finally:\n        for y in ys:\n            pass\n        else:\n            break\n";
        let found = findings(src, "PM0111", T);
        assert_eq!(flagged(src, &found), ["return 1", "continue", "break"]);
        assert_eq!(
            found[0].message,
            "`return` inside `finally` throws away any exception on its way out of the `try`, and the caller never sees it"
        );
        assert_eq!(found[0].section, "1.3.6");
        assert!(found[0].fix.is_none());
    }

    #[test]
    fn silent_when_the_jump_belongs_to_an_inner_scope_or_loop() {
        for src in [
            "def f():\n    try:\n        return 1\n    except E:\n        return 2\n    else:\n        return 3\n    finally:\n        log()\n",
            "def f():\n    try:\n        pass\n    finally:\n        for x in xs:\n            if x:\n                break\n            continue\n",
            "def f():\n    try:\n        pass\n    finally:\n        def g():\n            return 1\n        h = lambda: 2\n",
            "for x in xs:\n    try:\n        break\n    finally:\n        pass\n",
        ] {
            assert!(findings(src, "PM0111", T).is_empty(), "{src}");
        }
    }
}
