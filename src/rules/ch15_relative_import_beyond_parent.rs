//! PM1502: a relative import that climbs past the parent package (`from ...x import y`), which
//! makes a module depend on the layout of packages above its own (§15.14.2).

use super::{Ctx, Kind, Node, Rule};
use crate::syntax::ast::Stmt;
use crate::syntax::span;

pub struct RelativeImportBeyondParent;

const CODE: &str = "PM1502";

/// The fewest leading dots reported: `.` is the module's own package and `..` its parent,
/// which a subpackage uses for its siblings (`from ..pytree import Node` in `lib2to3.fixes`);
/// three dots reach the grandparent.
const MIN_LEVEL: usize = 3;

impl Rule for RelativeImportBeyondParent {
    fn code(&self) -> &'static str {
        CODE
    }

    fn kinds(&self) -> &'static [Kind] {
        &[Kind::ImportFrom]
    }

    fn check(&self, node: Node<'_>, ctx: &mut Ctx<'_>) {
        let Node::Stmt(s @ Stmt::ImportFrom(i)) = node else {
            return;
        };
        let level = i.level.as_ref().map_or(0, |l| l.to_u32()) as usize;
        if level < MIN_LEVEL {
            return;
        }
        let target = format!(
            "{}{}",
            ".".repeat(level),
            i.module.as_ref().map_or("", |m| m.as_str())
        );
        let up = (level - 1).to_string();
        ctx.report(CODE, span(s), &[("target", &target), ("up", &up)], None);
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{findings, flagged};

    const T: (u8, u8) = (3, 12);

    #[test]
    fn flags_imports_above_the_parent_package() {
        let src = "from ...core import utils\ndef f():\n    from .... import settings\n";
        let found = findings(src, "PM1502", T);
        assert_eq!(
            flagged(src, &found),
            ["from ...core import utils", "from .... import settings"]
        );
        assert_eq!(
            found[0].message,
            "`...core` climbs 2 packages above this module's own package, so the module depends on the layout of packages it does not belong to: import it by its absolute name"
        );
        assert!(found[1].message.starts_with("`....` climbs 3 packages"));
        assert_eq!(found[0].section, "15.14.2");
        assert!(found[0].fix.is_none());
    }

    #[test]
    fn silent_on_own_and_parent_package() {
        let src = "from . import a\nfrom .b import c\nfrom .. import d\nfrom ..e.f import g\nimport os.path\nfrom os import sep\n";
        let found = findings(src, "PM1502", T);
        assert!(found.is_empty(), "{:?}", flagged(src, &found));
    }
}
