//! PM0108: `__init__` that returns a value or contains `yield`, which makes every
//! instantiation fail with TypeError (§1.3.1).

use super::{Ctx, Kind, Node, Rule};
use crate::syntax::ast::{Constant, Expr, Stmt};

pub struct InitReturn;

const CODE: &str = "PM0108";

/// The innermost function-like scope around the current node, if it is `__init__` defined
/// directly in a class body.
fn in_init(ctx: &Ctx<'_>) -> bool {
    let mut it = ctx.parents.iter().rev();
    loop {
        match it.next() {
            Some(Node::Stmt(Stmt::FunctionDef(f))) => {
                if f.name.as_str() != "__init__" {
                    return false;
                }
                break;
            }
            Some(Node::Stmt(Stmt::AsyncFunctionDef(_) | Stmt::ClassDef(_)))
            | Some(Node::Expr(Expr::Lambda(_)))
            | None => return false,
            _ => {}
        }
    }
    for p in it {
        match p {
            Node::Stmt(Stmt::ClassDef(_)) => return true,
            Node::Stmt(Stmt::FunctionDef(_) | Stmt::AsyncFunctionDef(_)) => return false,
            _ => {}
        }
    }
    false
}

/// A value that is certainly not None.
fn returns_a_value(e: &Expr) -> bool {
    match e {
        Expr::Constant(c) => !matches!(c.value, Constant::None),
        // `return super().__init__(...)`: the call returns None; odd but harmless.
        Expr::Call(c) => !matches!(&*c.func, Expr::Attribute(a) if a.attr.as_str() == "__init__"),
        _ => true,
    }
}

impl Rule for InitReturn {
    fn code(&self) -> &'static str {
        CODE
    }

    fn kinds(&self) -> &'static [Kind] {
        &[Kind::Return, Kind::Yield, Kind::YieldFrom]
    }

    fn check(&self, node: Node<'_>, ctx: &mut Ctx<'_>) {
        let keyword = match node {
            Node::Stmt(Stmt::Return(r)) => match &r.value {
                Some(v) if returns_a_value(v) => "return",
                _ => return,
            },
            Node::Expr(Expr::Yield(_)) => "yield",
            Node::Expr(Expr::YieldFrom(_)) => "yield from",
            _ => return,
        };
        if !in_init(ctx) {
            return;
        }
        let (start, end) = node.span();
        let text = ctx.source.get(start..end).unwrap_or(keyword);
        let shown = if text.len() <= 40 && !text.contains(['\n', '\r']) {
            text.to_string()
        } else {
            format!("{keyword} ...")
        };
        ctx.report(CODE, (start, end), &[("code", shown.as_str())], None);
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{findings, flagged};

    const T: (u8, u8) = (3, 12);

    #[test]
    fn flags_values_and_yields_in_init() {
        let src = "class Conn:\n    def __init__(self, url):\n        if not url:\n            return False\n        self.url = url\n        for part in url:\n            yield part\n        return self\n\nclass Gen:\n    def __init__(self):\n        x = yield from range(3)\n";
        let found = findings(src, "PM0108", T);
        assert_eq!(
            flagged(src, &found),
            [
                "return False",
                "yield part",
                "return self",
                "yield from range(3)"
            ]
        );
        assert_eq!(
            found[0].message,
            "`return False` in `__init__`: Python requires `__init__` to return None, so creating an instance raises TypeError"
        );
        assert_eq!(found[0].section, "1.3.1");
        assert!(found[0].fix.is_none());
    }

    #[test]
    fn silent_on_bare_returns_nested_scopes_and_other_methods() {
        for src in [
            "class A:\n    def __init__(self, x):\n        if x:\n            return\n        self.x = x\n        return None\n",
            "class A:\n    def __init__(self):\n        def gen():\n            yield 1\n            return 2\n        self.f = lambda: (yield)\n        class B:\n            def __init__(self):\n                pass\n",
            "class A(Base):\n    def __init__(self):\n        return super().__init__()\n",
            "class A:\n    def __new__(cls):\n        return object.__new__(cls)\n    def setup(self):\n        return 1\n",
            "def __init__(self):\n    return 1\n",
        ] {
            assert!(findings(src, "PM0108", T).is_empty(), "{src}");
        }
    }
}
