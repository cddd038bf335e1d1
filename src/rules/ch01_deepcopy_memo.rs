//! PM0153: `copy.deepcopy(part)` inside `__deepcopy__` without passing the memo on, which
//! duplicates shared objects and loses track of cycles (§1.10).

use super::typing_names::BlockNames;
use super::{Ctx, Edit, Kind, Node, Rule, Safety, Scope};
use crate::syntax::ast::{Expr, ExprCall, Stmt};
use crate::syntax::span;
use crate::syntax::walk::{walk, Visitor};

pub struct DeepcopyMemo;

const CODE: &str = "PM0153";

impl Rule for DeepcopyMemo {
    fn code(&self) -> &'static str {
        CODE
    }

    fn kinds(&self) -> &'static [Kind] {
        &[Kind::FunctionDef]
    }

    fn check(&self, node: Node<'_>, ctx: &mut Ctx<'_>) {
        let Node::Stmt(Stmt::FunctionDef(f)) = node else {
            return;
        };
        if f.name.as_str() != "__deepcopy__" || !matches!(ctx.scope(), Scope::Class(_)) {
            return;
        }
        let Some(memo) = f.args.posonlyargs.iter().chain(&f.args.args).nth(1) else {
            return;
        };
        let memo = memo.def.arg.as_str();
        let mut calls = Calls { out: Vec::new() };
        walk(&f.body, &mut calls);
        if calls.out.is_empty() {
            return;
        }
        let names = BlockNames::of_block(node, ctx);
        for call in calls.out {
            let is_deepcopy = names
                .resolve(&call.func)
                .is_some_and(|r| r.member == "deepcopy" && r.is_in(&["copy"]));
            if !is_deepcopy
                || call.args.len() != 1
                || matches!(call.args[0], Expr::Starred(_))
                || !call.keywords.is_empty()
            {
                continue;
            }
            let at = span(&call.args[0]).1;
            let fix = ctx.fix(
                CODE,
                &[("memo", memo)],
                Safety::Unsafe,
                vec![Edit {
                    start: at,
                    end: at,
                    text: format!(", {memo}"),
                }],
            );
            ctx.report(CODE, span(call), &[("memo", memo)], Some(fix));
        }
    }
}

/// Every call in the method's body, nested functions and lambdas included (a helper closure
/// that deep-copies is still part of this copy).
struct Calls<'a> {
    out: Vec<&'a ExprCall>,
}

impl<'a> Visitor<'a> for Calls<'a> {
    fn enter(&mut self, node: Node<'a>) -> bool {
        match node {
            Node::Expr(Expr::Call(c)) => self.out.push(c),
            Node::Stmt(Stmt::ClassDef(_)) => return false,
            _ => {}
        }
        true
    }

    fn leave(&mut self, _node: Node<'a>) {}
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{findings, fixed, flagged};

    const T: (u8, u8) = (3, 12);

    #[test]
    fn flags_deepcopy_without_memo() {
        let src = "import copy\n\nclass Tree:\n    def __deepcopy__(self, memo):\n        new = Tree()\n        new.kids = [copy.deepcopy(k) for k in self.kids]\n        new.meta = deepcopy(self.meta)\n        return new\n";
        let found = findings(src, "PM0153", T);
        assert_eq!(
            flagged(src, &found),
            ["copy.deepcopy(k)", "deepcopy(self.meta)"]
        );
        assert_eq!(
            found[0].message,
            "`deepcopy()` inside `__deepcopy__` without `memo` starts a fresh memo: objects shared with the rest of the copy are copied twice, and a cycle back through them recurses until RecursionError"
        );
        assert_eq!(found[0].section, "1.10");
    }

    #[test]
    fn silent_when_memo_is_passed_or_nothing_is_copied() {
        let src = "import copy\n\nclass A:\n    def __deepcopy__(self, memo):\n        return self\n\nclass B:\n    def __deepcopy__(self, memo):\n        return B(copy.deepcopy(self.x, memo), copy.deepcopy(self.y, memo=memo))\n\nclass C:\n    def __deepcopy__(self, memo):\n        return C(copy.copy(self.x), self.y.deepcopy())\n\ndef __deepcopy__(self, memo):\n    return copy.deepcopy(self.x)\n";
        assert!(findings(src, "PM0153", T).is_empty());
    }

    #[test]
    fn silent_when_deepcopy_is_someone_else() {
        let src = "from mylib import deepcopy\n\nclass A:\n    def __deepcopy__(self, memo):\n        return A(deepcopy(self.x))\n";
        assert!(findings(src, "PM0153", T).is_empty());
    }

    #[test]
    fn fix_passes_memo() {
        assert_eq!(
            fixed(
                "class A:\n    def __deepcopy__(self, m):\n        return A(copy.deepcopy(self.x,))\n",
                "PM0153",
                T
            ),
            "class A:\n    def __deepcopy__(self, m):\n        return A(copy.deepcopy(self.x, m,))\n"
        );
    }
}
