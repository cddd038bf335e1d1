//! PM0501: a decorator whose inner wrapper calls the decorated function and is returned without
//! `functools.wraps`, so the result loses the function's name, docstring and signature
//! (§5.11.a1).

use super::source::{def_name, indentation, line_start};
use super::{Ctx, Edit, Kind, Node, Rule, Safety};
use crate::syntax::ast::{self, Expr, Stmt};
use crate::syntax::span;
use crate::syntax::walk::{walk, Visitor};

pub struct MissingWraps;

const CODE: &str = "PM0501";

/// The parts of a `def` or `async def` this rule reads.
struct Def<'a> {
    stmt: &'a Stmt,
    name: &'a str,
    args: &'a ast::Arguments,
    body: &'a [Stmt],
    decorators: &'a [Expr],
}

fn as_def(s: &Stmt) -> Option<Def<'_>> {
    match s {
        Stmt::FunctionDef(f) => Some(Def {
            stmt: s,
            name: f.name.as_str(),
            args: &f.args,
            body: &f.body,
            decorators: &f.decorator_list,
        }),
        Stmt::AsyncFunctionDef(f) => Some(Def {
            stmt: s,
            name: f.name.as_str(),
            args: &f.args,
            body: &f.body,
            decorators: &f.decorator_list,
        }),
        _ => None,
    }
}

fn param_names(a: &ast::Arguments) -> Vec<&str> {
    a.posonlyargs
        .iter()
        .chain(&a.args)
        .chain(&a.kwonlyargs)
        .map(|p| p.def.arg.as_str())
        .collect()
}

/// Calls, names read, attribute stores and decorators seen in some statements, not descending
/// into nested classes.
#[derive(Default)]
struct Facts<'a> {
    called: Vec<&'a str>,
    returned: Vec<&'a str>,
    attr_stores: Vec<&'a str>,
    words: Vec<&'a str>,
    /// The bare names passed to each call.
    call_args: Vec<Vec<&'a str>>,
}

impl<'a> Visitor<'a> for Facts<'a> {
    fn enter(&mut self, node: Node<'a>) -> bool {
        match node {
            Node::Stmt(Stmt::ClassDef(_)) => return false,
            Node::Stmt(Stmt::Return(r)) => {
                if let Some(Expr::Name(n)) = r.value.as_deref() {
                    self.returned.push(n.id.as_str());
                }
            }
            Node::Stmt(Stmt::Assign(a)) => {
                for t in &a.targets {
                    if let Expr::Attribute(at) = t {
                        if let Expr::Name(n) = &*at.value {
                            if at.attr.starts_with("__") {
                                self.attr_stores.push(n.id.as_str());
                            }
                        }
                    }
                }
            }
            Node::Expr(Expr::Call(c)) => {
                if let Expr::Name(n) = &*c.func {
                    self.called.push(n.id.as_str());
                }
                self.call_args.push(
                    c.args
                        .iter()
                        .filter_map(|a| match a {
                            Expr::Name(n) => Some(n.id.as_str()),
                            _ => None,
                        })
                        .collect(),
                );
            }
            Node::Expr(Expr::Name(n)) => self.words.push(n.id.as_str()),
            Node::Expr(Expr::Attribute(a)) => self.words.push(a.attr.as_str()),
            _ => {}
        }
        true
    }
    fn leave(&mut self, _node: Node<'a>) {}
}

fn facts(body: &[Stmt]) -> Facts<'_> {
    let mut f = Facts::default();
    walk(body, &mut f);
    f
}

/// How `functools.wraps` can be spelled at the inner def, if it can without a new import.
fn wraps_spelling(ctx: &Ctx<'_>, outer: &Def<'_>) -> Option<&'static str> {
    let Some(Node::Stmt(top)) = ctx
        .parents
        .first()
        .copied()
        .or(Some(Node::Stmt(outer.stmt)))
    else {
        return None;
    };
    let block = std::slice::from_ref(top);
    let names = super::typing_names::BlockNames::of(block);
    // Imports at the top of the outer def or of any def around it are in scope.
    let mut scopes: Vec<&[Stmt]> = vec![outer.body];
    for p in &ctx.parents {
        if let Node::Stmt(s) = p {
            if let Some(d) = as_def(s) {
                scopes.push(d.body);
            }
        }
    }
    let mut import_functools = false;
    let mut import_wraps = false;
    for body in scopes {
        for s in body {
            match s {
                Stmt::Import(i) => {
                    import_functools |= i
                        .names
                        .iter()
                        .any(|a| a.name.as_str() == "functools" && a.asname.is_none());
                }
                Stmt::ImportFrom(i) => {
                    let from_functools =
                        i.module.as_ref().is_some_and(|m| m.as_str() == "functools")
                            && i.level.as_ref().map_or(0, |l| l.to_u32()) == 0;
                    if from_functools
                        && i.names
                            .iter()
                            .any(|a| a.name.as_str() == "wraps" && a.asname.is_none())
                    {
                        import_wraps = true;
                    }
                }
                _ => {}
            }
        }
    }
    // A global the block reads and never binds is taken to be what it is spelled like.
    let global = |n: &str| names.reads(n) && !names.binds(n);
    let module =
        |n: &str, full: &str| !names.binds(n) && ctx.module.imports.imported(n) == Some(full);
    import_wraps |= module("wraps", "functools.wraps");
    import_functools |= module("functools", "functools");
    if import_wraps || global("wraps") {
        Some("wraps")
    } else if import_functools || global("functools") {
        Some("functools.wraps")
    } else {
        None
    }
}

impl Rule for MissingWraps {
    fn code(&self) -> &'static str {
        CODE
    }

    fn kinds(&self) -> &'static [Kind] {
        &[Kind::FunctionDef, Kind::AsyncFunctionDef]
    }

    fn check(&self, node: Node<'_>, ctx: &mut Ctx<'_>) {
        let Node::Stmt(s) = node else { return };
        let Some(outer) = as_def(s) else { return };
        let params = param_names(outer.args);
        if params.is_empty() {
            return;
        }
        let outer_facts = facts(outer.body);
        for st in outer.body {
            let Some(inner) = as_def(st) else { continue };
            if !outer_facts.returned.contains(&inner.name) {
                continue;
            }
            // Metadata copied by hand, or by `update_wrapper` / `wraps` anywhere.
            if outer_facts.attr_stores.contains(&inner.name)
                || outer_facts
                    .words
                    .iter()
                    .any(|w| matches!(*w, "update_wrapper" | "wraps"))
            {
                continue;
            }
            let inner_facts = facts(inner.body);
            let inner_params = param_names(inner.args);
            let Some(func) = params.iter().copied().find(|p| {
                !matches!(*p, "self" | "cls" | "klass" | "mcs" | "metacls")
                    && !inner_params.contains(p)
                    && inner_facts.called.contains(p)
            }) else {
                continue;
            };
            // A helper handed both functions (`_copy_meta(wrapper, func)`) copies metadata.
            if outer_facts
                .call_args
                .iter()
                .any(|a| a.contains(&inner.name) && a.contains(&func))
            {
                continue;
            }
            // A wrapper forwards what it receives: `*args` / `**kwargs` into the call.
            if !forwards_varargs(inner.args, inner.body, func) {
                continue;
            }
            let fix = wraps_spelling(ctx, &outer).and_then(|w| add_wraps(ctx, &inner, w, func));
            let range = def_name(ctx.source, span(inner.stmt).0, inner.decorators, inner.name);
            ctx.report(CODE, range, &[("inner", inner.name), ("func", func)], fix);
        }
    }
}

/// True when the inner def takes `*args` or `**kwargs` and passes them to a call of `func`.
fn forwards_varargs(args: &ast::Arguments, body: &[Stmt], func: &str) -> bool {
    let star: Vec<&str> = args
        .vararg
        .iter()
        .chain(&args.kwarg)
        .map(|a| a.arg.as_str())
        .collect();
    if star.is_empty() {
        return false;
    }
    struct Find<'s> {
        func: &'s str,
        star: &'s [&'s str],
        found: bool,
    }
    impl<'a> Visitor<'a> for Find<'_> {
        fn enter(&mut self, node: Node<'a>) -> bool {
            if let Node::Expr(Expr::Call(c)) = node {
                if matches!(&*c.func, Expr::Name(n) if n.id.as_str() == self.func) {
                    let starred = c.args.iter().any(|a| {
                        matches!(a, Expr::Starred(s) if matches!(&*s.value, Expr::Name(n) if self.star.contains(&n.id.as_str())))
                    });
                    let kw = c.keywords.iter().any(|k| {
                        k.arg.is_none()
                            && matches!(&k.value, Expr::Name(n) if self.star.contains(&n.id.as_str()))
                    });
                    if starred || kw {
                        self.found = true;
                    }
                }
            }
            !self.found
        }
        fn leave(&mut self, _node: Node<'a>) {}
    }
    let mut f = Find {
        func,
        star: &star,
        found: false,
    };
    walk(body, &mut f);
    f.found
}

/// Inserts `@wraps(func)` on its own line above the inner def and its decorators.
fn add_wraps(ctx: &Ctx<'_>, inner: &Def<'_>, spelling: &str, func: &str) -> Option<super::Fix> {
    let src = ctx.source;
    let first = inner
        .decorators
        .iter()
        .map(|d| span(d).0)
        .chain(std::iter::once(span(inner.stmt).0))
        .min()?;
    let ls = line_start(src, first);
    let lead = src.get(ls..first)?.trim();
    if !(lead.is_empty() || lead == "@") {
        return None;
    }
    let indent = indentation(src, first);
    let nl = ctx.newline();
    Some(ctx.fix(
        CODE,
        &[("spelling", spelling), ("func", func)],
        Safety::Safe,
        vec![Edit {
            start: ls,
            end: ls,
            text: format!("{indent}@{spelling}({func}){nl}"),
        }],
    ))
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{findings, fixed, flagged};

    const T: (u8, u8) = (3, 12);

    #[test]
    fn flags_a_wrapper_without_wraps() {
        let src = "def logged(fn):\n    def inner(*args, **kwargs):\n        print(fn)\n        return fn(*args, **kwargs)\n    return inner\n";
        let found = findings(src, "PM0501", T);
        assert_eq!(flagged(src, &found), ["inner"]);
        assert_eq!(
            found[0].message,
            "`inner` replaces `fn` without `@functools.wraps(fn)`: the decorated function loses its `__name__`, `__doc__`, `__wrapped__` and signature"
        );
        assert_eq!(found[0].section, "5.11.a1");
        assert!(found[0].fix.is_none(), "functools is not usable here");
    }

    #[test]
    fn flags_inside_a_factory_and_async() {
        let src = "def retry(times):\n    def deco(func):\n        async def run(*a):\n            return await func(*a)\n        return run\n    return deco\n";
        assert_eq!(flagged(src, &findings(src, "PM0501", T)), ["run"]);
    }

    #[test]
    fn silent_when_metadata_is_kept_or_not_a_wrapper() {
        let src = "import functools\ndef a(f):\n    @functools.wraps(f)\n    def w(*args):\n        return f(*args)\n    return w\n";
        assert!(findings(src, "PM0501", T).is_empty());
        let src = "def b(f):\n    def w(*args):\n        return f(*args)\n    update_wrapper(w, f)\n    return w\n";
        assert!(findings(src, "PM0501", T).is_empty());
        let src = "def c(f):\n    def w(*args):\n        return f(*args)\n    w.__name__ = f.__name__\n    return w\n";
        assert!(findings(src, "PM0501", T).is_empty());
        let src =
            "def h(f):\n    def w(*a):\n        return f(*a)\n    _copy(w, f)\n    return w\n";
        assert!(findings(src, "PM0501", T).is_empty());
        // A callback adapter with its own signature, not a wrapper.
        let src = "def d(callback):\n    def handler(event):\n        callback(event.data)\n    return handler\n";
        assert!(findings(src, "PM0501", T).is_empty());
        // Not returned.
        let src = "def e(f):\n    def w(*args):\n        return f(*args)\n    register(w)\n";
        assert!(findings(src, "PM0501", T).is_empty());
        // Calls something else.
        let src = "def g(f):\n    def w(*args):\n        return other(*args)\n    return w\n";
        assert!(findings(src, "PM0501", T).is_empty());
    }

    #[test]
    fn fix_uses_a_module_level_import() {
        let src = "from functools import wraps\n\ndef deco(f):\n    def w(**kw):\n        return f(**kw)\n    return w\n";
        assert_eq!(
            fixed(src, "PM0501", T),
            "from functools import wraps\n\ndef deco(f):\n    @wraps(f)\n    def w(**kw):\n        return f(**kw)\n    return w\n"
        );
    }

    #[test]
    fn fix_adds_wraps_when_usable() {
        let src = "def logged(fn):\n    import functools\n    @other\n    def inner(*args, **kwargs):\n        return fn(*args, **kwargs)\n    return inner\n";
        assert_eq!(
            fixed(src, "PM0501", T),
            "def logged(fn):\n    import functools\n    @functools.wraps(fn)\n    @other\n    def inner(*args, **kwargs):\n        return fn(*args, **kwargs)\n    return inner\n"
        );
        let src = "class K:\n    def deco(self, fn):\n        def inner(*args):\n            return fn(*args)\n        return inner\n    def other(self, g):\n        @wraps(g)\n        def w(*a):\n            return g(*a)\n        return w\n";
        assert_eq!(
            fixed(src, "PM0501", T),
            "class K:\n    def deco(self, fn):\n        @wraps(fn)\n        def inner(*args):\n            return fn(*args)\n        return inner\n    def other(self, g):\n        @wraps(g)\n        def w(*a):\n            return g(*a)\n        return w\n"
        );
    }
}
