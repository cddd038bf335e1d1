//! PM0141: `self.x` read inside `__getattribute__`, which goes back through
//! `__getattribute__` itself (§1.6.1). Also the helpers the other attribute-hook rules share.

use super::ch01_getattr_recursion::tests_reading;
use super::{Ctx, Edit, Kind, Node, Rule, Safety};
use crate::syntax::ast::{self, Constant, Expr, ExprContext, Stmt};
use crate::syntax::span;
use crate::syntax::walk::{walk, Visitor};

pub struct GetattributeSelf;

const CODE: &str = "PM0141";

/// A method of a class body: its name, parameters, body and the class.
pub struct Method<'a> {
    pub name: &'a str,
    pub args: &'a ast::Arguments,
    pub body: &'a [Stmt],
    pub decorators: &'a [Expr],
    pub class: &'a ast::StmtClassDef,
}

impl<'a> Method<'a> {
    /// The method defined by `node` when it sits directly in a class body.
    pub fn of(node: Node<'a>, ctx: &Ctx<'a>) -> Option<Method<'a>> {
        let Some(Node::Stmt(Stmt::ClassDef(class))) = ctx.parents.last().copied() else {
            return None;
        };
        match node {
            Node::Stmt(Stmt::FunctionDef(f)) => Some(Method {
                name: f.name.as_str(),
                args: &f.args,
                body: &f.body,
                decorators: &f.decorator_list,
                class,
            }),
            Node::Stmt(Stmt::AsyncFunctionDef(f)) => Some(Method {
                name: f.name.as_str(),
                args: &f.args,
                body: &f.body,
                decorators: &f.decorator_list,
                class,
            }),
            _ => None,
        }
    }

    /// The name of the `n`th positional parameter (`self` is the 0th).
    pub fn param(&self, n: usize) -> Option<&'a str> {
        self.args
            .posonlyargs
            .iter()
            .chain(&self.args.args)
            .nth(n)
            .map(|a| a.def.arg.as_str())
    }
}

/// A use of `self.<attr>` in a method body, outside nested functions, lambdas and classes.
pub struct SelfAttr<'a> {
    pub expr: &'a Expr,
    pub attr: &'a str,
    pub ctx: ExprContext,
    /// Inside a comprehension, where a zero-argument `super()` does not work before 3.12.
    pub in_comprehension: bool,
}

/// Every `self.<attr>` in `body` (where `self` is `self_name`), outside nested scopes other
/// than comprehensions.
pub fn self_attrs<'a>(body: &'a [Stmt], self_name: &str) -> Vec<SelfAttr<'a>> {
    struct V<'a, 's> {
        name: &'s str,
        comp: usize,
        out: Vec<SelfAttr<'a>>,
    }
    impl<'a> Visitor<'a> for V<'a, '_> {
        fn enter(&mut self, node: Node<'a>) -> bool {
            match node {
                Node::Stmt(
                    Stmt::FunctionDef(_) | Stmt::AsyncFunctionDef(_) | Stmt::ClassDef(_),
                )
                | Node::Expr(Expr::Lambda(_)) => return false,
                Node::Expr(
                    Expr::ListComp(_)
                    | Expr::SetComp(_)
                    | Expr::DictComp(_)
                    | Expr::GeneratorExp(_),
                ) => self.comp += 1,
                Node::Expr(e @ Expr::Attribute(a)) => {
                    if matches!(&*a.value, Expr::Name(n) if n.id.as_str() == self.name) {
                        self.out.push(SelfAttr {
                            expr: e,
                            attr: a.attr.as_str(),
                            ctx: a.ctx,
                            in_comprehension: self.comp > 0,
                        });
                    }
                }
                _ => {}
            }
            true
        }
        fn leave(&mut self, node: Node<'a>) {
            if matches!(
                node,
                Node::Expr(
                    Expr::ListComp(_)
                        | Expr::SetComp(_)
                        | Expr::DictComp(_)
                        | Expr::GeneratorExp(_)
                )
            ) {
                self.comp = self.comp.saturating_sub(1);
            }
        }
    }
    let mut v = V {
        name: self_name,
        comp: 0,
        out: Vec::new(),
    };
    walk(body, &mut v);
    v.out
}

/// Every string constant in `body`: a method that compares the attribute name with `"x"`
/// may be handling `x` on purpose before it reaches `self.x`.
pub fn string_constants(body: &[Stmt]) -> Vec<&str> {
    struct V<'a> {
        out: Vec<&'a str>,
    }
    impl<'a> Visitor<'a> for V<'a> {
        fn enter(&mut self, node: Node<'a>) -> bool {
            if let Node::Expr(Expr::Constant(c)) = node {
                if let Constant::Str(s) = &c.value {
                    self.out.push(s.as_str());
                }
            }
            true
        }
        fn leave(&mut self, _node: Node<'a>) {}
    }
    let mut v = V { out: Vec::new() };
    walk(body, &mut v);
    v.out
}

/// True for a name the compiler mangles inside a class (`__x`, not `__x__`).
pub fn is_private(attr: &str) -> bool {
    attr.starts_with("__") && !attr.ends_with("__")
}

impl Rule for GetattributeSelf {
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
        if m.name != "__getattribute__" || !m.decorators.is_empty() {
            return;
        }
        let Some(me) = m.param(0) else { return };
        let uses = self_attrs(m.body, me);
        // Assigning `self.__class__` switches the instance to a class without this hook.
        if uses
            .iter()
            .any(|u| u.attr == "__class__" && !matches!(u.ctx, ExprContext::Load))
        {
            return;
        }
        let handled = string_constants(m.body);
        let tests = m.param(1).map_or(Vec::new(), |n| tests_reading(m.body, n));
        for use_ in uses {
            let at = span(use_.expr).0;
            if !matches!(use_.ctx, ExprContext::Load)
                || handled.contains(&use_.attr)
                || tests.iter().any(|t| *t <= at)
            {
                continue;
            }
            let fix = (!use_.in_comprehension && !is_private(use_.attr)).then(|| {
                let (s, e) = span(use_.expr);
                ctx.fix(
                    CODE,
                    &[("attr", use_.attr)],
                    Safety::Unsafe,
                    vec![Edit {
                        start: s,
                        end: e,
                        text: format!("super().__getattribute__(\"{}\")", use_.attr),
                    }],
                )
            });
            ctx.report(
                CODE,
                span(use_.expr),
                &[("self", me), ("attr", use_.attr)],
                fix,
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{findings, fixed, flagged};

    const T: (u8, u8) = (3, 12);

    #[test]
    fn flags_self_reads() {
        let src = "\
class Logged:
    def __getattribute__(self, name):
        self.log.append(name)
        if name in self.__dict__:
            return self.__dict__[name]
        return object.__getattribute__(self, name)
";
        let found = findings(src, "PM0141", T);
        assert_eq!(flagged(src, &found), ["self.log", "self.__dict__"]);
        assert_eq!(
            found[0].message,
            "`self.log` inside `__getattribute__` calls `__getattribute__` again, which recurses until RecursionError"
        );
        assert_eq!(found[0].section, "1.6.1");
    }

    #[test]
    fn silent_on_the_right_calls_and_outside_the_hook() {
        let src = "\
class A:
    def __getattribute__(self, name):
        if name == 'data':
            return super().__getattribute__('data')
        data = object.__getattribute__(self, '_d')
        value = super().__getattribute__(name)
        return self.data if data else value
    def __getattr__(self, name):
        return self.other
def __getattribute__(self, name):
    return self.x
class Guarded(type):
    def __getattribute__(cls, name):
        if name != '__dict__' and name in cls.__dict__:
            print(cls.__name__)
        return super().__getattribute__(name)
class Lazy:
    def __getattribute__(self, attr):
        self.__class__ = object
        return self.__spec__
";
        assert!(findings(src, "PM0141", T).is_empty());
    }

    #[test]
    fn fix_calls_super() {
        assert_eq!(
            fixed(
                "class A:\n    def __getattribute__(self, name):\n        return self._store[name]\n",
                "PM0141",
                T
            ),
            "class A:\n    def __getattribute__(self, name):\n        return super().__getattribute__(\"_store\")[name]\n"
        );
    }
}
