//! Helpers shared by the group-b rules of chapters 3 and 4 (functional tools, iterators and
//! generators) on top of `iter_util`: builtins that the block does not shadow, lambda
//! parameters, names resolved to a module member, and parenthesising text for a fix.

use super::iter_util::is_generator;
use super::typing_names::BlockNames;
use super::{Ctx, Node};
use crate::syntax::ast::{Expr, ExprCall, ExprLambda, ExprName, Stmt};
use crate::syntax::walk::{walk, Visitor};
use std::collections::HashMap;

/// `e` as a call of the builtin `name`, written bare and not bound by the block or imported.
pub fn builtin_call<'a>(e: &'a Expr, names: &BlockNames, name: &str) -> Option<&'a ExprCall> {
    let Expr::Call(c) = e else { return None };
    match &*c.func {
        Expr::Name(n) if n.id.as_str() == name && !names.binds(name) => Some(c),
        _ => None,
    }
}

/// True when `e` names `module.member` through the block's and the module's imports
/// (`functools.reduce`, `ft.reduce` after `import functools as ft`, `reduce` after
/// `from functools import reduce`).
pub fn is_member(e: &Expr, names: &BlockNames, module: &str, member: &str) -> bool {
    names
        .resolve(e)
        .is_some_and(|r| r.member == member && r.module.as_deref() == Some(module))
}

/// The parameter names of a lambda that takes plain positional parameters only (no defaults,
/// no `*args`, keyword-only or `**kwargs`).
pub fn plain_params(l: &ExprLambda) -> Option<Vec<&str>> {
    let a = &l.args;
    if a.vararg.is_some() || a.kwarg.is_some() || !a.kwonlyargs.is_empty() {
        return None;
    }
    a.posonlyargs
        .iter()
        .chain(&a.args)
        .map(|p| p.default.is_none().then_some(p.def.arg.as_str()))
        .collect()
}

/// True when `e` is the bare name `name`.
pub fn is_name(e: &Expr, name: &str) -> bool {
    matches!(e, Expr::Name(n) if n.id.as_str() == name)
}

/// `text` wrapped in parentheses when `wrap` holds.
pub fn paren(text: &str, wrap: bool) -> String {
    if wrap {
        format!("({text})")
    } else {
        text.to_string()
    }
}

/// True when `text` is wrapped as a whole in one pair of parentheses (`(a, b)`, not
/// `(a), (b)`). Quotes are skipped so that a parenthesis inside a string does not count.
pub fn wrapped(text: &str) -> bool {
    if !text.starts_with('(') || !text.ends_with(')') {
        return false;
    }
    let mut depth = 0usize;
    let mut quote: Option<char> = None;
    let mut escaped = false;
    let last = text.len() - 1;
    for (i, c) in text.char_indices() {
        if let Some(q) = quote {
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == q {
                quote = None;
            }
            continue;
        }
        match c {
            '\'' | '"' => quote = Some(c),
            '(' | '[' | '{' => depth += 1,
            ')' | ']' | '}' => {
                depth = depth.saturating_sub(1);
                if depth == 0 && i != last {
                    return false;
                }
            }
            _ => {}
        }
    }
    depth == 0
}

/// True for an expression that needs parentheses where the grammar wants an operand of `or`
/// (a comprehension's `in` and `if` clauses, the operand of `yield from`): conditional
/// expressions, lambdas, walruses, yields and tuples not already in parentheses. `text` is the
/// expression's source (a parenthesised tuple's range includes its parentheses).
pub fn needs_parens_as_operand(e: &Expr, text: &str) -> bool {
    match e {
        Expr::IfExp(_)
        | Expr::Lambda(_)
        | Expr::NamedExpr(_)
        | Expr::Yield(_)
        | Expr::YieldFrom(_) => true,
        Expr::Tuple(_) | Expr::Starred(_) => !wrapped(text),
        _ => false,
    }
}

/// Calls `f` on every name (read or bound) in `stmts`, nested scopes included.
pub fn each_name<'a>(stmts: &'a [Stmt], f: impl FnMut(&'a ExprName)) {
    struct V<F>(F);
    impl<'a, F: FnMut(&'a ExprName)> Visitor<'a> for V<F> {
        fn enter(&mut self, node: Node<'a>) -> bool {
            if let Node::Expr(Expr::Name(n)) = node {
                (self.0)(n);
            }
            true
        }
        fn leave(&mut self, _node: Node<'a>) {}
    }
    walk(stmts, &mut V(f));
}

/// For each name `stmts` define with `def` or `async def` (at any depth), whether every such
/// definition is a plain undecorated generator function. A decorated generator function may
/// return something else (`@contextmanager`) or prime it (`@coroutine`).
fn generator_defs(stmts: &[Stmt]) -> HashMap<String, bool> {
    struct V {
        out: HashMap<String, bool>,
    }
    impl<'a> Visitor<'a> for V {
        fn enter(&mut self, node: Node<'a>) -> bool {
            let (name, plain) = match node {
                Node::Stmt(Stmt::FunctionDef(f)) => (
                    f.name.as_str(),
                    f.decorator_list.is_empty() && is_generator(&f.body),
                ),
                Node::Stmt(Stmt::AsyncFunctionDef(f)) => (f.name.as_str(), false),
                _ => return true,
            };
            let all = self.out.entry(name.to_string()).or_insert(true);
            *all = *all && plain;
            true
        }
        fn leave(&mut self, _node: Node<'a>) {}
    }
    let mut v = V {
        out: HashMap::new(),
    };
    walk(stmts, &mut v);
    v.out
}

/// True when `e` makes a new generator object the block can see: a generator expression, or
/// a call of a plain undecorated generator function defined in `block` (by name, or as
/// `self.name()` for a method), when every `def` of that name in the block is one; or, by
/// name, defined at the top level of the module when the block does not bind the name itself
/// and every top-level `def` of it is one. A decorated generator function may return
/// something else (`@contextmanager`) or prime it (`@coroutine`).
pub fn makes_generator(e: &Expr, block: &Stmt, ctx: &Ctx<'_>) -> bool {
    let (name, by_name) = match e {
        Expr::GeneratorExp(_) => return true,
        Expr::Call(c) => match &*c.func {
            Expr::Name(n) => (n.id.as_str(), true),
            Expr::Attribute(a) if is_name(&a.value, "self") => (a.attr.as_str(), false),
            _ => return false,
        },
        _ => return false,
    };
    // One walk per block: this is asked for every assignment in it.
    let defs = ctx.generator_defs(block, || generator_defs(std::slice::from_ref(block)));
    if let Some(&plain) = defs.get(name) {
        return plain;
    }
    if !by_name {
        return false;
    }
    let mut top = ctx.module.functions_named(name).peekable();
    // The block's names last: collecting them walks the block and copies the module's
    // imports, and most calls are not of a top-level generator function.
    top.peek().is_some()
        && top.all(|f| f.plain_generator && !f.is_async)
        && !BlockNames::of_block(Node::Stmt(block), ctx).binds(name)
}

#[cfg(test)]
mod tests {
    use super::wrapped;

    #[test]
    fn tells_a_wrapped_text_from_two_groups() {
        assert!(wrapped("(a, b)"));
        assert!(wrapped("((a), (b))"));
        assert!(wrapped("(')', b)"));
        assert!(!wrapped("(a), (b)"));
        assert!(!wrapped("a, b"));
        assert!(!wrapped("(a)[0]"));
    }
}
