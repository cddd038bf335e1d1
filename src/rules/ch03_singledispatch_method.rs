//! PM0307: `@functools.singledispatch` on a method in a class body, which dispatches on the type
//! of `self` instead of the first real argument (§3.3.6).

use super::gen_util::is_member;
use super::iter_util::scan;
use super::typing_names::BlockNames;
use super::{Ctx, Edit, Kind, Node, Rule, Safety};
use crate::syntax::ast::{Arguments, Expr, Stmt};
use crate::syntax::span;

pub struct SingledispatchMethod;

const CODE: &str = "PM0307";

fn def_parts(s: &Stmt) -> Option<(&str, &[Expr], &Arguments)> {
    match s {
        Stmt::FunctionDef(f) => Some((f.name.as_str(), &f.decorator_list, &f.args)),
        Stmt::AsyncFunctionDef(f) => Some((f.name.as_str(), &f.decorator_list, &f.args)),
        _ => None,
    }
}

fn positional(a: &Arguments) -> usize {
    a.posonlyargs.len() + a.args.len()
}

/// True for `@name.register` or `@name.register(...)`.
fn registers(dec: &Expr, name: &str) -> bool {
    let target = match dec {
        Expr::Call(c) => &*c.func,
        other => other,
    };
    matches!(target, Expr::Attribute(a) if a.attr.as_str() == "register"
        && matches!(&*a.value, Expr::Name(n) if n.id.as_str() == name))
}

impl Rule for SingledispatchMethod {
    fn code(&self) -> &'static str {
        CODE
    }

    fn kinds(&self) -> &'static [Kind] {
        &[Kind::ClassDef]
    }

    fn check(&self, node: Node<'_>, ctx: &mut Ctx<'_>) {
        let Node::Stmt(Stmt::ClassDef(class)) = node else {
            return;
        };
        let mut names: Option<std::rc::Rc<BlockNames>> = None;
        for stmt in &class.body {
            let Some((name, decorators, args)) = def_parts(stmt) else {
                continue;
            };
            let quick = decorators.iter().any(|d| {
                matches!(d, Expr::Name(_) | Expr::Attribute(_))
                    && ctx
                        .source
                        .get(span(d).0..span(d).1)
                        .is_some_and(|t| t.contains("singledispatch") || !t.contains('.'))
            });
            if !quick {
                continue;
            }
            let names = names.get_or_insert_with(|| BlockNames::of_block(node, ctx));
            let Some(dec) = decorators
                .iter()
                .find(|d| is_member(d, names, "functools", "singledispatch"))
            else {
                continue;
            };
            // A static method has no `self`: dispatching on its first argument is right.
            if decorators.iter().any(|d| {
                matches!(d, Expr::Name(n) if n.id.as_str() == "staticmethod")
                    || is_member(d, names, "builtins", "staticmethod")
            }) {
                continue;
            }
            let fix = fix(ctx, class, name, decorators, args, dec, names);
            ctx.report(CODE, span(dec), &[("name", name)], fix);
        }
    }
}

fn fix(
    ctx: &Ctx<'_>,
    class: &crate::syntax::ast::StmtClassDef,
    name: &str,
    decorators: &[Expr],
    args: &Arguments,
    dec: &Expr,
    names: &BlockNames,
) -> Option<super::Fix> {
    if ctx.target < (3, 8) || decorators.len() != 1 || positional(args) < 2 {
        return None;
    }
    // Every registered implementation must take an argument after `self` to dispatch on, and
    // the class may use no attribute of the function other than `register`
    // (`singledispatchmethod` has no `registry` or `dispatch`).
    let mut ok = true;
    for s in &class.body {
        if let Some((_, decs, a)) = def_parts(s) {
            if decs.iter().any(|d| registers(d, name)) && positional(a) < 2 {
                ok = false;
            }
        }
    }
    scan(&class.body, |n| {
        if let Node::Expr(Expr::Attribute(a)) = n {
            if matches!(&*a.value, Expr::Name(v) if v.id.as_str() == name)
                && a.attr.as_str() != "register"
            {
                ok = false;
            }
        }
    });
    if !ok {
        return None;
    }
    let (s, t) = span(dec);
    let mut file_edits = Vec::new();
    let text = match dec {
        // `functools.singledispatch`, `ft.singledispatch`: the module is already in reach.
        Expr::Attribute(_) => format!("{}method", ctx.source.get(s..t)?),
        _ => {
            let imported = names
                .resolve(&Expr::Name(crate::syntax::ast::ExprName {
                    range: Default::default(),
                    id: "singledispatchmethod".into(),
                    ctx: crate::syntax::ast::ExprContext::Load,
                }))
                .is_some_and(|r| r.module.as_deref() == Some("functools"));
            if !imported {
                if names.binds("singledispatchmethod") {
                    return None;
                }
                file_edits.push(ctx.import_edit("from functools import singledispatchmethod"));
            }
            "singledispatchmethod".to_string()
        }
    };
    let mut fix = ctx.fix(
        CODE,
        &[],
        Safety::Unsafe,
        vec![Edit {
            start: s,
            end: t,
            text,
        }],
    );
    fix.file_edits = file_edits;
    Some(fix)
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{findings, fixed, flagged};

    const T: (u8, u8) = (3, 12);

    const SRC: &str = "import functools\n\nclass Shape:\n    @functools.singledispatch\n    def area(self, arg):\n        raise TypeError(arg)\n\n    @area.register\n    def _(self, arg: int):\n        return arg\n";

    #[test]
    fn flags_singledispatch_on_a_method() {
        let found = findings(SRC, "PM0307", T);
        assert_eq!(flagged(SRC, &found), ["functools.singledispatch"]);
        assert_eq!(
            found[0].message,
            "`@singledispatch` on method `area` dispatches on the type of `self`, not of the first argument: use `@functools.singledispatchmethod`"
        );
        assert_eq!(found[0].section, "3.3.6");
    }

    #[test]
    fn silent_on_functions_static_methods_and_other_decorators() {
        let src = "import functools\nfrom functools import singledispatchmethod\n\n@functools.singledispatch\ndef area(arg):\n    pass\n\nclass A:\n    @staticmethod\n    @functools.singledispatch\n    def f(arg):\n        pass\n\n    @singledispatchmethod\n    def g(self, arg):\n        pass\n\n    @mylib.singledispatch\n    def h(self, arg):\n        pass\n";
        assert!(findings(src, "PM0307", T).is_empty());
        // Not imported from functools: some other `singledispatch`.
        let src = "class A:\n    @singledispatch\n    def f(self, arg):\n        pass\n";
        assert!(findings(src, "PM0307", T).is_empty());
    }

    #[test]
    fn fix_switches_to_singledispatchmethod() {
        assert_eq!(
            fixed(SRC, "PM0307", T),
            SRC.replace(
                "@functools.singledispatch",
                "@functools.singledispatchmethod"
            )
        );
        let src = "from functools import singledispatch\n\nclass A:\n    @singledispatch\n    def f(self, arg):\n        pass\n\n    @f.register(int)\n    def _(self, arg):\n        return 1\n";
        assert_eq!(
            fixed(src, "PM0307", T),
            "from functools import singledispatchmethod\nfrom functools import singledispatch\n\nclass A:\n    @singledispatchmethod\n    def f(self, arg):\n        pass\n\n    @f.register(int)\n    def _(self, arg):\n        return 1\n"
        );
    }

    #[test]
    fn no_fix_when_the_code_relies_on_dispatching_on_self() {
        let src = "import functools\n\nclass A:\n    @functools.singledispatch\n    def f(self):\n        pass\n\nclass B:\n    @functools.singledispatch\n    def f(self, x):\n        pass\n\n    @f.register(int)\n    def _(self):\n        pass\n\nclass C:\n    @functools.singledispatch\n    def f(self, x):\n        pass\n    table = f.registry\n";
        let found = findings(src, "PM0307", T);
        assert_eq!(found.len(), 3);
        assert!(found.iter().all(|f| f.fix.is_none()));
        let old = findings(SRC, "PM0307", (3, 7));
        assert!(old[0].fix.is_none(), "singledispatchmethod is new in 3.8");
    }
}
