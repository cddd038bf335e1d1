//! PM0103: `super(Cls, self)` written out inside a method of `Cls` itself, where the
//! zero-argument `super()` finds the same class and instance on its own (§1.2.1).

use super::{Ctx, Edit, Kind, Node, Rule, Safety};
use crate::syntax::ast::{Expr, Stmt, StmtClassDef};
use crate::syntax::span;

pub struct SuperArgs;

const CODE: &str = "PM0103";

/// The method (a `def` whose own scope is a class body) that directly holds the current node,
/// and its class; None when a lambda, comprehension or nested definition comes first.
fn method_and_class<'a>(ctx: &Ctx<'a>) -> Option<(&'a Stmt, &'a StmtClassDef)> {
    let mut it = ctx.parents.iter().rev();
    let method = loop {
        match it.next()? {
            Node::Stmt(s @ (Stmt::FunctionDef(_) | Stmt::AsyncFunctionDef(_))) => break *s,
            Node::Stmt(Stmt::ClassDef(_))
            | Node::Expr(
                Expr::Lambda(_)
                | Expr::ListComp(_)
                | Expr::SetComp(_)
                | Expr::DictComp(_)
                | Expr::GeneratorExp(_),
            ) => return None,
            _ => {}
        }
    };
    for p in it {
        match p {
            Node::Stmt(Stmt::ClassDef(c)) => return Some((method, c)),
            Node::Stmt(Stmt::FunctionDef(_) | Stmt::AsyncFunctionDef(_)) => return None,
            _ => {}
        }
    }
    None
}

/// `@dataclass(slots=True)` builds a new class, so the zero-argument form would see the old one.
fn rebuilds_class(class: &StmtClassDef) -> bool {
    class.decorator_list.iter().any(|d| match d {
        Expr::Call(c) => c.keywords.iter().any(|k| {
            k.arg.as_deref() == Some("slots")
                && !matches!(&k.value, Expr::Constant(v) if matches!(v.value, crate::syntax::ast::Constant::Bool(false)))
        }),
        _ => false,
    })
}

impl Rule for SuperArgs {
    fn code(&self) -> &'static str {
        CODE
    }

    fn kinds(&self) -> &'static [Kind] {
        &[Kind::Call]
    }

    fn check(&self, node: Node<'_>, ctx: &mut Ctx<'_>) {
        let Node::Expr(Expr::Call(call)) = node else {
            return;
        };
        let Expr::Name(func) = &*call.func else {
            return;
        };
        if func.id.as_str() != "super" || !call.keywords.is_empty() {
            return;
        }
        let [Expr::Name(cls), Expr::Name(obj)] = &call.args[..] else {
            return;
        };
        let Some((method, class)) = method_and_class(ctx) else {
            return;
        };
        let (args, body, decorators) = match method {
            Stmt::FunctionDef(f) => (&*f.args, &f.body, &f.decorator_list),
            Stmt::AsyncFunctionDef(f) => (&*f.args, &f.body, &f.decorator_list),
            _ => return,
        };
        // Only in the body: decorators and defaults are evaluated outside the method.
        if body.first().is_none_or(|b| span(call).0 < span(b).0) {
            return;
        }
        let is_static = decorators
            .iter()
            .any(|d| matches!(d, Expr::Name(n) if n.id.as_str() == "staticmethod"));
        let first = args.posonlyargs.iter().chain(&args.args).next();
        if is_static
            || cls.id.as_str() != class.name.as_str()
            || first.is_none_or(|a| a.def.arg.as_str() != obj.id.as_str())
            || rebuilds_class(class)
        {
            return;
        }
        let (_, end) = span(call);
        let fix = ctx.fix(
            CODE,
            &[],
            Safety::Safe,
            vec![Edit {
                start: span(&*call.func).1,
                end,
                text: "()".into(),
            }],
        );
        let args = [("class", cls.id.as_str()), ("obj", obj.id.as_str())];
        ctx.report(CODE, span(call), &args, Some(fix));
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{findings, fixed, flagged};

    const T: (u8, u8) = (3, 12);

    #[test]
    fn flags_the_class_and_first_parameter_spelled_out() {
        let src = "class Shape(Base):\n    def __init__(self, w):\n        super(Shape, self).__init__()\n        if w:\n            super(Shape, self).grow(w)\n\n    @classmethod\n    def make(cls):\n        return super(Shape, cls).make()\n\n    async def run(me):\n        await super(Shape, me).run()\n";
        let found = findings(src, "PM0103", T);
        assert_eq!(
            flagged(src, &found),
            [
                "super(Shape, self)",
                "super(Shape, self)",
                "super(Shape, cls)",
                "super(Shape, me)"
            ]
        );
        assert_eq!(
            found[0].message,
            "`super(Shape, self)` repeats what Python already knows inside a method of `Shape`: write `super()`"
        );
        assert_eq!(found[0].section, "1.2.1");
    }

    #[test]
    fn silent_where_the_arguments_carry_information() {
        for src in [
            // skipping a level of the MRO on purpose
            "class B(A):\n    def f(self):\n        return super(A, self).f()\n",
            // outside any method
            "x = super(B, obj)\n",
            "def f(self):\n    return super(B, self).f()\n",
            // the object is not the first parameter
            "class B(A):\n    def f(self, other):\n        return super(B, other).f()\n",
            // a nested function or lambda has no `__class__` cell of its own
            "class B(A):\n    def f(self):\n        def g():\n            return super(B, self).f()\n        return g\n",
            "class B(A):\n    def f(self):\n        return lambda: super(B, self).f()\n",
            "class B(A):\n    def f(self):\n        return [super(B, self).f() for _ in ()]\n",
            // a static method has no implicit first argument
            "class B(A):\n    @staticmethod\n    def f(self):\n        return super(B, self).f()\n",
            // a slots dataclass is rebuilt, so `super()` would see the discarded class
            "@dataclass(slots=True)\nclass B(A):\n    def f(self):\n        return super(B, self).f()\n",
            "class B(A):\n    def f(self):\n        return super().f()\n",
        ] {
            assert!(findings(src, "PM0103", T).is_empty(), "{src}");
        }
    }

    #[test]
    fn fix_drops_the_arguments() {
        assert_eq!(
            fixed(
                "class B(A):\n    def f(self):\n        return super( B,\n self ).f()\n",
                "PM0103",
                T
            ),
            "class B(A):\n    def f(self):\n        return super().f()\n"
        );
    }
}
