//! PM0215: a `TypeVar`, `ParamSpec` or `TypeVarTuple` whose name string differs from the
//! variable it is assigned to, or whose `_co` / `_contra` suffix disagrees with its variance
//! (§2.4.1).

use super::typing_names::{last_name, BlockNames, TYPING};
use super::{Ctx, Edit, Kind, Node, Rule, Safety};
use crate::syntax::ast::{Constant, Expr, Stmt};
use crate::syntax::span;

pub struct TypeVarName;

const CODE: &str = "PM0215";

fn keyword_true(call: &crate::syntax::ast::ExprCall, name: &str) -> bool {
    call.keywords.iter().any(|k| {
        k.arg.as_ref().is_some_and(|a| a.as_str() == name)
            && matches!(&k.value, Expr::Constant(c) if matches!(c.value, Constant::Bool(true)))
    })
}

fn has_keyword(call: &crate::syntax::ast::ExprCall, name: &str) -> bool {
    call.keywords
        .iter()
        .any(|k| k.arg.as_ref().is_some_and(|a| a.as_str() == name))
}

impl Rule for TypeVarName {
    fn code(&self) -> &'static str {
        CODE
    }

    fn kinds(&self) -> &'static [Kind] {
        &[Kind::Assign]
    }

    fn check(&self, node: Node<'_>, ctx: &mut Ctx<'_>) {
        let Node::Stmt(Stmt::Assign(assign)) = node else {
            return;
        };
        let [Expr::Name(target)] = &assign.targets[..] else {
            return;
        };
        let Expr::Call(call) = &*assign.value else {
            return;
        };
        let Some(kind @ ("TypeVar" | "ParamSpec" | "TypeVarTuple")) = last_name(&call.func) else {
            return;
        };
        let names = BlockNames::of_block(node, ctx);
        if !names
            .resolve(&call.func)
            .is_some_and(|r| r.member == kind && r.is_in(TYPING))
        {
            return;
        }
        let var = target.id.as_str();
        if let Some(first @ Expr::Constant(c)) = call.args.first() {
            let Constant::Str(s) = &c.value else { return };
            if s != var {
                let (a, b) = span(first);
                let lit = ctx.source.get(a..b).unwrap_or("");
                // Only a plain one-line literal is rewritten (no prefix, no escapes).
                let quote = lit.chars().next().filter(|q| *q == '"' || *q == '\'');
                let simple = quote.is_some_and(|q| {
                    lit.len() >= 2 && lit.ends_with(q) && &lit[1..lit.len() - 1] == s.as_str()
                });
                let fix = simple.then(|| {
                    let q = quote.unwrap_or('"');
                    ctx.fix(
                        CODE,
                        &[("name", var)],
                        Safety::Safe,
                        vec![Edit {
                            start: a,
                            end: b,
                            text: format!("{q}{var}{q}"),
                        }],
                    )
                });
                let problem = format!("is named `{s}` but assigned to `{var}`");
                ctx.report(
                    CODE,
                    (a, b),
                    &[("kind", kind), ("name", var), ("problem", &problem)],
                    fix,
                );
                return;
            }
        }
        if kind != "TypeVar" {
            return;
        }
        let co = keyword_true(call, "covariant");
        let contra = keyword_true(call, "contravariant");
        let inferred = has_keyword(call, "infer_variance");
        let bare = var.trim_end_matches('_');
        let problem = if bare.ends_with("_co") && !co && !inferred {
            "ends in `_co` but is not declared `covariant=True`"
        } else if bare.ends_with("_contra") && !contra && !inferred {
            "ends in `_contra` but is not declared `contravariant=True`"
        } else if co && !bare.ends_with("_co") {
            "is covariant: by convention its name ends in `_co`"
        } else if contra && !bare.ends_with("_contra") {
            "is contravariant: by convention its name ends in `_contra`"
        } else {
            return;
        };
        ctx.report(
            CODE,
            span(target),
            &[("kind", kind), ("name", var), ("problem", problem)],
            None,
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{findings, fixed, flagged};

    const T: (u8, u8) = (3, 12);

    #[test]
    fn flags_a_name_that_differs_from_the_variable() {
        let src = "T = TypeVar('U')\nP = typing.ParamSpec(\"Q\")\nTs = TypeVarTuple('Ts')\n";
        let found = findings(src, "PM0215", T);
        assert_eq!(flagged(src, &found), ["'U'", "\"Q\""]);
        assert_eq!(
            found[0].message,
            "`TypeVar` `T` is named `U` but assigned to `T`: the string is what error messages and `repr` show, and type checkers require it to match the variable"
        );
        assert_eq!(found[0].section, "2.4.1");
    }

    #[test]
    fn flags_variance_that_disagrees_with_the_name() {
        let src = "T_co = TypeVar('T_co')\nT_contra = TypeVar('T_contra', covariant=True)\nItem = TypeVar('Item', covariant=True)\nK_contra = TypeVar('K_contra', contravariant=True)\n";
        let found = findings(src, "PM0215", T);
        assert_eq!(flagged(src, &found), ["T_co", "T_contra", "Item"]);
    }

    #[test]
    fn silent_on_near_misses() {
        for s in [
            "T = TypeVar('T')\nT_co = TypeVar('T_co', covariant=True)\n",
            "T = mylib.TypeVar('U')\n",
            "def f():\n    from mylib import TypeVar\n    T = TypeVar('U')\n",
            "T_co = TypeVar('T_co', infer_variance=True)\n",
            "T = TypeVar(name)\n",
            "A = B = TypeVar('A')\n",
        ] {
            assert!(findings(s, "PM0215", T).is_empty(), "{s}");
        }
    }

    #[test]
    fn fix_renames_the_string() {
        assert_eq!(
            fixed("AnyStr2 = TypeVar('AnyStr', str, bytes)\n", "PM0215", T),
            "AnyStr2 = TypeVar('AnyStr2', str, bytes)\n"
        );
    }
}
