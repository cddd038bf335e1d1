//! PM1007 (off by default): an `async def` that never suspends: no `await`, `async for`,
//! `async with` or asynchronous comprehension in its own body, and no `yield` (§10.2.1).

use super::api_util::Func;
use super::conc_common::any_in_scope;
use super::iter_util::is_generator;
use super::source::def_name;
use super::{Ctx, Kind, Node, Rule};
use crate::syntax::ast::{Constant, Expr, Stmt};
use crate::syntax::span;

pub struct AsyncWithoutAwait;

const CODE: &str = "PM1007";

impl Rule for AsyncWithoutAwait {
    fn code(&self) -> &'static str {
        CODE
    }

    fn kinds(&self) -> &'static [Kind] {
        &[Kind::AsyncFunctionDef]
    }

    fn check(&self, node: Node<'_>, ctx: &mut Ctx<'_>) {
        let Node::Stmt(stmt) = node else { return };
        let Some(f) = Func::of(stmt) else { return };
        // Protocol methods (`__aenter__`, `__anext__`...) must be coroutines whatever they do.
        let dunder = f.name.starts_with("__") && f.name.ends_with("__");
        if dunder
            || f.body.iter().all(is_stub)
            || f.is_abstract()
            || f.decorated_with(&["overload"])
            || is_generator(f.body)
            || suspends(f.body)
        {
            return;
        }
        let range = def_name(ctx.source, span(stmt).0, f.decorators, f.name);
        ctx.report(CODE, range, &[("name", f.name)], None);
    }
}

/// A statement that only stands for an unwritten or refused body: a docstring, `pass`, `...`
/// or a `raise`.
pub fn is_stub(s: &Stmt) -> bool {
    match s {
        Stmt::Pass(_) | Stmt::Raise(_) => true,
        Stmt::Expr(e) => matches!(
            &*e.value,
            Expr::Constant(c) if matches!(c.value, Constant::Str(_) | Constant::Ellipsis)
        ),
        _ => false,
    }
}

/// True when the body can suspend in its own scope.
fn suspends(body: &[Stmt]) -> bool {
    any_in_scope(body, |n| match n {
        Node::Expr(Expr::Await(_)) | Node::Stmt(Stmt::AsyncFor(_) | Stmt::AsyncWith(_)) => true,
        Node::Expr(Expr::ListComp(c)) => c.generators.iter().any(|g| g.is_async),
        Node::Expr(Expr::SetComp(c)) => c.generators.iter().any(|g| g.is_async),
        Node::Expr(Expr::DictComp(c)) => c.generators.iter().any(|g| g.is_async),
        Node::Expr(Expr::GeneratorExp(c)) => c.generators.iter().any(|g| g.is_async),
        _ => false,
    })
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{findings, flagged};

    const T: (u8, u8) = (3, 12);

    #[test]
    fn flags_coroutines_that_never_suspend() {
        let src = "\
async def total(items):
    return sum(items)

class Repo:
    @cached
    async def load(self):
        def inner():
            return 1
        async def nested():
            await x
        return inner()
";
        let found = findings(src, "PM1007", T);
        assert_eq!(flagged(src, &found), ["total", "load"]);
        assert_eq!(
            found[0].message,
            "`async def total` never awaits: it runs from start to end without giving the event loop a chance to run anything else, so it need not be a coroutine"
        );
        assert_eq!(found[0].section, "10.2.1");
    }

    #[test]
    fn silent_when_it_suspends_yields_or_is_a_stub() {
        let src = "\
async def a(x):
    await x
async def b(xs):
    async for x in xs:
        pass
async def c(cm):
    async with cm:
        pass
async def d(xs):
    return [x async for x in xs]
async def e():
    yield 1
async def f():
    \"\"\"Doc.\"\"\"
    ...
async def g():
    raise NotImplementedError
class P:
    @abstractmethod
    async def h(self):
        return 1
    @overload
    async def i(self, x: int) -> int:
        return x
async def j(xs):
    return {k: await v for k, v in xs}
class CM:
    async def __aenter__(self):
        return self
";
        assert!(findings(src, "PM1007", T).is_empty());
    }
}
