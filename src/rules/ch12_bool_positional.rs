//! PM1207 (off by default): a boolean flag (a parameter defaulting to `True` or `False`) that
//! callers may pass by position, so call sites read `f(x, True)` (§12.2.1).

use super::api_util::{caller_positionals, method_class, param_name_range, public_def, Func};
use super::{Ctx, Kind, Node, Rule};
use crate::syntax::ast::{Constant, Expr};

pub struct BoolPositional;

const CODE: &str = "PM1207";

impl Rule for BoolPositional {
    fn code(&self) -> &'static str {
        CODE
    }

    fn kinds(&self) -> &'static [Kind] {
        &[Kind::FunctionDef, Kind::AsyncFunctionDef]
    }

    fn check(&self, node: Node<'_>, ctx: &mut Ctx<'_>) {
        let Node::Stmt(stmt) = node else { return };
        let Some(f) = Func::of(stmt) else { return };
        if !public_def(ctx, &f) || f.decorated_with(&["overload", "override"]) || is_hook(f.name) {
            return;
        }
        let is_method = method_class(ctx).is_some();
        for p in caller_positionals(&f, is_method) {
            let Some(Expr::Constant(c)) = p.default.as_deref() else {
                continue;
            };
            if !matches!(c.value, Constant::Bool(_)) {
                continue;
            }
            let name = p.def.arg.as_str();
            let range = param_name_range(ctx.source, &p.def);
            ctx.report(CODE, range, &[("name", name), ("func", f.name)], None);
        }
    }
}

/// Dunder methods other than constructors and `__call__`: their signatures are fixed by the
/// protocol they implement.
fn is_hook(name: &str) -> bool {
    name.starts_with("__")
        && name.ends_with("__")
        && !matches!(name, "__init__" | "__new__" | "__call__")
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{findings, flagged};

    const T: (u8, u8) = (3, 12);

    #[test]
    fn flags_positional_boolean_flags() {
        let src = "\
def fetch(url, retry=True, verbose: bool = False):
    pass

class Client:
    def __init__(self, strict=False):
        pass
    def send(self, data, /, flush=True):
        pass
";
        let found = findings(src, "PM1207", T);
        assert_eq!(
            flagged(src, &found),
            ["retry", "verbose", "strict", "flush"]
        );
        assert_eq!(
            found[0].message,
            "Boolean flag `retry` of `fetch` can be passed by position, so calls read `fetch(..., True)`; put it after `*` to make callers name it"
        );
        assert_eq!(found[0].section, "12.2.1");
    }

    #[test]
    fn silent_on_keyword_only_private_nested_and_non_bool() {
        let src = "\
def fetch(url, *, retry=True):
    pass

def _fetch(url, retry=True):
    pass

def outer():
    def inner(x, flag=True):
        pass

def count(n=0, name=None, mode='r'):
    pass

class _Impl:
    def run(self, fast=True):
        pass

class C:
    def __exit__(self, a=None, b=False, c=True):
        pass

def test_thing(flag=True):
    pass

@overload
def g(x, flag=True): ...
";
        assert!(findings(src, "PM1207", T).is_empty());
    }
}
