//! PM0142: `__getattr__` reading `self.x` where `x` is set in `__init__`: on an instance built
//! without `__init__` (unpickling, `copy`) the read misses, calls `__getattr__` again and
//! recurses (§1.6.1).

use super::ch01_getattribute_self::{self_attrs, string_constants, Method};
use super::{Ctx, Kind, Node, Rule};
use crate::syntax::ast::{Expr, ExprContext, Stmt};
use crate::syntax::span;
use crate::syntax::walk::{walk, Visitor};
use std::collections::HashSet;

pub struct GetattrRecursion;

const CODE: &str = "PM0142";

/// Class-body names that make pickling and copying rebuild the instance some other way.
const RESTORERS: &[&str] = &["__setstate__", "__reduce__", "__reduce_ex__"];

impl Rule for GetattrRecursion {
    fn code(&self) -> &'static str {
        CODE
    }

    fn kinds(&self) -> &'static [Kind] {
        &[Kind::FunctionDef, Kind::AsyncFunctionDef]
    }

    fn check(&self, node: Node<'_>, ctx: &mut Ctx<'_>) {
        let Some(m) = Method::of(node, ctx) else {
            return;
        };
        if m.name != "__getattr__" || !m.decorators.is_empty() {
            return;
        }
        let Some(me) = m.param(0) else { return };
        let mut class_names = HashSet::new();
        let mut init_body = None;
        for s in &m.class.body {
            match s {
                Stmt::FunctionDef(f) => {
                    class_names.insert(f.name.as_str());
                    if f.name.as_str() == "__init__" {
                        init_body = Some((&f.body, &f.args));
                    }
                }
                Stmt::AsyncFunctionDef(f) => {
                    class_names.insert(f.name.as_str());
                }
                Stmt::ClassDef(c) => {
                    class_names.insert(c.name.as_str());
                }
                Stmt::Assign(a) => {
                    for t in &a.targets {
                        names_of(t, &mut class_names);
                    }
                }
                Stmt::AnnAssign(a) if a.value.is_some() => names_of(&a.target, &mut class_names),
                _ => {}
            }
        }
        if RESTORERS.iter().any(|r| class_names.contains(r)) {
            return;
        }
        let Some((init, init_args)) = init_body else {
            return;
        };
        let Some(init_self) = init_args
            .posonlyargs
            .iter()
            .chain(&init_args.args)
            .next()
            .map(|a| a.def.arg.as_str())
        else {
            return;
        };
        let set_in_init: HashSet<&str> = self_attrs(init, init_self)
            .into_iter()
            .filter(|u| !matches!(u.ctx, ExprContext::Load))
            .map(|u| u.attr)
            .collect();
        let handled = string_constants(m.body);
        let tests = m.param(1).map_or(Vec::new(), |n| tests_reading(m.body, n));
        let mut seen = HashSet::new();
        for use_ in self_attrs(m.body, me) {
            let at = span(use_.expr).0;
            if !matches!(use_.ctx, ExprContext::Load)
                || !set_in_init.contains(use_.attr)
                || class_names.contains(use_.attr)
                || handled.contains(&use_.attr)
                || tests.iter().any(|t| *t <= at)
                || !seen.insert(use_.attr)
            {
                continue;
            }
            ctx.report(
                CODE,
                span(use_.expr),
                &[("self", me), ("attr", use_.attr)],
                None,
            );
        }
    }
}

fn names_of<'a>(e: &'a Expr, out: &mut HashSet<&'a str>) {
    match e {
        Expr::Name(n) => {
            out.insert(n.id.as_str());
        }
        Expr::Tuple(t) => t.elts.iter().for_each(|x| names_of(x, out)),
        Expr::List(t) => t.elts.iter().for_each(|x| names_of(x, out)),
        _ => {}
    }
}

/// End offsets of the conditions (`if`, `while`, `assert`, conditional expressions, `match`
/// subjects) that read `name`: a method that looks at the requested name first may turn away
/// the lookups pickling and copying make.
pub fn tests_reading(body: &[Stmt], name: &str) -> Vec<usize> {
    struct V<'n> {
        name: &'n str,
        out: Vec<usize>,
    }
    impl V<'_> {
        fn test(&mut self, e: &Expr) {
            let mut f = Reads {
                name: self.name,
                hit: false,
            };
            let stmt = Stmt::Expr(crate::syntax::ast::StmtExpr {
                range: Default::default(),
                value: Box::new(e.clone()),
            });
            walk(std::slice::from_ref(&stmt), &mut f);
            if f.hit {
                self.out.push(span(e).1);
            }
        }
    }
    struct Reads<'n> {
        name: &'n str,
        hit: bool,
    }
    impl<'a> Visitor<'a> for Reads<'_> {
        fn enter(&mut self, node: Node<'a>) -> bool {
            if matches!(node, Node::Expr(Expr::Name(n)) if n.id.as_str() == self.name) {
                self.hit = true;
            }
            true
        }
        fn leave(&mut self, _node: Node<'a>) {}
    }
    impl<'a> Visitor<'a> for V<'_> {
        fn enter(&mut self, node: Node<'a>) -> bool {
            match node {
                Node::Stmt(
                    Stmt::FunctionDef(_) | Stmt::AsyncFunctionDef(_) | Stmt::ClassDef(_),
                )
                | Node::Expr(Expr::Lambda(_)) => return false,
                Node::Stmt(Stmt::If(x)) => self.test(&x.test),
                Node::Stmt(Stmt::While(x)) => self.test(&x.test),
                Node::Stmt(Stmt::Assert(x)) => self.test(&x.test),
                Node::Stmt(Stmt::Match(x)) => self.test(&x.subject),
                Node::Expr(Expr::IfExp(x)) => self.test(&x.test),
                _ => {}
            }
            true
        }
        fn leave(&mut self, _node: Node<'a>) {}
    }
    let mut v = V {
        name,
        out: Vec::new(),
    };
    walk(body, &mut v);
    v.out
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{findings, flagged};

    const T: (u8, u8) = (3, 12);

    #[test]
    fn flags_instance_attribute_reads() {
        let src = "\
class Proxy:
    def __init__(self, target):
        self._target = target
        self._hits = 0
    def __getattr__(self, name):
        self._hits
        return getattr(self._target, name)
";
        let found = findings(src, "PM0142", T);
        assert_eq!(flagged(src, &found), ["self._hits", "self._target"]);
        assert_eq!(
            found[0].message,
            "`__getattr__` reads `self._hits`, which only `__init__` sets: on an instance made without `__init__` (unpickling, `copy.copy`) the read calls `__getattr__` again and recurses until RecursionError"
        );
        assert_eq!(found[0].section, "1.6.1");
    }

    #[test]
    fn silent_when_guarded_or_class_level() {
        let src = "\
class Guarded:
    def __init__(self, t):
        self._t = t
    def __getattr__(self, name):
        if name.startswith('__'):
            raise AttributeError(name)
        return getattr(self._t, name)

class ByName:
    def __init__(self, t):
        self._t = t
    def __getattr__(self, attr):
        if attr == '_t':
            raise AttributeError(attr)
        return getattr(self._t, attr)

class Dict:
    _default = None
    def __init__(self, t):
        self._t = t
        self._default = 1
    def __getattr__(self, name):
        t = self.__dict__.get('_t')
        return self._default or self.helper() or t

    def helper(self):
        return 0

class Restores:
    def __init__(self, t):
        self._t = t
    def __getattr__(self, name):
        return getattr(self._t, name)
    def __setstate__(self, state):
        self.__dict__.update(state)

class NoInit:
    def __getattr__(self, name):
        return getattr(self._t, name)
";
        assert!(findings(src, "PM0142", T).is_empty());
    }
}
