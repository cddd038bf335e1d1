//! PM0602: a bound method of `self` stored on `self`, or registered as a callback on an object
//! `self` holds: `self` -> attribute -> bound method -> `self`, a reference cycle (§6.3.1).

use super::iter_util::dotted_text;
use super::{Ctx, Kind, Node, Rule};
use crate::syntax::ast::{self, Expr, Stmt};
use crate::syntax::span;

pub struct SelfMethodCycle;

const CODE: &str = "PM0602";

/// The class whose method the node being checked runs in, with the method's first
/// parameter (the instance's name): the innermost scope must be a `def` directly in a class.
fn method_class<'a>(ctx: &Ctx<'a>) -> Option<(&'a ast::StmtClassDef, &'a str)> {
    let mut it = ctx.parents.iter().rev().filter(|p| {
        matches!(
            p,
            Node::Stmt(Stmt::FunctionDef(_) | Stmt::AsyncFunctionDef(_) | Stmt::ClassDef(_))
                | Node::Expr(Expr::Lambda(_))
        )
    });
    let (args, decorators) = match it.next()? {
        Node::Stmt(Stmt::FunctionDef(f)) => (&f.args, &f.decorator_list),
        Node::Stmt(Stmt::AsyncFunctionDef(f)) => (&f.args, &f.decorator_list),
        _ => return None,
    };
    let Node::Stmt(Stmt::ClassDef(c)) = it.next()? else {
        return None;
    };
    if !decorators.is_empty() {
        return None;
    }
    let first = args.posonlyargs.iter().chain(&args.args).next()?;
    Some((c, first.def.arg.as_str()))
}

/// When `e` is `<me>.<name>` and `name` is a plain method of `class`, the method's name.
fn bound_method<'e>(e: &'e Expr, me: &str, class: &ast::StmtClassDef) -> Option<&'e str> {
    let Expr::Attribute(a) = e else { return None };
    if !matches!(&*a.value, Expr::Name(n) if n.id.as_str() == me) {
        return None;
    }
    let name = a.attr.as_str();
    class
        .body
        .iter()
        .any(|s| match s {
            Stmt::FunctionDef(f) => {
                f.name.as_str() == name
                    && f.decorator_list.iter().all(|d| {
                        !matches!(d, Expr::Name(n) if matches!(n.id.as_str(), "staticmethod" | "classmethod" | "property"))
                    })
            }
            Stmt::AsyncFunctionDef(f) => f.name.as_str() == name,
            _ => false,
        })
        .then_some(name)
}

/// True for a method name that registers a callback to be kept.
fn registers(method: &str) -> bool {
    let m = method.to_ascii_lowercase();
    m.starts_with("on_")
        || m.starts_with("add_")
        || [
            "callback",
            "connect",
            "bind",
            "register",
            "subscribe",
            "listener",
            "handler",
        ]
        .iter()
        .any(|k| m.contains(k))
}

impl Rule for SelfMethodCycle {
    fn code(&self) -> &'static str {
        CODE
    }

    fn kinds(&self) -> &'static [Kind] {
        &[Kind::Assign, Kind::Call]
    }

    fn check(&self, node: Node<'_>, ctx: &mut Ctx<'_>) {
        let src = ctx.source;
        match node {
            Node::Stmt(Stmt::Assign(a)) => {
                let [t @ Expr::Attribute(ta)] = &a.targets[..] else {
                    return;
                };
                let Some((class, me)) = method_class(ctx) else {
                    return;
                };
                if !matches!(&*ta.value, Expr::Name(n) if n.id.as_str() == me) {
                    return;
                }
                let Some(m) = bound_method(&a.value, me, class) else {
                    return;
                };
                // `self.run = self.run` style rebinding to itself is odd but the same cycle.
                let place = format!("on `{}`", dotted_text(src, t).unwrap_or(""));
                ctx.report(
                    CODE,
                    span(&*a.value),
                    &[("method", m), ("place", place.as_str())],
                    None,
                );
            }
            Node::Expr(Expr::Call(c)) => {
                let Expr::Attribute(f) = &*c.func else { return };
                if !registers(f.attr.as_str()) {
                    return;
                }
                let Some((class, me)) = method_class(ctx) else {
                    return;
                };
                // The receiver is something `self` holds: `self.button`, `self.a.b`.
                let Expr::Attribute(owner) = &*f.value else {
                    return;
                };
                if super::conc_common::head_name(&owner.value) != Some(me) {
                    return;
                }
                let Some(owner_text) = dotted_text(src, &f.value) else {
                    return;
                };
                let args = c.args.iter().chain(c.keywords.iter().map(|k| &k.value));
                for arg in args {
                    if let Some(m) = bound_method(arg, me, class) {
                        let place = format!("in `{owner_text}` by `{}()`", f.attr.as_str());
                        ctx.report(
                            CODE,
                            span(arg),
                            &[("method", m), ("place", place.as_str())],
                            None,
                        );
                    }
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{findings, flagged};

    const T: (u8, u8) = (3, 12);
    const C: &str = "PM0602";

    #[test]
    fn flags_self_methods_kept_by_self() {
        let src = "class View:\n    def __init__(self, fut):\n        self.on_done = self.refresh\n        self.button.on_click(self.refresh)\n        self.fut.add_done_callback(fn=self.refresh)\n\n    def refresh(self, *a):\n        pass\n";
        let found = findings(src, C, T);
        assert_eq!(
            flagged(src, &found),
            ["self.refresh", "self.refresh", "self.refresh"]
        );
        assert_eq!(
            found[0].message,
            "Bound method `self.refresh` is stored on `self.on_done`: it references `self`, so the object sits in a reference cycle and is freed only when the cyclic garbage collector runs, not as soon as its last reference goes"
        );
        assert!(found[1]
            .message
            .contains("stored in `self.button` by `on_click()`"));
        assert_eq!(found[0].section, "6.3.1");
    }

    #[test]
    fn silent_for_other_objects_and_non_methods() {
        let src = "class View:\n    def __init__(self, other):\n        self.f = other.refresh\n        self.g = self.not_a_method\n        other.on_click(self.refresh)\n        self.items.sort(key=self.refresh)\n        self.h = self.make\n        def inner():\n            self.k = self.refresh\n\n    def refresh(self):\n        pass\n\n    @staticmethod\n    def make():\n        pass\n\ndef free(self):\n    self.a = self.b\n";
        assert!(findings(src, C, T).is_empty());
    }
}
