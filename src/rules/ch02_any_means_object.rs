//! PM0232: a parameter annotated `Any` that the function only passes on, prints, formats,
//! compares for equality or identity, or hands to `str`/`repr`/`id`/`hash`/`isinstance`:
//! `object` accepts every value as well and keeps the type checker on (§2.3.3).

use super::pack1_util::{fn_def, is_stub, params, uses, Use};
use super::typing_names::{BlockNames, TYPING};
use super::{Ctx, Kind, Node, Rule};
use crate::syntax::ast::{CmpOp, Expr};
use crate::syntax::span;

pub struct AnyMeansObject;

const CODE: &str = "PM0232";

impl Rule for AnyMeansObject {
    fn code(&self) -> &'static str {
        CODE
    }

    fn kinds(&self) -> &'static [Kind] {
        &[Kind::FunctionDef, Kind::AsyncFunctionDef]
    }

    fn check(&self, node: Node<'_>, ctx: &mut Ctx<'_>) {
        let Some(def) = fn_def(node) else { return };
        if is_stub(def.body) {
            return;
        }
        let mut names: Option<std::rc::Rc<BlockNames>> = None;
        for p in params(def.args) {
            let Some(ann) = p.def.annotation.as_deref() else {
                continue;
            };
            if super::typing_names::last_name(ann) != Some("Any")
                || !matches!(ann, Expr::Name(_) | Expr::Attribute(_))
            {
                continue;
            }
            let names = names.get_or_insert_with(|| BlockNames::of_block(node, ctx));
            let is_any = names.resolve(ann).is_some_and(|r| {
                r.member == "Any" && r.module.as_deref().is_some_and(|m| TYPING.contains(&m))
            });
            if !is_any {
                continue;
            }
            let name = p.def.arg.as_str();
            let found = uses(def.body, name);
            let ok = |u: &Use<'_>| object_will_do(u, name, names);
            if found.is_empty() || !found.iter().all(ok) {
                continue;
            }
            ctx.report(CODE, span(&p.def), &[("param", name)], None);
        }
    }
}

/// Builtins that accept any object. Other callees are not counted: their parameter may be
/// narrower than `object`, which `Any` lets through and `object` would not.
const ANY_OBJECT: &[&str] = &[
    "print",
    "str",
    "repr",
    "ascii",
    "id",
    "hash",
    "type",
    "format",
    "bool",
    "callable",
    "isinstance",
];

/// A use that every object supports, so `object` types it as well as `Any`.
fn object_will_do(u: &Use<'_>, name: &str, names: &BlockNames) -> bool {
    match u {
        Use::Formatted => true,
        Use::Arg(c) => {
            let Expr::Name(f) = &*c.func else {
                return false;
            };
            let f = f.id.as_str();
            if !ANY_OBJECT.contains(&f) || names.binds(f) {
                return false;
            }
            // `isinstance(x, C)`: only as the first argument; the second must be a type.
            f != "isinstance"
                || matches!(c.args.first(), Some(Expr::Name(n)) if n.id.as_str() == name)
        }
        Use::Compare(c) => c
            .ops
            .iter()
            .all(|op| matches!(op, CmpOp::Eq | CmpOp::NotEq | CmpOp::Is | CmpOp::IsNot)),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{findings, flagged};

    const T: (u8, u8) = (3, 12);

    #[test]
    fn flags_any_parameters_used_only_as_objects() {
        let src = "from typing import Any\nimport typing as t\ndef show(label: str, value: Any, other: t.Any) -> None:\n    print(label, repr(value), f'{other}')\n    if value is None or value == other:\n        print(id(value), isinstance(other, int))\n";
        let found = findings(src, "PM0232", T);
        assert_eq!(flagged(src, &found), ["value: Any", "other: t.Any"]);
        assert_eq!(
            found[0].message,
            "`value` is annotated `Any`, but the function only prints, formats or compares it for equality: `object` accepts every value too, and keeps the type checker on inside the function"
        );
        assert_eq!(found[0].section, "2.3.3");
    }

    #[test]
    fn stays_silent_when_the_value_is_really_used() {
        let src = "\
from typing import Any
from mylib import Any as Anything
def a(x: Any):
    return x.name
def b(x: Any):
    for y in x:
        pass
def c(x: Any):
    return x + 1
def d(x: Any):
    print(x)
    return x
def e(x: Any):
    if x < 3:
        pass
def f(x: Any):
    ...
def g(x: Any):
    h = lambda: print(x)
def i(x: Anything):
    print(x)
def j(x: list[Any]):
    print(x)
def k(x: Any):
    x()
def m(x: Any):
    x = 1
    print(x)
def n(x: Any):
    return helper(x)
def o(x: Any):
    return isinstance(y, x)
def p(x: Any):
    str = len
    return str(x)
";
        assert!(findings(src, "PM0232", T).is_empty());
    }
}
