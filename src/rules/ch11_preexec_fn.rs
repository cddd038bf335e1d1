//! PM1102: `preexec_fn=` in a subprocess call, which runs Python code in the forked child before
//! `exec` and can deadlock when the parent has other threads (§11.11.2).

use super::ch05_abcmeta_keyword::qualified;
use super::{Ctx, Kind, Node, Rule};
use crate::syntax::ast::{Constant, Expr};
use crate::syntax::span;

pub struct PreexecFn;

const CODE: &str = "PM1102";

const CALLS: &[&str] = &[
    "subprocess.Popen",
    "subprocess.run",
    "subprocess.call",
    "subprocess.check_call",
    "subprocess.check_output",
];

impl Rule for PreexecFn {
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
        let Some(kw) = call
            .keywords
            .iter()
            .find(|k| k.arg.as_ref().is_some_and(|a| a.as_str() == "preexec_fn"))
        else {
            return;
        };
        // `preexec_fn=None` is the default spelled out.
        if matches!(&kw.value, Expr::Constant(c) if matches!(c.value, Constant::None)) {
            return;
        }
        let Some(q) = qualified(ctx, &call.func) else {
            return;
        };
        if !CALLS.contains(&q.as_str()) {
            return;
        }
        let hint = if ctx.target >= (3, 11) {
            "`process_group=0`, `start_new_session=True`, `user=`, `group=`, `extra_groups=` or `umask=`"
        } else if ctx.target >= (3, 9) {
            "`start_new_session=True`, `user=`, `group=`, `extra_groups=` or `umask=`"
        } else {
            "`start_new_session=True`"
        };
        ctx.report(CODE, span(kw), &[("hint", hint)], None);
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{findings, flagged};

    const T: (u8, u8) = (3, 12);

    #[test]
    fn flags_preexec_fn() {
        let src = "import subprocess\nimport os\np = subprocess.Popen(['ls'], preexec_fn=os.setsid)\nsubprocess.run(cmd, preexec_fn=lambda: os.nice(5))\n";
        let found = findings(src, "PM1102", T);
        assert_eq!(
            flagged(src, &found),
            ["preexec_fn=os.setsid", "preexec_fn=lambda: os.nice(5)"]
        );
        assert_eq!(
            found[0].message,
            "`preexec_fn` runs Python in the forked child before `exec`, which can deadlock if other threads exist; prefer `process_group=0`, `start_new_session=True`, `user=`, `group=`, `extra_groups=` or `umask=`"
        );
        assert_eq!(found[0].section, "11.11.2");
        let old = findings(src, "PM1102", (3, 8));
        assert!(old[0].message.ends_with("prefer `start_new_session=True`"));
    }

    #[test]
    fn silent_without_it_or_elsewhere() {
        let src = "import subprocess\nsubprocess.Popen(cmd, preexec_fn=None)\nsubprocess.Popen(cmd, start_new_session=True)\nmylib.Popen(cmd, preexec_fn=f)\n";
        assert!(findings(src, "PM1102", T).is_empty());
    }
}
