//! PM0506: a class decorator (a top-level function taking `cls` and changing that class) that
//! does not return the class: the decorated name becomes None, a function or an instance
//! (§5.11.a3).

use super::iter_util::scan;
use super::source::def_name;
use super::{Ctx, Kind, Node, Rule};
use crate::syntax::ast::{Expr, ExprContext, Stmt};
use crate::syntax::span;

pub struct ClassDecoratorReturn;

const CODE: &str = "PM0506";

/// True when the statements change the class `cls`: `cls.x = ...`, `setattr(cls, ...)`,
/// `del cls.x`.
fn changes_class(body: &[Stmt], cls: &str) -> bool {
    let is_cls = |e: &Expr| matches!(e, Expr::Name(n) if n.id.as_str() == cls);
    let mut found = false;
    scan(body, |n| match n {
        Node::Expr(Expr::Attribute(a)) if a.ctx != ExprContext::Load && is_cls(&a.value) => {
            found = true
        }
        Node::Expr(Expr::Call(c)) => {
            found |= matches!(&*c.func, Expr::Name(f) if matches!(f.id.as_str(), "setattr" | "delattr"))
                && c.args.first().is_some_and(is_cls);
        }
        _ => {}
    });
    found
}

impl Rule for ClassDecoratorReturn {
    fn code(&self) -> &'static str {
        CODE
    }

    fn kinds(&self) -> &'static [Kind] {
        &[Kind::FunctionDef]
    }

    fn check(&self, node: Node<'_>, ctx: &mut Ctx<'_>) {
        let Node::Stmt(s @ Stmt::FunctionDef(f)) = node else {
            return;
        };
        // A module-level function, undecorated, whose only parameter is `cls`.
        if !ctx.parents.is_empty() || !f.decorator_list.is_empty() {
            return;
        }
        let a = &f.args;
        let [p] = &a.args[..] else { return };
        if !a.posonlyargs.is_empty()
            || !a.kwonlyargs.is_empty()
            || a.vararg.is_some()
            || a.kwarg.is_some()
            || !matches!(p.def.arg.as_str(), "cls" | "klass")
        {
            return;
        }
        let cls = p.def.arg.as_str();
        if !changes_class(&f.body, cls) {
            return;
        }
        let mut returns: Vec<&Expr> = Vec::new();
        let mut bare = false;
        let mut yields = false;
        scan(&f.body, |n| match n {
            Node::Stmt(Stmt::Return(r)) => match &r.value {
                Some(v) => returns.push(v),
                None => bare = true,
            },
            Node::Expr(Expr::Yield(_) | Expr::YieldFrom(_)) => yields = true,
            _ => {}
        });
        if yields {
            return;
        }
        let nested_fn = |name: &str| {
            f.body.iter().any(|s| {
                matches!(s, Stmt::FunctionDef(d) if d.name.as_str() == name)
                    || matches!(s, Stmt::AsyncFunctionDef(d) if d.name.as_str() == name)
            })
        };
        let what = if returns.is_empty() {
            // Falls off the end (or only `return`): the decorator returns None.
            "None"
        } else if bare {
            return;
        } else if returns.iter().all(|r| match r {
            Expr::Name(n) => nested_fn(n.id.as_str()),
            _ => false,
        }) {
            "a function"
        } else if returns.iter().all(|r| match r {
            Expr::Call(c) => matches!(&*c.func, Expr::Name(n) if n.id.as_str() == cls),
            _ => false,
        }) {
            "an instance of the class"
        } else {
            return;
        };
        let range = def_name(ctx.source, span(s).0, &f.decorator_list, f.name.as_str());
        ctx.report(
            CODE,
            range,
            &[("func", f.name.as_str()), ("what", what)],
            None,
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{findings, flagged};

    const T: (u8, u8) = (3, 12);
    const C: &str = "PM0506";

    #[test]
    fn flags_class_decorators_that_lose_the_class() {
        let src = "def register(cls):\n    cls.registered = True\n    REGISTRY[cls.__name__] = cls\n\ndef wrap(cls):\n    setattr(cls, 'x', 1)\n    def make(*a):\n        return cls(*a)\n    return make\n\ndef single(cls):\n    cls.instance = None\n    return cls()\n";
        let found = findings(src, C, T);
        assert_eq!(flagged(src, &found), ["register", "wrap", "single"]);
        assert_eq!(
            found[0].message,
            "Class decorator `register` returns None instead of the class: the decorated name is bound to that, so the class is gone and subclassing it, `isinstance` and class attributes no longer work"
        );
        assert!(found[1].message.contains("returns a function"));
        assert!(found[2].message.contains("an instance of the class"));
        assert_eq!(found[0].section, "5.11.a3");
    }

    #[test]
    fn silent_when_the_class_comes_back() {
        let src = "def ok(cls):\n    cls.x = 1\n    return cls\n\ndef maybe(cls):\n    if cls.x:\n        cls.y = 2\n        return cls\n    return None\n\ndef reader(cls):\n    print(cls.__name__)\n\nclass A:\n    def m(cls):\n        cls.x = 1\n\ndef two(cls, x):\n    cls.x = x\n\ndef early(cls):\n    cls.x = 1\n    if cls.y:\n        return\n    return cls\n";
        assert!(findings(src, C, T).is_empty());
    }
}
