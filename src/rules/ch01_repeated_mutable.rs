//! PM0154: one mutable object repeated by reference: `[[]] * n`, `[[0] * m] * n`,
//! `dict.fromkeys(keys, [])` (§1.10).

use super::{Ctx, Edit, Kind, Node, Rule, Safety, Scope};
use crate::syntax::ast::{Constant, Expr, Operator};
use crate::syntax::span;
use crate::syntax::walk::{walk, Visitor};

pub struct RepeatedMutable;

const CODE: &str = "PM0154";

/// The kind of mutable object an expression builds afresh each time it runs.
fn mutable_kind(e: &Expr) -> Option<&'static str> {
    match e {
        Expr::List(_) | Expr::ListComp(_) => Some("list"),
        Expr::Dict(_) | Expr::DictComp(_) => Some("dict"),
        Expr::Set(_) | Expr::SetComp(_) => Some("set"),
        // `[0] * m` is a new list too.
        Expr::BinOp(b) if matches!(b.op, Operator::Mult) => {
            match (mutable_kind(&b.left), mutable_kind(&b.right)) {
                (Some("list"), _) if matches!(&*b.left, Expr::List(_)) => Some("list"),
                (_, Some("list")) if matches!(&*b.right, Expr::List(_)) => Some("list"),
                _ => None,
            }
        }
        Expr::Call(c) => {
            let Expr::Name(n) = &*c.func else { return None };
            match n.id.as_str() {
                "list" => Some("list"),
                "dict" => Some("dict"),
                "set" => Some("set"),
                "bytearray" => Some("bytearray"),
                _ => None,
            }
        }
        _ => None,
    }
}

/// True for the int literals 0 and 1, whose repetition shares nothing.
fn zero_or_one(e: &Expr, src: &str) -> bool {
    let Expr::Constant(c) = e else { return false };
    let (s, t) = span(e);
    matches!(c.value, Constant::Int(_)) && matches!(src.get(s..t), Some("0" | "1"))
}

/// True when the expression reads the name `name`.
fn reads_name(e: &Expr, name: &str) -> bool {
    struct Find<'n> {
        name: &'n str,
        hit: bool,
    }
    impl<'a> Visitor<'a> for Find<'_> {
        fn enter(&mut self, node: Node<'a>) -> bool {
            if let Node::Expr(Expr::Name(n)) = node {
                self.hit |= n.id.as_str() == self.name;
            }
            true
        }
        fn leave(&mut self, _node: Node<'a>) {}
    }
    let stmt = crate::syntax::ast::Stmt::Expr(crate::syntax::ast::StmtExpr {
        range: Default::default(),
        value: Box::new(e.clone()),
    });
    let mut f = Find { name, hit: false };
    walk(std::slice::from_ref(&stmt), &mut f);
    f.hit
}

/// A loop variable the element does not use, from a short list.
fn free_var<'v>(element: &Expr, candidates: &[&'v str]) -> Option<&'v str> {
    candidates.iter().copied().find(|v| !reads_name(element, v))
}

impl Rule for RepeatedMutable {
    fn code(&self) -> &'static str {
        CODE
    }

    fn kinds(&self) -> &'static [Kind] {
        &[Kind::BinOp, Kind::Call]
    }

    fn check(&self, node: Node<'_>, ctx: &mut Ctx<'_>) {
        match node {
            Node::Expr(e @ Expr::BinOp(b)) if matches!(b.op, Operator::Mult) => {
                let (list, count) = match (&*b.left, &*b.right) {
                    (Expr::List(l), n) => (l, n),
                    (n, Expr::List(l)) => (l, n),
                    _ => return,
                };
                let Some(kind) = list.elts.iter().find_map(mutable_kind) else {
                    return;
                };
                if zero_or_one(count, ctx.source) {
                    return;
                }
                let fix = match &list.elts[..] {
                    [one] => comprehension_fix(ctx, e, one, count),
                    _ => None,
                };
                ctx.report(
                    CODE,
                    span(e),
                    &[("kind", kind), ("slot", "item"), ("how", "`*`")],
                    fix,
                );
            }
            Node::Expr(e @ Expr::Call(c)) => {
                let Expr::Attribute(a) = &*c.func else { return };
                if a.attr.as_str() != "fromkeys"
                    || !matches!(&*a.value, Expr::Name(n) if n.id.as_str() == "dict")
                    || !c.keywords.is_empty()
                {
                    return;
                }
                let [keys, value] = &c.args[..] else { return };
                if matches!(keys, Expr::Starred(_)) {
                    return;
                }
                let Some(kind) = mutable_kind(value) else {
                    return;
                };
                let fix = dict_fix(ctx, e, keys, value);
                ctx.report(
                    CODE,
                    span(e),
                    &[("kind", kind), ("slot", "key"), ("how", "`dict.fromkeys`")],
                    fix,
                );
            }
            _ => {}
        }
    }
}

fn text<'s>(ctx: &Ctx<'s>, e: &Expr) -> Option<&'s str> {
    let (s, t) = span(e);
    ctx.source.get(s..t)
}

/// A comprehension evaluates its element in its own scope, which cannot see a class body's
/// names; outside a class the rewrite reads the same names.
fn class_body(ctx: &Ctx<'_>) -> bool {
    matches!(ctx.scope(), Scope::Class(_))
}

/// The text of `e`, parenthesized where a comprehension clause would not accept it bare.
fn wrap(e: &Expr, t: &str) -> String {
    match e {
        Expr::Yield(_)
        | Expr::YieldFrom(_)
        | Expr::NamedExpr(_)
        | Expr::Starred(_)
        | Expr::IfExp(_)
        | Expr::Lambda(_) => {
            format!("({t})")
        }
        _ => t.to_string(),
    }
}

fn comprehension_fix(ctx: &Ctx<'_>, e: &Expr, element: &Expr, count: &Expr) -> Option<super::Fix> {
    if class_body(ctx) || matches!(element, Expr::Starred(_)) {
        return None;
    }
    let var = free_var(element, &["_", "_i"])?;
    let el = text(ctx, element)?;
    let n = wrap(count, text(ctx, count)?);
    let new = format!("[{el} for {var} in range({n})]");
    Some(ctx.fix(
        CODE,
        &[("new", &new)],
        Safety::Unsafe,
        vec![Edit {
            start: span(e).0,
            end: span(e).1,
            text: new.clone(),
        }],
    ))
}

fn dict_fix(ctx: &Ctx<'_>, e: &Expr, keys: &Expr, value: &Expr) -> Option<super::Fix> {
    if class_body(ctx) {
        return None;
    }
    let var = free_var(value, &["k", "key"])?;
    let v = wrap(value, text(ctx, value)?);
    let ks = wrap(keys, text(ctx, keys)?);
    let new = format!("{{{var}: {v} for {var} in {ks}}}");
    Some(ctx.fix(
        CODE,
        &[("new", &new)],
        Safety::Unsafe,
        vec![Edit {
            start: span(e).0,
            end: span(e).1,
            text: new.clone(),
        }],
    ))
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{findings, fixed, flagged};

    const T: (u8, u8) = (3, 12);

    #[test]
    fn flags_repeated_mutables() {
        let src = "grid = [[0] * w] * h\nrows = [[]] * n\nmaps = 3 * [{}]\nseen = [set()] * k\nacc = dict.fromkeys(names, [])\nb = dict.fromkeys(names, set())\n";
        let found = findings(src, "PM0154", T);
        assert_eq!(
            flagged(src, &found),
            [
                "[[0] * w] * h",
                "[[]] * n",
                "3 * [{}]",
                "[set()] * k",
                "dict.fromkeys(names, [])",
                "dict.fromkeys(names, set())"
            ]
        );
        assert_eq!(
            found[0].message,
            "Every item holds the same list object: `*` repeats one reference, so a change made through one item shows in all of them"
        );
        assert_eq!(
            found[4].message,
            "Every key holds the same list object: `dict.fromkeys` repeats one reference, so a change made through one key shows in all of them"
        );
        assert_eq!(found[0].section, "1.10");
    }

    #[test]
    fn silent_on_immutables_and_single_copies() {
        let src = "a = [0] * n\nb = [None] * n\nc = [()] * n\nd = [[]] * 1\ne = [''] * 3\nf = dict.fromkeys(keys, 0)\ng = dict.fromkeys(keys)\nh = [x] * n\ni = [[] for _ in range(n)]\nj = {k: [] for k in keys}\n";
        assert!(findings(src, "PM0154", T).is_empty());
    }

    #[test]
    fn fix_builds_one_object_per_slot() {
        assert_eq!(
            fixed("grid = [[0] * w] * (h + 1)\n", "PM0154", T),
            "grid = [[0] * w for _ in range(h + 1)]\n"
        );
        assert_eq!(
            fixed("rows = n * [[_('x')]]\n", "PM0154", T),
            "rows = [[_('x')] for _i in range(n)]\n"
        );
        assert_eq!(
            fixed("acc = dict.fromkeys(names, [])\n", "PM0154", T),
            "acc = {k: [] for k in names}\n"
        );
        assert_eq!(
            fixed("acc = dict.fromkeys(a if c else b, {})\n", "PM0154", T),
            "acc = {k: {} for k in (a if c else b)}\n"
        );
    }

    #[test]
    fn no_fix_in_a_class_body_or_with_several_items() {
        let src =
            "class Board:\n    size = 3\n    cells = [[None] * size] * size\n\nx = [[], []] * 2\n";
        let found = findings(src, "PM0154", T);
        assert_eq!(found.len(), 2);
        assert!(found.iter().all(|f| f.fix.is_none()));
    }
}
