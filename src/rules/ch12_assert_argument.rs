//! PM1204: `assert` used to check an argument of a public function, a check that disappears
//! under `python -O` (§12.6.3).

use super::api_util::{enclosing_func, public_function};
use super::iter_util::expr_has;
use super::typing_names::BlockNames;
use super::{Ctx, Kind, Node, Rule};
use crate::syntax::ast::{Expr, Stmt};
use crate::syntax::span;

pub struct AssertArgument;

const CODE: &str = "PM1204";

impl Rule for AssertArgument {
    fn code(&self) -> &'static str {
        CODE
    }

    fn kinds(&self) -> &'static [Kind] {
        &[Kind::Assert]
    }

    fn check(&self, node: Node<'_>, ctx: &mut Ctx<'_>) {
        let Node::Stmt(Stmt::Assert(a)) = node else {
            return;
        };
        let Some((f, class)) = enclosing_func(ctx) else {
            return;
        };
        // Argument checks come first in the body: an assert nested in a branch or loop, or
        // after code that rebinds the parameter, checks the function's own state instead.
        let Some(at) = f
            .body
            .iter()
            .position(|s| matches!(node, Node::Stmt(n) if std::ptr::eq(s, n)))
        else {
            return;
        };
        let earlier = BlockNames::of(&f.body[..at]);
        let class_name = class.map(|c| c.name.as_str());
        if !public_function(ctx, f.name, class_name, true) {
            return;
        }
        let mut params = f.params();
        if class.is_some() && !f.decorated_with(&["staticmethod"]) && !params.is_empty() {
            params.remove(0);
        }
        let mut hit: Option<&str> = None;
        expr_has(&a.test, |e| match e {
            Expr::Name(n) => {
                if hit.is_none() {
                    hit = params
                        .iter()
                        .copied()
                        .find(|p| *p == n.id.as_str() && !earlier.assigns(p));
                }
                hit.is_some()
            }
            _ => false,
        });
        let Some(param) = hit else { return };
        ctx.report(CODE, span(a), &[("param", param), ("func", f.name)], None);
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{findings, findings_in, flagged};
    use crate::syntax::FileRole;

    const T: (u8, u8) = (3, 12);

    #[test]
    fn flags_asserts_on_arguments_of_public_functions() {
        let src = "\
def resize(image, width, height=None):
    assert width > 0, 'width must be positive'
    assert height is None or isinstance(height, int)
    return image

class Pool:
    def __init__(self, size):
        assert size >= 1
";
        let found = findings(src, "PM1204", T);
        assert_eq!(
            flagged(src, &found),
            [
                "assert width > 0, 'width must be positive'",
                "assert height is None or isinstance(height, int)",
                "assert size >= 1"
            ]
        );
        assert_eq!(
            found[0].message,
            "`assert` checks argument `width` of public `resize`: assertions are stripped under `python -O`, so callers get no error at all; raise `ValueError` or `TypeError` instead"
        );
        assert_eq!(found[0].section, "12.6.3");
    }

    #[test]
    fn silent_on_private_nested_test_or_internal_asserts() {
        let src = "\
def _helper(x):
    assert x

class _Impl:
    def run(self, x):
        assert x

class Pool:
    def grow(self, n):
        assert self.size < 10
        total = n * 2
        assert total
        def inner(y):
            assert y

def outer():
    def inner(y):
        assert y

def test_resize(tmp_path):
    assert tmp_path.exists()

class TestPool:
    def check(self, n):
        assert n

def f(x):
    lam = lambda y: y
    assert other

def g(x, y):
    if y:
        assert x
    for i in y:
        assert i
    x = x.strip()
    assert x
";
        assert!(findings(src, "PM1204", T).is_empty());
    }

    #[test]
    fn silent_in_test_files() {
        let src = "def area(w):\n    assert w > 0\n    return w\n";
        assert_eq!(findings(src, "PM1204", T).len(), 1);
        let test = FileRole {
            test: true,
            ..FileRole::default()
        };
        assert!(findings_in(src, "PM1204", T, test).is_empty());
    }
}
