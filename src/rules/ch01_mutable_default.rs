//! PM0105: a list, dict or set (or their comprehensions or constructors) as a parameter's
//! default, which Python builds once and shares between calls (§1.5.1).

use super::source::{
    indent_unit, indentation, line_start, next_line_start, rest_of_line_blank, starts_line,
};
use super::{Ctx, Edit, Fix, Kind, Node, Rule, Safety};
use crate::syntax::ast::{self, Constant, Expr, Stmt};
use crate::syntax::span;

pub struct MutableDefault;

const CODE: &str = "PM0105";

impl Rule for MutableDefault {
    fn code(&self) -> &'static str {
        CODE
    }

    fn kinds(&self) -> &'static [Kind] {
        &[Kind::FunctionDef, Kind::AsyncFunctionDef, Kind::Lambda]
    }

    fn check(&self, node: Node<'_>, ctx: &mut Ctx<'_>) {
        let (args, body, def) = match node {
            Node::Stmt(s @ Stmt::FunctionDef(f)) => (&*f.args, Some(&f.body[..]), Some(s)),
            Node::Stmt(s @ Stmt::AsyncFunctionDef(f)) => (&*f.args, Some(&f.body[..]), Some(s)),
            Node::Expr(Expr::Lambda(l)) => (&*l.args, None, None),
            _ => return,
        };
        // A decorator factory's defaults are PM0507's: shared by every decorated function.
        if def.is_some_and(super::ch05_factory_mutable_default::is_decorator_factory) {
            return;
        }
        for arg in args
            .posonlyargs
            .iter()
            .chain(&args.args)
            .chain(&args.kwonlyargs)
        {
            let Some(default) = &arg.default else {
                continue;
            };
            let Some(kind) = mutable_kind(default) else {
                continue;
            };
            let name = arg.def.arg.as_str();
            let fix = match (body, def) {
                (Some(body), Some(def)) => guard_fix(ctx, CODE, def, body, arg, default),
                _ => None,
            };
            ctx.report(
                CODE,
                span(&**default),
                &[("param", name), ("kind", kind)],
                fix,
            );
        }
    }
}

/// The kind of mutable object a default expression builds, if it builds one.
pub(super) fn mutable_kind(e: &Expr) -> Option<&'static str> {
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
                "dict" => Some("dict"),
                "set" => Some("set"),
                "bytearray" => Some("bytearray"),
                "defaultdict" | "OrderedDict" | "Counter" => Some("dict"),
                "deque" => Some("deque"),
                _ => None,
            }
        }
        _ => None,
    }
}

fn is_docstring(s: &Stmt) -> bool {
    matches!(s, Stmt::Expr(e) if matches!(&*e.value, Expr::Constant(c) if matches!(c.value, Constant::Str(_))))
}

/// Default to None and build the object at the top of the body, after the docstring; the fix
/// titled by `code`'s document.
pub(super) fn guard_fix(
    ctx: &Ctx<'_>,
    code: &str,
    def: &Stmt,
    body: &[Stmt],
    arg: &ast::ArgWithDefault,
    default: &Expr,
) -> Option<Fix> {
    let src = ctx.source;
    let nl = ctx.newline();
    let name = arg.def.arg.as_str();
    let (ds, de) = span(default);
    let default_text = src.get(ds..de)?;
    let mut edits = vec![Edit {
        start: ds,
        end: de,
        text: "None".into(),
    }];
    if let Some(ann) = &arg.def.annotation {
        let (a0, a1) = span(&**ann);
        let ann_text = src.get(a0..a1)?;
        if matches!(&**ann, Expr::Constant(_)) || ctx.target < (3, 10) {
            return None;
        }
        if !ann_text.contains("None") && !ann_text.contains("Optional") {
            edits.push(Edit {
                start: a1,
                end: a1,
                text: " | None".into(),
            });
        }
    }
    let def_indent = indentation(src, span(def).0).to_string();
    let first = body.first()?;
    let (anchor, after_doc) = match body {
        [doc, next, ..] if is_docstring(doc) => (span(next).0, false),
        [doc] if is_docstring(doc) => (span(doc).1, true),
        _ => (span(first).0, false),
    };
    let insert = if after_doc {
        if !rest_of_line_blank(src, anchor) || !starts_line(src, span(first).0) {
            return None;
        }
        let indent = indentation(src, span(first).0);
        let unit = indent_unit(&def_indent, indent);
        let at = next_line_start(src, anchor);
        let lead = if at == src.len() && !src.ends_with(['\n', '\r']) {
            nl
        } else {
            ""
        };
        Edit {
            start: at,
            end: at,
            text: format!(
                "{lead}{indent}if {name} is None:{nl}{indent}{unit}{name} = {default_text}{nl}"
            ),
        }
    } else if starts_line(src, anchor) {
        let indent = indentation(src, anchor);
        let unit = indent_unit(&def_indent, indent);
        let at = line_start(src, anchor);
        Edit {
            start: at,
            end: at,
            text: format!(
                "{indent}if {name} is None:{nl}{indent}{unit}{name} = {default_text}{nl}"
            ),
        }
    } else {
        // `def f(x=[]): return x` -- move the body onto its own lines.
        let unit = indent_unit(&def_indent, "");
        let indent = format!("{def_indent}{unit}");
        // Replace the spaces after the colon too, so no line ends in whitespace.
        let start = src[..anchor].trim_end_matches([' ', '\t']).len();
        Edit {
            start,
            end: anchor,
            text: format!("{nl}{indent}if {name} is None:{nl}{indent}{unit}{name} = {default_text}{nl}{indent}"),
        }
    };
    edits.push(insert);
    Some(ctx.fix(code, &[("param", name)], Safety::Unsafe, edits))
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{findings, fixed, flagged};

    const T: (u8, u8) = (3, 12);

    #[test]
    fn flags_mutable_displays_comprehensions_and_constructors() {
        let src = "def f(a=[], b={}, c=set(), *, d={x for x in y}, e=collections.deque()):\n    pass\ng = lambda h=[]: h\n";
        let found = findings(src, "PM0105", T);
        assert_eq!(
            flagged(src, &found),
            [
                "[]",
                "{}",
                "set()",
                "{x for x in y}",
                "collections.deque()",
                "[]"
            ]
        );
        assert_eq!(found[0].message, "Mutable default for `a`: this list is created once, when `def` runs, and every call that omits `a` shares it");
        assert_eq!(found[0].section, "1.5.1");
        assert!(found[5].fix.is_none(), "no fix for a lambda");
    }

    #[test]
    fn covers_every_mutable_constructor_and_comprehension() {
        let src = "async def f(a=list(), b=dict(), c=collections.defaultdict(list), d=OrderedDict(), e=deque(), g=bytearray(), h=[x for x in y], i={k: v for k, v in z}, j=collections.Counter()):\n    \"\"\"Doc.\"\"\"\n";
        let found = findings(src, "PM0105", T);
        assert_eq!(found.len(), 9);
        let kinds: Vec<_> = found
            .iter()
            .map(|f| {
                f.message
                    .split("this ")
                    .nth(1)
                    .unwrap_or("")
                    .split(' ')
                    .next()
                    .unwrap_or("")
            })
            .collect();
        assert_eq!(
            kinds,
            [
                "list",
                "dict",
                "dict",
                "dict",
                "deque",
                "bytearray",
                "list",
                "dict",
                "dict"
            ]
        );
        assert_eq!(
            fixed(src, "PM0105", T),
            "async def f(a=None, b=dict(), c=collections.defaultdict(list), d=OrderedDict(), e=deque(), g=bytearray(), h=[x for x in y], i={k: v for k, v in z}, j=collections.Counter()):\n    \"\"\"Doc.\"\"\"\n    if a is None:\n        a = list()\n"
        );
    }

    #[test]
    fn stays_silent_on_immutable_defaults() {
        let src = "def f(a=(), b=None, c=frozenset(), d='x', e=0, f=tuple(), g=other.list()):\n    pass\n";
        assert!(findings(src, "PM0105", T).is_empty());
    }

    #[test]
    fn fix_inserts_the_guard_after_the_docstring() {
        let src = "def f(x, acc=[]):\n    \"\"\"Doc.\"\"\"\n    acc.append(x)\n    return acc\n";
        assert_eq!(
            fixed(src, "PM0105", T),
            "def f(x, acc=None):\n    \"\"\"Doc.\"\"\"\n    if acc is None:\n        acc = []\n    acc.append(x)\n    return acc\n"
        );
    }

    #[test]
    fn fix_handles_one_line_bodies_crlf_tabs_and_annotations() {
        assert_eq!(
            fixed("def f(x={}): return x\n", "PM0105", T),
            "def f(x=None):\n    if x is None:\n        x = {}\n    return x\n"
        );
        assert_eq!(
            fixed("def f(x=[]):\r\n\treturn x\r\n", "PM0105", T),
            "def f(x=None):\r\n\tif x is None:\r\n\t\tx = []\r\n\treturn x\r\n"
        );
        assert_eq!(
            fixed("class A:\n    def m(self, x: list[int] = []):\n        return x", "PM0105", T),
            "class A:\n    def m(self, x: list[int] | None = None):\n        if x is None:\n            x = []\n        return x"
        );
        assert_eq!(fixed("def f(x=[]):\n    \"\"\"Only a docstring.\"\"\"", "PM0105", T), "def f(x=None):\n    \"\"\"Only a docstring.\"\"\"\n    if x is None:\n        x = []\n");
    }

    #[test]
    fn no_fix_for_annotated_parameters_before_3_10() {
        let found = findings("def f(x: list = []):\n    return x\n", "PM0105", (3, 9));
        assert_eq!(found.len(), 1);
        assert!(found[0].fix.is_none());
    }
}
