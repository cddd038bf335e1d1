//! PM0505: a metaclass whose `__new__` never calls `super().__new__` (or builds the class with
//! `type(name, bases, ns)`), so the classes it makes are not instances of it (§5.11.a4).

use super::source::def_name;
use super::{Ctx, Kind, Node, Rule};
use crate::syntax::ast::{Expr, Stmt};
use crate::syntax::span;
use crate::syntax::walk::{walk, Visitor};

pub struct MetaclassNewNoSuper;

const CODE: &str = "PM0505";

#[derive(Default)]
struct Calls {
    /// Some `X.__new__(...)` call: `super().__new__`, `type.__new__`, `Base.__new__`.
    dunder_new: bool,
    /// A three-argument `type(...)` call.
    type_call: bool,
}

impl<'a> Visitor<'a> for Calls {
    fn enter(&mut self, node: Node<'a>) -> bool {
        if let Node::Expr(Expr::Call(c)) = node {
            match &*c.func {
                Expr::Attribute(a) if a.attr.as_str() == "__new__" => self.dunder_new = true,
                Expr::Name(n) if n.id.as_str() == "type" && c.args.len() == 3 => {
                    self.type_call = true
                }
                _ => {}
            }
        }
        true
    }
    fn leave(&mut self, _node: Node<'a>) {}
}

impl Rule for MetaclassNewNoSuper {
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
        let derives_type = c.bases.iter().any(|b| {
            matches!(b, Expr::Name(n) if n.id.as_str() == "type")
                && ctx.module.class("type").is_none()
        });
        if !derives_type {
            return;
        }
        for st in &c.body {
            let Stmt::FunctionDef(f) = st else { continue };
            if f.name.as_str() != "__new__" {
                continue;
            }
            let mut calls = Calls::default();
            walk(&f.body, &mut calls);
            if calls.dunder_new {
                continue;
            }
            let what = if calls.type_call {
                "builds the class with `type(...)`"
            } else {
                "never calls `super().__new__`"
            };
            let range = def_name(ctx.source, span(st).0, &f.decorator_list, "__new__");
            ctx.report(
                CODE,
                range,
                &[("meta", c.name.as_str()), ("what", what)],
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
    fn flags_new_without_super() {
        let src = "class Registry(type):\n    def __new__(mcs, name, bases, ns):\n        ns['tag'] = name\n        return type(name, bases, ns)\n";
        let found = findings(src, "PM0505", T);
        assert_eq!(flagged(src, &found), ["__new__"]);
        assert_eq!(
            found[0].message,
            "`Registry.__new__` builds the class with `type(...)`: the class it returns is not an instance of `Registry`, so `Registry.__init__`, its methods and its effect on subclasses are lost"
        );
        assert_eq!(found[0].section, "5.11.a4");
    }

    #[test]
    fn silent_with_super_or_no_new() {
        let src = "class A(type):\n    def __new__(mcs, name, bases, ns):\n        return super().__new__(mcs, name, bases, ns)\nclass B(type):\n    def __new__(mcs, *a):\n        return type.__new__(mcs, *a)\nclass C(type):\n    def __init__(cls, *a):\n        pass\nclass D(Base):\n    def __new__(cls):\n        return object()\n";
        assert!(findings(src, "PM0505", T).is_empty());
    }
}
