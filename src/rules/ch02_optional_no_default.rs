//! PM0229: a parameter annotated `Optional[X]` or `X | None` without a default: the annotation
//! says the value may be None, not that the argument may be left out (§2.13.m1).

use super::pack1_util::{admits_none, fn_def};
use super::typing_names::{text, BlockNames};
use super::{Ctx, Kind, Node, Rule};
use crate::syntax::span;

pub struct OptionalNoDefault;

const CODE: &str = "PM0229";

impl Rule for OptionalNoDefault {
    fn code(&self) -> &'static str {
        CODE
    }

    fn kinds(&self) -> &'static [Kind] {
        &[Kind::FunctionDef, Kind::AsyncFunctionDef]
    }

    fn check(&self, node: Node<'_>, ctx: &mut Ctx<'_>) {
        let Some(def) = fn_def(node) else { return };
        // A special method's parameters are fixed by the protocol that calls it
        // (`__exit__(self, exc_type, exc, tb)`): they are always passed.
        if def.name.starts_with("__") && def.name.ends_with("__") {
            return;
        }
        let a = def.args;
        let positional: Vec<_> = a.posonlyargs.iter().chain(&a.args).collect();
        let mut candidates = Vec::new();
        for (i, p) in positional.iter().enumerate() {
            // A required parameter after it means it cannot be given a default anyway.
            let later_required = positional[i + 1..].iter().any(|q| q.default.is_none());
            if p.default.is_none() && !later_required {
                candidates.push(*p);
            }
        }
        candidates.extend(a.kwonlyargs.iter().filter(|p| p.default.is_none()));
        if candidates.iter().all(|p| p.def.annotation.is_none()) {
            return;
        }
        let names = BlockNames::of_block(node, ctx);
        for p in candidates {
            let Some(ann) = p.def.annotation.as_deref() else {
                continue;
            };
            if !admits_none(ann, &names) {
                continue;
            }
            let param = p.def.arg.as_str();
            let annotation = text(ctx.source, ann);
            ctx.report(
                CODE,
                span(&p.def),
                &[("param", param), ("annotation", annotation)],
                None,
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{findings, flagged};

    const T: (u8, u8) = (3, 12);

    #[test]
    fn flags_optional_parameters_that_must_still_be_passed() {
        let src = "from typing import Optional, Union\ndef f(a: int, b: Optional[str], *, c: int | None, d: Union[int, None]):\n    pass\n";
        let found = findings(src, "PM0229", T);
        assert_eq!(
            flagged(src, &found),
            ["b: Optional[str]", "c: int | None", "d: Union[int, None]"]
        );
        assert_eq!(
            found[0].message,
            "`b` is annotated `Optional[str]` but has no default, so every caller must still pass it: `Optional` means the value may be None, not that the argument may be left out; write `b: Optional[str] = None` if it may be omitted"
        );
        assert_eq!(found[0].section, "2.13.m1");
    }

    #[test]
    fn stays_silent_on_defaults_required_followers_and_non_optional_types() {
        let src = "\
import typing as t
from mylib import Optional
def f(a: t.Optional[int], b: int):
    pass
def g(a: t.Optional[int] = None, *, b: int | None = None, c: int, d: Optional[int]):
    pass
def h(a: 'Optional[int]', b: list[int | None], c: t.Union[int, str]):
    pass
class C:
    def __exit__(self, exc_type: type | None, exc: BaseException | None, tb: t.Optional[object]):
        pass
";
        assert!(findings(src, "PM0229", T).is_empty());
    }

    #[test]
    fn sees_typing_through_aliases_and_nested_methods() {
        let src = "import typing as t\nclass A:\n    def m(self, x: None | t.Any):\n        pass\n";
        let found = findings(src, "PM0229", T);
        assert_eq!(flagged(src, &found), ["x: None | t.Any"]);
    }
}
