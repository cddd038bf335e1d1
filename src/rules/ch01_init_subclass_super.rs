//! PM0150: an `__init_subclass__` that never calls the next `__init_subclass__` in the MRO, so
//! other bases in a multiple-inheritance hierarchy never hear about new subclasses (§1.8).

use super::source::{def_name, indentation, next_line_start, starts_line};
use super::{Ctx, Edit, Fix, Kind, Node, Rule, Safety, Scope};
use crate::syntax::ast::{Expr, Stmt, StmtFunctionDef};
use crate::syntax::span;
use crate::syntax::walk::{walk, Visitor};

pub struct InitSubclassSuper;

const CODE: &str = "PM0150";

impl Rule for InitSubclassSuper {
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
        if f.name.as_str() != "__init_subclass__" || !matches!(ctx.scope(), Scope::Class(_)) {
            return;
        }
        // A hook that ends by raising forbids subclassing: there is no chain to continue.
        if matches!(f.body.last(), Some(Stmt::Raise(_))) {
            return;
        }
        let mut seen = Seen {
            hook: false,
            returns: false,
        };
        walk(&f.body, &mut seen);
        if seen.hook {
            return;
        }
        let fix = if seen.returns {
            None
        } else {
            append_fix(ctx, def, f)
        };
        let range = def_name(
            ctx.source,
            span(def).0,
            &f.decorator_list,
            "__init_subclass__",
        );
        ctx.report(CODE, range, &[], fix);
    }
}

/// Looks for any use of an attribute named `__init_subclass__` (a `super()` call, an explicit
/// `Base.__init_subclass__(...)`, a bound method kept in a variable) and for `return`
/// statements of the function itself.
struct Seen {
    hook: bool,
    returns: bool,
}

impl<'a> Visitor<'a> for Seen {
    fn enter(&mut self, node: Node<'a>) -> bool {
        match node {
            Node::Expr(Expr::Attribute(a)) if a.attr.as_str() == "__init_subclass__" => {
                self.hook = true;
            }
            Node::Stmt(Stmt::Return(_)) => self.returns = true,
            // A nested function's `return` does not end this one.
            Node::Stmt(Stmt::FunctionDef(_) | Stmt::AsyncFunctionDef(_) | Stmt::ClassDef(_)) => {
                let mut inner = Seen {
                    hook: false,
                    returns: false,
                };
                if let Node::Stmt(s) = node {
                    walk(std::slice::from_ref(s), &mut InnerHook(&mut inner));
                }
                self.hook |= inner.hook;
                return false;
            }
            _ => {}
        }
        true
    }

    fn leave(&mut self, _node: Node<'a>) {}
}

/// Inside a nested definition only the hook counts.
struct InnerHook<'s>(&'s mut Seen);

impl<'a> Visitor<'a> for InnerHook<'_> {
    fn enter(&mut self, node: Node<'a>) -> bool {
        if let Node::Expr(Expr::Attribute(a)) = node {
            if a.attr.as_str() == "__init_subclass__" {
                self.0.hook = true;
            }
        }
        true
    }

    fn leave(&mut self, _node: Node<'a>) {}
}

/// Appends `super().__init_subclass__(**kwargs)` (or without arguments when the signature
/// has no `**`) as the last statement of the body.
fn append_fix(ctx: &Ctx<'_>, def: &Stmt, f: &StmtFunctionDef) -> Option<Fix> {
    let src = ctx.source;
    let nl = ctx.newline();
    let first = f.body.first()?;
    let last = f.body.last()?;
    // A body on the `def` line has no indentation to copy.
    if !starts_line(src, span(first).0) || span(first).0 <= span(def).0 {
        return None;
    }
    let indent = indentation(src, span(first).0);
    let call = match &f.args.kwarg {
        Some(k) => format!("super().__init_subclass__(**{})", k.arg.as_str()),
        None => "super().__init_subclass__()".to_string(),
    };
    let at = next_line_start(src, span(last).1);
    let lead = if at == src.len() && !src.ends_with(['\n', '\r']) {
        nl
    } else {
        ""
    };
    let edit = Edit {
        start: at,
        end: at,
        text: format!("{lead}{indent}{call}{nl}"),
    };
    Some(ctx.fix(CODE, &[("call", &call)], Safety::Unsafe, vec![edit]))
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{findings, fixed, flagged};

    const T: (u8, u8) = (3, 12);

    #[test]
    fn flags_hook_without_super() {
        let src = "class Plugin:\n    registry = []\n\n    def __init_subclass__(cls, **kwargs):\n        Plugin.registry.append(cls)\n";
        let found = findings(src, "PM0150", T);
        assert_eq!(flagged(src, &found), ["__init_subclass__"]);
        assert_eq!(
            found[0].message,
            "`__init_subclass__` never calls `super().__init_subclass__()`: the next class in the MRO never sees this subclass, nor any class keywords meant for it"
        );
        assert_eq!(found[0].section, "1.8");
    }

    #[test]
    fn silent_when_super_or_explicit_base_is_called() {
        let src = "class A:\n    def __init_subclass__(cls, /, tag=None, **kw):\n        super().__init_subclass__(**kw)\n        cls.tag = tag\n\nclass B(Base):\n    def __init_subclass__(cls):\n        Base.__init_subclass__.__func__(cls)\n\nclass C:\n    def __init_subclass__(cls, **kw):\n        def later():\n            super(C, cls).__init_subclass__(**kw)\n        later()\n";
        assert!(findings(src, "PM0150", T).is_empty());
    }

    #[test]
    fn silent_outside_a_class_and_for_other_methods() {
        let src = "def __init_subclass__(cls):\n    pass\n\nclass Final:\n    def __init_subclass__(cls, **kw):\n        \"\"\"No.\"\"\"\n        raise TypeError('final')\n\nclass D:\n    def __init__(self):\n        pass\n    def init_subclass(cls):\n        pass\n";
        assert!(findings(src, "PM0150", T).is_empty());
    }

    #[test]
    fn fix_passes_kwargs_on() {
        assert_eq!(
            fixed(
                "class P:\n    def __init_subclass__(cls, /, key=None, **opts):\n        \"\"\"Register.\"\"\"\n        if key:\n            REG[key] = cls\n\n    x = 1\n",
                "PM0150",
                T
            ),
            "class P:\n    def __init_subclass__(cls, /, key=None, **opts):\n        \"\"\"Register.\"\"\"\n        if key:\n            REG[key] = cls\n        super().__init_subclass__(**opts)\n\n    x = 1\n"
        );
    }

    #[test]
    fn fix_without_kwargs_calls_with_no_arguments() {
        assert_eq!(
            fixed(
                "class P:\n    def __init_subclass__(cls):\n        cls.n = 0",
                "PM0150",
                T
            ),
            "class P:\n    def __init_subclass__(cls):\n        cls.n = 0\n        super().__init_subclass__()\n"
        );
    }

    #[test]
    fn no_fix_with_early_return_or_one_line_body() {
        let src = "class P:\n    def __init_subclass__(cls, **kw):\n        if cls.skip:\n            return\n        REG.append(cls)\n\nclass Q:\n    def __init_subclass__(cls): REG.append(cls)\n";
        let found = findings(src, "PM0150", T);
        assert_eq!(found.len(), 2);
        assert!(found.iter().all(|f| f.fix.is_none()));
    }
}
