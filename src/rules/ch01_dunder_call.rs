//! PM0106: a special method called by name on an object, `x.__len__()`, where the builtin
//! or operator that Python maps onto it (`len(x)`) is the spelling to use (§1.3).

use super::{Ctx, Edit, Kind, Node, Rule, Safety};
use crate::syntax::ast::{Expr, Stmt, UnaryOp};
use crate::syntax::span;

pub struct DunderCall;

const CODE: &str = "PM0106";

/// How a special method is normally invoked.
#[derive(Clone, Copy)]
enum Form {
    /// `builtin(x)`, the method takes no argument.
    Builtin(&'static str),
    /// `y in x`
    In,
    /// `x[k]`
    Item,
}

fn form(dunder: &str) -> Option<Form> {
    Some(match dunder {
        "__len__" => Form::Builtin("len"),
        "__str__" => Form::Builtin("str"),
        "__repr__" => Form::Builtin("repr"),
        "__iter__" => Form::Builtin("iter"),
        "__next__" => Form::Builtin("next"),
        "__hash__" => Form::Builtin("hash"),
        "__bool__" => Form::Builtin("bool"),
        "__contains__" => Form::In,
        "__getitem__" => Form::Item,
        _ => return None,
    })
}

/// True when `e` may stand on the left of `in` without parentheses.
fn binds_tighter_than_in(e: &Expr) -> bool {
    match e {
        Expr::BoolOp(_)
        | Expr::Compare(_)
        | Expr::IfExp(_)
        | Expr::Lambda(_)
        | Expr::NamedExpr(_)
        | Expr::Yield(_)
        | Expr::YieldFrom(_)
        | Expr::Starred(_) => false,
        Expr::UnaryOp(u) => !matches!(u.op, UnaryOp::Not),
        _ => true,
    }
}

/// True when the call's value can become `y in x` without parentheses around it.
fn bare_comparison_fits(call: &Expr, parent: Option<&Node<'_>>) -> bool {
    match parent {
        Some(Node::Stmt(Stmt::FunctionDef(_) | Stmt::AsyncFunctionDef(_) | Stmt::ClassDef(_))) => {
            false
        }
        Some(Node::Stmt(_)) => true,
        Some(Node::Expr(p)) => match p {
            Expr::BoolOp(_) | Expr::IfExp(_) | Expr::List(_) | Expr::Set(_) | Expr::Dict(_) => true,
            Expr::Tuple(_) | Expr::Lambda(_) => true,
            Expr::UnaryOp(u) => matches!(u.op, UnaryOp::Not),
            Expr::Call(c) => !std::ptr::eq(&*c.func, call),
            _ => false,
        },
        None => true,
    }
}

/// Text of the receiver, parentheses included, when it can be moved safely.
fn receiver_text<'s>(src: &'s str, attr: &crate::syntax::ast::ExprAttribute) -> Option<&'s str> {
    let (start, end) = span(attr);
    let value_end = span(&*attr.value).1;
    let name_start = end.checked_sub(attr.attr.as_str().len())?;
    let between = src.get(value_end..name_start)?;
    if between.contains(['#', '\\']) {
        return None;
    }
    let dot = between.rfind('.')?;
    Some(src.get(start..value_end + dot)?.trim_end())
}

impl Rule for DunderCall {
    fn code(&self) -> &'static str {
        CODE
    }

    fn kinds(&self) -> &'static [Kind] {
        &[Kind::Call]
    }

    fn check(&self, node: Node<'_>, ctx: &mut Ctx<'_>) {
        let Node::Expr(call_expr @ Expr::Call(call)) = node else {
            return;
        };
        let Expr::Attribute(attr) = &*call.func else {
            return;
        };
        let dunder = attr.attr.as_str();
        let Some(form) = form(dunder) else {
            return;
        };
        let arity = match form {
            Form::Builtin(_) => 0,
            Form::In | Form::Item => 1,
        };
        if call.args.len() != arity
            || !call.keywords.is_empty()
            || call.args.iter().any(|a| matches!(a, Expr::Starred(_)))
        {
            return;
        }
        // `super().__len__()` and `Base.__len__(...)` reach a particular implementation.
        match &*attr.value {
            e if is_super_call(e) => return,
            Expr::Name(n)
                if names_a_class_in_scope(ctx, n.id.as_str())
                    || holds_a_super_object(ctx, n.id.as_str()) =>
            {
                return
            }
            _ => {}
        }
        let src = ctx.source;
        let recv = receiver_text(src, attr);
        let arg = call.args.first().and_then(|a| {
            let (s, e) = span(a);
            src.get(s..e).map(|t| (a, t))
        });
        let replacement = recv.and_then(|recv| match (form, arg) {
            (Form::Builtin(b), _) => {
                let inner = &*attr.value;
                let bare = !matches!(
                    inner,
                    Expr::Yield(_)
                        | Expr::YieldFrom(_)
                        | Expr::Tuple(_)
                        | Expr::GeneratorExp(_)
                        | Expr::NamedExpr(_)
                );
                let (s, e) = span(inner);
                let text = if bare { src.get(s..e)? } else { recv };
                Some(format!("{b}({text})"))
            }
            (Form::Item, Some((a, t))) => Some(
                if matches!(a, Expr::NamedExpr(_) | Expr::Yield(_) | Expr::YieldFrom(_)) {
                    format!("{recv}[({t})]")
                } else {
                    format!("{recv}[{t}]")
                },
            ),
            (Form::In, Some((a, t))) => {
                let left = if binds_tighter_than_in(a) && !t.contains(['\n', '\r']) {
                    t.to_string()
                } else {
                    format!("({t})")
                };
                let parent = ctx.parents.last();
                // Decorators, defaults and bases: before 3.9 a decorator cannot be a comparison.
                if matches!(
                    parent,
                    Some(Node::Stmt(
                        Stmt::FunctionDef(_) | Stmt::AsyncFunctionDef(_) | Stmt::ClassDef(_)
                    ))
                ) {
                    return None;
                }
                Some(if bare_comparison_fits(call_expr, parent) {
                    format!("{left} in {recv}")
                } else {
                    format!("({left} in {recv})")
                })
            }
            _ => None,
        });
        let shown = match (&replacement, form) {
            (Some(r), _) if r.len() <= 60 && !r.contains(['\n', '\r']) => r.clone(),
            (_, Form::Builtin(b)) => format!("{b}(x)"),
            (_, Form::In) => "y in x".to_string(),
            (_, Form::Item) => "x[k]".to_string(),
        };
        let args = [("dunder", dunder), ("form", shown.as_str())];
        let range = span(call_expr);
        let fix = replacement.map(|text| {
            ctx.fix(
                CODE,
                &args,
                Safety::Unsafe,
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

fn is_super_call(e: &Expr) -> bool {
    matches!(e, Expr::Call(c) if matches!(&*c.func, Expr::Name(n) if n.id.as_str() == "super"))
}

/// True when a statement in `body` (at any depth, outside nested definitions) binds `name` to
/// `super(...)`.
fn binds_super(body: &[Stmt], name: &str) -> bool {
    body.iter().any(|s| match s {
        Stmt::Assign(a) => {
            is_super_call(&a.value)
                && a.targets
                    .iter()
                    .any(|t| matches!(t, Expr::Name(n) if n.id.as_str() == name))
        }
        Stmt::If(x) => binds_super(&x.body, name) || binds_super(&x.orelse, name),
        Stmt::For(x) => binds_super(&x.body, name) || binds_super(&x.orelse, name),
        Stmt::While(x) => binds_super(&x.body, name) || binds_super(&x.orelse, name),
        Stmt::With(x) => binds_super(&x.body, name),
        Stmt::Try(x) => {
            binds_super(&x.body, name)
                || binds_super(&x.orelse, name)
                || binds_super(&x.finalbody, name)
        }
        _ => false,
    })
}

/// True when `name` holds a `super()` object in the enclosing function (`base = super()`),
/// which supports attribute access but not the builtins or operators.
fn holds_a_super_object(ctx: &Ctx<'_>, name: &str) -> bool {
    ctx.parents.iter().rev().find_map(|p| match p {
        Node::Stmt(Stmt::FunctionDef(f)) => Some(binds_super(&f.body, name)),
        Node::Stmt(Stmt::AsyncFunctionDef(f)) => Some(binds_super(&f.body, name)),
        _ => None,
    }) == Some(true)
}

/// True when `name` is an enclosing class or one of its bases.
fn names_a_class_in_scope(ctx: &Ctx<'_>, name: &str) -> bool {
    ctx.parents.iter().any(|p| match p {
        Node::Stmt(Stmt::ClassDef(c)) => {
            c.name.as_str() == name
                || c.bases.iter().any(|b| match b {
                    Expr::Name(n) => n.id.as_str() == name,
                    _ => false,
                })
        }
        _ => false,
    })
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{findings, fixed, flagged};

    const T: (u8, u8) = (3, 12);

    #[test]
    fn flags_special_methods_called_on_objects() {
        let src = "n = items.__len__()\ns = obj.__str__()\nr = (a or b).__repr__()\nit = data.__iter__()\nv = it.__next__()\nh = key.__hash__()\nok = flag.__bool__()\nhit = box.__contains__(x)\nfirst = rows.__getitem__(0)\n";
        let found = findings(src, "PM0106", T);
        assert_eq!(
            flagged(src, &found),
            [
                "items.__len__()",
                "obj.__str__()",
                "(a or b).__repr__()",
                "data.__iter__()",
                "it.__next__()",
                "key.__hash__()",
                "flag.__bool__()",
                "box.__contains__(x)",
                "rows.__getitem__(0)"
            ]
        );
        assert_eq!(
            found[0].message,
            "`__len__` called by name: write `len(items)`, which goes through the type's slot and checks what the method returns"
        );
        assert_eq!(found[0].section, "1.3");
    }

    #[test]
    fn silent_on_explicit_implementations_and_other_arities() {
        for src in [
            "class A(Base):\n    def __len__(self):\n        return super().__len__() + 1\n",
            "class A(Base):\n    def __len__(self):\n        return Base.__len__(self)\n",
            "class A(Base):\n    def __getitem__(self, k):\n        return dict.__getitem__(self, k)\n",
            "class A:\n    def __repr__(self):\n        return A.__repr__()\n",
            "x = obj.__len__\n",
            "x = obj.__format__('>3')\n",
            "x = obj.__getitem__(*keys)\n",
            "x = obj.__contains__()\n",
            "x = obj.__eq__(other)\n",
            "x = obj.__str__(1)\n",
            "class A(dict):\n    def __init__(self):\n        base = super()\n        base.__setitem__('k', base.__getitem__('j'))\n",
        ] {
            assert!(findings(src, "PM0106", T).is_empty(), "{src}");
        }
    }

    #[test]
    fn fix_uses_the_builtin_or_operator_and_keeps_precedence() {
        assert_eq!(
            fixed("n = items.__len__()\n", "PM0106", T),
            "n = len(items)\n"
        );
        assert_eq!(
            fixed("r = (a or b).__repr__()\n", "PM0106", T),
            "r = repr(a or b)\n"
        );
        assert_eq!(
            fixed("if box.__contains__(a or b):\n    pass\n", "PM0106", T),
            "if (a or b) in box:\n    pass\n"
        );
        assert_eq!(
            fixed("n = 1 + box.__contains__(x)\n", "PM0106", T),
            "n = 1 + (x in box)\n"
        );
        assert_eq!(
            fixed("ok = not box.__contains__(x.y)\n", "PM0106", T),
            "ok = not x.y in box\n"
        );
        assert_eq!(
            fixed("v = (a + b).__getitem__(k - 1).real\n", "PM0106", T),
            "v = (a + b)[k - 1].real\n"
        );
        assert_eq!(
            fixed(
                "v = f(box.__contains__(x), key=d.__getitem__(y := 2))\n",
                "PM0106",
                T
            ),
            "v = f(x in box, key=d.__getitem__(y := 2))\n"
        );
        assert_eq!(
            fixed("check = lambda: box.__contains__(k)\n", "PM0106", T),
            "check = lambda: k in box\n"
        );
    }
}
