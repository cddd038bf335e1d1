//! PM0109: `__repr__`, `__str__` or `__format__` returning a literal that is not a str, which
//! makes `repr()`, `str()` or `format()` raise TypeError (§1.3.2).

use super::{Ctx, Kind, Node, Rule};
use crate::syntax::ast::{Constant, Expr, Stmt};

pub struct ReprNonStr;

const CODE: &str = "PM0109";

/// The method the current node returns from, when it is one of the three and sits in a class.
fn method(ctx: &Ctx<'_>) -> Option<&'static str> {
    let mut it = ctx.parents.iter().rev();
    let name = loop {
        match it.next()? {
            Node::Stmt(Stmt::FunctionDef(f)) => break f.name.as_str(),
            Node::Stmt(Stmt::AsyncFunctionDef(_) | Stmt::ClassDef(_))
            | Node::Expr(Expr::Lambda(_)) => return None,
            _ => {}
        }
    };
    let builtin = match name {
        "__repr__" => "repr",
        "__str__" => "str",
        "__format__" => "format",
        _ => return None,
    };
    for p in it {
        match p {
            Node::Stmt(Stmt::ClassDef(_)) => return Some(builtin),
            Node::Stmt(Stmt::FunctionDef(_) | Stmt::AsyncFunctionDef(_)) => return None,
            _ => {}
        }
    }
    None
}

/// The type of a literal that is certainly not a str.
fn non_str_literal(e: Option<&Expr>) -> Option<&'static str> {
    Some(match e {
        None => "NoneType",
        Some(Expr::Constant(c)) => match c.value {
            Constant::Str(_) => return None,
            Constant::None => "NoneType",
            Constant::Bool(_) => "bool",
            Constant::Bytes(_) => "bytes",
            Constant::Int(_) => "int",
            Constant::Float(_) => "float",
            Constant::Complex { .. } => "complex",
            Constant::Tuple(_) => "tuple",
            Constant::Ellipsis => "ellipsis",
        },
        Some(Expr::List(_) | Expr::ListComp(_)) => "list",
        Some(Expr::Tuple(_)) => "tuple",
        Some(Expr::Dict(_) | Expr::DictComp(_)) => "dict",
        Some(Expr::Set(_) | Expr::SetComp(_)) => "set",
        _ => return None,
    })
}

impl Rule for ReprNonStr {
    fn code(&self) -> &'static str {
        CODE
    }

    fn kinds(&self) -> &'static [Kind] {
        &[Kind::Return]
    }

    fn check(&self, node: Node<'_>, ctx: &mut Ctx<'_>) {
        let Node::Stmt(Stmt::Return(ret)) = node else {
            return;
        };
        let Some(kind) = non_str_literal(ret.value.as_deref()) else {
            return;
        };
        let Some(builtin) = method(ctx) else {
            return;
        };
        let dunder = format!("__{builtin}__");
        let args = [
            ("method", dunder.as_str()),
            ("type", kind),
            ("builtin", builtin),
        ];
        ctx.report(CODE, node.span(), &args, None);
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{findings, flagged};

    const T: (u8, u8) = (3, 12);

    #[test]
    fn flags_non_str_literals_returned() {
        let src = "class Cell:\n    def __repr__(self):\n        if self.empty:\n            return None\n        return 0\n\n    def __str__(self):\n        return [self.v]\n\n    def __format__(self, spec):\n        if spec:\n            return\n        return (self.v, spec)\n";
        let found = findings(src, "PM0109", T);
        assert_eq!(
            flagged(src, &found),
            [
                "return None",
                "return 0",
                "return [self.v]",
                "return",
                "return (self.v, spec)"
            ]
        );
        assert_eq!(
            found[1].message,
            "`__repr__` returns a value of type `int`, but `repr()` accepts only a str and raises TypeError"
        );
        assert_eq!(found[0].section, "1.3.2");
        assert!(found[0].fix.is_none());
    }

    #[test]
    fn silent_on_strings_expressions_and_other_scopes() {
        for src in [
            "class A:\n    def __repr__(self):\n        return 'A()'\n    def __str__(self):\n        return f'{self.x}'\n    def __format__(self, spec):\n        return format(self.x, spec)\n",
            "class A:\n    def __repr__(self):\n        return self.name or repr(None)\n",
            "class A:\n    def __repr__(self):\n        def helper():\n            return 0\n        return helper()\n",
            "class A:\n    def __bytes__(self):\n        return b''\n    def __len__(self):\n        return 0\n",
            "def __repr__(self):\n    return None\n",
        ] {
            assert!(findings(src, "PM0109", T).is_empty(), "{src}");
        }
    }
}
