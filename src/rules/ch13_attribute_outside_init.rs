//! PM1304: an instance attribute set in an ordinary method of a class whose `__init__` (and the
//! methods it calls) never sets it, so instances differ in which attributes they have
//! (§13.3.3).

use super::api_util::Func;
use super::iter_util::opens_scope;
use super::typing_names::last_name;
use super::{Ctx, Kind, Node, Rule};
use crate::syntax::ast::{self, Constant, Expr, ExprContext, Stmt};
use crate::syntax::facts::dotted;
use crate::syntax::span;
use crate::syntax::walk::{walk, Visitor};
use std::collections::HashSet;

pub struct AttributeOutsideInit;

const CODE: &str = "PM1304";

/// Methods that set an instance up the way `__init__` does, or in its place: object creation
/// and copying (`__new__`, `__setstate__`), dataclasses, unittest fixtures, and context
/// managers, whose resources exist only between `__enter__` and `__exit__`.
const SETUP: &[&str] = &[
    "__init__",
    "__new__",
    "__post_init__",
    "__setstate__",
    "__enter__",
    "__aenter__",
    "setUp",
    "setUpClass",
    "asyncSetUp",
];

/// Bases that give an instance no attributes of their own to set.
const PLAIN_BASES: &[&str] = &[
    "object",
    "ABC",
    "abc.ABC",
    "Generic",
    "typing.Generic",
    "Protocol",
    "typing.Protocol",
];

impl Rule for AttributeOutsideInit {
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
        // A base from elsewhere, or one defined in another statement of this module, may set
        // the attribute in its own `__init__`; this rule cannot see it.
        let plain_base = |b: &Expr| {
            let b = match b {
                Expr::Subscript(s) => &*s.value,
                other => other,
            };
            dotted(b).is_some_and(|d| PLAIN_BASES.contains(&d.as_str()))
        };
        if !class.bases.iter().all(plain_base)
            || class
                .keywords
                .iter()
                .any(|k| k.arg.as_ref().is_none_or(|a| a.as_str() != "metaclass"))
        {
            return;
        }
        let methods: Vec<Method> = class.body.iter().filter_map(Method::of).collect();
        // `__getattr__` answers for attributes an instance lacks: the class plans for them.
        if !methods.iter().any(|m| m.func.name == "__init__")
            || methods
                .iter()
                .any(|m| matches!(m.func.name, "__getattr__" | "__getattribute__"))
        {
            return;
        }
        let declared = class_body_names(&class.body);
        let mut seen = Seen::default();
        for m in &methods {
            seen.scan(m);
        }
        if seen.dynamic {
            return;
        }
        let Some(reached) = reached_from_setup(&methods, class) else {
            return;
        };
        let mut set_up: HashSet<&str> = HashSet::new();
        for m in methods.iter().filter(|m| reached.contains(m.func.name)) {
            set_up.extend(m.sets(true).into_iter().map(|(a, _)| a));
        }
        let mut reported: HashSet<&str> = HashSet::new();
        for m in &methods {
            if reached.contains(m.func.name) || m.not_instance() {
                continue;
            }
            for (attr, at) in m.sets(false) {
                if set_up.contains(attr)
                    || declared.contains(attr)
                    || seen.probed.contains(attr)
                    || !reported.insert(attr)
                {
                    continue;
                }
                ctx.report(
                    CODE,
                    span(at),
                    &[("attr", attr), ("method", m.func.name)],
                    None,
                );
            }
        }
    }
}

/// A method defined directly in the class body, with the name of its first parameter.
struct Method<'a> {
    func: Func<'a>,
    receiver: Option<&'a str>,
}

impl<'a> Method<'a> {
    fn of(s: &'a Stmt) -> Option<Method<'a>> {
        let func = Func::of(s)?;
        let receiver = func
            .args
            .posonlyargs
            .iter()
            .chain(&func.args.args)
            .next()
            .map(|a| a.def.arg.as_str());
        Some(Method { func, receiver })
    }

    /// A static or class method (`__init_subclass__` and `__class_getitem__` are class methods
    /// without saying so): its first parameter is no instance.
    fn not_instance(&self) -> bool {
        matches!(self.func.name, "__init_subclass__" | "__class_getitem__")
            || self.func.decorated_with(&["staticmethod", "classmethod"])
    }

    /// The property name `x` of a method decorated `@x.setter`.
    fn setter_of(&self) -> Option<&'a str> {
        self.func.decorators.iter().find_map(|d| match d {
            Expr::Attribute(a) if a.attr.as_str() == "setter" => last_name(&a.value),
            _ => None,
        })
    }

    /// The attributes this method assigns on its receiver, each with the target expression, in
    /// source order. `deep` also enters nested functions and counts `setattr(self, "x", ...)`
    /// and `__new__`'s or a class method's assignments on any name (the new instance is a local
    /// there), and declarations without a value.
    fn sets(&self, deep: bool) -> Vec<(&'a str, &'a Expr)> {
        let Some(receiver) = self.receiver else {
            return Vec::new();
        };
        let any_receiver = deep && (self.func.name == "__new__" || self.not_instance());
        let mut v = Sets {
            receiver,
            any_receiver,
            deep,
            declared_only: HashSet::new(),
            out: Vec::new(),
        };
        walk(self.func.body, &mut v);
        v.out
    }
}

struct Sets<'a> {
    receiver: &'a str,
    any_receiver: bool,
    deep: bool,
    /// Targets of `self.x: T` without a value, which set nothing.
    declared_only: HashSet<*const Expr>,
    out: Vec<(&'a str, &'a Expr)>,
}

impl<'a> Visitor<'a> for Sets<'a> {
    fn enter(&mut self, node: Node<'a>) -> bool {
        match node {
            Node::Stmt(Stmt::AnnAssign(a)) if a.value.is_none() && !self.deep => {
                self.declared_only.insert(&*a.target as *const Expr);
            }
            Node::Expr(e @ Expr::Attribute(a))
                if matches!(a.ctx, ExprContext::Store)
                    && !self.declared_only.contains(&(e as *const Expr)) =>
            {
                if let Expr::Name(n) = &*a.value {
                    if self.any_receiver || n.id.as_str() == self.receiver {
                        self.out.push((a.attr.as_str(), e));
                    }
                }
            }
            Node::Expr(e @ Expr::Call(c)) if self.deep => {
                if let Some(attr) = setattr_literal(c, self.receiver) {
                    self.out.push((attr, e));
                }
            }
            _ => {}
        }
        self.deep || !opens_scope(node)
    }
    fn leave(&mut self, _node: Node<'a>) {}
}

/// `"x"` in `setattr(self, "x", value)` or `object.__setattr__(self, "x", value)`.
fn setattr_literal<'a>(c: &'a ast::ExprCall, receiver: &str) -> Option<&'a str> {
    if !matches!(last_name(&c.func), Some("setattr" | "__setattr__")) {
        return None;
    }
    match &c.args[..] {
        [Expr::Name(n), Expr::Constant(k), _] if n.id.as_str() == receiver => match &k.value {
            Constant::Str(s) => Some(s.as_str()),
            _ => None,
        },
        _ => None,
    }
}

/// The names of the methods `__init__` and the other set-up methods run, following calls
/// `self.m(...)` and `Class.m(self, ...)` to methods of the class, and property setters of
/// attributes they assign (`@x.setter` or `x = property(get, set)`). None when they call `self.m()` for a method the class does not
/// define: a hook that subclasses provide, which may set anything.
fn reached_from_setup<'a>(
    methods: &[Method<'a>],
    class: &'a ast::StmtClassDef,
) -> Option<HashSet<&'a str>> {
    let setters = property_setters(&class.body);
    let class = class.name.as_str();
    let mut reached: HashSet<&str> = HashSet::new();
    let mut todo: Vec<&Method> = methods
        .iter()
        .filter(|m| SETUP.contains(&m.func.name))
        .collect();
    while let Some(m) = todo.pop() {
        if !reached.insert(m.func.name) {
            continue;
        }
        let Some(receiver) = m.receiver else { continue };
        let mut called: Vec<&str> = Vec::new();
        let mut v = Calls {
            receiver,
            class,
            out: &mut called,
        };
        walk(m.func.body, &mut v);
        if called
            .iter()
            .any(|c| !methods.iter().any(|o| o.func.name == *c))
        {
            return None;
        }
        let assigned: Vec<&str> = m.sets(true).into_iter().map(|(a, _)| a).collect();
        for other in methods {
            let by_call = called.contains(&other.func.name);
            let by_setter = other.setter_of().is_some_and(|p| assigned.contains(&p))
                || setters
                    .iter()
                    .any(|(p, f)| *f == other.func.name && assigned.contains(p));
            if (by_call || by_setter) && !reached.contains(other.func.name) {
                todo.push(other);
            }
        }
    }
    Some(reached)
}

/// `(x, set)` for each `x = property(get, set, ...)` (or `fset=set`) in the class body.
fn property_setters(body: &[Stmt]) -> Vec<(&str, &str)> {
    let mut out = Vec::new();
    for s in body {
        let Stmt::Assign(a) = s else { continue };
        let Expr::Call(c) = &*a.value else { continue };
        if !matches!(&*c.func, Expr::Name(n) if n.id.as_str() == "property") {
            continue;
        }
        let fset = c.args.get(1).or_else(|| {
            c.keywords
                .iter()
                .find(|k| k.arg.as_ref().is_some_and(|a| a.as_str() == "fset"))
                .map(|k| &k.value)
        });
        let Some(Expr::Name(f)) = fset else { continue };
        for t in &a.targets {
            if let Expr::Name(n) = t {
                out.push((n.id.as_str(), f.id.as_str()));
            }
        }
    }
    out
}

/// Collects `m` for every call `self.m(...)` or `Class.m(self, ...)`.
struct Calls<'a, 'o> {
    receiver: &'a str,
    class: &'a str,
    out: &'o mut Vec<&'a str>,
}

impl<'a> Visitor<'a> for Calls<'a, '_> {
    fn enter(&mut self, node: Node<'a>) -> bool {
        let is = |e: &Expr, name: &str| matches!(e, Expr::Name(n) if n.id.as_str() == name);
        if let Node::Expr(Expr::Call(c)) = node {
            if let Expr::Attribute(a) = &*c.func {
                if is(&a.value, self.receiver)
                    || (is(&a.value, self.class)
                        && c.args.first().is_some_and(|x| is(x, self.receiver)))
                {
                    self.out.push(a.attr.as_str());
                }
            }
        }
        true
    }
    fn leave(&mut self, _node: Node<'a>) {}
}

/// What the methods do that makes a finding wrong: they probe an attribute's existence
/// (`hasattr(self, "x")`, `getattr(self, "x", default)`: the code expects it to be missing),
/// or set attributes by computed names (`setattr(self, name, v)`, `self.__dict__`, `vars(self)`).
#[derive(Default)]
struct Seen<'a> {
    probed: HashSet<&'a str>,
    dynamic: bool,
}

impl<'a> Seen<'a> {
    fn scan(&mut self, m: &Method<'a>) {
        let Some(receiver) = m.receiver else { return };
        let mut v = SeenVisitor {
            receiver,
            seen: self,
        };
        walk(m.func.body, &mut v);
    }
}

struct SeenVisitor<'a, 's> {
    receiver: &'a str,
    seen: &'s mut Seen<'a>,
}

impl<'a> Visitor<'a> for SeenVisitor<'a, '_> {
    fn enter(&mut self, node: Node<'a>) -> bool {
        let is_receiver = |e: &Expr| matches!(e, Expr::Name(n) if n.id.as_str() == self.receiver);
        match node {
            Node::Stmt(Stmt::Try(t)) if catches_attribute_error(&t.handlers) => {
                let mut reads = AttrReads {
                    receiver: self.receiver,
                    out: &mut self.seen.probed,
                };
                walk(&t.body, &mut reads);
            }
            Node::Expr(Expr::Attribute(a))
                if a.attr.as_str() == "__dict__" && is_receiver(&a.value) =>
            {
                self.seen.dynamic = true;
            }
            Node::Expr(Expr::Call(c)) => {
                let name = last_name(&c.func);
                let first_is_receiver = c.args.first().is_some_and(is_receiver);
                let literal = match c.args.get(1) {
                    Some(Expr::Constant(k)) => match &k.value {
                        Constant::Str(s) => Some(s.as_str()),
                        _ => None,
                    },
                    _ => None,
                };
                if !first_is_receiver {
                    return true;
                }
                match name {
                    Some("hasattr") => self.seen.probed.extend(literal),
                    Some("getattr") if c.args.len() == 3 => self.seen.probed.extend(literal),
                    Some("setattr" | "__setattr__") if literal.is_none() => {
                        self.seen.dynamic = true;
                    }
                    Some("vars") => self.seen.dynamic = true,
                    _ => {}
                }
            }
            _ => {}
        }
        true
    }
    fn leave(&mut self, _node: Node<'a>) {}
}

/// True when one of the handlers names `AttributeError`, alone or in a tuple.
fn catches_attribute_error(handlers: &[ast::ExceptHandler]) -> bool {
    handlers.iter().any(|h| {
        let ast::ExceptHandler::ExceptHandler(h) = h;
        let is_it = |e: &Expr| last_name(e) == Some("AttributeError");
        match h.type_.as_deref() {
            Some(Expr::Tuple(t)) => t.elts.iter().any(is_it),
            Some(e) => is_it(e),
            None => false,
        }
    })
}

/// Collects `x` for every `self.x` read: inside `try: ... except AttributeError:` the code
/// expects the attribute to be missing.
struct AttrReads<'a, 'o> {
    receiver: &'a str,
    out: &'o mut HashSet<&'a str>,
}

impl<'a> Visitor<'a> for AttrReads<'a, '_> {
    fn enter(&mut self, node: Node<'a>) -> bool {
        if let Node::Expr(Expr::Attribute(a)) = node {
            if matches!(a.ctx, ExprContext::Load)
                && matches!(&*a.value, Expr::Name(n) if n.id.as_str() == self.receiver)
            {
                self.out.insert(a.attr.as_str());
            }
        }
        !opens_scope(node)
    }
    fn leave(&mut self, _node: Node<'a>) {}
}

/// Names the class body binds (attributes with class-level defaults, methods, properties) and
/// the names in a literal `__slots__`.
fn class_body_names(body: &[Stmt]) -> HashSet<&str> {
    struct V<'a> {
        out: HashSet<&'a str>,
    }
    impl<'a> Visitor<'a> for V<'a> {
        fn enter(&mut self, node: Node<'a>) -> bool {
            match node {
                Node::Stmt(Stmt::FunctionDef(f)) => {
                    self.out.insert(f.name.as_str());
                }
                Node::Stmt(Stmt::AsyncFunctionDef(f)) => {
                    self.out.insert(f.name.as_str());
                }
                Node::Stmt(Stmt::ClassDef(c)) => {
                    self.out.insert(c.name.as_str());
                }
                Node::Stmt(Stmt::Import(i)) => {
                    for a in &i.names {
                        let bound = a.asname.as_ref().unwrap_or(&a.name).as_str();
                        self.out.insert(bound.split('.').next().unwrap_or(bound));
                    }
                }
                Node::Stmt(Stmt::ImportFrom(i)) => {
                    for a in &i.names {
                        self.out
                            .insert(a.asname.as_ref().unwrap_or(&a.name).as_str());
                    }
                }
                Node::Stmt(Stmt::Assign(a))
                    if a.targets
                        .iter()
                        .any(|t| matches!(t, Expr::Name(n) if n.id.as_str() == "__slots__")) =>
                {
                    self.out.extend(slot_names(&a.value));
                }
                Node::Stmt(Stmt::AnnAssign(a)) if matches!(&*a.target, Expr::Name(n) if n.id.as_str() == "__slots__") => {
                    if let Some(v) = &a.value {
                        self.out.extend(slot_names(v));
                    }
                }
                Node::Expr(Expr::Name(n)) if !matches!(n.ctx, ExprContext::Load) => {
                    self.out.insert(n.id.as_str());
                }
                _ => {}
            }
            !opens_scope(node)
        }
        fn leave(&mut self, _node: Node<'a>) {}
    }
    let mut v = V {
        out: HashSet::new(),
    };
    walk(body, &mut v);
    v.out
}

/// The strings of a `__slots__` value: one string, or a tuple, list, set or dict of them.
fn slot_names(e: &Expr) -> Vec<&str> {
    fn str_of(e: &Expr) -> Option<&str> {
        match e {
            Expr::Constant(c) => match &c.value {
                Constant::Str(s) => Some(s.as_str()),
                _ => None,
            },
            _ => None,
        }
    }
    match e {
        Expr::Tuple(t) => t.elts.iter().filter_map(str_of).collect(),
        Expr::List(l) => l.elts.iter().filter_map(str_of).collect(),
        Expr::Set(s) => s.elts.iter().filter_map(str_of).collect(),
        Expr::Dict(d) => d.keys.iter().flatten().filter_map(str_of).collect(),
        other => str_of(other).into_iter().collect(),
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{findings, flagged};

    const T: (u8, u8) = (3, 12);

    #[test]
    fn flags_attributes_first_set_in_other_methods_once() {
        let src = "class Conn:\n    def __init__(self, host):\n        self.host = host\n\n    def open(self):\n        self.sock = connect(self.host)\n        self.a, (self.b, *self.c) = f()\n        self.sock = None\n\n    def count(self):\n        self.hits += 1\n        try:\n            self.guarded = self.other\n        except AttributeError:\n            pass\n        self.last: float = now()\n        self.declared: int\n";
        let found = findings(src, "PM1304", T);
        assert_eq!(
            flagged(src, &found),
            [
                "self.sock",
                "self.a",
                "self.b",
                "self.c",
                "self.hits",
                "self.guarded",
                "self.last"
            ]
        );
        assert_eq!(
            found[0].message,
            "`self.sock` is set in `open()` but not in `__init__`, so an instance has no `sock` attribute until some method sets it: give it a value in `__init__` (`None` if nothing better)"
        );
        assert_eq!(found[0].section, "13.3.3");
        assert!(found[0].fix.is_none());
    }

    #[test]
    fn follows_methods_init_calls_and_setup_methods() {
        let src = "class A:\n    __slots__ = ('slot',)\n    level = 0\n    def __init__(self):\n        self.reset()\n        self.prop = 3\n        A.base_reset(self)\n        self.first = self.second = 0\n    def reset(self):\n        self.state = []\n        self._helper()\n    def _helper(self):\n        self.deep = 1\n    @property\n    def prop(self):\n        return self._prop\n    @prop.setter\n    def prop(self, v):\n        self._prop = v\n    def __enter__(self):\n        self.fh = open('x')\n        return self\n    def __setstate__(self, st):\n        self.restored = st\n    def again(self):\n        A.base_reset(self)\n    def base_reset(self):\n        self.via_class = 1\n    def get_first(self):\n        return self._first\n    def set_first(self, v):\n        self._first = v\n    first = property(get_first, set_first)\n    def set_second(self, v):\n        self._second = v\n    second = property(fset=set_second)\n    def later(self):\n        self.state = [1]\n        self.deep = 2\n        self.level = 1\n        self.slot = 1\n        self.fh = None\n        self.restored = None\n        self.reset = None\n        self.via_class = 2\n\nclass Lazy2:\n    def __init__(self):\n        pass\n    def __getattr__(self, name):\n        self.computed = 1\n        return 1\n";
        let found = findings(src, "PM1304", T);
        assert!(found.is_empty(), "{:?}", flagged(src, &found));
    }

    #[test]
    fn silent_when_attributes_are_probed_dynamic_or_inherited() {
        let src = "class Lazy:\n    def __init__(self):\n        pass\n    def get(self):\n        if not hasattr(self, '_cache'):\n            self._cache = build()\n        return self._cache\n    def other(self):\n        if getattr(self, '_seen', None) is None:\n            self._seen = 1\n    def fmt(self):\n        try:\n            return self._fmt\n        except (KeyError, AttributeError):\n            pass\n        self._fmt = 1\n\nclass Dyn:\n    def __init__(self, **kw):\n        for k, v in kw.items():\n            setattr(self, k, v)\n    def m(self):\n        self.x = 1\n\nclass Child(Base):\n    def __init__(self):\n        super().__init__()\n    def m(self):\n        self.x = 1\n\nclass Hooked:\n    def __init__(self):\n        self._build()\n    def helper(self):\n        self.made = 1\n\nclass Sub:\n    def __init__(self):\n        pass\n    def __init_subclass__(cls):\n        cls.flag = 1\n\nclass NoInit:\n    def m(self):\n        self.x = 1\n\nclass Static:\n    def __init__(self):\n        pass\n    @classmethod\n    def make(cls):\n        cls.registry = {}\n    @staticmethod\n    def util(obj):\n        obj.x = 1\n    def nested(self):\n        def inner(self):\n            self.y = 1\n        return inner\n";
        let found = findings(src, "PM1304", T);
        assert!(found.is_empty(), "{:?}", flagged(src, &found));
    }

    #[test]
    fn plain_bases_and_metaclass_still_checked() {
        let src = "class P(Generic[T], metaclass=ABCMeta):\n    def __init__(self):\n        setattr(self, 'named', 1)\n    def run(self):\n        self.named = 2\n        self.fresh = 3\n";
        let found = findings(src, "PM1304", T);
        assert_eq!(flagged(src, &found), ["self.fresh"]);
    }
}
