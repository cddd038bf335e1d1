//! PM0131: a subclass of an immutable builtin (str, int, tuple...) or of a `namedtuple(...)`
//! without `__slots__`, whose instances quietly gain a `__dict__` (§1.4).

use super::source::{
    indentation, line_start, next_line_start, rest_of_line_blank, starts_line, stmt_start,
};
use super::typing_names::BlockNames;
use super::{Ctx, Edit, Kind, Node, Rule, Safety};
use crate::syntax::ast::{Constant, Expr, Stmt, StmtClassDef};
use crate::syntax::span;
use crate::syntax::walk::{walk, Visitor};

pub struct ImmutableSubclassSlots;

const CODE: &str = "PM0131";

const BUILTINS: &[&str] = &[
    "str",
    "bytes",
    "tuple",
    "int",
    "float",
    "frozenset",
    "complex",
];

/// The base's name as shown in the message, when it is one the rule knows.
fn base_name(b: &Expr, names: &BlockNames) -> Option<&'static str> {
    match b {
        Expr::Call(c) => {
            let r = names.resolve(&c.func)?;
            (r.member == "namedtuple" && r.is_in(&["collections"])).then_some("namedtuple(...)")
        }
        _ => {
            let r = names.resolve(b)?;
            if r.module.is_some() && r.module.as_deref() != Some("builtins") {
                return None;
            }
            BUILTINS.iter().copied().find(|n| *n == r.member)
        }
    }
}

/// Anything in the class that suggests instances carry attributes of their own: a store to an
/// attribute of something other than `cls` or the class, `setattr`, or `__dict__`.
struct UsesDict<'a> {
    class: &'a str,
    found: bool,
}

impl<'a> Visitor<'a> for UsesDict<'a> {
    fn enter(&mut self, node: Node<'a>) -> bool {
        match node {
            Node::Expr(Expr::Attribute(a)) => {
                if a.attr.as_str() == "__dict__" || a.attr.as_str() == "__weakref__" {
                    self.found = true;
                }
                if !matches!(a.ctx, crate::syntax::ast::ExprContext::Load) {
                    let owner = matches!(&*a.value, Expr::Name(n) if n.id.as_str() == "cls" || n.id.as_str() == self.class);
                    if !owner {
                        self.found = true;
                    }
                }
            }
            Node::Expr(Expr::Name(n)) if n.id.as_str() == "setattr" => self.found = true,
            _ => {}
        }
        !self.found
    }
    fn leave(&mut self, _node: Node<'a>) {}
}

fn is_docstring(s: &Stmt) -> bool {
    matches!(s, Stmt::Expr(e) if matches!(&*e.value, Expr::Constant(c) if matches!(c.value, Constant::Str(_))))
}

fn slots_fix(ctx: &Ctx<'_>, class: &StmtClassDef) -> Option<Vec<Edit>> {
    let src = ctx.source;
    let nl = ctx.newline();
    let first = class.body.first()?;
    let first_start = stmt_start(src, first);
    if !starts_line(src, first_start) {
        return None;
    }
    let indent = indentation(src, first_start).to_string();
    let at = match &class.body[..] {
        [doc, ..] if is_docstring(doc) => {
            if !rest_of_line_blank(src, span(doc).1) {
                return None;
            }
            next_line_start(src, span(doc).1)
        }
        _ => line_start(src, first_start),
    };
    let lead = if at == src.len() && !src.ends_with(['\n', '\r']) {
        nl
    } else {
        ""
    };
    Some(vec![Edit {
        start: at,
        end: at,
        text: format!("{lead}{indent}__slots__ = (){nl}"),
    }])
}

impl Rule for ImmutableSubclassSlots {
    fn code(&self) -> &'static str {
        CODE
    }

    fn kinds(&self) -> &'static [Kind] {
        &[Kind::ClassDef]
    }

    fn check(&self, node: Node<'_>, ctx: &mut Ctx<'_>) {
        let Node::Stmt(stmt @ Stmt::ClassDef(class)) = node else {
            return;
        };
        if class.bases.len() != 1 || !class.keywords.is_empty() {
            return;
        }
        let names = BlockNames::of_block(node, ctx);
        let Some(base) = base_name(&class.bases[0], &names) else {
            return;
        };
        let mentions_slots = |s: &Stmt| {
            let t = ctx.source.get(span(s).0..span(s).1).unwrap_or("");
            t.contains("__slots__")
        };
        if class.body.iter().any(|s| {
            !matches!(
                s,
                Stmt::FunctionDef(_) | Stmt::AsyncFunctionDef(_) | Stmt::ClassDef(_)
            ) && mentions_slots(s)
        }) {
            return;
        }
        let mut v = UsesDict {
            class: class.name.as_str(),
            found: false,
        };
        walk(&class.body, &mut v);
        if v.found {
            return;
        }
        let fix = slots_fix(ctx, class).map(|e| ctx.fix(CODE, &[], Safety::Unsafe, e));
        let range = super::source::def_name(
            ctx.source,
            span(stmt).0,
            &class.decorator_list,
            class.name.as_str(),
        );
        ctx.report(
            CODE,
            range,
            &[("class", class.name.as_str()), ("base", base)],
            fix,
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{findings, fixed, flagged};

    const T: (u8, u8) = (3, 12);

    #[test]
    fn flags_immutable_subclasses_without_slots() {
        let src = "class Tag(str):\n    def shout(self):\n        return self.upper()\n\nfrom collections import namedtuple\nclass Pt(namedtuple('Pt', 'x y')):\n    pass\n\nclass Cents(int):\n    \"\"\"Money.\"\"\"\n";
        let found = findings(src, "PM0131", T);
        assert_eq!(flagged(src, &found), ["Tag", "Pt", "Cents"]);
        assert_eq!(
            found[0].message,
            "`Tag` subclasses `str` without `__slots__`, so each instance also gets a `__dict__`: add `__slots__ = ()`"
        );
        assert_eq!(found[0].section, "1.4");
    }

    #[test]
    fn silent_with_slots_other_bases_or_instance_attributes() {
        let src = "class A(str):\n    __slots__ = ()\n\nclass B(str, Enum):\n    X = 'x'\n\nclass C(Base):\n    pass\n\nclass D(str):\n    def __new__(cls, v):\n        self = super().__new__(cls, v)\n        self.extra = 1\n        return self\n\nclass E(tuple, metaclass=M):\n    pass\n\nclass F(NamedTuple):\n    x: int\n\nclass G(int):\n    __slots__: tuple[str, ...] = ()\n\nclass H(other.namedtuple('H', 'a')):\n    pass\n";
        assert!(findings(src, "PM0131", T).is_empty());
        let imported = "if x:\n    from mylib import str\n    class A(str):\n        pass\n";
        assert!(findings(imported, "PM0131", T).is_empty());
    }

    #[test]
    fn fix_adds_empty_slots_after_the_docstring() {
        assert_eq!(
            fixed("class Cents(int):\n    \"\"\"Money.\"\"\"\n    def __str__(self):\n        return f'{self}c'\n", "PM0131", T),
            "class Cents(int):\n    \"\"\"Money.\"\"\"\n    __slots__ = ()\n    def __str__(self):\n        return f'{self}c'\n"
        );
        assert_eq!(
            fixed("class Tag(str):\r\n\tpass", "PM0131", T),
            "class Tag(str):\r\n\t__slots__ = ()\r\n\tpass"
        );
        // The first statement is decorated: the slots go above its decorator.
        assert_eq!(
            fixed("from collections import namedtuple\nclass P(namedtuple('P', 'a b')):\n    @classmethod\n    def parse(cls, t):\n        return cls(*t)\n", "PM0131", T),
            "from collections import namedtuple\nclass P(namedtuple('P', 'a b')):\n    __slots__ = ()\n    @classmethod\n    def parse(cls, t):\n        return cls(*t)\n"
        );
        let one_line = findings("class Tag(str): pass\n", "PM0131", T);
        assert!(one_line[0].fix.is_none());
    }
}
