//! PM1104: an exception class whose `__init__` passes `super().__init__()` other arguments
//! than it received: `self.args` no longer matches the signature, and unpickling, which calls
//! the class with `*self.args`, fails or rebuilds a different exception (§11.10.2).

use super::thread_util::scan_all;
use super::typing_names::text;
use super::{Ctx, Kind, Node, Rule};
use crate::syntax::ast::{self, Expr, Stmt};
use crate::syntax::facts::dotted;
use crate::syntax::span;

pub struct ExceptionArgsPickle;

const CODE: &str = "PM1104";

/// True for a base name that is an exception class by Python's naming (`ValueError`,
/// `Exception`, `requests.HTTPError`, `UserWarning`).
fn exception_name(dotted: &str) -> bool {
    let n = dotted.rsplit('.').next().unwrap_or(dotted);
    n == "BaseException"
        || n.ends_with("Exception")
        || n.ends_with("Error")
        || n.ends_with("Warning")
        || matches!(
            n,
            "KeyboardInterrupt" | "SystemExit" | "GeneratorExit" | "StopIteration"
        )
}

/// True when the class derives from an exception, directly or through classes of this module.
fn is_exception(ctx: &Ctx<'_>, c: &ast::StmtClassDef) -> bool {
    c.bases
        .iter()
        .filter_map(dotted)
        .any(|b| exception_name(&b))
        || ctx
            .module
            .ancestors(c.name.as_str())
            .iter()
            .any(|(_, a)| a.bases.iter().any(|b| exception_name(b)))
}

/// The call to the parent's `__init__` in `body`: `super().__init__(...)` or
/// `Base.__init__(self, ...)`; the arguments after `self` for the latter.
fn parent_init(body: &[Stmt]) -> Option<(&ast::ExprCall, usize)> {
    let mut found = None;
    scan_all(body, |n| {
        let Node::Expr(Expr::Call(c)) = n else { return };
        let Expr::Attribute(a) = &*c.func else { return };
        if a.attr.as_str() != "__init__" || found.is_some() {
            return;
        }
        match &*a.value {
            Expr::Call(s) if matches!(&*s.func, Expr::Name(x) if x.id.as_str() == "super") => {
                found = Some((c, 0))
            }
            Expr::Name(_) | Expr::Attribute(_) if matches!(c.args.first(), Some(Expr::Name(x)) if x.id.as_str() == "self") => {
                found = Some((c, 1))
            }
            _ => {}
        }
    });
    found
}

impl Rule for ExceptionArgsPickle {
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
        // A class that says how to pickle itself is not our business.
        let defines = |name: &str| {
            c.body.iter().any(|s| match s {
                Stmt::FunctionDef(f) => f.name.as_str() == name,
                _ => false,
            })
        };
        if defines("__reduce__") || defines("__reduce_ex__") || !is_exception(ctx, c) {
            return;
        }
        let Some(init) = c.body.iter().find_map(|s| match s {
            Stmt::FunctionDef(f) if f.name.as_str() == "__init__" => Some(f),
            _ => None,
        }) else {
            return;
        };
        let a = &init.args;
        let positional: Vec<&ast::ArgWithDefault> = a.posonlyargs.iter().chain(&a.args).collect();
        let Some((_, params)) = positional.split_first() else {
            return;
        };
        let required_kw = a.kwonlyargs.iter().any(|k| k.default.is_none());
        if params.is_empty() && !required_kw {
            return;
        }
        let Some((call, skip)) = parent_init(&init.body) else {
            return;
        };
        // `self.args = (...)` afterwards puts the constructor's arguments back.
        let mut sets_args = false;
        scan_all(&init.body, |n| {
            if let Node::Expr(Expr::Attribute(x)) = n {
                sets_args |= x.attr.as_str() == "args"
                    && x.ctx == ast::ExprContext::Store
                    && matches!(&*x.value, Expr::Name(s) if s.id.as_str() == "self");
            }
        });
        if sets_args {
            return;
        }
        if call.keywords.iter().any(|k| k.arg.is_none()) {
            return;
        }
        let passed: Vec<&Expr> = call.args.iter().skip(skip).collect();
        let mut expected: Vec<String> = params.iter().map(|p| p.def.arg.to_string()).collect();
        if let Some(v) = &a.vararg {
            expected.push(format!("*{}", v.arg.as_str()));
        }
        let got: Vec<&str> = passed.iter().map(|e| text(ctx.source, *e)).collect();
        if !required_kw && call.keywords.is_empty() && got == expected {
            return;
        }
        let class = c.name.as_str();
        ctx.report(CODE, span(call), &[("class", class)], None);
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{findings, flagged};

    const T: (u8, u8) = (3, 12);
    const C: &str = "PM1104";

    #[test]
    fn flags_an_init_that_rewrites_its_args() {
        let src = "class QuotaError(Exception):\n    def __init__(self, user, limit):\n        super().__init__(f\"{user} is over {limit}\")\n        self.user = user\n\nclass Base(ValueError):\n    pass\n\nclass Sub(Base):\n    def __init__(self, code, *, hint):\n        Base.__init__(self, code)\n";
        let found = findings(src, C, T);
        assert_eq!(
            flagged(src, &found),
            [
                "super().__init__(f\"{user} is over {limit}\")",
                "Base.__init__(self, code)"
            ]
        );
        assert_eq!(
            found[0].message,
            "`QuotaError.__init__` hands `super().__init__()` other arguments than its own, so `self.args` no longer matches its parameters: unpickling calls `QuotaError(*self.args)` and fails or builds a different exception"
        );
        assert_eq!(found[0].section, "11.10.2");
    }

    #[test]
    fn silent_when_args_pass_through_or_pickling_is_handled() {
        let src = "class A(Exception):\n    def __init__(self, user, limit):\n        super().__init__(user, limit)\n\nclass B(Exception):\n    def __init__(self, *args):\n        super().__init__(*args)\n\nclass C(Exception):\n    def __init__(self, msg):\n        super().__init__(f'x {msg}')\n    def __reduce__(self):\n        return (C, (self.msg,))\n\nclass G(Exception):\n    def __init__(self, a, b):\n        Exception.__init__(self, f'{a} {b}')\n        self.args = (a, b)\n\nclass D(Exception):\n    def __init__(self):\n        super().__init__('fixed')\n\nclass E(Exception):\n    def __init__(self, user):\n        self.user = user\n\nclass Plain:\n    def __init__(self, user):\n        super().__init__(str(user))\n\nclass F(Exception):\n    def __init__(self, user, limit=3):\n        super().__init__(user, limit)\n";
        assert!(findings(src, C, T).is_empty());
    }
}
