//! PM0214: an annotated class attribute whose value is a list, dict or set, in a plain class,
//! without `ClassVar`: one object shared by every instance, declared as if it were per
//! instance (§2.3.6).

use super::ch02_final_reassigned::typing_spelling;
use super::typing_names::{text, BlockNames, TYPING};
use super::{Ctx, Edit, Kind, Node, Rule, Safety};
use crate::syntax::ast::{self, Constant, Expr, Stmt};
use crate::syntax::facts::ModuleFacts;
use crate::syntax::span;

pub struct MutableClassAttr;

const CODE: &str = "PM0214";

/// The kind of mutable container an expression builds, if it visibly builds one.
fn mutable_kind(e: &Expr, names: &BlockNames) -> Option<&'static str> {
    Some(match e {
        Expr::List(_) | Expr::ListComp(_) => "list",
        Expr::Dict(_) | Expr::DictComp(_) => "dict",
        Expr::Set(_) | Expr::SetComp(_) => "set",
        Expr::Call(c) => {
            let r = names.resolve(&c.func)?;
            match (r.module.as_deref(), r.member.as_str()) {
                (None, "list") => "list",
                (None, "dict") => "dict",
                (None, "set") => "set",
                (None, "bytearray") => "bytearray",
                (
                    Some("collections") | None,
                    "defaultdict" | "OrderedDict" | "Counter" | "deque",
                ) => "mutable collection",
                _ => return None,
            }
        }
        _ => return None,
    })
}

/// True for a base that keeps a class plain: `object`, `ABC`, `Generic[...]`, an exception
/// class, or a class of this module that is itself plain.
fn plain_base(b: &str, module: &ModuleFacts, depth: usize) -> bool {
    let full = module.imports.resolve_text(b);
    if matches!(
        full.as_str(),
        "object" | "abc.ABC" | "ABC" | "typing.Generic" | "Generic" | "Exception" | "BaseException"
    ) {
        return true;
    }
    if depth > 8 || b.contains('.') {
        return false;
    }
    match module.class(b) {
        Some(c) => {
            c.decorators.is_empty()
                && c.metaclass.is_none()
                && c.bases.iter().all(|x| plain_base(x, module, depth + 1))
        }
        None => false,
    }
}

/// A class with no decorator, no keyword, and only plain bases.
fn is_plain_class(c: &ast::StmtClassDef, module: &ModuleFacts) -> bool {
    c.decorator_list.is_empty()
        && c.keywords.is_empty()
        && c.bases.iter().all(|b| {
            let b = match b {
                Expr::Subscript(s) => &*s.value,
                other => other,
            };
            crate::syntax::facts::dotted(b).is_some_and(|d| plain_base(&d, module, 0))
        })
}

/// `ClassVar`, `Final` (class-level by definition) or a string mentioning either.
fn is_class_level(ann: &Expr, names: &BlockNames) -> bool {
    let base = match ann {
        Expr::Subscript(s) => &*s.value,
        Expr::Constant(c) => {
            return matches!(&c.value, Constant::Str(s) if s.contains("ClassVar") || s.contains("Final"))
        }
        other => other,
    };
    names
        .resolve(base)
        .is_some_and(|r| matches!(r.member.as_str(), "ClassVar" | "Final") && r.is_in(TYPING))
}

impl Rule for MutableClassAttr {
    fn code(&self) -> &'static str {
        CODE
    }

    fn kinds(&self) -> &'static [Kind] {
        &[Kind::ClassDef]
    }

    fn check(&self, node: Node<'_>, ctx: &mut Ctx<'_>) {
        let Node::Stmt(Stmt::ClassDef(class)) = node else {
            return;
        };
        if !is_plain_class(class, ctx.module) {
            return;
        }
        let anns: Vec<&ast::StmtAnnAssign> = class
            .body
            .iter()
            .filter_map(|s| match s {
                Stmt::AnnAssign(a) if a.value.is_some() => Some(a),
                _ => None,
            })
            .collect();
        if anns.is_empty() {
            return;
        }
        let names = BlockNames::of_block(node, ctx);
        let classvar = typing_spelling("ClassVar", &names, ctx.module);
        for a in anns {
            let (Expr::Name(target), Some(value)) = (&*a.target, &a.value) else {
                continue;
            };
            if is_class_level(&a.annotation, &names) {
                continue;
            }
            let Some(kind) = mutable_kind(value, &names) else {
                continue;
            };
            let ann_text = text(ctx.source, &*a.annotation);
            let args = [
                ("name", target.id.as_str()),
                ("class", class.name.as_str()),
                ("kind", kind),
            ];
            let fix = classvar.as_ref().map(|cv| {
                let (s, e) = span(&*a.annotation);
                ctx.fix(
                    CODE,
                    &[("classvar", cv.as_str())],
                    Safety::Unsafe,
                    vec![Edit {
                        start: s,
                        end: e,
                        text: format!("{cv}[{ann_text}]"),
                    }],
                )
            });
            let (s, _) = span(&*a.target);
            let (_, e) = span(&**value);
            ctx.report(CODE, (s, e), &args, fix);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{findings, fixed, flagged};

    const T: (u8, u8) = (3, 12);

    #[test]
    fn flags_mutable_annotated_class_attributes() {
        let src = "class Registry:\n    handlers: list[str] = []\n    index: dict = {}\n    seen: set[int] = set()\n    counts: Counter = collections.Counter()\n    name: str = ''\n    plain = []\n";
        let found = findings(src, "PM0214", T);
        assert_eq!(
            flagged(src, &found),
            [
                "handlers: list[str] = []",
                "index: dict = {}",
                "seen: set[int] = set()",
                "counts: Counter = collections.Counter()"
            ]
        );
        assert_eq!(
            found[0].message,
            "`handlers` of `Registry` is annotated as an instance attribute but holds one list shared by every instance: mark it `ClassVar[...]` if the sharing is meant, or build it in `__init__`"
        );
        assert_eq!(found[0].section, "2.3.6");
        assert!(found[0].fix.is_none(), "ClassVar not imported");
    }

    #[test]
    fn silent_on_special_classes() {
        for s in [
            "@dataclass\nclass A:\n    a: list = field(default_factory=list)\n",
            "@attr.s\nclass A:\n    a: list = []\n",
            "class A(TypedDict):\n    a: list\n",
            "class A(BaseModel):\n    a: list[str] = []\n",
            "class A(Enum):\n    a: list = []\n",
            "class A(Protocol):\n    a: list = []\n",
            "class A(metaclass=Meta):\n    a: list = []\n",
            "class A:\n    a: ClassVar[list] = []\n    b: Final = []\n    c: 'ClassVar[dict]' = {}\n    d: tuple = ()\n",
            "class A:\n    def f(self):\n        x: list = []\n",
            "class Base(SQLModel):\n    pass\n\nclass A(Base):\n    a: list = []\n",
        ] {
            assert!(findings(s, "PM0214", T).is_empty(), "{s}");
        }
    }

    #[test]
    fn follows_plain_bases_in_the_module() {
        let src = "class Base:\n    pass\n\nclass A(Base, Generic[T]):\n    a: list = []\n";
        assert_eq!(findings(src, "PM0214", T).len(), 1);
    }

    #[test]
    fn fix_wraps_in_classvar_when_imported() {
        assert_eq!(
            fixed(
                "from typing import ClassVar\n\nclass A:\n    a: list[int] = []\n",
                "PM0214",
                T
            ),
            "from typing import ClassVar\n\nclass A:\n    a: ClassVar[list[int]] = []\n"
        );
        assert_eq!(
            fixed(
                "import typing as t\n\nclass A:\n    a: dict = {}\n",
                "PM0214",
                T
            ),
            "import typing as t\n\nclass A:\n    a: t.ClassVar[dict] = {}\n"
        );
    }
}
