//! PM0206: `@overload` used in a way that declares nothing useful: an overload with a body,
//! a lone overload in a class, a class's overloads with no implementation after them (§2.8).

use super::source::def_name;
use super::typing_names::{last_name, BlockNames, TYPING};
use super::{Ctx, Kind, Node, Rule};
use crate::syntax::ast::{Constant, Expr, Stmt};
use crate::syntax::span;

pub struct OverloadMisuse;

const CODE: &str = "PM0206";

/// What a def looks like from the class body: its name, decorators and body.
struct Def<'a> {
    stmt: &'a Stmt,
    name: &'a str,
    decorators: &'a [Expr],
    body: &'a [Stmt],
}

fn as_def(s: &Stmt) -> Option<Def<'_>> {
    match s {
        Stmt::FunctionDef(f) => Some(Def {
            stmt: s,
            name: f.name.as_str(),
            decorators: &f.decorator_list,
            body: &f.body,
        }),
        Stmt::AsyncFunctionDef(f) => Some(Def {
            stmt: s,
            name: f.name.as_str(),
            decorators: &f.decorator_list,
            body: &f.body,
        }),
        _ => None,
    }
}

fn has_decorator(d: &Def<'_>, names: &BlockNames, member: &str, modules: &[&str]) -> bool {
    d.decorators.iter().any(|e| {
        let e = match e {
            Expr::Call(c) => &*c.func,
            other => other,
        };
        names
            .resolve(e)
            .is_some_and(|r| r.member == member && r.is_in(modules))
    })
}

/// A decorator spelled `overload` (the cheap test before resolving names).
fn mentions_overload(d: &Def<'_>) -> bool {
    d.decorators
        .iter()
        .any(|e| last_name(e) == Some("overload"))
}

fn is_overload(d: &Def<'_>, names: &BlockNames) -> bool {
    has_decorator(d, names, "overload", TYPING)
}

/// A body that only declares: docstrings, `...` and `pass`.
fn is_stub_body(body: &[Stmt]) -> bool {
    body.iter().all(|s| match s {
        Stmt::Pass(_) => true,
        Stmt::Expr(e) => matches!(&*e.value, Expr::Constant(c) if matches!(c.value, Constant::Str(_) | Constant::Ellipsis)),
        _ => false,
    })
}

/// Names of the defs under `if` and `try` statements of a class body.
fn conditional_defs<'a>(body: &'a [Stmt], nested: bool, out: &mut Vec<&'a str>) {
    for s in body {
        match s {
            Stmt::If(i) => {
                conditional_defs(&i.body, true, out);
                conditional_defs(&i.orelse, true, out);
            }
            Stmt::Try(t) => {
                conditional_defs(&t.body, true, out);
                for h in &t.handlers {
                    let crate::syntax::ast::ExceptHandler::ExceptHandler(h) = h;
                    conditional_defs(&h.body, true, out);
                }
                conditional_defs(&t.orelse, true, out);
                conditional_defs(&t.finalbody, true, out);
            }
            _ if nested => {
                if let Some(d) = as_def(s) {
                    out.push(d.name);
                }
            }
            _ => {}
        }
    }
}

fn report(ctx: &mut Ctx<'_>, d: &Def<'_>, problem: &str) {
    let range = def_name(ctx.source, span(d.stmt).0, d.decorators, d.name);
    ctx.report(CODE, range, &[("name", d.name), ("problem", problem)], None);
}

impl Rule for OverloadMisuse {
    fn code(&self) -> &'static str {
        CODE
    }

    fn kinds(&self) -> &'static [Kind] {
        &[Kind::FunctionDef, Kind::AsyncFunctionDef, Kind::ClassDef]
    }

    fn check(&self, node: Node<'_>, ctx: &mut Ctx<'_>) {
        let Node::Stmt(stmt) = node else { return };
        if let Some(d) = as_def(stmt) {
            if !mentions_overload(&d) {
                return;
            }
            let names = BlockNames::of_block(node, ctx);
            if is_overload(&d, &names) && !is_stub_body(d.body) {
                report(ctx, &d, "has a body");
            }
            return;
        }
        let Stmt::ClassDef(class) = stmt else { return };
        let defs: Vec<Def<'_>> = class.body.iter().filter_map(as_def).collect();
        if !defs.iter().any(mentions_overload) {
            return;
        }
        let names = BlockNames::of_block(node, ctx);
        // Protocols may declare overloads without an implementation.
        let protocol = class.bases.iter().any(|b| {
            let b = match b {
                Expr::Subscript(s) => &*s.value,
                other => other,
            };
            names
                .resolve(b)
                .is_some_and(|r| r.member == "Protocol" && r.is_in(TYPING))
        });
        // A class whose methods are all bare signatures is a stub: no implementations expected.
        let stub_like = defs.iter().all(|d| is_stub_body(d.body));
        // Names also defined under `if` / `try` (version branches) are not counted here.
        let mut seen: Vec<&str> = Vec::new();
        conditional_defs(&class.body, false, &mut seen);
        for d in &defs {
            if seen.contains(&d.name) {
                continue;
            }
            seen.push(d.name);
            let group: Vec<&Def<'_>> = defs.iter().filter(|x| x.name == d.name).collect();
            let overloads: Vec<&&Def<'_>> =
                group.iter().filter(|x| is_overload(x, &names)).collect();
            let (Some(first), Some(last)) = (overloads.first(), group.last()) else {
                continue;
            };
            if overloads.len() == 1 {
                report(ctx, first, "is the only overload of its name");
            } else if !protocol
                && !stub_like
                && is_overload(last, &names)
                && !overloads
                    .iter()
                    .all(|o| has_decorator(o, &names, "abstractmethod", &["abc"]))
            {
                report(ctx, last, "has no implementation after it");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{findings, flagged};

    const T: (u8, u8) = (3, 12);

    #[test]
    fn flags_overloads_with_bodies() {
        let src = "@overload\ndef f(x: int) -> int:\n    return x\n@typing.overload\nasync def g(x: str) -> str:\n    \"\"\"Doc.\"\"\"\n    raise NotImplementedError\n";
        let found = findings(src, "PM0206", T);
        assert_eq!(flagged(src, &found), ["f", "g"]);
        assert_eq!(
            found[0].message,
            "`@overload` `f` has a body: overloads are signatures for the type checker, at least two, each with a `...` body, followed by one implementation without the decorator"
        );
        assert_eq!(found[0].section, "2.8");
    }

    #[test]
    fn flags_lone_and_unimplemented_overloads_in_a_class() {
        let src = "class A:\n    @overload\n    def one(self, x: int) -> int: ...\n    def one(self, x): return x\n\n    @overload\n    def two(self, x: int) -> int: ...\n    @overload\n    def two(self, x: str) -> str: ...\n";
        let found = findings(src, "PM0206", T);
        assert_eq!(flagged(src, &found), ["one", "two"]);
        assert!(found[0]
            .message
            .contains("`one` is the only overload of its name"));
        assert!(found[1]
            .message
            .contains("`two` has no implementation after it"));
        assert_eq!(
            src[..found[1].start].matches("def two").count(),
            1,
            "the last overload"
        );
    }

    #[test]
    fn silent_on_proper_overloads() {
        for s in [
            "@overload\ndef f(x: int) -> int: ...\n",
            "@overload\ndef f(x: int) -> int:\n    \"\"\"Doc.\"\"\"\n    pass\n",
            "class A:\n    @overload\n    def m(self, x: int) -> int: ...\n    @overload\n    def m(self, x: str) -> str: ...\n    def m(self, x): return x\n",
            "class P(Protocol):\n    @overload\n    def m(self, x: int) -> int: ...\n    @overload\n    def m(self, x: str) -> str: ...\n",
            "class A(ABC):\n    @overload\n    @abstractmethod\n    def m(self, x: int) -> int: ...\n    @overload\n    @abstractmethod\n    def m(self, x: str) -> str: ...\n",
            "def f():\n    from mylib import overload\n    @overload\n    def g(x): return x\n",
            "class A:\n    @property\n    def m(self): return 1\n",
            "class Stub:\n    @overload\n    def m(self, x: int) -> int: ...\n    @overload\n    def m(self, x: str) -> str: ...\n    def n(self) -> None: ...\n",
            "class A:\n    @overload\n    def m(self, x: int) -> int: ...\n    if V:\n        @overload\n        def m(self, x: str) -> str: ...\n    def m(self, x): return x\n",
        ] {
            assert!(findings(s, "PM0206", T).is_empty(), "{s}");
        }
    }
}
