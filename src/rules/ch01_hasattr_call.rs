//! PM0110: `hasattr(x, "__call__")` as a callability test, where `callable(x)` asks the same
//! question the way the interpreter does (§1.3.5).

use super::{Ctx, Edit, Kind, Node, Rule, Safety};
use crate::syntax::ast::{Constant, Expr};
use crate::syntax::span;

pub struct HasattrCall;

const CODE: &str = "PM0110";

impl Rule for HasattrCall {
    fn code(&self) -> &'static str {
        CODE
    }

    fn kinds(&self) -> &'static [Kind] {
        &[Kind::Call]
    }

    fn check(&self, node: Node<'_>, ctx: &mut Ctx<'_>) {
        let Node::Expr(e @ Expr::Call(call)) = node else {
            return;
        };
        if !matches!(&*call.func, Expr::Name(n) if n.id.as_str() == "hasattr")
            || !call.keywords.is_empty()
        {
            return;
        }
        let [obj, Expr::Constant(name)] = &call.args[..] else {
            return;
        };
        if !matches!(&name.value, Constant::Str(s) if s == "__call__")
            || matches!(obj, Expr::Starred(_))
        {
            return;
        }
        let (s, t) = span(obj);
        let fix = ctx.source.get(s..t).map(|obj_text| {
            let text = match obj {
                Expr::Yield(_) | Expr::YieldFrom(_) => format!("callable(({obj_text}))"),
                _ => format!("callable({obj_text})"),
            };
            ctx.fix(
                CODE,
                &[],
                Safety::Unsafe,
                vec![Edit {
                    start: span(&*call.func).0,
                    end: span(e).1,
                    text,
                }],
            )
        });
        ctx.report(CODE, span(e), &[], fix);
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{findings, fixed, flagged};

    const T: (u8, u8) = (3, 12);

    #[test]
    fn flags_hasattr_with_call() {
        let src = "if hasattr(handler, '__call__'):\n    handler()\nok = not hasattr(obj.cb, \"__call__\")\n";
        let found = findings(src, "PM0110", T);
        assert_eq!(
            flagged(src, &found),
            [
                "hasattr(handler, '__call__')",
                "hasattr(obj.cb, \"__call__\")"
            ]
        );
        assert_eq!(
            found[0].message,
            "`hasattr(x, \"__call__\")` tests for a callable the long way round: use `callable(x)`"
        );
        assert_eq!(found[0].section, "1.3.5");
    }

    #[test]
    fn silent_on_other_attributes_and_shapes() {
        let src = "a = hasattr(x, '__len__')\nb = hasattr(x, name)\nc = obj.hasattr(x, '__call__')\nd = callable(x)\ne = getattr(x, '__call__', None)\n";
        assert!(findings(src, "PM0110", T).is_empty());
    }

    #[test]
    fn fix_calls_callable() {
        assert_eq!(
            fixed("if hasattr(a or b, '__call__'):\n    pass\n", "PM0110", T),
            "if callable(a or b):\n    pass\n"
        );
    }
}
