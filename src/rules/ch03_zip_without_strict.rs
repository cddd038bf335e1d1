//! PM0310: `zip()` over named collections without `strict=`, which stops silently at the
//! shortest one; from Python 3.10 `strict=True` turns a length mismatch into an error (§3.4.2).

use super::conc_common::{bindings, block_stmts};
use super::design_util::builtin_here;
use super::iter_util::enclosing_function;
use super::typing_names::BlockNames;
use super::{Ctx, Edit, Kind, Node, Rule, Safety};
use crate::syntax::ast::{Expr, Stmt};
use crate::syntax::span;

pub struct ZipWithoutStrict;

const CODE: &str = "PM0310";

impl Rule for ZipWithoutStrict {
    fn code(&self) -> &'static str {
        CODE
    }

    fn kinds(&self) -> &'static [Kind] {
        &[Kind::Call]
    }

    fn check(&self, node: Node<'_>, ctx: &mut Ctx<'_>) {
        if ctx.target < (3, 10) {
            return;
        }
        let Node::Expr(e @ Expr::Call(call)) = node else {
            return;
        };
        if !matches!(&*call.func, Expr::Name(n) if n.id.as_str() == "zip")
            || !call.keywords.is_empty()
            || call.args.len() < 2
        {
            return;
        }
        let names = BlockNames::of_block(node, ctx);
        if !builtin_here(&names, ctx.module, "zip") {
            return;
        }
        let text = |x: &Expr| ctx.source.get(span(x).0..span(x).1);
        let mut seen: Vec<&str> = Vec::new();
        for a in &call.args {
            if !sized_looking(a) {
                return;
            }
            // `zip(it, it)` pairs up one iterator's items: the same input twice is on purpose.
            let Some(t) = text(a) else { return };
            if seen.contains(&t) {
                return;
            }
            seen.push(t);
        }
        // A name bound in this scope to an iterator or a lazy producer is not a collection.
        let scope: &[Stmt] = match enclosing_function(ctx) {
            Some((_, body, _)) => body,
            None => block_stmts(node, ctx),
        };
        let binds = bindings(scope);
        for a in &call.args {
            if let Expr::Name(n) = a {
                if binds
                    .iter()
                    .any(|b| b.name == n.id.as_str() && lazy(b.value))
                {
                    return;
                }
            }
        }
        let (s, t) = span(e);
        let fix = ctx.source.get(s..t).and_then(|call_text| {
            if call_text.contains('#') || !call_text.ends_with(')') {
                return None;
            }
            let close = t - 1;
            let before = ctx.source.get(s..close)?.trim_end();
            let insert = if before.ends_with(',') {
                " strict=True"
            } else {
                ", strict=True"
            };
            Some(ctx.fix(
                CODE,
                &[],
                Safety::Unsafe,
                vec![Edit {
                    start: close,
                    end: close,
                    text: insert.into(),
                }],
            ))
        });
        ctx.report(CODE, (s, t), &[], fix);
    }
}

/// A name, an attribute chain on a name, or an index into one (`rows[0]`, not a slice such as
/// `xs[1:]`, which `zip(xs, xs[1:])` shortens on purpose).
fn sized_looking(e: &Expr) -> bool {
    match e {
        Expr::Name(_) => true,
        Expr::Attribute(a) => sized_looking(&a.value),
        Expr::Subscript(s) => !matches!(&*s.slice, Expr::Slice(_)) && sized_looking(&s.value),
        _ => false,
    }
}

/// An expression that makes an iterator or a lazy producer rather than a collection: a
/// generator expression, or a call of `iter`, `map`, `filter`, `zip`, `reversed`,
/// `enumerate` or anything from `itertools`.
fn lazy(e: &Expr) -> bool {
    match e {
        Expr::GeneratorExp(_) => true,
        Expr::Call(c) => match &*c.func {
            Expr::Name(n) => matches!(
                n.id.as_str(),
                "iter" | "map" | "filter" | "zip" | "reversed" | "enumerate"
            ),
            Expr::Attribute(a) => {
                matches!(&*a.value, Expr::Name(m) if m.id.as_str() == "itertools")
            }
            _ => false,
        },
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{findings, fixed, flagged};

    const T: (u8, u8) = (3, 12);

    #[test]
    fn flags_zip_over_named_collections() {
        let src = "a = dict(zip(keys, values))\nfor x, y in zip(self.xs, self.ys):\n    pass\nb = list(zip(rows[0], rows[1], header))\n";
        let found = findings(src, "PM0310", T);
        assert_eq!(
            flagged(src, &found),
            [
                "zip(keys, values)",
                "zip(self.xs, self.ys)",
                "zip(rows[0], rows[1], header)"
            ]
        );
        assert_eq!(
            found[0].message,
            "`zip()` stops at the shortest input without a word: if these must be the same length, pass `strict=True` to get a `ValueError` when they are not"
        );
        assert_eq!(found[0].section, "3.4.2");
    }

    #[test]
    fn only_from_python_3_10() {
        assert!(findings("a = zip(xs, ys)\n", "PM0310", (3, 9)).is_empty());
        assert_eq!(findings("a = zip(xs, ys)\n", "PM0310", (3, 10)).len(), 1);
    }

    #[test]
    fn silent_on_iterators_slices_calls_and_strict() {
        let src = "\
a = zip(xs, ys, strict=False)
b = zip(xs, itertools.count())
c = zip(xs, (y for y in ys))
d = zip(*rows)
e = zip(xs, xs[1:])
f = zip(it, it)
g = zip(xs, range(3))
h = zip(xs)
def k(xs):
    it = iter(xs)
    return zip(xs, it)
def m(zip):
    return zip(a, b)
n = zip(xs, [1, 2])
";
        let found = findings(src, "PM0310", T);
        assert!(found.is_empty(), "{:?}", flagged(src, &found));
    }

    #[test]
    fn fix_adds_strict() {
        let t = |s: &str| fixed(s, "PM0310", T);
        assert_eq!(t("a = zip(xs, ys)\n"), "a = zip(xs, ys, strict=True)\n");
        assert_eq!(t("a = zip(xs, ys,)\n"), "a = zip(xs, ys, strict=True)\n");
        assert_eq!(
            t("a = zip(\n    xs,\n    (ys),\n)\n"),
            "a = zip(\n    xs,\n    (ys),\n strict=True)\n"
        );
        let found = findings("a = zip(xs,  # left\n ys)\n", "PM0310", T);
        assert!(found[0].fix.is_none());
    }
}
