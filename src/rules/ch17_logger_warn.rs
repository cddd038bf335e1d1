//! PM1703: `logger.warn(...)`, the deprecated alias of `warning` (§17.4.1).

use super::{Ctx, Edit, Kind, Node, Rule, Safety};
use crate::syntax::ast::Expr;
use crate::syntax::span;

pub struct LoggerWarn;

const CODE: &str = "PM1703";

impl Rule for LoggerWarn {
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
        let Expr::Attribute(a) = &*call.func else {
            return;
        };
        if a.attr.as_str() != "warn" || !is_logger(&a.value, ctx) {
            return;
        }
        // The attribute name sits at the end of `value.warn`.
        let (_, end) = span(&*call.func);
        let start = end - "warn".len();
        if ctx.source.get(start..end) != Some("warn") {
            return;
        }
        let fix = ctx.fix(
            CODE,
            &[],
            Safety::Safe,
            vec![Edit {
                start,
                end,
                text: "warning".into(),
            }],
        );
        ctx.report(CODE, (start, end), &[], Some(fix));
    }
}

/// The `logging` module, a `getLogger(...)` call, or a name that reads as a logger
/// (`logger`, `log`, `self._logger`, `LOG`). `warnings.warn` is a different function.
fn is_logger(e: &Expr, ctx: &Ctx<'_>) -> bool {
    let name = match e {
        Expr::Name(n) => n.id.as_str(),
        Expr::Attribute(a) => a.attr.as_str(),
        Expr::Call(c) => {
            return ctx
                .module
                .imports
                .resolve(&c.func)
                .is_some_and(|f| f == "logging.getLogger");
        }
        _ => return false,
    };
    if let Expr::Name(_) = e {
        if let Some(full) = ctx.module.imports.resolve(e) {
            if full == "logging" {
                return true;
            }
            // Any other imported module (`from distutils import log`) has its own `warn`.
            if ctx.module.imports.imported(n_id(e)).is_some() {
                return false;
            }
        }
    }
    let lower = name.trim_start_matches('_').to_ascii_lowercase();
    lower == "log" || lower == "logger" || lower.ends_with("_logger") || lower.ends_with("_log")
}

fn n_id(e: &Expr) -> &str {
    match e {
        Expr::Name(n) => n.id.as_str(),
        _ => "",
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{findings, fixed, flagged};

    const T: (u8, u8) = (3, 12);

    #[test]
    fn flags_warn_on_loggers() {
        let src = "import logging\nlogger = logging.getLogger(__name__)\n\ndef f():\n    logger.warn('x')\n    logging.warn('y')\n    self._log.warn('z')\n    logging.getLogger('a').warn('w')\n";
        let found = findings(src, "PM1703", T);
        assert_eq!(flagged(src, &found), ["warn", "warn", "warn", "warn"]);
        assert_eq!(
            found[0].message,
            "`warn` is a deprecated alias of `warning` on loggers: call `warning`"
        );
        assert_eq!(found[0].section, "17.4.1");
    }

    #[test]
    fn silent_on_warnings_warn_and_other_objects() {
        for src in [
            "import warnings\nwarnings.warn('x', DeprecationWarning)\n",
            "self.warn('x')\n",
            "console.warn('x')\n",
            "logger.warning('x')\n",
            "from distutils import log\nlog.warn('x')\n",
        ] {
            assert!(findings(src, "PM1703", T).is_empty(), "{src}");
        }
    }

    #[test]
    fn fix_calls_warning() {
        assert_eq!(
            fixed("log.warn('disk %d%% full', pct)\n", "PM1703", T),
            "log.warning('disk %d%% full', pct)\n"
        );
    }
}
