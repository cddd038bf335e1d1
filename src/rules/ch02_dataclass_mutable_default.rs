//! PM0205: a field of a `@dataclass` whose default is a list, dict or set, which `dataclass`
//! rejects with ValueError when the class is created (§2.7.1).

use super::typing_names::{last_name, text, BlockNames};
use super::{Ctx, Edit, Kind, Node, Rule, Safety};
use crate::syntax::ast::{self, Constant, Expr, Stmt};
use crate::syntax::span;

pub struct DataclassMutableDefault;

const CODE: &str = "PM0205";

/// How the class's decorator spells `dataclasses`, when it is `@dataclasses.dataclass`
/// (or an alias of the module); `Some(None)` for a bare `@dataclass`; None when the class is
/// not a standard dataclass.
fn dataclass_decorator<'s>(
    src: &'s str,
    decorators: &[Expr],
    names: &BlockNames,
) -> Option<Option<&'s str>> {
    decorators.iter().find_map(|d| {
        let f = match d {
            Expr::Call(c) => &*c.func,
            other => other,
        };
        let r = names.resolve(f)?;
        if r.member != "dataclass" || !r.is_in(&["dataclasses"]) {
            return None;
        }
        Some(match f {
            Expr::Attribute(a) => Some(text(src, &*a.value)),
            _ => None,
        })
    })
}

/// The kind of mutable default and the factory that builds it, if the default is one.
fn mutable_default<'e>(e: &'e Expr, names: &BlockNames) -> Option<(&'static str, Factory<'e>)> {
    match e {
        Expr::List(l) => Some(("list", Factory::of("list", &l.elts, e))),
        Expr::Set(s) => Some(("set", Factory::of("set", &s.elts, e))),
        Expr::Dict(d) => {
            let keys_plain = d.keys.iter().all(|k| k.as_ref().is_some_and(is_literal));
            let f = if d.keys.is_empty() {
                Factory::Name("dict")
            } else if keys_plain && d.values.iter().all(is_literal) {
                Factory::Lambda(e)
            } else {
                Factory::None
            };
            Some(("dict", f))
        }
        Expr::ListComp(_) => Some(("list", Factory::None)),
        Expr::SetComp(_) => Some(("set", Factory::None)),
        Expr::DictComp(_) => Some(("dict", Factory::None)),
        Expr::Call(c) => {
            let kind = match &*c.func {
                Expr::Name(n) => match n.id.as_str() {
                    "list" => "list",
                    "dict" => "dict",
                    "set" => "set",
                    _ => return None,
                },
                _ => return None,
            };
            if names.binds(kind) {
                return None;
            }
            let f = if c.args.is_empty() && c.keywords.is_empty() {
                Factory::Name(kind)
            } else if c.args.iter().all(is_literal)
                && c.keywords.iter().all(|k| is_literal(&k.value))
            {
                Factory::Lambda(e)
            } else {
                Factory::None
            };
            Some((kind, f))
        }
        _ => None,
    }
}

/// A call default that is not a list, dict or set: another mutable container (a subclass of
/// dict, a deque, a bytearray), or a call whose value differs on each call (a clock, a random
/// or unique id) that a default evaluates once. None for anything else: `frozenset()`,
/// `Decimal("0")`, `field(...)` and unknown calls stay silent.
fn other_call_default<'e>(e: &'e Expr, names: &BlockNames) -> Option<(Other, Factory<'e>)> {
    let Expr::Call(c) = e else { return None };
    let r = names.resolve(&c.func)?;
    let module = r.module.as_deref();
    let no_args = c.args.is_empty() && c.keywords.is_empty();
    let container = match (module, r.member.as_str()) {
        (None | Some("collections"), "defaultdict") => Some(("defaultdict", true)),
        (None | Some("collections"), "OrderedDict") => Some(("OrderedDict", true)),
        (None | Some("collections"), "Counter") => Some(("Counter", true)),
        (None | Some("collections"), "deque") => Some(("deque", false)),
        (None, "bytearray") if !names.binds("bytearray") => Some(("bytearray", false)),
        _ => None,
    };
    if let Some((kind, dict_like)) = container {
        let f = if no_args {
            Factory::Callee(&c.func)
        } else {
            Factory::None
        };
        return Some((Other::Container(kind, dict_like), f));
    }
    let fresh = matches!(
        (module, r.member.as_str()),
        (
            Some("datetime.datetime" | "datetime"),
            "now" | "utcnow" | "today"
        ) | (Some("datetime.date"), "today")
            | (
                Some("time"),
                "time" | "time_ns" | "monotonic" | "perf_counter"
            )
            | (Some("uuid"), "uuid1" | "uuid4")
            | (Some("random"), _)
            | (Some("secrets"), _)
            | (None, "uuid4" | "uuid1")
    );
    // `datetime.now()` with `from datetime import datetime`: the receiver is a bare name.
    let bare_receiver = match &*c.func {
        Expr::Attribute(a) => {
            matches!(&*a.value, Expr::Name(n) if matches!(n.id.as_str(), "datetime" | "date"))
                && matches!(a.attr.as_str(), "now" | "utcnow" | "today")
        }
        _ => false,
    };
    (fresh || bare_receiver)
        .then_some((Other::Once, Factory::Callee(&c.func)))
        .map(|(o, f)| if no_args { (o, f) } else { (o, Factory::None) })
}

enum Other {
    /// A mutable container: its name, and whether it is a dict subclass (rejected by
    /// `dataclass` on every version).
    Container(&'static str, bool),
    /// A value computed once.
    Once,
}

/// What goes after `default_factory=`.
enum Factory<'e> {
    /// `list`: the display was empty.
    Name(&'static str),
    /// The callee of an argument-less call, as written (`collections.deque`, `datetime.now`).
    Callee(&'e Expr),
    /// `lambda: [1, 2]`: the display holds literals only (a lambda in a class body cannot
    /// see the class's other names, so anything else might change meaning).
    Lambda(&'e Expr),
    None,
}

impl<'e> Factory<'e> {
    fn of(kind: &'static str, elts: &[Expr], e: &'e Expr) -> Factory<'e> {
        if elts.is_empty() {
            Factory::Name(kind)
        } else if elts.iter().all(is_literal) {
            Factory::Lambda(e)
        } else {
            Factory::None
        }
    }
}

fn is_literal(e: &Expr) -> bool {
    match e {
        Expr::Constant(_) => true,
        Expr::UnaryOp(u) => matches!(&*u.operand, Expr::Constant(_)),
        Expr::Tuple(t) => t.elts.iter().all(is_literal),
        _ => false,
    }
}

/// `ClassVar[...]` and `InitVar[...]` annotations are not fields `dataclass` checks.
fn is_field_annotation(ann: &Expr, names: &BlockNames) -> bool {
    let base = match ann {
        Expr::Subscript(s) => &*s.value,
        Expr::Constant(c) => {
            return !matches!(&c.value, Constant::Str(s) if s.contains("ClassVar") || s.contains("InitVar"))
        }
        other => other,
    };
    match names.resolve(base) {
        Some(r) => {
            !matches!(r.member.as_str(), "ClassVar" | "InitVar")
                || !r.is_in(&["typing", "typing_extensions", "dataclasses"])
        }
        None => true,
    }
}

const REJECTED: &str = "`@dataclass` rejects it with ValueError when the class is created";
const SHARED: &str =
    "every instance would share it (from Python 3.11 `@dataclass` rejects it with ValueError)";
const ONCE: &str =
    "the call runs once, when the class is created, and every instance gets that same value";

impl Rule for DataclassMutableDefault {
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
        if !class
            .decorator_list
            .iter()
            .any(|d| last_name(d) == Some("dataclass"))
        {
            return;
        }
        let names = BlockNames::of_block(node, ctx);
        let src = ctx.source;
        let Some(module) = dataclass_decorator(src, &class.decorator_list, &names) else {
            return;
        };
        // How to spell `field`: through the decorator's module, or a name the block already
        // uses for it.
        let field_fn = match module {
            Some(m) => Some(format!("{m}.field")),
            None if names.reads("field") && !names.assigns("field") => Some("field".to_string()),
            None if names.reads("dataclasses") && !names.binds("dataclasses") => {
                Some("dataclasses.field".to_string())
            }
            None => None,
        };
        for s in &class.body {
            let Stmt::AnnAssign(ast::StmtAnnAssign {
                target,
                annotation,
                value: Some(value),
                ..
            }) = s
            else {
                continue;
            };
            let Expr::Name(field) = &**target else {
                continue;
            };
            if !is_field_annotation(annotation, &names) {
                continue;
            }
            let kind_a;
            let (what, consequence, factory) =
                if let Some((kind, factory)) = mutable_default(value, &names) {
                    kind_a = format!("a {kind}");
                    (kind_a.as_str(), REJECTED, factory)
                } else if let Some((other, factory)) = other_call_default(value, &names) {
                    match other {
                        Other::Container(kind, true) => {
                            kind_a = format!("a `{kind}`");
                            (kind_a.as_str(), REJECTED, factory)
                        }
                        Other::Container(kind, false) => {
                            kind_a = format!("a `{kind}`");
                            (kind_a.as_str(), SHARED, factory)
                        }
                        Other::Once => {
                            kind_a = format!("`{}`", text(src, &**value));
                            (kind_a.as_str(), ONCE, factory)
                        }
                    }
                } else {
                    continue;
                };
            let factory = match factory {
                Factory::Name(n) => Some(n.to_string()),
                Factory::Callee(e) => Some(text(src, e).to_string()),
                Factory::Lambda(e) => Some(format!("lambda: {}", text(src, e))),
                Factory::None => None,
            };
            let replacement = match (&field_fn, factory) {
                (Some(f), Some(factory)) => Some(format!("{f}(default_factory={factory})")),
                _ => None,
            };
            let args = [
                ("name", field.id.as_str()),
                ("class", class.name.as_str()),
                ("what", what),
                ("consequence", consequence),
            ];
            let (v0, v1) = span(&**value);
            // The fix keeps behaviour only where the class could not be created before.
            let safety =
                if consequence == REJECTED || (consequence == SHARED && ctx.target >= (3, 11)) {
                    Safety::Safe
                } else {
                    Safety::Unsafe
                };
            let fix = replacement.map(|r| {
                ctx.fix(
                    CODE,
                    &[("replacement", r.as_str())],
                    safety,
                    vec![Edit {
                        start: v0,
                        end: v1,
                        text: r.clone(),
                    }],
                )
            });
            ctx.report(CODE, (v0, v1), &args, fix);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{findings, fixed, flagged};

    const T: (u8, u8) = (3, 12);

    #[test]
    fn flags_mutable_defaults_of_dataclass_fields() {
        let src = "@dataclass\nclass A:\n    a: list = []\n    b: dict[str, int] = {}\n    c: set = set()\n    d: list = [x for x in 'ab']\n    e: int = 0\n";
        let found = findings(src, "PM0205", T);
        assert_eq!(
            flagged(src, &found),
            ["[]", "{}", "set()", "[x for x in 'ab']"]
        );
        assert_eq!(
            found[0].message,
            "Field `a` of dataclass `A` defaults to a list: `@dataclass` rejects it with ValueError when the class is created; build it per instance with `field(default_factory=...)`"
        );
        assert_eq!(found[0].section, "2.7.1");
        assert!(found.iter().all(|f| f.fix.is_none()), "no `field` in reach");
    }

    #[test]
    fn silent_on_near_misses() {
        for s in [
            "class A:\n    a: list = []\n",
            "@dataclass\nclass A:\n    a = []\n    b: ClassVar[list] = []\n    c: list = field(default_factory=list)\n    d: tuple = ()\n",
            "@dataclass\nclass A:\n    def f(self):\n        x: list = []\n",
            "@pydantic.dataclasses.dataclass\nclass A:\n    a: list = []\n",
            "@attr.s\nclass A:\n    a: list = []\n",
        ] {
            assert!(findings(s, "PM0205", T).is_empty(), "{s}");
        }
    }

    #[test]
    fn fix_uses_the_module_of_the_decorator() {
        assert_eq!(
            fixed("@dataclasses.dataclass(frozen=True)\nclass A:\n    a: list = []\n", "PM0205", T),
            "@dataclasses.dataclass(frozen=True)\nclass A:\n    a: list = dataclasses.field(default_factory=list)\n"
        );
        assert_eq!(
            fixed("def f():\n    import dataclasses as dc\n    @dc.dataclass\n    class A:\n        a: dict = {'k': (1, -2)}\n", "PM0205", T),
            "def f():\n    import dataclasses as dc\n    @dc.dataclass\n    class A:\n        a: dict = dc.field(default_factory=lambda: {'k': (1, -2)})\n"
        );
    }

    #[test]
    fn flags_call_defaults() {
        let src = "@dataclass\nclass A:\n    a: dict = collections.defaultdict(list)\n    b: deque = deque()\n    c: datetime = datetime.now()\n    d: float = time.time()\n    e: UUID = uuid.uuid4()\n    f: list = list()\n";
        let found = findings(src, "PM0205", T);
        assert_eq!(
            flagged(src, &found),
            [
                "collections.defaultdict(list)",
                "deque()",
                "datetime.now()",
                "time.time()",
                "uuid.uuid4()",
                "list()"
            ]
        );
        assert_eq!(
            found[2].message,
            "Field `c` of dataclass `A` defaults to `datetime.now()`: the call runs once, when the class is created, and every instance gets that same value; build it per instance with `field(default_factory=...)`"
        );
        assert_eq!(
            found[1].message,
            "Field `b` of dataclass `A` defaults to a `deque`: every instance would share it (from Python 3.11 `@dataclass` rejects it with ValueError); build it per instance with `field(default_factory=...)`"
        );
    }

    #[test]
    fn silent_on_immutable_call_defaults() {
        let src = "@dataclass\nclass A:\n    a: frozenset = frozenset()\n    b: Decimal = Decimal('0')\n    c: list = field(default_factory=list)\n    d: tuple = tuple()\n    e: Path = Path('.')\n    f: int = compute()\n    g: datetime = datetime(2020, 1, 1)\n";
        assert!(findings(src, "PM0205", T).is_empty());
    }

    #[test]
    fn fix_uses_the_callee_as_factory() {
        let src = "@dataclass\nclass A:\n    a: int = field(default=0)\n    b: datetime = datetime.now()\n    c: deque = collections.deque()\n";
        assert_eq!(
            fixed(src, "PM0205", T),
            "@dataclass\nclass A:\n    a: int = field(default=0)\n    b: datetime = field(default_factory=datetime.now)\n    c: deque = collections.deque()\n"
        );
    }

    #[test]
    fn fix_uses_field_when_the_block_already_calls_it() {
        let src = "@dataclass\nclass A:\n    a: int = field(default=0)\n    b: set[int] = set()\n";
        assert_eq!(
            fixed(src, "PM0205", T),
            "@dataclass\nclass A:\n    a: int = field(default=0)\n    b: set[int] = field(default_factory=set)\n"
        );
        let found = findings(
            "@dataclass\nclass A:\n    field: int = 0\n    b: list = []\n    c: int = field()\n",
            "PM0205",
            T,
        );
        assert_eq!(found.len(), 1);
        assert!(found[0].fix.is_none(), "`field` is a field of the class");
    }
}
