//! PM1205 (off by default): a parameter or local variable named like a builtin (`list`, `id`,
//! `type`, `max`...), which hides the builtin for the rest of the function (§12.7.2).

use super::api_util::{param_name_range, Func};
use super::iter_util::scan;
use super::{Ctx, Kind, Node, Rule};
use crate::syntax::ast::{self, Expr, ExprContext, Stmt};
use crate::syntax::span;

pub struct ShadowedBuiltin;

const CODE: &str = "PM1205";

/// Builtins whose shadowing confuses readers or breaks later code in the same function.
pub const BUILTINS: &[&str] = &[
    "abs",
    "all",
    "any",
    "ascii",
    "bin",
    "bool",
    "breakpoint",
    "bytearray",
    "bytes",
    "callable",
    "chr",
    "classmethod",
    "compile",
    "complex",
    "delattr",
    "dict",
    "dir",
    "divmod",
    "enumerate",
    "eval",
    "exec",
    "filter",
    "float",
    "format",
    "frozenset",
    "getattr",
    "globals",
    "hasattr",
    "hash",
    "help",
    "hex",
    "id",
    "input",
    "int",
    "isinstance",
    "issubclass",
    "iter",
    "len",
    "list",
    "locals",
    "map",
    "max",
    "memoryview",
    "min",
    "next",
    "object",
    "oct",
    "open",
    "ord",
    "pow",
    "print",
    "property",
    "range",
    "repr",
    "reversed",
    "round",
    "set",
    "setattr",
    "slice",
    "sorted",
    "staticmethod",
    "str",
    "sum",
    "super",
    "tuple",
    "type",
    "vars",
    "zip",
];

impl Rule for ShadowedBuiltin {
    fn code(&self) -> &'static str {
        CODE
    }

    fn kinds(&self) -> &'static [Kind] {
        &[Kind::FunctionDef, Kind::AsyncFunctionDef]
    }

    fn check(&self, node: Node<'_>, ctx: &mut Ctx<'_>) {
        let Node::Stmt(stmt) = node else { return };
        let Some(f) = Func::of(stmt) else { return };
        let mut seen: Vec<&str> = Vec::new();
        for (name, range) in params(&f, ctx) {
            if BUILTINS.contains(&name) && !seen.contains(&name) {
                seen.push(name);
                ctx.report(CODE, range, &[("name", name), ("what", "Parameter")], None);
            }
        }
        let mut locals: Vec<(&str, (usize, usize))> = Vec::new();
        let mut globals: Vec<&str> = Vec::new();
        let mut comp_targets: Vec<(usize, usize)> = Vec::new();
        scan(f.body, |n| match n {
            Node::Expr(Expr::Name(x)) if matches!(x.ctx, ExprContext::Store) => {
                let r = span(x);
                if !comp_targets.iter().any(|c| c.0 <= r.0 && r.1 <= c.1) {
                    locals.push((x.id.as_str(), r));
                }
            }
            Node::Expr(e) => {
                let gens: &[ast::Comprehension] = match e {
                    Expr::ListComp(c) => &c.generators,
                    Expr::SetComp(c) => &c.generators,
                    Expr::DictComp(c) => &c.generators,
                    Expr::GeneratorExp(c) => &c.generators,
                    _ => &[],
                };
                comp_targets.extend(gens.iter().map(|g| span(&g.target)));
            }
            Node::Stmt(Stmt::Global(g)) => globals.extend(g.names.iter().map(|i| i.as_str())),
            Node::Stmt(Stmt::Nonlocal(g)) => globals.extend(g.names.iter().map(|i| i.as_str())),
            _ => {}
        });
        for (name, range) in locals {
            if BUILTINS.contains(&name) && !seen.contains(&name) && !globals.contains(&name) {
                seen.push(name);
                ctx.report(
                    CODE,
                    range,
                    &[("name", name), ("what", "Local variable")],
                    None,
                );
            }
        }
    }
}

/// Each parameter's name with the range of the name itself.
fn params<'a>(f: &Func<'a>, ctx: &Ctx<'_>) -> Vec<(&'a str, (usize, usize))> {
    let a: &ast::Arguments = f.args;
    let mut out: Vec<&'a ast::Arg> = a
        .posonlyargs
        .iter()
        .chain(&a.args)
        .chain(&a.kwonlyargs)
        .map(|p| &p.def)
        .collect();
    out.extend(a.vararg.as_deref());
    out.extend(a.kwarg.as_deref());
    out.into_iter()
        .map(|p| (p.arg.as_str(), param_name_range(ctx.source, p)))
        .collect()
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{findings, flagged};

    const T: (u8, u8) = (3, 12);

    #[test]
    fn flags_parameters_and_locals_named_like_builtins() {
        let src = "\
def lookup(id, *, type: str = 'x', **dict):
    list = [id]
    for max in list:
        print(max)
    list = []
    return list
";
        let found = findings(src, "PM1205", T);
        assert_eq!(flagged(src, &found), ["id", "type", "dict", "list", "max"]);
        assert_eq!(
            found[0].message,
            "Parameter `id` hides the builtin `id()` in this function: name it for what it holds (`user_id`, `items`...)"
        );
        assert!(found[3].message.starts_with("Local variable `list`"));
        assert_eq!(found[0].section, "12.7.2");
    }

    #[test]
    fn silent_on_other_names_globals_and_nested_scopes() {
        let src = "\
def f(ids, kind, items):
    global input
    input = 1
    user_id = 2
    def inner():
        return 3
    g = lambda id: id
    self.list = []
    obj.type = 1
    return [max for max in items]
list = []
";
        let found = findings(src, "PM1205", T);
        assert!(found.is_empty(), "{found:?}");
    }
}
