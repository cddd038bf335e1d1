//! PM1917: a fixed path under `/tmp` opened or created (§19.1). Every user of the machine can
//! create that name first, or a link by that name, and the program then uses their file.

use super::conc_common::qualified;
use super::security_util::{callee_may_be, str_value};
use super::typing_names::BlockNames;
use super::{Ctx, Kind, Node, Rule};
use crate::syntax::ast::Expr;
use crate::syntax::span;

pub struct TmpPath;

const CODE: &str = "PM1917";

/// Functions that open, create or change the file at their path arguments.
const FILE_FUNCTIONS: &[&str] = &[
    "open",
    "io.open",
    "os.open",
    "os.mkdir",
    "os.makedirs",
    "os.remove",
    "os.unlink",
    "os.chmod",
    "os.rename",
    "os.replace",
    "os.mkfifo",
    "os.path.join",
    "pathlib.Path",
    "shutil.copy",
    "shutil.copyfile",
    "shutil.copy2",
    "shutil.move",
    "shutil.rmtree",
];

impl Rule for TmpPath {
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
        // The literal first: it is the rare part, and this runs on every call.
        let Some(arg) = call.args.iter().find(|a| str_value(a).is_some_and(is_tmp)) else {
            return;
        };
        let lasts: Vec<&str> = FILE_FUNCTIONS
            .iter()
            .filter_map(|f| f.rsplit('.').next())
            .collect();
        if !callee_may_be(&call.func, ctx, &lasts) {
            return;
        }
        let names = BlockNames::of_block(node, ctx);
        let Some(q) = qualified(&names, ctx.module, &call.func) else {
            return;
        };
        if FILE_FUNCTIONS.contains(&q.as_str()) {
            ctx.report(CODE, span(arg), &[("call", &q)], None);
        }
    }
}

/// `/tmp/...`, `/var/tmp/...`, `/dev/shm/...`: a folder every local user can write to.
fn is_tmp(path: &str) -> bool {
    ["/tmp/", "/var/tmp/", "/dev/shm/"]
        .iter()
        .any(|d| path.starts_with(d) && path.len() > d.len())
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{findings, flagged};

    const T: (u8, u8) = (3, 12);

    #[test]
    fn flags_fixed_names_in_shared_temp_folders() {
        let src = "import os\nfrom pathlib import Path\n\nwith open('/tmp/report.csv', 'w') as f:\n    pass\nos.makedirs('/var/tmp/app/cache')\np = Path('/tmp/app.lock')\n";
        let found = findings(src, "PM1917", T);
        assert_eq!(
            flagged(src, &found),
            [
                "'/tmp/report.csv'",
                "'/var/tmp/app/cache'",
                "'/tmp/app.lock'"
            ]
        );
        assert_eq!(
            found[0].message,
            "`open` on a fixed name in a folder every local user can write to: someone can create it, or a link by that name, first. Use `tempfile.mkstemp()`, `NamedTemporaryFile()` or `mkdtemp()`"
        );
        assert_eq!(found[0].section, "19.1");
    }

    #[test]
    fn silent_on_other_paths_and_calls() {
        for src in [
            "open('/etc/app.conf')\n",
            "open('tmp/x.txt')\n",
            "os.listdir('/tmp')\n",
            "import os\nos.makedirs('/tmp/')\n",
            "log.info('/tmp/x')\n",
            "def f(open):\n    open('/tmp/x')\n",
            "import tempfile\ntempfile.mkstemp(dir='/tmp/work')\n",
        ] {
            assert!(findings(src, "PM1917", T).is_empty(), "{src}");
        }
    }
}
