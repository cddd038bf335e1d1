//! PM1902: a shell command built from variable text: `subprocess` with `shell=True`, `os.system`,
//! `os.popen` (§19.2.2). Whatever the variable holds is parsed by the shell.

use super::{Ctx, Kind, Node, Rule};
use crate::syntax::ast::{Constant, Expr};
use crate::syntax::span;

pub struct ShellInjection;

const CODE: &str = "PM1902";

const SUBPROCESS: &[&str] = &[
    "subprocess.run",
    "subprocess.call",
    "subprocess.check_call",
    "subprocess.check_output",
    "subprocess.Popen",
    "subprocess.getoutput",
    "subprocess.getstatusoutput",
    "asyncio.create_subprocess_shell",
];

impl Rule for ShellInjection {
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
        let Some(name) = ctx.module.imports.resolve(&call.func) else {
            return;
        };
        let always_shell = matches!(
            name.as_str(),
            "os.system"
                | "os.popen"
                | "subprocess.getoutput"
                | "subprocess.getstatusoutput"
                | "asyncio.create_subprocess_shell"
        );
        let shell_true = call.keywords.iter().any(|k| {
            k.arg.as_deref() == Some("shell")
                && matches!(&k.value, Expr::Constant(c) if matches!(c.value, Constant::Bool(true)))
        });
        if !(always_shell || (shell_true && SUBPROCESS.contains(&name.as_str()))) {
            return;
        }
        let command = call.args.first().or_else(|| {
            call.keywords
                .iter()
                .find(|k| matches!(k.arg.as_deref(), Some("args" | "cmd" | "command")))
                .map(|k| &k.value)
        });
        let Some(command) = command else { return };
        if is_constant_text(command) {
            return;
        }
        ctx.report(CODE, span(e), &[("call", &name)], None);
    }
}

/// A string literal, or an implicit concatenation of literals: nothing from outside.
fn is_constant_text(e: &Expr) -> bool {
    match e {
        Expr::Constant(c) => matches!(c.value, Constant::Str(_) | Constant::Bytes(_)),
        Expr::JoinedStr(j) => j.values.iter().all(is_constant_text),
        Expr::List(l) => l.elts.iter().all(is_constant_text),
        Expr::Tuple(t) => t.elts.iter().all(is_constant_text),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{findings, flagged};

    const T: (u8, u8) = (3, 12);

    #[test]
    fn flags_shell_commands_built_from_variables() {
        let src = "import os, subprocess\n\ndef f(name):\n    subprocess.run(f'grep {name} log.txt', shell=True)\n    os.system('rm ' + name)\n    os.popen(cmd)\n";
        let found = findings(src, "PM1902", T);
        assert_eq!(
            flagged(src, &found),
            [
                "subprocess.run(f'grep {name} log.txt', shell=True)",
                "os.system('rm ' + name)",
                "os.popen(cmd)"
            ]
        );
        assert_eq!(
            found[0].message,
            "`subprocess.run` hands a command built from variable text to the shell: pass a list of arguments without `shell=True`"
        );
        assert_eq!(found[0].section, "19.2.2");
    }

    #[test]
    fn silent_on_constant_commands_and_argument_lists() {
        for src in [
            "import subprocess\nsubprocess.run('ls -l | wc -l', shell=True)\n",
            "import subprocess\nsubprocess.run(['grep', name, 'log.txt'])\n",
            "import subprocess\nsubprocess.run(cmd, shell=False)\n",
            "import os\nos.system('clear')\n",
        ] {
            assert!(findings(src, "PM1902", T).is_empty(), "{src}");
        }
    }
}
