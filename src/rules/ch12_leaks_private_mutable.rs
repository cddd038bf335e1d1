//! PM1209 (off by default): a public method that returns a private mutable attribute as is
//! (`return self._items`), handing callers the object the class relies on (§12.3).

use super::api_util::{enclosing_func, is_public, Func};
use super::conc_common::head_name;
use super::iter_util::scan;
use super::typing_names::last_name;
use super::{Ctx, Kind, Node, Rule};
use crate::syntax::ast::{Expr, Stmt};
use crate::syntax::span;

pub struct LeaksPrivateMutable;

const CODE: &str = "PM1209";

/// Calls that make a fresh mutable container.
const MAKERS: &[&str] = &[
    "list",
    "dict",
    "set",
    "bytearray",
    "defaultdict",
    "OrderedDict",
    "Counter",
    "deque",
];

impl Rule for LeaksPrivateMutable {
    fn code(&self) -> &'static str {
        CODE
    }

    fn kinds(&self) -> &'static [Kind] {
        &[Kind::Return]
    }

    fn check(&self, node: Node<'_>, ctx: &mut Ctx<'_>) {
        let Node::Stmt(Stmt::Return(r)) = node else {
            return;
        };
        let Some(Expr::Attribute(a)) = r.value.as_deref() else {
            return;
        };
        let attr = a.attr.as_str();
        if !attr.starts_with('_') || attr.starts_with("__") {
            return;
        }
        let Some((f, Some(class))) = enclosing_func(ctx) else {
            return;
        };
        if !is_public(f.name)
            || !is_public(class.name.as_str())
            || f.decorated_with(&["staticmethod", "classmethod"])
        {
            return;
        }
        let Some(receiver) = f.params().first().copied() else {
            return;
        };
        if !matches!(&*a.value, Expr::Name(n) if n.id.as_str() == receiver) {
            return;
        }
        let Some(kind) = mutable_kind(&class.body, attr) else {
            return;
        };
        ctx.report(
            CODE,
            span(r),
            &[("func", f.name), ("attr", attr), ("kind", kind)],
            None,
        );
    }
}

/// The kind of container the class stores in `attr` (`self.attr = [...]` in any method, or
/// `attr = [...]` in the class body), when every such value is a fresh mutable container.
fn mutable_kind(body: &[Stmt], attr: &str) -> Option<&'static str> {
    let mut kinds: Vec<Option<&'static str>> = Vec::new();
    for s in body {
        match s {
            Stmt::Assign(x) if x.targets.iter().any(|t| is_name(t, attr)) => {
                kinds.push(container(&x.value));
            }
            Stmt::AnnAssign(x) => {
                if let (true, Some(v)) = (is_name(&x.target, attr), x.value.as_deref()) {
                    kinds.push(container(v));
                }
            }
            _ => {}
        }
        let Some(m) = Func::of(s) else { continue };
        let Some(me) = m.params().first().copied() else {
            continue;
        };
        scan(m.body, |n| {
            let (targets, value): (Vec<&Expr>, Option<&Expr>) = match n {
                Node::Stmt(Stmt::Assign(x)) => (x.targets.iter().collect(), Some(&x.value)),
                Node::Stmt(Stmt::AnnAssign(x)) => (vec![&x.target], x.value.as_deref()),
                _ => return,
            };
            let Some(value) = value else { return };
            if targets.iter().any(|t| is_self_attr(t, me, attr)) {
                kinds.push(container(value));
            }
        });
    }
    match kinds.first() {
        Some(Some(k)) if kinds.iter().all(Option::is_some) => Some(k),
        _ => None,
    }
}

fn is_name(e: &Expr, name: &str) -> bool {
    matches!(e, Expr::Name(n) if n.id.as_str() == name)
}

fn is_self_attr(e: &Expr, me: &str, attr: &str) -> bool {
    matches!(e, Expr::Attribute(a) if a.attr.as_str() == attr && is_name(&a.value, me))
}

/// "list", "dict" or "set" for a display, comprehension or call making a fresh container.
fn container(e: &Expr) -> Option<&'static str> {
    match e {
        Expr::List(_) | Expr::ListComp(_) => Some("list"),
        Expr::Dict(_) | Expr::DictComp(_) => Some("dict"),
        Expr::Set(_) | Expr::SetComp(_) => Some("set"),
        Expr::Call(c) => {
            let n = last_name(&c.func)?;
            if head_name(&c.func).is_none() || !MAKERS.contains(&n) {
                return None;
            }
            Some(match n {
                "list" | "deque" | "bytearray" => "list",
                "set" => "set",
                _ => "dict",
            })
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{findings, flagged};

    const T: (u8, u8) = (3, 12);

    #[test]
    fn flags_private_containers_returned_as_is() {
        let src = "\
class Cart:
    _tags = set()

    def __init__(self):
        self._items = []
        self._prices: dict[str, int] = {}

    @property
    def items(self):
        return self._items

    def prices(self):
        return self._prices

    def tags(self):
        return self._tags
";
        let found = findings(src, "PM1209", T);
        assert_eq!(
            flagged(src, &found),
            [
                "return self._items",
                "return self._prices",
                "return self._tags"
            ]
        );
        assert_eq!(
            found[0].message,
            "`items` returns `self._items` itself: callers can change this list behind the class's back; return a copy or a read-only view"
        );
        assert_eq!(found[0].section, "12.3");
        assert!(found[1].message.contains("this dict"));
    }

    #[test]
    fn silent_on_copies_immutables_private_methods_and_other_objects() {
        let src = "\
class Cart:
    def __init__(self, items):
        self._items = []
        self._name = 'x'
        self._given = items
        self._maybe = []

    def reset(self):
        self._maybe = None

    def items(self):
        return list(self._items)

    def name(self):
        return self._name

    def given(self):
        return self._given

    def maybe(self):
        return self._maybe

    def _raw(self):
        return self._items

    def other(self, o):
        return o._items

class _Private:
    def __init__(self):
        self._x = []
    def x(self):
        return self._x
";
        assert!(findings(src, "PM1209", T).is_empty());
    }
}
