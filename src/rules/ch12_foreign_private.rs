//! PM1210 (off by default): reading or writing another object's `_private` member
//! (`other._cache`), code that depends on internals its owner may change (§12.7.3).

use super::api_util::is_test_code;
use super::iter_util::scan;
use super::typing_names::BlockNames;
use super::{Ctx, Kind, Node, Rule};
use crate::syntax::ast::{self, Expr, Stmt};
use crate::syntax::span;

pub struct ForeignPrivate;

const CODE: &str = "PM1210";

/// Underscore names that are public API by convention (named tuples, `sys`-style hooks).
const PUBLIC_UNDERSCORE: &[&str] = &["_replace", "_asdict", "_fields", "_make", "_field_defaults"];

impl Rule for ForeignPrivate {
    fn code(&self) -> &'static str {
        CODE
    }

    fn kinds(&self) -> &'static [Kind] {
        &[Kind::Attribute]
    }

    fn check(&self, node: Node<'_>, ctx: &mut Ctx<'_>) {
        let Node::Expr(Expr::Attribute(a)) = node else {
            return;
        };
        let attr = a.attr.as_str();
        if !attr.starts_with('_')
            || attr == "_"
            || (attr.starts_with("__") && attr.ends_with("__"))
            || PUBLIC_UNDERSCORE.contains(&attr)
        {
            return;
        }
        if own_receiver(&a.value, ctx) {
            return;
        }
        let classes: Vec<&ast::StmtClassDef> = ctx
            .parents
            .iter()
            .filter_map(|p| match p {
                Node::Stmt(Stmt::ClassDef(c)) => Some(c),
                _ => None,
            })
            .collect();
        // Another instance of a class we are inside of: its privates are ours too.
        if classes.iter().any(|c| class_defines(c, attr)) {
            return;
        }
        if in_test(ctx) {
            return;
        }
        let (s, t) = span(a);
        let shown = ctx.source.get(s..t).unwrap_or(attr).to_string();
        ctx.report(
            CODE,
            (s, t),
            &[("attr", attr), ("expr", shown.as_str())],
            None,
        );
    }
}

/// True when the receiver is the current object, its class, `super()`, a class of this module
/// or an imported module or name (module-level privates are another matter).
fn own_receiver(e: &Expr, ctx: &Ctx<'_>) -> bool {
    match e {
        Expr::Name(n) => {
            let id = n.id.as_str();
            if matches!(id, "self" | "cls" | "mcs" | "mcls" | "metacls" | "klass") {
                return true;
            }
            if first_params(ctx).contains(&id) || ctx.module.class(id).is_some() {
                return true;
            }
            // Only a parameter or local variable is surely another object: a free name is a
            // module (relative imports included) or a module-level object.
            let names = BlockNames::of_block(Node::Expr(e), ctx);
            !names.assigns(id) || ctx.module.imports.imported(id).is_some()
        }
        // super()._x, type(self)._x, SameModuleClass()._x
        Expr::Call(c) => matches!(&*c.func, Expr::Name(n)
            if matches!(n.id.as_str(), "super" | "type") || ctx.module.class(n.id.as_str()).is_some()),
        // self.__class__._x
        Expr::Attribute(a) => a.attr.as_str() == "__class__" && own_receiver(&a.value, ctx),
        _ => false,
    }
}

/// The first parameter of each enclosing method: the receiver, whatever it is called.
fn first_params<'a>(ctx: &Ctx<'a>) -> Vec<&'a str> {
    let mut out = Vec::new();
    for w in ctx.parents.windows(2) {
        if let (Node::Stmt(Stmt::ClassDef(_)), Node::Stmt(s)) = (w[0], w[1]) {
            if let Some(f) = super::api_util::Func::of(s) {
                if let Some(p) = f.params().first() {
                    out.push(*p);
                }
            }
        }
    }
    out
}

/// True when the class body defines `attr` (a method or class attribute) or one of its
/// methods assigns `self.attr`.
fn class_defines(c: &ast::StmtClassDef, attr: &str) -> bool {
    let mut found = false;
    for s in &c.body {
        match s {
            Stmt::FunctionDef(f) if f.name.as_str() == attr => found = true,
            Stmt::AsyncFunctionDef(f) if f.name.as_str() == attr => found = true,
            Stmt::ClassDef(k) if k.name.as_str() == attr => found = true,
            Stmt::Assign(x) => {
                found |= x
                    .targets
                    .iter()
                    .any(|t| matches!(t, Expr::Name(n) if n.id.as_str() == attr));
            }
            Stmt::AnnAssign(x) => {
                found |= matches!(&*x.target, Expr::Name(n) if n.id.as_str() == attr);
            }
            _ => {}
        }
        if let Some(f) = super::api_util::Func::of(s) {
            let me = f.params().first().copied();
            scan(f.body, |n| {
                if let Node::Expr(Expr::Attribute(a)) = n {
                    if a.attr.as_str() == attr
                        && matches!(a.ctx, ast::ExprContext::Store)
                        && matches!(&*a.value, Expr::Name(v) if Some(v.id.as_str()) == me)
                    {
                        found = true;
                    }
                }
            });
        }
    }
    found
}

/// True in a test file, or inside a function or class that looks like a test (tests poke at
/// internals).
fn in_test(ctx: &Ctx<'_>) -> bool {
    ctx.module.file.test
        || ctx.parents.iter().any(|p| match p {
            Node::Stmt(Stmt::FunctionDef(f)) => is_test_code(f.name.as_str(), None),
            Node::Stmt(Stmt::AsyncFunctionDef(f)) => is_test_code(f.name.as_str(), None),
            Node::Stmt(Stmt::ClassDef(c)) => is_test_code("", Some(c.name.as_str())),
            _ => false,
        })
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{findings, findings_in, flagged};
    use crate::syntax::FileRole;

    const T: (u8, u8) = (3, 12);

    #[test]
    fn flags_other_objects_privates() {
        let src = "\
def drain(conn):
    conn._buffer.clear()
    return conn._closed

class Pool:
    def put(self, conn):
        conn._pool = self
        self.other._state = 1
";
        let found = findings(src, "PM1210", T);
        assert_eq!(
            flagged(src, &found),
            [
                "conn._buffer",
                "conn._closed",
                "conn._pool",
                "self.other._state"
            ]
        );
        assert_eq!(
            found[0].message,
            "`conn._buffer` reaches into another object's private `_buffer`: it may change or vanish without notice; ask its owner for a public way"
        );
        assert_eq!(found[0].section, "12.7.3");
    }

    #[test]
    fn silent_on_own_members_modules_namedtuples_and_same_class() {
        let src = "\
import sys
from os import path as osp

class Node:
    _registry = {}

    def __init__(this, value):
        this._value = value

    def __eq__(self, other):
        return self._value == other._value

    @classmethod
    def make(cls):
        return cls._registry, Node._registry, super()._setup, type(self)._registry

    def peek(self):
        return self.__class__._registry

class Ctx:
    def _raise(self):
        pass

def g(ctx):
    events._set_loop(None)
    Ctx()._raise()

def f(p, row):
    sys._getframe(0)
    osp._joinrealpath
    row._replace(x=1)
    p.__dict__
    p._

def test_internals(conn):
    assert conn._closed

class TestPool:
    def check(self, conn):
        conn._pool
";
        let found = findings(src, "PM1210", T);
        assert!(found.is_empty(), "{:?}", flagged(src, &found));
    }

    #[test]
    fn silent_in_test_files() {
        let src = "def f(o):\n    return o._cache\n";
        assert_eq!(findings(src, "PM1210", T).len(), 1);
        let test = FileRole {
            test: true,
            ..FileRole::default()
        };
        assert!(findings_in(src, "PM1210", T, test).is_empty());
    }
}
