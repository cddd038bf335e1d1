//! PM1708: `logging.getLogger(__file__)` (§17.4.1). The logger is named after a file path, so
//! it sits outside the dotted package hierarchy that configuration addresses.

use super::conc_common::qualified;
use super::typing_names::BlockNames;
use super::{Ctx, Edit, Kind, Node, Rule, Safety};
use crate::syntax::ast::Expr;
use crate::syntax::span;

pub struct GetLoggerFile;

const CODE: &str = "PM1708";

impl Rule for GetLoggerFile {
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
        let [arg @ Expr::Name(n)] = &call.args[..] else {
            return;
        };
        if n.id.as_str() != "__file__" || !call.keywords.is_empty() {
            return;
        }
        let names = BlockNames::of_block(node, ctx);
        if names.assigns("__file__")
            || qualified(&names, ctx.module, &call.func).as_deref() != Some("logging.getLogger")
        {
            return;
        }
        let (s, t) = span(arg);
        let fix = ctx.fix(
            CODE,
            &[],
            Safety::Unsafe,
            vec![Edit {
                start: s,
                end: t,
                text: "__name__".into(),
            }],
        );
        ctx.report(CODE, (s, t), &[], Some(fix));
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{findings, fixed, flagged};

    const T: (u8, u8) = (3, 12);

    #[test]
    fn flags_logger_named_after_the_file() {
        let src = "import logging\nlog = logging.getLogger(__file__)\n";
        let found = findings(src, "PM1708", T);
        assert_eq!(flagged(src, &found), ["__file__"]);
        assert_eq!(
            found[0].message,
            "`getLogger(__file__)` names the logger after a file path, outside the dotted hierarchy that configuration addresses: use `__name__`"
        );
        assert_eq!(found[0].section, "17.4.1");
    }

    #[test]
    fn silent_on_module_names_and_other_functions() {
        for src in [
            "import logging\nlog = logging.getLogger(__name__)\n",
            "import logging\nlog = logging.getLogger(name=__file__, x=1)\n",
            "log = structlog.getLogger(__file__)\n",
            "import logging\ndef f(__file__):\n    return logging.getLogger(__file__)\n",
        ] {
            assert!(findings(src, "PM1708", T).is_empty(), "{src}");
        }
    }

    #[test]
    fn fix_uses_module_name() {
        assert_eq!(
            fixed(
                "from logging import getLogger\nlog = getLogger(__file__)  # app\n",
                "PM1708",
                T
            ),
            "from logging import getLogger\nlog = getLogger(__name__)  # app\n"
        );
    }
}
