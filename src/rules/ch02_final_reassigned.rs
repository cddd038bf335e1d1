//! PM0213: a name declared `Final` bound again in the same scope, a `@final` method overridden
//! or a `@final` class subclassed, when both classes sit in the same block (§2.3.6).

use super::source::def_name;
use super::typing_names::{BlockNames, TYPING};
use super::{Ctx, Kind, Node, Rule};
use crate::syntax::ast::{self, Expr, Stmt};
use crate::syntax::facts::ModuleFacts;
use crate::syntax::span;

pub struct FinalReassigned;

const CODE: &str = "PM0213";

/// The statements of one scope, in order: `body` and the bodies of its compound statements
/// (`if`, `for`, `while`, `with`, `try`, `match`), but not nested functions or classes.
pub(super) fn scope_stmts<'a>(body: &'a [Stmt], out: &mut Vec<&'a Stmt>) {
    for s in body {
        out.push(s);
        match s {
            Stmt::If(x) => {
                scope_stmts(&x.body, out);
                scope_stmts(&x.orelse, out);
            }
            Stmt::For(x) => {
                scope_stmts(&x.body, out);
                scope_stmts(&x.orelse, out);
            }
            Stmt::AsyncFor(x) => {
                scope_stmts(&x.body, out);
                scope_stmts(&x.orelse, out);
            }
            Stmt::While(x) => {
                scope_stmts(&x.body, out);
                scope_stmts(&x.orelse, out);
            }
            Stmt::With(x) => scope_stmts(&x.body, out),
            Stmt::AsyncWith(x) => scope_stmts(&x.body, out),
            Stmt::Try(x) => {
                scope_stmts(&x.body, out);
                for h in &x.handlers {
                    let ast::ExceptHandler::ExceptHandler(h) = h;
                    scope_stmts(&h.body, out);
                }
                scope_stmts(&x.orelse, out);
                scope_stmts(&x.finalbody, out);
            }
            Stmt::TryStar(x) => {
                scope_stmts(&x.body, out);
                for h in &x.handlers {
                    let ast::ExceptHandler::ExceptHandler(h) = h;
                    scope_stmts(&h.body, out);
                }
                scope_stmts(&x.orelse, out);
                scope_stmts(&x.finalbody, out);
            }
            Stmt::Match(x) => {
                for c in &x.cases {
                    scope_stmts(&c.body, out);
                }
            }
            _ => {}
        }
    }
}

/// The expressions a statement binds as targets (assignment, augmented assignment, `for`,
/// `with ... as`), without the annotated declaration itself.
fn targets(s: &Stmt) -> Vec<&Expr> {
    let mut out = Vec::new();
    match s {
        Stmt::Assign(a) => out.extend(a.targets.iter()),
        Stmt::AugAssign(a) => out.push(&*a.target),
        Stmt::AnnAssign(a) if a.value.is_some() => out.push(&*a.target),
        Stmt::For(f) => out.push(&*f.target),
        Stmt::AsyncFor(f) => out.push(&*f.target),
        Stmt::With(w) => out.extend(w.items.iter().filter_map(|i| i.optional_vars.as_deref())),
        Stmt::AsyncWith(w) => out.extend(w.items.iter().filter_map(|i| i.optional_vars.as_deref())),
        _ => {}
    }
    let mut flat = Vec::new();
    for t in out {
        unpack(t, &mut flat);
    }
    flat
}

fn unpack<'a>(e: &'a Expr, out: &mut Vec<&'a Expr>) {
    match e {
        Expr::Tuple(t) => t.elts.iter().for_each(|x| unpack(x, out)),
        Expr::List(l) => l.elts.iter().for_each(|x| unpack(x, out)),
        Expr::Starred(s) => unpack(&s.value, out),
        other => out.push(other),
    }
}

/// True for an annotation `Final` or `Final[...]` from typing.
fn is_final_annotation(ann: &Expr, names: &BlockNames) -> bool {
    let base = match ann {
        Expr::Subscript(s) => &*s.value,
        other => other,
    };
    names
        .resolve(base)
        .is_some_and(|r| r.member == "Final" && r.is_in(TYPING))
}

fn has_final_decorator(decorators: &[Expr], names: &BlockNames) -> bool {
    decorators.iter().any(|d| {
        names
            .resolve(d)
            .is_some_and(|r| r.member == "final" && r.is_in(TYPING))
    })
}

/// `self.x` for the given receiver name.
fn self_attr<'e>(e: &'e Expr, receiver: &str) -> Option<&'e str> {
    match e {
        Expr::Attribute(a) => match &*a.value {
            Expr::Name(n) if n.id.as_str() == receiver => Some(a.attr.as_str()),
            _ => None,
        },
        _ => None,
    }
}

fn first_param(f: &Stmt) -> Option<(&str, &[Stmt], &[Expr])> {
    let (args, body, decos) = match f {
        Stmt::FunctionDef(f) => (&*f.args, &f.body[..], &f.decorator_list[..]),
        Stmt::AsyncFunctionDef(f) => (&*f.args, &f.body[..], &f.decorator_list[..]),
        _ => return None,
    };
    let p = args.posonlyargs.iter().chain(&args.args).next()?;
    Some((p.def.arg.as_str(), body, decos))
}

fn def_name_of(s: &Stmt) -> Option<&str> {
    match s {
        Stmt::FunctionDef(f) => Some(f.name.as_str()),
        Stmt::AsyncFunctionDef(f) => Some(f.name.as_str()),
        _ => None,
    }
}

fn is_static_or_class(decos: &[Expr]) -> bool {
    decos.iter().any(
        |d| matches!(d, Expr::Name(n) if matches!(n.id.as_str(), "staticmethod" | "classmethod")),
    )
}

/// Names declared Final in one scope, and the later bindings of them.
fn check_scope(body: &[Stmt], names: &BlockNames, found: &mut Vec<(usize, usize, String)>) {
    let mut stmts = Vec::new();
    scope_stmts(body, &mut stmts);
    let mut finals: Vec<(&str, &Stmt)> = Vec::new();
    for s in &stmts {
        if let Stmt::AnnAssign(a) = s {
            if let Expr::Name(n) = &*a.target {
                if is_final_annotation(&a.annotation, names) {
                    finals.push((n.id.as_str(), s));
                }
            }
        }
    }
    if finals.is_empty() {
        return;
    }
    for s in &stmts {
        if let Stmt::AnnAssign(a) = s {
            if is_final_annotation(&a.annotation, names) {
                continue;
            }
        }
        for t in targets(s) {
            if let Expr::Name(n) = t {
                if finals.iter().any(|(f, _)| *f == n.id.as_str()) {
                    let (a, b) = span(t);
                    found.push((
                        a,
                        b,
                        format!("`{}` is declared `Final` and bound again", n.id),
                    ));
                }
            }
        }
    }
}

/// `self.x` declared Final in a class (in its body, or as `self.x: Final` in a method), then
/// assigned in a method. A body declaration without a value may be assigned in `__init__`.
fn check_class_attrs(
    class: &ast::StmtClassDef,
    names: &BlockNames,
    found: &mut Vec<(usize, usize, String)>,
) {
    // name -> may `__init__` assign it
    let mut finals: Vec<(String, bool)> = Vec::new();
    for s in &class.body {
        if let Stmt::AnnAssign(a) = s {
            if let Expr::Name(n) = &*a.target {
                if is_final_annotation(&a.annotation, names) {
                    finals.push((n.id.to_string(), a.value.is_none()));
                }
            }
        }
    }
    let methods: Vec<(&str, &str, &[Stmt], &[Expr])> = class
        .body
        .iter()
        .filter_map(|s| {
            let (recv, body, decos) = first_param(s)?;
            Some((def_name_of(s)?, recv, body, decos))
        })
        .filter(|(_, _, _, decos)| !is_static_or_class(decos))
        .collect();
    let mut declared_in_methods: Vec<*const Stmt> = Vec::new();
    for (_, recv, body, _) in &methods {
        let mut stmts = Vec::new();
        scope_stmts(body, &mut stmts);
        for s in stmts {
            if let Stmt::AnnAssign(a) = s {
                if let Some(attr) = self_attr(&a.target, recv) {
                    if is_final_annotation(&a.annotation, names) {
                        finals.push((attr.to_string(), false));
                        declared_in_methods.push(s as *const Stmt);
                    }
                }
            }
        }
    }
    if finals.is_empty() {
        return;
    }
    for (mname, recv, body, _) in &methods {
        let mut stmts = Vec::new();
        scope_stmts(body, &mut stmts);
        for s in stmts {
            if declared_in_methods.contains(&(s as *const Stmt)) {
                continue;
            }
            for t in targets(s) {
                let Some(attr) = self_attr(t, recv) else {
                    continue;
                };
                let Some((_, init_ok)) = finals.iter().find(|(f, _)| f == attr) else {
                    continue;
                };
                if *init_ok && *mname == "__init__" {
                    continue;
                }
                let (a, b) = span(t);
                found.push((
                    a,
                    b,
                    format!("`{attr}` is declared `Final` and assigned again"),
                ));
            }
        }
    }
}

/// Classes defined side by side in one body: a subclass of a `@final` class, or an override of
/// a `@final` method.
fn check_siblings(
    source: &str,
    body: &[Stmt],
    names: &BlockNames,
    found: &mut Vec<(usize, usize, String)>,
) {
    let classes: Vec<&ast::StmtClassDef> = body
        .iter()
        .filter_map(|s| match s {
            Stmt::ClassDef(c) => Some(c),
            _ => None,
        })
        .collect();
    for (i, c) in classes.iter().enumerate() {
        for b in &c.bases {
            let Expr::Name(bn) = b else { continue };
            let Some(base) = classes[..i]
                .iter()
                .rev()
                .find(|x| x.name.as_str() == bn.id.as_str())
            else {
                continue;
            };
            if has_final_decorator(&base.decorator_list, names) {
                let (a, b2) = span(b);
                found.push((
                    a,
                    b2,
                    format!(
                        "`{}` subclasses `{}`, which is marked `@final`",
                        c.name, base.name
                    ),
                ));
                continue;
            }
            let final_methods: Vec<&str> = base
                .body
                .iter()
                .filter_map(|s| {
                    let (name, decos) = match s {
                        Stmt::FunctionDef(f) => (f.name.as_str(), &f.decorator_list),
                        Stmt::AsyncFunctionDef(f) => (f.name.as_str(), &f.decorator_list),
                        _ => return None,
                    };
                    has_final_decorator(decos, names).then_some(name)
                })
                .collect();
            for s in &c.body {
                let Some(name) = def_name_of(s) else { continue };
                if final_methods.contains(&name) {
                    let decos = match s {
                        Stmt::FunctionDef(f) => &f.decorator_list,
                        Stmt::AsyncFunctionDef(f) => &f.decorator_list,
                        _ => continue,
                    };
                    let (a, b) = def_name(source, span(s).0, decos, name);
                    found.push((
                        a,
                        b,
                        format!(
                            "`{name}` overrides a method marked `@final` in `{}`",
                            base.name
                        ),
                    ));
                }
            }
        }
    }
}

/// True for a decorator written (as a dotted name) `final` from typing, as the module's imports
/// resolve it; a bare `final` nobody imported counts as typing's.
fn module_final(decorator: &str, module: &ModuleFacts) -> bool {
    let full = module.imports.resolve_text(decorator);
    matches!(
        full.as_str(),
        "final" | "typing.final" | "typing_extensions.final"
    )
}

/// A top-level class against the module's other top-level classes: a `@final` base, or a
/// `@final` method of an ancestor overridden here.
fn check_module_bases(
    source: &str,
    class: &ast::StmtClassDef,
    module: &ModuleFacts,
    found: &mut Vec<(usize, usize, String)>,
) {
    for b in &class.bases {
        let Expr::Name(bn) = b else { continue };
        if bn.id.as_str() == class.name.as_str() {
            continue;
        }
        if let Some(base) = module.class(bn.id.as_str()) {
            if base.decorators.iter().any(|d| module_final(d, module)) {
                let (a, e) = span(b);
                found.push((
                    a,
                    e,
                    format!(
                        "`{}` subclasses `{}`, which is marked `@final`",
                        class.name, bn.id
                    ),
                ));
            }
        }
    }
    let ancestors = module.ancestors(class.name.as_str());
    for s in &class.body {
        let (name, decos) = match s {
            Stmt::FunctionDef(f) => (f.name.as_str(), &f.decorator_list),
            Stmt::AsyncFunctionDef(f) => (f.name.as_str(), &f.decorator_list),
            _ => continue,
        };
        let owner = ancestors.iter().find_map(|(cname, c)| {
            c.methods
                .iter()
                .find(|(m, _)| m == name)
                .map(|(_, f)| (cname, f))
        });
        if let Some((cname, f)) = owner {
            if f.decorators.iter().any(|d| module_final(d, module)) {
                let (a, e) = def_name(source, span(s).0, decos, name);
                found.push((
                    a,
                    e,
                    format!("`{name}` overrides a method marked `@final` in `{cname}`"),
                ));
            }
        }
    }
}

impl Rule for FinalReassigned {
    fn code(&self) -> &'static str {
        CODE
    }

    fn kinds(&self) -> &'static [Kind] {
        &[Kind::FunctionDef, Kind::AsyncFunctionDef, Kind::ClassDef]
    }

    fn check(&self, node: Node<'_>, ctx: &mut Ctx<'_>) {
        let Node::Stmt(stmt) = node else { return };
        let top_class =
            ctx.parents.is_empty() && matches!(stmt, Stmt::ClassDef(c) if !c.bases.is_empty());
        if !top_class && !ctx.mentions("Final") && !ctx.mentions("final") {
            return;
        }
        let names = BlockNames::of_block(node, ctx);
        let mut found = Vec::new();
        match stmt {
            Stmt::FunctionDef(f) => {
                check_scope(&f.body, &names, &mut found);
                check_siblings(ctx.source, &f.body, &names, &mut found);
            }
            Stmt::AsyncFunctionDef(f) => {
                check_scope(&f.body, &names, &mut found);
                check_siblings(ctx.source, &f.body, &names, &mut found);
            }
            Stmt::ClassDef(c) => {
                check_scope(&c.body, &names, &mut found);
                check_class_attrs(c, &names, &mut found);
                check_siblings(ctx.source, &c.body, &names, &mut found);
                if ctx.parents.is_empty() {
                    check_module_bases(ctx.source, c, ctx.module, &mut found);
                }
            }
            _ => {}
        }
        for (a, b, problem) in found {
            ctx.report(CODE, (a, b), &[("problem", problem.as_str())], None);
        }
    }
}

/// How the block can spell `typing.<member>` without a new import: a name the block or the
/// module imports from typing (`names` holds both), or `<alias>.<member>` through a
/// module-level `import typing`.
/// None when neither imports it (a fix would need an import outside the block).
pub(super) fn typing_spelling(
    member: &str,
    names: &BlockNames,
    module: &ModuleFacts,
) -> Option<String> {
    let name_expr = Expr::Name(ast::ExprName {
        range: Default::default(),
        id: member.into(),
        ctx: ast::ExprContext::Load,
    });
    if let Some(r) = names.resolve(&name_expr) {
        if r.module.as_deref().is_some_and(|m| TYPING.contains(&m)) && r.member == member {
            return Some(member.to_string());
        }
    }
    module
        .imports
        .entries()
        .filter(|(local, full)| TYPING.contains(full) && !names.assigns(local))
        .map(|(local, _)| local)
        .min()
        .map(|local| format!("{local}.{member}"))
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{findings, flagged};

    const T: (u8, u8) = (3, 12);

    #[test]
    fn flags_rebinding_a_final_name() {
        let src = "def f():\n    LIMIT: Final = 10\n    if x:\n        LIMIT = 20\n    for LIMIT in y:\n        pass\n    LIMIT += 1\n";
        let found = findings(src, "PM0213", T);
        assert_eq!(flagged(src, &found), ["LIMIT", "LIMIT", "LIMIT"]);
        assert_eq!(
            found[0].message,
            "`LIMIT` is declared `Final` and bound again: type checkers reject this, though nothing stops it at run time"
        );
        assert_eq!(found[0].section, "2.3.6");
    }

    #[test]
    fn flags_final_attributes_assigned_in_methods() {
        let src = "class A:\n    size: Final[int]\n    kind: typing.Final = 'a'\n    def __init__(self):\n        self.size = 1\n        self.seen: Final = set()\n    def reset(self):\n        self.size = 0\n        self.kind = 'b'\n        self.seen = set()\n";
        let found = findings(src, "PM0213", T);
        assert_eq!(
            flagged(src, &found),
            ["self.size", "self.kind", "self.seen"]
        );
    }

    #[test]
    fn flags_final_classes_and_methods_in_the_same_block() {
        let src = "def make():\n    @final\n    class Base:\n        pass\n    class Sub(Base):\n        pass\n    class Node:\n        @typing.final\n        def key(self): ...\n    class Leaf(Node):\n        def key(self): ...\n";
        let found = findings(src, "PM0213", T);
        assert_eq!(flagged(src, &found), ["Base", "key"]);
        assert_eq!(
            found[1].message,
            "`key` overrides a method marked `@final` in `Node`: type checkers reject this, though nothing stops it at run time"
        );
    }

    #[test]
    fn flags_final_classes_and_methods_across_blocks() {
        let src = "from typing import final\n\n@final\nclass Base:\n    pass\n\nclass Node:\n    @final\n    def key(self): ...\n\nclass Mid(Node):\n    pass\n\nclass Sub(Base):\n    pass\n\nclass Leaf(Mid):\n    def key(self): ...\n    def other(self): ...\n";
        let found = findings(src, "PM0213", T);
        assert_eq!(flagged(src, &found), ["Base", "key"]);
        let src = "from mylib import final\n\n@final\nclass Base:\n    pass\n\nclass Sub(Base):\n    pass\n";
        assert!(findings(src, "PM0213", T).is_empty());
    }

    #[test]
    fn silent_on_near_misses() {
        for s in [
            "def f():\n    LIMIT: Final = 10\n    def g():\n        LIMIT = 2\n    return LIMIT\n",
            "def f():\n    limit: int = 10\n    limit = 20\n",
            "class A:\n    size: Final[int]\n    def __init__(self):\n        self.size = 1\n    def other(self, o):\n        o.size = 2\n",
            "def f():\n    from mylib import Final\n    x: Final = 1\n    x = 2\n",
            "def make():\n    class Base:\n        def key(self): ...\n    class Leaf(Base):\n        def key(self): ...\n",
        ] {
            assert!(findings(s, "PM0213", T).is_empty(), "{s}");
        }
    }
}
