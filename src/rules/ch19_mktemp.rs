//! PM1904: `tempfile.mktemp()` (§19.1). It returns a name that nobody owns yet; another process
//! can create that file first, and the program then writes into the attacker's file.

use super::{Ctx, Kind, Node, Rule};
use crate::syntax::ast::Expr;
use crate::syntax::span;

pub struct Mktemp;

const CODE: &str = "PM1904";

impl Rule for Mktemp {
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
        if ctx.module.imports.resolve(&call.func).as_deref() == Some("tempfile.mktemp") {
            ctx.report(CODE, span(e), &[], None);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{findings, flagged};

    const T: (u8, u8) = (3, 12);

    #[test]
    fn flags_mktemp() {
        let src = "import tempfile\nfrom tempfile import mktemp as mk\npath = tempfile.mktemp(suffix='.csv')\nother = mk()\n";
        let found = findings(src, "PM1904", T);
        assert_eq!(
            flagged(src, &found),
            ["tempfile.mktemp(suffix='.csv')", "mk()"]
        );
        assert_eq!(
            found[0].message,
            "`tempfile.mktemp()` returns a free name, not a file: another process can create it first. Use `mkstemp()`, `NamedTemporaryFile()` or `mkdtemp()`"
        );
        assert_eq!(found[0].section, "19.1");
    }

    #[test]
    fn silent_on_the_safe_functions() {
        let src = "import tempfile\nfd, p = tempfile.mkstemp()\nd = tempfile.mkdtemp()\nf = tempfile.NamedTemporaryFile()\nmktemp()\n";
        assert!(findings(src, "PM1904", T).is_empty());
    }
}
