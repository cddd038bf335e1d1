//! PM1908: `TarFile.extractall()` or `.extract()` without `filter=` (§19.4). Before Python
//! 3.14 the default trusts member names and links, which can point outside the target folder.

use super::conc_common::qualified;
use super::security_util::{append_argument, only_binding, scope_body};
use super::typing_names::BlockNames;
use super::{Ctx, Kind, Node, Rule, Safety};
use crate::syntax::ast::{Expr, Stmt};
use crate::syntax::span;

pub struct TarExtractFilter;

const CODE: &str = "PM1908";

/// Calls that return an open `TarFile`.
const OPENERS: &[&str] = &[
    "tarfile.open",
    "tarfile.TarFile",
    "tarfile.TarFile.open",
    "tarfile.TarFile.taropen",
    "tarfile.TarFile.gzopen",
    "tarfile.TarFile.bz2open",
    "tarfile.TarFile.xzopen",
    "tarfile.TarFile.zstopen",
];

impl Rule for TarExtractFilter {
    fn code(&self) -> &'static str {
        CODE
    }

    fn kinds(&self) -> &'static [Kind] {
        &[Kind::Call]
    }

    fn check(&self, node: Node<'_>, ctx: &mut Ctx<'_>) {
        // From 3.14 on, `filter="data"` is what extraction does by default.
        if ctx.target >= (3, 14) {
            return;
        }
        let Node::Expr(e @ Expr::Call(call)) = node else {
            return;
        };
        let Expr::Attribute(m) = &*call.func else {
            return;
        };
        let method = m.attr.as_str();
        if !matches!(method, "extractall" | "extract") {
            return;
        }
        // `filter=` given, or maybe given through `**options`.
        if call
            .keywords
            .iter()
            .any(|k| k.arg.is_none() || k.arg.as_deref() == Some("filter"))
        {
            return;
        }
        let names = BlockNames::of_block(node, ctx);
        let body = scope_body(node, ctx);
        if !is_tarfile(&m.value, body, &|x| qualified(&names, ctx.module, x)) {
            return;
        }
        let fix = (ctx.target >= (3, 8))
            .then(|| append_argument(call, e, ctx.source, "filter=\"data\""))
            .flatten();
        let fix = fix.map(|edit| ctx.fix(CODE, &[], Safety::Unsafe, vec![edit]));
        ctx.report(CODE, span(e), &[("method", method)], fix);
    }
}

/// True when `e` is an open `TarFile`: a `tarfile.open(...)` call, or a name bound once in
/// the function to one (`with tarfile.open(p) as tar`).
fn is_tarfile(e: &Expr, body: &[Stmt], resolve: &dyn Fn(&Expr) -> Option<String>) -> bool {
    match e {
        Expr::Call(c) => resolve(&c.func).is_some_and(|q| OPENERS.contains(&q.as_str())),
        Expr::Name(n) => only_binding(body, n.id.as_str())
            .is_some_and(|v| matches!(v, Expr::Call(_)) && is_tarfile(v, body, resolve)),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{findings, fixed, flagged};

    const T: (u8, u8) = (3, 12);

    #[test]
    fn flags_tar_extraction_without_filter() {
        let src = "import tarfile\nfrom tarfile import open as topen\n\ndef unpack(path, dest):\n    with tarfile.open(path) as tar:\n        tar.extractall(dest)\n    t = topen(path, 'r:gz')\n    t.extract('a.txt', dest)\n    tarfile.open(path).extractall()\n";
        let found = findings(src, "PM1908", T);
        assert_eq!(
            flagged(src, &found),
            [
                "tar.extractall(dest)",
                "t.extract('a.txt', dest)",
                "tarfile.open(path).extractall()"
            ]
        );
        assert_eq!(
            found[0].message,
            "`.extractall()` on a tar archive without `filter=`: a member named `../x` or `/etc/x`, or a link, can write outside the target folder. Pass `filter=\"data\"`"
        );
        assert_eq!(found[0].section, "19.4");
    }

    #[test]
    fn silent_with_a_filter_on_zipfiles_and_on_3_14() {
        for src in [
            "import tarfile\nwith tarfile.open(p) as tar:\n    tar.extractall(dest, filter='data')\n",
            "import tarfile\nwith tarfile.open(p) as tar:\n    tar.extractall(dest, **opts)\n",
            "import zipfile\nwith zipfile.ZipFile(p) as z:\n    z.extractall(dest)\n",
            "def f(archive):\n    archive.extractall(dest)\n",
            "import tarfile\ndef f(p, q):\n    t = tarfile.open(p)\n    t = zipfile.ZipFile(q)\n    t.extractall()\n",
            "import tarfile as tf\ndef f(p, tf):\n    tf.open(p).extractall()\n",
        ] {
            assert!(findings(src, "PM1908", T).is_empty(), "{src}");
        }
        let src = "import tarfile\nwith tarfile.open(p) as tar:\n    tar.extractall(dest)\n";
        assert!(findings(src, "PM1908", (3, 14)).is_empty());
        assert_eq!(findings(src, "PM1908", (3, 13)).len(), 1);
        assert!(
            findings(src, "PM1908", (3, 7))[0].fix.is_none(),
            "no `filter=` before 3.8.17"
        );
    }

    #[test]
    fn fix_adds_the_data_filter() {
        assert_eq!(
            fixed("import tarfile\nwith tarfile.open(p) as tar:\n    tar.extractall(dest)  # unpack\n", "PM1908", T),
            "import tarfile\nwith tarfile.open(p) as tar:\n    tar.extractall(dest, filter=\"data\")  # unpack\n"
        );
        assert_eq!(
            fixed(
                "import tarfile\r\ntarfile.open(p).extractall( )",
                "PM1908",
                T
            ),
            "import tarfile\r\ntarfile.open(p).extractall( filter=\"data\")"
        );
        assert_eq!(
            fixed("import tarfile\ndef f(p):\n\tt = tarfile.open(p)\n\tt.extractall(\n\t\tpath=dest,\n\t\tmembers=ms,\n\t)", "PM1908", T),
            "import tarfile\ndef f(p):\n\tt = tarfile.open(p)\n\tt.extractall(\n\t\tpath=dest,\n\t\tmembers=ms, filter=\"data\",\n\t)"
        );
    }
}
