//! PM1802: `subprocess.run(...)` without `check=` whose exit status nobody reads (§18.1). A
//! failing command returns normally and the program carries on as if it had worked.

use super::conc_common::{block_stmts, is_expr_stmt, qualified};
use super::iter_util::enclosing_function;
use super::log_util::{add_keyword, has_double_star, keyword};
use super::typing_names::{last_name, BlockNames};
use super::{Ctx, Kind, Node, Rule, Safety};
use crate::syntax::ast::{Expr, ExprContext, Stmt};
use crate::syntax::span;
use crate::syntax::walk::{walk, Visitor};

pub struct SubprocessNoCheck;

const CODE: &str = "PM1802";

/// Attributes of a `CompletedProcess` that say nothing about success.
const OUTPUT_ATTRS: &[&str] = &["stdout", "stderr", "args"];

impl Rule for SubprocessNoCheck {
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
        if last_name(&call.func) != Some("run")
            || keyword(call, "check").is_some()
            || has_double_star(call)
        {
            return;
        }
        let names = BlockNames::of_block(node, ctx);
        if qualified(&names, ctx.module, &call.func).as_deref() != Some("subprocess.run") {
            return;
        }
        if !status_ignored(e, node, ctx) {
            return;
        }
        let fix = add_keyword(ctx, call, "check=True")
            .map(|edit| ctx.fix(CODE, &[], Safety::Unsafe, vec![edit]));
        ctx.report(CODE, span(e), &[], fix);
    }
}

/// True when the result is dropped, only its output is read (`run(...).stdout`), or it is
/// bound to a name whose only uses read its output.
fn status_ignored<'a>(e: &'a Expr, node: Node<'a>, ctx: &Ctx<'a>) -> bool {
    if is_expr_stmt(node, ctx) {
        return true;
    }
    match ctx.parents.last() {
        Some(Node::Expr(Expr::Attribute(a))) if std::ptr::eq(&*a.value, e) => {
            OUTPUT_ATTRS.contains(&a.attr.as_str())
        }
        Some(Node::Stmt(Stmt::Assign(a))) if std::ptr::eq(&*a.value, e) => {
            let [Expr::Name(n)] = &a.targets[..] else {
                return false;
            };
            let scope = match enclosing_function(ctx) {
                Some((_, body, _)) => body,
                None => block_stmts(node, ctx),
            };
            only_output_read(scope, n.id.as_str())
        }
        _ => false,
    }
}

/// True when every load of `name` in `stmts` is `name.stdout`, `name.stderr` or `name.args`,
/// and `name` is not bound twice.
fn only_output_read(stmts: &[Stmt], name: &str) -> bool {
    struct V<'n> {
        name: &'n str,
        ok: Vec<*const Expr>,
        loads: Vec<*const Expr>,
        stores: usize,
    }
    impl<'a> Visitor<'a> for V<'_> {
        fn enter(&mut self, node: Node<'a>) -> bool {
            match node {
                Node::Expr(Expr::Attribute(a)) if OUTPUT_ATTRS.contains(&a.attr.as_str()) => {
                    if matches!(&*a.value, Expr::Name(n) if n.id.as_str() == self.name) {
                        self.ok.push(&*a.value as *const Expr);
                    }
                }
                Node::Expr(x @ Expr::Name(n)) if n.id.as_str() == self.name => match n.ctx {
                    ExprContext::Load => self.loads.push(x as *const Expr),
                    _ => self.stores += 1,
                },
                _ => {}
            }
            true
        }
        fn leave(&mut self, _node: Node<'a>) {}
    }
    let mut v = V {
        name,
        ok: Vec::new(),
        loads: Vec::new(),
        stores: 0,
    };
    walk(stmts, &mut v);
    v.stores == 1 && v.loads.iter().all(|l| v.ok.contains(l))
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{findings, fixed, flagged};

    const T: (u8, u8) = (3, 12);

    #[test]
    fn flags_runs_whose_status_is_ignored() {
        let src = "import subprocess\nfrom subprocess import run\n\ndef f():\n    subprocess.run(['make'])\n    out = subprocess.run(cmd, capture_output=True).stdout\n    r = run(cmd, text=True)\n    print(r.stdout)\n";
        let found = findings(src, "PM1802", T);
        assert_eq!(
            flagged(src, &found),
            [
                "subprocess.run(['make'])",
                "subprocess.run(cmd, capture_output=True)",
                "run(cmd, text=True)"
            ]
        );
        assert_eq!(
            found[0].message,
            "`subprocess.run()` without `check=` returns normally when the command fails, and nothing here reads `returncode`: pass `check=True` or test the status"
        );
        assert_eq!(found[0].section, "18.1");
    }

    #[test]
    fn silent_when_status_is_read_or_check_given() {
        for src in [
            "import subprocess\nsubprocess.run(cmd, check=True)\n",
            "import subprocess\nsubprocess.run(cmd, check=False)\n",
            "import subprocess\nsubprocess.run(cmd, **opts)\n",
            "import subprocess\ndef f():\n    r = subprocess.run(cmd)\n    if r.returncode:\n        raise SystemExit(1)\n",
            "import subprocess\ndef f():\n    r = subprocess.run(cmd)\n    r.check_returncode()\n",
            "import subprocess\ndef f():\n    return subprocess.run(cmd)\n",
            "import subprocess\nok = subprocess.run(cmd).returncode == 0\n",
            "import subprocess\ndef f():\n    r = subprocess.run(cmd)\n    return r\n",
            "import asyncio\nasyncio.run(main())\n",
            "def run(x):\n    pass\nrun(cmd)\n",
        ] {
            assert!(findings(src, "PM1802", T).is_empty(), "{src}");
        }
    }

    #[test]
    fn no_fix_beside_a_bare_generator_argument() {
        let found = findings(
            "import subprocess\nsubprocess.run(a for a in cmd)\n",
            "PM1802",
            T,
        );
        assert_eq!(found.len(), 1);
        assert!(found[0].fix.is_none());
    }

    #[test]
    fn fix_passes_check_true() {
        assert_eq!(
            fixed("import subprocess\nsubprocess.run(['make'])\n", "PM1802", T),
            "import subprocess\nsubprocess.run(['make'], check=True)\n"
        );
        assert_eq!(
            fixed(
                "import subprocess\nsubprocess.run(\n    cmd,\n    cwd=d,  # here\n)\n",
                "PM1802",
                T
            ),
            "import subprocess\nsubprocess.run(\n    cmd,\n    cwd=d, check=True,  # here\n)\n"
        );
    }
}
