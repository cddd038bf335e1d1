//! PM1607: the same dotted chain of two or more attribute steps (`os.path.join`,
//! `self.conn.cursor`) read several times on each pass of a loop that never rebinds any part of
//! it: each read repeats every lookup, and a local bound before the loop would not (§16.4.1).

use super::{Ctx, Kind, Node, Rule};
use crate::syntax::ast::{Expr, ExprContext, Stmt};
use crate::syntax::span;
use crate::syntax::walk::{walk, Visitor};

pub struct AttributeChainLoop;

const CODE: &str = "PM1607";

impl Rule for AttributeChainLoop {
    fn code(&self) -> &'static str {
        CODE
    }

    fn kinds(&self) -> &'static [Kind] {
        &[Kind::For, Kind::AsyncFor, Kind::While]
    }

    fn check(&self, node: Node<'_>, ctx: &mut Ctx<'_>) {
        let Node::Stmt(s) = node else { return };
        // What runs on every pass: a `while` loop's condition and the straight-line part of
        // the body (a `for` loop's iterable is evaluated once).
        let (test, body) = match s {
            Stmt::For(f) => (None, &f.body[..]),
            Stmt::AsyncFor(f) => (None, &f.body[..]),
            Stmt::While(w) => (Some(&*w.test), &w.body[..]),
            _ => return,
        };
        let mut v = Chains {
            source: ctx.source,
            root: s,
            reads: Vec::new(),
            stores: Vec::new(),
        };
        walk(std::slice::from_ref(s), &mut v);
        let mut reads = Vec::new();
        if let Some(t) = test {
            expr_reads(t, ctx.source, &mut reads);
        }
        straight_reads(body, ctx.source, &mut reads);
        v.reads = reads;
        let bound = v.stores;
        let mut reported: Vec<&str> = Vec::new();
        for (i, (text, range)) in v.reads.iter().enumerate() {
            if reported.contains(text) {
                continue;
            }
            let count = v.reads.iter().filter(|(t, _)| t == text).count();
            // The first read of the chain, read at least twice.
            if count < 2 || v.reads[..i].iter().any(|(t, _)| t == text) {
                continue;
            }
            // No prefix of the chain (the root name included) is rebound in the loop.
            let rebound = bound.iter().any(|b| {
                text == b
                    || text
                        .strip_prefix(b.as_str())
                        .is_some_and(|rest| rest.starts_with('.'))
            });
            // A longer chain read as often says it better (`a.b.c.d` twice: not `a.b.c`).
            let longer = v.reads.iter().any(|(t, _)| {
                t.len() > text.len()
                    && t.starts_with(text)
                    && t[text.len()..].starts_with('.')
                    && v.reads.iter().filter(|(u, _)| u == t).count() == count
            });
            if rebound || longer {
                continue;
            }
            reported.push(text);
            let n = count.to_string();
            ctx.report(CODE, *range, &[("chain", text), ("count", &n)], None);
        }
    }
}

/// What a loop binds anywhere inside it (names and dotted chains), nested loops included, and
/// the chains it reads on every pass (two or more attribute steps on a name).
struct Chains<'s> {
    source: &'s str,
    /// The loop being checked: entered, where every other loop is skipped.
    root: &'s Stmt,
    /// Filled by `straight_reads`, not by the walk.
    reads: Vec<(&'s str, (usize, usize))>,
    stores: Vec<String>,
}

impl Chains<'_> {
    /// Records what an assignment target binds: a name or a dotted chain. `a.b[i] = v` changes
    /// an object but rebinds no name or attribute, so it records nothing.
    fn store_target(&mut self, t: &Expr) {
        match t {
            Expr::Name(n) => self.stores.push(n.id.to_string()),
            Expr::Attribute(_) => {
                if let Some(text) = dotted(self.source, t) {
                    self.stores.push(text.to_string());
                }
            }
            Expr::Tuple(x) => x.elts.iter().for_each(|e| self.store_target(e)),
            Expr::List(x) => x.elts.iter().for_each(|e| self.store_target(e)),
            Expr::Starred(x) => self.store_target(&x.value),
            _ => {}
        }
    }
}

/// The chains read by the statements that run on every pass that completes normally: each
/// statement's own expressions, the bodies of `with` and `try`, up to and including the first
/// statement that may jump (`break`, `continue`, `return`, `raise`). `if`, `match`, handlers
/// and nested loops' bodies run on some passes only (or a different number of times).
fn straight_reads<'s>(stmts: &[Stmt], source: &'s str, out: &mut Vec<(&'s str, (usize, usize))>) {
    for s in stmts {
        for e in super::iter_util::own_exprs(s) {
            expr_reads(e, source, out);
        }
        match s {
            Stmt::With(w) => straight_reads(&w.body, source, out),
            Stmt::AsyncWith(w) => straight_reads(&w.body, source, out),
            Stmt::Try(t) => straight_reads(&t.body, source, out),
            Stmt::TryStar(t) => straight_reads(&t.body, source, out),
            _ => {}
        }
        if may_jump(s) {
            return;
        }
    }
}

/// True when a statement holds a `break`, `continue`, `return` or `raise` (nested scopes
/// aside).
fn may_jump(s: &Stmt) -> bool {
    super::conc_common::any_in_scope(std::slice::from_ref(s), |n| {
        matches!(
            n,
            Node::Stmt(Stmt::Break(_) | Stmt::Continue(_) | Stmt::Return(_) | Stmt::Raise(_))
        )
    })
}

/// The chains an expression reads whenever it is evaluated: not in the later operands of
/// `and`/`or`, the branches of a conditional expression, comprehensions or lambdas.
fn expr_reads<'s>(e: &Expr, source: &'s str, out: &mut Vec<(&'s str, (usize, usize))>) {
    if let Expr::Attribute(a) = e {
        if matches!(a.ctx, ExprContext::Load) && steps(e).is_some_and(|n| n >= 2) {
            // The chain and each of its prefixes of two steps or more.
            let mut cur = e;
            while let Expr::Attribute(x) = cur {
                if steps(cur).is_none_or(|n| n < 2) {
                    break;
                }
                if let Some(text) = dotted(source, cur) {
                    out.push((text, span(cur)));
                }
                cur = &x.value;
            }
            return;
        }
    }
    let mut kids = Vec::new();
    super::iter_util::expr_kids(e, true, &mut kids);
    for k in kids {
        expr_reads(k, source, out);
    }
}

/// Number of attribute steps of a chain on a name (`os.path.join` has two); None for anything
/// else.
fn steps(e: &Expr) -> Option<usize> {
    match e {
        Expr::Name(_) => Some(0),
        Expr::Attribute(a) => Some(steps(&a.value)? + 1),
        _ => None,
    }
}

fn dotted<'s>(source: &'s str, e: &Expr) -> Option<&'s str> {
    steps(e)?;
    let text = source.get(span(e).0..span(e).1)?;
    (!text.contains(|c: char| c.is_whitespace() || c == '(' || c == '\\')).then_some(text)
}

impl<'a> Visitor<'a> for Chains<'a> {
    fn enter(&mut self, node: Node<'a>) -> bool {
        match node {
            Node::Stmt(s @ (Stmt::For(_) | Stmt::AsyncFor(_))) if std::ptr::eq(s, self.root) => {
                if let Stmt::For(f) = s {
                    self.store_target(&f.target);
                }
                if let Stmt::AsyncFor(f) = s {
                    self.store_target(&f.target);
                }
                true
            }
            Node::Stmt(s @ Stmt::While(_)) if std::ptr::eq(s, self.root) => true,
            Node::Stmt(
                s @ (Stmt::For(_)
                | Stmt::AsyncFor(_)
                | Stmt::While(_)
                | Stmt::FunctionDef(_)
                | Stmt::AsyncFunctionDef(_)
                | Stmt::ClassDef(_)),
            ) => {
                // Their bindings still count: a nested loop's target, and whatever its body
                // binds, or a definition's name.
                match s {
                    Stmt::For(f) => self.store_target(&f.target),
                    Stmt::AsyncFor(f) => self.store_target(&f.target),
                    Stmt::FunctionDef(f) => self.stores.push(f.name.to_string()),
                    Stmt::AsyncFunctionDef(f) => self.stores.push(f.name.to_string()),
                    Stmt::ClassDef(c) => self.stores.push(c.name.to_string()),
                    _ => {}
                }
                if matches!(s, Stmt::For(_) | Stmt::AsyncFor(_) | Stmt::While(_)) {
                    let mut inner = Chains {
                        source: self.source,
                        root: s,
                        reads: Vec::new(),
                        stores: Vec::new(),
                    };
                    walk(std::slice::from_ref(s), &mut inner);
                    self.stores.extend(inner.stores);
                }
                false
            }
            Node::Expr(
                Expr::Lambda(_)
                | Expr::ListComp(_)
                | Expr::SetComp(_)
                | Expr::DictComp(_)
                | Expr::GeneratorExp(_),
            ) => false,
            Node::Stmt(Stmt::Assign(a)) => {
                for t in &a.targets {
                    self.store_target(t);
                }
                true
            }
            Node::Stmt(Stmt::AugAssign(a)) => {
                self.store_target(&a.target);
                true
            }
            Node::Stmt(Stmt::AnnAssign(a)) => {
                self.store_target(&a.target);
                true
            }
            Node::Stmt(Stmt::Delete(d)) => {
                for t in &d.targets {
                    self.store_target(t);
                }
                true
            }
            Node::Stmt(Stmt::With(w)) => {
                for i in &w.items {
                    if let Some(t) = &i.optional_vars {
                        self.store_target(t);
                    }
                }
                true
            }
            Node::Stmt(Stmt::AsyncWith(w)) => {
                for i in &w.items {
                    if let Some(t) = &i.optional_vars {
                        self.store_target(t);
                    }
                }
                true
            }
            Node::Stmt(Stmt::Import(i)) => {
                for a in &i.names {
                    let local = match &a.asname {
                        Some(x) => x.as_str(),
                        None => a.name.split('.').next().unwrap_or(""),
                    };
                    self.stores.push(local.to_string());
                }
                true
            }
            Node::Stmt(Stmt::ImportFrom(i)) => {
                for a in &i.names {
                    self.stores
                        .push(a.asname.as_ref().unwrap_or(&a.name).to_string());
                }
                true
            }
            Node::Expr(Expr::NamedExpr(n)) => {
                self.store_target(&n.target);
                true
            }
            _ => true,
        }
    }

    fn leave(&mut self, _node: Node<'a>) {}
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{findings, flagged};

    const T: (u8, u8) = (3, 12);

    #[test]
    fn flags_chains_read_twice_per_pass() {
        let src = "\
def f(self, names):
    for n in names:
        if os.path.exists(n):
            out.append(os.path.join(base, n))
    while self.conn.cursor.ok:
        self.conn.cursor.step()
";
        let found = findings(src, "PM1607", T);
        assert_eq!(flagged(src, &found), ["self.conn.cursor"]);
        assert_eq!(
            found[0].message,
            "`self.conn.cursor` is read 2 times on every pass of the loop, each time repeating every attribute lookup: if it does not change, bind it to a local name before the loop"
        );
        assert_eq!(found[0].section, "16.4.1");
    }

    #[test]
    fn flags_the_same_chain_read_twice_once_at_its_longest() {
        let src = "for n in names:\n    a = os.path.join(n, 'a')\n    b = os.path.join(n, 'b')\n    c = self.x.y.z + self.x.y.z\n";
        let found = findings(src, "PM1607", T);
        assert_eq!(flagged(src, &found), ["os.path.join", "self.x.y.z"]);
    }

    #[test]
    fn silent_when_part_of_the_chain_changes_or_reads_are_elsewhere() {
        let src = "\
for self in items:
    self.a.b()
    self.a.b()
for n in names:
    self.a.b()
    self.a = n
    self.a.b()
for n in names:
    x.y.z()
    for m in n:
        x.y.z()
for n in names:
    p.q.r()
    [p.q.r() for _ in n]
for n in names:
    os.path.join(n)
for n in names:
    a.b()
    a.b()
for n in names:
    c.d.e()
    c = n
    c.d.e()
for n in names:
    for g.h in n:
        pass
    g.h.i()
    g.h.i()
for n in names:
    if n:
        s.t.u(1)
    else:
        s.t.u(2)
for n in names:
    v.w.x()
    if n:
        continue
    v.w.x()
for n in names:
    y = n and k.l.m() or k.l.m()
    z = k.l.m() if n else k.l.m()
";
        let found = findings(src, "PM1607", T);
        assert!(found.is_empty(), "{:?}", flagged(src, &found));
    }

    #[test]
    fn nested_loops_report_at_their_own_level() {
        let src = "for a in xs:\n    for b in ys:\n        u.v.w(b)\n        u.v.w(b)\n";
        let found = findings(src, "PM1607", T);
        assert_eq!(found.len(), 1);
        let at = src.find("u.v.w").unwrap_or(0);
        assert_eq!(found[0].start, at);
    }
}
