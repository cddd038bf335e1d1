//! PM0228: a quoted annotation in a module with `from __future__ import annotations`, where
//! every annotation is already kept as a string (§2.2.2). The quotes only hide the type from
//! the reader's tools (highlighting, rename, go to definition).

use super::typing_names::annotations;
use super::{Ctx, Edit, Kind, Node, Rule, Safety};
use crate::syntax::ast::{Constant, Expr, Stmt};
use crate::syntax::span;

pub struct QuotedAnnotation;

const CODE: &str = "PM0228";

impl Rule for QuotedAnnotation {
    fn code(&self) -> &'static str {
        CODE
    }

    fn kinds(&self) -> &'static [Kind] {
        super::typing_names::STATEMENTS
    }

    fn check(&self, node: Node<'_>, ctx: &mut Ctx<'_>) {
        // One pass per top-level statement covers everything nested in it.
        if !ctx.module.future_annotations || !ctx.parents.is_empty() {
            return;
        }
        let Node::Stmt(stmt) = node else { return };
        let mut quoted = Vec::new();
        for ann in annotations(std::slice::from_ref::<Stmt>(stmt)) {
            strings(ann, &mut quoted);
        }
        for e in quoted {
            let (s, t) = span(e);
            let Some(unquoted) = unquote(ctx.source.get(s..t).unwrap_or("")) else {
                continue;
            };
            let fix = ctx.fix(
                CODE,
                &[],
                Safety::Safe,
                vec![Edit {
                    start: s,
                    end: t,
                    text: unquoted.to_string(),
                }],
            );
            ctx.report(CODE, (s, t), &[("type", unquoted)], Some(fix));
        }
    }
}

/// String constants that stand for a type: the whole annotation, or an argument of a
/// subscript (`Optional["Node"]`), but not inside `Literal[...]`, where a string is a value.
fn strings<'e>(e: &'e Expr, out: &mut Vec<&'e Expr>) {
    match e {
        Expr::Constant(c) if matches!(c.value, Constant::Str(_)) => out.push(e),
        Expr::Subscript(s) => {
            let head = match &*s.value {
                Expr::Name(n) => n.id.as_str(),
                Expr::Attribute(a) => a.attr.as_str(),
                _ => "",
            };
            if !matches!(head, "Literal" | "Annotated") {
                strings(&s.slice, out);
            } else if head == "Annotated" {
                // Only the first argument of Annotated is a type; the rest is metadata.
                if let Expr::Tuple(t) = &*s.slice {
                    if let Some(first) = t.elts.first() {
                        strings(first, out);
                    }
                }
            }
        }
        Expr::Tuple(t) => t.elts.iter().for_each(|x| strings(x, out)),
        Expr::List(l) => l.elts.iter().for_each(|x| strings(x, out)),
        Expr::BinOp(b) => {
            strings(&b.left, out);
            strings(&b.right, out);
        }
        _ => {}
    }
}

/// The text inside a plain one-line string literal, when it reads as an expression on its own.
fn unquote(literal: &str) -> Option<&str> {
    let q = literal.chars().next()?;
    if !matches!(q, '"' | '\'') || literal.len() < 2 || !literal.ends_with(q) {
        return None; // prefixed (r"", b""), or implicitly concatenated
    }
    if literal.starts_with("\"\"\"") || literal.starts_with("'''") {
        return None;
    }
    let inner = &literal[1..literal.len() - 1];
    if inner.is_empty() || inner.contains(['\\', '\n', '\r', '#', q]) || inner.trim() != inner {
        return None;
    }
    // It must parse alone as one expression, so that unquoting cannot change the code around it.
    let parsed = crate::syntax::parse_block(&format!("({inner})\n")).ok()?;
    matches!(parsed.as_slice(), [Stmt::Expr(_)]).then_some(inner)
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{findings, fixed, flagged};

    const T: (u8, u8) = (3, 9);
    const FUTURE: &str = "from __future__ import annotations\n\n";

    #[test]
    fn flags_quoted_types_when_annotations_are_postponed() {
        let src = format!(
            "{FUTURE}class Node:\n    def link(self, other: \"Node\") -> Optional['Node']:\n        child: \"list[Node]\" = []\n        return None\n"
        );
        let found = findings(&src, "PM0228", T);
        assert_eq!(
            flagged(&src, &found),
            ["\"Node\"", "'Node'", "\"list[Node]\""]
        );
        assert_eq!(
            found[0].message,
            "The quotes around `Node` are not needed: `from __future__ import annotations` already keeps every annotation unevaluated"
        );
        assert_eq!(found[0].section, "2.2.2");
    }

    #[test]
    fn silent_without_the_future_import_and_on_values() {
        for src in [
            "def f(x: 'Node') -> None: ...\n".to_string(),
            format!("{FUTURE}def f(mode: Literal['r', 'w']) -> None: ...\n"),
            format!("{FUTURE}def f(x: Annotated[int, 'meta']) -> None: ...\n"),
            format!("{FUTURE}x = cast('Node', y)\nT = TypeVar('T', bound='Node')\n"),
            format!("{FUTURE}def f(x: 'not valid python') -> None: ...\n"),
            format!("{FUTURE}def f(x: r'Node', y: 'A' 'B') -> None: ...\n"),
        ] {
            assert!(findings(&src, "PM0228", T).is_empty(), "{src}");
        }
    }

    #[test]
    fn fix_removes_the_quotes() {
        assert_eq!(
            fixed(
                &format!("{FUTURE}def f(x: 'Node | None') -> \"dict[str, Node]\": ...\n"),
                "PM0228",
                T
            ),
            format!("{FUTURE}def f(x: Node | None) -> \"dict[str, Node]\": ...\n")
        );
    }
}
