//! PM0406: `return value` in a generator function that every caller in the block iterates with
//! `for`, which drops the value (§4.2.3).

use super::gen_util::{each_name, is_name};
use super::iter_util::{block_stmt, is_generator, scan};
use super::{Ctx, Kind, Node, Rule};
use crate::syntax::ast::{Constant, Expr, ExprContext, Stmt};
use crate::syntax::span;

pub struct GeneratorReturnDropped;

const CODE: &str = "PM0406";

/// True when `e` calls the function: `name(...)`, or `self.name(...)` for a method.
fn calls(e: &Expr, name: &str, method: bool) -> bool {
    let Expr::Call(c) = e else { return false };
    match &*c.func {
        Expr::Name(n) => !method && n.id.as_str() == name,
        Expr::Attribute(a) => method && a.attr.as_str() == name && is_name(&a.value, "self"),
        _ => false,
    }
}

impl Rule for GeneratorReturnDropped {
    fn code(&self) -> &'static str {
        CODE
    }

    fn kinds(&self) -> &'static [Kind] {
        &[Kind::FunctionDef]
    }

    fn check(&self, node: Node<'_>, ctx: &mut Ctx<'_>) {
        let Node::Stmt(def @ Stmt::FunctionDef(f)) = node else {
            return;
        };
        if !f.decorator_list.is_empty() || !is_generator(&f.body) {
            return;
        }
        let mut returns: Vec<&Stmt> = Vec::new();
        scan(&f.body, |n| {
            if let Node::Stmt(r @ Stmt::Return(x)) = n {
                let none = x.value.as_deref().is_none_or(
                    |v| matches!(v, Expr::Constant(c) if matches!(c.value, Constant::None)),
                );
                if !none {
                    returns.push(r);
                }
            }
        });
        if returns.is_empty() {
            return;
        }
        // Only a function nested in the block (in a function or a class) has all its callers
        // in view; a top-level one is called from other blocks.
        let Some(block) = block_stmt(node, ctx) else {
            return;
        };
        if std::ptr::eq(block, def) {
            return;
        }
        let method = matches!(ctx.parents.last(), Some(Node::Stmt(Stmt::ClassDef(_))));
        let name = f.name.as_str();
        let whole = std::slice::from_ref(block);
        struct V<'n> {
            name: &'n str,
            method: bool,
            loops: usize,
            uses: usize,
        }
        impl<'a> crate::syntax::walk::Visitor<'a> for V<'_> {
            fn enter(&mut self, node: Node<'a>) -> bool {
                match node {
                    Node::Stmt(Stmt::For(fl)) if calls(&fl.iter, self.name, self.method) => {
                        self.loops += 1
                    }
                    Node::Expr(Expr::Name(n))
                        if !self.method
                            && n.id.as_str() == self.name
                            && matches!(n.ctx, ExprContext::Load) =>
                    {
                        self.uses += 1
                    }
                    Node::Expr(Expr::Attribute(a))
                        if self.method && a.attr.as_str() == self.name =>
                    {
                        self.uses += 1
                    }
                    _ => {}
                }
                true
            }
            fn leave(&mut self, _node: Node<'a>) {}
        }
        let mut v = V {
            name,
            method,
            loops: 0,
            uses: 0,
        };
        crate::syntax::walk::walk(whole, &mut v);
        let (loops, uses) = (v.loops, v.uses);
        // The name must not be bound another way in the block either.
        let mut stores = 0;
        each_name(whole, |n| {
            if n.id.as_str() == name && !matches!(n.ctx, ExprContext::Load) {
                stores += 1;
            }
        });
        if loops == 0 || uses != loops || stores > 0 {
            return;
        }
        for r in returns {
            ctx.report(CODE, span(r), &[("name", name)], None);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{findings, flagged};

    const T: (u8, u8) = (3, 12);

    #[test]
    fn flags_a_return_value_that_for_loops_drop() {
        let src = "def main(rows):\n    def parse():\n        bad = 0\n        for r in rows:\n            yield r\n        return bad\n    for item in parse():\n        print(item)\n";
        let found = findings(src, "PM0406", T);
        assert_eq!(flagged(src, &found), ["return bad"]);
        assert_eq!(
            found[0].message,
            "generator `parse` returns a value, but every caller here iterates it with `for`, which drops the value: collect it with `result = yield from parse()` in a generator, or return it through an attribute or an out-parameter"
        );
        assert_eq!(found[0].section, "4.2.3");
        let src = "class P:\n    def rows(self):\n        yield 1\n        return 2\n    def run(self):\n        for r in self.rows():\n            pass\n";
        assert_eq!(findings(src, "PM0406", T).len(), 1);
    }

    #[test]
    fn silent_when_a_caller_can_see_the_value() {
        let src = "def main(rows):\n    def parse():\n        yield 1\n        return 2\n    for item in parse():\n        pass\n    total = yield from parse()\ndef top():\n    yield 1\n    return 2\ndef other():\n    def g():\n        yield 1\n        return None\n    for x in g():\n        pass\n    def h():\n        yield 1\n        return 3\n    it = h()\n    for x in it:\n        pass\n";
        assert!(findings(src, "PM0406", T).is_empty());
    }
}
