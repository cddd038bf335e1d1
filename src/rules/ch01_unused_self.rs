//! PM0149: a regular method that never uses `self`, which could be a `@staticmethod` or a
//! module-level function (§1.7). Off by default: an override must keep the signature.

use super::ch01_getattribute_self::Method;
use super::source::def_name;
use super::typing_names::BlockNames;
use super::{Ctx, Kind, Node, Rule};
use crate::syntax::ast::{Constant, Expr, Stmt};
use crate::syntax::span;

pub struct UnusedSelf;

const CODE: &str = "PM0149";

/// A body that is only a placeholder: docstring, `pass`, `...`, or a single `raise` / `return`
/// of a constant (`NotImplemented`, `None`, a literal) after an optional docstring.
fn is_placeholder(body: &[Stmt]) -> bool {
    let rest: Vec<&Stmt> = body
        .iter()
        .filter(|s| {
            !matches!(s, Stmt::Pass(_))
                && !matches!(s, Stmt::Expr(e) if matches!(&*e.value, Expr::Constant(c) if matches!(c.value, Constant::Str(_) | Constant::Ellipsis)))
        })
        .collect();
    match rest[..] {
        [] => true,
        [Stmt::Raise(_)] => true,
        [Stmt::Return(r)] => match r.value.as_deref() {
            None | Some(Expr::Constant(_)) => true,
            Some(Expr::Name(n)) => n.id.as_str() == "NotImplemented",
            _ => false,
        },
        _ => false,
    }
}

impl Rule for UnusedSelf {
    fn code(&self) -> &'static str {
        CODE
    }

    fn kinds(&self) -> &'static [Kind] {
        &[Kind::FunctionDef, Kind::AsyncFunctionDef]
    }

    fn check(&self, node: Node<'_>, ctx: &mut Ctx<'_>) {
        let Some(m) = Method::of(node, ctx) else {
            return;
        };
        if !m.decorators.is_empty()
            || (m.name.starts_with("__") && m.name.ends_with("__"))
            || is_placeholder(m.body)
        {
            return;
        }
        let Some(me) = m.param(0) else { return };
        let names = BlockNames::of(m.body);
        // Zero-argument `super()` and `__class__` use the first argument implicitly.
        if names.reads(me) || names.reads("super") || names.reads("__class__") {
            return;
        }
        let Node::Stmt(stmt) = node else { return };
        let range = def_name(ctx.source, span(stmt).0, m.decorators, m.name);
        ctx.report(CODE, range, &[("name", m.name), ("self", me)], None);
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{findings, flagged};

    const T: (u8, u8) = (3, 12);

    #[test]
    fn flags_methods_that_ignore_self() {
        let src = "\
class Money:
    def parse(self, text):
        return int(text) * 100
";
        let found = findings(src, "PM0149", T);
        assert_eq!(flagged(src, &found), ["parse"]);
        assert_eq!(
            found[0].message,
            "Method `parse` never uses `self`: it could be a `@staticmethod` or a module-level function"
        );
        assert_eq!(found[0].section, "1.7");
    }

    #[test]
    fn silent_on_methods_that_need_self_or_are_special() {
        let src = "\
class Money:
    def total(self):
        return sum(x for x in self.items)
    def later(self):
        return lambda: self.total()
    def up(self):
        return super().up()
    def __repr__(self):
        return 'Money'
    @staticmethod
    def make(text):
        return text
    @property
    def unit(self):
        return 'EUR'
    def hook(self, event):
        pass
    def todo(self):
        raise NotImplementedError
    def flag(self):
        return False
";
        assert!(findings(src, "PM0149", T).is_empty());
    }
}
