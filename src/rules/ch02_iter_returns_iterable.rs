//! PM0207: `def __iter__(self) -> Iterable[...]` (and `__aiter__` returning `AsyncIterable`):
//! `iter()` demands an iterator, so the annotation promises less than the protocol needs
//! (§2.9.1).

use super::typing_names::{text, BlockNames};
use super::{Ctx, Edit, Kind, Node, Rule, Safety, Scope};
use crate::syntax::ast::{Expr, Stmt};
use crate::syntax::span;

pub struct IterReturnsIterable;

const CODE: &str = "PM0207";

const MODULES: &[&str] = &["typing", "typing_extensions", "collections.abc"];

impl Rule for IterReturnsIterable {
    fn code(&self) -> &'static str {
        CODE
    }

    fn kinds(&self) -> &'static [Kind] {
        &[Kind::FunctionDef, Kind::AsyncFunctionDef]
    }

    fn check(&self, node: Node<'_>, ctx: &mut Ctx<'_>) {
        let (name, returns) = match node {
            Node::Stmt(Stmt::FunctionDef(f)) => (f.name.as_str(), &f.returns),
            Node::Stmt(Stmt::AsyncFunctionDef(f)) => (f.name.as_str(), &f.returns),
            _ => return,
        };
        let (wrong, right) = match name {
            "__iter__" => ("Iterable", "Iterator"),
            "__aiter__" => ("AsyncIterable", "AsyncIterator"),
            _ => return,
        };
        let Some(ret) = returns.as_deref() else {
            return;
        };
        if !matches!(ctx.scope(), Scope::Class(_)) {
            return;
        }
        let base = match ret {
            Expr::Subscript(s) => &*s.value,
            other => other,
        };
        if !matches!(base, Expr::Name(_) | Expr::Attribute(_)) {
            return;
        }
        let names = BlockNames::of_block(node, ctx);
        let Some(r) = names.resolve(base) else {
            return;
        };
        if r.member != wrong || !r.is_in(MODULES) {
            return;
        }
        let original = text(ctx.source, base).to_string();
        let (b0, b1) = span(base);
        let (replacement, needs, safety, start) = match base {
            Expr::Attribute(a) => {
                let prefix = text(ctx.source, &*a.value);
                (
                    format!("{prefix}.{right}"),
                    prefix.to_string(),
                    Safety::Safe,
                    b1 - wrong.len(),
                )
            }
            // A bare name needs its own import, which may not exist yet.
            _ => (right.to_string(), right.to_string(), Safety::Unsafe, b0),
        };
        let replaced_text = if matches!(base, Expr::Attribute(_)) {
            right.to_string()
        } else {
            replacement.clone()
        };
        // `a.b . Iterable` spelled with spaces: replace only when the name sits at the end.
        if ctx.source.get(start..b1) != Some(wrong) && matches!(base, Expr::Attribute(_)) {
            return;
        }
        let args = [
            ("method", name),
            ("original", original.as_str()),
            ("replacement", replacement.as_str()),
            ("needs", needs.as_str()),
        ];
        let fix = ctx.fix(
            CODE,
            &args,
            safety,
            vec![Edit {
                start,
                end: b1,
                text: replaced_text,
            }],
        );
        ctx.report(CODE, (b0, b1), &args, Some(fix));
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{findings, fixed, flagged};
    use crate::rules::Safety;

    const T: (u8, u8) = (3, 12);

    #[test]
    fn flags_iter_annotated_as_iterable() {
        let src = "class A:\n    def __iter__(self) -> Iterable[int]:\n        yield 1\nclass B:\n    def __iter__(self) -> collections.abc.Iterable[str]:\n        return iter('')\nclass C:\n    def __aiter__(self) -> typing.AsyncIterable[int]:\n        return self\n";
        let found = findings(src, "PM0207", T);
        assert_eq!(
            flagged(src, &found),
            [
                "Iterable",
                "collections.abc.Iterable",
                "typing.AsyncIterable"
            ]
        );
        assert_eq!(
            found[0].message,
            "`__iter__` must return an iterator, but is annotated as returning `Iterable`: annotate it as `Iterator`"
        );
        assert_eq!(found[0].section, "2.9.1");
        assert_eq!(
            found[0].fix.as_ref().map(|f| f.safety),
            Some(Safety::Unsafe)
        );
        assert_eq!(found[1].fix.as_ref().map(|f| f.safety), Some(Safety::Safe));
    }

    #[test]
    fn silent_on_near_misses() {
        for s in [
            "class A:\n    def __iter__(self) -> Iterator[int]: ...\n",
            "class A:\n    def __iter__(self) -> 'Iterable[int]': ...\n",
            "class A:\n    def items(self) -> Iterable[int]: ...\n",
            "def __iter__(self) -> Iterable[int]: ...\n",
            "class A:\n    def __iter__(self) -> mylib.Iterable[int]: ...\n",
            "class A:\n    def __iter__(self): ...\n",
        ] {
            assert!(findings(s, "PM0207", T).is_empty(), "{s}");
        }
    }

    #[test]
    fn fix_keeps_the_module_prefix() {
        assert_eq!(
            fixed(
                "class A:\n    def __iter__(self) -> typing.Iterable[int]: ...\n",
                "PM0207",
                T
            ),
            "class A:\n    def __iter__(self) -> typing.Iterator[int]: ...\n"
        );
        let src = "class A:\n    def __iter__(self) -> Iterable:\n        return iter(())\n";
        assert_eq!(
            fixed(src, "PM0207", T),
            "class A:\n    def __iter__(self) -> Iterator:\n        return iter(())\n"
        );
        let found = findings(src, "PM0207", T);
        assert_eq!(
            found[0].fix.as_ref().map(|f| f.title.as_str()),
            Some("Return `Iterator` instead of `Iterable` (`Iterator` must be imported)")
        );
    }
}
