//! PM1604: a string built with `s += ...` or `s = s + ...` inside a loop, each step copying
//! what was built so far (§16.4.2).

use super::conc_common::{bindings, block_stmts};
use super::design_util::{any_name_in, enclosing_loops};
use super::iter_util::{enclosing_function, innermost_scope, scan};
use super::{Ctx, Kind, Node, Rule};
use crate::syntax::ast::{Constant, Expr, ExprContext, Operator, Stmt};
use crate::syntax::span;

pub struct StrConcatLoop;

const CODE: &str = "PM1604";

impl Rule for StrConcatLoop {
    fn code(&self) -> &'static str {
        CODE
    }

    fn kinds(&self) -> &'static [Kind] {
        &[Kind::AugAssign, Kind::Assign]
    }

    fn check(&self, node: Node<'_>, ctx: &mut Ctx<'_>) {
        let Node::Stmt(stmt) = node else { return };
        let Some(name) = growth(stmt) else { return };
        let loops = enclosing_loops(ctx);
        let (Some(inner), Some(outer)) = (loops.first(), loops.last()) else {
            return;
        };
        let (l0, l1) = span(*inner);
        let within = |e: &Expr| {
            let (a, b) = span(e);
            l0 <= a && b <= l1
        };
        let scope: &[Stmt] = match enclosing_function(ctx) {
            Some((_, body, _)) => body,
            None if innermost_scope(ctx).is_none() => block_stmts(node, ctx),
            None => return,
        };
        // Every binding of the name in the scope is a string literal or a growth step, and
        // at least one is a literal.
        let mut literal = false;
        let mut plain = 0;
        for b in bindings(scope).iter().filter(|b| b.name == name) {
            if b.with_item {
                return;
            }
            if is_str_literal(b.value) {
                // A string started afresh on each pass of the loop grows only within it.
                if within(b.value) {
                    return;
                }
                literal = true;
            } else if !matches!(b.value, Expr::BinOp(x) if is_growth_of(name, &x.left, x.op)) {
                return;
            }
            plain += 1;
        }
        let mut augmented = 0;
        let mut first_in_loop: Option<&Stmt> = None;
        scan(scope, |n| {
            if let Node::Stmt(s @ Stmt::AugAssign(_)) = n {
                if growth(s) == Some(name) {
                    augmented += 1;
                }
            }
        });
        scan(std::slice::from_ref(*outer), |n| {
            if let Node::Stmt(s) = n {
                if first_in_loop.is_none() && growth(s) == Some(name) {
                    first_in_loop = Some(s);
                }
            }
        });
        let mut stores = 0;
        any_name_in(scope, |n| {
            if n.id.as_str() == name && !matches!(n.ctx, ExprContext::Load) {
                stores += 1;
            }
            false
        });
        if !literal || stores != plain + augmented {
            return;
        }
        // One finding per name and loop nest: at its first growth step.
        if !first_in_loop.is_some_and(|s| std::ptr::eq(s, stmt)) {
            return;
        }
        ctx.report(CODE, span(stmt), &[("name", name)], None);
    }
}

fn is_str_literal(e: &Expr) -> bool {
    match e {
        Expr::Constant(c) => matches!(c.value, Constant::Str(_)),
        Expr::JoinedStr(_) => true,
        _ => false,
    }
}

/// `name + a + b ...`: the leftmost operand of a chain of `+` is the name.
fn is_growth_of(name: &str, left: &Expr, op: Operator) -> bool {
    if !matches!(op, Operator::Add) {
        return false;
    }
    match left {
        Expr::Name(n) => n.id.as_str() == name,
        Expr::BinOp(b) => is_growth_of(name, &b.left, b.op),
        _ => false,
    }
}

/// The name a statement grows by concatenation: `s += x` or `s = s + x`.
fn growth(s: &Stmt) -> Option<&str> {
    match s {
        Stmt::AugAssign(a) if matches!(a.op, Operator::Add) => match &*a.target {
            Expr::Name(n) => Some(n.id.as_str()),
            _ => None,
        },
        Stmt::Assign(a) => match (&a.targets[..], &*a.value) {
            ([Expr::Name(n)], Expr::BinOp(b)) if is_growth_of(n.id.as_str(), &b.left, b.op) => {
                Some(n.id.as_str())
            }
            _ => None,
        },
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{findings, flagged};

    const T: (u8, u8) = (3, 12);

    #[test]
    fn flags_strings_grown_in_loops() {
        let src = "def render(rows):\n    out = \"\"\n    for r in rows:\n        out += f\"<td>{r}</td>\"\n        out += \"\\n\"\n    return out\n\ndef csv(rows):\n    line = ''\n    i = 0\n    while i < len(rows):\n        line = line + str(rows[i]) + ','\n        i += 1\n    return line\n";
        let found = findings(src, "PM1604", T);
        assert_eq!(
            flagged(src, &found),
            [
                "out += f\"<td>{r}</td>\"",
                "line = line + str(rows[i]) + ','"
            ]
        );
        assert_eq!(
            found[0].message,
            "`out` grows by string concatenation inside a loop, which may copy everything built so far on each pass: append the pieces to a list and `\"\".join()` them once"
        );
        assert_eq!(found[0].section, "16.4.2");
        assert!(found[0].fix.is_none());
    }

    #[test]
    fn flags_at_module_level_and_in_nested_loops_once() {
        let src =
            "if True:\n    s = ''\n    for a in xs:\n        for b in a:\n            s += b\n";
        assert_eq!(findings(src, "PM1604", T).len(), 1);
    }

    #[test]
    fn silent_on_numbers_lists_and_unknown_starts() {
        let src = "def a(xs):\n    n = 0\n    for x in xs:\n        n += x\n\ndef b(xs, s):\n    for x in xs:\n        s += x\n\ndef c(xs):\n    parts = []\n    for x in xs:\n        parts += [x]\n\ndef d(xs):\n    s = ''\n    s += 'head'\n    return s\n\ndef e(xs):\n    s = ''\n    for s in xs:\n        s += '!'\n\ndef f(xs):\n    s = ''\n    s = compute()\n    for x in xs:\n        s += x\n\ndef g(xs):\n    s = ''\n    for x in xs:\n        t = s + x\n\ndef h(xs):\n    b = b''\n    for x in xs:\n        b += x\n\ndef m(xs):\n    for x in xs:\n        p = '$'\n        if x:\n            p = p + x\n        use(p)\n\ndef k(xs):\n    s = ''\n    def inner():\n        s += 'x'\n    for x in xs:\n        inner()\n";
        assert!(
            findings(src, "PM1604", T).is_empty(),
            "{:?}",
            findings(src, "PM1604", T)
        );
    }
}
