//! PM0217: a `-> bool` function of one parameter whose whole body is
//! `return isinstance(param, T)`: a type guard the checker cannot use (§2.3.4).

use super::ch02_final_reassigned::typing_spelling;
use super::source::def_name;
use super::typing_names::{text, BlockNames};
use super::{Ctx, Edit, Kind, Node, Rule, Safety};
use crate::syntax::ast::{Constant, Expr, Stmt};
use crate::syntax::span;

pub struct IsinstancePredicate;

const CODE: &str = "PM0217";

impl Rule for IsinstancePredicate {
    fn code(&self) -> &'static str {
        CODE
    }

    fn kinds(&self) -> &'static [Kind] {
        &[Kind::FunctionDef]
    }

    fn check(&self, node: Node<'_>, ctx: &mut Ctx<'_>) {
        let Node::Stmt(stmt @ Stmt::FunctionDef(f)) = node else {
            return;
        };
        let Some(ret) = &f.returns else { return };
        if !matches!(&**ret, Expr::Name(n) if n.id.as_str() == "bool") {
            return;
        }
        let a = &f.args;
        let [p] = &a.posonlyargs.iter().chain(&a.args).collect::<Vec<_>>()[..] else {
            return;
        };
        if !a.kwonlyargs.is_empty() || a.vararg.is_some() || a.kwarg.is_some() {
            return;
        }
        let body: Vec<&Stmt> = f
            .body
            .iter()
            .filter(|s| !matches!(s, Stmt::Expr(e) if matches!(&*e.value, Expr::Constant(c) if matches!(c.value, Constant::Str(_)))))
            .collect();
        let [Stmt::Return(r)] = &body[..] else { return };
        let Some(Expr::Call(call)) = r.value.as_deref() else {
            return;
        };
        if !matches!(&*call.func, Expr::Name(n) if n.id.as_str() == "isinstance")
            || !call.keywords.is_empty()
        {
            return;
        }
        let [Expr::Name(arg), cls @ (Expr::Name(_) | Expr::Attribute(_))] = &call.args[..] else {
            return;
        };
        if arg.id.as_str() != p.def.arg.as_str() {
            return;
        }
        let names = BlockNames::of_block(node, ctx);
        if names.assigns("isinstance") {
            return;
        }
        let cls_text = text(ctx.source, cls);
        let guard = [("TypeIs", (3, 13)), ("TypeGuard", (3, 10))]
            .into_iter()
            .filter(|(_, v)| ctx.target >= *v)
            .find_map(|(m, _)| typing_spelling(m, &names, ctx.module));
        let fix = guard.map(|g| {
            let replacement = format!("{g}[{cls_text}]");
            let (s, e) = span(&**ret);
            ctx.fix(
                CODE,
                &[("replacement", replacement.as_str())],
                Safety::Unsafe,
                vec![Edit {
                    start: s,
                    end: e,
                    text: replacement.clone(),
                }],
            )
        });
        let range = def_name(ctx.source, span(stmt).0, &f.decorator_list, f.name.as_str());
        ctx.report(
            CODE,
            range,
            &[("name", f.name.as_str()), ("class", cls_text)],
            fix,
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{findings, fixed, flagged};

    const T: (u8, u8) = (3, 13);

    #[test]
    fn flags_isinstance_predicates() {
        let src = "def is_path(obj) -> bool:\n    \"\"\"Doc.\"\"\"\n    return isinstance(obj, pathlib.Path)\n";
        let found = findings(src, "PM0217", T);
        assert_eq!(flagged(src, &found), ["is_path"]);
        assert_eq!(
            found[0].message,
            "`is_path` returns `isinstance(..., pathlib.Path)` as a plain `bool`: callers learn nothing about the type; annotate it `TypeIs[pathlib.Path]` (3.13+) or `TypeGuard[pathlib.Path]` (3.10+)"
        );
        assert_eq!(found[0].section, "2.3.4");
        assert!(found[0].fix.is_none(), "neither name imported");
    }

    #[test]
    fn silent_on_near_misses() {
        for s in [
            "def f(obj) -> bool:\n    return isinstance(obj, str) and bool(obj)\n",
            "def f(obj, x) -> bool:\n    return isinstance(obj, str)\n",
            "def f(obj):\n    return isinstance(obj, str)\n",
            "def f(obj) -> bool:\n    return isinstance(other, str)\n",
            "def f(obj) -> TypeIs[str]:\n    return isinstance(obj, str)\n",
        ] {
            assert!(findings(s, "PM0217", T).is_empty(), "{s}");
        }
    }

    #[test]
    fn fix_uses_the_imported_guard() {
        assert_eq!(
            fixed("from typing import TypeIs\n\ndef f(obj: object) -> bool:\n    return isinstance(obj, str)\n", "PM0217", T),
            "from typing import TypeIs\n\ndef f(obj: object) -> TypeIs[str]:\n    return isinstance(obj, str)\n"
        );
        assert_eq!(
            fixed("from typing import TypeGuard\n\ndef f(obj: object) -> bool:\n    return isinstance(obj, str)\n", "PM0217", (3, 10)),
            "from typing import TypeGuard\n\ndef f(obj: object) -> TypeGuard[str]:\n    return isinstance(obj, str)\n"
        );
    }
}
