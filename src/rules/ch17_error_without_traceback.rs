//! PM1705: `logger.error(...)` inside a broad `except` handler without `exc_info` (§17.4.3).
//! The record says something failed but not where: the traceback is gone once the handler ends.

use super::log_util::{enclosing_handler, has_double_star, is_broad_handler, keyword, log_call};
use super::typing_names::BlockNames;
use super::{Ctx, Edit, Kind, Node, Rule, Safety};
use crate::syntax::ast::{Expr, Stmt};
use crate::syntax::span;

pub struct ErrorWithoutTraceback;

const CODE: &str = "PM1705";

impl Rule for ErrorWithoutTraceback {
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
        if !matches!(&*call.func, Expr::Attribute(a) if a.attr.as_str() == "error") {
            return;
        }
        if keyword(call, "exc_info").is_some() || has_double_star(call) {
            return;
        }
        let Some(handler) = enclosing_handler(node, ctx) else {
            return;
        };
        let names = BlockNames::of_block(node, ctx);
        if !is_broad_handler(handler, &names, ctx) || raises(&handler.body) {
            return;
        }
        if log_call(node, ctx).is_none() {
            return;
        }
        let caught = match &handler.type_ {
            Some(t) => {
                let (s, e) = span(&**t);
                format!("`except {}`", ctx.source.get(s..e).unwrap_or("Exception"))
            }
            None => "a bare `except:`".to_string(),
        };
        let (_, end) = span(&*call.func);
        let start = end - "error".len();
        if ctx.source.get(start..end) != Some("error") {
            return;
        }
        let fix = ctx.fix(
            CODE,
            &[],
            Safety::Unsafe,
            vec![Edit {
                start,
                end,
                text: "exception".into(),
            }],
        );
        ctx.report(CODE, span(call), &[("caught", &caught)], Some(fix));
    }
}

/// True when the handler raises somewhere in its own scope: the exception (or one chained to
/// it) travels on with its traceback.
fn raises(body: &[Stmt]) -> bool {
    super::conc_common::any_in_scope(body, |n| matches!(n, Node::Stmt(Stmt::Raise(_))))
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{findings, fixed, flagged};

    const T: (u8, u8) = (3, 12);

    #[test]
    fn flags_error_logs_in_broad_handlers() {
        let src = "def f():\n    try:\n        run()\n    except Exception as e:\n        logger.error('run failed: %s', e)\n    try:\n        run()\n    except:\n        logging.error('run failed')\n    try:\n        run()\n    except (OSError, BaseException):\n        if x:\n            self.log.error('run failed')\n";
        let found = findings(src, "PM1705", T);
        assert_eq!(
            flagged(src, &found),
            [
                "logger.error('run failed: %s', e)",
                "logging.error('run failed')",
                "self.log.error('run failed')"
            ]
        );
        assert_eq!(
            found[0].message,
            "`error()` inside `except Exception` logs no traceback: call `exception()` or pass `exc_info=True`"
        );
        assert_eq!(found[1].message, "`error()` inside a bare `except:` logs no traceback: call `exception()` or pass `exc_info=True`");
        assert_eq!(found[0].section, "17.4.3");
    }

    #[test]
    fn silent_with_traceback_narrow_handlers_or_outside_handlers() {
        for src in [
            "try:\n    run()\nexcept Exception:\n    logger.error('x', exc_info=True)\n",
            "try:\n    run()\nexcept Exception:\n    logger.exception('x')\n",
            "try:\n    run()\nexcept Exception:\n    logger.error('x', **kw)\n",
            "try:\n    run()\nexcept KeyError:\n    logger.error('missing key')\n",
            "try:\n    run()\nexcept Exception:\n    logger.error('x')\n    raise\n",
            "try:\n    run()\nexcept Exception as e:\n    logger.error('x')\n    raise Wrapped() from e\n",
            "try:\n    logger.error('x')\nexcept Exception:\n    pass\n",
            "logger.error('x')\n",
            "try:\n    run()\nexcept Exception:\n    def later():\n        logger.error('x')\n",
            "try:\n    run()\nexcept Exception:\n    parser.error('bad')\n",
            "class Exception(Base):\n    pass\ntry:\n    run()\nexcept Exception:\n    logger.error('x')\n",
        ] {
            assert!(findings(src, "PM1705", T).is_empty(), "{src}");
        }
    }

    #[test]
    fn fix_calls_exception() {
        assert_eq!(
            fixed(
                "try:\n    run()\nexcept Exception as e:\n    log.error('failed: %s', e)\n",
                "PM1705",
                T
            ),
            "try:\n    run()\nexcept Exception as e:\n    log.exception('failed: %s', e)\n"
        );
    }
}
