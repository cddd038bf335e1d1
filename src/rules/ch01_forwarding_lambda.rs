//! PM0163: a lambda that only passes its own arguments on, in order, to a function named by a
//! plain name or attribute chain: the callee could be passed itself (§1.5).

use super::pack1_util::{binds_param, expr_mentions, params};
use super::{Ctx, Edit, Kind, Node, Rule, Safety};
use crate::syntax::ast::{self, Expr, Stmt};
use crate::syntax::span;

pub struct ForwardingLambda;

const CODE: &str = "PM0163";

impl Rule for ForwardingLambda {
    fn code(&self) -> &'static str {
        CODE
    }

    fn kinds(&self) -> &'static [Kind] {
        &[Kind::Lambda]
    }

    fn check(&self, node: Node<'_>, ctx: &mut Ctx<'_>) {
        let Node::Expr(Expr::Lambda(l)) = node else {
            return;
        };
        let Expr::Call(call) = &*l.body else {
            return;
        };
        if !forwards(&l.args, call) || !plain_callee(&call.func, &l.args) {
            return;
        }
        let (cs, ce) = span(&*call.func);
        let Some(callee) = ctx.source.get(cs..ce) else {
            return;
        };
        // A callee written over several lines is left as it is.
        if callee.contains(['\n', '\r']) {
            return;
        }
        let (ls, le) = span(l);
        // Bound in a class body, the lambda is a method that receives the instance; a builtin
        // or a `partial` put in its place would not bind it.
        let n = ctx.parents.len();
        let in_class_body = n >= 2
            && matches!(
                ctx.parents[n - 1],
                Node::Stmt(Stmt::Assign(_) | Stmt::AnnAssign(_))
            )
            && matches!(ctx.parents[n - 2], Node::Stmt(Stmt::ClassDef(_)));
        let fix = (!in_class_body).then(|| {
            ctx.fix(
                CODE,
                &[("callee", callee)],
                Safety::Unsafe,
                vec![Edit {
                    start: ls,
                    end: le,
                    text: callee.to_string(),
                }],
            )
        });
        ctx.report(CODE, (ls, le), &[("callee", callee)], fix);
    }
}

fn name_of(e: &Expr) -> Option<&str> {
    match e {
        Expr::Name(n) => Some(n.id.as_str()),
        _ => None,
    }
}

/// True when the call passes exactly the lambda's parameters, each once, in the way they came
/// in: positional ones by position, keyword-only ones as `k=k`, `*args` and `**kwargs` unpacked.
fn forwards(a: &ast::Arguments, call: &ast::ExprCall) -> bool {
    let positional: Vec<&ast::ArgWithDefault> = a.posonlyargs.iter().chain(&a.args).collect();
    // A default changes what the lambda accepts (and `x=x` binds a value early on purpose).
    if params(a).any(|p| p.default.is_some()) {
        return false;
    }
    let mut expected: Vec<Option<&str>> = positional
        .iter()
        .map(|p| Some(p.def.arg.as_str()))
        .collect();
    let star = a.vararg.as_ref().map(|v| v.arg.as_str());
    let mut args = call.args.iter();
    for want in expected.drain(..) {
        match args.next() {
            Some(Expr::Name(n)) if Some(n.id.as_str()) == want => {}
            _ => return false,
        }
    }
    match (args.next(), star) {
        (Some(Expr::Starred(s)), Some(v)) if name_of(&s.value) == Some(v) => {}
        (None, None) => {}
        _ => return false,
    }
    if args.next().is_some() {
        return false;
    }
    let mut kw_seen = 0;
    let mut kwargs_seen = false;
    for k in &call.keywords {
        match (&k.arg, name_of(&k.value)) {
            (Some(key), Some(v)) if key.as_str() == v => {
                if !a.kwonlyargs.iter().any(|p| p.def.arg.as_str() == v) {
                    return false;
                }
                kw_seen += 1;
            }
            (None, Some(v)) if a.kwarg.as_ref().is_some_and(|k| k.arg.as_str() == v) => {
                kwargs_seen = true;
            }
            _ => return false,
        }
    }
    kw_seen == a.kwonlyargs.len() && kwargs_seen == a.kwarg.is_some()
}

/// A callee that is a name or a chain of attributes on a name, none of them a parameter of the
/// lambda (`lambda x: x.strip()` uses its argument as the receiver).
fn plain_callee(e: &Expr, a: &ast::Arguments) -> bool {
    let mut cur = e;
    loop {
        match cur {
            Expr::Attribute(at) => cur = &at.value,
            Expr::Name(n) => return !binds_param(a, n.id.as_str()) && !expr_mentions(e, "super"),
            _ => return false,
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{findings, fixed, flagged};

    const T: (u8, u8) = (3, 12);

    #[test]
    fn flags_lambdas_that_only_forward() {
        let src = "a = sorted(xs, key=lambda x: len(x))\nb = map(lambda *args, **kw: handler.run(*args, **kw), y)\nc = register(lambda: shutdown())\nd = call(lambda p, q, *, k: mod.f(p, q, k=k))\n";
        let found = findings(src, "PM0163", T);
        assert_eq!(
            flagged(src, &found),
            [
                "lambda x: len(x)",
                "lambda *args, **kw: handler.run(*args, **kw)",
                "lambda: shutdown()",
                "lambda p, q, *, k: mod.f(p, q, k=k)"
            ]
        );
        assert_eq!(
            found[0].message,
            "This lambda only passes its arguments on to `len`: pass `len` itself"
        );
        assert_eq!(found[0].section, "1.5");
    }

    #[test]
    fn fix_puts_the_callee_in_place_of_the_lambda() {
        assert_eq!(
            fixed("a = sorted(xs, key=lambda x: len(x))\n", "PM0163", T),
            "a = sorted(xs, key=len)\n"
        );
        assert_eq!(
            fixed(
                "def f():\r\n\tbutton.bind(lambda *a: self.on_click(*a))",
                "PM0163",
                T
            ),
            "def f():\r\n\tbutton.bind(self.on_click)"
        );
        let found = findings("x = lambda e: (\n    obj\n    .m)(e)\n", "PM0163", T);
        assert!(found.is_empty(), "multi-line callee left alone");
    }

    #[test]
    fn no_fix_for_a_method_bound_in_a_class_body() {
        let src = "class A:\n    size = lambda self: len(self)\n";
        let found = findings(src, "PM0163", T);
        assert_eq!(flagged(src, &found), ["lambda self: len(self)"]);
        assert!(found[0].fix.is_none());
    }

    #[test]
    fn stays_silent_when_the_lambda_does_more_than_forward() {
        let src = "\
a = lambda x: x.strip()
b = lambda x, y: f(y, x)
c = lambda x: f(x, 1)
d = lambda x: f(x=x)
e = lambda x=x: f(x)
g = lambda x: f(x)(x)
h = lambda x: f()
i = lambda: f(1)
j = lambda *a: f(a)
k = lambda **k: f(**k, z=1)
l = lambda x: getattr(obj, name)(x)
m = lambda x: items[0](x)
n = lambda x: super().m(x)
o = lambda *, k: f(k)
p = lambda x: f(*x)
q = lambda x, y: f(x)
";
        assert!(findings(src, "PM0163", T).is_empty());
    }
}
