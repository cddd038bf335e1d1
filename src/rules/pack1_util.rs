//! Helpers shared by the rule-pack-1 rules of chapters 1 and 2 added together (PM0163 onwards,
//! PM0229 onwards): the parts of a function definition, its parameters, and what a function
//! body does with one of its parameters.

use super::Node;
use crate::syntax::ast::{self, Expr, ExprContext, Stmt};
use crate::syntax::walk::{walk, Visitor};

/// A `def` or `async def`, taken apart.
pub struct FnDef<'a> {
    pub name: &'a str,
    pub args: &'a ast::Arguments,
    pub body: &'a [Stmt],
    pub returns: Option<&'a Expr>,
    pub decorators: &'a [Expr],
}

/// The parts of a function definition node; None for anything else.
pub fn fn_def(node: Node<'_>) -> Option<FnDef<'_>> {
    match node {
        Node::Stmt(Stmt::FunctionDef(f)) => Some(FnDef {
            name: f.name.as_str(),
            args: &f.args,
            body: &f.body,
            returns: f.returns.as_deref(),
            decorators: &f.decorator_list,
        }),
        Node::Stmt(Stmt::AsyncFunctionDef(f)) => Some(FnDef {
            name: f.name.as_str(),
            args: &f.args,
            body: &f.body,
            returns: f.returns.as_deref(),
            decorators: &f.decorator_list,
        }),
        _ => None,
    }
}

/// The named parameters (positional-only, ordinary, keyword-only), with their defaults.
pub fn params(args: &ast::Arguments) -> impl Iterator<Item = &ast::ArgWithDefault> {
    args.posonlyargs
        .iter()
        .chain(&args.args)
        .chain(&args.kwonlyargs)
}

/// True when a parameter list binds `name` (`*args` and `**kwargs` included).
pub fn binds_param(args: &ast::Arguments, name: &str) -> bool {
    params(args).any(|a| a.def.arg.as_str() == name)
        || args
            .vararg
            .iter()
            .chain(&args.kwarg)
            .any(|a| a.arg.as_str() == name)
}

/// One read or write of a name in a function body, as its surroundings show it.
#[derive(Debug, Clone, Copy)]
pub enum Use<'a> {
    /// The iterable of a `for` loop or of a comprehension.
    Iter,
    /// `*name` in a call: the call iterates it.
    StarArg,
    /// A plain argument of a call (positional or keyword value).
    Arg(&'a ast::ExprCall),
    /// The callee of a call.
    Called,
    /// An operand of a comparison.
    Compare(&'a ast::ExprCompare),
    /// `name.attr(...)`.
    Method(&'a str),
    /// `name.attr` read without a call.
    Attr,
    /// `name[...]` read.
    Index,
    /// `name[...] = ...`, `del name[...]`, `name.attr = ...`: the object is changed.
    Mutated,
    /// The name itself is rebound or deleted.
    Rebound,
    /// `{name}` in an f-string.
    Formatted,
    /// `return name`.
    Returned,
    /// A nested function, class or lambda mentions the name.
    Nested,
    /// Anything else.
    Other,
}

struct Uses<'a, 'n> {
    name: &'n str,
    stack: Vec<Node<'a>>,
    out: Vec<Use<'a>>,
}

fn mentions(node: Node<'_>, name: &str) -> bool {
    struct Find<'n> {
        name: &'n str,
        found: bool,
    }
    impl<'a> Visitor<'a> for Find<'_> {
        fn enter(&mut self, node: Node<'a>) -> bool {
            if let Node::Expr(Expr::Name(n)) = node {
                self.found |= n.id.as_str() == self.name;
            }
            !self.found
        }
        fn leave(&mut self, _node: Node<'a>) {}
    }
    match node {
        Node::Stmt(s) => {
            let mut f = Find { name, found: false };
            walk(std::slice::from_ref(s), &mut f);
            f.found
        }
        Node::Expr(e) => expr_mentions(e, name),
    }
}

/// True when `e` reads or binds `name` anywhere, inside lambdas too.
pub fn expr_mentions(e: &Expr, name: &str) -> bool {
    super::iter_util::expr_has(e, |x| match x {
        Expr::Name(n) => n.id.as_str() == name,
        Expr::Lambda(l) => {
            binds_param(&l.args, name)
                || expr_mentions(&l.body, name)
                || params(&l.args)
                    .any(|a| a.default.as_deref().is_some_and(|d| expr_mentions(d, name)))
        }
        _ => false,
    })
}

fn is<T>(a: &T, b: &T) -> bool {
    std::ptr::eq(a, b)
}

impl<'a> Uses<'a, '_> {
    fn classify(&self, e: &'a Expr) -> Use<'a> {
        let parent = self.stack.last().copied();
        let grand = self
            .stack
            .len()
            .checked_sub(2)
            .and_then(|i| self.stack.get(i))
            .copied();
        match parent {
            Some(Node::Stmt(Stmt::For(f))) if is(&*f.iter, e) => Use::Iter,
            Some(Node::Stmt(Stmt::AsyncFor(f))) if is(&*f.iter, e) => Use::Iter,
            Some(Node::Stmt(Stmt::Return(_))) => Use::Returned,
            Some(Node::Expr(
                Expr::ListComp(ast::ExprListComp { generators, .. })
                | Expr::SetComp(ast::ExprSetComp { generators, .. })
                | Expr::DictComp(ast::ExprDictComp { generators, .. })
                | Expr::GeneratorExp(ast::ExprGeneratorExp { generators, .. }),
            )) if generators.iter().any(|g| is(&g.iter, e)) => Use::Iter,
            Some(Node::Expr(Expr::Call(c))) => {
                if is(&*c.func, e) {
                    Use::Called
                } else {
                    Use::Arg(c)
                }
            }
            Some(Node::Expr(Expr::Starred(s))) if is(&*s.value, e) => match grand {
                Some(Node::Expr(Expr::Call(_))) => Use::StarArg,
                _ => Use::Other,
            },
            Some(Node::Expr(Expr::Compare(c))) => Use::Compare(c),
            Some(Node::Expr(Expr::FormattedValue(_))) => Use::Formatted,
            Some(Node::Expr(Expr::Attribute(a))) if is(&*a.value, e) => {
                if !matches!(a.ctx, ExprContext::Load) {
                    return Use::Mutated;
                }
                match grand {
                    Some(Node::Expr(Expr::Call(c))) if matches!(parent, Some(Node::Expr(p)) if is(&*c.func, p)) => {
                        Use::Method(a.attr.as_str())
                    }
                    _ => Use::Attr,
                }
            }
            Some(Node::Expr(Expr::Subscript(s))) if is(&*s.value, e) => {
                if matches!(s.ctx, ExprContext::Load) {
                    Use::Index
                } else {
                    Use::Mutated
                }
            }
            _ => Use::Other,
        }
    }
}

impl<'a> Visitor<'a> for Uses<'a, '_> {
    fn enter(&mut self, node: Node<'a>) -> bool {
        if super::iter_util::opens_scope(node) {
            if mentions(node, self.name) {
                self.out.push(Use::Nested);
            }
            return false;
        }
        if let Node::Expr(e @ Expr::Name(n)) = node {
            if n.id.as_str() == self.name {
                let u = if matches!(n.ctx, ExprContext::Load) {
                    self.classify(e)
                } else {
                    Use::Rebound
                };
                self.out.push(u);
            }
        }
        self.stack.push(node);
        true
    }

    fn leave(&mut self, _node: Node<'a>) {
        self.stack.pop();
    }
}

/// Every use of `name` in a function body, in source order. Nested scopes that mention it
/// count as one `Use::Nested` each, and are not entered.
pub fn uses<'a>(body: &'a [Stmt], name: &str) -> Vec<Use<'a>> {
    let mut v = Uses {
        name,
        stack: Vec::new(),
        out: Vec::new(),
    };
    walk(body, &mut v);
    v.out
}

/// True when a function body is only a docstring, `pass` or `...`: a stub whose parameters
/// say nothing about their use.
pub fn is_stub(body: &[Stmt]) -> bool {
    body.iter().all(|s| match s {
        Stmt::Pass(_) => true,
        Stmt::Expr(e) => matches!(&*e.value, Expr::Constant(_)),
        Stmt::Raise(_) => true,
        _ => false,
    })
}

/// The name of a decorator without call arguments or module (`staticmethod`, `overload`).
pub fn decorator_name(d: &Expr) -> Option<&str> {
    super::typing_names::last_name(d)
}

/// True when an annotation plainly admits None: `Optional[X]`, `Union[..., None]`, `X | None`
/// (typing names resolved through `names`). String annotations are not looked into.
pub fn admits_none(e: &Expr, names: &super::typing_names::BlockNames) -> bool {
    use super::typing_names::TYPING;
    let is_none =
        |x: &Expr| matches!(x, Expr::Constant(c) if matches!(c.value, ast::Constant::None));
    match e {
        Expr::BinOp(b) if matches!(b.op, ast::Operator::BitOr) => {
            is_none(&b.left)
                || is_none(&b.right)
                || admits_none(&b.left, names)
                || admits_none(&b.right, names)
        }
        Expr::Subscript(s) => {
            let Some(r) = names.resolve(&s.value) else {
                return false;
            };
            if !r.is_in(TYPING) {
                return false;
            }
            match r.member.as_str() {
                "Optional" => true,
                "Union" => match &*s.slice {
                    Expr::Tuple(t) => t.elts.iter().any(|x| is_none(x) || admits_none(x, names)),
                    x => is_none(x),
                },
                _ => false,
            }
        }
        _ => false,
    }
}
