//! PM1605: `x in some_list` inside a loop, where the list is a local list display or `list(...)`
//! that the loop never changes: each test is a linear scan that a set would make one hash
//! lookup (§16.5.2).

use super::conc_common::{bindings, block_stmts};
use super::design_util::{any_name_in, builtin_here, enclosing_loops};
use super::iter_util::{enclosing_function, innermost_scope, scan, scan_expr};
use super::typing_names::BlockNames;
use super::{Ctx, Kind, Node, Rule};
use crate::syntax::ast::{CmpOp, Constant, Expr, ExprContext, Stmt};
use crate::syntax::span;

pub struct ListMembershipLoop;

const CODE: &str = "PM1605";

impl Rule for ListMembershipLoop {
    fn code(&self) -> &'static str {
        CODE
    }

    fn kinds(&self) -> &'static [Kind] {
        &[Kind::Compare]
    }

    fn check(&self, node: Node<'_>, ctx: &mut Ctx<'_>) {
        let Node::Expr(Expr::Compare(c)) = node else {
            return;
        };
        for (op, right) in c.ops.iter().zip(&c.comparators) {
            if !matches!(op, CmpOp::In | CmpOp::NotIn) {
                continue;
            }
            let Expr::Name(list) = right else { continue };
            let name = list.id.as_str();
            let Some(inner) = innermost_loop(ctx) else {
                return;
            };
            let scope: &[Stmt] = match enclosing_function(ctx) {
                Some((_, body, _)) => body,
                None if innermost_scope(ctx).is_none() => block_stmts(node, ctx),
                None => return,
            };
            if let Some((f, _, _)) = enclosing_function(ctx) {
                if super::design_util::is_parameter(f, name) {
                    continue;
                }
            }
            let names = BlockNames::of_block(node, ctx);
            if !list_only(name, scope, &names, ctx) || !only_tested_in(name, inner) {
                continue;
            }
            ctx.report(CODE, span(right), &[("name", name)], None);
        }
    }
}

/// A literal whose hash is certain: a number, a string, bytes, or a tuple of such.
fn hashable_literal(e: &Expr) -> bool {
    match e {
        Expr::Constant(c) => !matches!(c.value, Constant::Ellipsis),
        Expr::Tuple(t) => t.elts.iter().all(hashable_literal),
        Expr::UnaryOp(u) => hashable_literal(&u.operand),
        _ => false,
    }
}

/// Every binding of `name` in the scope is a list display of hashable literals or a call of
/// the builtin `list`, and nothing else binds it (no parameter, loop target, `+=`...).
fn list_only(name: &str, scope: &[Stmt], names: &BlockNames, ctx: &Ctx<'_>) -> bool {
    let all = bindings(scope);
    let mine: Vec<_> = all.iter().filter(|b| b.name == name).collect();
    if mine.is_empty() {
        return false;
    }
    let good = mine.iter().all(|b| {
        !b.with_item
            && match b.value {
                Expr::List(l) => !l.elts.is_empty() && l.elts.iter().all(hashable_literal),
                Expr::Call(c) => {
                    matches!(&*c.func, Expr::Name(f) if f.id.as_str() == "list")
                        && c.args.len() == 1
                        && c.keywords.is_empty()
                        && builtin_here(names, ctx.module, "list")
                }
                _ => false,
            }
    });
    let mut stores = 0;
    any_name_in(scope, |n| {
        if n.id.as_str() == name && !matches!(n.ctx, ExprContext::Load) {
            stores += 1;
        }
        false
    });
    let declared = super::conc_common::any_in_scope(scope, |n| match n {
        Node::Stmt(Stmt::Global(g)) => g.names.iter().any(|x| x.as_str() == name),
        Node::Stmt(Stmt::Nonlocal(g)) => g.names.iter().any(|x| x.as_str() == name),
        _ => false,
    });
    good && stores == mine.len() && !declared
}

/// The innermost loop around the node being checked: a `for` or `while` statement, or a
/// comprehension, up to the nearest def, class or lambda.
fn innermost_loop<'a>(ctx: &Ctx<'a>) -> Option<Node<'a>> {
    if let Some(s) = enclosing_loops(ctx).first() {
        // A comprehension nested inside that statement is nearer.
        let comp = ctx
            .parents
            .iter()
            .rev()
            .take_while(|p| !matches!(p, Node::Stmt(x) if std::ptr::eq(*x, *s)))
            .find(|p| is_comprehension(**p));
        return Some(comp.copied().unwrap_or(Node::Stmt(s)));
    }
    ctx.parents
        .iter()
        .rev()
        .take_while(|p| !super::iter_util::opens_scope(**p))
        .find(|p| is_comprehension(**p))
        .copied()
}

fn is_comprehension(n: Node<'_>) -> bool {
    matches!(
        n,
        Node::Expr(
            Expr::ListComp(_) | Expr::SetComp(_) | Expr::DictComp(_) | Expr::GeneratorExp(_)
        )
    )
}

/// Inside the loop, the name appears only as the right operand of `in` / `not in`, so the
/// loop cannot change the list.
fn only_tested_in(name: &str, lp: Node<'_>) -> bool {
    let tests_in = |e: &Expr| match e {
        Expr::Compare(c) => c
            .ops
            .iter()
            .zip(&c.comparators)
            .filter(|(op, r)| {
                matches!(op, CmpOp::In | CmpOp::NotIn)
                    && matches!(r, Expr::Name(x) if x.id.as_str() == name)
            })
            .count(),
        _ => 0,
    };
    let (mut uses, mut tests) = (0, 0);
    match lp {
        Node::Stmt(s) => {
            any_name_in(std::slice::from_ref(s), |n| {
                uses += usize::from(n.id.as_str() == name);
                false
            });
            scan(std::slice::from_ref(s), |n| {
                if let Node::Expr(e) = n {
                    tests += tests_in(e);
                }
            });
        }
        Node::Expr(e) => scan_expr(e, &mut |x| {
            tests += tests_in(x);
            // A lambda may read the name where this scan does not look.
            uses += usize::from(
                matches!(x, Expr::Name(n) if n.id.as_str() == name) || matches!(x, Expr::Lambda(_)),
            );
        }),
    }
    uses == tests
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{findings, flagged};

    const T: (u8, u8) = (3, 12);

    #[test]
    fn flags_membership_in_a_fixed_local_list() {
        let src = "def keep(words, banned_src):\n    banned = ['a', 'an', 'the', 'of']\n    seen = list(banned_src)\n    out = []\n    for w in words:\n        if w not in banned and w in seen:\n            out.append(w)\n    return out\n";
        let found = findings(src, "PM1605", T);
        assert_eq!(flagged(src, &found), ["banned", "seen"]);
        assert_eq!(
            found[0].message,
            "`banned` is a list, so each `in` test inside the loop scans it element by element: build a set from it once, before the loop, and test that"
        );
        assert_eq!(found[0].section, "16.5.2");
        let listcomp = "def f(paths, src):\n    hidden = list(src)\n    return [p for p in paths if p not in hidden]\n";
        assert_eq!(findings(listcomp, "PM1605", T).len(), 1);
        let comp = "def f(xs):\n    ok = [1, 2, 3]\n    while xs:\n        if xs.pop() in ok:\n            break\n";
        assert_eq!(findings(comp, "PM1605", T).len(), 1);
    }

    #[test]
    fn silent_when_the_list_changes_or_is_unknown() {
        let src = "def a(words):\n    seen = []\n    for w in words:\n        if w not in seen:\n            seen.append(w)\n\ndef b(words, allowed):\n    for w in words:\n        if w in allowed:\n            pass\n\ndef c(words):\n    ok = ['x', 'y']\n    if 'x' in ok:\n        pass\n\ndef d(words):\n    ok = [[1], [2]]\n    for w in words:\n        if w in ok:\n            pass\n\ndef e(words):\n    ok = ['x']\n    for w in words:\n        ok = ['y']\n        if w in ok:\n            pass\n\ndef f(words):\n    ok = ['x']\n    for w in words:\n        if w in ok:\n            print(ok)\n\ndef g(words, list):\n    ok = list(words)\n    for w in words:\n        if w in ok:\n            pass\n\ndef p(words, ok=None):\n    if not ok:\n        ok = ['a']\n    for w in words:\n        if w in ok:\n            pass\n\ndef h(words):\n    ok = ['x']\n    for ok in words:\n        if w in ok:\n            pass\n\ndef k(words):\n    ok = ['x']\n    return [w in ok for w in words if ok]\n\ndef m(words):\n    ok = ['x']\n    return [p for p in ok if p in ok]\n";
        assert!(
            findings(src, "PM1605", T).is_empty(),
            "{:?}",
            findings(src, "PM1605", T)
        );
    }
}
