//! PM0114: a list, dict or set assigned in a class body and then mutated through `self` in a
//! method, so every instance shares (and changes) the one object (§1.2).

use super::{Ctx, Kind, Node, Rule};
use crate::syntax::ast::{self, Constant, Expr, Stmt};
use crate::syntax::span;
use crate::syntax::walk::{walk, Visitor};
use std::collections::{HashMap, HashSet};

pub struct MutableClassAttr;

const CODE: &str = "PM0114";

/// Methods that change a list, dict, set or deque in place.
const MUTATORS: &[&str] = &[
    "append",
    "extend",
    "insert",
    "remove",
    "pop",
    "clear",
    "sort",
    "reverse",
    "add",
    "discard",
    "update",
    "setdefault",
    "popitem",
    "difference_update",
    "intersection_update",
    "symmetric_difference_update",
    "appendleft",
    "extendleft",
    "popleft",
];

/// Bases and decorators that give class-body assignments another meaning (fields, members).
const SPECIAL_BASES: &[&str] = &[
    "Enum",
    "IntEnum",
    "StrEnum",
    "Flag",
    "IntFlag",
    "ReprEnum",
    "NamedTuple",
    "TypedDict",
    "BaseModel",
    "BaseSettings",
    "RootModel",
    "Struct",
    "type",
];
const SPECIAL_DECORATORS: &[&str] = &[
    "dataclass",
    "s",
    "attrs",
    "define",
    "frozen",
    "mutable",
    "dataclass_transform",
];

fn last_name(e: &Expr) -> Option<&str> {
    match e {
        Expr::Name(n) => Some(n.id.as_str()),
        Expr::Attribute(a) => Some(a.attr.as_str()),
        Expr::Call(c) => last_name(&c.func),
        Expr::Subscript(s) => last_name(&s.value),
        _ => None,
    }
}

/// The kind of mutable object an expression builds, if it builds one.
fn mutable_kind(e: &Expr) -> Option<&'static str> {
    match e {
        Expr::List(_) | Expr::ListComp(_) => Some("list"),
        Expr::Dict(_) | Expr::DictComp(_) => Some("dict"),
        Expr::Set(_) | Expr::SetComp(_) => Some("set"),
        Expr::Call(c) => {
            let name = match &*c.func {
                Expr::Name(n) => n.id.as_str(),
                Expr::Attribute(a) => match &*a.value {
                    Expr::Name(m) if m.id.as_str() == "collections" => a.attr.as_str(),
                    _ => return None,
                },
                _ => return None,
            };
            match name {
                "list" => Some("list"),
                "dict" | "defaultdict" | "OrderedDict" | "Counter" => Some("dict"),
                "set" => Some("set"),
                "deque" => Some("deque"),
                _ => None,
            }
        }
        _ => None,
    }
}

fn is_classvar(ann: &Expr) -> bool {
    match ann {
        Expr::Constant(c) => matches!(&c.value, Constant::Str(s) if s.contains("ClassVar")),
        other => last_name(other) == Some("ClassVar"),
    }
}

/// A class attribute: its name, the range of its target and the kind of object.
struct Candidate<'a> {
    name: &'a str,
    range: (usize, usize),
    kind: &'static str,
}

fn candidates(body: &[Stmt]) -> Vec<Candidate<'_>> {
    let mut out = Vec::new();
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for s in body {
        let (target, value) = match s {
            Stmt::Assign(a) if a.targets.len() == 1 => (&a.targets[0], &*a.value),
            Stmt::AnnAssign(a) => match &a.value {
                Some(v) if !is_classvar(&a.annotation) => (&*a.target, &**v),
                _ => continue,
            },
            _ => continue,
        };
        let Expr::Name(n) = target else { continue };
        let name = n.id.as_str();
        *seen.entry(name).or_default() += 1;
        if let Some(kind) = mutable_kind(value) {
            out.push(Candidate {
                name,
                range: span(target),
                kind,
            });
        }
    }
    // A name bound twice in the class body is too murky to judge.
    out.retain(|c| seen.get(c.name) == Some(&1));
    out
}

/// What the methods of one class do with attributes of their first parameter.
#[derive(Default)]
struct Uses<'a> {
    /// Attribute -> first method that mutates it through the instance.
    mutated: HashMap<&'a str, &'a str>,
    /// Attributes the instance binds (`self.x = ...`), which hide the class attribute.
    rebound: HashSet<&'a str>,
    /// Attributes reached through the class (`cls.x`, `type(self).x`, `Name.x`): sharing is
    /// deliberate.
    via_class: HashSet<&'a str>,
}

struct MethodWalk<'a, 'u> {
    this: &'a str,
    method: &'a str,
    class_name: &'a str,
    uses: &'u mut Uses<'a>,
}

impl<'a> MethodWalk<'a, '_> {
    /// `x` when `e` is `self.x`.
    fn own_attr(&self, e: &'a Expr) -> Option<&'a str> {
        match e {
            Expr::Attribute(a) if matches!(&*a.value, Expr::Name(n) if n.id.as_str() == self.this) => {
                Some(a.attr.as_str())
            }
            _ => None,
        }
    }

    fn mutate(&mut self, e: &'a Expr) {
        if let Some(x) = self.own_attr(e) {
            self.uses.mutated.entry(x).or_insert(self.method);
        }
    }

    fn bind_target(&mut self, t: &'a Expr) {
        match t {
            Expr::Tuple(tu) => tu.elts.iter().for_each(|x| self.bind_target(x)),
            Expr::List(l) => l.elts.iter().for_each(|x| self.bind_target(x)),
            Expr::Starred(s) => self.bind_target(&s.value),
            Expr::Subscript(s) => self.mutate(&s.value),
            other => {
                if let Some(x) = self.own_attr(other) {
                    self.uses.rebound.insert(x);
                }
            }
        }
    }
}

impl<'a> Visitor<'a> for MethodWalk<'a, '_> {
    fn enter(&mut self, node: Node<'a>) -> bool {
        match node {
            Node::Stmt(Stmt::ClassDef(_)) => return false,
            Node::Stmt(Stmt::Assign(a)) => a.targets.iter().for_each(|t| self.bind_target(t)),
            Node::Stmt(Stmt::AnnAssign(a)) if a.value.is_some() => self.bind_target(&a.target),
            Node::Stmt(Stmt::For(f)) => self.bind_target(&f.target),
            Node::Stmt(Stmt::AsyncFor(f)) => self.bind_target(&f.target),
            Node::Stmt(Stmt::With(w)) => w
                .items
                .iter()
                .filter_map(|i| i.optional_vars.as_deref())
                .for_each(|t| self.bind_target(t)),
            Node::Stmt(Stmt::AsyncWith(w)) => w
                .items
                .iter()
                .filter_map(|i| i.optional_vars.as_deref())
                .for_each(|t| self.bind_target(t)),
            Node::Stmt(Stmt::Delete(d)) => {
                for t in &d.targets {
                    match t {
                        Expr::Subscript(s) => self.mutate(&s.value),
                        other => {
                            if let Some(x) = self.own_attr(other) {
                                self.uses.rebound.insert(x);
                            }
                        }
                    }
                }
            }
            Node::Stmt(Stmt::AugAssign(a)) => match &*a.target {
                Expr::Subscript(s) => self.mutate(&s.value),
                // `self.x += [...]` extends the shared list in place, then binds the result.
                other => self.mutate(other),
            },
            Node::Expr(Expr::NamedExpr(n)) => self.bind_target(&n.target),
            Node::Expr(Expr::Call(c)) => {
                // `self.instances.append(self)` keeps a registry of instances: shared on purpose.
                let registers_self = c
                    .args
                    .iter()
                    .any(|a| matches!(a, Expr::Name(n) if n.id.as_str() == self.this));
                if let Expr::Attribute(m) = &*c.func {
                    if MUTATORS.contains(&m.attr.as_str()) && !registers_self {
                        self.mutate(&m.value);
                    }
                }
                // `setattr(self, "x", ...)` binds too.
                if matches!(&*c.func, Expr::Name(n) if n.id.as_str() == "setattr") {
                    if let [obj, Expr::Constant(k), ..] = &c.args[..] {
                        if let (Expr::Name(o), Constant::Str(s)) = (obj, &k.value) {
                            if o.id.as_str() == self.this {
                                self.uses.rebound.insert(s.as_str());
                            }
                        }
                    }
                }
            }
            Node::Expr(Expr::Attribute(a)) => {
                let through_class = match &*a.value {
                    Expr::Name(n) => n.id.as_str() == self.class_name || n.id.as_str() == "cls",
                    Expr::Call(c) => matches!(&*c.func, Expr::Name(n) if n.id.as_str() == "type"),
                    Expr::Attribute(b) => b.attr.as_str() == "__class__",
                    _ => false,
                };
                if through_class {
                    self.uses.via_class.insert(a.attr.as_str());
                }
            }
            _ => {}
        }
        true
    }

    fn leave(&mut self, _node: Node<'a>) {}
}

/// The first positional parameter of a method that receives the instance.
fn instance_param(args: &ast::Arguments, decorators: &[Expr]) -> Option<String> {
    let plain = decorators.iter().all(|d| {
        !matches!(
            last_name(d),
            Some("staticmethod" | "classmethod" | "classproperty")
        )
    });
    if !plain {
        return None;
    }
    args.posonlyargs
        .iter()
        .chain(&args.args)
        .next()
        .map(|a| a.def.arg.to_string())
}

impl Rule for MutableClassAttr {
    fn code(&self) -> &'static str {
        CODE
    }

    fn kinds(&self) -> &'static [Kind] {
        &[Kind::ClassDef]
    }

    fn check(&self, node: Node<'_>, ctx: &mut Ctx<'_>) {
        let Node::Stmt(Stmt::ClassDef(c)) = node else {
            return;
        };
        let special_base = c
            .bases
            .iter()
            .filter_map(last_name)
            .any(|b| SPECIAL_BASES.contains(&b) || b.ends_with("Meta") || b.ends_with("Enum"));
        let special_decorator = c
            .decorator_list
            .iter()
            .filter_map(last_name)
            .any(|d| SPECIAL_DECORATORS.contains(&d));
        let meta = c
            .keywords
            .iter()
            .any(|k| k.arg.as_ref().is_some_and(|a| a.as_str() == "metaclass"));
        if special_base || special_decorator || meta {
            return;
        }
        let cands = candidates(&c.body);
        if cands.is_empty() {
            return;
        }
        let mut uses = Uses::default();
        let class_name = c.name.as_str();
        let mut params: Vec<String> = Vec::new();
        let methods: Vec<(&str, &ast::Arguments, &[Expr], &[Stmt])> = c
            .body
            .iter()
            .filter_map(|s| match s {
                Stmt::FunctionDef(f) => Some((
                    f.name.as_str(),
                    &*f.args,
                    &f.decorator_list[..],
                    &f.body[..],
                )),
                Stmt::AsyncFunctionDef(f) => Some((
                    f.name.as_str(),
                    &*f.args,
                    &f.decorator_list[..],
                    &f.body[..],
                )),
                _ => None,
            })
            .collect();
        for (_, args, decorators, _) in &methods {
            params.push(instance_param(args, decorators).unwrap_or_default());
        }
        for ((name, _, _, body), this) in methods.iter().zip(&params) {
            // A static or class method (empty `this`) only shows access through the class.
            let mut w = MethodWalk {
                this: this.as_str(),
                method: name,
                class_name,
                uses: &mut uses,
            };
            walk(body, &mut w);
        }
        for cand in cands {
            let Some(method) = uses.mutated.get(cand.name) else {
                continue;
            };
            if uses.rebound.contains(cand.name) || uses.via_class.contains(cand.name) {
                continue;
            }
            ctx.report(
                CODE,
                cand.range,
                &[("name", cand.name), ("kind", cand.kind), ("method", method)],
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
    fn flags_class_containers_mutated_through_self() {
        let src = "class Cart:\n    items = []\n    tags: set = set()\n    index = {}\n\n    def add(self, item):\n        self.items.append(item)\n        self.tags.add(item.tag)\n\n    def put(self, k, v):\n        self.index[k] = v\n";
        let found = findings(src, "PM0114", T);
        assert_eq!(flagged(src, &found), ["items", "tags", "index"]);
        assert_eq!(
            found[0].message,
            "`items` is a class attribute: this one list is shared by every instance, and `add` changes it through `self.items`"
        );
        assert_eq!(found[0].section, "1.2");
        assert!(found[0].fix.is_none());
    }

    #[test]
    fn flags_augmented_assignment_and_del() {
        let src = "class A:\n    log = []\n    seen = {}\n    def f(self, x):\n        self.log += [x]\n    def g(self, k):\n        del self.seen[k]\n";
        let found = findings(src, "PM0114", T);
        assert_eq!(flagged(src, &found), ["log", "seen"]);
    }

    #[test]
    fn silent_on_near_misses() {
        for src in [
            // Rebound on the instance.
            "class A:\n    items = []\n    def __init__(self):\n        self.items = []\n    def add(self, x):\n        self.items.append(x)\n",
            // Only read.
            "class A:\n    items = []\n    def get(self):\n        return list(self.items)\n",
            // Shared on purpose: reached through the class.
            "class A:\n    registry = {}\n    def register(self):\n        type(self).registry[self.name] = self\n    def lookup(self, n):\n        return self.registry.get(n)\n",
            "class A:\n    _cache = {}\n    def f(self, k):\n        self._cache[k] = 1\n    @classmethod\n    def reset(cls):\n        cls._cache.clear()\n",
            "class A:\n    _cache = {}\n    def f(self, k):\n        self._cache[k] = 1\n        A._cache.pop(k)\n",
            // Immutable values.
            "class A:\n    items = ()\n    name = 'x'\n    def add(self, x):\n        self.items += (x,)\n",
            // Dataclasses, enums, ClassVar, metaclasses.
            "@dataclass\nclass A:\n    items: list = []\n    def add(self, x):\n        self.items.append(x)\n",
            "class Color(Enum):\n    RED = [1]\n    def f(self):\n        self.RED.append(2)\n",
            "class A:\n    items: ClassVar[list] = []\n    def add(self, x):\n        self.items.append(x)\n",
            "class M(type):\n    items = []\n    def add(self, x):\n        self.items.append(x)\n",
            "class A(BaseModel):\n    items: list = []\n    def add(self, x):\n        self.items.append(x)\n",
            // A static method's first parameter is not the instance.
            "class A:\n    items = []\n    @staticmethod\n    def add(self, x):\n        self.items.append(x)\n",
            // A registry of instances.
            "class A:\n    instances = []\n    def __init__(self):\n        self.instances.append(self)\n",
            // Another object's attribute.
            "class A:\n    items = []\n    def add(self, other, x):\n        other.items.append(x)\n",
        ] {
            assert!(findings(src, "PM0114", T).is_empty(), "{src}");
        }
    }
}
