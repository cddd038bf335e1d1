//! PM0113: `getattr(obj, "name")` / `setattr(obj, "name", value)` with a constant attribute
//! name, which is plain attribute access written the long way (§1.6).

use super::{Ctx, Edit, Kind, Node, Rule, Safety};
use crate::syntax::ast::{Constant, Expr, Stmt};
use crate::syntax::span;

pub struct GetattrConstant;

const CODE: &str = "PM0113";

#[rustfmt::skip]
const KEYWORDS: &[&str] = &[
    "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class",
    "continue", "def", "del", "elif", "else", "except", "finally", "for", "from", "global",
    "if", "import", "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise", "return",
    "try", "while", "with", "yield", "__debug__",
];

/// An ASCII identifier that can follow a dot (no keyword; no private name that a class body
/// would mangle).
fn plain_attribute(name: &str, in_class: bool) -> bool {
    let mut chars = name.chars();
    let ok = chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_');
    let mangled = in_class && name.starts_with("__") && !name.ends_with("__");
    ok && !mangled && !KEYWORDS.contains(&name)
}

/// True when `e` can be followed by `.name` without parentheses.
fn is_primary(e: &Expr) -> bool {
    match e {
        Expr::Name(_)
        | Expr::Attribute(_)
        | Expr::Call(_)
        | Expr::Subscript(_)
        | Expr::List(_)
        | Expr::Dict(_)
        | Expr::Set(_)
        | Expr::ListComp(_)
        | Expr::SetComp(_)
        | Expr::DictComp(_)
        | Expr::JoinedStr(_) => true,
        Expr::Constant(c) => matches!(c.value, Constant::Str(_) | Constant::Bytes(_)),
        _ => false,
    }
}

fn text<'s>(src: &'s str, e: &Expr) -> Option<&'s str> {
    let (s, t) = span(e);
    src.get(s..t)
}

impl Rule for GetattrConstant {
    fn code(&self) -> &'static str {
        CODE
    }

    fn kinds(&self) -> &'static [Kind] {
        &[Kind::Call]
    }

    fn check(&self, node: Node<'_>, ctx: &mut Ctx<'_>) {
        let Node::Expr(e @ Expr::Call(call)) = node else {
            return;
        };
        let Expr::Name(func) = &*call.func else {
            return;
        };
        let func = func.id.as_str();
        let (obj, name, value) = match (func, &call.args[..]) {
            ("getattr", [obj, Expr::Constant(name)]) => (obj, name, None),
            ("setattr", [obj, Expr::Constant(name), value]) => (obj, name, Some(value)),
            _ => return,
        };
        let Constant::Str(attr) = &name.value else {
            return;
        };
        let in_class = ctx
            .parents
            .iter()
            .any(|p| matches!(p, Node::Stmt(Stmt::ClassDef(_))));
        if !call.keywords.is_empty()
            || call.args.iter().any(|a| matches!(a, Expr::Starred(_)))
            || !plain_attribute(attr, in_class)
        {
            return;
        }
        // setattr is an expression; only as a whole statement can it become an assignment.
        if value.is_some()
            && !matches!(ctx.parents.last(), Some(Node::Stmt(Stmt::Expr(s))) if std::ptr::eq(&*s.value, e))
        {
            return;
        }
        let src = ctx.source;
        let replacement = text(src, obj).and_then(|o| {
            let o = if is_primary(obj) && !o.contains(['\n', '\r']) {
                o.to_string()
            } else {
                format!("({o})")
            };
            match value {
                None => Some(format!("{o}.{attr}")),
                Some(v) => {
                    let t = text(src, v)?;
                    let wrap = matches!(v, Expr::NamedExpr(_)) || t.contains(['\n', '\r']);
                    Some(if wrap {
                        format!("{o}.{attr} = ({t})")
                    } else {
                        format!("{o}.{attr} = {t}")
                    })
                }
            }
        });
        let args = [("func", func), ("attr", attr.as_str())];
        let range = span(e);
        let fix = replacement.map(|text| {
            ctx.fix(
                CODE,
                &args,
                Safety::Safe,
                vec![Edit {
                    start: range.0,
                    end: range.1,
                    text,
                }],
            )
        });
        ctx.report(CODE, range, &args, fix);
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{findings, fixed, flagged};

    const T: (u8, u8) = (3, 12);

    #[test]
    fn flags_constant_names() {
        let src =
            "a = getattr(obj, 'name')\nsetattr(obj, \"size\", 3)\nb = getattr(self, '__dict__')\n";
        let found = findings(src, "PM0113", T);
        assert_eq!(
            flagged(src, &found),
            [
                "getattr(obj, 'name')",
                "setattr(obj, \"size\", 3)",
                "getattr(self, '__dict__')"
            ]
        );
        assert_eq!(
            found[0].message,
            "`getattr` with the constant name `name` is ordinary attribute access in disguise: write it with a dot"
        );
        assert_eq!(found[0].section, "1.6");
    }

    #[test]
    fn silent_on_defaults_dynamic_names_and_non_identifiers() {
        let src = "a = getattr(obj, 'name', None)\nb = getattr(obj, name)\nc = getattr(obj, 'not valid')\nd = getattr(obj, 'class')\ne = getattr(obj, '2x')\nf = getattr(obj, 'caf\u{e9}')\nok = setattr(obj, 'x', 1)\ng = [setattr(o, 'x', 1) for o in objs]\nh = getattr(obj, f'x')\nclass A:\n    def m(self):\n        return getattr(self, '__secret')\n";
        assert!(findings(src, "PM0113", T).is_empty());
    }

    #[test]
    fn fix_writes_attribute_access() {
        assert_eq!(
            fixed("v = getattr(obj, 'name')\n", "PM0113", T),
            "v = obj.name\n"
        );
        assert_eq!(
            fixed("v = getattr(a or b, 'name').real\n", "PM0113", T),
            "v = (a or b).name.real\n"
        );
        assert_eq!(
            fixed("v = getattr(1, 'real')\n", "PM0113", T),
            "v = (1).real\n"
        );
        assert_eq!(
            fixed("setattr(self, 'x', y := 2)\n", "PM0113", T),
            "self.x = (y := 2)\n"
        );
        assert_eq!(
            fixed(
                "if ok:\n    setattr(cfg, 'level', 1 +\n        2)\n",
                "PM0113",
                T
            ),
            "if ok:\n    cfg.level = (1 +\n        2)\n"
        );
    }
}
