//! PM1208 (off by default): a public function with more than five positional parameters
//! (the receiver of a method not counted), which callers must get in the right order (§12.2.1).

use super::api_util::{caller_positionals, method_class, public_def, Func};
use super::source::def_name;
use super::{Ctx, Kind, Node, Rule};
use crate::syntax::span;

pub struct ManyPositional;

const CODE: &str = "PM1208";

const MAX: usize = 5;

impl Rule for ManyPositional {
    fn code(&self) -> &'static str {
        CODE
    }

    fn kinds(&self) -> &'static [Kind] {
        &[Kind::FunctionDef, Kind::AsyncFunctionDef]
    }

    fn check(&self, node: Node<'_>, ctx: &mut Ctx<'_>) {
        let Node::Stmt(stmt) = node else { return };
        let Some(f) = Func::of(stmt) else { return };
        if !public_def(ctx, &f) || f.decorated_with(&["overload", "override"]) {
            return;
        }
        let n = caller_positionals(&f, method_class(ctx).is_some()).len();
        if n <= MAX {
            return;
        }
        let count = n.to_string();
        let range = def_name(ctx.source, span(stmt).0, f.decorators, f.name);
        ctx.report(
            CODE,
            range,
            &[("name", f.name), ("count", count.as_str())],
            None,
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{findings, flagged};

    const T: (u8, u8) = (3, 12);

    #[test]
    fn flags_more_than_five_positionals() {
        let src = "\
def plot(x, y, color, width, style, label):
    pass

class Canvas:
    def line(self, x0, y0, x1, y1, color, /, width=1):
        pass
";
        let found = findings(src, "PM1208", T);
        assert_eq!(flagged(src, &found), ["plot", "line"]);
        assert_eq!(
            found[0].message,
            "`plot` takes 6 positional parameters: callers must remember their order; make the optional ones keyword-only (after `*`) or group related ones into an object"
        );
        assert!(found[1].message.contains("takes 6 positional"));
        assert_eq!(found[0].section, "12.2.1");
    }

    #[test]
    fn silent_at_five_keyword_only_private_or_nested() {
        let src = "\
def a(x, y, z, u, v):
    pass

class C:
    def m(self, a, b, c, d, e):
        pass
    @staticmethod
    def s(a, b, c, d, e):
        pass

def b(x, y, *, z, u, v, w):
    pass

def _c(a, b, c, d, e, f):
    pass

def outer():
    def inner(a, b, c, d, e, f):
        pass

def d(a, b, c, *args, **kw):
    pass
";
        assert!(findings(src, "PM1208", T).is_empty());
    }
}
