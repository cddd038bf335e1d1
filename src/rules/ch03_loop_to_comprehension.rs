//! PM0309: `acc = []` right before a `for` loop whose whole body appends to `acc` (or sets
//! `acc[k]`, or adds to `acc`), maybe under one `if`: a comprehension builds the same (§3.2.1).

use super::design_util::builtin_here;
use super::gen_util::{needs_parens_as_operand, paren, wrapped};
use super::iter_util::{expr_has, innermost_scope};
use super::typing_names::BlockNames;
use super::{Ctx, Edit, Kind, Node, Rule, Safety};
use crate::syntax::ast::{Expr, ExprContext, Stmt};
use crate::syntax::span;
use crate::syntax::walk::{walk, Visitor};

pub struct LoopToComprehension;

const CODE: &str = "PM0309";

#[derive(Clone, Copy, PartialEq)]
enum Shape {
    List,
    Dict,
    Set,
}

impl Shape {
    fn form(self) -> &'static str {
        match self {
            Shape::List => "list comprehension",
            Shape::Dict => "dict comprehension",
            Shape::Set => "set comprehension",
        }
    }
}

/// What one loop step adds: an element, or a key and a value.
enum Step<'a> {
    Elt(&'a Expr),
    Item(&'a Expr, &'a Expr),
}

impl Rule for LoopToComprehension {
    fn code(&self) -> &'static str {
        CODE
    }

    fn kinds(&self) -> &'static [Kind] {
        &[Kind::For]
    }

    fn check(&self, node: Node<'_>, ctx: &mut Ctx<'_>) {
        let Node::Stmt(stmt @ Stmt::For(f)) = node else {
            return;
        };
        if !f.orelse.is_empty() {
            return;
        }
        // Only inside a function: at module level or in a class body the loop variable is
        // visible to code this block cannot see, and a class body's names are out of a
        // comprehension's reach.
        let Some(Node::Stmt(func)) = innermost_scope(ctx) else {
            return;
        };
        let fbody: &[Stmt] = match func {
            Stmt::FunctionDef(d) => &d.body,
            Stmt::AsyncFunctionDef(d) => &d.body,
            _ => return,
        };
        let Some(body) = ctx.body_holding(stmt) else {
            return;
        };
        let Some(at) = body.iter().position(|s| std::ptr::eq(s, stmt)) else {
            return;
        };
        let Some(Stmt::Assign(init)) = at.checked_sub(1).and_then(|i| body.get(i)) else {
            return;
        };
        let [Expr::Name(acc)] = &init.targets[..] else {
            return;
        };
        let acc = acc.id.as_str();
        let names = BlockNames::of_block(node, ctx);
        let Some(shape) = empty_collection(&init.value, &names, ctx) else {
            return;
        };
        // The whole body: one step, or one `if` (no `elif`/`else`) holding one step.
        let (cond, step_stmt) = match &f.body[..] {
            [Stmt::If(i)] if i.orelse.is_empty() => match &i.body[..] {
                [s] => (Some(&*i.test), s),
                _ => return,
            },
            [s] => (None, s),
            _ => return,
        };
        let Some(step) = step_of(step_stmt, acc, shape) else {
            return;
        };
        let mut parts: Vec<&Expr> = vec![&f.target, &f.iter];
        parts.extend(cond);
        match step {
            Step::Elt(e) => parts.push(e),
            Step::Item(k, v) => parts.extend([k, v]),
        }
        // `acc` read while it is being built, a walrus (not allowed in a comprehension's
        // iterable, and binding differently), or a yield (not allowed in a comprehension).
        if parts.iter().any(|p| {
            super::design_util::expr_reads_name(p, acc)
                || expr_has(p, |x| {
                    matches!(
                        x,
                        Expr::NamedExpr(_) | Expr::Yield(_) | Expr::YieldFrom(_) | Expr::Starred(_)
                    )
                })
        }) {
            return;
        }
        let Some(targets) = target_names(&f.target) else {
            return;
        };
        let loop_span = span(stmt);
        if targets
            .iter()
            .any(|t| used_outside(fbody, t, loop_span, ctx, func))
            || closure_reads(fbody, acc)
        {
            return;
        }
        let (s, _) = span(init);
        let (_, t) = loop_span;
        let fix = fix_text(ctx, acc, shape, &f.target, &f.iter, cond, &step)
            .filter(|_| {
                ctx.source.get(s..t).is_some_and(|text| !text.contains('#'))
                    && super::source::starts_line(ctx.source, s)
                    && super::source::rest_of_line_blank(ctx.source, t)
            })
            .map(|text| {
                ctx.fix(
                    CODE,
                    &[("form", shape.form())],
                    Safety::Unsafe,
                    vec![Edit {
                        start: s,
                        end: t,
                        text,
                    }],
                )
            });
        let (fs, _) = loop_span;
        let header_end = span(&*f.iter).1;
        ctx.report(
            CODE,
            (fs, header_end),
            &[("name", acc), ("form", shape.form())],
            fix,
        );
    }
}

/// `[]`, `{}`, `set()`, `list()` or `dict()` (the builtins, not shadowed).
fn empty_collection(e: &Expr, names: &BlockNames, ctx: &Ctx<'_>) -> Option<Shape> {
    match e {
        Expr::List(l) if l.elts.is_empty() => Some(Shape::List),
        Expr::Dict(d) if d.keys.is_empty() => Some(Shape::Dict),
        Expr::Call(c) if c.args.is_empty() && c.keywords.is_empty() => {
            let Expr::Name(n) = &*c.func else { return None };
            let shape = match n.id.as_str() {
                "list" => Shape::List,
                "dict" => Shape::Dict,
                "set" => Shape::Set,
                _ => return None,
            };
            builtin_here(names, ctx.module, n.id.as_str()).then_some(shape)
        }
        _ => None,
    }
}

/// The step `acc.append(x)` (list), `acc[k] = v` (dict) or `acc.add(x)` (set).
fn step_of<'a>(s: &'a Stmt, acc: &str, shape: Shape) -> Option<Step<'a>> {
    match s {
        Stmt::Expr(e) => {
            let Expr::Call(c) = &*e.value else {
                return None;
            };
            let Expr::Attribute(a) = &*c.func else {
                return None;
            };
            let method = match shape {
                Shape::List => "append",
                Shape::Set => "add",
                Shape::Dict => return None,
            };
            let ([arg], []) = (&c.args[..], &c.keywords[..]) else {
                return None;
            };
            (a.attr.as_str() == method
                && matches!(&*a.value, Expr::Name(n) if n.id.as_str() == acc))
            .then_some(Step::Elt(arg))
        }
        Stmt::Assign(x) if shape == Shape::Dict => {
            let [Expr::Subscript(sub)] = &x.targets[..] else {
                return None;
            };
            if !matches!(&*sub.value, Expr::Name(n) if n.id.as_str() == acc)
                || matches!(&*sub.slice, Expr::Slice(_))
            {
                return None;
            }
            Some(Step::Item(&sub.slice, &x.value))
        }
        _ => None,
    }
}

/// The names a loop target binds, when it is made of names only.
fn target_names(e: &Expr) -> Option<Vec<&str>> {
    match e {
        Expr::Name(n) => Some(vec![n.id.as_str()]),
        Expr::Tuple(t) => {
            let mut out = Vec::new();
            for x in &t.elts {
                out.extend(target_names(x)?);
            }
            Some(out)
        }
        Expr::List(t) => {
            let mut out = Vec::new();
            for x in &t.elts {
                out.extend(target_names(x)?);
            }
            Some(out)
        }
        _ => None,
    }
}

/// True when the loop variable `name` may be read after the loop has bound it: a read after
/// the loop, a read anywhere in a loop around it, a read in a nested scope, or a `global` /
/// `nonlocal` declaration of it.
fn used_outside(
    fbody: &[Stmt],
    name: &str,
    (ls, le): (usize, usize),
    ctx: &Ctx<'_>,
    func: &Stmt,
) -> bool {
    // The outermost loop between the function and this one, if any.
    let mut outer: Option<(usize, usize)> = None;
    for p in ctx.parents.iter().rev() {
        match p {
            Node::Stmt(s) if std::ptr::eq(*s, func) => break,
            Node::Stmt(s @ (Stmt::For(_) | Stmt::AsyncFor(_) | Stmt::While(_))) => {
                outer = Some(span(*s))
            }
            _ => {}
        }
    }
    // The bodies of later `for` loops that bind the name again: a read there sees that
    // loop's value, not this one's.
    let mut rebinding: Vec<(usize, usize)> = Vec::new();
    super::iter_util::scan(fbody, |n| {
        if let Node::Stmt(Stmt::For(x)) = n {
            let binds = target_names(&x.target).is_some_and(|ts| ts.contains(&name));
            if let (true, Some(first), Some(last)) = (binds, x.body.first(), x.body.last()) {
                if span(first).0 >= le {
                    rebinding.push((span(first).0, span(last).1));
                }
            }
        }
    });
    struct V<'n> {
        name: &'n str,
        inside: (usize, usize),
        outer: Option<(usize, usize)>,
        rebinding: Vec<(usize, usize)>,
        depth: usize,
        found: bool,
    }
    impl<'a> Visitor<'a> for V<'_> {
        fn enter(&mut self, node: Node<'a>) -> bool {
            match node {
                Node::Stmt(Stmt::Global(g)) if g.names.iter().any(|n| n.as_str() == self.name) => {
                    self.found = true
                }
                Node::Stmt(Stmt::Nonlocal(g))
                    if g.names.iter().any(|n| n.as_str() == self.name) =>
                {
                    self.found = true
                }
                Node::Expr(Expr::Name(n))
                    if n.id.as_str() == self.name && matches!(n.ctx, ExprContext::Load) =>
                {
                    let (s, _) = span(n);
                    let in_loop = self.inside.0 <= s && s < self.inside.1;
                    let in_outer = self.outer.is_some_and(|(a, b)| a <= s && s < b);
                    let rebound = self.depth == 0
                        && !in_outer
                        && self.rebinding.iter().any(|(a, b)| *a <= s && s < *b);
                    if !in_loop && !rebound && (s >= self.inside.1 || in_outer || self.depth > 0) {
                        self.found = true;
                    }
                }
                _ => {}
            }
            if super::iter_util::opens_scope(node) {
                self.depth += 1;
            }
            !self.found
        }
        fn leave(&mut self, node: Node<'a>) {
            if super::iter_util::opens_scope(node) {
                self.depth = self.depth.saturating_sub(1);
            }
        }
    }
    let mut v = V {
        name,
        inside: (ls, le),
        outer,
        rebinding,
        depth: 0,
        found: false,
    };
    walk(fbody, &mut v);
    v.found
}

/// True when a nested def or lambda of the function mentions `acc`: called from the loop, it
/// would see the partial collection, which the comprehension does not bind yet.
fn closure_reads(fbody: &[Stmt], acc: &str) -> bool {
    struct V<'n> {
        name: &'n str,
        depth: usize,
        found: bool,
    }
    impl<'a> Visitor<'a> for V<'_> {
        fn enter(&mut self, node: Node<'a>) -> bool {
            if let Node::Expr(Expr::Name(n)) = node {
                if self.depth > 0 && n.id.as_str() == self.name {
                    self.found = true;
                }
            }
            if super::iter_util::opens_scope(node) {
                self.depth += 1;
            }
            !self.found
        }
        fn leave(&mut self, node: Node<'a>) {
            if super::iter_util::opens_scope(node) {
                self.depth = self.depth.saturating_sub(1);
            }
        }
    }
    let mut v = V {
        name: acc,
        depth: 0,
        found: false,
    };
    walk(fbody, &mut v);
    v.found
}

/// `acc = [elt for target in iter if cond]` and its dict and set forms.
fn fix_text(
    ctx: &Ctx<'_>,
    acc: &str,
    shape: Shape,
    target: &Expr,
    iter: &Expr,
    cond: Option<&Expr>,
    step: &Step<'_>,
) -> Option<String> {
    let text = |e: &Expr| ctx.source.get(span(e).0..span(e).1);
    let operand = |e: &Expr| -> Option<String> {
        let t = text(e)?;
        Some(paren(t, needs_parens_as_operand(e, t)))
    };
    // An element or a key: a bare tuple needs parentheses there.
    let element = |e: &Expr, key: bool| -> Option<String> {
        let t = text(e)?;
        let wrap = match e {
            Expr::Tuple(_) => !wrapped(t),
            Expr::Lambda(_) | Expr::IfExp(_) => key,
            _ => false,
        };
        Some(paren(t, wrap))
    };
    let target_text = text(target)?;
    let mut clauses = format!("for {target_text} in {}", operand(iter)?);
    if let Some(c) = cond {
        clauses.push_str(" if ");
        clauses.push_str(&operand(c)?);
    }
    let (open, close) = match shape {
        Shape::List => ("[", "]"),
        Shape::Dict | Shape::Set => ("{", "}"),
    };
    let head = match step {
        Step::Elt(e) => element(e, false)?,
        Step::Item(k, v) => format!("{}: {}", element(k, true)?, element(v, true)?),
    };
    Some(format!("{acc} = {open}{head} {clauses}{close}"))
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{findings, fixed, flagged};

    const T: (u8, u8) = (3, 12);

    #[test]
    fn flags_loops_that_only_build_a_collection() {
        let src = "def f(xs):\n    out = []\n    for x in xs:\n        out.append(x * 2)\n    seen = set()\n    for x in xs:\n        if x:\n            seen.add(x)\n    by = {}\n    for k, v in xs:\n        by[k] = v\n    return out, seen, by\n";
        let found = findings(src, "PM0309", T);
        assert_eq!(
            flagged(src, &found),
            ["for x in xs", "for x in xs", "for k, v in xs"]
        );
        assert_eq!(
            found[0].message,
            "`out` is built by a loop that only adds to it: a list comprehension says the same in one expression"
        );
        assert_eq!(found[0].section, "3.2.1");
    }

    #[test]
    fn fix_writes_the_comprehension() {
        let t = |s: &str| fixed(s, "PM0309", T);
        assert_eq!(
            t("def f(xs):\n    out = []\n    for x in xs:\n        out.append(x * 2)\n    return out\n"),
            "def f(xs):\n    out = [x * 2 for x in xs]\n    return out\n"
        );
        assert_eq!(
            t("def f(xs):\n    out = list()\n    for x in xs:\n        if x > 0:\n            out.append((x, 1))\n    return out\n"),
            "def f(xs):\n    out = [(x, 1) for x in xs if x > 0]\n    return out\n"
        );
        assert_eq!(
            t("def f(xs):\n    s = set()\n    for x in a, b:\n        if x if y else z:\n            s.add(x)\n    return s\n"),
            "def f(xs):\n    s = {x for x in (a, b) if (x if y else z)}\n    return s\n"
        );
        assert_eq!(
            t("def f(xs):\r\n    d = dict()\r\n    for k, v in xs:\r\n        d[k, 1] = v\r\n    return d\r\n"),
            "def f(xs):\r\n    d = {(k, 1): v for k, v in xs}\r\n    return d\r\n"
        );
        assert_eq!(
            t("async def f(xs):\n    out = []\n    for x in xs:\n        out.append(await g(x))\n    return out\n"),
            "async def f(xs):\n    out = [await g(x) for x in xs]\n    return out\n"
        );
    }

    #[test]
    fn silent_where_a_comprehension_would_differ() {
        let src = "\
def a(xs):
    out = []
    for x in xs:
        out.append(x)
    else:
        pass

async def b(xs):
    out = []
    async for x in xs:
        out.append(x)

def c(xs):
    out = []
    for x in xs:
        out.append(x)
    return x

def d(xs):
    out = []
    for x in xs:
        out.append(len(out))

def e(xs):
    out = []
    for x in xs:
        out.append(x)
        log(x)

def g(xs):
    out = []
    for x in xs:
        if x:
            out.append(x)
        else:
            out.append(0)

def h(xs):
    out = []
    n = 0
    for x in xs:
        out.append(x)

def i(xs):
    out = [1]
    for x in xs:
        out.append(x)

def j(xs):
    out = {}
    for x in xs:
        out.append(x)

def k(xs):
    out = []
    for x in xs:
        out.append(y := x)

def m(xs):
    out = []
    for x in xs:
        out.append(x)
    return lambda: x

def n(xs):
    while True:
        print(x)
        out = []
        for x in xs:
            out.append(x)

def p(xs):
    out = []
    for self.x in xs:
        out.append(1)

def q(xs):
    out = []
    def peek():
        return out
    for x in xs:
        out.append(peek())

def r(xs, list):
    out = list()
    for x in xs:
        out.append(x)

class C:
    out = []
    for x in xs:
        out.append(x)

out = []
for x in xs:
    out.append(x)
";
        let found = findings(src, "PM0309", T);
        assert!(found.is_empty(), "{:?}", flagged(src, &found));
    }

    #[test]
    fn a_loop_variable_name_bound_again_by_a_later_loop_is_fine() {
        let src = "def f(xs, ys):\n    out = []\n    for x in xs:\n        out.append(x)\n    for x in ys:\n        print(x)\n    return out\n";
        assert_eq!(findings(src, "PM0309", T).len(), 1);
        // Read after the later loop, `x` may still be this loop's (the later one may not run).
        let src = "def f(xs, ys):\n    out = []\n    for x in xs:\n        out.append(x)\n    for x in ys:\n        pass\n    return x\n";
        assert!(findings(src, "PM0309", T).is_empty());
    }

    #[test]
    fn no_fix_with_a_comment_inside() {
        let src =
            "def f(xs):\n    out = []\n    for x in xs:\n        # keep\n        out.append(x)\n";
        let found = findings(src, "PM0309", T);
        assert_eq!(found.len(), 1);
        assert!(found[0].fix.is_none());
    }
}
