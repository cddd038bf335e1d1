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
        if manages_hash(&class.decorator_list) {
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
        let fix = starts_line(src, span(eq).0).then(|| {
            let nl = ctx.newline();
            let indent = indentation(src, range.0);
            let at = next_line_start(src, span(eq).1);
            let lead = if at == src.len() && !src.ends_with(['\n', '\r']) {
                nl
            } else {
                ""
            };
            let text = format!("{lead}{indent}__hash__ = None{nl}");
            ctx.fix(
                CODE,
                &[],
                Safety::Safe,
                vec![Edit {
                    start: at,
                    end: at,
                    text,
                }],
            )
        });
        ctx.report(CODE, range, &[("class", class.name.as_str())], fix);
    }
}
