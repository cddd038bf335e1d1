//! PM0230: a method that returns `self` annotated with its own class's name (or with the type
//! variable its `self` is annotated with): on 3.11+ `Self` says that a subclass's method returns
//! the subclass (§2.13.m3).

use super::iter_util::scan;
use super::pack1_util::{decorator_name, fn_def, FnDef};
use super::typing_names::{text, BlockNames};
use super::{Ctx, Edit, Kind, Node, Rule, Safety};
use crate::syntax::ast::{Constant, Expr, Stmt};
use crate::syntax::span;

pub struct ReturnSelfType;

const CODE: &str = "PM0230";

impl Rule for ReturnSelfType {
    fn code(&self) -> &'static str {
        CODE
    }

    fn kinds(&self) -> &'static [Kind] {
        &[Kind::FunctionDef, Kind::AsyncFunctionDef]
    }

    fn check(&self, node: Node<'_>, ctx: &mut Ctx<'_>) {
        if ctx.target < (3, 11) {
            return;
        }
        let Some(Node::Stmt(Stmt::ClassDef(class))) = ctx.parents.last().copied() else {
            return;
        };
        let Some(def) = fn_def(node) else { return };
        let Some(ret) = def.returns else { return };
        if def.decorators.iter().any(|d| {
            matches!(
                decorator_name(d),
                Some("staticmethod" | "overload" | "property")
            )
        }) {
            return;
        }
        let classmethod = def
            .decorators
            .iter()
            .any(|d| matches!(d, Expr::Name(n) if n.id.as_str() == "classmethod"));
        if !classmethod
            && def
                .decorators
                .iter()
                .any(|d| decorator_name(d) == Some("classmethod"))
        {
            return;
        }
        let Some(first) = def.args.posonlyargs.iter().chain(&def.args.args).next() else {
            return;
        };
        let self_name = first.def.arg.as_str();
        let Some(written) = annotation_name(ret) else {
            return;
        };
        // `def m(self: T) -> T`: the type-variable spelling of the same idea.
        let self_ann = first.def.annotation.as_deref();
        let via_typevar = !classmethod
            && self_ann.and_then(annotation_name) == Some(written)
            && written != class.name.as_str();
        let own_name = written == class.name.as_str() && self_ann.is_none();
        if !own_name && !via_typevar {
            return;
        }
        if !returns_only_self(&def, self_name, classmethod) {
            return;
        }
        let fix = self_fix(ctx, node, ret, self_ann.filter(|_| via_typevar), &first.def);
        let what = if classmethod {
            format!("returns `{self_name}(...)`")
        } else {
            format!("returns `{self_name}`")
        };
        ctx.report(
            CODE,
            span(ret),
            &[
                ("method", def.name),
                ("what", &what),
                ("annotation", text(ctx.source, ret)),
            ],
            fix,
        );
    }
}

/// The class or type-variable name an annotation spells: `C` or `"C"`.
fn annotation_name(e: &Expr) -> Option<&str> {
    match e {
        Expr::Name(n) => Some(n.id.as_str()),
        Expr::Constant(c) => match &c.value {
            Constant::Str(s) if super::typing_names::is_identifier(s) => Some(s.as_str()),
            _ => None,
        },
        _ => None,
    }
}

/// Every `return` of the body (outside nested scopes) is `return self`, the body ends with one,
/// never yields and never rebinds `self`. (A body that may fall off its end returns None there,
/// which the annotation gets wrong in another way; such methods are left alone.)
/// In a class method, every `return` must instead build an instance: `return cls(...)`.
fn returns_only_self(def: &FnDef<'_>, self_name: &str, classmethod: bool) -> bool {
    let mut returns = 0;
    let mut other = false;
    let is_first = |e: &Expr| matches!(e, Expr::Name(x) if x.id.as_str() == self_name);
    scan(def.body, |n| match n {
        Node::Stmt(Stmt::Return(r)) => {
            returns += 1;
            other |= match r.value.as_deref() {
                Some(Expr::Call(c)) if classmethod => !is_first(&c.func),
                Some(e) if !classmethod => !is_first(e),
                _ => true,
            };
        }
        Node::Expr(Expr::Yield(_) | Expr::YieldFrom(_)) => other = true,
        Node::Expr(Expr::Name(x))
            if x.id.as_str() == self_name
                && !matches!(x.ctx, crate::syntax::ast::ExprContext::Load) =>
        {
            other = true;
        }
        _ => {}
    });
    returns > 0 && !other && matches!(def.body.last(), Some(Stmt::Return(_)))
}

/// Replace the return annotation (and a type-variable annotation on `self`) with `Self`,
/// importing it from typing when the module does not.
fn self_fix(
    ctx: &Ctx<'_>,
    node: Node<'_>,
    ret: &Expr,
    self_ann: Option<&Expr>,
    self_arg: &crate::syntax::ast::Arg,
) -> Option<super::Fix> {
    let needs_import = match ctx.module.imports.imported("Self") {
        Some("typing.Self" | "typing_extensions.Self") => false,
        Some(_) => return None,
        None => {
            // Bound in this block or defined as a class of the module: not ours to shadow.
            if BlockNames::of_block(node, ctx).binds("Self") || ctx.module.class("Self").is_some() {
                return None;
            }
            true
        }
    };
    let (rs, re) = span(ret);
    let mut edits = vec![Edit {
        start: rs,
        end: re,
        text: "Self".into(),
    }];
    if let Some(a) = self_ann {
        // `self: T` becomes `self`.
        let (ns, _) = span(self_arg);
        let name_end = ns + self_arg.arg.as_str().len();
        edits.push(Edit {
            start: name_end,
            end: span(a).1,
            text: String::new(),
        });
    }
    let mut fix = ctx.fix(CODE, &[], Safety::Safe, edits);
    if needs_import {
        fix.file_edits
            .push(ctx.import_edit("from typing import Self"));
    }
    Some(fix)
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{findings, fixed, flagged};

    const T: (u8, u8) = (3, 12);

    #[test]
    fn flags_methods_returning_self_under_the_class_name() {
        let src = "class Builder:\n    def add(self, x) -> Builder:\n        self.items.append(x)\n        return self\n    async def open(self) -> 'Builder':\n        return self\n";
        let found = findings(src, "PM0230", T);
        assert_eq!(flagged(src, &found), ["Builder", "'Builder'"]);
        assert_eq!(
            found[0].message,
            "`add` returns `self` but is annotated `Builder`: on a subclass the type checker still sees `Builder`; annotate it `Self`"
        );
        let src = "class Point:\n    @classmethod\n    def origin(cls) -> 'Point':\n        if flag:\n            return cls(1, 1)\n        return cls(0, 0)\n";
        let found = findings(src, "PM0230", T);
        assert_eq!(flagged(src, &found), ["'Point'"]);
        assert_eq!(
            found[0].message,
            "`origin` returns `cls(...)` but is annotated `'Point'`: on a subclass the type checker still sees `'Point'`; annotate it `Self`"
        );
        assert_eq!(
            fixed(src, "PM0230", T),
            "from typing import Self\nclass Point:\n    @classmethod\n    def origin(cls) -> Self:\n        if flag:\n            return cls(1, 1)\n        return cls(0, 0)\n"
        );
        assert_eq!(found[0].section, "2.13.m3");
    }

    #[test]
    fn fix_writes_self_and_imports_it() {
        assert_eq!(
            fixed(
                "\"\"\"Doc.\"\"\"\nimport os\n\nclass B:\n    def add(self, x) -> \"B\":\n        if x:\n            return self\n        return self\n",
                "PM0230",
                T
            ),
            "\"\"\"Doc.\"\"\"\nfrom typing import Self\nimport os\n\nclass B:\n    def add(self, x) -> Self:\n        if x:\n            return self\n        return self\n"
        );
        assert_eq!(
            fixed(
                "from typing import Self, TypeVar\r\nT = TypeVar('T', bound='B')\r\nclass B:\r\n\tdef add(self: T, x) -> T:\r\n\t\treturn self",
                "PM0230",
                T
            ),
            "from typing import Self, TypeVar\r\nT = TypeVar('T', bound='B')\r\nclass B:\r\n\tdef add(self, x) -> Self:\r\n\t\treturn self"
        );
    }

    #[test]
    fn no_fix_when_self_means_something_else() {
        let src =
            "from mylib import Self\nclass B:\n    def add(self) -> B:\n        return self\n";
        let found = findings(src, "PM0230", T);
        assert_eq!(found.len(), 1);
        assert!(found[0].fix.is_none());
    }

    #[test]
    fn stays_silent_on_near_misses() {
        let src = "\
class B:
    def copy(self) -> B:
        return B()
    def maybe(self, x) -> B:
        if x:
            return self
        return other
    def falls(self, x) -> B:
        if x:
            return self
    @classmethod
    def make(cls) -> B:
        return cls
    @classmethod
    def build(cls) -> B:
        return B()
    @classmethod
    def other(cls) -> B:
        return cls.default
    @abc.classmethod
    def odd(cls) -> B:
        return cls()
    @staticmethod
    def s(self) -> B:
        return self
    def other_class(self) -> A:
        return self
    def rebinds(self) -> B:
        self = B()
        return self
    def inner(self) -> B:
        def g():
            return 1
        return self
def top(self) -> B:
    return self
";
        let found = findings(src, "PM0230", T);
        assert_eq!(flagged(src, &found), ["B"], "only `inner`");
        assert!(findings(
            "class B:\n    def m(self) -> B:\n        return self\n",
            "PM0230",
            (3, 10)
        )
        .is_empty());
    }
}
