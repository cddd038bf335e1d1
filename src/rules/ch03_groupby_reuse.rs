//! PM0308: a `groupby` group read after the next group was taken, or read twice: groups
//! stored without `list()`, `list(groupby(...))` and the like, or a group consumed twice
//! (§3.4.3).

use super::gen_util::{builtin_call, is_member, is_name};
use super::iter_util::{expr_has, own_exprs, scan};
use super::typing_names::BlockNames;
use super::{Ctx, Kind, Node, Rule};
use crate::syntax::ast::{Comprehension, Expr, Stmt};
use crate::syntax::span;

pub struct GroupbyReuse;

const CODE: &str = "PM0308";

/// Builtins that read a whole iterable they are given.
const CONSUMERS: &[&str] = &[
    "list",
    "tuple",
    "set",
    "frozenset",
    "sorted",
    "sum",
    "max",
    "min",
    "any",
    "all",
    "dict",
];

fn is_groupby(e: &Expr, names: &BlockNames) -> bool {
    matches!(e, Expr::Call(c) if is_member(&c.func, names, "itertools", "groupby"))
}

/// The group's name in `for key, group in groupby(...)` (or a comprehension's clause).
fn group_name<'a>(target: &'a Expr, iter: &Expr, names: &BlockNames) -> Option<&'a str> {
    let Expr::Tuple(t) = target else { return None };
    match &t.elts[..] {
        [_, Expr::Name(g)] if is_groupby(iter, names) && g.id.as_str() != "_" => {
            Some(g.id.as_str())
        }
        _ => None,
    }
}

/// True when `e` is the group itself or a tuple or list holding it directly: storing it keeps
/// the lazy view, not its items.
fn holds(e: &Expr, g: &str) -> bool {
    match e {
        Expr::Tuple(t) => t.elts.iter().any(|x| is_name(x, g)),
        Expr::List(l) => l.elts.iter().any(|x| is_name(x, g)),
        other => is_name(other, g),
    }
}

/// True when the expression reads the whole group: a builtin that consumes an iterable, a
/// `str.join`, or a comprehension over it.
fn consumes(e: &Expr, g: &str, names: &BlockNames) -> bool {
    expr_has(e, |x| match x {
        Expr::Call(c) => {
            let whole = CONSUMERS
                .iter()
                .any(|b| builtin_call(x, names, b).is_some())
                || matches!(&*c.func, Expr::Attribute(a) if a.attr.as_str() == "join");
            whole && matches!(&c.args[..], [a] if is_name(a, g))
        }
        Expr::ListComp(l) => first_iter_is(&l.generators, g),
        Expr::SetComp(l) => first_iter_is(&l.generators, g),
        Expr::DictComp(l) => first_iter_is(&l.generators, g),
        Expr::GeneratorExp(l) => first_iter_is(&l.generators, g),
        _ => false,
    })
}

fn first_iter_is(gens: &[Comprehension], g: &str) -> bool {
    gens.first().is_some_and(|c| is_name(&c.iter, g))
}

/// True when the statement rebinds `g`.
fn rebinds(s: &Stmt, g: &str) -> bool {
    let mut found = false;
    scan(std::slice::from_ref(s), |n| {
        if let Node::Expr(Expr::Name(x)) = n {
            if x.id.as_str() == g && !matches!(x.ctx, crate::syntax::ast::ExprContext::Load) {
                found = true;
            }
        }
    });
    found
}

/// The first place in a loop body that keeps the group without its items: `xs.append(g)`,
/// `d[k] = g`, `xs.append((k, g))`.
fn stored<'a>(body: &'a [Stmt], g: &str) -> Option<&'a Expr> {
    let mut out: Option<&'a Expr> = None;
    scan(body, |n| {
        if out.is_some() {
            return;
        }
        match n {
            Node::Expr(e @ Expr::Call(c)) => {
                let keeps = matches!(&*c.func, Expr::Attribute(a)
                    if matches!(a.attr.as_str(), "append" | "add" | "insert" | "setdefault"));
                if keeps && c.args.last().is_some_and(|a| holds(a, g)) {
                    out = Some(e);
                }
            }
            Node::Stmt(Stmt::Assign(a))
                if a.targets.iter().all(|t| matches!(t, Expr::Subscript(_)))
                    && holds(&a.value, g) =>
            {
                out = a.targets.first();
            }
            _ => {}
        }
    });
    out
}

impl Rule for GroupbyReuse {
    fn code(&self) -> &'static str {
        CODE
    }

    fn kinds(&self) -> &'static [Kind] {
        &[
            Kind::Call,
            Kind::ListComp,
            Kind::SetComp,
            Kind::DictComp,
            Kind::For,
        ]
    }

    fn check(&self, node: Node<'_>, ctx: &mut Ctx<'_>) {
        if !ctx.mentions("groupby") {
            return;
        }
        match node {
            Node::Expr(e @ Expr::Call(c)) => {
                let [arg] = &c.args[..] else { return };
                let names = BlockNames::of_block(node, ctx);
                let Some(func) = ["list", "tuple", "sorted", "dict"]
                    .into_iter()
                    .find(|f| builtin_call(e, &names, f).is_some())
                else {
                    return;
                };
                if !c.keywords.is_empty() || !is_groupby(arg, &names) {
                    return;
                }
                // `len(list(groupby(s)))` counts the runs and never reads a group.
                let counted = matches!(ctx.parents.last(), Some(Node::Expr(p))
                    if builtin_call(p, &names, "len").is_some());
                if !counted {
                    let problem =
                        format!("`{func}(groupby(...))` takes every group before any is read");
                    ctx.report(CODE, span(e), &[("problem", &problem)], None);
                }
            }
            Node::Expr(e @ (Expr::ListComp(_) | Expr::SetComp(_) | Expr::DictComp(_))) => {
                let (gens, kept): (&[Comprehension], Vec<&Expr>) = match e {
                    Expr::ListComp(l) => (&l.generators, vec![&l.elt]),
                    Expr::SetComp(l) => (&l.generators, vec![&l.elt]),
                    Expr::DictComp(l) => (&l.generators, vec![&l.key, &l.value]),
                    _ => return,
                };
                let [gen] = gens else { return };
                let names = BlockNames::of_block(node, ctx);
                let Some(g) = group_name(&gen.target, &gen.iter, &names) else {
                    return;
                };
                if let Some(k) = kept.into_iter().find(|k| holds(k, g)) {
                    let problem = format!("group `{g}` is stored without being materialised");
                    ctx.report(CODE, span(k), &[("problem", &problem)], None);
                }
            }
            Node::Stmt(Stmt::For(f)) => {
                let names = BlockNames::of_block(node, ctx);
                let Some(g) = group_name(&f.target, &f.iter, &names) else {
                    return;
                };
                if let Some(k) = stored(&f.body, g) {
                    let problem = format!("group `{g}` is stored without being materialised");
                    ctx.report(CODE, span(k), &[("problem", &problem)], None);
                    return;
                }
                // Two statements of the loop body in a row that each read the whole group.
                let mut read = false;
                for s in &f.body {
                    let here = match s {
                        Stmt::For(inner) => is_name(&inner.iter, g),
                        _ => false,
                    } || own_exprs(s).iter().any(|x| consumes(x, g, &names));
                    if here && read {
                        let problem = format!("group `{g}` is read a second time");
                        ctx.report(CODE, span(s), &[("problem", &problem)], None);
                        return;
                    }
                    read |= here;
                    if rebinds(s, g) {
                        read = false;
                    }
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{findings, flagged};

    const T: (u8, u8) = (3, 12);

    #[test]
    fn flags_groups_read_too_late() {
        let src = "from itertools import groupby\nruns = list(groupby(data))\nby_key = {k: g for k, g in groupby(rows, key=f)}\npairs = [(k, g) for k, g in groupby(rows)]\nfor k, g in groupby(rows):\n    out[k] = g\nfor key, grp in groupby(rows):\n    keep.append((key, grp))\n";
        let found = findings(src, "PM0308", T);
        assert_eq!(
            flagged(src, &found),
            [
                "list(groupby(data))",
                "g",
                "(k, g)",
                "out[k]",
                "keep.append((key, grp))"
            ]
        );
        assert_eq!(
            found[0].message,
            "`list(groupby(...))` takes every group before any is read; a `groupby` group is a one-pass view on the shared input, empty once it has been read or once the next group is taken: materialise it with `list(group)` first"
        );
        assert_eq!(
            found[1].message.split(';').next(),
            Some("group `g` is stored without being materialised")
        );
        assert_eq!(found[0].section, "3.4.3");
    }

    #[test]
    fn flags_a_group_read_twice() {
        let src = "import itertools\nfor k, g in itertools.groupby(rows):\n    n = len(list(g))\n    total = sum(g)\n";
        let found = findings(src, "PM0308", T);
        assert_eq!(flagged(src, &found), ["total = sum(g)"]);
        assert_eq!(
            found[0].message.split(';').next(),
            Some("group `g` is read a second time")
        );
    }

    #[test]
    fn silent_on_materialised_groups_counts_and_other_groupbys() {
        let src = "from itertools import groupby\nn = len(list(groupby(s)))\nd = {k: list(g) for k, g in groupby(rows)}\nkeys = [k for k, _ in groupby(rows)]\nfor k, g in groupby(rows):\n    items = list(g)\n    g = items\n    print(sum(g))\nfor k, g in groupby(rows):\n    if k:\n        print(list(g))\n    else:\n        print(sum(g))\nx = list(df.groupby(col))\nfor k, g in df.groupby(col):\n    out[k] = g\n";
        assert!(findings(src, "PM0308", T).is_empty());
        // `groupby` not from itertools.
        let src = "from mylib import groupby\nfor k, g in groupby(rows):\n    out[k] = g\n";
        assert!(findings(src, "PM0308", T).is_empty());
    }
}
