//! PM0204: `NamedTuple("P", [...])`, `TypedDict("T", {...})` and `namedtuple("P", ...)`
//! assigned at module level, where a class statement says the same more readably (§2.6).

use super::source::{indentation, rest_of_line_blank, starts_line};
use super::typing_names::{is_identifier, text, BlockNames, TYPING};
use super::{Ctx, Edit, Kind, Node, Rule, Safety, Scope};
use crate::syntax::ast::{Constant, Expr, Stmt};
use crate::syntax::span;

pub struct FunctionalSyntax;

const CODE: &str = "PM0204";

#[derive(Clone, Copy, PartialEq, Eq)]
enum Form {
    NamedTuple,
    TypedDict,
    CollectionsNamedtuple,
}

fn str_value(e: &Expr) -> Option<&str> {
    match e {
        Expr::Constant(c) => match &c.value {
            Constant::Str(s) => Some(s.as_str()),
            _ => None,
        },
        _ => None,
    }
}

/// A field name that can be written as a class attribute with the same meaning: an identifier,
/// and not a private name (`__x` is mangled inside a class body).
fn field_name(e: &Expr) -> Option<&str> {
    str_value(e).filter(|s| is_identifier(s) && !s.starts_with("__"))
}

/// `(name, type)` pairs of a literal field list (NamedTuple) or dict (TypedDict).
fn fields(form: Form, e: &Expr) -> Option<Vec<(&str, &Expr)>> {
    match (form, e) {
        (Form::NamedTuple, Expr::List(_) | Expr::Tuple(_)) => {
            let elts = match e {
                Expr::List(l) => &l.elts,
                Expr::Tuple(t) => &t.elts,
                _ => return None,
            };
            elts.iter()
                .map(|pair| match pair {
                    Expr::Tuple(t) if t.elts.len() == 2 => {
                        Some((field_name(&t.elts[0])?, &t.elts[1]))
                    }
                    _ => None,
                })
                .collect()
        }
        (Form::TypedDict, Expr::Dict(d)) => d
            .keys
            .iter()
            .zip(&d.values)
            .map(|(k, v)| Some((field_name(k.as_ref()?)?, v)))
            .collect(),
        _ => None,
    }
}

impl Rule for FunctionalSyntax {
    fn code(&self) -> &'static str {
        CODE
    }

    fn kinds(&self) -> &'static [Kind] {
        &[Kind::Assign]
    }

    fn check(&self, node: Node<'_>, ctx: &mut Ctx<'_>) {
        let Node::Stmt(stmt @ Stmt::Assign(a)) = node else {
            return;
        };
        if !matches!(ctx.scope(), Scope::Module) {
            return;
        }
        let ([Expr::Name(target)], Expr::Call(call)) = (&a.targets[..], &*a.value) else {
            return;
        };
        let names = BlockNames::of_block(node, ctx);
        let Some(r) = names.resolve(&call.func) else {
            return;
        };
        let form = match r.member.as_str() {
            "NamedTuple" if r.is_in(TYPING) => Form::NamedTuple,
            "TypedDict" if r.is_in(TYPING) => Form::TypedDict,
            "namedtuple" if r.is_in(&["collections"]) => Form::CollectionsNamedtuple,
            _ => return,
        };
        let callee = text(ctx.source, &*call.func).to_string();
        let base = match form {
            Form::TypedDict => "TypedDict",
            _ => "NamedTuple",
        };
        let name = target.id.as_str();
        let fix = if form == Form::CollectionsNamedtuple {
            None
        } else {
            class_fix(ctx, stmt, name, &callee, form, call)
        };
        ctx.report(
            CODE,
            span(&*call.func),
            &[("name", name), ("callee", &callee), ("base", base)],
            fix,
        );
    }
}

fn class_fix(
    ctx: &Ctx<'_>,
    stmt: &Stmt,
    name: &str,
    callee: &str,
    form: Form,
    call: &crate::syntax::ast::ExprCall,
) -> Option<super::Fix> {
    let src = ctx.source;
    let [type_name, spec] = &call.args[..] else {
        return None;
    };
    if str_value(type_name)? != name {
        return None;
    }
    let fields = fields(form, spec)?;
    // Keywords: only TypedDict's `total=` has a class spelling.
    let mut class_args = vec![callee.to_string()];
    for k in &call.keywords {
        match (&k.arg, form) {
            (Some(arg), Form::TypedDict) if arg.as_str() == "total" => {
                class_args.push(format!("total={}", text(src, &k.value)))
            }
            _ => return None,
        }
    }
    let (s, e) = span(stmt);
    if !starts_line(src, s) || !rest_of_line_blank(src, e) || text(src, call).contains('#') {
        return None;
    }
    let nl = ctx.newline();
    let indent = indentation(src, s);
    let unit = if indent.contains('\t') { "\t" } else { "    " };
    let mut out = format!("class {name}({}):", class_args.join(", "));
    if fields.is_empty() {
        out.push_str(&format!("{nl}{indent}{unit}pass"));
    }
    for (field, ty) in fields {
        out.push_str(&format!("{nl}{indent}{unit}{field}: {}", text(src, ty)));
    }
    Some(ctx.fix(
        CODE,
        &[("name", name)],
        Safety::Safe,
        vec![Edit {
            start: s,
            end: e,
            text: out,
        }],
    ))
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{findings, fixed, flagged};

    const T: (u8, u8) = (3, 12);

    #[test]
    fn flags_functional_definitions_at_module_level() {
        let src = "P = NamedTuple('P', [('x', int)])\nT = typing.TypedDict('T', {'a': int})\nU = collections.namedtuple('U', 'a b')\nV = namedtuple('V', ['a'])\n";
        let found = findings(src, "PM0204", T);
        assert_eq!(
            flagged(src, &found),
            [
                "NamedTuple",
                "typing.TypedDict",
                "collections.namedtuple",
                "namedtuple"
            ]
        );
        assert_eq!(
            found[0].message,
            "`P` is built by calling `NamedTuple(...)`; a `class P(NamedTuple)` statement with annotated fields says the same and reads better"
        );
        assert_eq!(found[0].section, "2.6");
        assert!(
            found[2].fix.is_none() && found[3].fix.is_none(),
            "no fix for namedtuple"
        );
    }

    #[test]
    fn silent_on_near_misses() {
        for s in [
            "def f():\n    P = NamedTuple('P', [('x', int)])\n",
            "class A:\n    P = NamedTuple('P', [('x', int)])\n",
            "class P(NamedTuple):\n    x: int\n",
            "P = other.NamedTuple('P', [('x', int)])\n",
            "a, b = NamedTuple('P', []), 1\n",
            "P = make('P', [('x', int)])\n",
        ] {
            assert!(findings(s, "PM0204", T).is_empty(), "{s}");
        }
    }

    #[test]
    fn no_fix_when_the_class_form_cannot_say_it() {
        for s in [
            "T = TypedDict('T', {'from': int})\n",
            "T = TypedDict('T', {'a-b': int})\n",
            "T = TypedDict('Other', {'a': int})\n",
            "T = TypedDict('T', {**base, 'a': int})\n",
            "P = NamedTuple('P', [('x', int)], extra=1)\n",
            "P = NamedTuple('P', fields)\n",
            "T = TypedDict('T', {'__a': int})\n",
        ] {
            let found = findings(s, "PM0204", T);
            assert_eq!(found.len(), 1, "{s}");
            assert!(found[0].fix.is_none(), "{s}");
        }
    }

    #[test]
    fn fix_writes_the_class() {
        assert_eq!(
            fixed(
                "P = NamedTuple('P', [('x', int), ('y', List[str])])\n",
                "PM0204",
                T
            ),
            "class P(NamedTuple):\n    x: int\n    y: List[str]\n"
        );
        assert_eq!(
            fixed(
                "T = typing.TypedDict(\"T\", {\"a\": int, 'b': 'Node'}, total=False)\r\n",
                "PM0204",
                T
            ),
            "class T(typing.TypedDict, total=False):\r\n    a: int\r\n    b: 'Node'\r\n"
        );
        assert_eq!(
            fixed("if X:\n    E = NamedTuple('E', [])\n", "PM0204", T),
            "if X:\n    class E(NamedTuple):\n        pass\n"
        );
    }
}
