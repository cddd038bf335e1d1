//! PM1707: `logging.Logger(...)` called directly (§17.4.1). Such a logger has no parent in the
//! logger tree, so the levels and handlers configured for the application never apply to it.

use super::conc_common::qualified;
use super::typing_names::{last_name, BlockNames};
use super::{Ctx, Kind, Node, Rule};
use crate::syntax::ast::Expr;
use crate::syntax::span;

pub struct LoggerInstantiated;

const CODE: &str = "PM1707";

impl Rule for LoggerInstantiated {
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
        if last_name(&call.func) != Some("Logger") || matches!(&*call.func, Expr::Call(_)) {
            return;
        }
        let names = BlockNames::of_block(node, ctx);
        if qualified(&names, ctx.module, &call.func).as_deref() != Some("logging.Logger") {
            return;
        }
        ctx.report(CODE, span(e), &[], None);
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{findings, flagged};

    const T: (u8, u8) = (3, 12);

    #[test]
    fn flags_direct_logger_construction() {
        let src = "import logging\nfrom logging import Logger\n\nlog = logging.Logger('app')\nother = Logger(__name__, logging.INFO)\n";
        let found = findings(src, "PM1707", T);
        assert_eq!(
            flagged(src, &found),
            ["logging.Logger('app')", "Logger(__name__, logging.INFO)"]
        );
        assert_eq!(
            found[0].message,
            "A `logging.Logger` built directly has no parent in the logger tree, so the application's logging configuration never reaches it: call `logging.getLogger(name)`"
        );
        assert_eq!(found[0].section, "17.4.1");
    }

    #[test]
    fn silent_on_get_logger_subclasses_and_other_loggers() {
        for src in [
            "import logging\nlog = logging.getLogger('app')\n",
            "import logging\nclass AppLogger(logging.Logger):\n    def __init__(self, name):\n        logging.Logger.__init__(self, name)\n",
            "class Logger:\n    pass\nlog = Logger()\n",
            "from loguru import Logger\nlog = Logger()\n",
            "import logging\nx = isinstance(log, logging.Logger)\n",
        ] {
            assert!(findings(src, "PM1707", T).is_empty(), "{src}");
        }
    }
}
