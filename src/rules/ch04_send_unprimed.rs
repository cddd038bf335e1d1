//! PM0404: `gen.send(value)` with a value other than None as the first use of a generator
//! made in the same scope, which raises `TypeError` because the generator has not started
//! (§4.9.m2).

use super::gen_util::{each_name, makes_generator};
use super::iter_util::block_stmt;
use super::{Ctx, Kind, Node, Rule};
use crate::syntax::ast::{Constant, Expr, ExprCall, Stmt};
use crate::syntax::span;

pub struct SendUnprimed;

const CODE: &str = "PM0404";

/// The `g.send(...)` calls of a statement, nested ones included.
fn sends<'a>(s: &'a Stmt, g: &str) -> Vec<&'a ExprCall> {
    let mut out = Vec::new();
    super::iter_util::scan(std::slice::from_ref(s), |n| {
        if let Node::Expr(Expr::Call(c)) = n {
            if matches!(&*c.func, Expr::Attribute(a) if a.attr.as_str() == "send"
                && matches!(&*a.value, Expr::Name(v) if v.id.as_str() == g))
            {
                out.push(c);
            }
        }
    });
    out
}

impl Rule for SendUnprimed {
    fn code(&self) -> &'static str {
        CODE
    }

    fn kinds(&self) -> &'static [Kind] {
        &[Kind::Assign]
    }

    fn check(&self, node: Node<'_>, ctx: &mut Ctx<'_>) {
        let Node::Stmt(s @ Stmt::Assign(a)) = node else {
            return;
        };
        let [Expr::Name(target)] = &a.targets[..] else {
            return;
        };
        let g = target.id.as_str();
        if !ctx.mentions(".send(") {
            return;
        }
        let Some(block) = block_stmt(node, ctx) else {
            return;
        };
        if !makes_generator(&a.value, block, ctx) {
            return;
        }
        let Some(body) = ctx.body_holding(s) else {
            return;
        };
        let Some(at) = body.iter().position(|x| std::ptr::eq(x, s)) else {
            return;
        };
        for next in &body[at + 1..] {
            let mut first: Option<usize> = None;
            each_name(std::slice::from_ref(next), |n| {
                if n.id.as_str() == g {
                    let o = span(n).0;
                    first = Some(first.map_or(o, |f: usize| f.min(o)));
                }
            });
            let Some(first) = first else { continue };
            let send = sends(next, g)
                .into_iter()
                .find(|c| matches!(&*c.func, Expr::Attribute(at) if span(&*at.value).0 == first));
            if let Some(c) = send {
                let primes = match &c.args[..] {
                    [Expr::Constant(k)] => matches!(k.value, Constant::None),
                    _ => true,
                };
                if !primes && c.keywords.is_empty() {
                    ctx.report(CODE, span(c), &[("name", g)], None);
                }
            }
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{findings, flagged};

    const T: (u8, u8) = (3, 12);

    #[test]
    fn flags_a_value_sent_before_the_first_next() {
        let src = "def main(data):\n    def averager():\n        total = 0\n        while True:\n            total += yield total\n    avg = averager()\n    avg.send(10)\n    gen = (x for x in data)\n    while True:\n        gen.send(1)\n";
        let found = findings(src, "PM0404", T);
        assert_eq!(flagged(src, &found), ["avg.send(10)", "gen.send(1)"]);
        assert_eq!(
            found[0].message,
            "`avg.send()` with a value before the generator has started raises `TypeError`: start it with `next(avg)` (or `avg.send(None)`) first"
        );
        assert_eq!(found[0].section, "4.9.m2");
    }

    #[test]
    fn flags_methods_of_the_same_class() {
        let src = "class P:\n    def run(self):\n        acc = yield\n    def go(self):\n        g = self.run()\n        g.send('x')\n";
        assert_eq!(findings(src, "PM0404", T).len(), 1);
    }

    /// The generator function may sit in another top-level statement: the module's facts
    /// know it. A decorated one, or a name the block rebinds, is not known to make one.
    #[test]
    fn knows_generator_functions_of_other_blocks() {
        let head = "def averager():\n    total = 0\n    while True:\n        total += yield total\n\n\n@coroutine\ndef primed():\n    x = yield\n\n\n";
        let src = format!("{head}def main():\n    avg = averager()\n    avg.send(10)\n");
        let found = findings(&src, "PM0404", T);
        assert_eq!(flagged(&src, &found), ["avg.send(10)"]);
        for body in [
            "    p = primed()\n    p.send(1)\n",
            "    averager = make\n    a = averager()\n    a.send(1)\n",
        ] {
            let src = format!("{head}def main(make):\n{body}");
            assert!(findings(&src, "PM0404", T).is_empty(), "{body}");
        }
        // A function that only calls a generator function is not one.
        let src = "def outer():\n    def inner():\n        yield 1\n    return inner()\n\n\ndef main():\n    g = outer()\n    g.send(1)\n";
        assert!(findings(src, "PM0404", T).is_empty());
    }

    #[test]
    fn silent_when_primed_or_not_a_known_generator() {
        let src = "def main():\n    def gen():\n        x = yield\n    @coroutine\n    def primed():\n        x = yield\n    a = gen()\n    next(a)\n    a.send(1)\n    b = gen()\n    b.send(None)\n    b.send(2)\n    c = primed()\n    c.send(1)\n    d = make()\n    d.send(1)\n    e = gen()\n    e = other()\n    e.send(1)\n    f = gen()\n    for v in f:\n        f.send(v)\n    def plain():\n        return 1\n    h = plain()\n    h.send(1)\n";
        assert!(findings(src, "PM0404", T).is_empty());
    }
}
