//! PM0138: a lambda or `def` made inside a loop or comprehension that reads the loop variable
//! and is kept for later (stored, appended, registered as a callback), so that every copy sees
//! the variable's last value (§1.5.2).

use super::source::def_name;
use super::typing_names::{last_name, STATEMENTS};
use super::{Ctx, Edit, Fix, Kind, Node, Rule, Safety};
use crate::syntax::ast::{self, Expr, ExprContext, Stmt};
use crate::syntax::span;
use crate::syntax::walk::{walk, Visitor};
use std::collections::BTreeSet;

pub struct LateBindingClosure;

const CODE: &str = "PM0138";

/// Callees that keep a callable passed to them for later: containers, registries, callbacks,
/// threads, executors and event loops.
const KEEPERS: &[&str] = &[
    "append",
    "appendleft",
    "extend",
    "insert",
    "add",
    "put",
    "put_nowait",
    "update",
    "setdefault",
    "setattr",
    "submit",
    "connect",
    "register",
    "bind",
    "bind_all",
    "bind_class",
    "tag_bind",
    "configure",
    "config",
    "after",
    "after_idle",
    "call_soon",
    "call_soon_threadsafe",
    "call_later",
    "call_at",
    "add_done_callback",
    "add_reader",
    "add_writer",
    "add_signal_handler",
    "run_in_executor",
    "addCleanup",
    "callback",
    "trace_add",
    "protocol",
    "signal",
    "property",
    "defaultdict",
    "Thread",
    "Timer",
    "Process",
];

/// Keyword arguments that name a callback kept for later.
const KEEPER_KEYWORDS: &[&str] = &[
    "command",
    "callback",
    "target",
    "default_factory",
    "fget",
    "fset",
    "fdel",
];

impl Rule for LateBindingClosure {
    fn code(&self) -> &'static str {
        CODE
    }

    fn kinds(&self) -> &'static [Kind] {
        STATEMENTS
    }

    fn check(&self, node: Node<'_>, ctx: &mut Ctx<'_>) {
        if !ctx.parents.is_empty() {
            return;
        }
        let Node::Stmt(stmt) = node else { return };
        let mut v = Scan::default();
        walk(std::slice::from_ref(stmt), &mut v);
        for found in v.found {
            let names: Vec<&str> = found.names.iter().map(String::as_str).collect();
            let list = names
                .iter()
                .map(|n| format!("`{n}`"))
                .collect::<Vec<_>>()
                .join(", ");
            let fix = default_fix(ctx, found.closure, &names);
            let what = match found.closure {
                Node::Expr(_) => "lambda",
                Node::Stmt(_) => "function",
            };
            let range = match found.closure {
                Node::Stmt(s @ Stmt::FunctionDef(f)) => {
                    def_name(ctx.source, span(s).0, &f.decorator_list, f.name.as_str())
                }
                Node::Stmt(s @ Stmt::AsyncFunctionDef(f)) => {
                    def_name(ctx.source, span(s).0, &f.decorator_list, f.name.as_str())
                }
                other => other.span(),
            };
            ctx.report(CODE, range, &[("names", &list), ("what", what)], fix);
        }
    }
}

struct Found<'a> {
    closure: Node<'a>,
    names: BTreeSet<String>,
}

/// A lambda or def being walked: the names read and bound anywhere inside it.
struct Frame {
    /// The body's range: defaults, annotations and decorators run in the enclosing scope.
    body: (usize, usize),
    loaded: BTreeSet<String>,
    bound: BTreeSet<String>,
}

#[derive(Default)]
struct Scan<'a> {
    parents: Vec<Node<'a>>,
    frames: Vec<Frame>,
    found: Vec<Found<'a>>,
}

fn params(a: &ast::Arguments) -> impl Iterator<Item = &str> {
    a.posonlyargs
        .iter()
        .chain(&a.args)
        .chain(&a.kwonlyargs)
        .map(|x| x.def.arg.as_str())
        .chain(a.vararg.iter().chain(&a.kwarg).map(|x| x.arg.as_str()))
}

impl<'a> Visitor<'a> for Scan<'a> {
    fn enter(&mut self, node: Node<'a>) -> bool {
        let bind = |frames: &mut Vec<Frame>, name: &str| {
            for f in frames.iter_mut() {
                f.bound.insert(name.to_string());
            }
        };
        match node {
            Node::Expr(e @ Expr::Name(n)) => {
                let at = span(e);
                for f in &mut self.frames {
                    if !contains(f.body, at) {
                        continue;
                    }
                    if matches!(n.ctx, ExprContext::Load) {
                        f.loaded.insert(n.id.to_string());
                    } else {
                        f.bound.insert(n.id.to_string());
                    }
                }
            }
            Node::Expr(Expr::Lambda(l)) => self.push(&l.args, span(&*l.body)),
            Node::Stmt(Stmt::FunctionDef(f)) => {
                bind(&mut self.frames, f.name.as_str());
                self.push(&f.args, body_span(&f.body));
            }
            Node::Stmt(Stmt::AsyncFunctionDef(f)) => {
                bind(&mut self.frames, f.name.as_str());
                self.push(&f.args, body_span(&f.body));
            }
            Node::Stmt(Stmt::ClassDef(c)) => bind(&mut self.frames, c.name.as_str()),
            Node::Stmt(Stmt::Import(i)) => {
                for a in &i.names {
                    let full = a.name.as_str();
                    let local = a
                        .asname
                        .as_ref()
                        .map_or(full.split('.').next().unwrap_or(full), |x| x.as_str());
                    bind(&mut self.frames, local);
                }
            }
            Node::Stmt(Stmt::ImportFrom(i)) => {
                for a in &i.names {
                    let local = a.asname.as_ref().unwrap_or(&a.name);
                    bind(&mut self.frames, local.as_str());
                }
            }
            Node::Stmt(Stmt::Try(t)) => {
                for h in &t.handlers {
                    let ast::ExceptHandler::ExceptHandler(h) = h;
                    if let Some(n) = &h.name {
                        bind(&mut self.frames, n.as_str());
                    }
                }
            }
            _ => {}
        }
        self.parents.push(node);
        true
    }

    fn leave(&mut self, node: Node<'a>) {
        self.parents.pop();
        let is_closure = matches!(
            node,
            Node::Expr(Expr::Lambda(_))
                | Node::Stmt(Stmt::FunctionDef(_) | Stmt::AsyncFunctionDef(_))
        );
        if !is_closure {
            return;
        }
        let Some(frame) = self.frames.pop() else {
            return;
        };
        let free: BTreeSet<String> = frame.loaded.difference(&frame.bound).cloned().collect();
        if free.is_empty() {
            return;
        }
        let Some((names, loop_body)) = captured_loop_vars(node, &self.parents, &free) else {
            return;
        };
        if !escapes(node, &self.parents, loop_body) {
            return;
        }
        self.found.push(Found {
            closure: node,
            names,
        });
    }
}

impl Scan<'_> {
    fn push(&mut self, args: &ast::Arguments, body: (usize, usize)) {
        let mut bound = BTreeSet::new();
        for p in params(args) {
            bound.insert(p.to_string());
        }
        self.frames.push(Frame {
            body,
            loaded: BTreeSet::new(),
            bound,
        });
    }
}

/// Where the loop that matters keeps its per-iteration code.
#[derive(Clone, Copy)]
enum LoopBody<'a> {
    Stmts(&'a [Stmt]),
    Comprehension,
}

fn body_span(body: &[Stmt]) -> (usize, usize) {
    match (body.first(), body.last()) {
        (Some(a), Some(b)) => (span(a).0, span(b).1),
        _ => (0, 0),
    }
}

fn contains(outer: (usize, usize), inner: (usize, usize)) -> bool {
    outer.0 <= inner.0 && inner.1 <= outer.1
}

fn target_names(e: &Expr, out: &mut BTreeSet<String>) {
    match e {
        Expr::Name(n) => {
            out.insert(n.id.to_string());
        }
        Expr::Tuple(t) => t.elts.iter().for_each(|x| target_names(x, out)),
        Expr::List(t) => t.elts.iter().for_each(|x| target_names(x, out)),
        Expr::Starred(s) => target_names(&s.value, out),
        _ => {}
    }
}

/// The loop variables of loops around `closure` (within its own scope) that it reads, with the
/// innermost such loop's body.
fn captured_loop_vars<'a>(
    closure: Node<'a>,
    parents: &[Node<'a>],
    free: &BTreeSet<String>,
) -> Option<(BTreeSet<String>, LoopBody<'a>)> {
    let mut child = closure.span();
    let mut names = BTreeSet::new();
    let mut body = None;
    for p in parents.iter().rev() {
        let mut vars = BTreeSet::new();
        let mut this_body = None;
        match p {
            Node::Stmt(Stmt::FunctionDef(_) | Stmt::AsyncFunctionDef(_) | Stmt::ClassDef(_))
            | Node::Expr(Expr::Lambda(_)) => break,
            Node::Stmt(Stmt::For(ast::StmtFor {
                target, body: b, ..
            }))
            | Node::Stmt(Stmt::AsyncFor(ast::StmtAsyncFor {
                target, body: b, ..
            })) => {
                if let (Some(first), Some(last)) = (b.first(), b.last()) {
                    if contains((span(first).0, span(last).1), child) {
                        target_names(target, &mut vars);
                        this_body = Some(LoopBody::Stmts(b));
                    }
                }
            }
            Node::Expr(
                Expr::ListComp(ast::ExprListComp {
                    generators, elt, ..
                })
                | Expr::SetComp(ast::ExprSetComp {
                    generators, elt, ..
                })
                | Expr::GeneratorExp(ast::ExprGeneratorExp {
                    generators, elt, ..
                }),
            ) => comp_vars(generators, &[span(&**elt)], child, &mut vars),
            Node::Expr(Expr::DictComp(ast::ExprDictComp {
                generators,
                key,
                value,
                ..
            })) => comp_vars(
                generators,
                &[span(&**key), span(&**value)],
                child,
                &mut vars,
            ),
            _ => {}
        }
        if matches!(p, Node::Expr(_)) && !vars.is_empty() {
            this_body = Some(LoopBody::Comprehension);
        }
        let hit: Vec<String> = vars.intersection(free).cloned().collect();
        if !hit.is_empty() {
            names.extend(hit);
            if body.is_none() {
                body = this_body;
            }
        }
        child = p.span();
    }
    Some((names, body?))
}

/// The comprehension variables in scope at `child`: all of them in the element, those of the
/// generators before it in a later generator's `iter` or `if`.
fn comp_vars(
    gens: &[ast::Comprehension],
    elts: &[(usize, usize)],
    child: (usize, usize),
    out: &mut BTreeSet<String>,
) {
    if elts.iter().any(|e| contains(*e, child)) {
        gens.iter().for_each(|g| target_names(&g.target, out));
        return;
    }
    for (i, g) in gens.iter().enumerate() {
        let in_ifs = g.ifs.iter().any(|x| contains(span(x), child));
        let in_iter = i > 0 && contains(span(&g.iter), child);
        if in_ifs || in_iter {
            let upto = if in_ifs { i + 1 } else { i };
            gens[..upto]
                .iter()
                .for_each(|g| target_names(&g.target, out));
            return;
        }
    }
}

fn is_keeper_call(call: &ast::ExprCall, child: (usize, usize)) -> bool {
    if last_name(&call.func).is_some_and(|n| KEEPERS.contains(&n)) {
        return true;
    }
    call.keywords.iter().any(|k| {
        k.arg
            .as_ref()
            .is_some_and(|a| KEEPER_KEYWORDS.contains(&a.as_str()))
            && contains(span(&k.value), child)
    })
}

/// Whether the value at `node` (a closure, or a name bound to one) is kept beyond the current
/// iteration, judged from the expressions and statement around it.
fn kept(node: Node<'_>, parents: &[Node<'_>], body: LoopBody<'_>, depth: u8) -> bool {
    let mut child = node.span();
    for p in parents.iter().rev() {
        match p {
            Node::Expr(
                Expr::Tuple(_)
                | Expr::List(_)
                | Expr::Set(_)
                | Expr::Dict(_)
                | Expr::Starred(_)
                | Expr::BoolOp(_),
            ) => {}
            Node::Expr(Expr::IfExp(x)) => {
                if contains(span(&*x.test), child) {
                    return false;
                }
            }
            Node::Expr(Expr::Call(c)) => {
                if contains(span(&*c.func), child) {
                    return false;
                }
                return is_keeper_call(c, child);
            }
            Node::Expr(Expr::ListComp(x)) => return contains(span(&*x.elt), child),
            Node::Expr(Expr::SetComp(x)) => return contains(span(&*x.elt), child),
            Node::Expr(Expr::DictComp(x)) => {
                return contains(span(&*x.key), child) || contains(span(&*x.value), child)
            }
            Node::Stmt(Stmt::Assign(a)) => {
                if !contains(span(&*a.value), child) {
                    return false;
                }
                return a.targets.iter().any(|t| kept_target(t, body, depth));
            }
            Node::Stmt(Stmt::AnnAssign(a)) => {
                return a
                    .value
                    .as_ref()
                    .is_some_and(|v| contains(span(&**v), child))
                    && kept_target(&a.target, body, depth);
            }
            Node::Stmt(Stmt::AugAssign(a)) => return contains(span(&*a.value), child),
            _ => return false,
        }
        child = p.span();
    }
    false
}

/// An assignment target that keeps the value: an attribute or item, or a name that the loop
/// body then keeps.
fn kept_target(t: &Expr, body: LoopBody<'_>, depth: u8) -> bool {
    match t {
        Expr::Attribute(_) | Expr::Subscript(_) => true,
        Expr::Name(n) => depth == 0 && name_kept(n.id.as_str(), body),
        _ => false,
    }
}

fn escapes(closure: Node<'_>, parents: &[Node<'_>], body: LoopBody<'_>) -> bool {
    match closure {
        Node::Expr(_) => kept(closure, parents, body, 0),
        Node::Stmt(Stmt::FunctionDef(ast::StmtFunctionDef {
            name,
            decorator_list,
            ..
        }))
        | Node::Stmt(Stmt::AsyncFunctionDef(ast::StmtAsyncFunctionDef {
            name,
            decorator_list,
            ..
        })) => {
            decorator_list
                .iter()
                .any(|d| last_name(d).is_some_and(|n| KEEPERS.contains(&n) || n == "route"))
                || name_kept(name.as_str(), body)
        }
        _ => false,
    }
}

/// Whether a name bound in a loop body is kept beyond the iteration by some use of it there.
fn name_kept(name: &str, body: LoopBody<'_>) -> bool {
    let LoopBody::Stmts(stmts) = body else {
        return false;
    };
    struct Uses<'a, 'n> {
        name: &'n str,
        body: LoopBody<'a>,
        parents: Vec<Node<'a>>,
        kept: bool,
    }
    impl<'a> Visitor<'a> for Uses<'a, '_> {
        fn enter(&mut self, node: Node<'a>) -> bool {
            if let Node::Expr(Expr::Name(n)) = node {
                if matches!(n.ctx, ExprContext::Load)
                    && n.id.as_str() == self.name
                    && kept(node, &self.parents, self.body, 1)
                {
                    self.kept = true;
                }
            }
            self.parents.push(node);
            true
        }
        fn leave(&mut self, _node: Node<'a>) {
            self.parents.pop();
        }
    }
    let mut u = Uses {
        name,
        body,
        parents: Vec::new(),
        kept: false,
    };
    walk(stmts, &mut u);
    u.kept
}

/// Binds each captured name as a default parameter: `lambda i=i: ...`, `def cb(i=i):`.
fn default_fix(ctx: &Ctx<'_>, closure: Node<'_>, names: &[&str]) -> Option<Fix> {
    let (args, start) = match closure {
        Node::Expr(e @ Expr::Lambda(l)) => (&*l.args, span(e).0),
        Node::Stmt(s @ Stmt::FunctionDef(f)) => (&*f.args, span(s).0),
        Node::Stmt(s @ Stmt::AsyncFunctionDef(f)) => (&*f.args, span(s).0),
        _ => return None,
    };
    if args.kwarg.is_some() {
        return None;
    }
    let extra = names
        .iter()
        .map(|n| format!("{n}={n}"))
        .collect::<Vec<_>>()
        .join(", ");
    let mut last_end = None;
    for a in args.posonlyargs.iter().chain(&args.args) {
        let mut end = span(&a.def).1;
        if let Some(d) = &a.default {
            end = end.max(span(&**d).1);
        }
        last_end = last_end.max(Some(end));
    }
    if let Some(v) = &args.vararg {
        last_end = last_end.max(Some(span(&**v).1));
    }
    for a in &args.kwonlyargs {
        let mut end = span(&a.def).1;
        if let Some(d) = &a.default {
            end = end.max(span(&**d).1);
        }
        last_end = last_end.max(Some(end));
    }
    let edit = match (closure, last_end) {
        (_, Some(end)) => Edit {
            start: end,
            end,
            text: format!(", {extra}"),
        },
        (Node::Expr(_), None) => {
            let at = start + "lambda".len();
            if ctx.source.get(start..at) != Some("lambda") {
                return None;
            }
            Edit {
                start: at,
                end: at,
                text: format!(" {extra}"),
            }
        }
        (Node::Stmt(s), None) => {
            let (name, decorators) = match s {
                Stmt::FunctionDef(f) => (f.name.as_str(), &f.decorator_list),
                Stmt::AsyncFunctionDef(f) => (f.name.as_str(), &f.decorator_list),
                _ => return None,
            };
            let (_, name_end) = def_name(ctx.source, start, decorators, name);
            let rest = ctx.source.get(name_end..)?;
            let open = rest.find(|c: char| !c.is_whitespace())?;
            if !rest[open..].starts_with('(') {
                return None;
            }
            let at = name_end + open + 1;
            Edit {
                start: at,
                end: at,
                text: extra.clone(),
            }
        }
    };
    Some(ctx.fix(CODE, &[("defaults", &extra)], Safety::Unsafe, vec![edit]))
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{findings, fixed, flagged};

    const T: (u8, u8) = (3, 12);

    #[test]
    fn flags_closures_kept_past_the_iteration() {
        let src = "\
def build(names, window):
    handlers = []
    for i, name in enumerate(names):
        handlers.append(lambda: print(i))
        window.button(name, command=lambda: window.open(name))
    table = {k: lambda: k for k in names}
    fs = [lambda x: x + n for n in range(3)]
    for attr in names:
        setattr(window, attr, lambda self: getattr(self, attr))
        def show():
            return name + attr
        window.bind('<Key>', show)
    return handlers, table, fs
";
        let found = findings(src, "PM0138", T);
        assert_eq!(
            flagged(src, &found),
            [
                "lambda: print(i)",
                "lambda: window.open(name)",
                "lambda: k",
                "lambda x: x + n",
                "lambda self: getattr(self, attr)",
                "show",
            ]
        );
        assert_eq!(
            found[0].message,
            "This lambda reads the loop variable `i` when it is called, not when it is created: kept past the iteration, every copy sees the last value"
        );
        assert_eq!(found[0].section, "1.5.2");
    }

    #[test]
    fn silent_when_used_within_the_iteration_or_bound() {
        let src = "\
def run(rows, cols, pool):
    out = []
    for i in cols:
        out.append(sorted(rows, key=lambda r: r[i]))
        out.append(lambda i=i: i)
        out.append(lambda x=i: x)
        def cb(e, item=i):
            return item
        out.append(cb)
        total = sum(map(lambda r: r[i], rows))
        (lambda: print(i))()
        def cell(r):
            return r[i]
        out.extend(cell(r) for r in rows)
        f = lambda: i
        f()
        g = lambda: 0
        out.append(g)
    best = [max(rows, key=lambda r: r[c]) for c in cols]
    gen = (lambda: c for c in cols)
    for j in cols:
        if j:
            out.append(lambda: len(rows))
    out.append(lambda: j)
    return out, best, gen, total
";
        assert!(findings(src, "PM0138", T).is_empty());
    }

    #[test]
    fn fix_binds_default_parameters() {
        assert_eq!(
            fixed(
                "for i in range(3):\n    cbs.append(lambda: i)\n",
                "PM0138",
                T
            ),
            "for i in range(3):\n    cbs.append(lambda i=i: i)\n"
        );
        assert_eq!(
            fixed(
                "for k, v in d.items():\n    cbs.append(lambda e, *a: (k, v, e))\n",
                "PM0138",
                T
            ),
            "for k, v in d.items():\n    cbs.append(lambda e, *a, k=k, v=v: (k, v, e))\n"
        );
        assert_eq!(
            fixed(
                "for i in r:\n    def cb():\n        return i\n    cbs.append(cb)\n",
                "PM0138",
                T
            ),
            "for i in r:\n    def cb(i=i):\n        return i\n    cbs.append(cb)\n"
        );
    }
}
