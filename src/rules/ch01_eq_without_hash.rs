//! PM0101: a class that defines `__eq__` but not `__hash__`, which Python answers by setting
//! `__hash__` to None: its instances can no longer be set members or dict keys (§1.3.3).

use super::source::{def_name, indentation, next_line_start, starts_line};
use super::{Ctx, Edit, Kind, Node, Rule, Safety};
use crate::syntax::ast::{Expr, Stmt};
use crate::syntax::span;

pub struct EqWithoutHash;

const CODE: &str = "PM0101";

/// The name a class-body statement binds, if it binds exactly one.
fn binds(s: &Stmt) -> Option<&str> {
    match s {
        Stmt::FunctionDef(f) => Some(f.name.as_str()),
        Stmt::AsyncFunctionDef(f) => Some(f.name.as_str()),
        Stmt::Assign(a) => a.targets.iter().find_map(|t| match t {
            Expr::Name(n) => Some(n.id.as_str()),
            _ => None,
        }),
        Stmt::AnnAssign(a) => match &*a.target {
            Expr::Name(n) => Some(n.id.as_str()),
            _ => None,
        },
        _ => None,
    }
}

/// Dataclass-style decorators write or manage `__hash__` themselves.
fn manages_hash(decorators: &[Expr]) -> bool {
    decorators.iter().any(|d| {
        let target = match d {
            Expr::Call(c) => &*c.func,
            other => other,
        };
        match target {
            Expr::Name(n) => matches!(n.id.as_str(), "dataclass" | "define" | "frozen" | "mutable"),
            // `attr.s`, `attrs.define`, `dataclasses.dataclass`, `pydantic.dataclasses.dataclass`
            Expr::Attribute(a) => matches!(
                a.attr.as_str(),
                "dataclass" | "define" | "frozen" | "mutable" | "s"
            ),
            _ => false,
        }
    })
}

/// Classes whose instances are unhashable anyway (mutable built-in bases), or interfaces whose
/// concrete subclasses decide hashing.
fn hash_decided_elsewhere(bases: &[Expr], keywords: &[crate::syntax::ast::Keyword]) -> bool {
    let last = |e: &Expr| match e {
        Expr::Name(n) => Some(n.id.to_string()),
        Expr::Attribute(a) => Some(a.attr.to_string()),
        Expr::Subscript(s) => match &*s.value {
            Expr::Name(n) => Some(n.id.to_string()),
            Expr::Attribute(a) => Some(a.attr.to_string()),
            _ => None,
        },
        _ => None,
    };
    let unhashable = [
        "dict",
        "list",
        "set",
        "bytearray",
        "MutableMapping",
        "MutableSet",
        "MutableSequence",
        "UserDict",
        "UserList",
        "OrderedDict",
        "defaultdict",
        "Counter",
        "deque",
    ];
    let interface = ["ABC", "Protocol"];
    bases
        .iter()
        .filter_map(last)
        .any(|b| unhashable.contains(&b.as_str()) || interface.contains(&b.as_str()))
        || keywords.iter().any(|k| {
            k.arg.as_deref() == Some("metaclass") && last(&k.value).as_deref() == Some("ABCMeta")
        })
}

/// The attributes `__eq__` reads on both `self` and the other operand, in order of first use.
fn compared_fields(eq: &Stmt) -> Vec<String> {
    use crate::syntax::walk::{walk, Visitor};
    let Stmt::FunctionDef(f) = eq else {
        return Vec::new();
    };
    let params: Vec<&str> = f.args.args.iter().map(|a| a.def.arg.as_str()).collect();
    let [me, other] = params[..] else {
        return Vec::new();
    };
    struct Reads<'p> {
        me: &'p str,
        other: &'p str,
        mine: Vec<String>,
        theirs: Vec<String>,
    }
    impl<'a> Visitor<'a> for Reads<'_> {
        fn enter(&mut self, node: Node<'a>) -> bool {
            if let Node::Expr(Expr::Attribute(a)) = node {
                if let Expr::Name(n) = &*a.value {
                    let attr = a.attr.to_string();
                    if n.id.as_str() == self.me && !self.mine.contains(&attr) {
                        self.mine.push(attr);
                    } else if n.id.as_str() == self.other && !self.theirs.contains(&attr) {
                        self.theirs.push(attr);
                    }
                }
            }
            true
        }
        fn leave(&mut self, _node: Node<'a>) {}
    }
    let mut r = Reads {
        me,
        other,
        mine: Vec::new(),
        theirs: Vec::new(),
    };
    walk(&f.body, &mut r);
    r.mine
        .into_iter()
        .filter(|a| r.theirs.contains(a) && !a.starts_with("__"))
        .collect()
}

impl Rule for EqWithoutHash {
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
        if manages_hash(&class.decorator_list)
            || hash_decided_elsewhere(&class.bases, &class.keywords)
        {
            return;
        }
        let Some(eq) = class.body.iter().find(|s| binds(s) == Some("__eq__")) else {
            return;
        };
        if class.body.iter().any(|s| binds(s) == Some("__hash__")) {
            return;
        }
        let src = ctx.source;
        let range = match eq {
            Stmt::FunctionDef(f) => def_name(src, span(eq).0, &f.decorator_list, "__eq__"),
            Stmt::AsyncFunctionDef(f) => def_name(src, span(eq).0, &f.decorator_list, "__eq__"),
            _ => span(eq),
        };
        if !starts_line(src, span(eq).0) {
            ctx.report(CODE, range, &[("class", class.name.as_str())], None);
            return;
        }
        let nl = ctx.newline();
        let indent = indentation(src, range.0);
        let at = next_line_start(src, span(eq).1);
        let lead = if at == src.len() && !src.ends_with(['\n', '\r']) {
            nl
        } else {
            ""
        };
        let insert = |text: String| {
            vec![Edit {
                start: at,
                end: at,
                text,
            }]
        };
        let fix = ctx.fix(
            CODE,
            &[],
            Safety::Safe,
            insert(format!("{lead}{indent}__hash__ = None{nl}")),
        );
        // Hashing the fields `__eq__` compares keeps "equal objects hash equal" true.
        let fields = compared_fields(eq);
        let alternatives = if fields.is_empty() {
            Vec::new()
        } else {
            let inner = super::source::indent_unit(indent, &format!("{indent}    "));
            let tuple = fields
                .iter()
                .map(|f| format!("self.{f}"))
                .collect::<Vec<_>>()
                .join(", ");
            let comma = if fields.len() == 1 { "," } else { "" };
            let text = format!(
                "{lead}{nl}{indent}def __hash__(self):{nl}{indent}{inner}return hash(({tuple}{comma})){nl}"
            );
            let listed = fields.join("`, `");
            vec![ctx.other_fix(CODE, &[("fields", &listed)], Safety::Unsafe, insert(text))]
        };
        ctx.report_with_alternatives(
            CODE,
            range,
            &[("class", class.name.as_str())],
            Some(fix),
            alternatives,
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{findings, fixed, flagged};

    const T: (u8, u8) = (3, 12);

    #[test]
    fn flags_eq_without_hash_on_the_method_name() {
        let src = "class Money:\n    @staticmethod\n    def make(): pass\n\n    def __eq__(self, other):\n        return True\n";
        let found = findings(src, "PM0101", T);
        assert_eq!(flagged(src, &found), ["__eq__"]);
        assert!(found[0]
            .message
            .starts_with("`Money` defines `__eq__` without `__hash__`"));
        assert_eq!(found[0].section, "1.3.3");
    }

    #[test]
    fn silent_when_hash_is_written_or_decided_elsewhere() {
        for src in [
            "class A:\n    def __eq__(self, o): return True\n    def __hash__(self): return 1\n",
            "class A:\n    def __eq__(self, o): return True\n    __hash__ = None\n",
            "@dataclass(frozen=True)\nclass A:\n    def __eq__(self, o): return True\n",
            "class A(dict):\n    def __eq__(self, o): return True\n",
            "class A(Protocol):\n    def __eq__(self, o): ...\n",
            "class A:\n    def __ne__(self, o): return True\n",
        ] {
            assert!(findings(src, "PM0101", T).is_empty(), "{src}");
        }
    }

    #[test]
    fn other_fix_hashes_the_compared_fields() {
        let src = "class P:\n    def __eq__(self, o):\n        if not isinstance(o, P):\n            return NotImplemented\n        return (self.x, self.y) == (o.x, o.y) and self.log is not None\n";
        let found = findings(src, "PM0101", T);
        let alt = &found[0].alternatives[0];
        assert_eq!(
            alt.title,
            "Write `__hash__` over the compared fields `x`, `y`"
        );
        assert_eq!(
            alt.apply(src),
            "class P:\n    def __eq__(self, o):\n        if not isinstance(o, P):\n            return NotImplemented\n        return (self.x, self.y) == (o.x, o.y) and self.log is not None\n\n    def __hash__(self):\n        return hash((self.x, self.y))\n"
        );
        let one = "class Q:\n    def __eq__(self, other):\n        return self.k == other.k\n";
        let alt = &findings(one, "PM0101", T)[0].alternatives[0];
        assert!(alt.apply(one).ends_with("return hash((self.k,))\n"));
        let none = "class R:\n    def __eq__(self, other):\n        return True\n";
        assert!(findings(none, "PM0101", T)[0].alternatives.is_empty());
    }

    #[test]
    fn fix_declares_hash_none_after_eq() {
        let src = "class A:\n    def __eq__(self, o):\n        return True\n\n    def other(self):\n        pass\n";
        assert_eq!(
            fixed(src, "PM0101", T),
            "class A:\n    def __eq__(self, o):\n        return True\n    __hash__ = None\n\n    def other(self):\n        pass\n"
        );
        assert_eq!(
            fixed(
                "class A:\n    def __eq__(self, o): return True",
                "PM0101",
                T
            ),
            "class A:\n    def __eq__(self, o): return True\n    __hash__ = None\n"
        );
    }
}
