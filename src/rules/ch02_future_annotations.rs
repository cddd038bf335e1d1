//! PM0227: an annotation that Python evaluates, written with syntax the target version cannot
//! evaluate (`X | Y` before 3.10, `list[int]` before 3.9), in a module without
//! `from __future__ import annotations` (§2.2.2). The module fails at import time.

use super::{Ctx, Kind, Node, Rule, Safety, Scope};
use crate::syntax::ast::{self, Expr, Operator, Stmt};
use crate::syntax::span;

pub struct FutureAnnotations;

const CODE: &str = "PM0227";

/// Built-in classes that became subscriptable in 3.9 (PEP 585).
const BUILTIN_GENERICS: &[&str] = &["list", "dict", "tuple", "set", "frozenset", "type"];

impl Rule for FutureAnnotations {
    fn code(&self) -> &'static str {
        CODE
    }

    fn kinds(&self) -> &'static [Kind] {
        &[Kind::FunctionDef, Kind::AsyncFunctionDef, Kind::AnnAssign]
    }

    fn check(&self, node: Node<'_>, ctx: &mut Ctx<'_>) {
        if ctx.target >= (3, 10) || ctx.module.future_annotations {
            return;
        }
        let evaluated: Vec<&Expr> = match node {
            Node::Stmt(Stmt::FunctionDef(f)) => signature(&f.args, f.returns.as_deref()),
            Node::Stmt(Stmt::AsyncFunctionDef(f)) => signature(&f.args, f.returns.as_deref()),
            // A local variable's annotation is never evaluated; a module's or class's is.
            Node::Stmt(Stmt::AnnAssign(a)) if !matches!(ctx.scope(), Scope::Function(_)) => {
                vec![&*a.annotation]
            }
            _ => return,
        };
        for ann in evaluated {
            let mut found = Vec::new();
            too_new(ann, ctx.target, &mut found);
            for (e, needs) in found {
                let (s, t) = span(e);
                let written = ctx.source.get(s..t).unwrap_or("");
                let written = if written.len() > 40 {
                    format!("{}...", written.chars().take(37).collect::<String>())
                } else {
                    written.to_string()
                };
                let mut fix = ctx.fix(CODE, &[], Safety::Unsafe, Vec::new());
                fix.file_edits
                    .push(ctx.import_edit("from __future__ import annotations"));
                let target = format!("{}.{}", ctx.target.0, ctx.target.1);
                ctx.report(
                    CODE,
                    (s, t),
                    &[("written", &written), ("needs", needs), ("target", &target)],
                    Some(fix),
                );
            }
        }
    }
}

fn signature<'a>(args: &'a ast::Arguments, returns: Option<&'a Expr>) -> Vec<&'a Expr> {
    let mut out: Vec<&Expr> = args
        .posonlyargs
        .iter()
        .chain(&args.args)
        .chain(&args.kwonlyargs)
        .filter_map(|a| a.def.annotation.as_deref())
        .collect();
    out.extend(
        args.vararg
            .iter()
            .chain(&args.kwarg)
            .filter_map(|a| a.annotation.as_deref()),
    );
    out.extend(returns);
    out
}

/// The outermost parts of `e` that the target cannot evaluate, with the version they need.
/// Strings are forward references, never evaluated, so the walk does not look inside them.
fn too_new<'e>(e: &'e Expr, target: (u8, u8), out: &mut Vec<(&'e Expr, &'static str)>) {
    match e {
        Expr::BinOp(b) if matches!(b.op, Operator::BitOr) => out.push((e, "3.10")),
        Expr::Subscript(s) => {
            if target < (3, 9)
                && matches!(&*s.value, Expr::Name(n) if BUILTIN_GENERICS.contains(&n.id.as_str()))
            {
                out.push((e, "3.9"));
            } else {
                too_new(&s.slice, target, out);
            }
        }
        Expr::Tuple(t) => t.elts.iter().for_each(|x| too_new(x, target, out)),
        Expr::List(l) => l.elts.iter().for_each(|x| too_new(x, target, out)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{findings, fixed, flagged};

    const PY38: (u8, u8) = (3, 8);
    const PY39: (u8, u8) = (3, 9);

    #[test]
    fn flags_evaluated_annotations_too_new_for_the_target() {
        let src = "import os\n\ndef load(path: str | None, opts: Optional[dict[str, int]] = None) -> list[str]:\n    cache: dict[str, int] = {}\n    return []\n\nclass C:\n    seen: set[int]\n\nLIMITS: tuple[int, ...] = (1,)\n";
        let found = findings(src, "PM0227", PY38);
        assert_eq!(
            flagged(src, &found),
            [
                "str | None",
                "dict[str, int]",
                "list[str]",
                "set[int]",
                "tuple[int, ...]"
            ]
        );
        assert_eq!(
            found[0].message,
            "`str | None` in an annotation that Python evaluates needs Python 3.10, but the target is 3.8: importing this module raises TypeError. Add `from __future__ import annotations`"
        );
        assert_eq!(found[0].section, "2.2.2");
        // On 3.9 only the `|` union is too new.
        assert_eq!(flagged(src, &findings(src, "PM0227", PY39)), ["str | None"]);
    }

    #[test]
    fn silent_when_postponed_quoted_local_or_new_enough() {
        for (src, target) in [
            (
                "from __future__ import annotations\n\ndef f(x: int | None) -> list[int]: ...\n",
                PY38,
            ),
            ("def f(x: 'int | None') -> 'list[int]': ...\n", PY38),
            (
                "def f():\n    x: list[int] = []\n    y: int | None = None\n",
                PY38,
            ),
            ("def f(x: int | None) -> list[int]: ...\n", (3, 10)),
            ("def f(x: List[int], y: Optional[int]) -> None: ...\n", PY38),
        ] {
            assert!(findings(src, "PM0227", target).is_empty(), "{src}");
        }
    }

    #[test]
    fn fix_adds_the_future_import_after_docstring_and_comments() {
        assert_eq!(
            fixed(
                "#!/usr/bin/env python\n\"\"\"Tools.\"\"\"\n\nimport os\n\n\ndef f(x: int | None): ...\n",
                "PM0227",
                PY38
            ),
            "#!/usr/bin/env python\n\"\"\"Tools.\"\"\"\n\nfrom __future__ import annotations\nimport os\n\n\ndef f(x: int | None): ...\n"
        );
        assert_eq!(
            fixed("def f(x: int | None): ...", "PM0227", PY38),
            "from __future__ import annotations\ndef f(x: int | None): ..."
        );
    }
}
