//! PM1206 (off by default): `raise Exception(...)` or `raise BaseException(...)`: an error
//! callers can only catch together with every other error (§12.6.1).

use super::conc_common::qualified;
use super::typing_names::BlockNames;
use super::{Ctx, Kind, Node, Rule};
use crate::syntax::ast::{Expr, Stmt};
use crate::syntax::span;

pub struct RaiseBaseException;

const CODE: &str = "PM1206";

impl Rule for RaiseBaseException {
    fn code(&self) -> &'static str {
        CODE
    }

    fn kinds(&self) -> &'static [Kind] {
        &[Kind::Raise]
    }

    fn check(&self, node: Node<'_>, ctx: &mut Ctx<'_>) {
        let Node::Stmt(Stmt::Raise(r)) = node else {
            return;
        };
        let Some(exc) = r.exc.as_deref() else { return };
        let class = match exc {
            Expr::Call(c) => &*c.func,
            other => other,
        };
        if !matches!(class, Expr::Name(_) | Expr::Attribute(_)) {
            return;
        }
        let names = BlockNames::of_block(node, ctx);
        let q = qualified(&names, ctx.module, class);
        let shown = match q.as_deref() {
            Some("Exception" | "builtins.Exception") => "Exception",
            Some("BaseException" | "builtins.BaseException") => "BaseException",
            _ => return,
        };
        ctx.report(CODE, span(exc), &[("class", shown)], None);
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{findings, flagged};

    const T: (u8, u8) = (3, 12);

    #[test]
    fn flags_raising_the_base_classes() {
        let src = "\
import builtins

def f(x):
    if x:
        raise Exception('bad x')
    raise BaseException

def g():
    raise builtins.Exception('y') from None
";
        let found = findings(src, "PM1206", T);
        assert_eq!(
            flagged(src, &found),
            [
                "Exception('bad x')",
                "BaseException",
                "builtins.Exception('y')"
            ]
        );
        assert_eq!(
            found[0].message,
            "`raise Exception(...)` gives callers nothing specific to catch: `except Exception` also catches every bug; raise a specific built-in error or one of your own"
        );
        assert_eq!(found[0].section, "12.6.1");
    }

    #[test]
    fn silent_on_specific_or_shadowed_classes() {
        let src = "\
from errors import Exception as Base

class Exception(RuntimeError):
    pass

def f():
    raise ValueError('x')
    raise Exception('local class')
    raise MyError
    raise
";
        assert!(findings(src, "PM1206", T).is_empty());
        let param = "def f(Exception):\n    raise Exception('x')\n";
        assert!(findings(param, "PM1206", T).is_empty());
    }
}
