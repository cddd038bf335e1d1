//! PM1301: a subclass `__init__` that never calls its base class's `__init__`, leaving the
//! base's part of every instance unset (§13.6).

use super::design_util::any_call_in;
use super::source::def_name;
use super::{Ctx, Kind, Node, Rule};
use crate::syntax::ast::{self, Constant, Expr, Stmt};
use crate::syntax::facts::{dotted, ModuleFacts};
use crate::syntax::span;

pub struct InitSkipsSuper;

const CODE: &str = "PM1301";

/// Bases whose `__init__` sets up nothing a subclass must have: `object`, the immutable
/// builtins (their value is made in `__new__`), exceptions (`BaseException.__new__` already
/// stores `args`), and the typing and enum machinery.
const NEEDLESS: &[&str] = &[
    "object",
    "int",
    "float",
    "complex",
    "str",
    "bytes",
    "tuple",
    "frozenset",
    "bool",
    "type",
    "BaseException",
    "Exception",
    "ABC",
    "abc.ABC",
    "Protocol",
    "typing.Protocol",
    "Generic",
    "typing.Generic",
    "NamedTuple",
    "typing.NamedTuple",
    "TypedDict",
    "typing.TypedDict",
    "Enum",
    "IntEnum",
    "StrEnum",
    "Flag",
    "IntFlag",
    "enum.Enum",
    "enum.IntEnum",
    "enum.StrEnum",
    "enum.Flag",
    "enum.IntFlag",
];

/// Classes from the standard library whose `__init__` creates state their other methods need
/// (a subclass that skips it fails at its first use).
const STATEFUL: &[&str] = &[
    "threading.Thread",
    "multiprocessing.Process",
    "logging.Handler",
    "logging.StreamHandler",
    "logging.FileHandler",
    "logging.Formatter",
    "logging.Filter",
    "logging.Logger",
    "argparse.ArgumentParser",
    "json.JSONEncoder",
    "json.JSONDecoder",
    "unittest.TestCase",
    "cmd.Cmd",
    "code.InteractiveConsole",
    "configparser.ConfigParser",
    "configparser.RawConfigParser",
    "html.parser.HTMLParser",
    "queue.Queue",
    "socketserver.BaseRequestHandler",
    "socketserver.StreamRequestHandler",
    "http.server.BaseHTTPRequestHandler",
    "http.server.SimpleHTTPRequestHandler",
    "collections.OrderedDict",
    "collections.Counter",
    "collections.defaultdict",
    "string.Formatter",
    "pickle.Pickler",
    "pickle.Unpickler",
    "asyncio.Queue",
    "asyncio.Event",
    "asyncio.Lock",
];

impl Rule for InitSkipsSuper {
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
        let Some(init) = c.body.iter().find_map(|s| match s {
            Stmt::FunctionDef(f) if f.name.as_str() == "__init__" => Some(f),
            _ => None,
        }) else {
            return;
        };
        let bases: Vec<String> = c.bases.iter().filter_map(dotted).collect();
        if bases.len() != c.bases.len() || !c.keywords.is_empty() {
            return;
        }
        let Some(base) = bases.iter().find(|b| base_needs_init(b, ctx.module, 0)) else {
            return;
        };
        if trivial(&init.body) || calls_an_init(&init.body) {
            return;
        }
        let (s, _) = span(init);
        let at = def_name(ctx.source, s, &init.decorator_list, "__init__");
        ctx.report(
            CODE,
            at,
            &[("class", c.name.as_str()), ("base", base.as_str())],
            None,
        );
    }
}

fn exception_like(name: &str) -> bool {
    let last = name.rsplit('.').next().unwrap_or(name);
    last.ends_with("Error") || last.ends_with("Exception") || last.ends_with("Warning")
}

/// True when a base's `__init__` (its own, a module ancestor's, or an outside class's) may set
/// up state: a class of this module that defines `__init__` or is a dataclass, or whose own
/// bases need it; any class from elsewhere except the needless ones.
fn base_needs_init(base: &str, module: &ModuleFacts, depth: usize) -> bool {
    if NEEDLESS.contains(&base) || exception_like(base) || depth > 20 {
        return false;
    }
    let Some(c) = module.class(base) else {
        // Not defined here: only classes known to set up state their methods rely on.
        let full = module.imports.resolve_text(base);
        return STATEFUL.contains(&full.as_str());
    };
    if c.methods.iter().any(|(n, _)| n == "__init__")
        || c.decorators
            .iter()
            .any(|d| d.ends_with("dataclass") || d == "attr.s" || d == "attrs.define")
    {
        return true;
    }
    c.bases
        .iter()
        .any(|b| b != base && base_needs_init(b, module, depth + 1))
}

/// A body that only holds a docstring, `pass`, `...` or a `raise`: a deliberate stub.
fn trivial(body: &[Stmt]) -> bool {
    body.iter().all(|s| match s {
        Stmt::Pass(_) | Stmt::Raise(_) => true,
        Stmt::Expr(e) => matches!(&*e.value, Expr::Constant(c)
            if matches!(c.value, Constant::Str(_) | Constant::Ellipsis)),
        _ => false,
    })
}

/// True when the body calls some `__init__` (`super().__init__`, `Base.__init__(self)`,
/// `super(C, self).__init__`); `self.__init__` does not count.
fn calls_an_init(body: &[Stmt]) -> bool {
    any_call_in(body, |call: &ast::ExprCall| match &*call.func {
        Expr::Attribute(a) => {
            a.attr.as_str() == "__init__"
                && !matches!(&*a.value, Expr::Name(n) if n.id.as_str() == "self")
        }
        _ => false,
    })
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{findings, flagged};

    const T: (u8, u8) = (3, 12);

    #[test]
    fn flags_init_that_skips_the_base() {
        let src = "class Base:\n    def __init__(self):\n        self.items = []\n\nclass Child(Base):\n    def __init__(self, n):\n        self.n = n\n\nimport threading\nclass Worker(threading.Thread):\n    def __init__(self, job):\n        self.job = job\n";
        let found = findings(src, "PM1301", T);
        assert_eq!(flagged(src, &found), ["__init__", "__init__"]);
        assert_eq!(
            found[0].message,
            "`Child.__init__` never calls the `__init__` of `Base`, so whatever that sets up is missing from every `Child`: call `super().__init__(...)`"
        );
        assert_eq!(found[0].section, "13.6");
        assert!(found[1].message.contains("`threading.Thread`"));
    }

    #[test]
    fn follows_module_ancestors_and_dataclasses() {
        let src = "from dataclasses import dataclass\n@dataclass\nclass P:\n    x: int\n\nclass Mid(P):\n    pass\n\nclass Leaf(Mid):\n    def __init__(self):\n        self.y = 1\n";
        assert_eq!(findings(src, "PM1301", T).len(), 1);
    }

    #[test]
    fn silent_when_the_base_init_runs_or_sets_nothing() {
        let src = "class A:\n    def __init__(self):\n        self.a = 1\n\nclass B(A):\n    def __init__(self):\n        super().__init__()\n\nclass C(A):\n    def __init__(self):\n        A.__init__(self)\n\nclass D(A):\n    def __init__(self):\n        if x:\n            super(D, self).__init__()\n\nclass Plain:\n    pass\n\nclass E(Plain):\n    def __init__(self):\n        self.e = 1\n\nclass F(ValueError):\n    def __init__(self, code):\n        self.code = code\n\nclass G:\n    def __init__(self):\n        self.g = 1\n\nclass H(A):\n    def __init__(self):\n        raise TypeError('no')\n\nclass K(A):\n    def method(self):\n        pass\n\nclass L(Protocol):\n    def __init__(self):\n        self.x = 1\n\nclass M(A):\n    def __init__(self):\n        self.__init__ = 1\n        other.__init__(self)\n\nclass N(dict):\n    def __init__(self):\n        self.n = 1\n\nfrom collections.abc import MutableMapping\nclass O(MutableMapping):\n    def __init__(self):\n        self.o = 1\n\nclass P(some.Unknown):\n    def __init__(self):\n        self.p = 1\n";
        assert!(
            findings(src, "PM1301", T).is_empty(),
            "{:?}",
            findings(src, "PM1301", T)
        );
    }
}
