//! PM0407: a generator function that changes module-level or class-level state, which every
//! generator object it makes shares (§4.9.m4). Mutable default parameters stay PM0105's.

use super::design_util::is_parameter;
use super::iter_util::{is_generator, scan};
use super::typing_names::BlockNames;
use super::{Ctx, Kind, Node, Rule};
use crate::syntax::ast::{Expr, Stmt};
use crate::syntax::span;

pub struct GeneratorSharedState;

const CODE: &str = "PM0407";

/// Methods that change a list, dict or set in place.
const MUTATORS: &[&str] = &[
    "append",
    "add",
    "update",
    "extend",
    "insert",
    "pop",
    "setdefault",
    "clear",
];

/// Whose state a step changes.
#[derive(Clone, Copy, PartialEq)]
enum Owner {
    Module,
    Class,
}

impl Rule for GeneratorSharedState {
    fn code(&self) -> &'static str {
        CODE
    }

    fn kinds(&self) -> &'static [Kind] {
        &[Kind::FunctionDef, Kind::AsyncFunctionDef]
    }

    fn check(&self, node: Node<'_>, ctx: &mut Ctx<'_>) {
        let Node::Stmt(def) = node else { return };
        let (name, body) = match def {
            Stmt::FunctionDef(f) => (f.name.as_str(), &f.body[..]),
            Stmt::AsyncFunctionDef(f) => (f.name.as_str(), &f.body[..]),
            _ => return,
        };
        if !is_generator(body) {
            return;
        }
        // Defined at module level or in a class body there: a name it does not bind is a
        // global. Inside another function it may be that function's local.
        let nested = ctx.parents.iter().any(|p| {
            matches!(
                p,
                Node::Stmt(Stmt::FunctionDef(_) | Stmt::AsyncFunctionDef(_))
                    | Node::Expr(Expr::Lambda(_))
            )
        });
        let classes: Vec<&str> = ctx
            .parents
            .iter()
            .filter_map(|p| match p {
                Node::Stmt(Stmt::ClassDef(c)) => Some(c.name.as_str()),
                _ => None,
            })
            .collect();
        let local = BlockNames::of(body);
        let mut declared: Vec<&str> = Vec::new();
        scan(body, |n| {
            if let Node::Stmt(Stmt::Global(g)) = n {
                declared.extend(g.names.iter().map(|x| x.as_str()));
            }
        });
        let block = BlockNames::of_block(node, ctx);
        let global = |n: &str| {
            declared.contains(&n)
                || (!nested
                    && !local.binds(n)
                    && !is_parameter(def, n)
                    && !block.binds(n)
                    && ctx.module.class(n).is_none()
                    && ctx.module.functions_named(n).next().is_none())
        };
        let class_ref = |e: &Expr| -> bool {
            match e {
                // `Config.items` for a class of this module or the one around the method.
                Expr::Name(n) => {
                    !local.binds(n.id.as_str())
                        && (classes.contains(&n.id.as_str())
                            || (ctx.module.class(n.id.as_str()).is_some()
                                && !block.assigns(n.id.as_str())))
                }
                // `type(self)`, `self.__class__`
                Expr::Call(c) => {
                    matches!(&*c.func, Expr::Name(f) if f.id.as_str() == "type")
                        && c.args.len() == 1
                        && c.keywords.is_empty()
                        && matches!(&c.args[0], Expr::Name(s) if s.id.as_str() == "self")
                }
                Expr::Attribute(a) => {
                    a.attr.as_str() == "__class__"
                        && matches!(&*a.value, Expr::Name(s) if s.id.as_str() == "self")
                }
                _ => false,
            }
        };
        // The state a changed receiver belongs to, and its text.
        let owner = |recv: &Expr| -> Option<Owner> {
            match recv {
                Expr::Name(n) if global(n.id.as_str()) => Some(Owner::Module),
                Expr::Attribute(a) if class_ref(&a.value) => Some(Owner::Class),
                _ => None,
            }
        };
        let mut steps: Vec<((usize, usize), Owner, &Expr)> = Vec::new();
        scan(body, |n| match n {
            Node::Expr(Expr::Call(c)) => {
                if let Expr::Attribute(a) = &*c.func {
                    if MUTATORS.contains(&a.attr.as_str()) {
                        if let Some(o) = owner(&a.value) {
                            steps.push((span(c), o, &a.value));
                        }
                    }
                }
            }
            Node::Stmt(s) => {
                let targets: Vec<&Expr> = match s {
                    Stmt::Assign(x) => x.targets.iter().collect(),
                    Stmt::AugAssign(x) => vec![&x.target],
                    Stmt::AnnAssign(x) if x.value.is_some() => vec![&x.target],
                    Stmt::Delete(x) => x.targets.iter().collect(),
                    _ => Vec::new(),
                };
                for t in targets {
                    match t {
                        Expr::Subscript(sub) => {
                            if let Some(o) = owner(&sub.value) {
                                steps.push((span(s), o, &sub.value));
                            }
                        }
                        // `global counter` then `counter += 1`: rebinding a global.
                        Expr::Name(x) if declared.contains(&x.id.as_str()) => {
                            steps.push((span(s), Owner::Module, t));
                        }
                        _ => {}
                    }
                }
            }
            _ => {}
        });
        // One finding per piece of state.
        let mut reported: Vec<&str> = Vec::new();
        for (range, o, recv) in steps {
            let Some(text) = ctx.source.get(span(recv).0..span(recv).1) else {
                continue;
            };
            if reported.contains(&text) || text.contains(['\n', '\r']) {
                continue;
            }
            reported.push(text);
            let whose = match o {
                Owner::Module => "module-level",
                Owner::Class => "class-level",
            };
            ctx.report(
                CODE,
                range,
                &[("func", name), ("state", text), ("whose", whose)],
                None,
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{findings, flagged};

    const T: (u8, u8) = (3, 12);

    #[test]
    fn flags_generators_that_change_shared_state() {
        let src = "\
def numbered(items):
    for item in items:
        SEEN.append(item)
        SEEN.append(1)
        yield item

def counted(items):
    global total
    for item in items:
        total += 1
        yield item

class Feed:
    cache = {}

    def entries(self, keys):
        for k in keys:
            Feed.cache[k] = k
            type(self).log.extend(k)
            yield k
";
        let found = findings(src, "PM0407", T);
        assert_eq!(
            flagged(src, &found),
            [
                "SEEN.append(item)",
                "total += 1",
                "Feed.cache[k] = k",
                "type(self).log.extend(k)"
            ]
        );
        assert_eq!(
            found[0].message,
            "Generator function `numbered` changes module-level `SEEN`: every generator it creates shares that one object, so each run sees what earlier runs left there"
        );
        assert_eq!(found[0].section, "4.9.m4");
    }

    #[test]
    fn silent_on_local_state_plain_functions_and_nested_generators() {
        let src = "\
def a(items):
    seen = []
    for item in items:
        seen.append(item)
        yield item

def b(items, seen):
    seen.append(1)
    yield 1

def c(items):
    SEEN.append(items)
    return items

def d(items):
    def inner():
        SEEN.append(1)
    yield inner

def e():
    out = []
    def gen():
        out.append(1)
        yield 1
    return gen

import sys
def f():
    sys.path.append('x')
    yield 1

def g(self):
    self.items.append(1)
    yield 1

def h(x=[]):
    x.append(1)
    yield x
";
        let found = findings(src, "PM0407", T);
        assert!(found.is_empty(), "{:?}", flagged(src, &found));
        // The mutable default stays PM0105's: one finding, not two.
        assert_eq!(findings(src, "PM0105", T).len(), 1);
    }
}
