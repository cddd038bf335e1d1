//! PM0231: `cast(T, x)` where `x` is a name declared with exactly `T` in the same function
//! (a parameter annotation or an annotated assignment): the cast tells the type checker
//! nothing it did not know (§2.12.2).

use super::iter_util::{enclosing_function, scan};
use super::pack1_util::{fn_def, params};
use super::typing_names::{text, BlockNames, TYPING};
use super::{Ctx, Edit, Kind, Node, Rule, Safety};
use crate::syntax::ast::{Constant, Expr, Stmt};
use crate::syntax::span;

pub struct RedundantCast;

const CODE: &str = "PM0231";

impl Rule for RedundantCast {
    fn code(&self) -> &'static str {
        CODE
    }

    fn kinds(&self) -> &'static [Kind] {
        &[Kind::Call]
    }

    fn check(&self, node: Node<'_>, ctx: &mut Ctx<'_>) {
        let Node::Expr(e @ Expr::Call(call)) = node else {
            return;
        };
        if super::typing_names::last_name(&call.func) != Some("cast")
            || call.args.len() != 2
            || !call.keywords.is_empty()
        {
            return;
        }
        let Expr::Name(var) = &call.args[1] else {
            return;
        };
        let names = BlockNames::of_block(node, ctx);
        let is_cast = names.resolve(&call.func).is_some_and(|r| {
            r.member == "cast" && r.module.as_deref().is_some_and(|m| TYPING.contains(&m))
        });
        if !is_cast {
            return;
        }
        let Some((fstmt, body, _)) = enclosing_function(ctx) else {
            return;
        };
        let Some(def) = fn_def(Node::Stmt(fstmt)) else {
            return;
        };
        let name = var.id.as_str();
        let mut declared: Vec<&Expr> = params(def.args)
            .filter(|p| p.def.arg.as_str() == name)
            .filter_map(|p| p.def.annotation.as_deref())
            .collect();
        let mut escapes = false;
        scan(body, |n| match n {
            Node::Stmt(Stmt::AnnAssign(a)) => {
                if matches!(&*a.target, Expr::Name(t) if t.id.as_str() == name) {
                    declared.push(&*a.annotation);
                }
            }
            Node::Stmt(Stmt::Global(g)) => escapes |= g.names.iter().any(|x| x.as_str() == name),
            Node::Stmt(Stmt::Nonlocal(g)) => escapes |= g.names.iter().any(|x| x.as_str() == name),
            _ => {}
        });
        let target = type_text(ctx.source, &call.args[0]);
        if escapes
            || declared.is_empty()
            || declared.iter().any(|d| type_text(ctx.source, d) != target)
        {
            return;
        }
        let written = text(ctx.source, &call.args[0]);
        let (s, t) = span(e);
        let fix = ctx.fix(
            CODE,
            &[("name", name)],
            Safety::Unsafe,
            vec![Edit {
                start: s,
                end: t,
                text: name.to_string(),
            }],
        );
        ctx.report(
            CODE,
            (s, t),
            &[("type", written), ("name", name)],
            Some(fix),
        );
    }
}

/// An annotation or cast target as comparable text: the inside of a string, without spaces.
fn type_text(source: &str, e: &Expr) -> String {
    let raw = match e {
        Expr::Constant(c) => match &c.value {
            Constant::Str(s) => s.clone(),
            _ => text(source, e).to_string(),
        },
        _ => text(source, e).to_string(),
    };
    raw.chars().filter(|c| !c.is_whitespace()).collect()
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{findings, fixed, flagged};

    const T: (u8, u8) = (3, 12);

    #[test]
    fn flags_a_cast_to_the_declared_type() {
        let src = "from typing import cast\ndef f(x: int, y: 'list[str]'):\n    a = cast(int, x)\n    b = cast(list[ str ], y)\n    z: dict[str, int] = {}\n    return cast('dict[str, int]', z)\n";
        let found = findings(src, "PM0231", T);
        assert_eq!(
            flagged(src, &found),
            [
                "cast(int, x)",
                "cast(list[ str ], y)",
                "cast('dict[str, int]', z)"
            ]
        );
        assert_eq!(
            found[0].message,
            "`cast(int, x)` changes nothing: `x` is already declared as `int`"
        );
        assert_eq!(found[0].section, "2.12.2");
    }

    #[test]
    fn fix_leaves_the_name() {
        assert_eq!(
            fixed(
                "import typing as t\r\nclass A:\r\n\tdef m(self, x: int) -> int:\r\n\t\treturn t.cast(int, x)",
                "PM0231",
                T
            ),
            "import typing as t\r\nclass A:\r\n\tdef m(self, x: int) -> int:\r\n\t\treturn x"
        );
    }

    #[test]
    fn stays_silent_on_other_types_scopes_and_casts() {
        let src = "\
from typing import cast
from mylib import cast as mycast
def f(x: int | None, y, w: int):
    a = cast(int, x)
    b = cast(int, y)
    c = mycast(int, w)
    def g(w: str):
        return cast(int, w)
    z: int = 1
    z: str = ''
    d = cast(int, z)
    e = cast(int, w.real)
    return cast(typ=int, val=w)
x: int = 0
v = cast(int, x)
def h(k: int):
    global q
    q: int = 0
    return cast(int, q)
";
        assert!(findings(src, "PM0231", T).is_empty());
    }
}
