//! What the chapter-10 and chapter-12 rules of this group share: a uniform view of a `def` or
//! `async def`, the class a method sits in, and the names a function scope binds.

use super::typing_names::last_name;
use super::{Ctx, Node};
use crate::syntax::ast::{self, Expr, Stmt};

/// A function definition, sync or async, seen the same way.
#[derive(Clone, Copy)]
pub struct Func<'a> {
    pub stmt: &'a Stmt,
    pub name: &'a str,
    pub args: &'a ast::Arguments,
    pub body: &'a [Stmt],
    pub decorators: &'a [Expr],
    pub returns: Option<&'a Expr>,
    pub is_async: bool,
}

impl<'a> Func<'a> {
    pub fn of(s: &'a Stmt) -> Option<Func<'a>> {
        match s {
            Stmt::FunctionDef(f) => Some(Func {
                stmt: s,
                name: f.name.as_str(),
                args: &f.args,
                body: &f.body,
                decorators: &f.decorator_list,
                returns: f.returns.as_deref(),
                is_async: false,
            }),
            Stmt::AsyncFunctionDef(f) => Some(Func {
                stmt: s,
                name: f.name.as_str(),
                args: &f.args,
                body: &f.body,
                decorators: &f.decorator_list,
                returns: f.returns.as_deref(),
                is_async: true,
            }),
            _ => None,
        }
    }

    /// Every parameter name, in order.
    pub fn params(&self) -> Vec<&'a str> {
        let a = self.args;
        let mut out: Vec<&str> = a
            .posonlyargs
            .iter()
            .chain(&a.args)
            .map(|p| p.def.arg.as_str())
            .collect();
        out.extend(a.vararg.iter().map(|p| p.arg.as_str()));
        out.extend(a.kwonlyargs.iter().map(|p| p.def.arg.as_str()));
        out.extend(a.kwarg.iter().map(|p| p.arg.as_str()));
        out
    }

    /// True when a decorator's last name is one of `names` (`abc.abstractmethod`, `overload`).
    pub fn decorated_with(&self, names: &[&str]) -> bool {
        self.decorators.iter().any(|d| {
            let d = match d {
                Expr::Call(c) => &*c.func,
                other => other,
            };
            last_name(d).is_some_and(|n| names.contains(&n))
        })
    }

    /// True for `@abstractmethod` (and its deprecated relatives).
    pub fn is_abstract(&self) -> bool {
        self.decorated_with(&[
            "abstractmethod",
            "abstractproperty",
            "abstractclassmethod",
            "abstractstaticmethod",
        ])
    }
}

/// The function the node being checked is the statement of, or sits directly in (no class
/// or lambda between), with the class it is a method of when it is one.
pub fn enclosing_func<'a>(ctx: &Ctx<'a>) -> Option<(Func<'a>, Option<&'a ast::StmtClassDef>)> {
    let mut it = ctx.parents.iter().rev().enumerate();
    for (i, p) in &mut it {
        match p {
            Node::Stmt(s @ (Stmt::FunctionDef(_) | Stmt::AsyncFunctionDef(_))) => {
                let f = Func::of(s)?;
                let n = ctx.parents.len() - 1 - i;
                let class = match n.checked_sub(1).and_then(|j| ctx.parents.get(j)) {
                    Some(Node::Stmt(Stmt::ClassDef(c))) => Some(c),
                    _ => None,
                };
                return Some((f, class));
            }
            Node::Stmt(Stmt::ClassDef(_)) | Node::Expr(Expr::Lambda(_)) => return None,
            _ => {}
        }
    }
    None
}

/// The class a function statement is a method of: the parent of `stmt` when `stmt` is the
/// node being checked.
pub fn method_class<'a>(ctx: &Ctx<'a>) -> Option<&'a ast::StmtClassDef> {
    match ctx.parents.last() {
        Some(Node::Stmt(Stmt::ClassDef(c))) => Some(c),
        _ => None,
    }
}

/// True for a name the book's conventions call public: no leading underscore, or a dunder.
pub fn is_public(name: &str) -> bool {
    !name.starts_with('_') || (name.starts_with("__") && name.ends_with("__"))
}

/// True for a test function or a method of a test class, judged by name (a test file is
/// `ctx.module.file.test`): `test_*`, `setUp`-style hooks, classes named `Test*` or `*Test`/`*Tests`.
pub fn is_test_code(func: &str, class: Option<&str>) -> bool {
    func.starts_with("test")
        || matches!(
            func,
            "setUp" | "tearDown" | "setUpClass" | "tearDownClass" | "setUpModule"
        )
        || class
            .is_some_and(|c| c.starts_with("Test") || c.ends_with("Test") || c.ends_with("Tests"))
}

/// True when a `break` in `body` belongs to the loop whose body it is: nested loops' bodies
/// and nested scopes are skipped, nested loops' `else` clauses are not.
pub fn breaks_loop(body: &[Stmt]) -> bool {
    body.iter().any(|s| match s {
        Stmt::Break(_) => true,
        Stmt::FunctionDef(_) | Stmt::AsyncFunctionDef(_) | Stmt::ClassDef(_) => false,
        _ => super::iter_util::child_bodies(s)
            .into_iter()
            .any(|(b, is_loop)| !is_loop && breaks_loop(b)),
    })
}

/// Calls that never return, by their dotted text.
const NO_RETURN: &[&str] = &[
    "sys.exit",
    "os._exit",
    "os.abort",
    "exit",
    "quit",
    "assert_never",
    "typing.assert_never",
    "typing_extensions.assert_never",
    "pytest.fail",
    "pytest.skip",
    "pytest.exit",
    "self.fail",
    "self.skipTest",
];

/// True when control can never run past the end of `body`: some statement in it always
/// returns, raises, exits or loops forever.
pub fn never_completes(body: &[Stmt]) -> bool {
    body.iter().any(stmt_never_completes)
}

fn is_true_constant(e: &Expr) -> bool {
    match e {
        Expr::Constant(c) => match &c.value {
            ast::Constant::Bool(b) => *b,
            ast::Constant::Int(i) => i.to_string() != "0",
            _ => false,
        },
        _ => false,
    }
}

fn is_false_constant(e: &Expr) -> bool {
    match e {
        Expr::Constant(c) => match &c.value {
            ast::Constant::Bool(b) => !*b,
            ast::Constant::Int(i) => i.to_string() == "0",
            ast::Constant::None => true,
            _ => false,
        },
        _ => false,
    }
}

fn stmt_never_completes(s: &Stmt) -> bool {
    match s {
        Stmt::Return(_) | Stmt::Raise(_) => true,
        Stmt::Assert(a) => is_false_constant(&a.test),
        Stmt::Expr(e) => match &*e.value {
            Expr::Call(c) => crate::syntax::facts::dotted(&c.func)
                .is_some_and(|d| NO_RETURN.contains(&d.as_str())),
            _ => false,
        },
        Stmt::If(i) => {
            never_completes(&i.body) && !i.orelse.is_empty() && never_completes(&i.orelse)
        }
        Stmt::While(w) => {
            !breaks_loop(&w.body)
                && (is_true_constant(&w.test)
                    || (!w.orelse.is_empty() && never_completes(&w.orelse)))
        }
        Stmt::For(f) => !breaks_loop(&f.body) && !f.orelse.is_empty() && never_completes(&f.orelse),
        Stmt::AsyncFor(f) => {
            !breaks_loop(&f.body) && !f.orelse.is_empty() && never_completes(&f.orelse)
        }
        Stmt::With(w) => never_completes(&w.body),
        Stmt::AsyncWith(w) => never_completes(&w.body),
        Stmt::Try(t) => try_never_completes(&t.body, &t.handlers, &t.orelse, &t.finalbody),
        Stmt::TryStar(t) => try_never_completes(&t.body, &t.handlers, &t.orelse, &t.finalbody),
        Stmt::Match(m) => {
            m.cases.iter().all(|c| never_completes(&c.body))
                && m.cases.last().is_some_and(|c| {
                    c.guard.is_none()
                        && matches!(&c.pattern, ast::Pattern::MatchAs(p) if p.pattern.is_none())
                })
        }
        _ => false,
    }
}

fn try_never_completes(
    body: &[Stmt],
    handlers: &[ast::ExceptHandler],
    orelse: &[Stmt],
    finalbody: &[Stmt],
) -> bool {
    let handled = handlers.iter().all(|h| {
        let ast::ExceptHandler::ExceptHandler(h) = h;
        never_completes(&h.body)
    });
    never_completes(finalbody)
        || ((never_completes(body) || (!orelse.is_empty() && never_completes(orelse))) && handled)
}

/// The positional parameters of a function a caller fills (positional-only and ordinary),
/// without the receiver of a method (`self`, `cls`) unless it is a static method.
pub fn caller_positionals<'a>(f: &Func<'a>, is_method: bool) -> Vec<&'a ast::ArgWithDefault> {
    let mut v: Vec<&ast::ArgWithDefault> = f.args.posonlyargs.iter().chain(&f.args.args).collect();
    if is_method && !f.decorated_with(&["staticmethod"]) && !v.is_empty() {
        v.remove(0);
    }
    v
}

/// How many defs and classes enclose the node being checked.
fn def_depth(ctx: &Ctx<'_>) -> usize {
    ctx.parents
        .iter()
        .filter(|p| {
            matches!(
                p,
                Node::Stmt(Stmt::FunctionDef(_) | Stmt::AsyncFunctionDef(_) | Stmt::ClassDef(_))
            )
        })
        .count()
}

/// True when function `func` (a method of `class` when given) is public API: public names,
/// defined at the top level or directly in a top-level class, and not test code (by name, or
/// by being in a test file).
/// `inside` tells whether the node being checked sits inside that function (rather than
/// being its `def` statement).
pub fn public_function(ctx: &Ctx<'_>, func: &str, class: Option<&str>, inside: bool) -> bool {
    let expected = usize::from(class.is_some()) + usize::from(inside);
    def_depth(ctx) == expected
        && is_public(func)
        && class.is_none_or(is_public)
        && !is_test_code(func, class)
        && !ctx.module.file.test
}

/// `public_function` for the `def` statement being checked.
pub fn public_def(ctx: &Ctx<'_>, f: &Func<'_>) -> bool {
    let class = method_class(ctx).map(|c| c.name.as_str());
    public_function(ctx, f.name, class, false)
}

/// The range of a parameter's name: from the start of its `Arg` node for the name's length
/// when the text there is the name, else the whole node (an identifier Python normalised).
pub fn param_name_range(source: &str, arg: &ast::Arg) -> (usize, usize) {
    let (s, t) = crate::syntax::span(arg);
    let name = arg.arg.as_str();
    match source.get(s..s + name.len()) {
        Some(text) if text == name => (s, s + name.len()),
        _ => (s, t),
    }
}
