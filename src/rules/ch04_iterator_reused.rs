//! PM0405: an iterator (a generator, `map`, `filter`, `zip`, `iter`, `reversed`, `enumerate`)
//! bound to a name and read a second time after a first pass used it up, or read in full
//! inside an outer loop that runs more than once (§4.9.m1).

use super::gen_util::{builtin_call, each_name, is_name, makes_generator};
use super::iter_util::{block_stmt, opens_scope, own_exprs, scan, scan_expr};
use super::typing_names::BlockNames;
use super::{Ctx, Kind, Node, Rule};
use crate::syntax::ast::{Expr, Stmt};
use crate::syntax::span;

pub struct IteratorReused;

const CODE: &str = "PM0405";

/// Builtins that return a one-pass iterator.
const MAKERS: &[&str] = &["map", "filter", "zip", "iter", "reversed", "enumerate"];

/// Builtins that read an iterable to its end (`any` and `all` may stop early).
const FULL: &[&str] = &[
    "list",
    "tuple",
    "set",
    "frozenset",
    "sorted",
    "sum",
    "max",
    "min",
    "dict",
];

/// How one statement uses the iterator.
enum Use {
    Absent,
    /// Reads it: the range to flag, and whether the read surely goes to the end.
    Reads((usize, usize), bool),
    Other,
}

/// True when a loop body can leave the loop early: `break`, `return` or `raise`, outside
/// nested scopes.
fn exits(body: &[Stmt]) -> bool {
    let mut found = false;
    scan(body, |n| {
        if matches!(
            n,
            Node::Stmt(Stmt::Break(_) | Stmt::Return(_) | Stmt::Raise(_))
        ) {
            found = true;
        }
    });
    found
}

/// The call of an iterable-reading builtin (or `str.join`) on `g` inside `e`, and whether it
/// reads to the end.
fn reading_call(e: &Expr, g: &str, names: &BlockNames) -> Option<((usize, usize), bool)> {
    let mut out = None;
    scan_expr(e, &mut |x| {
        let Expr::Call(c) = x else { return };
        let ([arg], []) = (&c.args[..], &c.keywords[..]) else {
            return;
        };
        if out.is_some() || !is_name(arg, g) {
            return;
        }
        let full = FULL.iter().any(|b| builtin_call(x, names, b).is_some())
            || matches!(&*c.func, Expr::Attribute(a) if a.attr.as_str() == "join");
        let partial = ["any", "all"]
            .iter()
            .any(|b| builtin_call(x, names, b).is_some());
        if full || partial {
            out = Some((span(x), full));
        }
    });
    out
}

fn mentions(s: &Stmt, g: &str) -> usize {
    let mut n = 0;
    each_name(std::slice::from_ref(s), |x| {
        if x.id.as_str() == g {
            n += 1;
        }
    });
    n
}

fn classify(s: &Stmt, g: &str, names: &BlockNames) -> Use {
    match mentions(s, g) {
        0 => return Use::Absent,
        1 => {}
        _ => return Use::Other,
    }
    if let Stmt::For(f) = s {
        if is_name(&f.iter, g) {
            return Use::Reads(span(&*f.iter), !exits(&f.body));
        }
    }
    if matches!(
        s,
        Stmt::FunctionDef(_) | Stmt::AsyncFunctionDef(_) | Stmt::ClassDef(_)
    ) {
        return Use::Other;
    }
    // The one mention must be in the statement's own expressions, read by a builtin.
    own_exprs(s)
        .into_iter()
        .find_map(|e| reading_call(e, g, names))
        .map_or(Use::Other, |(r, full)| Use::Reads(r, full))
}

/// In a loop that runs its body more than once, a full read of `g` (the only mention of it):
/// every pass after the first sees an empty iterator.
fn read_in_loop(s: &Stmt, g: &str, names: &BlockNames) -> Option<(usize, usize)> {
    let body = match s {
        Stmt::For(f) if !is_name(&f.iter, g) => &f.body,
        Stmt::While(w) => &w.body,
        _ => return None,
    };
    if mentions(s, g) != 1
        || body
            .iter()
            .any(|x| matches!(x, Stmt::Break(_) | Stmt::Return(_) | Stmt::Raise(_)))
    {
        return None;
    }
    let mut out = None;
    let mut nested = false;
    scan(body, |n| match n {
        Node::Stmt(Stmt::For(f)) if is_name(&f.iter, g) && !exits(&f.body) => {
            out = Some(span(&*f.iter))
        }
        Node::Stmt(st) => {
            for e in own_exprs(st) {
                if let Some((r, true)) = reading_call(e, g, names) {
                    out = Some(r);
                }
            }
        }
        n if opens_scope(n) => nested = true,
        _ => {}
    });
    out.filter(|_| !nested)
}

fn empty_literal(e: &Expr) -> bool {
    match e {
        Expr::List(l) => l.elts.is_empty(),
        Expr::Tuple(t) => t.elts.is_empty(),
        _ => false,
    }
}

/// True when the read at `range` is compared with an empty list or tuple
/// (`assertEqual(list(it), [])`, `list(it) == []`): a deliberate check that it is used up.
fn checks_empty(s: &Stmt, range: (usize, usize)) -> bool {
    let mut found = false;
    for e in own_exprs(s) {
        scan_expr(e, &mut |x| {
            let operands: Vec<&Expr> = match x {
                Expr::Call(c) => c.args.iter().collect(),
                Expr::Compare(c) => std::iter::once(&*c.left).chain(&c.comparators).collect(),
                _ => return,
            };
            if operands.iter().any(|o| span(*o) == range)
                && operands.iter().any(|o| empty_literal(o))
            {
                found = true;
            }
        });
    }
    found
}

impl Rule for IteratorReused {
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
        let Some(body) = ctx.body_holding(s) else {
            return;
        };
        let Some(block) = block_stmt(node, ctx) else {
            return;
        };
        let names = BlockNames::of_block(node, ctx);
        let maker = MAKERS
            .iter()
            .any(|m| builtin_call(&a.value, &names, m).is_some());
        if !maker && !makes_generator(&a.value, block, ctx) {
            return;
        }
        let Some(at) = body.iter().position(|x| std::ptr::eq(x, s)) else {
            return;
        };
        let mut used_up = false;
        for next in &body[at + 1..] {
            match classify(next, g, &names) {
                Use::Absent => {}
                Use::Reads(range, full) => {
                    if used_up && !checks_empty(next, range) {
                        let how = "was already read to the end above";
                        ctx.report(CODE, range, &[("name", g), ("how", how)], None);
                        return;
                    }
                    if !full {
                        return;
                    }
                    used_up = true;
                }
                Use::Other => {
                    if !used_up {
                        if let Some(range) = read_in_loop(next, g, &names) {
                            let how = "is read to the end in the first pass of the loop around it";
                            ctx.report(CODE, range, &[("name", g), ("how", how)], None);
                        }
                    }
                    return;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{findings, flagged};

    const T: (u8, u8) = (3, 12);

    #[test]
    fn flags_a_second_pass_over_a_used_up_iterator() {
        let src = "def f(rows):\n    sizes = map(len, rows)\n    total = sum(sizes)\n    for s in sizes:\n        print(s / total)\n    evens = (r for r in rows if r % 2 == 0)\n    for e in evens:\n        print(e)\n    print(list(evens))\n";
        let found = findings(src, "PM0405", T);
        assert_eq!(flagged(src, &found), ["sizes", "list(evens)"]);
        assert_eq!(
            found[0].message,
            "`sizes` is a one-pass iterator and was already read to the end above: this pass sees nothing; keep the items in a list if they are needed twice"
        );
        assert_eq!(found[0].section, "4.9.m1");
    }

    #[test]
    fn knows_generator_functions_of_other_blocks() {
        let src = "def numbers():\n    yield 1\n    yield 2\n\n\ndef f():\n    it = numbers()\n    first = list(it)\n    again = list(it)\n";
        let found = findings(src, "PM0405", T);
        assert_eq!(flagged(src, &found), ["list(it)"]);
        assert_eq!(found[0].start, src.rfind("list(it)").unwrap_or(0));
        let plain = src.replace("    yield 1\n    yield 2\n", "    return [1, 2]\n");
        assert!(findings(&plain, "PM0405", T).is_empty());
    }

    #[test]
    fn flags_a_full_read_inside_an_outer_loop() {
        let src = "def f(users, groups):\n    wanted = filter(None, users)\n    for g in groups:\n        for u in wanted:\n            print(g, u)\n";
        let found = findings(src, "PM0405", T);
        assert_eq!(flagged(src, &found), ["wanted"]);
        assert!(found[0]
            .message
            .contains("in the first pass of the loop around it"));
    }

    #[test]
    fn flags_local_generator_functions() {
        let src = "def f():\n    def gen():\n        yield 1\n    g = gen()\n    a = list(g)\n    b = sorted(g)\n";
        assert_eq!(findings(src, "PM0405", T).len(), 1);
    }

    #[test]
    fn silent_on_resumed_iterators_lists_and_rebinding() {
        let src = "def f(lines, xs):\n    it = iter(lines)\n    for line in it:\n        if not line:\n            break\n    for line in it:\n        print(line)\n    ys = list(map(str, xs))\n    for y in ys:\n        pass\n    for y in ys:\n        pass\n    z = zip(xs, xs)\n    a = list(z)\n    z = zip(xs, xs)\n    b = list(z)\n    w = map(str, xs)\n    if xs:\n        list(w)\n    list(w)\n    v = reversed(xs)\n    first = any(v)\n    rest = list(v)\n    u = iter(xs)\n    for x in xs:\n        for y in u:\n            print(y)\n        break\n    def map(f, x):\n        return [f(i) for i in x]\n";
        assert!(findings(src, "PM0405", T).is_empty());
        // A test that checks the iterator is used up.
        let src = "def t(self, xs):\n    it = iter(xs)\n    list(it)\n    self.assertEqual(list(it), [])\n    assert list(it) == []\n";
        assert!(findings(src, "PM0405", T).is_empty());
        let src = "def f(xs):\n    def map(f, x):\n        return [f(i) for i in x]\n    m = map(str, xs)\n    list(m)\n    list(m)\n";
        assert!(findings(src, "PM0405", T).is_empty());
    }
}
