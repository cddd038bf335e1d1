//! PM1401: `from module import *`, which makes the other module's public interface (its
//! `__all__`, or every name without an underscore) part of this module's namespace (§14.6.4).

use super::{Ctx, Kind, Node, Rule};
use crate::syntax::ast::Stmt;
use crate::syntax::span;

pub struct StarImport;

const CODE: &str = "PM1401";

impl Rule for StarImport {
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
        // A package's `__init__.py` gathering its submodules' interfaces is what star
        // imports are for.
        if ctx.module.file.package_init || !i.names.iter().any(|a| a.name.as_str() == "*") {
            return;
        }
        let level = i.level.as_ref().map_or(0, |l| l.to_u32()) as usize;
        let module = format!(
            "{}{}",
            ".".repeat(level),
            i.module.as_ref().map_or("", |m| m.as_str())
        );
        // Re-exporting a private implementation module (a C accelerator such as `_heapq`, or
        // `._impl`) is how a facade module is built; the leading underscore says so.
        let last = module.rsplit('.').next().unwrap_or("");
        if last.starts_with('_') {
            return;
        }
        ctx.report(CODE, span(s), &[("module", &module)], None);
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{findings, findings_in, flagged};
    use crate::syntax::FileRole;

    const T: (u8, u8) = (3, 12);

    #[test]
    fn flags_star_imports() {
        let src = "from os.path import *\nfrom .models import *\ndef f():\n    pass\nif x:\n    from .. import *\n";
        let found = findings(src, "PM1401", T);
        assert_eq!(
            flagged(src, &found),
            [
                "from os.path import *",
                "from .models import *",
                "from .. import *"
            ]
        );
        assert_eq!(
            found[0].message,
            "`from os.path import *` copies the public names of `os.path` into this module, whatever they are today: import the names you use, or the module itself"
        );
        assert_eq!(found[0].section, "14.6.4");
    }

    #[test]
    fn silent_on_named_imports_and_private_facades() {
        let src = "from os.path import join\nimport os\ntry:\n    from _heapq import *\nexcept ImportError:\n    pass\nfrom ._speedups import *\nfrom pkg._impl import *\n";
        assert!(findings(src, "PM1401", T).is_empty());
    }

    #[test]
    fn silent_in_a_package_init_only() {
        let src = "from .models import *\n";
        let init = FileRole {
            package_init: true,
            ..FileRole::default()
        };
        assert!(findings_in(src, "PM1401", T, init).is_empty());
        let test = FileRole {
            test: true,
            ..FileRole::default()
        };
        assert_eq!(findings_in(src, "PM1401", T, test).len(), 1);
    }
}
