//! PM2001: `logger.exception(..., exc_info=False)` (§20.2). The call's only difference from
//! `error()` is the traceback, and the keyword takes it away again.

use super::log_util::{keyword, log_call};
use super::{Ctx, Kind, Node, Rule};
use crate::syntax::ast::{Constant, Expr};
use crate::syntax::span;

pub struct ExceptionWithoutTraceback;

const CODE: &str = "PM2001";

impl Rule for ExceptionWithoutTraceback {
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
        if !matches!(&*call.func, Expr::Attribute(a) if a.attr.as_str() == "exception") {
            return;
        }
        let Some(k) = keyword(call, "exc_info") else {
            return;
        };
        let off = match &k.value {
            Expr::Constant(c) => match &c.value {
                Constant::Bool(b) => !*b,
                Constant::None => true,
                Constant::Int(i) => i.to_string() == "0",
                _ => false,
            },
            _ => false,
        };
        if !off || log_call(node, ctx).is_none() {
            return;
        }
        ctx.report(CODE, span(k), &[], None);
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{findings, flagged};

    const T: (u8, u8) = (3, 12);

    #[test]
    fn flags_exception_with_traceback_turned_off() {
        let src = "try:\n    run()\nexcept Exception:\n    logger.exception('run failed', exc_info=False)\n    logging.exception('x', exc_info=None)\n";
        let found = findings(src, "PM2001", T);
        assert_eq!(flagged(src, &found), ["exc_info=False", "exc_info=None"]);
        assert_eq!(
            found[0].message,
            "`exception()` with a false `exc_info` logs no traceback, the one thing it adds to `error()`: drop the keyword, or call `error()` if no traceback is wanted"
        );
        assert_eq!(found[0].section, "20.2");
    }

    #[test]
    fn silent_on_tracebacks_kept_and_other_objects() {
        for src in [
            "logger.exception('x')\n",
            "logger.exception('x', exc_info=True)\n",
            "logger.exception('x', exc_info=err)\n",
            "logger.error('x', exc_info=False)\n",
            "future.exception(exc_info=False)\n",
        ] {
            assert!(findings(src, "PM2001", T).is_empty(), "{src}");
        }
    }
}
