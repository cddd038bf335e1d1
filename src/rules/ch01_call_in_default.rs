//! PM0164: a call in a parameter's default, which runs once when `def` runs, so every call that
//! omits the argument reuses its one result: `def f(when=datetime.now())` (§1.5.1). Calls known
//! to give an immutable value that does not depend on when they run are allowed; mutable
//! containers are PM0105's.

use super::pack1_util::params;
use super::{Ctx, Kind, Node, Rule};
use crate::syntax::ast::{Expr, Stmt};
use crate::syntax::span;

pub struct CallInDefault;

const CODE: &str = "PM0164";

/// Callees (qualified as the module's imports resolve them) whose result is immutable and the
/// same whenever the call runs, or that build a deliberate one-off object (`object()`).
const ALLOWED: &[&str] = &[
    "int",
    "float",
    "complex",
    "str",
    "bytes",
    "bool",
    "tuple",
    "frozenset",
    "object",
    "range",
    "slice",
    "chr",
    "ord",
    "abs",
    "min",
    "max",
    "round",
    "pow",
    "len",
    "hex",
    "oct",
    "bin",
    "repr",
    "divmod",
    "type",
    "re.compile",
    "decimal.Decimal",
    "fractions.Fraction",
    "datetime.timedelta",
    "datetime.date",
    "datetime.time",
    "datetime.datetime",
    "datetime.timezone",
    "pathlib.Path",
    "pathlib.PurePath",
    "pathlib.PurePosixPath",
    "pathlib.PureWindowsPath",
    "types.MappingProxyType",
    "types.SimpleNamespace",
    "operator.itemgetter",
    "operator.attrgetter",
    "operator.methodcaller",
    "functools.partial",
    "typing.cast",
    "sys.intern",
    "struct.Struct",
    "ipaddress.ip_address",
    "ipaddress.ip_network",
    "enum.auto",
];

/// Constructors PM0105 reports (mutable containers), left to it.
const MUTABLE: &[&str] = &[
    "list",
    "dict",
    "set",
    "bytearray",
    "collections.defaultdict",
    "collections.OrderedDict",
    "collections.Counter",
    "collections.deque",
    "defaultdict",
    "OrderedDict",
    "Counter",
    "deque",
];

impl Rule for CallInDefault {
    fn code(&self) -> &'static str {
        CODE
    }

    fn kinds(&self) -> &'static [Kind] {
        &[Kind::FunctionDef, Kind::AsyncFunctionDef, Kind::Lambda]
    }

    fn check(&self, node: Node<'_>, ctx: &mut Ctx<'_>) {
        let args = match node {
            Node::Stmt(Stmt::FunctionDef(f)) => &*f.args,
            Node::Stmt(Stmt::AsyncFunctionDef(f)) => &*f.args,
            Node::Expr(Expr::Lambda(l)) => &*l.args,
            _ => return,
        };
        // Inside a function the `def` runs on every call of the outer one, and a call in a
        // default is the idiom for capturing a value at that moment (`selfref=ref(self)`).
        if ctx.parents.iter().any(|p| {
            matches!(
                p,
                Node::Stmt(Stmt::FunctionDef(_) | Stmt::AsyncFunctionDef(_))
                    | Node::Expr(Expr::Lambda(_))
            )
        }) {
            return;
        }
        for arg in params(args) {
            let Some(default) = arg.default.as_deref() else {
                continue;
            };
            let Expr::Call(call) = default else {
                continue;
            };
            let Some(callee) = ctx.module.imports.resolve(&call.func) else {
                continue;
            };
            if allowed(&callee, ctx) || MUTABLE.contains(&callee.as_str()) {
                continue;
            }
            let (fs, fe) = span(&*call.func);
            let written = ctx.source.get(fs..fe).unwrap_or("").to_string();
            let name = arg.def.arg.to_string();
            ctx.report(
                CODE,
                span(default),
                &[("param", &name), ("callee", &written)],
                None,
            );
        }
    }
}

fn allowed(callee: &str, ctx: &Ctx<'_>) -> bool {
    if ALLOWED.contains(&callee) {
        return true;
    }
    // A NamedTuple (or an Enum) of this module: an immutable value.
    ctx.module.class(callee).is_some_and(|c| {
        c.bases.iter().any(|b| {
            let b = ctx.module.imports.resolve_text(b);
            matches!(
                b.as_str(),
                "typing.NamedTuple" | "enum.Enum" | "enum.IntEnum" | "enum.StrEnum" | "enum.Flag"
            )
        })
    })
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{findings, flagged};

    const T: (u8, u8) = (3, 12);

    #[test]
    fn flags_calls_evaluated_once_at_def_time() {
        let src = "import datetime as dt\nfrom uuid import uuid4\nimport threading\ndef f(when=dt.datetime.now(), key=uuid4(), *, lock=threading.Lock()):\n    pass\ng = lambda t=time.time(): t\nclass A:\n    async def m(self, cfg=load_config()):\n        pass\n";
        let found = findings(src, "PM0164", T);
        assert_eq!(
            flagged(src, &found),
            [
                "dt.datetime.now()",
                "uuid4()",
                "threading.Lock()",
                "time.time()",
                "load_config()"
            ]
        );
        assert_eq!(
            found[0].message,
            "The default of `when` calls `dt.datetime.now` once, when `def` runs: every call that omits `when` reuses that one result; default to None and call it in the body"
        );
        assert_eq!(found[0].section, "1.5.1");
        assert!(found[0].fix.is_none());
    }

    #[test]
    fn stays_silent_on_immutable_time_independent_calls() {
        let src = "\
import re
from decimal import Decimal
from typing import NamedTuple
class Point(NamedTuple):
    x: int
    y: int
def f(a=int(), b=str(), c=frozenset(), d=tuple(), e=object(), g=float('inf'),
      h=re.compile('x+'), i=Decimal('0'), j=Point(0, 0), k=[], l=list(), m=dict(),
      n=None, o=MISSING, p=-1, q=(1, 2), r=datetime.timedelta(seconds=5)):
    pass
";
        assert!(findings(src, "PM0164", T).is_empty());
    }

    #[test]
    fn stays_silent_on_defs_nested_in_functions() {
        let src = "class A:\n    def m(self):\n        def cb(wr, selfref=ref(self), at=time.time()):\n            pass\n        return lambda k=key(): k\n";
        assert!(findings(src, "PM0164", T).is_empty());
    }

    #[test]
    fn a_shadowed_allowed_name_is_still_a_call_of_something_else() {
        let src = "from mylib import compile\ndef f(p=compile('x')):\n    pass\n";
        let found = findings(src, "PM0164", T);
        assert_eq!(flagged(src, &found), ["compile('x')"]);
    }
}
