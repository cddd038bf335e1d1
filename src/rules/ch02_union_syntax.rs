//! PM0202: `Optional[X]` and `Union[X, Y]` in annotations when the target Python (3.10+)
//! writes unions with `|` (§2.3.2).

use super::typing_names::{annotated_block, text, type_exprs, STATEMENTS, TYPING};
use super::{Ctx, Edit, Kind, Node, Rule, Safety};
use crate::syntax::ast::{self, Constant, Expr};
use crate::syntax::span;

pub struct UnionSyntax;

const CODE: &str = "PM0202";

fn is_none(e: &Expr) -> bool {
    matches!(e, Expr::Constant(c) if matches!(c.value, Constant::None))
}

/// An argument that reads the same on either side of `|` without parentheses.
fn binds_tighter_than_pipe(e: &Expr) -> bool {
    match e {
        Expr::Name(_) | Expr::Attribute(_) | Expr::Subscript(_) | Expr::Call(_) => true,
        Expr::Constant(c) => matches!(c.value, Constant::None),
        Expr::BinOp(b) => matches!(b.op, ast::Operator::BitOr),
        _ => false,
    }
}

/// The `|` spelling of `Optional[...]` / `Union[...]`.
fn joined(source: &str, args: &[&Expr], optional: bool) -> String {
    let mut parts: Vec<String> = args
        .iter()
        .map(|a| {
            let t = text(source, *a);
            if binds_tighter_than_pipe(a) {
                t.to_string()
            } else {
                format!("({t})")
            }
        })
        .collect();
    if optional {
        parts.push("None".into());
    }
    parts.join(" | ")
}

/// The replacement text; None when a comment between the arguments would be lost.
fn rewrite(source: &str, sub: &Expr, args: &[&Expr], optional: bool) -> Option<String> {
    let (s0, s1) = span(sub);
    let mut at = s0;
    for a in args {
        let (a0, a1) = span(*a);
        if source.get(at..a0)?.contains('#') {
            return None;
        }
        at = a1;
    }
    if source.get(at..s1)?.contains('#') {
        return None;
    }
    let joined = joined(source, args, optional);
    // An argument broken over lines inside the old brackets needs brackets of its own.
    Some(if joined.contains(['\n', '\r']) {
        format!("({joined})")
    } else {
        joined
    })
}

impl Rule for UnionSyntax {
    fn code(&self) -> &'static str {
        CODE
    }

    fn kinds(&self) -> &'static [Kind] {
        STATEMENTS
    }

    fn check(&self, node: Node<'_>, ctx: &mut Ctx<'_>) {
        let Some((anns, names)) = annotated_block(node, ctx, (3, 10), &["Optional", "Union"])
        else {
            return;
        };
        let mut found = Vec::new();
        for ann in anns {
            let mut exprs = Vec::new();
            type_exprs(ann, &names, &mut exprs);
            for e in exprs {
                let Expr::Subscript(s) = e else { continue };
                let Some(r) = names.resolve(&s.value) else {
                    continue;
                };
                let optional = match r.member.as_str() {
                    "Optional" => true,
                    "Union" => false,
                    _ => continue,
                };
                if !r.is_in(TYPING) {
                    continue;
                }
                let args: Vec<&Expr> = match &*s.slice {
                    Expr::Tuple(t) => t.elts.iter().collect(),
                    one => vec![one],
                };
                // A forward reference cannot stand beside `|` (`"Node" | None` raises), and
                // `None | None` raises too.
                let forward = args
                    .iter()
                    .any(|a| matches!(a, Expr::Constant(c) if matches!(c.value, Constant::Str(_))));
                let nones = args.iter().take(2).filter(|a| is_none(a)).count();
                if forward
                    || args.is_empty()
                    || (optional && (args.len() != 1 || nones > 0))
                    || (!optional && args.len() >= 2 && nones == 2)
                    || (!optional && args.len() == 1 && nones == 1)
                {
                    continue;
                }
                let form = text(ctx.source, &*s.value).to_string();
                let shown = joined(ctx.source, &args, optional)
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ");
                found.push((e, form, shown, rewrite(ctx.source, e, &args, optional)));
            }
        }
        for (e, form, shown, replacement) in found {
            let (s, t) = span(e);
            let args = [("form", form.as_str()), ("replacement", shown.as_str())];
            let fix = replacement.map(|r| {
                ctx.fix(
                    CODE,
                    &args,
                    Safety::Safe,
                    vec![Edit {
                        start: s,
                        end: t,
                        text: r,
                    }],
                )
            });
            ctx.report(CODE, (s, t), &args, fix);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{findings, fixed, flagged};

    const T: (u8, u8) = (3, 10);

    #[test]
    fn flags_optional_and_union_in_annotations() {
        let src = "def f(a: Optional[int], b: typing.Union[int, str] = 0) -> Dict[str, Union[int, None]]:\n    x: Optional[List[int]] = None\n";
        let found = findings(src, "PM0202", T);
        assert_eq!(
            flagged(src, &found),
            [
                "Optional[int]",
                "typing.Union[int, str]",
                "Union[int, None]",
                "Optional[List[int]]"
            ]
        );
        assert_eq!(
            found[0].message,
            "`Optional[...]` is the pre-3.10 spelling of a union: write `int | None`"
        );
        assert_eq!(found[0].section, "2.3.2");
    }

    #[test]
    fn silent_on_near_misses() {
        for s in [
            "def f(a: int | None, b: 'Optional[int]') -> None: pass\n",
            "def f(a: Optional['Node'], b: Union['A', int]): pass\n",
            "X = Optional[int]\n",
            "def f(a: Literal['Optional[int]']): pass\n",
            "def g():\n    from pydantic import Optional\n    def f(a: Optional[int]): pass\n",
            "def f(a: Union[None, None]): pass\n",
        ] {
            assert!(findings(s, "PM0202", T).is_empty(), "{s}");
        }
        assert!(findings("def f(a: Optional[int]): pass\n", "PM0202", (3, 9)).is_empty());
    }

    #[test]
    fn fix_writes_the_pipe() {
        assert_eq!(
            fixed(
                "def f(a: Optional[Dict[str, int]] = None): pass\n",
                "PM0202",
                T
            ),
            "def f(a: Dict[str, int] | None = None): pass\n"
        );
        assert_eq!(
            fixed("x: typing.Union[int, str, None] = 0\n", "PM0202", T),
            "x: int | str | None = 0\n"
        );
        assert_eq!(
            fixed(
                "def f() -> Union[\n    int,\n    str,\n]:\n    pass\n",
                "PM0202",
                T
            ),
            "def f() -> int | str:\n    pass\n"
        );
        assert_eq!(
            fixed("x: Union[Dict[str,\n  int], None] = None\n", "PM0202", T),
            "x: (Dict[str,\n  int] | None) = None\n"
        );
    }

    #[test]
    fn no_fix_when_a_comment_would_be_lost() {
        let src = "def f(a: Union[\n    int,  # the common case\n    str,\n]): pass\n";
        let found = findings(src, "PM0202", T);
        assert_eq!(found.len(), 1);
        assert!(found[0].fix.is_none());
    }
}
