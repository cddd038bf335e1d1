//! PM0117: `@functools.total_ordering` on a class that defines none of the four ordering
//! methods (ValueError when the class is created) or all four (the decorator adds nothing)
//! (§1.3.3).

use super::source::{line_start, next_line_start, rest_of_line_blank, starts_line};
use super::typing_names::BlockNames;
use super::{Ctx, Edit, Kind, Node, Rule, Safety};
use crate::syntax::ast::{Expr, Stmt};
use crate::syntax::span;

pub struct TotalOrderingMisuse;

const CODE: &str = "PM0117";

const ORDERING: &[&str] = &["__lt__", "__le__", "__gt__", "__ge__"];

/// The names a class body binds: its methods and plain assignments.
fn defines(body: &[Stmt], name: &str) -> bool {
    body.iter().any(|s| match s {
        Stmt::FunctionDef(f) => f.name.as_str() == name,
        Stmt::AsyncFunctionDef(f) => f.name.as_str() == name,
        Stmt::Assign(a) => a
            .targets
            .iter()
            .any(|t| matches!(t, Expr::Name(n) if n.id.as_str() == name)),
        Stmt::AnnAssign(a) => matches!(&*a.target, Expr::Name(n) if n.id.as_str() == name),
        _ => false,
    })
}

/// True when the body binds names we cannot see (`if`, `try`, `for` around definitions).
fn has_hidden_bindings(body: &[Stmt]) -> bool {
    body.iter().any(|s| {
        matches!(
            s,
            Stmt::If(_) | Stmt::Try(_) | Stmt::TryStar(_) | Stmt::For(_) | Stmt::With(_)
        )
    })
}

impl Rule for TotalOrderingMisuse {
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
        let names = BlockNames::of_block(node, ctx);
        let Some(deco) = c.decorator_list.iter().find(|d| {
            names
                .resolve(d)
                .is_some_and(|r| r.member == "total_ordering" && r.is_in(&["functools"]))
        }) else {
            return;
        };
        if has_hidden_bindings(&c.body) {
            return;
        }
        let count = ORDERING.iter().filter(|m| defines(&c.body, m)).count();
        let (d0, d1) = span(deco);
        if count == 0 {
            // Inherited ordering methods count too: only a class with no base but `object`
            // is certain to fail.
            let plain = c
                .bases
                .iter()
                .all(|b| matches!(b, Expr::Name(n) if n.id.as_str() == "object"))
                && c.keywords.is_empty();
            if plain {
                ctx.report(
                    CODE,
                    (d0, d1),
                    &[("what", "defines none of `__lt__`, `__le__`, `__gt__`, `__ge__`: creating the class raises ValueError")],
                    None,
                );
            }
        } else if count == 4 {
            let src = ctx.source;
            // Remove the decorator's line when it stands alone on it.
            let at = src[..d0].trim_end_matches([' ', '\t']).len();
            let fix = (at > 0
                && src.get(at - 1..at) == Some("@")
                && starts_line(src, at - 1)
                && rest_of_line_blank(src, d1))
            .then(|| {
                ctx.fix(
                    CODE,
                    &[],
                    Safety::Safe,
                    vec![Edit {
                        start: line_start(src, at - 1),
                        end: next_line_start(src, d1),
                        text: String::new(),
                    }],
                )
            });
            ctx.report(
                CODE,
                (d0, d1),
                &[(
                    "what",
                    "defines all four ordering methods already: the decorator adds nothing",
                )],
                fix,
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{findings, fixed, flagged};
    use crate::rules::Safety;

    const T: (u8, u8) = (3, 12);

    const ALL_FOUR: &str = "    def __lt__(self, o): return self.k < o.k\n    def __le__(self, o): return self.k <= o.k\n    def __gt__(self, o): return self.k > o.k\n    def __ge__(self, o): return self.k >= o.k\n";

    #[test]
    fn flags_none_and_all_four() {
        let src = format!(
            "@total_ordering\nclass A:\n    def __eq__(self, o): return True\n\n@functools.total_ordering\nclass B:\n{ALL_FOUR}"
        );
        let found = findings(&src, "PM0117", T);
        assert_eq!(
            flagged(&src, &found),
            ["total_ordering", "functools.total_ordering"]
        );
        assert_eq!(
            found[0].message,
            "`@total_ordering` on a class that defines none of `__lt__`, `__le__`, `__gt__`, `__ge__`: creating the class raises ValueError"
        );
        assert_eq!(found[0].section, "1.3.3");
        assert!(found[0].fix.is_none());
        assert_eq!(found[1].fix.as_ref().map(|f| f.safety), Some(Safety::Safe));
    }

    #[test]
    fn silent_on_correct_use_and_unknowable_cases() {
        for src in [
            "@total_ordering\nclass A:\n    def __eq__(self, o): ...\n    def __lt__(self, o): ...\n".to_string(),
            "@total_ordering\nclass A(Base):\n    pass\n".to_string(),
            "@total_ordering\nclass A:\n    if X:\n        def __lt__(self, o): ...\n".to_string(),
            format!("@other\nclass A:\n{ALL_FOUR}"),
            "@mylib.total_ordering\nclass A:\n    pass\n".to_string(),
            "@total_ordering\nclass A:\n    __lt__ = _compare\n".to_string(),
        ] {
            assert!(findings(&src, "PM0117", T).is_empty(), "{src}");
        }
    }

    #[test]
    fn fix_removes_the_decorator_line() {
        let src = format!("@dataclass\n@functools.total_ordering\nclass B:\n{ALL_FOUR}");
        assert_eq!(
            fixed(&src, "PM0117", T),
            format!("@dataclass\nclass B:\n{ALL_FOUR}")
        );
    }
}
