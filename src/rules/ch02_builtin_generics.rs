//! PM0201: `typing.List`, `Dict`, `Set`, `FrozenSet`, `Tuple` and `Type` in annotations when
//! the target Python (3.9+) subscripts the builtins themselves (§2.3.1).

use super::typing_names::{annotated_block, type_exprs, STATEMENTS, TYPING};
use super::{Ctx, Edit, Kind, Node, Rule, Safety};
use crate::syntax::ast::Expr;
use crate::syntax::span;

pub struct BuiltinGenerics;

const CODE: &str = "PM0201";

fn builtin_for(member: &str) -> Option<&'static str> {
    Some(match member {
        "List" => "list",
        "Dict" => "dict",
        "Set" => "set",
        "FrozenSet" => "frozenset",
        "Tuple" => "tuple",
        "Type" => "type",
        _ => return None,
    })
}

impl Rule for BuiltinGenerics {
    fn code(&self) -> &'static str {
        CODE
    }

    fn kinds(&self) -> &'static [Kind] {
        STATEMENTS
    }

    fn check(&self, node: Node<'_>, ctx: &mut Ctx<'_>) {
        let Some((anns, names)) =
            annotated_block(node, ctx, (3, 9), &["List", "Dict", "Set", "Tuple", "Type"])
        else {
            return;
        };
        let mut found = Vec::new();
        for ann in anns {
            let mut exprs = Vec::new();
            type_exprs(ann, &names, &mut exprs);
            for e in exprs {
                // `List[int]`: the subscripted name; `typing.List`: the bare attribute.
                let (alias, subscripted) = match e {
                    Expr::Subscript(s) => (&*s.value, true),
                    Expr::Attribute(_) | Expr::Name(_) => (e, false),
                    _ => continue,
                };
                let Some(r) = names.resolve(alias) else {
                    continue;
                };
                let Some(builtin) = builtin_for(&r.member) else {
                    continue;
                };
                if !r.is_in(TYPING) {
                    continue;
                }
                // A bare name nobody imported counts only when subscripted, and a bare `Set`
                // not at all: `collections.abc.Set` is a common, correct spelling of it.
                if r.module.is_none() && (!subscripted || r.member == "Set") {
                    continue;
                }
                found.push((alias, builtin));
            }
        }
        for (alias, builtin) in found {
            let (s, e) = span(alias);
            let written = ctx.source.get(s..e).unwrap_or("").to_string();
            // The block's own `list` (a method, a field) would capture the builtin's name.
            let fix = (!names.binds(builtin)).then(|| {
                ctx.fix(
                    CODE,
                    &[("name", &written), ("builtin", builtin)],
                    Safety::Safe,
                    vec![Edit {
                        start: s,
                        end: e,
                        text: builtin.to_string(),
                    }],
                )
            });
            ctx.report(
                CODE,
                (s, e),
                &[("name", &written), ("builtin", builtin)],
                fix,
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{findings, fixed, flagged};

    const T: (u8, u8) = (3, 9);

    #[test]
    fn flags_typing_aliases_in_annotations() {
        let src = "def f(a: List[int], *b: typing.Dict[str, Tuple[int, ...]]) -> t.Set[str]:\n    x: FrozenSet[int] = frozenset()\n    return x\n";
        let found = findings(src, "PM0201", T);
        assert_eq!(
            flagged(src, &found),
            ["List", "typing.Dict", "Tuple", "FrozenSet"]
        );
        assert_eq!(
            found[0].message,
            "`List` is a deprecated alias: since Python 3.9 annotations can subscript the builtin `list` directly"
        );
        assert_eq!(found[0].section, "2.3.1");
    }

    #[test]
    fn resolves_aliases_seen_in_the_block() {
        let src = "class A:\n    import typing as t\n    from typing import Type as Ty, List, Set\n    a: t.Set[int]\n    b: Ty[int]\n    c: List\n    d: t.FrozenSet\n    e: Set[str]\n";
        let found = findings(src, "PM0201", T);
        assert_eq!(
            flagged(src, &found),
            ["t.Set", "Ty", "List", "t.FrozenSet", "Set"]
        );
    }

    #[test]
    fn silent_on_near_misses() {
        let src = [
            // Target below 3.9.
            "def f(a: List[int]): pass\n",
            // Bare and unsubscripted: nothing says it is typing's.
            "def f(a: List): pass\n",
            // Another module's `List`, a local `List`, string annotations, not an annotation.
            "def f(a: ast.List, b: 'List[int]') -> Literal['List']: pass\n",
            "def f():\n    List = make()\n    x: List[int] = 1\n",
            "class A:\n    from mylib import Tuple\n    def f(a: Tuple[int]): pass\n",
            "X = List[int]\n",
            "def f(a: list[int], b: Sequence[int]): pass\n",
            // Most likely `collections.abc.Set`, imported in another block.
            "def f(a: Set[int]): pass\n",
        ];
        for (i, s) in src.iter().enumerate() {
            let target = if i == 0 { (3, 8) } else { T };
            assert!(findings(s, "PM0201", target).is_empty(), "{s}");
        }
    }

    #[test]
    fn fix_writes_the_builtin() {
        assert_eq!(
            fixed(
                "def f(a: Dict[str, List[int]]) -> None:\n    pass\n",
                "PM0201",
                T
            ),
            "def f(a: dict[str, List[int]]) -> None:\n    pass\n"
        );
        assert_eq!(
            fixed("x: typing.Type[int] = int\n", "PM0201", T),
            "x: type[int] = int\n"
        );
    }

    #[test]
    fn no_fix_when_the_block_binds_the_builtin_name() {
        let src = "class A:\n    type: str = ''\n    kind: Type[int] = int\n";
        let found = findings(src, "PM0201", T);
        assert_eq!(found.len(), 1);
        assert!(found[0].fix.is_none());
    }
}
