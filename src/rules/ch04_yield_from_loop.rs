//! PM0402: `for x in it: yield x`, a loop that only re-yields every item, which `yield from it`
//! says in one statement (§4.3.1).

use super::gen_util::{is_name, needs_parens_as_operand, paren};
use super::iter_util::{enclosing_function, scan};
use super::{Ctx, Edit, Kind, Node, Rule, Safety};
use crate::syntax::ast::{Expr, ExprContext, Stmt};
use crate::syntax::span;

pub struct YieldFromLoop;

const CODE: &str = "PM0402";

impl Rule for YieldFromLoop {
    fn code(&self) -> &'static str {
        CODE
    }

    fn kinds(&self) -> &'static [Kind] {
        &[Kind::For]
    }

    fn check(&self, node: Node<'_>, ctx: &mut Ctx<'_>) {
        let Node::Stmt(s @ Stmt::For(f)) = node else {
            return;
        };
        let Expr::Name(target) = &*f.target else {
            return;
        };
        let x = target.id.as_str();
        if !f.orelse.is_empty() {
            return;
        }
        let [Stmt::Expr(body)] = &f.body[..] else {
            return;
        };
        let Expr::Yield(y) = &*body.value else { return };
        if !y.value.as_deref().is_some_and(|v| is_name(v, x)) {
            return;
        }
        // `yield from` is a syntax error in an `async def`; outside a function the loop is
        // not in a generator at all.
        let Some((def, fbody, false)) = enclosing_function(ctx) else {
            return;
        };
        // A comment that talks about `yield from` in the function: the loop is deliberate
        // (the tempfile module keeps one so that `close()` does not reach the file).
        let (d0, d1) = span(def);
        let noted = ctx.source.get(d0..d1).is_some_and(|t| {
            t.lines().any(|l| {
                l.split_once('#')
                    .is_some_and(|(_, c)| c.contains("yield from"))
            })
        });
        if noted {
            return;
        }
        let (s0, s1) = span(s);
        // The loop leaves `x` bound to the last item; `yield from` does not.
        let mut read_after = false;
        scan(fbody, |n| {
            if let Node::Expr(e @ Expr::Name(v)) = n {
                let at = span(e).0;
                if v.id.as_str() == x
                    && matches!(v.ctx, ExprContext::Load)
                    && !(s0..s1).contains(&at)
                {
                    read_after = true;
                }
            }
        });
        let (i0, i1) = span(&*f.iter);
        let fix = match (ctx.source.get(s0..s1), ctx.source.get(i0..i1)) {
            (Some(all), Some(iter)) if !all.contains('#') && !read_after => Some(ctx.fix(
                CODE,
                &[],
                Safety::Unsafe,
                vec![Edit {
                    start: s0,
                    end: s1,
                    text: format!(
                        "yield from {}",
                        paren(iter, needs_parens_as_operand(&f.iter, iter))
                    ),
                }],
            )),
            _ => None,
        };
        ctx.report(CODE, (s0, span(body).0.max(s0)), &[], fix);
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{findings, fixed, flagged};

    const T: (u8, u8) = (3, 12);

    #[test]
    fn flags_a_loop_that_only_re_yields() {
        let src =
            "def chain(a, b):\n    for x in a:\n        yield x\n    for item in b: yield item\n";
        let found = findings(src, "PM0402", T);
        assert_eq!(
            flagged(src, &found),
            ["for x in a:\n        ", "for item in b: "]
        );
        assert_eq!(
            found[0].message,
            "this loop only re-yields every item: `yield from` says it in one statement and also hands `send()`, `throw()` and `close()` to the inner iterator"
        );
        assert_eq!(found[0].section, "4.3.1");
    }

    #[test]
    fn silent_on_loops_that_do_more() {
        let src = "def f(a):\n    for x in a:\n        yield x * 2\n    for x in a:\n        yield x\n    else:\n        pass\n    for x, y in a:\n        yield x\n    for x in a:\n        log(x)\n        yield x\n    for x in a:\n        v = yield x\nasync def g(a):\n    for x in a:\n        yield x\n";
        assert!(findings(src, "PM0402", T).is_empty());
    }

    #[test]
    fn silent_when_a_comment_explains_the_loop() {
        let src = "def f(a):\n    # We can't use 'yield from' here: it would close the file.\n    for x in a:\n        yield x\n";
        assert!(findings(src, "PM0402", T).is_empty());
    }

    #[test]
    fn fix_writes_yield_from() {
        let t = |s: &str| fixed(s, "PM0402", T);
        assert_eq!(
            t("def f(a):\n    for x in a:\n        yield x\n    return 1\n"),
            "def f(a):\n    yield from a\n    return 1\n"
        );
        assert_eq!(
            t("def f(a):\r\n\tfor x in a: yield x"),
            "def f(a):\r\n\tyield from a"
        );
        assert_eq!(
            t("def f(a, b):\n    for x in a, b:\n        yield x\n"),
            "def f(a, b):\n    yield from (a, b)\n"
        );
        assert_eq!(
            t("def f(a):\n    '''Doc.'''\n    for x in (y for y in a):\n        yield x  # all\n"),
            "def f(a):\n    '''Doc.'''\n    yield from (y for y in a)  # all\n"
        );
    }

    #[test]
    fn no_fix_when_the_loop_variable_is_read_later_or_a_comment_would_go() {
        let src = "def f(a):\n    for x in a:\n        yield x\n    print(x)\ndef g(a):\n    for x in a:\n        # each\n        yield x\n";
        let found = findings(src, "PM0402", T);
        assert_eq!(found.len(), 2);
        assert!(found.iter().all(|f| f.fix.is_none()));
    }
}
