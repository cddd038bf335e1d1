//! PM0303: a `for` loop that adds to or removes from the list, dict or set it iterates over
//! (§3.2.5).

use super::iter_util::{child_bodies, dotted_text, expr_has, own_exprs};
use super::typing_names::BlockNames;
use super::{Ctx, Edit, Kind, Node, Rule, Safety};
use crate::syntax::ast::{Expr, Stmt, StmtFor};
use crate::syntax::span;

pub struct MutateWhileIterating;

const CODE: &str = "PM0303";

/// Methods that change the size of a list, dict or set. `append` and `extend` are left out:
/// appending to a list while walking it is a deliberate work-list idiom.
const SIZE_CHANGING: &[&str] = &[
    "remove",
    "pop",
    "insert",
    "clear",
    "popitem",
    "update",
    "setdefault",
    "add",
    "discard",
    "difference_update",
    "intersection_update",
    "symmetric_difference_update",
];

/// What the loop walks: the receiver's text and whether it is known to be a dict view.
struct Subject<'s> {
    text: &'s str,
    dict: bool,
    /// The loop iterates the receiver directly or one of its views (a fix may wrap it).
    wrap: bool,
}

fn subject<'s>(source: &'s str, iter: &Expr) -> Option<Subject<'s>> {
    if let Some(text) = dotted_text(source, iter) {
        return Some(Subject {
            text,
            dict: false,
            wrap: true,
        });
    }
    let Expr::Call(c) = iter else { return None };
    if !c.args.is_empty() || !c.keywords.is_empty() {
        if let (Expr::Name(n), [arg], []) = (&*c.func, &c.args[..], &c.keywords[..]) {
            if n.id.as_str() == "enumerate" {
                let text = dotted_text(source, arg)?;
                return Some(Subject {
                    text,
                    dict: false,
                    wrap: false,
                });
            }
        }
        return None;
    }
    let Expr::Attribute(a) = &*c.func else {
        return None;
    };
    if !matches!(a.attr.as_str(), "keys" | "values" | "items") {
        return None;
    }
    Some(Subject {
        text: dotted_text(source, &a.value)?,
        dict: true,
        wrap: true,
    })
}

/// The loop target's first name, the key a dict loop may store under without adding one.
fn key_name(target: &Expr) -> Option<&str> {
    match target {
        Expr::Name(n) => Some(n.id.as_str()),
        Expr::Tuple(t) => match t.elts.first() {
            Some(Expr::Name(n)) => Some(n.id.as_str()),
            _ => None,
        },
        _ => None,
    }
}

struct Search<'s, 'a> {
    source: &'s str,
    subj: &'a Subject<'s>,
    key: Option<&'a str>,
}

impl<'a> Search<'_, 'a> {
    /// The first size-changing expression or statement in `e` on the subject.
    fn in_expr(&self, e: &'a Expr) -> Option<(usize, usize)> {
        let mut hit = None;
        expr_has(e, |x| {
            if hit.is_some() {
                return false;
            }
            if let Expr::Call(c) = x {
                if let Expr::Attribute(a) = &*c.func {
                    if SIZE_CHANGING.contains(&a.attr.as_str())
                        && dotted_text(self.source, &a.value) == Some(self.subj.text)
                    {
                        hit = Some(span(x));
                    }
                }
            }
            false
        });
        hit
    }

    fn in_stmt(&self, s: &'a Stmt) -> Option<(usize, usize)> {
        match s {
            Stmt::Delete(d) => {
                for t in &d.targets {
                    if let Expr::Subscript(sub) = t {
                        if dotted_text(self.source, &sub.value) == Some(self.subj.text) {
                            return Some(span(s));
                        }
                    }
                }
            }
            Stmt::Assign(a) if self.subj.dict => {
                for t in &a.targets {
                    if let Expr::Subscript(sub) = t {
                        let same_key = matches!((&*sub.slice, self.key), (Expr::Name(n), Some(k)) if n.id.as_str() == k);
                        if dotted_text(self.source, &sub.value) == Some(self.subj.text) && !same_key
                        {
                            return Some(span(s));
                        }
                    }
                }
            }
            _ => {}
        }
        own_exprs(s).into_iter().find_map(|e| self.in_expr(e))
    }

    /// The first mutation in `body` not followed at once by leaving the outer loop.
    fn body(&self, body: &'a [Stmt], nested_loop: bool) -> Option<(usize, usize)> {
        for (i, s) in body.iter().enumerate() {
            if matches!(
                s,
                Stmt::FunctionDef(_) | Stmt::AsyncFunctionDef(_) | Stmt::ClassDef(_)
            ) {
                continue;
            }
            if let Some(hit) = self.in_stmt(s) {
                // Straight-line statements up to a `break`, `return` or `raise`.
                let leaves = body[i + 1..]
                    .iter()
                    .find(|t| !child_bodies(t).is_empty() || is_exit(t))
                    .is_some_and(|t| match t {
                        Stmt::Break(_) => !nested_loop,
                        Stmt::Return(_) | Stmt::Raise(_) => true,
                        _ => false,
                    });
                if !leaves {
                    return Some(hit);
                }
            }
            for (inner, is_loop) in child_bodies(s) {
                if let Some(hit) = self.body(inner, nested_loop || is_loop) {
                    return Some(hit);
                }
            }
        }
        None
    }
}

fn is_exit(s: &Stmt) -> bool {
    matches!(
        s,
        Stmt::Break(_) | Stmt::Continue(_) | Stmt::Return(_) | Stmt::Raise(_)
    )
}

/// True when the loop body rebinds the subject's first name (then the mutation may be on a
/// new object).
fn rebinds(body: &[Stmt], head: &str) -> bool {
    let mut found = false;
    super::iter_util::scan(body, |n| {
        if let Node::Expr(Expr::Name(x)) = n {
            if x.id.as_str() == head && !matches!(x.ctx, crate::syntax::ast::ExprContext::Load) {
                found = true;
            }
        }
    });
    found
}

impl Rule for MutateWhileIterating {
    fn code(&self) -> &'static str {
        CODE
    }

    fn kinds(&self) -> &'static [Kind] {
        &[Kind::For]
    }

    fn check(&self, node: Node<'_>, ctx: &mut Ctx<'_>) {
        let Node::Stmt(Stmt::For(StmtFor {
            target, iter, body, ..
        })) = node
        else {
            return;
        };
        let Some(subj) = subject(ctx.source, iter) else {
            return;
        };
        let head = subj.text.split('.').next().unwrap_or(subj.text).trim();
        // `for x in self:` walks a custom container whose iterator we cannot see.
        if matches!(subj.text, "self" | "cls") {
            return;
        }
        if rebinds(body, head) {
            return;
        }
        let search = Search {
            source: ctx.source,
            subj: &subj,
            key: key_name(target),
        };
        let Some(hit) = search.body(body, false) else {
            return;
        };
        let (i0, i1) = span(&**iter);
        let fix = (subj.wrap && !BlockNames::of_block(node, ctx).binds("list")).then(|| {
            ctx.fix(
                CODE,
                &[("subject", subj.text)],
                Safety::Unsafe,
                vec![
                    Edit {
                        start: i0,
                        end: i0,
                        text: "list(".into(),
                    },
                    Edit {
                        start: i1,
                        end: i1,
                        text: ")".into(),
                    },
                ],
            )
        });
        ctx.report(CODE, hit, &[("subject", subj.text)], fix);
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{findings, fixed, flagged};

    const T: (u8, u8) = (3, 12);

    #[test]
    fn flags_removal_and_insertion_during_iteration() {
        let src = "def f(xs, d, s):\n    for x in xs:\n        if x < 0:\n            xs.remove(x)\n    for k, v in d.items():\n        if not v:\n            del d[k]\n    for k in d.keys():\n        d[k.upper()] = d[k]\n    for i, x in enumerate(self.items):\n        y = self.items.pop(i)\n    for e in s:\n        s.add(e + 1)\n";
        let found = findings(src, "PM0303", T);
        assert_eq!(
            flagged(src, &found),
            [
                "xs.remove(x)",
                "del d[k]",
                "d[k.upper()] = d[k]",
                "self.items.pop(i)",
                "s.add(e + 1)"
            ]
        );
        assert_eq!(found[0].message, "`xs` changes size inside a `for` loop over it: a dict or set raises RuntimeError, a list silently skips or repeats items");
        assert_eq!(found[0].section, "3.2.5");
        assert!(found[3].fix.is_none(), "no fix through enumerate()");
    }

    #[test]
    fn silent_on_copies_breaks_appends_and_same_key_stores() {
        let src = "def f(xs, d):\n    for x in list(xs):\n        xs.remove(x)\n    for x in xs[:]:\n        xs.remove(x)\n    for x in xs.copy():\n        xs.remove(x)\n    for x in xs:\n        if x:\n            xs.remove(x)\n            break\n    for x in xs:\n        xs.append(x * 2)\n    for k in d.keys():\n        d[k] = 0\n    for k, v in d.items():\n        d[k] = v + 1\n    for x in xs:\n        ys.remove(x)\n    for x in xs:\n        xs = other\n        xs.pop()\n    for x in xs:\n        xs.remove(x)\n        return x\n    for i, x in enumerate(xs):\n        if x:\n            del xs[i]\n            found = x\n            break\n    for k in self:\n        self.discard(k)\n    for x in xs:\n        def g():\n            xs.clear()\n";
        assert!(findings(src, "PM0303", T).is_empty());
    }

    #[test]
    fn break_of_an_inner_loop_does_not_count() {
        let src = "def f(xs, ys):\n    for x in xs:\n        for y in ys:\n            xs.remove(x)\n            break\n";
        assert_eq!(findings(src, "PM0303", T).len(), 1);
    }

    #[test]
    fn fix_iterates_over_a_copy() {
        assert_eq!(
            fixed(
                "for k, v in cfg.items():\n    if v is None:\n        cfg.pop(k)\n",
                "PM0303",
                T
            ),
            "for k, v in list(cfg.items()):\n    if v is None:\n        cfg.pop(k)\n"
        );
    }
}
