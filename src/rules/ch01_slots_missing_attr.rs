//! PM0129: `self.attr = ...` in a method of a class whose literal `__slots__` neither lists
//! `attr` nor `__dict__`, so the assignment raises AttributeError (§1.4).

use super::ch01_slot_conflict::{class_bindings, literal_slots, mangle};
use super::{Ctx, Kind, Node, Rule};
use crate::syntax::ast::{Expr, Stmt, StmtClassDef};
use crate::syntax::span;
use crate::syntax::walk::{walk, Visitor};

pub struct SlotsMissingAttr;

const CODE: &str = "PM0129";

/// Attribute stores `self.x` in one method body, outside nested scopes.
struct Stores<'a> {
    this: &'a str,
    out: Vec<&'a Expr>,
}

impl<'a> Visitor<'a> for Stores<'a> {
    fn enter(&mut self, node: Node<'a>) -> bool {
        let targets: Vec<&'a Expr> = match node {
            Node::Stmt(Stmt::FunctionDef(_) | Stmt::AsyncFunctionDef(_) | Stmt::ClassDef(_))
            | Node::Expr(Expr::Lambda(_)) => return false,
            Node::Stmt(Stmt::Assign(a)) => a.targets.iter().collect(),
            Node::Stmt(Stmt::AugAssign(a)) => vec![&*a.target],
            Node::Stmt(Stmt::AnnAssign(a)) if a.value.is_some() => vec![&*a.target],
            _ => return true,
        };
        for t in targets {
            self.collect(t);
        }
        true
    }
    fn leave(&mut self, _node: Node<'a>) {}
}

impl<'a> Stores<'a> {
    fn collect(&mut self, t: &'a Expr) {
        match t {
            Expr::Attribute(a) if matches!(&*a.value, Expr::Name(n) if n.id.as_str() == self.this) => {
                self.out.push(t)
            }
            Expr::Tuple(x) => x.elts.iter().for_each(|e| self.collect(e)),
            Expr::List(x) => x.elts.iter().for_each(|e| self.collect(e)),
            Expr::Starred(x) => self.collect(&x.value),
            _ => {}
        }
    }
}

/// Bases that cannot add a `__dict__`: none, or `object`.
fn plain_bases(class: &StmtClassDef) -> bool {
    class
        .bases
        .iter()
        .all(|b| matches!(b, Expr::Name(n) if n.id.as_str() == "object"))
        && class.keywords.is_empty()
        && class.decorator_list.is_empty()
}

impl Rule for SlotsMissingAttr {
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
        if !plain_bases(class) {
            return;
        }
        let Some(slots) = literal_slots(class) else {
            return;
        };
        let cname = class.name.as_str();
        if slots.iter().any(|s| s == "__dict__") {
            return;
        }
        let slots: Vec<String> = slots.iter().map(|s| mangle(cname, s)).collect();
        let bound: Vec<String> = class_bindings(ctx.source, class)
            .into_iter()
            .map(|(n, _)| mangle(cname, &n))
            .collect();
        // A class that routes attribute writes itself may store them anywhere.
        if bound.iter().any(|n| n == "__setattr__") {
            return;
        }
        for s in &class.body {
            let (args, body, decorators) = match s {
                Stmt::FunctionDef(f) => (&*f.args, &f.body, &f.decorator_list),
                Stmt::AsyncFunctionDef(f) => (&*f.args, &f.body, &f.decorator_list),
                _ => continue,
            };
            if !decorators.is_empty() {
                continue;
            }
            let Some(this) = args.posonlyargs.iter().chain(&args.args).next() else {
                continue;
            };
            let mut v = Stores {
                this: this.def.arg.as_str(),
                out: Vec::new(),
            };
            walk(body, &mut v);
            for t in v.out {
                let Expr::Attribute(a) = t else { continue };
                let attr = a.attr.as_str();
                let m = mangle(cname, attr);
                if (attr.starts_with("__") && attr.ends_with("__"))
                    || slots.contains(&m)
                    || bound.contains(&m)
                {
                    continue;
                }
                let code = ctx.source.get(span(t).0..span(t).1).unwrap_or(attr);
                ctx.report(
                    CODE,
                    span(t),
                    &[("attr", attr), ("class", cname), ("code", code)],
                    None,
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{findings, flagged};

    const T: (u8, u8) = (3, 12);

    #[test]
    fn flags_attributes_missing_from_slots() {
        let src = "class Point:\n    __slots__ = ('x', 'y')\n    def __init__(self, x, y):\n        self.x = x\n        self.y = y\n        self.z = 0\n    def move(this, dx):\n        this.x, this.label = dx, 'moved'\n        this.count += 1\n";
        let found = findings(src, "PM0129", T);
        assert_eq!(flagged(src, &found), ["self.z", "this.label", "this.count"]);
        assert_eq!(
            found[0].message,
            "`self.z` is assigned, but `Point.__slots__` lists neither `z` nor `__dict__`: the assignment raises AttributeError"
        );
        assert_eq!(found[0].section, "1.4");
    }

    #[test]
    fn silent_when_the_attribute_can_be_stored() {
        let src = "class A:\n    __slots__ = ('x', '__dict__')\n    def f(self):\n        self.y = 1\n\nclass B(Base):\n    __slots__ = ('x',)\n    def f(self):\n        self.y = 1\n\nclass C:\n    __slots__ = ('_value', '__secret')\n    @property\n    def value(self):\n        return self._value\n    @value.setter\n    def value(self, v):\n        self._value = v\n    def f(self):\n        self.value = 2\n        self.__secret = 1\n        self.__class__ = C\n\nclass D:\n    __slots__ = ()\n    def __setattr__(self, k, v):\n        pass\n    def f(self):\n        self.y = 1\n\nclass E:\n    __slots__ = 'x'\n    @classmethod\n    def make(cls):\n        cls.registry = {}\n    def f(self):\n        def inner(self):\n            self.y = 1\n        other.y = 2\n\nclass F:\n    def f(self):\n        self.y = 1\n";
        assert!(findings(src, "PM0129", T).is_empty());
    }
}
