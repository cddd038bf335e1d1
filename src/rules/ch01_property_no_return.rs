//! PM0145: a `@property` getter that never returns a value, so reading it always gives None
//! (§1.7).

use super::ch01_getattribute_self::Method;
use super::ch01_property_params::{is_abstract, is_getter};
use super::source::def_name;
use super::typing_names::last_name;
use super::{Ctx, Kind, Node, Rule};
use crate::syntax::ast::{Constant, Expr, Stmt};
use crate::syntax::span;
use crate::syntax::walk::{walk, Visitor};

pub struct PropertyNoReturn;

const CODE: &str = "PM0145";

/// A statement that only marks an unfinished body: a docstring, `pass` or `...`.
fn is_stub(s: &Stmt) -> bool {
    match s {
        Stmt::Pass(_) => true,
        Stmt::Expr(e) => matches!(
            &*e.value,
            Expr::Constant(c) if matches!(c.value, Constant::Str(_) | Constant::Ellipsis)
        ),
        _ => false,
    }
}

/// True when the body returns a value somewhere, or is a generator.
fn returns_value(body: &[Stmt]) -> bool {
    struct V {
        found: bool,
    }
    impl<'a> Visitor<'a> for V {
        fn enter(&mut self, node: Node<'a>) -> bool {
            match node {
                Node::Stmt(
                    Stmt::FunctionDef(_) | Stmt::AsyncFunctionDef(_) | Stmt::ClassDef(_),
                )
                | Node::Expr(Expr::Lambda(_)) => return false,
                Node::Stmt(Stmt::Return(r)) if r.value.is_some() => self.found = true,
                Node::Expr(Expr::Yield(_) | Expr::YieldFrom(_)) => self.found = true,
                _ => {}
            }
            !self.found
        }
        fn leave(&mut self, _node: Node<'a>) {}
    }
    let mut v = V { found: false };
    walk(body, &mut v);
    v.found
}

impl Rule for PropertyNoReturn {
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
        if !is_getter(&m) || m.decorators.iter().any(is_abstract) {
            return;
        }
        if m.body.iter().all(is_stub) || matches!(m.body.last(), Some(Stmt::Raise(_))) {
            return;
        }
        let protocol = m.class.bases.iter().any(|b| {
            let b = match b {
                Expr::Subscript(s) => &*s.value,
                other => other,
            };
            matches!(last_name(b), Some("Protocol" | "ABC"))
        });
        if (protocol
            && m.body
                .iter()
                .all(|s| is_stub(s) || matches!(s, Stmt::Raise(_))))
            || returns_value(m.body)
        {
            return;
        }
        let Node::Stmt(stmt) = node else { return };
        let range = def_name(ctx.source, span(stmt).0, m.decorators, m.name);
        ctx.report(CODE, range, &[("name", m.name)], None);
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{findings, flagged};

    const T: (u8, u8) = (3, 12);

    #[test]
    fn flags_getters_without_a_value() {
        let src = "\
class Temp:
    @property
    def celsius(self):
        self._c * 1.0
    @property
    def kelvin(self):
        if self._c:
            return
        print(self._c)
";
        let found = findings(src, "PM0145", T);
        assert_eq!(flagged(src, &found), ["celsius", "kelvin"]);
        assert_eq!(
            found[0].message,
            "Property `celsius` never returns a value: reading `.celsius` always gives None"
        );
        assert_eq!(found[0].section, "1.7");
    }

    #[test]
    fn silent_on_returns_stubs_and_abstract_getters() {
        let src = "\
class Shape(ABC):
    @property
    @abstractmethod
    def area(self):
        \"\"\"The area.\"\"\"
    @property
    def name(self):
        ...
    @property
    def sides(self):
        raise NotImplementedError
    @property
    def corners(self):
        for c in self._c:
            yield c
    @property
    def size(self):
        def inner():
            return 1
        return inner()
    @size.setter
    def size(self, v):
        self._s = v
    def plain(self):
        pass
";
        assert!(findings(src, "PM0145", T).is_empty());
    }
}
