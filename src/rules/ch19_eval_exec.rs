//! PM1903: `eval` or `exec` of text that is not a literal (§19.2.3). If any part of it comes
//! from outside, it runs as code with the program's rights.

use super::{Ctx, Kind, Node, Rule};
use crate::syntax::ast::{Constant, Expr};
use crate::syntax::span;

pub struct EvalExec;

const CODE: &str = "PM1903";

impl Rule for EvalExec {
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
        let Expr::Name(n) = &*call.func else { return };
        let name = n.id.as_str();
        // A module that defines or imports its own `eval` means something else by it.
        if !matches!(name, "eval" | "exec")
            || ctx.module.imports.imported(name).is_some()
            || ctx.module.functions_named(name).next().is_some()
        {
            return;
        }
        let Some(arg) = call.args.first() else { return };
        let literal = matches!(arg, Expr::Constant(c) if matches!(c.value, Constant::Str(_) | Constant::Bytes(_)));
        // Compiled code objects come from `compile`, which is where the text was judged.
        let compiled = matches!(arg, Expr::Call(c) if matches!(&*c.func, Expr::Name(f) if f.id.as_str() == "compile"));
        if literal || compiled {
            return;
        }
        ctx.report(CODE, span(e), &[("call", name)], None);
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{findings, flagged};

    const T: (u8, u8) = (3, 12);

    #[test]
    fn flags_eval_and_exec_of_variable_text() {
        let src = "def calc(expr):\n    return eval(expr)\n\nexec(f'x = {value}')\n";
        let found = findings(src, "PM1903", T);
        assert_eq!(flagged(src, &found), ["eval(expr)", "exec(f'x = {value}')"]);
        assert_eq!(
            found[0].message,
            "`eval` runs its argument as Python code: if any of it comes from outside, so does the code. Parse the data instead (`ast.literal_eval`, `json.loads`, a dispatch table)"
        );
        assert_eq!(found[0].section, "19.2.3");
    }

    #[test]
    fn silent_on_literals_and_other_evals() {
        for src in [
            "eval('1 + 1')\n",
            "exec(compile(tree, path, 'exec'))\n",
            "from numexpr import eval\neval(expr)\n",
            "model.eval()\n",
            "ast.literal_eval(text)\n",
        ] {
            assert!(findings(src, "PM1903", T).is_empty(), "{src}");
        }
    }
}
