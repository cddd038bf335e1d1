//! PM0127: `__exit__` / `__aexit__` whose parameters cannot take the three positional
//! arguments the with statement passes (§1.3.6).

use super::source::def_name;
use super::{Ctx, Kind, Node, Rule, Scope};
use crate::syntax::ast::{Arguments, Stmt};

pub struct ExitSignature;

const CODE: &str = "PM0127";

/// Why a method called as `m(obj, exc_type, exc, tb)` fails, if it does.
fn problem(a: &Arguments) -> Option<String> {
    let positional: Vec<_> = a.posonlyargs.iter().chain(&a.args).collect();
    let required = positional.iter().filter(|p| p.default.is_none()).count();
    if positional.len() < 4 && a.vararg.is_none() {
        let n = positional.len().saturating_sub(1);
        return Some(format!(
            "takes {n} argument{} after `self`",
            if n == 1 { "" } else { "s" }
        ));
    }
    if required > 4 {
        return Some(format!("requires {} arguments after `self`", required - 1));
    }
    if let Some(k) = a.kwonlyargs.iter().find(|k| k.default.is_none()) {
        return Some(format!(
            "requires the keyword-only argument `{}`",
            k.def.arg
        ));
    }
    None
}

impl Rule for ExitSignature {
    fn code(&self) -> &'static str {
        CODE
    }

    fn kinds(&self) -> &'static [Kind] {
        &[Kind::FunctionDef, Kind::AsyncFunctionDef]
    }

    fn check(&self, node: Node<'_>, ctx: &mut Ctx<'_>) {
        let (name, args, decorators) = match node {
            Node::Stmt(Stmt::FunctionDef(f)) => (f.name.as_str(), &*f.args, &f.decorator_list),
            Node::Stmt(Stmt::AsyncFunctionDef(f)) => (f.name.as_str(), &*f.args, &f.decorator_list),
            _ => return,
        };
        // A decorator (staticmethod, classmethod, a wrapper) changes what the call receives.
        if !matches!(name, "__exit__" | "__aexit__")
            || !decorators.is_empty()
            || !matches!(ctx.scope(), Scope::Class(_))
        {
            return;
        }
        let Some(why) = problem(args) else {
            return;
        };
        let range = def_name(ctx.source, node.span().0, decorators, name);
        ctx.report(
            CODE,
            range,
            &[("name", name), ("problem", why.as_str())],
            None,
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{findings, flagged};

    const T: (u8, u8) = (3, 12);

    #[test]
    fn flags_wrong_parameter_counts() {
        let src = "class A:\n    def __exit__(self):\n        pass\n\nclass B:\n    async def __aexit__(self, exc_type, exc):\n        pass\n\nclass C:\n    def __exit__(self, a, b, c, d):\n        pass\n\nclass D:\n    def __exit__(self, *args, strict):\n        pass\n";
        let found = findings(src, "PM0127", T);
        assert_eq!(
            flagged(src, &found),
            ["__exit__", "__aexit__", "__exit__", "__exit__"]
        );
        assert_eq!(
            found[0].message,
            "`__exit__` takes 0 arguments after `self`, but the with statement always passes three (exception type, value and traceback): every with block using it ends in TypeError"
        );
        assert!(found[1].message.contains("takes 2 arguments after `self`"));
        assert!(found[2]
            .message
            .contains("requires 4 arguments after `self`"));
        assert!(found[3]
            .message
            .contains("requires the keyword-only argument `strict`"));
        assert_eq!(found[0].section, "1.3.6");
    }

    #[test]
    fn silent_on_signatures_that_accept_three_arguments() {
        let src = "class A:\n    def __exit__(self, exc_type, exc, tb):\n        pass\n    async def __aexit__(self, *exc_info):\n        pass\n\nclass B:\n    def __exit__(self, t=None, v=None, tb=None, extra=None, *, log=False):\n        pass\n\nclass C:\n    def __exit__(self, t, /, *rest):\n        pass\n    def __enter__(self):\n        pass\n\nclass D:\n    @staticmethod\n    def __exit__(*a):\n        pass\n\ndef __exit__(self):\n    pass\n";
        assert!(findings(src, "PM0127", T).is_empty());
    }
}
