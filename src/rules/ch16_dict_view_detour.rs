//! PM1601: a detour through a dict view: `k in d.keys()` where `k in d` tests the same key, and
//! `for k, _ in d.items()` / `for _, v in d.items()` that throw half of every pair away (§16.4.4).

use super::design_util::{attribute_dot, bare_method_call, expr_reads_name, reads_name, short};
use super::{Ctx, Edit, Kind, Node, Rule, Safety};
use crate::syntax::ast::{self, CmpOp, Expr, Stmt};
use crate::syntax::span;

pub struct DictViewDetour;

const CODE: &str = "PM1601";

impl Rule for DictViewDetour {
    fn code(&self) -> &'static str {
        CODE
    }

    fn kinds(&self) -> &'static [Kind] {
        &[
            Kind::Compare,
            Kind::For,
            Kind::AsyncFor,
            Kind::ListComp,
            Kind::SetComp,
            Kind::DictComp,
            Kind::GeneratorExp,
        ]
    }

    fn check(&self, node: Node<'_>, ctx: &mut Ctx<'_>) {
        match node {
            Node::Expr(Expr::Compare(c)) => membership(c, ctx),
            Node::Stmt(Stmt::For(f)) => {
                let used = |name: &str| reads_name(&f.body, name) || reads_name(&f.orelse, name);
                pairs(&f.target, &f.iter, &used, ctx);
            }
            Node::Stmt(Stmt::AsyncFor(f)) => {
                let used = |name: &str| reads_name(&f.body, name) || reads_name(&f.orelse, name);
                pairs(&f.target, &f.iter, &used, ctx);
            }
            Node::Expr(Expr::ListComp(x)) => comprehension(&x.generators, &[&x.elt], ctx),
            Node::Expr(Expr::SetComp(x)) => comprehension(&x.generators, &[&x.elt], ctx),
            Node::Expr(Expr::GeneratorExp(x)) => comprehension(&x.generators, &[&x.elt], ctx),
            Node::Expr(Expr::DictComp(x)) => comprehension(&x.generators, &[&x.key, &x.value], ctx),
            _ => {}
        }
    }
}

/// `k in d.keys()` and `k not in d.keys()`.
fn membership(c: &ast::ExprCompare, ctx: &mut Ctx<'_>) {
    for (op, right) in c.ops.iter().zip(&c.comparators) {
        let op = match op {
            CmpOp::In => "in",
            CmpOp::NotIn => "not in",
            _ => continue,
        };
        let Some(recv) = bare_method_call(right, "keys") else {
            continue;
        };
        let Expr::Call(call) = right else { continue };
        let Expr::Attribute(attr) = &*call.func else {
            continue;
        };
        let recv_text = short(super::design_util::text_of(ctx.source, recv));
        let written = format!("{op} {recv_text}.keys()");
        let better = format!("{op} {recv_text}");
        let (_, end) = span(right);
        let fix = attribute_dot(ctx.source, attr).map(|dot| {
            ctx.fix(
                CODE,
                &[("better", &better)],
                Safety::Safe,
                vec![Edit {
                    start: dot,
                    end,
                    text: String::new(),
                }],
            )
        });
        ctx.report(
            CODE,
            span(right),
            &[("written", &written), ("better", &better)],
            fix,
        );
    }
}

/// A name that stands for a value thrown away: it starts with `_` and nothing reads it.
fn discarded(e: &Expr, used: &dyn Fn(&str) -> bool) -> bool {
    matches!(e, Expr::Name(n) if n.id.starts_with('_') && !used(n.id.as_str()))
}

/// `for k, _ in d.items()` (keep the keys) and `for _, v in d.items()` (keep the values), in a
/// loop or in one `for` clause of a comprehension.
fn pairs(target: &Expr, iter: &Expr, used: &dyn Fn(&str) -> bool, ctx: &mut Ctx<'_>) {
    let elts = match target {
        Expr::Tuple(t) => &t.elts,
        Expr::List(l) => &l.elts,
        _ => return,
    };
    let [first @ Expr::Name(k), second @ Expr::Name(v)] = &elts[..] else {
        return;
    };
    let Some(recv) = bare_method_call(iter, "items") else {
        return;
    };
    let Expr::Call(call) = iter else { return };
    let Expr::Attribute(attr) = &*call.func else {
        return;
    };
    let (kept, view) = match (discarded(first, used), discarded(second, used)) {
        (false, true) => (k.id.as_str(), ""),
        (true, false) => (v.id.as_str(), ".values()"),
        _ => return,
    };
    let recv_text = short(super::design_util::text_of(ctx.source, recv));
    let written = format!(
        "for {}, {} in {recv_text}.items()",
        k.id.as_str(),
        v.id.as_str()
    );
    let better = format!("for {kept} in {recv_text}{view}");
    let (t0, t1) = span(target);
    let (_, i1) = span(iter);
    let fix = attribute_dot(ctx.source, attr).map(|dot| {
        ctx.fix(
            CODE,
            &[("better", &better)],
            Safety::Unsafe,
            vec![
                Edit {
                    start: t0,
                    end: t1,
                    text: kept.to_string(),
                },
                Edit {
                    start: dot,
                    end: i1,
                    text: view.to_string(),
                },
            ],
        )
    });
    ctx.report(
        CODE,
        (t0, i1),
        &[("written", &written), ("better", &better)],
        fix,
    );
}

fn comprehension(gens: &[ast::Comprehension], results: &[&Expr], ctx: &mut Ctx<'_>) {
    for (i, g) in gens.iter().enumerate() {
        let later = &gens[i + 1..];
        let used = |name: &str| {
            results.iter().any(|e| expr_reads_name(e, name))
                || g.ifs.iter().any(|e| expr_reads_name(e, name))
                || later.iter().any(|l| {
                    expr_reads_name(&l.iter, name) || l.ifs.iter().any(|e| expr_reads_name(e, name))
                })
        };
        pairs(&g.target, &g.iter, &used, ctx);
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{findings, fixed, flagged};

    const T: (u8, u8) = (3, 12);

    #[test]
    fn flags_membership_through_keys() {
        let src = "if key in cache.keys():\n    pass\nmissing = [k for k in wanted if k not in self.table.keys()]\n";
        let found = findings(src, "PM1601", T);
        assert_eq!(flagged(src, &found), ["cache.keys()", "self.table.keys()"]);
        assert_eq!(
            found[0].message,
            "`in cache.keys()` takes a detour through a dict view: `in cache` says the same more directly"
        );
        assert_eq!(found[0].section, "16.4.4");
        assert_eq!(
            found[1].fix.as_ref().map(|f| f.title.as_str()),
            Some("Write `not in self.table`")
        );
    }

    #[test]
    fn fix_drops_keys_safely() {
        assert_eq!(
            fixed("ok = k not in d.keys()  # c\n", "PM1601", T),
            "ok = k not in d  # c\n"
        );
        assert_eq!(
            fixed("ok = k in (a or b).keys()\n", "PM1601", T),
            "ok = k in (a or b)\n"
        );
        assert_eq!(
            fixed("ok = (k in d\n      .keys())", "PM1601", T),
            "ok = (k in d\n      )"
        );
    }

    #[test]
    fn flags_half_discarded_items() {
        let src = "for name, _ in env.items():\n    print(name)\nfor _, v in env.items():\n    print(v)\ntotal = sum(n for _k, n in counts.items())\n";
        let found = findings(src, "PM1601", T);
        assert_eq!(
            flagged(src, &found),
            [
                "name, _ in env.items()",
                "_, v in env.items()",
                "_k, n in counts.items()"
            ]
        );
        assert_eq!(
            found[1].message,
            "`for _, v in env.items()` takes a detour through a dict view: `for v in env.values()` says the same more directly"
        );
        assert!(found.iter().all(|f| f
            .fix
            .as_ref()
            .is_some_and(|x| x.safety == crate::rules::Safety::Unsafe)));
    }

    #[test]
    fn fixes_loops_and_comprehensions() {
        assert_eq!(
            fixed(
                "for name, _ in env.items():\n    print(name)\n",
                "PM1601",
                T
            ),
            "for name in env:\n    print(name)\n"
        );
        assert_eq!(
            fixed("for (_, v) in env.items(): print(v)", "PM1601", T),
            "for v in env.values(): print(v)"
        );
        assert_eq!(
            fixed("s = {n for _k, n in counts.items() if n}\r\n", "PM1601", T),
            "s = {n for n in counts.values() if n}\r\n"
        );
    }

    #[test]
    fn silent_on_near_misses() {
        let src = "a = k in d.keys(1)\nb = k in d.keys\nc = k in d.values()\ne = k == d.keys()\nfor k, v in d.items():\n    print(k, v)\nfor _, _x in d.items():\n    pass\nfor k, _ in d.items():\n    print(_(k))\nfor k, _v in d.items():\n    use(_v)\nfor k, _ in d.iteritems():\n    pass\nfor a, b, _ in d.items():\n    pass\nx = [k for k, _ in d.items() if _]\ny = [v for _, v in d.items() for _2 in _]\n";
        assert!(
            findings(src, "PM1601", T).is_empty(),
            "{:?}",
            findings(src, "PM1601", T)
        );
    }
}
