//! What one block says about the names the chapter-2 rules care about: which typing names it
//! imports, which names it binds itself, which it reads. `of_block` adds the module's top-level
//! imports (from `ctx.module`); a name that neither the block nor the module imports, and the
//! block does not bind, is treated as the typing name it is spelled like.

use super::{Ctx, Node};
use crate::syntax::ast::{self, Expr, ExprContext, Stmt};
use crate::syntax::walk::{walk, Visitor};
use std::collections::{HashMap, HashSet};
use std::rc::Rc;

/// Modules whose members the typing rules recognise.
pub const TYPING: &[&str] = &["typing", "typing_extensions"];

/// Names imported, bound and read anywhere in one block.
#[derive(Debug, Default)]
pub struct BlockNames {
    /// Local name -> qualified name, from every import statement in the block.
    imports: HashMap<String, String>,
    /// Names bound other than by an import: assignments, definitions, parameters, loop and
    /// `with` targets, `except ... as` names.
    bound: HashSet<String>,
    /// Names read.
    loaded: HashSet<String>,
}

/// A dotted name resolved as far as the block allows.
#[derive(Debug, Clone, PartialEq)]
pub struct Resolved<'e> {
    /// The qualified module (`typing`, `collections.abc`); None for a bare name the block
    /// neither imports nor binds.
    pub module: Option<String>,
    /// The member's name in its module (`List`).
    pub member: String,
    /// Written as a bare name (`List`, or an alias of it), not as `module.member`.
    pub bare: bool,
    /// The expression as written.
    pub expr: &'e Expr,
}

impl<'e> Resolved<'e> {
    /// A member of one of `modules`, or a bare name that nothing in the block contradicts.
    pub fn is_in(&self, modules: &[&str]) -> bool {
        match &self.module {
            Some(m) => modules.contains(&m.as_str()),
            None => true,
        }
    }
}

struct Collect<'n> {
    names: &'n mut BlockNames,
}

impl<'a> Visitor<'a> for Collect<'_> {
    fn enter(&mut self, node: Node<'a>) -> bool {
        let n = &mut *self.names;
        match node {
            Node::Stmt(Stmt::Import(i)) => {
                for a in &i.names {
                    let full = a.name.as_str();
                    match &a.asname {
                        Some(alias) => n.bind_import(alias.as_str(), full),
                        None => {
                            let head = full.split('.').next().unwrap_or(full);
                            n.bind_import(head, head)
                        }
                    }
                }
            }
            Node::Stmt(Stmt::ImportFrom(i)) => {
                let level = i.level.as_ref().map_or(0, |l| l.to_u32());
                for a in &i.names {
                    let name = a.name.as_str();
                    let local = a.asname.as_ref().map_or(name, |x| x.as_str());
                    match (&i.module, level) {
                        (Some(m), 0) if name != "*" => {
                            n.bind_import(local, &format!("{}.{name}", m.as_str()))
                        }
                        // A relative import binds a name we cannot qualify.
                        _ if name != "*" => {
                            n.bound.insert(local.to_string());
                        }
                        _ => {}
                    }
                }
            }
            Node::Stmt(Stmt::FunctionDef(f)) => {
                n.bound.insert(f.name.to_string());
                n.bind_args(&f.args);
            }
            Node::Stmt(Stmt::AsyncFunctionDef(f)) => {
                n.bound.insert(f.name.to_string());
                n.bind_args(&f.args);
            }
            Node::Stmt(Stmt::ClassDef(c)) => {
                n.bound.insert(c.name.to_string());
            }
            Node::Stmt(Stmt::Try(t)) => n.bind_handlers(&t.handlers),
            Node::Stmt(Stmt::TryStar(t)) => n.bind_handlers(&t.handlers),
            Node::Expr(Expr::Lambda(l)) => n.bind_args(&l.args),
            Node::Expr(Expr::Name(x)) => {
                if matches!(x.ctx, ExprContext::Load) {
                    n.loaded.insert(x.id.to_string());
                } else {
                    n.bound.insert(x.id.to_string());
                }
            }
            _ => {}
        }
        true
    }

    fn leave(&mut self, _node: Node<'a>) {}
}

impl BlockNames {
    /// Collects the names of `stmts` and everything nested in them.
    pub fn of(stmts: &[Stmt]) -> BlockNames {
        let mut names = BlockNames::default();
        walk(stmts, &mut Collect { names: &mut names });
        names
    }

    /// The names of the top-level statement that holds the node being checked (`node` itself
    /// when it is that statement).
    /// The module's own top-level imports count too, unless the block rebinds the name.
    /// Collected once per statement and shared by every rule and node that asks (`Ctx` keeps
    /// them), since collecting walks the whole statement.
    pub fn of_block(node: Node<'_>, ctx: &Ctx<'_>) -> Rc<BlockNames> {
        let top = ctx.parents.first().copied().unwrap_or(node);
        let Node::Stmt(s) = top else {
            return Rc::new(BlockNames::default());
        };
        ctx.block_names(s, || {
            let mut names = BlockNames::of(std::slice::from_ref(s));
            for (local, full) in ctx.module.imports.entries() {
                if !names.imports.contains_key(local) && !names.bound.contains(local) {
                    names.bind_import(local, full);
                }
            }
            names
        })
    }

    fn bind_import(&mut self, local: &str, full: &str) {
        self.imports.insert(local.to_string(), full.to_string());
    }

    fn bind_args(&mut self, a: &ast::Arguments) {
        for arg in a.posonlyargs.iter().chain(&a.args).chain(&a.kwonlyargs) {
            self.bound.insert(arg.def.arg.to_string());
        }
        for arg in a.vararg.iter().chain(&a.kwarg) {
            self.bound.insert(arg.arg.to_string());
        }
    }

    fn bind_handlers(&mut self, hs: &[ast::ExceptHandler]) {
        for h in hs {
            let ast::ExceptHandler::ExceptHandler(h) = h;
            if let Some(name) = &h.name {
                self.bound.insert(name.to_string());
            }
        }
    }

    /// True when the block binds `name` itself or imports it.
    pub fn binds(&self, name: &str) -> bool {
        self.bound.contains(name) || self.imports.contains_key(name)
    }

    /// True when the block binds `name` other than by an import.
    pub fn assigns(&self, name: &str) -> bool {
        self.bound.contains(name)
    }

    /// True when the block reads `name`.
    pub fn reads(&self, name: &str) -> bool {
        self.loaded.contains(name)
    }

    /// Resolves a name or a dotted attribute chain.
    pub fn resolve<'e>(&self, e: &'e Expr) -> Option<Resolved<'e>> {
        match e {
            Expr::Name(n) => {
                let id = n.id.as_str();
                if let Some(full) = self.imports.get(id) {
                    let (module, member) = full.rsplit_once('.')?;
                    return Some(Resolved {
                        module: Some(module.to_string()),
                        member: member.to_string(),
                        bare: true,
                        expr: e,
                    });
                }
                if self.bound.contains(id) {
                    return None;
                }
                Some(Resolved {
                    module: None,
                    member: id.to_string(),
                    bare: true,
                    expr: e,
                })
            }
            Expr::Attribute(a) => Some(Resolved {
                module: Some(self.module_of(&a.value)?),
                member: a.attr.to_string(),
                bare: false,
                expr: e,
            }),
            _ => None,
        }
    }

    /// The qualified module a dotted expression names: `t` after `import typing as t` is
    /// `typing`; a name the block binds otherwise is unknown.
    fn module_of(&self, e: &Expr) -> Option<String> {
        match e {
            Expr::Name(n) => {
                let id = n.id.as_str();
                match self.imports.get(id) {
                    Some(full) => Some(full.clone()),
                    None if self.bound.contains(id) => None,
                    None => Some(id.to_string()),
                }
            }
            Expr::Attribute(a) => Some(format!("{}.{}", self.module_of(&a.value)?, a.attr)),
            _ => None,
        }
    }
}

/// Every annotation expression in a statement and the statements nested in it: parameters,
/// returns and annotated assignments.
pub fn annotations(stmts: &[Stmt]) -> Vec<&Expr> {
    struct Ann<'a> {
        out: Vec<&'a Expr>,
    }
    impl<'a> Visitor<'a> for Ann<'a> {
        fn enter(&mut self, node: Node<'a>) -> bool {
            let (args, returns) = match node {
                Node::Stmt(Stmt::FunctionDef(f)) => (&*f.args, &f.returns),
                Node::Stmt(Stmt::AsyncFunctionDef(f)) => (&*f.args, &f.returns),
                Node::Stmt(Stmt::AnnAssign(a)) => {
                    self.out.push(&a.annotation);
                    return true;
                }
                _ => return true,
            };
            for arg in args
                .posonlyargs
                .iter()
                .chain(&args.args)
                .chain(&args.kwonlyargs)
            {
                if let Some(a) = &arg.def.annotation {
                    self.out.push(a);
                }
            }
            for arg in args.vararg.iter().chain(&args.kwarg) {
                if let Some(a) = &arg.annotation {
                    self.out.push(a);
                }
            }
            if let Some(r) = returns {
                self.out.push(r);
            }
            true
        }
        fn leave(&mut self, _node: Node<'a>) {}
    }
    let mut v = Ann { out: Vec::new() };
    walk(stmts, &mut v);
    v.out
}

/// The type expressions inside an annotation, outermost first: subscripts (not the name they
/// subscript) and their arguments, names and attributes, through tuples and lists of arguments
/// and `|` unions. String annotations and the values inside `Literal[...]` are skipped.
pub fn type_exprs<'e>(e: &'e Expr, names: &BlockNames, out: &mut Vec<&'e Expr>) {
    match e {
        Expr::Constant(_) => {}
        Expr::Subscript(s) => {
            out.push(e);
            let literal = names
                .resolve(&s.value)
                .is_some_and(|r| r.member == "Literal" && r.is_in(TYPING));
            if !literal {
                type_exprs(&s.slice, names, out);
            }
        }
        Expr::Tuple(t) => {
            for x in &t.elts {
                type_exprs(x, names, out);
            }
        }
        Expr::List(l) => {
            for x in &l.elts {
                type_exprs(x, names, out);
            }
        }
        Expr::BinOp(b) if matches!(b.op, ast::Operator::BitOr) => {
            type_exprs(&b.left, names, out);
            type_exprs(&b.right, names, out);
        }
        Expr::Name(_) | Expr::Attribute(_) => out.push(e),
        _ => {}
    }
}

/// Every statement kind, for rules that look at a whole block from its top-level statements.
pub const STATEMENTS: &[super::Kind] = {
    use super::Kind::*;
    &[
        FunctionDef,
        AsyncFunctionDef,
        ClassDef,
        Return,
        Delete,
        Assign,
        TypeAlias,
        AugAssign,
        AnnAssign,
        For,
        AsyncFor,
        While,
        If,
        With,
        AsyncWith,
        Match,
        Raise,
        Try,
        TryStar,
        Assert,
        Import,
        ImportFrom,
        Global,
        Nonlocal,
        Expr,
        Pass,
        Break,
        Continue,
    ]
};

/// True for a string that could be written as a bare name in Python source: an ASCII
/// identifier that is not a keyword.
pub fn is_identifier(s: &str) -> bool {
    const KEYWORDS: &[&str] = &[
        "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class",
        "continue", "def", "del", "elif", "else", "except", "finally", "for", "from", "global",
        "if", "import", "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise", "return",
        "try", "while", "with", "yield",
    ];
    let mut chars = s.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !KEYWORDS.contains(&s)
}

/// The last name of a dotted expression (`overload` in `typing.overload`), or of the callee when
/// the expression is a call: a cheap test before resolving anything.
pub fn last_name(e: &Expr) -> Option<&str> {
    match e {
        Expr::Name(n) => Some(n.id.as_str()),
        Expr::Attribute(a) => Some(a.attr.as_str()),
        Expr::Call(c) => last_name(&c.func),
        _ => None,
    }
}

/// The text of a node.
pub fn text<'s, T: ast::Ranged>(source: &'s str, node: &T) -> &'s str {
    let (s, e) = crate::syntax::span(node);
    source.get(s..e).unwrap_or("")
}

/// What an annotation rule looks at in one top-level statement: its annotations and the
/// block's names. None when the target is older than `min`, the node is not a top-level
/// statement, or no annotation's text mentions any of `words` (a cheap filter before the walk).
pub fn annotated_block<'a>(
    node: Node<'a>,
    ctx: &Ctx<'_>,
    min: super::Version,
    words: &[&str],
) -> Option<(Vec<&'a Expr>, Rc<BlockNames>)> {
    if ctx.target < min || !ctx.parents.is_empty() {
        return None;
    }
    let Node::Stmt(stmt) = node else { return None };
    let block = std::slice::from_ref::<Stmt>(stmt);
    let anns = annotations(block);
    let mentioned = |a: &&Expr| {
        let t = text(ctx.source, *a);
        words.iter().any(|w| t.contains(w))
    };
    if !anns.iter().any(mentioned) {
        return None;
    }
    Some((anns, BlockNames::of_block(node, ctx)))
}
