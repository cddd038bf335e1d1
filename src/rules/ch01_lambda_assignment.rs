//! PM0132: a lambda assigned to a name (`f = lambda x: ...`), where `def` gives the function
//! its real name for tracebacks and reprs (§1.5).

use super::source::{indentation, rest_of_line_blank, starts_line};
use super::{Ctx, Edit, Kind, Node, Rule, Safety};
use crate::syntax::ast::{Expr, ExprLambda, Stmt};
use crate::syntax::span;

pub struct LambdaAssignment;

const CODE: &str = "PM0132";

/// `def name(params):` + `return body` in place of the statement `stmt`.
fn def_fix(ctx: &Ctx<'_>, stmt: &Stmt, name: &str, lambda: &ExprLambda) -> Option<Vec<Edit>> {
    let src = ctx.source;
    let (ss, se) = span(stmt);
    let text = src.get(ss..se)?;
    if text.contains(['\n', '\r']) || !starts_line(src, ss) || !rest_of_line_blank(src, se) {
        return None;
    }
    let (ls, le) = span(lambda);
    // Where the parameters end: after the last parameter or default, only `,` `/` and blanks
    // may come before the colon.
    let a = &lambda.args;
    let mut params_end = ls + "lambda".len();
    for p in a.posonlyargs.iter().chain(&a.args).chain(&a.kwonlyargs) {
        params_end = params_end.max(span(&p.def).1);
        if let Some(d) = &p.default {
            params_end = params_end.max(span(&**d).1);
        }
    }
    for p in a.vararg.iter().chain(&a.kwarg) {
        params_end = params_end.max(span(&**p).1);
    }
    let rest = src.get(params_end..le)?;
    let colon = rest.find(':')?;
    if !rest[..colon]
        .chars()
        .all(|c| c == ',' || c == '/' || c.is_whitespace())
    {
        return None;
    }
    let params = src.get(ls + "lambda".len()..params_end)?.trim();
    let params = format!("{params}{}", rest[..colon].trim_end());
    let body = rest[colon + 1..].trim();
    let nl = ctx.newline();
    let indent = indentation(src, ss);
    let unit = if indent.contains('\t') { "\t" } else { "    " };
    Some(vec![Edit {
        start: ss,
        end: se,
        text: format!("def {name}({params}):{nl}{indent}{unit}return {body}"),
    }])
}

fn has_yield(e: &Expr) -> bool {
    struct Y(bool);
    impl<'a> crate::syntax::walk::Visitor<'a> for Y {
        fn enter(&mut self, node: Node<'a>) -> bool {
            if matches!(node, Node::Expr(Expr::Yield(_) | Expr::YieldFrom(_))) {
                self.0 = true;
            }
            true
        }
        fn leave(&mut self, _node: Node<'a>) {}
    }
    let stmt = Stmt::Expr(crate::syntax::ast::StmtExpr {
        range: Default::default(),
        value: Box::new(e.clone()),
    });
    let mut y = Y(false);
    crate::syntax::walk::walk(std::slice::from_ref(&stmt), &mut y);
    y.0
}

impl Rule for LambdaAssignment {
    fn code(&self) -> &'static str {
        CODE
    }

    fn kinds(&self) -> &'static [Kind] {
        &[Kind::Assign, Kind::AnnAssign]
    }

    fn check(&self, node: Node<'_>, ctx: &mut Ctx<'_>) {
        let (stmt, targets, value, annotated): (&Stmt, &[Expr], &Expr, bool) = match node {
            Node::Stmt(s @ Stmt::Assign(a)) => (s, &a.targets, &a.value, false),
            Node::Stmt(s @ Stmt::AnnAssign(a)) => match &a.value {
                Some(v) => (s, std::slice::from_ref(&*a.target), v, true),
                None => return,
            },
            _ => return,
        };
        let Expr::Lambda(lambda) = value else {
            return;
        };
        let [Expr::Name(target)] = targets else {
            return;
        };
        let name = target.id.as_str();
        let fix = if annotated || has_yield(&lambda.body) {
            None
        } else {
            def_fix(ctx, stmt, name, lambda)
                .map(|e| ctx.fix(CODE, &[("name", name)], Safety::Unsafe, e))
        };
        ctx.report(CODE, span(stmt), &[("name", name)], fix);
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{findings, fixed, flagged};

    const T: (u8, u8) = (3, 12);

    #[test]
    fn flags_lambdas_bound_to_names() {
        let src = "square = lambda x: x * x\n\ndef f():\n    key: Callable = lambda item: item[1]\n    return key\n";
        let found = findings(src, "PM0132", T);
        assert_eq!(
            flagged(src, &found),
            [
                "square = lambda x: x * x",
                "key: Callable = lambda item: item[1]"
            ]
        );
        assert_eq!(
            found[0].message,
            "`square` is bound to a lambda: write `def square(...)` so the function carries its own name"
        );
        assert_eq!(found[0].section, "1.5");
        assert!(found[1].fix.is_none(), "no fix for an annotated target");
    }

    #[test]
    fn silent_on_other_uses_of_lambda() {
        let src = "obj.cb = lambda: 0\nitems.sort(key=lambda x: x[0])\nhandlers['a'] = lambda e: e\na = b = lambda: 0\nf = (lambda: 0)()\n";
        assert!(findings(src, "PM0132", T).is_empty());
    }

    #[test]
    fn fix_writes_a_def() {
        assert_eq!(
            fixed("square = lambda x: x * x  # note\n", "PM0132", T),
            "def square(x):\n    return x * x  # note\n"
        );
        assert_eq!(
            fixed(
                "class A:\n    get = lambda self, k=1, *a, **kw: (self, k)\n",
                "PM0132",
                T
            ),
            "class A:\n    def get(self, k=1, *a, **kw):\n        return (self, k)\n"
        );
        assert_eq!(
            fixed("if x:\n\tf = lambda: {'a': 1}\n", "PM0132", T),
            "if x:\n\tdef f():\n\t\treturn {'a': 1}\n"
        );
        assert_eq!(
            fixed("g = lambda a, /, *, b: a + b\n", "PM0132", T),
            "def g(a, /, *, b):\n    return a + b\n"
        );
        let multi = findings("f = (lambda x:\n     x)\n", "PM0132", T);
        assert!(multi[0].fix.is_none());
    }
}
