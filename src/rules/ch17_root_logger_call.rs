//! PM1706: `logging.info(...)` and the other module-level logging functions in library code
//! (§17.4.1). They log through the root logger, and the first one called on an unconfigured
//! root logger even installs a handler (`basicConfig`) for the whole process.

use super::log_util::{log_call, script_context};
use super::{Ctx, Kind, Node, Rule};
use crate::syntax::ast::Expr;
use crate::syntax::span;

pub struct RootLoggerCall;

const CODE: &str = "PM1706";

impl Rule for RootLoggerCall {
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
        if !matches!(&*call.func, Expr::Attribute(a) if matches!(&*a.value, Expr::Name(_))) {
            return;
        }
        let Some(lc) = log_call(node, ctx) else {
            return;
        };
        if !lc.root || script_context(ctx) {
            return;
        }
        let method = lc.method;
        ctx.report(CODE, span(&*call.func), &[("method", method)], None);
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{findings, flagged};

    const T: (u8, u8) = (3, 12);

    #[test]
    fn flags_module_level_logging_functions() {
        let src = "import logging as lg\n\ndef load(path):\n    lg.info('loading %s', path)\n    lg.log(lg.DEBUG, 'x')\n";
        let found = findings(src, "PM1706", T);
        assert_eq!(flagged(src, &found), ["lg.info", "lg.log"]);
        assert_eq!(
            found[0].message,
            "`logging.info()` logs through the root logger, which the application owns: log through `logging.getLogger(__name__)`"
        );
        assert_eq!(found[0].section, "17.4.1");
    }

    #[test]
    fn silent_in_scripts_and_on_named_loggers() {
        for src in [
            "import logging\nlogger = logging.getLogger(__name__)\nlogger.info('x')\n",
            "import logging\nif __name__ == '__main__':\n    logging.info('x')\n",
            "import logging\ndef main():\n    logging.info('x')\n",
            "import logging\ndef main():\n    pass\ndef helper():\n    logging.info('x')\n",
            "import logging\nlogging.basicConfig(level=logging.INFO)\n",
            "def f(logging):\n    logging.info('x')\n",
            "import structlog as logging\nlogging.info('x')\n",
        ] {
            assert!(findings(src, "PM1706", T).is_empty(), "{src}");
        }
    }
}
