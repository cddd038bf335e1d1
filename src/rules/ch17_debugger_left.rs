//! PM1702: a debugger breakpoint left in the code: `breakpoint()`, `pdb.set_trace()` and its
//! cousins (§17.3.1). In production it stops the process waiting for input that never comes.

use super::{Ctx, Kind, Node, Rule, Safety};
use crate::syntax::ast::{Expr, Stmt};
use crate::syntax::span;

pub struct DebuggerLeft;

const CODE: &str = "PM1702";

/// Calls that enter an interactive debugger.
const DEBUGGERS: &[&str] = &[
    "breakpoint",
    "pdb.set_trace",
    "pdb.post_mortem",
    "ipdb.set_trace",
    "pudb.set_trace",
    "pdbpp.set_trace",
    "debugpy.breakpoint",
    "IPython.embed",
];

impl Rule for DebuggerLeft {
    fn code(&self) -> &'static str {
        CODE
    }

    fn kinds(&self) -> &'static [Kind] {
        &[Kind::Expr]
    }

    fn check(&self, node: Node<'_>, ctx: &mut Ctx<'_>) {
        let Node::Stmt(stmt @ Stmt::Expr(e)) = node else {
            return;
        };
        let Expr::Call(call) = &*e.value else { return };
        let Some(name) = ctx.module.imports.resolve(&call.func) else {
            return;
        };
        // `pdb.set_trace` counts only when `pdb` is the imported module, not a local `Pdb()`
        // (as in pdb.py itself); a module's own `breakpoint` is not a leftover either.
        let imported_head = match &*call.func {
            Expr::Attribute(a) => match &*a.value {
                Expr::Name(n) => ctx.module.imports.imported(n.id.as_str()).is_some(),
                _ => true,
            },
            _ => true,
        };
        // A module defining `set_trace` or `breakpoint` itself is a debugger (pdb, bdb).
        let last = name.rsplit('.').next().unwrap_or(&name);
        if !imported_head
            || !DEBUGGERS.contains(&name.as_str())
            || ctx.module.functions_named(last).next().is_some()
        {
            return;
        }
        let fix = ctx
            .delete_statement(stmt)
            .map(|edit| ctx.fix(CODE, &[], Safety::Unsafe, vec![edit]));
        ctx.report(CODE, span(&*e.value), &[("call", &name)], fix);
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{findings, fixed, flagged};

    const T: (u8, u8) = (3, 12);

    #[test]
    fn flags_breakpoints() {
        let src = "import pdb as debugger\n\ndef f(x):\n    breakpoint()\n    debugger.set_trace()\n    return x\n";
        let found = findings(src, "PM1702", T);
        assert_eq!(
            flagged(src, &found),
            ["breakpoint()", "debugger.set_trace()"]
        );
        assert_eq!(
            found[1].message,
            "`pdb.set_trace()` left in the code: it stops the program at a debugger prompt"
        );
        assert_eq!(found[0].section, "17.3.1");
    }

    #[test]
    fn silent_on_other_calls() {
        for src in [
            "def breakpoint():\n    pass\n\nbreakpoint()\n",
            "sys.breakpointhook = hook\n",
            "x = tracer.set_trace()\n",
            "def set_trace():\n    pdb = Pdb()\n    pdb.set_trace(frame)\n",
            "import pdb\n\ndef set_trace():\n    pdb.set_trace()\n",
        ] {
            assert!(findings(src, "PM1702", T).is_empty(), "{src}");
        }
    }

    #[test]
    fn fix_removes_the_line_or_leaves_pass() {
        assert_eq!(
            fixed(
                "def f(x):\n    breakpoint()  # look here\n    return x\n",
                "PM1702",
                T
            ),
            "def f(x):\n    return x\n"
        );
        assert_eq!(
            fixed("if debug:\n    breakpoint()\nrun()\n", "PM1702", T),
            "if debug:\n    pass\nrun()\n"
        );
    }
}
