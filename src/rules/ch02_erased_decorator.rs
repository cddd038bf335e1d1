//! PM0216: a decorator annotated `(func: Callable[..., R]) -> Callable[..., R]`, which tells the
//! type checker that the decorated function accepts any arguments at all (§2.4.3).

use super::ch02_final_reassigned::scope_stmts;
use super::source::def_name;
use super::typing_names::{BlockNames, TYPING};
use super::{Ctx, Kind, Node, Rule};
use crate::syntax::ast::{Arguments, Constant, Expr, Stmt};
use crate::syntax::span;

pub struct ErasedDecorator;

const CODE: &str = "PM0216";

/// `Callable[..., X]` from typing or collections.abc.
fn is_ellipsis_callable(e: &Expr, names: &BlockNames) -> bool {
    let Expr::Subscript(s) = e else { return false };
    let callable = names.resolve(&s.value).is_some_and(|r| {
        r.member == "Callable" && (r.is_in(TYPING) || r.is_in(&["collections.abc"]))
    });
    let Expr::Tuple(t) = &*s.slice else {
        return false;
    };
    callable
        && t.elts.len() == 2
        && matches!(&t.elts[0], Expr::Constant(c) if matches!(c.value, Constant::Ellipsis))
}

impl Rule for ErasedDecorator {
    fn code(&self) -> &'static str {
        CODE
    }

    fn kinds(&self) -> &'static [Kind] {
        &[Kind::FunctionDef]
    }

    fn check(&self, node: Node<'_>, ctx: &mut Ctx<'_>) {
        let Node::Stmt(stmt @ Stmt::FunctionDef(f)) = node else {
            return;
        };
        let Some(ret) = &f.returns else { return };
        let args: &Arguments = &f.args;
        let params: Vec<_> = args.posonlyargs.iter().chain(&args.args).collect();
        // `self` / `cls` first for a method.
        let params = match params.as_slice() {
            [p] => vec![*p],
            [first, p] if matches!(first.def.arg.as_str(), "self" | "cls") => vec![*p],
            _ => return,
        };
        if !args.kwonlyargs.is_empty() || args.vararg.is_some() || args.kwarg.is_some() {
            return;
        }
        let param = params[0];
        let Some(ann) = &param.def.annotation else {
            return;
        };
        let src_has = |e: &Expr| super::typing_names::text(ctx.source, e).contains("Callable");
        if !src_has(ann) || !src_has(ret) {
            return;
        }
        let names = BlockNames::of_block(node, ctx);
        if !is_ellipsis_callable(ann, &names) || !is_ellipsis_callable(ret, &names) {
            return;
        }
        // It must look like a decorator: it returns an inner def or the argument itself.
        let inner: Vec<&str> = f
            .body
            .iter()
            .filter_map(|s| match s {
                Stmt::FunctionDef(d) => Some(d.name.as_str()),
                Stmt::AsyncFunctionDef(d) => Some(d.name.as_str()),
                _ => None,
            })
            .collect();
        let pname = param.def.arg.as_str();
        let mut stmts = Vec::new();
        scope_stmts(&f.body, &mut stmts);
        let returns_wrapper = stmts.iter().any(|s| match s {
            Stmt::Return(r) => matches!(r.value.as_deref(), Some(Expr::Name(n)) if n.id.as_str() == pname || inner.contains(&n.id.as_str())),
            _ => false,
        });
        if !returns_wrapper {
            return;
        }
        let range = def_name(ctx.source, span(stmt).0, &f.decorator_list, f.name.as_str());
        ctx.report(CODE, range, &[("name", f.name.as_str())], None);
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{findings, flagged};

    const T: (u8, u8) = (3, 12);

    #[test]
    fn flags_decorators_typed_with_ellipsis_callables() {
        let src = "def logged(func: Callable[..., Any]) -> Callable[..., Any]:\n    @functools.wraps(func)\n    def wrapper(*args, **kwargs):\n        return func(*args, **kwargs)\n    return wrapper\n\ndef register(fn: typing.Callable[..., T]) -> typing.Callable[..., T]:\n    REGISTRY.append(fn)\n    return fn\n";
        let found = findings(src, "PM0216", T);
        assert_eq!(flagged(src, &found), ["logged", "register"]);
        assert_eq!(
            found[0].message,
            "Decorator `logged` is typed `Callable[..., R] -> Callable[..., R]`: every function it decorates loses its parameters for the type checker; use `ParamSpec` (`Callable[P, R] -> Callable[P, R]`)"
        );
        assert_eq!(found[0].section, "2.4.3");
    }

    #[test]
    fn silent_on_near_misses() {
        for s in [
            "def deco(func: Callable[P, R]) -> Callable[P, R]:\n    return func\n",
            "def call(func: Callable[..., Any]) -> Callable[..., Any]:\n    return make(func)\n",
            "def pick(func: Callable[..., Any], other: int) -> Callable[..., Any]:\n    return func\n",
            "def deco(func: Callable[[int], str]) -> Callable[[int], str]:\n    return func\n",
            "def deco(func: Callable[..., Any]) -> Any:\n    return func\n",
        ] {
            assert!(findings(s, "PM0216", T).is_empty(), "{s}");
        }
    }
}
