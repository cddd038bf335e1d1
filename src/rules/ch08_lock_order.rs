//! PM0806: two locks taken in opposite orders within one top-level statement (`with a:` then
//! `with b:` in one place, `with b:` then `with a:` in another): two threads running both can
//! deadlock (§8.10.2).

use super::iter_util::{child_bodies, dotted_text};
use super::thread_util::is_lock;
use super::typing_names::BlockNames;
use super::{Ctx, Kind, Node, Rule};
use crate::syntax::ast::{Expr, Stmt};
use crate::syntax::span;

pub struct LockOrder;

const CODE: &str = "PM0806";

/// One lock taken while another is held: (held, taken, where `taken` is written).
type Pair<'s> = (&'s str, &'s str, (usize, usize));

struct Scan<'a, 's> {
    ctx: &'a Ctx<'s>,
    block: &'s [Stmt],
    names: &'a BlockNames,
    pairs: Vec<Pair<'s>>,
}

impl<'s> Scan<'_, 's> {
    fn lock(&self, e: &'s Expr) -> Option<&'s str> {
        let text = dotted_text(self.ctx.source, e)?;
        is_lock(self.ctx.source, self.block, self.names, self.ctx.module, e).then_some(text)
    }

    fn stmts(&mut self, stmts: &'s [Stmt], held: &mut Vec<&'s str>) {
        for s in stmts {
            match s {
                Stmt::With(w) => {
                    let before = held.len();
                    for item in &w.items {
                        if let Some(l) = self.lock(&item.context_expr) {
                            for h in held.iter() {
                                if *h != l {
                                    self.pairs.push((h, l, span(&item.context_expr)));
                                }
                            }
                            held.push(l);
                        }
                    }
                    self.stmts(&w.body, held);
                    held.truncate(before);
                }
                // A nested definition runs later, under whatever its caller holds.
                Stmt::FunctionDef(f) => self.stmts(&f.body, &mut Vec::new()),
                Stmt::AsyncFunctionDef(f) => self.stmts(&f.body, &mut Vec::new()),
                Stmt::ClassDef(c) => self.stmts(&c.body, &mut Vec::new()),
                _ => {
                    for (body, _) in child_bodies(s) {
                        self.stmts(body, held);
                    }
                }
            }
        }
    }
}

impl Rule for LockOrder {
    fn code(&self) -> &'static str {
        CODE
    }

    fn kinds(&self) -> &'static [Kind] {
        &[Kind::ClassDef, Kind::FunctionDef, Kind::AsyncFunctionDef]
    }

    fn check(&self, node: Node<'_>, ctx: &mut Ctx<'_>) {
        if !ctx.parents.is_empty() {
            return;
        }
        let Node::Stmt(stmt) = node else { return };
        let block = std::slice::from_ref(stmt);
        let names = BlockNames::of_block(node, ctx);
        let pairs = {
            let mut scan = Scan {
                ctx,
                block,
                names: &names,
                pairs: Vec::new(),
            };
            scan.stmts(block, &mut Vec::new());
            scan.pairs
        };
        let mut reported: Vec<(&str, &str)> = Vec::new();
        for (i, (a, b, at)) in pairs.iter().enumerate() {
            let inverted = pairs[..i].iter().any(|(x, y, _)| x == b && y == a);
            if inverted && !reported.contains(&(a, b)) {
                reported.push((a, b));
                ctx.report(CODE, *at, &[("first", a), ("second", b)], None);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{findings, flagged};

    const T: (u8, u8) = (3, 12);
    const C: &str = "PM0806";

    #[test]
    fn flags_opposite_orders_in_one_class() {
        let src = "class Bank:\n    def move(self):\n        with self.a_lock:\n            with self.b_lock:\n                pass\n\n    def back(self):\n        with self.b_lock:\n            if x:\n                with self.a_lock:\n                    pass\n\n    def again(self):\n        with self.b_lock, self.a_lock:\n            pass\n";
        let found = findings(src, C, T);
        assert_eq!(flagged(src, &found), ["self.a_lock"]);
        assert_eq!(
            found[0].message,
            "`self.a_lock` is taken while `self.b_lock` is held, but elsewhere in this statement `self.b_lock` is taken while `self.a_lock` is held: two threads doing both can each hold one lock and wait for the other forever"
        );
        assert_eq!(found[0].section, "8.10.2");
    }

    #[test]
    fn silent_for_one_order_or_unrelated_objects() {
        let src = "class Bank:\n    def move(self):\n        with self.a_lock:\n            with self.b_lock:\n                pass\n\n    def again(self):\n        with self.a_lock, self.b_lock:\n            pass\n\n    def files(self):\n        with open(a) as f:\n            with open(b) as g:\n                pass\n        with self.b_lock:\n            def later():\n                with self.a_lock:\n                    pass\n";
        assert!(findings(src, C, T).is_empty());
        let files = "def f():\n    with x:\n        with y:\n            pass\n    with y:\n        with x:\n            pass\n";
        assert!(findings(files, C, T).is_empty());
    }
}
