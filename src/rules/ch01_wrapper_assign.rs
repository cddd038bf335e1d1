//! PM0147: `x = classmethod(x)` / `x = staticmethod(x)` in a class body right after
//! `def x`, the pre-decorator spelling of `@classmethod` / `@staticmethod` (§1.7).

use super::source::{indentation, line_start, next_line_start, rest_of_line_blank, starts_line};
use super::typing_names::BlockNames;
use super::{Ctx, Edit, Fix, Kind, Node, Rule, Safety};
use crate::syntax::ast::{Expr, Stmt};
use crate::syntax::span;

pub struct WrapperAssign;

const CODE: &str = "PM0147";

impl Rule for WrapperAssign {
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
        let body = &class.body;
        for (i, stmt) in body.iter().enumerate() {
            let Some((name, kind)) = wrapper_assign(stmt) else {
                continue;
            };
            let Some(d) = body[..i].iter().rposition(|s| def_name(s) == Some(name)) else {
                continue;
            };
            let fix = decorator_fix(ctx, &body[d], &body[d + 1..i], stmt, name, kind);
            ctx.report(CODE, span(stmt), &[("name", name), ("kind", kind)], fix);
        }
    }
}

fn def_name(s: &Stmt) -> Option<&str> {
    match s {
        Stmt::FunctionDef(f) => Some(f.name.as_str()),
        Stmt::AsyncFunctionDef(f) => Some(f.name.as_str()),
        _ => None,
    }
}

/// `name = classmethod(name)` or `name = staticmethod(name)`: the name and the wrapper.
fn wrapper_assign(s: &Stmt) -> Option<(&str, &'static str)> {
    let Stmt::Assign(a) = s else { return None };
    let [Expr::Name(target)] = &a.targets[..] else {
        return None;
    };
    let Expr::Call(call) = &*a.value else {
        return None;
    };
    let kind = match &*call.func {
        Expr::Name(f) if f.id.as_str() == "classmethod" => "classmethod",
        Expr::Name(f) if f.id.as_str() == "staticmethod" => "staticmethod",
        _ => return None,
    };
    let ([Expr::Name(arg)], true) = (&call.args[..], call.keywords.is_empty()) else {
        return None;
    };
    (arg.id == target.id).then_some((target.id.as_str(), kind))
}

/// Deletes the assignment's line and puts `@kind` above the def (above its decorators, so it
/// stays outermost). Only when nothing between the two statements mentions the name.
fn decorator_fix(
    ctx: &Ctx<'_>,
    def: &Stmt,
    between: &[Stmt],
    assign: &Stmt,
    name: &str,
    kind: &str,
) -> Option<Fix> {
    let src = ctx.source;
    let names = BlockNames::of(between);
    if names.reads(name) || names.binds(name) {
        return None;
    }
    let (a0, a1) = span(assign);
    if !starts_line(src, a0) || !rest_of_line_blank(src, a1) {
        return None;
    }
    let decorators = match def {
        Stmt::FunctionDef(f) => &f.decorator_list,
        Stmt::AsyncFunctionDef(f) => &f.decorator_list,
        _ => return None,
    };
    let anchor = decorators
        .iter()
        .map(|d| span(d).0)
        .chain(std::iter::once(span(def).0))
        .min()?;
    let ls = line_start(src, anchor);
    let lead = src.get(ls..anchor)?.trim();
    if !(lead.is_empty() || lead == "@") {
        return None;
    }
    let indent = indentation(src, anchor);
    let nl = ctx.newline();
    let del_end = next_line_start(src, a1);
    Some(ctx.fix(
        CODE,
        &[("name", name), ("kind", kind)],
        Safety::Safe,
        vec![
            Edit {
                start: ls,
                end: ls,
                text: format!("{indent}@{kind}{nl}"),
            },
            Edit {
                start: line_start(src, a0),
                end: del_end,
                text: String::new(),
            },
        ],
    ))
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{findings, fixed, flagged};

    const T: (u8, u8) = (3, 12);

    #[test]
    fn flags_old_style_wrapping() {
        let src = "\
class Config:
    def load(cls, path):
        return cls()
    load = classmethod(load)

    def check(x):
        return x
    check = staticmethod(check)
";
        let found = findings(src, "PM0147", T);
        assert_eq!(
            flagged(src, &found),
            ["load = classmethod(load)", "check = staticmethod(check)"]
        );
        assert_eq!(
            found[0].message,
            "`load = classmethod(load)` wraps the method after the fact: write `@classmethod` above `def load`"
        );
        assert_eq!(found[0].section, "1.7");
    }

    #[test]
    fn silent_on_other_shapes() {
        let src = "\
class Config:
    load = classmethod(helper)
    other = staticmethod(other)
    def run(self):
        pass
    go = classmethod(run, 1)
    alias = classmethod(run)
";
        assert!(findings(src, "PM0147", T).is_empty());
    }

    #[test]
    fn fix_moves_it_to_a_decorator() {
        assert_eq!(
            fixed(
                "class C:\n    @trace\n    def load(cls):\n        return cls()\n\n    load = classmethod(load)\n    x = 1\n",
                "PM0147",
                T
            ),
            "class C:\n    @classmethod\n    @trace\n    def load(cls):\n        return cls()\n\n    x = 1\n"
        );
    }

    #[test]
    fn no_fix_when_the_name_is_used_in_between() {
        let src = "class C:\n    def load(cls):\n        return cls()\n    raw = load\n    load = classmethod(load)\n";
        let found = findings(src, "PM0147", T);
        assert_eq!(found.len(), 1);
        assert!(found[0].fix.is_none());
    }
}
