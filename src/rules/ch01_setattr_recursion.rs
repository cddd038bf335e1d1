//! PM0143: `self.x = ...` inside `__setattr__`, or `del self.x` inside `__delattr__`, which
//! calls the same hook again (§1.6.2).

use super::ch01_getattr_recursion::tests_reading;
use super::ch01_getattribute_self::{is_private, string_constants, Method};
use super::{Ctx, Edit, Fix, Kind, Node, Rule, Safety};
use crate::syntax::ast::{Expr, Stmt};
use crate::syntax::span;
use crate::syntax::walk::{walk, Visitor};

pub struct SetattrRecursion;

const CODE: &str = "PM0143";

impl Rule for SetattrRecursion {
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
        let deleting = match m.name {
            "__setattr__" => false,
            "__delattr__" => true,
            _ => return,
        };
        if !m.decorators.is_empty() {
            return;
        }
        let Some(me) = m.param(0) else { return };
        let handled = string_constants(m.body);
        let tests = m.param(1).map_or(Vec::new(), |n| tests_reading(m.body, n));
        let mut v = Targets {
            me,
            deleting,
            out: Vec::new(),
        };
        walk(m.body, &mut v);
        for (stmt, target, attr) in v.out {
            let at = span(target).0;
            if handled.contains(&attr) || tests.iter().any(|t| *t <= at) {
                continue;
            }
            let fix = if is_private(attr) {
                None
            } else {
                hook_fix(ctx, stmt, attr, deleting)
            };
            let hook = if deleting {
                "__delattr__"
            } else {
                "__setattr__"
            };
            ctx.report(
                CODE,
                span(target),
                &[("self", me), ("attr", attr), ("hook", hook)],
                fix,
            );
        }
    }
}

/// Statements in the hook's body that store to (or delete) `self.<attr>`, outside nested
/// functions, lambdas and classes, with the target expression and the attribute.
struct Targets<'a, 's> {
    me: &'s str,
    deleting: bool,
    out: Vec<(&'a Stmt, &'a Expr, &'a str)>,
}

impl<'a> Targets<'a, '_> {
    fn target(&mut self, stmt: &'a Stmt, t: &'a Expr) {
        match t {
            Expr::Attribute(a) if matches!(&*a.value, Expr::Name(n) if n.id.as_str() == self.me) => {
                self.out.push((stmt, t, a.attr.as_str()))
            }
            Expr::Tuple(x) => x.elts.iter().for_each(|e| self.target(stmt, e)),
            Expr::List(x) => x.elts.iter().for_each(|e| self.target(stmt, e)),
            Expr::Starred(x) => self.target(stmt, &x.value),
            _ => {}
        }
    }
}

impl<'a> Visitor<'a> for Targets<'a, '_> {
    fn enter(&mut self, node: Node<'a>) -> bool {
        let Node::Stmt(s) = node else {
            return true;
        };
        match s {
            Stmt::FunctionDef(_) | Stmt::AsyncFunctionDef(_) | Stmt::ClassDef(_) => return false,
            Stmt::Assign(a) if !self.deleting => a.targets.iter().for_each(|t| self.target(s, t)),
            Stmt::AugAssign(a) if !self.deleting => self.target(s, &a.target),
            Stmt::AnnAssign(a) if !self.deleting && a.value.is_some() => self.target(s, &a.target),
            Stmt::For(f) if !self.deleting => self.target(s, &f.target),
            Stmt::With(w) if !self.deleting => {
                for item in &w.items {
                    if let Some(v) = &item.optional_vars {
                        self.target(s, v);
                    }
                }
            }
            Stmt::Delete(d) if self.deleting => d.targets.iter().for_each(|t| self.target(s, t)),
            _ => {}
        }
        true
    }

    fn leave(&mut self, _node: Node<'a>) {}
}

/// `self.x = value` becomes `super().__setattr__("x", value)`; `del self.x` becomes
/// `super().__delattr__("x")`. Only for a statement with that single target.
fn hook_fix(ctx: &Ctx<'_>, stmt: &Stmt, attr: &str, deleting: bool) -> Option<Fix> {
    let text = match stmt {
        Stmt::Assign(a) if !deleting && a.targets.len() == 1 => {
            if !matches!(&a.targets[0], Expr::Attribute(_)) {
                return None;
            }
            let (s, e) = span(&*a.value);
            let value = ctx.source.get(s..e)?;
            let value = match &*a.value {
                Expr::Tuple(_) | Expr::Yield(_) | Expr::YieldFrom(_) | Expr::NamedExpr(_) => {
                    format!("({value})")
                }
                _ => value.to_string(),
            };
            format!("super().__setattr__(\"{attr}\", {value})")
        }
        Stmt::Delete(d) if deleting && d.targets.len() == 1 => {
            format!("super().__delattr__(\"{attr}\")")
        }
        _ => return None,
    };
    let (s, e) = span(stmt);
    let method = if deleting {
        "__delattr__"
    } else {
        "__setattr__"
    };
    Some(ctx.fix(
        CODE,
        &[("attr", attr), ("hook", method)],
        Safety::Unsafe,
        vec![Edit {
            start: s,
            end: e,
            text,
        }],
    ))
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{findings, fixed, flagged};

    const T: (u8, u8) = (3, 12);

    #[test]
    fn flags_self_stores_and_deletes() {
        let src = "\
class Tracked:
    def __setattr__(self, name, value):
        self.changed = True
        self.count += 1
        super().__setattr__(name, value)
    def __delattr__(self, name):
        del self.cache
        object.__delattr__(self, name)
";
        let found = findings(src, "PM0143", T);
        assert_eq!(
            flagged(src, &found),
            ["self.changed", "self.count", "self.cache"]
        );
        assert_eq!(
            found[0].message,
            "`self.changed` in `__setattr__` calls `__setattr__` again: without a branch for `changed` it recurses until RecursionError"
        );
        assert_eq!(found[0].section, "1.6.2");
    }

    #[test]
    fn silent_on_the_right_calls() {
        let src = "\
class Frozen:
    def __setattr__(self, name, value):
        if name == 'log':
            super().__setattr__(name, value)
            return
        object.__setattr__(self, name, value)
        self.__dict__['changed'] = True
        self.log = name
        del self.tmp
        if name.startswith('_'):
            self.hidden = True
    def __delattr__(self, name):
        self.deleted = name
        object.__delattr__(self, name)
    def save(self):
        self.x = 1
";
        assert!(findings(src, "PM0143", T).is_empty());
    }

    #[test]
    fn fix_calls_super() {
        assert_eq!(
            fixed(
                "class A:\n    def __setattr__(self, name, value):\n        self.dirty = 1, 2\n",
                "PM0143",
                T
            ),
            "class A:\n    def __setattr__(self, name, value):\n        super().__setattr__(\"dirty\", (1, 2))\n"
        );
        assert_eq!(
            fixed(
                "class A:\n    def __delattr__(self, name):\n        del self.cache\n",
                "PM0143",
                T
            ),
            "class A:\n    def __delattr__(self, name):\n        super().__delattr__(\"cache\")\n"
        );
    }
}
