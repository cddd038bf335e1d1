//! PM0104: `raise NotImplemented`, which raises a TypeError about the raise itself, where
//! `NotImplementedError` was meant (§1.3.3).

use super::{Ctx, Edit, Kind, Node, Rule, Safety};
use crate::syntax::ast::{Expr, Stmt};
use crate::syntax::span;

pub struct RaiseNotImplemented;

const CODE: &str = "PM0104";

impl Rule for RaiseNotImplemented {
    fn code(&self) -> &'static str {
        CODE
    }

    fn kinds(&self) -> &'static [Kind] {
        &[Kind::Raise]
    }

    fn check(&self, node: Node<'_>, ctx: &mut Ctx<'_>) {
        let Node::Stmt(Stmt::Raise(raise)) = node else {
            return;
        };
        let Some(exc) = &raise.exc else {
            return;
        };
        let name = match &**exc {
            Expr::Call(c) => &*c.func,
            other => other,
        };
        let Expr::Name(n) = name else {
            return;
        };
        if n.id.as_str() != "NotImplemented" {
            return;
        }
        let (start, end) = span(name);
        let fix = ctx.fix(
            CODE,
            &[],
            Safety::Safe,
            vec![Edit {
                start,
                end,
                text: "NotImplementedError".into(),
            }],
        );
        ctx.report(CODE, (start, end), &[], Some(fix));
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{findings, fixed, flagged};

    const T: (u8, u8) = (3, 12);

    #[test]
    fn flags_the_constant_raised_or_called() {
        let src = "def area(self):\n    raise NotImplemented\n\ndef grow(self):\n    raise NotImplemented('subclasses grow') from None\n";
        let found = findings(src, "PM0104", T);
        assert_eq!(flagged(src, &found), ["NotImplemented", "NotImplemented"]);
        assert_eq!(
            found[0].message,
            "`NotImplemented` is a value for binary operators to return, not an exception: raising it fails with TypeError; raise `NotImplementedError`"
        );
        assert_eq!(found[0].section, "1.3.3");
    }

    #[test]
    fn silent_on_the_exception_and_on_returning_the_constant() {
        let src = "def f(self):\n    raise NotImplementedError\n\ndef __eq__(self, other):\n    return NotImplemented\n\ndef g():\n    raise\n\ndef h():\n    raise errors.NotImplemented\n";
        assert!(findings(src, "PM0104", T).is_empty());
    }

    #[test]
    fn fix_names_the_exception() {
        assert_eq!(
            fixed("def f():\n    raise NotImplemented\n", "PM0104", T),
            "def f():\n    raise NotImplementedError\n"
        );
        assert_eq!(
            fixed("def f():\n    raise NotImplemented('todo')\n", "PM0104", T),
            "def f():\n    raise NotImplementedError('todo')\n"
        );
    }
}
