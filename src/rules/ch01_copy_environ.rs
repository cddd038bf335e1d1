//! PM0155: `copy.copy(os.environ)` / `copy.deepcopy(os.environ)`, which give another
//! `os._Environ` that still writes to the process environment (§1.10).

use super::typing_names::BlockNames;
use super::{Ctx, Edit, Kind, Node, Rule, Safety};
use crate::syntax::ast::Expr;
use crate::syntax::span;

pub struct CopyEnviron;

const CODE: &str = "PM0155";

impl Rule for CopyEnviron {
    fn code(&self) -> &'static str {
        CODE
    }

    fn kinds(&self) -> &'static [Kind] {
        &[Kind::Call]
    }

    fn check(&self, node: Node<'_>, ctx: &mut Ctx<'_>) {
        let Node::Expr(e @ Expr::Call(c)) = node else {
            return;
        };
        let [arg] = &c.args[..] else { return };
        if !c.keywords.is_empty() || !matches!(arg, Expr::Name(_) | Expr::Attribute(_)) {
            return;
        }
        let arg_name = match arg {
            Expr::Name(n) => n.id.as_str(),
            Expr::Attribute(a) => a.attr.as_str(),
            _ => return,
        };
        if arg_name != "environ" {
            return;
        }
        let names = BlockNames::of_block(node, ctx);
        let Some(func) = names.resolve(&c.func) else {
            return;
        };
        if !func.is_in(&["copy"]) || !matches!(func.member.as_str(), "copy" | "deepcopy") {
            return;
        }
        // `os.environ`, or `environ` imported from `os` in this block.
        let environ = names
            .resolve(arg)
            .is_some_and(|r| r.member == "environ" && r.module.as_deref() == Some("os"));
        if !environ {
            return;
        }
        let (a0, a1) = span(arg);
        let Some(arg_text) = ctx.source.get(a0..a1) else {
            return;
        };
        let func_text = if func.member == "copy" {
            "copy.copy"
        } else {
            "copy.deepcopy"
        };
        let new = format!("{arg_text}.copy()");
        let fix = ctx.fix(
            CODE,
            &[("new", &new)],
            Safety::Unsafe,
            vec![Edit {
                start: span(e).0,
                end: span(e).1,
                text: new.clone(),
            }],
        );
        ctx.report(CODE, span(e), &[("func", func_text)], Some(fix));
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{findings, fixed, flagged};

    const T: (u8, u8) = (3, 12);

    #[test]
    fn flags_copies_of_environ() {
        let src = "import copy, os\nenv = copy.copy(os.environ)\nenv2 = copy.deepcopy(os.environ)\n\ndef f():\n    from copy import copy as cp\n    from os import environ\n    return cp(environ)\n";
        let found = findings(src, "PM0155", T);
        assert_eq!(
            flagged(src, &found),
            [
                "copy.copy(os.environ)",
                "copy.deepcopy(os.environ)",
                "cp(environ)"
            ]
        );
        assert_eq!(
            found[0].message,
            "`copy.copy(os.environ)` is not a detached copy: it is another `os._Environ`, and setting or deleting a key through it still changes the process environment; use `os.environ.copy()` for a plain dict"
        );
        assert_eq!(found[0].section, "1.10");
    }

    #[test]
    fn silent_on_other_copies() {
        let src = "import copy, os\na = os.environ.copy()\nb = dict(os.environ)\nc = copy.copy(env)\nd = copy.copy(self.environ)\ne = other.copy(os.environ)\n\ndef g(environ):\n    return copy.copy(environ)\n";
        assert!(findings(src, "PM0155", T).is_empty());
    }

    #[test]
    fn fix_calls_environ_copy() {
        assert_eq!(
            fixed("env = copy.deepcopy(os.environ)\n", "PM0155", T),
            "env = os.environ.copy()\n"
        );
    }
}
