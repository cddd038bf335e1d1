//! PM0234: a parameter annotated `list`/`dict` (or `List[...]`/`Dict[...]`) that the function
//! only reads: iterates, indexes, measures, looks up. `Iterable`, `Sequence` or `Mapping` would
//! accept tuples, generators and other mappings too (§2.9).

use super::pack1_util::{fn_def, is_stub, params, uses, Use};
use super::typing_names::{text, BlockNames, TYPING};
use super::{Ctx, Kind, Node, Rule};
use crate::syntax::ast::{CmpOp, Expr};
use crate::syntax::span;

pub struct ConcreteCollectionParam;

const CODE: &str = "PM0234";

#[derive(Clone, Copy, PartialEq)]
enum Coll {
    List,
    Dict,
}

/// Builtins that only read the collection they are given.
const READERS: &[&str] = &[
    "len",
    "iter",
    "sorted",
    "sum",
    "min",
    "max",
    "any",
    "all",
    "enumerate",
    "zip",
    "tuple",
    "frozenset",
    "set",
    "reversed",
    "print",
    "repr",
    "map",
    "filter",
];

/// Methods of a list that read it and that `Sequence` has too.
const LIST_READS: &[&str] = &["index", "count"];
/// Methods of a dict that read it and that `Mapping` has too.
const DICT_READS: &[&str] = &["get", "keys", "values", "items"];

impl Rule for ConcreteCollectionParam {
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
            let head = match ann {
                Expr::Subscript(s) => &*s.value,
                e => e,
            };
            if !matches!(
                super::typing_names::last_name(head),
                Some("list" | "dict" | "List" | "Dict")
            ) {
                continue;
            }
            let names = names.get_or_insert_with(|| BlockNames::of_block(node, ctx));
            let Some(kind) = collection(head, names) else {
                continue;
            };
            let name = p.def.arg.as_str();
            let found = uses(def.body, name);
            if found.is_empty() {
                continue;
            }
            let mut iterations = 0;
            let mut needs_sequence = false;
            let read_only = found.iter().all(|u| match u {
                Use::Iter | Use::StarArg => {
                    iterations += 1;
                    true
                }
                Use::Index => {
                    needs_sequence = true;
                    true
                }
                Use::Arg(c) => match &*c.func {
                    Expr::Name(f)
                        if READERS.contains(&f.id.as_str()) && !names.binds(f.id.as_str()) =>
                    {
                        if f.id.as_str() == "len" || f.id.as_str() == "reversed" {
                            needs_sequence = true;
                        } else {
                            iterations += 1;
                        }
                        true
                    }
                    _ => false,
                },
                Use::Method(m) => {
                    needs_sequence = true;
                    match kind {
                        Coll::List => LIST_READS.contains(m),
                        Coll::Dict => DICT_READS.contains(m),
                    }
                }
                Use::Compare(c) => {
                    needs_sequence = true;
                    // `key in name`: the collection is the right-hand operand of `in`.
                    c.ops.len() == 1
                        && matches!(c.ops[0], CmpOp::In | CmpOp::NotIn)
                        && matches!(&c.comparators[0], Expr::Name(n) if n.id.as_str() == name)
                }
                _ => false,
            });
            if !read_only {
                continue;
            }
            let suggestion = match kind {
                Coll::Dict => "Mapping",
                Coll::List if needs_sequence || iterations > 1 => "Sequence",
                Coll::List => "Iterable",
            };
            ctx.report(
                CODE,
                span(&p.def),
                &[
                    ("param", name),
                    ("annotation", text(ctx.source, ann)),
                    ("suggestion", suggestion),
                ],
                None,
            );
        }
    }
}

/// Which concrete collection an annotation's head names: the builtin `list`/`dict` (not
/// rebound) or typing's `List`/`Dict`.
fn collection(head: &Expr, names: &BlockNames) -> Option<Coll> {
    let r = names.resolve(head)?;
    let builtin = r.module.is_none() || r.module.as_deref() == Some("builtins");
    match r.member.as_str() {
        "list" if builtin => Some(Coll::List),
        "dict" if builtin => Some(Coll::Dict),
        "List" if r.is_in(TYPING) => Some(Coll::List),
        "Dict" if r.is_in(TYPING) => Some(Coll::Dict),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{findings, flagged};

    const T: (u8, u8) = (3, 12);

    #[test]
    fn flags_collections_that_are_only_read() {
        let src = "from typing import List, Dict\ndef total(xs: list[int]) -> int:\n    n = 0\n    for x in xs:\n        n += x\n    return n\ndef first(xs: List[str], m: Dict[str, int], d: dict) -> str:\n    if 'a' in m and len(xs) > 1:\n        return xs[0] + str(m.get('a')) + str(list(d.items()))\n    return max(xs)\n";
        let found = findings(src, "PM0234", T);
        assert_eq!(
            flagged(src, &found),
            [
                "xs: list[int]",
                "xs: List[str]",
                "m: Dict[str, int]",
                "d: dict"
            ]
        );
        assert_eq!(
            found[0].message,
            "`xs` is annotated `list[int]` but the function only reads it: accept `Iterable` instead, so callers may pass any such collection"
        );
        assert!(found[1].message.contains("`Sequence`"));
        assert!(found[2].message.contains("`Mapping`"));
        assert_eq!(found[0].section, "2.9");
    }

    #[test]
    fn stays_silent_when_the_collection_is_changed_or_passed_on() {
        let src = "\
from mylib import List
def a(xs: list):
    xs.append(1)
def b(xs: list):
    xs[0] = 1
def c(xs: list):
    return xs
def d(xs: list):
    helper(xs)
def e(xs: list):
    return xs == [1]
def f(xs: list):
    xs.sort()
    return xs[0]
def g(xs: List):
    for x in xs:
        pass
def h(m: dict):
    m.setdefault('a', 1)
def i(xs: list):
    return xs + [1]
def j(xs: list):
    ...
def k(xs: tuple):
    for x in xs:
        pass
def l(xs: list):
    xs = sorted(xs)
    return xs
";
        assert!(findings(src, "PM0234", T).is_empty());
    }
}
