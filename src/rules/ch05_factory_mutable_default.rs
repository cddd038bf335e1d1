//! PM0507: a mutable default argument of a decorator factory, which one object shared by
//! every function the factory decorates (§5.11.a2). PM0105 covers every other `def`.

use super::ch01_mutable_default::{guard_fix, mutable_kind};
use super::{Ctx, Kind, Node, Rule};
use crate::syntax::ast::{Expr, Stmt};
use crate::syntax::span;

pub struct FactoryMutableDefault;

const CODE: &str = "PM0507";

impl Rule for FactoryMutableDefault {
    fn code(&self) -> &'static str {
        CODE
    }

    fn kinds(&self) -> &'static [Kind] {
        &[Kind::FunctionDef, Kind::AsyncFunctionDef]
    }

    fn check(&self, node: Node<'_>, ctx: &mut Ctx<'_>) {
        let Node::Stmt(def) = node else {
            return;
        };
        let (name, args, body) = match def {
            Stmt::FunctionDef(f) => (f.name.as_str(), &*f.args, &f.body[..]),
            Stmt::AsyncFunctionDef(f) => (f.name.as_str(), &*f.args, &f.body[..]),
            _ => return,
        };
        if !is_decorator_factory(def) {
            return;
        }
        for arg in args
            .posonlyargs
            .iter()
            .chain(&args.args)
            .chain(&args.kwonlyargs)
        {
            let Some(default) = &arg.default else {
                continue;
            };
            let Some(kind) = mutable_kind(default) else {
                continue;
            };
            let param = arg.def.arg.as_str();
            let fix = guard_fix(ctx, CODE, def, body, arg, default);
            ctx.report(
                CODE,
                span(&**default),
                &[("param", param), ("kind", kind), ("factory", name)],
                fix,
            );
        }
    }
}

/// A function that returns a nested function which itself returns a nested function: the
/// `def factory(...): def decorator(func): def wrapper(...): ...` shape.
pub(super) fn is_decorator_factory(def: &Stmt) -> bool {
    returned_defs(def).any(|d| returned_defs(d).next().is_some())
}

/// The functions defined directly in `def`'s body that its body returns by name.
fn returned_defs(def: &Stmt) -> impl Iterator<Item = &Stmt> {
    let body: &[Stmt] = match def {
        Stmt::FunctionDef(f) => &f.body,
        Stmt::AsyncFunctionDef(f) => &f.body,
        _ => &[],
    };
    let returned: Vec<&str> = body
        .iter()
        .filter_map(|s| match s {
            Stmt::Return(r) => match r.value.as_deref() {
                Some(Expr::Name(n)) => Some(n.id.as_str()),
                _ => None,
            },
            _ => None,
        })
        .collect();
    body.iter().filter(move |s| match s {
        Stmt::FunctionDef(f) => returned.contains(&f.name.as_str()),
        Stmt::AsyncFunctionDef(f) => returned.contains(&f.name.as_str()),
        _ => false,
    })
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{findings, fixed, flagged};

    const T: (u8, u8) = (3, 12);

    const FACTORY: &str = "\
def retry(times, seen=[]):
    \"\"\"Retry the call.\"\"\"
    def decorate(func):
        @functools.wraps(func)
        def wrapper(*a):
            seen.append(func.__name__)
            return func(*a)
        return wrapper
    return decorate
";

    #[test]
    fn flags_mutable_defaults_of_decorator_factories() {
        let found = findings(FACTORY, "PM0507", T);
        assert_eq!(flagged(FACTORY, &found), ["[]"]);
        assert_eq!(
            found[0].message,
            "Mutable default for `seen` in decorator factory `retry`: this list is created once, so every function that `@retry(...)` decorates shares it"
        );
        assert_eq!(found[0].section, "5.11.a2");
        // PM0105 leaves it to this rule: one finding, not two.
        assert!(findings(FACTORY, "PM0105", T).is_empty());
    }

    #[test]
    fn silent_on_plain_functions_decorators_and_immutable_defaults() {
        for src in [
            // A decorator, not a factory: PM0105's.
            "def deco(func, seen=[]):\n    def wrapper():\n        return func()\n    return wrapper\n",
            // A nested function that is not returned.
            "def f(x=[]):\n    def g():\n        def h():\n            pass\n        return h\n    return x\n",
            "def retry(times=3, exc=(OSError,)):\n    def decorate(func):\n        def wrapper():\n            return func()\n        return wrapper\n    return decorate\n",
        ] {
            assert!(findings(src, "PM0507", T).is_empty(), "{src}");
        }
        let src = "def deco(func, seen=[]):\n    def wrapper():\n        return func()\n    return wrapper\n";
        assert_eq!(findings(src, "PM0105", T).len(), 1);
    }

    #[test]
    fn fix_creates_one_object_per_factory_call() {
        assert_eq!(
            fixed(FACTORY, "PM0507", T),
            FACTORY.replace("seen=[]", "seen=None").replace(
                "\"\"\"Retry the call.\"\"\"\n",
                "\"\"\"Retry the call.\"\"\"\n    if seen is None:\n        seen = []\n"
            )
        );
    }
}
