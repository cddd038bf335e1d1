//! PM0236: a top-level import whose names the module reads only in annotations Python does not
//! evaluate, so the import could sit under `if TYPE_CHECKING:` and cost nothing at run time
//! (§2.2.2). The module pass behind it is `syntax::facts::annotation_only_imports`.

use super::{Ctx, Edit, Kind, Node, Rule, Safety};
use crate::syntax::ast::{Alias, Stmt};
use crate::syntax::span;

pub struct AnnotationOnlyImport;

const CODE: &str = "PM0236";

impl Rule for AnnotationOnlyImport {
    fn code(&self) -> &'static str {
        CODE
    }

    fn kinds(&self) -> &'static [Kind] {
        &[Kind::Import, Kind::ImportFrom]
    }

    fn check(&self, node: Node<'_>, ctx: &mut Ctx<'_>) {
        // A package's `__init__.py` imports to re-export: its names are read elsewhere.
        if !ctx.parents.is_empty()
            || ctx.module.annotation_only.is_empty()
            || ctx.module.file.package_init
        {
            return;
        }
        let Node::Stmt(stmt) = node else {
            return;
        };
        let (aliases, from) = match stmt {
            Stmt::Import(i) => (&i.names, None),
            Stmt::ImportFrom(i) => {
                let level = i.level.as_ref().map_or(0, |l| l.to_u32()) as usize;
                let module = i.module.as_deref().unwrap_or("");
                (&i.names, Some(format!("{}{module}", ".".repeat(level))))
            }
            _ => return,
        };
        let only = &ctx.module.annotation_only;
        let (moved, kept): (Vec<&Alias>, Vec<&Alias>) = aliases
            .iter()
            .partition(|a| only.binary_search(&bound_name(a, from.is_some())).is_ok());
        let (Some(first), Some(last)) = (moved.first(), moved.last()) else {
            return;
        };
        let names = moved
            .iter()
            .map(|a| format!("`{}`", bound_name(a, from.is_some())))
            .collect::<Vec<_>>()
            .join(", ");
        let range = (span(*first).0, span(*last).1);
        let fix = move_fix(ctx, stmt, &moved, &kept, from.as_deref(), &names);
        ctx.report(CODE, range, &[("names", &names)], fix);
    }
}

/// The name an alias binds: `np` for `import numpy as np`, `os` for `import os.path`.
fn bound_name(a: &Alias, from: bool) -> String {
    match &a.asname {
        Some(x) => x.to_string(),
        None if from => a.name.to_string(),
        None => a.name.split('.').next().unwrap_or("").to_string(),
    }
}

fn alias_text(a: &Alias) -> String {
    match &a.asname {
        Some(x) => format!("{} as {x}", a.name),
        None => a.name.to_string(),
    }
}

fn import_line(from: Option<&str>, aliases: &[&Alias]) -> String {
    let list = aliases
        .iter()
        .map(|a| alias_text(a))
        .collect::<Vec<_>>()
        .join(", ");
    match from {
        Some(m) => format!("from {m} import {list}"),
        None => format!("import {list}"),
    }
}

/// Replace the statement with what stays, then `if TYPE_CHECKING:` and what moves; import
/// `TYPE_CHECKING` when the module has no name for it.
fn move_fix(
    ctx: &Ctx<'_>,
    stmt: &Stmt,
    moved: &[&Alias],
    kept: &[&Alias],
    from: Option<&str>,
    names: &str,
) -> Option<super::Fix> {
    let (start, end) = span(stmt);
    // Comments inside a parenthesised import would be lost in the rebuilt lines.
    if ctx.source.get(start..end)?.contains('#') {
        return None;
    }
    let (guard, import) = match ctx.module.imports.imported("TYPE_CHECKING") {
        Some("typing.TYPE_CHECKING" | "typing_extensions.TYPE_CHECKING") => {
            ("TYPE_CHECKING".to_string(), None)
        }
        Some(_) => return None,
        None => match ctx.module.imports.imported("typing") {
            Some("typing") => ("typing.TYPE_CHECKING".to_string(), None),
            _ if ctx.module.class("TYPE_CHECKING").is_some()
                || ctx.module.functions_named("TYPE_CHECKING").next().is_some() =>
            {
                return None
            }
            _ => (
                "TYPE_CHECKING".to_string(),
                Some(ctx.import_edit("from typing import TYPE_CHECKING")),
            ),
        },
    };
    let nl = ctx.newline();
    let mut text = String::new();
    if !kept.is_empty() {
        text.push_str(&import_line(from, kept));
        text.push_str(nl);
    }
    text.push_str(&format!("if {guard}:{nl}    {}", import_line(from, moved)));
    let mut fix = ctx.fix(
        CODE,
        &[("names", names)],
        Safety::Unsafe,
        vec![Edit { start, end, text }],
    );
    fix.file_edits.extend(import);
    Some(fix)
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{findings, findings_in, fixed, flagged};
    use crate::syntax::FileRole;

    const T: (u8, u8) = (3, 12);
    const FUT: &str = "from __future__ import annotations\n";

    #[test]
    fn flags_imports_read_only_in_postponed_annotations() {
        let src = format!("{FUT}from pathlib import Path\nimport decimal\n\ndef f(p: Path) -> decimal.Decimal:\n    return p\n");
        let found = findings(&src, "PM0236", T);
        assert_eq!(flagged(&src, &found), ["Path", "decimal"]);
        assert_eq!(
            found[0].message,
            "Only annotations that Python does not evaluate read `Path`: under `if TYPE_CHECKING:` the import would cost nothing at run time"
        );
        assert_eq!(found[0].section, "2.2.2");
    }

    #[test]
    fn without_postponement_only_unevaluated_annotations_count() {
        // Evaluated at `def` time: the import is needed.
        let src = "from pathlib import Path\n\ndef f(p: Path):\n    return p\n";
        assert!(findings(src, "PM0236", T).is_empty());
        // Quoted, or a local variable's annotation: never evaluated.
        let src = "from pathlib import Path\nfrom os import PathLike\n\ndef f(p: \"Path\"):\n    x: PathLike = p\n    return x\n";
        let found = findings(src, "PM0236", T);
        assert_eq!(flagged(src, &found), ["Path", "PathLike"]);
        // Python 3.14 defers annotations by itself.
        let src = "from pathlib import Path\n\ndef f(p: Path):\n    return p\n";
        assert_eq!(findings(src, "PM0236", (3, 14)).len(), 1);
    }

    #[test]
    fn silent_when_read_at_run_time_or_exported() {
        for src in [
            "from __future__ import annotations\nfrom pathlib import Path\n\ndef f(p: Path):\n    return Path(p)\n",
            "from __future__ import annotations\nfrom pathlib import Path\n__all__ = [\"Path\"]\n",
            "from __future__ import annotations\nfrom pathlib import Path\n",
            "from __future__ import annotations\nfrom typing import Sequence\n\ndef f(p: Sequence):\n    pass\n",
            "from __future__ import annotations\nfrom pathlib import Path as Path\n\ndef f(p: Path):\n    pass\n",
            "from __future__ import annotations\nfrom decimal import Decimal\n\n@fmt.register\ndef _(x: Decimal):\n    pass\n",
            "from __future__ import annotations\nfrom datetime import datetime\n\nclass M(BaseModel):\n    when: datetime\n",
            "from __future__ import annotations\ntry:\n    from pathlib import Path\nexcept ImportError:\n    Path = None\n\ndef f(p: Path):\n    pass\n",
            "from __future__ import annotations\nfrom typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from pathlib import Path\n\ndef f(p: Path):\n    pass\n",
        ] {
            assert!(findings(src, "PM0236", T).is_empty(), "{src}");
        }
        let src = format!("{FUT}from .models import Model\n\ndef f(m: Model):\n    pass\n");
        let init = FileRole {
            package_init: true,
            ..FileRole::default()
        };
        assert!(findings_in(&src, "PM0236", T, init).is_empty());
    }

    #[test]
    fn fix_moves_the_names_under_type_checking() {
        let src = format!(
            "{FUT}from pathlib import Path, PurePath\n\ndef f(p: Path):\n    return PurePath(p)\n"
        );
        assert_eq!(
            fixed(&src, "PM0236", T),
            format!("{FUT}from typing import TYPE_CHECKING\nfrom pathlib import PurePath\nif TYPE_CHECKING:\n    from pathlib import Path\n\ndef f(p: Path):\n    return PurePath(p)\n")
        );
        let src = "\"\"\"Doc.\"\"\"\nfrom __future__ import annotations\nimport typing\nimport numpy as np\n\ndef f(a: np.ndarray) -> None:\n    typing.cast(int, a)\n";
        assert_eq!(
            fixed(src, "PM0236", T),
            "\"\"\"Doc.\"\"\"\nfrom __future__ import annotations\nimport typing\nif typing.TYPE_CHECKING:\n    import numpy as np\n\ndef f(a: np.ndarray) -> None:\n    typing.cast(int, a)\n"
        );
        let src = "from __future__ import annotations\r\nfrom typing import TYPE_CHECKING\r\nfrom ..core import (\r\n    Engine,\r\n)\r\n\r\ndef f(e: Engine):\r\n    pass\r\n";
        assert_eq!(
            fixed(src, "PM0236", T),
            "from __future__ import annotations\r\nfrom typing import TYPE_CHECKING\r\nif TYPE_CHECKING:\r\n    from ..core import Engine\r\n\r\ndef f(e: Engine):\r\n    pass\r\n"
        );
    }

    #[test]
    fn no_fix_when_comments_would_be_lost_or_the_guard_name_is_taken() {
        let src = format!(
            "{FUT}from pathlib import (  # paths\n    Path,\n)\n\ndef f(p: Path):\n    pass\n"
        );
        let found = findings(&src, "PM0236", T);
        assert_eq!(found.len(), 1);
        assert!(found[0].fix.is_none());
        let src = format!("{FUT}from pathlib import Path\nfrom config import TYPE_CHECKING\n\ndef f(p: Path):\n    pass\n");
        let found = findings(&src, "PM0236", T);
        assert!(found[0].fix.is_none());
    }
}
