//! PM0311: a lambda that only applies one operator to its parameters, takes one constant item
//! or attribute path, or calls one method with constant arguments: the `operator` module has
//! that function ready-made (§3.6).

use super::gen_util::plain_params;
use super::typing_names::BlockNames;
use super::{Ctx, Edit, Kind, Node, Rule, Safety};
use crate::syntax::ast::{CmpOp, Constant, Expr, ExprLambda, Operator, Stmt, UnaryOp};
use crate::syntax::span;

pub struct LambdaAsOperator;

const CODE: &str = "PM0311";

impl Rule for LambdaAsOperator {
    fn code(&self) -> &'static str {
        CODE
    }

    fn kinds(&self) -> &'static [Kind] {
        &[Kind::Lambda]
    }

    fn check(&self, node: Node<'_>, ctx: &mut Ctx<'_>) {
        let Node::Expr(e @ Expr::Lambda(l)) = node else {
            return;
        };
        let Some(params) = plain_params(l) else {
            return;
        };
        let Some(replacement) = replacement(l, &params, ctx.source) else {
            return;
        };
        let n = ctx.parents.len();
        // Bound in a class body, the lambda is a method that receives the instance; an
        // `operator` function put in its place would not bind it.
        if n >= 2
            && matches!(
                ctx.parents[n - 1],
                Node::Stmt(Stmt::Assign(_) | Stmt::AnnAssign(_))
            )
            && matches!(ctx.parents[n - 2], Node::Stmt(Stmt::ClassDef(_)))
        {
            return;
        }
        // `map(lambda x: x[0], xs)` and `filter(...)` with one iterable are PM0305's: it
        // suggests a comprehension there, and one construct gets one piece of advice.
        if params.len() == 1 {
            if let Some(Node::Expr(Expr::Call(c))) = ctx.parents.last() {
                if matches!(&*c.func, Expr::Name(f) if matches!(f.id.as_str(), "map" | "filter"))
                    && c.keywords.is_empty()
                    && c.args.len() == 2
                    && std::ptr::eq(&c.args[0], e)
                {
                    return;
                }
            }
        }
        let names = BlockNames::of_block(node, ctx);
        let text = format!("operator.{replacement}");
        let (s, t) = span(l);
        let fix = if names.assigns("operator") {
            None
        } else {
            match ctx.module.imports.imported("operator") {
                Some("operator") => Some(Vec::new()),
                Some(_) => None,
                // Imported under that name somewhere inside the block: not followed.
                None if names.binds("operator") => None,
                None => Some(vec![ctx.import_edit("import operator")]),
            }
        }
        .map(|file_edits| {
            let mut f = ctx.fix(
                CODE,
                &[("replacement", &text)],
                Safety::Unsafe,
                vec![Edit {
                    start: s,
                    end: t,
                    text: text.clone(),
                }],
            );
            f.file_edits = file_edits;
            f
        });
        ctx.report(CODE, (s, t), &[("replacement", &text)], fix);
    }
}

/// The `operator` function (with its arguments) that does what the lambda does.
fn replacement(l: &ExprLambda, params: &[&str], source: &str) -> Option<String> {
    let is = |e: &Expr, p: &str| matches!(e, Expr::Name(n) if n.id.as_str() == p);
    match (&*l.body, params) {
        (Expr::BinOp(b), [x, y]) if is(&b.left, x) && is(&b.right, y) => {
            Some(binary(b.op).to_string())
        }
        (Expr::Compare(c), [x, y])
            if c.ops.len() == 1 && is(&c.left, x) && is(&c.comparators[0], y) =>
        {
            compare(c.ops[0]).map(str::to_string)
        }
        (Expr::UnaryOp(u), [x]) if is(&u.operand, x) => Some(
            match u.op {
                UnaryOp::Not => "not_",
                UnaryOp::Invert => "invert",
                UnaryOp::USub => "neg",
                UnaryOp::UAdd => "pos",
            }
            .to_string(),
        ),
        (Expr::Subscript(sub), [x]) if is(&sub.value, x) && constant(&sub.slice) => {
            let key = source.get(span(&*sub.slice).0..span(&*sub.slice).1)?;
            single_line(key).then(|| format!("itemgetter({key})"))
        }
        (Expr::Attribute(_), [x]) => {
            let path = attr_path(&l.body, x)?;
            if path.split('.').any(private) {
                return None;
            }
            Some(format!("attrgetter(\"{path}\")"))
        }
        (Expr::Call(c), [x]) => {
            let Expr::Attribute(a) = &*c.func else {
                return None;
            };
            if !is(&a.value, x) || private(a.attr.as_str()) {
                return None;
            }
            let mut args = vec![format!("\"{}\"", a.attr.as_str())];
            for arg in &c.args {
                if !constant(arg) {
                    return None;
                }
                args.push(source.get(span(arg).0..span(arg).1)?.to_string());
            }
            for k in &c.keywords {
                let name = k.arg.as_ref()?;
                if !constant(&k.value) {
                    return None;
                }
                let v = source.get(span(&k.value).0..span(&k.value).1)?;
                args.push(format!("{}={v}", name.as_str()));
            }
            let joined = args.join(", ");
            single_line(&joined).then(|| format!("methodcaller({joined})"))
        }
        _ => None,
    }
}

/// `__name` (not a dunder): Python mangles it in a class body, and a string naming it is not
/// mangled.
fn private(name: &str) -> bool {
    name.starts_with("__") && !name.ends_with("__")
}

fn single_line(t: &str) -> bool {
    !t.contains(['\n', '\r'])
}

/// A literal number, string, bytes, `None`, `True` or `False`, possibly negated.
fn constant(e: &Expr) -> bool {
    match e {
        Expr::Constant(c) => !matches!(c.value, Constant::Tuple(_)),
        Expr::UnaryOp(u) => {
            matches!(u.op, UnaryOp::USub)
                && matches!(&*u.operand, Expr::Constant(c) if matches!(c.value, Constant::Int(_) | Constant::Float(_)))
        }
        _ => false,
    }
}

/// `a.b` for `x.a.b` where `x` is the parameter.
fn attr_path(e: &Expr, param: &str) -> Option<String> {
    match e {
        Expr::Attribute(a) => match &*a.value {
            Expr::Name(n) if n.id.as_str() == param => Some(a.attr.to_string()),
            inner => Some(format!("{}.{}", attr_path(inner, param)?, a.attr.as_str())),
        },
        _ => None,
    }
}

fn binary(op: Operator) -> &'static str {
    match op {
        Operator::Add => "add",
        Operator::Sub => "sub",
        Operator::Mult => "mul",
        Operator::MatMult => "matmul",
        Operator::Div => "truediv",
        Operator::Mod => "mod",
        Operator::Pow => "pow",
        Operator::LShift => "lshift",
        Operator::RShift => "rshift",
        Operator::BitOr => "or_",
        Operator::BitXor => "xor",
        Operator::BitAnd => "and_",
        Operator::FloorDiv => "floordiv",
    }
}

/// `in` and `not in` are left out: `operator.contains(a, b)` tests `b in a`, the other way
/// round.
fn compare(op: CmpOp) -> Option<&'static str> {
    Some(match op {
        CmpOp::Eq => "eq",
        CmpOp::NotEq => "ne",
        CmpOp::Lt => "lt",
        CmpOp::LtE => "le",
        CmpOp::Gt => "gt",
        CmpOp::GtE => "ge",
        CmpOp::Is => "is_",
        CmpOp::IsNot => "is_not",
        CmpOp::In | CmpOp::NotIn => return None,
    })
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{findings, fixed, flagged};

    const T: (u8, u8) = (3, 12);

    #[test]
    fn flags_lambdas_the_operator_module_has() {
        let src = "import operator\na = reduce(lambda a, b: a * b, xs, 1)\nb = sorted(xs, key=lambda x: x[0])\nc = sorted(xs, key=lambda p: p.address.city)\nd = sorted(xs, key=lambda s: s.lower())\ne = max(xs, key=lambda r: r['size'])\nf = sort(ps, lambda a, b: a < b)\ng = apply(lambda s: s.split(',', maxsplit=1))\nh = apply(lambda x: -x)\n";
        let found = findings(src, "PM0311", T);
        assert_eq!(
            flagged(src, &found),
            [
                "lambda a, b: a * b",
                "lambda x: x[0]",
                "lambda p: p.address.city",
                "lambda s: s.lower()",
                "lambda r: r['size']",
                "lambda a, b: a < b",
                "lambda s: s.split(',', maxsplit=1)",
                "lambda x: -x"
            ]
        );
        assert_eq!(
            found[0].message,
            "This lambda does what `operator.mul` does: the `operator` module has it ready-made"
        );
        assert_eq!(found[0].section, "3.6");
    }

    #[test]
    fn silent_on_other_shapes() {
        let src = "\
a = lambda a, b: b + a
b = lambda a, b: a + a
c = lambda a, b=1: a + b
d = lambda *a: a[0]
e = lambda x: x[i]
f = lambda x: x[1:]
g = lambda x: x.m(y)
h = lambda x: x.a.m()
i = lambda a, b: a in b
j = lambda x, y: x[0]
k = lambda x: x[1, 2]
m = list(map(lambda x: x[0], xs))
n = filter(lambda x: x.ok, xs)
o = lambda x: f(x).a
class D:
    def m(self, xs):
        return sorted(xs, key=lambda x: x.__key)
class C:
    __add__ = lambda a, b: a + b
";
        let found = findings(src, "PM0311", T);
        assert!(found.is_empty(), "{:?}", flagged(src, &found));
    }

    #[test]
    fn the_forwarding_lambda_rule_and_this_one_do_not_overlap() {
        let src = "a = sorted(xs, key=lambda s: s.lower())\nb = sorted(xs, key=lambda s: len(s))\n";
        assert_eq!(findings(src, "PM0311", T).len(), 1);
        assert_eq!(findings(src, "PM0163", T).len(), 1);
        assert_eq!(
            findings(src, "PM0163", T)[0].start,
            src.find("lambda s: len").unwrap_or(0)
        );
        // Two iterables: PM0305 is silent, so this rule speaks.
        let src = "c = map(lambda a, b: a + b, xs, ys)\n";
        assert_eq!(findings(src, "PM0311", T).len(), 1);
        assert!(findings(src, "PM0305", T).is_empty());
    }

    #[test]
    fn fix_uses_operator_and_imports_it_when_missing() {
        let t = |s: &str| fixed(s, "PM0311", T);
        assert_eq!(
            t("import operator\nb = sorted(xs, key=lambda x: x[0])\n"),
            "import operator\nb = sorted(xs, key=operator.itemgetter(0))\n"
        );
        assert_eq!(
            t("\"\"\"Doc.\"\"\"\nb = sorted(xs, key=lambda p: p.a.b)\n"),
            "\"\"\"Doc.\"\"\"\nimport operator\nb = sorted(xs, key=operator.attrgetter(\"a.b\"))\n"
        );
        assert_eq!(
            t("import operator\nd = sorted(xs, key=lambda s: s.split(',', maxsplit=1))\n"),
            "import operator\nd = sorted(xs, key=operator.methodcaller(\"split\", ',', maxsplit=1))\n"
        );
        assert_eq!(
            t("import operator\nf = reduce(lambda a, b: a | b, xs)\n"),
            "import operator\nf = reduce(operator.or_, xs)\n"
        );
    }

    #[test]
    fn no_fix_when_operator_means_something_else() {
        let src = "from mylib import operator\nb = sorted(xs, key=lambda x: x[0])\n";
        let found = findings(src, "PM0311", T);
        assert_eq!(found.len(), 1);
        assert!(found[0].fix.is_none());
        let src = "def f(xs, operator):\n    return sorted(xs, key=lambda x: x[0])\n";
        let found = findings(src, "PM0311", T);
        assert_eq!(found.len(), 1);
        assert!(found[0].fix.is_none());
    }
}
