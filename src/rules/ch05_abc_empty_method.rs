//! PM0504: a method of an abstract base class that only raises `NotImplementedError` (or has
//! no body at all) but is not marked `@abstractmethod`, so subclasses may omit it (§5.8).

use super::ch05_abc_without_abstract::{def_decorators, is_abstract_decorator};
use super::ch05_abcmeta_keyword::{is_abc, is_abcmeta, is_direct_abc};
use super::source::def_name;
use super::{Ctx, Kind, Node, Rule};
use crate::syntax::ast::{self, Constant, Expr, Stmt};
use crate::syntax::span;

pub struct AbcEmptyMethod;

const CODE: &str = "PM0504";

/// True when a class is an ABC directly or through a class of this module.
fn is_abstract_class(ctx: &Ctx<'_>, c: &ast::StmtClassDef) -> bool {
    if is_direct_abc(ctx, c) {
        return true;
    }
    ctx.module.ancestors(c.name.as_str()).iter().any(|(_, f)| {
        let abc = |t: &str| matches!(t, "ABC" | "abc.ABC");
        let meta = |t: &str| matches!(t, "ABCMeta" | "abc.ABCMeta");
        f.bases
            .iter()
            .any(|b| abc(&ctx.module.imports.resolve_text(b)))
            || f.metaclass
                .as_deref()
                .is_some_and(|m| meta(&ctx.module.imports.resolve_text(m)))
    }) || c.bases.iter().any(|b| is_abc(ctx, b))
        || super::ch05_abcmeta_keyword::metaclass_kw(c).is_some_and(|k| is_abcmeta(ctx, &k.value))
}

fn is_docstring(s: &Stmt) -> bool {
    matches!(s, Stmt::Expr(e) if matches!(&*e.value, Expr::Constant(c) if matches!(c.value, Constant::Str(_))))
}

/// What a placeholder body does: `raise NotImplementedError` or `...`, after an optional
/// docstring. A `pass` or a docstring alone reads as a deliberate do-nothing default.
fn placeholder(body: &[Stmt]) -> Option<&'static str> {
    let rest = match body {
        [d, rest @ ..] if is_docstring(d) => rest,
        all => all,
    };
    match rest {
        [Stmt::Raise(r)] if r.cause.is_none() => {
            let e = match r.exc.as_deref()? {
                Expr::Call(c) if c.args.len() <= 1 && c.keywords.is_empty() => &*c.func,
                other => other,
            };
            matches!(e, Expr::Name(n) if n.id.as_str() == "NotImplementedError")
                .then_some("raises `NotImplementedError`")
        }
        [Stmt::Expr(e)] => {
            matches!(&*e.value, Expr::Constant(c) if matches!(c.value, Constant::Ellipsis))
                .then_some("has only `...` as its body")
        }
        _ => None,
    }
}

impl Rule for AbcEmptyMethod {
    fn code(&self) -> &'static str {
        CODE
    }

    fn kinds(&self) -> &'static [Kind] {
        &[Kind::ClassDef]
    }

    fn check(&self, node: Node<'_>, ctx: &mut Ctx<'_>) {
        let Node::Stmt(Stmt::ClassDef(c)) = node else {
            return;
        };
        if !is_abstract_class(ctx, c) {
            return;
        }
        for st in &c.body {
            let (name, body) = match st {
                Stmt::FunctionDef(f) => (f.name.as_str(), &f.body[..]),
                Stmt::AsyncFunctionDef(f) => (f.name.as_str(), &f.body[..]),
                _ => continue,
            };
            let Some(decs) = def_decorators(st) else {
                continue;
            };
            // Plain methods, properties and class or static methods; anything else (overload,
            // a setter, a framework hook) has its own reason for an empty body.
            let plain = decs.iter().all(|d| {
                matches!(d, Expr::Name(n) if matches!(n.id.as_str(), "property" | "classmethod" | "staticmethod"))
            });
            if !plain || decs.iter().any(is_abstract_decorator) {
                continue;
            }
            if name.starts_with("__") && name.ends_with("__") {
                continue;
            }
            let Some(what) = placeholder(body) else {
                continue;
            };
            let range = def_name(ctx.source, span(st).0, decs, name);
            ctx.report(
                CODE,
                range,
                &[("name", name), ("class", c.name.as_str()), ("what", what)],
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
    fn flags_placeholders_without_abstractmethod() {
        let src = "from abc import ABC, abstractmethod\nclass Repo(ABC):\n    def get(self, key):\n        \"\"\"Fetch.\"\"\"\n        raise NotImplementedError(key)\n    @property\n    def size(self): ...\n    @abstractmethod\n    def put(self, key): ...\n";
        let found = findings(src, "PM0504", T);
        assert_eq!(flagged(src, &found), ["get", "size"]);
        assert_eq!(
            found[0].message,
            "`get` raises `NotImplementedError` in the abstract class `Repo` without `@abstractmethod`: subclasses that omit it still instantiate"
        );
        assert_eq!(found[0].section, "5.8");
    }

    #[test]
    fn follows_abstract_parents_in_the_module() {
        let src = "import abc\nclass Base(metaclass=abc.ABCMeta):\n    pass\nclass Mid(Base):\n    def run(self):\n        raise NotImplementedError\n";
        assert_eq!(flagged(src, &findings(src, "PM0504", T)), ["run"]);
    }

    #[test]
    fn silent_on_defaults_and_plain_classes() {
        let src = "class Plain:\n    def get(self):\n        raise NotImplementedError\n";
        assert!(findings(src, "PM0504", T).is_empty());
        let src = "class A(ABC):\n    def close(self):\n        pass\n    def hook(self):\n        \"\"\"Optional.\"\"\"\n    def __enter__(self):\n        raise NotImplementedError\n    @overload\n    def f(self): ...\n    def g(self):\n        raise NotImplementedError from None\n";
        assert!(findings(src, "PM0504", T).is_empty());
    }
}
