//! PM0203: a parameter whose default is `None` but whose annotation does not admit `None`
//! (`x: int = None`), the implicit Optional that PEP 484 withdrew (§2.3.2).

use super::typing_names::{text, BlockNames};
use super::{Ctx, Edit, Kind, Node, Rule, Safety};
use crate::syntax::ast::{self, Constant, Expr, Stmt};
use crate::syntax::span;

pub struct ImplicitOptional;

const CODE: &str = "PM0203";

fn is_none(e: &Expr) -> bool {
    matches!(e, Expr::Constant(c) if matches!(c.value, Constant::None))
}

/// Builtin classes that are never None.
const BUILTINS: &[&str] = &[
    "int",
    "str",
    "float",
    "bool",
    "bytes",
    "complex",
    "list",
    "dict",
    "set",
    "frozenset",
    "tuple",
    "type",
    "bytearray",
    "memoryview",
    "range",
    "slice",
];

/// Generic types from `typing` and `collections.abc` (and the builtins) that never admit None.
const GENERICS: &[&str] = &[
    "List",
    "Dict",
    "Set",
    "FrozenSet",
    "Tuple",
    "Type",
    "DefaultDict",
    "OrderedDict",
    "Counter",
    "Deque",
    "ChainMap",
    "Sequence",
    "MutableSequence",
    "Mapping",
    "MutableMapping",
    "AbstractSet",
    "MutableSet",
    "Iterable",
    "Iterator",
    "Collection",
    "Container",
    "Callable",
    "Generator",
    "AsyncIterable",
    "AsyncIterator",
    "AsyncGenerator",
    "Awaitable",
    "Coroutine",
    "list",
    "dict",
    "set",
    "frozenset",
    "tuple",
    "type",
];

/// Whether the annotation plainly excludes `None`: a builtin class, a well-known generic, or a
/// union of those. Names the block cannot see into (classes and aliases defined elsewhere, type
/// variables) are not plain: an alias may well include None.
fn excludes_none(e: &Expr, names: &BlockNames) -> bool {
    match e {
        Expr::BinOp(b) if matches!(b.op, ast::Operator::BitOr) => {
            excludes_none(&b.left, names) && excludes_none(&b.right, names)
        }
        Expr::Name(n) => {
            let id = n.id.as_str();
            (BUILTINS.contains(&id) && !names.binds(id)) || generic(e, names)
        }
        Expr::Attribute(_) => generic(e, names),
        Expr::Subscript(s) => {
            let Some(r) = names.resolve(&s.value) else {
                return false;
            };
            let args: Vec<&Expr> = match &*s.slice {
                Expr::Tuple(t) => t.elts.iter().collect(),
                one => vec![one],
            };
            match r.member.as_str() {
                "Union" => args.iter().all(|a| excludes_none(a, names)),
                "Annotated" => args.first().is_some_and(|a| excludes_none(a, names)),
                "Literal" => !args.iter().any(|a| is_none(a)),
                _ => generic(&s.value, names),
            }
        }
        _ => false,
    }
}

/// A well-known generic, matched by its name whatever the module (`import typing as t` in
/// another block is common); a bare name the block binds itself is not resolved.
fn generic(e: &Expr, names: &BlockNames) -> bool {
    names
        .resolve(e)
        .is_some_and(|r| GENERICS.contains(&r.member.as_str()))
}

fn tight(e: &Expr) -> bool {
    match e {
        Expr::Name(_) | Expr::Attribute(_) | Expr::Subscript(_) => true,
        Expr::BinOp(b) => matches!(b.op, ast::Operator::BitOr),
        _ => false,
    }
}

impl Rule for ImplicitOptional {
    fn code(&self) -> &'static str {
        CODE
    }

    fn kinds(&self) -> &'static [Kind] {
        &[Kind::FunctionDef, Kind::AsyncFunctionDef]
    }

    fn check(&self, node: Node<'_>, ctx: &mut Ctx<'_>) {
        let args = match node {
            Node::Stmt(Stmt::FunctionDef(f)) => &*f.args,
            Node::Stmt(Stmt::AsyncFunctionDef(f)) => &*f.args,
            _ => return,
        };
        let candidates: Vec<(&str, &Expr)> = args
            .posonlyargs
            .iter()
            .chain(&args.args)
            .chain(&args.kwonlyargs)
            .filter(|a| a.default.as_deref().is_some_and(is_none))
            .filter_map(|a| Some((a.def.arg.as_str(), a.def.annotation.as_deref()?)))
            .collect();
        if candidates.is_empty() {
            return;
        }
        let names = BlockNames::of_block(node, ctx);
        for (param, ann) in candidates {
            if !excludes_none(ann, &names) {
                continue;
            }
            let ann_text = text(ctx.source, ann).to_string();
            let shown = ann_text.split_whitespace().collect::<Vec<_>>().join(" ");
            let args = [("param", param), ("annotation", shown.as_str())];
            let (_, end) = span(ann);
            let fix = (ctx.target >= (3, 10) && tight(ann)).then(|| {
                ctx.fix(
                    CODE,
                    &args,
                    Safety::Unsafe,
                    vec![Edit {
                        start: end,
                        end,
                        text: " | None".into(),
                    }],
                )
            });
            ctx.report(CODE, span(ann), &args, fix);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{findings, fixed, flagged};

    const T: (u8, u8) = (3, 10);

    #[test]
    fn flags_none_defaults_behind_non_optional_annotations() {
        let src = "def f(a: int = None, *, b: List[str] = None, c: typing.Union[int, str] = None,\n      d: t.Callable[[], int] = None, e: list[int] | dict = None, f: Literal['a'] = None):\n    pass\n";
        let found = findings(src, "PM0203", T);
        assert_eq!(
            flagged(src, &found),
            [
                "int",
                "List[str]",
                "typing.Union[int, str]",
                "t.Callable[[], int]",
                "list[int] | dict",
                "Literal['a']"
            ]
        );
        assert_eq!(
            found[0].message,
            "`a` defaults to None, but its annotation `int` does not admit None"
        );
        assert_eq!(found[0].section, "2.3.2");
    }

    #[test]
    fn silent_when_the_annotation_admits_none() {
        let src = "def f(a: Optional[int] = None, b: int | None = None, c: Any = None, d: object = None,\n      e: 'int' = None, f: Union[int, None] = None, g: T = None, h: int = 0, i=None,\n      m: t.Optional[int] = None, n: _FileArg = None, o: AnyPath = None, p: _Gen[int] = None,\n      j: Annotated[Optional[int], 'x'] = None, k: None | str = None, l: Literal[1, None] = None,\n      q: Node = None, r: mod.Alias = None, s: int | Alias = None, u: Union[int, Alias] = None):\n    pass\n";
        assert!(findings(src, "PM0203", T).is_empty());
    }

    #[test]
    fn fix_appends_none_on_3_10_only() {
        assert_eq!(
            fixed("def f(a: Dict[str, int] = None): pass\n", "PM0203", T),
            "def f(a: Dict[str, int] | None = None): pass\n"
        );
        assert_eq!(
            fixed("async def f(*, a: int | str = None): pass\n", "PM0203", T),
            "async def f(*, a: int | str | None = None): pass\n"
        );
        let found = findings("def f(a: int = None): pass\n", "PM0203", (3, 9));
        assert_eq!(found.len(), 1);
        assert!(found[0].fix.is_none());
    }
}
