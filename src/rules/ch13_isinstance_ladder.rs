//! PM1305: an `if`/`elif` chain of four or more `isinstance` tests on the same value, a type
//! switch that has to be edited for every new type (§13.2.2).

use super::design_util::{builtin_here, short, text_of};
use super::typing_names::BlockNames;
use super::{Ctx, Kind, Node, Rule};
use crate::syntax::ast::{Expr, Stmt};
use crate::syntax::span;

pub struct IsinstanceLadder;

const CODE: &str = "PM1305";

/// The fewest branches that make a ladder.
const MIN_BRANCHES: usize = 4;

impl Rule for IsinstanceLadder {
    fn code(&self) -> &'static str {
        CODE
    }

    fn kinds(&self) -> &'static [Kind] {
        &[Kind::If]
    }

    fn check(&self, node: Node<'_>, ctx: &mut Ctx<'_>) {
        let Node::Stmt(s @ Stmt::If(head)) = node else {
            return;
        };
        // An `elif` is an `if` alone in its parent's `else`; its chain is judged at its head.
        if is_elif(ctx.source, s) {
            return;
        }
        let mut tests = vec![&*head.test];
        let mut cur = head;
        while let [next @ Stmt::If(x)] = &cur.orelse[..] {
            if !is_elif(ctx.source, next) {
                break;
            }
            tests.push(&*x.test);
            cur = x;
        }
        if tests.len() < MIN_BRANCHES {
            return;
        }
        let mut subject: Option<&str> = None;
        for t in &tests {
            let Some(v) = isinstance_subject(t) else {
                return;
            };
            let text = text_of(ctx.source, v);
            if subject.is_some_and(|s| s != text) {
                return;
            }
            subject = Some(text);
        }
        let names = BlockNames::of_block(node, ctx);
        if !builtin_here(&names, ctx.module, "isinstance") {
            return;
        }
        let count = tests.len().to_string();
        let subject = short(subject.unwrap_or(""));
        ctx.report(
            CODE,
            span(&*head.test),
            &[("subject", subject), ("count", &count)],
            None,
        );
    }
}

/// True when the `if` statement's text begins with `elif`.
fn is_elif(source: &str, s: &Stmt) -> bool {
    source
        .get(span(s).0..)
        .is_some_and(|t| t.starts_with("elif"))
}

/// `v` in `isinstance(v, T)`, where `T` is a name, a dotted name, or a tuple of them.
fn isinstance_subject(e: &Expr) -> Option<&Expr> {
    let Expr::Call(c) = e else { return None };
    let Expr::Name(f) = &*c.func else { return None };
    if f.id.as_str() != "isinstance" || !c.keywords.is_empty() {
        return None;
    }
    let [v, t] = &c.args[..] else { return None };
    let is_type = |e: &Expr| matches!(e, Expr::Name(_) | Expr::Attribute(_));
    let types_ok = match t {
        Expr::Tuple(tt) => !tt.elts.is_empty() && tt.elts.iter().all(is_type),
        other => is_type(other),
    };
    (types_ok && !matches!(v, Expr::Starred(_))).then_some(v)
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{findings, flagged};

    const T: (u8, u8) = (3, 12);

    #[test]
    fn flags_four_branch_type_switches() {
        let src = "def encode(v):\n    if isinstance(v, bool):\n        return 'b'\n    elif isinstance(v, int):\n        return 'i'\n    elif isinstance(v, (str, bytes)):\n        return 's'\n    elif isinstance(v, decimal.Decimal):\n        return 'd'\n    else:\n        raise TypeError(v)\n\nif isinstance(node.value, A):\n    pass\nelif isinstance(node.value, B):\n    pass\nelif isinstance(node.value, C):\n    pass\nelif isinstance(node.value, D):\n    pass\nelif isinstance(node.value, E):\n    pass\n";
        let found = findings(src, "PM1305", T);
        assert_eq!(
            flagged(src, &found),
            ["isinstance(v, bool)", "isinstance(node.value, A)"]
        );
        assert_eq!(
            found[0].message,
            "4 `if`/`elif` branches switch on the type of `v` with `isinstance`, so every new type means editing this chain: consider `functools.singledispatch`, or a dict from type to handler"
        );
        assert_eq!(found[1].message.split(' ').next(), Some("5"));
        assert_eq!(found[0].section, "13.2.2");
        assert!(found[0].fix.is_none());
    }

    #[test]
    fn silent_on_short_mixed_or_split_chains() {
        let src = "def a(v):\n    if isinstance(v, int):\n        pass\n    elif isinstance(v, str):\n        pass\n    elif isinstance(v, bytes):\n        pass\n\ndef b(v, w):\n    if isinstance(v, int):\n        pass\n    elif isinstance(w, str):\n        pass\n    elif isinstance(v, bytes):\n        pass\n    elif isinstance(v, list):\n        pass\n\ndef c(v):\n    if isinstance(v, int):\n        pass\n    elif v is None:\n        pass\n    elif isinstance(v, bytes):\n        pass\n    elif isinstance(v, list):\n        pass\n\ndef d(v):\n    if isinstance(v, int):\n        pass\n    elif isinstance(v, str):\n        pass\n    else:\n        if isinstance(v, bytes):\n            pass\n        elif isinstance(v, list):\n            pass\n\ndef e(v):\n    if isinstance(v, int):\n        pass\n    elif isinstance(v, str) and v:\n        pass\n    elif isinstance(v, bytes):\n        pass\n    elif isinstance(v, get_type()):\n        pass\n\ndef f(v, isinstance=my_check):\n    if isinstance(v, int):\n        pass\n    elif isinstance(v, str):\n        pass\n    elif isinstance(v, bytes):\n        pass\n    elif isinstance(v, list):\n        pass\n";
        let found = findings(src, "PM1305", T);
        assert!(found.is_empty(), "{:?}", flagged(src, &found));
    }
}
