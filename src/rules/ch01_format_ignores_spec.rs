//! PM0120: `__format__(self, spec)` that never reads its spec, so every format spec is accepted
//! and silently ignored (§1.3.2).

use super::{Ctx, Kind, Node, Rule, Scope};
use crate::syntax::ast::{Constant, Expr, ExprContext, Stmt};
use crate::syntax::span;
use crate::syntax::walk::{walk, Visitor};

pub struct FormatIgnoresSpec;

const CODE: &str = "PM0120";

/// Whether a body reads a name, nested functions included (a closure reading it counts), or
/// reads every local at once through `locals()` or `vars()`.
struct Reads<'p> {
    name: &'p str,
    found: bool,
}

impl<'a> Visitor<'a> for Reads<'_> {
    fn enter(&mut self, node: Node<'a>) -> bool {
        if let Node::Expr(Expr::Name(n)) = node {
            let id = n.id.as_str();
            if (id == self.name && matches!(n.ctx, ExprContext::Load))
                || id == "locals"
                || id == "vars"
            {
                self.found = true;
            }
        }
        !self.found
    }
    fn leave(&mut self, _node: Node<'a>) {}
}

/// A body that does nothing with the spec on purpose: a stub, or one that only raises.
fn is_stub_or_raises(body: &[Stmt]) -> bool {
    body.iter().all(|s| match s {
        Stmt::Expr(e) => matches!(
            &*e.value,
            Expr::Constant(c) if matches!(c.value, Constant::Str(_) | Constant::Ellipsis)
        ),
        Stmt::Pass(_) | Stmt::Raise(_) => true,
        _ => false,
    })
}

impl Rule for FormatIgnoresSpec {
    fn code(&self) -> &'static str {
        CODE
    }

    fn kinds(&self) -> &'static [Kind] {
        &[Kind::FunctionDef]
    }

    fn check(&self, node: Node<'_>, ctx: &mut Ctx<'_>) {
        let Node::Stmt(def @ Stmt::FunctionDef(f)) = node else {
            return;
        };
        if f.name.as_str() != "__format__"
            || !matches!(ctx.scope(), Scope::Class(_))
            || !f.decorator_list.is_empty()
            || is_stub_or_raises(&f.body)
        {
            return;
        }
        let mut params = f.args.posonlyargs.iter().chain(&f.args.args);
        let (Some(_), Some(spec)) = (params.next(), params.next()) else {
            return;
        };
        let name = spec.def.arg.as_str();
        let mut r = Reads { name, found: false };
        walk(&f.body, &mut r);
        if r.found {
            return;
        }
        let range =
            super::source::def_name(ctx.source, span(def).0, &f.decorator_list, "__format__");
        ctx.report(CODE, range, &[("param", name)], None);
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{findings, flagged};

    const T: (u8, u8) = (3, 12);

    #[test]
    fn flags_format_that_never_reads_its_spec() {
        let src = "class Point:\n    def __format__(self, spec):\n        return f'({self.x}, {self.y})'\n\nclass Tag:\n    def __format__(self, format_spec):\n        format_spec = 's'\n        return str(self)\n";
        let found = findings(src, "PM0120", T);
        assert_eq!(flagged(src, &found), ["__format__", "__format__"]);
        assert_eq!(
            found[0].message,
            "`__format__` never reads `spec`: every format spec is accepted and silently ignored, so `f\"{obj:>10}\"` looks the same as `f\"{obj}\"`"
        );
        assert_eq!(found[0].section, "1.3.2");
    }

    #[test]
    fn silent_when_the_spec_is_used() {
        for src in [
            "class A:\n    def __format__(self, spec):\n        return format(str(self), spec)\n",
            "class A:\n    def __format__(self, spec):\n        if spec:\n            raise ValueError(spec)\n        return str(self)\n",
            "class A:\n    def __format__(self, spec):\n        def inner():\n            return spec.upper()\n        return inner()\n",
            "class A:\n    def __format__(self, spec):\n        raise TypeError('no formatting')\n",
            "class A:\n    def __format__(self, spec): ...\n",
            "class A:\n    def __format__(self, *args):\n        return 'a'\n",
            "def __format__(self, spec):\n    return 'a'\n",
        ] {
            assert!(findings(src, "PM0120", T).is_empty(), "{src}");
        }
    }
}
