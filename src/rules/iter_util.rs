//! Helpers shared by the chapter-3 and chapter-4 rules (functional tools, iterators and
//! generators): walking one scope without entering nested ones, telling a generator function
//! from a plain one, and finding out whether a module or a name can be spelled in a fix.

use super::typing_names::BlockNames;
use super::{Ctx, Node};
use crate::syntax::ast::{Expr, Stmt};
use crate::syntax::walk::{walk, Visitor};

/// True for a node that opens a new scope: a def, a class or a lambda.
pub fn opens_scope(node: Node<'_>) -> bool {
    matches!(
        node,
        Node::Stmt(Stmt::FunctionDef(_) | Stmt::AsyncFunctionDef(_) | Stmt::ClassDef(_))
            | Node::Expr(Expr::Lambda(_))
    )
}

struct Scan<F> {
    f: F,
}

/// Like `Scan`, but entering nested scopes too.
struct All<F> {
    f: F,
}

impl<'a, F: FnMut(Node<'a>)> Visitor<'a> for All<F> {
    fn enter(&mut self, node: Node<'a>) -> bool {
        (self.f)(node);
        true
    }
    fn leave(&mut self, _node: Node<'a>) {}
}

impl<'a, F: FnMut(Node<'a>)> Visitor<'a> for Scan<F> {
    fn enter(&mut self, node: Node<'a>) -> bool {
        (self.f)(node);
        !opens_scope(node)
    }
    fn leave(&mut self, _node: Node<'a>) {}
}

/// True when `f` holds for some statement of `stmts` (nested scopes aside); its second
/// argument says whether the statement belongs to the loop around `stmts` rather than to a
/// loop nested in them, which is what a `break` or `continue` needs.
pub fn any_stmt_by_loop<'a>(stmts: &'a [Stmt], f: impl FnMut(&'a Stmt, bool) -> bool) -> bool {
    struct V<F> {
        f: F,
        depth: usize,
        found: bool,
    }
    impl<'a, F: FnMut(&'a Stmt, bool) -> bool> Visitor<'a> for V<F> {
        fn enter(&mut self, node: Node<'a>) -> bool {
            if self.found || opens_scope(node) {
                return false;
            }
            if let Node::Stmt(s) = node {
                self.found = (self.f)(s, self.depth == 0);
                if matches!(s, Stmt::For(_) | Stmt::AsyncFor(_) | Stmt::While(_)) {
                    self.depth += 1;
                }
            }
            !self.found
        }
        fn leave(&mut self, node: Node<'a>) {
            if let Node::Stmt(Stmt::For(_) | Stmt::AsyncFor(_) | Stmt::While(_)) = node {
                self.depth = self.depth.saturating_sub(1);
            }
        }
    }
    let mut v = V {
        f,
        depth: 0,
        found: false,
    };
    walk(stmts, &mut v);
    v.found
}

/// Calls `f` on every node of `stmts`, entering neither nested defs, classes nor lambdas
/// (they are handed to `f`, their insides are not).
pub fn scan<'a>(stmts: &'a [Stmt], f: impl FnMut(Node<'a>)) {
    walk(stmts, &mut Scan { f });
}

/// Calls `f` on every node of an expression, outermost first, entering no lambda (the lambda
/// itself is handed to `f`).
pub fn scan_expr<'a>(e: &'a Expr, f: &mut impl FnMut(&'a Expr)) {
    f(e);
    let mut kids: Vec<&'a Expr> = Vec::new();
    expr_kids(e, false, &mut kids);
    for k in kids {
        scan_expr(k, f);
    }
}

/// Pushes the direct sub-expressions of `e` onto `kids`; a lambda has none. With
/// `every_time`, only those evaluated whenever `e` is: not the later operands of `and`/`or` or
/// of a chained comparison (both stop early), not a conditional expression's branches, and
/// nothing of a comprehension (its body may run zero times).
pub fn expr_kids<'a>(e: &'a Expr, every_time: bool, kids: &mut Vec<&'a Expr>) {
    match e {
        Expr::BoolOp(x) if every_time => kids.extend(x.values.first()),
        Expr::BoolOp(x) => kids.extend(&x.values),
        Expr::NamedExpr(x) => kids.extend([&*x.target, &*x.value]),
        Expr::BinOp(x) => kids.extend([&*x.left, &*x.right]),
        Expr::UnaryOp(x) => kids.push(&x.operand),
        Expr::Lambda(_) | Expr::Constant(_) | Expr::Name(_) => {}
        Expr::IfExp(x) if every_time => kids.push(&x.test),
        Expr::IfExp(x) => kids.extend([&*x.test, &*x.body, &*x.orelse]),
        Expr::Dict(x) => {
            kids.extend(x.keys.iter().flatten());
            kids.extend(&x.values);
        }
        Expr::Set(x) => kids.extend(&x.elts),
        Expr::ListComp(_) | Expr::SetComp(_) | Expr::DictComp(_) | Expr::GeneratorExp(_)
            if every_time => {}
        Expr::ListComp(x) => {
            comp_kids(&x.generators, kids);
            kids.push(&x.elt);
        }
        Expr::SetComp(x) => {
            comp_kids(&x.generators, kids);
            kids.push(&x.elt);
        }
        Expr::DictComp(x) => {
            comp_kids(&x.generators, kids);
            kids.extend([&*x.key, &*x.value]);
        }
        Expr::GeneratorExp(x) => {
            comp_kids(&x.generators, kids);
            kids.push(&x.elt);
        }
        Expr::Await(x) => kids.push(&x.value),
        Expr::Yield(x) => kids.extend(x.value.as_deref()),
        Expr::YieldFrom(x) => kids.push(&x.value),
        Expr::Compare(x) if every_time => {
            kids.push(&x.left);
            kids.extend(x.comparators.first());
        }
        Expr::Compare(x) => {
            kids.push(&x.left);
            kids.extend(&x.comparators);
        }
        Expr::Call(x) => {
            kids.push(&x.func);
            kids.extend(&x.args);
            kids.extend(x.keywords.iter().map(|k| &k.value));
        }
        Expr::FormattedValue(x) => {
            kids.push(&x.value);
            kids.extend(x.format_spec.as_deref());
        }
        Expr::JoinedStr(x) => kids.extend(&x.values),
        Expr::Attribute(x) => kids.push(&x.value),
        Expr::Subscript(x) => kids.extend([&*x.value, &*x.slice]),
        Expr::Starred(x) => kids.push(&x.value),
        Expr::List(x) => kids.extend(&x.elts),
        Expr::Tuple(x) => kids.extend(&x.elts),
        Expr::Slice(x) => {
            kids.extend(x.lower.as_deref());
            kids.extend(x.upper.as_deref());
            kids.extend(x.step.as_deref());
        }
    }
}

fn comp_kids<'a>(gens: &'a [crate::syntax::ast::Comprehension], kids: &mut Vec<&'a Expr>) {
    for g in gens {
        kids.extend([&g.target, &g.iter]);
        kids.extend(&g.ifs);
    }
}

/// True when some node of `e` (lambdas excluded) satisfies `pred`.
pub fn expr_has(e: &Expr, mut pred: impl FnMut(&Expr) -> bool) -> bool {
    let mut found = false;
    scan_expr(e, &mut |x| found |= pred(x));
    found
}

/// True when a function body yields (outside nested scopes): it is a generator function.
pub fn is_generator(body: &[Stmt]) -> bool {
    crate::syntax::facts::yields(body)
}

/// The innermost def, class or lambda around the node being checked.
pub fn innermost_scope<'a>(ctx: &Ctx<'a>) -> Option<Node<'a>> {
    ctx.parents.iter().rev().copied().find(|p| opens_scope(*p))
}

/// The body of the innermost function around the node being checked, and whether it is
/// `async`; None inside a class body, a lambda or at module level.
pub fn enclosing_function<'a>(ctx: &Ctx<'a>) -> Option<(&'a Stmt, &'a [Stmt], bool)> {
    match innermost_scope(ctx)? {
        Node::Stmt(s @ Stmt::FunctionDef(f)) => Some((s, &f.body[..], false)),
        Node::Stmt(s @ Stmt::AsyncFunctionDef(f)) => Some((s, &f.body[..], true)),
        _ => None,
    }
}

/// The top-level statement that holds the node being checked.
pub fn block_stmt<'a>(node: Node<'a>, ctx: &Ctx<'a>) -> Option<&'a Stmt> {
    match ctx.parents.first().copied().unwrap_or(node) {
        Node::Stmt(s) => Some(s),
        Node::Expr(_) => None,
    }
}

/// True when a fix may spell `module` (`itertools`, `operator`) in this block: the block
/// imports it under that name, or reads the name without binding it any other way (so it is
/// imported elsewhere in the file).
pub fn module_usable(names: &BlockNames, module: &str) -> bool {
    !names.assigns(module) && (names.binds(module) || names.reads(module))
}

/// The local name under which the block imports `module.member` with `from module import
/// member [as alias]`, if it does.
pub fn imported_member(block: &Stmt, module: &str, member: &str) -> Option<String> {
    let mut out = None;
    walk(
        std::slice::from_ref(block),
        &mut All {
            f: |n: Node<'_>| {
                if let Node::Stmt(Stmt::ImportFrom(i)) = n {
                    let level = i.level.as_ref().map_or(0, |l| l.to_u32());
                    if level == 0 && i.module.as_ref().is_some_and(|m| m.as_str() == module) {
                        for a in &i.names {
                            if a.name.as_str() == member {
                                out = Some(
                                    a.asname.as_ref().map_or(member, |x| x.as_str()).to_string(),
                                );
                            }
                        }
                    }
                }
            },
        },
    );
    out
}

/// The statement lists directly inside a compound statement, each with whether it is the body
/// of a loop (where `break` and `continue` belong to that loop). Nested scopes give none.
pub fn child_bodies(s: &Stmt) -> Vec<(&[Stmt], bool)> {
    let mut out: Vec<(&[Stmt], bool)> = Vec::new();
    match s {
        Stmt::For(x) => out.extend([(&x.body[..], true), (&x.orelse[..], false)]),
        Stmt::AsyncFor(x) => out.extend([(&x.body[..], true), (&x.orelse[..], false)]),
        Stmt::While(x) => out.extend([(&x.body[..], true), (&x.orelse[..], false)]),
        Stmt::If(x) => out.extend([(&x.body[..], false), (&x.orelse[..], false)]),
        Stmt::With(x) => out.push((&x.body[..], false)),
        Stmt::AsyncWith(x) => out.push((&x.body[..], false)),
        Stmt::Match(x) => out.extend(x.cases.iter().map(|c| (&c.body[..], false))),
        Stmt::Try(x) => {
            out.push((&x.body[..], false));
            for h in &x.handlers {
                let crate::syntax::ast::ExceptHandler::ExceptHandler(h) = h;
                out.push((&h.body[..], false));
            }
            out.extend([(&x.orelse[..], false), (&x.finalbody[..], false)]);
        }
        Stmt::TryStar(x) => {
            out.push((&x.body[..], false));
            for h in &x.handlers {
                let crate::syntax::ast::ExceptHandler::ExceptHandler(h) = h;
                out.push((&h.body[..], false));
            }
            out.extend([(&x.orelse[..], false), (&x.finalbody[..], false)]);
        }
        _ => {}
    }
    out
}

/// The expressions a statement evaluates itself, not those of the statements nested in it.
pub fn own_exprs(s: &Stmt) -> Vec<&Expr> {
    let mut out: Vec<&Expr> = Vec::new();
    match s {
        Stmt::Return(x) => out.extend(x.value.as_deref()),
        Stmt::Delete(x) => out.extend(&x.targets),
        Stmt::Assign(x) => {
            out.extend(&x.targets);
            out.push(&x.value);
        }
        Stmt::AugAssign(x) => out.extend([&*x.target, &*x.value]),
        Stmt::AnnAssign(x) => {
            out.push(&x.target);
            out.extend(x.value.as_deref());
        }
        Stmt::For(x) => out.extend([&*x.target, &*x.iter]),
        Stmt::AsyncFor(x) => out.extend([&*x.target, &*x.iter]),
        Stmt::While(x) => out.push(&x.test),
        Stmt::If(x) => out.push(&x.test),
        Stmt::With(x) => out.extend(x.items.iter().map(|i| &i.context_expr)),
        Stmt::AsyncWith(x) => out.extend(x.items.iter().map(|i| &i.context_expr)),
        Stmt::Match(x) => out.push(&x.subject),
        Stmt::Raise(x) => {
            out.extend(x.exc.as_deref());
            out.extend(x.cause.as_deref());
        }
        Stmt::Assert(x) => {
            out.push(&x.test);
            out.extend(x.msg.as_deref());
        }
        Stmt::Expr(x) => out.push(&x.value),
        _ => {}
    }
    out
}

/// The text of a name or of a dotted chain of names (`self.items`), the only receivers whose
/// identity the text shows.
pub fn dotted_text<'s>(source: &'s str, e: &Expr) -> Option<&'s str> {
    fn ok(e: &Expr) -> bool {
        match e {
            Expr::Name(_) => true,
            Expr::Attribute(a) => ok(&a.value),
            _ => false,
        }
    }
    if !ok(e) {
        return None;
    }
    let (s, t) = crate::syntax::span(e);
    source.get(s..t)
}
